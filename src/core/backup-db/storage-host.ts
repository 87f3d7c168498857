import { posix } from 'node:path';
import type { Command } from '../../lib/command.js';
import { runChecked, type Executor } from '../../lib/exec/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import { pruneListed, type RetentionPlan, type RetentionPolicy } from './retention.js';

/**
 * Retention on the server's `remote-dir` (run-on: ssh): the same rules as output-dir and the storage, applied
 * through the executor that reaches the server, only after the new copy there was checked (sha256), never
 * removing the copy just made. Commands are data: the directory and the names are argv, never a shell string.
 */

/** Names of the entries of `dir` (one per line). */
export function listDirCommand(dir: string): Command {
  return { argv: ['ls', '-1A', '--', dir], label: `ls ${dir}` };
}

/** `rm -f -- <dir>/<name>…` for plain names (no `/`, not `.`/`..`). */
export function removeFilesCommand(dir: string, names: readonly string[]): Command {
  for (const n of names) {
    if (!n || n.includes('/') || n === '.' || n === '..' || n.includes('\n')) {
      throw new Error(`refusing to remove "${n}": not a plain file name`);
    }
  }
  return { argv: ['rm', '-f', '--', ...names.map((n) => posix.join(dir, n))], label: `retention in ${dir}` };
}

/** Lists `dir` where `exec` runs. */
export async function listRemoteDir(exec: Executor, dir: string, signal?: AbortSignal): Promise<string[]> {
  const r = await runChecked(exec, listDirCommand(dir), { signal, timeoutMs: TIMEOUTS.housekeepingMs });
  return r.stdout.split('\n').filter(Boolean);
}

/**
 * Retention in `dir` where `exec` runs (pruneListed: the same plan as output-dir and the storage). `sidecars`:
 * only backups with their `.sha256` beside them count (backup-db's own remote-dir copies), the others are left alone.
 */
export async function hostRetention(
  exec: Executor,
  dir: string,
  base: string,
  policy: RetentionPolicy,
  newest: string,
  dryRun: boolean,
  signal?: AbortSignal,
  sidecars = false,
): Promise<RetentionPlan> {
  const names = await listRemoteDir(exec, dir, signal);
  return pruneListed(names, `${dir} on ${exec.target}`, base, policy, newest, {
    dryRun,
    sidecars,
    remove: async (batch) => {
      await runChecked(exec, removeFilesCommand(dir, batch), { signal, timeoutMs: TIMEOUTS.remoteStepMs });
    },
  });
}
