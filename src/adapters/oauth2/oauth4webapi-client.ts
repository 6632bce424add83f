import type * as Oauth from 'oauth4webapi';
import type { OAuth2Client, OAuth2Tokens, ResolvedOAuth2Provider } from '../../core/auth/oauth2-client.js';

const TIMEOUT_SECONDS = 30;

let loading: Promise<typeof Oauth> | null = null;

/** oauth4webapi is imported on the first OAuth2 sign-in, not at start-up. */
function loadOauth(): Promise<typeof Oauth> {
  loading ??= import('oauth4webapi').catch((err: unknown) => {
    loading = null;
    throw err;
  });
  return loading;
}

function isHttp(url: string): boolean {
  return url.startsWith('http://');
}

/**
 * The OAuth2/OIDC protocol work through `oauth4webapi` (panva): the authorization code grant with
 * PKCE, client_secret_post authentication, token response validation and, for ID-token providers
 * (Apple), ID token claim validation (issuer, audience, expiry). Plain `http://` endpoints are
 * allowed only when the configuration uses them (local development, tests).
 */
export class Oauth4webapiClient implements OAuth2Client {
  async exchangeCode(provider: ResolvedOAuth2Provider, code: string, codeVerifier: string, redirectURL: string): Promise<OAuth2Tokens> {
    const oauth = await loadOauth();
    const as: Oauth.AuthorizationServer = {
      issuer: provider.idTokenIssuer ?? new URL(provider.tokenURL).origin,
      token_endpoint: provider.tokenURL,
    };
    const client: Oauth.Client = { client_id: provider.clientId };
    const params = oauth.validateAuthResponse(as, client, new URLSearchParams({ code }), oauth.skipStateCheck);
    const options = {
      [oauth.allowInsecureRequests]: isHttp(provider.tokenURL),
      signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
    };
    let response = await oauth.authorizationCodeGrantRequest(
      as, client, oauth.ClientSecretPost(provider.clientSecret), params, redirectURL,
      provider.pkce && codeVerifier ? codeVerifier : oauth.nopkce, options,
    );
    if (!provider.idTokenIssuer) response = await withoutIdToken(response);
    const result = await oauth.processAuthorizationCodeResponse(as, client, response, {
      requireIdToken: Boolean(provider.idTokenIssuer),
    });
    const claims = provider.idTokenIssuer ? oauth.getValidatedIdTokenClaims(result) : undefined;
    return {
      accessToken: result.access_token,
      refreshToken: typeof result.refresh_token === 'string' ? result.refresh_token : '',
      expiresIn: typeof result.expires_in === 'number' ? result.expires_in : 0,
      idTokenClaims: claims ? { ...claims } : undefined,
    };
  }

  async fetchJson(url: string, accessToken: string): Promise<unknown> {
    const oauth = await loadOauth();
    const response = await oauth.protectedResourceRequest(accessToken, 'GET', new URL(url), new Headers({ accept: 'application/json' }), null, {
      [oauth.allowInsecureRequests]: isHttp(url),
      signal: AbortSignal.timeout(TIMEOUT_SECONDS * 1000),
    });
    if (!response.ok) throw new Error(`${url} answered ${response.status}`);
    return response.json();
  }
}

/**
 * Drops `id_token` from a token response of a provider whose user comes from its user info
 * endpoint (Google, GitHub, OIDC with userInfoURL…): their ID tokens are not used, and their issuer
 * is not configured, so they are not validated either.
 */
async function withoutIdToken(response: Response): Promise<Response> {
  if (!response.ok) return response;
  const text = await response.text();
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return new Response(text, { status: response.status, headers: response.headers });
  }
  if (body && typeof body === 'object' && 'id_token' in body) delete (body as Record<string, unknown>).id_token;
  const headers = new Headers(response.headers);
  headers.delete('content-length');
  return new Response(JSON.stringify(body), { status: response.status, headers });
}
