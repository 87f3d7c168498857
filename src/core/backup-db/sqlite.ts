import type { Command } from '../../lib/command.js';

/** sqlite3 dot-command argument: single-quoted; refuses characters the dot-command parser cannot carry. */
function dotArg(path: string): string {
  if (/['\r\n\0]/.test(path))
    throw new Error(`sqlite path must not contain quotes or line breaks: ${JSON.stringify(path)}`);
  return `'${path}'`;
}

/** sqlite3 has no `--`: a relative path starting with `-` is made `./-…` so it is never read as an option. */
function dbArg(path: string): string {
  return path.startsWith('-') ? `./${path}` : path;
}

/**
 * Online-consistent copy with the SQLite backup API (`.backup`), safe while the app writes: never a
 * plain file copy, which can catch a half-written page or miss the WAL.
 */
export function sqliteBackupCommand(dbPath: string, outPath: string, bin = 'sqlite3'): Command {
  return {
    argv: [bin, '-bail', '-readonly', dbArg(dbPath), `.backup main ${dotArg(outPath)}`],
    label: 'sqlite3 .backup',
  };
}

/** Integrity check of a backup file (verify: list); prints `ok` when sound. */
export function sqliteIntegrityCommand(path: string, bin = 'sqlite3'): Command {
  return {
    argv: [bin, '-bail', '-readonly', dbArg(path), 'PRAGMA integrity_check;'],
    label: 'sqlite3 integrity_check',
  };
}
