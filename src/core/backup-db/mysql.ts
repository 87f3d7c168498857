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

/** `--defaults-extra-file` must be the first option. */
export function mysqlDumpCommand(c: MyConn, optionFile: string, bin = 'mariadb-dump'): Command {
  return {
    // No --databases: the dump carries no CREATE DATABASE/USE, so it restores into any database name.
    argv: [
      bin,
      `--defaults-extra-file=${optionFile}`,
      '--protocol=TCP',
      '--single-transaction',
      '--routines',
      '--triggers',
      '--events',
      '--hex-blob',
      '--',
      c.database,
    ],
    label: bin,
  };
}

/** The client reading a plain SQL dump on stdin into `database` (the caller streams the file in). */
export function mysqlRestoreCommand(optionFile: string, database: string, bin = 'mariadb'): Command {
  return {
    argv: [bin, `--defaults-extra-file=${optionFile}`, '--protocol=TCP', '--batch', `--database=${database}`],
    label: bin,
  };
}
