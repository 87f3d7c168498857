/**
 * paas-deploy against DigitalOcean App Platform's protocol — through a LOCAL PROTOCOL PEER
 * (test/fixtures/paas/digitalocean/peer.ts), NOT the real DigitalOcean: no DigitalOcean service was reached.
 * The peer implements the App Platform endpoints the action uses with the documented deployment phases and
 * validates every request and response body against DigitalOcean's published OpenAPI (pinned subset, see
 * test/fixtures/paas/digitalocean/SOURCE.md). Each case checks the peer's state afterwards.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { runPaasDeploy } from '../../src/core/paas-deploy/run.js';
import { mapInputs } from '../helpers/inputs.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startDoPeer, type DoPeer, type DoSpec, type PeerApp } from '../fixtures/paas/digitalocean/peer.js';

const TOKEN = 'dop_v1_peer0a1b2c3d4e5f';
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const BROKEN = `sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3' };
const IMAGE = 'ghcr.io/acme/gamy';

const spec = (digest: string, preDeploy?: string): DoSpec => ({
  name: 'gamy',
  region: 'fra',
  services: [
    {
      name: 'web',
      image: { registry_type: 'GHCR', registry: 'acme', repository: 'gamy', digest },
      http_port: 8000,
      instance_count: 1,
      instance_size_slug: 'apps-s-1vcpu-0.5gb',
    },
  ],
  ...(preDeploy
    ? {
        jobs: [
          {
            name: 'migrate',
            kind: 'PRE_DEPLOY',
            run_command: preDeploy,
            image: { registry_type: 'GHCR', registry: 'acme', repository: 'gamy', digest },
          },
        ],
      }
    : {}),
});

let peer: DoPeer;
let app: PaasApp;
let doApp: PeerApp;
let served: () => PeerApp;
let logs: string[];

const liveDigest = (a: PeerApp): string | undefined => peer.active(a.id)?.spec.services?.[0]?.image?.digest;

beforeAll(async () => {
  peer = await startDoPeer(TOKEN);
  app = await startPaasApp(() => VERSION[liveDigest(served()) ?? '']);
});
afterAll(async () => {
  await app.close();
  await peer.close();
});
beforeEach(() => {
  logs = [];
  peer.apps.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'active';
  peer.onDeploymentRead = undefined;
  doApp = peer.addApp(spec(OLD, 'python manage.py migrate'));
  peer.seedActive(doApp.id, spec(OLD, 'python manage.py migrate'));
  served = () => doApp;
});
afterEach(() => {
  expect(peer.violations).toEqual([]);
  for (const l of logs) expect(l).not.toContain(TOKEN);
});

async function run(extra: Record<string, string>, signal?: AbortSignal) {
  const cfg = readPaasConfig(
    mapInputs({
      provider: 'digitalocean',
      app: doApp.id,
      'api-token': TOKEN,
      'api-url': peer.apiUrl,
      image: `${IMAGE}@${NEW}`,
      url: app.url('/healthz'),
      period: '20ms',
      deadline: '600ms',
      'health-timeout': '1s',
      'poll-interval': '10ms',
      'poll-max-interval': '20ms',
      timeout: '30s',
      'idle-timeout': '20s',
      ...extra,
    }),
  );
  const ctx = {
    log: (l: string) => logs.push(l),
    warn: (m: string) => logs.push(m),
    signal: signal ?? new AbortController().signal,
  };
  return runPaasDeploy(cfg, { ctx, drainMs: 2_000 });
}

describe('paas-deploy digitalocean (local protocol peer, not the real DigitalOcean)', () => {
  it('deploys the digest through one spec update (service + PRE_DEPLOY job + envs); the new deployment is ACTIVE', async () => {
    const before = peer.active(doApp.id)!;
    const r = await run({
      'release-command': 'python manage.py migrate --noinput',
      config: 'SECRET_KEY=do-secret-xyz',
    });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    const active = peer.active(doApp.id)!;
    expect(active.id).toBe(r.release!.id);
    expect(active.id).toBe(r.live!.id);
    expect(r.previous!.id).toBe(before.id);
    expect(before.phase).toBe('SUPERSEDED');
    expect(active.spec.services![0]!.image).toEqual({
      registry_type: 'GHCR',
      registry: 'acme',
      repository: 'gamy',
      digest: NEW,
    });
    expect(active.spec.jobs![0]).toMatchObject({
      kind: 'PRE_DEPLOY',
      run_command: 'python manage.py migrate --noinput',
      image: { digest: NEW },
    });
    expect(active.spec.services![0]!.envs).toEqual([
      { key: 'SECRET_KEY', value: 'do-secret-xyz', type: 'SECRET', scope: 'RUN_AND_BUILD_TIME' },
    ]);
    expect(peer.calls.filter((c) => c.method === 'PUT')).toHaveLength(1);
    expect(logs).toContain('build | [web] image ready');
    expect(logs).toContain('deploy | [migrate] running pre-deploy job: python manage.py migrate --noinput');
    expect(r.providerStatus).toBe('ACTIVE');
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('image pull fails (ERROR in build): the active deployment stays', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'build_error';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('ERROR');
    expect(r.failure).toContain('failed in the build (build > pull_image (web): manifest unknown)');
    expect(peer.active(doApp.id)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
  });

  it('PRE_DEPLOY job fails: reported as the release phase, the active deployment stays, the job output is the tail', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'predeploy_error';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('the PRE_DEPLOY job `migrate`');
    expect(r.releaseOutput.at(-1)).toBe('[migrate] job exited with status 1');
    expect(peer.active(doApp.id)!.id).toBe(before.id);
    expect(doApp.deployments[0]!.phase).toBe('ERROR');
    expect(r.gate).toBeUndefined();
  });

  it('gate fails: rollback deployment ACTIVE, then committed (app unpinned); the old digest serves (read back)', async () => {
    const before = peer.active(doApp.id)!;
    const r = await run({ image: `${IMAGE}@${BROKEN}` });
    expect(r.status).toBe('rolled-back');
    expect(liveDigest(doApp)).toBe(OLD);
    expect(peer.active(doApp.id)!.cause).toBe(`manual rollback to ${before.id}`);
    expect(doApp.pinned).toBeUndefined();
    expect(doApp.spec.services![0]!.image!.digest).toBe(OLD);
    expect(peer.calls.map((c) => `${c.method} ${c.path.replace(doApp.id, ':app')}`)).toEqual(
      expect.arrayContaining(['POST /v2/apps/:app/rollback', 'POST /v2/apps/:app/rollback/commit']),
    );
    expect(await (await fetch(app.url('/healthz'))).text()).toBe('version=old-1\n');
  });

  it('manual rollback to the previous (SUPERSEDED) deployment; later deploys are not blocked by a pin', async () => {
    peer.seedActive(doApp.id, spec(NEW, 'python manage.py migrate'));
    const r = await run({ mode: 'rollback', image: '' });
    expect(r.status).toBe('ok');
    expect(liveDigest(doApp)).toBe(OLD);
    expect(doApp.pinned).toBeUndefined();
    const again = await run({ 'health-gate': 'false' });
    expect(again.status).toBe('ok');
    expect(liveDigest(doApp)).toBe(NEW);
  });

  it('promotes the digest the staging app runs to production; a different digest is refused', async () => {
    const prod = peer.addApp(spec(OLD));
    peer.seedActive(prod.id, spec(OLD));
    peer.seedActive(doApp.id, spec(NEW, 'python manage.py migrate'));
    served = () => prod;
    const refused = await run({ mode: 'promote', 'promote-to': prod.id, image: `${IMAGE}@${BROKEN}` });
    expect(refused.status).toBe('failed');
    expect(refused.failure).toContain('is not what');
    const r = await run({ mode: 'promote', 'promote-to': prod.id });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(liveDigest(prod)).toBe(NEW);
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('bad token (401) and unknown app (404) name the input to fix', async () => {
    const bad = await run({ 'api-token': 'dop_v1_wrong' });
    expect(bad.failure).toMatch(/401.*Check `api-token`: it must be a DigitalOcean personal access token/);
    const missing = await run({ app: 'f0f0f0f0-0000-4000-8000-000000000000' });
    expect(missing.failure).toMatch(/404.*Check `app`/);
    expect(doApp.deployments).toHaveLength(1);
  });

  it('an image of a repository no component runs is refused before the spec is touched', async () => {
    const r = await run({ image: `ghcr.io/acme/other@${NEW}` });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('no service or worker of app');
    expect(peer.calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it('cancellation mid-build: polling stops, the deployment state is reported, the active deployment stays', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'hold';
    const c = new AbortController();
    peer.onDeploymentRead = () => c.abort(new Error('cancelled by SIGINT'));
    const r = await run({}, c.signal);
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/cancelled while waiting for deployment [0-9a-f-]{36} of app/);
    expect(r.failure).toContain('in state "PENDING_BUILD"');
    expect(peer.active(doApp.id)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
  });
});
