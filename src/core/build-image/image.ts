/**
 * Reproducible images: a built image (from `docker save`, or an OCI layout from buildx) is rewritten into
 * blobs whose bytes depend only on the file system and the commit: every layer's mtimes clamped to the commit
 * time and gzipped deterministically (node zlib, fixed level, no name or mtime in the gzip header), the config
 * keeping what matters at run time with `created` = commit time, and an OCI image manifest over them.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { PassThrough, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { constants, createGunzip, createGzip } from 'node:zlib';
import { sha256Digest } from '../../lib/oci/client.js';
import { OCI_INDEX, OCI_MANIFEST } from '../../lib/oci/media-types.js';
import { TarNormalizer } from './tar-normalize.js';

export const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
export const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
export const GZIP_LEVEL = 9;

export interface Platform {
  os: string;
  architecture: string;
  variant?: string;
}

/** One image as the builder produced it: its config JSON and its layer files (tar, possibly gzipped). */
export interface BuiltImage {
  config: Record<string, unknown>;
  layers: string[];
}

export interface Blob {
  digest: string;
  size: number;
  /** File holding the bytes (layers) … */
  path?: string;
  /** … or the bytes themselves (config, manifest). */
  bytes?: Buffer;
}

export interface NormalizedImage {
  config: Blob;
  layers: (Blob & { diffId: string; path: string; entries: number; clamped: number })[];
  manifest: Blob & { bytes: Buffer; mediaType: string };
  platform: Platform;
}

/** Reads `docker save` output (legacy or OCI-style): manifest.json → config and layer paths. */
export function readDockerSave(dir: string): BuiltImage {
  const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as {
    Config: string;
    Layers: string[];
  }[];
  if (!Array.isArray(manifest) || manifest.length !== 1) {
    throw new Error(`docker save: expected one image in manifest.json, found ${manifest.length}`);
  }
  const m = manifest[0]!;
  return {
    config: JSON.parse(readFileSync(join(dir, m.Config), 'utf8')) as Record<string, unknown>,
    layers: m.Layers.map((l) => join(dir, l)),
  };
}

interface OciDescriptor {
  mediaType: string;
  digest: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/** Reads an OCI image layout (buildx `--output type=oci`): one image per platform, attestations skipped. */
export function readOciLayout(dir: string): BuiltImage[] {
  const blob = (d: string): Buffer => readFileSync(join(dir, 'blobs', ...d.split(':')));
  const out: BuiltImage[] = [];
  const walk = (desc: OciDescriptor, depth: number): void => {
    if (depth > 4) throw new Error('OCI layout: indexes nested too deep');
    if (desc.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest') return;
    const json = JSON.parse(blob(desc.digest).toString('utf8')) as {
      manifests?: OciDescriptor[];
      config?: { digest: string };
      layers?: { digest: string }[];
    };
    if (json.manifests) for (const child of json.manifests) walk(child, depth + 1);
    else if (json.config && json.layers) {
      out.push({
        config: JSON.parse(blob(json.config.digest).toString('utf8')) as Record<string, unknown>,
        layers: json.layers.map((l) => join(dir, 'blobs', ...l.digest.split(':'))),
      });
    }
  };
  const index = JSON.parse(readFileSync(join(dir, 'index.json'), 'utf8')) as { manifests: OciDescriptor[] };
  for (const d of index.manifests) walk(d, 0);
  if (!out.length) throw new Error('OCI layout: no image manifest found');
  return out;
}

/** Run-time configuration kept from the builder's config (the OCI image spec's fields, plus Docker's). */
const RUNTIME_KEYS = [
  'User',
  'ExposedPorts',
  'Env',
  'Entrypoint',
  'Cmd',
  'Volumes',
  'WorkingDir',
  'Labels',
  'StopSignal',
  'ArgsEscaped',
  'Healthcheck',
  'OnBuild',
  'Shell',
] as const;

function isEmpty(v: unknown): boolean {
  return (
    v === null ||
    v === undefined ||
    v === '' ||
    (Array.isArray(v) && v.length === 0) ||
    (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0)
  );
}

/**
 * The normalized config: created and every history entry's created set to the commit time; volatile legacy
 * fields (container, container_config, docker_version, config.Image, config.Hostname, buildinfo …) dropped;
 * rootfs.diff_ids replaced by the normalized layers' ids. Pure.
 */
export function normalizeConfig(raw: Record<string, unknown>, diffIds: readonly string[], created: string): Buffer {
  const src = (raw.config ?? {}) as Record<string, unknown>;
  const runtime: Record<string, unknown> = {};
  for (const k of RUNTIME_KEYS) if (!isEmpty(src[k])) runtime[k] = src[k];
  const history = ((raw.history ?? []) as Record<string, unknown>[]).map((h) => {
    const e: Record<string, unknown> = { created };
    if (typeof h.created_by === 'string') e.created_by = h.created_by;
    if (typeof h.comment === 'string' && h.comment) e.comment = h.comment;
    if (h.empty_layer === true) e.empty_layer = true;
    return e;
  });
  // History is kept entry for entry (only `created` changes): base images whose history does not match
  // their layer count (squashed or hand-made images exist) pass through as the engine accepted them.
  const out: Record<string, unknown> = { created };
  if (typeof raw.author === 'string' && raw.author) out.author = raw.author;
  out.architecture = raw.architecture;
  if (raw.variant) out.variant = raw.variant;
  out.os = raw.os;
  if (raw['os.version']) out['os.version'] = raw['os.version'];
  if (!isEmpty(raw['os.features'])) out['os.features'] = raw['os.features'];
  out.config = runtime;
  out.rootfs = { type: 'layers', diff_ids: diffIds };
  if (history.length) out.history = history;
  return Buffer.from(JSON.stringify(out));
}

class Hasher extends Transform {
  private readonly hash = createHash('sha256');
  size = 0;
  override _transform(chunk: Buffer, _e: BufferEncoding, cb: TransformCallback): void {
    this.hash.update(chunk);
    this.size += chunk.length;
    cb(null, chunk);
  }
  digest(): string {
    return `sha256:${this.hash.digest('hex')}`;
  }
}

async function isGzip(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/** Streams one layer: (gunzip) → clamp mtimes → diff_id → gzip (fixed level, no header name/mtime) → file. */
export async function normalizeLayer(
  src: string,
  outDir: string,
  epoch: number,
): Promise<Blob & { diffId: string; path: string; entries: number; clamped: number }> {
  const tmp = join(outDir, `layer-${process.hrtime.bigint()}.tmp`);
  const norm = new TarNormalizer(epoch);
  const diff = new Hasher();
  const packed = new Hasher();
  await pipeline(
    createReadStream(src),
    (await isGzip(src)) ? createGunzip() : new PassThrough(),
    norm,
    diff,
    createGzip({ level: GZIP_LEVEL, strategy: constants.Z_DEFAULT_STRATEGY }),
    packed,
    createWriteStream(tmp, { mode: 0o600 }),
  );
  const digest = packed.digest();
  const path = join(outDir, digest.replace(':', '-'));
  await rename(tmp, path);
  return {
    digest,
    size: packed.size,
    path,
    diffId: diff.digest(),
    entries: norm.stats.entries,
    clamped: norm.stats.clamped,
  };
}

export function platformOf(config: Record<string, unknown>): Platform {
  return {
    os: String(config.os ?? 'linux'),
    architecture: String(config.architecture ?? 'amd64'),
    ...(config.variant ? { variant: String(config.variant) } : {}),
  };
}

/** The manifest bytes over a config and layers (key order fixed, so the bytes are too). */
export function imageManifest(config: Blob, layers: readonly Blob[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
      layers: layers.map((l) => ({ mediaType: OCI_LAYER_GZIP, digest: l.digest, size: l.size })),
    }),
  );
}

export function imageIndex(manifests: readonly NormalizedImage[]): Buffer {
  return Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: manifests.map((m) => ({
        mediaType: OCI_MANIFEST,
        digest: m.manifest.digest,
        size: m.manifest.size,
        platform: m.platform,
      })),
    }),
  );
}

export async function normalizeImage(
  built: BuiltImage,
  outDir: string,
  epoch: number,
  created: string,
): Promise<NormalizedImage> {
  const layers = [];
  for (const l of built.layers) layers.push(await normalizeLayer(l, outDir, epoch));
  const configBytes = normalizeConfig(
    built.config,
    layers.map((l) => l.diffId),
    created,
  );
  const config: Blob = { digest: sha256Digest(configBytes), size: configBytes.length, bytes: configBytes };
  const manifestBytes = imageManifest(config, layers);
  return {
    config,
    layers,
    manifest: {
      digest: sha256Digest(manifestBytes),
      size: manifestBytes.length,
      bytes: manifestBytes,
      mediaType: OCI_MANIFEST,
    },
    platform: platformOf(built.config),
  };
}
