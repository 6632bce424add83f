import type { CollectionModel } from '../collections/collection-model.js';
import type { SchemaRegistry } from '../collections/schema-registry.js';
import { errors, type ErrorData } from '../errors/plinth-error.js';
import type { RecordAction } from '../events/record-events.js';
import { err, ozzo } from '../fields/field-errors.js';
import { WEBHOOK_EVENTS } from './webhook-model.js';
import { secretKey } from './webhook-signature.js';

/** The fields a create or update may set. */
export interface WebhookForm {
  name?: string;
  url?: string;
  collection?: CollectionModel;
  events?: RecordAction[];
  enabled?: boolean;
  secret?: string;
}

const MAX_URL = 2048;

/**
 * Reads and checks a webhook body; every field is optional when `partial` (PATCH). Throws a 400
 * with PocketBase-style field errors (`data.url.code = "validation_is_url"` …), never a 500.
 */
export function readWebhookForm(schema: SchemaRegistry, body: Record<string, unknown>, partial: boolean): WebhookForm {
  const data: ErrorData = {};
  const form: WebhookForm = {};
  const has = (key: string) => body[key] !== undefined;

  if (has('name')) {
    if (typeof body.name !== 'string') data.name = err('validation_invalid_string', 'must be a string');
    else if (body.name.length > 255) data.name = ozzo.lengthOutOfRange(0, 255);
    else form.name = body.name;
  }

  if (has('url') || !partial) {
    const url = body.url;
    if (url === undefined || url === null || url === '') data.url = ozzo.required();
    else if (typeof url !== 'string' || url.length > MAX_URL || !isHttpUrl(url)) data.url = err('validation_is_url', 'must be a valid http or https URL');
    else form.url = url;
  }

  if (has('collection') || !partial) {
    const ref = body.collection;
    const collection = typeof ref === 'string' && ref !== '' ? schema.find(ref) : undefined;
    if (ref === undefined || ref === null || ref === '') data.collection = ozzo.required();
    else if (!collection) data.collection = err('validation_missing_collection', 'the collection does not exist');
    else if (collection.type === 'view') data.collection = err('validation_view_collection', 'view collections have no writes to report');
    else form.collection = collection;
  }

  if (has('events') || !partial) {
    const events = body.events;
    if (events === undefined || events === null || (Array.isArray(events) && events.length === 0)) data.events = ozzo.required();
    else if (!Array.isArray(events) || events.some((e) => typeof e !== 'string' || !WEBHOOK_EVENTS.includes(e as RecordAction))) {
      data.events = err('validation_invalid_event', `must be a list of ${WEBHOOK_EVENTS.join(', ')}`);
    } else form.events = WEBHOOK_EVENTS.filter((e) => (events as string[]).includes(e));
  }

  if (has('enabled')) {
    if (typeof body.enabled !== 'boolean') data.enabled = err('validation_invalid_bool', 'must be a boolean');
    else form.enabled = body.enabled;
  }

  if (has('secret')) {
    const secretError = readSecret(body.secret);
    if (secretError) data.secret = secretError;
    else form.secret = body.secret as string;
  }

  if (Object.keys(data).length > 0) throw errors.validation(data);
  return form;
}

/** The error of a `secret` value (a `whsec_` secret of 24–64 bytes), or null. */
export function readSecret(value: unknown): ReturnType<typeof err> | null {
  if (typeof value !== 'string' || secretKey(value) === null) {
    return err('validation_invalid_secret', 'must be whsec_ followed by the base64 of 24 to 64 bytes');
  }
  return null;
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '' && url.username === '' && url.password === '';
  } catch {
    return false;
  }
}
