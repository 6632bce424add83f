import { errors, fieldError, type ErrorData } from '../errors/plinth-error.js';

/** PocketBase's limits on `POST /api/realtime`. */
export const MAX_SUBSCRIPTIONS = 1000;
export const MAX_SUBSCRIPTION_LENGTH = 2500;
export const MAX_CLIENT_ID_LENGTH = 255;

/** The request options of one subscription: what rules see as `@request.query/headers`. */
export interface SubscriptionOptions {
  query: Record<string, string>;
  /** Names in snake_case (`X-Token` → `x_token`), as PocketBase normalizes them. */
  headers: Record<string, string>;
}

/** One subscription of a client, parsed once when it is set. */
export interface Subscription {
  /** The string exactly as the client sent it: the name of every event it receives. */
  readonly raw: string;
  /** The topic without its `?…` part: `posts/*`, `posts/RECORD_ID`, `posts`, `@oauth2`. */
  readonly topic: string;
  readonly options: SubscriptionOptions;
  /** A stable text of `options`; '' without options (groups identical subscribers). */
  readonly optionsKey: string;
}

/** PocketBase's `inflector.Snakecase`: splits on non-word chars and camelCase humps, lower-cases. */
export function snakecase(value: string): string {
  const words = value.split(/[\W_]+/);
  let out = '';
  for (const word of words) {
    if (word === '') continue;
    if (out.length > 0) out += '_';
    for (let i = 0; i < word.length; i++) {
      const c = word.charAt(i);
      const prev = word.charAt(i - 1);
      if (i > 0 && isUpper(c) && !isUpper(prev)) out += '_';
      out += c;
    }
  }
  return out.toLowerCase();
}

function isUpper(c: string): boolean {
  return c !== c.toLowerCase() && c === c.toUpperCase();
}

/** `cast.ToString`: strings as they are, numbers and booleans printed, anything else empty. */
function castString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  return '';
}

function stringMap(value: unknown, key: (name: string) => string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!value || typeof value !== 'object' || Array.isArray(value)) return out;
  for (const [name, v] of Object.entries(value as Record<string, unknown>)) out[key(name)] = castString(v);
  return out;
}

/**
 * Parses `topic?options={"query":{…},"headers":{…}}` (the options JSON URL-encoded, as the SDK
 * sends it). Unreadable options count as none, as in PocketBase.
 */
export function parseSubscription(raw: string): Subscription {
  const q = raw.indexOf('?');
  const topic = q === -1 ? raw : raw.slice(0, q);
  let options: SubscriptionOptions = { query: {}, headers: {} };
  if (q !== -1) {
    try {
      const text = new URLSearchParams(raw.slice(q + 1)).get('options');
      if (text) {
        const parsed = JSON.parse(text) as { query?: unknown; headers?: unknown };
        if (parsed && typeof parsed === 'object') {
          options = { query: stringMap(parsed.query, (n) => n), headers: stringMap(parsed.headers, snakecase) };
        }
      }
    } catch {
      // PocketBase ignores malformed options
    }
  }
  const empty = Object.keys(options.query).length === 0 && Object.keys(options.headers).length === 0;
  return { raw, topic, options, optionsKey: empty ? '' : JSON.stringify(options) };
}

/** The body of `POST /api/realtime` once validated. */
export interface SubscribeForm {
  clientId: string;
  subscriptions: string[];
}

/**
 * Validates `{clientId, subscriptions}` with PocketBase's rules and error shapes: `clientId`
 * required (1–255 chars); at most 1000 subscriptions of at most 2500 chars each.
 */
export function validateSubscribeForm(body: unknown): SubscribeForm {
  const data = body && typeof body === 'object' && !Array.isArray(body) ? (body as Record<string, unknown>) : {};
  const rawId = data['clientId'] ?? '';
  const rawSubs = data['subscriptions'] ?? [];
  if (typeof rawId !== 'string' || !Array.isArray(rawSubs) || rawSubs.some((s) => typeof s !== 'string')) {
    throw errors.badRequest();
  }
  const subscriptions = rawSubs as string[];
  const out: ErrorData = {};
  if (rawId === '') out['clientId'] = fieldError('validation_required', 'Cannot be blank.');
  else if (rawId.length > MAX_CLIENT_ID_LENGTH) {
    out['clientId'] = fieldError('validation_length_out_of_range', `The length must be between 1 and ${MAX_CLIENT_ID_LENGTH}.`);
  }
  if (subscriptions.length > MAX_SUBSCRIPTIONS) {
    out['subscriptions'] = fieldError('validation_length_too_long', `The length must be no more than ${MAX_SUBSCRIPTIONS}.`);
  } else {
    const items: ErrorData = {};
    subscriptions.forEach((s, i) => {
      if (s.length > MAX_SUBSCRIPTION_LENGTH) {
        items[String(i)] = fieldError('validation_length_too_long', `The length must be no more than ${MAX_SUBSCRIPTION_LENGTH}.`);
      }
    });
    if (Object.keys(items).length > 0) out['subscriptions'] = items;
  }
  if (Object.keys(out).length > 0) throw errors.badRequest(undefined, out);
  return { clientId: rawId, subscriptions };
}
