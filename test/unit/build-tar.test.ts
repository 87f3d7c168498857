/**
 * Tar normalization against archives made by GNU tar (posix format: PAX mtime/atime/ctime records, long names)
 * and ustar; the result is listed and extracted by GNU tar again. Config normalization and manifest bytes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeConfig, normalizeLayer, imageManifest } from '../../src/core/build-image/image.js';
import {
  headerChecksum,
  paxRecord,
  readNumeric,
  rewritePax,
  TarNormalizer,
} from '../../src/core/build-image/tar-normalize.js';

const EPOCH = 1767323045; // 2026-01-02T03:04:05Z
const LONG = 'n'.repeat(130);

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-tar-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A tree with one file older than the epoch and the rest "now" (+ sub-second), archived by GNU tar. */
function makeTar(name: string, format: 'posix' | 'ustar' | 'gnu', offsetSeconds: number): string {
  const root = join(dir, `${name}-tree`);
  rmSync(root, { recursive: true, force: true });
  mkdirSync(join(root, 'app', 'sub'), { recursive: true });
  writeFileSync(join(root, 'app', 'new.txt'), 'new\n');
  writeFileSync(join(root, 'app', 'sub', 'old.txt'), 'old\n');
  writeFileSync(join(root, 'app', LONG.slice(0, format === 'ustar' ? 90 : 130)), 'long\n');
  const now = new Date((EPOCH + offsetSeconds) * 1000 + 123);
  for (const p of ['app/new.txt', `app/${LONG.slice(0, format === 'ustar' ? 90 : 130)}`, 'app/sub', 'app']) {
    utimesSync(join(root, p), now, now);
  }
  const old = new Date((EPOCH - 86_400) * 1000);
  utimesSync(join(root, 'app', 'sub', 'old.txt'), old, old);
  const out = join(dir, `${name}.tar`);
  execFileSync('tar', [
    `--format=${format}`,
    '--sort=name',
    '--owner=0',
    '--group=0',
    '--numeric-owner',
    '-cf',
    out,
    '-C',
    root,
    'app',
  ]);
  return out;
}

async function normalize(path: string): Promise<{ bytes: Buffer; n: TarNormalizer }> {
  const n = new TarNormalizer(EPOCH);
  const bytes = await buffer(Readable.from([readFileSync(path)]).pipe(n));
  return { bytes, n };
}

/** `tar -tv --full-time` of bytes: name → mtime string. */
function listing(bytes: Buffer, name: string): Map<string, string> {
  const p = join(dir, `${name}.out.tar`);
  writeFileSync(p, bytes);
  const text = execFileSync('tar', ['-tv', '--full-time', '--utc', '-f', p], {
    encoding: 'utf8',
    env: { ...process.env, TZ: 'UTC' },
  });
  const m = new Map<string, string>();
  for (const line of text.trim().split('\n')) {
    const parts = line.split(/\s+/);
    m.set(parts.slice(5).join(' '), `${parts[3]} ${parts[4]}`);
  }
  return m;
}

describe('TarNormalizer', () => {
  it.each(['posix', 'gnu', 'ustar'] as const)(
    '%s: clamps every mtime to the epoch, keeps older ones, GNU tar reads the result',
    async (format) => {
      const src = makeTar(format, format, 3600);
      const { bytes, n } = await normalize(src);
      const list = listing(bytes, format);
      expect(list.size).toBe(5);
      for (const [name, time] of list) {
        if (name.endsWith('old.txt')) expect(time).toBe('2026-01-01 03:04:05');
        else expect(time).toBe('2026-01-02 03:04:05');
      }
      expect(n.stats.entries).toBe(5);
      // Contents unchanged.
      const x = join(dir, `${format}-x`);
      mkdirSync(x, { recursive: true });
      writeFileSync(join(dir, 'n.tar'), bytes);
      execFileSync('tar', ['-xf', join(dir, 'n.tar'), '-C', x]);
      expect(readFileSync(join(x, 'app', 'sub', 'old.txt'), 'utf8')).toBe('old\n');
      expect(readFileSync(join(x, 'app', 'new.txt'), 'utf8')).toBe('new\n');
      // PAX: no atime/ctime left, mtime records clamped.
      const text = bytes.toString('latin1');
      expect(text).not.toMatch(/\d+ (atime|ctime)=/);
      for (const m of text.matchAll(/\d+ mtime=([\d.]+)\n/g)) expect(Number(m[1])).toBeLessThanOrEqual(EPOCH);
    },
  );

  it('two archives of the same tree made at different times normalize to the same bytes', async () => {
    const a = await normalize(makeTar('a', 'posix', 100));
    const b = await normalize(makeTar('b', 'posix', 5000));
    expect(Buffer.compare(readFileSync(join(dir, 'a.tar')), readFileSync(join(dir, 'b.tar')))).not.toBe(0);
    expect(Buffer.compare(a.bytes, b.bytes)).toBe(0);
  });

  it('works however the input is chunked (1-byte, 511-byte and 700-byte chunks)', async () => {
    const raw = readFileSync(makeTar('c', 'posix', 42));
    const whole = (await normalize(join(dir, 'c.tar'))).bytes;
    for (const size of [1, 511, 700]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < raw.length; i += size) chunks.push(raw.subarray(i, i + size));
      const out = await buffer(Readable.from(chunks).pipe(new TarNormalizer(EPOCH)));
      expect(Buffer.compare(out, whole)).toBe(0);
    }
  });

  it('refuses bytes that are not a tar stream and an archive cut inside an entry', async () => {
    const junk = Buffer.alloc(1024, 0x41);
    await expect(buffer(Readable.from([junk]).pipe(new TarNormalizer(EPOCH)))).rejects.toThrow(/checksum/);
    const raw = readFileSync(makeTar('d', 'ustar', 10));
    await expect(buffer(Readable.from([raw.subarray(0, 600)]).pipe(new TarNormalizer(EPOCH)))).rejects.toThrow(
      /ends inside/,
    );
  });

  it('helpers: numeric fields (octal, base-256), checksums, PAX records', () => {
    expect(readNumeric(Buffer.from('00000001750\0'))).toBe(0o1750);
    expect(readNumeric(Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01, 0x00]))).toBe(256);
    expect(readNumeric(Buffer.from([0xff, 0xff]))).toBe(-1);
    expect(paxRecord('mtime', '1767323045').toString()).toBe('20 mtime=1767323045\n');
    expect(paxRecord('path', 'x'.repeat(95)).toString()).toMatch(/^105 path=x{95}\n$/);
    const pax = Buffer.concat([paxRecord('mtime', '9999999999.5'), paxRecord('atime', '1'), paxRecord('path', 'a/b')]);
    expect(rewritePax(pax, EPOCH).toString()).toBe('20 mtime=1767323045\n12 path=a/b\n');
    const block = Buffer.alloc(512);
    block.write('     ', 148);
    expect(headerChecksum(block)).toBe(8 * 0x20);
  });

  it('normalizeLayer: gzipped input gunzipped, output deterministic gzip with digest, size and diff_id', async () => {
    const src = makeTar('e', 'posix', 77);
    execFileSync('gzip', ['-k', '-n', src]);
    const out1 = mkdtempSync(join(dir, 'o1-'));
    const out2 = mkdtempSync(join(dir, 'o2-'));
    const a = await normalizeLayer(src, out1, EPOCH);
    const b = await normalizeLayer(`${src}.gz`, out2, EPOCH);
    expect(b).toMatchObject({ digest: a.digest, size: a.size, diffId: a.diffId });
    const gz = readFileSync(a.path);
    expect(gz.subarray(0, 3)).toEqual(Buffer.from([0x1f, 0x8b, 8]));
    expect(gz.readUInt32LE(4)).toBe(0); // no mtime in the gzip header
    expect(gz[3]! & 0x08).toBe(0); // no file name
  });
});

describe('normalizeConfig', () => {
  const raw = {
    architecture: 'amd64',
    os: 'linux',
    created: '2026-11-23T12:00:00.123456789Z',
    docker_version: '20.10.24+dfsg1',
    container: 'abc',
    container_config: { Hostname: 'abc', Cmd: ['/bin/sh', '-c', '#(nop) ...'] },
    config: {
      Hostname: '',
      Image: 'sha256:volatile',
      Env: ['PATH=/bin'],
      Cmd: null,
      Entrypoint: ['/bin/busybox'],
      Labels: { a: 'b' },
      WorkingDir: '/srv',
      OnBuild: null,
      ExposedPorts: { '8080/tcp': {} },
    },
    history: [
      { created: '2026-11-23T12:00:00Z', created_by: '/bin/sh -c #(nop) COPY file:x in /' },
      { created: '2026-11-23T12:00:01Z', created_by: '/bin/sh -c #(nop)  ENV PATH=/bin', empty_layer: true },
    ],
    rootfs: { type: 'layers', diff_ids: ['sha256:old'] },
    'moby.buildkit.buildinfo.v1': 'eyJ…',
  };

  it('keeps run-time config, sets every created to the commit time, drops volatile fields', () => {
    const c = JSON.parse(normalizeConfig(raw, ['sha256:new'], '2026-01-02T03:04:05Z').toString()) as Record<
      string,
      unknown
    >;
    expect(c).toEqual({
      created: '2026-01-02T03:04:05Z',
      architecture: 'amd64',
      os: 'linux',
      config: {
        Env: ['PATH=/bin'],
        Entrypoint: ['/bin/busybox'],
        Labels: { a: 'b' },
        WorkingDir: '/srv',
        ExposedPorts: { '8080/tcp': {} },
      },
      rootfs: { type: 'layers', diff_ids: ['sha256:new'] },
      history: [
        { created: '2026-01-02T03:04:05Z', created_by: '/bin/sh -c #(nop) COPY file:x in /' },
        { created: '2026-01-02T03:04:05Z', created_by: '/bin/sh -c #(nop)  ENV PATH=/bin', empty_layer: true },
      ],
    });
  });

  it('same input → same bytes; history kept entry for entry even when it does not match the layers', () => {
    expect(
      normalizeConfig(raw, ['sha256:new'], 'T').equals(normalizeConfig({ ...raw, created: 'x' }, ['sha256:new'], 'T')),
    ).toBe(true);
    const odd = JSON.parse(normalizeConfig(raw, ['sha256:a', 'sha256:b'], 'T').toString()) as { history: unknown[] };
    expect(odd.history).toHaveLength(2);
    const none = JSON.parse(normalizeConfig({ ...raw, history: undefined }, ['sha256:a'], 'T').toString()) as object;
    expect(none).not.toHaveProperty('history');
  });

  it('imageManifest: OCI manifest with fixed key order', () => {
    const m = imageManifest({ digest: 'sha256:c', size: 2 }, [{ digest: 'sha256:l', size: 3 }]).toString();
    expect(m).toBe(
      '{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:c","size":2},"layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar+gzip","digest":"sha256:l","size":3}]}',
    );
  });
});
