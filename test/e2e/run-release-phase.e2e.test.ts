/**
 * run-release-phase end to end: the bundle run as the runner runs it, with the real Django project in
 * test/fixtures/django-app (Debian's python3-django on /usr/bin/python3) against SQLite, locally and over
 * a real sshd inside an ssh-rsync-deploy layout, and against a real PostgreSQL 15 on loopback.
 */
import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startPostgres } from '../fixtures/postgres.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk-release-'));
const fixture = join(ROOT, 'test', 'fixtures', 'django-app');
let sshd: SshdHost;

function project(name: string): string {
  const dir = join(work, name);
  cpSync(fixture, dir, { recursive: true });
  return dir;
}

function tables(db: string): string[] {
  return execFileSync('sqlite3', [db, "SELECT name FROM sqlite_master WHERE type='table' ORDER BY name"])
    .toString()
    .trim()
    .split('\n');
}

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('run-release-phase with a real Django project (e2e)', () => {
  it('local: migrate + collectstatic; migrations output lists exactly what was applied; a second run applies nothing', async () => {
    const app = project('local');
    const db = join(work, 'local.sqlite3');
    const env = `DATABASE_URL=sqlite:///${db}\nSTATIC_ROOT=${join(work, 'static-local')}`;
    const run = await runDist('run-release-phase', {
      'run-on': 'local',
      'working-directory': app,
      preset: 'django',
      python: SYSTEM_PYTHON,
      env,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    const m = JSON.parse(run.outputs.migrations!) as { applied: string[] };
    expect(m.applied).toContain('shop.0001_initial');
    expect(m.applied).toContain('shop.0002_price');
    expect(m.applied).toContain('auth.0001_initial');
    // Exactly what Django itself now reports as applied (the database was empty before).
    const plan = execFileSync(SYSTEM_PYTHON, ['manage.py', 'showmigrations', '--plan'], {
      cwd: app,
      env: { ...process.env, DATABASE_URL: `sqlite:///${db}` },
    }).toString();
    expect(plan).not.toContain('[ ]');
    expect(m.applied).toEqual([...plan.matchAll(/^\[X\]\s+(\S+)/gm)].map((x) => x[1]));
    expect(tables(db)).toContain('shop_product');
    expect(existsSync(join(work, 'static-local', 'shop', 'app.css'))).toBe(true);
    expect(run.summary).toContain('| collectstatic | ok |');

    const again = await runDist('run-release-phase', {
      'run-on': 'local',
      'working-directory': app,
      preset: 'django',
      python: SYSTEM_PYTHON,
      env,
    });
    expect(again.exitCode).toBe(0);
    expect((JSON.parse(again.outputs.migrations!) as { applied: string[] }).applied).toEqual([]);
  });

  it('against a real PostgreSQL 15: tables created by the framework, password only in env', async () => {
    const pg = await startPostgres();
    try {
      pg.createDatabase('shop');
      const app = project('pg');
      const run = await runDist('run-release-phase', {
        'run-on': 'local',
        'working-directory': app,
        preset: 'django',
        python: SYSTEM_PYTHON,
        env: `DATABASE_URL=${pg.url('shop')}\nSTATIC_ROOT=${join(work, 'static-pg')}`,
      });
      expect(run.exitCode, run.stdout).toBe(0);
      expect((JSON.parse(run.outputs.migrations!) as { applied: string[] }).applied).toContain('shop.0002_price');
      expect(
        pg
          .sql(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'shop_product' ORDER BY 1",
            'shop',
          )
          .split('\n'),
      ).toEqual(['id', 'name', 'price_cents']);
    } finally {
      await pg.stop();
    }
  });

  it('over SSH in a release dir, against PostgreSQL: a broken migration fails the step, current stays, the lock is released; the fix succeeds', async () => {
    const base = join(work, 'srv');
    mkdirSync(join(base, 'releases'), { recursive: true });
    cpSync(fixture, join(base, 'releases', 'r1'), { recursive: true });
    symlinkSync('releases/r1', join(base, 'current'));
    const r2 = join(base, 'releases', 'r2');
    cpSync(fixture, r2, { recursive: true });
    copyFileSync(join(fixture, '0003_broken.py.txt'), join(r2, 'shop', 'migrations', '0003_broken.py'));
    const pg = await startPostgres();
    onTestFinished(() => pg.stop());
    pg.createDatabase('app');
    const dbUrl = pg.url('app');
    const inputs = {
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      'working-directory': r2,
      preset: 'django',
      python: SYSTEM_PYTHON,
      env: `DATABASE_URL=${dbUrl}\nSTATIC_ROOT=${join(work, 'static-ssh')}\nDJANGO_SUPERUSER_USERNAME=admin\nDJANGO_SUPERUSER_EMAIL=a@example.com\nDJANGO_SUPERUSER_PASSWORD=pa$$ 'w0rd' \`x\``,
      'django-superuser': 'true',
    };
    const failed = await runDist('run-release-phase', inputs);
    expect(failed.exitCode).toBe(1);
    expect(failed.outputs.status).toBe('failed');
    expect(failed.annotations.join('\n')).toMatch(
      /release phase failed; nothing was activated[\s\S]*"migrate" on root@127\.0\.0\.1:\d+ exited with code 1/,
    );
    expect(failed.stdout).toContain('no_such_table');
    // The two good migrations were applied before the broken one, and the output says so.
    expect((JSON.parse(failed.outputs.migrations!) as { applied: string[] }).applied).toContain('shop.0002_price');
    expect(
      execFileSync('readlink', [join(base, 'current')])
        .toString()
        .trim(),
    ).toBe('releases/r1');
    expect(existsSync(join(base, '.deploy-kit', 'lock'))).toBe(false);
    // The password never reached a log line.
    expect(
      failed.stdout
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n'),
    ).not.toContain("pa$$ 'w0rd'");

    rmSync(join(r2, 'shop', 'migrations', '0003_broken.py'));
    const fixed = await runDist('run-release-phase', inputs);
    expect(fixed.exitCode, fixed.stdout).toBe(0);
    expect(fixed.stdout).toContain('superuser *** created'); // env values are masked in logs
    // The superuser password arrived literally (checked by Django's own hasher).
    const check = execFileSync(
      SYSTEM_PYTHON,
      [
        'manage.py',
        'shell',
        '-c',
        "from django.contrib.auth import authenticate; print(bool(authenticate(username='admin', password=\"pa$$ 'w0rd' `x`\")))",
      ],
      {
        cwd: r2,
        env: { ...process.env, DATABASE_URL: dbUrl },
      },
    );
    expect(check.toString().trim()).toBe('True');
    const again = await runDist('run-release-phase', inputs);
    expect(again.stdout).toContain('exists: left as it is');
    expect(again.post?.exitCode).toBe(0);
  });

  it('two release phases on the same app never run at once: they share the deploy lock', async () => {
    const base = join(work, 'srv2');
    mkdirSync(join(base, 'releases', 'r1'), { recursive: true });
    const inputs = (tag: string) => ({
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      'working-directory': join(base, 'releases', 'r1'),
      commands: `echo start-${tag} >> ../../order.log; sleep 1.5; echo end-${tag} >> ../../order.log`,
    });
    const [a, b] = await Promise.all([
      runDist('run-release-phase', inputs('a')),
      runDist('run-release-phase', inputs('b')),
    ]);
    expect(a.exitCode).toBe(0);
    expect(b.exitCode).toBe(0);
    const order = execFileSync('cat', [join(base, 'order.log')])
      .toString()
      .trim()
      .split('\n');
    // Never interleaved: each start is followed by its own end.
    expect([order[0]!.slice(6), order[1]!.slice(4)]).toEqual([order[0]!.slice(6), order[0]!.slice(6)]);
    expect(order[2]!.slice(6)).toBe(order[3]!.slice(4));
  });

  it('timeout stops a command that sleeps, and the process is gone', async () => {
    const marker = `dk-release-sleep-${Date.now()}`;
    const run = await runDist('run-release-phase', {
      'run-on': 'local',
      'working-directory': work,
      commands: `sleep 120 # ${marker}`,
      timeout: '2s',
    });
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toContain('did not finish within its time limit');
    expect(() => execFileSync('pgrep', ['-f', marker])).toThrow();
  });

  it('hostile env values arrive literally', async () => {
    const value = 'it\'s $(id) `id` "q" \\ *';
    const out = join(work, 'env.out');
    const run = await runDist('run-release-phase', {
      'run-on': 'local',
      'working-directory': work,
      commands: `printf '%s' "$HOSTILE" > ${out}`,
      env: `HOSTILE=${value}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(execFileSync('cat', [out]).toString()).toBe(value);
  });

  it('bad inputs fail naming the input; nothing runs', async () => {
    for (const [inputs, msg] of [
      [{ 'run-on': 'local', preset: 'rails' }, 'input `preset`: "rails" is not one of django, alembic, none'],
      [{ 'run-on': 'local' }, 'input `preset`: none and no commands'],
      [{ 'run-on': 'ssh', preset: 'django' }, 'input `working-directory`: is required'],
      [
        { 'run-on': 'local', preset: 'django', 'django-superuser': 'true' },
        'input `env`: django-superuser needs DJANGO_SUPERUSER_USERNAME',
      ],
      [{ 'run-on': 'local', commands: 'true', timeout: '-1s' }, 'input `timeout`'],
    ] as const) {
      const run = await runDist('run-release-phase', inputs as Record<string, string>);
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toContain(msg);
      expect(run.outputs).toEqual({});
    }
  });
});
