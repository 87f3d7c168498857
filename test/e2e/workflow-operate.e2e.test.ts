/**
 * health-monitor.yml and maintenance.yml through the local workflow runner against a real compose project
 * (nginx → Django/gunicorn → PostgreSQL 15, test/fixtures/compose-stack.ts) on a bridged Docker Engine,
 * reached over a real sshd (DOCKER_HOST given in the workflows' `env` input). Each case asserts what runs
 * afterwards and what the runner recorded (job results, step outputs).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/runner/workflow/engine.js';
import { startComposeStack, type ComposeStack } from '../fixtures/compose-stack.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { NODE24, ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-operate-'));
let s: ComposeStack;
let sshd: SshdHost;
let gh: IssuesStandIn;

function run(name: string, yml: string, event: string, inputs: Record<string, string> = {}) {
  const ws = join(work, `ws-${name}-${Math.random().toString(36).slice(2)}`);
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  const file = join(ws, '.github', 'workflows', `${name}.yml`);
  writeFileSync(file, yml);
  return runWorkflow({
    root: ROOT,
    workspace: ws,
    file,
    event,
    inputs,
    vars: { HOSTS: sshd.spec, SSH_USER: sshd.user, DOCKER_HOST_LINE: `DOCKER_HOST=${s.dockerHost}` },
    environmentSecrets: {
      production: { SSH_PRIVATE_KEY: sshd.privateKey, KNOWN_HOSTS: sshd.knownHosts, DATABASE_URL: s.databaseUrl },
    },
    secrets: { SSH_PRIVATE_KEY: sshd.privateKey, KNOWN_HOSTS: sshd.knownHosts, GITHUB_TOKEN: gh.token },
    approve: ['production'],
    // The monitor keeps its memory in incident issues: a local stand-in of GitHub's Issues API.
    env: { GITHUB_REPOSITORY: 'acme/shop', GITHUB_API_URL: gh.apiUrl },
    stateDir: join(work, 'runner-state'),
    node: NODE24,
  });
}

const monitor = () =>
  run(
    'monitor',
    `on: schedule
permissions:
  contents: read
  issues: write
jobs:
  monitor:
    uses: org/deploy-kit/.github/workflows/health-monitor.yml@v1
    with:
      name: shop
      urls: ${s.url}/healthz
      expect-json: status == ok
      max-p95: 5s
      load-requests: '10'
      load-concurrency: '2'
      restart-after: '1'
      hosts: \${{ vars.HOSTS }}
      user: \${{ vars.SSH_USER }}
      path: ${s.dir}
      env: \${{ vars.DOCKER_HOST_LINE }}
      disk-paths: none
      period: 1s
      deadline: 4s
    secrets: inherit
`,
    'schedule',
  );

const maintenance = (command: string) =>
  run(
    'maintenance',
    `on:
  workflow_dispatch:
    inputs:
      command:
        type: choice
        options: [status, restart-backend, migrate, backup-db]
permissions:
  contents: read
jobs:
  operate:
    uses: org/deploy-kit/.github/workflows/maintenance.yml@v1
    with:
      command: \${{ inputs.command }}
      environment: production
      hosts: \${{ vars.HOSTS }}
      user: \${{ vars.SSH_USER }}
      path: ${s.dir}
      python: python3
      env: \${{ vars.DOCKER_HOST_LINE }}
      database: shop
      backup-dir: ${join(s.dir, 'backups')}
      backup-keep: '5'
    secrets: inherit
`,
    'workflow_dispatch',
    { command },
  );

const startedAt = (service: string) =>
  s.docker('inspect', '--format', '{{.State.StartedAt}}', s.compose('ps', '-q', service).trim()).trim();
const webState = () => s.docker('inspect', '--format', '{{.State.Status}}', s.compose('ps', '-q', 'web').trim()).trim();
const served = async (): Promise<string> =>
  (await (await fetch(`${s.url}/version`, { signal: AbortSignal.timeout(10_000) })).text()).trim();

beforeAll(async () => {
  sshd = await startSshd();
  gh = await startIssuesStandIn('acme/shop');
  s = await startComposeStack({ initial: { version: 'v1' } });
  // v2 brings a migration; the project runs it without having migrated (maintenance `migrate` does that).
  s.appImage('dk-shop:v2', { version: 'v2', migrations: ['0003_stock.py'] });
}, 600_000);

afterAll(async () => {
  await s?.stop();
  await sshd?.stop();
  await gh?.close();
  rmSync(work, { recursive: true, force: true });
});

describe.sequential('health-monitor.yml and maintenance.yml over SSH on a live compose project', () => {
  it('health-monitor: the backend was stopped → the monitor sees it down and (restart-after 1) starts it; the next run is up', async () => {
    s.compose('stop', '-t', '2', 'web');
    expect(webState()).toBe('exited');
    const r = await monitor();
    const job = r.jobs.find((j) => j.id === 'monitor/monitor')!;
    // fail-on-down: the run that found it down is red, even though it healed.
    expect(r.conclusion, r.log.slice(-6000)).toBe('failure');
    expect(job.outputs).toMatchObject({ state: 'down', healed: 'true', 'consecutive-failures': '1' });
    expect(job.summary).toContain('started web');
    expect(webState()).toBe('running');
    // The monitor does not wait for the app to boot after a heal (the next scheduled run sees it): wait here,
    // bounded in count and time, until the proxy answers again.
    let version = '';
    for (let i = 0; i < 60 && version !== 'v1'; i++) {
      version = await served().catch(() => '');
      if (version !== 'v1') await new Promise((r) => setTimeout(r, 1000));
    }
    expect(version).toBe('v1');
    const next = await monitor();
    expect(next.conclusion, next.log.slice(-6000)).toBe('success');
    expect(next.jobs.find((j) => j.id === 'monitor')!.outputs).toMatchObject({ state: 'up', healthy: 'true' });
    expect(gh.schemaErrors).toEqual([]);
  }, 300_000);

  it('maintenance status: every service up, reported per service', async () => {
    const r = await maintenance('status');
    expect(r.conclusion, r.log.slice(-6000)).toBe('success');
    const job = r.jobs.find((j) => j.id === 'operate/run')!;
    expect(job.environment).toBe('production');
    const m = job.steps.find((x) => x.id === 'm')!;
    expect(m.outputs.result).toBe('ok');
    expect(JSON.parse(m.outputs.down!)).toEqual([]);
    for (const svc of ['db', 'web', 'proxy']) expect(m.outputs.status).toContain(svc);
    expect(r.jobs.find((j) => j.id === 'operate')!.outputs.result).toBe('ok');
  }, 300_000);

  it('maintenance restart-backend: web is restarted (new start time), db and proxy are not', async () => {
    const before = { web: startedAt('web'), db: startedAt('db'), proxy: startedAt('proxy') };
    const r = await maintenance('restart-backend');
    expect(r.conclusion, r.log.slice(-6000)).toBe('success');
    const m = r.jobs.find((j) => j.id === 'operate/run')!.steps.find((x) => x.id === 'm')!;
    expect(m.outputs.result).toBe('ok');
    expect(startedAt('web')).not.toBe(before.web);
    expect(startedAt('db')).toBe(before.db);
    expect(startedAt('proxy')).toBe(before.proxy);
    expect(webState()).toBe('running');
  }, 300_000);

  it("maintenance migrate: the running image's new migration is applied to the live database", async () => {
    writeFileSync(join(s.dir, '.env'), `APP_IMAGE=dk-shop:v2\nPROXY_PORT=${s.proxyPort}\n`);
    s.compose('up', '-d', '--no-deps', 'web');
    expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price']);
    const r = await maintenance('migrate');
    expect(r.conclusion, r.log.slice(-6000)).toBe('success');
    const m = r.jobs.find((j) => j.id === 'operate/run')!.steps.find((x) => x.id === 'm')!;
    expect(m.outputs.result).toBe('ok');
    expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
    expect(
      s.sql(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'shop_product' AND column_name = 'stock'",
      ),
    ).toBe('1');
  }, 300_000);

  it('maintenance backup-db: a verified dump of the live database is kept on the host', async () => {
    s.sql("INSERT INTO shop_product (name, price_cents, stock) VALUES ('kept', 100, 3)");
    const r = await maintenance('backup-db');
    expect(r.conclusion, r.log.slice(-6000)).toBe('success');
    const m = r.jobs.find((j) => j.id === 'operate/run')!.steps.find((x) => x.id === 'm')!;
    expect(m.outputs.result).toBe('ok');
    const kept = readdirSync(join(s.dir, 'backups')).filter((f) => f.startsWith('shop-'));
    expect(kept).toHaveLength(1);
    const [details] = JSON.parse(m.outputs.details!) as Array<Record<string, string>>;
    expect(details!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(Number(details!['size-bytes'])).toBeGreaterThan(256);
    expect(r.log).not.toContain(s.databaseUrl);
  }, 300_000);
});
