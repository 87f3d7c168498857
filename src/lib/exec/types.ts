import type { Command } from '../command.js';

export interface ExecOptions {
  /** Overall limit for the command, in ms (0 = none). */
  timeoutMs?: number;
  /** Fail when neither stdout nor stderr produced output for this long, in ms (0 = none). */
  idleTimeoutMs?: number;
  /** Aborts the command (kills the process / closes the SSH session). */
  signal?: AbortSignal;
  /** Live output, as it arrives. */
  onStdout?: (chunk: Buffer) => void;
  onStderr?: (chunk: Buffer) => void;
  /** Keep at most this many bytes of each stream in the result (tail). Default 1 MiB. */
  maxBuffer?: number;
  /** Write stdout to this stream instead of buffering it (for dumps: memory stays flat). */
  stdoutSink?: NodeJS.WritableStream;
}

export type ExecEnd = 'exit' | 'timeout' | 'idle-timeout' | 'aborted' | 'spawn-error';

export interface ExecResult {
  /** Process exit code; null when killed by a signal or never started. */
  code: number | null;
  signal: NodeJS.Signals | null;
  end: ExecEnd;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** Bytes seen on stdout (also counts bytes sent to stdoutSink). */
  stdoutBytes: number;
  /** Set when `end` is 'spawn-error'. */
  error?: Error;
}

export interface Executor {
  /** Where commands run, for messages: "local" or "user@host:port". */
  readonly target: string;
  run(cmd: Command, opts?: ExecOptions): Promise<ExecResult>;
}

export function succeeded(r: ExecResult): boolean {
  return r.end === 'exit' && r.code === 0;
}

/** Last `n` non-empty lines of text, for error messages. */
export function lastLines(text: string, n = 20): string {
  const lines = text.replace(/\s+$/, '').split('\n');
  return lines.slice(-n).join('\n');
}

export class CommandError extends Error {
  constructor(
    message: string,
    readonly result: ExecResult,
  ) {
    super(message);
    this.name = 'CommandError';
  }
}

/** Describe how a command ended, naming the target and the fix-relevant facts. */
export function describeFailure(label: string, target: string, r: ExecResult): string {
  const where = target === 'local' ? '' : ` on ${target}`;
  switch (r.end) {
    case 'timeout':
      return `"${label}"${where} did not finish within its time limit (${r.durationMs} ms) and was stopped`;
    case 'idle-timeout':
      return `"${label}"${where} printed nothing for too long and was stopped (a background process holding stdout open is the usual cause: redirect its output or use nohup/setsid)`;
    case 'aborted':
      return `"${label}"${where} was cancelled`;
    case 'spawn-error':
      return `"${label}"${where} could not start: ${r.error?.message ?? 'unknown error'}`;
    default: {
      const how = r.code === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.code}`;
      const tail = lastLines(r.stderr || r.stdout, 15);
      return `"${label}"${where} ${how}${tail ? `; last output:\n${tail}` : ''}`;
    }
  }
}

/** Run and throw a CommandError unless the command exited 0. */
export async function runChecked(exec: Executor, cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
  const r = await exec.run(cmd, opts);
  if (!succeeded(r)) {
    throw new CommandError(describeFailure(cmd.label ?? cmd.argv.join(' '), exec.target, r), r);
  }
  return r;
}
