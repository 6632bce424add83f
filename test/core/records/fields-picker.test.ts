import { describe, expect, it } from 'vitest';
import { parseExpand } from '../../../src/core/records/expand-parser.js';
import { htmlToPlainText, parseFields, pickFields } from '../../../src/core/records/fields-picker.js';

describe('parseFields / pickFields', () => {
  const record = { id: 'a', title: 'T', body: '<p>Hello   <b>world</b></p><script>x()</script>', expand: { rel: { id: 'r', name: 'n', extra: 1 } } };

  it('keeps only listed fields, nested through expand', () => {
    expect(pickFields(record, parseFields('id,expand.rel.name'))).toEqual({ id: 'a', expand: { rel: { name: 'n' } } });
  });

  it('supports * with a modifier on one field', () => {
    const out = pickFields(record, parseFields('*,body:excerpt(8,true)'));
    expect(out).toMatchObject({ id: 'a', title: 'T', body: 'Hello wo...' });
  });

  it('strips html like PocketBase', () => {
    expect(htmlToPlainText('<div>a</div><div>b</div> <span>c</span>d')).toBe('a b cd');
  });

  it('rejects unknown modifiers and bad arguments', () => {
    expect(() => parseFields('title:drop()')).toThrow();
    expect(() => parseFields('title:excerpt()')).toThrow();
    expect(() => parseFields('title:excerpt(0)')).toThrow();
  });

  it('no selection leaves data untouched', () => {
    expect(pickFields(record, parseFields(''))).toBe(record);
  });
});

describe('parseExpand', () => {
  it('builds a tree and cuts at 6 levels', () => {
    const tree = parseExpand('a.b, c ,,a.d,x.1.2.3.4.5.6.7');
    expect([...tree.keys()]).toEqual(['a', 'c', 'x']);
    expect([...(tree.get('a')?.keys() ?? [])]).toEqual(['b', 'd']);
    let depth = 0;
    let node = tree.get('x');
    while (node && node.size > 0) {
      depth++;
      node = [...node.values()][0];
    }
    expect(depth).toBe(5);
  });
});
