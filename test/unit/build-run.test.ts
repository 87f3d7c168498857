/** runBuild failures a user can hit before anything is built: a `docker` that cannot start. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readBuildConfig } from '../../src/core/build-image/config.js';
import { gitCommitTime, runBuild } from '../../src/core/build-image/run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { mapInputs } from '../helpers/inputs.js';

describe('runBuild', () => {
  it('a docker program that does not exist fails naming the input, before any temp dir or build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dk-run-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const cfg = readBuildConfig(mapInputs({ image: 'r.example/acme/web', docker: join(root, 'no-such-docker') }), {
      GITHUB_SHA: 'a'.repeat(40),
    });
    const lines: string[] = [];
    await expect(
      runBuild(cfg, new RunnerTarget(), quietContext({ log: (l) => lines.push(l) }), { tempRoot: root }),
    ).rejects.toThrow(/"docker --version" could not start: .*ENOENT[\s\S]*input `docker`: ".*no-such-docker"/);
    expect(readdirSync(root)).toEqual([]);
    expect(lines.join('\n')).not.toContain('running:');
  });

  it('a context that is not a git work tree falls back to GITHUB_SHA/GITHUB_REF with a warning (real git)', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dk-nogit-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const sha = 'b'.repeat(40);
    const env = { GITHUB_SHA: sha, GITHUB_REF: 'refs/heads/main', GIT_CEILING_DIRECTORIES: tmpdir() };
    const cfg = (extra: Record<string, string>) =>
      readBuildConfig(mapInputs({ image: 'r.example/acme/web', context: root }), { ...env, ...extra });
    const warnings: string[] = [];
    const ctx = quietContext({ warn: (w) => warnings.push(w) });
    const runner = new RunnerTarget({ ...process.env, GIT_CEILING_DIRECTORIES: tmpdir() });
    // Without SOURCE_DATE_EPOCH: created is the build time, and the warning says the commit time is unknown.
    const at = new Date('2026-01-02T03:04:05.678Z');
    expect(await gitCommitTime(runner, cfg({}), ctx, () => at)).toEqual({ sha, iso: '2026-01-02T03:04:05.000Z' });
    expect(warnings[0]).toMatch(
      /not a git work tree: tags and labels use GITHUB_SHA bbbbbbbbbbbb \(refs\/heads\/main\); the commit time is unknown/,
    );
    // With SOURCE_DATE_EPOCH: created comes from it.
    expect(await gitCommitTime(runner, cfg({ SOURCE_DATE_EPOCH: '1700000000' }), ctx)).toEqual({
      sha,
      iso: '2023-11-14T22:13:20.000Z',
    });
    expect(warnings[1]).toMatch(/created comes from SOURCE_DATE_EPOCH/);
    // Without GITHUB_SHA there is nothing to name the build by: an error naming the fix.
    const none = readBuildConfig(mapInputs({ image: 'r.example/acme/web', context: root }), {});
    await expect(gitCommitTime(runner, none, ctx)).rejects.toThrow(/run actions\/checkout first/);
  });
});
