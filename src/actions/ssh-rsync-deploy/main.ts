import { runAction } from '../../lib/action.js';
import { withTargets } from '../../lib/target/open.js';
import { readDeployConfig } from '../../core/ssh-rsync-deploy/config.js';
import { runDeploy } from '../../core/ssh-rsync-deploy/deploy.js';
import { deploySummary } from '../../core/ssh-rsync-deploy/summary.js';

await runAction('ssh-rsync-deploy', async (ctx) => {
  const cfg = readDeployConfig(ctx.inputs);
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
