import { runAction } from '../../lib/action.js';
import { readBackupConfig, urlSecrets } from '../../core/backup-db/config.js';

await runAction('backup-db', async (ctx) => {
  const cfg = readBackupConfig(ctx.inputs);
  for (const s of urlSecrets(cfg.databaseUrl)) {
    ctx.addSecret(s);
  }
  // The off-site storage (its inputs are read next), the targets, the run and the summary load after the
  // database inputs are read: a step's start pays only for the entry and its config. The S3 client and age
  // load later still, only when a run uses them.
  const [
    { offsiteSecrets, readOffsiteConfig },
    { withTargets },
    { offsiteSummary, runBackupOffsite, runRestoreOffsite },
    { backupSummary },
  ] = await Promise.all([
    import('../../core/backup-db/storage.js'),
    import('../../lib/target/open.js'),
    import('../../core/backup-db/storage-run.js'),
    import('../../core/backup-db/summary.js'),
  ]);
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
  ctx.setOutput(
    'encrypted',
    offsite.stored?.encrypted ?? offsite.fetched?.encrypted ?? (!!offsite.remoteEncrypted || !!offsite.decrypted),
  );
  ctx.setOutput('storage-removed', offsite.storageRetention?.remove ?? []);
  ctx.setOutput('remote-removed', offsite.remoteRetention?.remove ?? []);
  ctx.summary(backupSummary(report) + offsiteSummary(offsite, cfg.retentionDryRun));
});
