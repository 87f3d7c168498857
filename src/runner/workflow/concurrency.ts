/**
 * `concurrency:` groups across local runs: a group is a directory under the state dir, created atomically
 * (mkdir); its owner file names the process and the run. A holder that died leaves a stale group, taken
 * over. `cancel-in-progress: true` cancels the holding run (SIGINT to its process, or directly when it runs
 * in this process). Waiting is bounded by the waiting job's timeout.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Runs of this process, by run id, so that cancel-in-progress reaches them without a signal. */
const LOCAL_RUNS = new Map<string, () => void>();

export function registerRun(runId: string, cancel: () => void): () => void {
  LOCAL_RUNS.set(runId, cancel);
  return () => LOCAL_RUNS.delete(runId);
}

interface Owner {
  pid: number;
  runId: string;
  group: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface AcquireOptions {
  stateDir: string;
  group: string;
  runId: string;
  cancelInProgress: boolean;
  deadlineMs: number;
  signal?: AbortSignal;
  /** Called once when the group is held by another run. */
  onWait(holder: string): void;
}

/** Holds the group until the returned release() is called. */
export async function acquireGroup(opts: AcquireOptions): Promise<() => void> {
  const dir = join(opts.stateDir, 'concurrency', createHash('sha256').update(opts.group).digest('hex').slice(0, 24));
  mkdirSync(join(opts.stateDir, 'concurrency'), { recursive: true });
  const me: Owner = { pid: process.pid, runId: opts.runId, group: opts.group };
  const deadline = Date.now() + opts.deadlineMs;
  let told = false;
  let cancelled = false;
  for (let i = 0; ; i++) {
    try {
      mkdirSync(dir);
      writeFileSync(join(dir, 'owner.json'), JSON.stringify(me));
      return () => rmSync(dir, { recursive: true, force: true });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    }
    let owner: Owner | undefined;
    try {
      owner = JSON.parse(readFileSync(join(dir, 'owner.json'), 'utf8')) as Owner;
    } catch {
      owner = undefined; // being written or removed: look again
    }
    if (owner && owner.runId === opts.runId)
      throw new Error(`concurrency group "${opts.group}" is already held by this run`);
    if (owner && !alive(owner.pid)) {
      rmSync(dir, { recursive: true, force: true });
      continue;
    }
    if (owner && !told) {
      told = true;
      opts.onWait(`run ${owner.runId} (pid ${owner.pid})`);
    }
    if (owner && opts.cancelInProgress && !cancelled) {
      cancelled = true;
      const local = owner.pid === process.pid ? LOCAL_RUNS.get(owner.runId) : undefined;
      if (local) local();
      else if (owner.pid !== process.pid) process.kill(owner.pid, 'SIGINT');
    }
    if (opts.signal?.aborted) throw new Error('cancelled while waiting for the concurrency group');
    if (Date.now() > deadline)
      throw new Error(
        `timed out waiting for concurrency group "${opts.group}" (held by ${owner ? `run ${owner.runId}` : 'another run'}); ` +
          `if no run holds it, remove ${dir}`,
      );
    await new Promise((r) => setTimeout(r, Math.min(200 + i * 20, 1000)));
  }
}
