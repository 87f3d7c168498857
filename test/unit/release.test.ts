import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { containerCommand } from '../../src/lib/target/container.js';
import { Inputs } from '../../src/lib/inputs.js';
import { readReleaseConfig } from '../../src/core/run-release-phase/config.js';
import { deployBaseOf } from '../../src/core/run-release-phase/config.js';
import { releaseAccess, type ReleaseConfig } from '../../src/core/run-release-phase/run.js';
import {
  alembicRevisions,
  appliedDjango,
  firstPendingDjango,
  migrationProbe,
  releaseSteps,
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

  const base: ReleaseConfig = {
    runOn: 'docker',
    workingDirectory: '/srv/app',
    preset: 'none',
    commands: ['true'],
    env: { SECRET: 'v$(id)', PEM: 'line1\nline2' },
    python: 'python3',
    superuser: false,
    composeFiles: [],
    image: 'registry.example/app:abc',
    timeoutMs: 10_000,
    idleTimeoutMs: 10_000,
    lockTimeoutMs: 1000,
    owner: 't',
  };
  const step = (cfg: ReleaseConfig, flavor?: 'v1' | 'v2') =>
    containerCommand(
      releaseAccess(cfg, flavor)!,
      { argv: ['python3', 'manage.py', 'migrate'], env: cfg.env },
      { name: 'dk-r-1' },
    );

  it('docker mode: env by name only (values, even multi-line, in the client env), --entrypoint= and -- before the image', () => {
    const cmd = step(base);
    expect(cmd.argv).toEqual([
      'docker',
      'run',
      '--rm',
      '-i',
      '--init',
      '--name',
      'dk-r-1',
      '-w',
      '/app',
      '-e',
      'SECRET',
      '-e',
      'PEM',
      '-v',
      '/srv/app:/app',
      '--entrypoint=python3',
      '--',
      'registry.example/app:abc',
      'manage.py',
      'migrate',
    ]);
    expect(cmd.env).toEqual(base.env);
    expect(cmd.argv.join(' ')).not.toContain('v$(id)');
  });

  it('docker mode without a working directory: the image runs as is (no mount, no -w); --network when set', () => {
    const cmd = step({ ...base, workingDirectory: '', network: 'host' });
    expect(cmd.argv.slice(5, 9)).toEqual(['--name', 'dk-r-1', '--network', 'host']);
    expect(cmd.argv).not.toContain('-v');
    expect(cmd.argv).not.toContain('-w');
  });

  it('compose mode (v2 and v1): run --rm -T in the project, -p the live project, env names in argv, values in env', () => {
    for (const flavor of ['v2', 'v1'] as const) {
      const cfg = { ...base, composeService: 'web', composeFiles: ['compose.yml'], composeProject: 'shop' };
      const cmd = step(cfg, flavor);
      const head = flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
      expect(cmd.argv).toEqual([
        ...head,
        '-f',
        'compose.yml',
        '-p',
        'shop',
        'run',
        '--rm',
        '-T',
        '--name',
        'dk-r-1',
        '-e',
        'SECRET',
        '-e',
        'PEM',
        '--entrypoint=python3',
        '--',
        'web',
        'manage.py',
        'migrate',
      ]);
      expect(cmd.env).toEqual(base.env);
      expect(cmd.cwd).toBe('/srv/app');
    }
  });

  it('local/ssh mode: no container', () => {
    expect(releaseAccess({ ...base, runOn: 'ssh' })).toBeUndefined();
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

  it('shares the deploy lock of the ssh-rsync-deploy layout', () => {
    expect(deployBaseOf('/srv/app/releases/20260101-abc')).toBe('/srv/app');
    expect(deployBaseOf('/srv/app/releases/r1/')).toBe('/srv/app');
    expect(deployBaseOf('/srv/app')).toBeUndefined();
  });
});
