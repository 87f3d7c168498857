import { readPaasConfig } from '../../core/paas-deploy/config.js';
import { runAction } from '../../lib/action.js';

await runAction('paas-deploy', async (ctx) => {
  const cfg = readPaasConfig(ctx.inputs);
  // The run (providers, HTTP, GitHub client) and the summary load on first use, after the inputs are read: a
  // step's start pays only for the entry and its config.
  const [{ describe, runPaasDeploy }, { paasSummary }] = await Promise.all([
    import('../../core/paas-deploy/run.js'),
    import('../../core/paas-deploy/summary.js'),
  ]);
  const started = Date.now();
  const r = await runPaasDeploy(cfg, { ctx, addSecret: ctx.addSecret });
  const id = r.release?.id ?? '';
  ctx.setOutput('status', r.status);
  ctx.setOutput('release-id', id);
  ctx.setOutput('deployment-id', id);
  ctx.setOutput('slug', r.release?.slug ?? '');
  ctx.setOutput('previous', r.previous?.id ?? '');
  ctx.setOutput('live', r.live?.id ?? '');
  ctx.setOutput('live-label', r.live?.label ?? '');
  ctx.setOutput('url', r.url ?? '');
  ctx.setOutput('release-output', ctx.redactor.redact(r.releaseOutput.join('\n')));
  ctx.setOutput('provider-status', r.providerStatus);
  ctx.setOutput('github-deployment-id', r.githubDeploymentId ?? '');
  ctx.summary(paasSummary(cfg, r, Date.now() - started));
  ctx.log(`live now on ${cfg.provider} \`${r.app}\`: ${describe(r.live)}`);
  if (r.status !== 'ok') throw new Error(`paas-deploy ${r.status}: ${r.failure ?? ''}`);
});
