import { describe, expect, it } from 'vitest';
import { bodyContains, checkResponse, compactBody, normaliseFragment } from './match.js';
import type { Scenario } from './scenarios.js';

const scenario = (over: Partial<Scenario>): Scenario => ({
  File: 'x_test.go', Func: 'TestX', Name: 'x', Method: 'GET', URL: '/', Body: '', Headers: {},
  Status: 200, Expected: null, NotExpected: null, HasBefore: false, HasAfter: false, HasFactory: false, Dynamic: null,
  ...over,
});

describe('conformance matching', () => {
  it('compacts JSON and keeps other bodies raw', () => {
    expect(compactBody('{ "a" : [1, 2] }').text).toBe('{"a":[1,2]}');
    expect(compactBody('not json').text).toBe('not json');
  });

  it("undoes Go's HTML escapes in fragments", () => {
    expect(normaliseFragment('"a \\u003c b \\u0026 c \\u003e"')).toBe('"a < b & c >"');
  });

  it('matches whole-object fragments regardless of key order', () => {
    const body = compactBody('{"items":[{"b":2,"a":{"y":1,"x":0}}]}');
    expect(bodyContains(body, '{"a":{"x":0,"y":1},"b":2}')).toBe(true);
    expect(bodyContains(body, '{"a":{"x":0},"b":2}')).toBe(false);
    expect(bodyContains(body, '"b":2')).toBe(true);
  });

  it('checks status, expected, not expected and empty bodies', () => {
    const s = scenario({ Status: 400, Expected: ['"status":400'], NotExpected: ['"secret"'] });
    expect(checkResponse(s, 400, '{"status":400,"data":{}}')).toEqual([]);
    expect(checkResponse(s, 404, '{"status":404,"secret":1}')).toHaveLength(3);
    expect(checkResponse(scenario({ Status: 204 }), 204, '')).toEqual([]);
    expect(checkResponse(scenario({ Status: 204 }), 204, '{}')).toEqual(['expected an empty body']);
  });
});
