import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readBackupConfig } from '../../src/core/backup-db/config.js';
import {
  checkRecipients,
  identityRecipients,
  parseIdentities,
  parseRecipients,
} from '../../src/core/backup-db/encrypt.js';
import { backupFreshness, freshnessOf } from '../../src/core/backup-db/freshness.js';
import { listDirCommand, removeFilesCommand } from '../../src/core/backup-db/storage-host.js';
import { databaseNameOf } from '../../src/core/backup-db/storage-run.js';
import { explainS3Error } from '../../src/core/backup-db/storage-s3.js';
import {
  completeNames,
  incompleteNames,
  offsiteSecrets,
  parseSidecar,
  parseStorageUrl,
  partSizeFor,
  readOffsiteConfig,
  sidecarText,
} from '../../src/core/backup-db/storage.js';
import { backupConfig } from '../fixtures/backup-config.js';
import { mapInputs } from '../helpers/inputs.js';

// Keys made with age-keygen (Debian age 1.1) for these tests only.
const ID = 'AGE-SECRET-KEY-13MEL4DLK4E4VYWVL8NN7E5KGMLG7J9S8CM09JZ30R0UJFXFE6Q7Q44G8R5';
const s3 = {
  storage: 's3://bk/nightly/db',
  's3-endpoint': 'http://127.0.0.1:9000',
  's3-access-key-id': 'AKIDEXAMPLE',
  's3-secret-access-key': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
};

describe('storage inputs', () => {
  it('parses s3://bucket/prefix into bucket and a prefix ending with /', () => {
    expect(parseStorageUrl('s3://bk')).toEqual({ bucket: 'bk', prefix: '', url: 's3://bk/' });
    expect(parseStorageUrl('s3://bk/')).toEqual({ bucket: 'bk', prefix: '', url: 's3://bk/' });
    expect(parseStorageUrl('s3://bk//a//b/')).toEqual({ bucket: 'bk', prefix: 'a/b/', url: 's3://bk/a/b/' });
    for (const bad of ['bk/a', 'https://bk/a', 's3://', 's3://b k/x', 's3://bk/a/../b', 's3://bk/a?x=1']) {
      expect(() => parseStorageUrl(bad), bad).toThrow(/^input `storage`/);
    }
  });

  it('reads the storage inputs; secrets are handed to the masker; path style follows s3-endpoint', () => {
    const secrets: string[] = [];
    const o = readOffsiteConfig(mapInputs({ ...s3, 'encrypt-recipients': '' }, secrets), 'backup', 60_000, {});
    expect(o.storage).toMatchObject({
      bucket: 'bk',
      prefix: 'nightly/db/',
      endpoint: 'http://127.0.0.1:9000',
      region: 'us-east-1',
      forcePathStyle: true,
      verify: 'read',
      requestTimeoutMs: 120_000,
      transferTimeoutMs: 60_000,
    });
    expect(secrets).toContain(s3['s3-secret-access-key']);
    expect(secrets).toContain(s3['s3-access-key-id']);
    expect(offsiteSecrets(o)).toEqual([s3['s3-access-key-id'], s3['s3-secret-access-key']]);
    const aws = readOffsiteConfig(
      mapInputs({ storage: 's3://bk', 's3-region': 'eu-west-3', 's3-verify': 'size' }),
      'backup',
      1000,
      { AWS_ACCESS_KEY_ID: 'AKENV', AWS_SECRET_ACCESS_KEY: 'envsecret', AWS_SESSION_TOKEN: 'envtoken' },
    );
    expect(aws.storage).toMatchObject({
      endpoint: '',
      region: 'eu-west-3',
      forcePathStyle: false,
      verify: 'size',
      accessKeyId: 'AKENV',
      sessionToken: 'envtoken',
    });
    expect(offsiteSecrets(aws)).toEqual(['AKENV', 'envsecret', 'envtoken']);
  });

  it('refuses what cannot work, naming the input', () => {
    const read = (v: Record<string, string>, mode: 'backup' | 'restore' = 'backup') =>
      readOffsiteConfig(mapInputs(v), mode, 1000, {});
    expect(() => read({ 's3-endpoint': 'http://x' })).toThrow(/^input `s3-endpoint`: is used with storage only/);
    expect(() => read({ 'encrypt-recipients': 'age1x' })).toThrow(/^input `encrypt-recipients`: is used with storage/);
    expect(() => read({ 'decrypt-identity': ID })).toThrow(/^input `decrypt-identity`: is used with storage/);
    expect(() => read({ storage: 's3://bk' })).toThrow(/^input `s3-access-key-id`: is required/);
    expect(() => read({ storage: 's3://bk', 's3-access-key-id': 'a' })).toThrow(/^input `s3-secret-access-key`/);
    expect(() => read({ ...s3, 's3-endpoint': 'ftp://x' })).toThrow(/^input `s3-endpoint`: must be http/);
    expect(() => read({ ...s3, 's3-endpoint': 'https://u:p@x' })).toThrow(/must not hold credentials/);
    expect(() => read({ ...s3, 's3-verify': 'maybe' })).toThrow(/^input `s3-verify`/);
    expect(() => read({ ...s3, 'encrypt-recipients': 'age1abc' }, 'restore')).toThrow(/mode restore decrypts/);
    expect(() => read({ ...s3, 'decrypt-identity': 'not a key' }, 'restore')).toThrow(/^input `decrypt-identity`/);
  });

  it('output-dir is optional with storage only', () => {
    const base = { engine: 'sqlite', database: '/data/app.sqlite' };
    expect(() => readBackupConfig(mapInputs(base))).toThrow(/^input `output-dir`: is required/);
    expect(readBackupConfig(mapInputs({ ...base, storage: 's3://bk' })).outputDir).toBe('');
  });

  it('the database name for `latest` and the early confirm check comes from database or the URL', () => {
    const c = (o: Parameters<typeof backupConfig>[0]) => databaseNameOf(backupConfig(o));
    expect(c({ outputDir: '', databaseUrl: 'postgres://u:p@h/shop' })).toBe('shop');
    expect(c({ outputDir: '', databaseUrl: 'postgres://u:p@h/shop', database: 'other' })).toBe('other');
    expect(c({ outputDir: '', engine: 'mariadb', databaseUrl: 'mariadb://u:p@h:3306/m' })).toBe('m');
    expect(c({ outputDir: '', engine: 'mongodb', databaseUrl: 'mongodb://h/app' })).toBe('app');
    expect(c({ outputDir: '', engine: 'sqlite', database: '/x/a.sqlite' })).toBe('/x/a.sqlite');
  });
});

describe('age keys', () => {
  it('recipients: age1 keys, comments skipped, an identity refused without echoing it', () => {
    expect(parseRecipients(['# team', 'age1abc', ' age1abc ', '', 'age1def'])).toEqual(['age1abc', 'age1def']);
    let msg = '';
    try {
      parseRecipients([ID]);
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(/^input `encrypt-recipients`: holds an age identity/);
    expect(msg).not.toContain(ID.slice(16));
    expect(() => parseRecipients(['ssh-ed25519 AAAA'])).toThrow(/is not an age public key/);
  });

  it('identities: the identity file as age-keygen writes it', () => {
    const file = `# created: 2024-01-01T00:00:00Z\n# public key: age1xyz\n${ID}\n`;
    expect(parseIdentities(file)).toEqual([ID]);
    expect(() => parseIdentities('# only a comment\nage1xyz')).toThrow(/^input `decrypt-identity`/);
  });

  it('a recipient that is not a valid key fails the check (before any dump)', async () => {
    await expect(checkRecipients(['age1qqqqqqqq'])).rejects.toThrow(
      /^input `encrypt-recipients`: "age1qqqqqqqq" is not a valid/,
    );
    const [pub] = await identityRecipients([ID]);
    expect(pub).toMatch(/^age1[0-9a-z]{58}$/);
    await expect(checkRecipients([pub!])).resolves.toBeUndefined();
  });
});

describe('storage layout', () => {
  it('the .sha256 object is sha256sum format and must name its backup', () => {
    const h = 'a'.repeat(64);
    expect(sidecarText(h, 'db-20240101T000000Z.dump')).toBe(`${h}  db-20240101T000000Z.dump\n`);
    expect(parseSidecar(sidecarText(h, 'x'), 'x')).toBe(h);
    expect(() => parseSidecar(sidecarText(h, 'x'), 'y')).toThrow(/is not a checksum of y/);
    expect(() => parseSidecar('zz  x\n', 'x')).toThrow();
  });

  it('a backup is complete only with its .sha256; a .sha256 alone is not a backup', () => {
    const objs = [
      'a-20240101T000000Z.dump',
      'a-20240101T000000Z.dump.sha256',
      'a-20240102T000000Z.dump',
      'b.sha256',
    ].map((name) => ({ name, size: 1 }));
    expect(completeNames(objs)).toEqual(['a-20240101T000000Z.dump']);
    expect(incompleteNames(objs)).toEqual(['a-20240102T000000Z.dump']);
  });

  it('parts grow so that a backup never needs more than 10 000 parts', () => {
    expect(partSizeFor(1000)).toBe(8 * 1024 * 1024);
    const big = 200 * 1024 ** 3; // 200 GiB
    expect(Math.ceil(big / partSizeFor(big))).toBeLessThanOrEqual(9000);
  });

  it('S3 errors name the input to fix', () => {
    const cfg = readOffsiteConfig(mapInputs(s3), 'backup', 1000, {}).storage!;
    const err = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name, ...extra });
    expect(explainS3Error(err('SignatureDoesNotMatch'), cfg, 'list').message).toMatch(/s3-secret-access-key/);
    expect(explainS3Error(err('InvalidAccessKeyId'), cfg, 'list').message).toMatch(/s3-access-key-id/);
    expect(explainS3Error(err('NoSuchBucket'), cfg, 'list').message).toMatch(
      /bucket bk does not exist.*input `storage`/,
    );
    expect(explainS3Error(err('AccessDenied'), cfg, 'list').message).toMatch(/s3:PutObject/);
    expect(explainS3Error(err('Error', { code: 'ECONNREFUSED' }), cfg, 'list').message).toMatch(/s3-endpoint/);
    expect(explainS3Error(err('SignatureDoesNotMatch'), cfg, 'list').message).not.toContain(cfg.secretAccessKey);
  });
});

describe('remote-dir retention commands', () => {
  it('are argv: the directory and names never pass through a shell; only plain names', () => {
    expect(listDirCommand('/srv/b k').argv).toEqual(['ls', '-1A', '--', '/srv/b k']);
    expect(removeFilesCommand('/srv/b', ['a-1.dump', '$(x)']).argv).toEqual([
      'rm',
      '-f',
      '--',
      '/srv/b/a-1.dump',
      '/srv/b/$(x)',
    ]);
    for (const bad of ['../etc', '.', '..', '', 'a\nb'])
      expect(() => removeFilesCommand('/srv/b', [bad])).toThrow(/not a plain/);
  });
});

describe('backup freshness (for the monitor)', () => {
  const now = new Date('2024-03-10T12:00:00Z');
  const names = [
    'shop-20240310T020000Z.dump.zst',
    'shop-20240309T020000Z.dump.zst',
    'shop-20240310T110000Z.dump.zst.partial',
    'crm-20240310T100000Z.sql.gz',
    'notes.txt',
  ];

  it('the newest finished backup (by the time in its name) and its age; .partial never counts', () => {
    const f = freshnessOf(names, '/b', { maxAgeMs: 24 * 3600_000, database: 'shop', now });
    expect(f).toMatchObject({
      newest: 'shop-20240310T020000Z.dump.zst',
      newestAt: '2024-03-10T02:00:00.000Z',
      ageMs: 10 * 3600_000,
      count: 2,
      fresh: true,
    });
    expect(freshnessOf(names, '/b', { maxAgeMs: 3 * 3600_000, now })).toMatchObject({
      newest: 'crm-20240310T100000Z.sql.gz',
      count: 3,
      fresh: true,
    });
    expect(freshnessOf(names, '/b', { maxAgeMs: 9 * 3600_000, database: 'shop', now })).toMatchObject({ fresh: false });
  });

  it('no backup at all is stale, not fresh; a missing directory is no backup', async () => {
    expect(freshnessOf(['notes.txt'], '/b', { maxAgeMs: 1, now })).toMatchObject({
      fresh: false,
      ageMs: null,
      count: 0,
    });
    const dir = mkdtempSync(join(tmpdir(), 'dk-fresh-'));
    try {
      for (const n of names) writeFileSync(join(dir, n), 'x');
      expect(
        await backupFreshness({ kind: 'dir', dir }, { maxAgeMs: 86_400_000, database: 'shop', now }),
      ).toMatchObject({
        newest: 'shop-20240310T020000Z.dump.zst',
        fresh: true,
      });
      const gone = await backupFreshness({ kind: 'dir', dir: join(dir, 'nope') }, { maxAgeMs: 1, now });
      expect(gone).toMatchObject({ fresh: false, count: 0 });
      expect(gone.message).toMatch(/^no backup in /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
