/**
 * paas-deploy against Azure App Service — through a LOCAL PROTOCOL PEER (test/fixtures/paas/azure/peer.ts),
 * NOT Azure: no Azure service (Entra ID, Resource Manager, App Service) and no GitHub OIDC endpoint was reached.
 * The peer validates every ARM request body (and the ARM responses it has a schema for) against the pinned
 * subset of Microsoft.Web WebApps.json 2024-11-01 (see test/fixtures/paas/azure/SOURCE.md); the Entra ID token
 * endpoint and GitHub's OIDC token request are modelled from the providers' docs. Each case checks the peer's
 * state afterwards: which image production and the slot run, which calls and swaps were made.
 */
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { runPaasDeploy } from '../../src/core/paas-deploy/run.js';
import { mapInputs } from '../helpers/inputs.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startAzurePeer, type AzurePeer } from '../fixtures/paas/azure/peer.js';

const REPO = 'ghcr.io/acme/metabuilder';
const OLD = `${REPO}@sha256:${'1'.repeat(64)}`;
const NEW = `${REPO}@sha256:${'2'.repeat(64)}`;
const BROKEN = `${REPO}@sha256:${'b'.repeat(64)}`;
/** Starts and answers in the slot, fails once it serves production traffic. */
const PRODBAD = `${REPO}@sha256:${'c'.repeat(64)}`;
const SLOT_VERSION: Record<string, string> = { [OLD]: 'old-1', [NEW]: 'new-2', [BROKEN]: 'broken-3', [PRODBAD]: 'c-4' };
const PROD_VERSION: Record<string, string> = { ...SLOT_VERSION, [PRODBAD]: 'broken-in-production-4' };
const RG = 'rg-metabuilder';
const APP = 'metabuilder-prod';

let peer: AzurePeer;
let slotApp: PaasApp;
let prodApp: PaasApp;
let prodOf = APP;
let logs: string[];
let warnings: string[];
let masked: string[];

beforeAll(async () => {
  peer = await startAzurePeer();
  slotApp = await startPaasApp(() => SLOT_VERSION[peer.image(RG, prodOf, 'staging') ?? '']);
  prodApp = await startPaasApp(() => PROD_VERSION[peer.image(RG, prodOf) ?? '']);
});
afterAll(async () => {
  await slotApp.close();
  await prodApp.close();
  await peer.close();
});
beforeEach(() => {
  logs = [];
  warnings = [];
  masked = [];
  prodOf = APP;
  peer.sites.clear();
  peer.swaps.length = 0;
  peer.calls.length = 0;
  peer.grants.length = 0;
  peer.oidcAudiences.length = 0;
  peer.behaviour.start = () => 'ok';
  peer.behaviour.swap = () => 'ok';
  peer.behaviour.rejectArm = false;
  peer.behaviour.readOnlyRole = false;
  peer.onSwapRead = undefined;
  peer.addSite(RG, APP, OLD, { staging: OLD });
});
afterEach(() => {
  expect(peer.violations).toEqual([]);
  for (const l of [...logs, ...warnings]) {
    expect(l).not.toContain(peer.clientSecret);
    expect(l).not.toContain(peer.oidcRequestToken);
    for (const m of masked) expect(l).not.toContain(m);
  }
});

const oidcEnv = (): NodeJS.ProcessEnv => ({
  ACTIONS_ID_TOKEN_REQUEST_URL: peer.oidcRequestUrl,
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: peer.oidcRequestToken,
});

function config(extra: Record<string, string>, env: NodeJS.ProcessEnv = {}) {
  return readPaasConfig(
    mapInputs({
      provider: 'azure',
      app: APP,
      'azure-subscription-id': peer.subscriptionId,
      'azure-tenant-id': peer.tenantId,
      'azure-client-id': peer.clientId,
      'azure-resource-group': RG,
      'azure-client-secret': peer.clientSecret,
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
      timeout: '30s',
      'idle-timeout': '20s',
      ...extra,
    }),
    env,
  );
}

async function run(extra: Record<string, string>, opts: { signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {}) {
  const cfg = config(extra, opts.env);
  const ctx = {
    log: (l: string) => logs.push(l),
    warn: (m: string) => warnings.push(m),
    signal: opts.signal ?? new AbortController().signal,
  };
  return runPaasDeploy(cfg, { ctx, drainMs: 0, addSecret: (s) => masked.push(s) });
}

const swapsCalled = (): number => peer.calls.filter((c) => c.method === 'POST' && c.path.endsWith('/slotsswap')).length;

describe('paas-deploy azure (local protocol peer, not Azure)', () => {
  it('deploys to the slot (GitHub OIDC), gates it, swaps it in and gates production; production runs the digest (read back)', async () => {
    const r = await run(
      { 'azure-client-secret': '', config: 'DATABASE_URL=postgres://u:pw-secret-9@db/app' },
      { env: oidcEnv() },
    );
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(peer.image(RG, APP)).toBe(NEW);
    expect(peer.image(RG, APP, 'staging')).toBe(OLD);
    expect(peer.sites.get(`${RG}/${APP}`)!.slots.get('production')!.settings.DATABASE_URL).toBe(
      'postgres://u:pw-secret-9@db/app',
    );
    expect(r.previous!.id).toBe(OLD);
    expect(r.live!.id).toBe(NEW);
    expect(r.release!.id).toBe(NEW);
    expect(r.providerStatus).toBe('swap Succeeded');
    expect(r.url).toBe(`https://${APP}.azurewebsites.net`);
    // OIDC: the runner's token with Entra's exchange audience, sent as a client assertion; no secret used.
    expect(peer.oidcAudiences).toEqual(['api://AzureADTokenExchange']);
    expect(peer.grants).toEqual([{ how: 'assertion', status: 200 }]);
    expect(masked.length).toBe(2);
    expect(peer.swaps.map((s) => s.status)).toEqual(['Succeeded']);
    expect(r.steps.map((s) => s.step)).toEqual([
      'deploy',
      'health gate (slot staging)',
      'swap staging → production',
      'health gate (production, after the swap)',
    ]);
    expect(peer.calls.filter((c) => c.method === 'PATCH').map((c) => c.path)).toEqual([
      `/subscriptions/${peer.subscriptionId}/resourceGroups/${RG}/providers/Microsoft.Web/sites/${APP}/slots/staging/config/web`,
    ]);
    expect(prodApp.served.at(-1)).toBe('new-2');
  });

  it('the container does not start in the slot (instances STOPPED): failed, nothing swapped, production unchanged', async () => {
    peer.behaviour.start = () => 'fail';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('STOPPED');
    expect(r.failure).toContain('did not start in slot staging');
    expect(r.failure).toContain('production was not touched');
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(peer.image(RG, APP, 'staging')).toBe(NEW);
    expect(swapsCalled()).toBe(0);
    expect(r.live!.id).toBe(OLD);
    expect(r.gate).toBeUndefined();
  });

  it('release-command without allow-no-release-phase is refused before any request; with it, a warning says it was not run', () => {
    expect(() => config({ 'release-command': 'alembic upgrade head' })).toThrow(
      'input `release-command`: Azure App Service has no release phase',
    );
    expect(peer.calls).toEqual([]);
    expect(peer.grants).toEqual([]);
  });

  it('with allow-no-release-phase the release command is reported as not run, and the deploy goes on', async () => {
    const r = await run({ 'release-command': 'alembic upgrade head', 'allow-no-release-phase': 'true' });
    expect(r.status).toBe('ok');
    expect(warnings.join('\n')).toContain('release-command `alembic upgrade head` was NOT run');
    expect(peer.image(RG, APP)).toBe(NEW);
  });

  it('gate fails on the slot: nothing swapped, production untouched, nothing to roll back', async () => {
    const r = await run({ image: BROKEN });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('health gate (slot staging) failed');
    expect(r.failure).toContain('production was not changed (nothing to roll back)');
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(peer.image(RG, APP, 'staging')).toBe(BROKEN);
    expect(swapsCalled()).toBe(0);
    expect(r.live!.id).toBe(OLD);
    expect(slotApp.served.at(-1)).toBe('broken-3');
  });

  it('gate fails on production after the swap: swapped back, production runs the previous image (read back)', async () => {
    const r = await run({ image: PRODBAD });
    expect(r.status).toBe('rolled-back');
    expect(peer.swaps.map((s) => s.status)).toEqual(['Succeeded', 'Succeeded']);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(peer.image(RG, APP, 'staging')).toBe(PRODBAD);
    expect(r.live!.id).toBe(OLD);
    expect(r.failure).toContain('health gate (production, after the swap) failed');
    expect(r.failure).toContain('rolled back');
    expect(prodApp.served).toContain('broken-in-production-4');
    expect(await (await fetch(prodApp.url('/healthz'))).text()).toBe('version=old-1\n');
  });

  it('the swap itself fails at Azure (operation Failed): reported with its error, production keeps the old image', async () => {
    peer.behaviour.swap = () => 'fail';
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.providerStatus).toBe('swap failed');
    expect(r.failure).toMatch(
      /swap of slot staging into production of `metabuilder-prod` ended Failed: Failed to swap slot/,
    );
    expect(peer.swaps.map((s) => s.status)).toEqual(['Failed']);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(peer.image(RG, APP, 'staging')).toBe(NEW);
    expect(r.live!.id).toBe(OLD);
  });

  it('rollback-on-failure false after a failed production gate leaves the new image in production', async () => {
    const r = await run({ image: PRODBAD, 'rollback-on-failure': 'false' });
    expect(r.status).toBe('failed');
    expect(peer.swaps).toHaveLength(1);
    expect(peer.image(RG, APP)).toBe(PRODBAD);
    expect(r.live!.id).toBe(PRODBAD);
  });

  it('manual rollback swaps back: the previous production (now in the slot) serves again, read back', async () => {
    const site = peer.sites.get(`${RG}/${APP}`)!;
    site.slots.get('production')!.image = NEW; // as after a swap: NEW in production, OLD in the slot
    const r = await run({ mode: 'rollback', image: '', 'production-url': '', url: prodApp.url('/healthz') });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(peer.image(RG, APP, 'staging')).toBe(NEW);
    expect(r.live!.id).toBe(OLD);
    expect(swapsCalled()).toBe(1);
  });

  it('manual rollback to an image the slot does not hold is refused before any swap', async () => {
    const r = await run({ mode: 'rollback', image: '', 'production-url': '', 'rollback-to': BROKEN });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain('a swap back would not restore it');
    expect(swapsCalled()).toBe(0);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('promotes the exact digest staging runs (no rebuild) through the production slot; another digest is refused', async () => {
    peer.addSite(RG, 'metabuilder-staging', NEW);
    const refused = await run({ mode: 'promote', app: 'metabuilder-staging', 'promote-to': APP, image: BROKEN });
    expect(refused.status).toBe('failed');
    expect(refused.failure).toContain('is not what production of `metabuilder-staging` runs');
    expect(peer.image(RG, APP)).toBe(OLD);
    const r = await run({ mode: 'promote', app: 'metabuilder-staging', 'promote-to': APP, image: NEW });
    expect(r.failure).toBeUndefined();
    expect(r.status).toBe('ok');
    expect(r.app).toBe(APP);
    expect(peer.image(RG, APP)).toBe(NEW);
    expect(peer.image(RG, 'metabuilder-staging')).toBe(NEW);
    expect(r.live!.id).toBe(NEW);
  });

  it('bad client secret: 401 at the Entra ID token endpoint names the credential; ARM never called', async () => {
    const r = await run({ 'azure-client-secret': 'wrong~secret~value' });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/Entra ID token request returned 401 \(invalid_client: AADSTS7000215.*client secret/);
    expect(peer.calls.filter((c) => c.path.startsWith('/subscriptions'))).toEqual([]);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('an unknown tenant and an unknown client id are named', async () => {
    const t = await run({ 'azure-tenant-id': '00000000-0000-0000-0000-000000000001' });
    expect(t.failure).toMatch(/check `azure-tenant-id`/);
    const c = await run({ 'azure-client-id': '00000000-0000-0000-0000-000000000002' });
    expect(c.failure).toMatch(/check `azure-client-id`/);
  });

  it('ARM refuses the token: 401 names azure-tenant-id / azure-subscription-id; nothing changed', async () => {
    peer.behaviour.rejectArm = true;
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(
      /returned 401 \(InvalidAuthenticationToken.*`azure-tenant-id` is the tenant of subscription `azure-subscription-id`/,
    );
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('no role on the app: 403 names the role to assign; nothing changed', async () => {
    peer.behaviour.readOnlyRole = true;
    const r = await run({});
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/returned 403 \(AuthorizationFailed.*give it the "Website Contributor" role/);
    expect(peer.image(RG, APP, 'staging')).toBe(OLD);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('400 from ARM names the field it rejected (a linuxFxVersion Azure refuses); production keeps its image', async () => {
    const r = await run({
      slot: '',
      'production-url': '',
      mode: 'rollback',
      image: '',
      'rollback-to': `${REPO}@sha256:abc`,
    });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/returned 400: Azure rejected the field `properties\.linuxFxVersion` \(BadRequest/);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('without slot: a container that does not start is replaced by the image read before (re-pinned), reported failed', async () => {
    peer.behaviour.start = (image) => (image === NEW ? 'fail' : 'ok');
    const r = await run({ slot: '', 'production-url': '', url: prodApp.url('/healthz') });
    expect(r.status).toBe('failed');
    expect(r.failure).toContain(`production was re-pinned to ${OLD} and runs it again`);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(r.live!.id).toBe(OLD);
    expect(peer.calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });

  it('app / resource group not found: 404 names app, azure-resource-group and the subscription', async () => {
    const a = await run({ app: 'metabuilder-nope' });
    expect(a.status).toBe('failed');
    expect(a.failure).toMatch(
      /404 \(ResourceNotFound.*Check `app` \(web app `metabuilder-nope`\), `azure-resource-group`/,
    );
    const g = await run({ 'azure-resource-group': 'rg-nope' });
    expect(g.failure).toMatch(/404 \(ResourceGroupNotFound.*`azure-resource-group` \(`rg-nope`\)/);
    expect(peer.image(RG, APP)).toBe(OLD);
  });

  it('cancellation mid-swap: polling stops, the swap is reported InProgress at Azure, what production runs is read back', async () => {
    peer.behaviour.swap = () => 'hold';
    const c = new AbortController();
    peer.onSwapRead = () => c.abort(new Error('cancelled by SIGINT'));
    const r = await run({}, { signal: c.signal });
    expect(r.status).toBe('failed');
    expect(r.failure).toMatch(/cancelled while waiting for the swap of slot staging into production/);
    expect(r.failure).toContain('in state "InProgress"');
    expect(r.failure).toContain('it carries on without this run');
    // Azure was left with the swap running; at this point production still runs the old image.
    expect(peer.swaps.map((s) => s.status)).toEqual(['InProgress']);
    expect(peer.swaps[0]!.reads).toBe(1);
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(r.live!.id).toBe(OLD);
  });

  it('without slot: straight to production; a failed gate re-pins the linuxFxVersion read before the change', async () => {
    const r = await run({ slot: '', 'production-url': '', image: BROKEN, url: prodApp.url('/healthz') });
    expect(r.status).toBe('rolled-back');
    expect(peer.image(RG, APP)).toBe(OLD);
    expect(prodApp.served).toContain('broken-3');
    expect(swapsCalled()).toBe(0);
    expect(peer.calls.filter((c) => c.method === 'PATCH')).toHaveLength(2);
  });
});
