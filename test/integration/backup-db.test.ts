import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupConfig } from '../../src/core/backup-db/config.js';
import { runBackup, runRestore } from '../../src/core/backup-db/run.js';
import { sha256File, streamDumpToFile } from '../../src/core/backup-db/pipeline.js';
import { parsePostgresUrl, pgDumpCommand, pgpassLine } from '../../src/core/backup-db/postgres.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { startMariaDb, type MariaDbServer } from '../fixtures/mariadb.js';
import { startPostgres, type PgServer } from '../fixtures/postgres.js';

const runner = new RunnerTarget();
const local = { host: runner, runner };
const ctx = quietContext();
const work = mkdtempSync(join(tmpdir(), 'dk-backup-db-'));
let n = 0;
const freshDir = () => join(work, `out-${++n}`);

function cfg(over: Partial<BackupConfig>): BackupConfig {
  return backupConfig({ outputDir: freshDir(), verify: 'restore', minSizeBytes: 256, ...over });
}

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('backup-db core against real PostgreSQL 15 on loopback', () => {
  let pg: PgServer;
  const counts = (db: string) =>
    pg.sql(
      "SELECT (SELECT count(*) FROM shop.orders) || '/' || (SELECT count(*) FROM items) || '/' || (SELECT count(*) FROM empty_t)",
      db,
    );
  beforeAll(async () => {
    pg = await startPostgres();
    pg.createDatabase('app');
    pg.sql(
      'CREATE SCHEMA shop; CREATE TABLE shop.orders (id int primary key, v text);' +
        'INSERT INTO shop.orders SELECT g, md5(g::text) FROM generate_series(1, 3000) g;' +
        'CREATE TABLE items (id serial primary key, n int); INSERT INTO items (n) SELECT generate_series(1, 41);' +
        'CREATE TABLE empty_t (x int);',
      'app',
    );
  }, 120_000);
  afterAll(async () => {
    await pg?.stop();
  });

  it('backs up (gzip, verify: restore), then restores into a fresh database with the same tables and rows', async () => {
    const c = cfg({ databaseUrl: pg.url('app') });
    const r = await runBackup(c, local, ctx);
    expect(r.verified).toBe(true);
    expect(r.verification).toMatch(/3 tables, 3041 rows/);
    expect(r.counts).toEqual({ 'public.empty_t': 0, 'public.items': 41, 'shop.orders': 3000 });
    expect(r.path).toMatch(/\/app-\d{8}T\d{6}Z\.dump\.gz$/);
    expect(readdirSync(c.outputDir)).toEqual([r.path.split('/').pop()]);
    expect(statSync(r.path).size).toBe(r.sizeBytes);
    expect(await sha256File(r.path)).toBe(r.sha256);
    expect(spawnSync('gzip', ['-t', r.path]).status).toBe(0);
    expect(r.serverVersion).toMatch(/^15\./);
    // No throwaway database left behind.
    expect(pg.sql("SELECT count(*) FROM pg_database WHERE datname LIKE '%dkverify%'")).toBe('0');

    pg.createDatabase('app_copy');
    const rr = await runRestore(
      cfg({ databaseUrl: pg.url('app_copy'), mode: 'restore', restoreFrom: r.path, confirm: 'app_copy' }),
      local,
      ctx,
    );
    expect(rr.counts).toEqual(r.counts);
    expect(counts('app_copy')).toBe(counts('app'));
    expect(counts('app_copy')).toBe('3000/41/0');
  }, 60_000);

  it('zstd with verify: list', async () => {
    const r = await runBackup(cfg({ databaseUrl: pg.url('app'), compression: 'zstd', verify: 'list' }), local, ctx);
    expect(r.path).toMatch(/\.dump\.zst$/);
    expect(r.verification).toMatch(/with table data/);
    expect(spawnSync('zstd', ['-t', '-q', r.path]).status).toBe(0);
  }, 30_000);

  it('a failed dump (wrong password) fails and leaves no file', async () => {
    const c = cfg({ databaseUrl: pg.url('app').replace(/:[^:@/]+@/, ':wrong@') });
    await expect(runBackup(c, local, ctx)).rejects.toThrow(/password authentication failed/);
    let files: string[] = [];
    try {
      files = readdirSync(c.outputDir);
    } catch {
      // never created: the failure came before the dump
    }
    expect(files).toEqual([]);
  }, 30_000);

  it('a dump killed mid-stream fails and leaves no file that looks like a backup', async () => {
    pg.createDatabase('big');
    pg.sql(
      'CREATE TABLE t (id int, v text); INSERT INTO t SELECT g, repeat(md5(g::text), 8) FROM generate_series(1, 60000) g;',
      'big',
    );
    const c = cfg({ databaseUrl: pg.url('big'), compression: 'none', verify: 'none' });
    const ac = new AbortController();
    await expect(
      runBackup(c, local, quietContext({ signal: ac.signal }), {
        onProgress: (b) => void (b > 0 && ac.abort(new Error('killed'))),
      }),
    ).rejects.toThrow(/cancelled/);
    expect(readdirSync(c.outputDir)).toEqual([]);
  }, 30_000);

  it('the server killing the dump mid-stream fails the step and leaves no file', async () => {
    pg.createDatabase('big2');
    pg.sql(
      'CREATE TABLE t1 (id int, v text); INSERT INTO t1 SELECT g, md5(g::text) || md5((g + 1)::text) || md5((g * 7)::text) FROM generate_series(1, 150000) g;' +
        'CREATE TABLE t2 AS SELECT * FROM t1;',
      'big2',
    );
    const c = cfg({ databaseUrl: pg.url('big2'), compression: 'gzip', verify: 'none' });
    let killed = '';
    // On the first bytes, terminate pg_dump's server backend (synchronously: the dump is still streaming).
    const onProgress = () => {
      if (killed) return;
      killed = pg.sql(
        "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = 'big2' AND application_name = 'pg_dump'",
      );
    };
    await expect(runBackup(c, local, ctx, { onProgress })).rejects.toThrow(
      /pg_dump.*exited with code 1[\s\S]*terminat/,
    );
    expect(killed).toBe('1');
    expect(readdirSync(c.outputDir)).toEqual([]);
  }, 60_000);

  it('a compressor that fails stops the dump, fails the step and leaves no file (uses db big from above)', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const pass = join(dir, '..', `pgpass-${n}`);
    const conn = parsePostgresUrl(pg.url('big'));
    writeFileSync(pass, pgpassLine(conn), { mode: 0o600 });
    const source = { kind: 'command' as const, exec: runner, cmd: pgDumpCommand(conn, pass) };
    await expect(
      streamDumpToFile(source, join(dir, 'big.dump.gz'), {
        compression: 'gzip',
        minBytes: 1,
        timeoutMs: 60_000,
        compressor: { argv: ['sh', '-c', 'head -c 1000 > /dev/null; exit 3'], label: 'broken gzip' },
      }),
    ).rejects.toThrow(/"broken gzip" exited with code 3/);
    expect(readdirSync(dir)).toEqual([]);
    rmSync(pass);
  }, 60_000);

  it('never replaces an existing backup of the same name', async () => {
    const dir = freshDir();
    const now = () => new Date('2022-02-02T02:02:02Z');
    const r = await runBackup(cfg({ databaseUrl: pg.url('app'), outputDir: dir, verify: 'none' }), local, ctx, { now });
    const sum = r.sha256;
    await expect(
      runBackup(cfg({ databaseUrl: pg.url('app'), outputDir: dir, verify: 'none', compression: 'gzip' }), local, ctx, {
        now,
      }),
    ).rejects.toThrow(/already exists; not replacing it/);
    expect(readdirSync(dir)).toEqual(['app-20220202T020202Z.dump.gz']);
    expect(await sha256File(r.path)).toBe(sum);
  }, 30_000);

  it('a dump under the minimum size fails and leaves no file', async () => {
    const c = cfg({ databaseUrl: pg.url('app'), minSizeBytes: 50_000_000, verify: 'none' });
    await expect(runBackup(c, local, ctx)).rejects.toThrow(/min-size-bytes/);
    expect(readdirSync(c.outputDir)).toEqual([]);
  }, 30_000);

  it('retention keeps N after verification and never the newest', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    const old = ['app-20200101T000000Z.dump.gz', 'app-20200102T000000Z.dump.gz', 'app-20200103T000000Z.dump.gz'];
    for (const f of old) writeFileSync(join(dir, f), 'old');
    writeFileSync(join(dir, 'other-20200101T000000Z.dump.gz'), 'another database');
    writeFileSync(join(dir, 'app-20200104T000000Z.dump.gz.partial'), 'partial');
    const dry = await runBackup(
      cfg({ databaseUrl: pg.url('app'), outputDir: dir, keep: 2, retentionDryRun: true, verify: 'list' }),
      local,
      ctx,
      { now: () => new Date('2021-01-01T00:00:00Z') },
    );
    expect(dry.removed).toEqual(old.slice(0, 2));
    expect(readdirSync(dir)).toHaveLength(6);
    const r = await runBackup(
      cfg({ databaseUrl: pg.url('app'), outputDir: dir, keep: 2, verify: 'list' }),
      local,
      ctx,
      { now: () => new Date('2021-01-02T00:00:00Z') },
    );
    expect(r.removed).toEqual(old);
    expect(readdirSync(dir).sort()).toEqual(
      [
        'app-20210101T000000Z.dump.gz',
        'app-20210102T000000Z.dump.gz',
        'app-20200104T000000Z.dump.gz.partial',
        'other-20200101T000000Z.dump.gz',
      ].sort(),
    );
    // keep 1 with a clock running behind: the backup just made is still kept.
    const r2 = await runBackup(
      cfg({ databaseUrl: pg.url('app'), outputDir: dir, keep: 1, verify: 'list' }),
      local,
      ctx,
      { now: () => new Date('2019-01-01T00:00:00Z') },
    );
    expect(readdirSync(dir)).toContain(r2.path.split('/').pop());
  }, 60_000);

  it('calendar retention (keep-daily/weekly/monthly) after verification: dry run reports, then removes', async () => {
    const dir = freshDir();
    mkdirSync(dir);
    // 60 days of older backups, two a day (only the names matter to retention).
    const old: string[] = [];
    for (let d = 0; d < 60; d++) {
      for (const h of [2, 14]) {
        const t = new Date(Date.UTC(2024, 0, 1 + d, h));
        old.push(
          `app-${t
            .toISOString()
            .replace(/[-:]/g, '')
            .replace(/\.\d+Z$/, 'Z')}.dump.gz`,
        );
      }
    }
    for (const f of old) writeFileSync(join(dir, f), 'old');
    const policy = { keepDaily: 3, keepWeekly: 2, keepMonthly: 3, verify: 'list' as const };
    const now = () => new Date('2024-03-01T02:00:00Z');
    const dry = await runBackup(
      cfg({ databaseUrl: pg.url('app'), outputDir: dir, ...policy, retentionDryRun: true }),
      local,
      ctx,
      { now },
    );
    expect(readdirSync(dir)).toHaveLength(old.length + 1);
    const made = dry.path.split('/').pop()!;
    expect(dry.kept.map((k) => `${k.name} ${k.reasons.join(',')}`)).toEqual([
      'app-20240131T140000Z.dump.gz monthly 2024-01',
      'app-20240225T140000Z.dump.gz weekly 2024-W08',
      'app-20240228T140000Z.dump.gz daily 2024-02-28',
      'app-20240229T140000Z.dump.gz daily 2024-02-29,monthly 2024-02',
      `${made} newest,daily 2024-03-01,weekly 2024-W09,monthly 2024-03`,
    ]);
    expect(dry.removed).toHaveLength(old.length - 4);
    rmSync(dry.path);
    const r = await runBackup(cfg({ databaseUrl: pg.url('app'), outputDir: dir, ...policy }), local, ctx, { now });
    expect(r.removed).toEqual(dry.removed);
    expect(readdirSync(dir).sort()).toEqual(r.kept.map((k) => k.name));
  }, 60_000);

  it('a backup that fails verification is removed and retention does not run', async () => {
    // A real role that may dump but not create databases: verify: restore cannot make its throwaway database.
    pg.sql(`CREATE ROLE nocreate LOGIN PASSWORD 'nocreate-pw' NOCREATEDB; GRANT pg_read_all_data TO nocreate`);
    const dir = freshDir();
    mkdirSync(dir);
    const old = ['app-20200101T000000Z.dump.gz', 'app-20200102T000000Z.dump.gz'];
    for (const f of old) writeFileSync(join(dir, f), 'old');
    const url = `postgres://nocreate:nocreate-pw@127.0.0.1:${pg.port}/app`;
    await expect(
      runBackup(cfg({ databaseUrl: url, outputDir: dir, keep: 1, verify: 'restore' }), local, ctx),
    ).rejects.toThrow(/failed verification and was removed.*permission denied to create database/s);
    expect(readdirSync(dir).sort()).toEqual(old);
  }, 60_000);

  it('restore requires confirm equal to the database name', async () => {
    await expect(
      runRestore(
        cfg({ databaseUrl: pg.url('app'), mode: 'restore', restoreFrom: '/nonexistent', confirm: 'ap' }),
        local,
        ctx,
      ),
    ).rejects.toThrow(/`confirm`.*"app"/);
  });
});

describe('backup-db core with SQLite', () => {
  it('backs up (.backup, zstd, verify: restore) and restores into a fresh file', async () => {
    const db = join(work, 'site.sqlite3');
    const r0 = spawnSync(
      'sqlite3',
      [
        db,
        'CREATE TABLE a (id integer primary key, v text); INSERT INTO a (v) SELECT \'x\' FROM (WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i < 500) SELECT i FROM c); CREATE TABLE "we\'ird" (x); INSERT INTO "we\'ird" VALUES (1),(2);',
      ],
      { encoding: 'utf8' },
    );
    expect(r0.stderr).toBe('');
    const c = cfg({ engine: 'sqlite', database: db, compression: 'zstd' });
    const r = await runBackup(c, local, ctx);
    expect(r.path).toMatch(/\/site-\d{8}T\d{6}Z\.sqlite\.zst$/);
    expect(r.counts).toEqual({ a: 500, "we'ird": 2 });
    expect(readdirSync(c.outputDir)).toHaveLength(1);
    const fresh = join(work, 'fresh.sqlite3');
    const rr = await runRestore(
      cfg({ engine: 'sqlite', database: fresh, mode: 'restore', restoreFrom: r.path, confirm: fresh }),
      local,
      ctx,
    );
    expect(rr.counts).toEqual({ a: 500, "we'ird": 2 });
  }, 30_000);
});

describe('backup-db core with MariaDB (Debian package) on loopback', () => {
  let my: MariaDbServer;
  beforeAll(async () => {
    my = await startMariaDb();
    my.createDatabase('crm');
    my.sql(
      'CREATE TABLE contacts (id int primary key, v text); INSERT INTO contacts SELECT seq, md5(seq) FROM seq_1_to_700;' +
        'CREATE TABLE notes (id int); INSERT INTO notes VALUES (1),(2),(3);',
      'crm',
    );
  }, 120_000);
  afterAll(async () => {
    await my?.stop();
  });

  it('backs up (--defaults-extra-file, verify: restore) and restores into a fresh database', async () => {
    const c = cfg({ engine: 'mariadb', databaseUrl: my.url('crm') });
    const r = await runBackup(c, local, ctx);
    expect(r.path).toMatch(/\/crm-\d{8}T\d{6}Z\.sql\.gz$/);
    expect(r.counts).toEqual({ contacts: 700, notes: 3 });
    expect(r.serverVersion).toMatch(/MariaDB/);
    expect(my.sql("SELECT count(*) FROM information_schema.schemata WHERE schema_name LIKE '%dkverify%'")).toBe('0');
    my.createDatabase('crm_copy');
    const rr = await runRestore(
      cfg({
        engine: 'mariadb',
        databaseUrl: my.url('crm_copy'),
        mode: 'restore',
        restoreFrom: r.path,
        confirm: 'crm_copy',
      }),
      local,
      ctx,
    );
    expect(rr.counts).toEqual({ contacts: 700, notes: 3 });
  }, 60_000);

  it('a cut-short dump is refused before anything is restored', async () => {
    const cut = join(work, 'crm-cut.sql');
    writeFileSync(cut, 'CREATE TABLE contacts (id int);\n-- no completion marker\n');
    my.createDatabase('crm_cut');
    await expect(
      runRestore(
        cfg({ engine: 'mysql', databaseUrl: my.url('crm_cut'), mode: 'restore', restoreFrom: cut, confirm: 'crm_cut' }),
        local,
        ctx,
      ),
    ).rejects.toThrow(/cut short/);
    expect(my.sql("SELECT count(*) FROM information_schema.tables WHERE table_schema = 'crm_cut'")).toBe('0');
  }, 30_000);
});
