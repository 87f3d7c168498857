/**
 * The release phase of a releases layout reaches the LIVE Compose project, not a new one named after the
 * release directory: dist/run-release-phase (as the runner runs it) runs `compose run --rm -T web` in
 * `<base>/releases/r1` against a real Docker Engine (test/fixtures/dockerd.ts) with docker-compose v1 and a
 * real Python + Django image (test/fixtures/python-image.ts, nothing pulled). The app's database is SQLite on
 * the project's named volume `data`; Compose names that volume `<project>_data`. The live project, `shop`
 * (the deploy base's name), is created first; the migration must land in `shop_data`, and no `r1_data` may
 * appear (without `-p`, Compose names the project after the release directory: a new, empty database).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { djangoAppImage, pythonImage, pythonRootfsTar } from '../fixtures/python-image.js';
import { runDist } from '../helpers/run-dist.js';
import { execFileSync } from 'node:child_process';

const work = mkdtempSync(join(tmpdir(), 'dk-compose-project-'));
const base = join(work, 'shop'); // the deploy base: its name is the live project's name
const release = join(base, 'releases', 'r1');
let d: Dockerd;

const COMPOSE = `version: "2.4"
services:
  web:
    image: dk-django:test
    network_mode: none
    volumes:
      - data:/data
volumes:
  data: {}
`;

const compose = (...args: string[]) =>
  execFileSync('docker-compose', ['-f', join(release, 'docker-compose.yml'), ...args], {
    env: { ...process.env, DOCKER_HOST: d.host },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    timeout: 120_000,
  });

/** The tables of the SQLite database on a volume, read by the image's own Python. */
const tables = (volume: string): string[] =>
  d
    .docker(
      'run',
      '--rm',
      '--network',
      'none',
      '-v',
      `${volume}:/data`,
      '--entrypoint=python3',
      'dk-django:test',
      '-c',
      'import sqlite3; print("\\n".join(r[0] for r in sqlite3.connect("/data/db.sqlite3").execute("select name from sqlite_master where type=\'table\' order by name")))',
    )
    .trim()
    .split('\n');

beforeAll(async () => {
  const engine = startDockerd();
  const rootfs = pythonRootfsTar();
  try {
    d = await engine;
  } catch (e) {
    rmSync(rootfs, { force: true });
    throw e;
  }
  pythonImage(d, 'dk-python:test', rootfs);
  djangoAppImage(d, 'dk-python:test', 'dk-django:test');
  mkdirSync(release, { recursive: true });
  writeFileSync(join(release, 'docker-compose.yml'), COMPOSE);
}, 240_000);

afterAll(async () => {
  try {
    await d?.stop();
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}, 120_000);

describe('run-release-phase in a releases layout: compose-project', () => {
  it("the migration lands in the live project's database (shop_data), no project is named after the release", async () => {
    // The live project: created as `compose -p shop` would (its volume is shop_data), with an empty database.
    compose(
      '-p',
      'shop',
      'run',
      '--rm',
      '-T',
      '--entrypoint=python3',
      'web',
      '-c',
      'import sqlite3; sqlite3.connect("/data/db.sqlite3").execute("create table live_marker (x int)")',
    );
    expect(tables('shop_data')).toEqual(['live_marker']);

    const run = await runDist(
      'run-release-phase',
      {
        'run-on': 'local',
        'working-directory': release,
        'compose-service': 'web',
        preset: 'django',
        env: 'DATABASE_URL=sqlite:////data/db.sqlite3\nSTATIC_ROOT=/tmp/static',
      },
      { env: { DOCKER_HOST: d.host } },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const m = JSON.parse(run.outputs.migrations!) as { applied: string[] };
    expect(m.applied).toEqual(expect.arrayContaining(['shop.0001_initial', 'shop.0002_price']));
    // In the live database, next to what was there before.
    expect(tables('shop_data')).toEqual(expect.arrayContaining(['live_marker', 'shop_product', 'django_migrations']));
    const volumes = d.docker('volume', 'ls', '-q').trim().split('\n');
    expect(volumes).toContain('shop_data');
    expect(volumes).not.toContain('r1_data');
    expect(d.docker('ps', '-aq').trim()).toBe('');
  });

  it('control: a project named after the release (what Compose derives without -p) gets a new, empty database', async () => {
    const run = await runDist(
      'run-release-phase',
      {
        'run-on': 'local',
        'working-directory': release,
        'compose-service': 'web',
        'compose-project': 'r1',
        preset: 'django',
        env: 'DATABASE_URL=sqlite:////data/db.sqlite3\nSTATIC_ROOT=/tmp/static',
      },
      { env: { DOCKER_HOST: d.host } },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const migrated = tables('r1_data');
    expect(migrated).toContain('shop_product');
    expect(migrated).not.toContain('live_marker'); // not the live database
    expect(d.docker('ps', '-aq').trim()).toBe('');
    d.docker('volume', 'rm', 'r1_data'); // leaves the engine as the other test expects it, in any order
  });
});
