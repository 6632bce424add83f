import { UsageError } from './args.js';
import { COMMANDS } from './commands/index.js';
import { VERSION } from './version.js';
import { releaseYoungGeneration } from './young-generation.js';

function rootHelp(): string {
  const lines = Object.entries(COMMANDS).map(([name, cmd]) => `  ${name.padEnd(12)}${cmd.summary}`);
  return [
    'Plinth: a backend in a box, speaking PocketBase\'s Web API.',
    '',
    'Usage: plinth <command> [flags]',
    '',
    'Commands:',
    ...lines,
    '',
    'Flags:',
    '  -h, --help     show help (also after a command)',
    '  -v, --version  print the version',
  ].join('\n');
}

/** Runs the CLI; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    console.log(rootHelp());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v' || name === 'version') {
    console.log(`plinth ${VERSION}`);
    return 0;
  }
  // own keys only: "toString" or "constructor" are unknown commands, not Object.prototype members
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name as keyof typeof COMMANDS] : undefined;
  if (!command) {
    console.error(`plinth: unknown command "${name}"\n\n${rootHelp()}`);
    return 2;
  }
  // `serve` releases it once it listens; the other commands do their work right away
  if (command !== COMMANDS.serve) releaseYoungGeneration();
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      console.error(`plinth ${name}: ${err.message}\nRun "plinth ${name} --help" for usage.`);
      return 2;
    }
    console.error(`plinth ${name}: ${(err as Error).message}`);
    return 1;
  }
}
