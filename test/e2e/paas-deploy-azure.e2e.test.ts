/**
 * paas-deploy end to end on Azure App Service: dist/paas-deploy/index.js run as the GitHub runner runs it, with
 * `api-url` and `azure-login-url` pointed at a LOCAL PROTOCOL PEER (test/fixtures/paas/azure/peer.ts) and the
 * runner's OIDC variables pointed at the same peer. Azure (Entra ID, Resource Manager, App Service) and GitHub's
 * OIDC endpoint were NOT reached. The peer validates ARM request bodies against the pinned Microsoft.Web
 * WebApps.json subset (test/fixtures/paas/azure/SOURCE.md); Entra ID and OIDC are modelled from the docs.
 * Each case checks the peer's state afterwards (which image production and the slot run, the swaps made).
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startAzurePeer, type AzurePeer } from '../fixtures/paas/azure/peer.js';
import { runDist } from '../helpers/run-dist.js';

const REPO = 'ghcr.io/acme/metabuilder';
const OLD = `${REPO}@sha256:${'1'.repeat(64)}`;
const NEW = `${REPO}@sha256:${'2'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;
const PRODBAD = `${REPO}@sha256:${'c'.repeat(64)}`;
const SLOT_VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3', [PRODBAD]: 'c-4' };
const PROD_VERSION: Record<string, string> = { ...SLOT_VERSION, [PRODBAD]: 'broken-in-production-4' };
const RG = 'rg-metabuilder';
const APP = 'metabuilder-prod';

let peer: AzurePeer;
let slotApp: PaasApp;
let prodApp: PaasApp;

const shown = (text: string): string =>
  text
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');

function inputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    provider: 'azure',
    app: APP,
    'azure-subscription-id': peer.subscriptionId,
    'azure-tenant-id': peer.tenantId,
    'azure-client-id': peer.clientId,
    'azure-resource-group': RG,
    'azure-login-url': peer.loginUrl,
    'api-url': peer.armUrl,
    slot: 'staging',
    image: NEW,
    url: slotApp.url('/healthz'),
    'production-url': prodApp.url('/healthz'),
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
const oidc = (): { env: Record<string, string> } => ({
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: peer.oidcRequestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: peer.oidcRequestToken },
});

beforeAll(async () => {
  peer = await startAzurePeer();
  slotApp = await startPaasApp(() => SLOT_VERSION[peer.image(RG, APP, 'staging') ?? '']);
  prodApp = await startPaasApp(() => PROD_VERSION[peer.image(RG, APP) ?? '']);
});
afterAll(async () => {
  await slotApp.close();
  await prodApp.close();
  await peer.close();
});
beforeEach(() => {
  peer.sites.clear();
  peer.swaps.length = 0;
  peer.calls.length = 0;
  peer.grants.length = 0;
  peer.oidcAudiences.length = 0;
  peer.behaviour.start = () => 'ok';
  peer.behaviour.swap = () => 'ok';
  peer.behaviour.rejectArm = false;
  peer.addSite(RG, APP, OLD, { staging: OLD });
});
afterEach(() => expect(peer.violations).toEqual([]));

describe('paas-deploy bundle, azure (local protocol peer, not Azure)', () => {
  it('slot deploy with GitHub OIDC → gate → swap → production gate: outputs read back, no credential shown', async () => {
    const r = await runDist('paas-deploy', inputs({ config: 'API_SECRET=e2e-secret-value-42' }), oidc());
    expect(r.exitCode).toBe(0);
    expect(peer.image(RG, APP)).toBe(NEW);
    expect(peer.image(RG, APP, 'staging')).toBe(OLD);
    expect(r.outputs).toMatchObject({
      status: 'ok',
      'release-id': NEW,
      live: NEW,
      previous: OLD,
      'provider-status': 'swap Succeeded',
      url: `https://${APP}.azurewebsites.net`,
    });
    expect(peer.grants).toEqual([{ how: 'assertion', status: 200 }]);
    expect(peer.sites.get(`${RG}/${APP}`)!.slots.get('production')!.settings.API_SECRET).toBe('e2e-secret-value-42');
    for (const t of [shown(r.stdout), shown(r.stderr), r.summary, JSON.stringify(r.outputs)]) {
      expect(t).not.toContain(peer.oidcRequestToken);
      expect(t).not.toContain('e2e-secret-value-42');
      expect(t).not.toMatch(/eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9\.[0-9a-f]{48}/);
    }
  });

  it('the container does not start in the slot: exit 1, nothing swapped, production unchanged', async () => {
    peer.behaviour.start = () => 'fail';
    const r = await runDist('paas-deploy', inputs({ 'azure-client-secret': peer.clientSecret }));
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs['provider-status']).toBe('STOPPED');
    expect(r.outputs.live).toBe(OLD);
    expect(peer.swaps).toEqual([]);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(shown(r.stdout) + r.summary).not.toContain(peer.clientSecret);
  });

  it('release-command without allow-no-release-phase: refused at input validation, nothing sent', async () => {
    const r = await runDist('paas-deploy', inputs({ 'release-command': 'alembic upgrade head' }), oidc());
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toContain('input `release-command`: Azure App Service has no release phase');
    expect(peer.calls).toEqual([]);
    expect(peer.grants).toEqual([]);
  });

  it('gate fails on the slot: exit 1, production untouched, no swap', async () => {
    const r = await runDist('paas-deploy', inputs({ image: BROKEN }), oidc());
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('failed');
    expect(r.outputs.live).toBe(OLD);
    expect(peer.swaps).toEqual([]);
    expect(peer.image(RG, APP, 'staging')).toBe(BROKEN);
  });

  it('gate fails on production after the swap: swapped back, production runs the previous image', async () => {
    const r = await runDist('paas-deploy', inputs({ image: PRODBAD }), oidc());
    expect(r.exitCode).toBe(1);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs.live).toBe(OLD);
    expect(peer.swaps.map((s) => s.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('manual rollback swaps back; promotion deploys the digest staging runs', async () => {
    peer.sites.get(`${RG}/${APP}`)!.slots.get('production')!.image = NEW;
    const rb = await runDist(
      'paas-deploy',
      inputs({ mode: 'rollback', image: '', 'production-url': '', url: prodApp.url('/healthz') }),
      oidc(),
    );
    expect(rb.exitCode).toBe(0);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(rb.outputs.live).toBe(OLD);
    peer.addSite(RG, 'metabuilder-staging', NEW);
    const pr = await runDist(
      'paas-deploy',
      inputs({ mode: 'promote', app: 'metabuilder-staging', 'promote-to': APP, image: NEW }),
      oidc(),
    );
    expect(pr.exitCode).toBe(0);
    expect(peer.image(RG, APP)).toBe(NEW);
    expect(pr.outputs.live).toBe(NEW);
  });

  it('bad credentials (401 at Entra ID, 401 at ARM) and an unknown app map to messages naming the inputs', async () => {
    const bad = await runDist('paas-deploy', inputs({ 'azure-client-secret': 'wrong~secret' }));
    expect(bad.exitCode).toBe(1);
    expect(bad.annotations.join('\n')).toMatch(/Entra ID token request returned 401.*client secret/);
    peer.behaviour.rejectArm = true;
    const arm = await runDist('paas-deploy', inputs(), oidc());
    expect(arm.annotations.join('\n')).toMatch(/returned 401.*`azure-tenant-id`/);
    peer.behaviour.rejectArm = false;
    const missing = await runDist('paas-deploy', inputs({ app: 'metabuilder-nope' }), oidc());
    expect(missing.exitCode).toBe(1);
    expect(missing.annotations.join('\n')).toMatch(/404.*Check `app` \(web app `metabuilder-nope`\)/);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('cancellation (SIGINT) mid-swap: reported with the swap InProgress at Azure and what production runs', async () => {
    peer.behaviour.swap = () => 'hold';
    const r = await runDist('paas-deploy', inputs(), { ...oidc(), cancel: { afterMs: 4_000, signal: 'SIGINT' } });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(/cancelled while waiting for the swap of slot staging into production/);
    expect(r.outputs.live).toBe(OLD);
    expect(peer.swaps.map((s) => s.status)).toEqual(['InProgress']);
    expect(peer.image(RG, APP)).toBe(OLD);
  });
});
