import type { Command } from './command.js';
import { serveCommand } from './serve-command.js';
import { superuserCommand } from './superuser-command.js';

/** The registry of CLI commands. */
export const COMMANDS = {
  serve: serveCommand,
  superuser: superuserCommand,
} satisfies Record<string, Command>;
