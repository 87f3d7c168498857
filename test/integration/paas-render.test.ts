/**
 * paas-deploy against Render's protocol — through a LOCAL PROTOCOL PEER (test/fixtures/paas/render/peer.ts),
 * NOT the real Render: no Render service was reached. The peer implements the public API v1 endpoints the
 * action uses with the documented deploy states and validates every request and response body against
 * Render's published OpenAPI document (pinned subset, see test/fixtures/paas/render/SOURCE.md). Each case
 * checks the peer's state afterwards (which deploy is live, which calls were made).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { runPaasDeploy } from '../../src/core/paas-deploy/run.js';
import { mapInputs } from '../helpers/inputs.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startRenderPeer, type PeerService, type RenderPeer } from '../fixtures/paas/render/peer.js';
import { renderClient } from '../../src/core/paas-deploy/providers/render.js';

const TOKEN = 'rnd_peerToken7d1e9a0b';
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const BROKEN = `sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3' };
const REPO = 'ghcr.io/acme/metabuilder';

let peer: RenderPeer;
let app: PaasApp;
let svc: PeerService;
let served: () => PeerService;
let logs: string[];

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
  logs = [];
  peer.services.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'live';
  peer.onDeployRead = undefined;
  svc = peer.addService('metabuilder-staging', `${REPO}:latest`);
  peer.seedLive(svc.id, OLD);
  served = () => svc;
});
afterEach(() => {
  expect(peer.violations).toEqual([]);
  for (const l of logs) expect(l).not.toContain(TOKEN);
});

async function run(extra: Record<string, string>, signal?: AbortSignal) {
  const cfg = readPaasConfig(
    mapInputs({
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
  return runPaasDeploy(cfg, { ctx, drainMs: 0 });
}

describe('paas-deploy render (local protocol peer, not the real Render)', () => {
  it('deploys the image by digest with the pre-deploy command and env vars; the new deploy is live, the old one deactivated', async () => {
    const before = peer.live(svc.id)!;
    const r = await run({
      'release-command': 'alembic upgrade head',
      config: 'DATABASE_URL=postgres://u:pw-secret-9@db/app',
    });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    const live = peer.live(svc.id)!;
    expect(live.sha).toBe(NEW);
    expect(live.imageRef).toBe(`${REPO}@${NEW}`);
    expect(live.preDeploy).toBe('alembic upgrade head');
    expect(r.release!.id).toBe(live.id);
    expect(r.live!.id).toBe(live.id);
    expect(r.previous!.id).toBe(before.id);
    expect(svc.deploys.find((d) => d.id === before.id)!.status).toBe('deactivated');
    expect(svc.preDeployCommand).toBe('alembic upgrade head');
    expect(svc.env.DATABASE_URL).toBe('postgres://u:pw-secret-9@db/app');
    expect(r.providerStatus).toBe('live');
    expect(logs).toContain('render | ==> Running pre-deploy command: alembic upgrade head');
    expect(r.releaseOutput).toContain('==> Your service is live');
    expect(r.url).toBe('https://metabuilder-staging.onrender.com');
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('image pull/build fails (build_failed): the previous deploy stays live', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'build_failed';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('build_failed');
    expect(peer.live(svc.id)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
    expect(r.failure).toContain('the previous deploy serves');
  });

  it('pre-deploy fails (pre_deploy_failed): traffic never switched, the previous deploy is live, the log tail is reported', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'pre_deploy_failed';
    const r = await run({ 'release-command': 'alembic upgrade head' });
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('pre_deploy_failed');
    expect(r.releaseOutput.at(-1)).toBe('==> Pre-deploy command `alembic upgrade head` exited with status 1');
    expect(svc.deploys[0]!.status).toBe('pre_deploy_failed');
    expect(peer.live(svc.id)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
    expect(r.gate).toBeUndefined();
  });

  it('gate fails: rolled back through POST /rollback; the old digest is live again (read back)', async () => {
    const before = peer.live(svc.id)!;
    const r = await run({ image: `${REPO}@${BROKEN}` });
    expect(r.status).toBe('rolled-back');
    const live = peer.live(svc.id)!;
    expect(live.sha).toBe(OLD);
    expect(live.trigger).toBe('rollback');
    expect(r.live!.id).toBe(live.id);
    expect(r.previous!.id).toBe(before.id);
    expect(peer.calls.some((c) => c.method === 'POST' && c.path.endsWith('/rollback'))).toBe(true);
    expect(app.served.at(-1)).toBe('broken-3');
    expect(await (await fetch(app.url('/healthz'))).text()).toBe('version=old-1\n');
  });

  it('manual rollback defaults to the newest deploy that served before the live one', async () => {
    peer.seedLive(svc.id, NEW);
    const r = await run({ mode: 'rollback', image: '' });
    expect(r.status).toBe('ok');
    expect(peer.live(svc.id)!.sha).toBe(OLD);
    expect(r.live!.id).toBe(peer.live(svc.id)!.id);
  });

  it('promotes the exact digest the staging service runs to production (no build); a different digest is refused', async () => {
    const prod = peer.addService('metabuilder-prod', `${REPO}:latest`);
    peer.seedLive(prod.id, OLD);
    peer.seedLive(svc.id, NEW);
    served = () => prod;
    const refused = await run({ mode: 'promote', 'promote-to': prod.id, image: `${REPO}@${BROKEN}` });
    expect(refused.status).toBe('failed');
    expect(refused.failure).toContain('is not what');
    expect(peer.live(prod.id)!.sha).toBe(OLD);
    const r = await run({ mode: 'promote', 'promote-to': prod.id, image: `${REPO}@${NEW}` });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(peer.live(prod.id)!.sha).toBe(NEW);
    expect(r.app).toBe(prod.id);
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('bad token: 401 names api-token and what key it must be', async () => {
    const r = await run({ 'api-token': 'rnd_wrong' });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/401.*Check `api-token`: it must be a Render API key/);
  });

  it('service not found: 404 names app', async () => {
    const r = await run({ app: 'srv-doesnotexist' });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/404.*Check `app`/);
  });

  it('an image of another repository is refused before any deploy is created', async () => {
    const r = await run({ image: `ghcr.io/acme/other@${NEW}` });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('is not the image repository of service');
    expect(svc.deploys).toHaveLength(1);
  });

  it('400 from Render names the field it rejected (imageUrl of another repository, as Render refuses it)', async () => {
    const api = renderClient({
      baseUrl: peer.apiUrl,
      token: TOKEN,
      requestTimeoutMs: 5_000,
      signal: new AbortController().signal,
      app: svc.id,
    });
    const err = await api
      .request('POST', `/services/${svc.id}/deploys`, { imageUrl: `ghcr.io/acme/other@${NEW}` })
      .catch((e: Error) => e);
    expect((err as Error).message).toMatch(/returned 400: Render rejected the field `imageUrl`/);
    expect(svc.deploys).toHaveLength(1);
  });

  it('cancellation mid-build: polling stops, the deploy is reported in its state, the old deploy is live', async () => {
    const before = peer.live(svc.id)!;
    peer.behaviour.deploy = () => 'hold';
    const c = new AbortController();
    peer.onDeployRead = () => c.abort(new Error('cancelled by SIGINT'));
    const r = await run({}, c.signal);
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/cancelled while waiting for deploy dep-[0-9a-f]+ of service/);
    expect(r.failure).toContain('in state "created"');
    expect(peer.live(svc.id)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
    expect(peer.calls.filter((x) => /\/deploys\/dep-/.test(x.path))).toHaveLength(1);
  });
});
