import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { composeCommand } from '../../src/lib/compose.js';
import { LocalExecutor } from '../../src/lib/exec/local.js';
import { Inputs } from '../../src/lib/inputs.js';
import { readReleaseConfig } from '../../src/core/run-release-phase/config.js';
import { deployBaseOf, runReleasePhase } from '../../src/core/run-release-phase/run.js';
import {
  alembicRevisions,
  appliedDjango,
  firstPendingDjango,
  migrationProbe,
  releaseSteps,
  wrapStep,
} from '../../src/core/run-release-phase/steps.js';

describe('release phase builders', () => {
  it('django preset: the framework commands with the given interpreter, superuser only when asked', () => {
    const steps = releaseSteps('django', '/srv/app/.venv/bin/python', { superuser: true, commands: ['echo done'] });
    expect(steps.map((s) => s.argv.slice(0, 4))).toEqual([
      ['/srv/app/.venv/bin/python', 'manage.py', 'migrate', '--noinput'],
      ['/srv/app/.venv/bin/python', 'manage.py', 'collectstatic', '--noinput'],
      ['/srv/app/.venv/bin/python', 'manage.py', 'shell', '-c'],
      ['bash', '-euo', 'pipefail', '-c'],
    ]);
    expect(steps[3]!.argv[4]).toBe('echo done');
    // The superuser password is read from env by the script, never placed in argv.
    expect(steps[2]!.argv.join(' ')).toContain('os.environ["DJANGO_SUPERUSER_PASSWORD"]');
    expect(releaseSteps('django', 'python3', { superuser: false, commands: [] })).toHaveLength(2);
  });

  it('alembic preset and probes', () => {
    expect(releaseSteps('alembic', 'python3', { superuser: false, commands: [] })[0]!.argv).toEqual([
      'python3',
      '-m',
      'alembic',
      'upgrade',
      'head',
    ]);
    expect(migrationProbe('django', 'py')).toEqual(['py', 'manage.py', 'showmigrations', '--plan']);
    expect(migrationProbe('alembic', 'py')).toEqual(['py', '-m', 'alembic', 'current']);
    expect(migrationProbe('none', 'py')).toBeUndefined();
  });

  it('parses the frameworks’ own status output', () => {
    const plan = '[X]  contenttypes.0001_initial\n[X]  shop.0001_initial\n[ ]  shop.0002_price\n';
    expect(appliedDjango(plan)).toEqual(['contenttypes.0001_initial', 'shop.0001_initial']);
    expect(firstPendingDjango(plan + '[ ]  shop.0003_more\n')).toBe('shop.0002_price');
    expect(firstPendingDjango('[X]  shop.0001_initial\n')).toBeUndefined();
    expect(alembicRevisions('INFO  [alembic] Context impl\nb2c3d4e5f6a7 (head)\n')).toEqual(['b2c3d4e5f6a7']);
    expect(alembicRevisions('')).toEqual([]);
  });

  it('docker mode: env only through the env file, never -e K=V', () => {
    const cmd = wrapStep(['python3', 'manage.py', 'migrate'], {
      mode: 'docker',
      image: 'registry.example/app:abc',
      envFile: '/tmp/x/env',
      cwd: '/srv/app',
      env: { SECRET: 'v$(id)' },
    });
    expect(cmd.argv).toEqual([
      'docker',
      'run',
      '--rm',
      '-i',
      '--init',
      '--env-file',
      '/tmp/x/env',
      '-w',
      '/app',
      '-v',
      '/srv/app:/app',
      '--entrypoint=python3',
      '--',
      'registry.example/app:abc',
      'manage.py',
      'migrate',
    ]);
    expect(cmd.argv.join(' ')).not.toContain('v$(id)');
  });

  it('docker mode without a working directory: the image runs as is (no mount, no -w); --network when set', () => {
    const w = {
      mode: 'docker',
      image: 'app:1',
      envFile: '/tmp/x/env',
      env: { DATABASE_URL: 'postgres://u:p@h/a' },
    } as const;
    const mounted = wrapStep(['python3', 'manage.py', 'migrate'], { ...w, cwd: '/srv/app' }).argv;
    const asIs = wrapStep(['python3', 'manage.py', 'migrate'], { ...w, cwd: '', network: 'host' });
    // The same command as the mounted one, with --network in place of -w /app -v <dir>:/app.
    const at = mounted.indexOf('-w');
    expect(mounted.slice(at, at + 4)).toEqual(['-w', '/app', '-v', '/srv/app:/app']);
    expect(asIs.argv).toEqual([...mounted.slice(0, at), '--network', 'host', ...mounted.slice(at + 4)]);
    expect(asIs.argv.join(' ')).not.toContain('u:p@');
    expect(asIs.env).toBeUndefined();
  });

  it('docker and compose modes name their containers when asked (to remove one a stopped client left)', () => {
    const docker = wrapStep(['true'], { mode: 'docker', image: 'app:1', cwd: '', env: {}, containerName: 'dk-r-1' });
    expect(docker.argv.slice(0, 7)).toEqual(['docker', 'run', '--rm', '-i', '--init', '--name', 'dk-r-1']);
    const compose = wrapStep(
      ['true'],
      {
        mode: 'compose',
        cwd: '/srv',
        env: { A: '1' },
        containerName: 'dk-r-2',
        composeArgv: (args) => composeCommand({ flavor: 'v1', files: [] }, args),
      },
      'web',
    );
    expect(compose.argv).toEqual([
      'docker-compose',
      'run',
      '--rm',
      '-T',
      '--name',
      'dk-r-2',
      '-e',
      'A',
      '--entrypoint=true',
      '--',
      'web',
    ]);
  });

  it('config: run-on docker makes working-directory optional; network is validated and docker-only', () => {
    const read = (m: Record<string, string>) => readReleaseConfig(new Inputs((n) => m[n] ?? ''), {});
    const asIs = read({ 'run-on': 'docker', image: 'app:1', preset: 'django', network: 'project_default' });
    expect(asIs.workingDirectory).toBe('');
    expect(asIs.network).toBe('project_default');
    expect(read({ 'run-on': 'docker', image: 'app:1', commands: 'true' }).network).toBeUndefined();
    expect(
      read({ 'run-on': 'docker', image: 'app:1', commands: 'true', 'working-directory': '/w' }).workingDirectory,
    ).toBe('/w');
    expect(read({ 'run-on': 'docker', 'compose-service': 'web', commands: 'true' }).workingDirectory).toBe('.');
    // Relative → absolute, or `-v app:/app` would be a named volume.
    expect(
      read({ 'run-on': 'docker', image: 'a:1', commands: 'true', 'working-directory': 'app' }).workingDirectory,
    ).toBe(join(process.cwd(), 'app'));
    for (const [m, msg] of [
      [{ 'run-on': 'docker', image: 'app:1', commands: 'true', network: 'host; id' }, 'input `network`: "host; id"'],
      [{ 'run-on': 'docker', image: 'app:1', commands: 'true', network: '--privileged' }, 'input `network`'],
      [{ 'run-on': 'local', commands: 'true', network: 'host' }, 'input `network`: is for run-on docker'],
      [{ 'run-on': 'docker', 'compose-service': 'web', commands: 'true', network: 'host' }, 'network_mode'],
      [{ 'run-on': 'docker', commands: 'true' }, 'input `image`: is required'],
      [{ 'run-on': 'ssh', commands: 'true' }, 'input `working-directory`: is required with run-on ssh'],
      [{ 'run-on': 'docker', image: 'a:1', 'compose-service': 'web;id', commands: 'true' }, 'input `compose-service`'],
      [
        { 'run-on': 'docker', image: 'a:1', commands: 'true', 'working-directory': '../x' },
        'input `working-directory`',
      ],
    ] as const) {
      expect(() => read(m as Record<string, string>)).toThrow(msg);
    }
  });

  it('compose mode (v2 and v1): run --rm -T, env names in argv, values in Command env', () => {
    for (const flavor of ['v2', 'v1'] as const) {
      const cmd = wrapStep(
        ['python3', 'manage.py', 'migrate'],
        {
          mode: 'compose',
          cwd: '/srv/app',
          env: { DATABASE_URL: 'postgres://u:p@db/app' },
          composeArgv: (args) => composeCommand({ flavor, files: ['compose.yml'], cwd: '/srv/app' }, args),
        },
        'web',
      );
      const base = flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
      expect(cmd.argv).toEqual([
        ...base,
        '-f',
        'compose.yml',
        'run',
        '--rm',
        '-T',
        '-e',
        'DATABASE_URL',
        '--entrypoint=python3',
        '--',
        'web',
        'manage.py',
        'migrate',
      ]);
      expect(cmd.env).toEqual({ DATABASE_URL: 'postgres://u:p@db/app' });
      expect(cmd.cwd).toBe('/srv/app');
      expect(cmd.argv.join(' ')).not.toContain('u:p@db');
    }
  });

  it('local/ssh mode: argv as is, in the working directory, env in Command env', () => {
    expect(wrapStep(['true'], { mode: 'local', cwd: '/w', env: { A: '1' } })).toEqual({
      argv: ['true'],
      cwd: '/w',
      env: { A: '1' },
    });
  });

  it('shares the deploy lock of the ssh-rsync-deploy layout', () => {
    expect(deployBaseOf('/srv/app/releases/20260101-abc')).toBe('/srv/app');
    expect(deployBaseOf('/srv/app/releases/r1/')).toBe('/srv/app');
    expect(deployBaseOf('/srv/app')).toBeUndefined();
  });

  it('docker mode refuses an env value --env-file would cut, before anything runs', async () => {
    const report = await runReleasePhase(
      new LocalExecutor(),
      {
        runOn: 'docker',
        workingDirectory: '/nonexistent',
        preset: 'none',
        commands: ['true'],
        env: { OK: 'x', PEM: 'line1\nline2' },
        python: 'python3',
        superuser: false,
        composeFiles: [],
        image: 'app:1',
        timeoutMs: 10_000,
        idleTimeoutMs: 10_000,
        lockTimeoutMs: 1000,
        owner: 't',
      },
      { log: () => {} },
    );
    expect(report.status).toBe('failed');
    expect(report.steps).toEqual([]);
    expect(report.error).toContain('env PEM: docker --env-file cannot carry a value with a newline');
  });
});
