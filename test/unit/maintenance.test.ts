import { describe, expect, it } from 'vitest';
import { readMaintenanceConfig } from '../../src/core/maintenance-dispatch/config.js';
import {
  inspectContainers,
  operationCommands,
  startServices,
  type MaintenanceSettings,
} from '../../src/core/maintenance-dispatch/operations.js';
import { stillDown } from '../../src/core/maintenance-dispatch/run.js';
import { parseInspectLines, servicesDown, type ContainerStatus } from '../../src/core/maintenance-dispatch/status.js';
import { composeCommand } from '../../src/lib/compose.js';
import { mapInputs } from '../helpers/inputs.js';

const settings: MaintenanceSettings = {
  compose: { files: ['docker-compose.prod.yml'], cwd: '/srv/app/current' },
  backendService: 'web',
  dbService: 'db',
  logLines: 100,
  python: 'python',
  pruneOlderThanHours: 168,
};

describe('compose argv', () => {
  it('v2 plugin and v1 CLI', () => {
    expect(composeCommand({ flavor: 'v2', files: ['a.yml', 'b.yml'], project: 'shop' }, ['ps']).argv).toEqual([
      'docker',
      'compose',
      '-f',
      'a.yml',
      '-f',
      'b.yml',
      '-p',
      'shop',
      'ps',
    ]);
    expect(composeCommand({ flavor: 'v1', files: [] }, ['restart', 'web']).argv).toEqual([
      'docker-compose',
      'restart',
      'web',
    ]);
  });
});

describe('maintenance operations', () => {
  const p = { flavor: 'v2' as const, ...settings.compose };
  it('migrate and collectstatic run inside the backend container with -T (no TTY in CI)', () => {
    expect(operationCommands('migrate', p, settings)[0]!.argv).toEqual([
      'docker',
      'compose',
      '-f',
      'docker-compose.prod.yml',
      'exec',
      '-T',
      'web',
      'python',
      'manage.py',
      'migrate',
      '--noinput',
    ]);
    expect(operationCommands('collectstatic', p, settings)[0]!.argv.slice(-3)).toEqual([
      'manage.py',
      'collectstatic',
      '--noinput',
    ]);
  });
  it('logs are bounded by lines and since', () => {
    expect(operationCommands('logs', p, { ...settings, service: 'web', logSince: '1h' })[0]!.argv.slice(4)).toEqual([
      'logs',
      '--no-color',
      '--tail',
      '100',
      '--since',
      '1h',
      'web',
    ]);
  });
  it('clean-docker never touches volumes', () => {
    const all = operationCommands('clean-docker', p, settings).flatMap((c) => c.argv);
    expect(all).not.toContain('volume');
    expect(all).not.toContain('--volumes');
  });
  it('heal starts stopped services without rebuilding or recreating', () => {
    expect(startServices(p, ['web', 'worker']).argv.slice(4)).toEqual([
      'up',
      '-d',
      '--no-recreate',
      '--no-build',
      'web',
      'worker',
    ]);
  });
  it('update judges the services it touched: all, or only the one it was narrowed to', () => {
    const c = (service: string, state: string): ContainerStatus => ({
      id: service,
      name: service,
      service,
      state,
      health: null,
      restarts: 0,
      exitCode: 0,
      startedAt: '',
    });
    const containers = [c('web', 'running'), c('worker', 'exited')];
    expect(stillDown('update', containers)).toEqual(['worker']);
    expect(stillDown('update', containers, 'web')).toEqual([]);
    expect(stillDown('update', containers, 'worker')).toEqual(['worker']);
    expect(stillDown('heal', containers, 'web')).toEqual(['worker']);
    expect(stillDown('restart-all', containers)).toEqual([]);
  });
  it('update pulls before it recreates, never builds, and can be narrowed to one service', () => {
    expect(operationCommands('update', p, settings).map((c) => c.argv.slice(4))).toEqual([
      ['pull'],
      ['up', '-d', '--no-build', '--remove-orphans'],
    ]);
    expect(operationCommands('update', p, { ...settings, service: 'web' }).map((c) => c.argv.slice(4))).toEqual([
      ['pull', 'web'],
      ['up', '-d', '--no-build', '--remove-orphans', 'web'],
    ]);
  });
  it('inspect prints one JSON object per container', () => {
    expect(inspectContainers(['abc']).argv.slice(0, 2)).toEqual(['docker', 'inspect']);
    const line = (id: string, service: string, Status: string, health?: string) =>
      JSON.stringify({
        id,
        name: `/app_${service}_1`,
        labels: { 'com.docker.compose.service': service },
        state: {
          Status,
          ExitCode: Status === 'exited' ? 137 : 0,
          StartedAt: 'x',
          ...(health ? { Health: { Status: health } } : {}),
        },
        restarts: 0,
      });
    const parsed = parseInspectLines(
      [
        line('a1', 'web', 'exited'),
        line('b2', 'db', 'running', 'healthy'),
        line('c3', 'redis', 'running', 'unhealthy'),
      ].join('\n'),
    );
    expect(parsed[0]!.name).toBe('app_web_1');
    expect(servicesDown(parsed)).toEqual(['redis', 'web']);
  });
});

describe('maintenance inputs', () => {
  it.each([
    [{}, /input `command`: is required/],
    [{ command: 'reboot' }, /input `command`: "reboot" is not one of status, logs/],
    [{ command: 'restart-service' }, /input `service`: is required for restart-service/],
    [{ command: 'logs', service: 'web; rm -rf /' }, /input `service`: "web; rm -rf \/" is not a compose service name/],
    [{ command: 'status', path: '/srv/../etc' }, /input `path`: "\/srv\/..\/etc" must not contain \.\./],
    [{ command: 'logs', 'log-since': '$(id)' }, /input `log-since`/],
    [{ command: 'status', 'run-on': 'k8s' }, /input `run-on`: "k8s" is not one of ssh, local/],
  ])('%j fails naming the input', (values, msg) => {
    expect(() => readMaintenanceConfig(mapInputs(values))).toThrow(msg);
  });
});
