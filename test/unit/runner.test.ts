import { describe, expect, it } from 'vitest';
import { inputEnvName, parseKeyValueFile } from '../../src/runner/github-files.js';
import { parseCliArgs } from '../../src/runner/cli.js';

describe('GitHub command files', () => {
  it('parses k=v lines and heredoc blocks with multi-line values', () => {
    const text = 'a=1\nresults<<ghadelimiter_123\n[{"x":1}]\nline2\nghadelimiter_123\nb=x=y\n';
    expect(parseKeyValueFile(text)).toEqual({ a: '1', results: '[{"x":1}]\nline2', b: 'x=y' });
  });
  it('refuses an unterminated block', () => {
    expect(() => parseKeyValueFile('k<<EOF\nvalue\n')).toThrow(/unterminated value for k/);
  });
  it('input env names follow the runner (hyphens kept, spaces to _)', () => {
    expect(inputEnvName('expected-status')).toBe('INPUT_EXPECTED-STATUS');
    expect(inputEnvName('my input')).toBe('INPUT_MY_INPUT');
  });
});

describe('deploy-kit CLI arguments', () => {
  it('reads --input value, --input=value and --env', () => {
    expect(parseCliArgs(['health-gate', '--url', 'http://a/', '--period=1s', '--env', 'GITHUB_SHA=abc'])).toEqual({
      action: 'health-gate',
      inputs: { url: 'http://a/', period: '1s' },
      env: { GITHUB_SHA: 'abc' },
    });
  });
  it('explains usage and missing values', () => {
    expect(() => parseCliArgs([])).toThrow(/usage: deploy-kit/);
    expect(() => parseCliArgs(['health-gate', '--url'])).toThrow('--url needs a value');
    expect(() => parseCliArgs(['health-gate', 'stray'])).toThrow(/unexpected argument "stray"/);
  });
});
