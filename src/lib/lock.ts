import { sleep } from './retry.js';
import { runChecked, type Executor } from './exec/types.js';
import { remoteStep } from '../core/ssh-rsync-deploy/remote.js';

export interface LockOptions {
  /** Identifies this run: repository, run URL, time. Written into the lock. */
  owner: string;
  /** How long to wait for another run's lock. */
  timeoutMs: number;
  /** A lock older than this is reported as stale (never silently broken). */
  ttlMs: number;
  signal?: AbortSignal;
  pollMs?: number;
  onWait?: (heldBy: string, ageSec: number) => void;
}

export interface HeldLock {
  release: () => Promise<void>;
}

/**
 * Atomic deploy lock on the server: `mkdir <base>/.deploy-kit/lock` succeeds for exactly one run.
 * Shared by ssh-rsync-deploy and run-release-phase, so uploads, switches and migrations never interleave.
 */
export async function acquireLock(exec: Executor, base: string, o: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + o.timeoutMs;
  for (;;) {
    const r = await runChecked(exec, remoteStep('lock', base, o.owner), { timeoutMs: 60_000, signal: o.signal });
    const [state, heldBy = 'unknown', age = '0'] = r.stdout.trim().split('\n');
    if (state === 'acquired') {
      return {
        release: async () => {
          // Not tied to the job's signal: a cancelled run must still let go of its lock.
          await exec.run(remoteStep('unlock', base, o.owner), { timeoutMs: 30_000 });
        },
      };
    }
    const ageSec = Number(age);
    o.onWait?.(heldBy, ageSec);
    if (Date.now() >= deadline || o.signal?.aborted) {
      const stale =
        ageSec * 1000 > o.ttlMs
          ? ` The lock is ${ageSec} s old, older than lock-ttl: if that run is gone, remove ${base}/.deploy-kit/lock on ${exec.target} by hand.`
          : '';
      throw new Error(
        `${exec.target}: ${base} is locked by another deploy (${heldBy}, ${ageSec} s ago); waited ${Math.round(o.timeoutMs / 1000)} s (lock-timeout).${stale}`,
      );
    }
    await sleep(Math.min(o.pollMs ?? 1000, Math.max(1, deadline - Date.now())), o.signal).catch(() => undefined);
  }
}
