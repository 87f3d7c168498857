/**
 * paas-pipeline.yml for an image provider (render) through the local workflow runner: the build job builds the
 * image once with build-image on a real Docker Engine and pushes it to a real registry on loopback; staging and
 * production then run that same digest (paas-deploy by digest). The real Render is NOT reached: `api-url`
 * points at a LOCAL PROTOCOL PEER of Render's public API (test/fixtures/paas/render/peer.ts, every
 * request/response validated against Render's published OpenAPI document); each app's /healthz is a loopback
 * server answering with what the peer says is live. Asserted afterwards: the registry's digest, and which
 * digest each service runs.
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkflowRunResult } from '../../src/runner/workflow/engine.js';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { startPaasApp, type PaasApp } from '../fixtures/paas/app.js';
import { startRenderPeer, type PeerService, type RenderPeer } from '../fixtures/paas/render/peer.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { pipelineJob, pushPaas, writePaasCaller } from '../helpers/paas-pipeline.js';

const TOKEN = 'rnd_wfToken8c1d3e5f7a';
const OLD = `sha256:${'1'.repeat(64)}`;
const work = mkdtempSync(join(tmpdir(), 'dk-wf-render-'));
const ws = join(work, 'shop');
let d: Dockerd;
let reg: Registry;
let peer: RenderPeer;
let gh: GitHubStandIn;
let staging: PaasApp;
let production: PaasApp;
let stagingSvc: PeerService;
let prodSvc: PeerService;
/** Which digests fail only against production (as a release that breaks on production's data would). */
let breaksProduction: (digest: string) => boolean = () => false;

const served = (svc: () => PeerService, broken: (digest: string) => boolean) => () => {
  const live = peer.live(svc().id);
  if (!live) return undefined;
  return broken(live.sha) ? `broken-${live.sha}` : live.sha;
};

/** The caller's provider, apps, their health URLs and the peer (the same in every caller of this file). */
const renderApps = () => ({
  provider: 'render',
  stagingApp: stagingSvc.id,
  productionApp: prodSvc.id,
  stagingUrl: staging.url('/healthz'),
  productionUrl: production.url('/healthz'),
  apiUrl: peer.apiUrl,
});

beforeAll(async () => {
  [d, reg, peer, gh] = await Promise.all([
    startDockerd(),
    startRegistry(),
    startRenderPeer(TOKEN),
    startGitHubStandIn('acme/shop'),
  ]);
  staging = await startPaasApp(
    served(
      () => stagingSvc,
      () => false,
    ),
  );
  production = await startPaasApp(
    served(
      () => prodSvc,
      (digest) => breaksProduction(digest),
    ),
  );
  stagingSvc = peer.addService('shop-staging', `${reg.host}/acme/shop:latest`);
  prodSvc = peer.addService('shop', `${reg.host}/acme/shop:latest`);
  peer.seedLive(stagingSvc.id, OLD);
  peer.seedLive(prodSvc.id, OLD);

  // The app repository: a Dockerfile (FROM scratch with this machine's static busybox: nothing is pulled).
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  copyFileSync('/bin/busybox', join(ws, 'busybox'));
  writeFileSync(
    join(ws, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nENTRYPOINT ["/bin/busybox"]\nCMD ["httpd", "-f", "-p", "8080"]\n',
  );
  writePaasCaller(ws, {
    ...renderApps(),
    permissions: ['packages: write'],
    with: [`image: ${reg.host}/acme/shop`, 'release-command: alembic upgrade head', 'test-command: test -x busybox'],
  });
}, 180_000);

afterAll(async () => {
  await Promise.all([peer?.close(), gh?.close(), staging?.close(), production?.close(), reg?.stop()]);
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const push = (commit: string): Promise<WorkflowRunResult> =>
  pushPaas({
    ws,
    token: TOKEN,
    github: gh,
    commit,
    approve: ['staging', 'production'],
    stateDir: join(work, 'runner-state'),
    // The runner's docker CLI (build-image) talks to the test's engine.
    env: { DOCKER_HOST: d.host, DOCKER_CONFIG: join(work, 'docker-config') },
  });

const job = pipelineJob;
/** The digest the registry serves for a reference (what build-image pushed). */
async function registryDigest(ref: string): Promise<string | null> {
  const res = await fetch(`${reg.url}/v2/acme/shop/manifests/${ref}`, {
    method: 'HEAD',
    signal: AbortSignal.timeout(10_000),
    headers: {
      accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
      ].join(', '),
    },
  });
  return res.ok ? res.headers.get('docker-content-digest') : null;
}

describe.sequential('paas-pipeline.yml, render (local protocol peer, not the real Render)', () => {
  let built = '';

  it('builds the image once and runs that digest on staging, then on production', async () => {
    const r = await push('a');
    expect(r.conclusion, r.log.slice(-5000)).toBe('success');
    const ref = job(r, 'build').outputs['image-ref']!;
    expect(ref).toMatch(new RegExp(`^${reg.host}/acme/shop@sha256:[0-9a-f]{64}$`));
    built = ref.split('@')[1]!;
    // The digest exists at the registry (pushed, read back), and it is what both services run.
    expect(await registryDigest(built)).toBe(built);
    expect(peer.live(stagingSvc.id)!.sha).toBe(built);
    expect(peer.live(stagingSvc.id)!.preDeploy).toBe('alembic upgrade head');
    expect(peer.live(prodSvc.id)!.sha).toBe(built);
    expect(r.jobs.find((j) => j.id === 'pipeline')!.outputs).toMatchObject({
      'image-ref': ref,
      'production-status': 'ok',
      'production-release': peer.live(prodSvc.id)!.id,
    });
  }, 300_000);

  it('a failing production gate: production back on the digest it ran before; staging keeps the new one', async () => {
    // A changed file gives a new digest; that digest breaks only production.
    writeFileSync(join(ws, 'VERSION'), 'b\n');
    writeFileSync(join(ws, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\nCOPY VERSION /VERSION\n');
    const before = peer.live(prodSvc.id)!;
    breaksProduction = (digest) => digest !== built;
    const r = await push('b');
    expect(r.conclusion, r.log.slice(-5000)).toBe('failure');
    const newer = job(r, 'build').outputs['image-ref']!.split('@')[1]!;
    expect(newer).not.toBe(built);
    expect(peer.live(stagingSvc.id)!.sha).toBe(newer);
    expect(job(r, 'production').outputs.status).toBe('rolled-back');
    const live = peer.live(prodSvc.id)!;
    expect(live.sha).toBe(built);
    expect(live.id).not.toBe(before.id);
    expect(prodSvc.deploys.some((x) => x.sha === newer)).toBe(true);
    expect(production.served).toContain(`broken-${newer}`);
    expect(r.log).not.toContain(TOKEN);
  }, 300_000);

  it('no `image` for an image provider: the build job fails naming the input, nothing is deployed', async () => {
    const bare = join(work, 'no-image');
    writePaasCaller(bare, renderApps());
    const deploys = [stagingSvc.deploys.length, prodSvc.deploys.length];
    const r = await pushPaas({
      ws: bare,
      token: TOKEN,
      github: gh,
      commit: 'c',
      approve: ['staging', 'production'],
      stateDir: join(work, 'runner-state'),
    });
    expect(r.conclusion).toBe('failure');
    expect(job(r, 'build').result).toBe('failure');
    expect(job(r, 'staging').result).toBe('skipped');
    expect(job(r, 'production').result).toBe('skipped');
    expect(r.annotations.map((a) => a.message).join('\n')).toContain(
      'provider render runs an image: set the input image',
    );
    expect([stagingSvc.deploys.length, prodSvc.deploys.length]).toEqual(deploys);
  }, 120_000);

  it("every call to the peer matched Render's published schema", () => {
    expect(peer.violations).toEqual([]);
  });
});
