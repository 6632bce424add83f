import { describe, expect, it } from 'vitest';
import { PlinthError } from '../../../src/core/errors/plinth-error.js';
import { parseSubscription, snakecase, validateSubscribeForm } from '../../../src/core/realtime/realtime-subscriptions.js';

function options(value: unknown): string {
  return `?options=${encodeURIComponent(JSON.stringify(value))}`;
}

function failure(body: unknown): PlinthError {
  try {
    validateSubscribeForm(body);
  } catch (err) {
    if (err instanceof PlinthError) return err;
    throw err;
  }
  throw new Error('expected a validation error');
}

describe('subscription parsing', () => {
  it.each([
    ['posts/*', 'posts/*', {}, {}],
    ['posts/abc', 'posts/abc', {}, {}],
    ['posts', 'posts', {}, {}],
    ['@oauth2', '@oauth2', {}, {}],
    [`posts/*${options({ query: { filter: 'a=1', page: 2, ok: true, obj: { x: 1 } } })}`, 'posts/*', { filter: 'a=1', page: '2', ok: 'true', obj: '' }, {}],
    [`posts/*${options({ headers: { 'X-Token': 'abc', xCustomName: 'v' } })}`, 'posts/*', {}, { x_token: 'abc', x_custom_name: 'v' }],
    ['posts/*?options=not-json', 'posts/*', {}, {}],
    ['posts/*?other=1', 'posts/*', {}, {}],
  ])('%s', (raw, topic, query, headers) => {
    const sub = parseSubscription(raw);
    expect(sub.raw).toBe(raw);
    expect(sub.topic).toBe(topic);
    expect(sub.options).toEqual({ query, headers });
    expect(sub.optionsKey === '').toBe(Object.keys(query).length + Object.keys(headers).length === 0);
  });

  it.each([
    ['X-Token', 'x_token'],
    ['x_token', 'x_token'],
    ['AbcDEF', 'abc_def'],
    ['content-type', 'content_type'],
    ['  spaced  name ', 'spaced_name'],
  ])('snakecase(%s) = %s', (input, expected) => {
    expect(snakecase(input)).toBe(expected);
  });
});

describe('subscribe form validation (PocketBase realtime_test.go)', () => {
  it('requires clientId and does not report subscriptions for empty data', () => {
    const err = failure({});
    expect(err.code).toBe('bad_request');
    expect(err.data).toEqual({ clientId: { code: 'validation_required', message: 'Cannot be blank.' } });
  });

  it('accepts 1000 subscriptions and rejects 1001', () => {
    const subs = (n: number) => Array.from({ length: n }, (_, i) => String(i));
    expect(validateSubscribeForm({ clientId: 'x', subscriptions: subs(1000) }).subscriptions).toHaveLength(1000);
    expect(failure({ clientId: 'x', subscriptions: subs(1001) }).data).toEqual({
      subscriptions: { code: 'validation_length_too_long', message: 'The length must be no more than 1000.' },
    });
  });

  it('accepts topics of 2500 chars and reports longer ones by index', () => {
    expect(validateSubscribeForm({ clientId: 'x', subscriptions: ['abc', 'a'.repeat(2500)] }).subscriptions).toHaveLength(2);
    expect(failure({ clientId: 'x', subscriptions: ['abc', 'a'.repeat(2501)] }).data).toEqual({
      subscriptions: { 1: { code: 'validation_length_too_long', message: 'The length must be no more than 2500.' } },
    });
  });

  it('rejects malformed bodies with a plain 400', () => {
    for (const body of [{ clientId: 1 }, { clientId: 'x', subscriptions: 'a' }, { clientId: 'x', subscriptions: [1] }]) {
      const err = failure(body);
      expect(err.code).toBe('bad_request');
      expect(err.data).toEqual({});
    }
  });

  it('treats missing subscriptions as an empty list', () => {
    expect(validateSubscribeForm({ clientId: 'x' })).toEqual({ clientId: 'x', subscriptions: [] });
  });
});
