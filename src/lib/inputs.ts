import { parseDuration } from './duration.js';
import { InputError } from './errors.js';

export { InputError };

/** Where raw input strings come from: the runner protocol (`workflow-io.ts`) on GitHub, a map in tests. */
export type InputSource = (name: string) => string;

/**
 * The shortest part of a secret input (one line of it, one value of an `env` block, one header value) that is
 * masked on its own. Shorter parts are mostly flags and numbers (`DEBUG=1`, `PORT=80`, `on`): masking them
 * would turn every `1` in the log into `***` and make it useless. The whole input and each whole line of it
 * are masked whatever their length, so `DB_PASSWORD=abc` is hidden as a line; `abc` printed alone is not
 * (README, "What is not guaranteed"). A secret that short belongs in its own secret input, which is masked whole.
 */
export const MIN_MASKED_PART = 4;

/** Reads typed inputs; every failure names the input and what was expected. */
export class Inputs {
  constructor(
    private readonly source: InputSource,
    /** Called for each secret value read, so it can be masked before anything prints. */
    private readonly onSecret: (value: string) => void = () => undefined,
  ) {}

  raw(name: string): string {
    return (this.source(name) ?? '').trim();
  }

  string(name: string, fallback = ''): string {
    return this.raw(name) || fallback;
  }

  required(name: string): string {
    const v = this.raw(name);
    if (!v) throw new InputError(name, 'is required');
    return v;
  }

  /** A secret is masked as soon as it is read. Multi-line secrets are masked line by line too. */
  secret(name: string): string {
    const v = (this.source(name) ?? '').trim();
    if (v) {
      this.onSecret(v);
      for (const line of v.split(/\r?\n/)) if (line.trim().length >= MIN_MASKED_PART) this.onSecret(line.trim());
    }
    return v;
  }

  boolean(name: string, fallback: boolean): boolean {
    const v = this.raw(name).toLowerCase();
    if (!v) return fallback;
    if (['true', 'yes', '1', 'on'].includes(v)) return true;
    if (['false', 'no', '0', 'off'].includes(v)) return false;
    throw new InputError(name, `"${this.raw(name)}" is not a boolean; use true or false`);
  }

  choice<T extends string>(name: string, choices: readonly T[], fallback: T): T {
    const v = this.raw(name);
    if (!v) return fallback;
    if ((choices as readonly string[]).includes(v)) return v as T;
    throw new InputError(name, `"${v}" is not one of ${choices.join(', ')}`);
  }

  /** Milliseconds; rejects negatives and garbage. */
  duration(name: string, fallback: string, opts: { min?: number } = {}): number {
    const v = this.raw(name) || fallback;
    if (v.startsWith('-')) throw new InputError(name, `"${v}" is negative; durations must be 0 or more`);
    let ms: number;
    try {
      ms = parseDuration(v);
    } catch (e) {
      throw new InputError(name, (e as Error).message);
    }
    if (opts.min !== undefined && ms < opts.min) {
      throw new InputError(name, `"${v}" is too short; at least ${opts.min} ms`);
    }
    return ms;
  }

  integer(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(name);
    if (!v) return fallback;
    if (!/^-?\d+$/.test(v)) throw new InputError(name, `"${v}" is not a whole number`);
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) throw new InputError(name, `${n} is below the minimum ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw new InputError(name, `${n} is above the maximum ${opts.max}`);
    return n;
  }

  number(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    const v = this.raw(name);
    if (!v) return fallback;
    if (!/^-?\d+(\.\d+)?$/.test(v)) throw new InputError(name, `"${v}" is not a number`);
    const n = Number(v);
    if (opts.min !== undefined && n < opts.min) throw new InputError(name, `${n} is below the minimum ${opts.min}`);
    if (opts.max !== undefined && n > opts.max) throw new InputError(name, `${n} is above the maximum ${opts.max}`);
    return n;
  }

  /** Newline- or comma-separated list; blank entries and `#` comment lines dropped. */
  list(name: string): string[] {
    return parseList(this.raw(name));
  }

  /** Newline-separated list only (entries may contain commas, e.g. commands). */
  lines(name: string): string[] {
    return this.raw(name)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
  }

  /** Multiline KEY=VALUE; values are masked when `secret` (the default: env often carries secrets). */
  env(name: string, secret = true): Record<string, string> {
    const text = secret ? this.secret(name) : this.raw(name);
    try {
      const env = parseEnvBlock(text);
      if (secret) for (const v of Object.values(env)) if (v.length >= MIN_MASKED_PART) this.onSecret(v);
      return env;
    } catch (e) {
      throw new InputError(name, (e as Error).message);
    }
  }

  /** `Name: value` lines; values masked (Authorization headers are secrets). */
  headers(name: string): Record<string, string> {
    const text = this.secret(name);
    const out: Record<string, string> = {};
    for (const line of text.split(/\r?\n/)) {
      const l = line.trim();
      if (!l || l.startsWith('#')) continue;
      const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s*(.*)$/.exec(l);
      if (!m) throw new InputError(name, `"${l.slice(0, 40)}" is not a \`Name: value\` header line`);
      out[m[1]!] = m[2]!;
      if (m[2]!.length >= MIN_MASKED_PART) this.onSecret(m[2]!);
    }
    return out;
  }
}

export function parseList(text: string): string[] {
  return text
    .split(/\r?\n/)
    .filter((l) => !l.trim().startsWith('#'))
    .flatMap((l) => l.split(','))
    .map((s) => s.trim())
    .filter(Boolean);
}

export function parseEnvBlock(text: string): Record<string, string> {
  const env: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    if (!line.trim() || line.trim().startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error(`"${line.slice(0, 40)}" is not KEY=VALUE`);
    const key = line.slice(0, eq).trim();
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key)) throw new Error(`"${key}" is not a valid variable name`);
    env[key] = line.slice(eq + 1);
  }
  return env;
}
