/** dist/promote/index.js run exactly as the GitHub runner runs it, against real registries on loopback. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/lib/oci/client.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { pushIndex, type PushedImage } from '../fixtures/oci-content.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { runDist } from '../helpers/run-dist.js';

describe('promote bundle (e2e)', () => {
  let a: Registry;
  let secured: Registry;
  let img: PushedImage;
  // A stand-in "registry" that only counts requests: bad inputs must never reach it.
  let hits = 0;
  let spy: http.Server;
  let spyHost: string;

  beforeAll(async () => {
    [a, secured] = await Promise.all([startRegistry(), startRegistry({ users: { deployer: 'e2e-registry-pass' } })]);
    img = await pushIndex(new RegistryClient({ registry: a.host, insecureHttp: true }), 'app/build', 'sha-abc');
    spy = http.createServer((_req, res) => {
      hits++;
      res.writeHead(404).end();
    });
    await new Promise<void>((r) => spy.listen(0, '127.0.0.1', r));
    spyHost = `127.0.0.1:${(spy.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), secured?.stop(), new Promise((r) => spy?.close(r))]);
  });

  it('tag source → same-registry mount and htpasswd registry copy: outputs, summary, digest everywhere', async () => {
    const run = await runDist('promote', {
      source: `${a.host}/app/build:sha-abc`,
      target: `${a.host}/app/prod:v1\n${secured.host}/team/app:prod`,
      'target-username': 'deployer',
      'target-password': 'e2e-registry-pass',
      'no-clobber': 'true',
      'insecure-http': 'true',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.digest).toBe(img.digest);
    expect(run.outputs.source).toBe(`${a.host}/app/build@${img.digest}`);
    expect(JSON.parse(run.outputs.promoted!)).toEqual([`${a.host}/app/prod:v1`, `${secured.host}/team/app:prod`]);
    expect(run.outputs['deployment-id']).toBe('');
    expect(run.stdout).toContain(`resolves to ${img.digest}`);
    expect(run.stdout).toContain(`blob bytes uploaded: ${[...img.blobs.values()].reduce((x, y) => x + y, 0)}`);
    expect(run.summary).toContain(`promote: ✅ ${img.digest}`);
    expect(run.summary).toContain('resolved from tag `sha-abc`');
    expect(run.summary).toContain(`| ${a.host}/app/prod:v1 | promoted | — | 3 | ${img.blobs.size} / 0 / 0 |`);
    expect(run.summary).toContain(`| ${secured.host}/team/app:prod | promoted | — | 3 | 0 / ${img.blobs.size} / 0 |`);
    const shown = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).not.toContain('e2e-registry-pass');
    const check = new RegistryClient({
      registry: secured.host,
      insecureHttp: true,
      credentials: { username: 'deployer', password: 'e2e-registry-pass' },
    });
    expect(await check.resolveTag('team/app', 'prod')).toBe(img.digest);

    // Again, by digest: nothing to move, both targets unchanged.
    const again = await runDist('promote', {
      source: `${a.host}/app/build@${img.digest}`,
      target: `${a.host}/app/prod:v1`,
      'no-clobber': 'true',
      'insecure-http': 'true',
    });
    expect(again.exitCode).toBe(0);
    expect(again.stdout).toContain('blob bytes uploaded: 0');
    expect(again.summary).toContain(
      `| ${a.host}/app/prod:v1 | unchanged | ${img.digest} | 3 | 0 / 0 / ${img.blobs.size} |`,
    );
  });

  it.each([
    [{ source: 'Bad Name@sha256:123', target: 'x:1' }, /input `source`/],
    [{ source: '', target: 'x:1' }, /input `source`: is required/],
    [{ source: 'SPY/app@sha256:' + 'a'.repeat(64), target: 'SPY/app' }, /input `target`: .* needs a tag/],
    [{ source: 'SPY/app:1', target: 'SPY/app@sha256:' + 'a'.repeat(64) }, /input `target`: .*not a digest reference/],
    [{ source: 'SPY/app:1', target: 'SPY/app:2', 'target-password': 'p4ss' }, /input `target-username`/],
    [{ source: 'SPY/app:1', target: 'SPY/app:2', 'no-clobber': 'maybe' }, /input `no-clobber`/],
  ])('bad inputs fail naming the input; nothing is sent (%o)', async (inputs, error) => {
    const before = hits;
    const fixed = Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v.replace(/SPY/g, spyHost)])) as Record<
      string,
      string
    >;
    const run = await runDist('promote', { 'insecure-http': 'true', ...fixed });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toMatch(error);
    expect(hits).toBe(before);
  });

  it('no-clobber: a target tag on another digest fails the step and stays as it was', async () => {
    const other = await pushIndex(new RegistryClient({ registry: a.host, insecureHttp: true }), 'app/build', 'sha-def');
    const run = await runDist('promote', {
      source: `${a.host}/app/build@${other.digest}`,
      target: `${a.host}/app/prod:v1`,
      'no-clobber': 'true',
      'insecure-http': 'true',
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain(`no-clobber: ${a.host}/app/prod:v1 already points to ${img.digest}`);
    const c = new RegistryClient({ registry: a.host, insecureHttp: true });
    expect(await c.resolveTag('app/prod', 'v1')).toBe(img.digest);

    // Without no-clobber the tag moves, and the outputs say where to go back to.
    const moved = await runDist('promote', {
      source: `${a.host}/app/build@${other.digest}`,
      target: `${a.host}/app/prod:v1\n${a.host}/app/prod:fresh`,
      'insecure-http': 'true',
    });
    expect(moved.exitCode, moved.stdout + moved.stderr).toBe(0);
    expect(await c.resolveTag('app/prod', 'v1')).toBe(other.digest);
    expect(JSON.parse(moved.outputs.previous!)).toEqual({
      [`${a.host}/app/prod:v1`]: img.digest,
      [`${a.host}/app/prod:fresh`]: null,
    });
    expect(moved.outputs['rollback-ref']).toBe(`${a.host}/app/prod@${img.digest}`);
  });

  describe('GitHub deployments (local stand-in for the Deployments API)', () => {
    let gh: GitHubStandIn;
    beforeAll(async () => {
      gh = await startGitHubStandIn('acme/app');
    });
    afterAll(() => gh?.close());
    const ghInputs = (): Record<string, string> => ({
      'github-token': gh.token,
      repository: gh.repository,
      'insecure-http': 'true',
    });
    const ghEnv = (): Record<string, string> => ({
      GITHUB_API_URL: gh.apiUrl,
      GITHUB_SHA: 'c0ffee'.padEnd(40, '0'),
      GITHUB_SERVER_URL: 'https://github.example',
      GITHUB_RUN_ID: '77',
    });
    const tagOf = (repo: string, tag: string): Promise<string | undefined> =>
      new RegistryClient({ registry: a.host, insecureHttp: true }).resolveTag(repo, tag);

    it('require-deployment refuses without a successful staging deployment of the digest, then allows; environment records one', async () => {
      const source = `${a.host}/app/build@${img.digest}`;
      const target = `${a.host}/app/release:prod`;
      // No deployment at all.
      let run = await runDist(
        'promote',
        { ...ghInputs(), source, target, 'require-deployment': 'staging' },
        { env: ghEnv() },
      );
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain(
        `no successful deployment of ${img.digest} in environment "staging"`,
      );
      expect(await tagOf('app/release', 'prod')).toBeUndefined();

      // Deployed to staging, but the latest status is failure; another digest succeeded.
      const failed = gh.seed('staging', { digest: img.digest }, ['in_progress', 'failure']);
      gh.seed('staging', { digest: `sha256:${'1'.repeat(64)}` }, ['in_progress', 'success']);
      gh.seed('production', { digest: img.digest }, ['success']);
      run = await runDist(
        'promote',
        { ...ghInputs(), source, target, 'require-deployment': 'staging' },
        { env: ghEnv() },
      );
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain(`found #${failed.id} (failure)`);
      expect(await tagOf('app/release', 'prod')).toBeUndefined();

      // A successful staging deployment (payload stored as a JSON string, as some tools send it).
      const ok = gh.seed('staging', JSON.stringify({ digest: img.digest }), ['in_progress', 'success']);
      const before = gh.deployments.length;
      run = await runDist(
        'promote',
        { ...ghInputs(), source, target, 'require-deployment': 'staging', environment: 'production' },
        { env: ghEnv() },
      );
      expect(run.exitCode, run.stdout).toBe(0);
      expect(await tagOf('app/release', 'prod')).toBe(img.digest);
      expect(gh.deployments.length).toBe(before + 1);
      const rec = gh.deployments[0]!;
      expect(run.outputs['deployment-id']).toBe(String(rec.id));
      expect(rec.environment).toBe('production');
      expect(rec.ref).toBe('c0ffee'.padEnd(40, '0'));
      expect(rec.payload).toEqual({ digest: img.digest, source, targets: [target] });
      expect(gh.statuses.get(rec.id)!.map((s) => s.state)).toEqual(['success', 'in_progress']);
      expect(gh.statuses.get(rec.id)![0]!.log_url).toBe('https://github.example/acme/app/actions/runs/77');
      expect(run.summary).toContain(`Required: deployment #${ok.id} of this digest in \`staging\` succeeded.`);
      expect(run.summary).toContain(`Recorded as deployment #${rec.id} in \`production\`.`);
      expect(run.stdout).toContain(`::add-mask::${gh.token}`);
      expect(run.stdout.replaceAll(`::add-mask::${gh.token}`, '')).not.toContain(gh.token);
    });

    it('environment without a usable token fails naming the input before any registry write', async () => {
      const run = await runDist(
        'promote',
        {
          source: `${a.host}/app/build@${img.digest}`,
          target: `${a.host}/app/release:never`,
          environment: 'production',
          'github-token': '',
          repository: gh.repository,
          'insecure-http': 'true',
        },
        { env: ghEnv() },
      );
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toMatch(/input `github-token`: is required with `environment`/);
      expect(await tagOf('app/release', 'never')).toBeUndefined();
    });
  });
});
