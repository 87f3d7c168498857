/**
 * health-gate hardening against real HTTP servers on loopback: request headers never follow a redirect to
 * another origin (another port, or `localhost` for `127.0.0.1`), URLs are reported without user:password@,
 * and a catastrophically backtracking expect-body-regex cannot hold the gate past its time limits.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHealthGateConfig } from '../../src/core/health-gate/config.js';
import { runHealthGate } from '../../src/core/health-gate/run.js';
import { healthGateSummary, resultsJson } from '../../src/core/health-gate/summary.js';
import { mapInputs } from '../helpers/inputs.js';

interface Recorder {
  server: http.Server;
  port: number;
  seen: { path: string; host: string; headers: http.IncomingHttpHeaders }[];
}

/** A server that records every request's headers; `/to?url=…` redirects there, `/evil` serves a body the regex chokes on. */
async function recorder(): Promise<Recorder> {
  const seen: Recorder['seen'] = [];
  const server = http.createServer((req, res) => {
    const u = new URL(req.url ?? '/', 'http://x');
    seen.push({ path: u.pathname, host: req.headers.host ?? '', headers: req.headers });
    if (u.pathname === '/to') {
      res.writeHead(302, { location: u.searchParams.get('url')! }).end();
    } else if (u.pathname === '/evil') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(`${'a'.repeat(48)}!`);
    } else {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

let a: Recorder;
let b: Recorder;
beforeAll(async () => {
  a = await recorder();
  b = await recorder();
});
afterAll(async () => {
  for (const s of [a, b]) await new Promise((r) => s?.server.close(r));
});

const SECRET_HEADERS = 'Authorization: Bearer tok-abcdef\nCookie: session=cookie-123456\nX-Api-Key: key-987654';
const gate = (values: Record<string, string>) =>
  runHealthGate(
    readHealthGateConfig(
      mapInputs({ period: '100ms', timeout: '1s', deadline: '3s', headers: SECRET_HEADERS, ...values }),
    ),
  );

describe('redirects and request headers', () => {
  it('a redirect on the same origin keeps the headers (the control case)', async () => {
    a.seen.length = 0;
    const r = await gate({ url: `http://127.0.0.1:${a.port}/to?url=/ok` });
    expect(r.healthy).toBe(true);
    const final = a.seen.find((s) => s.path === '/ok')!;
    expect(final.headers.authorization).toBe('Bearer tok-abcdef');
    expect(final.headers.cookie).toBe('session=cookie-123456');
    expect(final.headers['x-api-key']).toBe('key-987654');
  });

  it('a redirect to another port gets no Authorization, Cookie or given header; the first hop did', async () => {
    a.seen.length = 0;
    b.seen.length = 0;
    const r = await gate({
      url: `http://127.0.0.1:${a.port}/to?url=${encodeURIComponent(`http://127.0.0.1:${b.port}/ok`)}`,
    });
    expect(r.healthy).toBe(true);
    expect(a.seen[0]!.headers.authorization).toBe('Bearer tok-abcdef');
    expect(b.seen.length).toBeGreaterThan(0);
    for (const s of b.seen) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers.cookie).toBeUndefined();
      expect(s.headers['x-api-key']).toBeUndefined();
    }
  });

  it('`localhost` is another origin than `127.0.0.1`, even on the same port, and stays so on the way back', async () => {
    a.seen.length = 0;
    const back = encodeURIComponent(`http://127.0.0.1:${a.port}/ok`);
    const hop = encodeURIComponent(`http://localhost:${a.port}/to?url=${back}`);
    const r = await gate({ url: `http://127.0.0.1:${a.port}/to?url=${hop}` });
    expect(r.healthy).toBe(true);
    expect(a.seen.map((s) => s.host)).toEqual([`127.0.0.1:${a.port}`, `localhost:${a.port}`, `127.0.0.1:${a.port}`]);
    expect(a.seen[0]!.headers.authorization).toBe('Bearer tok-abcdef');
    for (const s of a.seen.slice(1)) {
      expect(s.headers.authorization).toBeUndefined();
      expect(s.headers.cookie).toBeUndefined();
      expect(s.headers['x-api-key']).toBeUndefined();
    }
  });

  it('URL credentials go to their own origin only, and no report carries them', async () => {
    b.seen.length = 0;
    const url = `http://gate-user:gate-pass-1234@127.0.0.1:${a.port}/to?url=${encodeURIComponent(`http://127.0.0.1:${b.port}/missing-on-purpose`)}`;
    const r = await gate({ url, headers: '', 'expected-status': '404', deadline: '300ms' });
    expect(b.seen[0]!.headers.authorization).toBeUndefined();
    const outputs = JSON.stringify(resultsJson(r)) + healthGateSummary(r) + r.failures.join('\n');
    expect(outputs).not.toContain('gate-pass-1234');
    expect(outputs).not.toContain('gate-user');
    expect(r.urls[0]!.url).toBe(
      `http://127.0.0.1:${a.port}/to?url=${encodeURIComponent(`http://127.0.0.1:${b.port}/missing-on-purpose`)}`,
    );
  });
});

describe('expect-body-regex', () => {
  it('`^(a+)+$` on a short body that does not match: the attempt fails as "timed out", the gate ends', async () => {
    const r = await gate({
      url: `http://127.0.0.1:${a.port}/evil`,
      headers: '',
      'expect-body-regex': '^(a+)+$',
      period: '500ms',
      timeout: '400ms',
      deadline: '2s',
    });
    expect(r.healthy).toBe(false);
    const u = r.urls[0]!;
    // Every attempt ran its request and then the regex; each one was stopped at the attempt's limit.
    expect(u.history.length).toBeGreaterThan(0);
    expect(u.history.length).toBeLessThanOrEqual(5); // deadline / period + 1: the loop still moves on
    for (const h of u.history) expect(h.reason).toMatch(/^expect-body-regex timed out/);
    expect(u.reason).toContain('deadline of 2000 ms reached');
  });

  it('a benign pattern still decides: match passes, no match fails with the plain reason', async () => {
    const ok = await gate({ url: `http://127.0.0.1:${a.port}/evil`, headers: '', 'expect-body-regex': '^a+!$' });
    expect(ok.healthy).toBe(true);
    const no = await gate({
      url: `http://127.0.0.1:${a.port}/evil`,
      headers: '',
      'expect-body-regex': '^b',
      deadline: '300ms',
    });
    expect(no.healthy).toBe(false);
    expect(no.urls[0]!.reason).toContain('body does not match /^b/');
  });
});
