/**
 * paas-deploy end to end on DigitalOcean App Platform: dist/paas-deploy/index.js run as the GitHub runner
 * runs it, `api-url` pointed at a LOCAL PROTOCOL PEER of the App Platform API
 * (test/fixtures/paas/digitalocean/peer.ts). The real DigitalOcean was NOT reached. The peer validates every
 * request/response against DigitalOcean's published OpenAPI (pinned subset, see its SOURCE.md); each case
 * checks the peer's state afterwards.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startDoPeer, type DoPeer, type DoSpec, type PeerApp } from '../fixtures/paas/digitalocean/peer.js';
import { runDist } from '../helpers/run-dist.js';

const TOKEN = 'dop_v1_e2e9f8e7d6c5b4a3';
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const BROKEN = `sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3' };
const IMAGE = 'ghcr.io/acme/gamy';
const spec = (digest: string): DoSpec => ({
  name: 'gamy',
  services: [
    { name: 'web', image: { registry_type: 'GHCR', registry: 'acme', repository: 'gamy', digest }, http_port: 8000 },
  ],
  jobs: [
    {
      name: 'migrate',
      kind: 'PRE_DEPLOY',
      run_command: 'python manage.py migrate',
      image: { registry_type: 'GHCR', registry: 'acme', repository: 'gamy', digest },
    },
  ],
});

let peer: DoPeer;
let app: PaasApp;
let doApp: PeerApp;
let served: () => PeerApp;
const liveDigest = (a: PeerApp): string | undefined => peer.active(a.id)?.spec.services?.[0]?.image?.digest;
const shown = (t: string): string =>
  t
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
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
    timeout: '60s',
    'idle-timeout': '60s',
    ...extra,
  };
}

beforeAll(async () => {
  peer = await startDoPeer(TOKEN);
  app = await startPaasApp(() => VERSION[liveDigest(served()) ?? '']);
});
afterAll(async () => {
  await app.close();
  await peer.close();
});
beforeEach(() => {
  peer.apps.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'active';
  doApp = peer.addApp(spec(OLD));
  peer.seedActive(doApp.id, spec(OLD));
  served = () => doApp;
});
afterEach(() => expect(peer.violations).toEqual([]));

describe('paas-deploy bundle, digitalocean (local protocol peer, not the real DigitalOcean)', () => {
  it('deploys by digest: outputs, build and deploy logs streamed, token and config never shown', async () => {
    const before = peer.active(doApp.id)!;
    const r = await runDist('paas-deploy', inputs({ config: 'SECRET_KEY=do-e2e-secret-77' }));
    expect(r.exitCode).toBe(0);
    const active = peer.active(doApp.id)!;
    expect(liveDigest(doApp)).toBe(NEW);
    expect(active.spec.jobs![0]!.image).toMatchObject({ digest: NEW });
    expect(r.outputs).toMatchObject({
      status: 'ok',
      'release-id': active.id,
      live: active.id,
      previous: before.id,
      'provider-status': 'ACTIVE',
      url: 'https://gamy.ondigitalocean.app',
    });
    expect(r.stdout).toContain('deploy | [migrate] running pre-deploy job: python manage.py migrate');
    for (const t of [shown(r.stdout), shown(r.stderr), r.summary, JSON.stringify(r.outputs)]) {
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain('do-e2e-secret-77');
    }
  });

  it('build fails: ERROR reported, previous deployment active', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'build_error';
    const r = await runDist('paas-deploy', inputs());
    expect(r.exitCode).toBe(1);
    expect(r.outputs['provider-status']).toBe('ERROR');
    expect(r.outputs.live).toBe(before.id);
    expect(r.annotations.join('\n')).toContain('failed in the build');
  });

  it('PRE_DEPLOY job fails: the release phase failure is reported, the previous deployment active', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'predeploy_error';
    const r = await runDist('paas-deploy', inputs());
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toContain('the PRE_DEPLOY job `migrate`');
    expect(r.outputs['release-output']).toContain('[migrate] job exited with status 1');
    expect(r.outputs.live).toBe(before.id);
    expect(peer.active(doApp.id)!.id).toBe(before.id);
  });

  it('gate fails: rolled back and committed; the old digest is active (read back)', async () => {
    const r = await runDist('paas-deploy', inputs({ image: `${IMAGE}@${BROKEN}` }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(liveDigest(doApp)).toBe(OLD);
    expect(doApp.pinned).toBeUndefined();
    expect(r.outputs.live).toBe(peer.active(doApp.id)!.id);
  });

  it('manual rollback to a given deployment id', async () => {
    const old = peer.active(doApp.id)!;
    peer.seedActive(doApp.id, spec(NEW));
    const r = await runDist('paas-deploy', inputs({ mode: 'rollback', image: '', 'rollback-to': old.id }));
    expect(r.exitCode).toBe(0);
    expect(liveDigest(doApp)).toBe(OLD);
    expect(doApp.pinned).toBeUndefined();
  });

  it('promotion deploys the digest the staging app runs to production', async () => {
    const prod = peer.addApp(spec(OLD));
    peer.seedActive(prod.id, spec(OLD));
    peer.seedActive(doApp.id, spec(NEW));
    served = () => prod;
    const r = await runDist('paas-deploy', inputs({ mode: 'promote', 'promote-to': prod.id }));
    expect(r.exitCode).toBe(0);
    expect(liveDigest(prod)).toBe(NEW);
  });

  it('bad token and unknown app name the input to fix', async () => {
    const bad = await runDist('paas-deploy', inputs({ 'api-token': 'dop_v1_nope_123' }));
    expect(bad.annotations.join('\n')).toMatch(/401.*Check `api-token`/);
    const missing = await runDist('paas-deploy', inputs({ app: 'f0f0f0f0-0000-4000-8000-000000000000' }));
    expect(missing.annotations.join('\n')).toMatch(/404.*Check `app`/);
    expect(doApp.deployments).toHaveLength(1);
  });

  it('cancellation (SIGINT) mid-build: reported in its phase, the previous deployment active', async () => {
    const before = peer.active(doApp.id)!;
    peer.behaviour.deploy = () => 'hold';
    const r = await runDist('paas-deploy', inputs(), { cancel: { afterMs: 4_000, signal: 'SIGINT' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/cancelled while waiting for deployment [0-9a-f-]{36} of app/);
    expect(r.outputs.live).toBe(before.id);
    expect(doApp.deployments[0]!.phase).toBe('PENDING_BUILD');
  });
});
