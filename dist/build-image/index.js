import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 759:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _core_build_image_config_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(112);
/* harmony import */ var _core_build_image_run_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(791);
/* harmony import */ var _core_build_image_summary_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(164);
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(590);
/* harmony import */ var _lib_target_runner_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(594);





await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_3__/* .runAction */ .C)('build-image', async (ctx) => {
    const cfg = (0,_core_build_image_config_js__WEBPACK_IMPORTED_MODULE_0__/* .readBuildConfig */ .R)(ctx.inputs);
    // Each build secret's value is masked on its own (the input is masked as a whole when read).
    for (const v of Object.values(cfg.secrets)) {
        if (v.trim().length >= 3) {
            ctx.addSecret(v);
        }
    }
    if (cfg.insecureHttp)
        ctx.warn('insecure-http is on: the registry is reached over plain http', 'build-image');
    const r = await (0,_core_build_image_run_js__WEBPACK_IMPORTED_MODULE_1__/* .runBuild */ .cM)(cfg, new _lib_target_runner_js__WEBPACK_IMPORTED_MODULE_4__/* .RunnerTarget */ .y(), { ...ctx, warn: (w) => ctx.warn(w, 'build-image') }, process.env.RUNNER_TEMP ? { tempRoot: process.env.RUNNER_TEMP } : {});
    if (!r.pushed)
        ctx.log('push is false: built only; the digest output is empty');
    ctx.setOutput('digest', r.digest);
    ctx.setOutput('image-ref', r.imageRef);
    ctx.setOutput('image-id', r.imageId);
    ctx.setOutput('tags', r.refs);
    ctx.setOutput('metadata', {
        builder: r.builder,
        'image-id': r.imageId,
        digest: r.digest,
        'image-ref': r.imageRef,
        'media-type': r.mediaType,
        pushed: r.pushed,
        tags: r.refs,
        labels: r.labels,
        created: r.created,
        revision: r.revision,
        images: r.images,
        'bytes-uploaded': r.bytesUploaded,
    });
    ctx.summary((0,_core_build_image_summary_js__WEBPACK_IMPORTED_MODULE_2__/* .buildSummary */ .f)(r));
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 986:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fz: () => (/* binding */ probeCommands),
/* harmony export */   Oe: () => (/* binding */ buildCommand),
/* harmony export */   Op: () => (/* binding */ untarCommand),
/* harmony export */   QY: () => (/* binding */ buildFailureHint),
/* harmony export */   Z7: () => (/* binding */ chooseBuilder),
/* harmony export */   _R: () => (/* binding */ CACHE_MODES),
/* harmony export */   po: () => (/* binding */ saveCommand)
/* harmony export */ });
/* unused harmony exports BuilderError, parseClientMajor */
const CACHE_MODES = ['gha', 'registry', 'local', 'none'];
class BuilderError extends Error {
    constructor(message) {
        super(message);
        this.name = 'BuilderError';
    }
}
function probeCommands(docker) {
    return {
        buildx: { argv: [docker, 'buildx', 'version'], label: 'docker buildx version' },
        version: { argv: [docker, '--version'], label: 'docker --version' },
    };
}
/** Major version from `docker --version` (or a bare version string); undefined when unreadable. */
function parseClientMajor(text) {
    const m = /(?:^|version\s+)v?(\d+)\.(\d+)/i.exec(text.trim());
    return m ? Number(m[1]) : undefined;
}
const INSTALL_BUILDX = 'install the buildx plugin (docker-buildx-plugin, or docker/setup-buildx-action on GitHub runners)';
function chooseBuilder(probe, req) {
    const clientMajor = parseClientMajor(probe.clientVersion);
    const warnings = [];
    if (probe.buildx)
        return { kind: 'buildx', clientMajor, warnings };
    if (req.platforms.length > 1) {
        throw new BuilderError(`input \`platforms\`: building ${req.platforms.length} platforms needs docker buildx, which this docker CLI lacks; ${INSTALL_BUILDX}, or build one platform`);
    }
    if (req.cache === 'gha') {
        throw new BuilderError(`input \`cache\`: the gha cache needs docker buildx, which this docker CLI lacks; ${INSTALL_BUILDX}, or use cache: local (the engine's build cache)`);
    }
    if (req.cache === 'registry') {
        throw new BuilderError("input `cache`: a registry cache needs docker buildx (the engine's inline cache would not survive the reproducible push); " +
            `${INSTALL_BUILDX}, or use cache: local (the engine's build cache)`);
    }
    if (clientMajor !== undefined && clientMajor < 23) {
        return { kind: 'buildkit', clientMajor, warnings };
    }
    if (req.secrets) {
        throw new BuilderError(`input \`secrets\`: build secrets need BuildKit; this docker CLI (${probe.clientVersion.trim() || 'unknown version'}) has no buildx plugin and only the legacy builder; ${INSTALL_BUILDX}`);
    }
    warnings.push(`docker buildx is not installed and this docker CLI (${probe.clientVersion.trim() || 'unknown version'}) cannot use the engine's BuildKit without it: building with the legacy builder (no secrets, no RUN --mount); ${INSTALL_BUILDX} for BuildKit`);
    return { kind: 'classic', clientMajor, warnings };
}
function cacheArgs(kind, spec) {
    if (spec.cache === 'none')
        return ['--no-cache'];
    if (kind !== 'buildx')
        return []; // local: the engine's own build cache
    switch (spec.cache) {
        case 'gha': {
            const scope = spec.cacheScope ? `,scope=${spec.cacheScope}` : '';
            return ['--cache-from', `type=gha${scope}`, '--cache-to', `type=gha,mode=max${scope}`];
        }
        case 'registry':
            if (!spec.cacheRef)
                throw new BuilderError('cache registry needs a cache reference');
            return [
                '--cache-from',
                `type=registry,ref=${spec.cacheRef}`,
                '--cache-to',
                `type=registry,ref=${spec.cacheRef},mode=max`,
            ];
        case 'local':
            return []; // the builder's own cache (the engine's, or the buildx builder's)
    }
}
/** The build command for a builder. Secrets travel as file paths (never values); the env selects the builder. */
function buildCommand(kind, spec) {
    if (kind === 'classic' && Object.keys(spec.secretFiles).length) {
        throw new BuilderError(`build secrets need BuildKit; ${INSTALL_BUILDX}`);
    }
    if (kind !== 'buildx' && spec.platforms.length > 1) {
        throw new BuilderError(`building several platforms needs docker buildx; ${INSTALL_BUILDX}`);
    }
    const argv = [spec.docker, ...(kind === 'buildx' ? ['buildx', 'build'] : ['build'])];
    if (kind !== 'classic')
        argv.push('--progress', 'plain');
    if (spec.file)
        argv.push('--file', spec.file);
    if (spec.target)
        argv.push('--target', spec.target);
    for (const [k, v] of Object.entries(spec.buildArgs))
        argv.push('--build-arg', `${k}=${v}`);
    for (const [k, v] of Object.entries(spec.labels))
        argv.push('--label', `${k}=${v}`);
    for (const [id, path] of Object.entries(spec.secretFiles))
        argv.push('--secret', `id=${id},src=${path}`);
    if (spec.platforms.length)
        argv.push('--platform', spec.platforms.join(','));
    if (spec.network)
        argv.push('--network', spec.network);
    if (spec.pull)
        argv.push('--pull');
    argv.push(...cacheArgs(kind, spec));
    if (kind === 'buildx') {
        // No provenance/SBOM attestations: they would turn a single image into an index and carry build times.
        argv.push('--provenance=false', '--sbom=false');
        if (spec.ociDest)
            argv.push('--output', `type=oci,dest=${spec.ociDest}`);
        else
            argv.push('--load');
    }
    if (!spec.ociDest)
        for (const t of spec.localTags)
            argv.push('--tag', t);
    argv.push('--iidfile', spec.iidFile);
    // The context is the one positional: `./` keeps a directory named like `-x` from being read as an option.
    argv.push(spec.context.startsWith('-') ? `./${spec.context}` : spec.context);
    const env = kind === 'buildx'
        ? { SOURCE_DATE_EPOCH: String(spec.epoch) }
        : { DOCKER_BUILDKIT: kind === 'buildkit' ? '1' : '0', SOURCE_DATE_EPOCH: String(spec.epoch) };
    const label = `${kind === 'buildx' ? 'docker buildx build' : `docker build (${kind === 'buildkit' ? 'engine BuildKit' : 'legacy builder'})`} ${spec.context}`;
    return { argv, env, label };
}
/** A fix to add to a failed build's message, when the builder's output shows a known cause. */
function buildFailureHint(output) {
    if (/not supported for the docker driver|docker driver (?:does not|doesn't) support/i.test(output)) {
        return 'the buildx builder uses the `docker` driver, which cannot export caches (gha/registry) or several platforms: add docker/setup-buildx-action before this step (docker-container driver), or use cache: local and one platform';
    }
    if (/unknown flag: --(?:provenance|sbom)/.test(output)) {
        return 'this buildx is older than 0.10 (no --provenance/--sbom flags): update the buildx plugin';
    }
    if (/network bridge not found|could not find bridge/i.test(output)) {
        return 'the engine has no default bridge network: set `network: none` (or `host`) for RUN steps';
    }
    return undefined;
}
function saveCommand(docker, imageId, dest) {
    return { argv: [docker, 'save', '--output', dest, imageId], label: `docker save ${imageId}` };
}
function untarCommand(archive, dir) {
    return { argv: ['tar', '-x', '-f', archive, '-C', dir], label: `tar -x ${archive}` };
}


/***/ }),

/***/ 112:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   R: () => (/* binding */ readBuildConfig)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(46);
/* harmony import */ var _lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(996);
/* harmony import */ var _builders_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(986);
/* harmony import */ var _tags_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(607);
/** build-image inputs → a validated configuration; nothing runs here. */






const DEFAULT_TAG_RULES = ['sha', 'branch', 'semver', 'latest'];
const PLATFORM_RE = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const SECRET_ID_RE = /^[A-Za-z0-9_.-]{1,128}$/;
const LABEL_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._/-]*$/;
const ARG_RE = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** KEY=VALUE lines (values may contain `=`); keys checked against `keyRe`. Secret values are masked first. */
function keyValues(inputs, name, keyRe, what, secret) {
    const text = secret ? inputs.secret(name) : inputs.raw(name);
    const out = {};
    for (const line of text.split(/\r?\n/)) {
        if (!line.trim() || line.trim().startsWith('#'))
            continue;
        const eq = line.indexOf('=');
        const key = (eq < 0 ? line : line.slice(0, eq)).trim();
        if (eq <= 0)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `a line${secret ? '' : ` ("${line.slice(0, 40)}")`} is not KEY=VALUE`);
        if (!keyRe.test(key))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `"${key}" is not a valid ${what}`);
        if (key in out)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz(name, `"${key}" is given twice`);
        out[key] = line.slice(eq + 1);
    }
    return out;
}
function defaultBranchFromEvent(env) {
    if (!env.GITHUB_EVENT_PATH)
        return undefined;
    try {
        const event = JSON.parse((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readFileSync)(env.GITHUB_EVENT_PATH, 'utf8'));
        return event.repository?.default_branch || undefined;
    }
    catch {
        return undefined;
    }
}
function readBuildConfig(inputs, env = process.env) {
    const imageText = inputs.required('image');
    let image;
    try {
        image = (0,_lib_oci_reference_js__WEBPACK_IMPORTED_MODULE_4__/* .parseImageRef */ .Q)(imageText);
    }
    catch (e) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('image', e.message);
    }
    if (image.tag || image.digest) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('image', `"${imageText}": give the name without a tag or digest (tags come from \`tags\`)`);
    }
    const extraTags = inputs.list('tags');
    for (const t of extraTags)
        if (!_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG_RE */ .PP.test(t))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('tags', `"${t}" is not a valid tag`);
    const ruleNames = inputs.list('tag-rules');
    if (ruleNames.includes('none') && ruleNames.length > 1) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('tag-rules', '`none` cannot be combined with other rules');
    }
    const tagRules = (ruleNames.length ? ruleNames : DEFAULT_TAG_RULES)
        .filter((r) => r !== 'none')
        .map((r) => {
        if (!_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG_RULES */ .lX.includes(r)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('tag-rules', `"${r}" is not one of ${_tags_js__WEBPACK_IMPORTED_MODULE_5__/* .TAG_RULES */ .lX.join(', ')}, none`);
        }
        return r;
    });
    const platforms = inputs.list('platforms');
    for (const p of platforms) {
        if (!PLATFORM_RE.test(p))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('platforms', `"${p}" is not os/arch[/variant] (e.g. linux/amd64)`);
    }
    if (new Set(platforms).size !== platforms.length)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('platforms', 'lists a platform twice');
    const registry = inputs.string('registry');
    if (registry && registry !== image.registry) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('registry', `"${registry}" is not the registry of \`image\` (${image.registry})`);
    }
    const username = inputs.string('username');
    const password = inputs.secret('password');
    if (username && !password)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('password', 'is required when `username` is set');
    if (password && !username)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('username', 'is required when `password` is set');
    const secrets = keyValues(inputs, 'secrets', SECRET_ID_RE, 'secret id', true);
    const secretFiles = {};
    for (const [id, path] of Object.entries(keyValues(inputs, 'secret-files', SECRET_ID_RE, 'secret id', false))) {
        if (id in secrets)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('secret-files', `"${id}" is also given in \`secrets\``);
        const abs = (0,node_path__WEBPACK_IMPORTED_MODULE_1__.resolve)(env.GITHUB_WORKSPACE || process.cwd(), path.trim());
        let ok = false;
        try {
            ok = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)(abs).isFile();
        }
        catch {
            ok = false;
        }
        if (!ok)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('secret-files', `"${id}": ${abs} is not a readable file`);
        // The builder reads `--secret id=…,src=…` as CSV: a comma or quote in the path would split or break it.
        if (/[,"]/.test(abs)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('secret-files', `"${id}": ${abs} has a comma or quote, which \`--secret\` cannot carry`);
        }
        secretFiles[id] = abs;
    }
    const cache = inputs.choice('cache', _builders_js__WEBPACK_IMPORTED_MODULE_3__/* .CACHE_MODES */ ._R, 'local');
    const network = inputs.string('network');
    if (network && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(network)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('network', `"${network}" is not a network name (e.g. none, host, default)`);
    }
    const docker = inputs.string('docker', 'docker');
    if (/\s/.test(docker))
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('docker', `"${docker}" must be a program name or path, not a command line`);
    const target = inputs.string('target');
    if (target && !/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(target)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_2__/* .InputError */ .dz('target', `"${target}" is not a build stage name`);
    }
    const cacheRef = inputs.string('cache-ref', `${image.registry}/${image.repository}:buildcache`);
    return {
        context: inputs.string('context', '.'),
        file: inputs.string('file'),
        target,
        image,
        extraTags,
        tagRules,
        defaultBranch: inputs.string('default-branch') || defaultBranchFromEvent(env) || 'main',
        labels: keyValues(inputs, 'labels', LABEL_KEY_RE, 'label key', false),
        buildArgs: keyValues(inputs, 'build-args', ARG_RE, 'build argument name', false),
        secrets,
        secretFiles,
        platforms,
        push: inputs.boolean('push', true),
        ...(username ? { credentials: { username, password } } : {}),
        cache,
        cacheRef,
        docker,
        network,
        pull: inputs.boolean('pull', false),
        timeoutMs: inputs.duration('timeout', '30m', { min: 1000 }),
        insecureHttp: inputs.boolean('insecure-http', false),
        git: {
            sha: env.GITHUB_SHA ?? '',
            ref: env.GITHUB_REF ?? '',
            repository: env.GITHUB_REPOSITORY ?? '',
            serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
            sourceDateEpoch: env.SOURCE_DATE_EPOCH ?? '',
        },
    };
}


/***/ }),

/***/ 791:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  cM: () => (/* binding */ runBuild)
});

// UNUSED EXPORTS: BuildError, gitCommitTime

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(679);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
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

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(598);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(75);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
// EXTERNAL MODULE: ./src/lib/oci/reference.ts
var reference = __nccwpck_require__(996);
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






class RegistryError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'RegistryError';
    }
}
function sha256Digest(bytes) {
    return `sha256:${(0,external_node_crypto_.createHash)('sha256').update(bytes).digest('hex')}`;
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
        const hash = (0,external_node_crypto_.createHash)('sha256');
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
var output = __nccwpck_require__(858);
// EXTERNAL MODULE: ./src/core/build-image/builders.ts
var builders = __nccwpck_require__(986);
;// CONCATENATED MODULE: external "node:fs/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");
;// CONCATENATED MODULE: external "node:stream/promises"
const external_node_stream_promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
// EXTERNAL MODULE: external "node:zlib"
var external_node_zlib_ = __nccwpck_require__(522);
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
    const fh = await (0,promises_namespaceObject.open)(path, 'r');
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
    await (0,external_node_stream_promises_namespaceObject.pipeline)((0,external_node_fs_.createReadStream)(src), (await isGzip(src)) ? (0,external_node_zlib_.createGunzip)() : new external_node_stream_.PassThrough(), norm, diff, (0,external_node_zlib_.createGzip)({ level: GZIP_LEVEL, strategy: external_node_zlib_.constants.Z_DEFAULT_STRATEGY }), packed, (0,external_node_fs_.createWriteStream)(tmp, { mode: 0o600 }));
    const digest = packed.digest();
    const path = (0,external_node_path_.join)(outDir, digest.replace(':', '-'));
    await (0,promises_namespaceObject.rename)(tmp, path);
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
var build_image_tags = __nccwpck_require__(607);
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


/***/ }),

/***/ 164:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ buildSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(119);

const BUILDER_NAMES = {
    buildx: 'docker buildx build',
    buildkit: 'engine BuildKit (DOCKER_BUILDKIT=1 docker build)',
    classic: 'legacy builder (DOCKER_BUILDKIT=0)',
};
function size(n) {
    if (n < 1024)
        return `${n} B`;
    if (n < 1024 * 1024)
        return `${(n / 1024).toFixed(1)} KiB`;
    return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
function buildSummary(r) {
    const parts = [];
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`build-image: ✅ ${r.pushed ? r.digest : `built ${r.imageId || 'for every platform'} (not pushed)`}`));
    parts.push(`\nBuilder: ${BUILDER_NAMES[r.builder]}. Commit \`${r.revision.slice(0, 12)}\` at ${r.created}. ` +
        `Build ${(r.buildMs / 1000).toFixed(1)} s` +
        (r.pushed
            ? `, reproducible push ${(r.pushMs / 1000).toFixed(1)} s (${size(r.bytesUploaded)} uploaded). Pin deployments to \`${r.imageRef}\` (read back from the registry and verified).\n\n`
            : '. push is false: nothing was pushed and `digest` is empty; the image is tagged in the local engine only.\n\n'));
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['reference'], r.refs.length ? r.refs.map((x) => [x]) : [['(no tags: pushed by digest)']]));
    if (r.images.length) {
        parts.push('\n');
        parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['platform', 'manifest', 'layers', 'compressed size'], r.images.map((i) => [
            i.platform,
            i.manifest,
            String(i.layers.length),
            size(i.layers.reduce((a, l) => a + l.size, 0)),
        ])));
    }
    parts.push('\n');
    parts.push((0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['label', 'value'], Object.entries(r.labels)));
    return parts.join('');
}


/***/ }),

/***/ 607:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   GX: () => (/* binding */ versionFor),
/* harmony export */   PP: () => (/* binding */ TAG_RE),
/* harmony export */   Q5: () => (/* binding */ tagsFromGit),
/* harmony export */   TT: () => (/* binding */ ociLabels),
/* harmony export */   bX: () => (/* binding */ commitTime),
/* harmony export */   lX: () => (/* binding */ TAG_RULES)
/* harmony export */ });
/* unused harmony exports sanitizeTag, parseSemverTag, semverTags, parseRef */
/** Tags and OCI labels derived from git and the GitHub environment; pure functions, no I/O. */
const TAG_RULES = ['sha', 'branch', 'semver', 'latest', 'pr'];
const TAG_RE = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const SEMVER_RE = /^v?(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(?:-([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?(?:\+([0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$/;
/** A branch (or any ref name) made into a valid tag: invalid characters → '-', no leading '.'/'-', ≤128. */
function sanitizeTag(name) {
    let t = name.replace(/[^A-Za-z0-9_.-]/g, '-');
    t = t.replace(/^[.-]+/, '');
    t = t.slice(0, 128).replace(/[.-]+$/, '');
    return t;
}
function parseSemverTag(tag) {
    const m = SEMVER_RE.exec(tag);
    if (!m)
        return undefined;
    return { major: m[1], minor: m[2], patch: m[3], ...(m[4] ? { prerelease: m[4] } : {}) };
}
/** Semver tags for a git tag: X.Y.Z, X.Y, X; a prerelease gets only X.Y.Z-pre (never moves X or X.Y). */
function semverTags(v) {
    if (v.prerelease)
        return [sanitizeTag(`${v.major}.${v.minor}.${v.patch}-${v.prerelease}`)];
    return [`${v.major}.${v.minor}.${v.patch}`, `${v.major}.${v.minor}`, v.major];
}
function parseRef(ref) {
    if (ref.startsWith('refs/heads/'))
        return { branch: ref.slice('refs/heads/'.length) };
    if (ref.startsWith('refs/tags/'))
        return { tag: ref.slice('refs/tags/'.length) };
    const pr = /^refs\/pull\/(\d+)\//.exec(ref);
    if (pr)
        return { pr: pr[1] };
    return {};
}
/** Tags from the rules, in rule order, then the extra tags; duplicates removed (first wins). */
function tagsFromGit(git, rules, extra = []) {
    const r = parseRef(git.ref);
    const out = [];
    for (const rule of rules) {
        switch (rule) {
            case 'sha':
                if (/^[0-9a-f]{7,}$/.test(git.sha))
                    out.push(`sha-${git.sha.slice(0, 7)}`);
                break;
            case 'branch':
                if (r.branch) {
                    const t = sanitizeTag(r.branch);
                    if (t)
                        out.push(t);
                }
                break;
            case 'pr':
                if (r.pr)
                    out.push(`pr-${r.pr}`);
                break;
            case 'semver': {
                const v = r.tag ? parseSemverTag(r.tag) : undefined;
                if (v)
                    out.push(...semverTags(v));
                break;
            }
            case 'latest':
                if (r.branch && r.branch === git.defaultBranch)
                    out.push('latest');
                break;
        }
    }
    out.push(...extra);
    return [...new Set(out)];
}
/** The version label: X.Y.Z[-pre] for a semver tag, else the branch tag, else sha-<7>. */
function versionFor(git) {
    const r = parseRef(git.ref);
    const v = r.tag ? parseSemverTag(r.tag) : undefined;
    if (v)
        return `${v.major}.${v.minor}.${v.patch}${v.prerelease ? `-${v.prerelease}` : ''}`;
    if (r.tag)
        return sanitizeTag(r.tag);
    if (r.branch)
        return sanitizeTag(r.branch);
    if (r.pr)
        return `pr-${r.pr}`;
    return `sha-${git.sha.slice(0, 7)}`;
}
/** `git log --format=%cI` (any offset) → UTC ISO seconds (`2026-01-02T03:04:05Z`) and the Unix epoch. */
function commitTime(iso) {
    const ms = Date.parse(iso.trim());
    if (!Number.isFinite(ms))
        throw new Error(`"${iso.trim()}" is not a commit time`);
    const epoch = Math.floor(ms / 1000);
    return { created: new Date(epoch * 1000).toISOString().replace('.000Z', 'Z'), epoch };
}
/** OCI annotation labels from the repository and commit; user labels override them. */
function ociLabels(src, user = {}) {
    const labels = {
        'org.opencontainers.image.created': src.created,
        'org.opencontainers.image.revision': src.sha,
        'org.opencontainers.image.version': src.version,
    };
    if (src.repository) {
        const server = (src.serverUrl || 'https://github.com').replace(/\/+$/, '');
        labels['org.opencontainers.image.source'] = `${server}/${src.repository}`;
        labels['org.opencontainers.image.url'] = `${server}/${src.repository}`;
        labels['org.opencontainers.image.title'] = src.repository.split('/').pop();
    }
    return { ...labels, ...user };
}


/***/ }),

/***/ 590:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(679);
// EXTERNAL MODULE: ./src/lib/inputs.ts + 1 modules
var inputs = __nccwpck_require__(46);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(858);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
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
    (0,cleanup_state/* recordTempPathsWith */.oq)((k, v) => saveState(k, v));
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
        log: (line) => info((0,output/* neutralize */.YI)(redactor.redact(line))),
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

/***/ 679:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   eA: () => (/* binding */ makeRecordedTempDir),
/* harmony export */   oq: () => (/* binding */ recordTempPathsWith)
/* harmony export */ });
/* unused harmony exports TEMP_PATHS_STATE, SSH_DIR_STATE, tempRoot, provableTempPath, cleanupRecordedState */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(24);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



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
let recorded = [];
/** Called once by the action entry wrapper: where recorded paths go (core.saveState). Tests leave it unset. */
function recordTempPathsWith(save) {
    saver = save;
    recorded = [];
}
/** The folder temp dirs go under: RUNNER_TEMP on a runner, the OS temp dir elsewhere. */
function tempRoot(env = process.env) {
    return env.RUNNER_TEMP || (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)();
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
        const dir = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)((0,node_path__WEBPACK_IMPORTED_MODULE_2__.resolve)(root), `deploy-kit-${kind}-${hex}`);
        if (saver && recorded.length < MAX_RECORDED) {
            recorded.push(dir);
            saver(TEMP_PATHS_STATE, JSON.stringify(recorded));
        }
        try {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.mkdirSync)(dir, { mode: 0o700 });
        }
        catch (e) {
            if (e.code === 'EEXIST')
                continue;
            throw e;
        }
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.chmodSync)(dir, 0o700);
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

/***/ 996:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ parseImageRef),
/* harmony export */   nz: () => (/* binding */ apiHost)
/* harmony export */ });
/* unused harmony exports maskReference, isDigest, formatRef */
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

/***/ 858:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   VO: () => (/* binding */ streamLogger),
/* harmony export */   YI: () => (/* binding */ neutralize)
/* harmony export */ });
/* unused harmony exports MAX_LINE, LineBuffer */
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
const MAX_LINE = 64 * 1024;
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

/***/ 594:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  y: () => (/* binding */ RunnerTarget)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(679);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
;// CONCATENATED MODULE: ./src/lib/exec/tail-buffer.ts
/** Keeps the last `limit` bytes written to it: command output can be huge, error messages need the end. */
class TailBuffer {
    limit;
    chunks = [];
    size = 0;
    total = 0;
    constructor(limit) {
        this.limit = limit;
    }
    push(chunk) {
        this.total += chunk.length;
        if (this.limit <= 0)
            return;
        this.chunks.push(chunk);
        this.size += chunk.length;
        while (this.size - this.chunks[0].length >= this.limit) {
            this.size -= this.chunks.shift().length;
        }
    }
    toString() {
        const all = Buffer.concat(this.chunks);
        return all.subarray(Math.max(0, all.length - this.limit)).toString('utf8');
    }
}

;// CONCATENATED MODULE: ./src/lib/exec/process.ts


const DEFAULT_MAX_BUFFER = 1024 * 1024;
const KILL_GRACE_MS = timeouts/* TIMEOUTS */.f.killGraceMs;
/**
 * Runs one process in its own process group, with overall/idle timeouts and cancellation.
 * Killing the group (not just the child) is what ends background processes that hold stdout open.
 */
function runProcess(spec, opts = {}) {
    const started = Date.now();
    const maxBuffer = opts.maxBuffer ?? DEFAULT_MAX_BUFFER;
    const out = new TailBuffer(opts.stdoutSink ? 0 : maxBuffer);
    const err = new TailBuffer(maxBuffer);
    return new Promise((resolve) => {
        let end = 'exit';
        let settled = false;
        const timers = [];
        let idleTimer;
        // node:child_process loads on the first command, not at start-up (cold start of every bundle).
        const child = process.getBuiltinModule('node:child_process').spawn(spec.file, [...spec.args], {
            env: spec.env,
            cwd: spec.cwd,
            stdio: ['pipe', 'pipe', 'pipe'],
            detached: true,
        });
        const finish = (code, signal, error) => {
            if (settled)
                return;
            settled = true;
            for (const t of timers)
                clearTimeout(t);
            if (idleTimer)
                clearTimeout(idleTimer);
            opts.signal?.removeEventListener('abort', onAbort);
            resolve({
                code,
                signal,
                end: error ? 'spawn-error' : end,
                stdout: out.toString(),
                stderr: err.toString(),
                durationMs: Date.now() - started,
                stdoutBytes: out.total,
                ...(error ? { error } : {}),
            });
        };
        const killGroup = (why) => {
            if (settled || child.pid === undefined)
                return;
            if (end === 'exit') {
                end = why;
                spec.onKill?.(why);
            }
            const sig = (s) => {
                try {
                    process.kill(-child.pid, s);
                }
                catch {
                    // group already gone
                }
            };
            sig('SIGTERM');
            const hard = setTimeout(() => sig('SIGKILL'), KILL_GRACE_MS);
            hard.unref();
            timers.push(hard);
        };
        const onAbort = () => killGroup('aborted');
        if (opts.signal) {
            if (opts.signal.aborted)
                queueMicrotask(onAbort);
            else
                opts.signal.addEventListener('abort', onAbort, { once: true });
        }
        if (opts.timeoutMs && opts.timeoutMs > 0) {
            timers.push(setTimeout(() => killGroup('timeout'), opts.timeoutMs));
        }
        const armIdle = () => {
            if (!opts.idleTimeoutMs || opts.idleTimeoutMs <= 0)
                return;
            if (idleTimer)
                clearTimeout(idleTimer);
            idleTimer = setTimeout(() => killGroup('idle-timeout'), opts.idleTimeoutMs);
        };
        armIdle();
        child.stdout.on('data', (chunk) => {
            armIdle();
            out.push(chunk);
            opts.onStdout?.(chunk);
        });
        if (opts.stdoutSink) {
            child.stdout.pipe(opts.stdoutSink, { end: false });
        }
        child.stderr.on('data', (chunk) => {
            armIdle();
            err.push(chunk);
            opts.onStderr?.(chunk);
        });
        child.on('error', (e) => finish(null, null, e));
        child.on('close', (code, signal) => finish(code, signal));
        // A process that exits without reading stdin must not crash us with EPIPE.
        child.stdin.on('error', () => undefined);
        if (spec.stdin !== undefined)
            child.stdin.end(spec.stdin);
        else
            child.stdin.end();
    });
}

;// CONCATENATED MODULE: ./src/lib/exec/local.ts

/** Runs commands as child processes on the runner. No shell is involved. */
class LocalExecutor {
    baseEnv;
    target = 'local';
    constructor(baseEnv = process.env) {
        this.baseEnv = baseEnv;
    }
    run(cmd, opts) {
        const [file, ...args] = cmd.argv;
        if (!file)
            throw new Error('empty command');
        return runProcess({ file, args, env: { ...this.baseEnv, ...cmd.env }, cwd: cmd.cwd, stdin: cmd.stdin }, opts);
    }
}

;// CONCATENATED MODULE: ./src/lib/target/sha256.ts
/** sha256 of a runner file, streamed (node:crypto and streams load on first use, not at start-up). */
async function sha256File(path) {
    const h = process.getBuiltinModule('node:crypto').createHash('sha256');
    const { pipeline } = process.getBuiltinModule('node:stream/promises');
    await pipeline(process.getBuiltinModule('node:fs').createReadStream(path), h);
    return h.digest('hex');
}

;// CONCATENATED MODULE: ./src/lib/target/types.ts
/** File names a target makes in its temp dir: plain, no path separators, no dot-only names. */
function assertFileName(name) {
    if (!/^[A-Za-z0-9_][A-Za-z0-9._-]{0,99}$/.test(name)) {
        throw new Error(`"${name}" is not a plain file name for a temp file (letters, digits, . _ -)`);
    }
    return name;
}
/** Thrown when the two sides of a file move disagree: the copy is not the same bytes. */
class TransferMismatch extends Error {
    constructor(what, expected, actual) {
        super(`${what}: sha256 ${actual} on arrival, ${expected} at the source; the copy is not the same file`);
        this.name = 'TransferMismatch';
    }
}

;// CONCATENATED MODULE: ./src/lib/target/runner.ts







/**
 * The runner itself: commands are child processes (no shell), files are this machine's files.
 * `upload` without a destination returns the file where it is (it is on the target already).
 */
class RunnerTarget {
    tempRoot;
    kind = 'runner';
    target = 'local';
    exec;
    tmp = '';
    seq = 0;
    constructor(baseEnv = process.env, tempRoot = process.env.RUNNER_TEMP || (0,external_node_os_.tmpdir)()) {
        this.tempRoot = tempRoot;
        this.exec = new LocalExecutor(baseEnv);
    }
    run(cmd, opts) {
        return this.exec.run(cmd, opts);
    }
    async tempDir() {
        if (!this.tmp) {
            // Recorded for the post step before it exists: a killed main step leaves no secret file behind.
            this.tmp = (0,cleanup_state/* makeRecordedTempDir */.eA)('tmp', this.tempRoot);
        }
        return this.tmp;
    }
    async writeSecretFile(content, name) {
        const path = (0,external_node_path_.join)(await this.tempDir(), name ? assertFileName(name) : `secret-${++this.seq}`);
        (0,external_node_fs_.writeFileSync)(path, content, { mode: 0o600 });
        (0,external_node_fs_.chmodSync)(path, 0o600);
        return path;
    }
    async upload(localFile, destPath) {
        const sha256 = await sha256File(localFile);
        if (destPath === undefined)
            return { path: (0,external_node_path_.resolve)(localFile), sha256 };
        (0,external_node_fs_.copyFileSync)(localFile, destPath);
        (0,external_node_fs_.chmodSync)(destPath, 0o600);
        const there = await sha256File(destPath);
        if (there !== sha256)
            throw new TransferMismatch(`copy to ${destPath}`, sha256, there);
        return { path: destPath, sha256 };
    }
    async download(path, localFile) {
        const sha256 = await sha256File(path);
        if ((0,external_node_path_.resolve)(path) !== (0,external_node_path_.resolve)(localFile))
            (0,external_node_fs_.copyFileSync)(path, localFile);
        const here = await sha256File(localFile);
        if (here !== sha256)
            throw new TransferMismatch(`copy of ${path}`, sha256, here);
        return { sha256 };
    }
    async dispose() {
        if (this.tmp)
            (0,external_node_fs_.rmSync)(this.tmp, { recursive: true, force: true });
        this.tmp = '';
    }
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
/******/ var __webpack_exports__ = __nccwpck_require__(759);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
