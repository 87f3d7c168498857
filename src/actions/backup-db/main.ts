import * as core from '@actions/core';
import { runAction } from '../../lib/action.js';
import { LocalExecutor } from '../../lib/exec/local.js';
import { openSsh } from '../../lib/ssh-action.js';
import { readBackupConfig, urlSecrets } from '../../core/backup-db/config.js';
import { runBackup, runRestore } from '../../core/backup-db/run.js';
import { backupSummary } from '../../core/backup-db/summary.js';

await runAction('backup-db', async (ctx) => {
  const cfg = readBackupConfig(ctx.inputs);
  for (const s of urlSecrets(cfg.databaseUrl)) {
    core.setSecret(s);
    ctx.redactor.add(s);
  }
  const ssh = cfg.runOn === 'ssh' ? await openSsh(ctx) : undefined;
  let report;
  try {
    const exec = ssh?.executors[0];
    const hooks = {
      exec: exec ?? new LocalExecutor(),
      ssh: ssh && exec ? { session: ssh.session, host: exec.host } : undefined,
      signal: ctx.signal,
      log: ctx.log,
    };
    report = cfg.mode === 'restore' ? await runRestore(cfg, hooks) : await runBackup(cfg, hooks);
  } finally {
    ssh?.close();
  }
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
