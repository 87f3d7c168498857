/**
 * health-monitor.yml (the `monitor` action in one job) through the local workflow runner, scheduled run after
 * scheduled run, against real programs on loopback: a compose project (busybox services, the real
 * docker-compose v1 CLI) on a real Docker Engine reached over a real sshd, and HTTP servers for the endpoint.
 * GitHub itself cannot run here: the incident issues live in a LOCAL STAND-IN for the GitHub Issues REST API
 * (test/fixtures/github-issues.ts), whose every request and response is checked against GitHub's published
 * OpenAPI description (@octokit/openapi). The monitor's memory between runs is only what it wrote there.
 */
import { execFileSync } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow, type WorkflowRunResult } from '../../src/runner/workflow/engine.js';
import { busyboxImage, startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-monitor-'));
const app = join(work, 'app');
let d: Dockerd;
let gh: IssuesStandIn;
let sshd: SshdHost;
let rx: WebhookReceiver;
let slow: http.Server;
let fast: http.Server;
let slowRequests = 0;

function serve(delayMs: number, count: () => void): Promise<http.Server> {
  const s = http.createServer((_req, res) => {
    count();
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"status":"ok"}');
    }, delayMs);
  });
  return new Promise((r) => s.listen(0, '127.0.0.1', () => r(s)));
}
const url = (s: http.Server) => `http://127.0.0.1:${(s.address() as AddressInfo).port}/healthz`;
const compose = (...args: string[]) =>
  execFileSync('docker-compose', ['-p', 'dkwfmon', ...args], {
    cwd: app,
    env: { ...process.env, DOCKER_HOST: d.host },
    stdio: 'pipe',
    timeout: 120_000,
  }).toString();
const state = (c: string) => d.docker('inspect', '-f', '{{.State.Status}}', c).trim();

beforeAll(async () => {
  [d, gh, sshd, rx, slow, fast] = await Promise.all([
    startDockerd(),
    startIssuesStandIn('acme/shop'),
    startSshd(),
    startWebhookReceiver(),
    serve(150, () => slowRequests++),
    serve(0, () => {}),
  ]);
  busyboxImage(d, 'dk-busybox:test');
  mkdirSync(app, { recursive: true });
  const svc = (name: string) => [
    `  ${name}:`,
    '    image: dk-busybox:test',
    '    command: ["sleep", "3600"]',
    '    network_mode: none',
  ];
  writeFileSync(
    join(app, 'docker-compose.yml'),
    ['version: "3"', 'services:', ...svc('web'), ...svc('db'), ''].join('\n'),
  );
  compose('up', '-d');
}, 180_000);

afterAll(async () => {
  try {
    compose('down', '-t', '1');
  } catch {
    // engine gone
  }
  await Promise.all([
    gh?.close(),
    sshd?.stop(),
    rx?.close(),
    new Promise((r) => (slow ? slow.close(r) : r(undefined))),
    new Promise((r) => (fast ? fast.close(r) : r(undefined))),
  ]);
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** One scheduled run of a caller workflow that calls health-monitor.yml with `secrets: inherit`. */
function scheduled(withLines: string[]): Promise<WorkflowRunResult> {
  const ws = join(work, `ws-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  const file = join(ws, '.github', 'workflows', 'monitor.yml');
  writeFileSync(
    file,
    `on: schedule
permissions:
  contents: read
  issues: write
jobs:
  monitor:
    uses: org/deploy-kit/.github/workflows/health-monitor.yml@v1
    with:
${withLines.map((l) => `      ${l}`).join('\n')}
    secrets: inherit
`,
  );
  return runWorkflow({
    root: ROOT,
    workspace: ws,
    file,
    event: 'schedule',
    secrets: {
      GITHUB_TOKEN: gh.token,
      SSH_PRIVATE_KEY: sshd.privateKey,
      KNOWN_HOSTS: sshd.knownHosts,
      NOTIFY_WEBHOOK: rx.url('/hooks/ops-5d1e'),
    },
    env: { GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: gh.repository },
    node: NODE24,
    stateDir: join(work, 'state'),
  });
}

const hostRun = () =>
  scheduled([
    'name: shop',
    `urls: ${url(fast)}`,
    'expect-json: status == ok',
    'load-requests: "10"',
    'load-concurrency: "2"',
    'period: 200ms',
    'deadline: 5s',
    `hosts: ${sshd.spec}`,
    `path: ${app}`,
    'project-name: dkwfmon',
    `env: DOCKER_HOST=${d.host}`,
    'disk-paths: none',
    'failures-to-open: "2"',
    'restart-after: "3"',
    'successes-to-close: "2"',
  ]);

const outputs = (r: WorkflowRunResult) => r.jobs.find((j) => j.id === 'monitor')!.outputs;
const openIssues = () => gh.issues.filter((i) => i.state === 'open' && !i.labels.includes('maintenance'));
const events = () => rx.received.map((r) => (JSON.parse(r.body) as { event: string }).event);

describe.sequential('health-monitor.yml through the runner: state kept in the incident issue across runs', () => {
  it('a stopped service: 2 runs open exactly one issue, the 3rd heals (restart-after 3), 2 passing runs close it', async () => {
    d.docker('stop', '-t', '1', 'dkwfmon_web_1');

    const r1 = await hostRun();
    // fail-on-down (the workflow's default): the run is red while a check fails; the outputs are still set.
    expect(r1.conclusion, r1.log.slice(-4000)).toBe('failure');
    expect(outputs(r1)).toMatchObject({ state: 'down', 'consecutive-failures': '1', healed: 'false', incident: '' });
    expect(outputs(r1).healthy).toBe('false');
    expect(openIssues()).toEqual([]);
    expect(state('dkwfmon_web_1')).toBe('exited');

    const r2 = await hostRun();
    expect(outputs(r2)).toMatchObject({ state: 'down', 'consecutive-failures': '2', healed: 'false' });
    expect(openIssues()).toHaveLength(1);
    const incident = openIssues()[0]!;
    expect(outputs(r2).incident).toBe(String(incident.number));
    expect(incident.title).toContain('shop');
    expect(incident.labels).toEqual(expect.arrayContaining(['deploy-kit-monitor', 'incident']));
    expect(incident.body).toContain('dkwfmon_web_1');
    expect(state('dkwfmon_web_1')).toBe('exited');
    // The NOTIFY_WEBHOOK secret reached the monitor: the opening was sent once.
    expect(events()).toEqual(['incident-opened']);

    const r3 = await hostRun();
    expect(outputs(r3)).toMatchObject({ 'consecutive-failures': '3', healed: 'true' });
    expect(state('dkwfmon_web_1')).toBe('running');
    // No duplicate: the same single issue is still the open one.
    expect(openIssues().map((i) => i.number)).toEqual([incident.number]);
    expect(outputs(r3).incident).toBe(String(incident.number));

    const r4 = await hostRun();
    expect(r4.conclusion, r4.log.slice(-4000)).toBe('success');
    expect(outputs(r4)).toMatchObject({ state: 'up', 'consecutive-failures': '0', healthy: 'true' });
    expect(openIssues().map((i) => i.number)).toEqual([incident.number]);

    const r5 = await hostRun();
    expect(r5.conclusion).toBe('success');
    expect(outputs(r5)).toMatchObject({ state: 'up', incident: '' });
    expect(openIssues()).toEqual([]);
    const closed = gh.issues.find((i) => i.number === incident.number)!;
    expect(closed.state).toBe('closed');
    // One comment per change of state, not per run; the last one is the recovery summary.
    expect(closed.comments.length).toBeLessThanOrEqual(3);
    expect(closed.comments.at(-1)!.body).toMatch(/resolved|recovered/i);
    expect(events()).toEqual(['incident-opened', 'incident-resolved']);
    expect(r5.log).not.toContain('ops-5d1e');
    // The SSH key never reached the issues or the log.
    expect(JSON.stringify(gh.issues)).not.toContain(sshd.privateKey.trim().split('\n')[1]!);
    expect(r5.log).not.toContain(sshd.privateKey.trim().split('\n')[1]!);
  }, 300_000);

  it('a maintenance window (an open issue labelled maintenance): nothing counted, opened or healed; the run is green', async () => {
    d.docker('stop', '-t', '1', 'dkwfmon_web_1');
    const window = gh.seed('Database upgrade tonight', ['maintenance']);
    try {
      const before = gh.issues.length;
      const r = await hostRun();
      expect(r.conclusion, r.log.slice(-4000)).toBe('success');
      expect(outputs(r)).toMatchObject({ state: 'maintenance', healed: 'false', healthy: 'true', incident: '' });
      expect(state('dkwfmon_web_1')).toBe('exited');
      expect(gh.issues.length).toBe(before);
      expect(openIssues()).toEqual([]);
    } finally {
      window.state = 'closed';
      d.docker('start', 'dkwfmon_web_1');
    }
    // The window ended and the service runs again: the next run counts normally and finds it up.
    const after = await hostRun();
    expect(outputs(after)).toMatchObject({ state: 'up', 'consecutive-failures': '0' });
  }, 240_000);

  it('a p95 breach fails the run (endpoint only, no heal), counted in the memory', async () => {
    const before = slowRequests;
    const target = [
      'name: slow',
      `urls: ${url(slow)}`,
      'expect-json: status == ok',
      'max-p95: 50ms',
      'load-requests: "20"',
      'load-concurrency: "4"',
      'period: 200ms',
      'deadline: 5s',
    ];
    const r = await scheduled(target);
    expect(r.conclusion, r.log.slice(-4000)).toBe('failure');
    const job = r.jobs.find((j) => j.id === 'monitor/monitor')!;
    expect(job.result).toBe('failure');
    expect(outputs(r)).toMatchObject({ state: 'down', 'consecutive-failures': '1', healed: 'false' });
    const endpoint = (JSON.parse(outputs(r).checks!) as Array<{ kind: string; ok: boolean; problems: string[] }>).find(
      (c) => c.kind === 'endpoint',
    )!;
    expect(endpoint.ok).toBe(false);
    expect(endpoint.problems.join('\n')).toMatch(/p95/);
    expect(job.summary).toMatch(/p95/);
    // The smoke load was sent (20 requests) on top of the probes.
    expect(slowRequests - before).toBeGreaterThanOrEqual(20);
    // A second run counts on from what the first stored.
    const r2 = await scheduled(target);
    expect(outputs(r2)['consecutive-failures']).toBe('2');
    expect(openIssues().filter((i) => i.title.includes('slow'))).toEqual([]);
  }, 240_000);

  it("GitHub's shapes held for every call", () => {
    expect(gh.requests.length).toBeGreaterThan(0);
    expect(gh.schemaErrors).toEqual([]);
  });
});
