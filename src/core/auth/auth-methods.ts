import type { CollectionModel } from '../collections/collection-model.js';
import { readAuthOptions } from './auth-options.js';
import { buildProviderInfo, type AuthProviderInfo } from './oauth2-providers.js';

/** The `auth-methods` answer, key order as PocketBase writes it (legacy v0.22 keys included). */
export interface AuthMethods {
  password: { identityFields: string[]; enabled: boolean };
  oauth2: { providers: AuthProviderInfo[]; enabled: boolean };
  mfa: { enabled: boolean; duration: number };
  otp: { enabled: boolean; duration: number };
  authProviders: AuthProviderInfo[] | null;
  usernamePassword: boolean;
  emailPassword: boolean;
}

/**
 * Lists the sign-in methods of an auth collection. Durations and identity fields are reported
 * only for enabled methods; every configured, known OAuth2 provider gets a fresh state and PKCE
 * values.
 */
export function listAuthMethods(collection: CollectionModel): AuthMethods {
  const options = readAuthOptions(collection);
  const password = options.passwordAuth.enabled
    ? { identityFields: [...options.passwordAuth.identityFields], enabled: true }
    : { identityFields: [], enabled: false };
  const providers: AuthProviderInfo[] = [];
  if (options.oauth2.enabled) {
    for (const config of options.oauth2.providers) {
      const info = buildProviderInfo(config);
      if (info) providers.push(info);
    }
  }
  return {
    password,
    oauth2: { providers, enabled: options.oauth2.enabled },
    mfa: { enabled: options.mfa.enabled, duration: options.mfa.enabled ? options.mfa.duration : 0 },
    otp: { enabled: options.otp.enabled, duration: options.otp.enabled ? options.otp.duration : 0 },
    // legacy fields: the same providers without their logo
    authProviders: options.oauth2.enabled ? providers.map((info) => ({ ...info, logo: '' })) : null,
    usernamePassword: password.enabled && password.identityFields.includes('username'),
    emailPassword: password.enabled && password.identityFields.includes('email'),
  };
}
