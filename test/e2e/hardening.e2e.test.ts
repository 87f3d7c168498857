/**
 * Hardening end to end, through the bundles as the runner runs them, against a real Docker Engine
 * (test/fixtures/dockerd.ts) with the real docker-compose v1 CLI and a real sshd on loopback.
 *
 * - Values that start with `-` are never options: `image: -v/:/host` once made `docker run` mount the
 *   host's root filesystem and the release commands wrote to it. The image `pipefail` exists here on
 *   purpose: with the old argv (`--entrypoint bash <image> -euo pipefail -c …`) docker took `-v/:/host` as a
 *   mount and `pipefail` as the image, so the command ran with / mounted at /host.
 * - Step outputs are files GitHub does not mask: a failing command that prints a secret passed in `env`
 *   must not put it into any output or the summary.
 */
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runBundledAction } from '../../src/runner/run-action.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-hardening-'));
/** The bundles under test: this checkout's (DK_BUNDLE_ROOT points at another tree to show an older dist fails). */
const BUNDLES = process.env.DK_BUNDLE_ROOT || ROOT;
const runDist = (action: string, inputs: Record<string, string>, extra: { env?: Record<string, string> } = {}) =>
  runBundledAction({ root: BUNDLES, action, inputs, node: NODE24, timeoutMs: 300_000, ...extra });
const SECRET = 'pw-outputs-4242';
let d: Dockerd;
let sshd: SshdHost;

/** FROM scratch: busybox, plus /bin/bash as a script that runs busybox sh (busybox has no bash applet). */
function bashImage(tag: string): void {
  const ctx = join(work, 'ctx');
  mkdirSync(ctx, { recursive: true });
  copyFileSync('/bin/busybox', join(ctx, 'busybox'));
  writeFileSync(join(ctx, 'bash'), '#!/bin/busybox sh\nexec /bin/busybox sh "$@"\n');
  chmodSync(join(ctx, 'bash'), 0o755);
  writeFileSync(
    join(ctx, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nCOPY bash /bin/bash\nENV PATH=/bin\nENTRYPOINT ["/bin/busybox"]\n',
  );
  d.docker('build', '-q', '-t', tag, ctx);
}

beforeAll(async () => {
  [d, sshd] = await Promise.all([startDockerd(), startSshd()]);
  bashImage('pipefail');
}, 240_000);
afterAll(async () => {
  await sshd?.stop();
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const release = (inputs: Record<string, string>) =>
  runDist('run-release-phase', { 'run-on': 'docker', ...inputs }, { env: { DOCKER_HOST: d.host } });

describe('run-release-phase image', () => {
  it('`-v/:/host` is refused as an image reference before docker runs; no marker on the host', async () => {
    const marker = join(work, 'smuggled-marker');
    const run = await release({ image: '-v/:/host', commands: `touch /host${marker}` });
    expect(existsSync(marker)).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toMatch(/input `image`: .*not a valid image reference/);
    expect(d.docker('ps', '-aq').trim()).toBe('');
  });

  it('a valid image still runs, with its options ended by `--`', async () => {
    const out = join(work, 'mounted');
    mkdirSync(out);
    const run = await release({
      image: 'pipefail',
      'working-directory': out,
      commands: 'echo from-the-image > /app/proof',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(existsSync(join(out, 'proof'))).toBe(true);
  });
});

/** Everything a step leaves where GitHub does not mask: outputs and the job summary. */
const unmasked = (run: { outputs: Record<string, string>; summary: string }): string =>
  JSON.stringify(run.outputs) + run.summary;

describe('outputs and summary carry no secret', () => {
  const ssh = () => ({
    hosts: sshd.spec,
    'private-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    env: `DB_PASSWORD=${SECRET}`,
  });

  it('ssh-rsync-deploy `hosts`: a failing before-activate that prints an env value', async () => {
    const src = join(work, 'src-srd');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'index.html'), 'v1');
    const run = await runDist('ssh-rsync-deploy', {
      ...ssh(),
      source: src,
      path: join(work, 'srv-srd'),
      'release-id': 'r1',
      'before-activate': 'echo "connecting with $DB_PASSWORD"; exit 3',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.hosts).toContain('connecting with ***');
    expect(unmasked(run)).not.toContain(SECRET);
  });

  it('root action `hosts` and `phases`: a failing release phase that prints an env value', async () => {
    const src = join(work, 'src-root');
    mkdirSync(src, { recursive: true });
    writeFileSync(join(src, 'index.html'), 'v1');
    const run = await runDist('.', {
      ...ssh(),
      source: src,
      path: join(work, 'srv-root'),
      'release-id': 'r1',
      commands: 'echo "migrating with $DB_PASSWORD"; exit 4',
      url: 'http://127.0.0.1:1/never-reached',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.phases).toContain('migrating with ***');
    expect(unmasked(run)).not.toContain(SECRET);
  });

  it('maintenance-dispatch `status` and `output`: a failing migrate and logs that print the secret the container was given', async () => {
    // A service whose manage.py prints DB_PASSWORD (from its environment) and fails, as a broken migration
    // printing its connection settings would.
    const app = join(work, 'maint');
    mkdirSync(app, { recursive: true });
    const script =
      'printf \'echo migrating with $$DB_PASSWORD\\nexit 3\\n\' > /manage.py && echo "started with $$DB_PASSWORD" && exec sleep 3600';
    writeFileSync(
      join(app, 'docker-compose.yml'),
      [
        'version: "3"',
        'services:',
        '  web:',
        '    image: pipefail',
        '    network_mode: none',
        '    working_dir: /',
        '    environment:',
        '      DB_PASSWORD: ${DB_PASSWORD}',
        `    command: ["sh", "-c", ${JSON.stringify(script)}]`,
        '',
      ].join('\n'),
    );
    const env = { ...process.env, DOCKER_HOST: d.host, DB_PASSWORD: SECRET };
    execFileSync('docker-compose', ['-p', 'dkleak', 'up', '-d'], { cwd: app, env, stdio: 'pipe', timeout: 120_000 });
    const run = await runDist(
      'maintenance-dispatch',
      {
        'run-on': 'local',
        path: app,
        'project-name': 'dkleak',
        command: 'migrate',
        'backend-service': 'web',
        python: 'bash',
        env: `DB_PASSWORD=${SECRET}`,
      },
      { env: { DOCKER_HOST: d.host } },
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toContain('migrating with ***');
    expect(unmasked(run)).not.toContain(SECRET);

    // `output`: the logs of a service that printed the secret it was given.
    const logs = await runDist(
      'maintenance-dispatch',
      { 'run-on': 'local', path: app, 'project-name': 'dkleak', command: 'logs', env: `DB_PASSWORD=${SECRET}` },
      { env: { DOCKER_HOST: d.host } },
    );
    expect(logs.exitCode, logs.stdout + logs.stderr).toBe(0);
    expect(logs.outputs.output).toContain('started with ***');
    expect(unmasked(logs)).not.toContain(SECRET);
  });
});
