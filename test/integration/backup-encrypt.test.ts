import { execFileSync, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BackupConfig } from '../../src/core/backup-db/config.js';
import { openStore, type OffsiteConfig, type StorageConfig } from '../../src/core/backup-db/storage.js';
import { runBackupOffsite, runRestoreOffsite } from '../../src/core/backup-db/storage-run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { PG_BIN, startPostgres, type PgServer } from '../fixtures/postgres.js';
import { startS3, type S3Server } from '../fixtures/s3.js';

// Encryption on the runner before the backup leaves it (age format, age-encryption library), checked against the
// real `age` CLI (Debian's age package), a real S3-protocol server (SigV4 checked) and a real PostgreSQL 15.
describe('backup-db storage with age encryption', () => {
  let pg: PgServer;
  let s3: S3Server;
  let dir: string;
  let runner: RunnerTarget;
  let identity: string;
  let identityFile: string;
  let recipient: string;
  let otherIdentity: string;
  const marker = `dk-marker-${randomBytes(8).toString('hex')}`;
  const oldTemp = process.env.RUNNER_TEMP;

  const storage = (): StorageConfig => ({
    url: `s3://${s3.bucket}/enc/`,
    bucket: s3.bucket,
    prefix: 'enc/',
    endpoint: s3.endpoint,
    region: s3.region,
    accessKeyId: s3.accessKeyId,
    secretAccessKey: s3.secretAccessKey,
    sessionToken: '',
    forcePathStyle: true,
    verify: 'read',
    requestTimeoutMs: 30_000,
    connectTimeoutMs: 5_000,
    attempts: 2,
    transferTimeoutMs: 120_000,
  });
  const off = (o: Partial<OffsiteConfig> = {}): OffsiteConfig => ({
    storage: storage(),
    recipients: [recipient],
    identities: [],
    ...o,
  });
  const cfg = (over: Partial<BackupConfig> = {}): BackupConfig =>
    backupConfig({ outputDir: join(dir, 'out'), databaseUrl: pg.url('vault'), compression: 'zstd', ...over });
  const where = () => ({ host: runner, runner });
  const restoreCfg = (restoreFrom = 'latest') =>
    cfg({ mode: 'restore', restoreFrom, confirm: 'vault', outputDir: '', compression: 'zstd' });
  const markers = () => pg.sql(`SELECT count(*) FROM secret WHERE note = '${marker}'`, 'vault');
  const keygen = (): string => {
    const f = join(dir, `id-${randomBytes(4).toString('hex')}`);
    execFileSync('/usr/bin/age-keygen', ['-o', f], { stdio: 'ignore', timeout: 10_000 });
    return f;
  };

  beforeAll(async () => {
    process.env.PATH = `${PG_BIN}:${process.env.PATH}`;
    dir = mkdtempSync(join(tmpdir(), 'dk-enc-'));
    process.env.RUNNER_TEMP = dir;
    runner = new RunnerTarget();
    identityFile = keygen();
    identity = readFileSync(identityFile, 'utf8');
    recipient = execFileSync('/usr/bin/age-keygen', ['-y', identityFile], { encoding: 'utf8', timeout: 10_000 }).trim();
    otherIdentity = readFileSync(keygen(), 'utf8');
    [pg, s3] = await Promise.all([startPostgres(), startS3()]);
    pg.createDatabase('vault');
    // ~1 MB of rows (many 64 KiB age chunks), with a known marker in plain text (compression none).
    pg.sql(
      `CREATE TABLE secret (id int primary key, note text);
       INSERT INTO secret SELECT g, 'row ' || g || ' ' || md5(g::text) FROM generate_series(1, 20000) g;
       INSERT INTO secret VALUES (0, '${marker}');`,
      'vault',
    );
  }, 120_000);
  afterAll(async () => {
    await runner?.dispose();
    await s3?.stop();
    await pg?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
    process.env.RUNNER_TEMP = oldTemp;
  });

  let stored = '';

  it('encrypts on the runner: the bucket holds an age file; the age CLI decrypts it to exactly the verified backup', async () => {
    const { report, offsite } = await runBackupOffsite(cfg(), off(), where(), quietContext(), {
      now: () => new Date('2024-05-01T03:00:00Z'),
    });
    expect(offsite.stored).toMatchObject({ encrypted: true, name: 'vault-20240501T030000Z.dump.zst.age' });
    stored = `enc/${offsite.stored!.name}`;
    // The dump itself (pg_dump -Z0 before zstd) holds the marker in plain text.
    const raw = execFileSync('zstd', ['-dc', report.path], { maxBuffer: 64 << 20, timeout: 30_000 });
    expect(raw.includes(marker)).toBe(true);
    const local = readFileSync(report.path);
    const keys = await s3.list('enc/');
    expect(keys.map((k) => k.key)).toEqual([stored, `${stored}.sha256`]);
    const cipher = await s3.read(stored);
    expect(cipher.includes(marker)).toBe(false);
    // No 32-byte run of the file that was encrypted (checked at 1 KiB steps across all of it).
    for (let i = 0; i + 32 <= local.length; i += 1024) expect(cipher.includes(local.subarray(i, i + 32))).toBe(false);
    expect(cipher.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    expect(createHash('sha256').update(cipher).digest('hex')).toBe(offsite.stored!.sha256);
    // Interoperable: the age CLI decrypts it to exactly the local, verified backup.
    const cipherFile = join(dir, 'from-bucket.age');
    writeFileSync(cipherFile, cipher);
    const d = spawnSync('/usr/bin/age', ['-d', '-i', identityFile, cipherFile], {
      timeout: 30_000,
      maxBuffer: 64 << 20,
    });
    expect(d.status).toBe(0);
    expect(createHash('sha256').update(d.stdout).digest('hex')).toBe(report.sha256);
  });

  it('no plaintext byte reaches the bucket: an uncompressed SQLite backup holding a marker row, stored encrypted', async () => {
    const db = join(dir, 'notes.sqlite');
    execFileSync(
      'sqlite3',
      [db, `CREATE TABLE n (t text); INSERT INTO n SELECT '${marker}' || value FROM generate_series(1, 3000);`],
      {
        timeout: 30_000,
      },
    );
    const o = off();
    o.storage = { ...o.storage!, prefix: 'enc-sqlite/', url: `s3://${s3.bucket}/enc-sqlite/` };
    const { report, offsite } = await runBackupOffsite(
      cfg({ engine: 'sqlite', database: db, databaseUrl: '', compression: 'none', outputDir: join(dir, 'out-sqlite') }),
      o,
      where(),
      quietContext(),
    );
    const plain = readFileSync(report.path);
    expect(plain.includes(marker)).toBe(true); // what would have been sent without encryption
    const keys = await s3.list('enc-sqlite/');
    expect(keys.map((k) => k.key)).toEqual([
      `enc-sqlite/${offsite.stored!.name}`,
      `enc-sqlite/${offsite.stored!.name}.sha256`,
    ]);
    for (const k of keys) {
      const bytes = await s3.read(k.key);
      expect(bytes.includes(marker)).toBe(false);
      for (let i = 0; i + 32 <= plain.length; i += 1024) {
        const run = plain.subarray(i, i + 32);
        if (run.some((b) => b !== 0)) expect(bytes.includes(run)).toBe(false);
      }
    }
  });

  it('restore with a wrong identity fails naming decrypt-identity; the database is untouched', async () => {
    pg.sql(`DELETE FROM secret WHERE id = 0 OR id > 15000`, 'vault');
    await expect(
      runRestoreOffsite(
        restoreCfg(),
        off({ recipients: [], identities: [otherIdentity.match(/AGE-SECRET-KEY-\S+/)![0]] }),
        where(),
        quietContext(),
      ),
    ).rejects.toThrow(
      /input `decrypt-identity`: does not decrypt .*vault-20240501T030000Z\.dump\.zst\.age: no identity matched/,
    );
    expect(markers()).toBe('0');
    expect(pg.sql('SELECT count(*) FROM secret', 'vault')).toBe('15000');
    expect(readdirSync(dir).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
  });

  it('restore of an encrypted backup without decrypt-identity fails naming it', async () => {
    await expect(runRestoreOffsite(restoreCfg(), off({ recipients: [] }), where(), quietContext())).rejects.toThrow(
      /input `decrypt-identity`: .* is encrypted \(age\): set decrypt-identity/,
    );
    expect(pg.sql('SELECT count(*) FROM secret', 'vault')).toBe('15000');
  });

  it('an altered ciphertext (even with a matching .sha256) fails authentication; the database is untouched', async () => {
    const cipher = await s3.read(stored);
    const bad = Buffer.from(cipher);
    bad[Math.floor(bad.length / 2)]! ^= 0x01;
    const store = await openStore(storage());
    const name = 'vault-20240502T030000Z.dump.zst.age';
    await store.putBytes(name, bad);
    await store.putBytes(`${name}.sha256`, `${createHash('sha256').update(bad).digest('hex')}  ${name}\n`);
    store.dispose();
    const ids = { recipients: [], identities: [identity.match(/AGE-SECRET-KEY-\S+/)![0]] };
    await expect(runRestoreOffsite(restoreCfg(name), off(ids), where(), quietContext())).rejects.toThrow(
      /vault-20240502T030000Z\.dump\.zst\.age: decryption failed, the file was altered or cut short/,
    );
    expect(pg.sql('SELECT count(*) FROM secret', 'vault')).toBe('15000');
    expect(readdirSync(dir).filter((n) => n.startsWith('deploy-kit-offsite-'))).toEqual([]);
    // Remove it again so `latest` below is the good backup.
    const s2 = await openStore(storage());
    await s2.remove(`${name}.sha256`);
    await s2.remove(name);
    s2.dispose();
  });

  it('restore with the right identity (the identity file as age-keygen wrote it) brings the rows and the marker back', async () => {
    const { parseIdentities } = await import('../../src/core/backup-db/encrypt.js');
    const { report, offsite } = await runRestoreOffsite(
      restoreCfg(),
      off({ recipients: [], identities: parseIdentities(identity) }),
      where(),
      quietContext(),
    );
    expect(offsite.fetched).toMatchObject({ encrypted: true, name: 'vault-20240501T030000Z.dump.zst.age' });
    expect(report.path).toBe(`s3://${s3.bucket}/${stored}`);
    expect(markers()).toBe('1');
    expect(pg.sql('SELECT count(*) FROM secret', 'vault')).toBe('20001');
  });

  it('a recipient the library cannot use fails before anything is dumped or sent', async () => {
    const before = s3.requests.length;
    const out = join(dir, 'out-bad');
    await expect(
      runBackupOffsite(
        cfg({ outputDir: out }),
        off({ recipients: ['age1qqqqqqqqqqqqqqqqqqqq'] }),
        where(),
        quietContext(),
      ),
    ).rejects.toThrow(/input `encrypt-recipients`: "age1q+" is not a valid age public key/);
    expect(s3.requests.length).toBe(before);
    expect(() => readdirSync(out)).toThrow(/ENOENT/);
  });
});
