import { describe, expect, it } from 'vitest';
import { readBackupConfig } from '../../src/core/backup-db/config.js';
import { buildCommand, type BuildSpec } from '../../src/core/build-image/builders.js';
import { isLogSince, readMaintenanceConfig } from '../../src/core/maintenance-dispatch/config.js';
import { readPromoteConfig } from '../../src/core/promote/config.js';
import { readReleaseConfig } from '../../src/core/run-release-phase/config.js';
import { composeCommand } from '../../src/lib/compose.js';
import { parseImageRef } from '../../src/lib/oci/reference.js';
import { readSshInputs } from '../../src/lib/ssh-inputs.js';
import { mapInputs } from '../helpers/inputs.js';

const KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----';

describe('image references', () => {
  it.each(['-v/:/host', '--privileged', '-x.example/app:1', 'reg.example/-app:1'])('%s is refused', (ref) => {
    expect(() => parseImageRef(ref)).toThrow();
  });

  it.each([
    ['127.0.0.1:5000/team/app:1', '127.0.0.1:5000', 'team/app'],
    ['[::1]:5000/app', '[::1]:5000', 'app'],
    ['localhost:5000/x', 'localhost:5000', 'x'],
    ['ghcr.io/o/r@sha256:' + 'a'.repeat(64), 'ghcr.io', 'o/r'],
    ['app', 'docker.io', 'library/app'],
  ])('%s parses', (ref, registry, repository) => {
    expect(parseImageRef(ref)).toMatchObject({ registry, repository });
  });

  it.each(['deploy:hunter2pw@registry.example/app:1', 'https://deploy:hunter2pw@registry.example/app:1'])(
    '%s is refused without echoing the password',
    (ref) => {
      let message = '';
      try {
        parseImageRef(ref);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message).toMatch(/holds credentials or a URL/);
      expect(message).not.toContain('hunter2pw');
      expect(message).not.toContain('deploy:');
    },
  );

  it('promote names the input and masks the credentials', () => {
    expect(() =>
      readPromoteConfig(mapInputs({ source: 'u:s3cretpw@reg.example/app:1', target: 'reg.example/app:2' })),
    ).toThrow(/^input `source`: "\*\*\*@reg\.example\/app:1" holds credentials/);
  });
});

describe('run-release-phase', () => {
  const read = (m: Record<string, string>) => readReleaseConfig(mapInputs(m), {});
  it('image `-v/:/host` is refused as an image reference', () => {
    expect(() => read({ 'run-on': 'docker', image: '-v/:/host', commands: 'true' })).toThrow(
      /^input `image`: is not a valid image reference/,
    );
  });
  it.each(['../srv', '/srv/app/..', '/srv/../etc', '-x'])('lock-path %s is refused', (p) => {
    expect(() =>
      read({ 'run-on': 'ssh', 'working-directory': '/srv/app/releases/r1', commands: 'true', 'lock-path': p }),
    ).toThrow(/^input `lock-path`/);
  });
  it('a plain lock-path is kept', () => {
    expect(
      read({ 'run-on': 'ssh', 'working-directory': '/srv/app/releases/r1', commands: 'true', 'lock-path': '/srv/app' })
        .lockBase,
    ).toBe('/srv/app');
  });
});

describe('promote repository', () => {
  const base = {
    source: 'reg.example/app:1',
    target: 'reg.example/app:2',
    environment: 'prod',
    'github-token': 'tok1',
  };
  it.each(['../x', 'x/..', 'x/.', '-o/x', 'o/x/y', 'o/'])('%s is refused', (repository) => {
    expect(() => readPromoteConfig(mapInputs({ ...base, repository }), {})).toThrow(/^input `repository`/);
  });
  it.each(['octo-org/my.repo_1', 'a/.github'])('%s is accepted', (repository) => {
    expect(readPromoteConfig(mapInputs({ ...base, repository }), { GITHUB_SHA: 'abc' }).github?.repository).toBe(
      repository,
    );
  });
});

describe('maintenance-dispatch', () => {
  it.each(['30m', '1h30m', '2.5h', '1706659200', '2024-01-31', '2024-01-31T13:45', '2024-02-29T23:59:59.5+02:00'])(
    'log-since %s is accepted',
    (s) => expect(isLogSince(s)).toBe(true),
  );
  it.each(['2d', '2024-02-30', '2024-01-31junk', '2024-01-31T25:00', '-1h', '1h;id', '', '30m ', 'T13:45'])(
    'log-since %j is refused',
    (s) => expect(isLogSince(s)).toBe(false),
  );
  it('names the input', () => {
    expect(() => readMaintenanceConfig(mapInputs({ command: 'logs', 'log-since': '2024-01-31; id' }))).toThrow(
      /^input `log-since`: "2024-01-31; id" is not a time docker understands/,
    );
    expect(() => readMaintenanceConfig(mapInputs({ command: 'status', 'project-name': '-pwned' }))).toThrow(
      /^input `project-name`: "-pwned" is not a compose project name/,
    );
  });
  it('compose never receives a file or project that starts with -', () => {
    expect(() => composeCommand({ flavor: 'v2', files: ['--env-file=/etc/shadow'] }, ['ps'])).toThrow(/must not start/);
    expect(() => composeCommand({ flavor: 'v1', files: [], project: '-p' }, ['ps'])).toThrow(/must not start/);
  });
});

describe('ssh inputs', () => {
  it('an invalid `user` is reported as `user`, not `hosts`', () => {
    expect(() =>
      readSshInputs(mapInputs({ hosts: 'a.example,b.example', user: '-oProxyCommand=x', 'private-key': KEY })),
    ).toThrow(/^input `user`: "-oProxyCommand=x" is not a valid user name/);
  });
  it('an invalid user written in hosts is still reported as `hosts`', () => {
    expect(() => readSshInputs(mapInputs({ hosts: '-x@a.example', 'private-key': KEY }))).toThrow(/^input `hosts`/);
  });
});

describe('build-image', () => {
  it('a context directory named like an option stays a path', () => {
    const spec: BuildSpec = {
      docker: 'docker',
      context: '--output=type=local,dest=/',
      buildArgs: {},
      labels: {},
      secretFiles: {},
      platforms: [],
      cache: 'local',
      localTags: [],
      iidFile: '/tmp/iid',
      epoch: 0,
    } as BuildSpec;
    const argv = buildCommand('classic', spec).argv;
    expect(argv.at(-1)).toBe('./--output=type=local,dest=/');
    expect(argv.filter((a) => a.startsWith('--output'))).toEqual([]);
  });
});

describe('backup-db compose inputs', () => {
  const base = { engine: 'postgres', database: 'shop', 'compose-service': 'db', 'output-dir': '/tmp/x' };
  it('a compose-project or compose-file that could be read as an option is refused naming the input', () => {
    expect(() => readBackupConfig(mapInputs({ ...base, 'compose-project': '-pwned' }))).toThrow(
      /^input `compose-project`: "-pwned" is not a Compose project name/,
    );
    expect(() => readBackupConfig(mapInputs({ ...base, 'compose-file': '--env-file=/etc/shadow' }))).toThrow(
      /^input `compose-file`: "--env-file=\/etc\/shadow" must not start with -/,
    );
    expect(readBackupConfig(mapInputs({ ...base, 'compose-project': 'shop_prod' })).composeProject).toBe('shop_prod');
  });
});
