import type { HealthGateConfig } from './config.js';
import { gateUrl, type GateEvents, type UrlResult } from './gate.js';
import { runLoad, type LoadResult } from './load.js';
import { percentile } from './stats.js';

export interface HealthGateReport {
  healthy: boolean;
  attempts: number;
  urls: UrlResult[];
  load?: LoadResult & { verdict: string };
  p50: number;
  p95: number;
  /** Why the gate failed, one line per cause. */
  failures: string[];
}

/** Gates every URL in parallel, then (if all are healthy) runs the bounded smoke load. */
export async function runHealthGate(
  cfg: HealthGateConfig,
  events: GateEvents = {},
  signal?: AbortSignal,
): Promise<HealthGateReport> {
  const base = {
    method: cfg.method,
    headers: cfg.headers,
    maxRedirects: cfg.maxRedirects,
    insecureTls: cfg.insecureTls,
  };
  const urls = await Promise.all(
    cfg.urls.map((url) => gateUrl({ ...base, url }, cfg.expectations, cfg.timing, events, signal)),
  );
  const failures = urls.filter((u) => !u.healthy).map((u) => `${u.url}: ${u.reason}`);

  let load: HealthGateReport['load'];
  if (cfg.load && failures.length === 0) {
    const r = await runLoad(cfg.urls, { ...base, timeoutMs: cfg.timing.timeoutMs }, cfg.expectations, cfg.load, signal);
    const problems: string[] = [];
    if (cfg.load.maxP95Ms !== undefined && r.p95 > cfg.load.maxP95Ms)
      problems.push(`p95 ${r.p95} ms over max-p95 ${cfg.load.maxP95Ms} ms`);
    if (r.errorRate > cfg.load.maxErrorRate) {
      problems.push(
        `error rate ${(r.errorRate * 100).toFixed(2)}% over max-error-rate ${(cfg.load.maxErrorRate * 100).toFixed(2)}%`,
      );
    }
    if (r.requests === 0) problems.push('no request completed within the load budget');
    load = { ...r, verdict: problems.length ? problems.join('; ') : 'ok' };
    for (const p of problems) failures.push(`smoke load: ${p}`);
  }

  const allLatencies = urls.flatMap((u) => u.history.map((a) => a.latencyMs));
  return {
    healthy: failures.length === 0,
    attempts: urls.reduce((n, u) => n + u.attempts, 0),
    urls,
    load,
    p50: load ? load.p50 : percentile(allLatencies, 50),
    p95: load ? load.p95 : percentile(allLatencies, 95),
    failures,
  };
}
