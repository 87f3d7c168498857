import { runAction } from '../../lib/action.js';
import { readComposeDeployConfig } from '../../core/compose-deploy/config.js';

await runAction('compose-deploy', async (ctx) => {
  const cfg = readComposeDeployConfig(ctx.inputs);
  if (cfg.health?.insecureTls) ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health gate');
  // The targets, the deploy (compose file parser, release phase, health gate, database backups) and the summary
  // load on first use, after the inputs are read: a step's start pays only for the entry and its config.
  const [{ withTargets }, { runComposeDeploy }, { composeDeploySummary, hostsJson }] = await Promise.all([
    import('../../lib/target/open.js'),
    import('../../core/compose-deploy/run.js'),
    import('../../core/compose-deploy/summary.js'),
  ]);
  const report = await withTargets(ctx, cfg.runOn, (opened) =>
    runComposeDeploy(cfg, opened.targets, opened.runner, {
      log: ctx.log,
      warn: ctx.warn,
      signal: ctx.signal,
      gateEvents: {
        onAttempt: (url, a) =>
          ctx.log(
            `${url} attempt ${a.n}: ${a.ok ? 'ok' : 'fail'} ${a.status ?? '-'} ${a.latencyMs} ms${a.reason ? ` — ${a.reason}` : ''}`,
          ),
      },
    }),
  );
  ctx.setOutput('status', report.status);
  ctx.setOutput('release-id', report.releaseId);
  ctx.setOutput('previous-release-id', report.previousReleaseId);
  ctx.setOutput('image', report.status === 'ok' ? report.image : report.previousImage);
  ctx.setOutput('previous-image', report.previousImage);
  ctx.setOutput('backup-path', report.backupPath);
  ctx.setOutput('migrations', report.migrations);
  ctx.setOutput('rolled-back', report.rolledBack);
  ctx.setOutput('restored-db', report.restoredDb);
  ctx.setOutput('healthy', report.health ? report.health.healthy : '');
  ctx.setOutput('hosts', hostsJson(report));
  ctx.setOutput('phases', report.phases);
  ctx.setOutput('duration-ms', report.durationMs);
  ctx.summary(composeDeploySummary(report));
  for (const w of report.warnings) ctx.warn(w, 'compose-deploy');
  if (report.error) throw new Error(report.error);
});
