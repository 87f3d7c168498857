import type { Command } from '../../lib/command.js';

/** Connection parts from a `mysql://` / `mariadb://` URL. The password goes into a 0600 option file only. */
export interface MyConn {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
}

export function parseMysqlUrl(url: string, inputName = 'database-url'): MyConn {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw new Error(`${inputName}: not a URL (expected mysql://user:password@host:port/database)`);
  }
  if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
    throw new Error(`${inputName}: scheme must be mysql:// or mariadb://, got ${u.protocol}//`);
  }
  if (!u.hostname) throw new Error(`${inputName}: no host`);
  if (!u.username) throw new Error(`${inputName}: no user`);
  return {
    host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: u.port ? Number(u.port) : 3306,
    user: decodeURIComponent(u.username),
    password: decodeURIComponent(u.password),
    database: decodeURIComponent(u.pathname.replace(/^\//, '')),
  };
}

/**
 * `--defaults-extra-file` content ([client] group, read by mariadb, mariadb-dump and mysqldump).
 * Values are double-quoted; the option-file parser understands \\ \" \n escapes inside quotes.
 */
export function mysqlOptionFile(c: MyConn): string {
  const q = (s: string): string => {
    if (/[\r\n]/.test(s)) throw new Error('database-url: user and password must not contain a line break');
    return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
  };
  return ['[client]', `host=${q(c.host)}`, `port=${c.port}`, `user=${q(c.user)}`, `password=${q(c.password)}`, ''].join(
    '\n',
  );
}

/**
 * How a client gets its credentials.
 * - `file`: a 0600 option file on the tools' disk (runner or SSH host: a recorded temp dir the post step removes).
 * - `pipe`: nothing on any disk. Used inside a container, where a killed run's post step cannot reach a file:
 *   a command that does not read stdin gets the option file on stdin (`--defaults-extra-file=/dev/stdin`); a
 *   command whose stdin is SQL gets host/port/user as options and the password as `MYSQL_PWD`, which a
 *   container target passes by NAME only (`-e MYSQL_PWD`). The password is never in argv.
 */
export type MyAuth = { kind: 'file'; path: string } | { kind: 'pipe'; conn: MyConn };

/** The leading options (first on the command line), env and stdin that give a client its credentials. */
export function mysqlAuth(
  auth: MyAuth,
  stdinIsSql: boolean,
): { args: string[]; env?: Record<string, string>; stdin?: string } {
  if (auth.kind === 'file') return { args: [`--defaults-extra-file=${auth.path}`] };
  const c = auth.conn;
  if (!stdinIsSql) return { args: ['--defaults-extra-file=/dev/stdin'], stdin: mysqlOptionFile(c) };
  mysqlOptionFile(c); // the same line-break check as the option file
  return {
    args: ['--no-defaults', `--host=${c.host}`, `--port=${c.port}`, `--user=${c.user}`],
    env: { MYSQL_PWD: c.password },
  };
}

/**
 * The client opens /dev/stdin by path, which fails when stdin is a socket (Node's and some exec layers' stdio):
 * `cat |` always hands it a pipe. A constant script; the command is positional, never parsed by the shell.
 */
const STDIN_AS_PIPE = ['sh', '-c', 'cat | "$@"', 'sh'];

const withAuth = (auth: MyAuth | string, stdinIsSql: boolean, bin: string, rest: string[]): Command => {
  const a = mysqlAuth(typeof auth === 'string' ? { kind: 'file', path: auth } : auth, stdinIsSql);
  return {
    argv: [...(a.stdin !== undefined ? STDIN_AS_PIPE : []), bin, ...a.args, ...rest],
    ...(a.env ? { env: a.env } : {}),
    ...(a.stdin !== undefined ? { stdin: a.stdin } : {}),
    label: bin,
  };
};

/** The dump (`auth` a path = an option file there). The credential options come first, as the client requires. */
export function mysqlDumpCommand(c: MyConn, auth: MyAuth | string, bin = 'mariadb-dump'): Command {
  // No --databases: the dump carries no CREATE DATABASE/USE, so it restores into any database name.
  return withAuth(auth, false, bin, [
    '--protocol=TCP',
    '--single-transaction',
    '--routines',
    '--triggers',
    '--events',
    '--hex-blob',
    '--',
    c.database,
  ]);
}

/** The client reading a plain SQL dump on stdin into `database` (the caller streams the file in). */
export function mysqlRestoreCommand(auth: MyAuth | string, database: string, bin = 'mariadb'): Command {
  return withAuth(auth, true, bin, ['--protocol=TCP', '--batch', `--database=${database}`]);
}

/** The client running one query (`-e`; stdin unused) in `database`, tab-separated without column names. */
export function mysqlQueryCommand(auth: MyAuth | string, database: string, query: string, bin = 'mariadb'): Command {
  return withAuth(auth, false, bin, ['--protocol=TCP', '-N', '-B', `--database=${database}`, '-e', query]);
}
