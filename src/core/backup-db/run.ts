import { mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, posix } from 'node:path';
import { makeRecordedTempDir } from '../../lib/cleanup-state.js';
import { detectCompose } from '../../lib/compose.js';
import type { RunContext } from '../../lib/context.js';
import { runChecked } from '../../lib/exec/types.js';
import { ContainerTarget, describeAccess, inContainer } from '../../lib/target/container.js';
import type { Target } from '../../lib/target/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import { compressionOf, compressionSuffix, decompressCommand } from './compress.js';
import type { BackupConfig } from './config.js';
import { compareCounts, type Counts, type Engine, type EngineOptions } from './engines.js';
import { MongoEngine } from './mongodb-engine.js';
import { MysqlEngine } from './mysql-engine.js';
import { heldSuffix, isHeldName, removeStaleHeld } from './leftovers.js';
import { commandToFile, fsyncPath, promoteHeld, sha256File, streamDumpToFile } from './pipeline.js';
import { PostgresEngine } from './postgres-engine.js';
import {
  applyRetention,
  backupBase,
  backupFileName,
  retentionEnabled,
  SIDECAR_SUFFIX,
  type RetentionPolicy,
} from './retention.js';
import { SqliteEngine } from './sqlite-engine.js';
import { InputError } from '../../lib/errors.js';

export interface BackupReport {
  mode: 'backup' | 'restore';
  engine: string;
  database: string;
  serverVersion: string;
  path: string;
  /** run-on ssh with remote-dir: the copy on the server. */
  remotePath: string;
  sizeBytes: number;
  sha256: string;
  durationMs: number;
  verify: string;
  verified: boolean;
  verification: string;
  /** Retention: names removed (or that would be, on a dry run). */
  removed: string[];
  /** Retention: the backups kept and why (`newest`, `keep`, `daily 2024-01-02` …); empty when retention is off. */
  kept: { name: string; reasons: string[] }[];
  /** compose-service: `<service> (docker compose v2)` etc.; empty otherwise. */
  ranIn: string;
  retentionDryRun: boolean;
  /** Table → rows (restore mode: what was restored; verify: restore: what the throwaway restore held). */
  counts: Record<string, number>;
  /** With sidecars: backups of the database in output-dir without a `.sha256` (not counted, not removed). */
  unverified?: string[];
}

/** Where a backup runs: the host side (the runner for run-on local, else the SSH host) and the runner. */
export interface BackupTargets {
  /** Where the database tools run (or, with compose-service, where compose runs). */
  host: Target;
  /** The runner: writes the backup file, decompresses, verifies with its own tools. */
  runner: Target;
}

export interface BackupOptions {
  onProgress?: (rawBytes: number) => void;
  now?: () => Date;
  /**
   * Write `<backup>.sha256` beside the backup in output-dir and remote-dir (backup-db's own runs): the backup counts
   * for retention only with it, and a restore checks it. Off for callers that keep their own layout.
   */
  sidecars?: boolean;
}

export function retentionPolicy(cfg: BackupConfig): RetentionPolicy {
  return { keep: cfg.keep, daily: cfg.keepDaily, weekly: cfg.keepWeekly, monthly: cfg.keepMonthly };
}

/**
 * Where the database tools run: the host itself, or with compose-service the Compose service reached through
 * it (`compose exec -T`), so the client always matches the server.
 */
async function toolsTarget(cfg: BackupConfig, where: BackupTargets, ctx: RunContext): Promise<Target> {
  if (!cfg.composeService) return where.host;
  const flavor = await detectCompose(where.host, ctx.signal);
  return inContainer(
    where.host,
    {
      kind: 'compose-exec',
      project: { flavor, files: cfg.composeFiles, ...(cfg.composeProject ? { project: cfg.composeProject } : {}) },
      service: cfg.composeService,
    },
    cfg.dockerHost ? { dockerHost: cfg.dockerHost } : {},
  );
}

const ranIn = (tools: Target): string => (tools instanceof ContainerTarget ? describeAccess(tools.access) : '');

function makeEngine(cfg: BackupConfig, o: EngineOptions): Engine {
  switch (cfg.engine) {
    case 'postgres':
      return new PostgresEngine(cfg.databaseUrl, cfg.database, o);
    case 'mysql':
    case 'mariadb':
      return new MysqlEngine(cfg.engine, cfg.databaseUrl, cfg.database, o);
    case 'sqlite':
      return new SqliteEngine(cfg.database, o);
    case 'mongodb':
      return new MongoEngine(cfg.databaseUrl, cfg.database, o);
    default:
      throw new Error(`engine ${cfg.engine} is not supported by this version yet`);
  }
}

const toRecord = (c: Counts): Record<string, number> => Object.fromEntries(c);

/**
 * A plain (decompressed) copy of `file` in tmp, or `file` itself when it is not compressed. `named`: the name
 * that tells the compression (a held `….unverified~…` file is named after its final name).
 */
async function plainCopy(
  runner: Target,
  file: string,
  tmp: string,
  signal?: AbortSignal,
  named: string = file,
): Promise<string> {
  const c = compressionOf(named);
  if (c === 'none') return file;
  const out = join(tmp, 'plain');
  await commandToFile(runner, decompressCommand(c, file), out, signal);
  return out;
}

/** The engine for this run, its tools running where `tools` is (runner, SSH host, or a compose service there). */
function openEngine(cfg: BackupConfig, tools: Target, where: BackupTargets, ctx: RunContext): Engine {
  return makeEngine(cfg, {
    tools,
    runner: where.runner,
    ctx,
    // zstd on a raw archive beats pg_dump's zlib in time and size (bench/backup.bench.mjs), so pg_dump skips
    // its own compression then; gzip is slower on raw data than zlib inside pg_dump, so that stays. Over SSH
    // the dump always keeps its compression: the compressor runs on the runner, after the network.
    compressed: cfg.compression === 'zstd' && where.host.kind === 'runner',
    timeoutMs: cfg.timeoutMs,
  });
}

/** Makes a runner file available where the tools run (verified by sha256); returns its path there. */
async function place(tools: Target, file: string, signal: AbortSignal): Promise<string> {
  return (await tools.upload(file, undefined, { signal })).path;
}

/** The run's private dir on the runner (credentials, plaintext copies): recorded so a post step removes it after a kill. */
function privateTmp(): string {
  return makeRecordedTempDir('backup');
}

/** Backs up, verifies, then (only then) applies retention. */
export async function runBackup(
  cfg: BackupConfig,
  where: BackupTargets,
  ctx: RunContext,
  o: BackupOptions = {},
): Promise<BackupReport> {
  const started = Date.now();
  const log = ctx.log;
  const tmp = privateTmp();
  let tools: Target | undefined;
  try {
    tools = await toolsTarget(cfg, where, ctx);
    const engine = openEngine(cfg, tools, where, ctx);
    await engine.prepare();
    const serverVersion = await engine.serverVersion();
    log(
      `${engine.name} ${serverVersion}: backing up ${engine.database} on ${where.host.target}${tools === where.host ? '' : ` in ${ranIn(tools)}`}`,
    );
    await engine.checkClient();
    mkdirSync(cfg.outputDir, { recursive: true });
    const base = backupBase(engine.database);
    const name = backupFileName(base, (o.now ?? (() => new Date()))(), engine.ext + compressionSuffix(cfg.compression));
    // Files a killed run of this database left here (a dump in progress, a backup never verified): gone now.
    const stale = removeStaleHeld(cfg.outputDir, base, { staleAfterMs: cfg.timeoutMs + 3_600_000 });
    if (stale.length) log(`removed what stopped runs left: ${stale.join(', ')}`);
    const finalPath = join(cfg.outputDir, name);
    const source = await engine.source();
    // With verify, the file keeps an "unverified" name until verification passed: a run stopped during
    // verification leaves nothing under a final name.
    const res = await streamDumpToFile(source, finalPath, {
      compression: cfg.compression,
      minBytes: cfg.minSizeBytes,
      timeoutMs: cfg.timeoutMs,
      signal: ctx.signal,
      onProgress: o.onProgress,
      ...(cfg.verify !== 'none' ? { holdAs: `${finalPath}${heldSuffix('unverified')}` } : {}),
    });
    // A file source is a copy in a temp dir (sqlite's .backup): not needed any more.
    if (source.kind === 'file') rmSync(source.path, { force: true });
    log(`wrote ${res.path} (${res.sizeBytes} bytes, sha256 ${res.sha256})`);

    let verification = 'not verified (verify: none)';
    let counts: Counts = new Map();
    try {
      if (cfg.verify !== 'none') {
        const plain = await plainCopy(where.runner, res.path, tmp, ctx.signal, finalPath);
        if (cfg.verify === 'list') {
          verification = await engine.list(plain);
        } else {
          counts = await engine.restoreThrowaway(await place(tools, plain, ctx.signal));
          const expected = await engine.counts();
          const diff = compareCounts(expected, counts);
          if (diff.length) throw new Error(`verify: restore found differences:\n${diff.join('\n')}`);
          const rows = [...counts.values()].reduce((a, b) => a + b, 0);
          verification = `restored into a throwaway database: ${counts.size} tables, ${rows} rows, same as the database`;
        }
        log(verification);
      }
    } catch (e) {
      // A backup that failed verification must not look like a good one.
      rmSync(res.path, { force: true });
      throw new Error(`the backup failed verification and was removed: ${(e as Error).message}`);
    }
    if (res.path !== finalPath) {
      promoteHeld(res.path, finalPath);
      res.path = finalPath;
    }
    if (o.sidecars) writeSidecar(finalPath, res.sha256);

    let remotePath = '';
    if (cfg.remoteDir) {
      remotePath = await copyToRemoteDir(where.host, cfg.remoteDir, res.path, ctx.signal, o.sidecars);
      log(`copied to ${where.host.target}:${remotePath}`);
    }
    // Retention only now: the new backup exists under its final name and passed verification.
    const policy = retentionPolicy(cfg);
    const plan = applyRetention(cfg.outputDir, base, policy, name, cfg.retentionDryRun, o.sidecars);
    const removed = plan.remove;
    if (removed.length) log(`retention${cfg.retentionDryRun ? ' (dry run)' : ''}: ${removed.join(', ')}`);
    return {
      mode: 'backup',
      engine: engine.name,
      database: engine.database,
      serverVersion,
      path: res.path,
      remotePath,
      sizeBytes: res.sizeBytes,
      sha256: res.sha256,
      durationMs: Date.now() - started,
      verify: cfg.verify,
      verified: cfg.verify !== 'none',
      verification,
      removed,
      kept: retentionEnabled(policy) ? plan.keep : [],
      ranIn: ranIn(tools),
      retentionDryRun: cfg.retentionDryRun,
      counts: toRecord(counts),
      ...(plan.unverified ? { unverified: plan.unverified } : {}),
    };
  } finally {
    await disposeTools(tools, where);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Writes `<file>.sha256` (`<hex>  <name>`, sha256sum format) beside `file`: 0600, fsynced, renamed into place. */
export function writeSidecar(file: string, sha256: string): string {
  const side = file + SIDECAR_SUFFIX;
  const tmpSide = `${side}${heldSuffix('partial')}`;
  writeFileSync(tmpSide, `${sha256}  ${basename(file)}\n`, { mode: 0o600 });
  fsyncPath(tmpSide);
  renameSync(tmpSide, side);
  return side;
}

/**
 * Copies a finished backup file into `dir` on the SSH host (remote-dir), under its own name, verified by sha256 on
 * both sides (a mismatch throws); returns its path there.
 */
export async function copyToRemoteDir(
  host: Target,
  dir: string,
  file: string,
  signal?: AbortSignal,
  sidecar = false,
): Promise<string> {
  if (host.kind !== 'ssh') throw new InputError('remote-dir', 'needs run-on: ssh');
  await runChecked(
    host,
    { argv: ['mkdir', '-p', '--', dir], label: `mkdir ${dir}` },
    { signal, timeoutMs: TIMEOUTS.housekeepingMs },
  );
  const path = (await host.upload(file, posix.join(dir, basename(file)), { signal })).path;
  // Last, once the copy matched: its .sha256 beside it (the copy counts from then on).
  if (sidecar) await host.upload(file + SIDECAR_SUFFIX, path + SIDECAR_SUFFIX, { signal });
  return path;
}

/** Removes the credentials and copies where the tools ran (a container's temp dir; the host's is the caller's). */
async function disposeTools(tools: Target | undefined, where: BackupTargets): Promise<void> {
  if (tools && tools !== where.host) await tools.dispose();
}

/** Restores `restore-from` into the database; `confirm` must equal the database name. */
export async function runRestore(cfg: BackupConfig, where: BackupTargets, ctx: RunContext): Promise<BackupReport> {
  const started = Date.now();
  const tmp = privateTmp();
  let tools: Target | undefined;
  try {
    tools = await toolsTarget(cfg, where, ctx);
    const engine = openEngine(cfg, tools, where, ctx);
    if (cfg.confirm !== engine.database) {
      throw new Error(
        `input \`confirm\`: restoring replaces the contents of ${engine.database}; set confirm to exactly "${engine.database}" to proceed`,
      );
    }
    let st;
    try {
      st = statSync(cfg.restoreFrom);
    } catch {
      throw new InputError('restore-from', `${cfg.restoreFrom} does not exist`);
    }
    if (!st.isFile()) throw new InputError('restore-from', `${cfg.restoreFrom} is not a file`);
    if (isHeldName(basename(cfg.restoreFrom))) {
      throw new Error(
        `input \`restore-from\`: ${basename(cfg.restoreFrom)} never became a backup (a run was stopped while writing or verifying it); restore a backup without the .partial/.unverified suffix, or copy this one to such a name and set allow-unverified: true if you accept it unverified`,
      );
    }
    await engine.prepare();
    const serverVersion = await engine.serverVersion();
    const sha256 = await sha256File(cfg.restoreFrom);
    const plain = await plainCopy(where.runner, cfg.restoreFrom, tmp, ctx.signal);
    await engine.list(plain, basename(cfg.restoreFrom));
    const counts = await engine.restoreInto(await place(tools, plain, ctx.signal), basename(cfg.restoreFrom));
    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
    return {
      mode: 'restore',
      engine: engine.name,
      database: engine.database,
      serverVersion,
      path: cfg.restoreFrom,
      remotePath: '',
      sizeBytes: st.size,
      sha256,
      durationMs: Date.now() - started,
      verify: 'restore',
      verified: true,
      verification: `restored ${cfg.restoreFrom} into ${engine.database}: ${counts.size} tables, ${rows} rows`,
      removed: [],
      kept: [],
      ranIn: ranIn(tools),
      retentionDryRun: false,
      counts: toRecord(counts),
    };
  } finally {
    await disposeTools(tools, where);
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Files in `dir` (for tests and the summary). */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}
