import { isIP } from 'node:net';
import { Cron } from 'croner';
import { errors, type ErrorData, type FieldError } from '../errors/plinth-error.js';
import { EMAIL_FORMAT } from '../auth/auth-forms.js';
import { checkMin as min, err, firstError as first, ozzo } from '../fields/field-errors.js';
import { isUrl } from '../fields/url-field.js';
import type { Settings } from './settings-defaults.js';

type Obj = Record<string, unknown>;

const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** ozzo's `is.Host`: a domain name or an IP address. */
const HOST = /^(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?\.)*[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?|\d{1,3}(?:\.\d{1,3}){3}|\[?[0-9a-fA-F:]+\]?)$/;
/** PocketBase's rate limit label format (`tag`, `users:create`, `*:auth`, `/api/`, `POST /api/x`). */
const RATE_LIMIT_LABEL = /^(\w+ \/[\w/-]*|\/[\w/-]*|\w+:\w+|\*:\w+|\w+)$/;
const AUDIENCES = new Set(['', '@guest', '@auth']);

const required = (empty: boolean): FieldError | null => (empty ? ozzo.required() : null);

/** Collects `{field: error}` of one group, skipping passing checks. */
function group(checks: Record<string, FieldError | ErrorData | null>): ErrorData | null {
  const out: ErrorData = {};
  for (const [key, value] of Object.entries(checks)) if (value && Object.keys(value).length > 0) out[key] = value;
  return Object.keys(out).length > 0 ? out : null;
}

/** The error of a cron expression (standard 5 fields or a macro), or null when it parses. */
export function cronExpressionError(expression: string): string | null {
  try {
    new Cron(expression, { paused: true });
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function s3Errors(s3: Obj): ErrorData | null {
  const on = s3.enabled === true;
  return group({
    endpoint: first(() => (str(s3.endpoint) !== '' && !isUrl(str(s3.endpoint)) ? err('validation_is_url', 'must be a valid URL') : null), () => required(on && str(s3.endpoint) === '')),
    bucket: required(on && str(s3.bucket) === ''),
    region: required(on && str(s3.region) === ''),
    accessKey: required(on && str(s3.accessKey) === ''),
    secret: required(on && str(s3.secret) === ''),
  });
}

function rateLimitErrors(rateLimits: Obj): ErrorData | null {
  const rules = Array.isArray(rateLimits.rules) ? (rateLimits.rules as unknown[]) : [];
  const ruleErrors: ErrorData = {};
  const seen: string[] = [];
  rules.forEach((raw, i) => {
    const rule = obj(raw);
    const label = str(rule.label);
    const audience = str(rule.audience);
    const e = group({
      label: first(() => required(label === ''), () => (RATE_LIMIT_LABEL.test(label) ? null : ozzo.match())),
      maxRequests: first(() => required(num(rule.maxRequests) === 0), () => min(num(rule.maxRequests), 1)),
      duration: first(() => required(num(rule.duration) === 0), () => min(num(rule.duration), 1)),
      audience: AUDIENCES.has(audience) ? null : ozzo.in(),
    });
    if (e) ruleErrors[String(i)] = e;
    const key = `${label}@@${audience}`;
    if (!e && seen.some((k) => k.startsWith(key) || key.startsWith(k))) {
      ruleErrors[String(i)] = {
        label: err('validation_conflicting_rate_limit_rule', `Rate limit rule configuration with label ${label} already exists or conflicts with another rule.`, { label }),
      };
    } else seen.push(key);
  });
  const rulesError = rateLimits.enabled === true && rules.length === 0 ? ozzo.required() : Object.keys(ruleErrors).length > 0 ? ruleErrors : null;
  return group({ rules: rulesError });
}

/** `graphql`: each limit a whole number of at least 1. */
function graphqlErrors(graphql: Obj): ErrorData | null {
  const limit = (value: unknown) => (value === undefined || (Number.isInteger(value) && num(value) >= 1) ? null : ozzo.min(1));
  return group({
    maxDepth: limit(graphql.maxDepth),
    maxAliases: limit(graphql.maxAliases),
    maxCost: limit(graphql.maxCost),
    maxBatch: limit(graphql.maxBatch),
  });
}

/** A host name, an IP address, or an IP range in CIDR notation (`10.0.0.0/8`, `fd00::/8`). */
function isAllowEntry(entry: unknown): boolean {
  if (typeof entry !== 'string' || entry === '' || entry.length > 255) return false;
  const [address = '', bits, ...rest] = entry.split('/');
  if (bits === undefined) return isIP(address) !== 0 || HOST.test(address);
  const max = isIP(address) === 4 ? 32 : isIP(address) === 6 ? 128 : -1;
  return rest.length === 0 && /^\d{1,3}$/.test(bits) && Number(bits) <= max;
}

/** Plinth's `webhooks` group (absent by default): `allowedHosts`, the SSRF guard's allow-list. */
function webhookSettingsErrors(value: unknown): ErrorData | null {
  if (value === undefined) return null;
  const hosts = obj(value).allowedHosts;
  if (hosts === undefined) return null;
  if (!Array.isArray(hosts)) return group({ allowedHosts: err('validation_invalid_hosts', 'must be a list of host names, IP addresses or CIDR ranges') });
  const entries: ErrorData = {};
  hosts.forEach((h, i) => {
    if (!isAllowEntry(h)) entries[String(i)] = err('validation_invalid_host', 'must be a host name, an IP address or a CIDR range');
  });
  return group({ allowedHosts: Object.keys(entries).length > 0 ? entries : null });
}

/**
 * Validates a whole settings object like PocketBase's `Settings.PostValidate`: the errors are
 * nested per group (`{"meta":{"appName":{"code":"validation_required",…}}}`). Throws the 400.
 */
export function validateSettings(settings: Settings): void {
  const meta = obj(settings.meta);
  const logs = obj(settings.logs);
  const smtp = obj(settings.smtp);
  const backups = obj(settings.backups);
  const batch = obj(settings.batch);
  const smtpOn = smtp.enabled === true;
  const batchOn = batch.enabled === true;
  const host = str(smtp.host);
  const localName = str(smtp.localName);
  const cron = str(backups.cron);
  const cronError = cron === '' ? null : cronExpressionError(cron);
  const data = group({
    meta: group({
      appName: first(() => required(str(meta.appName) === ''), () => (str(meta.appName).length > 255 ? ozzo.lengthOutOfRange(1, 255) : null)),
      appURL: first(() => required(str(meta.appURL) === ''), () => (isUrl(str(meta.appURL)) ? null : err('validation_is_url', 'must be a valid URL'))),
      senderName: first(() => required(str(meta.senderName) === ''), () => (str(meta.senderName).length > 255 ? ozzo.lengthOutOfRange(1, 255) : null)),
      senderAddress: first(() => (str(meta.senderAddress) !== '' && !EMAIL_FORMAT.test(str(meta.senderAddress)) ? ozzo.isEmail() : null), () => required(str(meta.senderAddress) === '')),
    }),
    logs: group({ maxDays: num(logs.maxDays) < 0 ? ozzo.min(0) : null }),
    smtp: group({
      host: first(() => required(smtpOn && host === ''), () => (host !== '' && !HOST.test(host) ? err('validation_is_host', 'must be a valid hostname or IP address') : null)),
      port: first(() => required(smtpOn && num(smtp.port) === 0), () => (num(smtp.port) < 0 ? ozzo.min(0) : null)),
      authMethod: ['', 'PLAIN', 'LOGIN'].includes(str(smtp.authMethod)) ? null : ozzo.in(),
      localName: localName !== '' && !HOST.test(localName) ? err('validation_is_host', 'must be a valid hostname or IP address') : null,
    }),
    s3: s3Errors(obj(settings.s3)),
    backups: group({
      s3: s3Errors(obj(backups.s3)),
      cron: cronError ? err('validation_invalid_cron', cronError) : null,
      cronMaxKeep: first(() => required(cron !== '' && num(backups.cronMaxKeep) === 0), () => min(num(backups.cronMaxKeep), 1)),
    }),
    batch: group({
      maxRequests: first(() => required(batchOn && num(batch.maxRequests) === 0), () => (num(batch.maxRequests) < 0 ? ozzo.min(0) : null)),
      timeout: first(() => required(batchOn && num(batch.timeout) === 0), () => (num(batch.timeout) < 0 ? ozzo.min(0) : null)),
      maxBodySize: num(batch.maxBodySize) < 0 ? ozzo.min(0) : null,
    }),
    rateLimits: rateLimitErrors(obj(settings.rateLimits)),
    trustedProxy: group({
      headers: settings.trustedProxy !== undefined && !Array.isArray(obj(settings.trustedProxy).headers) ? ozzo.required() : null,
    }),
    graphql: graphqlErrors(obj(settings.graphql)),
    cache: group({
      maxEntries: obj(settings.cache).maxEntries === undefined || (Number.isInteger(obj(settings.cache).maxEntries) && num(obj(settings.cache).maxEntries) >= 1) ? null : ozzo.min(1),
    }),
    superuserIPs: Array.isArray(settings.superuserIPs) || settings.superuserIPs === undefined ? null : ozzo.match(),
    webhooks: webhookSettingsErrors(settings.webhooks),
  });
  if (data) throw errors.badRequest('An error occurred while submitting the form.', data);
}

/** The write-only settings: accepted by PATCH, never sent back (PocketBase omits them). */
export const SECRET_SETTING_PATHS: ReadonlyArray<readonly string[]> = [['smtp', 'password'], ['s3', 'secret'], ['backups', 's3', 'secret']];

/** A deep copy of `settings` without its secrets. */
export function redactSettings(settings: Settings): Settings {
  const out = structuredClone(settings);
  for (const path of SECRET_SETTING_PATHS) {
    let node: unknown = out;
    for (const key of path.slice(0, -1)) node = node && typeof node === 'object' ? (node as Obj)[key] : undefined;
    if (node && typeof node === 'object') delete (node as Obj)[path[path.length - 1] ?? ''];
  }
  return out;
}
