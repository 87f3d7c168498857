/**
 * paas-deploy end to end on Railway: dist/paas-deploy/index.js run as the GitHub runner runs it, `api-url`
 * pointed at a LOCAL PROTOCOL PEER of Railway's GraphQL API (test/fixtures/paas/railway/peer.ts). The real
 * Railway was NOT reached. The peer validates every operation against the pinned subset of Railway's
 * published GraphQL schema (see test/fixtures/paas/railway/SOURCE.md); each case checks its state after.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startRailwayPeer, type PeerInstance, type RailwayPeer } from '../fixtures/paas/railway/peer.js';
import { runDist } from '../helpers/run-dist.js';

const TOKEN = 'rw-e2e-token-3f9a7c1b5d';
const REPO = 'ghcr.io/acme/metabuilder';
const OLD = `${REPO}@sha256:${'1'.repeat(64)}`;
const NEW = `${REPO}@sha256:${'2'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3' };
const SVC = 'a1b2c3d4-0000-4000-8000-000000005e41';
const STAGING = 'e0000000-0000-4000-8000-0000000057a9';
const PROD = 'e0000000-0000-4000-8000-00000000960d';

let peer: RailwayPeer;
let app: PaasApp;
let inst: PeerInstance;
let served: () => PeerInstance;
const shown = (t: string): string =>
  t
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'railway',
    app: SVC,
    environment: STAGING,
    'api-token': TOKEN,
    'api-url': peer.apiUrl,
    image: NEW,
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
  peer = await startRailwayPeer(TOKEN);
  app = await startPaasApp(() => VERSION[peer.live(served())?.image ?? '']);
});
afterAll(async () => {
  await app.close();
  await peer.close();
});
beforeEach(() => {
  peer.instances.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'success';
  inst = peer.addInstance(SVC, STAGING, OLD);
  peer.seedLive(inst, OLD);
  served = () => inst;
});
afterEach(() => expect(peer.violations).toEqual([]));

describe('paas-deploy bundle, railway (local protocol peer, not the real Railway)', () => {
  it('deploys by digest with a pre-deploy command: outputs, logs, token and variables never shown', async () => {
    const before = peer.live(inst)!;
    const r = await runDist(
      'paas-deploy',
      inputs({ 'release-command': 'alembic upgrade head', config: 'API_KEY=rw-e2e-secret-55' }),
    );
    expect(r.exitCode).toBe(0);
    const live = peer.live(inst)!;
    expect(live.image).toBe(NEW);
    expect(r.outputs).toMatchObject({
      status: 'ok',
      'release-id': live.id,
      live: live.id,
      previous: before.id,
      'provider-status': 'SUCCESS',
    });
    expect(r.stdout).toContain('deploy | Running pre-deploy command: alembic upgrade head');
    expect(inst.variables.API_KEY).toBe('rw-e2e-secret-55');
    for (const t of [shown(r.stdout), shown(r.stderr), r.summary, JSON.stringify(r.outputs)]) {
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain('rw-e2e-secret-55');
    }
  });

  it('build fails: previous deployment serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'build_failed';
    const r = await runDist('paas-deploy', inputs());
    expect(r.exitCode).toBe(1);
    expect(r.outputs['provider-status']).toBe('FAILED');
    expect(r.outputs.live).toBe(before.id);
  });

  it('pre-deploy fails: release phase failure reported, previous deployment serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'predeploy_failed';
    const r = await runDist('paas-deploy', inputs({ 'release-command': 'alembic upgrade head' }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs['release-output']).toContain('Pre-deploy command failed with exit code 1');
    expect(r.outputs.live).toBe(before.id);
    expect(peer.live(inst)!.id).toBe(before.id);
  });

  it('gate fails: rolled back; the previous image serves (read back)', async () => {
    const r = await runDist('paas-deploy', inputs({ image: BROKEN }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(peer.live(inst)!.image).toBe(OLD);
    expect(r.outputs.live).toBe(peer.live(inst)!.id);
  });

  it('manual rollback to a given deployment id', async () => {
    const old = peer.live(inst)!;
    peer.seedLive(inst, NEW);
    const r = await runDist('paas-deploy', inputs({ mode: 'rollback', image: '', 'rollback-to': old.id }));
    expect(r.exitCode).toBe(0);
    expect(peer.live(inst)!.image).toBe(OLD);
  });

  it('promotion deploys the digest staging runs to the production environment', async () => {
    const prod = peer.addInstance(SVC, PROD, OLD, { projectId: inst.projectId });
    peer.seedLive(prod, OLD);
    peer.seedLive(inst, NEW);
    served = () => prod;
    const r = await runDist('paas-deploy', inputs({ mode: 'promote', 'promote-to': `${SVC}:${PROD}` }));
    expect(r.exitCode).toBe(0);
    expect(peer.live(prod)!.image).toBe(NEW);
  });

  it('bad token and unknown service name the input to fix', async () => {
    const bad = await runDist('paas-deploy', inputs({ 'api-token': 'rw-nope-123' }));
    expect(bad.annotations.join('\n')).toMatch(/Not Authorized\. Check `api-token`/);
    const missing = await runDist('paas-deploy', inputs({ app: 'ffffffff-0000-4000-8000-000000000000' }));
    expect(missing.annotations.join('\n')).toMatch(/not found\. Check `app`/);
    expect(inst.deployments).toHaveLength(1);
  });

  it('cancellation (SIGINT) mid-build: reported in its state, the previous deployment serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'hold';
    const r = await runDist('paas-deploy', inputs(), { cancel: { afterMs: 4_000, signal: 'SIGINT' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/cancelled while waiting for deployment [0-9a-f-]{36} of service/);
    expect(r.outputs.live).toBe(before.id);
    expect(inst.deployments[0]!.status).toBe('QUEUED');
  });
});
