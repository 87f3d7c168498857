/**
 * The real reusable pipeline (.github/workflows/pipeline.yml, `target: compose`) run by the local workflow
 * runner, called from an app repository's workflow with `secrets: inherit`: the case scripts/demo.sh does not
 * show. The demo's test (workflow-demo.e2e.test.ts) covers the main story on the same kind of servers - v1
 * built, tested, staged, approved and promoted; a release that fails production's gate switched back with its
 * database restored, tags and deployment records.
 *
 * Here: staging and production are two compose projects (nginx → Django/gunicorn → PostgreSQL 15,
 * test/fixtures/compose-stack.ts) on one bridged Docker Engine, reached over a real sshd, both serving v0; the
 * registry is anonymous (the caller sets no registry user). v2's migration (0004, after v0's 0003) fails on
 * staging: staging stays on v0 with v0's migrations (its pre-update backup taken), production is never touched (no backup, no promotion, no tag, no record).
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/runner/workflow/engine.js';
import { startComposeStack, type AppVersion, type ComposeStack } from '../fixtures/compose-stack.js';
import { startGitHubStandIn, type GitHubStandIn } from '../fixtures/github-deployments.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { commitAll, writeAppVersion } from '../fixtures/workflows/app-repo.js';
import { addComposeProject, type ComposeProject } from '../fixtures/workflows/compose-project.js';
import { manifestRef } from '../fixtures/workflows/registry-tags.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-compose-'));
let s: ComposeStack;
let prod: ComposeProject;
let reg: Registry;
let gh: GitHubStandIn;
let sshd: SshdHost;

/** No `registry-username`: the registry is anonymous and no REGISTRY_PASSWORD is set. */
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
function workspace(v: AppVersion): string {
  const ws = join(work, `ws-${v.version}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  writeAppVersion(s, ws, v, { context: 'app' });
  writeFileSync(join(ws, '.github', 'workflows', 'deploy.yml'), caller());
  commitAll(ws, v.version);
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
/** The registry's answer for a tag of the app image (200 once promote moved it there). */
const tagStatus = async (tag: string): Promise<number> => (await manifestRef(reg, 'shop', tag)).status;
const jobResults = (r: Awaited<ReturnType<typeof pipeline>>) => Object.fromEntries(r.jobs.map((j) => [j.id, j.result]));
const step = (r: Awaited<ReturnType<typeof pipeline>>, job: string, id: string) =>
  r.jobs.find((j) => j.id === job)!.steps.find((x) => x.id === id)!;

beforeAll(async () => {
  mkdirSync(join(work, 'docker-config'));
  [reg, gh, sshd] = await Promise.all([startRegistry(), startGitHubStandIn('acme/shop'), startSshd()]);
  s = await startComposeStack({ initial: { version: 'v0', migrations: ['0003_stock.py'] }, initialTag: 'dk-shop:v0' });
  prod = await addComposeProject(s, 'shopprod', { SHOP_ENV: 'production' });
}, 600_000);

afterAll(async () => {
  prod?.down();
  await s?.stop();
  await Promise.all([reg?.stop(), gh?.close(), sshd?.stop()]);
  rmSync(work, { recursive: true, force: true });
});

describe('pipeline.yml, compose target, through the local workflow runner (two projects, one engine)', () => {
  it('v2: its migration fails on staging → staging stays on v0, production is never touched', async () => {
    const v0Migrations = s.shopMigrations();
    expect(v0Migrations).toEqual(['0001_initial', '0002_price', '0003_stock']);
    expect(prod.shopMigrations()).toEqual(v0Migrations);
    const r = await pipeline('v2', workspace({ version: 'v2', migrations: ['0003_stock.py', '0004_broken.py'] }));
    expect(r.conclusion).toBe('failure');
    const jobs = jobResults(r);
    expect(jobs['ship/build'], r.log.slice(-8000)).toBe('success');
    expect(jobs['ship/test']).toBe('success');
    expect(jobs['ship/staging']).toBe('failure');
    expect(jobs['ship/production']).toBe('skipped');
    expect(step(r, 'ship/staging', 'compose').outputs.status).toBe('failed');
    expect(r.log).toMatch(/migration shop\.0004_broken failed/);
    // The digest was built and pushed anonymously (no registry user, no password).
    expect(r.jobs.find((j) => j.id === 'ship/build')!.outputs.digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    for (const p of [s, prod]) {
      expect(p.envImage()).toBe('dk-shop:v0');
      expect(p.running('web')).toEqual(['dk-shop:v0']);
      expect(await served(p.url)).toBe('v0');
      expect(p.shopMigrations()).toEqual(v0Migrations);
    }
    expect(backups(s.dir)).toHaveLength(1); // taken before the release phase
    expect(backups(prod.dir)).toHaveLength(0);
    // Nothing recorded, no tag moved.
    expect(gh.deployments).toEqual([]);
    expect(await tagStatus('staging')).toBe(404);
    expect(await tagStatus('production')).toBe(404);
    expect(r.log).toContain('environment staging: approved (--approve)');
    expect(r.log).not.toContain(sshd.privateKey.split('\n')[1]);
  }, 600_000);
});
