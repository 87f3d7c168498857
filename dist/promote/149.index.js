export const id = 149;
export const ids = [149,292];
export const modules = {

/***/ 292:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   promote: () => (/* binding */ promote),
/* harmony export */   rollbackRef: () => (/* binding */ rollbackRef)
/* harmony export */ });
/* harmony import */ var _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(398);
/* harmony import */ var _lib_oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(617);
/* harmony import */ var _lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(996);
/**
 * Promotion at the registry: the source manifest (and, for an index, every child) is copied byte for byte to
 * each target. Blobs are mounted across repositories of the same registry and streamed between registries;
 * children are PUT by digest before the tagged top manifest; every target is read back and its digest checked.
 */



/** Reads the source tree: the top manifest and, for an index, every child (each verified by digest). */
async function readTree(client, repository, reference, depth = 0) {
    if (depth > 2)
        throw new _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__/* .RegistryError */ .gl(`index nesting deeper than 2 levels at ${repository}@${reference}`);
    const manifest = await client.getManifest(repository, reference);
    const json = JSON.parse(manifest.bytes.toString('utf8'));
    if ((0,_lib_oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__/* .isIndexType */ .$U)(manifest.mediaType)) {
        const children = [];
        for (const d of json.manifests ?? []) {
            children.push(await readTree(client, repository, d.digest, depth + 1));
        }
        return { manifest, children, blobs: [] };
    }
    const blobs = [json.config, ...(json.layers ?? [])].filter((d) => !!d && !!d.digest);
    return { manifest, children: [], blobs };
}
function countNodes(n) {
    return n.children.reduce((a, c) => a + 1 + countNodes(c), 0);
}
/** Layers move side by side (as registries and other clients do); the first failure fails the promotion. */
const BLOB_CONCURRENCY = 4;
async function inParallel(items, limit, fn) {
    let next = 0;
    const worker = async () => {
        while (next < items.length)
            await fn(items[next++]);
    };
    await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
async function promote(req) {
    const log = req.log ?? (() => undefined);
    const src = req.source;
    const reference = src.digest ?? src.tag ?? 'latest';
    const tree = await readTree(req.sourceClient, src.repository, reference);
    const digest = tree.manifest.digest;
    if (src.digest && src.digest !== digest)
        throw new _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__/* .RegistryError */ .gl(`source digest mismatch: ${digest}`);
    const sourcePinned = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)({ registry: src.registry, repository: src.repository, digest });
    if (!src.digest)
        log(`source ${(0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)(src)} resolves to ${digest}`);
    // no-clobber: check every target before anything is written.
    const previous = new Map();
    for (const t of req.targets) {
        const prev = await t.client.resolveTag(t.ref.repository, t.ref.tag);
        previous.set((0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)(t.ref), prev);
        if (req.noClobber && prev && prev !== digest) {
            throw new _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__/* .RegistryError */ .gl(`no-clobber: ${(0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)(t.ref)} already points to ${prev}, not ${digest}; nothing was promoted`);
        }
    }
    if (req.beforeWrite)
        await req.beforeWrite(digest);
    const results = [];
    for (const t of req.targets) {
        const name = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)(t.ref);
        const sameRegistry = t.client.registry === req.sourceClient.registry;
        const stats = { mounted: 0, copied: 0, present: 0 };
        let manifests = 0;
        const prev = previous.get(name);
        const copyBlob = async (b) => {
            if (b.urls?.length)
                return; // foreign layer: never stored in a registry
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
        const copyBlobs = (blobs) => inParallel(blobs, BLOB_CONCURRENCY, copyBlob);
        const putNode = async (node, ref) => {
            for (const c of node.children)
                await putNode(c, c.manifest.digest);
            await copyBlobs(node.blobs);
            await t.client.putManifest(t.ref.repository, ref, node.manifest);
            manifests++;
        };
        await putNode(tree, t.ref.tag);
        const back = await t.client.getManifest(t.ref.repository, t.ref.tag);
        if (back.digest !== digest || !back.bytes.equals(tree.manifest.bytes)) {
            throw new _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__/* .RegistryError */ .gl(`${name} reads back as ${back.digest}, not ${digest}`);
        }
        log(`${name} → ${digest} (${manifests} manifest(s); blobs mounted ${stats.mounted}, copied ${stats.copied}, present ${stats.present})`);
        results.push({
            ref: name,
            pinned: (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__/* .formatRef */ .rq)({ registry: t.ref.registry, repository: t.ref.repository, digest }),
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
function rollbackRef(result) {
    const first = result.targets[0];
    if (!first?.previous || first.previous === result.digest)
        return '';
    return first.pinned.replace(/@sha256:[0-9a-f]{64}$/, `@${first.previous}`);
}


/***/ }),

/***/ 149:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runPromote: () => (/* binding */ runPromote)
});

// EXTERNAL MODULE: ./src/lib/oci/client.ts
var client = __webpack_require__(398);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(737);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
;// CONCATENATED MODULE: ./src/lib/github/rest.ts
/**
 * The one GitHub REST client of the suite (https://docs.github.com/rest): the token in the Authorization
 * header, the API base from GITHUB_API_URL (GitHub Enterprise Server, a local stand-in), JSON in and out,
 * one timeout per request, bounded retries with back-off, and errors that name the permission to give.
 * The monitor's issues and the Deployments records of promote and paas-deploy go through here; it is only
 * imported by modules their run step loads with `await import()`, so no entry pays for it at start.
 */


/** `status` is 0 when no answer came (network error, timeout). */
class GitHubApiError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'GitHubApiError';
    }
}
/**
 * GitHub's advice: retry 5xx and network errors after a pause, 429 after Retry-After. A POST is retried only
 * on 429 (refused without acting): after a 5xx or a lost answer it may have acted, and a second POST would
 * open a second issue or record a second deployment.
 */
const POLICY = { attempts: 3, initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 };
/** The longest Retry-After honoured; a longer one fails now rather than hold the job. */
const MAX_RETRY_AFTER_MS = 60_000;
function fixFor(status, hints) {
    const own = hints.byStatus?.[status];
    if (own)
        return own;
    if (status === 401)
        return '`github-token` is not valid (expired, revoked, or not a token)';
    if (status === 403 || status === 404)
        return `give the job \`permissions: ${hints.permission}\` and check \`repository\``;
    return '';
}
/** One request; `path` is below /repos/<owner>/<name>. Resolves to the parsed JSON body (undefined when empty). */
async function githubRequest(gh, method, path, body, hints) {
    const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
    // The query can carry labels or environment names: messages name the endpoint only.
    const what = `GitHub API ${method} ${path.split('?')[0]}`;
    let failure = new GitHubApiError(`${what}: not sent`, 0);
    for (let attempt = 1; attempt <= POLICY.attempts; attempt++) {
        let retryAfterMs;
        let res;
        let text = '';
        try {
            res = await fetch(url, {
                method,
                headers: {
                    accept: 'application/vnd.github+json',
                    authorization: `Bearer ${gh.token}`,
                    'x-github-api-version': '2022-11-28',
                    'user-agent': 'deploy-kit',
                    ...(body ? { 'content-type': 'application/json' } : {}),
                },
                ...(body ? { body: JSON.stringify(body) } : {}),
                signal: gh.signal
                    ? AbortSignal.any([AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs), gh.signal])
                    : AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs),
            });
            text = await res.text();
        }
        catch (e) {
            if (gh.signal?.aborted)
                throw gh.signal.reason ?? e;
            const err = e;
            const why = err.name === 'TimeoutError'
                ? `no answer within ${timeouts/* TIMEOUTS */.f.githubApiMs / 1000} s`
                : (err.cause?.code ?? err.message);
            failure = new GitHubApiError(`${what}: ${why} (is GITHUB_API_URL ${gh.apiUrl} reachable?)`, 0);
            res = undefined;
        }
        if (res) {
            if (res.ok) {
                try {
                    return (text ? JSON.parse(text) : undefined);
                }
                catch {
                    // A web page or another service: asking again gives the same answer.
                    throw new GitHubApiError(`${what}: ${res.status} with a body that is not JSON (is GITHUB_API_URL ${gh.apiUrl} GitHub's REST API?)`, res.status);
                }
            }
            let said = text.slice(0, 300);
            try {
                said = JSON.parse(text).message ?? said;
            }
            catch {
                /* not JSON */
            }
            // GitHub's secondary rate limit answers 403 (or 429) with Retry-After or no requests left.
            const limited = res.status === 429 ||
                (res.status === 403 && (res.headers.has('retry-after') || res.headers.get('x-ratelimit-remaining') === '0'));
            const fix = limited ? 'rate limited: retried, then gave up; run again later' : fixFor(res.status, hints);
            failure = new GitHubApiError(`${what}: ${res.status} ${said}${fix ? ` (${fix})` : ''}`, limited ? 429 : res.status);
            const after = Number(res.headers.get('retry-after'));
            if (Number.isFinite(after) && after > 0)
                retryAfterMs = after * 1000;
        }
        const s = failure.status;
        const retryable = s === 429 || (method !== 'POST' && (s === 0 || s >= 500));
        if (!retryable || attempt >= POLICY.attempts)
            throw failure;
        const delay = retryAfterMs ?? (0,retry/* backoffDelay */.EY)(POLICY, attempt);
        if (delay > MAX_RETRY_AFTER_MS)
            throw failure;
        await (0,retry/* sleep */.yy)(delay, gh.signal);
    }
    throw failure;
}

;// CONCATENATED MODULE: ./src/lib/github/deployments.ts
/**
 * The GitHub Deployments REST API (https://docs.github.com/rest/deployments), as much as promote and
 * paas-deploy need: find a successful deployment of a digest in an environment (promote's require-deployment)
 * and record a run as a deployment with in_progress → success/failure. Requests go through rest.ts.
 */

const HINTS = { permission: 'deployments: write' };
function api(gh, method, path, body) {
    return githubRequest(gh, method, path, body, HINTS);
}
/** The digest a deployment's payload records (payload may arrive as an object or a JSON string). */
function payloadDigest(payload) {
    let p = payload;
    if (typeof p === 'string') {
        try {
            p = JSON.parse(p);
        }
        catch {
            return undefined;
        }
    }
    const d = p && typeof p === 'object' ? p.digest : undefined;
    return typeof d === 'string' ? d : undefined;
}
const MAX_PAGES = 5;
/**
 * The newest deployment of `digest` in `environment` whose latest status is `success`, or, when there is
 * none, the others of that digest with their latest state (`#12 (failure)`) for the caller's message.
 * Reads at most MAX_PAGES pages of 100 deployments.
 */
async function findSuccessfulDeployment(gh, environment, digest) {
    const seen = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const q = new URLSearchParams({ environment, per_page: '100', page: String(page) });
        const list = await api(gh, 'GET', `/deployments?${q}`);
        for (const d of list) {
            if (payloadDigest(d.payload) !== digest)
                continue;
            const statuses = await api(gh, 'GET', `/deployments/${d.id}/statuses?per_page=1`);
            const latest = statuses[0]?.state ?? 'no status';
            if (latest === 'success')
                return { found: { id: d.id, environment, createdAt: d.created_at } };
            seen.push(`#${d.id} (${latest})`);
        }
        if (list.length < 100)
            break;
    }
    return { others: seen };
}
async function createDeployment(gh, opts) {
    const d = await api(gh, 'POST', '/deployments', {
        ref: opts.ref,
        environment: opts.environment,
        payload: opts.payload,
        description: opts.description.slice(0, 140),
        task: 'deploy',
        auto_merge: false,
        required_contexts: [],
    });
    if (typeof d.id !== 'number')
        throw new GitHubApiError('GitHub API POST /deployments: no deployment id returned', 201);
    return d.id;
}
async function setDeploymentStatus(gh, id, state, description, logUrl) {
    await api(gh, 'POST', `/deployments/${id}/statuses`, {
        state,
        description: description.slice(0, 140),
        ...(logUrl ? { log_url: logUrl } : {}),
    });
}

// EXTERNAL MODULE: ./src/core/promote/promote.ts
var promote = __webpack_require__(292);
// EXTERNAL MODULE: ./src/lib/oci/reference.ts
var reference = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/core/promote/run.ts




/** Builds one client for the source and one per target registry, then promotes. */
async function runPromote(cfg, opts = {}) {
    const log = opts.log ?? (() => undefined);
    const make = (registry, credentials) => new client/* RegistryClient */.bP({
        registry,
        insecureHttp: cfg.insecureHttp,
        log,
        ...(credentials ? { credentials } : {}),
        ...(opts.signal ? { signal: opts.signal } : {}),
    });
    const sourceClient = make(cfg.source.registry, cfg.sourceCredentials);
    const targetClients = new Map();
    const targets = cfg.targets.map((ref) => {
        let client = targetClients.get(ref.registry);
        if (!client) {
            client = make(ref.registry, cfg.targetCredentials);
            targetClients.set(ref.registry, client);
        }
        return { ref, client };
    });
    const gh = cfg.github ? { ...cfg.github, ...(opts.signal ? { signal: opts.signal } : {}) } : undefined;
    let required;
    let deploymentId;
    const beforeWrite = async (digest) => {
        if (gh && cfg.requireDeployment) {
            const search = await findSuccessfulDeployment(gh, cfg.requireDeployment, digest);
            if (!search.found) {
                throw new Error(`require-deployment: no successful deployment of ${digest} in environment "${cfg.requireDeployment}"` +
                    (search.others.length ? `; found ${search.others.join(', ')}` : '') +
                    ' (deploy and gate this digest there first, or remove `require-deployment`)');
            }
            required = search.found;
            log(`require-deployment: deployment #${required.id} of ${digest} in "${cfg.requireDeployment}" succeeded`);
        }
        if (gh && cfg.environment) {
            deploymentId = await createDeployment(gh, {
                ref: gh.ref,
                environment: cfg.environment,
                payload: {
                    digest,
                    source: (0,reference/* formatRef */.rq)({ ...cfg.source, digest }),
                    targets: cfg.targets.map((t) => (0,reference/* formatRef */.rq)(t)),
                },
                description: `promote ${digest.slice(0, 19)} to ${cfg.targets.length} target(s)`,
            });
            await setDeploymentStatus(gh, deploymentId, 'in_progress', 'promoting', gh.logUrl);
            log(`recorded deployment #${deploymentId} in "${cfg.environment}"`);
        }
    };
    let result;
    try {
        result = await (0,promote.promote)({ source: cfg.source, sourceClient, targets, noClobber: cfg.noClobber, log, beforeWrite });
    }
    catch (e) {
        if (gh && deploymentId !== undefined) {
            await setDeploymentStatus(gh, deploymentId, 'failure', e.message, gh.logUrl).catch((err) => log(`could not mark deployment #${deploymentId} failed: ${err.message}`));
        }
        throw e;
    }
    if (gh && deploymentId !== undefined) {
        await setDeploymentStatus(gh, deploymentId, 'success', `promoted ${result.digest.slice(0, 19)}`, gh.logUrl);
    }
    return {
        result,
        clients: [sourceClient, ...targetClients.values()],
        ...(required ? { required } : {}),
        ...(deploymentId !== undefined ? { deploymentId } : {}),
    };
}


/***/ }),

/***/ 398:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   bP: () => (/* binding */ RegistryClient),
/* harmony export */   gl: () => (/* binding */ RegistryError)
/* harmony export */ });
/* unused harmony exports sha256Digest, parseChallenge, isLoopbackRegistry */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(75);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(867);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(996);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(617);
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
        return this.opts.timeoutMs ?? _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.registryRequestMs;
    }
    constructor(opts) {
        this.opts = opts;
        this.registry = opts.registry;
        this.base = `${opts.insecureHttp || isLoopbackRegistry(opts.registry) ? 'http' : 'https'}://${(0,_reference_js__WEBPACK_IMPORTED_MODULE_3__/* .apiHost */ .nz)(opts.registry)}`;
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
            headers: { accept: _media_types_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_TYPES */ ._P.join(', ') },
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
        if (!(0,_media_types_js__WEBPACK_IMPORTED_MODULE_4__/* .isManifestType */ .Q3)(mediaType))
            throw new RegistryError(`manifest ${what}: unsupported media type "${mediaType}"`);
        return { mediaType, digest, bytes };
    }
    /** The digest a tag points to, or undefined when the tag does not exist. */
    async resolveTag(repository, tag) {
        const res = await this.request('HEAD', `/v2/${repository}/manifests/${tag}`, {
            headers: { accept: _media_types_js__WEBPACK_IMPORTED_MODULE_4__/* .MANIFEST_TYPES */ ._P.join(', ') },
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
            const stream = node_stream__WEBPACK_IMPORTED_MODULE_1__.Readable.toWeb((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.createReadStream)(path)).pipeThrough(idle.passThrough());
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


/***/ }),

/***/ 617:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $U: () => (/* binding */ isIndexType),
/* harmony export */   Q3: () => (/* binding */ isManifestType),
/* harmony export */   _P: () => (/* binding */ MANIFEST_TYPES)
/* harmony export */ });
/* unused harmony exports OCI_INDEX, OCI_MANIFEST, DOCKER_LIST, DOCKER_MANIFEST */
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


/***/ }),

/***/ 737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
function backoffDelay(policy, attempt) {
    const d = policy.initialDelayMs * Math.pow(policy.factor, attempt - 1);
    return Math.min(policy.maxDelayMs, d);
}
function sleep(ms, signal) {
    return new Promise((resolve, reject) => {
        if (signal?.aborted)
            return reject(signal.reason ?? new Error('aborted'));
        const t = setTimeout(() => {
            signal?.removeEventListener('abort', onAbort);
            resolve();
        }, ms);
        const onAbort = () => {
            clearTimeout(t);
            reject(signal?.reason ?? new Error('aborted'));
        };
        signal?.addEventListener('abort', onAbort, { once: true });
    });
}
/** Retries `fn` while `retryable(err)` holds, backing off, never starting an attempt past the deadline. */
async function retry(policy, fn, retryable = () => true, signal) {
    let lastErr;
    for (let attempt = 1; attempt <= policy.attempts; attempt++) {
        try {
            return await fn(attempt);
        }
        catch (err) {
            lastErr = err;
            if (attempt === policy.attempts || !retryable(err))
                throw err;
            const delay = backoffDelay(policy, attempt);
            if (policy.deadline !== undefined && Date.now() + delay >= policy.deadline)
                throw err;
            await sleep(delay, signal);
        }
    }
    throw lastErr;
}


/***/ })

};
