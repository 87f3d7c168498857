/**
 * The multi-platform half of the reproducible push, against a real registry: an OCI layout as buildx writes
 * it (an image index with two platforms and an attestation manifest, gzipped layers) made by hand here —
 * no buildx on these machines — read, normalized and pushed as an OCI index; a second layout of the same
 * tree made at another time gives the same index digest; no tags → pushed by digest.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { normalizeImage, readOciLayout } from '../../src/core/build-image/image.js';
import { pushImages } from '../../src/core/build-image/push.js';
import { RegistryClient } from '../../src/lib/oci/client.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startTokenIssuer, type TokenIssuer } from '../fixtures/token-issuer.js';

const EPOCH = 1767323045;
const CREATED = '2026-01-02T03:04:05Z';
const sha = (b: Buffer): string => `sha256:${createHash('sha256').update(b).digest('hex')}`;

let reg: Registry;
let tokenReg: Registry;
let issuer: TokenIssuer;
let dir: string;
beforeAll(async () => {
  issuer = await startTokenIssuer({
    pusher: { password: 'push-pw-1', actions: ['pull', 'push'] },
    reader: { password: 'read-pw-1', actions: ['pull'] },
  });
  [reg, tokenReg] = await Promise.all([startRegistry(), startRegistry({ authYaml: issuer.authYaml })]);
  dir = mkdtempSync(join(tmpdir(), 'dk-oci-'));
});
afterAll(async () => {
  await Promise.all([reg?.stop(), tokenReg?.stop(), issuer?.stop()]);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** An OCI layout of two platform images plus an attestation, with file mtimes `offset` s after the epoch. */
function makeLayout(name: string, offset: number): string {
  const layout = join(dir, name);
  mkdirSync(join(layout, 'blobs', 'sha256'), { recursive: true });
  const put = (b: Buffer): string => {
    const d = sha(b);
    writeFileSync(join(layout, 'blobs', 'sha256', d.slice(7)), b);
    return d;
  };
  const when = new Date((EPOCH + offset) * 1000);
  const manifests = [];
  for (const arch of ['amd64', 'arm64']) {
    const tree = join(dir, `${name}-${arch}`);
    mkdirSync(join(tree, 'app'), { recursive: true });
    writeFileSync(join(tree, 'app', 'arch'), `${arch}\n`);
    utimesSync(join(tree, 'app', 'arch'), when, when);
    utimesSync(join(tree, 'app'), when, when);
    const tar = execFileSync('tar', ['--format=posix', '--owner=0', '--group=0', '-cf', '-', '-C', tree, 'app']);
    const gz = gzipSync(tar, { level: 1 });
    const layer = put(gz);
    const config = Buffer.from(
      JSON.stringify({
        created: when.toISOString(),
        architecture: arch,
        os: 'linux',
        config: { Cmd: ['/app/arch'], Env: ['A=1'] },
        rootfs: { type: 'layers', diff_ids: [sha(tar)] },
        history: [
          { created: when.toISOString(), created_by: 'COPY app /app # buildkit', comment: 'buildkit.dockerfile.v0' },
        ],
      }),
    );
    const cfg = put(config);
    const manifest = Buffer.from(
      JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: cfg, size: config.length },
        layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: layer, size: gz.length }],
      }),
    );
    manifests.push({
      mediaType: 'application/vnd.oci.image.manifest.v1+json',
      digest: put(manifest),
      size: manifest.length,
      platform: { architecture: arch, os: 'linux' },
    });
  }
  const att = Buffer.from(JSON.stringify({ schemaVersion: 2, config: {}, layers: [] }));
  manifests.push({
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    digest: put(att),
    size: att.length,
    platform: { architecture: 'unknown', os: 'unknown' },
    annotations: { 'vnd.docker.reference.type': 'attestation-manifest' },
  });
  const index = Buffer.from(
    JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.index.v1+json', manifests }),
  );
  writeFileSync(
    join(layout, 'index.json'),
    JSON.stringify({
      schemaVersion: 2,
      manifests: [{ mediaType: 'application/vnd.oci.image.index.v1+json', digest: put(index), size: index.length }],
    }),
  );
  writeFileSync(join(layout, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  return layout;
}

async function normalizeLayout(layout: string): Promise<Awaited<ReturnType<typeof normalizeImage>>[]> {
  const out = mkdtempSync(join(dir, 'blobs-'));
  const built = readOciLayout(layout);
  const images = [];
  for (const b of built) images.push(await normalizeImage(b, out, EPOCH, CREATED));
  return images;
}

describe('reproducible multi-platform push (real registry)', () => {
  it('pushes an OCI index of the platform images (attestation dropped); a later layout of the same tree gives the same digest', async () => {
    const client = new RegistryClient({ registry: reg.host, insecureHttp: true });
    const first = await normalizeLayout(makeLayout('one', 60));
    expect(first.map((i) => i.platform)).toEqual([
      { os: 'linux', architecture: 'amd64' },
      { os: 'linux', architecture: 'arm64' },
    ]);
    const lines: string[] = [];
    const a = await pushImages(client, 'acme/multi', first, ['1.0.0', 'latest'], {
      asIndex: true,
      log: (l) => lines.push(l),
    });
    expect(a.mediaType).toBe('application/vnd.oci.image.index.v1+json');
    const served = await client.getManifest('acme/multi', '1.0.0');
    expect(served.digest).toBe(a.digest);
    const index = JSON.parse(served.bytes.toString()) as {
      manifests: { digest: string; platform: { architecture: string } }[];
    };
    expect(index.manifests.map((m) => m.platform.architecture)).toEqual(['amd64', 'arm64']);
    for (const m of index.manifests) {
      const child = await client.getManifest('acme/multi', m.digest);
      const cfgDigest = (JSON.parse(child.bytes.toString()) as { config: { digest: string } }).config.digest;
      const cfg = (await (await client.openBlob('acme/multi', cfgDigest)).json()) as {
        created: string;
        history: { created: string }[];
      };
      expect(cfg.created).toBe(CREATED);
      expect(cfg.history[0]!.created).toBe(CREATED);
    }
    expect(lines.filter((l) => l.includes('uploaded')).length).toBe(2);

    const second = await normalizeLayout(makeLayout('two', 7200));
    const b = await pushImages(client, 'acme/multi', second, [], { asIndex: true });
    expect(b.digest).toBe(a.digest);
    expect(b.references).toEqual([a.digest]);
    expect(b.images.flatMap((i) => i.layers).every((l) => !l.uploaded)).toBe(true);
  });

  it('a single image with no tags is pushed by digest and read back', async () => {
    const client = new RegistryClient({ registry: reg.host, insecureHttp: true });
    const [img] = await normalizeLayout(makeLayout('three', 5));
    const r = await pushImages(client, 'acme/single', [img!], [], { asIndex: false });
    expect(r.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    expect(r.digest).toBe(img!.manifest.digest);
    expect((await client.getManifest('acme/single', r.digest)).digest).toBe(r.digest);
    expect(readFileSync(img!.layers[0]!.path).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it('token auth: layers stream to a Bearer-token registry; a pull-only user is refused before any manifest exists', async () => {
    const [img] = await normalizeLayout(makeLayout('four', 9));
    const reader = new RegistryClient({
      registry: tokenReg.host,
      insecureHttp: true,
      credentials: { username: 'reader', password: 'read-pw-1' },
    });
    await expect(pushImages(reader, 'acme/tok', [img!], ['v1'], { asIndex: false })).rejects.toThrow(
      /401|403|denied|unauthorized/i,
    );
    const pusher = new RegistryClient({
      registry: tokenReg.host,
      insecureHttp: true,
      credentials: { username: 'pusher', password: 'push-pw-1' },
    });
    expect(await pusher.resolveTag('acme/tok', 'v1')).toBeUndefined();
    const r = await pushImages(pusher, 'acme/tok', [img!], ['v1'], { asIndex: false });
    expect(await pusher.resolveTag('acme/tok', 'v1')).toBe(r.digest);
    expect(
      r.images[0]!.layers.every((l) => l.uploaded),
      JSON.stringify(r.images),
    ).toBe(true);
    expect(issuer.requests.some((q) => q.user === 'pusher' && q.scopes.includes('repository:acme/tok:pull,push'))).toBe(
      true,
    );
  });
});
