/**
 * health-monitor.yml through the local workflow runner against real HTTP servers on loopback: a p95 breach that
 * healing cannot cure (heal: none) fails the run at the final re-check (it used to end green), and a healthy app
 * ends green without a re-check. The heal path over SSH needs Docker Compose on a host: not run here.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/runner/workflow/engine.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-monitor-'));
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

beforeAll(async () => {
  slow = await serve(150, () => slowRequests++);
  fast = await serve(0, () => {});
});
afterAll(async () => {
  await new Promise((r) => slow.close(r));
  await new Promise((r) => fast.close(r));
  rmSync(work, { recursive: true, force: true });
});

function monitor(target: string) {
  const ws = join(work, `ws-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  const file = join(ws, '.github', 'workflows', 'monitor.yml');
  writeFileSync(
    file,
    `on: schedule
permissions:
  contents: read
jobs:
  monitor:
    uses: org/deploy-kit/.github/workflows/health-monitor.yml@v1
    with:
      urls: ${target}
      expect-json: status == ok
      max-p95: 50ms
      load-requests: '20'
      load-concurrency: '4'
      heal: none
      period: 1s
      deadline: 5s
      recheck-deadline: 10s
    secrets: inherit
`,
  );
  return runWorkflow({
    root: ROOT,
    workspace: ws,
    file,
    event: 'schedule',
    node: NODE24,
    stateDir: join(work, 'state'),
  });
}

describe('health-monitor.yml through the runner', () => {
  it('a p95 breach fails the run at the re-check (smoke load repeated there)', async () => {
    const before = slowRequests;
    const r = await monitor(url(slow));
    const jobs = Object.fromEntries(r.jobs.map((j) => [j.id, j]));
    expect(r.conclusion, r.log.slice(-3000)).toBe('failure');
    expect(jobs['monitor/check']!.result).toBe('success');
    expect(jobs['monitor/check']!.outputs.healthy).toBe('false');
    expect(jobs['monitor/heal']!.result).toBe('skipped');
    expect(jobs['monitor/verdict']!.result).toBe('failure');
    expect(jobs['monitor/verdict']!.summary).toMatch(/p95/);
    // Both the check and the re-check sent their smoke load (20 requests each) on top of the probes.
    expect(slowRequests - before).toBeGreaterThanOrEqual(40);
  }, 240_000);

  it('a healthy app ends green without a re-check', async () => {
    const r = await monitor(url(fast));
    const jobs = Object.fromEntries(r.jobs.map((j) => [j.id, j]));
    expect(r.conclusion, r.log.slice(-3000)).toBe('success');
    expect(jobs['monitor/check']!.outputs.healthy).toBe('true');
    expect(jobs['monitor/verdict']!.steps.map((s) => s.outcome)).toEqual(['skipped']);
    expect(jobs.monitor!.outputs.healthy).toBe('true');
  }, 240_000);
});
