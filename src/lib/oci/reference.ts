/** Image references: `[registry/]repository[:tag][@sha256:…]`, parsed without touching the network. */
import { InputError } from '../errors.js';

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

/** A registry: a host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const REGISTRY_RE =
  /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

/** A reference for messages: whatever precedes an `@` that is not a digest (credentials) becomes ***. */
export function maskReference(text: string): string {
  return text.replace(/^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^@]*@(?!sha256:)/, (m) =>
    m.includes('://') ? `${m.slice(0, m.indexOf('://') + 3)}***@` : '***@',
  );
}

export function isDigest(s: string): boolean {
  return DIGEST_RE.test(s);
}

/** Parses a reference; throws a plain Error describing what is wrong (callers prefix the input name). */
export function parseImageRef(text: string): ImageRef {
  const raw = text.trim();
  if (!raw) throw new Error('empty image reference');
  // `user:password@registry/…` (or a URL): say so without echoing what came before the `@`.
  const at0 = raw.indexOf('@');
  if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw) || (at0 >= 0 && !raw.slice(at0 + 1).startsWith('sha256:'))) {
    throw new Error(
      `"${maskReference(raw)}" holds credentials or a URL; give registry/repository[:tag][@sha256:…] and the credentials in their own inputs`,
    );
  }
  const s = raw;
  if (/\s/.test(s)) throw new Error(`"${s}" contains whitespace`);
  if (s.startsWith('-')) throw new Error(`"${s}" starts with "-"`);
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
    if (!REGISTRY_RE.test(first)) throw new Error(`"${s}": "${first}" is not a registry host[:port]`);
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

/** parseImageRef for the value of an input: a reference that does not parse is an InputError naming that input. */
export function parseImageInput(input: string, text: string): ImageRef {
  try {
    return parseImageRef(text);
  } catch (e) {
    throw new InputError(input, (e as Error).message);
  }
}
