import { runAction } from '../../lib/action.js';
import { readReleaseConfig } from '../../core/run-release-phase/config.js';

await runAction('run-release-phase', async (ctx) => {
  const cfg = readReleaseConfig(ctx.inputs);
  // The targets (SSH), the run and the summary load on first use, after the inputs are read: a step's start
  // pays only for the entry and its config.
  const [{ withTargets }, { runReleasePhase }, { releaseSummary }] = await Promise.all([
    import('../../lib/target/open.js'),
    import('../../core/run-release-phase/run.js'),
    import('../../core/run-release-phase/summary.js'),
  ]);
  // Release commands run once, on the primary (first) host, never on every host; run-on docker runs the
  // client on the runner.
  const report = await withTargets(ctx, cfg.runOn === 'ssh' ? 'ssh' : 'local', ({ targets }) =>
    runReleasePhase(targets[0]!, cfg, ctx),
  );
  ctx.setOutput('status', report.status);
  ctx.setOutput('duration-ms', report.durationMs);
  ctx.setOutput('migrations', report.migrations);
  ctx.summary(releaseSummary(report));
  if (report.status !== 'succeeded')
    throw new Error(`release phase failed; nothing was activated.\n${report.error ?? ''}`);
});
