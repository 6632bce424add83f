import { dbUnavailable, DbUnavailableError, NETWORK_ERROR_REASONS } from '../db.js';

/** PostgreSQL SQLSTATEs (class 28 and 3D) that mean "you cannot use this server". */
const PG_CODES: Record<string, string> = {
  '28P01': 'authentication failed (wrong user or password)',
  '28000': 'authorization rejected (check user and pg_hba.conf)',
  '3D000': 'database does not exist',
  '57P01': 'the server shut the connection down (restart or shutdown)',
  '57P02': 'the server shut the connection down (crash)',
  '57P03': 'server is starting up or shutting down',
};

function describe(err: unknown): string | undefined {
  const e = err as { code?: string; message?: string; errors?: unknown[] };
  if (e?.code && NETWORK_ERROR_REASONS[e.code]) return NETWORK_ERROR_REASONS[e.code];
  if (e?.code && PG_CODES[e.code]) return `${PG_CODES[e.code]}: ${e.message ?? ''}`.trim();
  if (Array.isArray(e?.errors)) return e.errors.map(describe).find((d) => d !== undefined);
  if (/timeout exceeded when trying to connect/i.test(e?.message ?? '')) return 'connection timed out';
  // the server went away under an open connection (restart, crash, kill -9)
  if (/Connection terminated|not queryable|server closed the connection/i.test(e?.message ?? '')) return 'connection lost';
  return undefined;
}

/** Wraps a connection failure in DbUnavailableError; any other error is returned unchanged. */
export function postgresConnectError(err: unknown, target: string): unknown {
  if (err instanceof DbUnavailableError) return err;
  const reason = describe(err);
  return reason ? dbUnavailable('PostgreSQL', target, reason, err) : err;
}
