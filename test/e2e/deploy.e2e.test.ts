/**
 * The root action (one-step deploy) end to end: dist/deploy run as the runner runs it (`uses: org/deploy-kit@v1`),
 * against a real sshd on loopback. The app is the Django project in test/fixtures/django-app (Debian's Django on
 * /usr/bin/python3, SQLite in shared/), given a /healthz view and started by after-activate with gunicorn from the
 * release directory on a random loopback port; the health gate probes that real server. Every test deploys into
 * a base directory of its own (its own app, port and database, copied from one migrated in beforeAll) and puts
 * the release it needs live itself: each runs alone (`-t`) as well as in any order.
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
  readlinkSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../fixtures/ports.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk onestep '));
const fixture = join(ROOT, 'test', 'fixtures', 'django-app');
const templateDb = join(work, 'template.sqlite3'); // migrated once: a live app's database
let sshd: SshdHost;
const sites: Site[] = [];

/** One test's server side: the deploy base, the app's state dir (port, gunicorn pid) and its database. */
interface Site {
  name: string;
  base: string;
  state: string;
  db: string;
  port: number;
}

async function site(name: string): Promise<Site> {
  const base = join(work, `${name} app`); // a space in the deploy path
  const s = {
    name,
    base,
    state: join(base, 'app-state'),
    db: join(base, 'shared', 'db.sqlite3'),
    port: await freePort(),
  };
  mkdirSync(s.state, { recursive: true });
  writeFileSync(join(s.state, 'port'), String(s.port));
  sites.push(s);
  return s;
}

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
    migrated = "shop_product" in connection.introspection.table_names()
    ok = migrated and not os.path.exists(os.path.join(root, "BROKEN"))
    return JsonResponse({"status": "ok" if ok else "broken", "version": version, "migrated": migrated}, status=200 if ok else 503)


urlpatterns = [path("healthz", healthz)]
`;

const WSGI = `import os
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")
application = get_wsgi_application()
`;

/** after-activate: stop the running gunicorn (bounded wait), start one from this release ($PWD). */
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
echo "started $(cat VERSION) on $port"
`;

/** A source tree for one release: the Django fixture + health view + VERSION + restart script. */
function source(s: Site, version: string, opts: { brokenMigration?: boolean; brokenHealth?: boolean } = {}): string {
  const dir = join(work, `src-${s.name}-${version}`);
  cpSync(fixture, dir, { recursive: true });
  rmSync(join(dir, '0003_broken.py.txt'));
  writeFileSync(join(dir, 'proj', 'urls.py'), HEALTH_VIEW);
  writeFileSync(join(dir, 'proj', 'wsgi.py'), WSGI);
  writeFileSync(join(dir, 'VERSION'), version);
  writeFileSync(join(dir, 'restart.sh'), RESTART);
  if (opts.brokenMigration)
    copyFileSync(join(fixture, '0003_broken.py.txt'), join(dir, 'shop', 'migrations', '0003_broken.py'));
  if (opts.brokenHealth) writeFileSync(join(dir, 'BROKEN'), '');
  return dir;
}

function inputs(s: Site, version: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    hosts: sshd.spec,
    'private-key': sshd.privateKey,
    'known-hosts': sshd.knownHosts,
    source: join(work, `src-${s.name}-${version}`),
    path: s.base,
    'release-id': version,
    shared: 'media',
    preset: 'django',
    python: SYSTEM_PYTHON,
    env: `DATABASE_URL=sqlite:///${s.db}`,
    'after-activate': 'bash restart.sh',
    url: `http://127.0.0.1:${s.port}/healthz`,
    'expect-json': 'status == ok',
    'expect-version': version,
    period: '200ms',
    'health-timeout': '2s',
    deadline: '20s',
    'lock-timeout': '2s',
    ...extra,
  };
}

/** Puts `version` live on a site whose database is already migrated (no release phase): the state most tests start from. */
async function live(s: Site, version: string): Promise<void> {
  mkdirSync(join(s.base, 'shared'), { recursive: true });
  copyFileSync(templateDb, s.db);
  source(s, version);
  const run = await runDist('.', inputs(s, version, { preset: 'none' }));
  expect(run.exitCode, run.stdout + run.stderr).toBe(0);
  expect(current(s)).toBe(`releases/${version}`);
}

const current = (s: Site) => readlinkSync(join(s.base, 'current'));
const lockHeld = (s: Site) => existsSync(join(s.base, '.deploy-kit', 'lock'));
const gunicornPid = (s: Site) => readFileSync(join(s.state, 'gunicorn.pid'), 'utf8').trim();

/** What the running app serves now (bounded wait: gunicorn --daemon returns before it listens). */
async function served(s: Site): Promise<{ status: string; version: string }> {
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
  throw new Error(`the app did not answer: ${last}`);
}

/** True once the process is gone (bounded wait). */
async function gone(pid: number): Promise<boolean> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    try {
      process.kill(pid, 0);
    } catch {
      return true;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return false;
}

function stopPid(file: string): void {
  if (!existsSync(file)) return;
  const pid = Number(readFileSync(file, 'utf8').trim());
  if (pid > 1) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

beforeAll(async () => {
  sshd = await startSshd();
  execFileSync(SYSTEM_PYTHON, [join(fixture, 'manage.py'), 'migrate', '--noinput'], {
    env: { ...process.env, DATABASE_URL: `sqlite:///${templateDb}` },
    stdio: 'ignore',
    timeout: 120_000,
  });
});
afterAll(async () => {
  for (const s of sites) {
    stopPid(join(s.state, 'gunicorn.pid'));
    stopPid(join(s.base, 'phase.pid'));
  }
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('root action: one-step deploy (e2e, real sshd, Django, gunicorn)', () => {
  it('happy path: upload → migrate → switch → app restarted → gate passes; outputs and summary', async () => {
    const s = await site('happy');
    source(s, 'r1');
    const run = await runDist('.', inputs(s, 'r1'));
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.status).toBe('deployed');
    expect(run.outputs['release-id']).toBe('r1');
    expect(run.outputs['release-path']).toBe(`${s.base}/releases/r1`);
    expect(run.outputs['previous-release-id']).toBe('');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.outputs.healthy).toBe('true');
    const m = JSON.parse(run.outputs.migrations!) as { framework: string; applied: string[] };
    expect(m.framework).toBe('django');
    expect(m.applied).toEqual(expect.arrayContaining(['shop.0001_initial', 'shop.0002_price', 'auth.0001_initial']));
    const health = JSON.parse(run.outputs.health!) as Array<{ url: string; healthy: boolean; status: number }>;
    expect(health).toEqual([expect.objectContaining({ url: inputs(s, 'r1').url, healthy: true, status: 200 })]);
    const phases = JSON.parse(run.outputs.phases!) as Array<{ name: string; result: string }>;
    expect(phases.map((p) => `${p.name}:${p.result}`)).toEqual([
      'upload:ok',
      'release phase:ok',
      'switch:ok',
      'health gate:ok',
      'finalize:ok',
    ]);
    expect(current(s)).toBe('releases/r1');
    expect(lockHeld(s)).toBe(false);
    // The framework's tables exist in the shared database; collectstatic ran in the release.
    expect(execFileSync('sqlite3', [s.db, '.tables']).toString()).toContain('shop_product');
    expect(existsSync(join(s.base, 'releases', 'r1', 'staticfiles', 'shop', 'app.css'))).toBe(true);
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r1' }));
    // One table per phase, with timings.
    for (const h of [
      '### deploy: ✅ deployed r1',
      '#### upload',
      'run-release-phase on',
      '#### switch',
      'health-gate: ✅',
    ])
      expect(run.summary).toContain(h);
    expect(run.summary).toMatch(/\| release phase \| ok \| [\d.]+ (ms|s) \|/);
    expect(run.summary).toContain('| migrate | ok |');
    expect(run.post?.exitCode).toBe(0);

    // A second deploy (no release phase this time): previous release recorded, the app now serves r2.
    source(s, 'r2');
    const second = await runDist('.', inputs(s, 'r2', { preset: 'none' }));
    expect(second.exitCode, second.stdout).toBe(0);
    expect(second.outputs['previous-release-id']).toBe('r1');
    expect(JSON.parse(second.outputs.phases!)[1]).toMatchObject({ name: 'release phase', result: 'skipped' });
    expect(current(s)).toBe('releases/r2');
    expect(await served(s)).toEqual(expect.objectContaining({ version: 'r2' }));
  });

  it('a failing migration: never switched, the new release is discarded, the app untouched, lock released', async () => {
    const s = await site('migration');
    await live(s, 'r2');
    source(s, 'r3', { brokenMigration: true });
    const pidBefore = gunicornPid(s);
    const run = await runDist('.', inputs(s, 'r3'));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.annotations.join('\n')).toMatch(
      /release phase failed; no host was switched to r3 and it was discarded[\s\S]*"migrate" on .* exited with code 1/,
    );
    expect(run.stdout).toContain('no_such_table');
    const phases = JSON.parse(run.outputs.phases!) as Array<{ name: string; result: string }>;
    expect(phases.map((p) => `${p.name}:${p.result}`)).toEqual(['upload:ok', 'release phase:failed', 'discard:ok']);
    expect(JSON.parse(run.outputs.hosts!)).toEqual([expect.objectContaining({ result: 'discarded' })]);
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, 'releases', 'r3'))).toBe(false);
    expect(lockHeld(s)).toBe(false);
    expect(gunicornPid(s)).toBe(pidBefore); // after-activate never ran
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r2' }));
  });

  it('a failing health gate after the switch: rolled back to the previous release, bad one marked, app restarted from it', async () => {
    const s = await site('gate');
    await live(s, 'r2');
    source(s, 'r4', { brokenHealth: true });
    const run = await runDist('.', inputs(s, 'r4', { commands: 'test -e manage.py', deadline: '3s' }));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs.healthy).toBe('false');
    expect(run.outputs['previous-release-id']).toBe('r2');
    expect(run.annotations.join('\n')).toContain(
      'health gate failed after the switch; every host was switched back to r2 and r4 was marked bad',
    );
    const health = JSON.parse(run.outputs.health!) as Array<{ healthy: boolean; reason: string }>;
    expect(health[0]!.healthy).toBe(false);
    expect(health[0]!.reason).toMatch(/deadline/);
    const phases = JSON.parse(run.outputs.phases!) as Array<{ name: string; result: string }>;
    expect(phases.map((p) => `${p.name}:${p.result}`)).toEqual([
      'upload:ok',
      'release phase:ok',
      'switch:ok',
      'health gate:failed',
      'rollback:ok',
    ]);
    expect(JSON.parse(run.outputs.hosts!)).toEqual([expect.objectContaining({ result: 'reverted' })]);
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, '.deploy-kit', 'bad', 'r4'))).toBe(true);
    expect(existsSync(join(s.base, 'releases', 'r4'))).toBe(true); // kept for inspection, never live again
    expect(lockHeld(s)).toBe(false);
    expect(run.summary).toContain('#### rollback');
    // after-activate ran again for r2: the app serves the previous release again.
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r2' }));
    expect(readFileSync(join(s.base, '.deploy-kit', 'releases.log'), 'utf8')).toMatch(/revert r4 -> r2/);
  });

  it('bad inputs fail naming the input; nothing is connected or created', async () => {
    const s = await site('inputs');
    source(s, 'r9');
    const fresh = join(work, 'never');
    for (const [extra, msg] of [
      [{ path: 'relative/app' }, 'input `path`'],
      [{ url: 'localhost/healthz' }, 'input `url`: "localhost/healthz" is not a URL'],
      [{ 'health-timeout': '-1s' }, 'input `health-timeout`'],
      [{ preset: 'rails' }, 'input `preset`: "rails" is not one of django, alembic, none'],
      [{ 'known-hosts': '' }, 'input `known-hosts`: is required'],
    ] as const) {
      const run = await runDist('.', {
        ...inputs(s, 'r9', extra as Record<string, string>),
        path: (extra as Record<string, string>).path ?? fresh,
      });
      expect(run.exitCode, JSON.stringify(extra)).toBe(1);
      expect(run.annotations.join('\n')).toContain(msg);
      expect(run.outputs).toEqual({});
      expect(run.stdout).not.toContain('── upload');
      expect(existsSync(fresh)).toBe(false);
    }
    expect(readdirSync(s.base)).toEqual(['app-state']);
  });

  it('an existing release id is refused before the upload: the live release is neither written into nor discarded', async () => {
    const s = await site('reuse');
    await live(s, 'r2');
    source(s, 'r2', { brokenHealth: true }); // same id, other content
    const run = await runDist('.', inputs(s, 'r2', { preset: 'none' }));
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.annotations.join('\n')).toContain('release r2 already exists');
    expect(JSON.parse(run.outputs.phases!)).toEqual([expect.objectContaining({ name: 'upload', result: 'failed' })]);
    expect(existsSync(join(s.base, 'releases', 'r2', 'BROKEN'))).toBe(false);
    expect(existsSync(join(s.base, 'releases', 'r2', 'manage.py'))).toBe(true);
    expect(current(s)).toBe('releases/r2');
    expect(lockHeld(s)).toBe(false);
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r2' }));
  });

  it('cancelled (SIGINT) mid release phase: never switched, release discarded, lock released', async () => {
    const s = await site('sigint-phase');
    await live(s, 'r2');
    source(s, 'r5');
    const marker = join(s.base, 'phase.pid');
    const running = runDist(
      '.',
      inputs(s, 'r5', { preset: 'none', commands: 'echo $$ > ../../phase.pid; exec sleep 30' }),
    );
    const deadline = Date.now() + 60_000;
    while (!existsSync(marker) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(existsSync(marker)).toBe(true);
    expect(lockHeld(s)).toBe(true); // the release phase runs under the deploy lock taken for the upload
    // Our own child: the node process running dist/deploy/index.js, found by parent pid.
    const child = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'dist/deploy/index.js'])
      .toString()
      .trim()
      .split('\n');
    expect(child).toHaveLength(1);
    process.kill(Number(child[0]), 'SIGINT');
    const run = await running;
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toContain('received SIGINT; cancelling and cleaning up');
    expect(run.annotations.join('\n')).toMatch(/release phase failed; no host was switched to r5[\s\S]*was cancelled/);
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, 'releases', 'r5'))).toBe(false);
    expect(lockHeld(s)).toBe(false);
    expect(run.post?.exitCode).toBe(0);
    // The remote command was stopped on the host too, not left running after the lock was let go.
    expect(await gone(Number(readFileSync(marker, 'utf8')))).toBe(true);
  });

  it('cancelled (SIGINT) during the health gate: switched back, bad release marked, app restarted from the previous one', async () => {
    const s = await site('sigint-gate');
    await live(s, 'r2');
    source(s, 'r7', { brokenHealth: true });
    let signalled = false;
    let lockedDuringGate = false;
    const run = await runDist('.', inputs(s, 'r7', { preset: 'none', deadline: '60s' }), {
      echo: (chunk) => {
        if (signalled || !/attempt 1: /.test(chunk)) return;
        signalled = true;
        lockedDuringGate = lockHeld(s);
        const child = execFileSync('pgrep', ['-P', String(process.pid), '-f', 'dist/deploy/index.js'])
          .toString()
          .trim();
        process.kill(Number(child), 'SIGINT');
      },
    });
    expect(signalled).toBe(true);
    expect(lockedDuringGate).toBe(true);
    expect(run.exitCode).toBe(1);
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs.status).toBe('rolled-back');
    expect(JSON.parse(run.outputs.health!)[0]).toMatchObject({ healthy: false, reason: 'cancelled' });
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, '.deploy-kit', 'bad', 'r7'))).toBe(true);
    expect(lockHeld(s)).toBe(false);
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r2' }));
  });

  it('a failing after-activate: switched back, after-activate run again in the previous release, bad one marked', async () => {
    const s = await site('after');
    await live(s, 'r2');
    source(s, 'r8', { brokenHealth: true });
    // The new release's restart succeeds, then its own check fails; on the way back both lines run in r2.
    const run = await runDist(
      '.',
      inputs(s, 'r8', { preset: 'none', 'after-activate': 'bash restart.sh\ntest ! -e BROKEN' }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('rolled-back');
    expect(run.outputs['rolled-back']).toBe('true');
    expect(run.outputs.healthy).toBe('false');
    expect(JSON.parse(run.outputs.health!)).toEqual([]); // the gate never ran
    const phases = JSON.parse(run.outputs.phases!) as Array<{ name: string; result: string }>;
    expect(phases.map((p) => `${p.name}:${p.result}`)).toEqual(['upload:ok', 'release phase:skipped', 'switch:failed']);
    expect(run.annotations.join('\n')).toMatch(
      /after the switch: .*test ! -e BROKEN[\s\S]*went back to their previous release/,
    );
    expect(JSON.parse(run.outputs.hosts!)).toEqual([expect.objectContaining({ result: 'reverted' })]);
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, '.deploy-kit', 'bad', 'r8'))).toBe(true);
    expect(lockHeld(s)).toBe(false);
    expect(await served(s)).toEqual(expect.objectContaining({ status: 'ok', version: 'r2' }));
  });

  it('a first deploy that fails the gate has nothing to go back to: status failed, kept live but marked bad', async () => {
    const s = await site('first');
    const fresh = join(work, 'first app');
    source(s, 'f1');
    const closed = await freePort(); // nothing listens there
    const run = await runDist(
      '.',
      inputs(s, 'f1', {
        path: fresh,
        preset: 'none',
        'after-activate': '',
        url: `http://127.0.0.1:${closed}/`,
        deadline: '1s',
      }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.outputs.status).toBe('failed');
    expect(run.outputs['rolled-back']).toBe('false');
    expect(run.annotations.join('\n')).toMatch(
      /health gate failed after the switch; NOT every host could be switched back: .*no previous release to switch back to: current still points at f1 \(marked bad\)/,
    );
    const phases = JSON.parse(run.outputs.phases!) as Array<{ name: string; result: string }>;
    expect(phases.map((p) => `${p.name}:${p.result}`)).toEqual([
      'upload:ok',
      'release phase:skipped',
      'switch:ok',
      'health gate:failed',
      'rollback:failed',
    ]);
    expect(JSON.parse(run.outputs.hosts!)).toEqual([expect.objectContaining({ result: 'failed' })]);
    expect(readlinkSync(join(fresh, 'current'))).toBe('releases/f1');
    expect(existsSync(join(fresh, '.deploy-kit', 'bad', 'f1'))).toBe(true);
    expect(existsSync(join(fresh, '.deploy-kit', 'lock'))).toBe(false);
  });

  it('release-timeout stops a remote command that hangs, on the host; nothing switched', async () => {
    const s = await site('timeout');
    await live(s, 'r2');
    source(s, 'r6');
    const run = await runDist(
      '.',
      inputs(s, 'r6', {
        preset: 'none',
        commands: 'echo $$ > ../../phase.pid; exec sleep 60',
        'release-timeout': '2s',
      }),
    );
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain('did not finish within its time limit');
    // Stopped on the host: a sleep left running would outlive this bounded wait by far.
    expect(await gone(Number(readFileSync(join(s.base, 'phase.pid'), 'utf8')))).toBe(true);
    expect(current(s)).toBe('releases/r2');
    expect(existsSync(join(s.base, 'releases', 'r6'))).toBe(false);
    expect(lockHeld(s)).toBe(false);
  });
});
