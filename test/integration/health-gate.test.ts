import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readHealthGateConfig } from '../../src/core/health-gate/config.js';
import { runHealthGate } from '../../src/core/health-gate/run.js';
import { closedPort, selfSignedCert, startHttpApp, type HttpApp } from '../fixtures/http-app.js';
import { mapInputs } from '../helpers/inputs.js';

const fast = { period: '100ms', timeout: '1s', deadline: '3s' };

function gate(values: Record<string, string>) {
  return runHealthGate(readHealthGateConfig(mapInputs({ ...fast, ...values })));
}

describe('health-gate against a real HTTP server', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ version: 'abc123' });
  });
  afterAll(() => app.close());

  it('passes a healthy endpoint after exactly success-threshold attempts', async () => {
    const r = await gate({ url: app.url('/healthz'), 'success-threshold': '3' });
    expect(r.healthy).toBe(true);
    expect(r.attempts).toBe(3);
    expect(r.urls[0]!.status).toBe(200);
    expect(r.failures).toEqual([]);
  });

  it('checks JSON fields, body regex and the served version', async () => {
    const ok = await gate({
      url: app.url('/healthz'),
      'expect-json': 'status == ok\nchecks.db == true\nuptime > 0\nversion exists',
      'expect-body-regex': '"cache":\\s*true',
      'expect-version': 'abc123',
      'version-header': 'X-App-Version',
    });
    expect(ok.healthy).toBe(true);

    const wrongBody = await gate({ url: app.url('/wrong-body'), 'expect-json': 'status == ok', deadline: '500ms' });
    expect(wrongBody.healthy).toBe(false);
    expect(wrongBody.urls[0]!.reason).toContain('expected status == ok, got "degraded"');

    const wrongVersion = await gate({ url: app.url('/html'), 'expect-version': 'def456', deadline: '500ms' });
    expect(wrongVersion.healthy).toBe(false);
    expect(wrongVersion.urls[0]!.reason).toContain('version def456 is not in the body');

    const wrongHeader = await gate({
      url: app.url('/healthz'),
      'expect-version': 'def456',
      'version-header': 'X-App-Version',
      deadline: '500ms',
    });
    expect(wrongHeader.urls[0]!.reason).toContain('header X-App-Version is "abc123", expected version def456');
  });

  it('waits for a service that turns healthy after a delay, then passes', async () => {
    const late = await startHttpApp();
    try {
      const r = await gate({ url: late.url('/after?ms=800'), 'success-threshold': '2', deadline: '5s' });
      expect(r.healthy).toBe(true);
      const h = r.urls[0]!.history;
      expect(h[0]!.ok).toBe(false);
      expect(h[0]!.status).toBe(503);
      // The last two attempts are the success window; everything before it failed.
      expect(h.slice(-2).every((a) => a.ok)).toBe(true);
      expect(h.slice(0, -2).every((a) => !a.ok)).toBe(true);
      expect(r.attempts).toBe(h.length);
      expect(late.hits.get('/after')).toBe(h.length);
    } finally {
      await late.close();
    }
  });

  it('fails a flapping endpoint: the success window is never reached', async () => {
    const r = await gate({
      url: app.url('/flap'),
      'success-threshold': '2',
      'failure-threshold': '3',
      deadline: '1500ms',
    });
    expect(r.healthy).toBe(false);
    expect(r.urls[0]!.reason).toMatch(/deadline of 1500 ms reached/);
    expect(r.urls[0]!.history.some((a) => a.ok)).toBe(true);
  });

  it('fails fast after failure-threshold consecutive failures once it had been healthy', async () => {
    const r = await gate({
      url: app.url('/ok-then-down'),
      'success-threshold': '5',
      'failure-threshold': '2',
      deadline: '10s',
    });
    expect(r.healthy).toBe(false);
    // 2 successes, then exactly 2 failures end it — long before the 10 s deadline.
    expect(r.attempts).toBe(4);
    expect(r.urls[0]!.reason).toContain('2 consecutive failures after it had been healthy');
  });

  it('fires the per-request timeout on a hanging connection', async () => {
    const r = await gate({ url: app.url('/hang'), timeout: '300ms', deadline: '1s' });
    expect(r.healthy).toBe(false);
    expect(r.urls[0]!.reason).toContain('no complete response within 300 ms (timeout)');
    for (const a of r.urls[0]!.history) expect(a.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('counts a slow response as failed when max-latency is set', async () => {
    const r = await gate({ url: app.url('/slow?ms=400'), 'max-latency': '100ms', deadline: '500ms' });
    expect(r.healthy).toBe(false);
    expect(r.urls[0]!.reason).toMatch(/took \d+ ms, over max-latency 100 ms/);
  });

  it('reports connection refused in plain words', async () => {
    const port = await closedPort();
    const r = await gate({ url: `http://127.0.0.1:${port}/healthz`, deadline: '300ms' });
    expect(r.healthy).toBe(false);
    expect(r.urls[0]!.reason).toContain(`connection refused by 127.0.0.1:${port}`);
  });

  it('follows redirects, and detects a redirect loop', async () => {
    const follow = await gate({ url: app.url('/redirect'), 'expected-status': '200', 'expect-json': 'status == ok' });
    expect(follow.healthy).toBe(true);

    const loop = await gate({ url: app.url('/loop'), 'expected-status': '200', deadline: '300ms' });
    expect(loop.healthy).toBe(false);
    expect(loop.urls[0]!.reason).toContain('redirect loop');

    const noFollow = await gate({
      url: app.url('/redirect'),
      'follow-redirects': 'false',
      'expected-status': '200',
      deadline: '300ms',
    });
    expect(noFollow.urls[0]!.reason).toContain('status 301, expected 200');
  });

  it('checks several URLs in parallel; one failing fails the gate', async () => {
    const port = await closedPort();
    const r = await gate({ url: `${app.url('/healthz')}\nhttp://127.0.0.1:${port}/`, deadline: '500ms' });
    expect(r.healthy).toBe(false);
    expect(r.urls.map((u) => u.healthy)).toEqual([true, false]);
    expect(r.failures).toHaveLength(1);
  });

  it('sends headers; their values are reported as secrets', async () => {
    const secrets: string[] = [];
    const cfg = readHealthGateConfig(
      mapInputs(
        {
          ...fast,
          url: app.url('/echo-headers'),
          headers: 'Authorization: Bearer s3cr3t-token\nX-Probe: yes',
          'expect-json': 'headers.authorization == "Bearer s3cr3t-token"',
        },
        secrets,
      ),
    );
    const r = await runHealthGate(cfg);
    expect(r.healthy).toBe(true);
    expect(secrets).toContain('Bearer s3cr3t-token');
  });

  it('runs a bounded smoke load and reports percentiles', async () => {
    const r = await gate({
      url: app.url('/healthz'),
      'load-concurrency': '20',
      'load-requests': '300',
      'max-p95': '2s',
      'max-error-rate': '1%',
    });
    expect(r.healthy).toBe(true);
    expect(r.load!.requests).toBe(300);
    expect(r.load!.errors).toBe(0);
    expect(r.load!.p95).toBeGreaterThanOrEqual(r.load!.p50);
    expect(r.p95).toBe(r.load!.p95);
  });

  it('fails the smoke load when the error rate is over budget', async () => {
    // /flap answers ok, 500, ok, 500 …: its first attempt passes the gate, then ~50 % of the load fails.
    const r = await gate({
      url: app.url('/flap'),
      'load-concurrency': '4',
      'load-requests': '40',
      'max-error-rate': '1%',
    });
    expect(r.urls[0]!.healthy).toBe(true);
    expect(r.healthy).toBe(false);
    expect(r.failures.join()).toMatch(/smoke load: error rate \d+\.\d+% over max-error-rate 1\.00%/);
    expect(r.load!.requests).toBe(40);
    expect(r.load!.errors).toBeGreaterThanOrEqual(15);
  });
});

describe('health-gate against a real HTTPS server', () => {
  let valid: HttpApp;
  let expiring: HttpApp;
  beforeAll(async () => {
    valid = await startHttpApp({ tls: selfSignedCert(90) });
    expiring = await startHttpApp({ tls: selfSignedCert(3) });
  });
  afterAll(async () => {
    await valid.close();
    await expiring.close();
  });

  it('refuses a self-signed certificate unless insecure-tls is set', async () => {
    const strict = await gate({ url: valid.url('/healthz'), deadline: '300ms' });
    expect(strict.healthy).toBe(false);
    expect(strict.urls[0]!.reason).toContain('is not trusted');
    expect(strict.urls[0]!.reason).toContain('insecure-tls');

    const insecure = await gate({ url: valid.url('/healthz'), 'insecure-tls': 'true', 'min-tls-days': '30' });
    expect(insecure.healthy).toBe(true);
    expect(insecure.urls[0]!.tlsDaysLeft).toBeGreaterThanOrEqual(88);
  });

  it('fails a certificate that expires sooner than min-tls-days', async () => {
    const r = await gate({
      url: expiring.url('/healthz'),
      'insecure-tls': 'true',
      'min-tls-days': '14',
      deadline: '300ms',
    });
    expect(r.healthy).toBe(false);
    expect(r.urls[0]!.reason).toMatch(/TLS certificate expires in [23]\.\d days, under min-tls-days 14/);
  });
});
