import {
  domainListFieldShape,
  validateDomainListValue,
  validateDomainLists,
  type DomainListFieldModel,
  type DomainValueCheck,
} from './domain-lists.js';
import { runeLength } from './cast.js';
import { optionErrors, plainTextColumn, validateCommonOptions } from './field-common.js';
import { err } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface UrlFieldModel extends DomainListFieldModel {
  type: 'url';
}

const shape = domainListFieldShape<UrlFieldModel>('url');

// After govalidator's IsURL (ozzo's is.URL): an optional scheme among the ones it knows, optional
// user info, a host (IPv4, [IPv6], or dot-separated labels), an optional port, then path/query/
// fragment without spaces. A scheme-less value is accepted when it looks like a host ("example.com").
const U = '\\u00A1-\\uFFFF';
const IPV4 = '(?:(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(?:25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)';
const IPV6 = '\\[[0-9a-fA-F:.]+\\]';
const HOST_LABEL = `(?:[a-zA-Z0-9${U}](?:[a-zA-Z0-9${U}_-]*[a-zA-Z0-9${U}])?)`;
const HOST = `(?:${IPV4}|${IPV6}|(?:${HOST_LABEL}\\.)*${HOST_LABEL})\\.?`;
const URL_RE = new RegExp(`^(?:(?:ftp|tcp|udp|wss?|https?)://)?(?:\\S+(?::\\S*)?@)?${HOST}(?::\\d{1,5})?(?:[/?#]\\S*)?$`);

/** URL syntax as PocketBase checks it. */
export function isUrl(value: string): boolean {
  const length = runeLength(value);
  if (length <= 3 || length >= 2083 || value.startsWith('.')) return false;
  const schemeMatch = /^([a-zA-Z][a-zA-Z0-9+.-]*):\/\//.exec(value);
  if (!schemeMatch && !value.includes(':')) {
    // no scheme and no port: "test" (a bare path) is not a URL, "example.com" is
    const host = value.split(/[/?#]/, 1)[0] ?? '';
    if (host === '' || !host.includes('.')) return false;
  }
  const host = urlHost(value);
  if (host.startsWith('.')) return false;
  return URL_RE.test(value);
}

/** The host (with port) as Go's url.Parse reports it; "" for scheme-less values. */
export function urlHost(value: string): string {
  const m = /^[a-zA-Z][a-zA-Z0-9+.-]*:\/\/(?:[^@/?#]*@)?([^/?#]*)/.exec(value);
  return m?.[1] ?? '';
}

const urlValueCheck: DomainValueCheck = {
  syntaxError: (value) => (isUrl(value) ? null : err('validation_invalid_url', 'Must be a valid url.')),
  domainOf: (value) => urlHost(value),
  notAllowed: () => err('validation_url_domain_not_allowed', 'Url domain is not allowed.'),
};

export const urlField: FieldType<UrlFieldModel, string> = {
  type: 'url',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) => optionErrors(validateCommonOptions(field), validateDomainLists(field)),

  ...plainTextColumn,

  validateValue: (value, field) => validateDomainListValue(value, field, urlValueCheck),
};
