import { describe, expect, it } from 'vitest';
import { parseIndex } from '../../src/core/collections/index-parser.js';
import type { ColumnKind } from '../../src/store/dialect.js';
import { requoteExpression } from '../../src/store/index-sql.js';
import { mysqlDialect } from '../../src/store/mysql/mysql-dialect.js';
import { postgresDialect } from '../../src/store/postgres/postgres-dialect.js';
import { sqliteDialect } from '../../src/store/sqlite/sqlite-dialect.js';

const columns = new Map<string, ColumnKind>([['id', 'text'], ['email', 'text'], ['tokenKey', 'text'], ['tags', 'json'], ['n', 'number']]);
const render = (dialect: typeof sqliteDialect, sql: string) => dialect.createIndexSql({ index: { ...parseIndex(sql), tableName: 'users' }, columns });

describe('collection indexes per dialect', () => {
  it('requotes identifiers and keeps string literals', () => {
    const q = (n: string) => `"${n}"`;
    expect(requoteExpression("`email` != '' AND tokenkey = 'email' AND lower(email) = x.email", columns.keys(), q))
      .toBe(`"email" != '' AND "tokenKey" = 'email' AND lower("email") = x.email`);
  });

  it.each([
    ['CREATE UNIQUE INDEX `idx_e` ON `users` (email) WHERE email != \'\'', {
      sqlite: ["CREATE UNIQUE INDEX `idx_e` ON `users` (`email`) WHERE email != ''"],
      postgres: [`CREATE UNIQUE INDEX "idx_e" ON "users" ("email") WHERE "email" != ''`],
      mysql: [
        "ALTER TABLE `users` ADD COLUMN `_pbidx_5ba5fd3d3ee9_0` LONGTEXT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin AS (CASE WHEN (`email` != '') THEN `email` END) VIRTUAL INVISIBLE",
        'CREATE UNIQUE INDEX `idx_e` ON `users` (`_pbidx_5ba5fd3d3ee9_0`(768))',
      ],
    }],
    ['CREATE INDEX idx_t ON users (tokenKey COLLATE NOCASE, n DESC, tags)', {
      sqlite: ['CREATE INDEX `idx_t` ON `users` (\n  `tokenKey` COLLATE NOCASE,\n  `n` DESC,\n  `tags`\n)'],
      postgres: ['CREATE INDEX "idx_t" ON "users" ((lower("tokenKey")), "n" DESC, (CAST("tags" AS TEXT)))'],
      mysql: ['CREATE INDEX `idx_t` ON `users` (`tokenKey`(384), `n` DESC, `tags`(384))'],
    }],
  ])('%s', (sql, expected) => {
    expect(render(sqliteDialect, sql)).toEqual(expected.sqlite);
    expect(render(postgresDialect, sql)).toEqual(expected.postgres);
    const mysql = render(mysqlDialect, sql);
    expect(mysql.length).toBe(expected.mysql.length);
    expect(mysql.map((s) => s.replace(/_pbidx_[0-9a-f]+_/g, '_pbidx_5ba5fd3d3ee9_'))).toEqual(expected.mysql);
  });

  it('names the helper columns of a partial unique index with the prefix that collection saves drop', () => {
    const statements = render(mysqlDialect, "CREATE UNIQUE INDEX idx_e ON users (email, n) WHERE email != ''");
    const helpers = statements.flatMap((s) => [...s.matchAll(/ADD COLUMN `([^`]+)`/g)].map((m) => m[1] ?? ''));
    expect(helpers).toHaveLength(2);
    expect(helpers.every((name) => name.startsWith(mysqlDialect.indexHelperPrefix ?? '\u0000'))).toBe(true);
    expect([sqliteDialect.indexHelperPrefix, postgresDialect.indexHelperPrefix]).toEqual([null, null]);
  });
});
