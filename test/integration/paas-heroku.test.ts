/**
 * paas-deploy against Heroku's protocol — through a LOCAL PROTOCOL PEER (test/fixtures/paas/heroku/peer.ts),
 * NOT the real Heroku: no Heroku service was reached. The peer implements the Platform API endpoints the
 * action uses with Heroku's documented state machine and validates every request and response body against
 * Heroku's published JSON hyper-schema (pinned copy, see test/fixtures/paas/heroku/SOURCE.md). Each case
 * checks the peer's state afterwards (which release is current, which calls were made).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { runPaasDeploy } from '../../src/core/paas-deploy/run.js';
import { mapInputs } from '../helpers/inputs.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startHerokuPeer, type HerokuPeer } from '../fixtures/paas/heroku/peer.js';
import { startGitHubStandIn } from '../fixtures/github-deployments.js';
import { herokuClient } from '../../src/core/paas-deploy/providers/heroku.js';

let peer: HerokuPeer;
let app: PaasApp;
let dir: string;
let logs: string[];
let warns: string[];

const TOKEN = 'heroku-peer-token-5f1c2a';

function liveVersion(name: string): string | undefined {
  const cur = peer.current(name);
  return cur ? peer.slugs.get(cur.slugId)?.version : undefined;
}

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    provider: 'heroku',
    app: 'gamy-staging',
    'api-token': TOKEN,
    'api-url': peer.apiUrl,
    source: dir,
    url: app.url('/healthz'),
    period: '20ms',
    deadline: '2s',
    'failure-threshold': '2',
    'health-timeout': '1s',
    'poll-interval': '10ms',
    'poll-max-interval': '20ms',
    timeout: '30s',
    'idle-timeout': '20s',
    ...extra,
  };
}

async function run(extra: Record<string, string>, signal?: AbortSignal, env: Record<string, string> = {}) {
  const secrets: string[] = [];
  const cfg = readPaasConfig(mapInputs(inputs(extra), secrets), { GITHUB_WORKSPACE: dir, ...env });
  const ctx = {
    log: (l: string) => logs.push(l),
    warn: (m: string) => warns.push(m),
    signal: signal ?? new AbortController().signal,
  };
  const result = await runPaasDeploy(cfg, { ctx, drainMs: 2_000 });
  return { cfg, result, secrets };
}

beforeAll(async () => {
  peer = await startHerokuPeer(TOKEN);
  app = await startPaasApp(() => liveVersion(currentApp));
});
afterAll(async () => {
  await app.close();
  await peer.close();
});

let currentApp = 'gamy-staging';

beforeEach(() => {
  logs = [];
  warns = [];
  currentApp = 'gamy-staging';
  dir = mkdtempSync(join(tmpdir(), 'paas-src-'));
  writeFileSync(join(dir, 'Procfile'), 'web: gunicorn gamy.wsgi\n');
  writeFileSync(join(dir, 'manage.py'), 'print("hi")\n');
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'HEAD'), 'ref: refs/heads/main\n');
  peer.apps.clear();
  peer.calls.length = 0;
  peer.behaviour.build = () => 'succeeded';
  peer.behaviour.releasePhase = () => 'succeeded';
  peer.behaviour.blobPutStatus = 200;
  peer.onBuildCreated = undefined;
  peer.onBuildRead = undefined;
  peer.addApp('gamy-staging');
  peer.seedRelease('gamy-staging', { version: 'old-1', releaseCommand: 'python manage.py migrate' });
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
  expect(peer.violations).toEqual([]);
  expect(peer.blobRequestsWithAuth).toBe(0);
  for (const l of [...logs, ...warns]) expect(l).not.toContain(TOKEN);
});

describe('paas-deploy heroku (local protocol peer, not the real Heroku)', () => {
  it('deploys: config vars, source tarball build with streamed output, release phase, gate; the new release is current', async () => {
    const seeded = peer.current('gamy-staging')!;
    const { result, secrets } = await run({
      version: 'new-2',
      'release-command': 'python manage.py migrate --noinput',
      config: 'DJANGO_SETTINGS_MODULE=gamy.settings\nSECRET_KEY=s3cr3t-value-xyz',
    });
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('ok');
    const a = peer.apps.get('gamy-staging')!;
    const cur = peer.current('gamy-staging')!;
    expect(cur.id).toBe(result.live!.id);
    expect(cur.id).toBe(result.release!.id);
    expect(result.previous!.id).toBe(seeded.id);
    expect(peer.slugs.get(cur.slugId)).toMatchObject({
      version: 'new-2',
      releaseCommand: 'python manage.py migrate --noinput',
    });
    // the config change made its own release (old code, new config), then the build's release
    expect(a.releases.map((r) => r.description)).toEqual([
      'Deploy seed',
      'Set DJANGO_SETTINGS_MODULE, SECRET_KEY config vars',
      'Deploy new-2',
    ]);
    expect(a.config.SECRET_KEY).toBe('s3cr3t-value-xyz');
    expect(secrets).toContain('s3cr3t-value-xyz');
    expect(logs.join('\n')).not.toContain('s3cr3t-value-xyz');
    // .git is not uploaded; the build read the Procfile from the real tarball
    expect(a.builds[0]!.checksum).toMatch(/^SHA256:[0-9a-f]{64}$/);
    expect(logs).toContain('build | -----> Python app detected');
    expect(logs).toContain('release | Running release command: python manage.py migrate --noinput');
    expect(result.releaseOutput).toContain('Running release command: python manage.py migrate --noinput');
    expect(result.providerStatus).toBe('release succeeded');
    expect(result.gate?.healthy).toBe(true);
    expect(app.served.at(-1)).toBe('new-2');
    expect(peer.calls.map((c) => `${c.method} ${c.path.replace(/[0-9a-f-]{36}/g, ':id')}`)).toEqual(
      expect.arrayContaining([
        'POST /sources',
        'POST /apps/gamy-staging/builds',
        'PATCH /apps/gamy-staging/config-vars',
      ]),
    );
  });

  it('build fails: nothing is released, the previous release serves, the build log tail is reported', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.build = () => 'failed';
    const { result } = await run({ version: 'new-3' });
    expect(result.status).toBe('failed');
    expect(result.providerStatus).toBe('build failed');
    expect(result.releaseOutput.at(-1)).toContain('Push failed');
    expect(result.failure).toMatch(/build .* failed; nothing was released/);
    expect(result.failure).toContain(`live now on heroku \`gamy-staging\`: v${seeded.version}`);
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
    expect(peer.apps.get('gamy-staging')!.releases).toHaveLength(1);
    expect(result.live!.id).toBe(seeded.id);
  });

  it('release phase fails: the release is failed and not current, the previous one still serves', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.releasePhase = (_a, slug) => (slug.version === 'new-4' ? 'failed' : 'succeeded');
    const { result } = await run({ version: 'new-4', 'release-command': 'python manage.py migrate' });
    expect(result.status).toBe('failed');
    expect(result.providerStatus).toBe('release failed');
    expect(result.releaseOutput.at(-1)).toBe('release command exited with status 1');
    const rels = peer.apps.get('gamy-staging')!.releases;
    expect(rels.at(-1)!.status).toBe('failed');
    expect(result.release!.id).toBe(rels.at(-1)!.id);
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
    expect(result.live!.id).toBe(seeded.id);
    expect(result.gate).toBeUndefined();
    expect(app.served).not.toContain('new-4');
  });

  it('the storage refuses the source upload (expired signed URL): no build is made, the old release still serves, the message says so', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.blobPutStatus = 403;
    const { result } = await run({ version: 'new-2' });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain(
      "uploading the source tarball to Heroku's storage failed with 403 (the signed upload URL from POST /sources was refused or expired); nothing was built and `gamy-staging` is unchanged. Run the job again",
    );
    expect(peer.calls.filter((c) => c.path.endsWith('/builds'))).toEqual([]);
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
    expect(liveVersion('gamy-staging')).toBe('old-1');
    expect(await (await fetch(app.url('/healthz'))).text()).toContain('old-1');
  });

  it('gate fails: rolled back to the release that served before (read back), the app serves it again', async () => {
    const seeded = peer.current('gamy-staging')!;
    const { result } = await run({ version: 'broken-5', deadline: '600ms' });
    expect(result.status).toBe('rolled-back');
    expect(result.gate?.healthy).toBe(false);
    const a = peer.apps.get('gamy-staging')!;
    const cur = peer.current('gamy-staging')!;
    expect(cur.slugId).toBe(seeded.slugId);
    expect(cur.description).toBe(`Rollback to v${seeded.version}`);
    expect(result.live!.id).toBe(cur.id);
    expect(a.releases.map((r) => r.status)).toEqual(['succeeded', 'succeeded', 'succeeded']);
    expect(result.failure).toContain('rolled back');
    // what the app serves now is the old version again
    const res = await fetch(app.url('/healthz'));
    expect(await res.text()).toBe('version=old-1\n');
  });

  it('gate fails with rollback-on-failure false: the new release stays current and the run fails', async () => {
    const { result } = await run({ version: 'broken-6', 'rollback-on-failure': 'false', deadline: '600ms' });
    expect(result.status).toBe('failed');
    expect(liveVersion('gamy-staging')).toBe('broken-6');
    expect(result.failure).toContain('rollback-on-failure is false');
    expect(peer.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/releases'))).toHaveLength(0);
  });

  it('manual rollback: default target is the newest succeeded release before the live one; rollback-to v1 works too', async () => {
    const seeded = peer.current('gamy-staging')!;
    expect((await run({ version: 'new-7' })).result.status).toBe('ok');
    expect(liveVersion('gamy-staging')).toBe('new-7');
    const { result } = await run({ mode: 'rollback', source: '' });
    expect(result.status).toBe('ok');
    expect(peer.current('gamy-staging')!.slugId).toBe(seeded.slugId);
    expect(result.live!.id).toBe(peer.current('gamy-staging')!.id);
    expect(result.gate?.healthy).toBe(true);
    const again = await run({
      mode: 'rollback',
      source: '',
      'rollback-to': `v${seeded.version}`,
      'health-gate': 'false',
    });
    expect(again.result.status).toBe('ok');
    expect(peer.current('gamy-staging')!.description).toBe(`Rollback to v${seeded.version}`);
  });

  it('promotes through the pipeline: production gets the staging slug (no build), release phase runs there', async () => {
    peer.apps.clear();
    const pipeline = { id: '6f1e0c36-2f4b-4f35-8b1b-0d4a1f1b3c01', stage: 'staging' };
    peer.addApp('gamy-staging', { pipeline });
    peer.addApp('gamy-prod', { pipeline: { ...pipeline, stage: 'production' } });
    peer.seedRelease('gamy-prod', { version: 'prod-old', releaseCommand: 'python manage.py migrate' });
    peer.seedRelease('gamy-staging', { version: 'tested-8', releaseCommand: 'python manage.py migrate' });
    currentApp = 'gamy-prod';
    const stagingSlug = peer.current('gamy-staging')!.slugId;
    const { result } = await run({ mode: 'promote', source: '', 'promote-to': 'gamy-prod' });
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('ok');
    expect(result.app).toBe('gamy-prod');
    expect(peer.current('gamy-prod')!.slugId).toBe(stagingSlug);
    expect(peer.current('gamy-prod')!.description).toMatch(/^Promote gamy-staging/);
    expect(peer.apps.get('gamy-prod')!.builds).toHaveLength(0);
    expect(peer.calls.some((c) => c.path === '/sources')).toBe(false);
    expect(peer.calls.some((c) => c.method === 'POST' && c.path === '/pipeline-promotions')).toBe(true);
    expect(app.served.at(-1)).toBe('tested-8');
  });

  /** Staging and production in one pipeline; production serves `prod-old`, staging `tested-8` then `newer-9`. */
  function stagingMovedOn(): { tested: string; newer: string; prodBefore: string } {
    peer.apps.clear();
    const pipeline = { id: '6f1e0c36-2f4b-4f35-8b1b-0d4a1f1b3c02', stage: 'staging' };
    peer.addApp('gamy-staging', { pipeline });
    peer.addApp('gamy-prod', { pipeline: { ...pipeline, stage: 'production' } });
    const prodBefore = peer.seedRelease('gamy-prod', {
      version: 'prod-old',
      releaseCommand: 'python manage.py migrate',
    });
    const tested = peer.seedRelease('gamy-staging', {
      version: 'tested-8',
      releaseCommand: 'python manage.py migrate',
    });
    // A newer commit reached staging after the tested release (while production waited for approval).
    const newer = peer.seedRelease('gamy-staging', { version: 'newer-9', releaseCommand: 'python manage.py migrate' });
    currentApp = 'gamy-prod';
    return { tested: tested.slugId, newer: newer.slugId, prodBefore: prodBefore.id };
  }

  it('promotes the given slug although staging moved on: production runs the tested slug (released from it, no pipeline promotion) with its own config, release phase and gate there', async () => {
    const { tested, newer } = stagingMovedOn();
    const stagingNow = peer.current('gamy-staging')!.id;
    const { result } = await run({
      mode: 'promote',
      source: '',
      'promote-to': 'gamy-prod',
      slug: tested,
      config: 'FEATURE_X=on',
    });
    expect(result.failure).toBeUndefined();
    expect(result.status).toBe('ok');
    const cur = peer.current('gamy-prod')!;
    expect(cur.slugId).toBe(tested);
    expect(cur.slugId).not.toBe(newer);
    expect(cur.description).toMatch(/^Promote gamy-staging v\d+$/);
    expect(result.release).toMatchObject({ id: cur.id, slug: tested });
    expect(result.live!.id).toBe(cur.id);
    // The release phase ran on production for the copied slug.
    expect(result.releaseOutput.join('\n')).toContain('Running release command: python manage.py migrate');
    expect(liveVersion('gamy-prod')).toBe('tested-8');
    expect(app.served.at(-1)).toBe('tested-8');
    // Staging is untouched and still serves the newer slug; nothing was built or promoted by pipeline.
    expect(peer.current('gamy-staging')!.id).toBe(stagingNow);
    expect(liveVersion('gamy-staging')).toBe('newer-9');
    expect(peer.apps.get('gamy-prod')!.builds).toHaveLength(0);
    expect(peer.calls.some((c) => c.path === '/pipeline-promotions')).toBe(false);
    // `config` went to production before the slug (its own config release), and the slug runs with it.
    expect(peer.calls.filter((c) => c.method !== 'GET').map((c) => `${c.method} ${c.path}`)).toEqual([
      'PATCH /apps/gamy-prod/config-vars',
      'POST /apps/gamy-prod/releases',
    ]);
    expect(cur.config).toEqual({ FEATURE_X: 'on' });
    expect(peer.apps.get('gamy-staging')!.config).toEqual({});
    expect(logs.join('\n')).toMatch(/`gamy-staging` has moved on to v\d+ \(slug [0-9a-f-]+\) since/);
  });

  it('refuses a slug staging never released successfully: production keeps serving its release and its config, nothing is released', async () => {
    const { prodBefore } = stagingMovedOn();
    const failedSlug = peer.seedRelease('gamy-staging', { version: 'failed-10' });
    failedSlug.status = 'failed';
    for (const slug of [peer.current('gamy-prod')!.slugId, failedSlug.slugId]) {
      peer.calls.length = 0;
      const { result } = await run({
        mode: 'promote',
        source: '',
        'promote-to': 'gamy-prod',
        slug,
        config: 'FEATURE_X=on',
      });
      expect(result.status).toBe('failed');
      expect(result.failure).toContain(`slug ${slug} is not the slug of a succeeded release of \`gamy-staging\``);
      expect(result.failure).toMatch(/`gamy-prod` was not changed\. Pass the `slug` output .* or re-run the pipeline/);
      expect(result.live!.id).toBe(prodBefore);
      expect(peer.current('gamy-prod')!.id).toBe(prodBefore);
      expect(peer.apps.get('gamy-prod')!.releases).toHaveLength(1);
      // Refused before anything changed: not even `config` reached production.
      expect(peer.apps.get('gamy-prod')!.config).toEqual({});
      expect(peer.calls.some((c) => c.method !== 'GET')).toBe(false);
    }
  });

  it('bad token: the message names api-token and its scope; nothing changes', async () => {
    const seeded = peer.current('gamy-staging')!;
    const { result } = await run({ 'api-token': 'wrong-token-value' });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('401');
    expect(result.failure).toContain('`api-token`');
    expect(result.failure).toContain('write-protected');
    expect(result.failure).not.toContain('wrong-token-value');
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
  });

  it('app not found: the message names the app input', async () => {
    const { result } = await run({ app: 'no-such-app' });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('404');
    expect(result.failure).toContain('Check `app`');
    expect(result.failure).toContain("Couldn't find that app.");
  });

  it('cancellation mid-build stops polling and says the build was left pending and what serves', async () => {
    const seeded = peer.current('gamy-staging')!;
    peer.behaviour.build = () => 'hold';
    const controller = new AbortController();
    peer.onBuildRead = () => controller.abort(new Error('cancelled by SIGINT'));
    const { result } = await run({ version: 'new-9' }, controller.signal);
    expect(result.status).toBe('failed');
    expect(result.failure).toMatch(/cancelled while waiting for build [0-9a-f-]{36} of app `gamy-staging`/);
    expect(result.failure).toContain('in state "pending"');
    expect(result.failure).toContain(`live now on heroku \`gamy-staging\`: v${seeded.version}`);
    const builds = peer.apps.get('gamy-staging')!.builds;
    expect(builds).toHaveLength(1);
    expect(builds[0]!.status).toBe('pending');
    const readsAfter = peer.calls.filter((c) => c.path.includes('/builds/')).length;
    expect(readsAfter).toBe(1);
    expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
  });

  it('cancellation while the build request is in flight says which step was cut short', async () => {
    peer.behaviour.build = () => 'hold';
    const controller = new AbortController();
    peer.onBuildCreated = () => controller.abort(new Error('cancelled by SIGTERM'));
    const { result } = await run({ version: 'new-9b' }, controller.signal);
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('cancelled by SIGTERM during deploy (build and release phase)');
    expect(peer.apps.get('gamy-staging')!.builds[0]!.status).toBe('pending');
    expect(peer.current('gamy-staging')!.description).toBe('Deploy seed');
  });

  it('cancellation during the gate starts no rollback and reports the new release as what serves', async () => {
    const c = new AbortController();
    const cfg = readPaasConfig(mapInputs(inputs({ version: 'broken-12' })), { GITHUB_WORKSPACE: dir });
    const ctx = { log: (l: string) => logs.push(l), warn: (m: string) => warns.push(m), signal: c.signal };
    const result = await runPaasDeploy(cfg, {
      ctx,
      drainMs: 2_000,
      gateEvents: { onAttempt: () => c.abort(new Error('cancelled by SIGTERM')) },
    });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('cancelled by SIGTERM during health gate');
    expect(peer.calls.some((x) => x.method === 'POST' && x.path.endsWith('/releases'))).toBe(false);
    expect(liveVersion('gamy-staging')).toBe('broken-12');
    expect(result.failure).toContain(`live now on heroku \`gamy-staging\`: v${peer.current('gamy-staging')!.version}`);
  });

  it('overall timeout: a build that never ends is given up at the deadline, the state is reported', async () => {
    peer.behaviour.build = () => 'hold';
    const { result } = await run({ version: 'new-10', timeout: '300ms' });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('`timeout` deadline');
    expect(result.failure).toContain('in state "pending"');
  });

  it('422 from Heroku names the field it rejected (the peer answers as Heroku does for a body its schema refuses)', async () => {
    const api = herokuClient({
      baseUrl: peer.apiUrl,
      token: TOKEN,
      requestTimeoutMs: 5_000,
      signal: new AbortController().signal,
      app: 'gamy-staging',
    });
    const err = await api.request('POST', '/apps/gamy-staging/builds', {}).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/returned 422: Heroku rejected the field `source_blob`: Invalid params/);
    expect(peer.violations.splice(0)).toHaveLength(1); // the peer recorded the bad body it refused
  });

  it('an `api-url` that is not Heroku (answers 200 with something else): says so; the real app is untouched', async () => {
    const seeded = peer.current('gamy-staging')!;
    const other = http.createServer((_req, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
    await new Promise<void>((r) => other.listen(0, '127.0.0.1', r));
    const otherUrl = `http://127.0.0.1:${(other.address() as AddressInfo).port}`;
    try {
      const { result } = await run({ version: 'new-12', 'api-url': otherUrl });
      expect(result.status).toBe('failed');
      expect(result.failure).toContain(
        `Heroku GET releases of \`gamy-staging\` did not return a list: is \`api-url\` (${otherUrl}) Heroku's API?`,
      );
      expect(peer.calls).toEqual([]);
      expect(peer.current('gamy-staging')!.id).toBe(seeded.id);
    } finally {
      await new Promise((r) => other.close(r));
    }
  });

  it('records the run as a GitHub deployment: in_progress then failure when the release phase fails', async () => {
    const gh = await startGitHubStandIn();
    try {
      peer.behaviour.releasePhase = (_a, slug) => (slug.version === 'new-11' ? 'failed' : 'succeeded');
      const { result } = await run(
        {
          version: 'new-11',
          'release-command': 'python manage.py migrate',
          'github-environment': 'staging',
          'github-token': gh.token,
          repository: gh.repository,
          ref: 'main',
        },
        undefined,
        { GITHUB_API_URL: gh.apiUrl },
      );
      expect(result.status).toBe('failed');
      const d = gh.deployments.find((x) => x.id === result.githubDeploymentId)!;
      expect(d.environment).toBe('staging');
      expect(d.payload).toMatchObject({ provider: 'heroku', app: 'gamy-staging', mode: 'deploy' });
      expect(gh.statuses.get(d.id)!.map((x) => x.state)).toEqual(['failure', 'in_progress']);
      expect(gh.statuses.get(d.id)![0]!.description).toContain('failed: live v');
    } finally {
      await gh.close();
    }
  });

  it('refuses a release-command that contradicts the Procfile (before anything is uploaded)', async () => {
    writeFileSync(join(dir, 'Procfile'), 'web: gunicorn x\nrelease: ./other.sh\n');
    const { result } = await run({ 'release-command': 'python manage.py migrate' });
    expect(result.status).toBe('failed');
    expect(result.failure).toContain('differs from the Procfile');
    expect(peer.calls.some((c) => c.path === '/sources')).toBe(false);
  });
});
