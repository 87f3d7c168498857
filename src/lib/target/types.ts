import type { ExecOptions, Executor } from '../exec/types.js';

/** Where a command runs: the runner itself, an SSH host, or a container reached through one of them. */
export type TargetKind = 'runner' | 'ssh' | 'container';

/** Limits for a file move (they default to TIMEOUTS.fileTransferMs and no cancellation). */
export type TransferOptions = Pick<ExecOptions, 'signal' | 'timeoutMs'>;

/**
 * The one abstraction of "where a command runs". It is an `Executor` (so code written against
 * `run(cmd, opts)` and `target` keeps working) plus the file handling every action needs there:
 *
 * - `tempDir()`: a private (0700) directory on the target, made on first use, removed by `dispose()`;
 * - `writeSecretFile(content, name?)`: a 0600 file in that directory; the content travels over stdin
 *   (or is written by this process on the runner), never in argv;
 * - `upload` / `download`: move one file, verified: sha256 is computed on both sides and must match;
 * - `dispose()`: removes what the target made; safe to call more than once.
 */
export interface Target extends Executor {
  readonly kind: TargetKind;
  /** For messages: `local`, `user@host:port`, `service db (compose exec -T) on user@host:port`, … */
  readonly target: string;
  tempDir(): Promise<string>;
  writeSecretFile(content: string | Buffer, name?: string): Promise<string>;
  /** Copies a runner file to the target (`destPath` defaults to a new name in `tempDir()`). */
  upload(localFile: string, destPath?: string, opts?: TransferOptions): Promise<{ path: string; sha256: string }>;
  /** Copies a file of the target to the runner. */
  download(path: string, localFile: string, opts?: TransferOptions): Promise<{ sha256: string }>;
  dispose(): Promise<void>;
}

/** File names a target makes in its temp dir: plain, no path separators, no dot-only names. */
export function assertFileName(name: string): string {
  if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(name)) {
    throw new Error(`"${name}" is not a plain file name for a temp file (letters, digits, . _ -)`);
  }
  return name;
}

/** Thrown when the two sides of a file move disagree: the copy is not the same bytes. */
export class TransferMismatch extends Error {
  constructor(what: string, expected: string, actual: string) {
    super(`${what}: sha256 ${actual} on arrival, ${expected} at the source; the copy is not the same file`);
    this.name = 'TransferMismatch';
  }
}
