/**
 * backup-db end to end: the bundle run as the runner runs it, against a real PostgreSQL 15 on loopback
 * and a real SQLite file.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMariaDb } from '../fixtures/mariadb.js';
import { startPostgres, type PgServer } from '../fixtures/postgres.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';
import { printed, watchCmdlines } from './backup-db-cmdline.js';

const work = mkdtempSync(join(tmpdir(), 'dk-backup-e2e-'));

/**
 * The action's private temp dirs on the SSH host (the same machine here) that still hold `file`. Counted by
 * content: other test files running in parallel (compose over SSH) make dk-backup.* dirs of their own.
 */
function remoteTempDirsWith(file: string): number {
  return readdirSync(tmpdir()).filter((d) => d.startsWith('dk-backup.') && existsSync(join(tmpdir(), d, file))).length;
}
let pg: PgServer;
let sshd: SshdHost;

beforeAll(async () => {
  pg = await startPostgres();
  pg.createDatabase('shop');
  pg.sql(
    'CREATE TABLE orders (id int primary key, v text); INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 1200) g;' +
      'CREATE TABLE users (id int); INSERT INTO users SELECT generate_series(1, 9);',
    'shop',
  );
  sshd = await startSshd();
}, 120_000);

afterAll(async () => {
  await sshd?.stop();
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('backup-db bundle', () => {
  it('backs up with verify: restore, sets the outputs and summary, keeps the password out of the logs', async () => {
    const out = join(work, 'pg');
    const watch = watchCmdlines([pg.password, encodeURIComponent(pg.password)], { everyMs: 40 });
    const r = await runDist('backup-db', {
      engine: 'postgres',
      'database-url': pg.url('shop'),
      'output-dir': out,
      verify: 'restore',
      keep: '3',
    });
    const seen = watch.stop();
    // The password was never in any process's argv (sampled from /proc while the step ran), nor in the logs.
    expect(seen.hits).toEqual([]);
    expect(seen.samples).toBeGreaterThan(3);
    expect(printed(r)).not.toContain(pg.password);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.path).toMatch(new RegExp(`^${out}/shop-\\d{8}T\\d{6}Z\\.dump\\.zst$`));
    // zstd is the default; with it, pg_dump itself does not compress (-Z0): one compression, not two.
    const toc = spawnSync('bash', ['-c', 'zstd -dc -- "$1" | pg_restore -l', 'x', r.outputs.path!], {
      encoding: 'utf8',
    });
    expect(toc.stdout).toMatch(/Compression: (0|none)\b/);
    const made = r.outputs.path!.split('/').pop()!;
    // The backup and, written last, its .sha256 beside it (sha256sum -c format: the backup counts from then on).
    expect(readdirSync(out).sort()).toEqual([made, `${made}.sha256`]);
    expect(Number(r.outputs['size-bytes'])).toBeGreaterThan(1000);
    const sum = spawnSync('sha256sum', [r.outputs.path!], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(r.outputs.sha256).toBe(sum);
    expect(spawnSync('sha256sum', ['-c', `${made}.sha256`], { cwd: out, encoding: 'utf8' }).stdout).toBe(
      `${made}: OK\n`,
    );
    expect(r.outputs.verified).toBe('true');
    expect(r.outputs['server-version']).toMatch(/^15\./);
    expect(Number(r.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(JSON.parse(r.outputs.tables!)).toEqual({ 'public.orders': 1200, 'public.users': 9 });
    expect(r.summary).toContain('backup-db: backup postgres shop');
    expect(r.summary).toContain(r.outputs.sha256);
    expect(r.summary).toMatch(/2 tables, 1209 rows/);
    expect(r.summary).toContain('removed nothing');

    // Restore through the bundle into a fresh database.
    pg.createDatabase('shop_restored');
    const rr = await runDist('backup-db', {
      engine: 'postgres',
      'database-url': pg.url('shop_restored'),
      mode: 'restore',
      'restore-from': r.outputs.path!,
      confirm: 'shop_restored',
    });
    expect(rr.exitCode).toBe(0);
    expect(JSON.parse(rr.outputs.tables!)).toEqual({ 'public.orders': 1200, 'public.users': 9 });
    expect(pg.sql('SELECT count(*) FROM orders', 'shop_restored')).toBe('1200');
  }, 60_000);

  it('control: the argv sampler does see a secret that is on a command line', async () => {
    const secret = `pw-${Math.random().toString(36).slice(2)}`;
    const watch = watchCmdlines([secret], { everyMs: 10 });
    const child = spawn('sh', ['-c', 'sleep 0.4', 'sh', secret]);
    await new Promise((res) => child.once('exit', res));
    expect(watch.stop().hits).toEqual([`sh -c sleep 0.4 sh ${secret} `]);
  });

  it('a pg_dump older than the server fails before dumping, naming both versions and the fix', async () => {
    // Debian ships one PostgreSQL major here, so an older client is stood in for by a script printing
    // pg_dump 13's --version line; the server, psql and the rest are real.
    const bin = join(work, 'old-client');
    mkdirSync(bin, { recursive: true });
    writeFileSync(join(bin, 'pg_dump'), '#!/bin/sh\necho "pg_dump (PostgreSQL) 13.16"\n', { mode: 0o755 });
    const out = join(work, 'old');
    const r = await runDist(
      'backup-db',
      { 'database-url': pg.url('shop'), 'output-dir': out },
      { env: { PATH: `${bin}:${process.env.PATH}` } },
    );
    expect(r.exitCode).not.toBe(0);
    const msg = r.annotations.join('\n');
    expect(msg).toMatch(/pg_dump 13\.16 is older than the PostgreSQL server 15\.\d+/);
    expect(msg).toMatch(/compose-service/);
    expect(msg).toMatch(/postgresql-client-15/);
    expect(existsSync(out)).toBe(false); // refused before the output directory was even made
  }, 30_000);

  it.skipIf(spawnSync('mongodump', ['--version']).status === 0)(
    'engine mongodb where mongodump is not installed (as here) fails naming the tool and leaves no file',
    async () => {
      const out = join(work, 'mongo');
      const r = await runDist('backup-db', {
        engine: 'mongodb',
        'database-url': 'mongodb://app:s3cret-mongo@127.0.0.1:1/shop',
        'output-dir': out,
      });
      expect(r.exitCode).not.toBe(0);
      expect(r.annotations.join('\n')).toMatch(/mongodump does not run on local: install mongodb-database-tools/);
      // Only the ::add-mask:: commands (telling the runner what to mask) may carry it.
      expect(printed(r)).not.toContain('s3cret-mongo');
      expect(r.stdout).toContain('::add-mask::s3cret-mongo');
      expect(existsSync(out)).toBe(false);
    },
    30_000,
  );

  it('a failed dump fails the step and leaves no file', async () => {
    const out = join(work, 'bad');
    const r = await runDist('backup-db', {
      'database-url': pg.url('shop').replace(/:[^:@/]+@/, ':not-the-password@'),
      'output-dir': out,
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.join('\n')).toMatch(/password authentication failed/);
    let files: string[] = [];
    try {
      files = readdirSync(out);
    } catch {
      // never created
    }
    expect(files).toEqual([]);
  }, 30_000);

  it('restore without the right confirm fails naming the input and touches nothing', async () => {
    const r = await runDist('backup-db', {
      'database-url': pg.url('shop'),
      mode: 'restore',
      'restore-from': '/nonexistent.dump',
      confirm: 'shop2',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.join('\n')).toMatch(/confirm/);
    expect(pg.sql('SELECT count(*) FROM orders', 'shop')).toBe('1200');
  }, 30_000);

  it('bad inputs fail naming the input', async () => {
    const r = await runDist('backup-db', {
      engine: 'postgres',
      'database-url': pg.url('shop'),
      'output-dir': work,
      keep: 'x',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.join('\n')).toMatch(/input `keep`/);
    const r2 = await runDist('backup-db', { engine: 'sqlite', 'output-dir': work });
    expect(r2.annotations.join('\n')).toMatch(/input `database`/);
  }, 30_000);

  it('sqlite with zstd and verify: restore', async () => {
    const db = join(work, 'app.db');
    spawnSync('sqlite3', [db, 'CREATE TABLE t (x); INSERT INTO t VALUES (1),(2),(3);']);
    const r = await runDist('backup-db', {
      engine: 'sqlite',
      database: db,
      'output-dir': join(work, 'sq'),
      compression: 'zstd',
      verify: 'restore',
    });
    expect(r.exitCode).toBe(0);
    expect(r.outputs.path).toMatch(/\/app-\d{8}T\d{6}Z\.sqlite\.zst$/);
    expect(JSON.parse(r.outputs.tables!)).toEqual({ t: 3 });
    expect(r.outputs['server-version']).toMatch(/^3\./);
  }, 30_000);

  it('run-on ssh: pg_dump runs on the host and streams back; verify: restore on the host; restore over ssh', async () => {
    const sshIn = { 'run-on': 'ssh', hosts: sshd.spec, 'private-key': sshd.privateKey, 'known-hosts': sshd.knownHosts };
    const leftovers = () => remoteTempDirsWith('pgpass');
    const before = leftovers();
    const out = join(work, 'ssh');
    const r = await runDist('backup-db', {
      ...sshIn,
      'database-url': pg.url('shop'),
      'output-dir': out,
      compression: 'zstd',
      verify: 'restore',
      'remote-dir': join(work, 'server-copies'),
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(printed(r)).not.toContain(pg.password);
    expect(r.outputs.path).toMatch(/\/shop-\d{8}T\d{6}Z\.dump\.zst$/);
    expect(r.stdout).toMatch(/backing up shop on \S+@127\.0\.0\.1:\d+/);
    expect(JSON.parse(r.outputs.tables!)).toEqual({ 'public.orders': 1200, 'public.users': 9 });
    expect(r.post?.exitCode).toBe(0);
    expect(r.outputs['remote-path']).toBe(join(work, 'server-copies', r.outputs.path!.split('/').pop()!));
    const copySum = spawnSync('sha256sum', [r.outputs['remote-path']!], { encoding: 'utf8' }).stdout.split(' ')[0];
    expect(copySum).toBe(r.outputs.sha256);
    expect(r.summary).toContain('copy on the server');
    expect(leftovers()).toBe(before);

    pg.createDatabase('shop_ssh');
    const rr = await runDist('backup-db', {
      ...sshIn,
      'database-url': pg.url('shop_ssh'),
      mode: 'restore',
      'restore-from': r.outputs.path!,
      confirm: 'shop_ssh',
    });
    expect(rr.exitCode, rr.stdout + rr.stderr).toBe(0);
    expect(pg.sql('SELECT count(*) FROM orders', 'shop_ssh')).toBe('1200');
    expect(leftovers()).toBe(before);
  }, 60_000);

  it('run-on ssh: sqlite .backup on the host, streamed back, verified', async () => {
    const db = join(work, 'remote.db');
    spawnSync('sqlite3', [db, 'CREATE TABLE t (x); INSERT INTO t VALUES (1),(2);']);
    const r = await runDist('backup-db', {
      'run-on': 'ssh',
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      engine: 'sqlite',
      database: db,
      'output-dir': join(work, 'ssh-sq'),
      verify: 'restore',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(JSON.parse(r.outputs.tables!)).toEqual({ t: 2 });
    expect(spawnSync('zstd', ['-t', '-q', r.outputs.path!]).status).toBe(0);
  }, 60_000);

  it('mariadb by URL with verify: restore, retention keep 1 removes the older backup; then over run-on ssh', async () => {
    const my = await startMariaDb();
    try {
      my.createDatabase('crm');
      my.sql('CREATE TABLE c (id int); INSERT INTO c SELECT seq FROM seq_1_to_50;', 'crm');
      const out = join(work, 'my');
      const inputs = {
        engine: 'mariadb',
        'database-url': my.url('crm'),
        'output-dir': out,
        verify: 'restore',
        keep: '1',
      };
      const r1 = await runDist('backup-db', inputs);
      expect(r1.exitCode, r1.stdout + r1.stderr).toBe(0);
      expect(printed(r1)).not.toContain(my.password);
      expect(JSON.parse(r1.outputs.tables!)).toEqual({ c: 50 });
      expect(r1.outputs['server-version']).toMatch(/MariaDB/);
      // Timestamps have one-second resolution: wait for the next second (bounded) so the names differ.
      const first = r1.outputs.path!.split('/').pop()!;
      for (
        let i = 0;
        i < 30 &&
        new Date().toISOString().slice(0, 19) ===
          first.slice(4, 19).replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})$/, '$1-$2-$3T$4:$5:$6');
        i++
      ) {
        await new Promise((res) => setTimeout(res, 100));
      }
      const r2 = await runDist('backup-db', inputs);
      expect(r2.exitCode, r2.stdout + r2.stderr).toBe(0);
      expect(JSON.parse(r2.outputs.removed!)).toEqual([first]);
      // The older backup went with its .sha256 (removed first).
      const second = r2.outputs.path!.split('/').pop()!;
      expect(readdirSync(out).sort()).toEqual([second, `${second}.sha256`]);

      // run-on ssh: mariadb-dump runs on the host with a 0600 --defaults-extra-file in a private remote temp dir
      // (removed afterwards); the dump streams back; verify: restore and mode restore run on the host too.
      const leftovers = () => remoteTempDirsWith('pgpass');
      const before = leftovers();
      const sshIn = {
        'run-on': 'ssh',
        hosts: sshd.spec,
        'private-key': sshd.privateKey,
        'known-hosts': sshd.knownHosts,
      };
      const watch = watchCmdlines([my.password], { everyMs: 40 });
      const rs = await runDist('backup-db', {
        ...sshIn,
        engine: 'mariadb',
        'database-url': my.url('crm'),
        'output-dir': join(work, 'my-ssh'),
        verify: 'restore',
        compression: 'zstd',
      });
      const seen = watch.stop();
      expect(rs.exitCode, rs.stdout + rs.stderr).toBe(0);
      expect(rs.stdout).toMatch(/backing up crm on \S+@127\.0\.0\.1:\d+/);
      expect(JSON.parse(rs.outputs.tables!)).toEqual({ c: 50 });
      expect(seen.hits).toEqual([]);
      expect(printed(rs)).not.toContain(my.password);
      expect(leftovers()).toBe(before);
      my.createDatabase('crm_ssh');
      const rr = await runDist('backup-db', {
        ...sshIn,
        engine: 'mariadb',
        'database-url': my.url('crm_ssh'),
        mode: 'restore',
        'restore-from': rs.outputs.path!,
        confirm: 'crm_ssh',
      });
      expect(rr.exitCode, rr.stdout + rr.stderr).toBe(0);
      expect(JSON.parse(rr.outputs.tables!)).toEqual({ c: 50 });
      expect(my.sql('SELECT count(*) FROM c', 'crm_ssh')).toBe('50');
      expect(leftovers()).toBe(before);
    } finally {
      await my.stop();
    }
  }, 90_000);
});
