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

/**
 * compose-service: the URI the tools use inside the MongoDB service. The host is replaced by 127.0.0.1 (the server
 * in the same container); user, password, port (27017 when none), database and options are kept. Without a URL:
 * `mongodb://127.0.0.1:27017/` (no auth). mongodb+srv is refused: its DNS seed list names hosts outside.
 */
export function mongoUriInContainer(url: string): string {
  if (!url) return 'mongodb://127.0.0.1:27017/';
  parseMongoUrl(url);
  const u = new URL(url);
  if (u.protocol === 'mongodb+srv:') {
    throw new Error(
      'database-url: mongodb+srv:// cannot be used with compose-service (the tools connect to the server in the container); use mongodb://user:password@host:port/database',
    );
  }
  u.hostname = '127.0.0.1';
  if (!u.port) u.port = '27017';
  return u.toString();
}

/** YAML config for `--config`: a double-quoted scalar with JSON escapes (valid YAML). */
export function mongoConfigFile(uri: string): string {
  if (/[\r\n]/.test(uri)) throw new Error('database-url must not contain a line break');
  return `uri: ${JSON.stringify(uri)}\n`;
}

/** `mongodump --archive` to stdout (streamed by the caller; compression is a separate process). */
export function mongoDumpCommand(configFile: string, database: string, bin = 'mongodump'): Command {
  // --archive with no file = stdout; no --gzip: compression is the pipeline's own process.
  const argv = [bin, `--config=${configFile}`, '--archive', '--quiet'];
  if (database) argv.push(`--db=${database}`);
  return { argv, label: 'mongodump' };
}

/**
 * `mongorestore --archive=<file>` with the namespaces mapped `<fromDb>.*` → `<toDb>.*`. Not --quiet: its log
 * names each collection and its documents (parseMongoRestoreCounts). Restore: `--drop` replaces existing
 * collections. `dryRun` (verify: list): reads and demultiplexes the whole archive against the server and
 * writes nothing (map `toDb` to a name that does not exist).
 */
export function mongoRestoreCommand(
  configFile: string,
  file: string,
  fromDb: string,
  toDb: string,
  opts: { dryRun?: boolean; bin?: string } = {},
): Command {
  const argv = [opts.bin ?? 'mongorestore', `--config=${configFile}`, `--archive=${file}`];
  argv.push(opts.dryRun ? '--dryRun' : '--drop');
  if (fromDb && toDb) argv.push(`--nsFrom=${fromDb}.*`, `--nsTo=${toDb}.*`);
  return { argv, label: opts.dryRun ? 'mongorestore --dryRun' : 'mongorestore' };
}

/** `mongodump --version` (checks the tool is there; mongodump does not report the server's version). */
export function mongoToolVersionCommand(bin = 'mongodump'): Command {
  return { argv: [bin, '--version'], label: `${bin} --version` };
}

/** `mongodump version: 100.9.4` → `100.9.4`. */
export function parseMongoToolVersion(text: string): string {
  const m = /version:\s*r?(\d+\.\d+\.\d+)/.exec(text);
  if (!m) throw new Error(`cannot read a mongodump version from: ${text.trim().slice(0, 200)}`);
  return m[1]!;
}

/**
 * Collection → documents from mongorestore's log: `finished restoring shop.orders (1200 documents, 0 failures)`.
 * A line with failures > 0 throws.
 */
export function parseMongoRestoreCounts(log: string, db: string): Map<string, number> {
  const out = new Map<string, number>();
  const re = /finished restoring ([^\s(]+) \((\d+) documents?, (\d+) failures?\)/g;
  for (const m of log.matchAll(re)) {
    const ns = m[1]!;
    if (Number(m[3]) > 0) throw new Error(`mongorestore: ${m[3]} documents of ${ns} failed to restore`);
    out.set(ns.startsWith(`${db}.`) ? ns.slice(db.length + 1) : ns, Number(m[2]));
  }
  return out;
}

/** A mongodump archive starts with the magic number 0x8199e26d (little-endian). */
export const MONGO_ARCHIVE_MAGIC = Buffer.from([0x6d, 0xe2, 0x99, 0x81]);

export function isMongoArchive(head: Buffer): boolean {
  return head.length >= 4 && head.subarray(0, 4).equals(MONGO_ARCHIVE_MAGIC);
}
