/**
 * dist/health-gate run as the runner runs it, against two real HTTP servers on loopback: a backtracking
 * expect-body-regex fails its attempts as "timed out" (the worker inside the bundle is stopped) and the step
 * ends; a cross-origin redirect carries no given header; outputs and summary carry no user:password@.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDist } from '../helpers/run-dist.js';

const seen: { port: number; path: string; headers: http.IncomingHttpHeaders }[] = [];
const servers: http.Server[] = [];
let a = 0;
let b = 0;

async function serve(): Promise<number> {
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ port: (req.socket.address() as AddressInfo).port, path: u.pathname, headers: req.headers });
    if (u.pathname === '/to') res.writeHead(302, { location: u.searchParams.get('url')! }).end();
    else res.writeHead(200, { 'content-type': 'text/plain' }).end(u.pathname === '/evil' ? `${'a'.repeat(48)}!` : 'ok');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  servers.push(server);
  return (server.address() as AddressInfo).port;
}

beforeAll(async () => {
  a = await serve();
  b = await serve();
});
afterAll(async () => {
  for (const s of servers) await new Promise((r) => s.close(r));
});

describe('health-gate bundle hardening (e2e)', () => {
  it('`^(a+)+$` on a short body: every attempt "timed out", the step fails and ends', async () => {
    const run = await runDist('health-gate', {
      url: `http://127.0.0.1:${a}/evil`,
      'expect-body-regex': '^(a+)+$',
      period: '300ms',
      timeout: '300ms',
      deadline: '1s',
    });
    expect(run.exitCode).toBe(1);
    const [r] = JSON.parse(run.outputs.results!) as Array<{ healthy: boolean; reason: string; attempts: number }>;
    expect(r!.healthy).toBe(false);
    expect(r!.attempts).toBeLessThanOrEqual(5);
    expect(r!.reason).toMatch(/deadline of 1000 ms reached.*last: expect-body-regex timed out/);
  });

  it('a redirect to another port gets no header; no output or summary shows the URL credentials', async () => {
    seen.length = 0;
    const run = await runDist('health-gate', {
      url: `http://gate-user:gate-pass-9876@127.0.0.1:${a}/to?url=${encodeURIComponent(`http://127.0.0.1:${b}/ok`)}`,
      headers: 'Authorization: Bearer tok-e2e-5555\nX-Api-Key: key-e2e-7777',
      period: '100ms',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const first = seen.find((s) => s.port === a)!;
    expect(first.headers.authorization).toBe('Bearer tok-e2e-5555');
    const other = seen.filter((s) => s.port === b);
    expect(other.length).toBeGreaterThan(0);
    for (const s of other) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers['x-api-key']).toBeUndefined();
    }
    const unmasked = JSON.stringify(run.outputs) + run.summary;
    expect(unmasked).not.toContain('gate-pass-9876');
    expect(unmasked).not.toContain('gate-user');
    expect(JSON.parse(run.outputs.results!)[0].url).toBe(
      `http://127.0.0.1:${a}/to?url=${encodeURIComponent(`http://127.0.0.1:${b}/ok`)}`,
    );
  });
});
