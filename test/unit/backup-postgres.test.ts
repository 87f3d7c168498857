import { describe, expect, it } from 'vitest';
import {
  formatPgVersionNum,
  parsePgToolVersion,
  parsePostgresUrl,
  pgClientVersionProblem,
  pgDumpCommand,
  pgpassLine,
  pgRestoreCommand,
} from '../../src/core/backup-db/postgres.js';

const conn = parsePostgresUrl('postgresql://app%40x:p%3Aw%5Cd%27%24(x)@db.example:6543/shop');

describe('postgres URL and PGPASSFILE', () => {
  it('parses URL parts, decoding user and password', () => {
    expect(conn).toEqual({ host: 'db.example', port: 6543, user: 'app@x', password: "p:w\\d'$(x)", database: 'shop' });
    expect(parsePostgresUrl('postgres://u@h/d').port).toBe(5432);
    expect(() => parsePostgresUrl('mysql://u:p@h/d')).toThrow(/database-url: scheme/);
    expect(() => parsePostgresUrl('nope')).toThrow(/database-url: not a URL/);
  });
  it('escapes : and \\ in the pgpass line and refuses line breaks', () => {
    expect(pgpassLine(conn)).toBe("db.example:6543:*:app@x:p\\:w\\\\d'$(x)\n");
    expect(() => pgpassLine({ ...conn, password: 'a\nb' })).toThrow(/line break/);
  });
});

describe('pg_dump / pg_restore argv', () => {
  it('keeps the password out of argv and uses PGPASSFILE', () => {
    const cmd = pgDumpCommand(conn, '/tmp/x/pgpass');
    expect(cmd.argv).toEqual([
      'pg_dump',
      '-h',
      'db.example',
      '-p',
      '6543',
      '-U',
      'app@x',
      '-w',
      '-Fc',
      '--no-password',
      '-d',
      'shop',
    ]);
    expect(cmd.env).toEqual({ PGPASSFILE: '/tmp/x/pgpass', PGCONNECT_TIMEOUT: '15' });
    // A compressor stage follows: the dump itself is not compressed.
    expect(pgDumpCommand(conn, '/tmp/x/pgpass', 'pg_dump', true).argv).toContain('-Z0');
    expect(cmd.argv).not.toContain('-Z0');
    expect(cmd.argv.join(' ')).not.toContain(conn.password);
    const r = pgRestoreCommand(conn, '/p', '-weird.dump', 'verify_1');
    expect(r.argv.slice(-4)).toEqual(['-d', 'verify_1', '--', '-weird.dump']);
    expect(r.argv).toContain('--exit-on-error');
  });
});

describe('client/server version check', () => {
  it('reads pg_dump --version output', () => {
    expect(parsePgToolVersion('pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)\n')).toBe(150008);
    expect(parsePgToolVersion('pg_dump (PostgreSQL) 9.6.24')).toBe(90624);
    expect(parsePgToolVersion('pg_dump (PostgreSQL) 16devel')).toBe(160000);
    expect(() => parsePgToolVersion('bash: pg_dump: not found')).toThrow(/cannot read/);
    expect(formatPgVersionNum(150008)).toBe('15.8');
    expect(formatPgVersionNum(90624)).toBe('9.6.24');
  });
  it('accepts same or newer majors, refuses older with both versions and the fix', () => {
    expect(pgClientVersionProblem(150008, 150002)).toBeUndefined();
    expect(pgClientVersionProblem(150002, 150008)).toBeUndefined();
    expect(pgClientVersionProblem(160001, 150008)).toBeUndefined();
    const msg = pgClientVersionProblem(140011, 160002)!;
    expect(msg).toContain('pg_dump 14.11');
    expect(msg).toContain('server 16.2');
    expect(msg).toContain('compose-service');
    expect(msg).toContain('postgresql-client-16');
    expect(pgClientVersionProblem(90624, 100005)).toMatch(/pg_dump 9\.6\.24 .* server 10\.5/);
    expect(pgClientVersionProblem(90500, 90624)).toMatch(/postgresql-client-9\.6/);
  });
});
