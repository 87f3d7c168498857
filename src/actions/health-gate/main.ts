import { runAction } from '../../lib/action.js';
import { readHealthGateConfig } from '../../core/health-gate/config.js';

await runAction('health-gate', async (ctx) => {
  const cfg = readHealthGateConfig(ctx.inputs);
  // The run and the summary load on first use, after the inputs
  // are read: a step's start pays only for the entry and its config.
  const [{ runHealthGate }, { healthGateSummary, resultsJson }] = await Promise.all([
    import('../../core/health-gate/run.js'),
    import('../../core/health-gate/summary.js'),
  ]);
  if (cfg.insecureTls) ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health-gate');
  const report = await runHealthGate(
    cfg,
    {
      onAttempt: (url, a) =>
        ctx.log(
          `${url} attempt ${a.n}: ${a.ok ? 'ok' : 'fail'} ${a.status ?? '-'} ${a.latencyMs} ms${a.reason ? ` — ${a.reason}` : ''}`,
        ),
    },
    ctx.signal,
  );
  ctx.setOutput('healthy', report.healthy);
  ctx.setOutput('attempts', report.attempts);
  ctx.setOutput('results', resultsJson(report));
  ctx.setOutput('p50-ms', report.p50);
  ctx.setOutput('p95-ms', report.p95);
  ctx.summary(healthGateSummary(report));
  if (!report.healthy) {
    const message = `unhealthy:\n${report.failures.join('\n')}`;
    if (cfg.failOnUnhealthy) throw new Error(message);
    ctx.warn(`${message}\n(fail-on-unhealthy is false: the step passes)`, 'health-gate');
  }
});
