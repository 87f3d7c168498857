import { describe, expect, it } from 'vitest';
import {
  compressCommand,
  compressionOf,
  compressionSuffix,
  decompressCommand,
} from '../../src/core/backup-db/compress.js';
import {
  inService,
  mktempInServiceCommand,
  mktempWithFileInServiceCommand,
  removeInServiceCommand,
  withStdinFile,
  writeFileInServiceCommand,
} from '../../src/core/backup-db/compose.js';
import { readBackupConfig, urlSecrets } from '../../src/core/backup-db/config.js';
import { compareCounts, mongoSourceDb } from '../../src/core/backup-db/engines.js';
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

describe('compose-service argv builders', () => {
  const t = { project: { flavor: 'v2' as const, files: ['docker-compose.prod.yml'] }, service: 'db' };
  const t1 = { ...t, project: { ...t.project, flavor: 'v1' as const, project: 'shop' }, dockerHost: 'unix:///d.sock' };
  const sock = { ...parsePostgresUrl('postgres://app:s3cret@db:5432/shop'), host: '' };
  it('writes the pgpass file through stdin (umask 077); only its path crosses argv', () => {
    const w = writeFileInServiceCommand(t, '/tmp/tmp.x/pgpass', pgpassLine(sock));
    expect(w.argv).toEqual([
      'docker',
      'compose',
      '-f',
      'docker-compose.prod.yml',
      'exec',
      '-T',
      'db',
      'sh',
      '-c',
      'umask 077 && cat > "$1"',
      'sh',
      '/tmp/tmp.x/pgpass',
    ]);
    expect(w.stdin).toBe('*:*:*:app:s3cret\n');
    expect(mktempInServiceCommand(t).argv.slice(-3)).toEqual(['db', 'mktemp', '-d']);
    const m = mktempWithFileInServiceCommand(t, 'pgpass', pgpassLine(sock));
    expect(m.argv.slice(-5)).toEqual([
      'sh',
      '-c',
      'umask 077 && d=$(mktemp -d) && cat > "$d/$1" && printf %s "$d"',
      'sh',
      'pgpass',
    ]);
    expect(m.stdin).toBe('*:*:*:app:s3cret\n');
    expect(() => mktempWithFileInServiceCommand(t, '../x', '')).toThrow(/bad file name/);
  });
  it('runs any engine command in the service with exec -T, env as -e (v1 and v2), the local socket', () => {
    const d = inService(t1, pgDumpCommand(sock, '/tmp/tmp.x/pgpass'));
    expect(d.argv).toEqual([
      'docker-compose',
      '-f',
      'docker-compose.prod.yml',
      '-p',
      'shop',
      'exec',
      '-T',
      '-e',
      'PGPASSFILE=/tmp/tmp.x/pgpass',
      '-e',
      'PGCONNECT_TIMEOUT=15',
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
    expect(d.env).toEqual({ DOCKER_HOST: 'unix:///d.sock' });
    expect(d.label).toBe('pg_dump in service db');
    expect(inService(t, { argv: ['true'] }).argv.slice(0, 2)).toEqual(['docker', 'compose']);
    expect(JSON.stringify(d)).not.toContain('s3cret');
    expect(() => inService(t, { argv: ['psql'], env: { PGPASSWORD: 'x' } })).toThrow(/refusing to pass PGPASSWORD/);
    expect(removeInServiceCommand(t, '/tmp/tmp.x').argv.slice(-5)).toEqual(['db', 'rm', '-rf', '--', '/tmp/tmp.x']);
  });
  it('streams a file into stdin through a constant sh script (file and argv are positional)', () => {
    const r = withStdinFile(inService(t, pgRestoreCommand(sock, '/p', '', 'shop')), '/tmp/$(x) y.dump');
    expect(r.argv.slice(0, 5)).toEqual(['sh', '-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', '/tmp/$(x) y.dump']);
    expect(r.argv.slice(5, 7)).toEqual(['docker', 'compose']);
    // pg_restore with no file reads the archive on stdin.
    expect(r.argv.slice(-2)).toEqual(['-d', 'shop']);
  });
});
