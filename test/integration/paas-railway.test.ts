/**
 * paas-deploy against Railway's protocol — through a LOCAL PROTOCOL PEER (test/fixtures/paas/railway/peer.ts),
 * NOT the real Railway: no Railway service was reached. The peer answers the GraphQL operations the action
 * sends after validating each one (fields, arguments, variables, input objects) against the pinned subset of
 * Railway's published GraphQL schema (see test/fixtures/paas/railway/SOURCE.md), and follows the documented
 * deployment statuses. Each case checks the peer's state afterwards.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { runPaasDeploy } from '../../src/core/paas-deploy/run.js';
import { mapInputs } from '../helpers/inputs.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startRailwayPeer, type PeerInstance, type RailwayPeer } from '../fixtures/paas/railway/peer.js';

const TOKEN = 'rw-peer-token-8c1f5e2a9d';
const REPO = 'ghcr.io/acme/metabuilder';
const OLD = `sha256:${'1'.repeat(64)}`;
const NEW = `sha256:${'2'.repeat(64)}`;
const BROKEN = `sha256:${'b'.repeat(64)}`;
const VERSION: Record<string, string> = {
  [`${REPO}@${OLD}`]: 'old-1',
  [`${REPO}@${NEW}`]: 'new-2',
  [`${REPO}@${BROKEN}`]: 'broken-3',
};
const SVC = 'a1b2c3d4-0000-4000-8000-000000005e41';
const STAGING = 'e0000000-0000-4000-8000-0000000057a9';
const PROD = 'e0000000-0000-4000-8000-00000000960d';

let peer: RailwayPeer;
let app: PaasApp;
let inst: PeerInstance;
let served: () => PeerInstance;
let logs: string[];

beforeAll(async () => {
  peer = await startRailwayPeer(TOKEN);
  app = await startPaasApp(() => VERSION[peer.live(served())?.image ?? '']);
});
afterAll(async () => {
  await app.close();
  await peer.close();
});
beforeEach(() => {
  logs = [];
  peer.instances.clear();
  peer.calls.length = 0;
  peer.behaviour.deploy = () => 'success';
  peer.onDeploymentRead = undefined;
  inst = peer.addInstance(SVC, STAGING, `${REPO}@${OLD}`);
  peer.seedLive(inst, `${REPO}@${OLD}`);
  served = () => inst;
});
afterEach(() => {
  expect(peer.violations).toEqual([]);
  for (const l of logs) expect(l).not.toContain(TOKEN);
});

async function run(extra: Record<string, string>, signal?: AbortSignal) {
  const cfg = readPaasConfig(
    mapInputs({
      provider: 'railway',
      app: SVC,
      environment: STAGING,
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

describe('paas-deploy railway (local protocol peer, not the real Railway)', () => {
  it('deploys the digest with a pre-deploy command and variables; the new deployment is SUCCESS, the old one REMOVED', async () => {
    const before = peer.live(inst)!;
    const r = await run({
      'release-command': 'alembic upgrade head',
      config: 'DATABASE_URL=postgres://u:rw-secret-1@db/x',
    });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    const live = peer.live(inst)!;
    expect(live.image).toBe(`${REPO}@${NEW}`);
    expect(live.preDeploy).toEqual(['alembic upgrade head']);
    expect(r.release!.id).toBe(live.id);
    expect(r.live!.id).toBe(live.id);
    expect(r.previous!.id).toBe(before.id);
    expect(before.status).toBe('REMOVED');
    expect(inst.variables.DATABASE_URL).toBe('postgres://u:rw-secret-1@db/x');
    expect(inst.deployments).toHaveLength(2);
    expect(logs).toContain('deploy | Running pre-deploy command: alembic upgrade head');
    expect(logs).toContain('build | Image pulled');
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('image pull fails (FAILED while building): the previous deployment serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'build_failed';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('FAILED');
    expect(r.failure).toContain('failed before deploying');
    expect(peer.live(inst)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
  });

  it('pre-deploy command fails (FAILED while deploying): reported as the release phase, previous deployment serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'predeploy_failed';
    const r = await run({ 'release-command': 'alembic upgrade head' });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('where Railway runs the pre-deploy command');
    expect(r.releaseOutput.at(-1)).toBe('Pre-deploy command failed with exit code 1');
    expect(peer.live(inst)!.id).toBe(before.id);
    expect(r.gate).toBeUndefined();
  });

  it('gate fails: deploymentRollback to what served before; its image serves again (read back)', async () => {
    const before = peer.live(inst)!;
    const r = await run({ image: `${REPO}@${BROKEN}` });
    expect(r.status).toBe('rolled-back');
    expect(peer.live(inst)!.image).toBe(`${REPO}@${OLD}`);
    expect(r.live!.id).toBe(peer.live(inst)!.id);
    expect(r.previous!.id).toBe(before.id);
    expect(peer.calls.map((c) => c.operation)).toContain('deploymentRollback');
    expect(await (await fetch(app.url('/healthz'))).text()).toBe('version=old-1\n');
  });

  it('manual rollback defaults to the newest REMOVED deployment that can be rolled back to', async () => {
    peer.seedLive(inst, `${REPO}@${NEW}`);
    const r = await run({ mode: 'rollback', image: '' });
    expect(r.status).toBe('ok');
    expect(peer.live(inst)!.image).toBe(`${REPO}@${OLD}`);
  });

  it('promotes the digest staging runs to the production environment of the same service', async () => {
    const prod = peer.addInstance(SVC, PROD, `${REPO}@${OLD}`, { projectId: inst.projectId });
    peer.seedLive(prod, `${REPO}@${OLD}`);
    peer.seedLive(inst, `${REPO}@${NEW}`);
    served = () => prod;
    const refused = await run({ mode: 'promote', 'promote-to': `${SVC}:${PROD}`, image: `${REPO}@${BROKEN}` });
    expect(refused.failure).toContain('is not what');
    const r = await run({ mode: 'promote', 'promote-to': `${SVC}:${PROD}` });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(peer.live(prod)!.image).toBe(`${REPO}@${NEW}`);
    expect(app.served.at(-1)).toBe('new-2');
  });

  it('bad token and unknown service map to messages naming the input', async () => {
    const bad = await run({ 'api-token': 'rw-wrong' });
    expect(bad.failure).toMatch(/Not Authorized\. Check `api-token`: it must be a Railway account or team token/);
    const missing = await run({ app: 'ffffffff-0000-4000-8000-000000000000' });
    expect(missing.failure).toMatch(/not found\. Check `app` \(a service id\) and `environment`/);
    expect(inst.deployments).toHaveLength(1);
  });

  it('cancellation mid-build: polling stops, the deployment state is reported, the previous one serves', async () => {
    const before = peer.live(inst)!;
    peer.behaviour.deploy = () => 'hold';
    const c = new AbortController();
    peer.onDeploymentRead = () => c.abort(new Error('cancelled by SIGINT'));
    const r = await run({}, c.signal);
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/cancelled while waiting for deployment [0-9a-f-]{36} of service/);
    expect(r.failure).toContain('in state "QUEUED"');
    expect(peer.live(inst)!.id).toBe(before.id);
    expect(r.live!.id).toBe(before.id);
  });
});
