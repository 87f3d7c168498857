/**
 * paas-pipeline.yml (provider heroku) through the local workflow runner: test → staging (source build) →
 * approval → production (the slug the staging job released, released on production from that slug - also
 * when a newer push reached staging meanwhile) → gate → rollback on failure. The real Heroku
 * is NOT reached: `api-url` points at a LOCAL PROTOCOL PEER of the Heroku Platform API
 * (test/fixtures/paas/heroku/peer.ts, every request/response validated against Heroku's published JSON
 * hyper-schema), the GitHub Deployments API is a local stand-in (test/fixtures/github-deployments.ts), and each
 * app's /healthz is a loopback HTTP server answering with the version the peer says is live. Each case asserts
 * the peer's state afterwards: which slug/version is live on staging and on production.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowRunResult } from '../../src/runner/workflow/engine.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startHerokuPeer, type HerokuPeer } from '../fixtures/paas/heroku/peer.js';
import { pipelineJob, pushPaas, writePaasCaller } from '../helpers/paas-pipeline.js';

const TOKEN = 'heroku-wf-token-71b3c9d2';
const work = mkdtempSync(join(tmpdir(), 'dk-wf-paas-'));
const ws = join(work, 'shop');
let peer: HerokuPeer;
let gh: GitHubStandIn;
let stagingApp: PaasApp;
let prodApp: PaasApp;
/** Versions that fail only against production (as a release that breaks on production's data would). */
const brokenInProduction = new Set<string>();

const sha = (c: string) => c.repeat(40);
const liveVersion = (name: string): string | undefined => {
  const cur = peer.current(name);
  return cur ? peer.slugs.get(cur.slugId)?.version : undefined;
};

beforeAll(async () => {
  [peer, gh] = await Promise.all([startHerokuPeer(TOKEN), startGitHubStandIn('acme/shop')]);
  stagingApp = await startPaasApp(() => liveVersion('shop-staging'));
  prodApp = await startPaasApp(() => {
    const v = liveVersion('shop-prod');
    return v && brokenInProduction.has(v) ? `broken-in-production-${v}` : v;
  });
  peer.behaviour.reads = 1;
  const pipeline = { id: '6a1f2b3c-0000-4000-8000-00000000cafe', stage: 'staging' };
  peer.addApp('shop-staging', { pipeline });
  peer.addApp('shop-prod', { pipeline: { ...pipeline, stage: 'production' } });
  peer.seedRelease('shop-staging', { version: 'seed', releaseCommand: 'python manage.py migrate --noinput' });
  peer.seedRelease('shop-prod', { version: 'seed', releaseCommand: 'python manage.py migrate --noinput' });

  // The app repository: a Procfile with a release phase, and a caller workflow as `deploy-kit init` writes it.
  mkdirSync(ws, { recursive: true });
  writeFileSync(join(ws, 'Procfile'), 'web: gunicorn shop.wsgi\nrelease: python manage.py migrate --noinput\n');
  writeFileSync(join(ws, 'manage.py'), 'print("manage")\n');
  writePaasCaller(ws, {
    provider: 'heroku',
    stagingApp: 'shop-staging',
    productionApp: 'shop-prod',
    stagingUrl: stagingApp.url('/healthz'),
    productionUrl: prodApp.url('/healthz'),
    apiUrl: peer.apiUrl,
    with: ["test-command: grep -q '^release:' Procfile"],
  });
}, 60_000);

afterAll(async () => {
  await Promise.all([peer?.close(), gh?.close(), stagingApp?.close(), prodApp?.close()]);
  rmSync(work, { recursive: true, force: true });
});

const push = (
  commit: string,
  approve: string[],
  more: { prompt?: (q: string) => Promise<boolean>; signal?: AbortSignal } = {},
): Promise<WorkflowRunResult> =>
  pushPaas({ ws, token: TOKEN, github: gh, commit, approve, stateDir: join(work, 'runner-state'), ...more });

const job = pipelineJob;

/** The reviewer of production: `waiting` resolves once the run asks, `answer` decides (test-driven, no timer). */
function productionApproval() {
  let asked!: () => void;
  const waiting = new Promise<void>((r) => (asked = r));
  let answer!: (ok: boolean) => void;
  const decision = new Promise<boolean>((r) => (answer = r));
  const prompt = async (q: string): Promise<boolean> => {
    expect(q).toContain('"production"');
    asked();
    return decision;
  };
  return { prompt, waiting, answer };
}
const recorded = (environment: string) =>
  gh.deployments
    .filter((d) => d.environment === environment)
    .map((d) => ({ sha: d.sha, state: gh.statuses.get(d.id)![0]?.state }));

describe.sequential('paas-pipeline.yml, heroku (local protocol peer, not the real Heroku)', () => {
  it('production is not approved: staging serves the new build, production still serves what it did', async () => {
    const r = await push('a', ['staging']);
    expect(r.conclusion, r.log.slice(-4000)).toBe('failure');
    expect(job(r, 'test').result).toBe('success');
    expect(job(r, 'build').result).toBe('skipped');
    expect(job(r, 'staging').result).toBe('success');
    expect(job(r, 'staging').environment).toBe('staging');
    expect(job(r, 'production').result).toBe('failure');
    expect(job(r, 'production').message).toMatch(/--approve/);
    expect(liveVersion('shop-staging')).toBe(sha('a'));
    expect(peer.apps.get('shop-staging')!.builds).toHaveLength(1);
    expect(liveVersion('shop-prod')).toBe('seed');
    expect(recorded('staging')).toEqual([{ sha: sha('a'), state: 'success' }]);
    expect(recorded('production')).toEqual([]);
  }, 180_000);

  it('production waiting for its approval does not hold staging: a newer push deploys staging meanwhile', async () => {
    const { prompt, waiting, answer } = productionApproval();
    const older = push('d', ['staging'], { prompt });
    await waiting;
    expect(liveVersion('shop-staging')).toBe(sha('d'));
    // Bounded: were staging's group held by the waiting run, this run would be cancelled here, not pass.
    const newer = await push('e', ['staging'], { signal: AbortSignal.timeout(120_000) });
    expect(job(newer, 'staging').result, newer.log.slice(-4000)).toBe('success');
    expect(liveVersion('shop-staging')).toBe(sha('e'));
    answer(false);
    const r = await older;
    expect(job(r, 'production').result).toBe('failure');
    expect(job(r, 'production').message).toMatch(/not approved/);
    expect(liveVersion('shop-prod')).toBe('seed');
  }, 240_000);

  it('approved: staging builds once, production gets the same slug (released from it, no build), gated', async () => {
    const r = await push('b', ['staging', 'production']);
    expect(r.conclusion, r.log.slice(-4000)).toBe('success');
    expect(liveVersion('shop-staging')).toBe(sha('b'));
    expect(liveVersion('shop-prod')).toBe(sha('b'));
    expect(peer.current('shop-prod')!.slugId).toBe(peer.current('shop-staging')!.slugId);
    expect(peer.apps.get('shop-prod')!.builds).toHaveLength(0);
    expect(peer.apps.get('shop-staging')!.builds).toHaveLength(4);
    expect(peer.current('shop-prod')!.description).toMatch(/^Promote shop-staging v\d+$/);
    expect(job(r, 'staging').outputs.slug).toBe(peer.current('shop-staging')!.slugId);
    expect(job(r, 'production').outputs).toMatchObject({ status: 'ok', live: peer.current('shop-prod')!.id });
    expect(r.jobs.find((j) => j.id === 'pipeline')!.outputs).toMatchObject({
      'production-status': 'ok',
      'production-release': peer.current('shop-prod')!.id,
      'staging-release': peer.current('shop-staging')!.id,
    });
    expect(recorded('production')).toEqual([{ sha: sha('b'), state: 'success' }]);
    expect(prodApp.served).toContain(sha('b'));
  }, 180_000);

  it('a failing production gate rolls production back to the previous release; staging keeps the new one', async () => {
    const before = peer.current('shop-prod')!;
    brokenInProduction.add(sha('c'));
    const r = await push('c', ['staging', 'production']);
    expect(r.conclusion, r.log.slice(-4000)).toBe('failure');
    expect(job(r, 'staging').result).toBe('success');
    expect(liveVersion('shop-staging')).toBe(sha('c'));
    expect(job(r, 'production').result).toBe('failure');
    expect(job(r, 'production').outputs.status).toBe('rolled-back');
    // The promoted release was made, failed its gate, and a new release copying the previous slug serves.
    const prod = peer.apps.get('shop-prod')!;
    const cur = peer.current('shop-prod')!;
    expect(cur.slugId).toBe(before.slugId);
    expect(cur.id).not.toBe(before.id);
    expect(cur.description).toBe(`Rollback to v${before.version}`);
    expect(liveVersion('shop-prod')).toBe(sha('b'));
    expect(prod.releases.some((x) => peer.slugs.get(x.slugId)?.version === sha('c'))).toBe(true);
    expect(job(r, 'production').outputs.live).toBe(cur.id);
    expect(prodApp.served).toContain(`broken-in-production-${sha('c')}`);
    expect(recorded('production')[0]).toEqual({ sha: sha('c'), state: 'failure' });
    // The token never shows in the run's log.
    expect(r.log).not.toContain(TOKEN);
  }, 180_000);

  it("a newer push reaches staging while production waits for approval: once approved, production runs the FIRST run's slug", async () => {
    const { prompt, waiting, answer } = productionApproval();
    const prodBefore = peer.current('shop-prod')!;
    const older = push('f', ['staging'], { prompt });
    await waiting;
    // What this run built, staged and gated - and what its reviewer approves.
    const approved = peer.current('shop-staging')!;
    expect(peer.slugs.get(approved.slugId)?.version).toBe(sha('f'));
    const newer = await push('1', ['staging'], { signal: AbortSignal.timeout(120_000) });
    expect(job(newer, 'staging').result, newer.log.slice(-4000)).toBe('success');
    expect(job(newer, 'production').result).toBe('failure'); // not approved: it changes nothing
    expect(liveVersion('shop-staging')).toBe(sha('1'));
    expect(peer.current('shop-prod')!.id).toBe(prodBefore.id);
    answer(true);
    const r = await older;
    expect(r.conclusion, r.log.slice(-4000)).toBe('success');
    expect(job(r, 'production').result).toBe('success');
    // Production runs the approved slug, not the newer one staging serves now.
    const prod = peer.current('shop-prod')!;
    expect(prod.slugId).toBe(approved.slugId);
    expect(prod.slugId).not.toBe(peer.current('shop-staging')!.slugId);
    expect(liveVersion('shop-prod')).toBe(sha('f'));
    expect(liveVersion('shop-staging')).toBe(sha('1'));
    expect(prod.description).toBe(`Promote shop-staging v${approved.version}`);
    expect(job(r, 'production').outputs).toMatchObject({ status: 'ok', live: prod.id });
    expect(prodApp.served.at(-1)).toBe(sha('f'));
    expect(recorded('production')[0]).toEqual({ sha: sha('f'), state: 'success' }); // newest first
    expect(r.log).toMatch(/`shop-staging` has moved on to v\d+ \(slug [0-9a-f-]+\) since/);
    // No pipeline promotion anywhere in this file's runs: every production release came from a given slug.
    expect(peer.calls.some((c) => c.path === '/pipeline-promotions')).toBe(false);
    expect(peer.apps.get('shop-prod')!.builds).toHaveLength(0);
  }, 300_000);

  it('a staging job that outputs no slug stops production before anything is deployed there', async () => {
    const prodBefore = peer.current('shop-prod')!;
    const deploymentsBefore = recorded('production').length;
    peer.behaviour.slugless.add('shop-staging'); // staging's releases are shown without a slug
    let r: WorkflowRunResult;
    try {
      r = await push('2', ['staging', 'production']);
    } finally {
      peer.behaviour.slugless.clear();
    }
    expect(r.conclusion, r.log.slice(-4000)).toBe('failure');
    expect(job(r, 'staging').result).toBe('success');
    expect(liveVersion('shop-staging')).toBe(sha('2'));
    expect(job(r, 'production').result).toBe('failure');
    expect(r.log).toContain('the staging job output no slug: production gets only the slug this run built');
    expect(peer.current('shop-prod')!.id).toBe(prodBefore.id);
    expect(peer.apps.get('shop-prod')!.releases.at(-1)!.id).toBe(prodBefore.id);
    expect(recorded('production')).toHaveLength(deploymentsBefore);
  }, 180_000);

  it("every call to the peer matched Heroku's published schema", () => {
    expect(peer.violations).toEqual([]);
    expect(peer.blobRequestsWithAuth).toBe(0);
  });
});
