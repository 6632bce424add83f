import type { OAuth2ProviderConfig } from './auth-options.js';

/** A provider ready for the code exchange: the preset's endpoints overridden by the configuration. */
export interface ResolvedOAuth2Provider
  extends Pick<OAuth2ProviderConfig, 'name' | 'clientId' | 'clientSecret' | 'authURL' | 'tokenURL' | 'userInfoURL'> {
  pkce: boolean;
  /** Set for providers whose user comes from the ID token (Apple): its expected issuer. */
  idTokenIssuer?: string;
}

/** The token endpoint's answer. */
export interface OAuth2Tokens {
  accessToken: string;
  refreshToken: string;
  /** Seconds, 0 when unknown. */
  expiresIn: number;
  /** Validated ID token claims (issuer, audience, expiry), for ID-token providers only. */
  idTokenClaims?: Record<string, unknown>;
}

/**
 * The OAuth2/OIDC protocol port: the code exchange and bearer-token reads. Implemented with a
 * well-kept protocol library in src/adapters/oauth2; the core maps provider answers to users.
 * Both methods reject on any protocol or HTTP failure.
 */
export interface OAuth2Client {
  exchangeCode(provider: ResolvedOAuth2Provider, code: string, codeVerifier: string, redirectURL: string): Promise<OAuth2Tokens>;
  /** GETs a JSON resource with `Authorization: Bearer <accessToken>`. */
  fetchJson(url: string, accessToken: string): Promise<unknown>;
}

/** The user as a provider describes it (PocketBase's `auth.AuthUser`, plus `emailVerified`). */
export interface OAuth2User {
  id: string;
  name: string;
  username: string;
  /** Empty unless the provider says the address is verified (never trust an unverified one). */
  email: string;
  avatarURL: string;
  accessToken: string;
  refreshToken: string;
  /** `2006-01-02 15:04:05.000Z`, or "" */
  expiry: string;
  rawUser: Record<string, unknown>;
}
