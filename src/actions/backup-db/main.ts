import { runAction } from '../../lib/action.js';
import { withTargets } from '../../lib/target/open.js';
import { readBackupConfig, urlSecrets } from '../../core/backup-db/config.js';
import { offsiteSecrets, readOffsiteConfig } from '../../core/backup-db/storage.js';
import { offsiteSummary, runBackupOffsite, runRestoreOffsite } from '../../core/backup-db/storage-run.js';
import { backupSummary } from '../../core/backup-db/summary.js';

await runAction('backup-db', async (ctx) => {
  const cfg = readBackupConfig(ctx.inputs);
  for (const s of urlSecrets(cfg.databaseUrl)) {
    ctx.addSecret(s);
  }
  const off = readOffsiteConfig(ctx.inputs, cfg.mode, cfg.timeoutMs);
  for (const s of offsiteSecrets(off)) {
    ctx.addSecret(s);
  }
  const { report, offsite } = await withTargets(ctx, cfg.runOn, async ({ targets, runner }) => {
    const where = { host: targets[0]!, runner };
    return cfg.mode === 'restore' ? runRestoreOffsite(cfg, off, where, ctx) : runBackupOffsite(cfg, off, where, ctx);
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
  ctx.setOutput('storage-url', offsite.stored?.url ?? offsite.fetched?.url ?? '');
  ctx.setOutput('storage-sha256', offsite.stored?.sha256 ?? offsite.fetched?.sha256 ?? '');
  ctx.setOutput('storage-size-bytes', offsite.stored?.sizeBytes ?? offsite.fetched?.sizeBytes ?? '');
  ctx.setOutput('encrypted', offsite.stored?.encrypted ?? offsite.fetched?.encrypted ?? false);
  ctx.setOutput('storage-removed', offsite.storageRetention?.remove ?? []);
  ctx.setOutput('remote-removed', offsite.remoteRetention?.remove ?? []);
  ctx.summary(backupSummary(report) + offsiteSummary(offsite, cfg.retentionDryRun));
});
