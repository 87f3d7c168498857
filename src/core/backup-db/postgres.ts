import type { Command } from '../../lib/command.js';

/** Connection parts from a `postgres://` / `postgresql://` URL. The password never goes into argv. */
export interface PgConn {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parsePostgresUrl(url: string, inputName = 'database-url'): PgConn {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${inputName}: not a URL (expected postgres://user:password@host:port/database)`);
  }
  if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
    throw new Error(`${inputName}: scheme must be postgres:// or postgresql://, got ${u.protocol}//`);
  }
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!u.hostname) throw new Error(`${inputName}: no host`);
  if (!u.username) throw new Error(`${inputName}: no user`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 5432,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database,
  };
}

/** One `.pgpass` line (PGPASSFILE, written 0600): `:` and `\` are escaped with a backslash. */
export function pgpassLine(c: PgConn): string {
  const esc = (s: string): string => s.replace(/[\\:]/g, (m) => `\\${m}`);
  if (/[\r\n]/.test(c.password)) throw new Error('database-url: password must not contain a line break');
  // host '' = the server's local socket (compose-service): match any host and port.
  const hostPort = c.host ? `${esc(c.host)}:${c.port}` : '*:*';
  return `${hostPort}:*:${esc(c.user)}:${esc(c.password)}\n`;
}

/**
 * Connection flags; the password comes from PGPASSFILE, so `-w` (never prompt) is safe. host '' = the
 * default local socket (inside a Compose service: no -h/-p, so the client finds the server's own socket).
 */
function connArgs(c: Omit<PgConn, 'password'>): string[] {
  return [...(c.host ? ['-h', c.host, '-p', String(c.port)] : []), '-U', c.user, '-w'];
}

/**
 * `pg_dump -Fc` to stdout (streamed by the caller). `uncompressed` (-Z0) when a compressor stage follows:
 * compressing twice costs CPU for no gain, and the outer compressor does better on raw data.
 */
export function pgDumpCommand(c: PgConn, pgpassFile: string, bin = 'pg_dump', uncompressed = false): Command {
  return {
    argv: [bin, ...connArgs(c), '-Fc', ...(uncompressed ? ['-Z0'] : []), '--no-password', '-d', c.database],
    env: pgEnv(pgpassFile),
    label: 'pg_dump',
  };
}

/**
 * `pg_restore` of a custom-format archive into `database` (a throwaway one for verify: restore), stopping at the
 * first error; file '' = stdin. `replace` (mode: restore into the live database, pgRestoreReplaceCommand):
 * `--single-transaction --clean --if-exists`, so what the archive holds is replaced in one transaction or not at all.
 */
export function pgRestoreCommand(
  c: PgConn,
  pgpassFile: string,
  file: string,
  database: string,
  bin = 'pg_restore',
  replace = false,
): Command {
  return {
    argv: [
      bin,
      ...connArgs(c),
      '--no-password',
      '--exit-on-error',
      ...(replace ? ['--single-transaction', '--clean', '--if-exists'] : []),
      '--no-owner',
      '-d',
      database,
      ...fileArg(file),
    ],
    env: pgEnv(pgpassFile),
    label: replace ? 'pg_restore --clean' : 'pg_restore',
  };
}

/** The client's environment: the 0600 password file and a 15 s connect timeout. */
const pgEnv = (pgpassFile: string): Record<string, string> => ({ PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' });

/** pg_restore reads the archive from stdin when no file is named. */
const fileArg = (file: string): string[] => (file ? ['--', file] : []);

/** `pg_restore --list` (verify: list) — reads the archive's table of contents only; file '' = stdin. */
export function pgListCommand(file: string, bin = 'pg_restore'): Command {
  return { argv: [bin, '--list', ...fileArg(file)], label: 'pg_restore --list' };
}

/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)` → 150008; 9.6.24 → 90624. */
export function parsePgToolVersion(text: string): number {
  const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  if (!m) throw new Error(`cannot read a PostgreSQL version from: ${text.trim().slice(0, 200)}`);
  const major = Number(m[1]);
  if (major >= 10) return major * 10000 + Number(m[2] ?? 0);
  return major * 10000 + Number(m[2] ?? 0) * 100 + Number(m[3] ?? 0);
}

/** 150008 → "15.8"; 90624 → "9.6.24". */
export function formatPgVersionNum(n: number): string {
  const major = Math.floor(n / 10000);
  if (major >= 10) return `${major}.${n % 10000}`;
  return `${major}.${Math.floor(n / 100) % 100}.${n % 100}`;
}

function majorOf(n: number): number {
  const major = Math.floor(n / 10000);
  // Comparable major: 9.6 → 906, 10 → 1000, 15 → 1500 (before 10 the major version had two parts).
  return major >= 10 ? major * 100 : major * 100 + (Math.floor(n / 100) % 100);
}

/**
 * pg_dump refuses (or silently misses features) when it is older than the server's major version.
 * Returns undefined when fine, or the error message naming both versions and the fix.
 */
export function pgClientVersionProblem(clientNum: number, serverNum: number): string | undefined {
  if (majorOf(clientNum) >= majorOf(serverNum)) return undefined;
  return (
    `pg_dump ${formatPgVersionNum(clientNum)} is older than the PostgreSQL server ${formatPgVersionNum(serverNum)}: ` +
    `set \`compose-service\` to dump inside the database container (its client matches the server), ` +
    `or install the matching client (postgresql-client-${Math.floor(serverNum / 10000) >= 10 ? Math.floor(serverNum / 10000) : formatPgVersionNum(serverNum).split('.').slice(0, 2).join('.')}) on the machine running the dump`
  );
}

/** psql running one query, unaligned tuples-only output, stopping at the first error. */
export function psqlCommand(c: PgConn, pgpassFile: string, database: string, query: string, bin = 'psql'): Command {
  return {
    argv: [bin, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...connArgs(c), '-d', database, '-c', query],
    env: pgEnv(pgpassFile),
    label: 'psql',
  };
}

export function createDbCommand(c: PgConn, pgpassFile: string, name: string, bin = 'createdb'): Command {
  return {
    argv: [bin, ...connArgs(c), '--maintenance-db', c.database || 'postgres', '--', name],
    env: pgEnv(pgpassFile),
    label: 'createdb',
  };
}

export function dropDbCommand(c: PgConn, pgpassFile: string, name: string, bin = 'dropdb'): Command {
  return {
    argv: [bin, ...connArgs(c), '--maintenance-db', 'postgres', '--if-exists', '--force', '--', name],
    env: pgEnv(pgpassFile),
    label: 'dropdb',
  };
}

/** `pg_restore --clean --if-exists` into the live database (mode: restore): replaces what the archive holds. */
export const pgRestoreReplaceCommand = (c: PgConn, pgpassFile: string, file: string, database: string): Command =>
  pgRestoreCommand(c, pgpassFile, file, database, 'pg_restore', true);

/** One line per user table: `schema.table|rows` (exact counts, via query_to_xml). */
export const PG_COUNTS_QUERY =
  "SELECT n.nspname || '.' || c.relname || '|' || " +
  "(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text " +
  "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') " +
  "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1";
