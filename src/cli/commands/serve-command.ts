import { parseCommandArgs } from '../args.js';
import { startServer } from '../start-server.js';
import type { Command } from './command.js';

const HELP = `Usage: plinth serve [--http=127.0.0.1:8090] [--dir=./pb_data]

Starts the web server. Creates the data directory and its SQLite database on first start.

Flags:
  --http string   address to listen on (default "127.0.0.1:8090")
  --dir string    the data directory (default "./pb_data")
  --dev           log every request
  -h, --help      show this help`;

export const serveCommand: Command = {
  summary: 'Starts the web server (default 127.0.0.1:8090)',
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      http: { type: 'string', default: '127.0.0.1:8090' },
      dir: { type: 'string', default: 'pb_data' },
      dev: { type: 'boolean', default: false },
    });
    if (values.help) {
      console.log(HELP);
      return 0;
    }
    const server = await startServer({ dataDir: values.dir, http: values.http, logger: values.dev });
    console.log(`Plinth ${server.app.version} serving ${values.dir} at ${server.url}\n  REST API: ${server.url}/api/`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await server.close();
    return 0;
  },
};
