import { redactUrl } from '../../store/open-db.js';
import { parseCommandArgs } from '../args.js';
import { defaultHooksDir } from '../hooks-wiring.js';
import { startServer } from '../start-server.js';
import type { Command } from './command.js';
import { releaseYoungGeneration } from '../young-generation.js';

const HELP = `Usage: plinth serve [--http=127.0.0.1:8090] [--dir=./pb_data] [--db=postgres://…|mysql://…] [--hooksDir=./plinth_hooks]

Starts the web server. Creates the data directory, and the database's tables on first start.

Flags:
  --http string   address to listen on (default "127.0.0.1:8090")
  --dir string    the data directory: local files and state, and the SQLite database when
                  there is no --db (default "./pb_data")
  --db string     PostgreSQL or MySQL/MariaDB URL, e.g. postgres://user:pass@host:5432/plinth
                  (default: $PLINTH_DATABASE_URL, else SQLite in --dir)
  --hooksDir string
                  the TypeScript/JavaScript hooks folder (default: plinth_hooks beside --dir)
  --dev           log every request, and reload hook files when they change
  -h, --help      show this help`;

export const serveCommand: Command = {
  summary: 'Starts the web server (default 127.0.0.1:8090)',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      http: { type: 'string', default: '127.0.0.1:8090' },
      dir: { type: 'string', default: 'pb_data' },
      db: { type: 'string' },
      dev: { type: 'boolean', default: false },
      hooksDir: { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const server = await startServer({
      dataDir: values.dir, db: values.db, http: values.http, logger: values.dev,
      hooksDir: values.hooksDir ?? defaultHooksDir(values.dir), hooksWatch: values.dev,
    });
    releaseYoungGeneration();
    const url = values.db ?? process.env.PLINTH_DATABASE_URL;
    const store = url ? `${redactUrl(url)} (files in ${values.dir})` : values.dir;
    console.log(`Plinth ${server.app.version} serving ${store} at ${server.url}\n  REST API: ${server.url}/api/`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
