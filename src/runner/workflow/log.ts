/**
 * What the runner does with a step's output: workflow commands on stdout (`::add-mask::`, `::error::`,
 * `::group::`, `::stop-commands::` …) are acted on as GitHub's runner does, and every line is masked
 * before it is shown. Lines between `::stop-commands::<token>` and `::<token>::` are shown, never acted on.
 */
import { Redactor } from '../../lib/redact.js';

export interface Annotation {
  level: 'error' | 'warning' | 'notice';
  message: string;
  step?: string;
}

/** Secrets registered for masking: the whole value and, for multi-line values, each line of it. */
export class Masker {
  private readonly redactor = new Redactor();
  private readonly values: string[] = [];

  add(value: string): void {
    if (!value) return;
    const parts = [value, ...value.split(/\r?\n/).map((l) => l.trim())];
    for (const p of parts) {
      if (p.length >= 3 && !this.values.includes(p)) {
        this.values.push(p);
        this.redactor.add(p);
      }
    }
  }

  mask(text: string): string {
    return this.redactor.redact(text);
  }

  /** True when the text holds a registered secret (GitHub then refuses to pass it on as a job output). */
  holdsSecret(text: string): boolean {
    return this.values.some((v) => text.includes(v));
  }
}

export interface LineSink {
  /** A line to show (already masked), with the indent of the step's output. */
  show(line: string): void;
  annotate(a: Annotation): void;
  debug: boolean;
}

const COMMAND = /^::([A-Za-z-]+)( [^:]*)?::(.*)$/;

/** Unescapes a workflow command's data (%25 %0D %0A), as @actions/core escapes it. */
function unescapeData(s: string): string {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

export class StepOutput {
  private stopToken: string | undefined;
  /** Values of ::set-output:: / ::save-state:: lines the runner acted on. */
  readonly outputs: Record<string, string> = {};
  readonly state: Record<string, string> = {};
  private partial: Record<'out' | 'err', string> = { out: '', err: '' };

  constructor(
    private readonly masker: Masker,
    private readonly sink: LineSink,
    private readonly stepName: string,
  ) {}

  write(stream: 'out' | 'err', chunk: string): void {
    const text = this.partial[stream] + chunk;
    const lines = text.split('\n');
    this.partial[stream] = lines.pop() ?? '';
    for (const l of lines) this.line(stream, l.replace(/\r$/, ''));
  }

  end(): void {
    for (const s of ['out', 'err'] as const) {
      if (this.partial[s]) this.line(s, this.partial[s]);
      this.partial[s] = '';
    }
  }

  private line(stream: 'out' | 'err', raw: string): void {
    if (stream === 'out') {
      const trimmed = raw.trimStart();
      if (this.stopToken !== undefined) {
        if (trimmed === `::${this.stopToken}::`) {
          this.stopToken = undefined;
          return;
        }
      } else {
        const m = COMMAND.exec(trimmed);
        if (m && this.command(m[1]!, (m[2] ?? '').trim(), unescapeData(m[3]!))) return;
      }
    }
    this.sink.show(this.masker.mask(raw));
  }

  /** Acts on a command; false when it is not one (the line is then shown as is). */
  private command(name: string, props: string, data: string): boolean {
    switch (name) {
      case 'add-mask':
        this.masker.add(data);
        return true;
      case 'stop-commands':
        if (!data) return false;
        this.stopToken = data;
        return true;
      case 'error':
      case 'warning':
      case 'notice': {
        const message = this.masker.mask(data);
        this.sink.annotate({ level: name, message, step: this.stepName });
        this.sink.show(`${name === 'error' ? 'Error' : name === 'warning' ? 'Warning' : 'Notice'}: ${message}`);
        return true;
      }
      case 'group':
        this.sink.show(`▾ ${this.masker.mask(data)}`);
        return true;
      case 'endgroup':
      case 'echo':
        return true;
      case 'debug':
        if (this.sink.debug) this.sink.show(`debug: ${this.masker.mask(data)}`);
        return true;
      // Deprecated but still acted on by GitHub's runner (with a warning): honoured the same way.
      case 'set-output':
      case 'save-state': {
        const key = /(?:^|,)\s*name=([^,]*)/.exec(props)?.[1];
        if (!key) return false;
        (name === 'set-output' ? this.outputs : this.state)[key] = data;
        this.sink.annotate({
          level: 'warning',
          message: `::${name}:: is deprecated: write to $GITHUB_${name === 'set-output' ? 'OUTPUT' : 'STATE'} instead`,
          step: this.stepName,
        });
        return true;
      }
      case 'set-env':
      case 'add-path': {
        const message = `::${name}:: is disabled on GitHub (it let output change the environment): write to $GITHUB_${name === 'set-env' ? 'ENV' : 'PATH'} instead`;
        this.sink.annotate({ level: 'warning', message, step: this.stepName });
        this.sink.show(`Warning: ${message}`);
        return true;
      }
      default:
        return false;
    }
  }
}
