/** The container argv builders of the target layer, for each access kind and both compose flavors. */
import { describe, expect, it } from 'vitest';
import type { ComposeProject } from '../../src/lib/compose.js';
import { containerCommand, describeAccess } from '../../src/lib/target/container.js';
import { parseSha256, receiveFileCommand, writeSecretCommand } from '../../src/lib/target/commands.js';
import { assertFileName } from '../../src/lib/target/types.js';

const v2: ComposeProject = { flavor: 'v2', files: ['compose.yml'], cwd: '/srv/app', project: 'shop' };
const v1: ComposeProject = { ...v2, flavor: 'v1' };
const cmd = {
  argv: ['pg_dump', '--format=custom', 'my db'],
  env: { PGPASSFILE: '/tmp/x/pgpass', SECRET_TOKEN: 's3cr3t-value' },
  stdin: 'in',
  label: 'pg_dump',
};

describe('containerCommand', () => {
  it('docker exec: -i, names-only env, -- before the container, stdin and label kept', () => {
    const c = containerCommand({ kind: 'docker-exec', container: 'db-1' }, { ...cmd, cwd: '/work' });
    expect(c.argv).toEqual([
      'docker',
      'exec',
      '-i',
      '-w',
      '/work',
      '-e',
      'PGPASSFILE',
      '-e',
      'SECRET_TOKEN',
      '--',
      'db-1',
      'pg_dump',
      '--format=custom',
      'my db',
    ]);
    expect(c.env).toEqual(cmd.env);
    expect(c.stdin).toBe('in');
    expect(c.label).toBe('pg_dump');
  });

  it.each([
    ['v2', v2, ['docker', 'compose']],
    ['v1', v1, ['docker-compose']],
  ] as const)('compose exec -T (%s): project files, -p, cwd of the project', (_n, p, base) => {
    const c = containerCommand({ kind: 'compose-exec', project: p, service: 'db' }, cmd, { dockerHost: 'ssh://x' });
    expect(c.argv).toEqual([
      ...base,
      '-f',
      'compose.yml',
      '-p',
      'shop',
      'exec',
      '-T',
      '-e',
      'PGPASSFILE',
      '-e',
      'SECRET_TOKEN',
      'db',
      'pg_dump',
      '--format=custom',
      'my db',
    ]);
    expect(c.cwd).toBe('/srv/app');
    expect(c.env).toEqual({ ...cmd.env, DOCKER_HOST: 'ssh://x' });
  });

  it.each([
    ['v2', v2, ['docker', 'compose']],
    ['v1', v1, ['docker-compose']],
  ] as const)('compose run --rm -T (%s): name, entrypoint = argv[0], service, rest', (_n, p, base) => {
    const c = containerCommand(
      { kind: 'compose-run', project: p, service: 'web' },
      { argv: ['python', 'manage.py', 'migrate'], env: { DJANGO_SECRET: 'x' } },
      { name: 'deploy-kit-ab-1', mounts: ['/tmp/t:/tmp/t'] },
    );
    expect(c.argv).toEqual([
      ...base,
      '-f',
      'compose.yml',
      '-p',
      'shop',
      'run',
      '--rm',
      '-T',
      '--name',
      'deploy-kit-ab-1',
      '-e',
      'DJANGO_SECRET',
      '-v',
      '/tmp/t:/tmp/t',
      '--entrypoint=python',
      '--',
      'web',
      'manage.py',
      'migrate',
    ]);
  });

  it('docker run --rm: --init, network, workdir, volumes, entrypoint, and -- before the image', () => {
    const c = containerCommand(
      {
        kind: 'docker-run',
        image: 'registry.example/app@sha256:' + 'a'.repeat(64),
        network: 'app_default',
        volumes: ['/srv/r1:/app'],
        workdir: '/app',
      },
      { argv: ['python', '-m', 'alembic', 'upgrade', 'head'], env: { DATABASE_URL: 'postgres://u:p@db/x' } },
      { name: 'deploy-kit-ab-2' },
    );
    expect(c.argv).toEqual([
      'docker',
      'run',
      '--rm',
      '-i',
      '--init',
      '--name',
      'deploy-kit-ab-2',
      '--network',
      'app_default',
      '-w',
      '/app',
      '-e',
      'DATABASE_URL',
      '-v',
      '/srv/r1:/app',
      '--entrypoint=python',
      '--',
      'registry.example/app@sha256:' + 'a'.repeat(64),
      '-m',
      'alembic',
      'upgrade',
      'head',
    ]);
  });

  it('no env value ever reaches argv, whatever its name', () => {
    for (const access of [
      { kind: 'docker-exec', container: 'c' },
      { kind: 'compose-exec', project: v1, service: 's' },
      { kind: 'compose-run', project: v2, service: 's' },
      { kind: 'docker-run', image: 'img' },
    ] as const) {
      const c = containerCommand(access, cmd);
      expect(c.argv.join('\n')).not.toContain('s3cr3t-value');
      expect(c.argv.join('\n')).not.toContain('/tmp/x/pgpass');
    }
  });

  it('refuses option-like or malformed names, images, networks, volumes and env names', () => {
    expect(() => containerCommand({ kind: 'docker-run', image: '-v/:/host' }, cmd)).toThrow(/image reference/);
    expect(() => containerCommand({ kind: 'docker-run', image: 'img', network: '--privileged' }, cmd)).toThrow(
      /network/,
    );
    expect(() => containerCommand({ kind: 'docker-exec', container: '-u0' }, cmd)).toThrow(/container name/);
    expect(() => containerCommand({ kind: 'compose-exec', project: v2, service: '--help' }, cmd)).toThrow(/service/);
    expect(() => containerCommand({ kind: 'docker-run', image: 'img', volumes: ['--privileged'] }, cmd)).toThrow(
      /volume/,
    );
    expect(() =>
      containerCommand({ kind: 'docker-exec', container: 'c' }, { argv: ['x'], env: { 'A=B': '1' } }),
    ).toThrow(/environment variable name/);
    expect(() => containerCommand({ kind: 'docker-exec', container: 'c' }, { argv: [] })).toThrow(/empty/);
  });

  it('describes where it runs', () => {
    expect(describeAccess({ kind: 'compose-exec', project: v1, service: 'db' })).toBe(
      'service db (docker-compose exec -T)',
    );
    expect(describeAccess({ kind: 'compose-run', project: v2, service: 'web' })).toBe(
      'service web (docker compose run --rm -T)',
    );
  });
});

describe('target commands', () => {
  it('secrets travel on stdin; the path is a positional parameter of a constant script', () => {
    const c = writeSecretCommand("/tmp/d/it's $(x)", 'hunter2');
    expect(c.argv.slice(0, 3)).toEqual(['sh', '-c', 'umask 077 && cat > "$1"']);
    expect(c.argv.at(-1)).toBe("/tmp/d/it's $(x)");
    expect(c.argv.join(' ')).not.toContain('hunter2');
    expect(c.stdin).toBe('hunter2');
    expect(receiveFileCommand('/x').argv[2]).toContain('sha256sum < "$1"');
  });

  it('parses sha256sum output and refuses anything else', () => {
    const h = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
    expect(parseSha256(`${h}  -\n`, 'h')).toBe(h);
    expect(() => parseSha256('sha256sum: not found', 'h')).toThrow(/no checksum/);
  });

  it('temp file names are plain names', () => {
    expect(assertFileName('pgpass')).toBe('pgpass');
    for (const bad of ['../x', 'a/b', '.', '..', '-rf', '']) expect(() => assertFileName(bad)).toThrow();
  });
});
