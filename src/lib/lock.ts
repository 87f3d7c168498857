import type { Command } from './command.js';
import { runChecked, type ExecResult, type Executor } from './exec/types.js';
import { sleep } from './retry.js';
import { TIMEOUTS } from './timeouts.js';

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
  /**
   * The command of one attempt (default: `lockCommand(base, owner)`). A caller may do more in the same remote
   * call once the lock is taken (read state, create a directory): the command must print `@lock acquired` or
   * `@lock held\t<owner>\t<age s>` (what `dk_lock` in LOCK_SH prints) and stop after `held`.
   */
  attempt?: Command;
}

export interface HeldLock {
  /** The output of the attempt that took the lock (with whatever else that call printed). */
  result: ExecResult;
  /**
   * Lets go of the lock. Resolves to undefined when it is released (or was no longer this run's), else to a
   * message saying it may still be held and which directory to remove; never rejects, so a `finally` can call
   * it without hiding the error it is in.
   */
  release: () => Promise<string | undefined>;
}

/**
 * Bash functions for the deploy lock under `<base>/.deploy-kit/lock` (a directory: `mkdir` succeeds for
 * exactly one run). `dk_lock base owner` prints `@lock acquired` and returns 0, or prints `@lock held…`
 * and returns 75. `dk_unlock base owner` removes the lock only when this owner holds it.
 */
export const LOCK_SH = String.raw`dk_lock() {
  local m="$1/.deploy-kit" now at who
  mkdir -p -- "$m" || return 1
  if mkdir -- "$m/lock" 2>/dev/null; then
    printf '%s\n' "$2" > "$m/lock/owner"; echo '@lock acquired'; return 0
  fi
  who=$(head -n 1 -- "$m/lock/owner" 2>/dev/null | head -c 600 | tr '\t' ' ' || true)
  now=$(date +%s); at=$(stat -c %Y -- "$m/lock" 2>/dev/null || echo "$now")
  printf '@lock held\t%s\t%s\n' "\${who:-unknown}" "$((now - at))"; return 75
}
dk_unlock() {
  local m="$1/.deploy-kit"
  if [ "$(cat -- "$m/lock/owner" 2>/dev/null || true)" = "$2" ]; then rm -rf -- "$m/lock"; echo '@unlock released'; fi
}
`.replace(/\\\$\{/g, '$' + '{');

/** LOCK_SH's functions, then `call` with `$1` = base and `$2` = owner (as arguments, never in the script). */
function lockScript(call: string, base: string, owner: string, label: string): Command {
  return {
    argv: ['bash', '--norc', '--noprofile', '-c', `set -euo pipefail\n${LOCK_SH}${call}`, 'dk', base, owner],
    label,
  };
}

/** One attempt to take the lock of `base`. */
export function lockCommand(base: string, owner: string): Command {
  return lockScript('dk_lock "$1" "$2" || [ $? = 75 ]', base, owner, 'lock');
}

export function unlockCommand(base: string, owner: string): Command {
  return lockScript('dk_unlock "$1" "$2"', base, owner, 'unlock');
}

/** Reads what an attempt printed about the lock. */
export function parseLockLine(
  stdout: string,
): { acquired: true } | { acquired: false; heldBy: string; ageSec: number } {
  for (const line of stdout.split('\n')) {
    if (line === '@lock acquired') return { acquired: true };
    if (line.startsWith('@lock held\t')) {
      const [, heldBy = 'unknown', age = '0'] = line.split('\t');
      return { acquired: false, heldBy: heldBy.trim() || 'unknown', ageSec: Number(age) || 0 };
    }
  }
  throw new Error(`the lock step printed no lock state: ${stdout.slice(-300)}`);
}

/**
 * Atomic deploy lock on the server: `mkdir <base>/.deploy-kit/lock` succeeds for exactly one run.
 * Shared by ssh-rsync-deploy, the root action and run-release-phase, so uploads, switches and migrations
 * never interleave. Waits up to `timeoutMs`, polling; the error names the holder and, when it is older than
 * `ttlMs`, the directory to remove by hand.
 */
export async function acquireLock(exec: Executor, base: string, o: LockOptions): Promise<HeldLock> {
  const deadline = Date.now() + o.timeoutMs;
  const attempt = o.attempt ?? lockCommand(base, o.owner);
  const maxAttempts = Math.ceil(o.timeoutMs / Math.max(1, o.pollMs ?? 1000)) + 2;
  for (let n = 1; ; n++) {
    const r = await runChecked(exec, attempt, { timeoutMs: TIMEOUTS.remoteStepMs, signal: o.signal });
    const state = parseLockLine(r.stdout);
    if (state.acquired) {
      return {
        result: r,
        release: async () => {
          // Not tied to the job's signal: a cancelled run must still let go of its lock.
          const u = await exec
            .run(unlockCommand(base, o.owner), { timeoutMs: TIMEOUTS.unlockMs })
            .catch((e: unknown) => ({ end: 'spawn-error', code: -1, stderr: (e as Error).message, stdout: '' }));
          if (u.end === 'exit' && u.code === 0) return undefined;
          const why = u.end === 'exit' ? `exit ${u.code}: ${u.stderr.trim().split('\n').pop() ?? ''}` : u.end;
          return `${exec.target}: could not release the deploy lock (${why.trim()}); if the next deploy waits for it, remove ${base}/.deploy-kit/lock on ${exec.target} by hand`;
        },
      };
    }
    o.onWait?.(state.heldBy, state.ageSec);
    if (Date.now() >= deadline || o.signal?.aborted || n >= maxAttempts) {
      const stale =
        state.ageSec * 1000 > o.ttlMs
          ? ` The lock is ${state.ageSec} s old, older than lock-ttl: if that run is gone, remove ${base}/.deploy-kit/lock on ${exec.target} by hand.`
          : '';
      throw new Error(
        `${exec.target}: ${base} is locked by another deploy (${state.heldBy}, ${state.ageSec} s ago); waited ${Math.round(o.timeoutMs / 1000)} s (lock-timeout).${stale}`,
      );
    }
    await sleep(Math.min(o.pollMs ?? 1000, Math.max(1, deadline - Date.now())), o.signal).catch(() => undefined);
  }
}
