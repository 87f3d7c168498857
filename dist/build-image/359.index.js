export const id = 359;
export const ids = [359];
export const modules = {

/***/ 359:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  BuildError: () => (/* binding */ BuildError),
  gitCommitTime: () => (/* binding */ gitCommitTime),
  runBuild: () => (/* binding */ runBuild)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __webpack_require__(679);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
;// CONCATENATED MODULE: ./src/lib/exec/types.ts
function succeeded(r) {
    return r.end === 'exit' && r.code === 0;
}
/** Last `n` non-empty lines of text, for error messages. */
function lastLines(text, n = 20) {
    const lines = text.replace(/\s+$/, '').split('\n');
    return lines.slice(-n).join('\n');
}
class CommandError extends Error {
    result;
    constructor(message, result) {
        super(message);
        this.result = result;
        this.name = 'CommandError';
    }
}
/** Describe how a command ended, naming the target and the fix-relevant facts. */
function describeFailure(label, target, r) {
    const where = target === 'local' ? '' : ` on ${target}`;
    switch (r.end) {
        case 'timeout':
            return `"${label}"${where} did not finish within its time limit (${r.durationMs} ms) and was stopped`;
        case 'idle-timeout':
            return `"${label}"${where} printed nothing for too long and was stopped (a background process holding stdout open is the usual cause: redirect its output or use nohup/setsid)`;
        case 'aborted':
            return `"${label}"${where} was cancelled`;
        case 'spawn-error':
            return `"${label}"${where} could not start: ${r.error?.message ?? 'unknown error'}`;
        default: {
            const how = r.code === null ? `was killed by ${r.signal ?? 'a signal'}` : `exited with code ${r.code}`;
            const tail = lastLines(r.stderr || r.stdout, 15);
            return `"${label}"${where} ${how}${tail ? `; last output:\n${tail}` : ''}`;
        }
    }
}
/** Run and throw a CommandError unless the command exited 0. */
async function runChecked(exec, cmd, opts) {
    const r = await exec.run(cmd, opts);
    if (!succeeded(r)) {
        throw new CommandError(describeFailure(cmd.label ?? cmd.argv.join(' '), exec.target, r), r);
    }
    return r;
}

// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(75);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
// EXTERNAL MODULE: ./src/lib/oci/reference.ts
var reference = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/lib/oci/media-types.ts
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const DOCKER_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
/** Every manifest type we handle, sent in `Accept` so the registry never down-converts. */
const MANIFEST_TYPES = [OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST];
function isIndexType(mediaType) {
    return mediaType === OCI_INDEX || mediaType === DOCKER_LIST;
}
function isManifestType(mediaType) {
    return MANIFEST_TYPES.includes(mediaType);
}

;// CONCATENATED MODULE: ./src/lib/oci/client.ts
/**
 * A small OCI distribution API client on fetch: manifests kept as raw bytes and verified by sha256, blobs
 * checked, mounted across repositories or streamed from another registry, basic and Bearer token auth.
 */





/** Redirects followed on the way to a token endpoint (each checked like the realm itself). */
const MAX_TOKEN_REDIRECTS = 3;
class RegistryError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'RegistryError';
    }
}
function sha256Digest(bytes) {
    // node:crypto on first use: loading it at start costs every step that bundles this client.
    return `sha256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex')}`;
}
/** Parses `Bearer realm="…",service="…",scope="…"` (quoted values may contain commas). */
function parseChallenge(header) {
    const m = /^\s*(\w+)\s*(.*)$/s.exec(header);
    if (!m)
        return undefined;
    const params = {};
    const re = /([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g;
    for (let p = re.exec(m[2]); p; p = re.exec(m[2])) {
        params[p[1].toLowerCase()] = p[2] !== undefined ? p[2].replace(/\\(.)/g, '$1') : p[3];
    }
    return { scheme: m[1].toLowerCase(), params };
}
/**
 * Time limit for a streamed blob: it aborts when no bytes moved for `ms`, however long the whole
 * transfer takes (a 1 GB layer on a slow link must not hit an overall request deadline).
 */
class IdleWatch {
    ms;
    what;
    ac = new AbortController();
    timer;
    constructor(ms, what) {
        this.ms = ms;
        this.what = what;
        this.poke();
    }
    get signal() {
        return this.ac.signal;
    }
    poke() {
        if (this.timer)
            clearTimeout(this.timer);
        this.timer = setTimeout(() => this.ac.abort(new RegistryError(`${this.what}: no bytes moved for ${this.ms} ms`)), this.ms);
        this.timer.unref();
    }
    stop() {
        if (this.timer)
            clearTimeout(this.timer);
    }
    /** Passes chunks through, poking the watch for each. */
    passThrough() {
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
function isLoopbackRegistry(registry) {
    const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(registry)?.[1];
    // A bare IPv6 address has more than one colon and no port.
    const host = bracketed ?? (registry.split(':').length > 2 ? registry : registry.replace(/:\d+$/, ''));
    const h = host.toLowerCase();
    return h === 'localhost' || h === '::1' || /^127(?:\.(?:25[0-5]|2[0-4]\d|1?\d?\d)){3}$/.test(h);
}
class RegistryClient {
    opts;
    registry;
    stats = { requests: 0, bytesUploaded: 0, blobUploads: 0, mounts: 0, manifestPuts: 0 };
    base;
    authorization;
    tokens = new Map();
    toldRealms = new Set();
    get timeoutMs() {
        return this.opts.timeoutMs ?? timeouts/* TIMEOUTS */.f.registryRequestMs;
    }
    constructor(opts) {
        this.opts = opts;
        this.registry = opts.registry;
        this.base = `${opts.insecureHttp || isLoopbackRegistry(opts.registry) ? 'http' : 'https'}://${(0,reference/* apiHost */.nz)(opts.registry)}`;
    }
    /** One request with auth negotiation: a 401 is answered once with basic or token auth, then retried. */
    async request(method, path, init = {}) {
        const url = path.startsWith('http') ? path : `${this.base}${path}`;
        const send = (auth) => {
            this.stats.requests++;
            const headers = { ...init.headers };
            if (auth)
                headers.authorization = auth;
            const signals = [init.idle?.signal ?? AbortSignal.timeout(this.timeoutMs)];
            if (this.opts.signal)
                signals.push(this.opts.signal);
            return fetch(url, {
                method,
                headers,
                body: init.body,
                redirect: init.redirect ?? 'follow',
                signal: AbortSignal.any(signals),
                ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
            });
        };
        const cached = init.scope ? (this.tokens.get(init.scope) ?? this.authorization) : this.authorization;
        let res = await send(cached);
        if (res.status !== 401)
            return res;
        const challenge = parseChallenge(res.headers.get('www-authenticate') ?? '');
        await res.body?.cancel();
        if (!challenge)
            throw new RegistryError(`${method} ${url}: 401 without a WWW-Authenticate challenge`, 401);
        if (init.body instanceof ReadableStream) {
            throw new RegistryError(`${method} ${url}: 401 on a streamed upload (authenticate before streaming)`, 401);
        }
        let auth;
        if (challenge.scheme === 'basic') {
            if (!this.opts.credentials)
                throw new RegistryError(`${this.registry}: authentication required (basic)`, 401);
            auth = basicAuth(this.opts.credentials);
            this.authorization = auth;
        }
        else if (challenge.scheme === 'bearer') {
            const token = await this.fetchToken(challenge.params);
            auth = `Bearer ${token}`;
            if (init.scope)
                this.tokens.set(init.scope, auth);
            this.authorization = auth;
        }
        else {
            throw new RegistryError(`${this.registry}: unsupported auth scheme ${challenge.scheme}`, 401);
        }
        res = await send(auth);
        if (res.status === 401) {
            await res.body?.cancel();
            throw new RegistryError(`${method} ${url}: 401 unauthorized${this.opts.credentials ? ' (credentials rejected)' : ' (no credentials given)'}`, 401);
        }
        return res;
    }
    /**
     * The Bearer token flow: the credentials go (basic auth) to the realm the registry names, as Docker does, on
     * whatever host that is. They never go over a weaker scheme than the registry itself: a registry reached over
     * https whose realm (or a redirect on the way to it) is plain http is refused before anything is sent.
     */
    async fetchToken(params) {
        const realm = params.realm;
        if (!realm)
            throw new RegistryError(`${this.registry}: Bearer challenge without realm`, 401);
        let u;
        try {
            u = new URL(realm);
        }
        catch {
            throw new RegistryError(`${this.registry}: Bearer realm "${realm.slice(0, 200)}" is not a URL`, 401);
        }
        this.checkRealmScheme(u);
        if (params.service)
            u.searchParams.set('service', params.service);
        for (const scope of (params.scope ?? '').split(' ').filter(Boolean))
            u.searchParams.append('scope', scope);
        const headers = {};
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
        let res;
        for (let hop = 0;; hop++) {
            this.stats.requests++;
            res = await fetch(u, { headers, signal, redirect: 'manual' });
            const loc = res.status >= 300 && res.status < 400 ? res.headers.get('location') : null;
            if (!loc)
                break;
            await res.body?.cancel();
            if (hop >= MAX_TOKEN_REDIRECTS) {
                throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: more than ${MAX_TOKEN_REDIRECTS} redirects`);
            }
            const next = new URL(loc, u);
            this.checkRealmScheme(next);
            if (next.origin !== u.origin)
                delete headers.authorization;
            u = next;
        }
        const text = await res.text();
        if (!res.ok)
            throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: ${res.status} ${text.slice(0, 200)}`);
        let body;
        try {
            body = JSON.parse(text);
        }
        catch {
            throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: response is not JSON`);
        }
        const token = body.token ?? body.access_token;
        if (!token)
            throw new RegistryError(`token endpoint ${u.origin}${u.pathname}: no token in the response`);
        return token;
    }
    /** A plain-http token endpoint only for a registry that is itself plain http (insecure-http or loopback). */
    checkRealmScheme(u) {
        if (u.protocol === 'https:')
            return;
        if (u.protocol === 'http:' && this.base.startsWith('http:'))
            return;
        throw new RegistryError(`${this.registry}: refused the token endpoint ${u.protocol}//${u.host}${u.pathname}: the registry is reached ` +
            `over ${this.base.slice(0, this.base.indexOf(':'))} but its Bearer token realm is ${u.protocol.slice(0, -1)}, ` +
            'so the registry credentials (and the token) would cross the network in clear. Nothing was sent to it. ' +
            "Fix: configure the registry's token realm as an https URL. A plain-http realm is accepted only for a " +
            'registry that is itself plain http (the insecure-http input, or a registry on 127.0.0.0/8 or localhost).');
    }
    async fail(res, what) {
        const text = (await res.text().catch(() => '')).slice(0, 300);
        throw new RegistryError(`${what}: ${res.status} ${res.statusText}${text ? ` — ${text}` : ''}`, res.status);
    }
    /**
     * GET a manifest by tag or digest with every manifest type in Accept. The raw bytes are kept and hashed:
     * a digest reference must match them; for a tag, Docker-Content-Digest (when sent) must match them.
     */
    async getManifest(repository, reference) {
        const what = `${this.registry}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;
        const res = await this.request('GET', `/v2/${repository}/manifests/${reference}`, {
            headers: { accept: MANIFEST_TYPES.join(', ') },
            scope: `repository:${repository}:pull`,
        });
        if (!res.ok)
            await this.fail(res, `GET manifest ${what}`);
        const bytes = Buffer.from(await res.arrayBuffer());
        const digest = sha256Digest(bytes);
        if (reference.startsWith('sha256:') && digest !== reference) {
            throw new RegistryError(`manifest ${what}: the bytes served hash to ${digest}, not the requested digest`);
        }
        const served = res.headers.get('docker-content-digest');
        if (served && served !== digest) {
            throw new RegistryError(`manifest ${what}: Docker-Content-Digest ${served} does not match the bytes (${digest})`);
        }
        let mediaType = (res.headers.get('content-type') ?? '').split(';')[0].trim();
        try {
            const json = JSON.parse(bytes.toString('utf8'));
            if (json.mediaType)
                mediaType = json.mediaType;
        }
        catch {
            throw new RegistryError(`manifest ${what}: not JSON`);
        }
        if (!isManifestType(mediaType))
            throw new RegistryError(`manifest ${what}: unsupported media type "${mediaType}"`);
        return { mediaType, digest, bytes };
    }
    /** The digest a tag points to, or undefined when the tag does not exist. */
    async resolveTag(repository, tag) {
        const res = await this.request('HEAD', `/v2/${repository}/manifests/${tag}`, {
            headers: { accept: MANIFEST_TYPES.join(', ') },
            scope: `repository:${repository}:pull`,
        });
        if (res.status === 404)
            return undefined;
        if (!res.ok)
            await this.fail(res, `HEAD manifest ${this.registry}/${repository}:${tag}`);
        const d = res.headers.get('docker-content-digest');
        if (d)
            return d;
        return (await this.getManifest(repository, tag)).digest;
    }
    async hasBlob(repository, digest, scope) {
        const res = await this.request('HEAD', `/v2/${repository}/blobs/${digest}`, {
            scope: scope ?? `repository:${repository}:pull`,
        });
        if (res.status === 404)
            return false;
        if (!res.ok)
            await this.fail(res, `HEAD blob ${this.registry}/${repository}@${digest}`);
        return true;
    }
    /** Cross-repository mount. True when mounted (201); false when the registry opened an upload instead. */
    async mountBlob(repository, digest, from) {
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
    resolve(location) {
        return new URL(location, `${this.base}/`).toString();
    }
    /** Opens an upload session; returns its absolute URL. Authenticates before any bytes are sent. */
    async startUpload(repository) {
        const res = await this.request('POST', `/v2/${repository}/blobs/uploads/`, {
            headers: { 'content-length': '0' },
            scope: `repository:${repository}:pull,push`,
        });
        if (res.status !== 202)
            await this.fail(res, `start upload to ${this.registry}/${repository}`);
        await res.body?.cancel();
        const loc = res.headers.get('location');
        if (!loc)
            throw new RegistryError(`start upload to ${this.registry}/${repository}: no Location header`);
        return this.resolve(loc);
    }
    async finishUpload(repository, location, digest, size, body, idle) {
        const u = new URL(location);
        u.searchParams.set('digest', digest);
        const res = await this.request('PUT', u.toString(), {
            headers: { 'content-type': 'application/octet-stream', 'content-length': String(size) },
            body,
            scope: `repository:${repository}:pull,push`,
            ...(idle ? { idle } : {}),
        });
        if (res.status !== 201)
            await this.fail(res, `upload ${digest} to ${this.registry}/${repository}`);
        await res.body?.cancel();
        this.stats.blobUploads++;
        this.stats.bytesUploaded += size;
    }
    /** Monolithic upload of bytes we hold (test content, small blobs). Skips blobs that already exist. */
    async pushBlob(repository, bytes) {
        const digest = sha256Digest(bytes);
        if (await this.hasBlob(repository, digest, `repository:${repository}:pull,push`))
            return digest;
        const loc = await this.startUpload(repository);
        await this.finishUpload(repository, loc, digest, bytes.length, bytes);
        return digest;
    }
    /**
     * Streams a blob from a local file whose digest and size are known (built layers). Skips a blob the
     * repository already has; returns true when bytes were sent. The registry refuses a digest mismatch.
     */
    async pushBlobFile(repository, path, digest, size) {
        if (await this.hasBlob(repository, digest, `repository:${repository}:pull,push`))
            return false;
        const loc = await this.startUpload(repository);
        const idle = new IdleWatch(this.timeoutMs, `upload ${digest} to ${this.registry}/${repository}`);
        try {
            const stream = external_node_stream_.Readable.toWeb((0,external_node_fs_.createReadStream)(path)).pipeThrough(idle.passThrough());
            await this.finishUpload(repository, loc, digest, size, stream, idle);
        }
        finally {
            idle.stop();
        }
        return true;
    }
    /** Opens a blob for reading (following redirects to storage). */
    async openBlob(repository, digest, idle) {
        const res = await this.request('GET', `/v2/${repository}/blobs/${digest}`, {
            scope: `repository:${repository}:pull`,
            ...(idle ? { idle } : {}),
        });
        if (!res.ok)
            await this.fail(res, `GET blob ${this.registry}/${repository}@${digest}`);
        return res;
    }
    /**
     * Streams a blob from another registry (or repository) into this one: GET → POST upload → PUT ?digest=.
     * The bytes are hashed while they stream; the registry also refuses a digest mismatch.
     */
    async copyBlobFrom(source, sourceRepository, repository, digest, size) {
        const loc = await this.startUpload(repository);
        // One watch for both legs: bytes read from the source are the bytes sent to the target.
        const idle = new IdleWatch(this.timeoutMs, `copy ${digest} from ${source.registry} to ${this.registry}`);
        try {
            await this.streamBlob(source, sourceRepository, repository, digest, size, loc, idle);
        }
        finally {
            idle.stop();
        }
    }
    async streamBlob(source, sourceRepository, repository, digest, size, loc, idle) {
        const res = await source.openBlob(sourceRepository, digest, idle);
        const hash = process.getBuiltinModule('node:crypto').createHash('sha256');
        let seen = 0;
        const counting = new TransformStream({
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
        const stream = (res.body ?? new ReadableStream({ start: (c) => c.close() })).pipeThrough(counting);
        await this.finishUpload(repository, loc, digest, size, stream, idle);
    }
    /** PUT a manifest's exact bytes with its exact media type; returns the digest the registry reports. */
    async putManifest(repository, reference, manifest) {
        const res = await this.request('PUT', `/v2/${repository}/manifests/${reference}`, {
            headers: { 'content-type': manifest.mediaType },
            body: manifest.bytes,
            scope: `repository:${repository}:pull,push`,
        });
        if (res.status !== 201)
            await this.fail(res, `PUT manifest ${this.registry}/${repository}:${reference}`);
        await res.body?.cancel();
        this.stats.manifestPuts++;
        const d = res.headers.get('docker-content-digest');
        if (d && d !== manifest.digest) {
            throw new RegistryError(`PUT manifest ${this.registry}/${repository}:${reference}: registry reports ${d}, expected ${manifest.digest}`);
        }
        return d ?? manifest.digest;
    }
}
function basicAuth(c) {
    return `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;
}

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(858);
// EXTERNAL MODULE: ./src/core/build-image/builders.ts
var builders = __webpack_require__(986);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(455);
// EXTERNAL MODULE: external "node:stream/promises"
var external_node_stream_promises_ = __webpack_require__(466);
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __webpack_require__(522);
;// CONCATENATED MODULE: ./src/core/build-image/tar-normalize.ts
/**
 * Streaming tar rewriter for reproducible layers: every entry's mtime is clamped to a fixed epoch (the commit
 * time), in the ustar header (offset 136, octal or base-256) and in PAX `mtime=` records; PAX `atime`/`ctime`
 * records are dropped; header checksums (offset 148) are recomputed. Entry order, names, modes, owners and
 * data pass through untouched, so the file system the layer describes is the same, only its timestamps differ.
 */

const BLOCK = 512;
/** Type flags whose size field carries no data (as Go's archive/tar reads them). */
const HEADER_ONLY = new Set(['1', '2', '3', '4', '5', '6']);
/** Reads an octal (or GNU base-256) numeric field. */
function readNumeric(field) {
    if (field.length && (field[0] & 0x80) !== 0) {
        if (field[0] === 0xff)
            return -1; // negative (pre-1970): below any epoch we clamp to
        let v = field[0] & 0x7f;
        for (let i = 1; i < field.length; i++)
            v = v * 256 + field[i];
        return v;
    }
    const text = Buffer.from(field).toString('latin1').replace(/\0.*$/s, '').trim();
    if (!text)
        return 0;
    if (!/^[0-7]+$/.test(text))
        throw new Error(`tar: bad numeric field "${text}"`);
    return parseInt(text, 8);
}
function writeOctal(block, offset, length, value) {
    const digits = value.toString(8).padStart(length - 1, '0');
    if (digits.length > length - 1)
        throw new Error(`tar: ${value} does not fit an octal field of ${length}`);
    block.write(digits, offset, length - 1, 'latin1');
    block[offset + length - 1] = 0;
}
function headerChecksum(block) {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++)
        sum += i >= 148 && i < 156 ? 0x20 : block[i];
    return sum;
}
function setChecksum(block) {
    const sum = headerChecksum(block);
    block.write(sum.toString(8).padStart(6, '0'), 148, 6, 'latin1');
    block[154] = 0;
    block[155] = 0x20;
}
/** Clamps a header block's mtime to `epoch` and fixes its checksum. Returns true when the mtime changed. */
function clampHeader(block, epoch) {
    const mtime = readNumeric(block.subarray(136, 148));
    let changed = false;
    if (mtime > epoch) {
        block.fill(0, 136, 148);
        writeOctal(block, 136, 12, epoch);
        changed = true;
    }
    setChecksum(block);
    return changed;
}
/** Rewrites PAX records: mtime clamped, atime/ctime dropped. Exported for tests. */
function rewritePax(data, epoch) {
    const out = [];
    let pos = 0;
    while (pos < data.length) {
        if (data[pos] === 0)
            break; // padding inside the declared size (seen in the wild)
        const space = data.indexOf(0x20, pos);
        if (space < 0)
            throw new Error('tar: malformed PAX record (no length)');
        const len = parseInt(data.toString('latin1', pos, space), 10);
        if (!Number.isFinite(len) || len <= 0 || pos + len > data.length)
            throw new Error('tar: malformed PAX record');
        const record = data.subarray(space + 1, pos + len - 1); // key=value without the trailing newline
        pos += len;
        const eq = record.indexOf(0x3d);
        const key = record.toString('utf8', 0, eq < 0 ? record.length : eq);
        if (key === 'atime' || key === 'ctime')
            continue;
        if (key === 'mtime') {
            const value = Number(record.toString('latin1', eq + 1));
            if (Number.isFinite(value) && value > epoch) {
                out.push(paxRecord('mtime', String(epoch)));
                continue;
            }
        }
        out.push(data.subarray(pos - len, pos));
    }
    return Buffer.concat(out);
}
function paxRecord(key, value) {
    const body = ` ${key}=${value}\n`;
    const bodyLen = Buffer.byteLength(body);
    let len = bodyLen + 1;
    while (len !== bodyLen + String(len).length)
        len = bodyLen + String(len).length;
    return Buffer.from(`${len}${body}`);
}
/** A Transform that normalizes a tar stream (see the file comment). */
class TarNormalizer extends external_node_stream_.Transform {
    epoch;
    stats = { entries: 0, clamped: 0 };
    pending = Buffer.alloc(0);
    /** Bytes of entry data (plus padding) still to pass through untouched. */
    passthrough = 0;
    /** Set while collecting a PAX header's data. */
    pax;
    constructor(epoch) {
        super();
        this.epoch = epoch;
        if (!Number.isInteger(epoch) || epoch < 0)
            throw new Error(`tar: bad epoch ${epoch}`);
    }
    _transform(chunk, _enc, cb) {
        try {
            this.consume(chunk);
            cb();
        }
        catch (e) {
            cb(e);
        }
    }
    _flush(cb) {
        if (this.pax)
            return cb(new Error('tar: archive ends inside a PAX header'));
        if (this.passthrough > 0)
            return cb(new Error('tar: archive ends inside an entry'));
        if (this.pending.length)
            return cb(new Error('tar: archive ends inside a header block'));
        cb();
    }
    consume(chunk) {
        let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
        this.pending = Buffer.alloc(0);
        for (;;) {
            if (this.passthrough > 0) {
                if (buf.length === 0)
                    return;
                const n = Math.min(this.passthrough, buf.length);
                this.push(buf.subarray(0, n));
                buf = buf.subarray(n);
                this.passthrough -= n;
                continue;
            }
            if (this.pax) {
                const padded = Math.ceil(this.pax.size / BLOCK) * BLOCK;
                if (buf.length < padded) {
                    this.pending = Buffer.from(buf);
                    return;
                }
                const data = rewritePax(buf.subarray(0, this.pax.size), this.epoch);
                const header = this.pax.header;
                header.fill(0, 124, 136);
                writeOctal(header, 124, 12, data.length);
                if (clampHeader(header, this.epoch))
                    this.stats.clamped++;
                this.push(header);
                this.push(data);
                const pad = (BLOCK - (data.length % BLOCK)) % BLOCK;
                if (pad)
                    this.push(Buffer.alloc(pad));
                buf = buf.subarray(padded);
                this.pax = undefined;
                continue;
            }
            if (buf.length < BLOCK) {
                this.pending = Buffer.from(buf);
                return;
            }
            const header = Buffer.from(buf.subarray(0, BLOCK));
            buf = buf.subarray(BLOCK);
            if (header.every((b) => b === 0)) {
                this.push(header); // end-of-archive marker
                continue;
            }
            let stored;
            try {
                stored = readNumeric(header.subarray(148, 156));
            }
            catch {
                stored = -1;
            }
            if (stored !== headerChecksum(header))
                throw new Error('tar: header checksum mismatch (not a tar stream?)');
            const type = String.fromCharCode(header[156]);
            const size = readNumeric(header.subarray(124, 136));
            if (type === 'x' || type === 'g') {
                this.pax = { header, size };
                continue;
            }
            if (type !== 'L' && type !== 'K')
                this.stats.entries++; // GNU long name/link records are not entries
            if (clampHeader(header, this.epoch))
                this.stats.clamped++;
            this.push(header);
            this.passthrough = HEADER_ONLY.has(type) ? 0 : Math.ceil(size / BLOCK) * BLOCK;
        }
    }
}

;// CONCATENATED MODULE: ./src/core/build-image/image.ts
/**
 * Reproducible images: a built image (from `docker save`, or an OCI layout from buildx) is rewritten into
 * blobs whose bytes depend only on the file system and the commit: every layer's mtimes clamped to the commit
 * time and gzipped deterministically (node zlib, fixed level, no name or mtime in the gzip header), the config
 * keeping what matters at run time with `created` = commit time, and an OCI image manifest over them.
 */










const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER_GZIP = 'application/vnd.oci.image.layer.v1.tar+gzip';
const GZIP_LEVEL = 9;
/** Reads `docker save` output (legacy or OCI-style): manifest.json → config and layer paths. */
function readDockerSave(dir) {
    const manifest = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'manifest.json'), 'utf8'));
    if (!Array.isArray(manifest) || manifest.length !== 1) {
        throw new Error(`docker save: expected one image in manifest.json, found ${manifest.length}`);
    }
    const m = manifest[0];
    return {
        config: JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, m.Config), 'utf8')),
        layers: m.Layers.map((l) => (0,external_node_path_.join)(dir, l)),
    };
}
/** Reads an OCI image layout (buildx `--output type=oci`): one image per platform, attestations skipped. */
function readOciLayout(dir) {
    const blob = (d) => (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'blobs', ...d.split(':')));
    const out = [];
    const walk = (desc, depth) => {
        if (depth > 4)
            throw new Error('OCI layout: indexes nested too deep');
        if (desc.annotations?.['vnd.docker.reference.type'] === 'attestation-manifest')
            return;
        const json = JSON.parse(blob(desc.digest).toString('utf8'));
        if (json.manifests)
            for (const child of json.manifests)
                walk(child, depth + 1);
        else if (json.config && json.layers) {
            out.push({
                config: JSON.parse(blob(json.config.digest).toString('utf8')),
                layers: json.layers.map((l) => (0,external_node_path_.join)(dir, 'blobs', ...l.digest.split(':'))),
            });
        }
    };
    const index = JSON.parse((0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, 'index.json'), 'utf8'));
    for (const d of index.manifests)
        walk(d, 0);
    if (!out.length)
        throw new Error('OCI layout: no image manifest found');
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
];
function isEmpty(v) {
    return (v === null ||
        v === undefined ||
        v === '' ||
        (Array.isArray(v) && v.length === 0) ||
        (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0));
}
/**
 * The normalized config: created and every history entry's created set to the commit time; volatile legacy
 * fields (container, container_config, docker_version, config.Image, config.Hostname, buildinfo …) dropped;
 * rootfs.diff_ids replaced by the normalized layers' ids. Pure.
 */
function normalizeConfig(raw, diffIds, created) {
    const src = (raw.config ?? {});
    const runtime = {};
    for (const k of RUNTIME_KEYS)
        if (!isEmpty(src[k]))
            runtime[k] = src[k];
    const history = (raw.history ?? []).map((h) => {
        const e = { created };
        if (typeof h.created_by === 'string')
            e.created_by = h.created_by;
        if (typeof h.comment === 'string' && h.comment)
            e.comment = h.comment;
        if (h.empty_layer === true)
            e.empty_layer = true;
        return e;
    });
    // History is kept entry for entry (only `created` changes): base images whose history does not match
    // their layer count (squashed or hand-made images exist) pass through as the engine accepted them.
    const out = { created };
    if (typeof raw.author === 'string' && raw.author)
        out.author = raw.author;
    out.architecture = raw.architecture;
    if (raw.variant)
        out.variant = raw.variant;
    out.os = raw.os;
    if (raw['os.version'])
        out['os.version'] = raw['os.version'];
    if (!isEmpty(raw['os.features']))
        out['os.features'] = raw['os.features'];
    out.config = runtime;
    out.rootfs = { type: 'layers', diff_ids: diffIds };
    if (history.length)
        out.history = history;
    return Buffer.from(JSON.stringify(out));
}
class Hasher extends external_node_stream_.Transform {
    hash = (0,external_node_crypto_.createHash)('sha256');
    size = 0;
    _transform(chunk, _e, cb) {
        this.hash.update(chunk);
        this.size += chunk.length;
        cb(null, chunk);
    }
    digest() {
        return `sha256:${this.hash.digest('hex')}`;
    }
}
async function isGzip(path) {
    const fh = await (0,promises_.open)(path, 'r');
    try {
        const b = Buffer.alloc(2);
        const { bytesRead } = await fh.read(b, 0, 2, 0);
        return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
    }
    finally {
        await fh.close();
    }
}
/** Streams one layer: (gunzip) → clamp mtimes → diff_id → gzip (fixed level, no header name/mtime) → file. */
async function normalizeLayer(src, outDir, epoch) {
    const tmp = (0,external_node_path_.join)(outDir, `layer-${process.hrtime.bigint()}.tmp`);
    const norm = new TarNormalizer(epoch);
    const diff = new Hasher();
    const packed = new Hasher();
    await (0,external_node_stream_promises_.pipeline)((0,external_node_fs_.createReadStream)(src), (await isGzip(src)) ? (0,external_node_zlib_.createGunzip)() : new external_node_stream_.PassThrough(), norm, diff, (0,external_node_zlib_.createGzip)({ level: GZIP_LEVEL, strategy: external_node_zlib_.constants.Z_DEFAULT_STRATEGY }), packed, (0,external_node_fs_.createWriteStream)(tmp, { mode: 0o600 }));
    const digest = packed.digest();
    const path = (0,external_node_path_.join)(outDir, digest.replace(':', '-'));
    await (0,promises_.rename)(tmp, path);
    return {
        digest,
        size: packed.size,
        path,
        diffId: diff.digest(),
        entries: norm.stats.entries,
        clamped: norm.stats.clamped,
    };
}
function platformOf(config) {
    return {
        os: String(config.os ?? 'linux'),
        architecture: String(config.architecture ?? 'amd64'),
        ...(config.variant ? { variant: String(config.variant) } : {}),
    };
}
/** The manifest bytes over a config and layers (key order fixed, so the bytes are too). */
function imageManifest(config, layers) {
    return Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_MANIFEST,
        config: { mediaType: OCI_CONFIG, digest: config.digest, size: config.size },
        layers: layers.map((l) => ({ mediaType: OCI_LAYER_GZIP, digest: l.digest, size: l.size })),
    }));
}
function imageIndex(manifests) {
    return Buffer.from(JSON.stringify({
        schemaVersion: 2,
        mediaType: OCI_INDEX,
        manifests: manifests.map((m) => ({
            mediaType: OCI_MANIFEST,
            digest: m.manifest.digest,
            size: m.manifest.size,
            platform: m.platform,
        })),
    }));
}
async function normalizeImage(built, outDir, epoch, created) {
    const layers = [];
    for (const l of built.layers)
        layers.push(await normalizeLayer(l, outDir, epoch));
    const configBytes = normalizeConfig(built.config, layers.map((l) => l.diffId), created);
    const config = { digest: sha256Digest(configBytes), size: configBytes.length, bytes: configBytes };
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

;// CONCATENATED MODULE: ./src/core/build-image/push.ts
/**
 * Pushes normalized images with the registry client: layers (skipped when present), configs, manifests (and
 * an OCI index for several platforms), every reference; then reads every reference back and checks the
 * sha256 of the bytes served against the manifest computed here.
 */



class PushVerifyError extends Error {
    constructor(message) {
        super(message);
        this.name = 'PushVerifyError';
    }
}
async function pushImages(client, repository, images, tags, opts) {
    const log = opts.log ?? (() => undefined);
    if (!images.length)
        throw new Error('nothing to push');
    if (!opts.asIndex && images.length !== 1)
        throw new Error(`${images.length} images need an index`);
    const report = [];
    for (const img of images) {
        const layers = [];
        for (const l of img.layers) {
            const uploaded = await client.pushBlobFile(repository, l.path, l.digest, l.size);
            layers.push({ digest: l.digest, size: l.size, diffId: l.diffId, uploaded });
            log(`layer ${l.digest} (${l.size} bytes, ${l.clamped}/${l.entries} mtimes clamped): ${uploaded ? 'uploaded' : 'already present'}`);
        }
        await client.pushBlob(repository, img.config.bytes);
        const p = img.platform;
        report.push({
            platform: `${p.os}/${p.architecture}${p.variant ? `/${p.variant}` : ''}`,
            manifest: img.manifest.digest,
            config: img.config.digest,
            layers,
        });
    }
    let top;
    if (opts.asIndex) {
        for (const img of images)
            await client.putManifest(repository, img.manifest.digest, img.manifest);
        const bytes = imageIndex(images);
        top = { mediaType: OCI_INDEX, digest: sha256Digest(bytes), bytes };
    }
    else {
        top = images[0].manifest;
    }
    const references = tags.length ? [...tags] : [top.digest];
    for (const ref of references)
        await client.putManifest(repository, ref, top);
    for (const ref of references) {
        const served = await client.getManifest(repository, ref);
        if (served.digest !== top.digest) {
            throw new PushVerifyError(`${client.registry}/${repository}:${ref}: the registry serves ${served.digest}, not the pushed ${top.digest}`);
        }
    }
    log(`pushed ${references.length} reference(s); the registry serves ${top.digest}`);
    return { digest: top.digest, mediaType: top.mediaType, images: report, references };
}

// EXTERNAL MODULE: ./src/core/build-image/tags.ts
var build_image_tags = __webpack_require__(607);
;// CONCATENATED MODULE: ./src/core/build-image/run.ts
/**
 * build-image, end to end: probe the builder, read the commit, build (secrets as 0600 files in a private temp
 * dir), then — when pushing — save the image, normalize it into reproducible blobs, push them with our own
 * registry client (credentials never reach a Docker config file), PUT every tag, and read each tag back to
 * verify the registry serves exactly the manifest we computed.
 */












class BuildError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BuildError';
    }
}
/**
 * The commit being built: the context's checkout HEAD (what the builder sees), its committer time. When the
 * context is not a git work tree, GITHUB_SHA stands in (as docker/metadata-action does), with a warning:
 * `created` then comes from SOURCE_DATE_EPOCH, or, without it, is the build time (the commit time is
 * unknown). Without GITHUB_SHA either it is an error.
 */
async function gitCommitTime(exec, cfg, ctx, now = () => new Date()) {
    const opts = ctx;
    const run = (args) => exec.run({ argv: ['git', '-C', cfg.context, ...args], label: `git ${args.join(' ')}` }, { timeoutMs: timeouts/* TIMEOUTS */.f.toolQueryMs, signal: ctx.signal });
    const r = await run(['log', '-1', '--format=%H %cI', 'HEAD']);
    const m = /^([0-9a-f]{40,64}) (\S+)$/.exec(r.stdout.trim());
    if (succeeded(r) && m) {
        const sha = m[1];
        const iso = m[2];
        if (cfg.git.sha && cfg.git.sha !== sha) {
            opts.warn(`building the checked-out commit ${sha.slice(0, 12)}, not GITHUB_SHA ${cfg.git.sha.slice(0, 12)}: tags and labels name the commit built`);
        }
        return { sha, iso };
    }
    const epoch = cfg.git.sourceDateEpoch;
    if (cfg.git.sha) {
        const ref = cfg.git.ref ? ` (${cfg.git.ref})` : '';
        if (/^\d+$/.test(epoch)) {
            opts.warn(`${cfg.context} is not a git work tree: tags and labels use GITHUB_SHA ${cfg.git.sha.slice(0, 12)}${ref}; created comes from SOURCE_DATE_EPOCH`);
            return { sha: cfg.git.sha, iso: new Date(Number(epoch) * 1000).toISOString() };
        }
        opts.warn(`${cfg.context} is not a git work tree: tags and labels use GITHUB_SHA ${cfg.git.sha.slice(0, 12)}${ref}; the commit time is unknown, so created is the build time (not reproducible; set SOURCE_DATE_EPOCH, or run actions/checkout first)`);
        return { sha: cfg.git.sha, iso: new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString() };
    }
    throw new BuildError(`cannot read the commit of ${cfg.context} (${lastLines(r.stderr, 3).trim() || 'git printed nothing'}); ` +
        'run actions/checkout first (tags and the reproducible created time come from the commit), ' +
        'or set SOURCE_DATE_EPOCH (with GITHUB_SHA) for a context outside git');
}
async function runBuild(cfg, exec, ctx, opts = {}) {
    const log = ctx.log;
    const sig = { signal: ctx.signal };
    // 1. Builder: probe, then refuse unsupported combinations before anything is built.
    const probes = (0,builders/* probeCommands */.Fz)(cfg.docker);
    const version = await exec.run(probes.version, { timeoutMs: timeouts/* TIMEOUTS */.f.toolQueryMs, ...sig });
    if (!succeeded(version)) {
        throw new BuildError(`${describeFailure('docker --version', exec.target, version)}\n(input \`docker\`: "${cfg.docker}")`);
    }
    const buildx = succeeded(await exec.run(probes.buildx, { timeoutMs: timeouts/* TIMEOUTS */.f.toolQueryMs, ...sig }));
    const choice = (0,builders/* chooseBuilder */.Z7)({ buildx, clientVersion: version.stdout }, {
        secrets: Object.keys(cfg.secrets).length + Object.keys(cfg.secretFiles).length > 0,
        platforms: cfg.platforms,
        cache: cfg.cache,
    });
    const builder = choice.kind;
    for (const w of choice.warnings)
        ctx.warn(w, 'build-image');
    log(`builder: ${builder} (${version.stdout.trim()}${buildx ? ', buildx' : ', no buildx'})`);
    const multi = cfg.platforms.length > 1;
    // 2. The commit: tags, labels, and the time every timestamp is clamped to.
    const commit = await gitCommitTime(exec, cfg, ctx);
    const { created, epoch } = (0,build_image_tags/* commitTime */.bX)(commit.iso);
    const git = { sha: commit.sha, ref: cfg.git.ref, defaultBranch: cfg.defaultBranch };
    const tags = (0,build_image_tags/* tagsFromGit */.Q5)(git, cfg.tagRules, cfg.extraTags);
    const name = `${cfg.image.registry}/${cfg.image.repository}`;
    const refs = tags.map((t) => `${name}:${t}`);
    const labels = (0,build_image_tags/* ociLabels */.TT)({
        repository: cfg.git.repository,
        serverUrl: cfg.git.serverUrl,
        sha: commit.sha,
        created,
        version: (0,build_image_tags/* versionFor */.GX)(git),
    }, cfg.labels);
    log(`commit ${commit.sha} at ${created}; tags: ${tags.join(', ') || '(none: pushed by digest)'}`);
    // 3. Build, with secrets as 0600 files in a 0700 temp dir that is always removed.
    // Recorded for the post step before it exists: a killed build leaves no secret file behind.
    const tmp = (0,cleanup_state/* makeRecordedTempDir */.eA)('build', opts.tempRoot || (0,external_node_os_.tmpdir)());
    try {
        const secretFiles = { ...cfg.secretFiles };
        if (Object.keys(cfg.secrets).length) {
            (0,external_node_fs_.mkdirSync)((0,external_node_path_.join)(tmp, 'secrets'), { mode: 0o700 });
            for (const [id, value] of Object.entries(cfg.secrets)) {
                const path = (0,external_node_path_.join)(tmp, 'secrets', id);
                (0,external_node_fs_.writeFileSync)(path, value, { mode: 0o600 });
                secretFiles[id] = path;
            }
        }
        const iidFile = (0,external_node_path_.join)(tmp, 'iid');
        const ociDest = multi ? (0,external_node_path_.join)(tmp, 'oci.tar') : undefined;
        const cmd = (0,builders/* buildCommand */.Oe)(builder, {
            docker: cfg.docker,
            context: cfg.context,
            ...(cfg.file ? { file: cfg.file } : {}),
            ...(cfg.target ? { target: cfg.target } : {}),
            buildArgs: cfg.buildArgs,
            labels,
            secretFiles,
            platforms: cfg.platforms,
            cache: cfg.cache,
            cacheRef: cfg.cacheRef,
            cacheScope: cfg.image.repository,
            ...(cfg.network ? { network: cfg.network } : {}),
            localTags: refs,
            iidFile,
            ...(ociDest ? { ociDest } : {}),
            epoch,
            pull: cfg.pull,
        });
        log(`running: ${cmd.label}`);
        // Builder output is not ours (RUN steps print what they like): whole lines to the log, which redacts and
        // neutralizes workflow commands.
        const out = (0,output/* streamLogger */.VO)(log);
        const buildStart = Date.now();
        const r = await exec.run(cmd, { timeoutMs: cfg.timeoutMs, onStdout: out.onStdout, onStderr: out.onStderr, ...sig });
        out.flush();
        const buildMs = Date.now() - buildStart;
        if (!succeeded(r)) {
            const what = r.end === 'exit' ? 'the build failed' : describeFailure(cmd.label ?? 'docker build', exec.target, r);
            const tail = lastLines(`${r.stdout}\n${r.stderr}`.replace(/\n{2,}/g, '\n'), 20);
            const hint = (0,builders/* buildFailureHint */.QY)(`${r.stdout}\n${r.stderr}`);
            throw new CommandError(`${builder} build of ${cfg.context}: ${what}${r.end === 'exit' ? ` (exit code ${r.code})` : ''}; nothing was pushed.` +
                `${hint ? ` Fix: ${hint}.` : ''} Builder output:\n${tail}`, r);
        }
        const imageId = multi ? '' : (0,external_node_fs_.readFileSync)(iidFile, 'utf8').trim();
        if (imageId)
            log(`built ${imageId}`);
        const base = {
            builder,
            warnings: choice.warnings,
            imageId,
            tags,
            refs,
            labels,
            created,
            revision: commit.sha,
            pushed: false,
            digest: '',
            imageRef: '',
            mediaType: '',
            images: [],
            bytesUploaded: 0,
            buildMs,
            pushMs: 0,
        };
        if (!cfg.push)
            return base;
        // 4. Normalize: save → unpack → reproducible blobs.
        const pushStart = Date.now();
        const unpacked = (0,external_node_path_.join)(tmp, 'image');
        (0,external_node_fs_.mkdirSync)(unpacked);
        const archive = ociDest ?? (0,external_node_path_.join)(tmp, 'image.tar');
        if (!ociDest)
            await runChecked(exec, (0,builders/* saveCommand */.po)(cfg.docker, imageId, archive), { timeoutMs: cfg.timeoutMs, ...sig });
        await runChecked(exec, (0,builders/* untarCommand */.Op)(archive, unpacked), { timeoutMs: cfg.timeoutMs, ...sig });
        (0,external_node_fs_.rmSync)(archive, { force: true });
        const built = ociDest ? readOciLayout(unpacked) : [readDockerSave(unpacked)];
        const blobs = (0,external_node_path_.join)(tmp, 'blobs');
        (0,external_node_fs_.mkdirSync)(blobs);
        const images = [];
        for (const b of built) {
            ctx.signal.throwIfAborted();
            images.push(await normalizeImage(b, blobs, epoch, created));
        }
        ctx.signal.throwIfAborted();
        (0,external_node_fs_.rmSync)(unpacked, { recursive: true, force: true });
        // 5. Push blobs, manifests, every tag; then read each tag back and compare the bytes' sha256.
        const client = new RegistryClient({
            registry: cfg.image.registry,
            timeoutMs: cfg.timeoutMs,
            insecureHttp: cfg.insecureHttp,
            log,
            ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
            ...sig,
        });
        const pushed = await pushImages(client, cfg.image.repository, images, tags, { asIndex: multi, log });
        return {
            ...base,
            pushed: true,
            digest: pushed.digest,
            imageRef: `${name}@${pushed.digest}`,
            mediaType: pushed.mediaType,
            images: pushed.images,
            bytesUploaded: client.stats.bytesUploaded,
            pushMs: Date.now() - pushStart,
        };
    }
    finally {
        (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}


/***/ })

};
