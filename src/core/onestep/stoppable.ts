import type { Command } from '../../lib/command.js';
import type { ExecOptions, ExecResult, Executor } from '../../lib/exec/types.js';

/** Runs the command after recording its process group (and a token) in a file on the host. */
const RECORD = [
  'g=$(cut -d " " -f 5 /proc/$$/stat 2>/dev/null || ps -o pgid= -p $$)',
  '{ printf "%s %s\\n" "${g// /}" "$1" > "$0"; } 2>/dev/null || true', // never keeps the command from running
  'shift',
  'exec "$@"',
].join('\n');

/** Stops the recorded process group if the token still matches: TERM, a bounded wait, then KILL. */
const STOP = [
  'f=$1; token=$2',
  '[ -s "$f" ] || exit 0',
  'read -r g t < "$f" || exit 0',
  '[ "$t" = "$token" ] && [ "$g" -gt 1 ] 2>/dev/null || exit 0',
  'kill -TERM -- "-$g" 2>/dev/null || exit 0',
  'for _ in $(seq 50); do kill -0 -- "-$g" 2>/dev/null || exit 0; sleep 0.1; done',
  'kill -KILL -- "-$g" 2>/dev/null || true',
].join('\n');

/**
 * Makes cancellation and timeouts reach the server. Over SSH (with the shared master connection) killing
 * the local client neither stops the remote command nor returns until it ends by itself: a cancelled
 * migration would go on holding the step, and finish after the lock was let go. This executor records
 * each command's remote process group in `pidFile` (inside the held lock directory, so unlocking removes
 * it) and, when the job is cancelled or the command's time runs out, kills that group on the host over a
 * separate SSH command, which also lets the local side return at once.
 */
export class RemoteStopExecutor implements Executor {
  constructor(
    private readonly inner: Executor,
    private readonly pidFile: string,
    private readonly log: (line: string) => void = () => undefined,
  ) {}

  get target(): string {
    return this.inner.target;
  }

  async run(cmd: Command, opts: ExecOptions = {}): Promise<ExecResult> {
    const token = Math.random().toString(36).slice(2, 12);
    const wrapped: Command = {
      ...cmd,
      argv: ['bash', '--norc', '--noprofile', '-c', RECORD, this.pidFile, token, ...cmd.argv],
    };
    let stopping: Promise<unknown> | undefined;
    const timers: NodeJS.Timeout[] = [];
    const stop = (why: string): void => {
      if (stopping) return;
      this.log(`stopping "${cmd.label ?? cmd.argv[0]}" on ${this.inner.target} (${why})`);
      // Not tied to the cancel signal: this is the clean-up the signal asks for.
      stopping = this.inner
        .run(
          { argv: ['bash', '--norc', '--noprofile', '-c', STOP, 'stop', this.pidFile, token] },
          { timeoutMs: 30_000 },
        )
        .catch(() => undefined);
    };
    // A little after the inner executor's own timers, so it still reports timeout / idle-timeout / aborted.
    const GRACE = 300;
    const onAbort = (): void => {
      timers.push(setTimeout(() => stop('cancelled'), 50));
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    if (opts.timeoutMs && opts.timeoutMs > 0) timers.push(setTimeout(() => stop('time limit'), opts.timeoutMs + GRACE));
    let idle: NodeJS.Timeout | undefined;
    const armIdle = (): void => {
      if (!opts.idleTimeoutMs || opts.idleTimeoutMs <= 0) return;
      if (idle) clearTimeout(idle);
      idle = setTimeout(() => stop('no output'), opts.idleTimeoutMs + GRACE);
    };
    armIdle();
    try {
      return await this.inner.run(wrapped, {
        ...opts,
        onStdout: (c) => {
          armIdle();
          opts.onStdout?.(c);
        },
        onStderr: (c) => {
          armIdle();
          opts.onStderr?.(c);
        },
      });
    } finally {
      for (const t of timers) clearTimeout(t);
      if (idle) clearTimeout(idle);
      opts.signal?.removeEventListener('abort', onAbort);
      await stopping;
    }
  }
}
