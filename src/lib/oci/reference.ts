/** Image references: `[registry/]repository[:tag][@sha256:…]`, parsed without touching the network. */

export interface ImageRef {
  /** Registry host[:port] as written (docker.io for Docker Hub). */
  registry: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPO_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

/** Parses a reference; throws a plain Error describing what is wrong (callers prefix the input name). */
export function parseImageRef(text: string): ImageRef {
  const s = text.trim();
  if (!s) throw new Error('empty image reference');
  if (/\s/.test(s)) throw new Error(`"${s}" contains whitespace`);
  let rest = s;
  let digest: string | undefined;
  const at = rest.indexOf('@');
  if (at >= 0) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
    if (!isDigest(digest)) throw new Error(`"${s}": digest must be sha256: followed by 64 lowercase hex digits`);
  }
  let tag: string | undefined;
  const lastSlash = rest.lastIndexOf('/');
  const colon = rest.lastIndexOf(':');
  if (colon > lastSlash) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
    if (!TAG_RE.test(tag)) throw new Error(`"${s}": "${tag}" is not a valid tag`);
  }
  let registry = 'docker.io';
  const first = rest.split('/')[0]!;
  if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
    registry = first;
    rest = rest.slice(first.length + 1);
  } else if (!rest.includes('/')) {
    rest = `library/${rest}`;
  }
  if (!REPO_RE.test(rest)) throw new Error(`"${s}": "${rest}" is not a valid repository name`);
  return { registry, repository: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}

export function formatRef(ref: ImageRef): string {
  return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}

/** The API host for a registry name (Docker Hub's API lives elsewhere). */
export function apiHost(registry: string): string {
  return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}
