import { TIMEOUTS } from '../timeouts.js';
import type { ExecEnd, ExecOptions, ExecResult } from './types.js';
import { TailBuffer } from './tail-buffer.js';

export interface SpawnSpec {
  file: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  stdin?: string | Buffer;
  /** Called once when the process is killed for a timeout, idle timeout or cancellation. */
  onKill?: (why: ExecEnd) => void;
}

const DEFAULT_MAX_BUFFER = 1024 * 1024;
const KILL_GRACE_MS = TIMEOUTS.killGraceMs;

/**
 * Runs one process in its own process group, with overall/idle timeouts and cancellation.
 * Killing the group (not just the child) is what ends background processes that hold stdout open.
 */
export function runProcess(spec: SpawnSpec, opts: ExecOptions = {}): Promise<ExecResult> {
  const started = Date.now();
  const maxBuffer = opts.maxBuffer ?? DEFAULT_MAX_BUFFER;
  const out = new TailBuffer(opts.stdoutSink ? 0 : maxBuffer);
  const err = new TailBuffer(maxBuffer);

  return new Promise<ExecResult>((resolve) => {
    let end: ExecEnd = 'exit';
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    let idleTimer: NodeJS.Timeout | undefined;

    // node:child_process loads on the first command, not at start-up (cold start of every bundle).
    const child = process.getBuiltinModule('node:child_process').spawn(spec.file, [...spec.args], {
      env: spec.env,
      cwd: spec.cwd,
      stdio: ['pipe', 'pipe', 'pipe'],
      detached: true,
    });

    const finish = (code: number | null, signal: NodeJS.Signals | null, error?: Error): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (idleTimer) clearTimeout(idleTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({
        code,
        signal,
        end: error ? 'spawn-error' : end,
        stdout: out.toString(),
        stderr: err.toString(),
        durationMs: Date.now() - started,
        stdoutBytes: out.total,
        ...(error ? { error } : {}),
      });
    };

    const killGroup = (why: ExecEnd): void => {
      if (settled || child.pid === undefined) return;
      if (end === 'exit') {
        end = why;
        spec.onKill?.(why);
      }
      const sig = (s: NodeJS.Signals): void => {
        try {
          process.kill(-child.pid!, s);
        } catch {
          // group already gone
        }
      };
      sig('SIGTERM');
      const hard = setTimeout(() => sig('SIGKILL'), KILL_GRACE_MS);
      hard.unref();
      timers.push(hard);
    };

    const onAbort = (): void => killGroup('aborted');
    if (opts.signal) {
      if (opts.signal.aborted) queueMicrotask(onAbort);
      else opts.signal.addEventListener('abort', onAbort, { once: true });
    }
    if (opts.timeoutMs && opts.timeoutMs > 0) {
      timers.push(setTimeout(() => killGroup('timeout'), opts.timeoutMs));
    }
    const armIdle = (): void => {
      if (!opts.idleTimeoutMs || opts.idleTimeoutMs <= 0) return;
      if (idleTimer) clearTimeout(idleTimer);
      idleTimer = setTimeout(() => killGroup('idle-timeout'), opts.idleTimeoutMs);
    };
    armIdle();

    child.stdout.on('data', (chunk: Buffer) => {
      armIdle();
      out.push(chunk);
      opts.onStdout?.(chunk);
    });
    if (opts.stdoutSink) {
      child.stdout.pipe(opts.stdoutSink, { end: false });
    }
    child.stderr.on('data', (chunk: Buffer) => {
      armIdle();
      err.push(chunk);
      opts.onStderr?.(chunk);
    });

    child.on('error', (e) => finish(null, null, e));
    child.on('close', (code, signal) => finish(code, signal));

    // A process that exits without reading stdin must not crash us with EPIPE.
    child.stdin.on('error', () => undefined);
    if (spec.stdin !== undefined) child.stdin.end(spec.stdin);
    else child.stdin.end();
  });
}
