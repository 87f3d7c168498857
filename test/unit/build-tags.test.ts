/** Tag rules, OCI labels and build-image inputs (pure). */
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readBuildConfig } from '../../src/core/build-image/config.js';
import {
  commitTime,
  ociLabels,
  parseSemverTag,
  sanitizeTag,
  tagsFromGit,
  versionFor,
  type GitContext,
} from '../../src/core/build-image/tags.js';
import { mapInputs } from '../helpers/inputs.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const ALL = ['sha', 'branch', 'pr', 'semver', 'latest'] as const;
const git = (ref: string, defaultBranch = 'main'): GitContext => ({ sha: SHA, ref, defaultBranch });

describe('tag rules', () => {
  it('default branch: sha, branch, latest; extra tags after, duplicates dropped', () => {
    expect(tagsFromGit(git('refs/heads/main'), ALL, ['candidate', 'main'])).toEqual([
      'sha-0123456',
      'main',
      'latest',
      'candidate',
    ]);
  });
  it('another branch: sanitized name, no latest', () => {
    expect(tagsFromGit(git('refs/heads/feature/Login_Form#2'), ALL)).toEqual(['sha-0123456', 'feature-Login_Form-2']);
    expect(tagsFromGit(git('refs/heads/trunk', 'trunk'), ['latest'])).toEqual(['latest']);
  });
  it('semver tags: X.Y.Z, X.Y, X; a prerelease only itself; non-semver tags give nothing', () => {
    expect(tagsFromGit(git('refs/tags/v1.2.3'), ALL)).toEqual(['sha-0123456', '1.2.3', '1.2', '1']);
    expect(tagsFromGit(git('refs/tags/2.0.0'), ['semver'])).toEqual(['2.0.0', '2.0', '2']);
    expect(tagsFromGit(git('refs/tags/v1.3.0-rc.1'), ['semver'])).toEqual(['1.3.0-rc.1']);
    expect(tagsFromGit(git('refs/tags/release-7'), ['semver'])).toEqual([]);
    expect(tagsFromGit(git('refs/tags/v1.2'), ['semver'])).toEqual([]);
    expect(parseSemverTag('v01.2.3')).toBeUndefined();
    expect(parseSemverTag('v1.2.3+build.5')).toEqual({ major: '1', minor: '2', patch: '3' });
  });
  it('pull requests: pr-<n>; no sha when the sha is missing', () => {
    expect(tagsFromGit(git('refs/pull/42/merge'), ALL)).toEqual(['sha-0123456', 'pr-42']);
    expect(tagsFromGit({ sha: '', ref: '', defaultBranch: 'main' }, ALL, ['x'])).toEqual(['x']);
  });
  it('sanitizeTag: valid tags only, ≤128 chars, no leading . or -', () => {
    expect(sanitizeTag('-.dependabot/npm/@types/node-24')).toBe('dependabot-npm--types-node-24');
    expect(sanitizeTag('a'.repeat(200))).toHaveLength(128);
    expect(sanitizeTag('---')).toBe('');
  });
});

describe('labels and times', () => {
  it('commit time (any offset) → UTC seconds and epoch', () => {
    expect(commitTime('2026-01-02T04:04:05+01:00\n')).toEqual({ created: '2026-01-02T03:04:05Z', epoch: 1767323045 });
    expect(() => commitTime('yesterday')).toThrow(/not a commit time/);
  });
  it('OCI labels from the repository and commit; user labels win', () => {
    const l = ociLabels(
      {
        repository: 'acme/web',
        serverUrl: 'https://ghe.example/',
        sha: SHA,
        created: '2026-01-02T03:04:05Z',
        version: '1.2.3',
      },
      { 'org.opencontainers.image.title': 'Web', team: 'core' },
    );
    expect(l).toEqual({
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.revision': SHA,
      'org.opencontainers.image.version': '1.2.3',
      'org.opencontainers.image.source': 'https://ghe.example/acme/web',
      'org.opencontainers.image.url': 'https://ghe.example/acme/web',
      'org.opencontainers.image.title': 'Web',
      team: 'core',
    });
  });
  it('version: semver, tag, branch, pr, sha', () => {
    expect(versionFor(git('refs/tags/v1.2.3-rc.1'))).toBe('1.2.3-rc.1');
    expect(versionFor(git('refs/tags/nightly'))).toBe('nightly');
    expect(versionFor(git('refs/heads/feat/x'))).toBe('feat-x');
    expect(versionFor(git('refs/pull/9/merge'))).toBe('pr-9');
    expect(versionFor(git(''))).toBe('sha-0123456');
  });
});

describe('readBuildConfig', () => {
  const env = { GITHUB_SHA: SHA, GITHUB_REF: 'refs/heads/main', GITHUB_REPOSITORY: 'acme/web', RUNNER_TEMP: '/rt' };
  it('defaults', () => {
    const c = readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web' }), env);
    expect(c).toMatchObject({
      context: '.',
      image: { registry: 'ghcr.io', repository: 'acme/web' },
      tagRules: ['sha', 'branch', 'semver', 'latest'],
      defaultBranch: 'main',
      push: true,
      cache: 'local',
      cacheRef: 'ghcr.io/acme/web:buildcache',
      docker: 'docker',
      timeoutMs: 30 * 60_000,
      git: { sha: SHA, ref: 'refs/heads/main', repository: 'acme/web' },
    });
    expect(c.credentials).toBeUndefined();
    expect(c.git.sourceDateEpoch).toBe('');
    const outside = readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web' }), {
      ...env,
      SOURCE_DATE_EPOCH: '1767323045',
    });
    expect(outside.git.sourceDateEpoch).toBe('1767323045');
  });
  it('tag-rules from the input; default branch from the event payload', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-ev-'));
    try {
      writeFileSync(join(dir, 'event.json'), JSON.stringify({ repository: { default_branch: 'trunk' } }));
      expect(readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web', 'tag-rules': 'none' }), env).tagRules).toEqual([]);
      const c = readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web', 'tag-rules': 'sha\nsemver' }), {
        ...env,
        GITHUB_EVENT_PATH: join(dir, 'event.json'),
      });
      expect(c.defaultBranch).toBe('trunk');
      expect(c.tagRules).toEqual(['sha', 'semver']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('labels, build args and secrets: KEY=VALUE lines (values may hold =); secret values masked', () => {
    const masked: string[] = [];
    const c = readBuildConfig(
      mapInputs(
        {
          image: 'ghcr.io/acme/web',
          labels: 'org.example.team=core\nx=a=b',
          'build-args': 'PY=3.11',
          secrets: 'api_token=s3cr3t=value\nnpm.rc=line',
          username: 'u',
          password: 'pw-123',
        },
        masked,
      ),
      env,
    );
    expect(c.labels).toEqual({ 'org.example.team': 'core', x: 'a=b' });
    expect(c.buildArgs).toEqual({ PY: '3.11' });
    expect(c.secrets).toEqual({ api_token: 's3cr3t=value', 'npm.rc': 'line' });
    expect(
      readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web', 'secret-files': 'hosts=hostname' }), {
        ...env,
        GITHUB_WORKSPACE: '/etc',
      }).secretFiles,
    ).toEqual({ hosts: '/etc/hostname' });
    expect(c.credentials).toEqual({ username: 'u', password: 'pw-123' });
    expect(masked).toContain('pw-123');
    expect(masked.join('\n')).toContain('api_token=s3cr3t=value');
  });
  it('bad inputs name the input; a bad secret line never echoes its value', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-cfg-'));
    const commaFile = join(dir, 'a,b');
    writeFileSync(commaFile, 'k');
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const bad: [Record<string, string>, RegExp][] = [
      [{ image: '' }, /input `image`: is required/],
      [{ image: 'ghcr.io/acme/web:1' }, /input `image`: .*without a tag/],
      [{ image: 'ghcr.io/acme/web@sha256:' + 'a'.repeat(64) }, /input `image`/],
      [{ image: 'ghcr.io/Acme/Web' }, /input `image`/],
      [{ tags: 'ok,-bad' }, /input `tags`: "-bad"/],
      [{ 'tag-rules': 'sha,nightly' }, /input `tag-rules`: "nightly"/],
      [{ platforms: 'linux/amd64,linux/amd64' }, /input `platforms`: lists a platform twice/],
      [{ platforms: 'amd64' }, /input `platforms`/],
      [{ cache: 'redis' }, /input `cache`/],
      [{ password: 'p' }, /input `username`: is required/],
      [{ registry: 'docker.io' }, /input `registry`/],
      [{ labels: 'no equals' }, /input `labels`/],
      [{ 'build-args': 'A-B=1' }, /input `build-args`: "A-B"/],
      [{ secrets: 'a=1\na=2' }, /input `secrets`: "a" is given twice/],
      [
        { 'secret-files': 'key=/nonexistent/key' },
        /input `secret-files`: "key": \/nonexistent\/key is not a readable file/,
      ],
      [{ 'secret-files': 'key=/etc' }, /input `secret-files`: "key": \/etc is not a readable file/],
      [{ 'secret-files': `key=${commaFile}` }, /input `secret-files`: "key": .*a,b has a comma or quote/],
      [
        { secrets: 'key=1', 'secret-files': 'key=/etc/hostname' },
        /input `secret-files`: "key" is also given in `secrets`/,
      ],
      [{ network: 'none; rm -rf /' }, /input `network`/],
      [{ docker: 'docker --host x' }, /input `docker`/],
      [{ push: 'maybe' }, /input `push`/],
      [{ timeout: 'soon' }, /input `timeout`/],
    ];
    for (const [inputs, msg] of bad) {
      expect(() => readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web', ...inputs }), env)).toThrow(msg);
    }
    expect(() =>
      readBuildConfig(mapInputs({ image: 'ghcr.io/acme/web', secrets: 'hunter2-secret-value' }), env),
    ).toThrow(/^input `secrets`: a line is not KEY=VALUE$/);
  });
});
