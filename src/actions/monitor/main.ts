import type { MonitorReport } from '../../core/monitor/run.js';
import { runAction } from '../../lib/action.js';
import { readMonitorConfig } from '../../core/monitor/config.js';

await runAction(
  'monitor',
  async (ctx) => {
    const cfg = readMonitorConfig(ctx.inputs);
    // The targets, the run and the summary load on first use, after the inputs
    // are read: a step's start pays only for the entry and its config.
    const [{ withTargets }, { runMonitor }, { monitorSummary }] = await Promise.all([
      import('../../lib/target/open.js'),
      import('../../core/monitor/run.js'),
      import('../../core/monitor/summary.js'),
    ]);
    const report: MonitorReport =
      cfg.runOn === 'none'
        ? await runMonitor(cfg, { ...ctx, targets: [] })
        : await withTargets(ctx, cfg.runOn, (opened) => runMonitor(cfg, { ...ctx, targets: opened.targets }));
    const open = report.incidents.filter((i) => i.open);
    ctx.setOutput('state', report.state);
    ctx.setOutput('incident', open[0] ? String(open[0].number) : '');
    ctx.setOutput('incidents', report.incidents);
    ctx.setOutput('consecutive-failures', report.consecutiveFailures);
    ctx.setOutput('healed', report.healed);
    ctx.setOutput(
      'checks',
      report.checks.map((c) => ({ kind: c.kind, ok: c.ok, problems: c.problems })),
    );
    ctx.summary(monitorSummary(cfg.name, report));
    for (const c of report.checks.filter((x) => !x.ok)) ctx.log(`${c.kind}: FAILING\n  ${c.problems.join('\n  ')}`);
    if (report.state === 'down' && cfg.failOnDown)
      throw new Error(
        `${cfg.name} is down: ${report.checks
          .filter((c) => !c.ok)
          .map((c) => c.kind)
          .join(', ')} (fail-on-down is on)`,
      );
  },
  // It sends its own notifications (incidents; maintenance-failed, backup-failed).
  { notifyOnFailure: false },
);
