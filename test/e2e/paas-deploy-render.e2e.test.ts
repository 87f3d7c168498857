/**
 * paas-deploy end to end on Render: dist/paas-deploy/index.js run as the GitHub runner runs it, `api-url`
 * pointed at a LOCAL PROTOCOL PEER of Render's public API (test/fixtures/paas/render/peer.ts). The real
 * Render was NOT reached. The peer validates every request/response against Render's published OpenAPI
 * document (pinned subset, see test/fixtures/paas/render/SOURCE.md); each case checks the peer's state.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startRenderPeer, type PeerService, type RenderPeer } from '../fixtures/paas/render/peer.js';
import { runDist } from '../helpers/run-dist.js';

const TOKEN = 'rnd_e2eToken4b8c2d6e0f';
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const BROKEN = `sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3' };
const REPO = 'ghcr.io/acme/metabuilder';

let peer: RenderPeer;
let app: PaasApp;
let svc: PeerService;
let served: () => PeerService;

const shown = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'render',
    app: svc.id,
    'api-token': TOKEN,
    'api-url': peer.apiUrl,
    image: `${REPO}@${NEW}`,
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
  peer = await startRenderPeer(TOKEN);
  app = await startPaasApp(() => {
    const live = peer.live(served().id);
    return live ? VERSION[live.sha] : undefined;
  });
});
afterAll(async () => {
  await app.close();
  await peer.close();
});
beforeEach(() => {
  peer.services.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'live';
  svc = peer.addService('metabuilder-staging', `${REPO}:latest`);
  peer.seedLive(svc.id, OLD);
  served = () => svc;
});
afterEach(() => expect(peer.violations).toEqual([]));

describe('paas-deploy bundle, render (local protocol peer, not the real Render)', () => {
  it('deploys by digest with a pre-deploy command: outputs, logs streamed, token never shown', async () => {
    const before = peer.live(svc.id)!;
    const r = await runDist(
      'paas-deploy',
      inputs({ 'release-command': 'alembic upgrade head', config: 'API_SECRET=e2e-secret-value-42' }),
    );
    expect(r.exitCode).toBe(0);
    const live = peer.live(svc.id)!;
    expect(live.sha).toBe(NEW);
    expect(live.preDeploy).toBe('alembic upgrade head');
    expect(r.outputs).toMatchObject({
      status: 'ok',
      'release-id': live.id,
      'deployment-id': live.id,
      live: live.id,
      previous: before.id,
      'provider-status': 'live',
      url: 'https://metabuilder-staging.onrender.com',
    });
    expect(r.stdout).toContain('render | ==> Running pre-deploy command: alembic upgrade head');
    expect(svc.env.API_SECRET).toBe('e2e-secret-value-42');
    for (const t of [shown(r.stdout), shown(r.stderr), r.summary, JSON.stringify(r.outputs)]) {
      expect(t).not.toContain(TOKEN);
      expect(t).not.toContain('e2e-secret-value-42');
    }
  });

  it('build_failed: exit 1, previous deploy live', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'build_failed';
    const r = await runDist('paas-deploy', inputs());
    expect(r.exitCode).toBe(1);
    expect(r.outputs['provider-status']).toBe('build_failed');
    expect(r.outputs.live).toBe(before.id);
    expect(peer.live(svc.id)!.id).toBe(before.id);
  });

  it('pre_deploy_failed: the failed deploy is reported, the previous one is live', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'pre_deploy_failed';
    const r = await runDist('paas-deploy', inputs({ 'release-command': 'alembic upgrade head' }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs['provider-status']).toBe('pre_deploy_failed');
    expect(r.outputs['release-id']).toBe(svc.deploys[0]!.id);
    expect(r.outputs['release-output']).toContain('exited with status 1');
    expect(r.outputs.live).toBe(before.id);
    expect(peer.live(svc.id)!.id).toBe(before.id);
  });

  it('gate fails: rolled back, the old digest is live again (read back)', async () => {
    const r = await runDist('paas-deploy', inputs({ image: `${REPO}@${BROKEN}` }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(peer.live(svc.id)!.sha).toBe(OLD);
    expect(r.outputs.live).toBe(peer.live(svc.id)!.id);
  });

  it('manual rollback to a given deploy id', async () => {
    const old = peer.live(svc.id)!;
    peer.seedLive(svc.id, NEW);
    const r = await runDist('paas-deploy', inputs({ mode: 'rollback', image: '', 'rollback-to': old.id }));
    expect(r.exitCode).toBe(0);
    expect(peer.live(svc.id)!.sha).toBe(OLD);
    expect(peer.live(svc.id)!.trigger).toBe('rollback');
  });

  it('promotion deploys the digest the staging service runs to production', async () => {
    const prod = peer.addService('metabuilder-prod', `${REPO}:latest`);
    peer.seedLive(prod.id, OLD);
    peer.seedLive(svc.id, NEW);
    served = () => prod;
    const r = await runDist('paas-deploy', inputs({ mode: 'promote', 'promote-to': prod.id }));
    expect(r.exitCode).toBe(0);
    expect(peer.live(prod.id)!.sha).toBe(NEW);
    expect(r.outputs.live).toBe(peer.live(prod.id)!.id);
  });

  it('bad token and unknown service map to messages naming the input', async () => {
    const bad = await runDist('paas-deploy', inputs({ 'api-token': 'rnd_wrong_key_1' }));
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.join('\n')).toMatch(/401.*Check `api-token`/);
    const missing = await runDist('paas-deploy', inputs({ app: 'srv-nope' }));
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.join('\n')).toMatch(/404.*Check `app`/);
    expect(svc.deploys).toHaveLength(1);
  });

  it('cancellation (SIGINT) mid-build: the deploy is reported in its state, the old one is live', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'hold';
    const r = await runDist('paas-deploy', inputs(), { cancel: { afterMs: 4_000, signal: 'SIGINT' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/cancelled while waiting for deploy dep-[0-9a-f]+ of service/);
    expect(r.outputs.live).toBe(before.id);
    expect(peer.live(svc.id)!.id).toBe(before.id);
    expect(svc.deploys[0]!.status).toBe('created');
  });
});
