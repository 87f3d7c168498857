/**
 * monitor end to end: the bundle run as the runner runs it, against a real Docker Engine with the real
 * docker-compose v1 CLI (locally and over a real sshd), a local stand-in for the GitHub Issues API (GitHub
 * cannot run here; its shapes are checked against the published OpenAPI description) and a local webhook
 * receiver for the notifications.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { busyboxImage, startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk-monitor-e2e-'));
const app = join(work, 'app');
const noisy = join(work, 'noisy');
let d: Dockerd;
let gh: IssuesStandIn;
let rx: WebhookReceiver;
let sshd: SshdHost;

const compose = (dir: string, project: string, ...args: string[]) =>
  execFileSync('docker-compose', ['-p', project, ...args], {
    cwd: dir,
    env: { ...process.env, DOCKER_HOST: d.host },
    stdio: 'pipe',
  }).toString();

const service = (name: string, command: string[]) => [
  `  ${name}:`,
  '    image: dk-busybox:test',
  `    command: ${JSON.stringify(command)}`,
  '    network_mode: none',
];

beforeAll(async () => {
  [d, gh, rx, sshd] = await Promise.all([startDockerd(), startIssuesStandIn(), startWebhookReceiver(), startSshd()]);
  busyboxImage(d, 'dk-busybox:test');
  mkdirSync(app, { recursive: true });
  mkdirSync(noisy, { recursive: true });
  writeFileSync(
    join(app, 'docker-compose.yml'),
    ['version: "3"', 'services:', ...service('web', ['sleep', '3600']), ...service('db', ['sleep', '3600'])].join(
      '\n',
    ) + '\n',
  );
  writeFileSync(
    join(noisy, 'docker-compose.yml'),
    [
      'version: "3"',
      'services:',
      ...service('worker', ['sh', '-c', 'for i in 1 2 3 4 5; do echo "ERROR boom $$i"; done; echo fine; sleep 3600']),
    ].join('\n') + '\n',
  );
  compose(app, 'dkmon', 'up', '-d');
  compose(noisy, 'dknoisy', 'up', '-d');
}, 180_000);

afterAll(async () => {
  for (const [dir, p] of [
    [app, 'dkmon'],
    [noisy, 'dknoisy'],
  ] as const) {
    try {
      compose(dir, p, 'down', '-t', '1');
    } catch {
      // engine gone
    }
  }
  await Promise.all([gh?.close(), rx?.close(), sshd?.stop()]);
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ DOCKER_HOST: d.host, GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: gh.repository });
const monitor = (extra: Record<string, string> = {}) =>
  runDist(
    'monitor',
    {
      'github-token': gh.token,
      'run-on': 'local',
      path: app,
      'project-name': 'dkmon',
      'failures-to-open': '3',
      'restart-after': '2',
      'notify-webhook': rx.url('/hooks/ops'),
      'notify-on': 'all',
      'notify-attempts': '1',
      ...extra,
    },
    { env: env() },
  );
const state = (c: string) => d.docker('inspect', '-f', '{{.State.Status}}', c).trim();
const events = () => rx.received.map((r) => (JSON.parse(r.body) as { event: string }).event);

describe('monitor against a real Docker Engine (e2e)', () => {
  it('all containers running: state up, nothing written to GitHub, outputs set', async () => {
    const run = await monitor();
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs).toMatchObject({ state: 'up', incident: '', 'consecutive-failures': '0', healed: 'false' });
    expect(JSON.parse(run.outputs.checks!)).toEqual(
      expect.arrayContaining([
        { kind: 'containers', ok: true, problems: [] },
        { kind: 'disk', ok: true, problems: [] },
        { kind: 'logs', ok: true, problems: [] },
      ]),
    );
    expect(run.summary).toContain('| local | web | dkmon_web_1 | running |');
    // Resource figures from docker stats: CPU and memory per container.
    expect(run.summary).toMatch(
      /\| local \| web \| dkmon_web_1 \| running \| — \| 0 \| [\d.]+% \| [\d.]+\w*B \/ [\d.]+\w*B \|/,
    );
    expect(gh.requests.filter((r) => r.method !== 'GET')).toEqual([]);
    expect(run.post?.exitCode).toBe(0);
  });

  it('a stopped service: no heal on the first failed run, heal on the second (restart-after 2), then up again', async () => {
    d.docker('stop', '-t', '1', 'dkmon_web_1');
    const r1 = await monitor();
    expect(r1.exitCode, r1.stdout).toBe(0);
    expect(r1.outputs).toMatchObject({ state: 'down', 'consecutive-failures': '1', healed: 'false', incident: '' });
    expect(state('dkmon_web_1')).toBe('exited');

    const r2 = await monitor();
    expect(r2.outputs).toMatchObject({ state: 'down', 'consecutive-failures': '2', healed: 'true', incident: '' });
    expect(state('dkmon_web_1')).toBe('running');
    expect(r2.summary).toContain('started web');
    expect(events()).toEqual(['healed']);
    // The heal released the deploy lock it took.
    expect(existsSync(join(app, '.deploy-kit', 'lock'))).toBe(false);

    const r3 = await monitor();
    expect(r3.outputs).toMatchObject({ state: 'up', 'consecutive-failures': '0' });
    expect(gh.issues.filter((i) => i.state === 'open')).toEqual([]);
  });

  it('a deploy holding the lock: the heal waits lock-timeout, fails, touches nothing and says so', async () => {
    d.docker('stop', '-t', '1', 'dkmon_web_1');
    mkdirSync(join(app, '.deploy-kit', 'lock'), { recursive: true });
    writeFileSync(join(app, '.deploy-kit', 'lock', 'owner'), 'deploy run 42\n');
    try {
      const run = await monitor({ 'restart-after': '1', 'lock-timeout': '1s' });
      expect(run.exitCode).toBe(0);
      expect(run.outputs.healed).toBe('false');
      expect(state('dkmon_web_1')).toBe('exited');
      expect(run.summary).toMatch(/locked by another deploy \(deploy run 42/);
      expect(events().at(-1)).toBe('heal-failed');
      expect(readFileSync(join(app, '.deploy-kit', 'lock', 'owner'), 'utf8')).toBe('deploy run 42\n');
    } finally {
      rmSync(join(app, '.deploy-kit', 'lock'), { recursive: true, force: true });
      d.docker('start', 'dkmon_web_1');
    }
  });

  it('a project with zero containers is down, not ok', async () => {
    const run = await monitor({ 'project-name': 'nothinghere', name: 'empty', 'restart-after': '0' });
    expect(run.outputs.state).toBe('down');
    expect(JSON.parse(run.outputs.checks!)).toContainEqual({
      kind: 'containers',
      ok: false,
      problems: ['local: the compose project has no containers (never started, or removed)'],
    });
  });

  it('error lines: counted since the last run, so the same lines never fail two runs', async () => {
    const opts = {
      path: noisy,
      'project-name': 'dknoisy',
      name: 'noisy',
      'max-error-lines': '3',
      'restart-after': '0',
    };
    const r1 = await monitor(opts);
    const logs1 = (JSON.parse(r1.outputs.checks!) as Array<{ kind: string; ok: boolean; problems: string[] }>).find(
      (c) => c.kind === 'logs',
    )!;
    expect(logs1.ok).toBe(false);
    expect(logs1.problems[0]).toMatch(
      /^5 error lines since the last run \(max-error-lines 3\), e\.g\. worker: ERROR boom 1/,
    );
    const r2 = await monitor(opts);
    expect(JSON.parse(r2.outputs.checks!)).toContainEqual({ kind: 'logs', ok: true, problems: [] });
  });

  it('over SSH (run-on ssh): the same checks through a real sshd, key removed by the post step', async () => {
    const run = await runDist(
      'monitor',
      {
        'github-token': gh.token,
        hosts: sshd.spec,
        'private-key': sshd.privateKey,
        'known-hosts': sshd.knownHosts,
        path: app,
        'project-name': 'dkmon',
        name: 'over-ssh',
        env: `DOCKER_HOST=${d.host}`,
      },
      { env: env() },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.state).toBe('up');
    expect(run.summary).toContain(`| ${sshd.spec} | web | dkmon_web_1 | running |`);
    expect(run.post?.exitCode).toBe(0);
  });

  it("GitHub's shapes held for every call", () => {
    expect(gh.schemaErrors).toEqual([]);
  });
});
