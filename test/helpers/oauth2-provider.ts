import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server } from 'node:http';

/** The account the next authorization signs in as, in the provider's own JSON shape. */
export type ProviderUser = Record<string, unknown>;

interface Grant {
  user: ProviderUser;
  emails?: unknown[];
  challenge: string;
  redirectUri: string;
}

/**
 * A small OAuth2 provider on a loopback port, enough for real code exchanges: `/authorize`
 * (auto-consent, redirects back with a code bound to the PKCE challenge), `/token` (checks the
 * client secret, redirect URI and `code_verifier`), `/userinfo` and `/userinfo/emails` (GitHub's
 * verified-emails list). Codes are single use.
 */
export interface TestOAuth2Provider {
  url: string;
  clientId: string;
  clientSecret: string;
  /** The user the next `/authorize` hands out. */
  nextUser: ProviderUser;
  nextEmails?: unknown[];
  /** Issues a code directly (skipping the browser leg) for `user`. */
  issueCode(user: ProviderUser, options?: { codeVerifier?: string; redirectUri?: string; emails?: unknown[] }): string;
  /** Token requests received, for assertions on the exchange. */
  tokenRequests: URLSearchParams[];
  close(): Promise<void>;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

export async function startOAuth2Provider(): Promise<TestOAuth2Provider> {
  const grants = new Map<string, Grant>();
  const tokens = new Map<string, Grant>();
  const tokenRequests: URLSearchParams[] = [];
  const provider: Omit<TestOAuth2Provider, 'url' | 'close'> = {
    clientId: 'plinth-client',
    clientSecret: 'plinth-secret',
    nextUser: {},
    tokenRequests,
    issueCode(user, options = {}) {
      const code = randomBytes(12).toString('hex');
      grants.set(code, {
        user, emails: options.emails,
        challenge: options.codeVerifier ? s256(options.codeVerifier) : '',
        redirectUri: options.redirectUri ?? 'https://app.test/callback',
      });
      return code;
    },
  };

  const server: Server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const json = (status: number, body: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(body));
      };
      if (url.pathname === '/authorize') {
        const redirectUri = url.searchParams.get('redirect_uri') ?? '';
        const code = randomBytes(12).toString('hex');
        grants.set(code, { user: provider.nextUser, emails: provider.nextEmails, challenge: url.searchParams.get('code_challenge') ?? '', redirectUri });
        const target = new URL(redirectUri);
        target.searchParams.set('code', code);
        target.searchParams.set('state', url.searchParams.get('state') ?? '');
        res.writeHead(302, { location: target.toString() });
        res.end();
        return;
      }
      if (url.pathname === '/token' && req.method === 'POST') {
        const form = new URLSearchParams(await readBody(req));
        tokenRequests.push(form);
        const grant = grants.get(form.get('code') ?? '');
        grants.delete(form.get('code') ?? '');
        const verifier = form.get('code_verifier') ?? '';
        const bad = !grant
          || form.get('client_id') !== provider.clientId || form.get('client_secret') !== provider.clientSecret
          || form.get('redirect_uri') !== grant.redirectUri
          || (grant.challenge !== '' && s256(verifier) !== grant.challenge);
        if (bad) return json(400, { error: 'invalid_grant' });
        const access = randomBytes(16).toString('hex');
        tokens.set(access, grant);
        return json(200, { access_token: access, token_type: 'Bearer', expires_in: 3600, refresh_token: 'refresh-' + access });
      }
      const bearer = (req.headers.authorization ?? '').replace(/^Bearer /i, '');
      const grant = tokens.get(bearer);
      if (url.pathname === '/userinfo') return grant ? json(200, grant.user) : json(401, { error: 'invalid_token' });
      if (url.pathname === '/userinfo/emails') return grant ? json(200, grant.emails ?? []) : json(401, { error: 'invalid_token' });
      json(404, { error: 'not_found' });
    })().catch(() => {
      res.writeHead(500);
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    ...provider,
    get nextUser() { return provider.nextUser; },
    set nextUser(user: ProviderUser) { provider.nextUser = user; },
    get nextEmails() { return provider.nextEmails; },
    set nextEmails(emails: unknown[] | undefined) { provider.nextEmails = emails; },
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}
