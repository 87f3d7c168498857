import { runAction } from '../../lib/action.js';
import { readDeployConfig } from '../../core/ssh-rsync-deploy/config.js';

await runAction('ssh-rsync-deploy', async (ctx) => {
  const cfg = readDeployConfig(ctx.inputs);
  // The targets, the deploy and the summary load on first use, after the inputs
  // are read: a step's start pays only for the entry and its config.
  const [{ withTargets }, { runDeploy }, { deploySummary }] = await Promise.all([
    import('../../lib/target/open.js'),
    import('../../core/ssh-rsync-deploy/deploy.js'),
    import('../../core/ssh-rsync-deploy/summary.js'),
  ]);
  const report = await withTargets(ctx, 'ssh', ({ targets, runner }) =>
    runDeploy(cfg, { log: ctx.log, warn: ctx.warn, signal: ctx.signal, hosts: targets, runner }),
  );
  ctx.setOutput('release-id', report.releaseId);
  ctx.setOutput('release-path', report.releasePath);
  ctx.setOutput('previous-release-id', report.previousReleaseId);
  ctx.setOutput('hosts', report.hosts);
  ctx.summary(deploySummary(report));
  if (!report.ok) throw new Error(report.error ?? 'deploy failed');
});
