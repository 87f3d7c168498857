import { existsSync, readFileSync, rmSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { makeRecordedTempDir } from '../../lib/cleanup-state.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { BackupConfig } from './config.js';
import { AGE_SUFFIX, checkRecipients } from './encrypt.js';
import { parseMongoUrl } from './mongodb.js';
import { parseMysqlUrl } from './mysql.js';
import { parsePostgresUrl } from './postgres.js';
import { backupBase, retentionEnabled, type RetentionPlan } from './retention.js';
import type { RunContext } from '../../lib/context.js';
import { InputError } from '../../lib/errors.js';
import { isHeldName } from './leftovers.js';
import { sha256File } from './pipeline.js';
import {
  copyToRemoteDir,
  retentionPolicy,
  runBackup,
  writeSidecar,
  runRestore,
  type BackupOptions,
  type BackupReport,
  type BackupTargets,
} from './run.js';
import { hostRetention } from './storage-host.js';
import {
  decryptLocalBackup,
  encryptBackup,
  fetchBackup,
  incompleteNames,
  openStore,
  parseSidecar,
  SIDECAR_SUFFIX,
  resolveStored,
  storageRetention,
  uploadBackup,
  type BackupStore,
  type FetchedBackup,
  type OffsiteConfig,
  type StoredBackup,
} from './storage.js';

/**
 * The off-site part of a backup-db run, around the core backup/restore (run.ts stays as it is):
 *
 * backup: check the recipients and the storage (list the prefix) before dumping anything → the core backup
 * (dump → verify → output-dir / remote-dir copy → output-dir retention) → upload to the storage (encrypted on the
 * runner when recipients are set), check it, write its `.sha256` → retention in the storage → retention in
 * remote-dir on the server. Without output-dir, the local file lives in a private temp dir removed at the end.
 *
 * restore: resolve `restore-from` (`latest`, a name, or the s3:// URL) → download (hash checked against the
 * `.sha256`; decrypted with decrypt-identity) into a private temp dir → the core restore from that file.
 */
export interface OffsiteReport {
  /** backup: the stored copy. */
  stored?: StoredBackup;
  /** restore: what was fetched from the storage. */
  fetched?: FetchedBackup;
  storageRetention?: RetentionPlan;
  remoteRetention?: RetentionPlan;
  /** Data objects in the storage without a `.sha256` (uploads that never finished verification). */
  incomplete: string[];
  /** backup: the remote-dir copy on the server is the age-encrypted file (encrypt-recipients). */
  remoteEncrypted?: boolean;
  /** restore: restore-from was a local `.age` file, decrypted with decrypt-identity. */
  decrypted?: boolean;
}

export interface OffsiteResult {
  report: BackupReport;
  offsite: OffsiteReport;
}

/** Says (as a warning annotation) which files retention neither counted nor removed, and what to do. */
function warnUnverified(ctx: RunContext, where: string, names: readonly string[]): void {
  ctx.warn(
    `${where}: ${names.length} file(s) named like backups have no .sha256 beside them (an upload or copy that never finished, or made by something else): not counted as backups, never removed by retention; check them and remove them yourself, or restore one with allow-unverified: true: ${names.join(', ')}`,
  );
}

/**
 * Before a restore from a runner file: its `.sha256` beside it must match (a mismatch is refused, always); without
 * one the restore is refused unless allow-unverified.
 */
async function checkLocalSidecar(cfg: BackupConfig, ctx: RunContext): Promise<void> {
  const file = cfg.restoreFrom;
  // A missing file, or a held one (.partial/.unverified): the restore itself says what is wrong, more precisely.
  if (!existsSync(file) || !statSync(file).isFile() || isHeldName(basename(file))) return;
  const side = file + SIDECAR_SUFFIX;
  if (!existsSync(side)) {
    if (!cfg.allowUnverified) {
      throw new InputError(
        'restore-from',
        `${file} has no ${SIDECAR_SUFFIX} beside it: nothing shows it is a complete backup; restore another backup, or set allow-unverified: true to restore it anyway`,
      );
    }
    ctx.warn(`${file} has no ${SIDECAR_SUFFIX} beside it: restoring it unverified (allow-unverified: true)`);
    return;
  }
  const expected = parseSidecar(readFileSync(side, 'utf8'), basename(file));
  const actual = await sha256File(file);
  if (actual !== expected) {
    throw new Error(`${file} hashes to ${actual}, its ${SIDECAR_SUFFIX} says ${expected}: refusing to restore it`);
  }
  ctx.log(`${file}: sha256 matches its ${SIDECAR_SUFFIX}`);
}

/** A private dir on the runner for the plaintext copy: recorded first, so the post step removes it after a kill. */
function privateDir(): string {
  return makeRecordedTempDir('offsite');
}

/** The database name as the engines derive it (for `latest` and an early `confirm` check). */
export function databaseNameOf(cfg: BackupConfig): string {
  if (cfg.database) return cfg.database;
  if (!cfg.databaseUrl) return '';
  switch (cfg.engine) {
    case 'postgres':
      return parsePostgresUrl(cfg.databaseUrl).database;
    case 'mysql':
    case 'mariadb':
      return parseMysqlUrl(cfg.databaseUrl).database;
    case 'mongodb':
      return parseMongoUrl(cfg.databaseUrl).database;
    default:
      return '';
  }
}

export async function runBackupOffsite(
  cfg: BackupConfig,
  off: OffsiteConfig,
  where: BackupTargets,
  ctx: RunContext,
  o: BackupOptions = {},
): Promise<OffsiteResult> {
  const log = ctx.log;
  const offsite: OffsiteReport = { incomplete: [] };
  let store: BackupStore | undefined;
  let tmp: string | undefined;
  try {
    if (off.recipients.length) {
      if (!off.storage && !cfg.remoteDir) throw new Error('input `encrypt-recipients`: needs storage or remote-dir');
      await checkRecipients(off.recipients);
    }
    if (off.storage) {
      store = await openStore(off.storage);
      // Before a dump that can take hours: the keys, the bucket and the permission to list must work now.
      await store.list(ctx.signal);
    }
    const policy = retentionPolicy(cfg);
    if (!cfg.outputDir && !store) throw new Error('input `output-dir`: is required to make a backup (or set storage)');
    // With recipients, the server's copy (remote-dir) is the encrypted file: the core backup makes none.
    const encryptRemote = off.recipients.length > 0 && !!cfg.remoteDir;
    if (!cfg.outputDir || store || encryptRemote) tmp = privateDir();
    const inner: BackupConfig = {
      ...(cfg.outputDir ? cfg : { ...cfg, outputDir: tmp!, keep: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 }),
      ...(encryptRemote ? { remoteDir: '' } : {}),
    };
    const report = await runBackup(inner, where, ctx, { ...o, sidecars: true });
    if (report.unverified?.length) warnUnverified(ctx, cfg.outputDir, report.unverified);
    const base = backupBase(report.database);
    // Encrypted once on the runner (into the private dir), for every copy that leaves it.
    const encrypted = off.recipients.length
      ? await encryptBackup(report.path, tmp!, off.recipients, ctx.signal)
      : undefined;
    if (encryptRemote) {
      writeSidecar(encrypted!.file, encrypted!.sha256);
      report.remotePath = await copyToRemoteDir(where.host, cfg.remoteDir, encrypted!.file, ctx.signal, true);
      offsite.remoteEncrypted = true;
      log(`copied to ${where.host.target}:${report.remotePath} (age-encrypted on the runner)`);
    }
    if (store) {
      offsite.stored = await uploadBackup(store, report.path, {
        plainSha256: report.sha256,
        tmpDir: tmp!,
        recipients: off.recipients,
        ...(encrypted ? { encrypted } : {}),
        verify: off.storage!.verify,
        signal: ctx.signal,
        log,
      });
      if (retentionEnabled(policy)) {
        offsite.storageRetention = await storageRetention(
          store,
          base,
          policy,
          offsite.stored.name,
          cfg.retentionDryRun,
          ctx.signal,
        );
        const r = offsite.storageRetention.remove;
        if (r.length) log(`storage retention${cfg.retentionDryRun ? ' (dry run)' : ''}: ${r.join(', ')}`);
      }
      offsite.incomplete = incompleteNames(await store.list(ctx.signal)).filter((n) => n.startsWith(`${base}-`));
      if (offsite.incomplete.length) warnUnverified(ctx, store.url, offsite.incomplete);
    }
    if (cfg.remoteDir && report.remotePath && retentionEnabled(policy)) {
      offsite.remoteRetention = await hostRetention(
        where.host,
        cfg.remoteDir,
        base,
        policy,
        basename(report.remotePath),
        cfg.retentionDryRun,
        ctx.signal,
        true,
      );
      const unverified = offsite.remoteRetention.unverified ?? [];
      if (unverified.length) warnUnverified(ctx, `${cfg.remoteDir} on ${where.host.target}`, unverified);
      const r = offsite.remoteRetention.remove;
      if (r.length) log(`retention in ${cfg.remoteDir}${cfg.retentionDryRun ? ' (dry run)' : ''}: ${r.join(', ')}`);
    }
    // Without output-dir the runner's copy goes away with the temp dir: the stored copy is the backup.
    if (!cfg.outputDir && offsite.stored) report.path = offsite.stored.url;
    return { report, offsite };
  } finally {
    store?.dispose();
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  }
}

export async function runRestoreOffsite(
  cfg: BackupConfig,
  off: OffsiteConfig,
  where: BackupTargets,
  ctx: RunContext,
): Promise<OffsiteResult> {
  const db = databaseNameOf(cfg);
  // The same check runRestore makes, before a download or a decryption that can be large.
  const checkConfirm = (): void => {
    if (db && cfg.confirm !== db) {
      throw new Error(
        `input \`confirm\`: restoring replaces the contents of ${db}; set confirm to exactly "${db}" to proceed`,
      );
    }
  };
  if (!off.storage) {
    await checkLocalSidecar(cfg, ctx);
    if (!cfg.restoreFrom.endsWith(AGE_SUFFIX)) {
      return { report: await runRestore(cfg, where, ctx), offsite: { incomplete: [] } };
    }
    // A copy encrypted for remote-dir: decrypted into a private dir, then restored from there.
    checkConfirm();
    const tmp = privateDir();
    try {
      const plain = await decryptLocalBackup(cfg.restoreFrom, tmp, off.identities, ctx.signal);
      ctx.log(`decrypted ${cfg.restoreFrom}`);
      const report = await runRestore({ ...cfg, restoreFrom: plain }, where, ctx);
      report.path = cfg.restoreFrom;
      report.verification = report.verification.replace(plain, cfg.restoreFrom);
      return { report, offsite: { incomplete: [], decrypted: true } };
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  checkConfirm();
  const store = await openStore(off.storage);
  const tmp = privateDir();
  try {
    const name = await resolveStored(store, cfg.restoreFrom, backupBase(db), ctx.signal);
    ctx.log(`fetching ${store.url}${name}`);
    const fetched = await fetchBackup(store, name, tmp, off.identities, ctx.signal, cfg.allowUnverified);
    if (fetched.unverified) {
      ctx.warn(`${fetched.url} has no ${SIDECAR_SUFFIX} object: restoring it unverified (allow-unverified: true)`);
    }
    ctx.log(
      `fetched ${fetched.url} (${fetched.sizeBytes} bytes, ${fetched.unverified ? 'no .sha256 to check' : 'sha256 matches its .sha256'}${fetched.encrypted ? ', decrypted' : ''})`,
    );
    const report = await runRestore({ ...cfg, restoreFrom: fetched.path }, where, ctx);
    report.path = fetched.url;
    report.verification = report.verification.replace(fetched.path, fetched.url);
    return { report, offsite: { fetched, incomplete: [] } };
  } finally {
    store.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Job-summary rows for the off-site part (empty when there was none). */
export function offsiteSummary(o: OffsiteReport, dryRun: boolean): string {
  const rows: string[][] = [];
  if (o.stored) {
    rows.push(['stored', o.stored.url]);
    rows.push([
      'stored size',
      `${o.stored.sizeBytes} bytes${o.stored.encrypted ? ' (age-encrypted on the runner)' : ''}`,
    ]);
    rows.push(['stored sha256', `${o.stored.sha256} (in ${o.stored.name}.sha256)`]);
    rows.push(['storage check', o.stored.verification]);
  }
  if (o.fetched) {
    rows.push([
      'fetched',
      `${o.fetched.url} (${o.fetched.sizeBytes} bytes${o.fetched.encrypted ? ', decrypted' : ''})`,
    ]);
    rows.push(['stored sha256', `${o.fetched.sha256} (matches its .sha256)`]);
  }
  const verb = dryRun ? 'would remove' : 'removed';
  if (o.storageRetention) {
    rows.push([
      `storage retention${dryRun ? ' (dry run)' : ''}`,
      `${verb} ${o.storageRetention.remove.join(', ') || 'nothing'}`,
    ]);
  }
  if (o.remoteEncrypted) rows.push(['remote-dir copy', 'age-encrypted on the runner (no plaintext on the server)']);
  if (o.remoteRetention) {
    rows.push([
      `remote-dir retention${dryRun ? ' (dry run)' : ''}`,
      `${verb} ${o.remoteRetention.remove.join(', ') || 'nothing'}`,
    ]);
  }
  if (o.incomplete.length) rows.push(['incomplete uploads (no .sha256, not counted)', o.incomplete.join(', ')]);
  if (!rows.length) return '';
  return '\n' + heading('off-site', 4) + markdownTable(['', ''], rows);
}
