/**
 * A small OCI distribution API client on fetch: manifests kept as raw bytes and verified by sha256, blobs
 * checked, mounted across repositories or streamed from another registry, basic and Bearer token auth.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { TIMEOUTS } from '../timeouts.js';
import { apiHost } from './reference.js';
import { MANIFEST_TYPES, isManifestType } from './media-types.js';

export interface Credentials {
  username: string;
  password: string;
}

export interface RegistryClientOptions {
  /** Registry host[:port] as in image references. */
  registry: string;
  credentials?: Credentials;
  /** Plain http for any registry (a loopback registry uses it anyway, as Docker does). */
  insecureHttp?: boolean;
  signal?: AbortSignal;
  /** Per-request limit. */
  timeoutMs?: number;
  /** Told (once per endpoint) when the credentials go to a token endpoint on another host than the registry. */
  log?: (line: string) => void;
}

export interface Manifest {
  mediaType: string;
  digest: string;
  bytes: Buffer;
}

export interface RegistryStats {
  requests: number;
  /** Blob bytes sent to this registry (upload bodies). */
  bytesUploaded: number;
  blobUploads: number;
  mounts: number;
  manifestPuts: number;
}

/** Redirects followed on the way to a token endpoint (each checked like the realm itself). */
const MAX_TOKEN_REDIRECTS = 3;

export class RegistryError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'RegistryError';
  }
}

export function sha256Digest(bytes: Uint8Array): string {
  // node:crypto on first use: loading it at start costs every step that bundles this client.
  return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex')}`;
}

interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

/** Parses `Bearer realm="…",service="…",scope="…"` (quoted values may contain commas). */
export function parseChallenge(header: string): Challenge | undefined {
  const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
  if (!m) return undefined;
  const params: Record<string, string> = {};
  const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
  for (let p = re.exec(m[2]!); p; p = re.exec(m[2]!)) {
    params[p[1]!.toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3]!;
  }
  return { scheme: m[1]!.toLowerCase(), params };
}

type Body = Buffer | ReadableStream<Uint8Array> | undefined;

/**
 * Time limit for a streamed blob: it aborts when no bytes moved for `ms`, however long the whole
 * transfer takes (a 1 GB layer on a slow link must not hit an overall request deadline).
 */
class IdleWatch {
  private readonly ac = new AbortController();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly ms: number,
    private readonly what: string,
  ) {
    this.poke();
  }

  get signal(): AbortSignal {
    return this.ac.signal;
  }

  poke(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(
      () => this.ac.abort(new RegistryError(`${this.what}: no bytes moved for ${this.ms} ms`)),
      this.ms,
    );
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
  }

  /** Passes chunks through, poking the watch for each. */
  passThrough(): TransformStream<Uint8Array, Uint8Array> {
    return new TransformStream({
      transform: (chunk, ctl) => {
        this.poke();
        ctl.enqueue(chunk);
      },
    });
  }
}

/**
 * Registries on this machine (localhost, 127.0.0.0/8, ::1) are reached over plain http, as Docker treats them
 * as insecure registries by default; every other registry over https unless insecure-http is set.
 */
export function isLoopbackRegistry(registry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry)?.[1];
  // A bare IPv6 address has more than one colon and no port.
  const host = bracketed ?? (registry.split(':').length > 2 ? registry : registry.replace(/:\d+$/, ''));
  const h = host.toLowerCase();
  return h === 'localhost' || h === '::1' || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(h);
}

export class RegistryClient {
  readonly registry: string;
  readonly stats: RegistryStats = { requests: 0, bytesUploaded: 0, blobUploads: 0, mounts: 0, manifestPuts: 0 };
  private readonly base: string;
  private authorization: string | undefined;
  private readonly tokens = new Map<string, string>();
  private readonly toldRealms = new Set<string>();

  private get timeoutMs(): number {
    return this.opts.timeoutMs ?? TIMEOUTS.registryRequestMs;
  }

  constructor(private readonly opts: RegistryClientOptions) {
    this.registry = opts.registry;
    this.base = `${opts.insecureHttp || isLoopbackRegistry(opts.registry) ? 'http' : 'https'}://${apiHost(opts.registry)}`;
  }

  /** One request with auth negotiation: a 401 is answered once with basic or token auth, then retried. */
  private async request(
    method: string,
    path: string,
    init: {
      headers?: Record<string, string>;
      body?: Body;
      scope?: string;
      redirect?: 'follow' | 'manual' | 'error';
      /** Streamed blob: limited by this watch instead of the overall request timeout. */
      idle?: IdleWatch;
    } = {},
  ): Promise<Response> {
    const url = path.startsWith('http') ? path : `${this.base}${path}`;
    const send = (auth: string | undefined): Promise<Response> => {
      this.stats.requests++;
      const headers: Record<string, string> = { ...init.headers };
      if (auth) headers.authorization = auth;
      const signals = [init.idle?.signal ?? AbortSignal.timeout(this.timeoutMs)];
      if (this.opts.signal) signals.push(this.opts.signal);
      return fetch(url, {
        method,
        headers,
        body: init.body,
        redirect: init.redirect ?? 'follow',
        signal: AbortSignal.any(signals),
        ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
      } as RequestInit);
    };
    const cached = init.scope ? (this.tokens.get(init.scope) ?? this.authorization) : this.authorization;
    let res = await send(cached);
    if (res.status !== 401) return res;
    const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
    await res.body?.cancel();
    if (!challenge) throw new RegistryError(`${method} ${url}: 401 without a WWW-Authenticate challenge`, 401);
    if (init.body instanceof ReadableStream) {
      throw new RegistryError(`${method} ${url}: 401 on a streamed upload (authenticate before streaming)`, 401);
    }
    let auth: string;
    if (challenge.scheme === 'basic') {
      if (!this.opts.credentials) throw new RegistryError(`${this.registry}: authentication required (basic)`, 401);
      auth = basicAuth(this.opts.credentials);
      this.authorization = auth;
    } else if (challenge.scheme === 'bearer') {
      const token = await this.fetchToken(challenge.params);
      auth = `Bearer ${token}`;
      if (init.scope) this.tokens.set(init.scope, auth);
      this.authorization = auth;
    } else {
      throw new RegistryError(`${this.registry}: unsupported auth scheme ${challenge.scheme}`, 401);
    }
    res = await send(auth);
    if (res.status === 401) {
      await res.body?.cancel();
      throw new RegistryError(
        `${method} ${url}: 401 unauthorized${this.opts.credentials ? ' (credentials rejected)' : ' (no credentials given)'}`,
        401,
      );
    }
    return res;
  }

  /**
   * The Bearer token flow: the credentials go (basic auth) to the realm the registry names, as Docker does, on
   * whatever host that is. They never go over a weaker scheme than the registry itself: a registry reached over
   * https whose realm (or a redirect on the way to it) is plain http is refused before anything is sent.
   */
  private async fetchToken(params: Record<string, string>): Promise<string> {
    const realm = params.realm;
    if (!realm) throw new RegistryError(`${this.registry}: Bearer challenge without realm`, 401);
    let u: URL;
    try {
      u = new URL(realm);
    } catch {
      throw new RegistryError(`${this.registry}: Bearer realm "${realm.slice(0, 200)}" is not a URL`, 401);
    }
    this.checkRealmScheme(u);
    if (params.service) u.searchParams.set('service', params.service);
    for (const scope of (params.scope ?? '').split(' ').filter(Boolean)) u.searchParams.append('scope', scope);
    const headers: Record<string, string> = {};
    if (this.opts.credentials) {
      headers.authorization = basicAuth(this.opts.credentials);
      // Docker does the same (the realm is the registry's to name), but the user learns where their credentials went.
      if (u.host !== new URL(this.base).host && !this.toldRealms.has(u.origin)) {
        this.toldRealms.add(u.origin);
        this.opts.log?.(`${this.registry}: credentials sent to the token endpoint it names, ${u.origin}${u.pathname}`);
      }
    }
    // Bounded like every request, and stopped by a cancelled run (GitHub kills the step 10 s after SIGINT).
    const limit = AbortSignal.timeout(this.timeoutMs);
    const signal = this.opts.signal ? AbortSignal.any([limit, this.opts.signal]) : limit;
    // Redirects followed here, each hop checked like the realm; credentials kept only on the realm's origin.
    let res: Response;
    for (let hop = 0; ; hop++) {
      this.stats.requests++;
      res = await fetch(u, { headers, signal, redirect: 'manual' });
      const loc = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
      if (!loc) break;
      await res.body?.cancel();
      if (hop >= MAX_TOKEN_REDIRECTS) {
        throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: more than ${MAX_TOKEN_REDIRECTS} redirects`);
      }
      const next = new URL(loc, u);
      this.checkRealmScheme(next);
      if (next.origin !== u.origin) delete headers.authorization;
      u = next;
    }
    const text = await res.text();
    if (!res.ok)
      throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: ${res.status} ${text.slice(0, 200)}`);
    let body: { token?: string; access_token?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: response is not JSON`);
    }
    const token = body.token ?? body.access_token;
    if (!token) throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: no token in the response`);
    return token;
  }

  /** A plain-http token endpoint only for a registry that is itself plain http (insecure-http or loopback). */
  private checkRealmScheme(u: URL): void {
    if (u.protocol === 'https:') return;
    if (u.protocol === 'http:' && this.base.startsWith('http:')) return;
    throw new RegistryError(
      `${this.registry}: refused the token endpoint ${u.protocol}//${u.host}${u.pathname}: the registry is reached ` +
        `over ${this.base.slice(0, this.base.indexOf(':'))} but its Bearer token realm is ${u.protocol.slice(0, -1)}, ` +
        'so the registry credentials (and the token) would cross the network in clear. Nothing was sent to it. ' +
        "Fix: configure the registry's token realm as an https URL. A plain-http realm is accepted only for a " +
        'registry that is itself plain http (the insecure-http input, or a registry on 127.0.0.0/8 or localhost).',
    );
  }

  private async fail(res: Response, what: string): Promise<never> {
    const text = (await res.text().catch(() => '')).slice(0, 300);
    throw new RegistryError(`${what}: ${res.status} ${res.statusText}${text ? ` — ${text}` : ''}`, res.status);
  }

  /**
   * GET a manifest by tag or digest with every manifest type in Accept. The raw bytes are kept and hashed:
   * a digest reference must match them; for a tag, Docker-Content-Digest (when sent) must match them.
   */
  async getManifest(repository: string, reference: string): Promise<Manifest> {
    const what = `${this.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
    const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
      headers: { accept: MANIFEST_TYPES.join(', ') },
      scope: `repository:${repository}:pull`,
    });
    if (!res.ok) await this.fail(res, `GET manifest ${what}`);
    const bytes = Buffer.from(await res.arrayBuffer());
    const digest = sha256Digest(bytes);
    if (reference.startsWith('sha256:') && digest !== reference) {
      throw new RegistryError(`manifest ${what}: the bytes served hash to ${digest}, not the requested digest`);
    }
    const served = res.headers.get('docker-content-digest');
    if (served && served !== digest) {
      throw new RegistryError(`manifest ${what}: Docker-Content-Digest ${served} does not match the bytes (${digest})`);
    }
    let mediaType = (res.headers.get('content-type') ?? '').split(';')[0]!.trim();
    try {
      const json = JSON.parse(bytes.toString('utf8')) as { mediaType?: string; schemaVersion?: number };
      if (json.mediaType) mediaType = json.mediaType;
    } catch {
      throw new RegistryError(`manifest ${what}: not JSON`);
    }
    if (!isManifestType(mediaType)) throw new RegistryError(`manifest ${what}: unsupported media type "${mediaType}"`);
    return { mediaType, digest, bytes };
  }

  /** The digest a tag points to, or undefined when the tag does not exist. */
  async resolveTag(repository: string, tag: string): Promise<string | undefined> {
    const res = await this.request('HEAD', `/v2/${repository}/manifests/${tag}`, {
      headers: { accept: MANIFEST_TYPES.join(', ') },
      scope: `repository:${repository}:pull`,
    });
    if (res.status === 404) return undefined;
    if (!res.ok) await this.fail(res, `HEAD manifest ${this.registry}/${repository}:${tag}`);
    const d = res.headers.get('docker-content-digest');
    if (d) return d;
    return (await this.getManifest(repository, tag)).digest;
  }

  async hasBlob(repository: string, digest: string, scope?: string): Promise<boolean> {
    const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, {
      scope: scope ?? `repository:${repository}:pull`,
    });
    if (res.status === 404) return false;
    if (!res.ok) await this.fail(res, `HEAD blob ${this.registry}/${repository}@${digest}`);
    return true;
  }

  /** Cross-repository mount. True when mounted (201); false when the registry opened an upload instead. */
  async mountBlob(repository: string, digest: string, from: string): Promise<boolean> {
    const q = new URLSearchParams({ mount: digest, from });
    const res = await this.request('POST', `/v2/${repository}/blobs/uploads/?${q}`, {
      headers: { 'content-length': '0' },
      scope: `repository:${repository}:pull,push repository:${from}:pull`,
    });
    if (res.status === 201) {
      await res.body?.cancel();
      this.stats.mounts++;
      return true;
    }
    if (res.status === 202) {
      // Not mounted: an upload session was opened; cancel it (best effort) so it does not linger.
      const loc = res.headers.get('location');
      await res.body?.cancel();
      if (loc) {
        const del = await this.request('DELETE', this.resolve(loc), {
          scope: `repository:${repository}:pull,push`,
        }).catch(() => undefined);
        await del?.body?.cancel();
      }
      return false;
    }
    return this.fail(res, `mount ${digest} from ${from} into ${this.registry}/${repository}`);
  }

  private resolve(location: string): string {
    return new URL(location, `${this.base}/`).toString();
  }

  /** Opens an upload session; returns its absolute URL. Authenticates before any bytes are sent. */
  private async startUpload(repository: string): Promise<string> {
    const res = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {
      headers: { 'content-length': '0' },
      scope: `repository:${repository}:pull,push`,
    });
    if (res.status !== 202) await this.fail(res, `start upload to ${this.registry}/${repository}`);
    await res.body?.cancel();
    const loc = res.headers.get('location');
    if (!loc) throw new RegistryError(`start upload to ${this.registry}/${repository}: no Location header`);
    return this.resolve(loc);
  }

  private async finishUpload(
    repository: string,
    location: string,
    digest: string,
    size: number,
    body: Body,
    idle?: IdleWatch,
  ): Promise<void> {
    const u = new URL(location);
    u.searchParams.set('digest', digest);
    const res = await this.request('PUT', u.toString(), {
      headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
      body,
      scope: `repository:${repository}:pull,push`,
      ...(idle ? { idle } : {}),
    });
    if (res.status !== 201) await this.fail(res, `upload ${digest} to ${this.registry}/${repository}`);
    await res.body?.cancel();
    this.stats.blobUploads++;
    this.stats.bytesUploaded += size;
  }

  /** Monolithic upload of bytes we hold (test content, small blobs). Skips blobs that already exist. */
  async pushBlob(repository: string, bytes: Buffer): Promise<string> {
    const digest = sha256Digest(bytes);
    if (await this.hasBlob(repository, digest, `repository:${repository}:pull,push`)) return digest;
    const loc = await this.startUpload(repository);
    await this.finishUpload(repository, loc, digest, bytes.length, bytes);
    return digest;
  }

  /**
   * Streams a blob from a local file whose digest and size are known (built layers). Skips a blob the
   * repository already has; returns true when bytes were sent. The registry refuses a digest mismatch.
   */
  async pushBlobFile(repository: string, path: string, digest: string, size: number): Promise<boolean> {
    if (await this.hasBlob(repository, digest, `repository:${repository}:pull,push`)) return false;
    const loc = await this.startUpload(repository);
    const idle = new IdleWatch(this.timeoutMs, `upload ${digest} to ${this.registry}/${repository}`);
    try {
      const stream = (Readable.toWeb(createReadStream(path)) as ReadableStream<Uint8Array>).pipeThrough(
        idle.passThrough(),
      );
      await this.finishUpload(repository, loc, digest, size, stream, idle);
    } finally {
      idle.stop();
    }
    return true;
  }

  /** Opens a blob for reading (following redirects to storage). */
  async openBlob(repository: string, digest: string, idle?: IdleWatch): Promise<Response> {
    const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
      scope: `repository:${repository}:pull`,
      ...(idle ? { idle } : {}),
    });
    if (!res.ok) await this.fail(res, `GET blob ${this.registry}/${repository}@${digest}`);
    return res;
  }

  /**
   * Streams a blob from another registry (or repository) into this one: GET → POST upload → PUT ?digest=.
   * The bytes are hashed while they stream; the registry also refuses a digest mismatch.
   */
  async copyBlobFrom(
    source: RegistryClient,
    sourceRepository: string,
    repository: string,
    digest: string,
    size: number,
  ): Promise<void> {
    const loc = await this.startUpload(repository);
    // One watch for both legs: bytes read from the source are the bytes sent to the target.
    const idle = new IdleWatch(this.timeoutMs, `copy ${digest} from ${source.registry} to ${this.registry}`);
    try {
      await this.streamBlob(source, sourceRepository, repository, digest, size, loc, idle);
    } finally {
      idle.stop();
    }
  }

  private async streamBlob(
    source: RegistryClient,
    sourceRepository: string,
    repository: string,
    digest: string,
    size: number,
    loc: string,
    idle: IdleWatch,
  ): Promise<void> {
    const res = await source.openBlob(sourceRepository, digest, idle);
    const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
    let seen = 0;
    const counting = new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, ctl) {
        idle.poke();
        hash.update(chunk);
        seen += chunk.byteLength;
        ctl.enqueue(chunk);
      },
      flush() {
        const got = `sha256:${hash.digest('hex')}`;
        if (got !== digest || seen !== size) {
          throw new RegistryError(`blob ${digest} from ${source.registry}: got ${seen} bytes hashing to ${got}`);
        }
      },
    });
    const stream = (res.body ?? new ReadableStream<Uint8Array>({ start: (c) => c.close() })).pipeThrough(counting);
    await this.finishUpload(repository, loc, digest, size, stream, idle);
  }

  /** PUT a manifest's exact bytes with its exact media type; returns the digest the registry reports. */
  async putManifest(repository: string, reference: string, manifest: Manifest): Promise<string> {
    const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
      headers: { 'content-type': manifest.mediaType },
      body: manifest.bytes,
      scope: `repository:${repository}:pull,push`,
    });
    if (res.status !== 201) await this.fail(res, `PUT manifest ${this.registry}/${repository}:${reference}`);
    await res.body?.cancel();
    this.stats.manifestPuts++;
    const d = res.headers.get('docker-content-digest');
    if (d && d !== manifest.digest) {
      throw new RegistryError(
        `PUT manifest ${this.registry}/${repository}:${reference}: registry reports ${d}, expected ${manifest.digest}`,
      );
    }
    return d ?? manifest.digest;
  }
}

function basicAuth(c: Credentials): string {
  return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}
