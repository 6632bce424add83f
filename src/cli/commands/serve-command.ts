import { FirstSuperuser } from '../../core/auth/first-superuser.js';
import { redactUrl } from '../../store/open-db.js';
import { parseCommandArgs } from '../args.js';
import { defaultHooksDir } from '../hooks-wiring.js';
import { startServer } from '../start-server.js';
import type { Command } from './command.js';
import { releaseYoungGeneration } from '../young-generation.js';

const HELP = `Usage: plinth serve [--http=127.0.0.1:8090] [--dir=./pb_data] [--db=postgres://…|mysql://…] [--redis=redis://…]
                   [--hooksDir=./plinth_hooks]

Starts the web server. Creates the data directory, and the database's tables on first start.

Flags:
  --http string   address to listen on (default "127.0.0.1:8090")
  --dir string    the data directory: local files and state, and the SQLite database when
                  there is no --db (default "./pb_data")
  --db string     PostgreSQL or MySQL/MariaDB URL, e.g. postgres://user:pass@host:5432/plinth
                  (default: $PLINTH_DATABASE_URL, else SQLite in --dir)
  --redis string  Redis URL, to run as one node of a cluster on the --db database: realtime,
                  collection and settings changes, rate limits and cron runs are shared
                  (default: $PLINTH_REDIS_URL; keys under $PLINTH_REDIS_PREFIX, default "plinth:")
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
      redis: { type: 'string' },
      dev: { type: 'boolean', default: false },
      hooksDir: { type: 'string' },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const url = values.db ?? process.env.PLINTH_DATABASE_URL;
    const redis = values.redis ?? process.env.PLINTH_REDIS_URL;
    if (redis && !url) {
      console.error('plinth serve: --redis joins a cluster, whose nodes share one PostgreSQL or MySQL database: give --db too');
      return 2;
    }
    const server = await startServer({
      dataDir: values.dir, db: values.db, redis, http: values.http, logger: values.dev,
      hooksDir: values.hooksDir ?? defaultHooksDir(values.dir), hooksWatch: values.dev,
    });
    releaseYoungGeneration();
    const store = url ? `${redactUrl(url)} (files in ${values.dir})` : values.dir;
    const node = server.app.cluster ? ` as cluster node ${server.app.cluster.nodeId} (Redis ${redactUrl(redis ?? '')})` : '';
    console.log(`Plinth ${server.app.version} serving ${store} at ${server.url}${node}\n  REST API: ${server.url}/api/\n  Admin UI: ${server.url}/_/`);
    const installToken = await new FirstSuperuser(server.app.schema, server.app.records).issueToken();
    if (installToken) {
      console.log(`\n(!) There is no superuser yet. Open this link (valid for 30 minutes) to create the first one:\n  ${server.url}/_/#/install/${installToken}\n  (or run: plinth superuser create EMAIL PASSWORD)`);
    }
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
