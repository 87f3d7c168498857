/**
 * compose-deploy's registry login and database backup inputs, without any server: the config read from
 * inputs (what reaches the engine and `docker login`) and the pure builders (argv, env, stdin). The real
 * programs run in test/e2e/compose-deploy-registry.e2e.test.ts and compose-deploy-mariadb.e2e.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { readComposeDeployConfig } from '../../src/core/compose-deploy/config.js';
import {
  dockerLoginCommand,
  privateDirCommand,
  registryOf,
  removeDirCommand,
} from '../../src/core/compose-deploy/env-target.js';
import { parseMysqlUrl } from '../../src/core/backup-db/mysql.js';
import { Inputs } from '../../src/lib/inputs.js';

function cfg(extra: Record<string, string>, secrets: string[] = []) {
  const base: Record<string, string> = {
    'run-on': 'local',
    path: '/srv/shop',
    image: 'ghcr.io/acme/shop:1.2',
    ...extra,
  };
  return readComposeDeployConfig(
    new Inputs(
      (n) => base[n] ?? '',
      (s) => void secrets.push(s),
    ),
    {},
  );
}

describe('registry login', () => {
  it('takes the registry from the image (docker.io when it names none), or from `registry`', () => {
    expect(registryOf('ghcr.io/acme/shop:1')).toBe('ghcr.io');
    expect(registryOf('127.0.0.1:5000/shop@sha256:' + 'a'.repeat(64))).toBe('127.0.0.1:5000');
    expect(registryOf('localhost/shop:1')).toBe('localhost');
    expect(registryOf('acme/shop:1')).toBe('docker.io');
    expect(registryOf('shop:1')).toBe('docker.io');
    expect(registryOf('sha256:' + 'b'.repeat(64))).toBe('');
    expect(cfg({ 'registry-username': 'ci', 'registry-password': 'tok-123' }).registryAuth).toEqual({
      registry: 'ghcr.io',
      username: 'ci',
      password: 'tok-123',
    });
    expect(
      cfg({ 'registry-username': 'ci', 'registry-password': 'tok-123', registry: 'reg.example:5000' }).registryAuth
        ?.registry,
    ).toBe('reg.example:5000');
    expect(cfg({}).registryAuth).toBeUndefined();
  });

  it('registers the password as a secret as soon as it is read', () => {
    const secrets: string[] = [];
    cfg({ 'registry-username': 'ci', 'registry-password': 'tok-secret-9' }, secrets);
    expect(secrets).toContain('tok-secret-9');
  });

  it('docker login: the password on stdin only, the config dir as env, the registry after --', () => {
    const auth = { registry: 'ghcr.io', username: 'ci', password: 'tok-secret-9' };
    const cmd = dockerLoginCommand(auth, '/tmp/deploy-kit.x/docker-config-1');
    expect(cmd.argv).toEqual(['docker', 'login', '--username=ci', '--password-stdin', '--', 'ghcr.io']);
    expect(cmd.argv.join(' ')).not.toContain('tok-secret-9');
    expect(cmd.stdin).toBe('tok-secret-9\n');
    expect(cmd.env).toEqual({ DOCKER_CONFIG: '/tmp/deploy-kit.x/docker-config-1' });
    expect(cmd.label).not.toContain('tok-secret-9');
    expect(privateDirCommand('/t/d').argv).toEqual(['mkdir', '-m', '0700', '--', '/t/d']);
    expect(removeDirCommand('/t/d').argv).toEqual(['rm', '-rf', '--', '/t/d']);
  });
});

describe('backup: mysql / mariadb inside the db service', () => {
  it('builds the URL for the container loopback over TCP (root by default), the password only in it', () => {
    const c = cfg({ backup: 'mariadb', database: 'shop', 'database-password': `p'w"$x:@/` });
    const conn = parseMysqlUrl(c.databaseUrl);
    expect(conn).toEqual({ host: '127.0.0.1', port: 3306, user: 'root', password: `p'w"$x:@/`, database: 'shop' });
    expect(c.databaseUrl.startsWith('mariadb://')).toBe(true);
    expect(parseMysqlUrl(cfg({ backup: 'mysql', database: 'shop', 'database-user': 'app' }).databaseUrl).user).toBe(
      'app',
    );
    // postgres keeps its own default user and scheme.
    expect(cfg({ backup: 'postgres', database: 'shop' }).databaseUrl).toBe('postgres://postgres@localhost:5432/shop');
  });
});
