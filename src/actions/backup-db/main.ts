import * as core from '@actions/core';
import { runAction } from '../../lib/action.js';
import { withTargets } from '../../lib/target/open.js';
import { readBackupConfig, urlSecrets } from '../../core/backup-db/config.js';
import { runBackup, runRestore } from '../../core/backup-db/run.js';
import { backupSummary } from '../../core/backup-db/summary.js';

await runAction('backup-db', async (ctx) => {
  const cfg = readBackupConfig(ctx.inputs);
  for (const s of urlSecrets(cfg.databaseUrl)) {
    core.setSecret(s);
    ctx.redactor.add(s);
  }
  const report = await withTargets(ctx, cfg.runOn, async ({ targets, runner }) => {
    const where = { host: targets[0]!, runner };
    return cfg.mode === 'restore' ? runRestore(cfg, where, ctx) : runBackup(cfg, where, ctx);
  });
  ctx.setOutput('path', report.path);
  ctx.setOutput('remote-path', report.remotePath);
  ctx.setOutput('size-bytes', report.sizeBytes);
  ctx.setOutput('sha256', report.sha256);
  ctx.setOutput('duration-ms', report.durationMs);
  ctx.setOutput('verified', report.verified);
  ctx.setOutput('server-version', report.serverVersion);
  ctx.setOutput('removed', report.removed);
  ctx.setOutput('tables', report.counts);
  ctx.summary(backupSummary(report));
});
