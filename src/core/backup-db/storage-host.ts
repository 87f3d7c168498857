import { posix } from 'node:path';
import type { Command } from '../../lib/command.js';
import { runChecked, type Executor } from '../../lib/exec/types.js';
import { planKeepingNewest, type RetentionPlan, type RetentionPolicy } from './retention.js';

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
  const r = await runChecked(exec, listDirCommand(dir), { signal, timeoutMs: 60_000 });
  return r.stdout.split('\n').filter(Boolean);
}

export async function hostRetention(
  exec: Executor,
  dir: string,
  base: string,
  policy: RetentionPolicy,
  newest: string,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<RetentionPlan> {
  const names = await listRemoteDir(exec, dir, signal);
  if (!names.includes(newest)) throw new Error(`${newest} is not in ${dir} on ${exec.target}: retention there skipped`);
  const plan = planKeepingNewest(names, base, policy, newest);
  // Bounded argv: remove in batches of 200 names.
  if (!dryRun) {
    for (let i = 0; i < plan.remove.length; i += 200) {
      await runChecked(exec, removeFilesCommand(dir, plan.remove.slice(i, i + 200)), { signal, timeoutMs: 120_000 });
    }
  }
  return plan;
}
