import { createHash } from 'node:crypto';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupConfig } from '../../src/core/backup-db/config.js';
import { backupFreshness } from '../../src/core/backup-db/freshness.js';
import { openStore, type OffsiteConfig, type StorageConfig } from '../../src/core/backup-db/storage.js';
import { runBackupOffsite, runRestoreOffsite } from '../../src/core/backup-db/storage-run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { PG_BIN, startPostgres, type PgServer } from '../fixtures/postgres.js';
import { startS3, type S3Server } from '../fixtures/s3.js';

// A real S3-protocol server (s3rver) on 127.0.0.1 behind a proxy that checks SigV4 signatures (test/fixtures/s3.ts),
// a real PostgreSQL 15 cluster, and backup-db's core running as the action runs it (the runner target).
describe('backup-db storage: s3 (s3rver with SigV4 checked) + PostgreSQL 15', () => {
  let pg: PgServer;
  let s3: S3Server;
  let runnerTemp: string;
  let runner: RunnerTarget;
  const oldTemp = process.env.RUNNER_TEMP;

  const storage = (over: Partial<StorageConfig> = {}): StorageConfig => ({
    url: `s3://${s3.bucket}/nightly/`,
    bucket: s3.bucket,
    prefix: 'nightly/',
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    sessionToken: '',
    forcePathStyle: true,
    verify: 'read',
    requestTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    attempts: 3,
    transferTimeoutMs: 120_000,
    ...over,
  });
  const off = (over: Partial<StorageConfig> = {}): OffsiteConfig => ({
    storage: storage(over),
    recipients: [],
    identities: [],
  });
  const cfg = (over: Partial<BackupConfig> = {}): BackupConfig =>
    backupConfig({ outputDir: '', databaseUrl: pg.url('shop'), compression: 'zstd', ...over });
  const where = () => ({ host: runner, runner });
  const at = (iso: string) => ({ now: () => new Date(iso) });
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

  beforeAll(async () => {
    process.env.PATH = `${PG_BIN}:${process.env.PATH}`;
    runnerTemp = mkdtempSync(join(tmpdir(), 'dk-s3-runner-'));
    process.env.RUNNER_TEMP = runnerTemp;
    runner = new RunnerTarget();
    [pg, s3] = await Promise.all([startPostgres(), startS3()]);
    pg.createDatabase('shop');
    pg.sql(
      "CREATE TABLE item (id int primary key, name text); INSERT INTO item SELECT g, 'item ' || g FROM generate_series(1, 2000) g;",
      'shop',
    );
  }, 120_000);
  afterAll(async () => {
    await runner?.dispose();
    await s3?.stop();
    await pg?.stop();
    if (runnerTemp) rmSync(runnerTemp, { recursive: true, force: true });
    process.env.RUNNER_TEMP = oldTemp;
  });

  it('the proxy checks signatures: a wrong secret key is refused (SignatureDoesNotMatch), the right one lists', async () => {
    const bad = await openStore(storage({ secretAccessKey: `${s3.secretAccessKey}x`, attempts: 1 }));
    await expect(bad.list()).rejects.toThrow(/s3-secret-access-key/);
    bad.dispose();
    expect(s3.requests.at(-1)).toMatchObject({ method: 'GET', refused: 'SignatureDoesNotMatch', status: 403 });
    const badId = await openStore(storage({ accessKeyId: 'AKNOBODY', attempts: 1 }));
    await expect(badId.list()).rejects.toThrow(/s3-access-key-id/);
    badId.dispose();
    const good = await openStore(storage());
    expect(await good.list()).toEqual([]);
    good.dispose();
    // Anonymous requests (s3rver alone would serve them) are refused too.
    const r = await fetch(`${s3.endpoint}/${s3.bucket}?list-type=2`);
    expect(r.status).toBe(403);
    expect(await r.text()).toContain('AccessDenied');
  });

  it('a store that stops answering is cut by the idle timeout, retried a bounded number of times, and named', async () => {
    const held: (() => void)[] = [];
    s3.gate = (r) => {
      if (r.method === 'GET') return new Promise<void>((resolve) => held.push(resolve));
    };
    const store = await openStore(storage({ requestTimeoutMs: 1000, attempts: 2 }));
    try {
      await expect(store.list()).rejects.toThrow(/no answer in time .*s3-request-timeout/);
    } finally {
      s3.gate = undefined;
      for (const h of held) h();
      store.dispose();
    }
    // Both attempts reached the store and were held; none was answered.
    expect(held.length).toBe(2);
  });

  it('a wrong secret key fails before anything is dumped: no object, no file left on the runner', async () => {
    const before = s3.requests.length;
    await expect(
      runBackupOffsite(cfg(), off({ secretAccessKey: 'wrong-secret', attempts: 1 }), where(), quietContext()),
    ).rejects.toThrow(/s3-secret-access-key/);
    // One request (the list), refused; no upload was attempted.
    expect(s3.requests.slice(before).map((r) => r.refused)).toEqual(['SignatureDoesNotMatch']);
    expect(await s3.list()).toEqual([]);
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
  });

  it('stores the backup (no output-dir) with its .sha256 written last; the stored bytes hash to it', async () => {
    const logs: string[] = [];
    const before = s3.requests.length;
    const { report, offsite } = await runBackupOffsite(
      cfg(),
      off(),
      where(),
      quietContext({ log: (l) => logs.push(l) }),
      at('2024-03-01T02:00:00Z'),
    );
    const name = 'shop-20240301T020000Z.dump.zst';
    const wire = s3.requests.slice(before);
    expect(offsite.stored).toMatchObject({ name, url: `s3://${s3.bucket}/nightly/${name}`, encrypted: false });
    expect(report.path).toBe(offsite.stored!.url);
    const keys = await s3.list('nightly/');
    expect(keys.map((k) => k.key)).toEqual([`nightly/${name}`, `nightly/${name}.sha256`]);
    const body = await s3.read(`nightly/${name}`);
    expect(sha(body)).toBe(offsite.stored!.sha256);
    // Unencrypted: the stored bytes are the verified local backup's bytes.
    expect(offsite.stored!.sha256).toBe(report.sha256);
    expect((await s3.read(`nightly/${name}.sha256`)).toString()).toBe(`${sha(body)}  ${name}\n`);
    // Order on the wire: the data object completes, is read back, and only then the .sha256 is written.
    const writes = wire.filter((r) => r.method === 'PUT' || r.method === 'POST' || r.method === 'GET');
    const lastData = writes.findLastIndex((r) => r.path.endsWith(name) && r.method !== 'GET');
    const readBack = writes.findLastIndex((r) => r.path.endsWith(name) && r.method === 'GET');
    const side = writes.findIndex((r) => r.path.endsWith(`${name}.sha256`) && r.method === 'PUT');
    expect(lastData).toBeGreaterThanOrEqual(0);
    // Every body sent is signed with its sha256 (SigV4), which the proxy checks against the bytes received.
    const bodies = wire.filter((r) => r.method === 'PUT');
    expect(bodies.length).toBeGreaterThan(0);
    for (const r of bodies) expect(r.payload).toMatch(/^[0-9a-f]{64}$/);
    expect(readBack).toBeGreaterThan(lastData);
    expect(side).toBeGreaterThan(readBack);
    expect(logs.join('\n')).toContain(`stored s3://${s3.bucket}/nightly/${name}`);
    // The runner's copy lived in a private temp dir that is gone.
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
  });

  it('never replaces a stored backup of the same name', async () => {
    const before = await s3.list('nightly/');
    await expect(runBackupOffsite(cfg(), off(), where(), quietContext(), at('2024-03-01T02:00:00Z'))).rejects.toThrow(
      /already exists in the storage/,
    );
    expect(await s3.list('nightly/')).toEqual(before);
  });

  it('retention in the bucket runs after the new backup is stored, counts only complete backups, removes object and .sha256', async () => {
    // Another day, then a leftover of a killed run (a data object with no .sha256), then a third backup with keep 2.
    await runBackupOffsite(cfg(), off(), where(), quietContext(), at('2024-03-02T02:00:00Z'));
    const store = await openStore(storage());
    await store.putBytes('shop-20240302T120000Z.dump.zst', Buffer.from('half an upload'));
    store.dispose();
    const { offsite } = await runBackupOffsite(
      cfg({ keep: 2 }),
      off(),
      where(),
      quietContext(),
      at('2024-03-03T02:00:00Z'),
    );
    expect(offsite.storageRetention?.remove).toEqual(['shop-20240301T020000Z.dump.zst']);
    expect(offsite.incomplete).toEqual(['shop-20240302T120000Z.dump.zst']);
    expect((await s3.list('nightly/')).map((k) => k.key)).toEqual([
      'nightly/shop-20240302T020000Z.dump.zst',
      'nightly/shop-20240302T020000Z.dump.zst.sha256',
      'nightly/shop-20240302T120000Z.dump.zst',
      'nightly/shop-20240303T020000Z.dump.zst',
      'nightly/shop-20240303T020000Z.dump.zst.sha256',
    ]);
  });

  it('s3-verify: size checks the stored size only (no second transfer) and still writes the .sha256 last', async () => {
    const before = s3.requests.length;
    const o = off({ verify: 'size', prefix: 'sized/', url: `s3://${s3.bucket}/sized/` });
    const { report, offsite } = await runBackupOffsite(cfg(), o, where(), quietContext());
    expect(offsite.stored?.verification).toMatch(/^size checked: \d+ bytes/);
    const name = offsite.stored!.name;
    const mine = s3.requests.slice(before).filter((r) => r.path.endsWith(`/sized/${name}`));
    expect(mine.map((r) => r.method)).not.toContain('GET');
    expect(mine.map((r) => r.method)).toContain('HEAD');
    expect(sha(await s3.read(`sized/${name}`))).toBe(report.sha256);
  });

  it('retention dry run in the bucket reports and removes nothing', async () => {
    const before = await s3.list('nightly/');
    const { offsite } = await runBackupOffsite(
      cfg({ keep: 1, retentionDryRun: true }),
      off(),
      where(),
      quietContext(),
      at('2024-03-04T02:00:00Z'),
    );
    expect(offsite.storageRetention?.remove).toEqual([
      'shop-20240302T020000Z.dump.zst',
      'shop-20240303T020000Z.dump.zst',
    ]);
    const after = (await s3.list('nightly/')).map((k) => k.key);
    for (const k of before) expect(after).toContain(k.key);
  });

  it('freshness of the storage: the newest complete backup and its age', async () => {
    const f = await backupFreshness(
      { kind: 'storage', storage: storage() },
      { maxAgeMs: 26 * 3600_000, database: 'shop', now: new Date('2024-03-05T01:00:00Z') },
    );
    expect(f).toMatchObject({ newest: 'shop-20240304T020000Z.dump.zst', count: 3, fresh: true, ageMs: 23 * 3600_000 });
    const stale = await backupFreshness(
      { kind: 'storage', storage: storage() },
      { maxAgeMs: 26 * 3600_000, database: 'shop', now: new Date('2024-03-06T05:00:00Z') },
    );
    expect(stale.fresh).toBe(false);
    expect(stale.message).toContain('older than');
  });

  it('mode restore from the storage: latest is the newest complete backup; the database gets its rows back', async () => {
    pg.sql('DELETE FROM item WHERE id > 10', 'shop');
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('10');
    const { report, offsite } = await runRestoreOffsite(
      cfg({ mode: 'restore', restoreFrom: 'latest', confirm: 'shop' }),
      off(),
      where(),
      quietContext(),
    );
    expect(offsite.fetched?.name).toBe('shop-20240304T020000Z.dump.zst');
    expect(report.path).toBe(`s3://${s3.bucket}/nightly/shop-20240304T020000Z.dump.zst`);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('2000');
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
  });

  it('restore refuses an object without .sha256 (an upload that never finished) and leaves the database as it is', async () => {
    pg.sql('DELETE FROM item WHERE id > 1500', 'shop');
    await expect(
      runRestoreOffsite(
        cfg({ mode: 'restore', restoreFrom: 'shop-20240302T120000Z.dump.zst', confirm: 'shop' }),
        off(),
        where(),
        quietContext(),
      ),
    ).rejects.toThrow(/restore-from.*has no \.sha256 object.*set allow-unverified: true to restore it anyway/);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('1500');
  });

  it('an object without .sha256 is never latest and is refused by name; allow-unverified restores it, with a warning', async () => {
    // The bytes of a good backup under a newer name, without its .sha256 (as if killed before the read-back ended).
    const store = await openStore(storage());
    const name = 'shop-20240305T020000Z.dump.zst';
    await store.putBytes(name, await s3.read('nightly/shop-20240304T020000Z.dump.zst'));
    try {
      pg.sql('DELETE FROM item WHERE id > 1200', 'shop');
      const latest = await runRestoreOffsite(
        cfg({ mode: 'restore', restoreFrom: 'latest', confirm: 'shop' }),
        off(),
        where(),
        quietContext(),
      );
      expect(latest.offsite.fetched?.name).toBe('shop-20240304T020000Z.dump.zst');
      pg.sql('DELETE FROM item WHERE id > 1200', 'shop');
      const byName = cfg({ mode: 'restore', restoreFrom: name, confirm: 'shop' });
      await expect(runRestoreOffsite(byName, off(), where(), quietContext())).rejects.toThrow(
        /set allow-unverified: true/,
      );
      expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('1200');
      const warnings: string[] = [];
      const { offsite } = await runRestoreOffsite(
        { ...byName, allowUnverified: true },
        off(),
        where(),
        quietContext({ warn: (w) => warnings.push(w) }),
      );
      expect(offsite.fetched).toMatchObject({ name, unverified: true });
      expect(warnings.join('\n')).toContain(`${name} has no .sha256 object: restoring it unverified`);
      expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('2000');
    } finally {
      await store.remove(name);
      store.dispose();
      pg.sql('DELETE FROM item WHERE id > 1500', 'shop'); // the state the tests below start from
    }
  });

  it('output-dir: the .sha256 beside each backup; retention counts only those, warns about and keeps the others; restore checks it', async () => {
    const dir = mkdtempSync(join(runnerTemp, 'dir-'));
    const none: OffsiteConfig = { recipients: [], identities: [] };
    const rows = pg.sql('SELECT count(*) FROM item', 'shop');
    const first = await runBackupOffsite(
      cfg({ outputDir: dir }),
      none,
      where(),
      quietContext(),
      at('2024-04-01T02:00:00Z'),
    );
    const made = first.report.path.split('/').pop()!;
    expect(readdirSync(dir).sort()).toEqual([made, `${made}.sha256`]);
    expect(readFileSync(join(dir, `${made}.sha256`), 'utf8')).toBe(`${first.report.sha256}  ${made}\n`);
    // An older file named like a backup but without a .sha256 (made by hand, or by an older version).
    const bare = 'shop-20240331T020000Z.dump.zst';
    copyFileSync(first.report.path, join(dir, bare));
    const warnings: string[] = [];
    const second = await runBackupOffsite(
      cfg({ outputDir: dir, keep: 1 }),
      none,
      where(),
      quietContext({ warn: (w) => warnings.push(w) }),
      at('2024-04-02T02:00:00Z'),
    );
    const newest = second.report.path.split('/').pop()!;
    expect(second.report.removed).toEqual([made]);
    expect(second.report.unverified).toEqual([bare]);
    expect(readdirSync(dir).sort()).toEqual([bare, newest, `${newest}.sha256`]);
    expect(warnings.join('\n')).toMatch(new RegExp(`no \\.sha256 beside them.*never removed by retention.*${bare}`));

    pg.sql('DELETE FROM item WHERE id > 70', 'shop');
    const restore = (file: string, allowUnverified = false) =>
      runRestoreOffsite(
        cfg({ mode: 'restore', restoreFrom: join(dir, file), confirm: 'shop', allowUnverified }),
        none,
        where(),
        quietContext(),
      );
    await expect(restore(bare)).rejects.toThrow(
      /^input `restore-from`: .* has no \.sha256 beside it.*set allow-unverified: true to restore it anyway/,
    );
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('70');
    await restore(bare, true);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe(rows);
    // A .sha256 that does not match is refused, allow-unverified or not.
    pg.sql('DELETE FROM item WHERE id > 70', 'shop');
    writeFileSync(join(dir, `${bare}.sha256`), `${'0'.repeat(64)}  ${bare}\n`);
    await expect(restore(bare, true)).rejects.toThrow(/hashes to [0-9a-f]{64}, its \.sha256 says 0{64}: refusing/);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('70');
    await restore(newest);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe(rows);
  });

  it('restore refuses a stored object whose bytes do not match its .sha256', async () => {
    const store = await openStore(storage());
    const name = 'shop-20240303T020000Z.dump.zst';
    await store.putBytes(`${name}.sha256`, `${'0'.repeat(64)}  ${name}\n`);
    store.dispose();
    await expect(
      runRestoreOffsite(cfg({ mode: 'restore', restoreFrom: name, confirm: 'shop' }), off(), where(), quietContext()),
    ).rejects.toThrow(/downloaded sha256 [0-9a-f]{64}, its \.sha256 object says 0{64}/);
    expect(pg.sql('SELECT count(*) FROM item', 'shop')).toBe('1500');
  });

  it('an upload the store keeps failing is aborted: no object, no .sha256, the multipart upload is cancelled', async () => {
    pg.createDatabase('bulk');
    // ~20 MB of incompressible text (compression none): three 8 MiB parts.
    pg.sql(
      'CREATE TABLE blob AS SELECT g, md5(random()::text) || md5(random()::text) || md5(random()::text) AS t FROM generate_series(1, 220000) g',
      'bulk',
    );
    const seen: string[] = [];
    s3.gate = (r) => {
      if (r.method === 'PUT' && /partNumber=2&/.test(r.query)) {
        seen.push(r.query);
        throw new Error('part 2 refused');
      }
    };
    try {
      await expect(
        runBackupOffsite(
          cfg({ databaseUrl: pg.url('bulk'), compression: 'none', verify: 'none' }),
          off({ prefix: 'bulk/', url: `s3://${s3.bucket}/bulk/`, attempts: 2 }),
          where(),
          quietContext(),
        ),
      ).rejects.toThrow(/upload s3:\/\/backups\/bulk\/bulk-/);
    } finally {
      s3.gate = undefined;
    }
    expect(seen.length).toBe(2); // both attempts of part 2
    // The parts that went through were signed with their sha256 (the proxy checked each body against it).
    const parts = s3.requests.filter(
      (r) => r.method === 'PUT' && /partNumber=1&/.test(r.query) && r.path.includes('/bulk/'),
    );
    expect(parts.length).toBeGreaterThan(0);
    for (const r of parts) expect(r.payload).toMatch(/^[0-9a-f]{64}$/);
    expect(await s3.list('bulk/')).toEqual([]);
    // AbortMultipartUpload was sent for that upload id (s3rver answers 405: it does not implement the call, so
    // its parts stay in its temp files; a real store drops them). Nothing under the prefix is an object.
    const uploadId = /uploadId=([0-9a-f]+)/.exec(seen[0]!)![1];
    expect(
      s3.requests.some((r) => r.method === 'DELETE' && r.query.includes(`uploadId=${uploadId}`) && !r.refused),
    ).toBe(true);
  }, 120_000);

  it('a cancelled run (the job cancelled while parts are on the wire) aborts the multipart upload: no object', async () => {
    const ac = new AbortController();
    let held: (() => void) | undefined;
    s3.gate = (r) => {
      if (r.method === 'PUT' && /partNumber=\d+&/.test(r.query) && !ac.signal.aborted) {
        // The job is cancelled while this part is in flight.
        ac.abort(new Error('cancelled by SIGINT'));
        return new Promise<void>((resolve) => (held = resolve));
      }
    };
    const before = s3.requests.length;
    try {
      await expect(
        runBackupOffsite(
          cfg({ databaseUrl: pg.url('bulk'), compression: 'none', verify: 'none' }),
          off({ prefix: 'cancel/', url: `s3://${s3.bucket}/cancel/` }),
          where(),
          quietContext({ signal: ac.signal }),
        ),
      ).rejects.toThrow(/upload s3:\/\/backups\/cancel\/bulk-\S+ cancelled/);
    } finally {
      s3.gate = undefined;
      held?.();
    }
    const mine = s3.requests.slice(before);
    const uploadId = /uploadId=([0-9a-f]+)/.exec(mine.find((r) => /partNumber=/.test(r.query))!.query)![1];
    expect(mine.some((r) => r.method === 'DELETE' && r.query.includes(`uploadId=${uploadId}`))).toBe(true);
    expect(await s3.list('cancel/')).toEqual([]);
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
  }, 120_000);
});
