/** Builders and parsers for the host-side checks. Builders are pure (argv); parsers take what the host printed. */
import type { Command } from '../../lib/command.js';
import type { ContainerStatus } from '../maintenance-dispatch/status.js';
import { isDown } from '../maintenance-dispatch/status.js';

const DF_SCRIPT = 'df -P -- "$@" && echo @@inodes && df -Pi -- "$@"';

/** Block and inode usage of the filesystems holding `paths`, in one call. */
export function diskCommand(paths: readonly string[]): Command {
  return { argv: ['sh', '-c', DF_SCRIPT, 'sh', ...paths], label: 'df' };
}

export interface DiskFigure {
  path: string;
  mount: string;
  usedPercent: number | null;
  inodesUsedPercent: number | null;
}

const DF_LINE = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%|-)\s+(\/.*)$/;

/** Pairs each requested path with its `df -P` and `df -Pi` line (same order as the arguments). */
export function parseDisk(stdout: string, paths: readonly string[]): DiskFigure[] {
  const [blocks = '', inodes = ''] = stdout.split('@@inodes');
  const rows = (text: string) =>
    text
      .split('\n')
      .slice(1)
      .map((l) => DF_LINE.exec(l.trim()))
      .filter((m): m is RegExpExecArray => !!m)
      .map((m) => ({ pct: m[5] === '-' ? null : Number(m[5]!.slice(0, -1)), mount: m[6]! }));
  const b = rows(blocks);
  const i = rows(inodes.replace(/^\n/, ''));
  if (b.length !== paths.length)
    throw new Error(`df printed ${b.length} filesystems for ${paths.length} paths:\n${stdout.slice(0, 500)}`);
  return paths.map((path, n) => ({
    path,
    mount: b[n]!.mount,
    usedPercent: b[n]!.pct,
    inodesUsedPercent: i[n]?.pct ?? null,
  }));
}

export function diskProblems(figures: readonly DiskFigure[], maxUsed: number, maxInodes: number): string[] {
  const out: string[] = [];
  for (const f of figures) {
    if (f.usedPercent !== null && f.usedPercent > maxUsed)
      out.push(
        `${f.mount} (${f.path}) is ${f.usedPercent}% full (max-disk-usage ${maxUsed}%): run clean-docker or grow the disk`,
      );
    if (f.inodesUsedPercent !== null && f.inodesUsedPercent > maxInodes)
      out.push(
        `${f.mount} (${f.path}) uses ${f.inodesUsedPercent}% of its inodes (max-inode-usage ${maxInodes}%): many small files (sessions, caches)`,
      );
  }
  return out;
}

/** Regular files under the backup directory (two levels), newest-first after parsing: mtime, size, path. */
export function backupListCommand(dir: string): Command {
  return {
    argv: [
      'find',
      dir,
      '-maxdepth',
      '2',
      '-type',
      'f',
      '!',
      '-name',
      '.*',
      '!',
      '-name',
      '*.partial',
      '!',
      '-name',
      '*.tmp',
      '-printf',
      '%T@\\t%s\\t%P\\n',
    ],
    label: 'list backups',
  };
}

export interface BackupFile {
  path: string;
  size: number;
  mtimeMs: number;
}

export function parseBackupList(stdout: string): BackupFile[] {
  return stdout
    .split('\n')
    .map((l) => l.split('\t'))
    .filter((p) => p.length === 3 && p[2])
    .map(([t, s, p]) => ({ path: p!, size: Number(s), mtimeMs: Math.round(Number(t) * 1000) }))
    .filter((f) => Number.isFinite(f.mtimeMs))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
}

/** The backup verdict: the newest data file (checksum sidecars ignored) must exist, be non-empty and young enough. */
export function backupProblems(
  files: readonly BackupFile[],
  dir: string,
  maxAgeMs: number,
  now: number,
): { problems: string[]; newest?: BackupFile } {
  const data = files.filter((f) => !/\.(sha256|md5|json|log)$/.test(f.path));
  const newest = data[0];
  if (!newest) return { problems: [`no backup file in ${dir}: backups have not run (or write elsewhere)`] };
  const problems: string[] = [];
  const age = now - newest.mtimeMs;
  if (age > maxAgeMs)
    problems.push(
      `newest backup ${newest.path} is ${Math.round(age / 3_600_000)} h old (max-backup-age ${Math.round(maxAgeMs / 3_600_000)} h): the backup schedule stopped`,
    );
  if (newest.size === 0) problems.push(`newest backup ${newest.path} is empty`);
  return { problems, newest };
}

const LOGS_SCRIPT =
  'since=$1; shift; for c do printf "@@container %s\\n" "$c"; docker logs --since "$since" --tail 20000 "$c" 2>&1 || exit $?; done';

/** Logs of the given containers since a time, one call: each block starts with `@@container <id>`. */
export function logsSinceCommand(since: string, ids: readonly string[]): Command {
  return { argv: ['sh', '-c', LOGS_SCRIPT, 'sh', since, ...ids], label: 'docker logs --since' };
}

/** Counts matching lines as they stream in (logs can be large), keeping a few samples. */
export class ErrorLineCounter {
  count = 0;
  samples: string[] = [];
  private rest = '';
  private container = '';
  constructor(
    private readonly pattern: RegExp,
    private readonly names: ReadonlyMap<string, string>,
  ) {}

  push(chunk: string): void {
    const text = this.rest + chunk;
    const lines = text.split('\n');
    this.rest = lines.pop() ?? '';
    for (const l of lines) this.line(l);
  }

  end(): void {
    if (this.rest) this.line(this.rest);
    this.rest = '';
  }

  private line(l: string): void {
    if (l.startsWith('@@container ')) {
      const id = l.slice(12).trim();
      this.container = this.names.get(id) ?? id.slice(0, 12);
      return;
    }
    if (this.pattern.test(l)) {
      this.count++;
      if (this.samples.length < 5) this.samples.push(`${this.container}: ${l.slice(0, 300)}`);
    }
  }
}

/** Container verdict: none at all is down; any stopped/unhealthy is down; restarts since the last run beyond the limit. */
export function containerProblems(
  containers: readonly ContainerStatus[],
  previous: Record<string, number> | undefined,
  maxRestarts: number,
  where: string,
): string[] {
  if (containers.length === 0) return [`${where}: the compose project has no containers (never started, or removed)`];
  const out: string[] = [];
  for (const c of containers.filter(isDown))
    out.push(
      `${where}: ${c.service || c.name} is ${c.state}${c.health === 'unhealthy' ? ' (unhealthy)' : ''}${c.state === 'exited' ? ` (exit code ${c.exitCode})` : ''}`,
    );
  if (previous) {
    for (const c of containers) {
      const before = previous[`${where}/${c.name}`];
      if (before !== undefined && c.restarts - before > maxRestarts)
        out.push(
          `${where}: ${c.name} restarted ${c.restarts - before} times since the last run (max-restarts ${maxRestarts}): crash loop?`,
        );
    }
  }
  return out;
}
