import type { CollectionModel } from '../collections/collection-model.js';

/** One configured OAuth2 provider of an auth collection (`oauth2.providers[]` in PocketBase). */
export interface OAuth2ProviderConfig {
  name: string;
  clientId: string;
  clientSecret: string;
  authURL: string;
  tokenURL: string;
  userInfoURL: string;
  displayName: string;
  /** `null` keeps the provider's default. */
  pkce: boolean | null;
  extra: Record<string, unknown> | null;
}

/** The auth options of an auth collection, read from `collection.options` with PocketBase's defaults. */
export interface AuthOptions {
  authRule: string | null;
  manageRule: string | null;
  passwordAuth: { enabled: boolean; identityFields: string[] };
  authToken: { secret: string; duration: number };
  mfa: { enabled: boolean; duration: number; rule: string };
  otp: { enabled: boolean; duration: number; length: number };
  oauth2: { enabled: boolean; providers: OAuth2ProviderConfig[]; mappedFields: OAuth2MappedFields };
  /** Whether a sign-in from a new location sends the alert mail (and records `_authOrigins`). */
  authAlert: boolean;
}

/** Which record fields receive the provider's user data on an OAuth2 sign-up. */
export interface OAuth2MappedFields {
  id: string;
  name: string;
  username: string;
  avatarURL: string;
}

function obj(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function str(value: unknown, fallback = ''): string {
  return typeof value === 'string' ? value : fallback;
}

function num(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) ? value : fallback;
}

function ruleOf(options: Record<string, unknown>, key: string, fallback: string | null): string | null {
  if (!(key in options)) return fallback;
  const value = options[key];
  return typeof value === 'string' ? value : null;
}

function providerOf(value: unknown): OAuth2ProviderConfig {
  const p = obj(value);
  return {
    name: str(p.name),
    clientId: str(p.clientId),
    clientSecret: str(p.clientSecret),
    authURL: str(p.authURL),
    tokenURL: str(p.tokenURL),
    userInfoURL: str(p.userInfoURL),
    displayName: str(p.displayName),
    pkce: typeof p.pkce === 'boolean' ? p.pkce : null,
    extra: p.extra && typeof p.extra === 'object' ? (p.extra as Record<string, unknown>) : null,
  };
}

/** Whether the collection is an auth collection (the only kind that issues tokens). */
export function isAuthCollection(collection: CollectionModel | undefined): collection is CollectionModel {
  return collection?.type === 'auth';
}

/**
 * Reads the auth options of a collection. Missing values take PocketBase's defaults for a new auth
 * collection (token duration 14 days for users, MFA 30 min, OTP 3 min); a missing secret stays empty,
 * which makes token signing fail rather than sign with a guessable key.
 */
export function readAuthOptions(collection: CollectionModel): AuthOptions {
  const o = collection.options;
  const passwordAuth = obj(o.passwordAuth);
  const authToken = obj(o.authToken);
  const mfa = obj(o.mfa);
  const otp = obj(o.otp);
  const oauth2 = obj(o.oauth2);
  const identityFields = Array.isArray(passwordAuth.identityFields)
    ? passwordAuth.identityFields.filter((f): f is string => typeof f === 'string')
    : ['email'];
  return {
    authRule: ruleOf(o, 'authRule', ''),
    manageRule: ruleOf(o, 'manageRule', null),
    passwordAuth: { enabled: passwordAuth.enabled === true, identityFields },
    authToken: { secret: str(authToken.secret), duration: num(authToken.duration, 1209600) },
    mfa: { enabled: mfa.enabled === true, duration: num(mfa.duration, 1800), rule: str(mfa.rule) },
    otp: { enabled: otp.enabled === true, duration: num(otp.duration, 180), length: num(otp.length, 8) },
    oauth2: {
      enabled: oauth2.enabled === true,
      providers: Array.isArray(oauth2.providers) ? oauth2.providers.map(providerOf) : [],
      mappedFields: {
        id: str(obj(oauth2.mappedFields).id),
        name: str(obj(oauth2.mappedFields).name),
        username: str(obj(oauth2.mappedFields).username),
        avatarURL: str(obj(oauth2.mappedFields).avatarURL),
      },
    },
    authAlert: obj(o.authAlert).enabled === true,
  };
}
