/**
 * Runs one step's process in its own process group, bounded by a timeout and a cancel signal. Stopping
 * follows GitHub's runner: SIGINT to the group, SIGTERM 7.5 s later, SIGKILL 2.5 s after that.
 */
import { spawn } from 'node:child_process';

export interface ProcOptions {
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs?: number;
  signal?: AbortSignal;
  onOutput(stream: 'out' | 'err', chunk: string): void;
}

export interface ProcResult {
  code: number | null;
  end: 'exit' | 'timeout' | 'cancelled' | 'spawn-error';
  error?: string;
  /** The step's process group: what it left running is stopped when the job ends, as on a hosted runner. */
  pgid?: number;
}

export function killGroup(pgid: number, sig: NodeJS.Signals = 'SIGKILL'): void {
  try {
    process.kill(-pgid, sig);
  } catch {
    /* already gone */
  }
}

export const STOP_GRACE_MS = { term: 7_500, kill: 2_500 };

export function runProc(opts: ProcOptions): Promise<ProcResult> {
  return new Promise((resolve) => {
    let end: ProcResult['end'] = 'exit';
    if (opts.signal?.aborted) {
      resolve({ code: null, end: 'cancelled' });
      return;
    }
    const child = spawn(opts.argv[0]!, opts.argv.slice(1), {
      cwd: opts.cwd,
      env: opts.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timers: NodeJS.Timeout[] = [];
    const killGroup = (sig: NodeJS.Signals): void => {
      try {
        if (child.pid) process.kill(-child.pid, sig);
      } catch {
        /* already gone */
      }
    };
    let stopping = false;
    const stop = (why: 'timeout' | 'cancelled'): void => {
      if (stopping) return;
      stopping = true;
      end = why;
      killGroup('SIGINT');
      timers.push(setTimeout(() => killGroup('SIGTERM'), STOP_GRACE_MS.term));
      timers.push(setTimeout(() => killGroup('SIGKILL'), STOP_GRACE_MS.term + STOP_GRACE_MS.kill));
    };
    if (opts.timeoutMs !== undefined) timers.push(setTimeout(() => stop('timeout'), opts.timeoutMs));
    const onAbort = (): void => stop('cancelled');
    opts.signal?.addEventListener('abort', onAbort, { once: true });
    child.stdout.setEncoding('utf8').on('data', (c: string) => opts.onOutput('out', c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => opts.onOutput('err', c));
    let spawnError: string | undefined;
    child.on('error', (e) => {
      spawnError = e.message;
      end = 'spawn-error';
    });
    child.on('close', (code) => {
      for (const t of timers) clearTimeout(t);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ code, end, error: spawnError, pgid: child.pid });
    });
  });
}
