import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/lib/duration.js';
import { MIN_MASKED_PART, parseEnvBlock, parseList } from '../../src/lib/inputs.js';
import { mapInputs } from '../helpers/inputs.js';

describe('durations', () => {
  it.each([
    ['500ms', 500],
    ['30s', 30_000],
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['1m30s', 90_000],
    ['10', 10_000],
    ['2.5', 2500],
    ['0', 0],
  ])('%s = %i ms', (text, ms) => expect(parseDuration(text)).toBe(ms));

  it.each(['', 'abc', '5 minutes', '5d', '1m30', 's'])('rejects %j', (text) => {
    expect(() => parseDuration(text)).toThrow(/not a duration/);
  });

  it('the input reader names the input and refuses negatives', () => {
    expect(() => mapInputs({ period: '-5s' }).duration('period', '1s')).toThrow('input `period`: "-5s" is negative');
    expect(() => mapInputs({ period: 'soon' }).duration('period', '1s')).toThrow(
      /input `period`: "soon" is not a duration/,
    );
    expect(mapInputs({}).duration('period', '5s')).toBe(5000);
  });
});

describe('typed inputs', () => {
  it('booleans accept true/false and refuse the rest', () => {
    expect(mapInputs({ a: 'true' }).boolean('a', false)).toBe(true);
    expect(mapInputs({ a: 'FALSE' }).boolean('a', true)).toBe(false);
    expect(mapInputs({}).boolean('a', true)).toBe(true);
    expect(() => mapInputs({ a: 'maybe' }).boolean('a', true)).toThrow('input `a`: "maybe" is not a boolean');
  });

  it('lists accept newlines or commas, drop blanks and comments', () => {
    expect(parseList('a, b\n\n# note\nc,,d')).toEqual(['a', 'b', 'c', 'd']);
  });

  it('integers are bounded', () => {
    expect(() => mapInputs({ n: '0' }).integer('n', 1, { min: 1 })).toThrow('input `n`: 0 is below the minimum 1');
    expect(() => mapInputs({ n: '1.5' }).integer('n', 1)).toThrow(/not a whole number/);
  });

  it('choices list the allowed values', () => {
    expect(() => mapInputs({ s: 'blue' }).choice('s', ['parallel', 'serial'], 'parallel')).toThrow(
      'input `s`: "blue" is not one of parallel, serial',
    );
  });

  it('env blocks keep values verbatim (=, quotes, spaces) and mask them', () => {
    const secrets: string[] = [];
    const env = mapInputs({ env: 'A=1\nURL=postgres://u:p@h/db?x=1\n# comment\nQ="quoted value"' }, secrets).env('env');
    expect(env).toEqual({ A: '1', URL: 'postgres://u:p@h/db?x=1', Q: '"quoted value"' });
    expect(secrets).toContain('postgres://u:p@h/db?x=1');
    expect(() => parseEnvBlock('1BAD=x')).toThrow(/not a valid variable name/);
    expect(() => parseEnvBlock('novalue')).toThrow(/not KEY=VALUE/);
  });

  it('env values shorter than MIN_MASKED_PART are not masked alone; their line and the block are', () => {
    const secrets: string[] = [];
    const block = 'DEBUG=1\nDB_PASSWORD=abc\nAPI_KEY=abcd';
    mapInputs({ env: block }, secrets).env('env');
    expect(MIN_MASKED_PART).toBe(4);
    expect(secrets).toContain(block);
    expect(secrets).toContain('DB_PASSWORD=abc');
    expect(secrets).toContain('abcd');
    expect(secrets).not.toContain('abc');
    expect(secrets).not.toContain('1');
    // A declared secret input is registered whole however short (the runner's add-mask takes it as it is).
    const one: string[] = [];
    expect(mapInputs({ pin: '42' }, one).secret('pin')).toBe('42');
    expect(one).toEqual(['42']);
  });

  it('headers parse `Name: value` and mask values', () => {
    const secrets: string[] = [];
    const h = mapInputs({ headers: 'Authorization: Bearer abcdef\nX-A: 1' }, secrets).headers('headers');
    expect(h).toEqual({ Authorization: 'Bearer abcdef', 'X-A': '1' });
    expect(secrets).toContain('Bearer abcdef');
    expect(() => mapInputs({ headers: 'no colon here' }).headers('headers')).toThrow(/input `headers`/);
  });
});
