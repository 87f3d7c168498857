import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import type { Command } from '../../lib/command.js';
import type { RunContext } from '../../lib/context.js';
import { runChecked } from '../../lib/exec/types.js';
import type { Target } from '../../lib/target/types.js';
import type { DumpSource } from './pipeline.js';

/** Table → row count. */
export type Counts = Map<string, number>;

/** What the backup flow needs from one engine (one file each: postgres-engine.ts, mysql-engine.ts, …). */
export interface Engine {
  readonly name: string;
  /** Extension of the uncompressed dump. */
  readonly ext: string;
  /** The database name (for file names and `confirm`). */
  readonly database: string;
  /** Writes the credentials file; called once before anything else. */
  prepare(): Promise<void>;
  serverVersion(): Promise<string>;
  /** Throws when the dump client cannot dump this server correctly. */
  checkClient(): Promise<void>;
  source(): Promise<DumpSource>;
  /**
   * verify: list — reads the dump's table of contents (`file` is a runner path); returns a short
   * description. `origin`: see restoreInto.
   */
  list(file: string, origin?: string): Promise<string>;
  counts(): Promise<Counts>;
  /** verify: restore — restores `file` (a path where the tools run) into a throwaway database, returns its counts, removes it. */
  restoreThrowaway(file: string): Promise<Counts>;
  /**
   * mode: restore — restores into the database itself; returns its counts afterwards. `origin` is the
   * backup's original file name (`file` may be a decompressed or uploaded copy).
   */
  restoreInto(file: string, origin?: string): Promise<Counts>;
}

export interface EngineOptions {
  /**
   * Where the database tools run: the runner, an SSH host, or a Compose service reached through either
   * (then the client always matches the server). Credentials go into its private temp dir.
   */
  tools: Target;
  /** The runner itself (reads the finished backup file). */
  runner: Target;
  ctx: RunContext;
  /** A compressor that does better on the raw dump follows it (so pg_dump need not compress). */
  compressed?: boolean;
  timeoutMs: number;
}

/** Runs a command where the tools run (or on `on`), bounded by the backup's timeout and the job's signal. */
export function runTool(o: EngineOptions, cmd: Command, on: Target = o.tools) {
  return runChecked(on, cmd, { signal: o.ctx.signal, timeoutMs: o.timeoutMs });
}

/** `name|count` lines → counts. */
export function parseCounts(text: string): Counts {
  const m: Counts = new Map();
  for (const line of text.split('\n')) {
    const i = line.lastIndexOf('|');
    if (i > 0) m.set(line.slice(0, i), Number(line.slice(i + 1)));
  }
  return m;
}

/** Differences between two count maps, as readable lines (empty when equal). */
export function compareCounts(expected: Counts, actual: Counts): string[] {
  const out: string[] = [];
  for (const [t, n] of expected) {
    if (!actual.has(t)) out.push(`table ${t} missing from the restore`);
    else if (actual.get(t) !== n) out.push(`table ${t}: ${n} rows in the database, ${actual.get(t)} restored`);
  }
  for (const t of actual.keys()) if (!expected.has(t)) out.push(`table ${t} restored but not in the database`);
  return out;
}

export const sqlString = (n: string): string => `'${n.replace(/'/g, "''")}'`;

/** A throwaway database name next to `database`. */
export function throwawayName(database: string, suffix: string): string {
  return `${database.slice(0, 40)}_dkverify_${suffix}`;
}

/** First bytes of a runner file (archive magic numbers). */
export function headOf(path: string, n: number): Buffer {
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(n);
    return buf.subarray(0, readSync(fd, buf, 0, n, 0));
  } finally {
    closeSync(fd);
  }
}

/** Last bytes of a runner file (the mysqldump completion marker). */
export function tailOf(path: string, n: number): string {
  const fd = openSync(path, 'r');
  try {
    const size = fstatSync(fd).size;
    const buf = Buffer.alloc(Math.min(n, size));
    readSync(fd, buf, 0, buf.length, size - buf.length);
    return buf.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
