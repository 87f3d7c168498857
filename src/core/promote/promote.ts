/**
 * Promotion at the registry: the source manifest (and, for an index, every child) is copied byte for byte to
 * each target. Blobs are mounted across repositories of the same registry and streamed between registries;
 * children are PUT by digest before the tagged top manifest; every target is read back and its digest checked.
 */
import { RegistryClient, RegistryError, type Manifest } from '../../lib/oci/client.js';
import { isIndexType, type Descriptor, type ImageManifestJson, type IndexJson } from '../../lib/oci/media-types.js';
import { formatRef, type ImageRef } from '../../lib/oci/reference.js';

export interface PromoteTarget {
  ref: ImageRef & { tag: string };
  client: RegistryClient;
}

export interface PromoteRequest {
  source: ImageRef;
  sourceClient: RegistryClient;
  targets: PromoteTarget[];
  noClobber: boolean;
  log?: (line: string) => void;
  /** Runs after every read and check, right before the first write (require-deployment, record a deployment). */
  beforeWrite?: (digest: string) => Promise<void>;
}

export interface PromotedTarget {
  ref: string;
  /** `registry/repo@sha256:…` */
  pinned: string;
  /** What happened: `unchanged` (already pointed at the digest) or `promoted`. */
  action: 'promoted' | 'unchanged';
  previous?: string;
  blobs: { mounted: number; copied: number; present: number };
  manifests: number;
}

export interface PromoteResult {
  digest: string;
  mediaType: string;
  /** The source as resolved: `registry/repo@digest` (plus the tag it came from, if any). */
  source: string;
  resolvedFromTag?: string;
  children: number;
  targets: PromotedTarget[];
}

interface Node {
  manifest: Manifest;
  children: Node[];
  blobs: Descriptor[];
}

/** Reads the source tree: the top manifest and, for an index, every child (each verified by digest). */
async function readTree(client: RegistryClient, repository: string, reference: string, depth = 0): Promise<Node> {
  if (depth > 2) throw new RegistryError(`index nesting deeper than 2 levels at ${repository}@${reference}`);
  const manifest = await client.getManifest(repository, reference);
  const json = JSON.parse(manifest.bytes.toString('utf8')) as Partial<IndexJson & ImageManifestJson>;
  if (isIndexType(manifest.mediaType)) {
    const children: Node[] = [];
    for (const d of json.manifests ?? []) {
      children.push(await readTree(client, repository, d.digest, depth + 1));
    }
    return { manifest, children, blobs: [] };
  }
  const blobs = [json.config, ...(json.layers ?? [])].filter((d): d is Descriptor => !!d && !!d.digest);
  return { manifest, children: [], blobs };
}

function countNodes(n: Node): number {
  return n.children.reduce((a, c) => a + 1 + countNodes(c), 0);
}

/** Layers move side by side (as registries and other clients do); the first failure fails the promotion. */
const BLOB_CONCURRENCY = 4;

async function inParallel<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

export async function promote(req: PromoteRequest): Promise<PromoteResult> {
  const log = req.log ?? (() => undefined);
  const src = req.source;
  const reference = src.digest ?? src.tag ?? 'latest';
  const tree = await readTree(req.sourceClient, src.repository, reference);
  const digest = tree.manifest.digest;
  if (src.digest && src.digest !== digest) throw new RegistryError(`source digest mismatch: ${digest}`);
  const sourcePinned = formatRef({ registry: src.registry, repository: src.repository, digest });
  if (!src.digest) log(`source ${formatRef(src)} resolves to ${digest}`);

  // no-clobber: check every target before anything is written.
  const previous = new Map<string, string | undefined>();
  for (const t of req.targets) {
    const prev = await t.client.resolveTag(t.ref.repository, t.ref.tag);
    previous.set(formatRef(t.ref), prev);
    if (req.noClobber && prev && prev !== digest) {
      throw new RegistryError(
        `no-clobber: ${formatRef(t.ref)} already points to ${prev}, not ${digest}; nothing was promoted`,
      );
    }
  }

  if (req.beforeWrite) await req.beforeWrite(digest);
  const results: PromotedTarget[] = [];
  for (const t of req.targets) {
    const name = formatRef(t.ref);
    const sameRegistry = t.client.registry === req.sourceClient.registry;
    const stats = { mounted: 0, copied: 0, present: 0 };
    let manifests = 0;
    const prev = previous.get(name);
    const copyBlob = async (b: Descriptor): Promise<void> => {
      if (b.urls?.length) return; // foreign layer: never stored in a registry
      if (await t.client.hasBlob(t.ref.repository, b.digest, `repository:${t.ref.repository}:pull,push`)) {
        stats.present++;
        return;
      }
      if (sameRegistry && (await t.client.mountBlob(t.ref.repository, b.digest, src.repository))) {
        stats.mounted++;
        return;
      }
      await t.client.copyBlobFrom(req.sourceClient, src.repository, t.ref.repository, b.digest, b.size);
      stats.copied++;
    };
    const copyBlobs = (blobs: Descriptor[]): Promise<void> => inParallel(blobs, BLOB_CONCURRENCY, copyBlob);
    const putNode = async (node: Node, ref: string): Promise<void> => {
      for (const c of node.children) await putNode(c, c.manifest.digest);
      await copyBlobs(node.blobs);
      await t.client.putManifest(t.ref.repository, ref, node.manifest);
      manifests++;
    };
    await putNode(tree, t.ref.tag);
    const back = await t.client.getManifest(t.ref.repository, t.ref.tag);
    if (back.digest !== digest || !back.bytes.equals(tree.manifest.bytes)) {
      throw new RegistryError(`${name} reads back as ${back.digest}, not ${digest}`);
    }
    log(
      `${name} → ${digest} (${manifests} manifest(s); blobs mounted ${stats.mounted}, copied ${stats.copied}, present ${stats.present})`,
    );
    results.push({
      ref: name,
      pinned: formatRef({ registry: t.ref.registry, repository: t.ref.repository, digest }),
      action: prev === digest ? 'unchanged' : 'promoted',
      ...(prev ? { previous: prev } : {}),
      blobs: stats,
      manifests,
    });
  }
  return {
    digest,
    mediaType: tree.manifest.mediaType,
    source: sourcePinned,
    ...(src.digest ? {} : { resolvedFromTag: src.tag ?? 'latest' }),
    children: countNodes(tree),
    targets: results,
  };
}

/**
 * What to go back to if the promoted image fails after deployment: the first target's previous image pinned
 * by digest (`registry/repo@sha256:…`). Empty when the tag was new or already pointed at the digest.
 */
export function rollbackRef(result: PromoteResult): string {
  const first = result.targets[0];
  if (!first?.previous || first.previous === result.digest) return '';
  return first.pinned.replace(/@sha256:[0-9a-f]{64}$/, `@${first.previous}`);
}
