import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 27:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _core_promote_config_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(324);
/* harmony import */ var _core_promote_promote_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(292);
/* harmony import */ var _core_promote_run_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(649);
/* harmony import */ var _core_promote_summary_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(528);
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(984);





await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_3__/* .runAction */ .C)('promote', async (ctx) => {
    const cfg = (0,_core_promote_config_js__WEBPACK_IMPORTED_MODULE_0__/* .readPromoteConfig */ .n)(ctx.inputs);
    if (cfg.insecureHttp)
        ctx.warn('insecure-http is on: registries are reached over plain http', 'promote');
    const { result, clients, deploymentId, required } = await (0,_core_promote_run_js__WEBPACK_IMPORTED_MODULE_2__/* .runPromote */ .E)(cfg, { log: ctx.log, signal: ctx.signal });
    const bytes = clients.reduce((a, c) => a + c.stats.bytesUploaded, 0);
    ctx.log(`blob bytes uploaded: ${bytes}`);
    ctx.setOutput('digest', result.digest);
    ctx.setOutput('source', result.source);
    ctx.setOutput('promoted', result.targets.map((t) => t.ref));
    ctx.setOutput('deployment-id', deploymentId ?? '');
    ctx.setOutput('previous', Object.fromEntries(result.targets.map((t) => [t.ref, t.previous ?? null])));
    ctx.setOutput('rollback-ref', (0,_core_promote_promote_js__WEBPACK_IMPORTED_MODULE_1__/* .rollbackRef */ .u)(result));
    ctx.summary((0,_core_promote_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .promoteSummary */ .h)(result, {
        ...(cfg.requireDeployment ? { requireDeployment: cfg.requireDeployment } : {}),
        ...(required ? { requiredId: required.id } : {}),
        ...(cfg.environment ? { environment: cfg.environment } : {}),
        ...(deploymentId !== undefined ? { deploymentId } : {}),
    }));
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 324:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   n: () => (/* binding */ readPromoteConfig)
/* harmony export */ });
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(46);
/* harmony import */ var _lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(996);
/** promote inputs → a validated configuration; nothing touches the network here. */


const ENV_RE = /^[^\s/][^\n]{0,254}$/;
/** GitHub's owner/name: the owner is letters, digits and inner hyphens; the name never `.` or `..` (it goes into API paths). */
const REPOSITORY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
function readGitHub(inputs, env, needed) {
    const token = inputs.secret('github-token');
    if (!token)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('github-token', `is required with \`${needed}\``);
    const repository = inputs.string('repository', env.GITHUB_REPOSITORY ?? '');
    if (!REPOSITORY_RE.test(repository)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('repository', `"${repository}" is not owner/name (letters, digits, -, _ and .; neither part . or ..; needed by \`${needed}\`)`);
    }
    const ref = inputs.string('ref', env.GITHUB_SHA ?? '');
    if (!ref)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('ref', `is required with \`${needed}\` (GITHUB_SHA is not set)`);
    const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
    const logUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${repository}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return { apiUrl, repository, token, ref, ...(logUrl ? { logUrl } : {}) };
}
function credentials(inputs, userInput, passInput) {
    const username = inputs.string(userInput);
    const password = inputs.secret(passInput);
    if (!username && !password)
        return undefined;
    if (!username)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(userInput, `is required when \`${passInput}\` is set`);
    if (!password)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(passInput, `is required when \`${userInput}\` is set`);
    return { username, password };
}
function readPromoteConfig(inputs, env = process.env) {
    const sourceText = inputs.required('source');
    let source;
    try {
        source = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseImageRef */ .Q)(sourceText);
    }
    catch (e) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('source', e.message);
    }
    if (!source.digest && !source.tag) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('source', `"${sourceText}" needs a digest (name@sha256:…) or a tag (name:tag)`);
    }
    const targetTexts = inputs.list('target');
    if (targetTexts.length === 0)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('target', 'is required (one or more name:tag)');
    const targets = [];
    const seen = new Set();
    for (const t of targetTexts) {
        let ref;
        try {
            ref = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .parseImageRef */ .Q)(t);
        }
        catch (e) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('target', e.message);
        }
        if (ref.digest)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('target', `"${t}": a target is name:tag, not a digest reference`);
        if (!ref.tag)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('target', `"${t}" needs a tag (name:tag)`);
        const key = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_1__/* .formatRef */ .rq)(ref);
        if (seen.has(key))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz('target', `"${t}" is listed twice`);
        seen.add(key);
        targets.push(ref);
    }
    const sourceCredentials = credentials(inputs, 'username', 'password');
    const targetCredentials = credentials(inputs, 'target-username', 'target-password') ?? sourceCredentials;
    const requireDeployment = inputs.string('require-deployment');
    const environment = inputs.string('environment');
    for (const [name, value] of [
        ['require-deployment', requireDeployment],
        ['environment', environment],
    ]) {
        if (value && !ENV_RE.test(value))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_0__/* .InputError */ .dz(name, `"${value}" is not an environment name`);
    }
    const github = requireDeployment || environment
        ? readGitHub(inputs, env, requireDeployment ? 'require-deployment' : 'environment')
        : undefined;
    return {
        source,
        ...(requireDeployment ? { requireDeployment } : {}),
        ...(environment ? { environment } : {}),
        ...(github ? { github } : {}),
        targets,
        ...(sourceCredentials ? { sourceCredentials } : {}),
        ...(targetCredentials ? { targetCredentials } : {}),
        noClobber: inputs.boolean('no-clobber', false),
        insecureHttp: inputs.boolean('insecure-http', false),
    };
}


/***/ }),

/***/ 292:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   p: () => (/* binding */ promote),
/* harmony export */   u: () => (/* binding */ rollbackRef)
/* harmony export */ });
/* harmony import */ var _lib_oci_client_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(398);
/* harmony import */ var _lib_oci_media_types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(617);
/* harmony import */ var _lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(996);
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

/***/ 649:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  E: () => (/* binding */ runPromote)
});

// EXTERNAL MODULE: ./src/lib/oci/client.ts
var client = __nccwpck_require__(398);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
;// CONCATENATED MODULE: ./src/core/promote/deployments.ts
/**
 * The GitHub Deployments REST API, as much as promote needs: find a successful deployment of a digest in an
 * environment (require-deployment) and record a promotion as a deployment with in_progress → success/failure.
 */

class DeploymentsError extends Error {
    constructor(message) {
        super(message);
        this.name = 'DeploymentsError';
    }
}
async function api(gh, method, path, body) {
    const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
    const signals = [AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs)];
    if (gh.signal)
        signals.push(gh.signal);
    const res = await fetch(url, {
        method,
        headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${gh.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'deploy-kit-promote',
            ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: AbortSignal.any(signals),
    });
    const text = await res.text();
    if (!res.ok) {
        let msg = text.slice(0, 300);
        try {
            msg = JSON.parse(text).message ?? msg;
        }
        catch {
            /* not JSON */
        }
        throw new DeploymentsError(`GitHub API ${method} ${path.split('?')[0]}: ${res.status} ${msg}`);
    }
    return JSON.parse(text);
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
 * The newest deployment of `digest` in `environment` whose latest status is `success`.
 * Throws naming what was found when there is none (no deployment, or only ones that did not succeed).
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
                return { id: d.id, environment, createdAt: d.created_at };
            seen.push(`#${d.id} (${latest})`);
        }
        if (list.length < 100)
            break;
    }
    throw new DeploymentsError(`require-deployment: no successful deployment of ${digest} in environment "${environment}"` +
        (seen.length ? `; found ${seen.join(', ')}` : ''));
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
        throw new DeploymentsError('GitHub API POST /deployments: no deployment id returned');
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
var promote = __nccwpck_require__(292);
// EXTERNAL MODULE: ./src/lib/oci/reference.ts
var reference = __nccwpck_require__(996);
;// CONCATENATED MODULE: ./src/core/promote/run.ts




/** Builds one client for the source and one per target registry, then promotes. */
async function runPromote(cfg, opts = {}) {
    const log = opts.log ?? (() => undefined);
    const make = (registry, credentials) => new client/* RegistryClient */.bP({
        registry,
        insecureHttp: cfg.insecureHttp,
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
            required = await findSuccessfulDeployment(gh, cfg.requireDeployment, digest);
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
        result = await (0,promote/* promote */.p)({ source: cfg.source, sourceClient, targets, noClobber: cfg.noClobber, log, beforeWrite });
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

/***/ 528:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   h: () => (/* binding */ promoteSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(119);

function promoteSummary(r, d = {}) {
    const rows = r.targets.map((t) => [
        t.ref,
        t.action,
        t.previous ?? '—',
        String(t.manifests),
        `${t.blobs.mounted} / ${t.blobs.copied} / ${t.blobs.present}`,
    ]);
    return ((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`promote: ✅ ${r.digest}`) +
        `\nSource \`${r.source}\`${r.resolvedFromTag ? ` (resolved from tag \`${r.resolvedFromTag}\`)` : ''}, ` +
        `${r.mediaType}${r.children ? `, ${r.children} child manifest(s)` : ''}.\n\n` +
        (d.requireDeployment && d.requiredId !== undefined
            ? `Required: deployment #${d.requiredId} of this digest in \`${d.requireDeployment}\` succeeded.\n\n`
            : '') +
        (d.environment && d.deploymentId !== undefined
            ? `Recorded as deployment #${d.deploymentId} in \`${d.environment}\`.\n\n`
            : '') +
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['target', 'result', 'previous digest', 'manifests', 'blobs mounted / copied / present'], rows));
}


/***/ }),

/***/ 984:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./src/lib/cleanup-state.ts



/**
 * What a main step leaves for its post step to clean, and the post step's proof that it may.
 *
 * A main step that can be killed (SIGKILL leaves no `finally`) records every private temp dir it makes in
 * the action state *before* making it; the post step removes only paths it can prove main made: absolute,
 * already normal (no `..`, `.`, `//`, trailing `/`), directly under RUNNER_TEMP, named exactly
 * `deploy-kit-<kind>-<32 hex>` (the random token main chose and recorded), a real directory (not a link)
 * owned by this user. Anything else in the state is ignored, whoever wrote it.
 */
/** The state key holding the JSON list of temp dirs main made. */
const TEMP_PATHS_STATE = 'deploy-kit-temp-paths';
/** The state key under which the SSH key folder is recorded (written by the target layer's openTargets). */
const SSH_DIR_STATE = 'deploy-kit-ssh-dir';
const TOKEN_DIR = /^deploy-kit-[a-z][a-z0-9]{0,19}-[0-9a-f]{32}$/;
/** SshSession's folder: mkdtemp's six random characters. */
const SSH_DIR = /^deploy-kit-ssh-[A-Za-z0-9]{6}$/;
/** How many temp dirs one run records at most (a loop that makes more is a bug, not a reason to grow state). */
const MAX_RECORDED = 64;
let saver;
let recorded = (/* unused pure expression or super */ null && ([]));
/** Called once by the action entry wrapper: where recorded paths go (core.saveState). Tests leave it unset. */
function recordTempPathsWith(save) {
    saver = save;
    recorded = [];
}
/** The folder temp dirs go under: RUNNER_TEMP on a runner, the OS temp dir elsewhere. */
function tempRoot(env = process.env) {
    return env.RUNNER_TEMP || tmpdir();
}
/**
 * A new private (0700) directory `<root>/deploy-kit-<kind>-<32 hex>`, recorded for the post step before it
 * exists, so a main step killed at any point leaves nothing the post step does not know about.
 */
function makeRecordedTempDir(kind, root = tempRoot()) {
    if (!/^[a-z][a-z0-9]{0,19}$/.test(kind))
        throw new Error(`temp dir kind "${kind}" must be lowercase letters/digits`);
    for (let attempt = 0; attempt < 5; attempt++) {
        // node:crypto loaded on first use, not at start-up (cold start of every bundle).
        const hex = process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex');
        const dir = join(resolve(root), `deploy-kit-${kind}-${hex}`);
        if (saver && recorded.length < MAX_RECORDED) {
            recorded.push(dir);
            saver(TEMP_PATHS_STATE, JSON.stringify(recorded));
        }
        try {
            mkdirSync(dir, { mode: 0o700 });
        }
        catch (e) {
            if (e.code === 'EEXIST')
                continue;
            throw e;
        }
        chmodSync(dir, 0o700);
        return dir;
    }
    throw new Error(`could not make a temp dir under ${root}: five random names were taken`);
}
/**
 * The path itself when the post step may remove it, else why not. `pattern` is the exact name main gives
 * its directories.
 */
function provableTempPath(value, runnerTemp, pattern = TOKEN_DIR) {
    if (!value)
        return { refused: 'nothing recorded' };
    if (!runnerTemp || !isAbsolute(runnerTemp))
        return { refused: 'RUNNER_TEMP is not set to an absolute path' };
    if (!isAbsolute(value))
        return { refused: 'not an absolute path' };
    // resolve() normalizes: a value that changes under it held `..`, `.`, `//` or a trailing slash.
    if (resolve(value) !== value || value.split('/').includes('..'))
        return { refused: 'not a normal path' };
    if (dirname(value) !== resolve(runnerTemp))
        return { refused: 'not directly under RUNNER_TEMP' };
    if (!pattern.test(basename(value)))
        return { refused: 'not a name this action gives its temp dirs' };
    let st;
    try {
        st = lstatSync(value);
    }
    catch {
        return { refused: 'already gone' };
    }
    if (st.isSymbolicLink() || !st.isDirectory())
        return { refused: 'not a real directory' };
    if (typeof process.getuid === 'function' && st.uid !== process.getuid())
        return { refused: 'owned by another user' };
    return { path: value };
}
/** The recorded paths of a state value (a JSON list of strings); anything else is an empty list. */
function recordedPaths(value) {
    if (!value)
        return [];
    try {
        const v = JSON.parse(value);
        return Array.isArray(v) ? v.filter((p) => typeof p === 'string').slice(0, MAX_RECORDED) : [];
    }
    catch {
        return [];
    }
}
/**
 * The post step of every action that makes temp files: removes the SSH key folder and every temp dir main
 * recorded, each only when provable. Free of @actions/core (reads STATE_* itself) so it starts at once.
 * Returns what it removed (for tests and the log).
 */
function cleanupRecordedState(env = process.env, log = (l) => void process.stdout.write(`${l}\n`)) {
    const removed = [];
    const candidates = [
        [env[`STATE_${SSH_DIR_STATE}`], SSH_DIR],
        ...recordedPaths(env[`STATE_${TEMP_PATHS_STATE}`]).map((p) => [p, TOKEN_DIR]),
    ];
    for (const [value, pattern] of candidates) {
        const r = provableTempPath(value, env.RUNNER_TEMP, pattern);
        if ('path' in r) {
            rmSync(r.path, { recursive: true, force: true });
            removed.push(r.path);
        }
    }
    if (removed.length)
        log(`removed ${removed.length} temp folder(s) left by the main step (keys, credentials, copies)`);
    return removed;
}

// EXTERNAL MODULE: ./src/lib/inputs.ts + 1 modules
var inputs = __nccwpck_require__(46);
;// CONCATENATED MODULE: ./src/lib/output.ts
/**
 * The one path from streamed output (a host, a container, a child process) to the job log:
 *
 *   chunks ─▶ LineBuffer (whole lines, bounded length) ─▶ redact ─▶ neutralize ─▶ runner stdout
 *
 * Whole lines first, so a secret that arrives in two chunks is still one string when the redactor (and
 * GitHub's own masking) sees it. Then every line that the runner would read as a workflow command
 * (`::name::…`, or the legacy `##[name]…`, after leading white space) is wrapped in
 * `::stop-commands::<token>` … `::<token>::` with a token drawn once per process: the runner shows the
 * line and acts on nothing in it (no annotation, no mask, no state, no output).
 */
/** Longest line kept whole; a longer run without a line break is cut into lines of this length. */
const MAX_LINE = (/* unused pure expression or super */ null && (64 * 1024));
/** Splits a stream into lines at \n, \r\n and \r (the runner reads a lone \r as a line end too). */
class LineBuffer {
    emit;
    maxLine;
    pending = '';
    decoder = new (process.getBuiltinModule('node:string_decoder').StringDecoder)('utf8');
    constructor(emit, maxLine = MAX_LINE) {
        this.emit = emit;
        this.maxLine = maxLine;
    }
    push(chunk) {
        this.pending += typeof chunk === 'string' ? chunk : this.decoder.write(chunk);
        const re = /\r\n|\r|\n/g;
        let start = 0;
        let m;
        while ((m = re.exec(this.pending)) !== null) {
            // A \r at the very end may be the first half of \r\n: wait for the next chunk.
            if (m[0] === '\r' && m.index === this.pending.length - 1)
                break;
            this.emitBounded(this.pending.slice(start, m.index));
            start = m.index + m[0].length;
        }
        this.pending = this.pending.slice(start);
        while (this.pending.length > this.maxLine && !this.pending.endsWith('\r')) {
            this.emit(this.pending.slice(0, this.maxLine));
            this.pending = this.pending.slice(this.maxLine);
        }
    }
    /** Emits what is left (a last line without a line break). */
    flush() {
        this.pending += this.decoder.end();
        const rest = this.pending.replace(/\r$/, '');
        this.pending = '';
        if (rest)
            this.emitBounded(rest);
    }
    emitBounded(line) {
        for (let i = 0; i < line.length || i === 0; i += this.maxLine) {
            this.emit(line.slice(i, i + this.maxLine));
            if (line.length === 0)
                break;
        }
    }
}
// Drawn on first use (node:crypto loads then, not at start-up), once per process.
let stopToken;
const token = () => (stopToken ??= process.getBuiltinModule('node:crypto').randomBytes(16).toString('hex'));
/** A line the runner would act on: `::…` or `##[…`, after leading white space. */
const LOOKS_LIKE_COMMAND = /^\s*(::|##\[)/;
/**
 * Text as the runner may print it: each line that looks like a workflow command is wrapped in
 * stop-commands with this process's token; other lines pass as they are. Line breaks of every kind
 * become \n (the runner reads \r as one too, so a bare \r cannot smuggle a second line past this).
 */
function neutralize(text) {
    const lines = text.split(/\r\n|\r|\n/);
    if (!lines.some((l) => LOOKS_LIKE_COMMAND.test(l)))
        return lines.join('\n');
    return lines
        .map((l) => (LOOKS_LIKE_COMMAND.test(l) ? `::stop-commands::${token()}\n${l}\n::${token()}::` : l))
        .join('\n');
}
/** `onStdout`/`onStderr` for ExecOptions that log whole lines, optionally prefixed. */
function streamLogger(log, prefix = '') {
    const out = new LineBuffer((l) => log(prefix + l));
    const err = new LineBuffer((l) => log(prefix + l));
    return {
        onStdout: (c) => out.push(c),
        onStderr: (c) => err.push(c),
        flush: () => {
            out.flush();
            err.flush();
        },
    };
}

// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __nccwpck_require__(119);
;// CONCATENATED MODULE: ./src/lib/redact.ts

/** Replaces every known secret in text with ***, longest first so overlapping secrets all vanish. */
class Redactor {
    secrets = [];
    add(secret) {
        if (!secret || secret.length < 3)
            return;
        // The forms a secret takes once escaped for a summary table cell or inside a JSON string: `|`, `\`, `<`,
        // quotes and newlines change its bytes, and the plain value would no longer be found there.
        for (const form of [secret, (0,summary/* escapeCell */.kq)(secret), JSON.stringify(secret).slice(1, -1)]) {
            if (!this.secrets.includes(form))
                this.secrets.push(form);
        }
        this.secrets.sort((a, b) => b.length - a.length);
    }
    redact(text) {
        let out = text;
        for (const s of this.secrets)
            if (out.includes(s))
                out = out.split(s).join('***');
        // Credentials inside URLs (scheme://user:pass@host) even when not registered.
        return redactUrlCredentials(out);
    }
    /** Every string inside a value (an output object) redacted, keys included; the shape is kept. */
    redactDeep(value) {
        return redactValue(this, value, 0);
    }
}
function redactValue(r, value, depth) {
    if (typeof value === 'string')
        return r.redact(value);
    if (depth > 64 || value === null || typeof value !== 'object')
        return value;
    if (Array.isArray(value))
        return value.map((v) => redactValue(r, v, depth + 1));
    const out = {};
    for (const [k, v] of Object.entries(value)) {
        out[r.redact(k)] = redactValue(r, v, depth + 1);
    }
    return out;
}
/** Whitespace, `/` or `@` end a password; `:` too ends the user part. */
function endsPassword(c) {
    return c === 0x2f || c === 0x40 || c === 0x20 || (c >= 0x09 && c <= 0x0d);
}
function isLetter(c) {
    return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
/** A scheme character: a letter, a digit, `+`, `.` or `-`. */
function isSchemeChar(c) {
    return isLetter(c) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2e || c === 0x2d;
}
/**
 * Replaces the password of every `scheme://user:password@` in text with ***, in one pass: each scan starts
 * at a `://` and stops at the next `/` or whitespace, so no character is looked at more than a few times
 * (a regex with a scheme prefix re-scans long runs of letters from every start position: quadratic).
 */
function redactUrlCredentials(text) {
    let from = 0;
    let out = '';
    let copied = 0;
    const n = text.length;
    for (;;) {
        const sep = text.indexOf('://', from);
        if (sep < 0)
            break;
        from = sep + 3;
        if (!hasScheme(text, sep))
            continue;
        let i = sep + 3;
        for (let c = text.charCodeAt(i); i < n && !endsPassword(c) && c !== 0x3a; c = text.charCodeAt(++i))
            ;
        if (text.charCodeAt(i) !== 0x3a)
            continue;
        const pwStart = i + 1;
        let j = pwStart;
        for (let c = text.charCodeAt(j); j < n && !endsPassword(c); c = text.charCodeAt(++j))
            ;
        if (text.charCodeAt(j) !== 0x40 || j === pwStart)
            continue;
        out += text.slice(copied, pwStart) + '***';
        copied = j;
        from = j;
    }
    return copied === 0 ? text : out + text.slice(copied);
}
/** A scheme (a letter, then letters, digits, `+`, `.`, `-`) ends right before `://` at `sep`. */
function hasScheme(text, sep) {
    // The backward walk stops at the first non-scheme character; `:` and `/` are not scheme characters,
    // so walks from different separators never overlap.
    for (let k = sep - 1; k >= 0; k--) {
        const c = text.charCodeAt(k);
        if (!isSchemeChar(c))
            return false;
        if (isLetter(c))
            return true;
    }
    return false;
}
/** The URL without `user:password@` (for anything reported back: outputs, summaries, messages). */
function stripUserinfo(url) {
    try {
        const u = new URL(url);
        if (!u.username && !u.password)
            return url;
        u.username = '';
        u.password = '';
        return u.toString();
    }
    catch {
        return url.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)[^/@\s]*@/, '$1');
    }
}

;// CONCATENATED MODULE: ./src/lib/workflow-io.ts


/**
 * The runner protocol an action speaks, as GitHub documents it (workflow commands on stdout, file commands
 * in GITHUB_OUTPUT / GITHUB_STATE / GITHUB_STEP_SUMMARY), in the few lines this suite needs. It replaces
 * @actions/core at run time: that package loads an HTTP client (for OIDC tokens) on import, which was most of
 * every bundle's start-up cost. Formats are the same as @actions/core 3 writes.
 */
function escapeData(s) {
    return s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}
function escapeProperty(s) {
    return escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');
}
/** `::name key=value,…::message` on stdout. */
function issueCommand(name, props, message) {
    const p = Object.entries(props)
        .filter(([, v]) => v)
        .map(([k, v]) => `${k}=${escapeProperty(v)}`)
        .join(',');
    process.stdout.write(`::${name}${p ? ` ${p}` : ''}::${escapeData(message)}${external_node_os_.EOL}`);
}
/** An input as the runner passes it (INPUT_<NAME>), trimmed. */
function getInput(name) {
    return (process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] ?? '').trim();
}
function setSecret(value) {
    issueCommand('add-mask', {}, value);
}
function info(line) {
    process.stdout.write(line + external_node_os_.EOL);
}
function debug(message) {
    issueCommand('debug', {}, message);
}
function warning(message, title) {
    issueCommand('warning', { title }, message);
}
function setFailed(message) {
    process.exitCode = 1;
    issueCommand('error', {}, message);
}
/** `name<<delimiter … delimiter` into GITHUB_<kind>, the delimiter random per value. */
function fileCommand(kind, name, value) {
    const path = process.env[`GITHUB_${kind}`];
    if (!path) {
        // Outside a runner (or an old one): the deprecated stdout form.
        issueCommand(kind === 'OUTPUT' ? 'set-output' : 'save-state', { name }, value);
        return;
    }
    if (!(0,external_node_fs_.existsSync)(path))
        throw new Error(`Missing file at path: ${path}`);
    const delimiter = `ghadelimiter_${process.getBuiltinModule('node:crypto').randomUUID()}`;
    if (name.includes(delimiter) || value.includes(delimiter))
        throw new Error('value contains the delimiter');
    (0,external_node_fs_.appendFileSync)(path, `${name}<<${delimiter}${external_node_os_.EOL}${value}${external_node_os_.EOL}${delimiter}${external_node_os_.EOL}`, { encoding: 'utf8' });
}
function setOutput(name, value) {
    fileCommand('OUTPUT', name, value);
}
function saveState(name, value) {
    fileCommand('STATE', name, value);
}
/** Appends markdown to the job summary (no-op outside a runner). */
function appendSummary(markdown) {
    const path = process.env.GITHUB_STEP_SUMMARY;
    if (path)
        (0,external_node_fs_.appendFileSync)(path, markdown, { encoding: 'utf8' });
}

;// CONCATENATED MODULE: ./src/lib/action.ts





/**
 * The one entry wrapper: builds the context, runs the action, maps any error to a failed step with
 * a redacted message, writes the summary. Action entries stay small: inputs → core → outputs.
 */
async function runAction(name, main, 
/** notifyOnFailure (default true): a failed step notifies the channels of its `notify-*` inputs, if any. */
opts = {}) {
    const redactor = new Redactor();
    // Temp dirs made during the run are recorded in the state, so the post step can remove them after a kill.
    recordTempPathsWith((k, v) => saveState(k, v));
    const controller = new AbortController();
    const onSignal = (sig) => {
        warning(`${name}: received ${sig}; cancelling and cleaning up`);
        controller.abort(new Error(`cancelled by ${sig}`));
    };
    process.once('SIGINT', onSignal);
    process.once('SIGTERM', onSignal);
    const parts = [];
    const addSecret = (secret) => {
        setSecret(secret);
        redactor.add(secret);
    };
    const ctx = {
        inputs: new inputs/* Inputs */.G0((n) => getInput(n), addSecret),
        redactor,
        addSecret,
        signal: controller.signal,
        // Redacted, then neutralized: a line from a server or a child can never act as a workflow command.
        log: (line) => info(neutralize(redactor.redact(line))),
        warn: (message, title) => warning(redactor.redact(message), title),
        // Step outputs are files GitHub does not mask: every value is redacted with every secret the run knows
        // (strings inside an object before it is serialized, so escaping cannot hide one; the JSON again after).
        setOutput: (key, value) => setOutput(key, redactor.redact(typeof value === 'object' ? JSON.stringify(redactor.redactDeep(value)) : String(value))),
        saveState: (key, value) => saveState(key, value),
        summary: (md) => parts.push(md),
    };
    try {
        await main(ctx);
    }
    catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        setFailed(redactor.redact(message));
        if (err instanceof Error && err.stack && process.env.RUNNER_DEBUG === '1') {
            debug(redactor.redact(err.stack));
        }
        if (opts.notifyOnFailure !== false) {
            // Loaded only on this path: a step that succeeds never pays for the notifiers.
            const { notifyFailure } = await __nccwpck_require__.e(/* import() */ 419).then(__nccwpck_require__.bind(__nccwpck_require__, 419));
            parts.push(await notifyFailure(name, ctx.inputs, redactor.redact(message), ctx));
        }
    }
    finally {
        process.removeListener('SIGINT', onSignal);
        process.removeListener('SIGTERM', onSignal);
        if (parts.length > 0 && process.env.GITHUB_STEP_SUMMARY) {
            try {
                appendSummary(redactor.redact(parts.join('\n')));
            }
            catch (e) {
                warning(`could not write the job summary: ${e.message}`);
            }
        }
    }
}


/***/ }),

/***/ 268:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   d: () => (/* binding */ InputError)
/* harmony export */ });
/** The one error for a bad input: the message always starts by naming the input, so the fix is obvious. */
class InputError extends Error {
    input;
    constructor(input, message) {
        super(`input \`${input}\`: ${message}`);
        this.input = input;
        this.name = 'InputError';
    }
}


/***/ }),

/***/ 46:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  dz: () => (/* reexport */ errors/* InputError */.d),
  G0: () => (/* binding */ Inputs)
});

// UNUSED EXPORTS: parseEnvBlock, parseList

;// CONCATENATED MODULE: ./src/lib/duration.ts
const UNITS = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
/**
 * The longest wait Node's timers can hold (2^31 - 1 ms, about 596 h): a longer delay overflows and fires
 * after ~1 ms, so every duration above it is refused instead of silently becoming "now".
 */
const MAX_DURATION_MS = 2 ** 31 - 1;
/** Parses `500ms`, `30s`, `5m`, `1h`, `1m30s` or bare seconds (`10`, `2.5`) into milliseconds. */
function parseDuration(text) {
    const s = text.trim();
    if (/^\d+(\.\d+)?$/.test(s))
        return capped(text, Math.round(Number(s) * 1000));
    const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
    let total = 0;
    let matched = 0;
    let m;
    while ((m = re.exec(s)) !== null) {
        total += Number(m[1]) * UNITS[m[2]];
        matched = re.lastIndex;
    }
    if (s === '' || matched !== s.length) {
        throw new Error(`"${text}" is not a duration; use 500ms, 30s, 5m, 1h or a number of seconds`);
    }
    return capped(text, Math.round(total));
}
function capped(text, ms) {
    if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
        throw new Error(`"${text.trim().slice(0, 40)}" is too long: the longest duration is 596h (2^31-1 ms, the most a timer can wait); use a shorter one`);
    }
    return ms;
}
function formatDuration(ms) {
    if (ms < 1000)
        return `${Math.round(ms)} ms`;
    if (ms < 60_000)
        return `${(ms / 1000).toFixed(1)} s`;
    const m = Math.floor(ms / 60_000);
    const s = Math.round((ms % 60_000) / 1000);
    return `${m} min ${s} s`;
}

// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __nccwpck_require__(268);
;// CONCATENATED MODULE: ./src/lib/inputs.ts



/** Reads typed inputs; every failure names the input and what was expected. */
class Inputs {
    source;
    onSecret;
    constructor(source, 
    /** Called for each secret value read, so it can be masked before anything prints. */
    onSecret = () => undefined) {
        this.source = source;
        this.onSecret = onSecret;
    }
    raw(name) {
        return (this.source(name) ?? '').trim();
    }
    string(name, fallback = '') {
        return this.raw(name) || fallback;
    }
    required(name) {
        const v = this.raw(name);
        if (!v)
            throw new errors/* InputError */.d(name, 'is required');
        return v;
    }
    /** A secret is masked as soon as it is read. Multi-line secrets are masked line by line too. */
    secret(name) {
        const v = (this.source(name) ?? '').trim();
        if (v) {
            this.onSecret(v);
            for (const line of v.split(/\r?\n/))
                if (line.trim().length >= 4)
                    this.onSecret(line.trim());
        }
        return v;
    }
    boolean(name, fallback) {
        const v = this.raw(name).toLowerCase();
        if (!v)
            return fallback;
        if (['true', 'yes', '1', 'on'].includes(v))
            return true;
        if (['false', 'no', '0', 'off'].includes(v))
            return false;
        throw new errors/* InputError */.d(name, `"${this.raw(name)}" is not a boolean; use true or false`);
    }
    choice(name, choices, fallback) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (choices.includes(v))
            return v;
        throw new errors/* InputError */.d(name, `"${v}" is not one of ${choices.join(', ')}`);
    }
    /** Milliseconds; rejects negatives and garbage. */
    duration(name, fallback, opts = {}) {
        const v = this.raw(name) || fallback;
        if (v.startsWith('-'))
            throw new errors/* InputError */.d(name, `"${v}" is negative; durations must be 0 or more`);
        let ms;
        try {
            ms = parseDuration(v);
        }
        catch (e) {
            throw new errors/* InputError */.d(name, e.message);
        }
        if (opts.min !== undefined && ms < opts.min) {
            throw new errors/* InputError */.d(name, `"${v}" is too short; at least ${opts.min} ms`);
        }
        return ms;
    }
    integer(name, fallback, opts = {}) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (!/^-?\d+$/.test(v))
            throw new errors/* InputError */.d(name, `"${v}" is not a whole number`);
        const n = Number(v);
        if (opts.min !== undefined && n < opts.min)
            throw new errors/* InputError */.d(name, `${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max)
            throw new errors/* InputError */.d(name, `${n} is above the maximum ${opts.max}`);
        return n;
    }
    number(name, fallback, opts = {}) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (!/^-?\d+(\.\d+)?$/.test(v))
            throw new errors/* InputError */.d(name, `"${v}" is not a number`);
        const n = Number(v);
        if (opts.min !== undefined && n < opts.min)
            throw new errors/* InputError */.d(name, `${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max)
            throw new errors/* InputError */.d(name, `${n} is above the maximum ${opts.max}`);
        return n;
    }
    /** Newline- or comma-separated list; blank entries and `#` comment lines dropped. */
    list(name) {
        return parseList(this.raw(name));
    }
    /** Newline-separated list only (entries may contain commas, e.g. commands). */
    lines(name) {
        return this.raw(name)
            .split(/\r?\n/)
            .map((l) => l.trim())
            .filter((l) => l && !l.startsWith('#'));
    }
    /** Multiline KEY=VALUE; values are masked when `secret` (the default: env often carries secrets). */
    env(name, secret = true) {
        const text = secret ? this.secret(name) : this.raw(name);
        try {
            const env = parseEnvBlock(text);
            if (secret)
                for (const v of Object.values(env))
                    if (v.length >= 4)
                        this.onSecret(v);
            return env;
        }
        catch (e) {
            throw new errors/* InputError */.d(name, e.message);
        }
    }
    /** `Name: value` lines; values masked (Authorization headers are secrets). */
    headers(name) {
        const text = this.secret(name);
        const out = {};
        for (const line of text.split(/\r?\n/)) {
            const l = line.trim();
            if (!l || l.startsWith('#'))
                continue;
            const m = /^([!#$%&'*+\-.^_`|~0-9A-Za-z]+)\s*:\s*(.*)$/.exec(l);
            if (!m)
                throw new errors/* InputError */.d(name, `"${l.slice(0, 40)}" is not a \`Name: value\` header line`);
            out[m[1]] = m[2];
            if (m[2].length >= 4)
                this.onSecret(m[2]);
        }
        return out;
    }
}
function parseList(text) {
    return text
        .split(/\r?\n/)
        .filter((l) => !l.trim().startsWith('#'))
        .flatMap((l) => l.split(','))
        .map((s) => s.trim())
        .filter(Boolean);
}
function parseEnvBlock(text) {
    const env = {};
    for (const line of text.split(/\r?\n/)) {
        if (!line.trim() || line.trim().startsWith('#'))
            continue;
        const eq = line.indexOf('=');
        if (eq <= 0)
            throw new Error(`"${line.slice(0, 40)}" is not KEY=VALUE`);
        const key = line.slice(0, eq).trim();
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            throw new Error(`"${key}" is not a valid variable name`);
        env[key] = line.slice(eq + 1);
    }
    return env;
}


/***/ }),

/***/ 398:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   bP: () => (/* binding */ RegistryClient),
/* harmony export */   gl: () => (/* binding */ RegistryError)
/* harmony export */ });
/* unused harmony exports sha256Digest, parseChallenge, isLoopbackRegistry */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(75);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(867);
/* harmony import */ var _reference_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(996);
/* harmony import */ var _media_types_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(617);
/**
 * A small OCI distribution API client on fetch: manifests kept as raw bytes and verified by sha256, blobs
 * checked, mounted across repositories or streamed from another registry, basic and Bearer token auth.
 */





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
    get timeoutMs() {
        return this.opts.timeoutMs ?? _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.registryRequestMs;
    }
    constructor(opts) {
        this.opts = opts;
        this.registry = opts.registry;
        this.base = `${opts.insecureHttp || isLoopbackRegistry(opts.registry) ? 'http' : 'https'}://${(0,_reference_js__WEBPACK_IMPORTED_MODULE_4__/* .apiHost */ .nz)(opts.registry)}`;
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
    async fetchToken(params) {
        const realm = params.realm;
        if (!realm)
            throw new RegistryError(`${this.registry}: Bearer challenge without realm`, 401);
        const u = new URL(realm);
        if (params.service)
            u.searchParams.set('service', params.service);
        for (const scope of (params.scope ?? '').split(' ').filter(Boolean))
            u.searchParams.append('scope', scope);
        const headers = {};
        if (this.opts.credentials)
            headers.authorization = basicAuth(this.opts.credentials);
        this.stats.requests++;
        const res = await fetch(u, { headers, signal: AbortSignal.timeout(this.timeoutMs) });
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
            headers: { accept: _media_types_js__WEBPACK_IMPORTED_MODULE_3__/* .MANIFEST_TYPES */ ._P.join(', ') },
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
        if (!(0,_media_types_js__WEBPACK_IMPORTED_MODULE_3__/* .isManifestType */ .Q3)(mediaType))
            throw new RegistryError(`manifest ${what}: unsupported media type "${mediaType}"`);
        return { mediaType, digest, bytes };
    }
    /** The digest a tag points to, or undefined when the tag does not exist. */
    async resolveTag(repository, tag) {
        const res = await this.request('HEAD', `/v2/${repository}/manifests/${tag}`, {
            headers: { accept: _media_types_js__WEBPACK_IMPORTED_MODULE_3__/* .MANIFEST_TYPES */ ._P.join(', ') },
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
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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

/***/ 996:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ parseImageRef),
/* harmony export */   nz: () => (/* binding */ apiHost),
/* harmony export */   rq: () => (/* binding */ formatRef)
/* harmony export */ });
/* unused harmony exports maskReference, isDigest */
/** Image references: `[registry/]repository[:tag][@sha256:…]`, parsed without touching the network. */
const DIGEST_RE = /^sha256:[a-f0-9]{64}$/;
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const REPO_RE = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
/** A registry: a host name, an IPv4 address or a bracketed IPv6 address, with an optional port. */
const REGISTRY_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** A reference for messages: whatever precedes an `@` that is not a digest (credentials) becomes ***. */
function maskReference(text) {
    return text.replace(/^(?:[A-Za-z][A-Za-z0-9+.-]*:\/\/)?[^@]*@(?!sha256:)/, (m) => m.includes('://') ? `${m.slice(0, m.indexOf('://') + 3)}***@` : '***@');
}
function isDigest(s) {
    return DIGEST_RE.test(s);
}
/** Parses a reference; throws a plain Error describing what is wrong (callers prefix the input name). */
function parseImageRef(text) {
    const raw = text.trim();
    if (!raw)
        throw new Error('empty image reference');
    // `user:password@registry/…` (or a URL): say so without echoing what came before the `@`.
    const at0 = raw.indexOf('@');
    if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(raw) || (at0 >= 0 && !raw.slice(at0 + 1).startsWith('sha256:'))) {
        throw new Error(`"${maskReference(raw)}" holds credentials or a URL; give registry/repository[:tag][@sha256:…] and the credentials in their own inputs`);
    }
    const s = raw;
    if (/\s/.test(s))
        throw new Error(`"${s}" contains whitespace`);
    if (s.startsWith('-'))
        throw new Error(`"${s}" starts with "-"`);
    let rest = s;
    let digest;
    const at = rest.indexOf('@');
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!isDigest(digest))
            throw new Error(`"${s}": digest must be sha256: followed by 64 lowercase hex digits`);
    }
    let tag;
    const lastSlash = rest.lastIndexOf('/');
    const colon = rest.lastIndexOf(':');
    if (colon > lastSlash) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG_RE.test(tag))
            throw new Error(`"${s}": "${tag}" is not a valid tag`);
    }
    let registry = 'docker.io';
    const first = rest.split('/')[0];
    if (rest.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')) {
        if (!REGISTRY_RE.test(first))
            throw new Error(`"${s}": "${first}" is not a registry host[:port]`);
        registry = first;
        rest = rest.slice(first.length + 1);
    }
    else if (!rest.includes('/')) {
        rest = `library/${rest}`;
    }
    if (!REPO_RE.test(rest))
        throw new Error(`"${s}": "${rest}" is not a valid repository name`);
    return { registry, repository: rest, ...(tag ? { tag } : {}), ...(digest ? { digest } : {}) };
}
function formatRef(ref) {
    return `${ref.registry}/${ref.repository}${ref.tag ? `:${ref.tag}` : ''}${ref.digest ? `@${ref.digest}` : ''}`;
}
/** The API host for a registry name (Docker Hub's API lives elsewhere). */
function apiHost(registry) {
    return registry === 'docker.io' ? 'registry-1.docker.io' : registry;
}


/***/ }),

/***/ 119:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Qj: () => (/* binding */ markdownTable),
/* harmony export */   R_: () => (/* binding */ heading),
/* harmony export */   kq: () => (/* binding */ escapeCell)
/* harmony export */ });
/**
 * Markdown for job summaries; every cell escaped so output from servers cannot break the table. `<` is escaped
 * before line breaks become `<br>`, so a break shows as a break and text from a server never opens a tag.
 */
function escapeCell(text) {
    return text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/</g, '&lt;').replace(/\r?\n/g, '<br>');
}
function markdownTable(header, rows) {
    const line = (cells) => `| ${cells.map(escapeCell).join(' | ')} |`;
    return [line(header), `| ${header.map(() => '---').join(' | ')} |`, ...rows.map(line)].join('\n') + '\n';
}
function heading(text, level = 3) {
    return `${'#'.repeat(level)} ${text}\n`;
}


/***/ }),

/***/ 867:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ TIMEOUTS)
/* harmony export */ });
/**
 * Every fixed time limit of the suite, named once. Limits a user sets come from inputs (durations);
 * these bound the small housekeeping commands around them, so that no step can hang for ever.
 */
const TIMEOUTS = {
    /** A probe that answers at once when the program is there (`docker compose version`, `test -x`). */
    probeMs: 20_000,
    /** A tool's version or a quick query (`docker version`, `mongodump --version`). */
    toolQueryMs: 30_000,
    /** Housekeeping on a target: mktemp, writing a secret file, rm -rf of a temp dir, sha256sum, a lock step. */
    housekeepingMs: 60_000,
    /** A remote step that touches many files (prepare, switch, prune of a releases layout). */
    remoteStepMs: 120_000,
    /** Stopping a remote command's process group after a cancel or timeout. */
    remoteStopMs: 20_000,
    /** Starting the shared SSH master connection (ConnectTimeout bounds the connect itself). */
    sshMasterStartMs: 60_000,
    /** Stopping the SSH master connections at the end of a run. */
    sshMasterStopMs: 10_000,
    /** Removing a passphrase from the run's copy of the key. */
    keyUnlockMs: 30_000,
    /** A migration status read by the release phase (Django showmigrations, alembic current). */
    migrationStatusMs: 300_000,
    /** Moving one file to or from a target (a backup can be large): an upper bound, never a target. */
    fileTransferMs: 6 * 3_600_000,
    /** Releasing a deploy lock (not tied to the run's signal: a cancelled run must still let go). */
    unlockMs: 30_000,
    /** How old a deploy lock held by the release phase may get before it is reported as stale. */
    releaseLockTtlMs: 3_600_000,
    /** One registry HTTP request when the action gives no timeout. */
    registryRequestMs: 120_000,
    /** One GitHub API request. */
    githubApiMs: 30_000,
    /** Grace between SIGTERM and SIGKILL when a local process group is stopped. */
    killGraceMs: 2_000,
};


/***/ }),

/***/ 421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 24:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 67:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 30:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 75:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ })

/******/ });
/************************************************************************/
/******/ // The module cache
/******/ var __webpack_module_cache__ = {};
/******/ 
/******/ // The require function
/******/ function __nccwpck_require__(moduleId) {
/******/ 	// Check if module is in cache
/******/ 	var cachedModule = __webpack_module_cache__[moduleId];
/******/ 	if (cachedModule !== undefined) {
/******/ 		return cachedModule.exports;
/******/ 	}
/******/ 	// Create a new module (and put it into the cache)
/******/ 	var module = __webpack_module_cache__[moduleId] = {
/******/ 		// no module.id needed
/******/ 		// no module.loaded needed
/******/ 		exports: {}
/******/ 	};
/******/ 
/******/ 	// Execute the module function
/******/ 	var threw = true;
/******/ 	try {
/******/ 		__webpack_modules__[moduleId](module, module.exports, __nccwpck_require__);
/******/ 		threw = false;
/******/ 	} finally {
/******/ 		if(threw) delete __webpack_module_cache__[moduleId];
/******/ 	}
/******/ 
/******/ 	// Return the exports of the module
/******/ 	return module.exports;
/******/ }
/******/ 
/******/ // expose the modules object (__webpack_modules__)
/******/ __nccwpck_require__.m = __webpack_modules__;
/******/ 
/************************************************************************/
/******/ /* webpack/runtime/async module */
/******/ (() => {
/******/ 	var webpackQueues = typeof Symbol === "function" ? Symbol("webpack queues") : "__webpack_queues__";
/******/ 	var webpackExports = typeof Symbol === "function" ? Symbol("webpack exports") : "__webpack_exports__";
/******/ 	var webpackError = typeof Symbol === "function" ? Symbol("webpack error") : "__webpack_error__";
/******/ 	var resolveQueue = (queue) => {
/******/ 		if(queue && queue.d < 1) {
/******/ 			queue.d = 1;
/******/ 			queue.forEach((fn) => (fn.r--));
/******/ 			queue.forEach((fn) => (fn.r-- ? fn.r++ : fn()));
/******/ 		}
/******/ 	}
/******/ 	var wrapDeps = (deps) => (deps.map((dep) => {
/******/ 		if(dep !== null && typeof dep === "object") {
/******/ 			if(dep[webpackQueues]) return dep;
/******/ 			if(dep.then) {
/******/ 				var queue = [];
/******/ 				queue.d = 0;
/******/ 				dep.then((r) => {
/******/ 					obj[webpackExports] = r;
/******/ 					resolveQueue(queue);
/******/ 				}, (e) => {
/******/ 					obj[webpackError] = e;
/******/ 					resolveQueue(queue);
/******/ 				});
/******/ 				var obj = {};
/******/ 				obj[webpackQueues] = (fn) => (fn(queue));
/******/ 				return obj;
/******/ 			}
/******/ 		}
/******/ 		var ret = {};
/******/ 		ret[webpackQueues] = x => {};
/******/ 		ret[webpackExports] = dep;
/******/ 		return ret;
/******/ 	}));
/******/ 	__nccwpck_require__.a = (module, body, hasAwait) => {
/******/ 		var queue;
/******/ 		hasAwait && ((queue = []).d = -1);
/******/ 		var depQueues = new Set();
/******/ 		var exports = module.exports;
/******/ 		var currentDeps;
/******/ 		var outerResolve;
/******/ 		var reject;
/******/ 		var promise = new Promise((resolve, rej) => {
/******/ 			reject = rej;
/******/ 			outerResolve = resolve;
/******/ 		});
/******/ 		promise[webpackExports] = exports;
/******/ 		promise[webpackQueues] = (fn) => (queue && fn(queue), depQueues.forEach(fn), promise["catch"](x => {}));
/******/ 		module.exports = promise;
/******/ 		body((deps) => {
/******/ 			currentDeps = wrapDeps(deps);
/******/ 			var fn;
/******/ 			var getResult = () => (currentDeps.map((d) => {
/******/ 				if(d[webpackError]) throw d[webpackError];
/******/ 				return d[webpackExports];
/******/ 			}))
/******/ 			var promise = new Promise((resolve) => {
/******/ 				fn = () => (resolve(getResult));
/******/ 				fn.r = 0;
/******/ 				var fnQueue = (q) => (q !== queue && !depQueues.has(q) && (depQueues.add(q), q && !q.d && (fn.r++, q.push(fn))));
/******/ 				currentDeps.map((dep) => (dep[webpackQueues](fnQueue)));
/******/ 			});
/******/ 			return fn.r ? promise : getResult();
/******/ 		}, (err) => ((err ? reject(promise[webpackError] = err) : outerResolve(exports)), resolveQueue(queue)));
/******/ 		queue && queue.d < 0 && (queue.d = 0);
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat get default export */
/******/ (() => {
/******/ 	// getDefaultExport function for compatibility with non-harmony modules
/******/ 	__nccwpck_require__.n = (module) => {
/******/ 		var getter = module && module.__esModule ?
/******/ 			() => (module['default']) :
/******/ 			() => (module);
/******/ 		__nccwpck_require__.d(getter, { a: getter });
/******/ 		return getter;
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/define property getters */
/******/ (() => {
/******/ 	// define getter functions for harmony exports
/******/ 	__nccwpck_require__.d = (exports, definition) => {
/******/ 		for(var key in definition) {
/******/ 			if(__nccwpck_require__.o(definition, key) && !__nccwpck_require__.o(exports, key)) {
/******/ 				Object.defineProperty(exports, key, { enumerable: true, get: definition[key] });
/******/ 			}
/******/ 		}
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/ensure chunk */
/******/ (() => {
/******/ 	__nccwpck_require__.f = {};
/******/ 	// This file contains only the entry chunk.
/******/ 	// The chunk loading function for additional chunks
/******/ 	__nccwpck_require__.e = (chunkId) => {
/******/ 		return Promise.all(Object.keys(__nccwpck_require__.f).reduce((promises, key) => {
/******/ 			__nccwpck_require__.f[key](chunkId, promises);
/******/ 			return promises;
/******/ 		}, []));
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/get javascript chunk filename */
/******/ (() => {
/******/ 	// This function allow to reference async chunks
/******/ 	__nccwpck_require__.u = (chunkId) => {
/******/ 		// return url for filenames based on template
/******/ 		return "" + chunkId + ".index.js";
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/hasOwnProperty shorthand */
/******/ (() => {
/******/ 	__nccwpck_require__.o = (obj, prop) => (Object.prototype.hasOwnProperty.call(obj, prop))
/******/ })();
/******/ 
/******/ /* webpack/runtime/make namespace object */
/******/ (() => {
/******/ 	// define __esModule on exports
/******/ 	__nccwpck_require__.r = (exports) => {
/******/ 		if(typeof Symbol !== 'undefined' && Symbol.toStringTag) {
/******/ 			Object.defineProperty(exports, Symbol.toStringTag, { value: 'Module' });
/******/ 		}
/******/ 		Object.defineProperty(exports, '__esModule', { value: true });
/******/ 	};
/******/ })();
/******/ 
/******/ /* webpack/runtime/compat */
/******/ 
/******/ if (typeof __nccwpck_require__ !== 'undefined') __nccwpck_require__.ab = new URL('.', import.meta.url).pathname.slice(import.meta.url.match(/^file:\/\/\/\w:/) ? 1 : 0, -1) + "/";
/******/ 
/******/ /* webpack/runtime/import chunk loading */
/******/ (() => {
/******/ 	// no baseURI
/******/ 	
/******/ 	// object to store loaded and loading chunks
/******/ 	// undefined = chunk not loaded, null = chunk preloaded/prefetched
/******/ 	// [resolve, Promise] = chunk loading, 0 = chunk loaded
/******/ 	var installedChunks = {
/******/ 		792: 0
/******/ 	};
/******/ 	
/******/ 	var installChunk = (data) => {
/******/ 		var {ids, modules, runtime} = data;
/******/ 		// add "modules" to the modules object,
/******/ 		// then flag all "ids" as loaded and fire callback
/******/ 		var moduleId, chunkId, i = 0;
/******/ 		for(moduleId in modules) {
/******/ 			if(__nccwpck_require__.o(modules, moduleId)) {
/******/ 				__nccwpck_require__.m[moduleId] = modules[moduleId];
/******/ 			}
/******/ 		}
/******/ 		if(runtime) runtime(__nccwpck_require__);
/******/ 		for(;i < ids.length; i++) {
/******/ 			chunkId = ids[i];
/******/ 			if(__nccwpck_require__.o(installedChunks, chunkId) && installedChunks[chunkId]) {
/******/ 				installedChunks[chunkId][0]();
/******/ 			}
/******/ 			installedChunks[ids[i]] = 0;
/******/ 		}
/******/ 	
/******/ 	}
/******/ 	
/******/ 	__nccwpck_require__.f.j = (chunkId, promises) => {
/******/ 			// import() chunk loading for javascript
/******/ 			var installedChunkData = __nccwpck_require__.o(installedChunks, chunkId) ? installedChunks[chunkId] : undefined;
/******/ 			if(installedChunkData !== 0) { // 0 means "already installed".
/******/ 	
/******/ 				// a Promise means "currently loading".
/******/ 				if(installedChunkData) {
/******/ 					promises.push(installedChunkData[1]);
/******/ 				} else {
/******/ 					if(true) { // all chunks have JS
/******/ 						// setup Promise in chunk cache
/******/ 						var promise = import("./" + __nccwpck_require__.u(chunkId)).then(installChunk, (e) => {
/******/ 							if(installedChunks[chunkId] !== 0) installedChunks[chunkId] = undefined;
/******/ 							throw e;
/******/ 						});
/******/ 						var promise = Promise.race([promise, new Promise((resolve) => (installedChunkData = installedChunks[chunkId] = [resolve]))])
/******/ 						promises.push(installedChunkData[1] = promise);
/******/ 					}
/******/ 				}
/******/ 			}
/******/ 	};
/******/ 	
/******/ 	// no prefetching
/******/ 	
/******/ 	// no preloaded
/******/ 	
/******/ 	// no external install chunk
/******/ 	
/******/ 	// no on chunks loaded
/******/ })();
/******/ 
/************************************************************************/
/******/ 
/******/ // startup
/******/ // Load entry module and return exports
/******/ // This entry module used 'module' so it can't be inlined
/******/ var __webpack_exports__ = __nccwpck_require__(27);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
