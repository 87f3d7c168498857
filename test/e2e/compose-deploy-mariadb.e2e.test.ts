/**
 * compose-deploy with `backup: mariadb` inside the compose project's db service, end to end: the bundle run as
 * the runner runs it, against a real bridged Docker Engine, docker-compose v1, and MariaDB 10.11 from this
 * machine's Debian files in a container (test/fixtures/compose-mini.ts: busybox httpd web + MariaDB with a
 * named volume). The dump is backup-db's mysql engine (`mariadb-dump` through `compose exec -T`), verified by a
 * restore into a throwaway database inside the service.
 *
 * - run-on local: the backup is kept under `<path>/.deploy-kit/backups/`, complete, checksummed, with the
 *   rows of the live database; the password is never in a log line.
 * - run-on ssh over a real sshd on 127.0.0.1: `keep-backups` prunes the host's backups dir through the SSH
 *   target (older backups of this database beyond the count go, the new one and unrelated files stay).
 * - restore-db-on-rollback with mariadb is refused naming the input before anything changes.
 * - a run SIGKILLed while the dump streams to the runner (run-on ssh): the post step removes the runner-side
 *   copies (db.ts's recorded temp dir) and the key folder; RUNNER_TEMP is empty afterwards; no file under the
 *   db container's /tmp holds the password (inside a container it goes on stdin or as MYSQL_PWD by name).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniAppImage, startMiniStack, type MiniStack } from '../fixtures/compose-mini.js';
import { filesUnder, killedRun } from '../fixtures/killed-run.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

let s: MiniStack;
let sshd: SshdHost;

beforeAll(async () => {
  s = await startMiniStack({ db: true });
  for (const v of ['v2', 'v3', 'v4']) miniAppImage(s.dockerd, `dk-mini:${v}`, v);
  s.sql(
    "CREATE DATABASE shop; CREATE TABLE shop.items (id int primary key, name varchar(40)); INSERT INTO shop.items VALUES (1, 'one'), (2, 'two'), (3, 'three');",
  );
  sshd = await startSshd();
}, 300_000);

afterAll(async () => {
  await sshd?.stop();
  await s?.stop();
});

const base = (extra: Record<string, string>): Record<string, string> => ({
  path: s.dir,
  pull: 'missing',
  backup: 'mariadb',
  database: 'shop',
  'database-url': s.databaseUrl('shop'),
  'healthy-timeout': '2m',
  'drain-timeout': '2s',
  ...extra,
});
const local = (extra: Record<string, string>) =>
  runDist('compose-deploy', { 'run-on': 'local', ...base(extra) }, { env: { DOCKER_HOST: s.dockerHost } });
const overSsh = (extra: Record<string, string>) =>
  runDist('compose-deploy', {
    hosts: sshd.spec,
    'private-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    'docker-host': s.dockerHost,
    ...base(extra),
  });

const backupsDir = () => join(s.dir, '.deploy-kit', 'backups');
const imageId = (tag: string) => s.docker('image', 'inspect', '--format', '{{.Id}}', tag).trim();

describe.sequential('compose-deploy backup: mariadb (inside the db service)', () => {
  it('run-on local: a verified mariadb-dump of the live database is kept on the host before the swap', async () => {
    const r = await local({ image: 'dk-mini:v2', 'release-id': 'rel-v2' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(s.running('web')).toEqual([imageId('dk-mini:v2')]);
    const path = r.outputs['backup-path']!;
    expect(path.startsWith(backupsDir() + '/')).toBe(true);
    expect(path).toMatch(/\/shop-\d{8}T\d{6}Z\.sql\.gz$/);
    const bytes = readFileSync(path);
    const host = JSON.parse(r.outputs.hosts!)[0];
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(host.backup.sha256);
    expect(host.backup.verification).toMatch(/restored into a throwaway database: 1 tables, 3 rows/);
    const sql = gunzipSync(bytes).toString('utf8');
    expect(sql).toMatch(/-- Dump completed/);
    expect(sql).toMatch(/INSERT INTO `items` VALUES\s*\(1,'one'\),\s*\(2,'two'\),\s*\(3,'three'\)/);
    // The throwaway database is gone; the live one is untouched.
    expect(s.sql('SHOW DATABASES').split('\n')).not.toContain(expect.stringMatching(/dkverify/));
    expect(s.sql('SELECT count(*) FROM shop.items')).toBe('3');
    // The password never reached the log (it crossed in a 0600 option file written over stdin).
    expect(r.stdout + r.stderr).not.toContain(s.dbPassword);
    expect(r.stdout).toMatch(/mariadb 10\.11/);
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
  }, 300_000);

  it("run-on ssh: keep-backups prunes the host's backups dir through the SSH target", async () => {
    // What earlier deploys left (older names), plus files retention must never touch.
    const old = ['shop-20240101T000000Z.sql.gz', 'shop-20240102T000000Z.sql.gz', 'shop-20240103T000000Z.sql.gz'];
    for (const n of old) writeFileSync(join(backupsDir(), n), 'old backup\n');
    writeFileSync(join(backupsDir(), 'notes.txt'), 'keep me\n');
    writeFileSync(join(backupsDir(), 'other-20240101T000000Z.sql.gz'), 'another database\n');
    const before = readdirSync(backupsDir()).filter((n) => /^shop-\d{8}T\d{6}Z\.sql\.gz$/.test(n));
    expect(before.length).toBe(4); // the three seeded + the one the first test made
    const firstBackup = before.find((n) => !old.includes(n))!;

    // verify: restore over SSH too: the restore reaches the service by `compose exec -T -e MYSQL_PWD` run on the
    // host, the value travelling in the SSH command's environment (never argv).
    const r = await overSsh({
      image: 'dk-mini:v3',
      'release-id': 'rel-v3',
      'keep-backups': '2',
      'backup-verify': 'restore',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    const path = r.outputs['backup-path']!;
    const newest = path.split('/').pop()!;
    const host = JSON.parse(r.outputs.hosts!)[0];
    expect(host.host).toContain(`127.0.0.1:${sshd.port}`);
    expect(host.backup.verification).toMatch(/restored into a throwaway database: 1 tables, 3 rows/);
    expect([...host.backup.removed].sort()).toEqual(old);
    // On the host: the two newest backups of shop (the first test's and this one), and the other files.
    expect(readdirSync(backupsDir()).sort()).toEqual(
      [firstBackup, newest, 'notes.txt', 'other-20240101T000000Z.sql.gz'].sort(),
    );
    expect(createHash('sha256').update(readFileSync(path)).digest('hex')).toBe(host.backup.sha256);
    expect(r.stdout).toMatch(/keep-backups 2: removed shop-20240101T000000Z\.sql\.gz/);
    expect(s.running('web')).toEqual([imageId('dk-mini:v3')]);
    expect(r.stdout + r.stderr).not.toContain(s.dbPassword);
    expect(r.post?.exitCode).toBe(0);
  }, 300_000);

  it('restore-db-on-rollback with mariadb is refused naming the input; nothing changes', async () => {
    const backups = readdirSync(backupsDir()).sort();
    const env = s.envImage();
    const r = await local({ image: 'dk-mini:v4', 'release-id': 'rel-v4', 'restore-db-on-rollback': 'true' });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(
      /input `restore-db-on-rollback`: is not available with backup: mariadb .*backup-db \(mode: restore\)/,
    );
    expect(r.outputs.status).toBeUndefined();
    expect(readdirSync(backupsDir()).sort()).toEqual(backups);
    expect(s.envImage()).toBe(env);
    expect(s.running('web')).toEqual([imageId('dk-mini:v3')]);
  }, 120_000);

  it('killed mid-backup over SSH (SIGKILL, no finally): the post step removes every runner-side copy and key', async () => {
    // Enough rows that the dump takes a while: the kill lands while it streams to the runner.
    s.sql(
      'CREATE TABLE shop.big (id int primary key, v varchar(64)); INSERT INTO shop.big SELECT seq, md5(seq) FROM seq_1_to_300000;',
      'shop',
    );
    const runnerTemp = mkdtempSync(join(tmpdir(), 'dk-cd-killed-'));
    try {
      const copies = () =>
        filesUnder(runnerTemp).filter((f) => /\/deploy-kit-composedeploy-[0-9a-f]{32}\/host-/.test(f));
      const k = await killedRun({
        action: 'compose-deploy',
        inputs: {
          hosts: sshd.spec,
          'private-key': sshd.privateKey,
          'known-hosts': sshd.knownHosts,
          'docker-host': s.dockerHost,
          ...base({ image: 'dk-mini:v4', 'release-id': 'rel-killed', 'backup-verify': 'list' }),
        },
        runnerTemp,
        killWhen: () => copies().length > 0,
      });
      expect(k.killedAtMoment, k.log).toBe(true);
      // What the killed main left: the dump being copied to the runner (and the SSH key folder).
      expect(k.leftInTemp.some((f) => /deploy-kit-composedeploy-/.test(f))).toBe(true);
      expect(k.postExitCode, k.postOutput).toBe(0);
      expect(k.postOutput).toMatch(/removed \d+ temp folder\(s\)/);
      expect(k.afterPost).toEqual([]);
      expect(readdirSync(runnerTemp)).toEqual([]);
      // Nothing that serves was changed: the kill came before the swap.
      expect(s.running('web')).toEqual([imageId('dk-mini:v3')]);
      // Inside the db container (out of the post step's reach) the password never rested on disk: no file under
      // its /tmp holds it (grep exit 1 = no match; 2 would be an error). The needle is the password's random part,
      // which an option file would hold verbatim (its quote and backslash escapes come after it).
      const needle = decodeURIComponent(new URL(s.databaseUrl('shop')).password).split("'")[0]!;
      expect(needle).toMatch(/^pw-[0-9a-z]+$/);
      const db = s.compose('ps', '-q', 'db').trim();
      const found = s.docker('exec', db, 'sh', '-c', 'grep -rlF -e "$1" /tmp; echo "rc=$?"', 'sh', needle);
      expect(found.trim()).toBe('rc=1');
      // Nor in a deploy-kit temp dir there at all (nothing needed one: verify was `list`).
      expect(s.docker('exec', db, 'sh', '-c', 'ls -d /tmp/deploy-kit.* 2>/dev/null; true').trim()).toBe('');
    } finally {
      rmSync(runnerTemp, { recursive: true, force: true });
    }
  }, 300_000);
});
