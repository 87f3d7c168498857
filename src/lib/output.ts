import type { StringDecoder } from 'node:string_decoder';

/**
 * The one path from streamed output (a host, a container, a child process) to the job log:
 *
 *   chunks ─▶ LineBuffer (whole lines, bounded length) ─▶ redact ─▶ neutralize ─▶ runner stdout
 *
 * Whole lines first, so a secret that arrives in two chunks is still one string when the redactor (and
 * GitHub's own masking) sees it. Then every line that the runner would read as a workflow command
 * (`::name::…`, or the legacy `##[name]…`, after leading white space) is wrapped in
 * `::stop-commands::<token>` … `::<token>::` with a token drawn once per process: the runner shows the
 * line and acts on nothing in it (no annotation, no mask, no state, no output).
 */

/** Longest line kept whole; a longer run without a line break is cut into lines of this length. */
export const MAX_LINE = 64 * 1024;

/** Splits a stream into lines at \n, \r\n and \r (the runner reads a lone \r as a line end too). */
export class LineBuffer {
  private pending = '';
  private readonly decoder: StringDecoder = new (process.getBuiltinModule('node:string_decoder').StringDecoder)('utf8');

  constructor(
    private readonly emit: (line: string) => void,
    private readonly maxLine = MAX_LINE,
  ) {}

  push(chunk: Buffer | string): void {
    this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
    const re = /\r\n|\r|\n/g;
    let start = 0;
    let m: RegExpExecArray | null;
    while ((m = re.exec(this.pending)) !== null) {
      // A \r at the very end may be the first half of \r\n: wait for the next chunk.
      if (m[0] === '\r' && m.index === this.pending.length - 1) break;
      this.emitBounded(this.pending.slice(start, m.index));
      start = m.index + m[0].length;
    }
    this.pending = this.pending.slice(start);
    while (this.pending.length > this.maxLine && !this.pending.endsWith('\r')) {
      this.emit(this.pending.slice(0, this.maxLine));
      this.pending = this.pending.slice(this.maxLine);
    }
  }

  /** Emits what is left (a last line without a line break). */
  flush(): void {
    this.pending += this.decoder.end();
    const rest = this.pending.replace(/\r$/, '');
    this.pending = '';
    if (rest) this.emitBounded(rest);
  }

  private emitBounded(line: string): void {
    for (let i = 0; i < line.length || i === 0; i += this.maxLine) {
      this.emit(line.slice(i, i + this.maxLine));
      if (line.length === 0) break;
    }
  }
}

// Drawn on first use (node:crypto loads then, not at start-up), once per process.
let stopToken: string | undefined;
const token = (): string => (stopToken ??= process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex'));

/** A line the runner would act on: `::…` or `##[…`, after leading white space. */
const LOOKS_LIKE_COMMAND = /^\s*(::|##\[)/;

/**
 * Text as the runner may print it: each line that looks like a workflow command is wrapped in
 * stop-commands with this process's token; other lines pass as they are. Line breaks of every kind
 * become \n (the runner reads \r as one too, so a bare \r cannot smuggle a second line past this).
 */
export function neutralize(text: string): string {
  const lines = text.split(/\r\n|\r|\n/);
  if (!lines.some((l) => LOOKS_LIKE_COMMAND.test(l))) return lines.join('\n');
  return lines
    .map((l) => (LOOKS_LIKE_COMMAND.test(l) ? `::stop-commands::${token()}\n${l}\n::${token()}::` : l))
    .join('\n');
}

/** Per-stream line buffers feeding `log` (which redacts and neutralizes); flush when the command ends. */
export interface StreamLogger {
  onStdout: (chunk: Buffer) => void;
  onStderr: (chunk: Buffer) => void;
  flush: () => void;
}

/** `onStdout`/`onStderr` for ExecOptions that log whole lines, optionally prefixed. */
export function streamLogger(log: (line: string) => void, prefix = ''): StreamLogger {
  const out = new LineBuffer((l) => log(prefix + l));
  const err = new LineBuffer((l) => log(prefix + l));
  return {
    onStdout: (c) => out.push(c),
    onStderr: (c) => err.push(c),
    flush: () => {
      out.flush();
      err.flush();
    },
  };
}
