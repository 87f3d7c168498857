/**
 * ssh-rsync-deploy end to end: dist/ssh-rsync-deploy run as the runner runs it, against two real sshd
 * hosts on loopback. Each host has its own filesystem at the same deploy path (a private mount namespace),
 * so the test inspects hostA/ and hostB/ directly. Every test deploys into a base directory of its own and
 * makes the releases it needs itself: each one runs alone (`-t`) as well as in any order.
 */
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';
import type { ActionRun } from '../../src/runner/run-action.js';

const work = mkdtempSync(join(tmpdir(), "dk deploy 'e2e' "));
const P = join(work, "app $(id) 'x'"); // hostile characters in the deploy path itself
const dirA = join(work, 'hostA');
const dirB = join(work, 'hostB');
let A: SshdHost;
let B: SshdHost;
let C: SshdHost; // a third host on the plain filesystem whose sshd counts sessions

/** One test's deploy base (the same path on both hosts) and its source tree. */
interface Site {
  path: string;
  a: string;
  b: string;
  src: string;
}

function writeSource(src: string, files: number, tag: string): void {
  mkdirSync(join(src, 'app'), { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(src, 'app', `f${i}.txt`), `file ${i} `.repeat(200));
  writeFileSync(join(src, 'VERSION'), tag);
  mkdirSync(join(src, '.git'), { recursive: true });
  writeFileSync(join(src, '.git', 'HEAD'), 'ref');
  writeFileSync(join(src, '.deployignore'), 'secret-notes.txt\n');
  writeFileSync(join(src, 'secret-notes.txt'), 'do not ship');
}

function site(name: string, files = 20): Site {
  const s = { path: join(P, name), a: join(dirA, name), b: join(dirB, name), src: join(work, `src-${name}`) };
  writeSource(s.src, files, 'v1');
  return s;
}

function inputs(s: Site, extra: Record<string, string> = {}, hosts = [A, B]): Record<string, string> {
  return {
    hosts: hosts.map((h) => h.spec).join('\n'),
    'private-key': A.privateKey,
    'known-hosts': hosts.map((h) => h.knownHosts).join('\n'),
    source: s.src,
    path: s.path,
    'lock-timeout': '2s',
    ...extra,
  };
}

const ok = (run: ActionRun): ActionRun => {
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  return run;
};
/** Deploys release `id` (VERSION = id) and expects success. */
async function deploy(s: Site, id: string, extra: Record<string, string> = {}, hosts = [A, B]): Promise<ActionRun> {
  writeFileSync(join(s.src, 'VERSION'), id);
  return ok(await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': id, ...extra }, hosts)));
}

const current = (d: string) => readlinkSync(join(d, 'current'));
const lockHeld = (d: string) => existsSync(join(d, '.deploy-kit', 'lock'));
const history = (d: string) =>
  readFileSync(join(d, '.deploy-kit', 'releases.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { event: string; id: string; how?: string; reason?: string });

beforeAll(async () => {
  for (const d of [P, dirA, dirB]) mkdirSync(d, { recursive: true });
  A = await startSshd({ mount: { dir: dirA, at: P } });
  B = await startSshd({ clientKey: A.privateKey, mount: { dir: dirB, at: P } });
  C = await startSshd({ clientKey: A.privateKey, countSessions: true });
});
afterAll(async () => {
  await A?.stop();
  await B?.stop();
  await C?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('ssh-rsync-deploy (e2e, two real hosts)', () => {
  it('first deploy: release uploaded, shared files linked, switched atomically on both hosts', async () => {
    const s = site('first', 100);
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs(s, {
        'release-id': 'r1',
        shared: ".env\nmedia\nuploads dir/it's\nstorage/logs/",
        env: "GREETING=hello $(id) `x` 'q'\nMULTI=a",
        'before-activate': 'printf "%s" "$GREETING" > greeting.txt\ntest "$DEPLOY_KIT_RELEASE_ID" = r1',
        'after-activate': 'echo "$DEPLOY_KIT_RELEASE_ID" >> ../../activations.log',
      }),
    );
    ok(run);
    expect(run.outputs['release-id']).toBe('r1');
    expect(run.outputs['release-path']).toBe(`${s.path}/releases/r1`);
    const hosts = JSON.parse(run.outputs.hosts!) as Array<{ result: string; files: number; bytesSent: number }>;
    expect(hosts.map((h) => h.result)).toEqual(['ok', 'ok']);
    expect(hosts[0]!.files).toBe(102); // 100 + VERSION + .deployignore
    for (const d of [s.a, s.b]) {
      expect(current(d)).toBe('releases/r1');
      const rel = join(d, 'releases', 'r1');
      expect(readFileSync(join(rel, 'VERSION'), 'utf8')).toBe('v1');
      expect(existsSync(join(rel, '.git'))).toBe(false);
      expect(existsSync(join(rel, 'secret-notes.txt'))).toBe(false);
      expect(readFileSync(join(rel, 'greeting.txt'), 'utf8')).toBe("hello $(id) `x` 'q'");
      expect(lstatSync(join(rel, '.env')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(rel, 'media'))).toBe(`${s.path}/shared/media`);
      expect(statSync(join(d, 'shared', "uploads dir/it's")).isDirectory()).toBe(true);
      expect(statSync(join(d, 'shared', 'storage', 'logs')).isDirectory()).toBe(true);
      expect(statSync(join(d, 'shared', '.env')).isFile()).toBe(true);
      expect(readFileSync(join(d, 'activations.log'), 'utf8')).toBe('r1\n');
      expect(lockHeld(d)).toBe(false);
      expect(history(d)).toEqual([expect.objectContaining({ event: 'activate', id: 'r1', how: 'deploy' })]);
    }
    expect(run.summary).toContain('| r1 |');
    expect(run.post?.exitCode).toBe(0);
  });

  it('second deploy with 1 % changed: unchanged files are hard links to the previous release', async () => {
    const s = site('second', 100);
    await deploy(s, 'r1');
    writeFileSync(join(s.src, 'app', 'f0.txt'), 'changed');
    const run = await deploy(s, 'r2', { shared: '.env\nmedia' });
    expect(run.outputs['previous-release-id']).toBe('r1');
    const hosts = JSON.parse(run.outputs.hosts!) as Array<{ files: number; bytesSent: number }>;
    expect(hosts[0]!.files).toBe(2); // f0.txt and VERSION
    for (const d of [s.a, s.b]) {
      expect(current(d)).toBe('releases/r2');
      const ino = (r: string, f: string) => statSync(join(d, 'releases', r, 'app', f)).ino;
      expect(ino('r2', 'f1.txt')).toBe(ino('r1', 'f1.txt'));
      expect(ino('r2', 'f0.txt')).not.toBe(ino('r1', 'f0.txt'));
      expect(readFileSync(join(d, 'releases', 'r1', 'app', 'f0.txt'), 'utf8')).not.toBe('changed');
    }
  });

  it('a changed file with the same size and mtime (clamped by a reproducible build) is sent, not linked', async () => {
    const s = site('checksum');
    const f = join(s.src, 'app', 'f3.txt');
    const clamp = new Date('1980-01-01T00:00:00Z');
    writeFileSync(f, 'AAAA-old-content');
    utimesSync(f, clamp, clamp);
    await deploy(s, 'r1', {}, [A]);
    writeFileSync(f, 'BBBB-new-content'); // same length
    utimesSync(f, clamp, clamp);
    await deploy(s, 'r2', {}, [A]);
    expect(current(s.a)).toBe('releases/r2');
    expect(readFileSync(join(s.a, 'releases', 'r2', 'app', 'f3.txt'), 'utf8')).toBe('BBBB-new-content');
    expect(readFileSync(join(s.a, 'releases', 'r1', 'app', 'f3.txt'), 'utf8')).toBe('AAAA-old-content');
    const ino = (r: string, n: string) => statSync(join(s.a, 'releases', r, 'app', n)).ino;
    expect(ino('r2', 'f3.txt')).not.toBe(ino('r1', 'f3.txt'));
    expect(ino('r2', 'f4.txt')).toBe(ino('r1', 'f4.txt')); // same content still linked
  });

  it('keep-releases prunes old releases but never current or the rollback target', async () => {
    const s = site('prune');
    for (const id of ['r1', 'r2', 'r3']) await deploy(s, id, { 'keep-releases': '1' }, [A]);
    // keep 1: current (r3) and the release a rollback goes back to (r2) stay.
    expect(readdirSync(join(s.a, 'releases')).sort()).toEqual(['r2', 'r3']);
    expect(readFileSync(join(s.a, '.deploy-kit', 'order'), 'utf8')).toBe('r2\nr3\n');
  });

  it('rollback: current goes back to the release live before, the bad one is marked, after-activate runs', async () => {
    const s = site('rollback');
    await deploy(s, 'r1');
    await deploy(s, 'r2');
    const run = ok(
      await runDist(
        'ssh-rsync-deploy',
        inputs(s, { rollback: 'true', 'after-activate': 'echo rolled >> ../../activations.log' }),
      ),
    );
    expect(run.outputs['release-id']).toBe('r1');
    expect(run.outputs['previous-release-id']).toBe('r2');
    for (const d of [s.a, s.b]) {
      expect(current(d)).toBe('releases/r1');
      expect(existsSync(join(d, '.deploy-kit', 'bad', 'r2'))).toBe(true);
      expect(readFileSync(join(d, 'activations.log'), 'utf8')).toBe('rolled\n');
      expect(history(d).slice(-2)).toEqual([
        expect.objectContaining({ event: 'bad', id: 'r2', reason: 'rolled back' }),
        expect.objectContaining({ event: 'activate', id: 'r1', how: 'rollback' }),
      ]);
      expect(lockHeld(d)).toBe(false);
    }
    // Nothing earlier is left to roll back to: a clear refusal, current unchanged, lock let go.
    const again = await runDist('ssh-rsync-deploy', inputs(s, { rollback: 'true' }));
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toContain('no earlier good release to roll back to');
    expect(current(s.a)).toBe('releases/r1');
    expect(lockHeld(s.a) || lockHeld(s.b)).toBe(false);
    // A release id that is not there: the message names the input and what exists; nothing moves.
    const missing = await runDist('ssh-rsync-deploy', inputs(s, { rollback: 'r9' }));
    expect(missing.exitCode).toBe(1);
    expect(missing.stdout).toContain(
      `input \`rollback\`: release r9 does not exist under ${s.path}/releases; name one that does (newest: r2, r1)`,
    );
    for (const d of [s.a, s.b]) {
      expect(current(d)).toBe('releases/r1');
      expect(lockHeld(d)).toBe(false);
      expect(history(d).at(-1)).toEqual(expect.objectContaining({ event: 'activate', id: 'r1', how: 'rollback' }));
    }
  });

  it('the README flow: v3 uploaded, its release phase fails, v4 goes live and fails its gate → rollback goes to v2, never v3', async () => {
    const s = site('history');
    await deploy(s, 'v1', {}, [A]);
    await deploy(s, 'v2', {}, [A]);
    const ssh = { hosts: A.spec, 'private-key': A.privateKey, 'known-hosts': A.knownHosts };
    // v3: upload only, then its release phase fails (never activated).
    await deploy(s, 'v3', { activate: 'false' }, [A]);
    const phase3 = await runDist('run-release-phase', {
      ...ssh,
      'working-directory': `${s.path}/releases/v3`,
      commands: 'echo migrating; exit 3',
    });
    expect(phase3.exitCode).toBe(1);
    expect(existsSync(join(s.a, '.deploy-kit', 'bad', 'v3'))).toBe(true);
    expect(current(s.a)).toBe('releases/v2');
    // A release marked bad is not activated.
    const refused = await runDist('ssh-rsync-deploy', inputs(s, { activate: 'only', 'release-id': 'v3' }, [A]));
    expect(refused.exitCode).toBe(1);
    expect(refused.stdout).toContain('release v3 is marked bad');
    expect(current(s.a)).toBe('releases/v2');
    // v4: upload, release phase passes, activate: only; then its health gate fails.
    await deploy(s, 'v4', { activate: 'false' }, [A]);
    ok(
      await runDist('run-release-phase', {
        ...ssh,
        'working-directory': `${s.path}/releases/v4`,
        commands: 'echo migrated',
      }),
    );
    await deploy(s, 'v4', { activate: 'only' }, [A]);
    expect(current(s.a)).toBe('releases/v4');
    const gate = await runDist('health-gate', { url: 'http://127.0.0.1:9/', deadline: '1s', period: '200ms' });
    expect(gate.exitCode).toBe(1);
    const back = ok(await runDist('ssh-rsync-deploy', inputs(s, { rollback: 'true' }, [A])));
    expect(back.outputs['release-id']).toBe('v2');
    expect(current(s.a)).toBe('releases/v2');
    expect(existsSync(join(s.a, '.deploy-kit', 'bad', 'v4'))).toBe(true);
    expect(
      history(s.a)
        .filter((e) => e.event === 'activate')
        .map((e) => e.id),
    ).toEqual(['v1', 'v2', 'v4', 'v2']);
    expect(lockHeld(s.a)).toBe(false);
  });

  it('round trips: a plain deploy is 3 SSH sessions on its host (before, rsync, after), a rollback 2', async () => {
    const s = { ...site('sessions'), path: join(work, 'plain', 'sessions') };
    s.a = s.path;
    const counted = async (extra: Record<string, string>): Promise<number> => {
      const before = C.sessions();
      ok(await runDist('ssh-rsync-deploy', inputs(s, extra, [C])));
      // sshd logs a session when it starts it: long before main exits and the post step has run.
      return C.sessions() - before;
    };
    expect(await counted({ 'release-id': 'r1' })).toBe(3);
    writeFileSync(join(s.src, 'app', 'f0.txt'), 'changed');
    expect(await counted({ 'release-id': 'r2' })).toBe(3);
    expect(await counted({ rollback: 'true' })).toBe(2);
    expect(current(s.a)).toBe('releases/r1');
    expect(lockHeld(s.a)).toBe(false);
  });

  it('canary: the second host fails before its switch, the first host is switched back', async () => {
    const s = site('canary');
    await deploy(s, 'r1');
    writeFileSync(join(s.b, 'fail-here'), '');
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs(s, { 'release-id': 'r2', strategy: 'canary', 'before-activate': 'test ! -e ../../fail-here' }),
    );
    expect(run.exitCode).toBe(1);
    const hosts = JSON.parse(run.outputs.hosts!) as Array<{ result: string; error?: string }>;
    expect(hosts[0]!.result).toBe('reverted');
    expect(hosts[1]!.result).toBe('failed');
    expect(hosts[1]!.error).toMatch(/exited with code 1/);
    expect(current(s.a)).toBe('releases/r1');
    expect(current(s.b)).toBe('releases/r1');
    expect(existsSync(join(s.a, '.deploy-kit', 'bad', 'r2'))).toBe(true);
    expect(existsSync(join(s.b, 'releases', 'r2'))).toBe(false); // never live there: discarded
    expect(lockHeld(s.a) || lockHeld(s.b)).toBe(false);
  });

  it('a failing after-activate on one host switches every host back', async () => {
    const s = site('after');
    await deploy(s, 'r1');
    writeFileSync(join(s.b, 'fail-here'), '');
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs(s, { 'release-id': 'r2', 'after-activate': 'test ! -e ../../fail-here' }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain('Hosts already switched went back');
    expect(current(s.a)).toBe('releases/r1');
    expect(current(s.b)).toBe('releases/r1');
    expect(lockHeld(s.a) || lockHeld(s.b)).toBe(false);
  });

  it('an existing release id is refused before any upload: never written into, never deleted', async () => {
    const s = site('reuse');
    await deploy(s, 'r1', {}, [A]);
    await deploy(s, 'r2', {}, [A]);
    writeFileSync(join(s.src, 'app', 'f1.txt'), 'must never reach a live release');
    for (const id of ['r2', 'r1']) {
      // r2 is current, r1 the rollback target; a failing before-activate would once have cleaned up after itself.
      const run = await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': id, 'before-activate': 'exit 1' }, [A]));
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain(`release ${id} already exists under ${s.path}/releases on this host`);
      const rel = join(s.a, 'releases', id);
      expect(readFileSync(join(rel, 'VERSION'), 'utf8')).toBe(id);
      expect(readFileSync(join(rel, 'app', 'f1.txt'), 'utf8')).toBe('file 1 '.repeat(200));
      expect(current(s.a)).toBe('releases/r2');
      expect(lockHeld(s.a)).toBe(false);
    }
    expect(readdirSync(join(s.a, 'releases')).sort()).toEqual(['r1', 'r2']);
  });

  it('host key mismatch and missing known-hosts are refused; nothing is uploaded', async () => {
    const s = site('hostkey');
    const wrongKeys = B.knownHosts.replace(`:${B.port}`, `:${A.port}`);
    const run = await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r7', 'known-hosts': wrongKeys }, [A]));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`host key for 127.0.0.1:${A.port} does not match known-hosts`);
    expect(existsSync(s.a)).toBe(false);

    const missing = await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r7', 'known-hosts': '' }, [A]));
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.join('\n')).toContain('input `known-hosts`: is required; run `ssh-keyscan -p');
    expect(existsSync(s.a)).toBe(false);
  });

  it('dangerous paths and bad inputs are refused before any connection', async () => {
    const s = site('inputs');
    for (const [extra, msg] of [
      [{ path: '/' }, 'refusing to deploy into /'],
      [{ path: '/root' }, 'refusing to deploy into a home directory'],
      [{ path: '//root' }, 'refusing to deploy into a home directory itself (/root)'],
      [{ path: '/home//deploy/' }, 'refusing to deploy into a home directory itself (/home/deploy)'],
      [{ path: '/etc' }, 'refusing to deploy into a system directory'],
      [{ path: '/srv/../etc' }, 'must not contain . or .. segments'],
      [{ path: 'relative/app' }, 'must be absolute'],
      [{ 'release-id': '$(id)' }, 'input `release-id`'],
      [{ strategy: 'yolo' }, 'input `strategy`'],
      [{ shared: '../etc' }, 'input `shared`'],
      [{ shared: '.' }, 'input `shared`: "." must be a relative path inside the release'],
    ] as const) {
      const run = await runDist('ssh-rsync-deploy', inputs(s, extra as Record<string, string>, [A]));
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain(msg);
      expect(run.stdout).not.toContain('uploading');
    }
    expect(existsSync(s.a)).toBe(false);
  });

  it('a base that resolves to a home directory on the host (a symlink) is refused before the first write', async () => {
    const s = site('homelink');
    mkdirSync(s.a, { recursive: true });
    const home = '/root'; // the sshd user's home here
    const before = readdirSync(home).sort();
    symlinkSync(home, join(s.a, 'app'));
    try {
      const run = await runDist('ssh-rsync-deploy', inputs(s, { path: `${s.path}/app`, 'release-id': 'r1' }, [A]));
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toMatch(
        /refusing to deploy into .*\/app: it resolves to \/root on this host \(the home directory of an account\)/,
      );
      expect(readdirSync(home).sort()).toEqual(before); // no releases/, shared/, .deploy-kit/, current
    } finally {
      for (const n of ['releases', 'shared', '.deploy-kit', 'current'])
        if (!before.includes(n)) rmSync(join(home, n), { recursive: true, force: true });
    }
  });

  it('a shared entry below a symlink in the upload is refused: nothing outside the release is moved', async () => {
    const s = site('sharedlink');
    await deploy(s, 'r1', {}, [A]);
    const outside = join(s.a, 'outside');
    mkdirSync(join(outside, 'uploads'), { recursive: true });
    writeFileSync(join(outside, 'uploads', 'keep.txt'), 'mine');
    symlinkSync('../../outside', join(s.src, 'data')); // in the release: data -> <base>/outside
    const run = await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r2', shared: 'data/uploads' }, [A]));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('never follows a link out of the release');
    expect(readFileSync(join(outside, 'uploads', 'keep.txt'), 'utf8')).toBe('mine');
    expect(existsSync(join(s.a, 'shared', 'data'))).toBe(false);
    expect(current(s.a)).toBe('releases/r1');
    expect(existsSync(join(s.a, 'releases', 'r2'))).toBe(false);
    expect(lockHeld(s.a)).toBe(false);
  });

  it('a command that hangs with a background process hits the idle timeout; the lock is released', async () => {
    const s = site('idle');
    await deploy(s, 'r1', {}, [A]);
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs(s, { 'release-id': 'r2', 'before-activate': 'echo started; sleep 60 &', 'idle-timeout': '2s' }, [A]),
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('printed nothing for too long');
    expect(current(s.a)).toBe('releases/r1');
    expect(lockHeld(s.a)).toBe(false);
    expect(existsSync(join(s.a, 'releases', 'r2'))).toBe(false);
  });

  it('two deploys at once: the second waits for the lock and fails clearly; never interleaved', async () => {
    const s = site('locked');
    const first = runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r9', 'before-activate': 'sleep 4' }, [A]));
    const deadline = Date.now() + 30_000;
    while (!lockHeld(s.a) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = await runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r10', 'lock-timeout': '1s' }, [A]));
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toMatch(/is locked by another deploy/);
    expect(existsSync(join(s.a, 'releases', 'r10'))).toBe(false);
    ok(await first);
    expect(current(s.a)).toBe('releases/r9');
    expect(lockHeld(s.a)).toBe(false);
  });

  it('a deploy that waited for the lock switches back to the release live when it got the lock, not the one before', async () => {
    const s = site('waited');
    await deploy(s, 'r1', {}, [A]);
    const srcB = join(work, 'src-waited-2');
    writeSource(srcB, 5, 'r3');
    const first = runDist(
      'ssh-rsync-deploy',
      inputs(s, { 'release-id': 'r2', 'before-activate': 'sleep 3', 'lock-timeout': '60s' }, [A]),
    );
    const deadline = Date.now() + 30_000;
    while (!lockHeld(s.a) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(lockHeld(s.a)).toBe(true);
    // Starts while r1 is live and waits; when it gets the lock r2 is live; its after-activate fails.
    const second = runDist(
      'ssh-rsync-deploy',
      inputs(s, { source: srcB, 'release-id': 'r3', 'after-activate': 'exit 1', 'lock-timeout': '60s' }, [A]),
    );
    ok(await first);
    const run = await second;
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/waiting for the deploy lock/);
    expect(run.outputs['previous-release-id']).toBe('r2');
    expect(current(s.a)).toBe('releases/r2');
    expect(existsSync(join(s.a, '.deploy-kit', 'bad', 'r3'))).toBe(true);
    expect(lockHeld(s.a)).toBe(false);
  });

  it('connection killed mid-upload: step fails, current unchanged, lock released; a retry succeeds', async () => {
    const s = site('killed');
    await deploy(s, 'r1', {}, [A]);
    const big = join(s.src, 'big.bin');
    writeFileSync(
      big,
      Buffer.alloc(64 * 1024 * 1024, 7).map((_, i) => (i * 2654435761) & 0xff),
    );
    const running = runDist('ssh-rsync-deploy', inputs(s, { 'release-id': 'r2' }, [A]));
    // Cut the connection as soon as the upload has started writing the new release.
    const deadline = Date.now() + 30_000;
    while (!existsSync(join(s.a, 'releases', 'r2', 'VERSION')) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    A.dropConnections();
    const run = await running;
    expect(run.exitCode).toBe(1);
    expect(current(s.a)).toBe('releases/r1');
    expect(lockHeld(s.a)).toBe(false);
    // Same release id again: the unfinished upload is replaced, not refused.
    const retry = await deploy(s, 'r2', {}, [A]);
    expect(current(s.a)).toBe('releases/r2');
    expect(statSync(join(s.a, 'releases', 'r2', 'big.bin')).size).toBe(64 * 1024 * 1024);
    expect(existsSync(join(s.a, '.deploy-kit', 'partial', 'r2'))).toBe(false);
    expect(retry.exitCode).toBe(0);
  });
});
