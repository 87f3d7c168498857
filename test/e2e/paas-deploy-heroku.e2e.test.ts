/**
 * paas-deploy end to end: dist/paas-deploy/index.js run as the GitHub runner runs it, `api-url` pointed at a
 * LOCAL PROTOCOL PEER of the Heroku Platform API (test/fixtures/paas/heroku/peer.ts). The real Heroku was
 * NOT reached. The peer validates every request/response against Heroku's published JSON hyper-schema
 * (pinned, see test/fixtures/paas/heroku/SOURCE.md); each case checks the peer's state afterwards.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startHerokuPeer, type HerokuPeer } from '../fixtures/paas/heroku/peer.js';
import { runDist } from '../helpers/run-dist.js';

const TOKEN = 'heroku-e2e-token-9c7d3e1f';
let peer: HerokuPeer;
let app: PaasApp;
let gh: GitHubStandIn;
let dir: string;
let servedApp = 'gamy-staging';

const liveVersion = (name: string): string | undefined => {
  const cur = peer.current(name);
  return cur ? peer.slugs.get(cur.slugId)?.version : undefined;
};

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'heroku',
    app: 'gamy-staging',
    'api-token': TOKEN,
    'api-url': peer.apiUrl,
    source: dir,
    url: app.url('/healthz'),
    period: '20ms',
    deadline: '600ms',
    'health-timeout': '1s',
    'poll-interval': '10ms',
    'poll-max-interval': '20ms',
    timeout: '60s',
    'idle-timeout': '60s',
    ...extra,
  };
}

/** The log as the runner shows it: `::add-mask::` lines are consumed by the runner (they are how masking works). */
const shown = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function expectNoToken(r: { stdout: string; stderr: string; summary: string; outputs: Record<string, string> }): void {
  for (const text of [shown(r.stdout), shown(r.stderr), r.summary, JSON.stringify(r.outputs)])
    expect(text).not.toContain(TOKEN);
}

beforeAll(async () => {
  peer = await startHerokuPeer(TOKEN);
  app = await startPaasApp(() => liveVersion(servedApp));
  gh = await startGitHubStandIn();
});
afterAll(async () => {
  await gh.close();
  await app.close();
  await peer.close();
});
beforeEach(() => {
  servedApp = 'gamy-staging';
  dir = mkdtempSync(join(tmpdir(), 'paas-e2e-src-'));
  writeFileSync(join(dir, 'Procfile'), 'web: gunicorn gamy.wsgi\nrelease: python manage.py migrate --noinput\n');
  writeFileSync(join(dir, 'manage.py'), 'print("manage")\n');
  peer.apps.clear();
  peer.behaviour.build = () => 'succeeded';
  peer.behaviour.releasePhase = () => 'succeeded';
  peer.addApp('gamy-staging');
  peer.seedRelease('gamy-staging', { version: 'old-1', releaseCommand: 'python manage.py migrate --noinput' });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(peer.violations).toEqual([]);
  expect(peer.blobRequestsWithAuth).toBe(0);
});

describe('paas-deploy bundle, heroku (local protocol peer, not the real Heroku)', () => {
  it('deploys: outputs, streamed build + release logs, masked config, a GitHub deployment recorded as success', async () => {
    const defaultOutput = peer.behaviour.buildOutput;
    peer.behaviour.buildOutput = (a) => [...defaultOutput(a), '::warning::injected by the build', '::add-mask::x'];
    const r = await runDist(
      'paas-deploy',
      inputs({
        version: 'new-2',
        config: 'SECRET_KEY=very-secret-config-1',
        'github-environment': 'staging',
        'github-token': gh.token,
        repository: gh.repository,
        ref: 'main',
      }),
      { env: { GITHUB_API_URL: gh.apiUrl } },
    );
    expect(r.stderr + r.stdout).not.toMatch(/::error::/);
    expect(r.exitCode).toBe(0);
    const cur = peer.current('gamy-staging')!;
    expect(r.outputs.status).toBe('ok');
    expect(r.outputs['release-id']).toBe(cur.id);
    expect(r.outputs.slug).toBe(cur.slugId);
    expect(r.outputs.live).toBe(cur.id);
    expect(r.outputs['live-label']).toBe(`v${cur.version}`);
    expect(r.outputs['provider-status']).toBe('release succeeded');
    expect(r.outputs.url).toBe('https://gamy-staging.herokuapp.com/');
    expect(r.outputs['release-output']).toContain('Running release command: python manage.py migrate --noinput');
    expect(liveVersion('gamy-staging')).toBe('new-2');
    peer.behaviour.buildOutput = defaultOutput;
    expect(r.stdout).toContain('build | -----> Python app detected');
    // a workflow command from the provider's log is printed as text, never acted on
    expect(r.stdout).toContain('build | ::warning::injected by the build');
    expect(r.annotations.join('\n')).not.toContain('injected by the build');
    expect(r.stdout).toContain('release | Running release command');
    expect(shown(r.stdout)).not.toContain('very-secret-config-1');
    expect(r.stdout).toContain('::add-mask::very-secret-config-1');
    expect(r.summary).toContain('paas-deploy: ✅ ok');
    expect(r.summary).not.toContain('very-secret-config-1');
    expectNoToken(r);
    const d = gh.deployments.find((x) => String(x.id) === r.outputs['github-deployment-id'])!;
    expect(d.environment).toBe('staging');
    expect(gh.statuses.get(d.id)!.map((s) => s.state)).toEqual(['success', 'in_progress']);
  });

  it('build fails: exit 1, status failed, previous serves, the log tail in release-output', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.build = () => 'failed';
    const r = await runDist('paas-deploy', inputs({ version: 'new-3' }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs['provider-status']).toBe('build failed');
    expect(r.outputs['release-output']).toContain('Push failed');
    expect(r.outputs.live).toBe(seeded.id);
    expect(r.outputs['release-id']).toBe('');
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
    expect(r.annotations.join('\n')).toContain('nothing was released');
    expectNoToken(r);
  });

  it('release phase fails: the failed release is reported, the previous one is still current', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.releasePhase = (_a, slug) => (slug.version === 'new-4' ? 'failed' : 'succeeded');
    const r = await runDist('paas-deploy', inputs({ version: 'new-4' }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs['provider-status']).toBe('release failed');
    expect(r.outputs['release-output']).toContain('release command exited with status 1');
    const failed = peer.apps.get('gamy-staging')!.releases.at(-1)!;
    expect(failed.status).toBe('failed');
    expect(r.outputs['release-id']).toBe(failed.id);
    expect(r.outputs.previous).toBe(seeded.id);
    expect(r.outputs.live).toBe(seeded.id);
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
  });

  it('gate fails: rolled back, live read back is a copy of the previous slug, the app serves the old version', async () => {
    const seeded = peer.current('gamy-staging')!;
    const r = await runDist('paas-deploy', inputs({ version: 'broken-5' }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    const cur = peer.current('gamy-staging')!;
    expect(cur.slugId).toBe(seeded.slugId);
    expect(r.outputs.live).toBe(cur.id);
    expect(r.outputs.previous).toBe(seeded.id);
    expect(liveVersion('gamy-staging')).toBe('old-1');
    expect(r.summary).toContain('rolled back');
  });

  it('manual rollback to the previous successful release', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.seedRelease('gamy-staging', { version: 'newer-6' }, 'Deploy newer-6');
    const r = await runDist('paas-deploy', inputs({ mode: 'rollback', source: '' }));
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(peer.current('gamy-staging')!.slugId).toBe(seeded.slugId);
    expect(peer.current('gamy-staging')!.description).toBe(`Rollback to v${seeded.version}`);
    expect(r.outputs.live).toBe(peer.current('gamy-staging')!.id);
  });

  it('pipeline promotion copies the staging slug to production (no build) and gates production', async () => {
    peer.apps.clear();
    const pipeline = { id: '0d3c2b1a-0000-4000-8000-00000000beef', stage: 'staging' };
    peer.addApp('gamy-staging', { pipeline });
    peer.addApp('gamy-prod', { pipeline: { ...pipeline, stage: 'production' } });
    peer.seedRelease('gamy-prod', { version: 'prod-old' });
    peer.seedRelease('gamy-staging', { version: 'tested-7', releaseCommand: 'python manage.py migrate' });
    servedApp = 'gamy-prod';
    const r = await runDist('paas-deploy', inputs({ mode: 'promote', source: '', 'promote-to': 'gamy-prod' }));
    expect(r.exitCode).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(peer.current('gamy-prod')!.slugId).toBe(peer.current('gamy-staging')!.slugId);
    expect(peer.apps.get('gamy-prod')!.builds).toHaveLength(0);
    expect(r.outputs.live).toBe(peer.current('gamy-prod')!.id);
    expect(liveVersion('gamy-prod')).toBe('tested-7');
  });

  it('promote with a `slug` staging did not release: refused naming the fix, production unchanged', async () => {
    peer.apps.clear();
    const pipeline = { id: '0d3c2b1a-0000-4000-8000-00000000bee2', stage: 'staging' };
    peer.addApp('gamy-staging', { pipeline });
    peer.addApp('gamy-prod', { pipeline: { ...pipeline, stage: 'production' } });
    const prodBefore = peer.seedRelease('gamy-prod', { version: 'prod-old' });
    peer.seedRelease('gamy-staging', { version: 'tested-7' });
    servedApp = 'gamy-prod';
    const r = await runDist(
      'paas-deploy',
      inputs({ mode: 'promote', source: '', 'promote-to': 'gamy-prod', slug: prodBefore.slugId }),
    );
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.stdout + r.stderr).toContain(`slug ${prodBefore.slugId} is not the slug of a succeeded release`);
    expect(r.stdout + r.stderr).toMatch(/re-run the pipeline/);
    expect(r.outputs.live).toBe(prodBefore.id);
    expect(peer.apps.get('gamy-prod')!.releases.map((x) => x.id)).toEqual([prodBefore.id]);
  });

  it('bad token: 401 mapped to a message naming api-token and its scope; the token is not printed', async () => {
    const r = await runDist('paas-deploy', inputs({ 'api-token': 'bad-token-zzz-123' }));
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/401.*Check `api-token`.*write-protected/);
    expect(shown(r.stdout) + shown(r.stderr) + r.summary).not.toContain('bad-token-zzz-123');
    expect(peer.apps.get('gamy-staging')!.releases).toHaveLength(1);
  });

  it('app not found: 404 mapped to a message naming `app`', async () => {
    const r = await runDist('paas-deploy', inputs({ app: 'gamy-nope' }));
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/404.*Check `app`/);
  });

  it('cancellation (SIGINT) mid-build: polling stops, the build is reported pending, the previous release serves', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.build = () => 'hold';
    // The peer holds the build pending for ever, so the signal lands mid-build however slow the start is.
    const r = await runDist('paas-deploy', inputs({ version: 'new-8' }), {
      cancel: { afterMs: 4_000, signal: 'SIGINT' },
    });
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.join('\n')).toMatch(/cancelled while waiting for build [0-9a-f-]{36} of app `gamy-staging`/);
    expect(r.annotations.join('\n')).toContain('in state "pending"');
    expect(r.outputs.live).toBe(seeded.id);
    const builds = peer.apps.get('gamy-staging')!.builds;
    expect(builds.map((b) => b.status)).toEqual(['pending']);
    expect(peer.calls.filter((c) => c.path.includes('/builds/')).length).toBeGreaterThan(0);
    expect(r.stdout).toContain('received SIGINT');
  });

  it('refuses an unknown provider at input validation, before any request', async () => {
    const before = peer.calls.length;
    const r = await runDist('paas-deploy', inputs({ provider: 'fly', source: '' }));
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toContain(
      'input `provider`: "fly" is not one of heroku, digitalocean, render, railway, azure',
    );
    expect(peer.calls.length).toBe(before);
    expect(r.outputs.status).toBeUndefined();
  });
});
