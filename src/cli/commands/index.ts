import type { Command } from './command.js';
import { serveCommand } from './serve-command.js';

/** The registry of CLI commands. */
export const COMMANDS = {
  serve: serveCommand,
} satisfies Record<string, Command>;
