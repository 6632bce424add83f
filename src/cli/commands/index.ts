import type { Command } from './command.js';
import { importCommand } from './import-command.js';
import { backupCommand } from './backup-command.js';
import { serveCommand } from './serve-command.js';
import { superuserCommand } from './superuser-command.js';

/** The registry of CLI commands. */
export const COMMANDS = {
  serve: serveCommand,
  import: importCommand,
  superuser: superuserCommand,
  backup: backupCommand,
} satisfies Record<string, Command>;
