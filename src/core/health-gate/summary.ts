import { heading, markdownTable } from '../../lib/summary.js';
import type { HealthGateReport } from './run.js';

export function healthGateSummary(r: HealthGateReport): string {
  let md = heading(`health-gate: ${r.healthy ? '✅ healthy' : '❌ unhealthy'}`);
  md += markdownTable(
    ['URL', 'result', 'attempts', 'last status', 'latency p50 / p95 / max', 'TLS days left', 'failure reason'],
    r.urls.map((u) => [
      u.url,
      u.healthy ? 'healthy' : 'unhealthy',
      String(u.attempts),
      u.status === null ? '—' : String(u.status),
      `${u.latency.p50} / ${u.latency.p95} / ${u.latency.max} ms`,
      u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
      u.reason || '—',
    ]),
  );
  if (r.load) {
    const l = r.load;
    md += '\n' + heading('smoke load', 4);
    md += markdownTable(
      ['requests', 'errors', 'error rate', 'p50', 'p95', 'max', 'req/s', 'verdict'],
      [
        [
          String(l.requests),
          String(l.errors),
          `${(l.errorRate * 100).toFixed(2)}%`,
          `${l.p50} ms`,
          `${l.p95} ms`,
          `${l.max} ms`,
          l.rps.toFixed(1),
          l.verdict,
        ],
      ],
    );
    if (l.topErrors.length) {
      md +=
        '\n' +
        markdownTable(
          ['error', 'count'],
          l.topErrors.map((e) => [e.reason, String(e.count)]),
        );
    }
  }
  return md;
}

/** The `results` output: one object per URL, without the per-attempt history. */
export function resultsJson(r: HealthGateReport): object[] {
  return r.urls.map(({ history: _history, ...u }) => u);
}
