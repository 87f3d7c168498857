/**
 * backup-db with compose-service, end to end through the bundle: PostgreSQL 15 runs inside a real Compose
 * service on a real dockerd (test/fixtures/compose-postgres.ts: an image FROM scratch with the host's
 * binaries bind-mounted, socket-only, scram-sha-256 for local connections). docker-compose v1 is the
 * compose packaged here; the v2 argv (`docker compose …`) is covered by the unit tests.
 */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComposePostgres, type ComposePg } from '../fixtures/compose-postgres.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';
import { printed, watchCmdlines } from './backup-db-cmdline.js';

const work = mkdtempSync(join(tmpdir(), 'dk-backup-compose-'));
let pg: ComposePg;
let sshd: SshdHost;
const files = (dir: string): string[] => {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
};

beforeAll(async () => {
  // One after the other (dockerd's start is heavy on a loaded 2-core machine); sshd gets one more try.
  sshd = await startSshd().catch(() => startSshd());
  pg = await startComposePostgres();
  pg.sql('CREATE DATABASE shop');
  pg.sql(
    'CREATE TABLE orders (id int primary key, v text); INSERT INTO orders SELECT g, md5(g::text) FROM generate_series(1, 700) g;' +
      'CREATE SCHEMA crm; CREATE TABLE crm.people (id int); INSERT INTO crm.people SELECT generate_series(1, 13);',
    'shop',
  );
}, 240_000);

afterAll(async () => {
  await Promise.all([pg?.stop(), sshd?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

/** The private temp dirs (mktemp -d) the action made in the container and did not remove. */
const leftoverDirs = (): string => pg.exec('sh', '-c', 'ls -d /tmp/tmp.* 2>/dev/null; true').trim();

describe('backup-db compose-service (docker-compose v1 exec -T, real dockerd)', () => {
  it('backs up inside the service (verify: restore), then restores into a fresh database: same tables and rows', async () => {
    const out = join(work, 'local');
    const watch = watchCmdlines([pg.password, encodeURIComponent(pg.password)], { everyMs: 100 });
    const r = await runDist(
      'backup-db',
      {
        engine: 'postgres',
        'database-url': pg.url('shop'),
        'compose-service': 'db',
        'compose-file': pg.file,
        'output-dir': out,
        verify: 'restore',
        compression: 'zstd',
      },
      { env: { DOCKER_HOST: pg.dockerHost } },
    );
    const seen = watch.stop();
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(seen.hits).toEqual([]);
    expect(seen.samples).toBeGreaterThan(3);
    expect(printed(r)).not.toContain(pg.password);
    expect(r.stdout).toMatch(/backing up shop on local in service db \(docker-compose exec -T\)/);
    expect(r.outputs['server-version']).toMatch(/^15\./);
    expect(JSON.parse(r.outputs.tables!)).toEqual({ 'crm.people': 13, 'public.orders': 700 });
    expect(r.summary).toContain('service db (docker-compose exec -T)');
    const made = r.outputs.path!.split('/').pop()!;
    expect(files(out).sort()).toEqual([made, `${made}.sha256`]); // the backup and its .sha256, written last
    // No credentials dir and no throwaway database left in the container.
    expect(leftoverDirs()).toBe('');
    expect(
      pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE '%dkverify%';\nCREATE DATABASE shop_restored;"),
    ).toBe('0');
    const rr = await runDist(
      'backup-db',
      {
        engine: 'postgres',
        'database-url': pg.url('shop_restored'),
        'compose-service': 'db',
        'compose-file': pg.file,
        mode: 'restore',
        'restore-from': r.outputs.path!,
        confirm: 'shop_restored',
      },
      { env: { DOCKER_HOST: pg.dockerHost } },
    );
    expect(rr.exitCode, rr.stdout + rr.stderr).toBe(0);
    expect(JSON.parse(rr.outputs.tables!)).toEqual({ 'crm.people': 13, 'public.orders': 700 });
    expect(pg.sql("SELECT count(*) || '|' || (SELECT v FROM orders WHERE id = 42) FROM orders", 'shop_restored')).toBe(
      `700|${createHash('md5').update('42').digest('hex')}`,
    );
  }, 240_000);

  it('run-on ssh: compose runs on the host (docker-host input), the dump streams back over SSH', async () => {
    const out = join(work, 'ssh');
    const r = await runDist('backup-db', {
      'run-on': 'ssh',
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      engine: 'postgres',
      'database-url': pg.url('shop'),
      'compose-service': 'db',
      'compose-file': pg.file,
      'docker-host': pg.dockerHost,
      'output-dir': out,
      verify: 'list',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toMatch(/backing up shop on \S+@127\.0\.0\.1:\d+ in service db/);
    expect(r.summary).toMatch(/archive lists \d+ entries, 2 with table data/);
    expect(printed(r)).not.toContain(pg.password);
    expect(files(out)).toHaveLength(2); // the backup and its .sha256
    expect(leftoverDirs()).toBe('');
  }, 240_000);

  it('a database that does not exist fails after the credentials were written: the container temp dir is removed', async () => {
    const out = join(work, 'nodb');
    const r = await runDist(
      'backup-db',
      { 'database-url': pg.url('nosuchdb'), 'compose-service': 'db', 'compose-file': pg.file, 'output-dir': out },
      { env: { DOCKER_HOST: pg.dockerHost } },
    );
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.join('\n')).toMatch(/database "nosuchdb" does not exist/);
    expect(printed(r)).not.toContain(pg.password);
    expect(files(out)).toEqual([]);
    expect(leftoverDirs()).toBe(''); // the pgpass file made by prepare() went with its dir
  }, 120_000);

  it('a wrong service name fails the step, naming it, and leaves no file', async () => {
    const out = join(work, 'wrong');
    const r = await runDist(
      'backup-db',
      {
        'database-url': pg.url('shop'),
        'compose-service': 'dbx',
        'compose-file': pg.file,
        'output-dir': out,
      },
      { env: { DOCKER_HOST: pg.dockerHost } },
    );
    expect(r.exitCode).not.toBe(0);
    expect(r.annotations.join('\n')).toMatch(/dbx/);
    expect(files(out)).toEqual([]);
  }, 120_000);

  // Last: it kills the container (its tmpfs data goes with it).
  it('the container killed mid-dump fails the step and leaves no file; a stopped container fails too', async () => {
    const out = join(work, 'killed');
    // A session holding an exclusive lock makes pg_dump (inside the container) wait on the orders table.
    const locker = spawn(
      'docker-compose',
      [
        '-f',
        pg.file,
        'exec',
        '-T',
        '-e',
        'PGPASSFILE=/tmp/fixture.pgpass',
        'db',
        'psql',
        '-X',
        '-w',
        '-U',
        pg.user,
        '-d',
        'shop',
      ],
      { env: { ...process.env, DOCKER_HOST: pg.dockerHost }, stdio: ['pipe', 'ignore', 'ignore'] },
    );
    locker.stdin.write('BEGIN; LOCK TABLE orders IN ACCESS EXCLUSIVE MODE;\n');
    try {
      const lockHeld = async (): Promise<boolean> => {
        for (let i = 0; i < 40; i++) {
          if (
            pg.sql(
              "SELECT count(*) FROM pg_locks WHERE mode = 'AccessExclusiveLock' AND granted AND relation = 'orders'::regclass",
              'shop',
            ) === '1'
          )
            return true;
          await new Promise((res) => setTimeout(res, 250));
        }
        return false;
      };
      expect(await lockHeld()).toBe(true);
      const run = runDist(
        'backup-db',
        { 'database-url': pg.url('shop'), 'compose-service': 'db', 'compose-file': pg.file, 'output-dir': out },
        { env: { DOCKER_HOST: pg.dockerHost } },
      );
      let waiting = false;
      for (let i = 0; i < 120 && !waiting; i++) {
        waiting =
          pg.sql(
            "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pg_dump' AND wait_event_type = 'Lock'",
          ) === '1';
        if (!waiting) await new Promise((res) => setTimeout(res, 250));
      }
      expect(waiting).toBe(true);
      expect(files(out).some((f) => /\.partial(~|$)/.test(f))).toBe(true); // the dump is under way
      pg.compose('kill', 'db');
      const r = await run;
      expect(r.exitCode).not.toBe(0);
      expect(r.annotations.join('\n')).toMatch(/"pg_dump" on service db/);
      expect(files(out)).toEqual([]); // not even the .partial
    } finally {
      locker.kill('SIGKILL');
    }
    // The container is down now: the next run fails before dumping, naming the service.
    const r2 = await runDist(
      'backup-db',
      { 'database-url': pg.url('shop'), 'compose-service': 'db', 'compose-file': pg.file, 'output-dir': out },
      { env: { DOCKER_HOST: pg.dockerHost } },
    );
    expect(r2.exitCode).not.toBe(0);
    expect(r2.annotations.join('\n')).toMatch(/service db/);
    expect(files(out)).toEqual([]);
  }, 240_000);
});
