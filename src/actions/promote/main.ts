import { readPromoteConfig } from '../../core/promote/config.js';
import { runAction } from '../../lib/action.js';

await runAction('promote', async (ctx) => {
  const cfg = readPromoteConfig(ctx.inputs);
  // The run (registry client, GitHub client) and the summary load on first use, after the inputs are read: a
  // step's start pays only for the entry and its config.
  const [{ rollbackRef }, { runPromote }, { promoteSummary }] = await Promise.all([
    import('../../core/promote/promote.js'),
    import('../../core/promote/run.js'),
    import('../../core/promote/summary.js'),
  ]);
  if (cfg.insecureHttp) ctx.warn('insecure-http is on: registries are reached over plain http', 'promote');
  const { result, clients, deploymentId, required } = await runPromote(cfg, { log: ctx.log, signal: ctx.signal });
  const bytes = clients.reduce((a, c) => a + c.stats.bytesUploaded, 0);
  ctx.log(`blob bytes uploaded: ${bytes}`);
  ctx.setOutput('digest', result.digest);
  ctx.setOutput('source', result.source);
  ctx.setOutput(
    'promoted',
    result.targets.map((t) => t.ref),
  );
  ctx.setOutput('deployment-id', deploymentId ?? '');
  ctx.setOutput('previous', Object.fromEntries(result.targets.map((t) => [t.ref, t.previous ?? null])));
  ctx.setOutput('rollback-ref', rollbackRef(result));
  ctx.summary(
    promoteSummary(result, {
      ...(cfg.requireDeployment ? { requireDeployment: cfg.requireDeployment } : {}),
      ...(required ? { requiredId: required.id } : {}),
      ...(cfg.environment ? { environment: cfg.environment } : {}),
      ...(deploymentId !== undefined ? { deploymentId } : {}),
    }),
  );
});
