/**
 * The compose operations that change something (restarts, heal, update, migrate, collectstatic, clean-docker)
 * take the host's deploy lock, like the menu operations and deploys: a restart never lands in the middle of
 * a deploy's switch or migration. status and logs only read.
 */
import type { RunContext } from '../../lib/context.js';
import type { Executor } from '../../lib/exec/types.js';
import { acquireLock } from '../../lib/lock.js';
import { TIMEOUTS } from '../../lib/timeouts.js';

export const READ_ONLY_OPERATIONS: ReadonlySet<string> = new Set(['status', 'logs']);

export interface HostLockSettings {
  /** `<base>/.deploy-kit/lock`: lock-path, else path; undefined when neither is given. */
  base?: string;
  timeoutMs: number;
  owner: string;
}

/** Runs `fn` holding the lock of `base` on `target`; a lock that cannot be taken becomes `onLockFailure`. */
export async function underHostLock<R>(
  target: Executor,
  op: string,
  lock: HostLockSettings,
  ctx: RunContext,
  fn: () => Promise<R>,
  onLockFailure: (message: string) => R,
): Promise<R> {
  if (READ_ONLY_OPERATIONS.has(op)) return fn();
  if (!lock.base) {
    ctx.warn(
      `${target.target}: ${op} ran without the deploy lock (no path or lock-path given): it may interleave with a deploy`,
      'no deploy lock',
    );
    return fn();
  }
  let held: Awaited<ReturnType<typeof acquireLock>>;
  try {
    held = await acquireLock(target, lock.base, {
      owner: `maintenance-dispatch ${op} ${lock.owner}`.trim(),
      timeoutMs: lock.timeoutMs,
      ttlMs: TIMEOUTS.releaseLockTtlMs,
      signal: ctx.signal,
      onWait: (by, age) => ctx.log(`${target.target}: waiting for the deploy lock held by ${by} (${age} s)`),
    });
  } catch (e) {
    return onLockFailure((e as Error).message);
  }
  try {
    return await fn();
  } finally {
    const problem = await held.release();
    if (problem) ctx.warn(problem);
  }
}
