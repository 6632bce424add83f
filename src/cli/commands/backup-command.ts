import { PlinthError } from '../../core/errors/plinth-error.js';
import { UsageError, parseCommandArgs } from '../args.js';
import { createApp } from '../create-app.js';
import type { Command } from './command.js';

const HELP = `Usage: plinth backup <action> [NAME] [--dir=./pb_data]

Backs up or restores a SQLite data directory (PostgreSQL and MySQL databases are backed up with
their own tools: pg_dump, mysqldump).

Actions:
  create [NAME]    writes a zip of data.db, auxiliary.db and the local files to <dir>/backups
                   (NAME defaults to pb_backup_<app>_<timestamp>.zip); safe while a server writes
  list             lists the backups
  restore NAME     checks the backup, then swaps it in; run it with the server stopped
                   (a running server restores through POST /api/backups/NAME/restore)

Flags:
  --dir string   the data directory (default "./pb_data")
  -h, --help     show this help`;

/** `plinth backup create|list|restore`, with progress on stdout. */
export const backupCommand: Command = {
  summary: 'Creates, lists and restores backups of a SQLite data directory',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { dir: { type: 'string', default: 'pb_data' } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [action, name, ...extra] = positionals;
    if (!action || !['create', 'list', 'restore'].includes(action)) throw new UsageError('expected an action: create, list or restore');
    if (extra.length > 0 || (action === 'list' && name !== undefined)) throw new UsageError('too many arguments');
    if (action === 'restore' && !name) throw new UsageError('missing NAME argument');

    const app = await createApp({ dataDir: values.dir });
    let closed = false;
    try {
      const backups = app.ops.backups;
      switch (action) {
        case 'create': {
          const started = Date.now();
          const key = await backups.create(name ?? '');
          console.log(`Created backup ${key} in ${((Date.now() - started) / 1000).toFixed(1)} s.`);
          break;
        }
        case 'list':
          for (const b of await backups.list()) console.log(`${b.key}\t${b.size}\t${b.modified}`);
          break;
        default: {
          // the swap needs the databases closed: close the app, then let the service swap
          backups.restoreHandler = async (swap) => {
            await app.close();
            closed = true;
            return swap();
          };
          const { done } = await backups.restore(name ?? '');
          const report = await done;
          console.log(`Restored ${report.backup}: replaced ${report.restored.join(', ')}.`);
          console.log(`The previous data was moved to ${report.previousDataDir}.`);
        }
      }
      return 0;
    } catch (err) {
      if (err instanceof PlinthError && err.code !== 'internal') {
        console.error(`plinth backup ${action}: ${err.message}`);
        return 1;
      }
      throw err;
    } finally {
      if (!closed) await app.close();
    }
  },
};
