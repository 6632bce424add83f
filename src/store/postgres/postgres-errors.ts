/**
 * Turns driver errors about reaching the server into one clear line (no stack trace worth
 * reading): unreachable host, refused connection, bad credentials, missing database.
 */
export class DbUnavailableError extends Error {
  readonly code = 'db_unavailable';
  /** True when waiting may help (refused, timed out, server starting); false for bad credentials. */
  readonly transient: boolean;
  constructor(message: string, options?: { cause?: unknown; transient?: boolean }) {
    super(message, options);
    this.name = 'DbUnavailableError';
    this.transient = options?.transient ?? true;
  }
}

/** Reasons that waiting does not fix. */
export const PERMANENT_REASON = /authentication|authorization|access denied|does not exist|denied/;

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'host not found',
  EHOSTUNREACH: 'host unreachable',
  ETIMEDOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EAI_AGAIN: 'host name lookup failed',
};

/** PostgreSQL SQLSTATEs (class 28 and 3D) that mean "you cannot use this server". */
const PG_CODES: Record<string, string> = {
  '28P01': 'authentication failed (wrong user or password)',
  '28000': 'authorization rejected (check user and pg_hba.conf)',
  '3D000': 'database does not exist',
  '57P03': 'server is starting up or shutting down',
};

function describe(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code && NETWORK_CODES[e.code]) return NETWORK_CODES[e.code];
  if (e?.code && PG_CODES[e.code]) return `${PG_CODES[e.code]}: ${e.message ?? ''}`.trim();
  if (Array.isArray(e?.errors)) return e.errors.map(describe).find((d) => d !== undefined);
  if (/timeout exceeded when trying to connect|Connection terminated/i.test(e?.message ?? '')) return 'connection timed out';
  return undefined;
}

/** Wraps a connection failure in DbUnavailableError; any other error is returned unchanged. */
export function postgresConnectError(err: unknown, target: string): unknown {
  if (err instanceof DbUnavailableError) return err;
  const reason = describe(err);
  return reason
    ? new DbUnavailableError(`PostgreSQL at ${target} is not usable: ${reason}`, { cause: err, transient: !PERMANENT_REASON.test(reason) })
    : err;
}
