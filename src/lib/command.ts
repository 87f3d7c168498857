/**
 * A command is data: argv plus what it needs to run. Builders return these; executors run them.
 * Secrets never sit in argv: they travel in `env` (local) or `stdin`.
 */
export interface Command {
  /** argv[0] is the program; nothing here is ever parsed by a shell. */
  argv: readonly string[];
  /** Extra environment for the process (merged over the executor's base env). */
  env?: Readonly<Record<string, string>>;
  /** Bytes written to the process's stdin, then closed. */
  stdin?: string | Buffer;
  /** Working directory (local path, or remote path for SSH). */
  cwd?: string;
  /** Short human label for logs and summaries; defaults to argv joined. */
  label?: string;
}

export function commandLabel(cmd: Command): string {
  return cmd.label ?? cmd.argv.join(' ');
}
