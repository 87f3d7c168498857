/**
 * Every kind of Target against real programs: the runner (child processes), an SSH host (a real sshd on
 * loopback), and containers (a real dockerd) reached through the runner and through the SSH host, by each
 * access kind. For each: run, a 0600 secret file removed on dispose, an upload/download round trip of a file
 * whose name is hostile, with sha256 checked on both sides.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshSession } from '../../src/lib/exec/ssh-config.js';
import { runChecked } from '../../src/lib/exec/types.js';
import { inContainer, type ContainerAccess } from '../../src/lib/target/container.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { SshHostTarget } from '../../src/lib/target/ssh.js';
import type { Target } from '../../src/lib/target/types.js';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';

const HOSTILE = "it's $(touch pwned) `id` -rf :x;&|*?\\ na\u00efve";
const local = mkdtempSync(join(tmpdir(), 'dk-target-'));
const payload = Buffer.concat([Buffer.from('line one\n::error::not a command\n'), Buffer.alloc(300_000, 7)]);
const source = join(local, `${HOSTILE}.bin`);
writeFileSync(source, payload);
const sha = execFileSync('sha256sum', { input: payload }).toString().split(' ')[0]!;

/** FROM scratch with busybox and the applets the targets use linked in /bin (plus a /tmp). */
function toolsImage(d: Dockerd, tag: string): void {
  const ctx = mkdtempSync(join(tmpdir(), 'dk-img-'));
  try {
    mkdirSync(join(ctx, 'bin'));
    mkdirSync(join(ctx, 'tmp'), { mode: 0o1777 });
    copyFileSync('/bin/busybox', join(ctx, 'bin', 'busybox'));
    for (const a of ['sh', 'cat', 'stat', 'sha256sum', 'mktemp', 'rm', 'sleep', 'printf', 'test', 'echo'])
      symlinkSync('busybox', join(ctx, 'bin', a));
    writeFileSync(
      join(ctx, 'Dockerfile'),
      'FROM scratch\nCOPY bin /bin\nCOPY tmp /tmp\nENV PATH=/bin\nENTRYPOINT ["/bin/busybox"]\n',
    );
    d.docker('build', '-q', '-t', tag, ctx);
  } finally {
    rmSync(ctx, { recursive: true, force: true });
  }
}

/** The checks every target must pass; `probe` runs a command on the side that holds the target's files. */
async function exercise(t: Target, probe: (argv: string[]) => Promise<string>, tag: string): Promise<void> {
  const r = await runChecked(t, { argv: ['sh', '-c', 'printf "%s|%s" "$1" "$V"', 'sh', HOSTILE], env: { V: 'x y' } });
  expect(r.stdout).toBe(`${HOSTILE}|x y`);

  const secret = await t.writeSecretFile('hunter2-secret\n', 'pgpass');
  const dir = await t.tempDir();
  expect(secret).toBe(`${dir}/pgpass`);
  expect((await probe(['stat', '-c', '%a', dir])).trim()).toBe('700');
  expect((await probe(['stat', '-c', '%a', secret])).trim()).toBe('600');
  expect(await probe(['cat', secret])).toBe('hunter2-secret\n');
  const unnamed = await t.writeSecretFile('second');
  expect(unnamed.startsWith(`${dir}/`)).toBe(true);

  const dest = `${dir}/${HOSTILE}`;
  const up = await t.upload(source, dest);
  expect(up).toEqual({ path: dest, sha256: sha });
  expect((await probe(['sh', '-c', 'sha256sum < "$1"', 'sh', dest])).split(' ')[0]).toBe(sha);
  const back = join(local, `${tag} ${HOSTILE}.back`);
  expect(await t.download(dest, back)).toEqual({ sha256: sha });
  expect(readFileSync(back).equals(payload)).toBe(true);
  const fresh = await t.upload(source);
  expect(fresh.sha256).toBe(sha);

  await t.dispose();
  await t.dispose(); // twice is fine
  expect((await probe(['sh', '-c', 'test -e "$1" && echo present || echo gone', 'sh', dir])).trim()).toBe('gone');
}

describe('Target against real programs', () => {
  let sshd: SshdHost;
  let session: SshSession;
  let dockerd: Dockerd;
  const runner = new RunnerTarget();

  beforeAll(async () => {
    [sshd, dockerd] = await Promise.all([startSshd(), startDockerd()]);
    session = new SshSession({ privateKey: sshd.privateKey, knownHosts: sshd.knownHosts });
    toolsImage(dockerd, 'dk-busybox');
    dockerd.docker('run', '-d', '--name', 'dk-long', '--network', 'none', 'dk-busybox', 'sleep', '3600');
  });
  afterAll(async () => {
    session?.dispose();
    await runner.dispose();
    await Promise.all([sshd?.stop(), dockerd?.stop()]);
    rmSync(local, { recursive: true, force: true });
  });

  const onRunner = async (argv: string[]): Promise<string> => (await runChecked(runner, { argv })).stdout;

  it('runner: child processes, files in RUNNER_TEMP', async () => {
    const t = new RunnerTarget(process.env, local);
    await exercise(t, onRunner, 'runner');
    // upload without a destination: the file is on the runner already
    expect((await t.upload(source)).path).toBe(source);
  });

  it('ssh: an SSH host through the shared master connection; rsync over the same trust path', async () => {
    const t = new SshHostTarget(session, { host: sshd.host, port: sshd.port, user: sshd.user }, runner);
    t.connect();
    const probeHost = new SshHostTarget(session, { host: sshd.host, port: sshd.port, user: sshd.user }, runner);
    await exercise(t, async (argv) => (await runChecked(probeHost, { argv })).stdout, 'ssh');
  });

  const dockerEnv = (): Record<string, string> => ({ DOCKER_HOST: dockerd.host });
  const inDocker = (argv: string[]) =>
    runChecked(runner, { argv: ['docker', 'exec', 'dk-long', ...argv], env: dockerEnv() }).then((r) => r.stdout);

  it('container (docker exec) through the runner: files inside the container', async () => {
    const t = inContainer(runner, { kind: 'docker-exec', container: 'dk-long' }, { dockerHost: dockerd.host });
    expect(t.target).toBe('container dk-long');
    await exercise(t, inDocker, 'docker-exec');
  });

  it('container (docker exec) through the SSH host', async () => {
    const host = new SshHostTarget(session, { host: sshd.host, port: sshd.port, user: sshd.user }, runner);
    const t = inContainer(host, { kind: 'docker-exec', container: 'dk-long' }, { dockerHost: dockerd.host });
    expect(t.target).toBe(`container dk-long on ${host.target}`);
    await exercise(t, inDocker, 'docker-exec-ssh');
    await host.dispose();
  });

  it('one-off containers (docker run --rm): files in the parent temp dir, mounted into each container', async () => {
    const access: ContainerAccess = { kind: 'docker-run', image: 'dk-busybox' };
    const t = inContainer(runner, access, { dockerHost: dockerd.host });
    const tmp = await t.tempDir();
    const secret = await t.writeSecretFile('s3cr3t', 'env');
    const r = await runChecked(t, { argv: ['cat', secret] });
    expect(r.stdout).toBe('s3cr3t');
    const inside = await runChecked(t, { argv: ['sh', '-c', 'echo "$V"'], env: { V: 'multi\nline' } });
    expect(inside.stdout).toBe('multi\nline\n');
    const up = await t.upload(source);
    expect(up.path.startsWith(`${tmp}/`)).toBe(true);
    expect((await runChecked(t, { argv: ['sha256sum', up.path] })).stdout.split(' ')[0]).toBe(sha);
    expect(dockerd.docker('ps', '-aq').trim().split('\n')).toHaveLength(1); // only dk-long: --rm removed them
    await t.dispose();
    await runner.dispose();
    expect(existsSync(tmp)).toBe(false);
  });

  it('one-off container stopped by a timeout is removed by name', async () => {
    const t = inContainer(runner, { kind: 'docker-run', image: 'dk-busybox' }, { dockerHost: dockerd.host });
    const r = await t.run({ argv: ['sleep', '60'] }, { timeoutMs: 3000 });
    expect(r.end).toBe('timeout');
    expect(dockerd.docker('ps', '-aq').trim().split('\n')).toHaveLength(1);
  });

  it('compose exec -T and compose run --rm -T (docker-compose v1 here) pass env by name only', async () => {
    const proj = mkdtempSync(join(tmpdir(), 'dk-compose-'));
    writeFileSync(
      join(proj, 'compose.yml'),
      'version: "3"\nservices:\n  app:\n    image: dk-busybox\n    entrypoint: ["/bin/busybox"]\n    command: ["sleep", "3600"]\n    network_mode: none\n',
    );
    const project = { flavor: 'v1' as const, files: ['compose.yml'], cwd: proj, project: 'dktarget' };
    try {
      execFileSync('docker-compose', ['-f', 'compose.yml', '-p', 'dktarget', 'up', '-d'], {
        cwd: proj,
        env: { ...process.env, ...dockerEnv() },
        stdio: 'ignore',
        timeout: 120_000,
      });
      const exec = inContainer(runner, { kind: 'compose-exec', project, service: 'app' }, { dockerHost: dockerd.host });
      const r = await runChecked(exec, { argv: ['sh', '-c', 'printf %s "$TOKEN"'], env: { TOKEN: 'tok en$1' } });
      expect(r.stdout).toBe('tok en$1');
      const file = await exec.writeSecretFile('abc', 'cred');
      expect((await runChecked(exec, { argv: ['stat', '-c', '%a', file] })).stdout.trim()).toBe('600');
      const dest = `${await exec.tempDir()}/${HOSTILE}`;
      expect(await exec.upload(source, dest)).toEqual({ path: dest, sha256: sha });
      expect(await exec.download(dest, join(local, 'compose.back'))).toEqual({ sha256: sha });
      await exec.dispose();

      const once = inContainer(runner, { kind: 'compose-run', project, service: 'app' }, { dockerHost: dockerd.host });
      const o = await runChecked(once, { argv: ['sh', '-c', 'printf %s "$TOKEN"'], env: { TOKEN: 'from env' } });
      expect(o.stdout).toBe('from env');
    } finally {
      execFileSync('docker-compose', ['-f', 'compose.yml', '-p', 'dktarget', 'down', '-t', '0'], {
        cwd: proj,
        env: { ...process.env, ...dockerEnv() },
        stdio: 'ignore',
        timeout: 120_000,
      });
      rmSync(proj, { recursive: true, force: true });
    }
  });

  it('a secret file is 0600 even under a permissive umask', async () => {
    const t = new RunnerTarget(process.env, local);
    const old = process.umask(0);
    try {
      const p = await t.writeSecretFile('x');
      expect(statSync(p).mode & 0o777).toBe(0o600);
    } finally {
      process.umask(old);
      await t.dispose();
    }
  });
});
