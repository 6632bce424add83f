import { describe, expect, it } from 'vitest';
import { guestRequest } from '../../../src/core/request-info.js';
import { compileFilter } from '../../../src/store/filter/index.js';
import { context } from './filter-fixture.js';

// The relation, back-relation, @collection, @request and hidden-field filters with the ids they
// select run on every dialect in test/store/dialects/filter-scenarios.ts; this file keeps the
// filters the compiler must reject.

describe('back-relations', () => {
  it('is not available through a relation field of another collection', () => {
    expect(() => compileFilter('tags_via_author.name = "x"', context())).toThrow(/Invalid filter field/);
  });
});

describe('@request.body, query, headers, method, context', () => {
  const request = guestRequest({
    method: 'PATCH', context: 'default',
    query: { page: '2', q: 'World' }, headers: { x_token: 'abc' },
    body: { title: 'Hello World', views: '20', labels: ['a', 'b'], tags: ['t1'], author: 'u2', active: true, meta: { a: 1 }, evil: "' OR 1=1 --" },
  });

  it('rejects modifiers that do not apply', () => {
    const ctx = context({ request });
    expect(() => compileFilter('@request.query.page:each = 1', ctx)).toThrow(/Invalid filter field/);
    expect(() => compileFilter('@request.body.title:each = 1', ctx)).toThrow(/Invalid filter field/);
  });
});

describe('hidden fields, auth emails and related list rules (non-superuser filters)', () => {
  const guest = { allowHiddenFields: false };
  it.each(['secret = "s1"', 'author.password = "x"', 'author.tokenKey = "k1"', 'secret:lower = "s1"', 'lock.name = "secret"', 'labels:each:lower = "a"'])(
    'rejects %s without allowHiddenFields', (filter) => {
      expect(() => compileFilter(filter, context(guest))).toThrow(/Invalid filter field/);
    });
});
