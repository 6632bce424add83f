import { describe, expect, it } from 'vitest';
import { readBatchForm } from '../../../src/core/batch/batch-form.js';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';

function errorOf(fn: () => unknown): PlinthError {
  try {
    fn();
  } catch (err) {
    if (err instanceof PlinthError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('batch form', () => {
  it('assigns files under requests.N.<key> and requests[N].<key> to their request', () => {
    const data = new Uint8Array([1]);
    const items = readBatchForm(
      { requests: [{ method: 'POST', url: '/a', body: { title: 'x' } }, { method: 'PATCH', url: '/b', headers: { 'X-A': 'b', n: 1 } }] },
      [
        { key: 'requests.0.files', filename: 'a.txt', data },
        { key: 'requests[1].files+', filename: 'b.txt', data },
        { key: 'requests.7.files', filename: 'c.txt', data },
      ],
      10,
    );
    expect(items[0]).toMatchObject({ body: { title: 'x' }, files: [{ key: 'files', filename: 'a.txt' }] });
    expect(items[1]).toMatchObject({ headers: { 'X-A': 'b' }, files: [{ key: 'files+', filename: 'b.txt' }] });
  });

  it.each([
    [{ requests: 'x' }, 'Failed to read the submitted batch data.', {}],
    [{}, 'Invalid batch request data.', { requests: { code: 'validation_required' } }],
    [{ requests: [{ method: 'GET', url: '/' }, { method: 'GET', url: '/' }, { method: 'GET', url: '/' }] }, 'Invalid batch request data.', { requests: { code: 'validation_length_too_long' } }],
    [{ requests: [{ method: 'get', url: '/' }] }, 'Invalid batch request data.', { requests: { 0: { method: { code: 'validation_in_invalid' } } } }],
  ])('rejects %j', (data, message, expected) => {
    const err = errorOf(() => readBatchForm(data as Record<string, unknown>, [], 2));
    expect(err.message).toBe(message);
    expect(err.data).toMatchObject(expected);
  });
});
