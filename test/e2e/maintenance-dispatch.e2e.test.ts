/**
 * maintenance-dispatch end to end: the bundle run as the runner runs it, against a real Docker Engine and
 * the real docker-compose v1 CLI (the v2 plugin is not packaged here; its argv is unit-tested), both
 * locally and over a real sshd.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxImage, startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk-maint-'));
const app = join(work, 'app');
let d: Dockerd;
let sshd: SshdHost;
let reg: Registry;

const compose = (...args: string[]) =>
  execFileSync('docker-compose', args, {
    cwd: app,
    env: { ...process.env, DOCKER_HOST: d.host },
    stdio: 'pipe',
  }).toString();

beforeAll(async () => {
  d = await startDockerd();
  busyboxImage(d, 'dk-busybox:test');
  mkdirSync(app, { recursive: true });
  writeFileSync(
    join(app, 'docker-compose.yml'),
    [
      'version: "3"',
      'services:',
      ...['web', 'db'].flatMap((s) => [
        `  ${s}:`,
        '    image: dk-busybox:test',
        '    command: ["sleep", "3600"]',
        '    network_mode: none',
      ]),
    ].join('\n') + '\n',
  );
  compose('-p', 'dkapp', 'up', '-d');
  [sshd, reg] = await Promise.all([startSshd(), startRegistry()]);
}, 180_000);

afterAll(async () => {
  try {
    compose('-p', 'dkapp', 'down', '-t', '1');
  } catch {
    // engine gone
  }
  await sshd?.stop();
  await reg?.stop();
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const local = (extra: Record<string, string>) =>
  runDist(
    'maintenance-dispatch',
    { 'run-on': 'local', path: app, 'project-name': 'dkapp', ...extra },
    { env: { DOCKER_HOST: d.host } },
  );

describe('maintenance-dispatch against a real Docker Engine (e2e)', () => {
  it('status reports every service running, with resource figures', async () => {
    const run = await local({ command: 'status' });
    expect(run.exitCode, run.stdout).toBe(0);
    const [host] = JSON.parse(run.outputs.status!) as Array<{
      containers: Array<{ service: string; state: string }>;
      stats: unknown[];
    }>;
    expect(host!.containers.map((c) => `${c.service}:${c.state}`).sort()).toEqual(['db:running', 'web:running']);
    expect(host!.stats).toHaveLength(2);
    expect(run.summary).toContain('| web | dkapp_web_1 | running |');
  });

  it('a stopped service fails status; heal starts it; status is green again', async () => {
    d.docker('stop', '-t', '1', 'dkapp_web_1');
    const down = await local({ command: 'status' });
    expect(down.exitCode).toBe(1);
    expect(down.outputs.down).toBe('["web"]');
    expect(down.annotations.join('\n')).toContain('services down: web');

    const heal = await local({ command: 'heal' });
    expect(heal.exitCode, heal.stdout).toBe(0);
    expect(heal.outputs.restarted).toBe('["web"]');
    expect(d.docker('inspect', '-f', '{{.State.Status}}', 'dkapp_web_1').trim()).toBe('running');
  });

  it('restart-db restarts only the db container', async () => {
    const before = d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkapp_db_1', 'dkapp_web_1').split('\n');
    const run = await local({ command: 'restart-db' });
    expect(run.exitCode, run.stdout).toBe(0);
    const after = d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkapp_db_1', 'dkapp_web_1').split('\n');
    expect(after[0]).not.toBe(before[0]);
    expect(after[1]).toBe(before[1]);
  });

  it('over SSH: logs and status with DOCKER_HOST passed through env (stdin, not argv)', async () => {
    const run = await runDist('maintenance-dispatch', {
      command: 'status',
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: app,
      'project-name': 'dkapp',
      env: `DOCKER_HOST=${d.host}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.result).toBe('ok');
    expect(run.post?.exitCode).toBe(0);
  });

  it('a failing command fails the step and names the host', async () => {
    const run = await local({ command: 'restart-service', service: 'nosuchservice' });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.result).toBe('failed');
    expect(run.annotations.join('\n')).toMatch(/local: .*restart nosuchservice.* exited with code/);
  });

  it('update pulls the pinned image from a registry and recreates the service on it; a bad pin fails and changes nothing', async () => {
    // A second compose project whose web image comes from the environment, as a pipeline pins it by digest.
    const pinned = join(work, 'pinned');
    mkdirSync(pinned, { recursive: true });
    writeFileSync(
      join(pinned, 'docker-compose.yml'),
      'version: "3"\nservices:\n  web:\n    image: ${APP_IMAGE}\n    command: ["sleep", "3600"]\n    network_mode: none\n',
    );
    const repo = `${reg.host}/dk-app`;
    d.docker('tag', 'dk-busybox:test', `${repo}:v1`);
    d.docker('push', `${repo}:v1`);
    const digest = d.docker('inspect', '-f', '{{index .RepoDigests 0}}', `${repo}:v1`).trim();
    expect(digest).toMatch(/@sha256:[0-9a-f]{64}$/);
    d.docker('rmi', `${repo}:v1`); // the engine must pull it
    const update = (image: string) =>
      runDist(
        'maintenance-dispatch',
        { command: 'update', 'run-on': 'local', path: pinned, 'project-name': 'dkpinned', env: `APP_IMAGE=${image}` },
        { env: { DOCKER_HOST: d.host } },
      );
    try {
      const run = await update(digest);
      expect(run.exitCode, run.stdout + run.stderr).toBe(0);
      expect(d.docker('inspect', '-f', '{{.Config.Image}} {{.State.Status}}', 'dkpinned_web_1').trim()).toBe(
        `${digest} running`,
      );
      const started = d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkpinned_web_1');

      const bad = await update(`${repo}@sha256:${'0'.repeat(64)}`);
      expect(bad.exitCode).toBe(1);
      expect(bad.outputs.result).toBe('failed');
      expect(bad.annotations.join('\n')).toMatch(/pull/);
      // The pull failed first, so the running container was not replaced.
      expect(d.docker('inspect', '-f', '{{.State.StartedAt}}', 'dkpinned_web_1')).toBe(started);
    } finally {
      execFileSync('docker-compose', ['-p', 'dkpinned', 'down', '-t', '1'], {
        cwd: pinned,
        env: { ...process.env, DOCKER_HOST: d.host, APP_IMAGE: digest },
        stdio: 'pipe',
      });
    }
  });
});
