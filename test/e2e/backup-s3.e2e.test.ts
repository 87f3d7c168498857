/**
 * backup-db with storage, end to end: the bundle (dist/backup-db, its lazily loaded S3 chunks included) run as the
 * runner runs it, against a real S3-protocol server with SigV4 checked (test/fixtures/s3.ts), a real PostgreSQL 15
 * and real age keys (Debian's age-keygen).
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgres, type PgServer } from '../fixtures/postgres.js';
import { startS3, type S3Server } from '../fixtures/s3.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';
import { printed } from './backup-db-cmdline.js';

let pg: PgServer;
let s3: S3Server;
let sshd: SshdHost;
let work: string;
let identity: string;
let recipient: string;

/** The pid of the action process started with DK_TEST_TAG=<tag> (read from /proc), or 0. */
function pidTagged(tag: string): number {
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const env = readFileSync(`/proc/${d}/environ`, 'latin1');
      const cmd = readFileSync(`/proc/${d}/cmdline`, 'latin1');
      if (env.includes(`DK_TEST_TAG=${tag}\0`) && cmd.includes('dist/backup-db/index.js')) return Number(d);
    } catch {
      // gone, or not ours
    }
  }
  return 0;
}

const s3Inputs = (prefix: string) => ({
  storage: `s3://${s3.bucket}/${prefix}`,
  's3-endpoint': s3.endpoint,
  's3-region': s3.region,
  's3-access-key-id': s3.accessKeyId,
  's3-secret-access-key': s3.secretAccessKey,
});

/** run-on ssh to the test's sshd. */
const sshInputs = () => ({
  'run-on': 'ssh',
  hosts: sshd.spec,
  'private-key': sshd.privateKey,
  'known-hosts': sshd.knownHosts,
});

/** Files on the "server" before a run: `old` backups with a .sha256 beside each (they count), `others` without. */
function seedServerDir(dir: string, old: readonly string[], others: readonly string[]): void {
  for (const n of [...old, ...others]) writeFileSync(join(dir, n), 'x');
  for (const n of old) writeFileSync(join(dir, `${n}.sha256`), `${'0'.repeat(64)}  ${n}\n`);
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'dk-s3-e2e-'));
  [pg, s3, sshd] = await Promise.all([startPostgres(), startS3(), startSshd()]);
  pg.createDatabase('app');
  pg.sql(
    "CREATE TABLE note (id int primary key, t text); INSERT INTO note SELECT g, 'note ' || g FROM generate_series(1, 3000) g;",
    'app',
  );
  const idFile = join(work, 'key.txt');
  execFileSync('/usr/bin/age-keygen', ['-o', idFile], { stdio: 'ignore', timeout: 10_000 });
  identity = readFileSync(idFile, 'utf8');
  recipient = execFileSync('/usr/bin/age-keygen', ['-y', idFile], { encoding: 'utf8', timeout: 10_000 }).trim();
}, 120_000);

afterAll(async () => {
  await sshd?.stop();
  await s3?.stop();
  await pg?.stop();
  if (work) rmSync(work, { recursive: true, force: true });
});

describe('backup-db bundle with storage', () => {
  it('backs up encrypted to the storage without output-dir; secrets stay out of logs, outputs and summary', async () => {
    const runnerTemp = mkdtempSync(join(work, 'rt-'));
    const r = await runDist(
      'backup-db',
      { 'database-url': pg.url('app'), ...s3Inputs('daily'), 'encrypt-recipients': recipient, keep: '2' },
      { env: { RUNNER_TEMP: runnerTemp } },
    );
    expect(r.stderr + r.stdout).not.toMatch(/::error/);
    expect(r.exitCode).toBe(0);
    expect(r.outputs.encrypted).toBe('true');
    expect(r.outputs['storage-url']).toMatch(
      new RegExp(`^s3://${s3.bucket}/daily/app-\\d{8}T\\d{6}Z\\.dump\\.zst\\.age$`),
    );
    expect(r.outputs.path).toBe(r.outputs['storage-url']);
    const key = r.outputs['storage-url']!.slice(`s3://${s3.bucket}/`.length);
    expect((await s3.list('daily/')).map((k) => k.key)).toEqual([key, `${key}.sha256`]);
    expect((await s3.read(`${key}.sha256`)).toString()).toBe(`${r.outputs['storage-sha256']}  ${key.split('/')[1]}\n`);
    expect(r.summary).toContain('off-site');
    expect(r.summary).toContain('age-encrypted on the runner');
    const all = printed(r) + r.summary + JSON.stringify(r.outputs) + (r.post ? printed(r.post) : '');
    expect(all).not.toContain(s3.secretAccessKey);
    expect(all).not.toContain(s3.accessKeyId);
    expect(all).not.toContain(pg.password);
    // Nothing of the run is left on the runner (the plaintext copy lived in a private temp dir).
    expect(readdirSync(runnerTemp)).toEqual([]);
  });

  it('a run killed in the middle of the upload leaves no object that looks complete; restore latest takes the previous backup', async () => {
    pg.createDatabase('bulk');
    // ~21 MB of md5 text: two or more 8 MiB parts after zstd.
    pg.sql(
      'CREATE TABLE b AS SELECT g, md5(random()::text) || md5(random()::text) || md5(random()::text) AS t FROM generate_series(1, 220000) g',
      'bulk',
    );
    const first = await runDist('backup-db', { 'database-url': pg.url('bulk'), ...s3Inputs('bulk'), verify: 'none' });
    expect(first.exitCode).toBe(0);
    const complete = (await s3.list('bulk/')).map((k) => k.key);
    expect(complete).toHaveLength(2);

    const tag = randomBytes(6).toString('hex');
    const runnerTemp = mkdtempSync(join(work, 'rt-'));
    let killed = 0;
    let release: () => void = () => undefined;
    s3.gate = (req) => {
      if (req.method === 'PUT' && /partNumber=2&/.test(req.query) && !killed) {
        // Parts are on the wire: kill the action outright (no finally, no abort request).
        killed = pidTagged(tag);
        if (killed) process.kill(killed, 'SIGKILL');
        return new Promise<void>((r) => (release = r));
      }
    };
    let second;
    try {
      second = await runDist(
        'backup-db',
        { 'database-url': pg.url('bulk'), ...s3Inputs('bulk'), verify: 'none' },
        { env: { DK_TEST_TAG: tag, RUNNER_TEMP: runnerTemp } },
      );
    } finally {
      s3.gate = undefined;
      release();
    }
    expect(killed).toBeGreaterThan(0);
    expect(second.exitCode).toBeNull(); // killed by a signal
    // The upload was under way: its multipart upload was created and parts were on the wire.
    expect(s3.requests.some((q) => /uploads=/.test(q.query) && q.status === 200 && q.path.includes('/bulk/'))).toBe(
      true,
    );
    // The storage holds exactly what it held before: the half-sent upload never became an object.
    expect((await s3.list('bulk/')).map((k) => k.key)).toEqual(complete);
    // The post step removed the run's private temp dirs on the runner (recorded before they were made).
    expect(second.post?.exitCode).toBe(0);
    expect(readdirSync(runnerTemp).filter((n) => n.startsWith('deploy-kit-'))).toEqual([]);

    pg.sql('DELETE FROM b WHERE g > 100', 'bulk');
    const restore = await runDist('backup-db', {
      'database-url': pg.url('bulk'),
      ...s3Inputs('bulk'),
      mode: 'restore',
      'restore-from': 'latest',
      confirm: 'bulk',
    });
    expect(restore.exitCode).toBe(0);
    expect(restore.outputs['storage-url']).toBe(`s3://${s3.bucket}/${complete[0]}`);
    expect(pg.sql('SELECT count(*) FROM b', 'bulk')).toBe('220000');
  }, 240_000);

  it('restores the encrypted backup with decrypt-identity; a wrong identity fails and changes nothing', async () => {
    pg.sql('DELETE FROM note WHERE id > 100', 'app');
    const other = join(work, 'other.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', other], { stdio: 'ignore', timeout: 10_000 });
    const bad = await runDist('backup-db', {
      'database-url': pg.url('app'),
      ...s3Inputs('daily'),
      mode: 'restore',
      'restore-from': 'latest',
      confirm: 'app',
      'decrypt-identity': readFileSync(other, 'utf8'),
    });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/input `decrypt-identity`: does not decrypt/);
    expect(printed(bad)).not.toContain('AGE-SECRET-KEY-');
    expect(pg.sql('SELECT count(*) FROM note', 'app')).toBe('100');
    const good = await runDist('backup-db', {
      'database-url': pg.url('app'),
      ...s3Inputs('daily'),
      mode: 'restore',
      'restore-from': 'latest',
      confirm: 'app',
      'decrypt-identity': identity,
    });
    expect(printed(good)).not.toContain('AGE-SECRET-KEY-');
    expect(good.exitCode).toBe(0);
    expect(good.outputs.encrypted).toBe('true');
    expect(JSON.parse(good.outputs.tables!)).toEqual({ 'public.note': 3000 });
    expect(pg.sql('SELECT count(*) FROM note', 'app')).toBe('3000');
  });

  it('bad storage inputs fail before anything runs, naming the input', async () => {
    const noStorage = await runDist('backup-db', {
      'database-url': pg.url('app'),
      'output-dir': join(work, 'x'),
      'encrypt-recipients': recipient,
    });
    expect(noStorage.exitCode).toBe(1);
    expect(noStorage.stdout).toContain('input `encrypt-recipients`: is used with storage or remote-dir only');
    const secretAsRecipient = await runDist('backup-db', {
      'database-url': pg.url('app'),
      ...s3Inputs('daily'),
      'encrypt-recipients': identity.match(/AGE-SECRET-KEY-\S+/)![0],
    });
    expect(secretAsRecipient.exitCode).toBe(1);
    expect(secretAsRecipient.stdout).toContain('input `encrypt-recipients`: holds an age identity');
    expect(printed(secretAsRecipient)).not.toContain('AGE-SECRET-KEY-1');
    const noKeys = await runDist('backup-db', { 'database-url': pg.url('app'), storage: `s3://${s3.bucket}/x` });
    expect(noKeys.exitCode).toBe(1);
    expect(noKeys.stdout).toContain('input `s3-access-key-id`: is required with storage');
    expect(readdirSync(work).includes('x')).toBe(false);
    expect((await s3.list('x/')).length).toBe(0);
  });

  it('run-on ssh: retention applies to remote-dir on the server too (after the copy is checked), only to finished backups of the database', async () => {
    const remote = join(work, 'server-backups');
    mkdirSync(remote);
    const old = ['app-20240101T020000Z.dump.zst', 'app-20240102T020000Z.dump.zst', 'app-20240103T020000Z.dump.zst'];
    // A copy without its .sha256 (a copy that never finished, or made by something else): never counted nor removed.
    const others = [
      'app-20240104T020000Z.dump.zst.partial',
      'crm-20240101T020000Z.dump.zst',
      'README.txt',
      'app-20231231T020000Z.dump.zst',
    ];
    seedServerDir(remote, old, others);
    const r = await runDist('backup-db', {
      ...sshInputs(),
      'database-url': pg.url('app'),
      'remote-dir': remote,
      ...s3Inputs('ssh'),
      keep: '2',
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const made = r.outputs['remote-path']!.split('/').pop()!;
    expect(JSON.parse(r.outputs['remote-removed']!)).toEqual(old.slice(0, 2));
    expect(readdirSync(remote).sort()).toEqual([old[2], `${old[2]}.sha256`, made, `${made}.sha256`, ...others].sort());
    // The new copy's .sha256 on the server checks out with sha256sum -c.
    expect(execFileSync('sha256sum', ['-c', `${made}.sha256`], { cwd: remote, encoding: 'utf8' })).toBe(
      `${made}: OK\n`,
    );
    expect(r.annotations.join('\n')).toMatch(
      /1 file\(s\) named like backups have no \.sha256 beside them.*allow-unverified: true: app-20231231T020000Z\.dump\.zst/,
    );
    // The storage got the same backup, and its own retention saw only it.
    expect(JSON.parse(r.outputs['storage-removed']!)).toEqual([]);
    expect((await s3.list('ssh/')).map((k) => k.key)).toEqual([`ssh/${made}`, `ssh/${made}.sha256`]);
    expect(r.summary).toContain('remote-dir retention');
    expect(printed(r)).not.toContain(sshd.privateKey.split('\n')[1]);
  }, 120_000);

  it('run-on ssh with encrypt-recipients: the remote-dir copy is age-encrypted (no 32-byte run of the dump on the server), retention applies there; restoring it works with the right identity only', async () => {
    pg.createDatabase('vault');
    pg.sql(
      "CREATE TABLE s (id int primary key, t text); INSERT INTO s SELECT g, 'secret row ' || g || ' ' || md5(g::text) FROM generate_series(1, 2000) g;",
      'vault',
    );
    const remote = join(work, 'server-vault');
    const out = join(work, 'vault-out');
    mkdirSync(remote);
    const old = ['vault-20240101T020000Z.dump', 'vault-20240102T020000Z.dump.age'];
    const others = ['vault-20240103T020000Z.dump.age.partial', 'crm-20240101T020000Z.dump.age', 'README.txt'];
    seedServerDir(remote, old, others);
    const r = await runDist('backup-db', {
      ...sshInputs(),
      'database-url': pg.url('vault'),
      'output-dir': out,
      'remote-dir': remote,
      compression: 'none',
      'encrypt-recipients': recipient,
      keep: '2',
    });
    expect(r.exitCode, printed(r)).toBe(0);
    const made = r.outputs['remote-path']!.split('/').pop()!;
    expect(made).toMatch(/^vault-\d{8}T\d{6}Z\.dump\.age$/);
    expect(r.outputs.encrypted).toBe('true');
    // Retention on the server counted the encrypted copies with the others of vault: keep 2 = the new one + the newest old.
    expect(JSON.parse(r.outputs['remote-removed']!)).toEqual([old[0]]);
    expect(readdirSync(remote).sort()).toEqual([old[1], `${old[1]}.sha256`, made, `${made}.sha256`, ...others].sort());
    // The .sha256 on the server is of the ciphertext (what is there).
    expect(execFileSync('sha256sum', ['-c', `${made}.sha256`], { cwd: remote, encoding: 'utf8' })).toBe(
      `${made}: OK\n`,
    );
    expect(r.summary).toContain('age-encrypted on the runner (no plaintext on the server)');
    // The runner's copy (output-dir) is the plaintext; the server holds only ciphertext of it.
    const plain = readFileSync(join(out, made.slice(0, -'.age'.length)));
    const cipher = readFileSync(join(remote, made));
    expect(plain.length).toBeGreaterThan(10_000);
    expect(cipher.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    for (let i = 0; i + 32 <= plain.length; i += 16) {
      if (cipher.indexOf(plain.subarray(i, i + 32)) >= 0)
        throw new Error(`plaintext bytes ${i}..${i + 32} on the server`);
    }
    // The age CLI decrypts the server's copy to exactly the verified backup.
    const idFile = join(work, 'key.txt');
    const decrypted = execFileSync('/usr/bin/age', ['-d', '-i', idFile, join(remote, made)], { timeout: 30_000 });
    expect(decrypted.equals(plain)).toBe(true);

    pg.sql('DELETE FROM s WHERE id > 10', 'vault');
    const other = join(work, 'other-vault.txt');
    execFileSync('/usr/bin/age-keygen', ['-o', other], { stdio: 'ignore', timeout: 10_000 });
    const restoreInputs = {
      'database-url': pg.url('vault'),
      mode: 'restore',
      'restore-from': join(remote, made),
      confirm: 'vault',
    };
    const bad = await runDist('backup-db', { ...restoreInputs, 'decrypt-identity': readFileSync(other, 'utf8') });
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout).toMatch(/input `decrypt-identity`: does not decrypt/);
    expect(printed(bad)).not.toContain('AGE-SECRET-KEY-');
    expect(pg.sql('SELECT count(*) FROM s', 'vault')).toBe('10');
    const good = await runDist('backup-db', { ...restoreInputs, 'decrypt-identity': identity });
    expect(good.exitCode, printed(good)).toBe(0);
    expect(printed(good)).not.toContain('AGE-SECRET-KEY-');
    expect(JSON.parse(good.outputs.tables!)).toEqual({ 'public.s': 2000 });
    expect(good.outputs.encrypted).toBe('true');
    expect(pg.sql('SELECT count(*) FROM s', 'vault')).toBe('2000');
    // The server's copy is untouched by the restore (decrypted into a private dir on the runner, removed after).
    expect(readFileSync(join(remote, made)).equals(cipher)).toBe(true);
  }, 120_000);

  it('a 1 GB+ backup streams to the storage and back with the peak memory measured (ceiling 150 MB: 1.5x the 100 MB goal)', async () => {
    // 1.1 GB of random bytes in SQLite (zstd cannot shrink them: the stored object is as big as the dump).
    const db = join(work, 'big.sqlite');
    execFileSync(
      'sqlite3',
      [
        db,
        'CREATE TABLE b(x); WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i+1 FROM c WHERE i<1100) INSERT INTO b SELECT randomblob(1000000) FROM c;',
      ],
      { timeout: 120_000 },
    );
    const tag = randomBytes(6).toString('hex');
    let peak = 0;
    let pid = 0;
    // VmHWM is the kernel's own high-water mark of the process: sampling only has to see the process once alive.
    const sampler = setInterval(() => {
      pid ||= pidTagged(tag);
      if (!pid) return;
      try {
        const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
        if (m) peak = Math.max(peak, Number(m[1]) * 1024);
      } catch {
        // gone
      }
    }, 50);
    let r;
    try {
      r = await runDist(
        'backup-db',
        { engine: 'sqlite', database: db, ...s3Inputs('big'), verify: 'none' },
        { env: { DK_TEST_TAG: tag } },
      );
    } finally {
      clearInterval(sampler);
      rmSync(db, { force: true });
    }
    expect(r.exitCode, printed(r)).toBe(0);
    const size = Number(r.outputs['storage-size-bytes']);
    expect(size).toBeGreaterThan(1_100_000_000);
    const key = r.outputs['storage-url']!.slice(`s3://${s3.bucket}/`.length);
    expect((await s3.list('big/')).map((k) => [k.key, k.size])).toEqual([
      [key, size],
      [`${key}.sha256`, 65 + 2 + key.split('/')[1]!.length],
    ]);
    // Uploaded in parts and read back whole (s3-verify: read), both through the action's process.
    expect(r.stdout).toMatch(/read back: \d+ bytes, sha256 matches/);
    expect(pid).toBeGreaterThan(0);
    expect(peak, `peak RSS ${(peak / 1e6).toFixed(1)} MB for a ${(size / 1e9).toFixed(2)} GB backup`).toBeLessThan(
      150_000_000,
    );
    expect(peak).toBeGreaterThan(20_000_000); // the sampler saw the running process, not a zombie
  }, 300_000);
});
