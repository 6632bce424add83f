import { randomString } from './collection-ids.js';

/** Auth collection option keys, in PocketBase's JSON order. */
export const AUTH_OPTION_KEYS = [
  'authRule', 'manageRule', 'authAlert', 'oauth2', 'passwordAuth', 'mfa', 'otp',
  'authToken', 'passwordResetToken', 'emailChangeToken', 'verificationToken', 'fileToken',
  'verificationTemplate', 'resetPasswordTemplate', 'confirmEmailChangeTemplate',
] as const;

/** The token configs of an auth collection; their `secret` is never served. */
export const TOKEN_OPTION_KEYS = ['authToken', 'passwordResetToken', 'emailChangeToken', 'verificationToken', 'fileToken'] as const;

const THANKS = '<p>\n  Thanks,<br/>\n  {APP_NAME} team\n</p>';

export const DEFAULT_TEMPLATES = {
  authAlert: {
    subject: 'Login from a new location',
    body: "<p>Hello,</p>\n<p>We noticed a login to your {APP_NAME} account from a new location:</p>\n<p><em>{ALERT_INFO}</em></p>\n<p><strong>If this wasn't you, you should immediately change your {APP_NAME} account password to revoke access from all other locations.</strong></p>\n<p>If this was you, you may disregard this email.</p>\n" + THANKS,
  },
  otp: {
    subject: 'OTP for {APP_NAME}',
    body: "<p>Hello,</p>\n<p>Your one-time password is: <strong>{OTP}</strong></p>\n<p><i>If you didn't ask for the one-time password, you can ignore this email.</i></p>\n" + THANKS,
  },
  verification: {
    subject: 'Verify your {APP_NAME} email',
    body: '<p>Hello,</p>\n<p>Thank you for joining us at {APP_NAME}.</p>\n<p>Click on the button below to verify your email address.</p>\n<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-verification/{TOKEN}" target="_blank" rel="noopener">Verify</a>\n</p>\n' + THANKS,
  },
  resetPassword: {
    subject: 'Reset your {APP_NAME} password',
    body: '<p>Hello,</p>\n<p>Click on the button below to reset your password.</p>\n<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-password-reset/{TOKEN}" target="_blank" rel="noopener">Reset password</a>\n</p>\n<p><i>If you didn\'t ask to reset your password, you can ignore this email.</i></p>\n' + THANKS,
  },
  confirmEmailChange: {
    subject: 'Confirm your {APP_NAME} new email address',
    body: '<p>Hello,</p>\n<p>Click on the button below to confirm your new email address.</p>\n<p>\n  <a class="btn" href="{APP_URL}/_/#/auth/confirm-email-change/{TOKEN}" target="_blank" rel="noopener">Confirm new email</a>\n</p>\n<p><i>If you didn\'t ask to change your email address, you can ignore this email.</i></p>\n' + THANKS,
  },
} as const;

/** A fresh 50-character token secret. */
export function newSecret(): string {
  return randomString(50);
}

/** PocketBase's default auth options, with fresh random secrets. */
export function defaultAuthOptions(): Record<string, unknown> {
  return {
    authRule: '',
    manageRule: null,
    authAlert: { enabled: true, emailTemplate: { ...DEFAULT_TEMPLATES.authAlert } },
    oauth2: { providers: [], mappedFields: { id: '', name: '', username: '', avatarURL: '' }, enabled: false },
    passwordAuth: { enabled: true, identityFields: ['email'] },
    mfa: { enabled: false, duration: 1800, rule: '' },
    otp: { enabled: false, duration: 180, length: 8, emailTemplate: { ...DEFAULT_TEMPLATES.otp } },
    authToken: { secret: newSecret(), duration: 604800 },
    passwordResetToken: { secret: newSecret(), duration: 1800 },
    emailChangeToken: { secret: newSecret(), duration: 1800 },
    verificationToken: { secret: newSecret(), duration: 259200 },
    fileToken: { secret: newSecret(), duration: 180 },
    verificationTemplate: { ...DEFAULT_TEMPLATES.verification },
    resetPasswordTemplate: { ...DEFAULT_TEMPLATES.resetPassword },
    confirmEmailChangeTemplate: { ...DEFAULT_TEMPLATES.confirmEmailChange },
  };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Merges `patch` on top of `base` the way Go's JSON decoding does on a struct: nested objects
 * merge key by key, arrays and scalars replace. Returns a new object.
 */
export function deepMerge(base: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(patch)) {
    // a parsed `"__proto__"` key would, assigned, replace the merged object's prototype
    if (key === '__proto__') continue;
    const current = out[key];
    out[key] = isPlainObject(current) && isPlainObject(value) ? deepMerge(current, value) : structuredClone(value);
  }
  return out;
}

/**
 * Auth options of a collection: the defaults, then the stored/current ones, then the submitted
 * ones. Only known keys are kept, in PocketBase's order.
 */
export function mergeAuthOptions(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = deepMerge(current, pickAuthOptions(patch));
  const out: Record<string, unknown> = {};
  for (const key of AUTH_OPTION_KEYS) if (key in merged) out[key] = merged[key];
  return out;
}

/** The known auth option keys of `data`. */
export function pickAuthOptions(data: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of AUTH_OPTION_KEYS) if (key in data) out[key] = data[key];
  return out;
}

/** A copy of auth options without any secret, as the API serves them. */
export function redactAuthOptions(options: Record<string, unknown>): Record<string, unknown> {
  const out = structuredClone(options);
  for (const key of TOKEN_OPTION_KEYS) {
    const token = out[key];
    if (isPlainObject(token)) delete token.secret;
  }
  const oauth2 = out.oauth2;
  if (isPlainObject(oauth2)) {
    if (!Array.isArray(oauth2.providers)) oauth2.providers = [];
    for (const provider of oauth2.providers as unknown[]) if (isPlainObject(provider)) delete provider.clientSecret;
  }
  return out;
}
