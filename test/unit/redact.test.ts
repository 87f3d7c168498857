import { describe, expect, it } from 'vitest';
import { MAX_DURATION_MS, parseDuration } from '../../src/lib/duration.js';
import { Redactor, redactUrlCredentials, stripUserinfo } from '../../src/lib/redact.js';
import { markdownTable } from '../../src/lib/summary.js';
import { mapInputs } from '../helpers/inputs.js';

describe('URL credentials in output', () => {
  it.each([
    ['postgres://app:s3cret@db:5432/x', 'postgres://app:***@db:5432/x'],
    ['see https://u:p@h/ and git+ssh://me:pa:ss@host/r', 'see https://u:***@h/ and git+ssh://me:***@host/r'],
    ['redis://:onlypass@cache', 'redis://:***@cache'],
    ['http://host:8080/path', 'http://host:8080/path'],
    ['1://u:p@h', '1://u:p@h'],
    ['a1://u:p@h', 'a1://u:***@h'],
    ['no url at all', 'no url at all'],
    ['x://user@host', 'x://user@host'],
  ])('%s', (text, want) => expect(redactUrlCredentials(text)).toBe(want));

  it('handles megabytes without spaces, and still finds the credential at the end', () => {
    // Long runs of scheme characters and of `:` are what made the old regex quadratic.
    const letters = 'a'.repeat(4 * 1024 * 1024);
    const colons = 'a://b:'.repeat(300_000);
    const input = `${letters}${colons}https://deploy:hunter2@registry/x`;
    const out = new Redactor().redact(input);
    expect(out.length).toBe(input.length - 'hunter2'.length + 3);
    expect(out.endsWith('https://deploy:***@registry/x')).toBe(true);
    expect(out).not.toContain('hunter2');
    expect(out.startsWith(letters)).toBe(true);
  });

  it('registered secrets are replaced everywhere, longest first', () => {
    const r = new Redactor();
    r.add('token-abc');
    r.add('token-abcdef');
    expect(r.redact('a token-abcdef b token-abc')).toBe('a *** b ***');
  });

  it('a secret escaped into a summary table cell or a JSON string is still found', () => {
    const r = new Redactor();
    const secret = 'pa|ss<wo\\rd"\nline2';
    r.add(secret);
    const md = markdownTable(['output'], [[`before ${secret} after`]]);
    expect(md).not.toContain(secret);
    const out = r.redact(md) + r.redact(JSON.stringify({ v: secret }));
    for (const piece of ['pa|ss', 'pa\\|ss', 'ss&lt;wo', 'line2']) expect(out).not.toContain(piece);
    expect(out).toContain('before *** after');
  });

  it('redactDeep reaches strings inside objects (before JSON escaping could hide them)', () => {
    const r = new Redactor();
    r.add('pa"ss\\word');
    const v = { hosts: [{ output: 'printed pa"ss\\word', n: 1 }], 'pa"ss\\word': true };
    const s = JSON.stringify(r.redactDeep(v));
    expect(s).not.toContain('ss\\\\word');
    expect(JSON.parse(s)).toEqual({ hosts: [{ output: 'printed ***', n: 1 }], '***': true });
  });

  it('stripUserinfo removes user:password@ and keeps the rest', () => {
    expect(stripUserinfo('http://u:p@127.0.0.1:8080/healthz?x=1')).toBe('http://127.0.0.1:8080/healthz?x=1');
    expect(stripUserinfo('http://127.0.0.1/')).toBe('http://127.0.0.1/');
    expect(stripUserinfo('not a url ://u:p@x')).toBe('not a url ://u:p@x');
  });
});

describe('durations are capped below the timer overflow', () => {
  it('accepts the longest and refuses one ms more in every spelling', () => {
    expect(parseDuration(`${MAX_DURATION_MS}ms`)).toBe(MAX_DURATION_MS);
    expect(parseDuration('596h')).toBe(596 * 3_600_000);
    for (const t of [`${MAX_DURATION_MS + 1}ms`, '597h', '2147484s', '99999999999999999999999h', '1e3']) {
      expect(() => parseDuration(t)).toThrow(/too long|not a duration/);
    }
    expect(() => parseDuration('597h')).toThrow(/"597h" is too long: the longest duration is 596h/);
  });

  it('an input names itself', () => {
    expect(() => mapInputs({ timeout: '600h' }).duration('timeout', '1h')).toThrow(
      /^input `timeout`: "600h" is too long/,
    );
  });
});
