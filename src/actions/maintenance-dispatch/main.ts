import { runAction } from '../../lib/action.js';
import { withTargets } from '../../lib/target/open.js';
import { readMaintenanceConfig } from '../../core/maintenance-dispatch/config.js';
import { runMaintenance, type HostReport } from '../../core/maintenance-dispatch/run.js';
import { maintenanceSummary } from '../../core/maintenance-dispatch/summary.js';

await runAction('maintenance-dispatch', async (ctx) => {
  const cfg = readMaintenanceConfig(ctx.inputs);
  const reports: HostReport[] = [];
  await withTargets(ctx, cfg.runOn, async ({ targets }) => {
    // Hosts one at a time: maintenance on every server at once is how a whole fleet goes down together.
    for (const target of targets) {
      ctx.log(`${target.target}: ${cfg.operation}`);
      reports.push(
        await runMaintenance(target, cfg.operation, cfg.settings, ctx, {
          env: cfg.env,
          timeoutMs: cfg.timeoutMs,
          idleTimeoutMs: cfg.idleTimeoutMs,
        }),
      );
      if (ctx.signal.aborted) break;
    }
  });
  const failed = reports.filter((r) => !r.ok);
  const down = [...new Set(reports.flatMap((r) => r.down))];
  ctx.setOutput('result', failed.length ? 'failed' : 'ok');
  ctx.setOutput('down', down);
  ctx.setOutput('restarted', [...new Set(reports.flatMap((r) => r.restarted))]);
  ctx.setOutput(
    'status',
    reports.map((r) => ({ host: r.target, ok: r.ok, containers: r.containers, stats: r.stats, error: r.error })),
  );
  ctx.setOutput(
    'output',
    reports
      .map((r) => r.output)
      .join('\n')
      .split('\n')
      .slice(-200)
      .join('\n'),
  );
  ctx.summary(maintenanceSummary(cfg.operation, reports));
  if (failed.length) throw new Error(failed.map((r) => `${r.target}: ${r.error}`).join('\n'));
  if (cfg.operation === 'status' && down.length && cfg.failOnDown) {
    throw new Error(`services down: ${down.join(', ')} (run the \`heal\` command to start them)`);
  }
});
