import { lstatSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';

/**
 * Files a backup run holds under a name that never counts as a backup until it is one:
 *
 * - `<final>.partial~<host>~<pid>` while the dump is written;
 * - `<final>.unverified~<host>~<pid>` once written, while `verify` runs (renamed to `<final>` only after
 *   verification passed, so a run killed mid-verify never leaves a final-named file that looks verified).
 *
 * Retention only counts `<base>-<timestamp><ext>` names (a `~` never matches), and restore refuses these
 * names. A run that is killed leaves them behind; the next run of the same database (same output dir and
 * base name) removes the ones whose writer is provably gone: same machine and the pid no longer runs, or
 * (another machine, or an older version's bare `.partial`) untouched for longer than any run may take.
 */
export type HeldState = 'partial' | 'unverified';

const HOST =
  hostname()
    .replace(/[^A-Za-z0-9.-]/g, '_')
    .slice(0, 64) || 'host';

/** The suffix this process gives a file in `state`. */
export function heldSuffix(state: HeldState, host: string = HOST, pid: number = process.pid): string {
  return `.${state}~${host}~${pid}`;
}

const HELD = /\.(partial|unverified)(?:~([A-Za-z0-9._-]{1,64})~(\d{1,10}))?$/;

/** Whether a file name is one a run holds (in progress, or left by a run that was stopped). */
export function isHeldName(name: string): boolean {
  return HELD.test(name);
}

function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface StaleOptions {
  /** A held file of another machine (or without an owner) older than this is stale: the longest a run may take. */
  staleAfterMs: number;
  now?: number;
  host?: string;
  isAlive?: (pid: number) => boolean;
}

/**
 * Removes `<base>-<timestamp>….partial|unverified[~host~pid]` files in `dir` whose writer is gone. Returns
 * the names removed. Bounded: looks at the directory's entries once.
 */
export function removeStaleHeld(dir: string, base: string, o: StaleOptions): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const now = o.now ?? Date.now();
  const host = o.host ?? HOST;
  const isAlive = o.isAlive ?? pidAlive;
  const removed: string[] = [];
  for (const name of names) {
    if (!name.startsWith(`${base}-`) || !/^-\d{8}T\d{6}Z\./.test(name.slice(base.length))) continue;
    const m = HELD.exec(name);
    if (!m) continue;
    const path = join(dir, name);
    let st;
    try {
      st = lstatSync(path);
    } catch {
      continue;
    }
    if (!st.isFile()) continue;
    const [, , owner, pid] = m;
    const gone =
      owner === host && pid !== undefined
        ? Number(pid) !== process.pid && !isAlive(Number(pid))
        : now - st.mtimeMs > o.staleAfterMs;
    if (!gone) continue;
    rmSync(path, { force: true });
    removed.push(name);
  }
  return removed.sort();
}
