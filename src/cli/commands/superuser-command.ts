import { SuperuserAccounts, checkEmail, checkPassword } from '../../core/auth/superuser-accounts.js';
import { PlinthError } from '../../core/errors/plinth-error.js';
import { UsageError, parseCommandArgs } from '../args.js';
import { createApp } from '../create-app.js';
import type { Command } from './command.js';

const HELP = `Usage: plinth superuser <action> EMAIL [PASSWORD] [--dir=./pb_data] [--db=URL]

Manages superuser accounts of a data directory (or of the PostgreSQL/MySQL database in --db).

Actions:
  create EMAIL PASSWORD   creates a superuser (fails if the email is taken)
  update EMAIL PASSWORD   changes a superuser's password (fails if missing)
  upsert EMAIL PASSWORD   creates the superuser or changes its password
  delete EMAIL            deletes a superuser

Passwords need at least 8 characters. Changing a password signs the account out everywhere.

Flags:
  --dir string   the data directory (default "./pb_data")
  --db string    PostgreSQL or MySQL/MariaDB URL (default: $PLINTH_DATABASE_URL, else SQLite in --dir)
  -h, --help     show this help`;

const ACTIONS = new Set(['create', 'update', 'upsert', 'delete']);

function describe(err: PlinthError): string {
  const details = Object.entries(err.data)
    .map(([field, value]) => (typeof value.message === 'string' ? `${field}: ${value.message}` : field))
    .join('; ');
  return details && !err.message.includes(details) ? `${err.message} (${details})` : err.message;
}

/** `plinth superuser create|update|upsert|delete EMAIL [PASSWORD]`, like PocketBase's command. */
export const superuserCommand: Command = {
  summary: 'Manages superuser accounts (create, update, upsert, delete)',
  async run(argv) {
    const { values, positionals } = parseCommandArgs(argv, { dir: { type: 'string', default: 'pb_data' }, db: { type: 'string' } });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const [action, email, password, ...extra] = positionals;
    if (!action) throw new UsageError('missing action: expected create, update, upsert or delete');
    if (!ACTIONS.has(action)) throw new UsageError(`unknown action "${action}": expected create, update, upsert or delete`);
    if (!email) throw new UsageError('missing EMAIL argument');
    if (action === 'delete' && (password !== undefined || extra.length > 0)) throw new UsageError('delete takes only EMAIL');
    if (action !== 'delete' && password === undefined) throw new UsageError('missing PASSWORD argument');
    if (extra.length > 0) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);

    try {
      checkEmail(email);
      if (action !== 'delete') checkPassword(password ?? '');
    } catch (err) {
      console.error(`plinth superuser ${action}: ${describe(err as PlinthError)}`);
      return 1;
    }

    const app = await createApp({ dataDir: values.dir, db: values.db });
    try {
      const accounts = new SuperuserAccounts(app.schema, app.records);
      const pass = password ?? '';
      switch (action) {
        case 'create':
          await accounts.create(email, pass);
          console.log(`Successfully created new superuser "${email}"!`);
          break;
        case 'update':
          await accounts.update(email, pass);
          console.log(`Successfully changed superuser "${email}" password!`);
          break;
        case 'upsert': {
          const { change } = await accounts.upsert(email, pass);
          console.log(`Successfully saved superuser "${email}" (${change})!`);
          break;
        }
        default: {
          const change = await accounts.delete(email);
          console.log(change === 'missing'
            ? `Superuser "${email}" is missing or already deleted.`
            : `Successfully deleted superuser "${email}"!`);
        }
      }
      return 0;
    } catch (err) {
      if (err instanceof PlinthError && err.code !== 'internal') {
        console.error(`plinth superuser ${action}: ${describe(err)}`);
        return 1;
      }
      throw err;
    } finally {
      await app.close();
    }
  },
};
