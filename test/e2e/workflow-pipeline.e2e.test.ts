/**
 * The real reusable pipeline (.github/workflows/pipeline.yml, `target: releases`) run end to end by the local
 * workflow runner, called from an app repository's workflow with `secrets: inherit`: staging and production are
 * two sshd hosts (each its own filesystem: a private mount namespace binds the host's dir over the same deploy
 * path), each with its own deploy key given as an environment secret. The app is the Django fixture served by
 * gunicorn (started by after-activate), SQLite in the host's shared/ dir; backups are taken by backup-db over SSH.
 *
 * Sequence: v1 reaches staging and, approved, production → v2's migration fails on staging: production is never
 * touched (no backup there, still v1) → v3 passes staging, fails production's gate: production is switched back
 * to v1 by itself. Each step asserts what serves, which release is current, which migrations and backups exist.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runWorkflow } from '../../src/runner/workflow/engine.js';
import { freePort } from '../fixtures/ports.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { NODE24, ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-wf-pipeline-'));
/** The deploy path both hosts use; each host sees its own directory there. */
const at = join(work, 'srv');
const fixture = join(ROOT, 'test', 'fixtures', 'django-app');

interface Server {
  name: 'staging' | 'production';
  sshd: SshdHost;
  /** What the host sees at `at`. */
  dir: string;
  port: number;
}
const servers: Partial<Record<'staging' | 'production', Server>> = {};

const HEALTH_VIEW = `
import os
from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.urls import path


def healthz(request):
    root = settings.BASE_DIR
    with open(os.path.join(root, "VERSION")) as f:
        version = f.read().strip()
    tables = connection.introspection.table_names()
    broken = os.path.exists(os.path.join(root, "..", "..", "app-state", "BROKEN-" + version))
    ok = "shop_product" in tables and not broken
    return JsonResponse({"status": "ok" if ok else "broken", "version": version}, status=200 if ok else 503)


urlpatterns = [path("healthz", healthz)]
`;

const WSGI = `import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
application = get_wsgi_application()
`;

const RESTART = `set -euo pipefail
st=../../app-state
port=$(cat "$st/port")
if [ -f "$st/gunicorn.pid" ]; then
  old=$(cat "$st/gunicorn.pid")
  kill "$old" 2>/dev/null || true
  for _ in $(seq 100); do kill -0 "$old" 2>/dev/null || break; sleep 0.1; done
  rm -f "$st/gunicorn.pid"
fi
/usr/bin/gunicorn --daemon --pid "$st/gunicorn.pid" --bind "127.0.0.1:$port" --workers 1 --chdir "$PWD" \\
  --error-logfile "$st/gunicorn.log" proj.wsgi:application </dev/null >/dev/null 2>&1
`;

const CALLER = `name: deploy
on:
  workflow_dispatch:
    inputs:
      backup:
        type: choice
        options: [none, sqlite]
        default: none
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
      target: releases
      path: ${at}
      staging-hosts: \${{ vars.STAGING_HOSTS }}
      staging-url: \${{ vars.STAGING_URL }}
      production-hosts: \${{ vars.PRODUCTION_HOSTS }}
      production-url: \${{ vars.PRODUCTION_URL }}
      test-command: ${SYSTEM_PYTHON} -m py_compile manage.py proj/urls.py
      preset: django
      python: ${SYSTEM_PYTHON}
      release-env: DATABASE_URL=sqlite:///${at}/shared/db.sqlite3
      exclude: .github
      after-activate: bash restart.sh
      expect-json: status == ok
      expect-version: \${{ inputs.version }}
      health-deadline: 12s
      backup: \${{ inputs.backup }}
      backup-database: ${at}/shared/db.sqlite3
    secrets: inherit
`;

/** The app repository at one version (a fresh workspace per run, as a checkout of that commit). */
function workspace(version: string, opts: { brokenMigration?: boolean } = {}): string {
  const dir = join(work, `ws-${version}`);
  cpSync(fixture, dir, { recursive: true });
  rmSync(join(dir, '0003_broken.py.txt'));
  writeFileSync(join(dir, 'proj', 'urls.py'), HEALTH_VIEW);
  writeFileSync(join(dir, 'proj', 'wsgi.py'), WSGI);
  writeFileSync(join(dir, 'VERSION'), version);
  writeFileSync(join(dir, 'restart.sh'), RESTART);
  if (opts.brokenMigration)
    copyFileSync(join(fixture, '0003_broken.py.txt'), join(dir, 'shop', 'migrations', '0003_broken.py'));
  mkdirSync(join(dir, '.github', 'workflows'), { recursive: true });
  writeFileSync(join(dir, '.github', 'workflows', 'deploy.yml'), CALLER);
  return dir;
}

function pipeline(version: string, backup: 'none' | 'sqlite', ws = workspace(version)) {
  const s = servers.staging!;
  const p = servers.production!;
  return runWorkflow({
    root: ROOT,
    workspace: ws,
    file: join(ws, '.github', 'workflows', 'deploy.yml'),
    event: 'workflow_dispatch',
    inputs: { backup, version },
    vars: {
      STAGING_HOSTS: s.sshd.spec,
      STAGING_URL: `http://127.0.0.1:${s.port}/healthz`,
      PRODUCTION_HOSTS: p.sshd.spec,
      PRODUCTION_URL: `http://127.0.0.1:${p.port}/healthz`,
    },
    // Each environment has its own deploy key; no repository-level key exists.
    environmentSecrets: {
      staging: { SSH_PRIVATE_KEY: s.sshd.privateKey, KNOWN_HOSTS: s.sshd.knownHosts },
      production: { SSH_PRIVATE_KEY: p.sshd.privateKey, KNOWN_HOSTS: p.sshd.knownHosts },
    },
    approve: ['staging', 'production'],
    env: { GITHUB_REPOSITORY: 'acme/shop' },
    stateDir: join(work, 'runner-state'),
    node: NODE24,
  });
}

const liveVersion = (s: Server) => readFileSync(join(s.dir, 'current', 'VERSION'), 'utf8').trim();
const backups = (s: Server) =>
  existsSync(join(s.dir, 'backups'))
    ? readdirSync(join(s.dir, 'backups')).filter((f) => !f.startsWith('.') && !f.endsWith('.sha256'))
    : []; // each backup has its .sha256 beside it
const migrations = (s: Server) =>
  execFileSync('sqlite3', [
    join(s.dir, 'shared', 'db.sqlite3'),
    "select app || '.' || name from django_migrations where app = 'shop' order by id",
  ])
    .toString()
    .trim()
    .split('\n');

async function served(s: Server): Promise<{ status: string; version: string }> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`http://127.0.0.1:${s.port}/healthz`, { signal: AbortSignal.timeout(2000) });
      return (await res.json()) as { status: string; version: string };
    } catch (e) {
      last = (e as Error).message;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${s.name} did not answer: ${last}`);
}

beforeAll(async () => {
  mkdirSync(at, { recursive: true });
  for (const name of ['staging', 'production'] as const) {
    const dir = join(work, `host-${name}`);
    mkdirSync(join(dir, 'app-state'), { recursive: true });
    mkdirSync(join(dir, 'shared'), { recursive: true });
    const port = await freePort();
    writeFileSync(join(dir, 'app-state', 'port'), String(port));
    servers[name] = { name, dir, port, sshd: await startSshd({ mount: { dir, at } }) };
  }
});

afterAll(async () => {
  for (const s of Object.values(servers)) {
    const pidFile = join(s.dir, 'app-state', 'gunicorn.pid');
    if (existsSync(pidFile)) {
      try {
        // TERM: the master stops its worker too (a KILLed master leaves the worker behind).
        process.kill(Number(readFileSync(pidFile, 'utf8').trim()), 'SIGTERM');
      } catch {
        // already gone
      }
    }
    await s.sshd.stop();
  }
  rmSync(work, { recursive: true, force: true });
});

describe('pipeline.yml, releases target, through the local workflow runner (two sshd hosts)', () => {
  it('v1: tested, staged, approved, in production; each environment used its own key', async () => {
    const r = await pipeline('v1', 'none');
    expect(r.conclusion, r.log).toBe('success');
    expect(r.jobs.map((j) => `${j.id}:${j.result}`)).toEqual([
      'ship/build:skipped',
      'ship/test:success',
      'ship/staging:success',
      'ship/production:success',
      'ship:success',
    ]);
    for (const s of [servers.staging!, servers.production!]) {
      expect(liveVersion(s)).toBe('v1');
      expect(await served(s)).toEqual({ status: 'ok', version: 'v1' });
      expect(migrations(s)).toEqual(['shop.0001_initial', 'shop.0002_price']);
    }
    expect(r.outputs).toEqual({});
    expect(r.jobs.find((j) => j.id === 'ship')!.outputs['production-release']).toMatch(/^0000000-\d+$/);
    // The keys never reached the log.
    expect(r.log).not.toContain(servers.staging!.sshd.privateKey.split('\n')[1]);
    expect(r.log).toContain('job summary: ship/production');
  });

  it('v2: its migration fails on staging → the pipeline stops before production (no backup, still v1 there)', async () => {
    const r = await pipeline('v2', 'sqlite', workspace('v2', { brokenMigration: true }));
    expect(r.conclusion).toBe('failure');
    const jobs = Object.fromEntries(r.jobs.map((j) => [j.id, j.result]));
    expect(jobs['ship/staging']).toBe('failure');
    expect(jobs['ship/production']).toBe('skipped');
    const staging = servers.staging!;
    const production = servers.production!;
    expect(liveVersion(staging)).toBe('v1');
    expect(await served(staging)).toEqual({ status: 'ok', version: 'v1' });
    expect(backups(staging)).toHaveLength(1); // taken before anything changed
    expect(backups(production)).toEqual([]);
    expect(liveVersion(production)).toBe('v1');
    expect(migrations(production)).toEqual(['shop.0001_initial', 'shop.0002_price']);
  });

  it('v3: passes staging, fails production gate → production switches back to v1 by itself', async () => {
    const production = servers.production!;
    writeFileSync(join(production.dir, 'app-state', 'BROKEN-v3'), '');
    const r = await pipeline('v3', 'sqlite');
    expect(r.conclusion).toBe('failure');
    const jobs = Object.fromEntries(r.jobs.map((j) => [j.id, j.result]));
    expect(jobs['ship/staging'], r.log.slice(-6000)).toBe('success');
    expect(jobs['ship/production']).toBe('failure');
    expect(liveVersion(servers.staging!)).toBe('v3');
    expect(await served(servers.staging!)).toEqual({ status: 'ok', version: 'v3' });
    expect(backups(servers.staging!)).toHaveLength(2);
    expect(liveVersion(production)).toBe('v1');
    expect(await served(production)).toEqual({ status: 'ok', version: 'v1' });
    expect(backups(production)).toHaveLength(1);
    const deploy = r.jobs.find((j) => j.id === 'ship/production')!.steps.find((s) => s.id === 'deploy')!;
    expect(deploy.outcome).toBe('failure');
    expect(deploy.outputs['rolled-back']).toBe('true');
  });
});
