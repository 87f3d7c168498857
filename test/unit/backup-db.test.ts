import { describe, expect, it } from 'vitest';
import {
  compressCommand,
  compressionOf,
  compressionSuffix,
  decompressCommand,
} from '../../src/core/backup-db/compress.js';
import { writeSecretCommand } from '../../src/lib/target/commands.js';
import { containerCommand } from '../../src/lib/target/container.js';
import { readBackupConfig, urlSecrets } from '../../src/core/backup-db/config.js';
import { compareCounts } from '../../src/core/backup-db/engines.js';
import { mongoSourceDb } from '../../src/core/backup-db/mongodb-engine.js';
import { parsePostgresUrl, pgDumpCommand, pgpassLine, pgRestoreCommand } from '../../src/core/backup-db/postgres.js';
import {
  isMongoArchive,
  mongoConfigFile,
  mongoDumpCommand,
  mongoRestoreCommand,
  parseMongoRestoreCounts,
  parseMongoToolVersion,
  parseMongoUrl,
} from '../../src/core/backup-db/mongodb.js';
import { backupBase, backupFileName, backupsOf, planRetention } from '../../src/core/backup-db/retention.js';
import { mapInputs } from '../helpers/inputs.js';

describe('backup file names and retention', () => {
  it('names are <base>-<UTC timestamp><ext>', () => {
    expect(backupFileName('app', new Date('2024-03-05T07:08:09.123Z'), '.dump.gz')).toBe(
      'app-20240305T070809Z.dump.gz',
    );
    expect(backupBase('/srv/data/site.sqlite3')).toBe('site');
    expect(backupBase('my db/../x')).toBe('x');
    expect(backupBase('..')).toBe('db');
  });

  it('only finished backups of the same base count', () => {
    const names = [
      'app-20240101T000000Z.dump.gz',
      'app-20240102T000000Z.dump.gz.partial',
      'app-staging-20240101T000000Z.dump.gz',
      'app-notes.txt',
      'other-20240101T000000Z.dump',
    ];
    expect(backupsOf(names, 'app')).toEqual(['app-20240101T000000Z.dump.gz']);
  });

  it('keeps the N newest and always the one just made; keep 0 keeps all', () => {
    const names = ['a-20240101T000000Z.dump', 'a-20240102T000000Z.dump', 'a-20240103T000000Z.dump'];
    expect(planRetention(names, 'a', { keep: 2, daily: 0, weekly: 0, monthly: 0 }, 'a-20240103T000000Z.dump')).toEqual([
      'a-20240101T000000Z.dump',
    ]);
    expect(planRetention(names, 'a', { keep: 0, daily: 0, weekly: 0, monthly: 0 }, 'a-20240103T000000Z.dump')).toEqual(
      [],
    );
    // Clock behind: the new backup sorts first but is never removed.
    const withOld = [...names, 'a-20200101T000000Z.dump'];
    expect(
      planRetention(withOld, 'a', { keep: 1, daily: 0, weekly: 0, monthly: 0 }, 'a-20200101T000000Z.dump'),
    ).toEqual(['a-20240101T000000Z.dump', 'a-20240102T000000Z.dump']);
  });
});

describe('compression', () => {
  it('builds separate compressor/decompressor processes', () => {
    expect(compressCommand('gzip').argv).toEqual(['gzip', '-c', '-6']);
    expect(compressCommand('zstd').argv[0]).toBe('zstd');
    expect(decompressCommand('zstd', '-f.zst').argv).toEqual(['zstd', '-dc', '-q', '--', '-f.zst']);
    expect(compressionOf('x.dump.gz')).toBe('gzip');
    expect(compressionOf('x.sqlite.zst')).toBe('zstd');
    expect(compressionOf('x.dump')).toBe('none');
    expect(compressionSuffix('none')).toBe('');
  });
});

describe('mongodb builders (mongodump is not installable here: builders only)', () => {
  it('keeps the URI with its password in a --config file, never argv', () => {
    const url = 'mongodb://app:s3cr%22et@127.0.0.1:27017/shop?authSource=admin';
    expect(parseMongoUrl(url).database).toBe('shop');
    expect(mongoConfigFile(url)).toBe(`uri: ${JSON.stringify(url)}\n`);
    const d = mongoDumpCommand('/tmp/x/mongo.yaml', 'shop');
    expect(d.argv).toEqual(['mongodump', '--config=/tmp/x/mongo.yaml', '--archive', '--quiet', '--db=shop']);
    expect(d.argv.join(' ')).not.toContain('s3cr');
    expect(mongoRestoreCommand('/c', '/b.archive', 'shop', 'shop_v').argv).toEqual([
      'mongorestore',
      '--config=/c',
      '--archive=/b.archive',
      '--drop',
      '--nsFrom=shop.*',
      '--nsTo=shop_v.*',
    ]);
    expect(() => parseMongoUrl('postgres://x@y/z')).toThrow(/database-url: scheme/);
    expect(() => mongoConfigFile('mongodb://a\n@b')).toThrow(/line break/);
  });
  it('streams --archive to stdout without --gzip (the pipeline compresses), verifies with --dryRun', () => {
    const d = mongoDumpCommand('/c', 'shop');
    expect(d.argv).not.toContain('--gzip');
    expect(d.argv.some((a) => a.startsWith('--archive='))).toBe(false);
    expect(mongoRestoreCommand('/c', '/f', 'shop', 'shop_v', { dryRun: true }).argv).toEqual([
      'mongorestore',
      '--config=/c',
      '--archive=/f',
      '--dryRun',
      '--nsFrom=shop.*',
      '--nsTo=shop_v.*',
    ]);
    // Not --quiet: the counts come from its per-collection log lines.
    expect(mongoRestoreCommand('/c', '/f', 'a', 'b').argv).not.toContain('--quiet');
    expect(parseMongoToolVersion('mongodump version: 100.9.4\ngit version: abc\n')).toBe('100.9.4');
    expect(() => parseMongoToolVersion('command not found')).toThrow(/cannot read/);
  });
  it('reads per-collection counts from the mongorestore log; failures throw', () => {
    const log =
      '2024-01-01T00:00:00.000+0000\tfinished restoring shop.orders (1200 documents, 0 failures)\n' +
      '2024-01-01T00:00:00.000+0000\tfinished restoring shop.users (1 document, 0 failures)\n' +
      '2024-01-01T00:00:00.000+0000\t1201 document(s) restored successfully. 0 document(s) failed to restore.\n';
    expect([...parseMongoRestoreCounts(log, 'shop')]).toEqual([
      ['orders', 1200],
      ['users', 1],
    ]);
    expect(() => parseMongoRestoreCounts('finished restoring shop.x (5 documents, 2 failures)', 'shop')).toThrow(
      /2 documents of shop.x failed/,
    );
  });
  it('tells the source database from the backup name (restore maps <source>.* to the target)', () => {
    expect(mongoSourceDb('/b/shop-20240101T020000Z.archive.gz')).toBe('shop');
    expect(mongoSourceDb('my-app-20240101T020000Z.archive')).toBe('my-app');
    expect(mongoSourceDb('/tmp/x/plain')).toBeUndefined();
  });
  it('recognises a mongodump archive by its magic number', () => {
    expect(isMongoArchive(Buffer.from([0x6d, 0xe2, 0x99, 0x81, 0]))).toBe(true);
    expect(isMongoArchive(Buffer.from('PGDMP'))).toBe(false);
    expect(isMongoArchive(Buffer.alloc(0))).toBe(false);
  });
});

describe('compareCounts', () => {
  it('names missing, extra and different tables', () => {
    const a = new Map([
      ['t1', 1],
      ['t2', 2],
    ]);
    expect(compareCounts(a, new Map(a))).toEqual([]);
    expect(
      compareCounts(
        a,
        new Map([
          ['t1', 5],
          ['t3', 0],
        ]),
      ),
    ).toEqual([
      'table t1: 1 rows in the database, 5 restored',
      'table t2 missing from the restore',
      'table t3 restored but not in the database',
    ]);
  });
});

describe('readBackupConfig', () => {
  const base = { engine: 'postgres', 'database-url': 'postgres://u:pw@h/db', 'output-dir': '/tmp/out' };
  it('reads defaults', () => {
    const c = readBackupConfig(mapInputs(base));
    expect(c).toMatchObject({ compression: 'zstd', verify: 'list', keep: 0, mode: 'backup', runOn: 'local' });
    expect(c).toMatchObject({ keepDaily: 0, keepWeekly: 0, keepMonthly: 0, composeService: '', composeFiles: [] });
  });
  it('reads compose-service, calendar retention, mariadb over ssh, mongodb', () => {
    const c = readBackupConfig(
      mapInputs({
        ...base,
        'database-url': '',
        database: 'shop',
        'compose-service': 'db',
        'compose-file': '/srv/app/docker-compose.yml, /srv/app/prod.yml',
        'docker-host': 'unix:///run/user/1000/docker.sock',
        'keep-daily': '7',
        'keep-weekly': '4',
        'keep-monthly': '12',
      }),
    );
    expect(c).toMatchObject({
      composeService: 'db',
      composeFiles: ['/srv/app/docker-compose.yml', '/srv/app/prod.yml'],
      dockerHost: 'unix:///run/user/1000/docker.sock',
      keepDaily: 7,
      keepWeekly: 4,
      keepMonthly: 12,
    });
    const m = readBackupConfig(
      mapInputs({ ...base, engine: 'mariadb', 'database-url': 'mysql://u@h/d', 'run-on': 'ssh', hosts: 'h' }),
    );
    expect(m.runOn).toBe('ssh');
    expect(readBackupConfig(mapInputs({ ...base, engine: 'mongodb', 'database-url': 'mongodb://u@h/d' })).engine).toBe(
      'mongodb',
    );
  });
  it.each([
    [{ engine: 'oracle' }, /input `engine`/],
    [{ engine: 'mongodb', 'database-url': 'postgres://u@h/d' }, /database-url: scheme must be mongodb/],
    [{ engine: 'mongodb', 'database-url': 'mongodb://u@h/d', verify: 'restore' }, /input `verify`: restore is not/],
    [{ 'keep-daily': '-2' }, /input `keep-daily`/],
    [{ 'keep-monthly': 'x' }, /input `keep-monthly`/],
    [{ engine: 'sqlite', database: '/x.db', 'compose-service': 'db' }, /input `compose-service`: is supported/],
    [{ 'compose-service': '-d' }, /input `compose-service`: "-d" is not a service name/],
    [{ 'compose-file': 'docker-compose.yml' }, /input `compose-file`: is used with compose-service only/],
    [{ engine: 'mysql', 'database-url': 'postgres://u@h/d' }, /database-url: scheme must be mysql/],
    [{ compression: 'bz2' }, /input `compression`/],
    [{ keep: '-1' }, /input `keep`/],
    [{ keep: 'many' }, /input `keep`/],
    [{ verify: 'yes' }, /input `verify`/],
    [{ 'database-url': '' }, /input `database-url`: is required/],
    [{ 'output-dir': '' }, /input `output-dir`/],
    [{ mode: 'restore' }, /input `restore-from`/],
    [{ 'run-on': 'ssh', hosts: 'a, b' }, /input `hosts`/],
    [{ 'remote-dir': '/srv/backups' }, /input `remote-dir`: needs run-on: ssh/],
    [{ 'run-on': 'ssh', 'remote-dir': 'backups' }, /input `remote-dir`: "backups" must be an absolute path/],
    [{ engine: 'sqlite', 'database-url': '' }, /input `database`/],
  ])('%o fails naming the input', (over, re) => {
    expect(() => readBackupConfig(mapInputs({ ...base, ...over }))).toThrow(re);
  });
});

describe('urlSecrets', () => {
  it('gives the URL password as written and decoded, for masking', () => {
    expect(urlSecrets('postgres://u:p%40ss%3Aw@h/d')).toEqual(['p%40ss%3Aw', 'p@ss:w']);
    expect(urlSecrets('mongodb://u:plain@h/d')).toEqual(['plain']);
    expect(urlSecrets('postgres://u@h/d')).toEqual([]);
    expect(urlSecrets('')).toEqual([]);
  });
});

describe('compose-service: engine commands in the service (through the target layer)', () => {
  const project = { flavor: 'v1' as const, files: ['docker-compose.prod.yml'], project: 'shop' };
  const access = { kind: 'compose-exec' as const, project, service: 'db' };
  const sock = { ...parsePostgresUrl('postgres://app:s3cret@db:5432/shop'), host: '' };
  it('pgpass goes in through stdin (umask 077); only its path crosses argv', () => {
    const w = containerCommand(access, writeSecretCommand('/tmp/tmp.x/pgpass', pgpassLine(sock)));
    expect(w.argv.slice(-6)).toEqual(['db', 'sh', '-c', 'umask 077 && cat > "$1"', 'sh', '/tmp/tmp.x/pgpass']);
    expect(w.stdin).toBe('*:*:*:app:s3cret\n');
    expect(w.argv.join(' ')).not.toContain('s3cret');
  });
  it('runs pg_dump in the service with exec -T; env crosses by name, the password never', () => {
    const d = containerCommand(access, pgDumpCommand(sock, '/tmp/tmp.x/pgpass'), { dockerHost: 'unix:///d.sock' });
    expect(d.argv).toEqual([
      'docker-compose',
      '-f',
      'docker-compose.prod.yml',
      '-p',
      'shop',
      'exec',
      '-T',
      '-e',
      'PGPASSFILE',
      '-e',
      'PGCONNECT_TIMEOUT',
      'db',
      'pg_dump',
      '-U',
      'app',
      '-w',
      '-Fc',
      '--no-password',
      '-d',
      'shop',
    ]);
    expect(d.env).toEqual({ PGPASSFILE: '/tmp/tmp.x/pgpass', PGCONNECT_TIMEOUT: '15', DOCKER_HOST: 'unix:///d.sock' });
    expect(JSON.stringify(d)).not.toContain('s3cret');
  });
  it('pg_restore reads an uploaded file by path inside the service', () => {
    const r = containerCommand(access, pgRestoreCommand(sock, '/p', '/tmp/tmp.x/upload-1', 'shop'));
    expect(r.argv.slice(-3)).toEqual(['shop', '--', '/tmp/tmp.x/upload-1']);
  });
});
