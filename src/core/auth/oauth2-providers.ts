import { createHash, randomInt } from 'node:crypto';
import type { OAuth2ProviderConfig } from './auth-options.js';
import type { ResolvedOAuth2Provider } from './oauth2-client.js';
import { PROVIDER_LOGOS } from './oauth2-provider-logos.js';

/** What Plinth knows about an OAuth2 provider before it is configured. */
export interface OAuth2ProviderPreset {
  name: string;
  displayName: string;
  /** Empty for providers whose URLs come from the configuration (generic OIDC). */
  authURL: string;
  scopes: string[];
  pkce: boolean;
  /** Extra authorization URL parameters (Apple needs `response_mode=form_post`). */
  authParams?: Record<string, string>;
  /** The token endpoint (empty: from the configuration). */
  tokenURL: string;
  /** The user info endpoint (empty: from the configuration, or none for ID-token providers). */
  userInfoURL: string;
  /** ID-token providers (Apple): the issuer the token must come from. */
  idTokenIssuer?: string;
}

/** Token and user info endpoints of the presets (the authorization URL is in the table below). */
const ENDPOINTS: Record<string, [tokenURL: string, userInfoURL: string, idTokenIssuer?: string]> = {
  apple: ['https://appleid.apple.com/auth/token', '', 'https://appleid.apple.com'],
  bitbucket: ['https://bitbucket.org/site/oauth2/access_token', 'https://api.bitbucket.org/2.0/user'],
  discord: ['https://discord.com/api/oauth2/token', 'https://discord.com/api/users/@me'],
  facebook: ['https://graph.facebook.com/v3.2/oauth/access_token', 'https://graph.facebook.com/me?fields=name,email,picture.type(large)'],
  gitea: ['https://gitea.com/login/oauth/access_token', 'https://gitea.com/api/v1/user'],
  github: ['https://github.com/login/oauth/access_token', 'https://api.github.com/user'],
  gitlab: ['https://gitlab.com/oauth/token', 'https://gitlab.com/api/v4/user'],
  google: ['https://oauth2.googleapis.com/token', 'https://www.googleapis.com/oauth2/v1/userinfo'],
  microsoft: ['https://login.microsoftonline.com/common/oauth2/v2.0/token', 'https://graph.microsoft.com/v1.0/me'],
  patreon: ['https://www.patreon.com/api/oauth2/token', 'https://www.patreon.com/api/oauth2/v2/identity'],
  spotify: ['https://accounts.spotify.com/api/token', 'https://api.spotify.com/v1/me'],
  strava: ['https://www.strava.com/api/v3/oauth/token', 'https://www.strava.com/api/v3/athlete'],
  twitch: ['https://id.twitch.tv/oauth2/token', 'https://api.twitch.tv/helix/users'],
  twitter: ['https://api.twitter.com/2/oauth2/token', 'https://api.twitter.com/2/users/me'],
  yandex: ['https://oauth.yandex.com/token', 'https://login.yandex.ru/info'],
};

const p = (name: string, displayName: string, authURL: string, scopes: string[], pkce = true,
  authParams?: Record<string, string>): OAuth2ProviderPreset => {
  const [tokenURL = '', userInfoURL = '', idTokenIssuer] = ENDPOINTS[name] ?? [];
  return { name, displayName, authURL, scopes, pkce, authParams, tokenURL, userInfoURL, idTokenIssuer };
};

const OIDC_SCOPES = ['openid', 'email', 'profile'];

/** The preset table, sorted by name. */
export const OAUTH2_PROVIDER_PRESETS: readonly OAuth2ProviderPreset[] = [
  p('apple', 'Apple', 'https://appleid.apple.com/auth/authorize', ['name', 'email'], true, { response_mode: 'form_post' }),
  p('bitbucket', 'Bitbucket', 'https://bitbucket.org/site/oauth2/authorize', ['account'], false),
  p('discord', 'Discord', 'https://discord.com/api/oauth2/authorize', ['identify', 'email']),
  p('facebook', 'Facebook', 'https://www.facebook.com/v3.2/dialog/oauth', ['email']),
  p('gitea', 'Gitea', 'https://gitea.com/login/oauth/authorize', ['read:user', 'user:email']),
  p('github', 'GitHub', 'https://github.com/login/oauth/authorize', ['read:user', 'user:email']),
  p('gitlab', 'GitLab', 'https://gitlab.com/oauth/authorize', ['read_user']),
  p('google', 'Google', 'https://accounts.google.com/o/oauth2/v2/auth', [
    'https://www.googleapis.com/auth/userinfo.profile',
    'https://www.googleapis.com/auth/userinfo.email',
  ]),
  p('microsoft', 'Microsoft', 'https://login.microsoftonline.com/common/oauth2/v2.0/authorize', ['User.Read']),
  p('oidc', 'OIDC', '', OIDC_SCOPES),
  p('oidc2', 'OIDC', '', OIDC_SCOPES),
  p('oidc3', 'OIDC', '', OIDC_SCOPES),
  p('patreon', 'Patreon', 'https://www.patreon.com/oauth2/authorize', ['identity', 'identity[email]']),
  p('spotify', 'Spotify', 'https://accounts.spotify.com/authorize', ['user-read-private', 'user-read-email']),
  p('strava', 'Strava', 'https://www.strava.com/oauth/authorize', ['profile:read_all']),
  p('twitch', 'Twitch', 'https://id.twitch.tv/oauth2/authorize', ['user:read:email']),
  p('twitter', 'Twitter', 'https://twitter.com/i/oauth2/authorize', ['users.read', 'tweet.read']),
  p('yandex', 'Yandex', 'https://oauth.yandex.com/authorize', ['login:email', 'login:avatar', 'login:info']),
];

const BY_NAME = new Map(OAUTH2_PROVIDER_PRESETS.map((preset) => [preset.name, preset]));

/** Finds a preset by its name (`google`, `oidc2`…). */
function findProviderPreset(name: string): OAuth2ProviderPreset | undefined {
  return BY_NAME.get(name);
}

/** The logo of a provider as an inline SVG string, or `""`. */
function providerLogo(name: string): string {
  return PROVIDER_LOGOS[name] ?? '';
}

/** `GET /api/collections/meta/oauth2-providers`: every preset as `{name, displayName, logo}`. */
export function listProviderInfo(): Array<{ name: string; displayName: string; logo: string }> {
  return OAUTH2_PROVIDER_PRESETS.map((preset) => ({
    name: preset.name,
    displayName: preset.displayName,
    logo: providerLogo(preset.name),
  }));
}

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** A cryptographically random `[A-Za-z0-9]` string (PocketBase's `security.RandomString`). */
export function randomString(length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += ALPHANUMERIC[randomInt(ALPHANUMERIC.length)];
  return out;
}

/** The PKCE S256 challenge of a code verifier: base64url(sha256(verifier)) without padding. */
function s256Challenge(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** One provider entry of the `auth-methods` answer, with PocketBase's key order. */
export interface AuthProviderInfo {
  name: string;
  displayName: string;
  logo: string;
  state: string;
  authURL: string;
  /** Legacy (v0.22) alias of authURL. */
  authUrl: string;
  codeVerifier: string;
  codeChallenge: string;
  codeChallengeMethod: string;
}

/**
 * Builds the sign-in start data of a configured provider: a fresh state, PKCE values when the
 * provider uses PKCE, and the authorization URL ending in an empty `redirect_uri=` for the
 * client to complete. Returns null for an unknown provider (PocketBase skips those).
 */
export function buildProviderInfo(config: OAuth2ProviderConfig): AuthProviderInfo | null {
  const preset = findProviderPreset(config.name);
  if (!preset) return null;
  const authURL = config.authURL || preset.authURL;
  const pkce = config.pkce ?? preset.pkce;
  const state = randomString(30);
  const params: Record<string, string> = { client_id: config.clientId, response_type: 'code', state };
  if (preset.scopes.length > 0) params.scope = preset.scopes.join(' ');
  Object.assign(params, preset.authParams);
  let codeVerifier = '';
  let codeChallenge = '';
  let codeChallengeMethod = '';
  if (pkce) {
    codeVerifier = randomString(43);
    codeChallenge = s256Challenge(codeVerifier);
    codeChallengeMethod = 'S256';
    params.code_challenge = codeChallenge;
    params.code_challenge_method = codeChallengeMethod;
  }
  // Go's url.Values.Encode sorts the keys; do the same so URLs compare equal.
  const query = new URLSearchParams(Object.entries(params).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))).toString();
  const url = `${authURL}${authURL.includes('?') ? '&' : '?'}${query}&redirect_uri=`;
  return {
    name: config.name,
    displayName: config.displayName || preset.displayName || config.name,
    logo: providerLogo(config.name),
    state,
    authURL: url,
    authUrl: url,
    codeVerifier,
    codeChallenge,
    codeChallengeMethod,
  };
}

/**
 * The provider a collection configured under `name`, with the preset's endpoints where the
 * configuration leaves them empty; null when it is not configured or not a known preset.
 */
export function resolveProvider(configs: readonly OAuth2ProviderConfig[], name: string): ResolvedOAuth2Provider | null {
  const config = configs.find((c) => c.name === name);
  const preset = config ? findProviderPreset(name) : undefined;
  if (!config || !preset) return null;
  return {
    name,
    clientId: config.clientId,
    clientSecret: config.clientSecret,
    authURL: config.authURL || preset.authURL,
    tokenURL: config.tokenURL || preset.tokenURL,
    userInfoURL: config.userInfoURL || preset.userInfoURL,
    pkce: config.pkce ?? preset.pkce,
    idTokenIssuer: preset.idTokenIssuer,
  };
}
