import type { OAuth2Client, OAuth2Tokens, OAuth2User, ResolvedOAuth2Provider } from './oauth2-client.js';

type Raw = Record<string, unknown>;

function s(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return '';
}

function obj(value: unknown): Raw {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Raw) : {};
}

/** `email_verified` comes as a boolean or as the string "true" (Apple). */
function isTrue(value: unknown): boolean {
  return value === true || value === 'true';
}

/** The provider's view of a user before tokens are attached. */
type Profile = Omit<OAuth2User, 'accessToken' | 'refreshToken' | 'expiry'>;

function oidcProfile(raw: Raw): Profile {
  return {
    id: s(raw.sub), name: s(raw.name), username: s(raw.preferred_username),
    email: isTrue(raw.email_verified) ? s(raw.email) : '', avatarURL: s(raw.picture), rawUser: raw,
  };
}

async function githubProfile(raw: Raw, client: OAuth2Client, provider: ResolvedOAuth2Provider, accessToken: string): Promise<Profile> {
  // GitHub's profile `email` is the public one, verified or not: ask the emails API for a verified one
  let email = '';
  try {
    const list = await client.fetchJson(`${provider.userInfoURL.replace(/\/+$/, '')}/emails`, accessToken);
    const emails = Array.isArray(list) ? list.map(obj) : [];
    const verified = emails.filter((e) => e.verified === true);
    email = s((verified.find((e) => e.primary === true) ?? verified[0])?.email);
  } catch {
    email = '';
  }
  return { id: s(raw.id), name: s(raw.name), username: s(raw.login), email, avatarURL: s(raw.avatar_url), rawUser: raw };
}

const PROFILES: Record<string, (raw: Raw) => Profile> = {
  google: (raw) => ({
    id: s(raw.id) || s(raw.sub), name: s(raw.name), username: '',
    email: isTrue(raw.verified_email) || isTrue(raw.email_verified) ? s(raw.email) : '',
    avatarURL: s(raw.picture), rawUser: raw,
  }),
  gitlab: (raw) => ({
    id: s(raw.id), name: s(raw.name), username: s(raw.username),
    // GitLab reports `confirmed_at` for the signed-in user's own (primary) address
    email: raw.confirmed_at ? s(raw.email) : '', avatarURL: s(raw.avatar_url), rawUser: raw,
  }),
  // Microsoft Graph's `mail` is whatever the tenant wrote there, never verified (the "nOAuth" class): not trusted
  microsoft: (raw) => ({ id: s(raw.id), name: s(raw.displayName), username: '', email: '', avatarURL: '', rawUser: raw }),
  discord: (raw) => ({
    id: s(raw.id), name: s(raw.global_name) || s(raw.username), username: s(raw.username),
    email: raw.verified === true ? s(raw.email) : '',
    avatarURL: raw.avatar ? `https://cdn.discordapp.com/avatars/${s(raw.id)}/${s(raw.avatar)}.png` : '', rawUser: raw,
  }),
  apple: (raw) => ({ id: s(raw.sub), name: '', username: '', email: isTrue(raw.email_verified) ? s(raw.email) : '', avatarURL: '', rawUser: raw }),
};

function genericProfile(raw: Raw): Profile {
  // providers without a documented verification flag: their email is never used to link accounts
  return { id: s(raw.id) || s(raw.sub), name: s(raw.name) || s(raw.login), username: s(raw.login) || s(raw.username), email: '', avatarURL: '', rawUser: raw };
}

function formatExpiry(expiresIn: number): string {
  if (!expiresIn) return '';
  return new Date(Date.now() + expiresIn * 1000).toISOString().replace('T', ' ');
}

/**
 * Reads the provider's user for the tokens: the ID token claims for ID-token providers, the user
 * info endpoint otherwise, mapped to PocketBase's `AuthUser`. `email` is set only when the
 * provider vouches for it (PocketBase CVE-2024-38351: an unverified address must never link).
 */
export async function fetchOAuth2User(client: OAuth2Client, provider: ResolvedOAuth2Provider, tokens: OAuth2Tokens): Promise<OAuth2User> {
  let profile: Profile;
  if (provider.idTokenIssuer) {
    profile = (PROFILES[provider.name] ?? oidcProfile)(tokens.idTokenClaims ?? {});
  } else {
    if (!provider.userInfoURL) throw new Error(`the ${provider.name} provider has no user info URL`);
    const raw = obj(await client.fetchJson(provider.userInfoURL, tokens.accessToken));
    if (provider.name === 'github') profile = await githubProfile(raw, client, provider, tokens.accessToken);
    else if (provider.name.startsWith('oidc')) profile = oidcProfile(raw);
    else profile = (PROFILES[provider.name] ?? genericProfile)(raw);
  }
  if (!profile.id) throw new Error(`the ${provider.name} user has no id`);
  return { ...profile, accessToken: tokens.accessToken, refreshToken: tokens.refreshToken, expiry: formatExpiry(tokens.expiresIn) };
}
