/** dist/health-gate/index.js run exactly as the GitHub runner runs it: INPUT_* env, GITHUB_OUTPUT, summary, exit code. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closedPort, startHttpApp, type HttpApp } from '../fixtures/http-app.js';
import { runDist } from '../helpers/run-dist.js';

describe('health-gate bundle (e2e)', () => {
  let app: HttpApp;
  beforeAll(async () => {
    app = await startHttpApp({ version: 'sha-e2e' });
  });
  afterAll(() => app.close());

  it('healthy: outputs, summary and exit code 0', async () => {
    const run = await runDist('health-gate', {
      url: app.url('/healthz'),
      'expect-json': 'status == ok',
      'expect-version': 'sha-e2e',
      'version-header': 'X-App-Version',
      period: '100ms',
      'success-threshold': '2',
      'load-concurrency': '5',
      'load-requests': '50',
      headers: 'Authorization: Bearer e2e-secret-value',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('true');
    expect(run.outputs.attempts).toBe('2');
    const results = JSON.parse(run.outputs.results!) as Array<{ url: string; healthy: boolean; status: number }>;
    expect(results).toEqual([expect.objectContaining({ url: app.url('/healthz'), healthy: true, status: 200 })]);
    expect(Number(run.outputs['p95-ms'])).toBeGreaterThanOrEqual(Number(run.outputs['p50-ms']));
    expect(run.summary).toContain('health-gate: ✅ healthy');
    expect(run.summary).toContain('| requests | errors |');
    // The header value is registered as a secret with the runner and never printed.
    // (::add-mask:: lines are consumed by the runner, never shown.)
    expect(run.stdout).toContain('::add-mask::Bearer e2e-secret-value');
    const shown = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toContain('e2e-secret-value');
    expect(run.summary).not.toContain('e2e-secret-value');
  });

  it('unhealthy: exit code 1, reason in the error annotation and the summary', async () => {
    const port = await closedPort();
    const run = await runDist('health-gate', {
      url: `http://127.0.0.1:${port}/healthz`,
      period: '100ms',
      deadline: '500ms',
    });
    expect(run.exitCode).toBe(1);
    expect(run.outputs.healthy).toBe('false');
    expect(Number(run.outputs.attempts)).toBeGreaterThanOrEqual(2);
    expect(run.annotations.join('\n')).toMatch(/::error::unhealthy:.*connection refused/s);
    expect(run.summary).toContain('❌ unhealthy');
    expect(run.summary).toContain('connection refused');
  });

  it('fail-on-unhealthy: false passes the step with a warning and healthy=false', async () => {
    const run = await runDist('health-gate', {
      url: app.url('/wrong-body'),
      'expect-json': 'status == ok',
      period: '100ms',
      deadline: '300ms',
      'fail-on-unhealthy': 'false',
    });
    expect(run.exitCode).toBe(0);
    expect(run.outputs.healthy).toBe('false');
    expect(run.annotations.some((a) => a.startsWith('::warning'))).toBe(true);
  });

  it('the local runner refuses an input the action does not declare', async () => {
    await expect(runDist('health-gate', { url: app.url('/healthz'), 'no-such-input': 'x' })).rejects.toThrow(
      /action health-gate has no input "no-such-input"/,
    );
  });

  it('bad input fails before any request is made', async () => {
    const before = app.hits.get('/healthz') ?? 0;
    const run = await runDist('health-gate', { url: app.url('/healthz'), 'expected-status': 'teapot' });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain('input `expected-status`: "teapot" is not a status code');
    expect(app.hits.get('/healthz') ?? 0).toBe(before);
    expect(run.outputs).toEqual({});
  });

  it('cancellation (SIGINT from the runner) stops the gate promptly and fails the step', async () => {
    const started = Date.now();
    const run = await runDist(
      'health-gate',
      { url: app.url('/hang'), timeout: '30s', deadline: '60s' },
      { cancel: { afterMs: 1500 } },
    );
    expect(run.exitCode).toBe(1);
    // Far below the 30 s request timeout: the signal cut the request short.
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(run.outputs.healthy).toBe('false');
  });
});
