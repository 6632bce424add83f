import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conformanceDir } from '../helpers/paths.js';

/** One request/response scenario extracted from PocketBase's `apis/*_test.go`. */
export interface Scenario {
  File: string;
  Func: string;
  Name: string;
  Method: string;
  URL: string;
  Body: string;
  Headers: Record<string, string>;
  Status: number;
  Expected: string[] | null;
  NotExpected: string[] | null;
  HasBefore: boolean;
  HasAfter: boolean;
  HasFactory: boolean;
  Dynamic: string[] | null;
}

/**
 * The upstream test files whose complete scenarios MUST all pass: a failure here fails the suite.
 * Scenarios of every other file still run and are counted, but only reported. Later issues add
 * their files here as the features land.
 */
export const REQUIRED_CONFORMANCE_FILES: readonly string[] = [
  'record_crud_test.go',
  'collection_test.go',
  'collection_import_test.go',
  'record_auth_with_password_test.go',
  'record_auth_refresh_test.go',
  'record_auth_methods_test.go',
  'record_auth_email_change_confirm_test.go',
  'record_auth_email_change_request_test.go',
  'record_auth_impersonate_test.go',
  'record_auth_otp_request_test.go',
  'record_auth_password_reset_confirm_test.go',
  'record_auth_password_reset_request_test.go',
  'record_auth_verification_confirm_test.go',
  'record_auth_verification_request_test.go',
  'record_auth_with_oauth2_test.go',
  'record_auth_with_otp_test.go',
  'health_test.go',
  'realtime_test.go',
  'file_test.go',
  'batch_test.go',
  'settings_test.go',
  'logs_test.go',
  'cron_test.go',
  'backup_test.go',
];

/**
 * Files required on SQLite only, with the reason they are not (yet) on the networked dialects.
 * The SQL console answers with the database's own column types and error texts, which PocketBase's
 * scenarios spell the SQLite way.
 */
export const REQUIRED_ON_SQLITE_ONLY: Readonly<Record<string, string>> = {
  'sql_test.go': 'the SQL console reports SQLite column types and error texts',
};

/** Whether every complete scenario of `file` must pass on `dialect`. */
export function isRequired(file: string, dialect: string): boolean {
  return REQUIRED_CONFORMANCE_FILES.includes(file) || (dialect === 'sqlite' && file in REQUIRED_ON_SQLITE_ONLY);
}

/** Loads every scenario from `../shared/pocketbase-conformance/scenarios.json`. */
export function loadScenarios(): Scenario[] {
  return JSON.parse(readFileSync(join(conformanceDir(), 'scenarios.json'), 'utf8')) as Scenario[];
}

/** A scenario is complete when upstream ran no Go setup or checks around it (288 of 696). */
export function isComplete(s: Scenario): boolean {
  return !s.HasBefore && !s.HasAfter && !s.HasFactory && !(s.Dynamic && s.Dynamic.length > 0);
}

/** Complete scenarios grouped by upstream file, required files first, then alphabetically. */
export function completeScenariosByFile(all: Scenario[] = loadScenarios()): Map<string, Scenario[]> {
  const byFile = new Map<string, Scenario[]>();
  for (const s of all.filter(isComplete)) {
    const list = byFile.get(s.File) ?? [];
    list.push(s);
    byFile.set(s.File, list);
  }
  const rank = (file: string) => (isRequired(file, 'sqlite') ? 0 : 1);
  return new Map([...byFile].sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b)));
}
