import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb, type MariaDbServer } from '../fixtures/mariadb.js';
import { PG_BIN, startPostgres, type PgServer } from '../fixtures/postgres.js';

describe('postgres fixture (real PostgreSQL 15 on loopback)', () => {
  let pg: PgServer;
  beforeAll(async () => {
    pg = await startPostgres();
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('serves version 15 with password auth over TCP', () => {
    expect(Math.floor(pg.serverVersionNum() / 10000)).toBe(15);
    const bad = spawnSync(
      `${PG_BIN}/psql`,
      ['-X', '-At', '-h', '127.0.0.1', '-p', String(pg.port), '-U', pg.user, '-d', 'postgres', '-c', 'select 1'],
      { env: { ...process.env, PGPASSWORD: 'wrong' }, encoding: 'utf8', timeout: 30_000 },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/password authentication failed/);
  });

  it('creates databases, runs SQL, and connects by URL', () => {
    pg.createDatabase('app');
    pg.sql('CREATE TABLE t (id int); INSERT INTO t SELECT generate_series(1, 10);', 'app');
    expect(pg.sql('SELECT count(*) FROM t', 'app')).toBe('10');
    const r = spawnSync(`${PG_BIN}/psql`, ['-X', '-At', '-c', 'SELECT count(*) FROM t', pg.url('app')], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('10');
    pg.dropDatabase('app');
  });

  it('stop() tears the server and its directory down', async () => {
    const other = await startPostgres();
    await other.stop();
    expect(existsSync(other.dir)).toBe(false);
  }, 120_000);
});

describe('mariadb fixture (real MariaDB on loopback)', () => {
  let db: MariaDbServer;
  beforeAll(async () => {
    db = await startMariaDb();
  }, 120_000);
  afterAll(async () => {
    await db?.stop();
  });

  it('creates databases, runs SQL, and the password user connects over TCP', () => {
    db.createDatabase('app');
    db.sql('CREATE TABLE t (id int); INSERT INTO t VALUES (1),(2),(3);', 'app');
    expect(db.sql('SELECT count(*) FROM t', 'app')).toBe('3');
    const ok = spawnSync(
      'mariadb',
      ['--no-defaults', '-h', '127.0.0.1', '-P', String(db.port), '-u', db.user, '-B', '-N', 'app'],
      {
        input: 'SELECT count(*) FROM t',
        env: { ...process.env, MYSQL_PWD: db.password },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    expect(ok.stderr).toBe('');
    expect(ok.stdout.trim()).toBe('3');
    const bad = spawnSync(
      'mariadb',
      ['--no-defaults', '-h', '127.0.0.1', '-P', String(db.port), '-u', db.user, '-B', '-N', 'app'],
      { input: 'SELECT 1', env: { ...process.env, MYSQL_PWD: 'wrong' }, encoding: 'utf8', timeout: 30_000 },
    );
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/Access denied/);
  });

  it('stop() tears the server and its directory down', async () => {
    await db.stop();
    expect(existsSync(db.dir)).toBe(false);
  }, 60_000);
});
