import { runAction } from '../../lib/action.js';
import { LocalExecutor } from '../../lib/exec/local.js';
import { openSsh } from '../../lib/ssh-action.js';
import { readReleaseConfig } from '../../core/run-release-phase/config.js';
import { runReleasePhase } from '../../core/run-release-phase/run.js';
import { releaseSummary } from '../../core/run-release-phase/summary.js';

await runAction('run-release-phase', async (ctx) => {
  const cfg = readReleaseConfig(ctx.inputs);
  const ssh = cfg.runOn === 'ssh' ? await openSsh(ctx) : undefined;
  try {
    // Release commands run once, on the primary (first) host, never on every host.
    const exec = ssh ? ssh.executors[0]! : new LocalExecutor();
    const report = await runReleasePhase(exec, cfg, { log: ctx.log, signal: ctx.signal });
    ctx.setOutput('status', report.status);
    ctx.setOutput('duration-ms', report.durationMs);
    ctx.setOutput('migrations', report.migrations);
    ctx.summary(releaseSummary(report));
    if (report.status !== 'succeeded')
      throw new Error(`release phase failed; nothing was activated.\n${report.error ?? ''}`);
  } finally {
    ssh?.close();
  }
});
