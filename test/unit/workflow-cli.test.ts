/**
 * The runner's command line (workflow run, secrets from the environment or a file, environment scopes), the
 * github context derived from a checkout, and action.yml defaults such as `${{ github.repository }}` evaluated
 * by the single-action runner (promote refused the literal text before).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { localGithub, repositoryFromRemote } from '../../src/runner/github-context.js';
import { runBundledAction } from '../../src/runner/run-action.js';
import { parseWorkflowArgs } from '../../src/runner/workflow/cli.js';
import { evaluate, interpolate } from '../../src/runner/workflow/expressions.js';
import { shellArgv } from '../../src/runner/workflow/engine.js';
import { NODE24 } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'dk-wf-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('deploy-kit workflow run arguments', () => {
  it('reads inputs, vars, approvals, env and scoped secrets; a bare --secret NAME comes from the environment', () => {
    const file = join(tmp, 'secrets');
    writeFileSync(file, 'A=1\nstaging:KEY<<EOF\nline1\nline2\nEOF\n');
    const { file: wf, options } = parseWorkflowArgs(
      [
        'run',
        'w.yml',
        '--event',
        'push',
        '--input',
        'level=a=b',
        '--var',
        'production:REGION=eu',
        '--secret',
        'TOKEN',
        '--secret-file',
        file,
        '--approve',
        'staging',
        '--env=GITHUB_API_URL=http://127.0.0.1:1',
      ],
      { TOKEN: 'from-env' },
    );
    expect(wf).toBe('w.yml');
    expect(options.event).toBe('push');
    expect(options.inputs).toEqual({ level: 'a=b' });
    expect(options.secrets).toEqual({ TOKEN: 'from-env', A: '1' });
    expect(options.environmentSecrets).toEqual({ staging: { KEY: 'line1\nline2' } });
    expect(options.environmentVars).toEqual({ production: { REGION: 'eu' } });
    expect(options.approve).toEqual(['staging']);
    expect(options.env).toEqual({ GITHUB_API_URL: 'http://127.0.0.1:1' });
  });

  it('names what is wrong', () => {
    expect(() => parseWorkflowArgs(['run'])).toThrow(/usage: deploy-kit workflow run/);
    expect(() => parseWorkflowArgs(['run', 'w.yml', '--secret', 'MISSING'], {})).toThrow(
      /the variable MISSING is not set \(export it, or use --secret-file\)/,
    );
    expect(() => parseWorkflowArgs(['run', 'w.yml', '--var', 'novalue'])).toThrow(/--var takes NAME=value/);
    expect(() => parseWorkflowArgs(['run', 'w.yml', '--bogus', 'x'])).toThrow(/unknown option --bogus/);
    expect(() => parseWorkflowArgs(['run', 'w.yml', '--secret', 'bad name=x'])).toThrow(/invalid secret name/);
  });
});

describe('expressions and shells', () => {
  it('evaluates with GitHub semantics (case-insensitive contexts, format, status functions)', () => {
    const ctx = { github: { Repository: 'acme/app' }, inputs: { n: 3 } };
    expect(evaluate("format('{0}-{1}', github.repository, inputs.n)", ctx)).toBe('acme/app-3');
    expect(evaluate('failure()', ctx, { failed: true, cancelled: false })).toBe(true);
    expect(evaluate('success()', ctx, { failed: true, cancelled: false })).toBe(false);
    expect(evaluate('always()', ctx, { failed: true, cancelled: true })).toBe(true);
    expect(interpolate('x ${{ github.repository }} y', ctx)).toBe('x acme/app y');
    expect(() => evaluate('nope.x', ctx)).toThrow(/Unrecognized named-value: 'nope'/);
  });
  it('spells the shells as the runner does', () => {
    expect(shellArgv('', 'f')).toEqual(['bash', '-e', 'f']);
    expect(shellArgv('bash', 'f')).toEqual(['bash', '--noprofile', '--norc', '-eo', 'pipefail', 'f']);
    expect(shellArgv('perl {0}', 'f')).toEqual(['perl', 'f']);
    expect(() => shellArgv('pwsh', 'f')).toThrow(/shell "pwsh" is not supported/);
  });
});

describe('github context of a local run', () => {
  it('reads owner/name from a GitHub remote, HEAD and the branch', () => {
    expect(repositoryFromRemote('git@github.com:acme/shop.git')).toBe('acme/shop');
    expect(repositoryFromRemote('https://github.com/acme/shop')).toBe('acme/shop');
    expect(repositoryFromRemote('https://gitlab.com/acme/shop.git')).toBe('');
    const repo = join(tmp, 'repo');
    mkdirSync(repo);
    const git = (...a: string[]) =>
      execFileSync('git', ['-C', repo, ...a], { stdio: 'pipe' })
        .toString()
        .trim();
    git('init', '-q', '-b', 'main');
    git('remote', 'add', 'origin', 'git@github.com:acme/shop.git');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'x');
    const gh = localGithub({ workspace: repo, env: {} });
    expect(gh.context.repository).toBe('acme/shop');
    expect(gh.context.sha).toBe(git('rev-parse', 'HEAD'));
    expect(gh.env.GITHUB_REF).toBe('refs/heads/main');
    expect(localGithub({ workspace: repo, env: { GITHUB_REPOSITORY: 'x/y' } }).context.repository).toBe('x/y');
  });
});

describe('single-action runner', () => {
  it('evaluates ${{ github.repository }} / ${{ github.token }} defaults instead of passing them literally', async () => {
    const root = join(tmp, 'root');
    mkdirSync(join(root, 'actions', 'echo'), { recursive: true });
    writeFileSync(
      join(root, 'actions', 'echo', 'action.yml'),
      `name: echo
description: d
inputs:
  repository: { description: r, default: '\${{ github.repository }}' }
  token: { description: t, default: '\${{ github.token }}' }
runs: { using: node24, main: main.mjs }
`,
    );
    writeFileSync(
      join(root, 'actions', 'echo', 'main.mjs'),
      `import { appendFileSync } from 'node:fs';
appendFileSync(process.env.GITHUB_OUTPUT, 'repo=' + process.env['INPUT_REPOSITORY'] + '\\ntoken=' + process.env['INPUT_TOKEN'] + '\\nsha=' + (process.env.GITHUB_SHA ?? '') + '\\n');
`,
    );
    const run = await runBundledAction({
      root,
      action: 'echo',
      node: NODE24,
      cwd: tmp,
      env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_TOKEN: 'tok-123', GITHUB_SHA: 'abc' },
      githubEnv: true,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    expect(run.outputs).toEqual({ repo: 'acme/shop', token: 'tok-123', sha: 'abc' });
  });
});
