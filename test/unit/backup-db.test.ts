import { describe, expect, it } from 'vitest';
import {
  compressCommand,
  compressionOf,
  compressionSuffix,
  decompressCommand,
} from '../../src/core/backup/compress.js';
import {
  composePgDumpCommand,
  removeInServiceCommand,
  writePgpassInServiceCommand,
} from '../../src/core/backup/compose.js';
import { readBackupConfig } from '../../src/core/backup/config.js';
import { compareCounts } from '../../src/core/backup/engines.js';
import {
  mongoConfigFile,
  mongoDumpCommand,
  mongoRestoreCommand,
  parseMongoUrl,
} from '../../src/core/backup/mongodb.js';
import { backupBase, backupFileName, backupsOf, planRetention } from '../../src/core/backup/retention.js';
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
    expect(planRetention(names, 'a', 2, 'a-20240103T000000Z.dump')).toEqual(['a-20240101T000000Z.dump']);
    expect(planRetention(names, 'a', 0, 'a-20240103T000000Z.dump')).toEqual([]);
    // Clock behind: the new backup sorts first but is never removed.
    const withOld = [...names, 'a-20200101T000000Z.dump'];
    expect(planRetention(withOld, 'a', 1, 'a-20200101T000000Z.dump')).toEqual([
      'a-20240101T000000Z.dump',
      'a-20240102T000000Z.dump',
    ]);
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
      '--quiet',
      '--nsFrom=shop.*',
      '--nsTo=shop_v.*',
    ]);
    expect(() => parseMongoUrl('postgres://x@y/z')).toThrow(/database-url: scheme/);
    expect(() => mongoConfigFile('mongodb://a\n@b')).toThrow(/line break/);
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
    expect(c).toMatchObject({ compression: 'gzip', verify: 'list', keep: 0, mode: 'backup', runOn: 'local' });
  });
  it.each([
    [{ engine: 'oracle' }, /input `engine`/],
    [{ engine: 'mongodb' }, /input `engine`: "mongodb" is not supported/],
    [{ engine: 'mysql', 'database-url': 'postgres://u@h/d' }, /database-url: scheme must be mysql/],
    [{ compression: 'bz2' }, /input `compression`/],
    [{ keep: '-1' }, /input `keep`/],
    [{ keep: 'many' }, /input `keep`/],
    [{ verify: 'yes' }, /input `verify`/],
    [{ 'database-url': '' }, /input `database-url`: is required/],
    [{ 'output-dir': '' }, /input `output-dir`/],
    [{ mode: 'restore' }, /input `restore-from`/],
    [{ engine: 'mariadb', 'database-url': 'mysql://u@h/d', 'run-on': 'ssh' }, /input `run-on`/],
    [{ 'run-on': 'ssh', hosts: 'a, b' }, /input `hosts`/],
    [{ 'remote-dir': '/srv/backups' }, /input `remote-dir`: needs run-on: ssh/],
    [{ 'run-on': 'ssh', 'remote-dir': 'backups' }, /input `remote-dir`: "backups" must be an absolute path/],
    [{ 'compose-service': 'db' }, /input `compose-service`/],
    [{ engine: 'sqlite', 'database-url': '' }, /input `database`/],
  ])('%o fails naming the input', (over, re) => {
    expect(() => readBackupConfig(mapInputs({ ...base, ...over }))).toThrow(re);
  });
});

describe('compose-service argv builders (not wired into the action yet)', () => {
  const p = { flavor: 'v2' as const, files: ['docker-compose.prod.yml'], cwd: '/srv/app' };
  it('writes the pgpass file through stdin and dumps with exec -T and only the file path in argv', () => {
    const w = writePgpassInServiceCommand(p, 'db', '/tmp/dk.pgpass', '*:*:*:app:s3cret\n');
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
      '/tmp/dk.pgpass',
    ]);
    expect(w.stdin).toBe('*:*:*:app:s3cret\n');
    expect(w.cwd).toBe('/srv/app');
    const d = composePgDumpCommand({ ...p, flavor: 'v1' }, 'db', 'app', 'shop', '/tmp/dk.pgpass');
    expect(d.argv).toEqual([
      'docker-compose',
      '-f',
      'docker-compose.prod.yml',
      'exec',
      '-T',
      '-e',
      'PGPASSFILE=/tmp/dk.pgpass',
      'db',
      'pg_dump',
      '-U',
      'app',
      '-w',
      '-Fc',
      '-d',
      'shop',
    ]);
    expect(JSON.stringify([w.argv, d.argv])).not.toContain('s3cret');
    expect(removeInServiceCommand(p, 'db', '/tmp/dk.pgpass').argv.slice(-5)).toEqual([
      'db',
      'rm',
      '-f',
      '--',
      '/tmp/dk.pgpass',
    ]);
  });
});
