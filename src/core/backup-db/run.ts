import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { writeFileSync } from 'node:fs';
import { makeRecordedTempDir } from '../../lib/cleanup-state.js';
import { LocalExecutor } from '../../lib/exec/local.js';
import type { SshSession } from '../../lib/exec/ssh-config.js';
import type { SshTarget } from '../../lib/exec/ssh-target.js';
import { runChecked, type Executor } from '../../lib/exec/types.js';
import { detectCompose } from '../../lib/compose.js';
import { writeFileCommand, type ComposeTarget } from './compose.js';
import { compressionOf, compressionSuffix, decompressCommand } from './compress.js';
import type { BackupConfig } from './config.js';
import {
  compareCounts,
  MongoEngine,
  MysqlEngine,
  PostgresEngine,
  SqliteEngine,
  type Counts,
  type Engine,
  type EngineOptions,
} from './engines.js';
import { commandToFile, sha256File, streamDumpToFile } from './pipeline.js';
import { applyRetention, backupBase, backupFileName, retentionEnabled, type RetentionPolicy } from './retention.js';

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
}

export interface RunHooks {
  /** Where the database tools run: a LocalExecutor, or an SshExecutor (then `ssh` is set too). */
  exec: Executor;
  /** For run-on ssh: the session and host, to upload files for verify/restore with rsync. */
  ssh?: { session: SshSession; host: SshTarget };
  signal?: AbortSignal;
  log?: (line: string) => void;
  onProgress?: (rawBytes: number) => void;
  now?: () => Date;
}

export function retentionPolicy(cfg: BackupConfig): RetentionPolicy {
  return { keep: cfg.keep, daily: cfg.keepDaily, weekly: cfg.keepWeekly, monthly: cfg.keepMonthly };
}

/** compose-service: which compose runs where the tools run, and the target service. */
async function composeTarget(cfg: BackupConfig, h: RunHooks): Promise<ComposeTarget | undefined> {
  if (!cfg.composeService) return undefined;
  const flavor = await detectCompose(h.exec, h.signal);
  return {
    project: { flavor, files: cfg.composeFiles, ...(cfg.composeProject ? { project: cfg.composeProject } : {}) },
    service: cfg.composeService,
    ...(cfg.dockerHost ? { dockerHost: cfg.dockerHost } : {}),
  };
}

const ranIn = (t?: ComposeTarget): string =>
  t ? `service ${t.service} (${t.project.flavor === 'v2' ? 'docker compose' : 'docker-compose'} exec -T)` : '';

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

/** A plain (decompressed) copy of `file` in tmp, or `file` itself when it is not compressed. */
async function plainCopy(exec: Executor, file: string, tmp: string, signal?: AbortSignal): Promise<string> {
  const c = compressionOf(file);
  if (c === 'none') return file;
  const out = join(tmp, 'plain');
  await commandToFile(exec, decompressCommand(c, file), out, signal);
  return out;
}

/** The side where the database tools run: its private temp dir, secret writer and file upload. */
interface Site {
  tmp: string;
  writeSecret: (path: string, content: string) => Promise<void>;
  /** Makes a runner file available on that side; returns its path there. */
  place: (localFile: string) => Promise<string>;
  /** Copies a runner file to `dir/name` on that side (created if missing); rsync writes a temp file and renames. */
  copyTo: (localFile: string, dir: string) => Promise<string>;
  dispose: () => Promise<void>;
}

async function openSite(h: RunHooks, localTmp: string): Promise<Site> {
  if (!h.ssh) {
    return {
      tmp: localTmp,
      writeSecret: async (path, content) => writeFileSync(path, content, { mode: 0o600 }),
      place: async (f) => f,
      copyTo: async () => {
        throw new Error('input `remote-dir`: needs run-on: ssh');
      },
      dispose: async () => undefined,
    };
  }
  const { session, host } = h.ssh;
  const opts = { signal: h.signal, timeoutMs: 60_000 };
  const tmp = (await runChecked(h.exec, { argv: ['mktemp', '-d', '-t', 'dk-backup.XXXXXXXX'] }, opts)).stdout.trim();
  if (!tmp.startsWith('/')) throw new Error(`mktemp on ${h.exec.target} printed no directory: ${tmp}`);
  const local = new LocalExecutor();
  let n = 0;
  return {
    tmp,
    writeSecret: async (path, content) => void (await runChecked(h.exec, writeFileCommand(path, content), opts)),
    place: async (f) => {
      const remote = join(tmp, `upload-${++n}`);
      await runChecked(
        local,
        {
          argv: ['rsync', '-e', session.rsyncShell(host), '--chmod=F600', '--', f, `${host.host}:${remote}`],
          label: `rsync to ${h.exec.target}`,
        },
        { signal: h.signal, timeoutMs: 6 * 3600_000 },
      );
      return remote;
    },
    copyTo: async (f, dir) => {
      await runChecked(h.exec, { argv: ['mkdir', '-p', '--', dir], label: `mkdir ${dir}` }, opts);
      const dest = join(dir, basename(f));
      await runChecked(
        local,
        {
          argv: ['rsync', '-e', session.rsyncShell(host), '--chmod=F600', '--', f, `${host.host}:${dest}`],
          label: `rsync to ${h.exec.target}:${dir}`,
        },
        { signal: h.signal, timeoutMs: 6 * 3600_000 },
      );
      // The copy must be the same bytes: compare checksums on the server.
      const sum = (await runChecked(h.exec, { argv: ['sha256sum', '--', dest] }, opts)).stdout.split(/\s/)[0];
      return `${dest}|${sum}`;
    },
    dispose: async () => void (await h.exec.run({ argv: ['rm', '-rf', '--', tmp] }, { timeoutMs: 60_000 })),
  };
}

/** The engine for this run, its tools running where `site` is (runner, SSH host, or a compose service there). */
function openEngine(cfg: BackupConfig, h: RunHooks, site: Site, compose: ComposeTarget | undefined): Engine {
  return makeEngine(cfg, {
    exec: h.exec,
    local: new LocalExecutor(),
    tmp: site.tmp,
    writeSecret: site.writeSecret,
    place: site.place,
    compose,
    // zstd on a raw archive beats pg_dump's zlib in time and size (bench/backup.bench.mjs), so pg_dump skips
    // its own compression then; gzip is slower on raw data than zlib inside pg_dump, so that stays. Over SSH
    // the dump always keeps its compression: the compressor runs on the runner, after the network.
    compressed: cfg.compression === 'zstd' && cfg.runOn === 'local',
    signal: h.signal,
    timeoutMs: cfg.timeoutMs,
  });
}

/** The run's private dir on the runner (credentials, plaintext copies): recorded so a post step removes it after a kill. */
function privateTmp(): string {
  return makeRecordedTempDir('backup');
}

/** Backs up, verifies, then (only then) applies retention. */
export async function runBackup(cfg: BackupConfig, h: RunHooks): Promise<BackupReport> {
  const started = Date.now();
  const log = h.log ?? (() => undefined);
  const tmp = privateTmp();
  let site: Site | undefined;
  let engine: Engine | undefined;
  try {
    site = await openSite(h, tmp);
    const compose = await composeTarget(cfg, h);
    engine = openEngine(cfg, h, site, compose);
    await engine.prepare();
    const serverVersion = await engine.serverVersion();
    log(
      `${engine.name} ${serverVersion}: backing up ${engine.database} on ${h.exec.target}${compose ? ` in ${ranIn(compose)}` : ''}`,
    );
    await engine.checkClient();
    mkdirSync(cfg.outputDir, { recursive: true });
    const base = backupBase(engine.database);
    const name = backupFileName(base, (h.now ?? (() => new Date()))(), engine.ext + compressionSuffix(cfg.compression));
    const source = await engine.source();
    const res = await streamDumpToFile(source, join(cfg.outputDir, name), {
      compression: cfg.compression,
      minBytes: cfg.minSizeBytes,
      timeoutMs: cfg.timeoutMs,
      signal: h.signal,
      onProgress: h.onProgress,
    });
    if (source.kind === 'file' && !h.ssh) rmSync(source.path, { force: true });
    log(`wrote ${res.path} (${res.sizeBytes} bytes, sha256 ${res.sha256})`);

    let verification = 'not verified (verify: none)';
    let counts: Counts = new Map();
    try {
      if (cfg.verify !== 'none') {
        const plain = await plainCopy(new LocalExecutor(), res.path, tmp, h.signal);
        if (cfg.verify === 'list') {
          verification = await engine.list(plain);
        } else {
          counts = await engine.restoreThrowaway(await site.place(plain));
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

    let remotePath = '';
    if (cfg.remoteDir) {
      const [dest, sum] = (await site.copyTo(res.path, cfg.remoteDir)).split('|');
      if (sum !== res.sha256)
        throw new Error(`the copy in ${cfg.remoteDir} on ${h.exec.target} has sha256 ${sum}, expected ${res.sha256}`);
      remotePath = dest!;
      log(`copied to ${h.exec.target}:${remotePath}`);
    }
    // Retention only now: the new backup exists under its final name and passed verification.
    const policy = retentionPolicy(cfg);
    const plan = applyRetention(cfg.outputDir, base, policy, name, cfg.retentionDryRun);
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
      ranIn: ranIn(compose),
      retentionDryRun: cfg.retentionDryRun,
      counts: toRecord(counts),
    };
  } finally {
    await engine?.cleanup?.();
    await site?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Restores `restore-from` into the database; `confirm` must equal the database name. */
export async function runRestore(cfg: BackupConfig, h: RunHooks): Promise<BackupReport> {
  const started = Date.now();
  const tmp = privateTmp();
  let site: Site | undefined;
  let engine: Engine | undefined;
  try {
    site = await openSite(h, tmp);
    const compose = await composeTarget(cfg, h);
    engine = openEngine(cfg, h, site, compose);
    if (cfg.confirm !== engine.database) {
      throw new Error(
        `input \`confirm\`: restoring replaces the contents of ${engine.database}; set confirm to exactly "${engine.database}" to proceed`,
      );
    }
    let st;
    try {
      st = statSync(cfg.restoreFrom);
    } catch {
      throw new Error(`input \`restore-from\`: ${cfg.restoreFrom} does not exist`);
    }
    if (!st.isFile()) throw new Error(`input \`restore-from\`: ${cfg.restoreFrom} is not a file`);
    await engine.prepare();
    const serverVersion = await engine.serverVersion();
    const sha256 = await sha256File(cfg.restoreFrom);
    const plain = await plainCopy(new LocalExecutor(), cfg.restoreFrom, tmp, h.signal);
    await engine.list(plain, basename(cfg.restoreFrom));
    const counts = await engine.restoreInto(await site.place(plain), basename(cfg.restoreFrom));
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
      ranIn: ranIn(compose),
      retentionDryRun: false,
      counts: toRecord(counts),
    };
  } finally {
    await engine?.cleanup?.();
    await site?.dispose();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Files in `dir` (for tests and the summary). */
export function listDir(dir: string): string[] {
  return readdirSync(dir).sort();
}
