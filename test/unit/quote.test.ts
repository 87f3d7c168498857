import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { quoteArg, quoteArgv } from '../../src/lib/quote.js';

const HOSTILE = [
  '',
  ' ',
  'plain',
  "it's",
  "''",
  '"double"',
  '$(touch /tmp/deploy-kit-pwned)',
  '`id`',
  '$HOME',
  '${PATH}',
  'a;b',
  'a && b',
  'a | b',
  'line1\nline2',
  '\ttab',
  '*',
  '?',
  '[abc]',
  '~',
  '~root',
  '-rf',
  '--help',
  '-',
  '\\',
  "\\'",
  '!',
  '!!',
  '#comment',
  '{a,b}',
  'a\rb',
  'ünïcødé ✓',
  '%s%n',
  '=',
  'a=b',
  '> /tmp/x',
  '< /etc/passwd',
  '&',
  '\'$(echo x)\'"`y`"',
];

describe('quoteArgv', () => {
  it('every hostile argument reaches argv of a real sh intact', () => {
    // printf '%s\0' prints each argument NUL-terminated: we split and compare byte for byte.
    const script = quoteArgv(['printf', '%s\\0', ...HOSTILE]);
    const out = execFileSync('/bin/sh', ['-c', script], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('also through bash and dash', () => {
    for (const shell of ['/bin/bash', '/bin/dash']) {
      const out = execFileSync(shell, ['-c', quoteArgv(['printf', '%s\\0', ...HOSTILE])], { encoding: 'utf8' });
      expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
    }
  });

  it('survives two shells (ssh runs the string under the login shell, which runs bash -c)', () => {
    const inner = quoteArgv(['printf', '%s\\0', ...HOSTILE]);
    const outer = quoteArgv(['bash', '-c', inner]);
    const out = execFileSync('/bin/sh', ['-c', outer], { encoding: 'utf8' });
    expect(out.split('\0').slice(0, -1)).toEqual(HOSTILE);
  });

  it('leaves safe words bare and quotes the rest', () => {
    expect(quoteArg('releases/2024-01-01_abc')).toBe('releases/2024-01-01_abc');
    expect(quoteArg('a b')).toBe("'a b'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('')).toBe("''");
  });

  it('refuses NUL bytes and empty commands', () => {
    expect(() => quoteArg('a\0b')).toThrow(/NUL/);
    expect(() => quoteArgv([])).toThrow(/empty/);
  });
});
