/**
 * ssh-rsync-deploy end to end: dist/ssh-rsync-deploy run as the runner runs it, against two real sshd
 * hosts on loopback. Each host has its own filesystem at the same deploy path (a private mount namespace),
 * so the test inspects hostA/ and hostB/ directly.
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
  writeFileSync,
  readdirSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), "dk deploy 'e2e' "));
const P = join(work, "app $(id) 'x'"); // hostile characters in the deploy path itself
const dirA = join(work, 'hostA');
const dirB = join(work, 'hostB');
const src = join(work, 'src');
let A: SshdHost;
let B: SshdHost;

function writeSource(files: number, tag: string): void {
  mkdirSync(join(src, 'app'), { recursive: true });
  for (let i = 0; i < files; i++) writeFileSync(join(src, 'app', `f${i}.txt`), `file ${i} `.repeat(200));
  writeFileSync(join(src, 'VERSION'), tag);
  mkdirSync(join(src, '.git'), { recursive: true });
  writeFileSync(join(src, '.git', 'HEAD'), 'ref');
  writeFileSync(join(src, '.deployignore'), 'secret-notes.txt\n');
  writeFileSync(join(src, 'secret-notes.txt'), 'do not ship');
}

function inputs(extra: Record<string, string> = {}, hosts = [A, B]): Record<string, string> {
  return {
    hosts: hosts.map((h) => h.spec).join('\n'),
    'private-key': A.privateKey,
    'known-hosts': hosts.map((h) => h.knownHosts).join('\n'),
    source: src,
    path: P,
    'lock-timeout': '2s',
    ...extra,
  };
}

const current = (d: string) => readlinkSync(join(d, 'current'));
const lockHeld = (d: string) => existsSync(join(d, '.deploy-kit', 'lock'));

beforeAll(async () => {
  for (const d of [P, dirA, dirB, src]) mkdirSync(d, { recursive: true });
  A = await startSshd({ mount: { dir: dirA, at: P } });
  B = await startSshd({ clientKey: A.privateKey, mount: { dir: dirB, at: P } });
  writeSource(100, 'v1');
});
afterAll(async () => {
  await A?.stop();
  await B?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('ssh-rsync-deploy (e2e, two real hosts)', () => {
  it('first deploy: release uploaded, shared files linked, switched atomically on both hosts', async () => {
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs({
        'release-id': 'r1',
        shared: ".env\nmedia\nuploads dir/it's",
        env: "GREETING=hello $(id) `x` 'q'\nMULTI=a",
        'before-activate': 'printf "%s" "$GREETING" > greeting.txt\ntest "$DEPLOY_KIT_RELEASE_ID" = r1',
        'after-activate': 'echo "$DEPLOY_KIT_RELEASE_ID" >> ../../activations.log',
      }),
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs['release-id']).toBe('r1');
    expect(run.outputs['release-path']).toBe(`${P}/releases/r1`);
    const hosts = JSON.parse(run.outputs.hosts!) as Array<{ result: string; files: number; bytesSent: number }>;
    expect(hosts.map((h) => h.result)).toEqual(['ok', 'ok']);
    expect(hosts[0]!.files).toBe(102); // 100 + VERSION + .deployignore
    for (const d of [dirA, dirB]) {
      expect(current(d)).toBe('releases/r1');
      const rel = join(d, 'releases', 'r1');
      expect(readFileSync(join(rel, 'VERSION'), 'utf8')).toBe('v1');
      expect(existsSync(join(rel, '.git'))).toBe(false);
      expect(existsSync(join(rel, 'secret-notes.txt'))).toBe(false);
      expect(readFileSync(join(rel, 'greeting.txt'), 'utf8')).toBe("hello $(id) `x` 'q'");
      expect(lstatSync(join(rel, '.env')).isSymbolicLink()).toBe(true);
      expect(readlinkSync(join(rel, 'media'))).toBe(`${P}/shared/media`);
      expect(statSync(join(d, 'shared', "uploads dir/it's")).isDirectory()).toBe(true);
      expect(readFileSync(join(d, 'activations.log'), 'utf8')).toBe('r1\n');
      expect(lockHeld(d)).toBe(false);
    }
    expect(run.summary).toContain('| r1 |');
    expect(run.post?.exitCode).toBe(0);
    expect(run.post?.stdout).toContain('removed the SSH key material');
  });

  it('second deploy with 1 % changed: unchanged files are hard links to the previous release', async () => {
    writeFileSync(join(src, 'app', 'f0.txt'), 'changed');
    const run = await runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r2', shared: '.env\nmedia' }));
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['previous-release-id']).toBe('r1');
    const hosts = JSON.parse(run.outputs.hosts!) as Array<{ files: number; bytesSent: number }>;
    expect(hosts[0]!.files).toBe(1);
    for (const d of [dirA, dirB]) {
      expect(current(d)).toBe('releases/r2');
      const ino = (r: string, f: string) => statSync(join(d, 'releases', r, 'app', f)).ino;
      expect(ino('r2', 'f1.txt')).toBe(ino('r1', 'f1.txt'));
      expect(ino('r2', 'f0.txt')).not.toBe(ino('r1', 'f0.txt'));
      expect(readFileSync(join(d, 'releases', 'r1', 'app', 'f0.txt'), 'utf8')).not.toBe('changed');
    }
  });

  it('keep-releases prunes old releases but never current or the rollback target', async () => {
    for (const id of ['r3', 'r4']) {
      writeFileSync(join(src, 'VERSION'), id);
      const run = await runDist('ssh-rsync-deploy', inputs({ 'release-id': id, 'keep-releases': '2' }));
      expect(run.exitCode, run.stdout).toBe(0);
    }
    for (const d of [dirA, dirB]) expect(readdirSync(join(d, 'releases')).sort()).toEqual(['r3', 'r4']);
  });

  it('rollback: current goes back to the previous good release, the bad one is marked, after-activate runs', async () => {
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs({ rollback: 'true', 'after-activate': 'echo rolled >> ../../activations.log' }),
    );
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs['release-id']).toBe('r3');
    expect(run.outputs['previous-release-id']).toBe('r4');
    for (const d of [dirA, dirB]) {
      expect(current(d)).toBe('releases/r3');
      expect(existsSync(join(d, '.deploy-kit', 'bad', 'r4'))).toBe(true);
      expect(readFileSync(join(d, 'activations.log'), 'utf8')).toMatch(/rolled\n$/);
    }
    // Nothing earlier is left to roll back to: a clear refusal, current unchanged.
    const again = await runDist('ssh-rsync-deploy', inputs({ rollback: 'true' }));
    expect(again.exitCode).toBe(1);
    expect(again.stdout).toContain('no earlier good release to roll back to');
    expect(current(dirA)).toBe('releases/r3');
  });

  it('canary: the second host fails before its switch, the first host is switched back', async () => {
    writeFileSync(join(dirB, 'fail-here'), '');
    try {
      const run = await runDist(
        'ssh-rsync-deploy',
        inputs({ 'release-id': 'r5', strategy: 'canary', 'before-activate': 'test ! -e ../../fail-here' }),
      );
      expect(run.exitCode).toBe(1);
      const hosts = JSON.parse(run.outputs.hosts!) as Array<{ result: string; error?: string }>;
      expect(hosts[0]!.result).toBe('reverted');
      expect(hosts[1]!.result).toBe('failed');
      expect(hosts[1]!.error).toMatch(/exited with code 1/);
      expect(current(dirA)).toBe('releases/r3');
      expect(current(dirB)).toBe('releases/r3');
      expect(existsSync(join(dirA, '.deploy-kit', 'bad', 'r5'))).toBe(true);
      expect(lockHeld(dirA) || lockHeld(dirB)).toBe(false);
    } finally {
      rmSync(join(dirB, 'fail-here'));
    }
  });

  it('a failing after-activate on one host switches every host back', async () => {
    writeFileSync(join(dirB, 'fail-here'), '');
    try {
      const run = await runDist(
        'ssh-rsync-deploy',
        inputs({ 'release-id': 'r6', 'after-activate': 'test ! -e ../../fail-here' }),
      );
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain('Hosts already switched went back');
      expect(current(dirA)).toBe('releases/r3');
      expect(current(dirB)).toBe('releases/r3');
    } finally {
      rmSync(join(dirB, 'fail-here'));
    }
  });

  it('host key mismatch and missing known-hosts are refused; nothing is uploaded', async () => {
    const wrongKeys = B.knownHosts.replace(`:${B.port}`, `:${A.port}`);
    const run = await runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r7', 'known-hosts': wrongKeys }, [A]));
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain(`host key for 127.0.0.1:${A.port} does not match known-hosts`);
    expect(existsSync(join(dirA, 'releases', 'r7'))).toBe(false);

    const missing = await runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r7', 'known-hosts': '' }, [A]));
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.join('\n')).toContain('input `known-hosts`: is required; run `ssh-keyscan -p');
    expect(existsSync(join(dirA, 'releases', 'r7'))).toBe(false);
  });

  it('dangerous paths and bad inputs are refused before any connection', async () => {
    for (const [extra, msg] of [
      [{ path: '/' }, 'refusing to deploy into /'],
      [{ path: '/root' }, 'refusing to deploy into a home directory'],
      [{ path: '/srv/../etc' }, 'must not contain . or .. segments'],
      [{ path: 'relative/app' }, 'must be absolute'],
      [{ 'release-id': '$(id)' }, 'input `release-id`'],
      [{ strategy: 'yolo' }, 'input `strategy`'],
      [{ shared: '../etc' }, 'input `shared`'],
    ] as const) {
      const run = await runDist('ssh-rsync-deploy', inputs(extra as Record<string, string>, [A]));
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain(msg);
    }
  });

  it('a command that hangs with a background process hits the idle timeout; the lock is released', async () => {
    const run = await runDist(
      'ssh-rsync-deploy',
      inputs({ 'release-id': 'r8', 'before-activate': 'echo started; sleep 60 &', 'idle-timeout': '2s' }, [A]),
    );
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('printed nothing for too long');
    expect(current(dirA)).toBe('releases/r3');
    expect(lockHeld(dirA)).toBe(false);
    expect(existsSync(join(dirA, 'releases', 'r8'))).toBe(false);
  });

  it('two deploys at once: the second waits for the lock and fails clearly; never interleaved', async () => {
    const first = runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r9', 'before-activate': 'sleep 4' }, [A]));
    await new Promise((r) => setTimeout(r, 1500));
    const second = await runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r10', 'lock-timeout': '1s' }, [A]));
    expect(second.exitCode).toBe(1);
    expect(second.stdout).toMatch(/is locked by another deploy/);
    expect(existsSync(join(dirA, 'releases', 'r10'))).toBe(false);
    const one = await first;
    expect(one.exitCode, one.stdout).toBe(0);
    expect(current(dirA)).toBe('releases/r9');
    expect(lockHeld(dirA)).toBe(false);
  });

  it('connection killed mid-upload: step fails, current unchanged, lock released; a retry succeeds', async () => {
    const big = join(src, 'big.bin');
    writeFileSync(
      big,
      Buffer.alloc(64 * 1024 * 1024, 7).map((_, i) => (i * 2654435761) & 0xff),
    );
    try {
      const running = runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r11' }, [A]));
      // Cut the connection as soon as the upload has started writing the new release.
      const deadline = Date.now() + 30_000;
      while (!existsSync(join(dirA, 'releases', 'r11')) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      A.dropConnections();
      const run = await running;
      expect(run.exitCode).toBe(1);
      expect(current(dirA)).toBe('releases/r9');
      expect(lockHeld(dirA)).toBe(false);
      const retry = await runDist('ssh-rsync-deploy', inputs({ 'release-id': 'r11' }, [A]));
      expect(retry.exitCode, retry.stdout).toBe(0);
      expect(current(dirA)).toBe('releases/r11');
      expect(statSync(join(dirA, 'releases', 'r11', 'big.bin')).size).toBe(64 * 1024 * 1024);
    } finally {
      rmSync(big, { force: true });
    }
  });
});
