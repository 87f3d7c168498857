import { mkdtempSync, rmSync } from 'node:fs';
import { join, posix } from 'node:path';
import { makeRecordedTempDir } from '../../lib/cleanup-state.js';
import type { RunContext } from '../../lib/context.js';
import type { Target } from '../../lib/target/types.js';
import type { BackupConfig, EngineName } from '../backup-db/config.js';
import { backupBase } from '../backup-db/retention.js';
import { runBackup, runRestore } from '../backup-db/run.js';
import { hostRetention } from '../backup-db/storage-host.js';
import type { ComposeDeployConfig } from './config.js';

/** The pre-update backup of one host: where it is kept on the host, and the runner's copy a restore uses. */
export interface BackupInfo {
  /** On the host, under `<path>/.deploy-kit/backups/`. */
  path: string;
  /** The same bytes on the runner (removed at the end of the run). */
  localPath: string;
  sizeBytes: number;
  sha256: string;
  verification: string;
  /** Older backups of this database removed from the host's backups dir by keep-backups (after this one verified). */
  removed: string[];
}

/**
 * backup-db's core, pointed at the compose project's database service: the dump runs inside the service
 * (`compose exec -T`, so the client matches the server), streams to the runner, is checksummed, fsynced and
 * verified, and is kept on the host under `<path>/.deploy-kit/backups/` (for run-on ssh, a copy checked by
 * sha256 on both sides). Retention (keep-backups) runs where the backups are kept: in the directory itself for
 * run-on local, on the host through its target for run-on ssh (backup-db's hostRetention: the same plan, only
 * after the copy there was checked, never the copy just made).
 */
export class DatabaseBackups {
  /** The runner's copies (a dump holds the data): recorded for the post step, which removes it after a kill. */
  private readonly work = makeRecordedTempDir('composedeploy');

  constructor(
    private readonly cfg: ComposeDeployConfig,
    private readonly runner: Target,
    private readonly ctx: RunContext,
  ) {}

  private backupConfig(host: Target, composeFiles: string[], outputDir: string, remoteDir: string): BackupConfig {
    const c = this.cfg;
    return {
      engine: c.backup as EngineName,
      runOn: host.kind === 'ssh' ? 'ssh' : 'local',
      databaseUrl: c.databaseUrl,
      database: c.database,
      outputDir,
      remoteDir,
      compression: 'gzip',
      keep: c.keepBackups,
      keepDaily: 0,
      keepWeekly: 0,
      keepMonthly: 0,
      retentionDryRun: false,
      verify: c.backupVerify,
      mode: 'backup',
      restoreFrom: '',
      confirm: '',
      minSizeBytes: 64,
      timeoutMs: c.timeoutMs,
      composeService: c.backupService,
      composeFiles,
      composeProject: c.projectName,
      dockerHost: c.dockerHost,
    };
  }

  /** Backs up the database of `host` into `backupsDir` (on the host). */
  async backup(host: Target, composeFiles: string[], backupsDir: string): Promise<BackupInfo> {
    const local = host.kind === 'runner';
    const outputDir = local ? backupsDir : mkdtempSync(join(this.work, 'host-'));
    const r = await runBackup(
      this.backupConfig(host, composeFiles, outputDir, local ? '' : backupsDir),
      { host, runner: this.runner },
      this.ctx,
    );
    const path = local ? r.path : r.remotePath || posix.join(backupsDir, posix.basename(r.path));
    let removed = r.removed;
    if (!local) {
      const policy = { keep: this.cfg.keepBackups, daily: 0, weekly: 0, monthly: 0 };
      const plan = await hostRetention(
        host,
        backupsDir,
        backupBase(r.database),
        policy,
        posix.basename(path),
        false,
        this.ctx.signal,
      );
      removed = plan.remove;
      if (removed.length) this.ctx.log(`${host.target}: keep-backups ${policy.keep}: removed ${removed.join(', ')}`);
    }
    return { path, localPath: r.path, sizeBytes: r.sizeBytes, sha256: r.sha256, verification: r.verification, removed };
  }

  /** Restores `b` into the live database of `host`; returns backup-db's account of it. */
  async restore(host: Target, composeFiles: string[], b: BackupInfo): Promise<string> {
    const cfg: BackupConfig = {
      ...this.backupConfig(host, composeFiles, this.work, ''),
      mode: 'restore',
      restoreFrom: b.localPath,
      confirm: this.cfg.database,
      keep: 0,
    };
    const r = await runRestore(cfg, { host, runner: this.runner }, this.ctx);
    if (r.sha256 !== b.sha256)
      throw new Error(`the backup ${b.localPath} changed since it was taken (sha256 ${r.sha256}, was ${b.sha256})`);
    return r.verification;
  }

  dispose(): void {
    rmSync(this.work, { recursive: true, force: true });
  }
}
