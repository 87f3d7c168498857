/** The streamed-output path: whole lines (bounded), then neutralized workflow commands. */
import { describe, expect, it } from 'vitest';
import { LineBuffer, neutralize, streamLogger } from '../../src/lib/output.js';
import { Redactor } from '../../src/lib/redact.js';

function lines(chunks: (string | Buffer)[], max?: number): string[] {
  const out: string[] = [];
  const b = new LineBuffer((l) => out.push(l), max);
  for (const c of chunks) b.push(c);
  b.flush();
  return out;
}

describe('LineBuffer', () => {
  it('joins chunks into whole lines at \\n, \\r\\n and \\r, and flushes the rest', () => {
    expect(lines(['a', 'b\nc', 'd\r', '\ne\rf\n', 'g'])).toEqual(['ab', 'cd', 'e', 'f', 'g']);
    expect(lines(['\n\n'])).toEqual(['', '']);
    expect(lines([])).toEqual([]);
  });

  it('a secret split across two writes reaches the redactor whole', () => {
    const r = new Redactor();
    r.add('hunter2-very-secret');
    const out: string[] = [];
    const s = streamLogger((l) => out.push(r.redact(l)));
    s.onStdout(Buffer.from('password is hunter2-ve'));
    s.onStdout(Buffer.from('ry-secret, ok\n'));
    s.flush();
    expect(out).toEqual(['password is ***, ok']);
  });

  it('keeps multi-byte characters split across chunks intact', () => {
    const euro = Buffer.from('€\n');
    expect(lines([euro.subarray(0, 1), euro.subarray(1)])).toEqual(['€']);
  });

  it('bounds a line without a break', () => {
    expect(lines(['x'.repeat(25)], 10)).toEqual(['x'.repeat(10), 'x'.repeat(10), 'x'.repeat(5)]);
  });

  it('stdout and stderr are buffered apart', () => {
    const out: string[] = [];
    const s = streamLogger((l) => out.push(l), '> ');
    s.onStdout(Buffer.from('o1 '));
    s.onStderr(Buffer.from('e1\n'));
    s.onStdout(Buffer.from('o2\n'));
    s.flush();
    expect(out).toEqual(['> e1', '> o1 o2']);
  });
});

describe('neutralize', () => {
  const token = /^::stop-commands::([0-9a-f]{32})$/;

  it('wraps every line that looks like a command in stop-commands with one random token', () => {
    for (const cmd of [
      '::add-mask::x',
      '::error::boom',
      '::save-state name=deploy-kit-ssh-dir::/',
      '::set-output name=x::y',
      '  ::warning::indented',
      '##[error]legacy',
    ]) {
      const out = neutralize(cmd).split('\n');
      expect(out).toHaveLength(3);
      const t = token.exec(out[0]!)?.[1];
      expect(t).toBeTruthy();
      expect(out[1]).toBe(cmd);
      expect(out[2]).toBe(`::${t}::`);
    }
  });

  it('leaves other lines alone and splits at \\r so a second line cannot hide behind it', () => {
    expect(neutralize('Step 1/3 : FROM scratch')).toBe('Step 1/3 : FROM scratch');
    expect(neutralize('#6 0.2 ::warning::x')).toBe('#6 0.2 ::warning::x');
    const out = neutralize('ok\r::error::boom').split('\n');
    expect(out[0]).toBe('ok');
    expect(out[1]).toMatch(token);
    expect(out[2]).toBe('::error::boom');
  });
});
