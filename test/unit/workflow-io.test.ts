/** The runner protocol that replaces @actions/core at run time: the same formats, checked by the local runner's parser. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as io from '../../src/lib/workflow-io.js';
import { parseKeyValueFile } from '../../src/runner/github-files.js';

describe('workflow-io', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-wio-'));
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    vi.restoreAllMocks();
  });

  function stdout(fn: () => void): string {
    let out = '';
    vi.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => {
      out += String(c);
      return true;
    });
    fn();
    vi.restoreAllMocks();
    return out;
  }

  it('writes commands with data and properties escaped as @actions/core does', () => {
    expect(stdout(() => io.setSecret('a%b\nc'))).toBe('::add-mask::a%25b%0Ac\n');
    expect(stdout(() => io.warning('x\r\ny', 'host: a,b'))).toBe('::warning title=host%3A a%2Cb::x%0D%0Ay\n');
    expect(stdout(() => io.warning('plain'))).toBe('::warning::plain\n');
    const failed = stdout(() => io.setFailed('boom\n::error::nested'));
    expect(failed).toBe('::error::boom%0A::error::nested\n');
    expect(process.exitCode).toBe(1);
    process.exitCode = 0;
  });

  it('reads INPUT_<NAME> as the runner sets it (upper case, spaces as underscores, dashes kept), trimmed', () => {
    process.env['INPUT_PRIVATE-KEY'] = '  k  ';
    process.env.INPUT_MY_INPUT = 'v';
    expect(io.getInput('private-key')).toBe('k');
    expect(io.getInput('my input')).toBe('v');
    expect(io.getInput('absent')).toBe('');
  });

  it('outputs and state are heredoc file commands the runner parses back, multi-line values intact', () => {
    const out = join(dir, 'out');
    const state = join(dir, 'state');
    writeFileSync(out, '');
    writeFileSync(state, '');
    process.env.GITHUB_OUTPUT = out;
    process.env.GITHUB_STATE = state;
    io.setOutput('hosts', '[{"a":1}]\nline two');
    io.setOutput('empty', '');
    io.saveState('deploy-kit-ssh-dir', '/tmp/x');
    expect(parseKeyValueFile(readFileSync(out, 'utf8'))).toEqual({ hosts: '[{"a":1}]\nline two', empty: '' });
    expect(parseKeyValueFile(readFileSync(state, 'utf8'))).toEqual({ 'deploy-kit-ssh-dir': '/tmp/x' });
    const summary = join(dir, 'summary.md');
    process.env.GITHUB_STEP_SUMMARY = summary;
    io.appendSummary('| a |\n');
    io.appendSummary('| b |\n');
    expect(readFileSync(summary, 'utf8')).toBe('| a |\n| b |\n');
    rmSync(dir, { recursive: true, force: true });
  });
});
