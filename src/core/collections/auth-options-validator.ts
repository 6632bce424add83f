import { fieldError, type ErrorData, type FieldError } from '../errors/plinth-error.js';
import type { CollectionModel } from './collection-model.js';
import { checkRuleValue, systemRuleChange, type ValidationContext } from './collection-validator.js';
import { REQUIRED, lengthError } from './field-validator.js';
import { TOKEN_OPTION_KEYS } from './auth-options.js';
import { findSingleColumnUniqueIndex } from './index-parser.js';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : {};
}

function minError(threshold: number): FieldError {
  return fieldError('validation_min_greater_equal_than_required', `Must be no less than ${threshold}.`, { threshold });
}

function maxError(threshold: number): FieldError {
  return fieldError('validation_max_less_equal_than_required', `Must be no greater than ${threshold}.`, { threshold });
}

function checkNumber(value: unknown, min: number, max?: number): FieldError | null {
  const n = typeof value === 'number' ? value : 0;
  if (n === 0) return REQUIRED;
  if (n < min) return minError(min);
  if (max !== undefined && n > max) return maxError(max);
  return null;
}

function checkTemplate(value: unknown): ErrorData | null {
  const t = obj(value);
  const errs: ErrorData = {};
  if (typeof t.subject !== 'string' || t.subject === '') errs.subject = REQUIRED;
  if (typeof t.body !== 'string' || t.body === '') errs.body = REQUIRED;
  return Object.keys(errs).length > 0 ? errs : null;
}

function checkToken(value: unknown): ErrorData | null {
  const t = obj(value);
  const errs: ErrorData = {};
  const secret = typeof t.secret === 'string' ? t.secret : '';
  if (secret === '') errs.secret = REQUIRED;
  else if (secret.length < 30 || secret.length > 255) errs.secret = lengthError(30, 255);
  const duration = checkNumber(t.duration, 10, 94670856);
  if (duration) errs.duration = duration;
  return Object.keys(errs).length > 0 ? errs : null;
}

/** Validates the options of an auth collection (PocketBase's `collectionAuthOptions.validate`). */
export function validateAuthOptions(c: CollectionModel, ctx: ValidationContext): ErrorData {
  const o = c.options;
  const orig = ctx.original?.options ?? {};
  const errs: ErrorData = {};
  const put = (key: string, err: FieldError | ErrorData | null) => {
    if (err) errs[key] = err;
  };

  put('authRule', checkRuleValue(o.authRule, c, ctx) ?? systemRuleChange(o.authRule, orig.authRule, ctx));
  if (o.manageRule === '') put('manageRule', fieldError('validation_nil_or_not_empty_required', 'Cannot be blank.'));
  else put('manageRule', checkRuleValue(o.manageRule, c, ctx) ?? systemRuleChange(o.manageRule, orig.manageRule, ctx));

  const alert = checkTemplate(obj(o.authAlert).emailTemplate);
  if (alert) put('authAlert', { emailTemplate: alert });

  const oauth2 = obj(o.oauth2);
  if (oauth2.enabled === true && Array.isArray(oauth2.providers)) {
    const seen = new Set<string>();
    for (const [i, p] of (oauth2.providers as unknown[]).entries()) {
      const name = String(obj(p).name ?? '');
      if (name !== '' && seen.has(name)) {
        put('oauth2', { providers: { [i]: { name: fieldError('validation_duplicated_provider', `The provider ${name} is already registered.`, { name }) } } });
        break;
      }
      seen.add(name);
    }
  }

  const otp = obj(o.otp);
  const otpErrs: ErrorData = {};
  if (otp.enabled === true) {
    const d = checkNumber(otp.duration, 10, 86400);
    if (d) otpErrs.duration = d;
    const l = checkNumber(otp.length, 4);
    if (l) otpErrs.length = l;
  }
  const otpTemplate = checkTemplate(otp.emailTemplate);
  if (otpTemplate) otpErrs.emailTemplate = otpTemplate;
  if (Object.keys(otpErrs).length > 0) put('otp', otpErrs);

  const mfa = obj(o.mfa);
  if (mfa.enabled === true) {
    const d = checkNumber(mfa.duration, 10, 86400);
    if (d) put('mfa', { duration: d });
  }

  const passwordAuth = obj(o.passwordAuth);
  const identityFields = Array.isArray(passwordAuth.identityFields) ? (passwordAuth.identityFields as unknown[]) : [];
  if (passwordAuth.enabled === true && identityFields.length === 0) put('passwordAuth', { identityFields: REQUIRED });

  for (const key of TOKEN_OPTION_KEYS) put(key, checkToken(o[key]));
  put('verificationTemplate', checkTemplate(o.verificationTemplate));
  put('resetPasswordTemplate', checkTemplate(o.resetPasswordTemplate));
  put('confirmEmailChangeTemplate', checkTemplate(o.confirmEmailChangeTemplate));
  if (Object.keys(errs).length > 0) return errs;

  if (mfa.enabled === true) {
    const enabled = [passwordAuth.enabled, oauth2.enabled, otp.enabled].filter((v) => v === true).length;
    if (enabled < 2) {
      return { mfa: { enabled: fieldError('validation_mfa_not_enough_auths', 'MFA requires at least 2 auth methods to be enabled.') } };
    }
    const ruleErr = checkRuleValue(mfa.rule, c, ctx) ?? systemRuleChange(mfa.rule, obj(orig.mfa).rule, ctx);
    if (typeof mfa.rule === 'string' && mfa.rule !== '' && ruleErr) return { mfa: { rule: ruleErr } };
  }

  if (passwordAuth.enabled === true) {
    for (const raw of identityFields) {
      const name = String(raw);
      if (!c.fields.some((f) => f.name === name)) {
        return { passwordAuth: { identityFields: fieldError('validation_missing_field', `Invalid or missing field ${name}`, { fieldName: name }) } };
      }
      if (!findSingleColumnUniqueIndex(c.indexes, name)) {
        return {
          passwordAuth: {
            identityFields: fieldError('validation_missing_unique_constraint', `The field ${name} doesn't have a UNIQUE constraint.`, { fieldName: name }),
          },
        };
      }
    }
  }
  return {};
}
