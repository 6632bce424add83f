import {
  domainListFieldShape,
  validateDomainListValue,
  validateDomainLists,
  type DomainListFieldModel,
  type DomainValueCheck,
} from './domain-lists.js';
import { optionErrors, plainTextColumn, validateCommonOptions } from './field-common.js';
import { err, ozzo } from './field-errors.js';
import type { FieldType } from './field-type.js';

export interface EmailFieldModel extends DomainListFieldModel {
  type: 'email';
}

const shape = domainListFieldShape<EmailFieldModel>('email');

// The shape of govalidator's IsEmail (used by ozzo's is.EmailFormat): dot-atom local part
// (non-ASCII letters allowed) or a quoted one, and a domain of at least two labels whose last
// label starts and ends with a letter.
const ATEXT = "[a-zA-Z0-9!#$%&'*+\\-/=?^_`{|}~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]";
const LABEL = '[a-zA-Z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF](?:[a-zA-Z0-9\\-._~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]*[a-zA-Z0-9\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])?';
const TLD = '[a-zA-Z\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF](?:[a-zA-Z0-9\\-_~\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF]*[a-zA-Z\\u00A0-\\uD7FF\\uF900-\\uFDCF\\uFDF0-\\uFFEF])?';
const EMAIL = new RegExp(`^(?:${ATEXT}+(?:\\.${ATEXT}+)*|"[^"\\\\\\r\\n]*")@(?:${LABEL}\\.)+${TLD}\\.?$`);

/** Email syntax as PocketBase checks it (no DNS lookup). */
export function isEmail(value: string): boolean {
  return value.length <= 254 && EMAIL.test(value);
}

const emailValueCheck: DomainValueCheck = {
  syntaxError: (value) => (isEmail(value) ? null : ozzo.isEmail()),
  domainOf: (value) => value.slice(value.lastIndexOf('@') + 1),
  notAllowed: () => err('validation_email_domain_not_allowed', 'Email domain is not allowed.'),
};

export const emailField: FieldType<EmailFieldModel, string> = {
  type: 'email',
  ignoresInput: false,
  ...shape,

  validateOptions: (field) => optionErrors(validateCommonOptions(field), validateDomainLists(field)),

  // values are kept as submitted: PocketBase does not lower-case emails (auth lookups compare case-insensitively)
  ...plainTextColumn,

  validateValue: (value, field) => validateDomainListValue(value, field, emailValueCheck),
};
