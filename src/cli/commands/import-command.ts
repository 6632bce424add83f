import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { importStore } from '../../store/import/store-importer.js';
import { openDb, redactUrl } from '../../store/open-db.js';
import { parseCommandArgs, UsageError } from '../args.js';
import type { Command } from './command.js';

const HELP = `Usage: plinth import <data dir> --db=<postgres://…|mysql://…> [--force]

Copies a PocketBase (v0.23+) or Plinth data directory into PostgreSQL or MySQL/MariaDB:
collections, records (ids, password hashes and token keys, so existing sessions keep working),
system collections and settings. Files stay where they are: serve with --dir=<data dir>.

On PostgreSQL the import is one transaction. On MySQL/MariaDB (which commits DDL at once) an
interrupted import resumes when run again. A target that already holds collections is refused.

Flags:
  --db string   the target database URL (default: $PLINTH_DATABASE_URL)
  --force       import even if the target holds collections (its Plinth tables are dropped first)
  -h, --help    show this help`;

/** `plinth import <dir> --db=<url>`: PocketBase/Plinth data dir → PostgreSQL or MySQL. */
export const importCommand: Command = {
  summary: 'Copies a PocketBase or Plinth data dir into PostgreSQL or MySQL',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, {
      db: { type: 'string' },
      force: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [dir, ...extra] = positionals;
    if (!dir || extra.length > 0) throw new UsageError('expected exactly one data directory');
    const url = values.db ?? process.env.PLINTH_DATABASE_URL ?? '';
    if (url === '') throw new UsageError('--db is required (or set PLINTH_DATABASE_URL)');
    const file = join(dir, 'data.db');
    if (!existsSync(file)) throw new Error(`${file} not found: not a PocketBase or Plinth data directory`);
    const source = await openDb({ sqliteFile: file });
    try {
      const target = await openDb(url);
      try {
        const started = Date.now();
        let last = '';
        const report = await importStore(source, target, {
          force: values.force,
          onProgress: ({ collection, copied, total }) => {
            const line = `  ${collection}: ${copied}/${total}`;
            if (process.stdout.isTTY) process.stdout.write(`\r${line}${copied >= total ? '\n' : ''}`);
            else if (copied >= total && line !== last) console.log(line);
            last = line;
          },
        });
        for (const warning of report.warnings) console.error(`warning: ${warning}`);
        console.log(`Imported ${report.collections} collections and ${report.records} records into ${redactUrl(url)}`
          + `${report.resumed ? ' (resumed)' : ''} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
        return 0;
      } finally {
        await target.close();
      }
    } finally {
      await source.close();
    }
  },
};
