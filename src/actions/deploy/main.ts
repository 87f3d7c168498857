import { runAction } from '../../lib/action.js';
import { readOneStepConfig } from '../../core/deploy/config.js';

await runAction('deploy', async (ctx) => {
  const cfg = readOneStepConfig(ctx.inputs);
  // The targets, the run and the summaries load on first use, after the inputs
  // are read: a step's start pays only for the entry and its config.
  const [{ withTargets }, { runOneStep }, { oneStepSummary }, { resultsJson }] = await Promise.all([
    import('../../lib/target/open.js'),
    import('../../core/deploy/run.js'),
    import('../../core/deploy/summary.js'),
    import('../../core/health-gate/summary.js'),
  ]);
  if (cfg.health.insecureTls) ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health gate');
  const report = await withTargets(ctx, 'ssh', ({ targets, runner }) =>
    runOneStep(cfg, {
      log: ctx.log,
      warn: ctx.warn,
      signal: ctx.signal,
      hosts: targets,
      runner,
      gateEvents: {
        onAttempt: (url, a) =>
          ctx.log(
            `${url} attempt ${a.n}: ${a.ok ? 'ok' : 'fail'} ${a.status ?? '-'} ${a.latencyMs} ms${a.reason ? ` — ${a.reason}` : ''}`,
          ),
      },
    }),
  );
  ctx.setOutput('status', report.status);
  ctx.setOutput('release-id', report.deploy.releaseId);
  ctx.setOutput('release-path', report.deploy.releasePath);
  ctx.setOutput('previous-release-id', report.deploy.previousReleaseId);
  ctx.setOutput('rolled-back', report.rolledBack);
  ctx.setOutput(
    'migrations',
    report.release?.migrations ?? { framework: cfg.release?.preset ?? 'none', applied: [], before: [], after: [] },
  );
  ctx.setOutput('healthy', report.health?.healthy ?? false);
  ctx.setOutput('health', report.health ? resultsJson(report.health) : []);
  ctx.setOutput('hosts', report.deploy.hosts);
  ctx.setOutput('phases', report.phases);
  ctx.setOutput('duration-ms', report.durationMs);
  ctx.summary(oneStepSummary(report));
  for (const w of report.warnings) ctx.warn(w, 'deploy');
  if (report.error) throw new Error(report.error);
});
