import { escapeCell } from './summary.js';

/** Replaces every known secret in text with ***, longest first so overlapping secrets all vanish. */
export class Redactor {
  private secrets: string[] = [];

  /**
   * Values of 1-2 characters are not replaced in what this action prints itself (summary, outputs, errors):
   * `***` for every `1` or `on` would garble them. The runner's add-mask still gets them (action.ts).
   */
  add(secret: string): void {
    if (!secret || secret.length < 3) return;
    // The forms a secret takes once escaped for a summary table cell or inside a JSON string: `|`, `\`, `<`,
    // quotes and newlines change its bytes, and the plain value would no longer be found there.
    for (const form of [secret, escapeCell(secret), JSON.stringify(secret).slice(1, -1)]) {
      if (!this.secrets.includes(form)) this.secrets.push(form);
    }
    this.secrets.sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const s of this.secrets) if (out.includes(s)) out = out.split(s).join('***');
    // Credentials inside URLs (scheme://user:pass@host) even when not registered.
    return redactUrlCredentials(out);
  }

  /** Every string inside a value (an output object) redacted, keys included; the shape is kept. */
  redactDeep<T>(value: T): T {
    return redactValue(this, value, 0) as T;
  }
}

function redactValue(r: Redactor, value: unknown, depth: number): unknown {
  if (typeof value === 'string') return r.redact(value);
  if (depth > 64 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactValue(r, v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[r.redact(k)] = redactValue(r, v, depth + 1);
  }
  return out;
}

/** Whitespace, `/` or `@` end a password; `:` too ends the user part. */
function endsPassword(c: number): boolean {
  return c === 0x2f || c === 0x40 || c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
function isLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
/** A scheme character: a letter, a digit, `+`, `.` or `-`. */
function isSchemeChar(c: number): boolean {
  return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}

/**
 * Replaces the password of every `scheme://user:password@` in text with ***, in one pass: each scan starts
 * at a `://` and stops at the next `/` or whitespace, so no character is looked at more than a few times
 * (a regex with a scheme prefix re-scans long runs of letters from every start position: quadratic).
 */
export function redactUrlCredentials(text: string): string {
  let from = 0;
  let out = '';
  let copied = 0;
  const n = text.length;
  for (;;) {
    const sep = text.indexOf('://', from);
    if (sep < 0) break;
    from = sep + 3;
    if (!hasScheme(text, sep)) continue;
    let i = sep + 3;
    for (let c = text.charCodeAt(i); i < n && !endsPassword(c) && c !== 0x3a; c = text.charCodeAt(++i));
    if (text.charCodeAt(i) !== 0x3a) continue;
    const pwStart = i + 1;
    let j = pwStart;
    for (let c = text.charCodeAt(j); j < n && !endsPassword(c); c = text.charCodeAt(++j));
    if (text.charCodeAt(j) !== 0x40 || j === pwStart) continue;
    out += text.slice(copied, pwStart) + '***';
    copied = j;
    from = j;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** A scheme (a letter, then letters, digits, `+`, `.`, `-`) ends right before `://` at `sep`. */
function hasScheme(text: string, sep: number): boolean {
  // The backward walk stops at the first non-scheme character; `:` and `/` are not scheme characters,
  // so walks from different separators never overlap.
  for (let k = sep - 1; k >= 0; k--) {
    const c = text.charCodeAt(k);
    if (!isSchemeChar(c)) return false;
    if (isLetter(c)) return true;
  }
  return false;
}

/** The URL without `user:password@` (for anything reported back: outputs, summaries, messages). */
export function stripUserinfo(url: string): string {
  try {
    const u = new URL(url);
    if (!u.username && !u.password) return url;
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]*@/, '$1');
  }
}
