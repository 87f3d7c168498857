/**
 * The MySQL/MariaDB command builders: where the password travels. On the runner / an SSH host it is in a 0600
 * option file named in argv; inside a container ('pipe') it is only in stdin (the option file content, for
 * commands that do not read stdin) or in env MYSQL_PWD (commands whose stdin is SQL), which the container
 * access passes by NAME. It is never in argv, here or in the docker/compose command that reaches the container.
 */
import { describe, expect, it } from 'vitest';
import {
  mysqlAuth,
  mysqlDumpCommand,
  mysqlQueryCommand,
  mysqlRestoreCommand,
  parseMysqlUrl,
  type MyAuth,
} from '../../src/core/backup-db/mysql.js';
import { withStdinFile } from '../../src/lib/target/commands.js';
import { containerCommand, type ContainerAccess } from '../../src/lib/target/container.js';

const PW = 'S3cr"et\\$(x) pw';
const conn = parseMysqlUrl(`mysql://app:${encodeURIComponent(PW)}@db:3307/shop`);
const pipe: MyAuth = { kind: 'pipe', conn };
const noPassword = (argv: readonly string[]) => {
  for (const a of argv) {
    expect(a).not.toContain('S3cr');
    expect(a).not.toContain('et\\$(x)');
  }
};

describe('mysql credentials in a container (pipe)', () => {
  it('dump: option file on stdin, read as /dev/stdin first; password only in stdin', () => {
    const d = mysqlDumpCommand(conn, pipe, 'mariadb-dump');
    // `cat |`: the client opens /dev/stdin by path, which must be a pipe (Node's stdio is a socket).
    expect(d.argv.slice(0, 7)).toEqual([
      'sh',
      '-c',
      'cat | "$@"',
      'sh',
      'mariadb-dump',
      '--defaults-extra-file=/dev/stdin',
      '--protocol=TCP',
    ]);
    expect(d.label).toBe('mariadb-dump');
    expect(d.argv.slice(-2)).toEqual(['--', 'shop']);
    expect(d.env).toBeUndefined();
    expect(d.stdin).toBe('[client]\nhost="db"\nport=3307\nuser="app"\npassword="S3cr\\"et\\\\$(x) pw"\n');
    noPassword(d.argv);
  });

  it('query (-e, stdin unused): option file on stdin', () => {
    const q = mysqlQueryCommand(pipe, 'shop', 'SELECT 1', 'mysql');
    expect(q.argv).toEqual([
      'sh',
      '-c',
      'cat | "$@"',
      'sh',
      'mysql',
      '--defaults-extra-file=/dev/stdin',
      '--protocol=TCP',
      '-N',
      '-B',
      '--database=shop',
      '-e',
      'SELECT 1',
    ]);
    expect(String(q.stdin)).toContain('password="S3cr');
    expect(q.env).toBeUndefined();
  });

  it('restore (stdin is SQL): host/port/user as options, password as env MYSQL_PWD, no stdin of its own', () => {
    const r = mysqlRestoreCommand(pipe, 'shop_x', 'mariadb');
    expect(r.argv).toEqual([
      'mariadb',
      '--no-defaults',
      '--host=db',
      '--port=3307',
      '--user=app',
      '--protocol=TCP',
      '--batch',
      '--database=shop_x',
    ]);
    expect(r.env).toEqual({ MYSQL_PWD: PW });
    expect(r.stdin).toBeUndefined();
    noPassword(r.argv);
  });

  it('a line break in user or password is refused in every mode', () => {
    const bad = { ...conn, password: 'a\nb' };
    expect(() => mysqlAuth({ kind: 'pipe', conn: bad }, true)).toThrow(/line break/);
    expect(() => mysqlAuth({ kind: 'pipe', conn: bad }, false)).toThrow(/line break/);
  });

  const accesses: ContainerAccess[] = [
    { kind: 'docker-exec', container: 'dbctr' },
    { kind: 'compose-exec', project: { flavor: 'v1', files: ['/p/docker-compose.yml'] }, service: 'db' },
    { kind: 'compose-exec', project: { flavor: 'v2', files: ['/p/compose.yaml'] }, service: 'db' },
  ];
  for (const a of accesses) {
    const name = `${a.kind}${'project' in a ? ` ${a.project.flavor}` : ''}`;
    it(`through ${name}: env by name (-e MYSQL_PWD), stdin carried, password never in the outer argv`, () => {
      const restore = containerCommand(a, withStdinFile(mysqlRestoreCommand(pipe, 'shop'), '/tmp/d/shop.sql'));
      const i = restore.argv.indexOf('-e');
      expect(restore.argv.slice(i, i + 2)).toEqual(['-e', 'MYSQL_PWD']);
      expect(restore.argv.filter((x) => x.includes('MYSQL_PWD'))).toEqual(['MYSQL_PWD']);
      expect(restore.env).toEqual({ MYSQL_PWD: PW });
      expect(restore.stdin).toBeUndefined();
      noPassword(restore.argv);

      const dump = containerCommand(a, mysqlDumpCommand(conn, pipe));
      expect(dump.argv).not.toContain('-e');
      expect(dump.env).toBeUndefined();
      expect(String(dump.stdin)).toContain('password="S3cr');
      noPassword(dump.argv);
    });
  }
});

describe('mysql credentials on the runner / an SSH host (file)', () => {
  it('names the 0600 option file first; nothing in env or stdin', () => {
    const file: MyAuth = { kind: 'file', path: '/t/dk/my.cnf' };
    for (const c of [
      mysqlDumpCommand(conn, file),
      mysqlRestoreCommand(file, 'shop'),
      mysqlQueryCommand(file, 'shop', 'SELECT 1'),
    ]) {
      expect(c.argv[1]).toBe('--defaults-extra-file=/t/dk/my.cnf');
      expect(c.env).toBeUndefined();
      expect(c.stdin).toBeUndefined();
      noPassword(c.argv);
    }
    expect(mysqlDumpCommand(conn, '/t/dk/my.cnf')).toEqual(mysqlDumpCommand(conn, file));
  });
});
