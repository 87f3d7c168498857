/**
 * The compose demo (run by scripts/demo.sh inside a private mount namespace whose /tmp is the sandbox):
 *
 * - the "server": an sshd on 127.0.0.1 whose user drives a bridged Docker Engine (DOCKER_HOST), on which
 *   staging and production are two compose projects (nginx → Django/gunicorn → PostgreSQL 15 with a named
 *   volume), both already serving v0 of the app;
 * - a registry on 127.0.0.1 (docker-registry) and a local stand-in for GitHub's Deployments API (the
 *   promotion records; the real API cannot be reached from here);
 * - the app's repository: a small Django app with its Dockerfile and the workflow `deploy-kit init --target
 *   compose` writes (plus the sandbox's own inputs: SSH user, DOCKER_HOST, the production project's directory…),
 *   which calls the real reusable .github/workflows/pipeline.yml through `deploy-kit workflow run`.
 *
 * Run 1 (v1): build → test in the image → staging (backup, migrate, swap, gate, record) → production (approved
 * with --approve, the same digest promoted, backup, migrate, swap, gate, record). Run 2 (v2): it migrates and
 * passes staging, but its health check fails with production's settings: production switches back to v1's
 * digest by itself and its pre-update backup is restored (an order written before the release is kept).
 * The state of both environments is printed after each run, and written as JSON to $DEMO_STATE_FILE.
 *
 * The servers are the test suite's fixtures (test/fixtures/), shared, not copied. On SIGINT/SIGTERM the
 * workflow run is cancelled and everything started is stopped in reverse order.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  writeFileSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { startComposeStack, type ComposeStack } from '../../test/fixtures/compose-stack.js';
import { startGitHubStandIn, type GitHubStandIn } from '../../test/fixtures/github-deployments.js';
import { startRegistry, type Registry } from '../../test/fixtures/registry.js';
import { startSshd, type SshdHost } from '../../test/fixtures/sshd.js';
import { commitAll, writeAppVersion } from '../../test/fixtures/workflows/app-repo.js';
import { addComposeProject, type ComposeProject } from '../../test/fixtures/workflows/compose-project.js';
import { manifestRef } from '../../test/fixtures/workflows/registry-tags.js';

const ROOT = resolve(import.meta.dirname, '..', '..');
const NODE = process.execPath;
/** Where the wrapper finds what to clean up should this process die without its own teardown. */
const MANIFEST = process.env.DEMO_MANIFEST ?? '';
/** How long a cancelled workflow run gets to finish its always() steps before it is killed. */
const RUNNER_STOP_MS = 30_000;
/** How long the teardown waits for a server that is still starting. */
const STARTING_WAIT_MS = 60_000;

const say = (line: string): void => void process.stdout.write(`demo: ${line}\n`);
const banner = (line: string): void => void process.stdout.write(`\n════ ${line} ════\n`);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

// ── teardown ──────────────────────────────────────────────────────────────────────────────────────────────
const cleanups: { name: string; run: () => Promise<void> | void }[] = [];
const starting = new Set<Promise<unknown>>();
let runner: ChildProcess | undefined;
let interrupted: Promise<never> | undefined;

/** Starts something to be stopped at the end; an interrupt waits (bounded) for what is still starting. */
async function started<T>(name: string, start: Promise<T>, stop: (v: T) => Promise<void> | void): Promise<T> {
  starting.add(start);
  try {
    const v = await start;
    cleanups.push({ name, run: () => stop(v) });
    return v;
  } finally {
    starting.delete(start);
  }
}

async function teardown(): Promise<void> {
  if (starting.size) await Promise.race([Promise.allSettled([...starting]), sleep(STARTING_WAIT_MS)]);
  for (const c of cleanups.splice(0).reverse()) {
    try {
      await c.run();
    } catch (e) {
      say(`stopping ${c.name} failed: ${(e as Error).message}`);
    }
  }
}

async function stopRunner(): Promise<void> {
  const child = runner;
  if (!child?.pid || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  try {
    process.kill(-child.pid, 'SIGINT'); // the runner cancels the run (always() steps still run)
  } catch {
    return;
  }
  if (await Promise.race([exited.then(() => true), sleep(RUNNER_STOP_MS).then(() => false)])) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
  await exited;
}

function onSignal(signal: string): void {
  if (interrupted) return;
  process.stdout.write('\n');
  say(`interrupted (${signal}): cancelling the run, stopping the servers`);
  interrupted = (async () => {
    await stopRunner();
    await teardown();
    process.exit(130);
  })();
}
process.on('SIGINT', () => onSignal('SIGINT'));
process.on('SIGTERM', () => onSignal('SIGTERM'));

/** After every await of the main path: once interrupted, the interrupt's teardown is the only way on. */
async function live<T>(p: Promise<T>): Promise<T> {
  const v = await p;
  if (interrupted) await interrupted;
  return v;
}

/**
 * Notes the bridge of every Docker Engine this process starts in the manifest as soon as it runs (the
 * wrapper removes those bridges should the teardown never run; everything else dies with the namespace).
 */
function watchEngines(): () => void {
  const seen = new Set<string>();
  const scan = (): void => {
    for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
      try {
        const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
        if (!stat.includes('(dockerd)') || Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) !== process.pid)
          continue;
        const bridge = /--bridge=(dk[0-9a-f]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' '));
        if (bridge && !seen.has(bridge[1]!)) {
          seen.add(bridge[1]!);
          if (MANIFEST) appendFileSync(MANIFEST, `bridge ${bridge[1]}\n`);
        }
      } catch {
        // gone meanwhile
      }
    }
  };
  const t = setInterval(scan, 250);
  return () => {
    scan();
    clearInterval(t);
  };
}

// ── the app ───────────────────────────────────────────────────────────────────────────────────────────────
/** v2's health check fails only with production's settings (SHOP_ENV=production in its compose project). */
const V2_URLS = `import os
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
        return HttpResponse("v2 breaks with production's settings", status=503)
    return JsonResponse({"status": "ok", "version": _version()})


def version(request):
    return HttpResponse(_version())


urlpatterns = [path("ping", ping), path("healthz", healthz), path("version", version)]
`;

interface Sandbox {
  s: ComposeStack;
  prod: ComposeProject;
  reg: Registry;
  gh: GitHubStandIn;
  sshd: SshdHost;
  work: string;
}

/** The inputs `deploy-kit init` cannot know about this sandbox, added to the workflow it wrote. */
function sandboxInputs(x: Sandbox): Record<string, string | boolean> {
  return {
    user: x.sshd.user,
    'docker-host': x.s.dockerHost, // the engine of the "server" (a rootless Docker would look alike)
    'production-path': x.prod.dir, // production is a second compose project on the same engine
    'proxy-service': 'proxy',
    'test-command': 'python3 manage.py check',
    'expect-json': 'status == ok',
    'backup-database': 'shop',
    'restore-db-on-rollback': true,
  };
}

function pipeline(x: Sandbox, repo: string, secrets: string): Promise<number> {
  const args = [
    join(ROOT, 'bin', 'deploy-kit.js'),
    'workflow',
    'run',
    '.github/workflows/deploy.yml',
    '--event',
    'push',
    '--var',
    `STAGING_HOSTS=${x.sshd.spec}`,
    '--var',
    `STAGING_URL=${x.s.url}`,
    '--var',
    `PRODUCTION_HOSTS=${x.sshd.spec}`,
    '--var',
    `PRODUCTION_URL=${x.prod.url}`,
    '--secret-file',
    secrets,
    '--secret',
    'GITHUB_TOKEN', // its value from this environment, not from argv
    '--approve',
    'staging',
    '--approve',
    'production',
    '--env',
    `GITHUB_REPOSITORY=${x.gh.repository}`,
    '--env',
    `GITHUB_API_URL=${x.gh.apiUrl}`,
    // The runner's own docker CLI (build-image, the image test) uses the same engine.
    '--env',
    `DOCKER_HOST=${x.s.dockerHost}`,
    '--env',
    `DOCKER_CONFIG=${join(x.work, 'docker-config')}`,
    '--state-dir',
    join(x.work, 'runner-state'),
  ];
  return new Promise((res, rej) => {
    const child = spawn(NODE, args, {
      cwd: repo,
      detached: true, // its own process group: an interrupt cancels the run through it
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { ...process.env, GITHUB_TOKEN: x.gh.token },
    });
    runner = child;
    child.once('error', rej);
    child.once('exit', (code, signal) => {
      runner = undefined;
      res(code ?? (signal ? 128 : 1));
    });
  });
}

// ── state ─────────────────────────────────────────────────────────────────────────────────────────────────
interface EnvState {
  url: string;
  serves: string;
  health: string;
  pinned: string;
  running: string[];
  migrations: string[];
  backups: number;
  tag: string;
}

export interface DemoState {
  registry: string;
  runs: { version: string; exitCode: number; commit: string }[];
  afterRun1?: { staging: EnvState; production: EnvState };
  deploymentsAfterRun1: string[];
  final?: { staging: EnvState; production: EnvState };
  deployments: string[];
  productionOrders: string;
  productionDiscountColumn: string;
}

async function get(url: string): Promise<{ status: number; body: string }> {
  try {
    const r = await fetch(url, { signal: AbortSignal.timeout(10_000) });
    return { status: r.status, body: (await r.text()).trim() };
  } catch (e) {
    return { status: 0, body: `(${(e as Error).message})` };
  }
}

async function tagDigest(reg: Registry, tag: string): Promise<string> {
  const m = await manifestRef(reg, 'shop', tag);
  return m.status === 200 ? m.ref : `(HTTP ${m.status})`;
}

function backupCount(dir: string): number {
  const d = join(dir, '.deploy-kit', 'backups');
  return existsSync(d)
    ? readdirSync(d, { recursive: true })
        .map(String)
        .filter((f) => /\.(dump|sql|gz)/.test(f)).length
    : 0;
}

async function envState(
  p: Pick<ComposeProject, 'url' | 'envImage' | 'running' | 'shopMigrations' | 'dir'>,
  reg: Registry,
  tag: string,
): Promise<EnvState> {
  const [version, health] = await Promise.all([get(`${p.url}/version`), get(`${p.url}/healthz`)]);
  return {
    url: p.url,
    serves: version.status === 200 ? version.body : `(HTTP ${version.status})`,
    health: `${health.status} ${health.body}`.slice(0, 120),
    pinned: p.envImage(),
    running: p.running('web'),
    migrations: p.shopMigrations(),
    backups: backupCount(p.dir),
    tag: await tagDigest(reg, tag),
  };
}

const short = (ref: string): string => ref.replace(/@sha256:([0-9a-f]{12})[0-9a-f]+/, '@sha256:$1…');

function printState(st: { staging: EnvState; production: EnvState }, deployments: string[]): void {
  const rows: [string, (e: EnvState) => string][] = [
    ['serves (/version)', (e) => e.serves],
    ['health (/healthz)', (e) => e.health],
    ['pinned image (.env)', (e) => short(e.pinned)],
    ['running web', (e) => e.running.map(short).join(', ') || '(none)'],
    ['migrations (shop)', (e) => e.migrations.at(-1) ?? '(none)'],
    ['pre-update backups', (e) => String(e.backups)],
    ['registry tag', (e) => short(e.tag)],
  ];
  const w = Math.max(...rows.map(([k]) => k.length));
  process.stdout.write(`\n  ${''.padEnd(w)}  ${'staging'.padEnd(44)}  production\n`);
  for (const [k, f] of rows)
    process.stdout.write(`  ${k.padEnd(w)}  ${f(st.staging).padEnd(44)}  ${f(st.production)}\n`);
  process.stdout.write(`  ${'deployment records'.padEnd(w)}  ${deployments.join(', ') || '(none)'}\n`);
}

// ── main ──────────────────────────────────────────────────────────────────────────────────────────────────
async function main(): Promise<number> {
  const begun = Date.now();
  const work = mkdtempSync('/tmp/demo-');
  mkdirSync(join(work, 'docker-config'));
  const state: DemoState = {
    registry: '',
    runs: [],
    deploymentsAfterRun1: [],
    deployments: [],
    productionOrders: '',
    productionDiscountColumn: '',
  };
  const saveState = (): void => {
    if (process.env.DEMO_STATE_OUT) writeFileSync(process.env.DEMO_STATE_OUT, JSON.stringify(state, null, 2));
  };

  say('starting the "server": a bridged Docker Engine with staging and production (nginx → Django → PostgreSQL 15)');
  say('as two compose projects, an sshd whose user drives that engine, a registry and a GitHub API stand-in');
  if (MANIFEST) appendFileSync(MANIFEST, `ns ${readlinkSync('/proc/self/ns/mnt')}\n`);
  const stopWatching = watchEngines();
  const [reg, gh, sshd] = await live(
    Promise.all([
      started('the registry', startRegistry(), (r) => r.stop()),
      started('the GitHub API stand-in', startGitHubStandIn('acme/shop'), (g) => g.close()),
      started('the sshd', startSshd(), (h) => h.stop()),
    ]),
  );
  // After the others are up: it starts by packing a Python root filesystem, which holds this thread (and the
  // others' bounded start-up waits) for a while.
  const s = await live(
    started(
      'the Docker Engine (staging)',
      startComposeStack({ initial: { version: 'v0' }, initialTag: 'dk-shop:v0' }),
      (st) => st.stop(),
    ),
  );
  stopWatching();
  const prod = await live(
    started('production', addComposeProject(s, 'shopprod', { SHOP_ENV: 'production' }), (p) => p.down()),
  );
  const x: Sandbox = { s, prod, reg, gh, sshd, work };
  state.registry = reg.host;
  say(`sshd        ${sshd.spec} (DOCKER_HOST=${s.dockerHost})`);
  say(`registry    http://${reg.host}`);
  say(`staging     ${s.dir} → ${s.url}  (serves ${(await get(`${s.url}/version`)).body})`);
  say(`production  ${prod.dir} → ${prod.url}  (serves ${(await get(`${prod.url}/version`)).body})`);
  say(`ready in ${Math.round((Date.now() - begun) / 1000)} s`);

  // The app repository: v1 of the app, then the workflow deploy-kit init writes for it.
  const repo = join(work, 'shop');
  mkdirSync(repo);
  writeAppVersion(s, repo, { version: 'v1', migrations: ['0003_stock.py'] });
  banner('deploy-kit init --target compose --framework django');
  const init = await live(
    new Promise<number>((res) => {
      const c = spawn(
        NODE,
        [
          join(ROOT, 'bin', 'deploy-kit.js'),
          'init',
          '--dir',
          repo,
          '--target',
          'compose',
          '--framework',
          'django',
          '--database',
          'postgres',
          '--path',
          s.dir,
          '--image',
          `${reg.host}/shop`,
          '--health-deadline',
          '15s',
        ],
        { stdio: ['ignore', 'inherit', 'inherit'] },
      );
      c.once('exit', (code) => res(code ?? 1));
    }),
  );
  if (init !== 0) throw new Error(`deploy-kit init exited with ${init}`);
  const file = join(repo, '.github', 'workflows', 'deploy.yml');
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const extra = sandboxInputs(x);
  for (const [k, v] of Object.entries(extra)) doc.setIn(['jobs', 'pipeline', 'with', k], v);
  writeFileSync(file, doc.toString({ lineWidth: 0 }));
  say(`the sandbox's own inputs added to jobs.pipeline.with: ${Object.keys(extra).join(', ')}`);

  // Each environment's secrets (as in Settings → Environments), outside argv.
  const secrets = join(work, 'secrets');
  const lines: string[] = [];
  for (const env of ['staging', 'production']) {
    lines.push(`${env}:SSH_PRIVATE_KEY<<KEY_END`, sshd.privateKey.trim(), 'KEY_END');
    lines.push(`${env}:KNOWN_HOSTS=${sshd.knownHosts}`);
    lines.push(`${env}:DATABASE_URL=${s.databaseUrl}`);
  }
  writeFileSync(secrets, `${lines.join('\n')}\n`, { mode: 0o600 });

  const deployments = (): string[] =>
    [...gh.deployments].reverse().map((d) => `${d.environment}:${gh.statuses.get(d.id)?.[0]?.state ?? 'none'}`);
  const snapshot = async (): Promise<{ staging: EnvState; production: EnvState }> => ({
    staging: await envState(s, reg, 'staging'),
    production: await envState(prod, reg, 'production'),
  });

  banner('run 1: v1 → build → test → staging → approval (--approve production) → production → gate');
  let commit = commitAll(repo, 'v1: stock per product');
  const run1 = await live(pipeline(x, repo, secrets));
  state.runs.push({ version: 'v1', exitCode: run1, commit });
  state.afterRun1 = await live(snapshot());
  state.deploymentsAfterRun1 = state.deployments = deployments();
  saveState();
  printState(state.afterRun1, state.deployments);
  if (run1 !== 0) {
    say(`run 1 failed (exit ${run1}): see the log above`);
    return 1;
  }

  banner("run 2: v2 migrates and passes staging, but its health check fails with production's settings");
  // An order written on production before the release: the restore after the switch-back keeps it.
  prod.sql("INSERT INTO shop_product (name, price_cents, stock) VALUES ('order placed before v2', 100, 3)");
  writeAppVersion(s, repo, { version: 'v2', migrations: ['0003_stock.py', '0004_discount.py'] }, { urls: V2_URLS });
  commit = commitAll(repo, 'v2: discounts');
  const run2 = await live(pipeline(x, repo, secrets));
  state.runs.push({ version: 'v2', exitCode: run2, commit });
  state.final = await live(snapshot());
  state.deployments = deployments();
  state.productionOrders = prod.sql('SELECT name, stock FROM shop_product');
  state.productionDiscountColumn = prod.sql(
    "SELECT count(*) FROM information_schema.columns WHERE table_name = 'shop_product' AND column_name = 'discount'",
  );
  saveState();
  banner('state after run 2');
  printState(state.final, state.deployments);
  const f = state.final;
  const v1 = state.afterRun1.production.pinned;
  const ok =
    run2 !== 0 &&
    f.staging.serves === 'v2' &&
    f.production.serves === 'v1' &&
    f.production.pinned === v1 &&
    f.production.tag === v1 &&
    state.productionDiscountColumn === '0';
  process.stdout.write('\n');
  if (!ok) {
    say('expected: run 2 fails, staging serves v2, production serves v1 again (its pin, tag and schema back)');
    return 1;
  }
  say(`production is back on v1 (${short(v1)}) by itself: its compose-deploy switched back, restored the`);
  say(`pre-update backup (no \`discount\` column; the order written before is there: ${state.productionOrders})`);
  say('and the pipeline pointed the production tag back; staging keeps v2, which passed its own gate.');
  say(`done in ${Math.round((Date.now() - begun) / 1000)} s`);
  return 0;
}

let code = 1;
try {
  code = await live(main());
} catch (e) {
  if (interrupted) await interrupted;
  say(`failed: ${(e as Error).stack ?? e}`);
}
if (interrupted) await interrupted;
say('stopping the servers');
await teardown();
process.exit(code);
