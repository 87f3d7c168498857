/**
 * What every core routine gets from the run it belongs to, under one name: where to log, how to warn,
 * and the job's cancellation signal. Action entries pass their `ActionContext` (which is one); tests pass
 * a plain object.
 */
export interface RunContext {
  /** One line of progress for the job log (redacted and neutralized on the way out). */
  log: (line: string) => void;
  /** A warning annotation; `title` groups related ones. */
  warn: (message: string, title?: string) => void;
  /** Aborted when the runner cancels the job (SIGINT/SIGTERM): stop and clean up. */
  signal: AbortSignal;
}

/** A context that logs nowhere and is never cancelled (tests, benches, internal helpers). */
export function quietContext(overrides: Partial<RunContext> = {}): RunContext {
  return {
    log: () => undefined,
    warn: () => undefined,
    signal: new AbortController().signal,
    ...overrides,
  };
}
