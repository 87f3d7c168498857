import type { Command } from '../../lib/command.js';

/**
 * MongoDB: the connection string (with its password) goes into a 0600 YAML `--config` file that
 * mongodump/mongorestore read (`uri:` and `password:` keys), never argv.
 */
export function parseMongoUrl(url: string, inputName = 'database-url'): { uri: string; database: string } {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${inputName}: not a URL (expected mongodb://user:password@host:port/database)`);
  }
  if (u.protocol !== 'mongodb:' && u.protocol !== 'mongodb+srv:') {
    throw new Error(`${inputName}: scheme must be mongodb:// or mongodb+srv://, got ${u.protocol}//`);
  }
  if (!u.hostname) throw new Error(`${inputName}: no host`);
  return { uri: url, database: decodeURIComponent(u.pathname.replace(/^\//, '')) };
}

/** YAML config for `--config`: a double-quoted scalar with JSON escapes (valid YAML). */
export function mongoConfigFile(uri: string): string {
  if (/[\r\n]/.test(uri)) throw new Error('database-url must not contain a line break');
  return `uri: ${JSON.stringify(uri)}\n`;
}

/** `mongodump --archive` to stdout (streamed by the caller; compression is a separate process). */
export function mongoDumpCommand(configFile: string, database: string, bin = 'mongodump'): Command {
  const argv = [bin, `--config=${configFile}`, '--archive', '--quiet'];
  if (database) argv.push(`--db=${database}`);
  return { argv, label: 'mongodump' };
}

/** `mongorestore --archive=<file>` into `database` (`--drop` replaces existing collections). */
export function mongoRestoreCommand(
  configFile: string,
  file: string,
  fromDb: string,
  toDb: string,
  bin = 'mongorestore',
): Command {
  const argv = [bin, `--config=${configFile}`, `--archive=${file}`, '--drop', '--quiet'];
  if (fromDb && toDb) argv.push(`--nsFrom=${fromDb}.*`, `--nsTo=${toDb}.*`);
  return { argv, label: 'mongorestore' };
}
