import { runAction } from '../../lib/action.js';
import { notifyAll, notifySummary } from '../../lib/notify/index.js';
import { readMaintenanceConfig } from '../../core/maintenance-dispatch/config.js';
import { isMenuOperation, type MenuReport } from '../../core/maintenance-dispatch/menu-operations.js';
import type { HostReport } from '../../core/maintenance-dispatch/run.js';
import type { Operation } from '../../core/maintenance-dispatch/operations.js';

await runAction(
  'maintenance-dispatch',
  async (ctx) => {
    const cfg = readMaintenanceConfig(ctx.inputs);
    for (const s of cfg.menu?.secrets ?? []) {
      ctx.addSecret(s);
    }
    // The targets (SSH), the host lock, the run and the summary load on first use, after the inputs are read: a
    // step's start pays only for the entry and its config (the notifiers come with the config, which reads them).
    const [{ withTargets }, { underHostLock }, { emptyHostReport, runMaintenance }, { maintenanceSummary }] =
      await Promise.all([
        import('../../lib/target/open.js'),
        import('../../core/maintenance-dispatch/host-lock.js'),
        import('../../core/maintenance-dispatch/run.js'),
        import('../../core/maintenance-dispatch/summary.js'),
      ]);
    const reports: Array<HostReport | MenuReport> = [];
    await withTargets(ctx, cfg.runOn, async ({ targets, runner }) => {
      // Hosts one at a time: maintenance on every server at once is how a whole fleet goes down together.
      for (const target of targets) {
        ctx.log(`${target.target}: ${cfg.operation}`);
        reports.push(
          cfg.menu && isMenuOperation(cfg.operation)
            ? // The menu (and backup-db's core behind it) loads only here: status and restarts start without it.
              await (
                await import('../../core/maintenance-dispatch/menu.js')
              ).runMenuOperation(target, runner, cfg.operation, cfg.menu.settings, ctx)
            : await underHostLock(
                target,
                cfg.operation,
                cfg.lock,
                ctx,
                () =>
                  runMaintenance(
                    target,
                    cfg.operation as Exclude<typeof cfg.operation, MenuReport['operation']>,
                    cfg.settings,
                    ctx,
                    {
                      env: cfg.env,
                      timeoutMs: cfg.timeoutMs,
                      idleTimeoutMs: cfg.idleTimeoutMs,
                    },
                  ),
                (message) => emptyHostReport(target.target, cfg.operation as Operation, message),
              ),
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
    ctx.setOutput(
      'details',
      reports.map((r) => ({ host: r.target, ...('details' in r ? r.details : {}) })),
    );
    // A failing notifier never fails the step: notifyAll reports and warns.
    const event = failed.length
      ? cfg.operation === 'backup-db'
        ? 'backup-failed'
        : 'maintenance-failed'
      : 'maintenance-done';
    const results = await notifyAll(
      cfg.notify,
      {
        event,
        severity: failed.length ? 'alert' : 'info',
        title: `maintenance-dispatch ${cfg.operation}: ${failed.length ? 'failed' : 'done'}`,
        text: reports.map((r) => `${r.target}: ${r.ok ? 'ok' : r.error}`).join('\n'),
        source: 'maintenance-dispatch',
        target: reports.map((r) => r.target).join(', '),
        ...(process.env.GITHUB_RUN_ID
          ? {
              link: `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`,
            }
          : {}),
      },
      ctx,
    );
    ctx.summary(maintenanceSummary(cfg.operation, reports) + notifySummary(results.length ? [{ event, results }] : []));
    if (failed.length) throw new Error(failed.map((r) => `${r.target}: ${r.error}`).join('\n'));
    if (cfg.operation === 'status' && down.length && cfg.failOnDown) {
      throw new Error(`services down: ${down.join(', ')} (run the \`heal\` command to start them)`);
    }
  },
  // It sends its own notifications (incidents; maintenance-failed, backup-failed).
  { notifyOnFailure: false },
);
