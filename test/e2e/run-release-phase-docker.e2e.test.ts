/**
 * run-release-phase's docker and compose modes end to end: the bundle run as the runner runs it, against a
 * real Docker Engine (test/fixtures/dockerd.ts, DOCKER_HOST) with a real Python 3 + Django + psycopg2 image
 * assembled from this machine's files (test/fixtures/python-image.ts; nothing is pulled), the Django fixture
 * app baked in at /app, and a real PostgreSQL 15 on loopback reached with `--network host` /
 * `network_mode: host` (the engine runs with --bridge=none). `docker` and `docker-compose` are the real
 * programs behind a recording wrapper on PATH, so the tests can show that no value ever reaches an argv and
 * that the env file is 0600 and removed afterwards.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startPostgres, type PgServer } from '../fixtures/postgres.js';
import { djangoAppImage, pythonImage, pythonRootfsTar } from '../fixtures/python-image.js';
import { ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';
import { runDist } from '../helpers/run-dist.js';

const fixture = join(ROOT, 'test', 'fixtures', 'django-app');
const work = mkdtempSync(join(tmpdir(), 'dk-release-docker-'));
const shimDir = join(work, 'bin');
const HOSTILE = `it's $(id) \`id\` "q" \\ * ; rm -rf / #`;
const hex = (s: string) => Buffer.from(s, 'utf8').toString('hex');
/** Prints HOSTILE as hex inside the container: the log masks env values, hex shows they arrived intact. */
const PRINT_HOSTILE = `python3 -c 'import os; print("HOSTILE-HEX=" + os.environ["HOSTILE"].encode().hex())'`;

let d: Dockerd;
let pg: PgServer;
let logN = 0;

/** Wrapper scripts that log every argv (and the env file's mode) to $DK_SHIM_LOG, then exec the real program. */
function installShims(): void {
  mkdirSync(shimDir, { recursive: true });
  for (const name of ['docker', 'docker-compose']) {
    const real = execFileSync('bash', ['-c', `command -v ${name}`])
      .toString()
      .trim();
    writeFileSync(
      join(shimDir, name),
      [
        '#!/bin/bash',
        'log="${DK_SHIM_LOG:?}"',
        `{ printf '%s' ${name}; printf ' %s' "$@"; printf '\\n'; } >> "$log"`,
        'prev=',
        'for a in "$@"; do',
        `  if [ "$prev" = --env-file ]; then printf 'ENVFILE %s %s\\n' "$(stat -c %a "$a")" "$a" >> "$log"; fi`,
        '  prev=$a',
        'done',
        `exec ${real} "$@"`,
        '',
      ].join('\n'),
    );
    chmodSync(join(shimDir, name), 0o755);
  }
}

/** Runs the bundle against the test engine, with the recording wrappers first on PATH. */
async function release(inputs: Record<string, string>) {
  const log = join(work, `argv-${++logN}.log`);
  writeFileSync(log, '');
  const run = await runDist('run-release-phase', inputs, {
    env: { DOCKER_HOST: d.host, PATH: `${shimDir}:${process.env.PATH}`, DK_SHIM_LOG: log },
  });
  return { ...run, argvLog: readFileSync(log, 'utf8') };
}

/** What Django itself reports as applied, read on the host (Debian's Django) from the same database. */
function djangoPlan(dbUrl: string): string[] {
  const plan = execFileSync(SYSTEM_PYTHON, ['manage.py', 'showmigrations', '--plan'], {
    cwd: fixture,
    env: { ...process.env, DATABASE_URL: dbUrl },
  }).toString();
  return [...plan.matchAll(/^\[X\]\s+(\S+)/gm)].map((x) => x[1]!);
}

function recorded(db: string): string[] {
  return pg.sql("SELECT app || '.' || name FROM django_migrations ORDER BY id", db).split('\n');
}

function envFiles(argvLog: string): { mode: string; path: string }[] {
  return [...argvLog.matchAll(/^ENVFILE (\d+) (.+)$/gm)].map((m) => ({ mode: m[1]!, path: m[2]! }));
}

beforeAll(async () => {
  installShims();
  const engine = startDockerd(); // dockerd boots while the rootfs is assembled (synchronously)
  const rootfs = pythonRootfsTar();
  try {
    [d, pg] = await Promise.all([engine, startPostgres()]);
  } catch (e) {
    rmSync(rootfs, { force: true });
    throw e;
  }
  pythonImage(d, 'dk-python:test', rootfs);
  djangoAppImage(d, 'dk-python:test', 'dk-django:test');
  djangoAppImage(d, 'dk-django:test', 'dk-django:broken', {
    'shop/migrations/0003_broken.py': join(fixture, '0003_broken.py.txt'),
  });
}, 180_000);

afterAll(async () => {
  try {
    await Promise.all([d?.stop(), pg?.stop()]);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe('run-release-phase in docker and compose modes (real Docker Engine, e2e)', () => {
  it('docker, image as is (no working-directory), network host: migrations applied to PostgreSQL, exact output, env literal and never in argv', async () => {
    pg.createDatabase('shop_a');
    const dbUrl = pg.url('shop_a'); // the fixture's password holds ' " and $
    const run = await release({
      'run-on': 'docker',
      image: 'dk-django:test',
      network: 'host',
      preset: 'django',
      commands: PRINT_HOSTILE,
      env: `DATABASE_URL=${dbUrl}\nHOSTILE=${HOSTILE}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const m = JSON.parse(run.outputs.migrations!) as { applied: string[]; before: string[]; after: string[] };
    const plan = djangoPlan(dbUrl);
    expect(plan).toContain('shop.0002_price');
    expect(m.before).toEqual([]);
    expect(m.applied).toEqual(plan);
    expect(m.after).toEqual(plan);
    expect(recorded('shop_a')).toEqual(plan);
    expect(
      pg.sql("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1", 'shop_a').split('\n'),
    ).toEqual(expect.arrayContaining(['auth_user', 'django_content_type', 'django_migrations', 'shop_product']));
    expect(
      pg.sql(
        "SELECT column_name FROM information_schema.columns WHERE table_name = 'shop_product' ORDER BY 1",
        'shop_a',
      ),
    ).toBe('id\nname\nprice_cents');
    // Hostile value arrived literally inside the container.
    expect(run.stdout).toContain(`HOSTILE-HEX=${hex(HOSTILE)}`);
    expect(run.summary).toContain('run-release-phase on local, image dk-django:test: ✅ succeeded');
    expect(run.summary).toContain('| migrate | ok |');
    expect(run.summary).toContain('| collectstatic | ok |');

    // The image ran as is: its own /app, nothing mounted, on the host network.
    const runs = run.argvLog.split('\n').filter((l) => l.startsWith('docker run '));
    // The preset's steps with the plan read before and after them in one container, then the command, then a
    // plan read of its own (the command may migrate too).
    expect(runs).toHaveLength(3);
    for (const l of runs) {
      expect(l).toMatch(
        /^docker run --rm -i --init --name deploy-kit-release-[0-9a-f]+-\d+ --network host -e DATABASE_URL -e HOSTILE --entrypoint=\S+ -- dk-django:test /,
      );
      expect(l).not.toContain(' -v ');
    }
    expect(runs[0]).toMatch(/--entrypoint=python3 -- dk-django:test -c import subprocess, sys, time$/);
    expect(run.argvLog).toMatch(
      / 4 python3 manage\.py showmigrations --plan 4 python3 manage\.py migrate --noinput 4 python3 manage\.py collectstatic --noinput$/m,
    );
    expect(runs[1]).toContain('--entrypoint=bash -- dk-django:test -euo pipefail -c');
    // No value in any argv (names only; values in the docker client's environment), no env file on disk.
    for (const secret of [pg.password, dbUrl, HOSTILE, '$(id)']) expect(run.argvLog).not.toContain(secret);
    expect(envFiles(run.argvLog)).toEqual([]);
    expect(d.docker('ps', '-aq').trim()).toBe(''); // --rm: no container left
  });

  it('docker with working-directory: mounted at /app in the runtime-only image; the SQLite file appears on the host', async () => {
    const app = join(work, 'mounted');
    cpSync(fixture, app, { recursive: true });
    rmSync(join(app, '0003_broken.py.txt'));
    const run = await release({
      'run-on': 'docker',
      image: 'dk-python:test',
      network: 'none',
      'working-directory': app,
      preset: 'django',
      env: 'DATABASE_URL=sqlite:////app/db.sqlite3\nSTATIC_ROOT=/app/static',
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect((JSON.parse(run.outputs.migrations!) as { applied: string[] }).applied).toContain('shop.0002_price');
    const tables = execFileSync('sqlite3', [
      join(app, 'db.sqlite3'),
      "SELECT name FROM sqlite_master WHERE type='table'",
    ])
      .toString()
      .split('\n');
    expect(tables).toContain('shop_product');
    expect(existsSync(join(app, 'static', 'shop', 'app.css'))).toBe(true);
    expect(run.argvLog).toContain(
      `--network none -w /app -e DATABASE_URL -e STATIC_ROOT -v ${app}:/app --entrypoint=python3 -- dk-python:test -c import subprocess`,
    );
    expect(run.argvLog).toContain(' 4 python3 manage.py migrate --noinput ');
  });

  it('compose (docker-compose v1), network_mode host: compose run --rm -T, values via env, never argv', async () => {
    pg.createDatabase('shop_c');
    const dbUrl = pg.url('shop_c');
    const proj = join(work, 'compose-proj');
    mkdirSync(proj);
    writeFileSync(
      join(proj, 'docker-compose.yml'),
      'version: "2.4"\nservices:\n  web:\n    image: dk-django:test\n    network_mode: host\n',
    );
    const run = await release({
      'run-on': 'docker',
      'compose-service': 'web',
      'working-directory': proj,
      'compose-file': 'docker-compose.yml',
      preset: 'django',
      commands: PRINT_HOSTILE,
      env: `DATABASE_URL=${dbUrl}\nHOSTILE=${HOSTILE}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    const m = JSON.parse(run.outputs.migrations!) as { applied: string[] };
    expect(m.applied).toEqual(djangoPlan(dbUrl));
    expect(recorded('shop_c')).toEqual(m.applied);
    expect(run.stdout).toContain(`HOSTILE-HEX=${hex(HOSTILE)}`);
    expect(run.summary).toContain('run-release-phase on local, compose service web: ✅ succeeded');
    expect(run.argvLog).toMatch(
      /^docker-compose -f docker-compose.yml run --rm -T --name deploy-kit-release-[0-9a-f]+-\d+ -e DATABASE_URL -e HOSTILE --entrypoint=python3 -- web -c import subprocess, sys, time$/m,
    );
    expect(run.argvLog).toContain(' 4 python3 manage.py migrate --noinput ');
    for (const secret of [pg.password, dbUrl, HOSTILE, '$(id)']) expect(run.argvLog).not.toContain(secret);
    expect(envFiles(run.argvLog)).toEqual([]);
    expect(d.docker('ps', '-aq').trim()).toBe('');
  });

  it('docker: a broken migration fails the step naming it and the error; the applied ones are reported; the fixed image then succeeds', async () => {
    pg.createDatabase('shop_d');
    const dbUrl = pg.url('shop_d');
    const inputs = {
      'run-on': 'docker',
      image: 'dk-django:broken',
      network: 'host',
      preset: 'django',
      env: `DATABASE_URL=${dbUrl}`,
    };
    const failed = await release(inputs);
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs.status).toBe('failed');
    const annotation = failed.annotations.join('\n');
    expect(annotation).toContain('release phase failed; nothing was activated');
    expect(annotation).toContain('migration shop.0003_broken failed (not applied)');
    expect(annotation).toMatch(/"migrate" exited with code 1; last output:[\s\S]*no_such_table/);
    expect(failed.stdout).toContain('Applying shop.0003_broken');
    const m = JSON.parse(failed.outputs.migrations!) as { applied: string[] };
    expect(m.applied).toContain('shop.0002_price');
    expect(m.applied).not.toContain('shop.0003_broken');
    expect(recorded('shop_d')).toEqual(m.applied);
    expect(failed.summary).toContain('| migrate | failed |');
    // collectstatic never ran (it was to run in the same container after migrate).
    expect(failed.summary).not.toContain('| collectstatic |');
    expect(failed.stdout).not.toMatch(/static files? copied/);
    expect(failed.argvLog).not.toContain(dbUrl);
    expect(d.docker('ps', '-aq').trim()).toBe('');

    const fixed = await release({ ...inputs, image: 'dk-django:test' });
    expect(fixed.exitCode, fixed.stdout).toBe(0);
    expect((JSON.parse(fixed.outputs.migrations!) as { applied: string[] }).applied).toEqual([]);
  });

  it('docker: a network or an image that does not exist fails on the first command, naming it; nothing left behind', async () => {
    for (const [inputs, named] of [
      [{ image: 'dk-django:test', network: 'dkproject_default' }, 'network dkproject_default not found'],
      [{ image: '127.0.0.1:9/dk-missing:1' }, '127.0.0.1:9'],
    ] as const) {
      const run = await release({ 'run-on': 'docker', preset: 'django', env: 'SECRET_KEY=s3cr3t', ...inputs });
      expect(run.exitCode).toBe(1);
      expect(run.outputs.status).toBe('failed');
      const annotation = run.annotations.join('\n');
      expect(annotation).toContain('"migrate, collectstatic" exited with code 125');
      expect(annotation).toContain(named);
      expect(run.summary).not.toContain('| migrate |');
      expect(run.argvLog).not.toContain('s3cr3t');
      expect(envFiles(run.argvLog)).toEqual([]);
      expect(d.docker('ps', '-aq').trim()).toBe('');
    }
  });

  it('docker and compose: a stopped command (idle timeout) stops the container too, not only the client', async () => {
    const proj = join(work, 'compose-timeout');
    mkdirSync(proj);
    writeFileSync(
      join(proj, 'docker-compose.yml'),
      'version: "2.4"\nservices:\n  web:\n    image: dk-django:test\n    network_mode: none\n',
    );
    // The sleeper ignores SIGTERM: only removing the container ends it.
    const sleeper = `python3 -c 'import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print("sleeping", flush=True); time.sleep(120)'`;
    for (const mode of <Record<string, string>[]>[
      { image: 'dk-django:test', network: 'none' },
      { 'compose-service': 'web', 'working-directory': proj },
    ]) {
      // idle-timeout, not timeout: it counts from the sleeper's own last output, so the container is surely
      // running when its client is stopped, however slow the start-up on a loaded machine.
      const run = await release({ 'run-on': 'docker', ...mode, commands: sleeper, 'idle-timeout': '5s' });
      expect(run.exitCode).toBe(1);
      expect(run.stdout).toContain('sleeping');
      expect(run.annotations.join('\n')).toContain('printed nothing for too long and was stopped');
      expect(run.argvLog).toMatch(/^docker rm -f deploy-kit-release-[0-9a-f]+-1$/m);
      expect(run.stdout).not.toContain('could not remove container');
      expect(d.docker('ps', '-aq').trim()).toBe('');
    }
  });

  it('a bad input fails naming the input; nothing runs (the other input cases are in test/unit/release.test.ts)', async () => {
    const run = await release({
      'run-on': 'docker',
      image: 'dk-django:test',
      preset: 'django',
      network: 'host --privileged',
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain('input `network`: "host --privileged" is not a docker network name');
    expect(run.outputs).toEqual({});
    expect(run.argvLog).toBe('');
  });
});
