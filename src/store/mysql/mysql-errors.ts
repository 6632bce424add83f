import { dbUnavailable, DbUnavailableError, NETWORK_ERROR_REASONS } from '../db.js';

const REASONS: Record<string, string> = {
  ...NETWORK_ERROR_REASONS,
  PROTOCOL_CONNECTION_LOST: 'connection lost',
  ER_ACCESS_DENIED_ERROR: 'access denied (wrong user or password)',
  ER_ACCESS_DENIED_NO_PASSWORD_ERROR: 'access denied (wrong user or password)',
  ER_DBACCESS_DENIED_ERROR: 'access to the database denied',
  ER_BAD_DB_ERROR: 'database does not exist',
  ER_CON_COUNT_ERROR: 'too many connections',
};

/** Wraps a MySQL/MariaDB connection failure in DbUnavailableError; other errors pass unchanged. */
export function mysqlConnectError(err: unknown, target: string): unknown {
  if (err instanceof DbUnavailableError) return err;
  const e = err as { code?: string; message?: string };
  const reason = e?.code ? REASONS[e.code] : undefined;
  if (!reason) return err;
  const detail = e.code?.startsWith('ER_') && e.message ? `: ${e.message}` : '';
  return dbUnavailable('MySQL', target, reason, err, detail);
}
