/**
 * The real reusable pipeline (.github/workflows/pipeline.yml, `target: compose`) run end to end by the local
 * workflow runner, called from an app repository's workflow with `secrets: inherit`. Staging and production are
 * two compose projects (nginx → Django/gunicorn → PostgreSQL 15, test/fixtures/compose-stack.ts) on one bridged
 * Docker Engine, reached over a real sshd (docker-host passed through); images go to a real registry on
 * 127.0.0.1 and the deployment records to the GitHub deployments stand-in. The pipeline builds each version
 * itself (build-image with the engine's legacy builder), tests it in the image, deploys it to staging by
 * digest and promotes that digest to production.
 *
 * Sequence: v1 reaches staging and, approved, production → v2's migration fails on staging: production is
 * never touched (still v1's digest, same migrations, no backup there) → v3 passes staging and fails
 * production's gate (it breaks only with production's settings): production is back on v1's digest by itself.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/runner/workflow/engine.js';
import { startComposeStack, type AppVersion, type ComposeStack } from '../fixtures/compose-stack.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { addComposeProject, type ComposeProject } from '../fixtures/workflows/compose-project.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-compose-'));
let s: ComposeStack;
let prod: ComposeProject;
let reg: Registry;
let gh: GitHubStandIn;
let sshd: SshdHost;

/** v3's health check fails only with production's settings (SHOP_ENV=production in its compose file). */
const V3_URLS = `
import os
from django.http import HttpResponse, JsonResponse
from django.urls import path

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _version():
    with open(os.path.join(HERE, "VERSION")) as f:
        return f.read().strip()


def ping(request):
    return HttpResponse("pong")


def healthz(request):
    if os.environ.get("SHOP_ENV") == "production":
        return HttpResponse("v3 breaks with production's settings", status=503)
    return JsonResponse({"status": "ok", "version": _version()})


def version(request):
    return HttpResponse(_version())


urlpatterns = [path("ping", ping), path("healthz", healthz), path("version", version)]
`;

const caller = () => `name: deploy
on:
  workflow_dispatch:
    inputs:
      version:
        type: string
        required: true
permissions:
  contents: read
  packages: write
  deployments: write
jobs:
  ship:
    uses: acme/deploy-kit/.github/workflows/pipeline.yml@v1
    with:
      target: compose
      user: \${{ vars.SSH_USER }}
      path: ${s.dir}
      staging-path: ${s.dir}
      production-path: ${prod.dir}
      docker-host: \${{ vars.REMOTE_DOCKER_HOST }}
      staging-hosts: \${{ vars.HOSTS }}
      staging-url: ${s.url}/healthz
      production-hosts: \${{ vars.HOSTS }}
      production-url: ${prod.url}/healthz
      image: ${reg.host}/shop
      context: app
      registry-username: ''
      test-command: read -r v < /app/VERSION && test "$v" = "\${{ inputs.version }}"
      preset: django
      release-service: web
      proxy-service: proxy
      backup: postgres
      backup-database: shop
      restore-db-on-rollback: true
      expect-json: status == ok
      expect-version: \${{ inputs.version }}
      health-deadline: 20s
    secrets: inherit
`;

/** The app repository at one version: the app's build context under app/ and the caller workflow. */
function workspace(v: AppVersion, urls?: string): string {
  const ws = join(work, `ws-${v.version}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  const name = `ctx-${v.version}`;
  s.buildSource(name, v); // writes <stack>/<name>/ and <stack>/<name>.yml
  cpSync(join(s.dir, name), join(ws, 'app'), { recursive: true });
  rmSync(join(s.dir, name), { recursive: true, force: true });
  rmSync(join(s.dir, `${name}.yml`), { force: true });
  if (urls) writeFileSync(join(ws, 'app', 'app', 'proj', 'urls.py'), urls);
  writeFileSync(join(ws, '.github', 'workflows', 'deploy.yml'), caller());
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', ws, ...args], {
      env: {
        ...process.env,
        GIT_AUTHOR_NAME: 't',
        GIT_AUTHOR_EMAIL: 't@example.com',
        GIT_COMMITTER_NAME: 't',
        GIT_COMMITTER_EMAIL: 't@example.com',
      },
    });
  git('init', '-q', '-b', 'main');
  git('add', '.');
  git('commit', '-q', '-m', v.version);
  return ws;
}

function pipeline(version: string, ws: string) {
  return runWorkflow({
    root: ROOT,
    workspace: ws,
    file: join(ws, '.github', 'workflows', 'deploy.yml'),
    event: 'workflow_dispatch',
    inputs: { version },
    vars: { HOSTS: sshd.spec, SSH_USER: sshd.user, REMOTE_DOCKER_HOST: s.dockerHost },
    secrets: { GITHUB_TOKEN: gh.token },
    environmentSecrets: {
      staging: { SSH_PRIVATE_KEY: sshd.privateKey, KNOWN_HOSTS: sshd.knownHosts, DATABASE_URL: s.databaseUrl },
      production: { SSH_PRIVATE_KEY: sshd.privateKey, KNOWN_HOSTS: sshd.knownHosts, DATABASE_URL: s.databaseUrl },
    },
    approve: ['staging', 'production'],
    env: {
      GITHUB_REPOSITORY: gh.repository,
      GITHUB_API_URL: gh.apiUrl,
      // The runner's docker CLI (build-image, the image test) talks to the same engine.
      DOCKER_HOST: s.dockerHost,
      DOCKER_CONFIG: join(work, 'docker-config'),
    },
    stateDir: join(work, 'runner-state'),
    node: NODE24,
  });
}

const served = async (url: string): Promise<string> =>
  (await (await fetch(`${url}/version`, { signal: AbortSignal.timeout(10_000) })).text()).trim();
const backups = (dir: string) => {
  const d = join(dir, '.deploy-kit', 'backups');
  return existsSync(d)
    ? readdirSync(d, { recursive: true })
        .map(String)
        .filter((f) => /\.(dump|sql|gz)/.test(f))
    : [];
};
/** The digest the registry serves for a tag (what promote moved). */
const tagDigest = async (tag: string): Promise<string> => {
  const res = await fetch(`${reg.url}/v2/shop/manifests/${tag}`, {
    method: 'HEAD',
    headers: {
      accept: [
        'application/vnd.oci.image.index.v1+json',
        'application/vnd.oci.image.manifest.v1+json',
        'application/vnd.docker.distribution.manifest.v2+json',
        'application/vnd.docker.distribution.manifest.list.v2+json',
      ].join(', '),
    },
  });
  expect(res.status).toBe(200);
  return `${reg.host}/shop@${res.headers.get('docker-content-digest')}`;
};
/** Deployment records, oldest first: `environment:latest state`. */
const records = () =>
  [...gh.deployments].reverse().map((d) => `${d.environment}:${gh.statuses.get(d.id)?.[0]?.state ?? 'none'}`);
const jobResults = (r: Awaited<ReturnType<typeof pipeline>>) => Object.fromEntries(r.jobs.map((j) => [j.id, j.result]));
const step = (r: Awaited<ReturnType<typeof pipeline>>, job: string, id: string) =>
  r.jobs.find((j) => j.id === job)!.steps.find((x) => x.id === id)!;

beforeAll(async () => {
  mkdirSync(join(work, 'docker-config'));
  [reg, gh, sshd] = await Promise.all([startRegistry(), startGitHubStandIn('acme/shop'), startSshd()]);
  s = await startComposeStack({ initial: { version: 'v0' }, initialTag: 'dk-shop:v0' });
  prod = await addComposeProject(s, 'shopprod', { SHOP_ENV: 'production' });
}, 600_000);

afterAll(async () => {
  prod?.down();
  await s?.stop();
  await Promise.all([reg?.stop(), gh?.close(), sshd?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe.sequential(
  'pipeline.yml, compose target, through the local workflow runner (two projects, one engine)',
  () => {
    let v1Digest = '';

    it('v1: built once, tested in the image, staged, approved, promoted: both projects pin and serve the same digest', async () => {
      expect(await served(s.url)).toBe('v0');
      expect(await served(prod.url)).toBe('v0');
      const r = await pipeline('v1', workspace({ version: 'v1', migrations: ['0003_stock.py'] }));
      expect(r.conclusion, r.log.slice(-8000)).toBe('success');
      expect(r.jobs.map((j) => `${j.id}:${j.result}`)).toEqual([
        'ship/build:success',
        'ship/test:success',
        'ship/staging:success',
        'ship/production:success',
        'ship:success',
      ]);
      const digest = r.jobs.find((j) => j.id === 'ship')!.outputs.digest!;
      expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
      v1Digest = `${reg.host}/shop@${digest}`;
      for (const p of [s, prod]) {
        expect(p.envImage()).toBe(v1Digest);
        expect(p.running('web')).toEqual([v1Digest]);
        expect(await served(p.url)).toBe('v1');
        expect(p.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
      }
      expect(backups(s.dir)).toHaveLength(1);
      expect(backups(prod.dir)).toHaveLength(1);
      // The promotion is recorded: staging's deployment of the digest, then production's.
      // No new record, no tag moved.
      expect(records()).toEqual(['staging:success', 'production:success']);
      expect(await tagDigest('staging')).toBe(v1Digest);
      expect(await tagDigest('production')).toBe(v1Digest);
      expect(r.log).toContain('environment production: approved (--approve)');
      expect(r.log).not.toContain(sshd.privateKey.split('\n')[1]);
    }, 600_000);

    it("v2: its migration fails on staging → production is never touched (v1's digest, its database unchanged)", async () => {
      const r = await pipeline('v2', workspace({ version: 'v2', migrations: ['0003_stock.py', '0004_broken.py'] }));
      expect(r.conclusion).toBe('failure');
      const jobs = jobResults(r);
      expect(jobs['ship/build']).toBe('success');
      expect(jobs['ship/test']).toBe('success');
      expect(jobs['ship/staging']).toBe('failure');
      expect(jobs['ship/production']).toBe('skipped');
      expect(step(r, 'ship/staging', 'compose').outputs.status).toBe('failed');
      expect(r.log).toMatch(/migration shop\.0004_broken failed/);
      for (const p of [s, prod]) {
        expect(p.envImage()).toBe(v1Digest);
        expect(p.running('web')).toEqual([v1Digest]);
        expect(await served(p.url)).toBe('v1');
        expect(p.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
      }
      expect(backups(s.dir)).toHaveLength(2); // taken before the release phase
      expect(backups(prod.dir)).toHaveLength(1);
      // No new record, no tag moved.
      expect(records()).toEqual(['staging:success', 'production:success']);
      expect(await tagDigest('staging')).toBe(v1Digest);
      expect(await tagDigest('production')).toBe(v1Digest);
    }, 600_000);

    it("v3: passes staging, fails production's gate → production is back on v1's digest by itself", async () => {
      prod.sql("INSERT INTO shop_product (name, price_cents, stock) VALUES ('kept', 100, 3)");
      const r = await pipeline(
        'v3',
        workspace({ version: 'v3', migrations: ['0003_stock.py', '0004_discount.py'] }, V3_URLS),
      );
      expect(r.conclusion).toBe('failure');
      const jobs = jobResults(r);
      expect(jobs['ship/staging'], r.log.slice(-8000)).toBe('success');
      expect(jobs['ship/production']).toBe('failure');
      const digest = r.jobs.find((j) => j.id === 'ship/build')!.outputs.digest!;
      const v3 = `${reg.host}/shop@${digest}`;
      expect(v3).not.toBe(v1Digest);
      expect(s.envImage()).toBe(v3);
      expect(s.running('web')).toEqual([v3]);
      expect(await served(s.url)).toBe('v3');
      expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock', '0004_discount']);
      const compose = step(r, 'ship/production', 'compose');
      expect(compose.outcome).toBe('failure');
      expect(compose.outputs['rolled-back']).toBe('true');
      expect(prod.envImage()).toBe(v1Digest);
      expect(prod.running('web')).toEqual([v1Digest]);
      expect(await served(prod.url)).toBe('v1');
      // v3's migration ran on production's database before the swap; the pre-update backup was restored
      // once v1 served again (restore-db-on-rollback): the schema is v1's, the data written before is there.
      expect(compose.outputs['restored-db']).toBe('true');
      expect(prod.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
      expect(
        prod.sql(
          "SELECT count(*) FROM information_schema.columns WHERE table_name = 'shop_product' AND column_name = 'discount'",
        ),
      ).toBe('0');
      expect(prod.sql('SELECT name, stock FROM shop_product')).toBe('kept|3');
      // The production tag points back at v1's digest; staging's at v3's.
      expect(await tagDigest('staging')).toBe(v3);
      expect(await tagDigest('production')).toBe(v1Digest);
      // v3 is recorded in staging only: production's record is written after its gate, which failed.
      expect(records()).toEqual(['staging:success', 'production:success', 'staging:success']);
      expect(backups(s.dir)).toHaveLength(3);
      expect(backups(prod.dir)).toHaveLength(2);
    }, 600_000);
  },
);
