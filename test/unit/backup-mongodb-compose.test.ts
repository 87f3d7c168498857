import { describe, expect, it } from 'vitest';
import { readBackupConfig } from '../../src/core/backup-db/config.js';
import { mongoDumpCommand, mongoRestoreCommand, mongoUriInContainer } from '../../src/core/backup-db/mongodb.js';
import { containerCommand } from '../../src/lib/target/container.js';
import { mapInputs } from '../helpers/inputs.js';

// MongoDB in a Compose service: the argv only. The real round trip needs mongod/mongodump, which cannot be installed
// on this project's machines (see test/integration/backup-mongodb.test.ts): there is no fake server here.
describe('backup-db mongodb with compose-service', () => {
  const project = { flavor: 'v2' as const, files: ['/srv/app/docker-compose.yml'], project: 'arryn' };

  it('mongodump --archive runs inside the service with exec -T (no TTY: the archive bytes stay binary)', () => {
    const cmd = containerCommand(
      { kind: 'compose-exec', project, service: 'mongo' },
      mongoDumpCommand('/tmp/tmp.x1/mongo.yaml', 'app'),
    );
    expect(cmd.argv).toEqual([
      'docker',
      'compose',
      '-f',
      '/srv/app/docker-compose.yml',
      '-p',
      'arryn',
      'exec',
      '-T',
      'mongo',
      'mongodump',
      '--config=/tmp/tmp.x1/mongo.yaml',
      '--archive',
      '--quiet',
      '--db=app',
    ]);
    const v1 = containerCommand(
      { kind: 'compose-exec', project: { ...project, flavor: 'v1' }, service: 'mongo' },
      mongoRestoreCommand('/tmp/c/mongo.yaml', '/tmp/c/upload-1', 'app', 'app'),
    );
    expect(v1.argv.slice(0, 8)).toEqual([
      'docker-compose',
      '-f',
      '/srv/app/docker-compose.yml',
      '-p',
      'arryn',
      'exec',
      '-T',
      'mongo',
    ]);
    expect(v1.argv.slice(8)).toEqual([
      'mongorestore',
      '--config=/tmp/c/mongo.yaml',
      '--archive=/tmp/c/upload-1',
      '--drop',
      '--nsFrom=app.*',
      '--nsTo=app.*',
    ]);
    // The password is in neither argv: it lives in the config file written through stdin.
    expect(JSON.stringify([cmd.argv, v1.argv])).not.toMatch(/password|s3cret/);
  });

  it('inside the service the tools connect to 127.0.0.1 (port, user, password, database and options kept)', () => {
    expect(mongoUriInContainer('mongodb://app:s3cret@mongo:27018/shop?authSource=admin')).toBe(
      'mongodb://app:s3cret@127.0.0.1:27018/shop?authSource=admin',
    );
    expect(mongoUriInContainer('mongodb://app:p%40ss@db/shop')).toBe('mongodb://app:p%40ss@127.0.0.1:27017/shop');
    expect(mongoUriInContainer('')).toBe('mongodb://127.0.0.1:27017/');
    expect(() => mongoUriInContainer('mongodb+srv://a:b@cluster.example/db')).toThrow(/mongodb\+srv/);
    expect(() => mongoUriInContainer('mongodb://a:b@h1:1,h2:2/db')).toThrow(/not a URL/);
  });

  it('compose-service is accepted for mongodb, with a URL or only `database`', () => {
    const c = readBackupConfig(
      mapInputs({ engine: 'mongodb', 'compose-service': 'mongo', database: 'app', 'output-dir': '/b', verify: 'list' }),
    );
    expect(c).toMatchObject({ engine: 'mongodb', composeService: 'mongo', database: 'app', databaseUrl: '' });
    expect(() =>
      readBackupConfig(mapInputs({ engine: 'mongodb', 'compose-service': 'mongo', 'output-dir': '/b' })),
    ).toThrow(/^input `database-url`: is required for engine mongodb \(or compose-service with database\)/);
    expect(() => readBackupConfig(mapInputs({ engine: 'mongodb', 'output-dir': '/b' }))).toThrow(/database-url/);
  });
});
