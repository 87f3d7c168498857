/**
 * Pushes normalized images with the registry client: layers (skipped when present), configs, manifests (and
 * an OCI index for several platforms), every reference; then reads every reference back and checks the
 * sha256 of the bytes served against the manifest computed here.
 */
import { RegistryClient, sha256Digest } from '../../lib/oci/client.js';
import { OCI_INDEX } from '../../lib/oci/media-types.js';
import { imageIndex, type NormalizedImage } from './image.js';

export interface PushedImage {
  platform: string;
  manifest: string;
  config: string;
  layers: { digest: string; size: number; diffId: string; uploaded: boolean }[];
}

export interface PushResult {
  digest: string;
  mediaType: string;
  images: PushedImage[];
  /** References PUT (tags, or the digest itself when there are none). */
  references: string[];
}

export class PushVerifyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PushVerifyError';
  }
}

export async function pushImages(
  client: RegistryClient,
  repository: string,
  images: readonly NormalizedImage[],
  tags: readonly string[],
  opts: { asIndex: boolean; log?: (line: string) => void },
): Promise<PushResult> {
  const log = opts.log ?? (() => undefined);
  if (!images.length) throw new Error('nothing to push');
  if (!opts.asIndex && images.length !== 1) throw new Error(`${images.length} images need an index`);
  const report: PushedImage[] = [];
  for (const img of images) {
    const layers = [];
    for (const l of img.layers) {
      const uploaded = await client.pushBlobFile(repository, l.path, l.digest, l.size);
      layers.push({ digest: l.digest, size: l.size, diffId: l.diffId, uploaded });
      log(
        `layer ${l.digest} (${l.size} bytes, ${l.clamped}/${l.entries} mtimes clamped): ${uploaded ? 'uploaded' : 'already present'}`,
      );
    }
    await client.pushBlob(repository, img.config.bytes!);
    const p = img.platform;
    report.push({
      platform: `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`,
      manifest: img.manifest.digest,
      config: img.config.digest,
      layers,
    });
  }
  let top: { mediaType: string; digest: string; bytes: Buffer };
  if (opts.asIndex) {
    for (const img of images) await client.putManifest(repository, img.manifest.digest, img.manifest);
    const bytes = imageIndex(images);
    top = { mediaType: OCI_INDEX, digest: sha256Digest(bytes), bytes };
  } else {
    top = images[0]!.manifest;
  }
  const references = tags.length ? [...tags] : [top.digest];
  for (const ref of references) await client.putManifest(repository, ref, top);
  for (const ref of references) {
    const served = await client.getManifest(repository, ref);
    if (served.digest !== top.digest) {
      throw new PushVerifyError(
        `${client.registry}/${repository}:${ref}: the registry serves ${served.digest}, not the pushed ${top.digest}`,
      );
    }
  }
  log(`pushed ${references.length} reference(s); the registry serves ${top.digest}`);
  return { digest: top.digest, mediaType: top.mediaType, images: report, references };
}
