/** The registry client and promote against real docker-registry (distribution 2.8) instances on loopback. */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, RegistryError } from '../../src/lib/oci/client.js';
import { OCI_INDEX, OCI_MANIFEST, DOCKER_MANIFEST } from '../../src/lib/oci/media-types.js';
import { promote } from '../../src/core/promote/promote.js';
import { parseImageRef, type ImageRef } from '../../src/lib/oci/reference.js';
import { pushIndex, pushSingle, type PushedImage } from '../fixtures/oci-content.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';

const client = (r: Registry, credentials?: { username: string; password: string }): RegistryClient =>
  new RegistryClient({ registry: r.host, insecureHttp: true, ...(credentials ? { credentials } : {}) });
const target = (s: string): ImageRef & { tag: string } => parseImageRef(s) as ImageRef & { tag: string };

describe('registry client + promote (real registries)', () => {
  let a: Registry;
  let b: Registry;
  let auth: Registry;
  let img: PushedImage;
  const totalBytes = (p: PushedImage): number => [...p.blobs.values()].reduce((x, y) => x + y, 0);

  beforeAll(async () => {
    [a, b, auth] = await Promise.all([
      startRegistry(),
      startRegistry(),
      startRegistry({ users: { ci: 's3cret-pass' } }),
    ]);
    img = await pushIndex(client(a), 'app/src', 'build-1');
  });
  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop(), auth?.stop()]);
  });

  it('reads the index by tag and digest: raw bytes verified, children walkable', async () => {
    const c = client(a);
    const byTag = await c.getManifest('app/src', 'build-1');
    expect(byTag.digest).toBe(img.digest);
    expect(byTag.mediaType).toBe(OCI_INDEX);
    const byDigest = await c.getManifest('app/src', img.digest);
    expect(byDigest.bytes.equals(byTag.bytes)).toBe(true);
    const child = await c.getManifest('app/src', img.attestationDigest!);
    expect(child.mediaType).toBe(OCI_MANIFEST);
    expect(await c.resolveTag('app/src', 'build-1')).toBe(img.digest);
    expect(await c.resolveTag('app/src', 'nope')).toBeUndefined();
    await expect(c.getManifest('app/src', `sha256:${'0'.repeat(64)}`)).rejects.toThrow(/404/);
  });

  it('promotes within a repository: nothing uploaded, tag points at the digest', async () => {
    const c = client(a);
    const r = await promote({
      source: parseImageRef(`${a.host}/app/src@${img.digest}`),
      sourceClient: c,
      targets: [{ ref: target(`${a.host}/app/src:staging`), client: c }],
      noClobber: true,
    });
    expect(r.digest).toBe(img.digest);
    expect(r.children).toBe(2);
    expect(r.targets[0]!.blobs).toEqual({ mounted: 0, copied: 0, present: img.blobs.size });
    expect(c.stats.bytesUploaded).toBe(0);
    expect(c.stats.blobUploads).toBe(0);
    expect(await c.resolveTag('app/src', 'staging')).toBe(img.digest);
  });

  it('promotes across repositories by mounting every blob (no blob bytes sent), children carried', async () => {
    const src = client(a);
    const dst = client(a);
    const r = await promote({
      source: parseImageRef(`${a.host}/app/src:build-1`),
      sourceClient: src,
      targets: [{ ref: target(`${a.host}/app/prod:v1`), client: dst }],
      noClobber: false,
    });
    expect(r.resolvedFromTag).toBe('build-1');
    expect(r.digest).toBe(img.digest);
    expect(r.targets[0]!.blobs).toEqual({ mounted: img.blobs.size, copied: 0, present: 0 });
    expect(dst.stats.mounts).toBe(img.blobs.size);
    expect(dst.stats.bytesUploaded).toBe(0);
    expect(dst.stats.blobUploads).toBe(0);
    // The attestation manifest and its blobs are there, by digest, in the new repository.
    const att = await dst.getManifest('app/prod', img.attestationDigest!);
    const layer = (JSON.parse(att.bytes.toString()) as { layers: { digest: string }[] }).layers[0]!.digest;
    expect(await dst.hasBlob('app/prod', layer)).toBe(true);
    expect(await dst.resolveTag('app/prod', 'v1')).toBe(img.digest);
  });

  it('promotes to another registry by streaming the blobs; digest identical there', async () => {
    const src = client(a);
    const dst = client(b);
    const r = await promote({
      source: parseImageRef(`${a.host}/app/src@${img.digest}`),
      sourceClient: src,
      targets: [
        { ref: target(`${b.host}/team/app:prod`), client: dst },
        { ref: target(`${b.host}/team/app:v1.2.3`), client: dst },
      ],
      noClobber: true,
    });
    expect(r.targets.map((t) => t.ref)).toEqual([`${b.host}/team/app:prod`, `${b.host}/team/app:v1.2.3`]);
    expect(r.targets[0]!.blobs).toEqual({ mounted: 0, copied: img.blobs.size, present: 0 });
    expect(r.targets[1]!.blobs).toEqual({ mounted: 0, copied: 0, present: img.blobs.size });
    expect(dst.stats.bytesUploaded).toBe(totalBytes(img));
    expect(src.stats.bytesUploaded).toBe(0);
    const back = await client(b).getManifest('team/app', 'prod');
    expect(back.digest).toBe(img.digest);
    expect(back.bytes.equals((await client(a).getManifest('app/src', img.digest)).bytes)).toBe(true);
  });

  it('carries a single Docker v2 manifest with its exact media type', async () => {
    const single = await pushSingle(client(a), 'app/docker', 'build', DOCKER_MANIFEST);
    const dst = client(b);
    const r = await promote({
      source: parseImageRef(`${a.host}/app/docker@${single.digest}`),
      sourceClient: client(a),
      targets: [{ ref: target(`${b.host}/app/docker:prod`), client: dst }],
      noClobber: true,
    });
    expect(r.mediaType).toBe(DOCKER_MANIFEST);
    const back = await dst.getManifest('app/docker', 'prod');
    expect(back.mediaType).toBe(DOCKER_MANIFEST);
    expect(back.digest).toBe(single.digest);
  });

  it('no-clobber refuses a tag that points elsewhere and writes nothing', async () => {
    const other = await pushSingle(client(a), 'app/src', 'other');
    const dst = client(a);
    await expect(
      promote({
        source: parseImageRef(`${a.host}/app/src@${other.digest}`),
        sourceClient: client(a),
        targets: [
          { ref: target(`${a.host}/app/fresh:x`), client: dst },
          { ref: target(`${a.host}/app/src:staging`), client: dst },
        ],
        noClobber: true,
      }),
    ).rejects.toThrow(/no-clobber: .*app\/src:staging already points to sha256:/);
    expect(dst.stats.manifestPuts + dst.stats.mounts + dst.stats.blobUploads).toBe(0);
    expect(await dst.resolveTag('app/src', 'staging')).toBe(img.digest);
    expect(await dst.resolveTag('app/fresh', 'x')).toBeUndefined();
  });

  it('promotes into an htpasswd registry with basic auth; wrong or missing credentials fail with 401', async () => {
    const good = client(auth, { username: 'ci', password: 's3cret-pass' });
    const r = await promote({
      source: parseImageRef(`${a.host}/app/src@${img.digest}`),
      sourceClient: client(a),
      targets: [{ ref: target(`${auth.host}/secure/app:prod`), client: good }],
      noClobber: true,
    });
    expect(r.targets[0]!.blobs.copied).toBe(img.blobs.size);
    expect(await good.resolveTag('secure/app', 'prod')).toBe(img.digest);
    // Within the authenticated registry: mount across repositories.
    const again = client(auth, { username: 'ci', password: 's3cret-pass' });
    const r2 = await promote({
      source: parseImageRef(`${auth.host}/secure/app@${img.digest}`),
      sourceClient: again,
      targets: [{ ref: target(`${auth.host}/secure/prod:v1`), client: again }],
      noClobber: true,
    });
    expect(r2.targets[0]!.blobs.mounted).toBe(img.blobs.size);
    expect(again.stats.bytesUploaded).toBe(0);

    const bad = client(auth, { username: 'ci', password: 'wrong' });
    await expect(bad.getManifest('secure/app', 'prod')).rejects.toThrow(/401.*credentials rejected/);
    const none = client(auth);
    const err = await none.getManifest('secure/app', 'prod').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RegistryError);
    expect((err as Error).message).toMatch(/authentication required/);
  });

  describe('a streamed blob is limited by idle time, not by its total time', () => {
    // A stand-in source registry (a local HTTP server) that sends a blob in chunks `gapMs` apart, then
    // optionally stalls: the copy into the real registry must outlive the client's timeout while bytes
    // flow, and fail when they stop.
    const blob = randomBytes(64 * 1024);
    const digest = `sha256:${createHash('sha256').update(blob).digest('hex')}`;
    const slowSource = async (gapMs: number, stallAfter?: number): Promise<{ host: string; close: () => void }> => {
      const server = http.createServer((req, res) => {
        if (req.url !== `/v2/app/blobs/${digest}`) return void res.writeHead(404).end();
        res.writeHead(200, { 'content-length': String(blob.length), 'content-type': 'application/octet-stream' });
        let sent = 0;
        const tick = setInterval(() => {
          if (stallAfter !== undefined && sent >= stallAfter) return; // hold the connection, send nothing
          res.write(blob.subarray(sent, sent + 8192));
          sent += 8192;
          if (sent >= blob.length) {
            clearInterval(tick);
            res.end();
          }
        }, gapMs);
        res.on('close', () => clearInterval(tick));
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      return {
        host: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        close: () => server.closeAllConnections() ?? server.close(),
      };
    };

    it('8 chunks 250 ms apart (2 s in all) copy through a client whose timeout is 1 s', async () => {
      const src = await slowSource(250);
      try {
        const from = new RegistryClient({ registry: src.host, insecureHttp: true, timeoutMs: 1000 });
        const to = new RegistryClient({ registry: b.host, insecureHttp: true, timeoutMs: 1000 });
        await to.copyBlobFrom(from, 'app', 'slow/app', digest, blob.length);
        expect(await to.hasBlob('slow/app', digest)).toBe(true);
      } finally {
        src.close();
      }
    });

    it('a source that stops sending fails the copy naming the blob; nothing lands in the target', async () => {
      const src = await slowSource(50, 16384);
      try {
        const from = new RegistryClient({ registry: src.host, insecureHttp: true, timeoutMs: 1000 });
        const to = new RegistryClient({ registry: b.host, insecureHttp: true, timeoutMs: 1000 });
        await expect(to.copyBlobFrom(from, 'app', 'stalled/app', digest, blob.length)).rejects.toThrow(
          `copy ${digest} from ${src.host}`,
        );
        expect(await to.hasBlob('stalled/app', digest)).toBe(false);
      } finally {
        src.close();
      }
    });
  });
});
