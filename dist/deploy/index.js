import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 282:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(279);
/* harmony import */ var _lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(816);
/* harmony import */ var _core_deploy_config_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(801);
/* harmony import */ var _core_deploy_run_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(397);
/* harmony import */ var _core_deploy_summary_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(650);
/* harmony import */ var _core_health_gate_summary_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(198);






await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('deploy', async (ctx) => {
    const cfg = (0,_core_deploy_config_js__WEBPACK_IMPORTED_MODULE_2__/* .readOneStepConfig */ .N5)(ctx.inputs);
    if (cfg.health.insecureTls)
        ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health gate');
    const report = await (0,_lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__/* .withTargets */ .d)(ctx, 'ssh', ({ targets, runner }) => (0,_core_deploy_run_js__WEBPACK_IMPORTED_MODULE_3__/* .runOneStep */ .K)(cfg, {
        log: ctx.log,
        warn: ctx.warn,
        signal: ctx.signal,
        hosts: targets,
        runner,
        gateEvents: {
            onAttempt: (url, a) => ctx.log(`${url} attempt ${a.n}: ${a.ok ? 'ok' : 'fail'} ${a.status ?? '-'} ${a.latencyMs} ms${a.reason ? ` — ${a.reason}` : ''}`),
        },
    }));
    ctx.setOutput('status', report.status);
    ctx.setOutput('release-id', report.deploy.releaseId);
    ctx.setOutput('release-path', report.deploy.releasePath);
    ctx.setOutput('previous-release-id', report.deploy.previousReleaseId);
    ctx.setOutput('rolled-back', report.rolledBack);
    ctx.setOutput('migrations', report.release?.migrations ?? { framework: cfg.release?.preset ?? 'none', applied: [], before: [], after: [] });
    ctx.setOutput('healthy', report.health?.healthy ?? false);
    ctx.setOutput('health', report.health ? (0,_core_health_gate_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .resultsJson */ .j)(report.health) : []);
    ctx.setOutput('hosts', report.deploy.hosts);
    ctx.setOutput('phases', report.phases);
    ctx.setOutput('duration-ms', report.durationMs);
    ctx.summary((0,_core_deploy_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .oneStepSummary */ .F)(report));
    for (const w of report.warnings)
        ctx.warn(w, 'deploy');
    if (report.error)
        throw new Error(report.error);
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 801:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  N5: () => (/* binding */ readOneStepConfig)
});

// UNUSED EXPORTS: HEALTH_RENAMES, RELEASE_RENAMES

// EXTERNAL MODULE: ./src/lib/inputs.ts
var lib_inputs = __nccwpck_require__(662);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/config.ts



const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** Directories that are never a deploy base (the host checks again after resolving symlinks). */
const SYSTEM_DIRS = new Set('/bin /boot /dev /etc /home /lib /lib32 /lib64 /libx32 /media /mnt /opt /proc /root /run /sbin /srv /sys /tmp /usr /var /snap'.split(' '));
/**
 * Refuses targets where a mistake destroys something: empty, /, relative, `.`/`..`, a home directory itself,
 * a system directory. `//root` and `/home//user` are normalized first. This is the check before any
 * connection; the host resolves the path (`realpath`, symlinks included) and refuses the same before the
 * first write.
 */
function checkRemotePath(path) {
    if (!path.trim())
        throw new lib_inputs/* InputError */.dz('path', 'is required: the remote base directory, e.g. /srv/app');
    if (/[\0\n\r]/.test(path))
        throw new lib_inputs/* InputError */.dz('path', 'must not contain NUL or newlines');
    if (!path.startsWith('/'))
        throw new lib_inputs/* InputError */.dz('path', `"${path}" must be absolute (start with /)`);
    const p = path.replace(/\/+/g, '/').replace(/\/$/, '');
    if (p === '')
        throw new lib_inputs/* InputError */.dz('path', 'refusing to deploy into /');
    if (p.split('/').some((seg) => seg === '..' || seg === '.'))
        throw new lib_inputs/* InputError */.dz('path', `"${path}" must not contain . or .. segments`);
    if (/^\/(root|home\/[^/]+)$/.test(p))
        throw new lib_inputs/* InputError */.dz('path', `refusing to deploy into a home directory itself (${p}); use a folder below it`);
    if (SYSTEM_DIRS.has(p) ||
        /^\/(usr|var)\/[^/]+$/.test(p) ||
        /^\/(proc|sys|dev|boot|etc|bin|sbin|lib|lib32|lib64|run)\//.test(p))
        throw new lib_inputs/* InputError */.dz('path', `refusing to deploy into a system directory (${p}); use a directory of its own, e.g. /srv/app`);
    return p;
}
/** `shared` entries: relative paths inside the release, no `.`/`..`/empty segments (a trailing / means a directory). */
function checkSharedEntry(s) {
    const t = s.trim();
    const body = t.replace(/\/$/, '');
    if (!body ||
        body.startsWith('/') ||
        /[\0\n\r]/.test(body) ||
        body.split('/').some((seg) => seg === '' || seg === '.' || seg === '..'))
        throw new lib_inputs/* InputError */.dz('shared', `"${s}" must be a relative path inside the release without . or .. segments (e.g. .env, media, storage/logs/)`);
    return t;
}
function defaultReleaseId(env, now = new Date()) {
    const sha = (env.GITHUB_SHA ?? '').slice(0, 7);
    const run = env.GITHUB_RUN_NUMBER;
    const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `.${env.GITHUB_RUN_ATTEMPT}` : '';
    if (sha && run)
        return `${sha}-${run}${attempt}`;
    return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}
function readDeployConfig(inputs, env = process.env) {
    const path = checkRemotePath(inputs.raw('path'));
    const rollbackRaw = inputs.raw('rollback');
    let rollback;
    if (rollbackRaw && rollbackRaw !== 'false') {
        rollback = rollbackRaw === 'true' ? '' : rollbackRaw;
        if (rollback && !ID_RE.test(rollback))
            throw new lib_inputs/* InputError */.dz('rollback', `"${rollback}" is not true, false or a release id`);
    }
    const activate = inputs.choice('activate', ['true', 'false', 'only'], 'true');
    const releaseIdInput = inputs.raw('release-id');
    if (activate === 'only' && !releaseIdInput)
        throw new lib_inputs/* InputError */.dz('release-id', 'is required with activate: only (the release to switch to)');
    const releaseId = releaseIdInput || defaultReleaseId(env);
    if (!ID_RE.test(releaseId))
        throw new lib_inputs/* InputError */.dz('release-id', `"${releaseId}" may hold only letters, digits, . _ - (max 128)`);
    const source = inputs.string('source', '.');
    if (rollback === undefined && activate !== 'only') {
        if (!(0,external_node_fs_.existsSync)(source) || !(0,external_node_fs_.statSync)(source).isDirectory())
            throw new lib_inputs/* InputError */.dz('source', `"${source}" is not a directory`);
    }
    const shared = inputs.list('shared').map(checkSharedEntry);
    const deployignore = (0,external_node_path_.join)(source, '.deployignore');
    const runUrl = env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : '';
    const owner = [
        env.GITHUB_REPOSITORY,
        runUrl,
        env.GITHUB_ACTOR,
        new Date().toISOString(),
        Math.random().toString(36).slice(2, 10),
    ]
        .filter(Boolean)
        .join(' ');
    return {
        source,
        path,
        releaseId,
        excludes: ['.git', ...inputs.list('exclude')],
        excludeFrom: (0,external_node_fs_.existsSync)(deployignore) ? deployignore : undefined,
        shared,
        keepReleases: inputs.integer('keep-releases', 5, { min: 1, max: 1000 }),
        beforeActivate: inputs.lines('before-activate'),
        afterActivate: inputs.lines('after-activate'),
        activate,
        strategy: inputs.choice('strategy', ['parallel', 'serial', 'canary'], 'parallel'),
        rollback,
        lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
        lockTtlMs: inputs.duration('lock-ttl', '1h'),
        commandTimeoutMs: inputs.duration('command-timeout', '10m', { min: 1000 }),
        idleTimeoutMs: inputs.duration('idle-timeout', '5m'),
        env: inputs.env('env'),
        owner,
        runUrl,
        actor: env.GITHUB_ACTOR ?? '',
    };
}

// EXTERNAL MODULE: ./src/core/health-gate/json-expect.ts
var json_expect = __nccwpck_require__(330);
;// CONCATENATED MODULE: ./src/core/health-gate/status-spec.ts
function parseStatusSpec(spec) {
    const ranges = [];
    const parts = spec
        .split(/[\s,]+/)
        .map((p) => p.trim())
        .filter(Boolean);
    if (parts.length === 0)
        throw new Error('is empty; use e.g. 200-399 or 200,204');
    for (const p of parts) {
        let m;
        if ((m = /^([1-5])xx$/i.exec(p))) {
            const base = Number(m[1]) * 100;
            ranges.push([base, base + 99]);
        }
        else if ((m = /^(\d{3})-(\d{3})$/.exec(p))) {
            const lo = Number(m[1]);
            const hi = Number(m[2]);
            if (lo > hi)
                throw new Error(`range "${p}" is backwards`);
            ranges.push([lo, hi]);
        }
        else if (/^\d{3}$/.test(p)) {
            ranges.push([Number(p), Number(p)]);
        }
        else {
            throw new Error(`"${p}" is not a status code, range (200-399) or class (2xx)`);
        }
    }
    for (const [lo, hi] of ranges) {
        if (lo < 100 || hi > 599)
            throw new Error(`status codes must be within 100-599`);
    }
    return { match: (s) => ranges.some(([lo, hi]) => s >= lo && s <= hi), text: parts.join(',') };
}

;// CONCATENATED MODULE: ./src/core/health-gate/config.ts



/** Hard caps on the smoke load so a typo cannot turn a gate into a denial of service. */
const LOAD_LIMITS = { concurrency: 500, requests: 100_000, durationMs: 10 * 60_000 };
function wrap(name, fn) {
    try {
        return fn();
    }
    catch (e) {
        if (e instanceof lib_inputs/* InputError */.dz)
            throw e;
        throw new lib_inputs/* InputError */.dz(name, e.message);
    }
}
function readHealthGateConfig(inputs) {
    const urls = inputs.list('url');
    if (urls.length === 0)
        throw new lib_inputs/* InputError */.dz('url', 'is required (one or more http(s) URLs)');
    for (const u of urls) {
        let parsed;
        try {
            parsed = new URL(u);
        }
        catch {
            throw new lib_inputs/* InputError */.dz('url', `"${u}" is not a URL; write it in full, e.g. https://example.com/healthz`);
        }
        if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
            throw new lib_inputs/* InputError */.dz('url', `"${u}" must start with http:// or https://`);
        }
    }
    const method = inputs.string('method', 'GET').toUpperCase();
    if (!/^[A-Z]+$/.test(method))
        throw new lib_inputs/* InputError */.dz('method', `"${method}" is not an HTTP method`);
    const status = wrap('expected-status', () => parseStatusSpec(inputs.string('expected-status', '200-399')));
    const regexText = inputs.raw('expect-body-regex');
    const bodyRegex = regexText ? wrap('expect-body-regex', () => new RegExp(regexText, 'm')) : undefined;
    const json = wrap('expect-json', () => (0,json_expect/* parseJsonExpectations */.v)(inputs.lines('expect-json')));
    const maxLatency = inputs.raw('max-latency') ? inputs.duration('max-latency', '0') : undefined;
    const minTls = inputs.raw('min-tls-days') ? inputs.number('min-tls-days', 0, { min: 0 }) : undefined;
    const timing = {
        initialDelayMs: inputs.duration('initial-delay', '0'),
        periodMs: inputs.duration('period', '5s', { min: 10 }),
        timeoutMs: inputs.duration('timeout', '10s', { min: 1 }),
        successThreshold: inputs.integer('success-threshold', 1, { min: 1, max: 1000 }),
        failureThreshold: inputs.integer('failure-threshold', 3, { min: 1, max: 1000 }),
        deadlineMs: inputs.duration('deadline', '5m', { min: 1 }),
    };
    const follow = inputs.raw('follow-redirects').toLowerCase();
    let maxRedirects = 5;
    if (follow === 'false' || follow === 'no')
        maxRedirects = 0;
    else if (follow === '' || follow === 'true' || follow === 'yes')
        maxRedirects = 5;
    else
        maxRedirects = inputs.integer('follow-redirects', 5, { min: 0, max: 20 });
    let load;
    const concurrency = inputs.integer('load-concurrency', 0, { min: 0, max: LOAD_LIMITS.concurrency });
    if (concurrency > 0) {
        const hasDuration = !!inputs.raw('load-duration');
        const hasRequests = !!inputs.raw('load-requests');
        if (!hasDuration && !hasRequests) {
            throw new lib_inputs/* InputError */.dz('load-concurrency', 'needs load-duration or load-requests to bound the smoke load');
        }
        const durationMs = hasDuration ? inputs.duration('load-duration', '0', { min: 1 }) : LOAD_LIMITS.durationMs;
        if (durationMs > LOAD_LIMITS.durationMs)
            throw new lib_inputs/* InputError */.dz('load-duration', `at most ${LOAD_LIMITS.durationMs / 60000} minutes`);
        const maxRequests = hasRequests
            ? inputs.integer('load-requests', 0, { min: 1, max: LOAD_LIMITS.requests })
            : LOAD_LIMITS.requests;
        load = {
            concurrency,
            durationMs,
            maxRequests,
            maxP95Ms: inputs.raw('max-p95') ? inputs.duration('max-p95', '0') : undefined,
            maxErrorRate: parseRate(inputs.string('max-error-rate', '1%')),
        };
    }
    return {
        urls,
        method,
        headers: inputs.headers('headers'),
        expectations: {
            status,
            bodyRegex,
            json,
            version: inputs.raw('expect-version') || undefined,
            versionHeader: inputs.raw('version-header') || undefined,
            maxLatencyMs: maxLatency,
            minTlsDays: minTls,
        },
        timing,
        maxRedirects,
        insecureTls: inputs.boolean('insecure-tls', false),
        failOnUnhealthy: inputs.boolean('fail-on-unhealthy', true),
        load,
    };
    function parseRate(text) {
        const m = /^(\d+(?:\.\d+)?)\s*(%?)$/.exec(text.trim());
        if (!m)
            throw new lib_inputs/* InputError */.dz('max-error-rate', `"${text}" is not a rate; use 1% or 0.01`);
        const v = m[2] ? Number(m[1]) / 100 : Number(m[1]);
        if (v < 0 || v > 1)
            throw new lib_inputs/* InputError */.dz('max-error-rate', `"${text}" must be between 0 and 100%`);
        return v;
    }
}

;// CONCATENATED MODULE: ./src/lib/oci/reference.ts
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

// EXTERNAL MODULE: ./src/core/run-release-phase/run.ts + 3 modules
var run = __nccwpck_require__(0);
;// CONCATENATED MODULE: ./src/core/run-release-phase/config.ts




function readReleaseConfig(inputs, env = process.env) {
    const runOn = inputs.choice('run-on', ['local', 'ssh', 'docker'], 'ssh');
    const service = inputs.raw('compose-service') || undefined;
    // run-on docker: empty = the image runs as is (its own WORKDIR and code), nothing mounted; set = mounted at
    // /app (images that hold only the runtime). With compose-service it is the compose project directory.
    const wd = inputs.raw('working-directory') || (runOn === 'local' || (runOn === 'docker' && service) ? '.' : '');
    if (!wd && runOn === 'ssh')
        throw new lib_inputs/* InputError */.dz('working-directory', 'is required with run-on ssh: the release path (ssh-rsync-deploy output release-path)');
    if (/(^|\/)\.\.(\/|$)/.test(wd))
        throw new lib_inputs/* InputError */.dz('working-directory', `"${wd}" must not contain ..`);
    // `docker run -v app:/app` would silently create a named volume: a relative directory is made absolute.
    const mounted = runOn === 'docker' && !service && wd ? (0,external_node_path_.resolve)(wd) : wd;
    const network = inputs.raw('network') || undefined;
    if (network !== undefined) {
        if (runOn !== 'docker' || service)
            throw new lib_inputs/* InputError */.dz('network', 'is for run-on docker with image (docker run --network); in compose mode set network_mode / networks in the compose file');
        if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(network))
            throw new lib_inputs/* InputError */.dz('network', `"${network}" is not a docker network name (e.g. host, myproject_default)`);
    }
    const preset = inputs.choice('preset', ['django', 'alembic', 'none'], 'none');
    const commands = inputs.lines('commands');
    if (preset === 'none' && commands.length === 0)
        throw new lib_inputs/* InputError */.dz('preset', 'none and no commands: nothing to run; set preset (django, alembic) or commands');
    const image = inputs.raw('image') || undefined;
    if (runOn === 'docker' && !image && !service)
        throw new lib_inputs/* InputError */.dz('image', 'is required with run-on: docker (or set compose-service)');
    // Validated as a reference (never starts with `-`): `-v/:/host` would otherwise be read as a docker option.
    if (image) {
        try {
            parseImageRef(image);
        }
        catch (e) {
            throw new lib_inputs/* InputError */.dz('image', `is not a valid image reference: ${e.message}`);
        }
    }
    if (service && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(service))
        throw new lib_inputs/* InputError */.dz('compose-service', `"${service}" is not a compose service name`);
    const superuser = inputs.boolean('django-superuser', false);
    const vars = inputs.env('env');
    if (superuser) {
        for (const k of ['DJANGO_SUPERUSER_USERNAME', 'DJANGO_SUPERUSER_PASSWORD']) {
            if (!vars[k])
                throw new lib_inputs/* InputError */.dz('env', `django-superuser needs ${k} in env (from a secret)`);
        }
    }
    const lockPath = inputs.raw('lock-path');
    if (lockPath && (/(^|\/)\.\.(\/|$)/.test(lockPath) || lockPath.includes('\0') || lockPath.startsWith('-')))
        throw new lib_inputs/* InputError */.dz('lock-path', `"${lockPath.slice(0, 80)}" must be the deploy base path itself (no .. segments, not starting with -)`);
    return {
        runOn,
        workingDirectory: mounted,
        preset,
        commands,
        env: vars,
        python: inputs.string('python', 'python3'),
        superuser,
        composeService: service,
        composeFiles: inputs.list('compose-file'),
        image,
        ...(network ? { network } : {}),
        timeoutMs: inputs.duration('timeout', '1h', { min: 1000 }),
        idleTimeoutMs: inputs.duration('idle-timeout', '30m'),
        lockBase: lockPath || (runOn === 'ssh' ? (0,run/* deployBaseOf */.IG)(wd) : undefined),
        composeProject: service ? readComposeProject(inputs, wd) : undefined,
        historyBase: runOn === 'ssh' ? (0,run/* deployBaseOf */.IG)(wd) : undefined,
        runUrl: env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
            : '',
        lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
        owner: [
            env.GITHUB_REPOSITORY,
            env.GITHUB_RUN_ID,
            env.GITHUB_ACTOR,
            new Date().toISOString(),
            Math.random().toString(36).slice(2, 8),
        ]
            .filter(Boolean)
            .join(' '),
    };
}
/** What Compose makes of a directory name when it names a project after it (lowercase, [a-z0-9_-]). */
function composeProjectName(dirName) {
    return dirName
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '')
        .replace(/^[_-]+/, '');
}
/**
 * `compose-project`: given, or the name of the deploy base (the directory holding releases/) when
 * working-directory is a release of that layout. Never the release directory's own name: Compose would
 * start a new project (with an empty database) for every release.
 */
function readComposeProject(inputs, workingDirectory) {
    const given = inputs.raw('compose-project');
    if (given) {
        if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(given))
            throw new lib_inputs/* InputError */.dz('compose-project', `"${given}" is not a Compose project name (lowercase letters, digits, _ and -, starting with a letter or digit)`);
        return given;
    }
    const base = (0,run/* deployBaseOf */.IG)(workingDirectory);
    if (!base)
        return undefined;
    const name = composeProjectName(base.split('/').pop() ?? '');
    if (!name)
        throw new lib_inputs/* InputError */.dz('compose-project', `is required: the deploy directory ${base} gives no Compose project name; set the live project's name`);
    return name;
}

;// CONCATENATED MODULE: ./src/core/deploy/config.ts




/**
 * The root action's inputs keep the names of the three actions it composes (ssh-rsync-deploy,
 * run-release-phase, health-gate). Where two of them use one name for different things, the name is
 * prefixed here; each reader sees its own name through an input view, and errors name ours.
 */
const RELEASE_RENAMES = { timeout: 'release-timeout', 'idle-timeout': 'release-idle-timeout' };
const HEALTH_RENAMES = { timeout: 'health-timeout' };
/**
 * The inputs as another action's reader sees them: `rename` maps the reader's name to ours, `fixed` pins a
 * reader's input. The view itself masks nothing: readOneStepConfig masks every secret the composed readers
 * read (env, headers) through the action's own inputs first, from the same text.
 */
function view(base, rename, fixed = {}) {
    return new lib_inputs/* Inputs */.G0((n) => (Object.hasOwn(fixed, n) ? fixed[n] : base.raw(rename[n] ?? n)));
}
/** Runs a reader on a renamed view; an InputError names the input as this action's user wrote it. */
function read(rename, fn) {
    try {
        return fn();
    }
    catch (e) {
        if (e instanceof lib_inputs/* InputError */.dz && rename[e.input]) {
            throw new lib_inputs/* InputError */.dz(rename[e.input], e.message.replace(/^input `[^`]*`: /, ''));
        }
        throw e;
    }
}
function readOneStepConfig(inputs, env = process.env) {
    inputs.env('env');
    inputs.headers('headers');
    // The one-step run uploads, switches and never takes ssh-rsync-deploy's rollback/activate-only paths.
    const deploy = readDeployConfig(view(inputs, {}, { activate: 'true', rollback: 'false', strategy: 'parallel' }), env);
    let release;
    const preset = inputs.raw('preset');
    if ((preset && preset !== 'none') || inputs.lines('commands').length > 0) {
        const rview = view(inputs, RELEASE_RENAMES, {
            'run-on': 'ssh',
            'working-directory': `${deploy.path}/releases/${deploy.releaseId}`,
            'lock-path': '',
            image: '',
            network: '',
        });
        release = read(RELEASE_RENAMES, () => readReleaseConfig(rview, env));
        // The deploy lock is already held by this run for the whole deploy: the phase must not take it again.
        // A failed phase discards the release (it is never left to be marked bad).
        release.lockBase = undefined;
        release.historyBase = undefined;
    }
    else if (inputs.boolean('django-superuser', false)) {
        throw new lib_inputs/* InputError */.dz('django-superuser', 'needs preset: django');
    }
    // before/after-activate run `docker compose …` in the release directory: the same project as the release phase.
    if (inputs.raw('compose-project') || inputs.raw('compose-service')) {
        const project = readComposeProject(inputs, `${deploy.path}/releases/${deploy.releaseId}`);
        if (project && !deploy.env.COMPOSE_PROJECT_NAME)
            deploy.env = { ...deploy.env, COMPOSE_PROJECT_NAME: project };
    }
    const health = read(HEALTH_RENAMES, () => readHealthGateConfig(view(inputs, HEALTH_RENAMES, { 'fail-on-unhealthy': 'true' })));
    return { deploy, release, health };
}


/***/ }),

/***/ 397:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  K: () => (/* binding */ runOneStep)
});

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __nccwpck_require__(504);
// EXTERNAL MODULE: ./src/lib/lock.ts
var lib_lock = __nccwpck_require__(892);
// EXTERNAL MODULE: ./src/lib/release-history.ts
var release_history = __nccwpck_require__(419);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/remote.ts


/**
 * Every server-side step of a release is an op of this constant bash script, and one remote call runs a
 * list of ops in order (`set -e`: the first failing op ends the call; what ran before it printed its `@`
 * line). Inputs travel only as positional arguments (quoted by the executor): nothing from a workflow is
 * parsed as shell. A deploy of one host needs two calls around the rsync: before it, check-base + lock +
 * prepare + state + new-release; after it, complete + switch + history + log + prune + unlock.
 *
 * Layout under <base>: releases/<id>/, shared/, current -> releases/<id>, .deploy-kit/{lock/, order
 * (release ids in upload order, for pruning), bad/<id>, partial/<id> (an upload not finished yet),
 * releases.jsonl (activation history, see src/lib/release-history.ts), releases.log (human-readable)}.
 *
 * Lines the script prints for the caller start with `@`: `@lock …`, `@current <id>`, `@release <id>`,
 * `@bad <id>`, `@history <json>`, `@created <id>`, `@switched <id>`, `@pruned <id>`, `@discarded <id>`,
 * `@unlock released`, `@note <text>`.
 */
const REMOTE_SCRIPT = String.raw `set -euo pipefail
base=$1; shift
meta="$base/.deploy-kit"
${lib_lock/* LOCK_SH */.GM}
current_id() { local t; t=$(readlink -- "$base/current" 2>/dev/null) || return 0; printf '%s\n' "\${t##*/}"; }
ever_live() { [ -f "$meta/releases.jsonl" ] && grep -qF -- "{\"event\":\"activate\",\"id\":\"$1\"," "$meta/releases.jsonl"; }
refuse_base() { echo "refusing to deploy into $base: it resolves to $1 on this host ($2); use a directory of its own below it, e.g. $1/app" >&2; exit 8; }
op_check_base() {
  local real
  real=$(realpath -m -- "$base")
  local homes=()
  mapfile -t homes < <({ getent passwd 2>/dev/null || cat /etc/passwd; } | cut -d: -f6 | grep '^/' || true)
  [ -z "\${HOME:-}" ] || homes+=("$HOME")
  # (no grep -q: it would close the pipe early, and pipefail would turn a match into a failure)
  if ((\${#homes[@]})) && [ -n "$(realpath -m -- "\${homes[@]}" | grep -xF -- "$real")" ]; then
    refuse_base "$real" 'the home directory of an account'
  fi
  case "$real" in
    /|/bin|/boot|/dev|/etc|/home|/lib|/lib32|/lib64|/libx32|/media|/mnt|/opt|/proc|/root|/run|/sbin|/srv|/sys|/tmp|/usr|/var|/snap)
      refuse_base "$real" 'a system directory' ;;
    /usr/*/*|/var/*/*) ;;
    /usr/*|/var/*) refuse_base "$real" 'a system directory' ;;
    /proc/*|/sys/*|/dev/*|/boot/*|/etc/*|/bin/*|/sbin/*|/lib/*|/lib32/*|/lib64/*|/run/*)
      refuse_base "$real" 'inside a system directory' ;;
  esac
  return 0
}
op_prepare() {
  mkdir -p -- "$base/releases" "$base/shared" "$meta/bad" "$meta/partial"
  touch -- "$meta/order"
}
op_state() {
  local id
  printf '@current %s\n' "$(current_id)"
  for id in "$base"/releases/*; do [ -d "$id" ] && printf '@release %s\n' "\${id##*/}"; done
  for id in "$meta"/bad/*; do [ -e "$id" ] && printf '@bad %s\n' "\${id##*/}"; done
  for id in "$meta"/partial/*; do [ -e "$id" ] && printf '@partial %s\n' "\${id##*/}"; done
  if [ -f "$meta/releases.jsonl" ]; then tail -n ${release_history/* HISTORY_KEEP */.NY} -- "$meta/releases.jsonl" | sed 's/^/@history /'; fi
  return 0
}
op_new_release() {
  local id=$1 rel="$base/releases/$1"
  if [ -e "$rel" ] || [ -L "$rel" ]; then
    if [ -e "$meta/partial/$id" ] && [ "$(current_id)" != "$id" ] && ! ever_live "$id"; then
      rm -rf -- "$rel"; echo "@note removed the unfinished upload of $id left by an interrupted run"
    else
      echo "release $id already exists under $base/releases on this host; nothing was uploaded. Every upload needs a new release-id (to switch to an uploaded release use activate: only)" >&2
      exit 6
    fi
  fi
  : > "$meta/partial/$id"
  mkdir -- "$rel"
  echo "@created $id"
}
op_require() {
  local id=$1
  if [ ! -d "$base/releases/$id" ] || [ -e "$meta/partial/$id" ]; then
    echo "release $id was not uploaded completely to $base/releases on this host; run with activate: false first" >&2; exit 3
  fi
  if [ -e "$meta/bad/$id" ]; then
    echo "release $id is marked bad on this host (its release phase or health gate failed); upload a new release" >&2; exit 3
  fi
}
op_complete() {
  rm -f -- "$meta/partial/$1"
  grep -qxF -- "$1" "$meta/order" || printf '%s\n' "$1" >> "$meta/order"
}
no_link_parents() {
  local p=$1 rest=$2 c
  while [[ "$rest" == */* ]]; do
    c=\${rest%%/*}; rest=\${rest#*/}; p="$p/$c"
    if [ -L "$p" ]; then
      echo "shared entry $2: $p is a symbolic link; deploy-kit never follows a link out of the release (remove the link from the upload, or list the link itself in shared)" >&2
      exit 5
    fi
  done
}
op_link_shared() {
  local id=$1 s want; shift
  local rel="$base/releases/$id" sh="$base/shared"
  for s in "$@"; do
    want=auto
    case "$s" in */) want=dir; s=\${s%/} ;; esac
    no_link_parents "$rel" "$s"; no_link_parents "$sh" "$s"
    mkdir -p -- "$(dirname -- "$rel/$s")" "$(dirname -- "$sh/$s")"
    if [ ! -e "$sh/$s" ] && [ ! -L "$sh/$s" ] && [ -e "$rel/$s" ] && [ ! -L "$rel/$s" ]; then
      mv -T -- "$rel/$s" "$sh/$s"
    fi
    if [ ! -e "$sh/$s" ] && [ ! -L "$sh/$s" ]; then
      if [ "$want" = dir ]; then mkdir -p -- "$sh/$s"
      else case "\${s##*/}" in *.*) : > "$sh/$s" ;; *) mkdir -p -- "$sh/$s" ;; esac; fi
    fi
    rm -rf -- "$rel/$s"
    ln -s -- "$sh/$s" "$rel/$s"
  done
}
op_switch() {
  local id=$1
  [ -d "$base/releases/$id" ] || { echo "release $id does not exist under $base/releases" >&2; exit 3; }
  ln -sfn -- "releases/$id" "$base/.current.tmp"
  mv -T -- "$base/.current.tmp" "$base/current"
  echo "@switched $id"
}
op_history() {
  local l
  for l in "$@"; do printf '%s\n' "$l" >> "$meta/releases.jsonl"; done
}
op_mark_bad() {
  : > "$meta/bad/$1"
  printf '%s\n' "$2" >> "$meta/releases.jsonl"
}
op_log() { printf '%s\n' "$1" >> "$meta/releases.log"; }
op_prune() {
  local keep=$1 keepers id i n; shift
  keepers=" $(current_id) $* "
  mapfile -t ids < <(grep -v '^$' "$meta/order" || true)
  n=\${#ids[@]}; local removed=()
  for ((i = 0; i < n - keep; i++)); do
    id=\${ids[$i]}
    case "$keepers" in *" $id "*) continue ;; esac
    rm -rf -- "$base/releases/$id" "$meta/bad/$id"; removed+=("$id"); echo "@pruned $id"
  done
  if ((\${#removed[@]})); then
    grep -vxF -f <(printf '%s\n' "\${removed[@]}") "$meta/order" > "$meta/order.tmp" || true
    mv -T -- "$meta/order.tmp" "$meta/order"
  fi
  if [ -f "$meta/releases.jsonl" ] && [ "$(wc -l < "$meta/releases.jsonl")" -gt ${release_history/* HISTORY_KEEP */.NY} ]; then
    tail -n ${release_history/* HISTORY_KEEP */.NY} -- "$meta/releases.jsonl" > "$meta/releases.jsonl.tmp"
    mv -T -- "$meta/releases.jsonl.tmp" "$meta/releases.jsonl"
  fi
}
op_discard() {
  local id=$1
  if [ "$(current_id)" = "$id" ] || ever_live "$id"; then echo "@note kept $id: it is or was live"; return 0; fi
  rm -rf -- "$base/releases/$id"; rm -f -- "$meta/partial/$id"; echo "@discarded $id"
}
while (($# > 0)); do
  n=$1; op=$2; shift 2
  ((n <= $#)) || { echo "deploy-kit: malformed op list" >&2; exit 2; }
  args=("\${@:1:n}"); shift "$n"
  case "$op" in
    check-base) op_check_base ;;
    lock) rc=0; dk_lock "$base" "\${args[0]}" || rc=$?; ((rc == 0)) || { ((rc == 75)) && exit 0; exit "$rc"; } ;;
    unlock) dk_unlock "$base" "\${args[0]}" ;;
    prepare) op_prepare ;;
    state) op_state ;;
    new-release) op_new_release "\${args[@]}" ;;
    require) op_require "\${args[@]}" ;;
    complete) op_complete "\${args[@]}" ;;
    link-shared) op_link_shared "\${args[@]}" ;;
    switch) op_switch "\${args[@]}" ;;
    history) op_history "\${args[@]}" ;;
    mark-bad) op_mark_bad "\${args[@]}" ;;
    log) op_log "\${args[@]}" ;;
    prune) op_prune "\${args[@]}" ;;
    discard) op_discard "\${args[@]}" ;;
    *) echo "deploy-kit: unknown op $op" >&2; exit 2 ;;
  esac
done
`.replace(/\\\$\{/g, '$' + '{'); // \${ above keeps the template literal from interpolating bash's ${…}
/** One remote call running `ops` in order on the layout at `base`. */
function batchCommand(base, ops) {
    if (ops.length === 0)
        throw new Error('batchCommand: no ops');
    const args = [];
    for (const [name, ...rest] of ops)
        args.push(String(rest.length), name, ...rest);
    return {
        argv: ['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT, 'deploy-kit', base, ...args],
        label: ops.map((o) => o[0]).join(' + '),
    };
}
/** Reads the `@` lines a batch printed. */
function parseBatch(stdout) {
    const o = {
        releases: [],
        bad: [],
        partial: [],
        history: [],
        created: [],
        switched: [],
        pruned: [],
        discarded: [],
        unlocked: false,
        notes: [],
    };
    for (const line of stdout.split('\n')) {
        if (!line.startsWith('@'))
            continue;
        const sp = line.indexOf(' ');
        const tag = sp < 0 ? line.slice(1) : line.slice(1, sp);
        const v = sp < 0 ? '' : line.slice(sp + 1);
        switch (tag) {
            case 'current':
                o.current = v.trim();
                break;
            case 'release':
            case 'bad':
            case 'partial':
            case 'created':
            case 'switched':
            case 'pruned':
            case 'discarded':
                o[tag === 'release' ? 'releases' : tag].push(v);
                break;
            case 'history':
                o.history.push(v);
                break;
            case 'unlock':
                o.unlocked ||= v === 'released';
                break;
            case 'note':
                o.notes.push(v);
                break;
        }
    }
    return o;
}
/** A user command (before-activate, after-activate) with strict bash semantics in the release dir. */
function userCommand(command, cwd, env) {
    return { argv: ['bash', '-euo', 'pipefail', '-c', command], cwd, env, label: command.split('\n')[0].slice(0, 80) };
}

;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/rsync.ts
function rsyncCommand(p) {
    const argv = ['rsync', '-a', '--delete', '--stats', `--timeout=${p.ioTimeoutSec}`, '-e', p.shell];
    if (p.checksum)
        argv.splice(3, 0, '--checksum');
    if (p.linkDest)
        argv.push(`--link-dest=${p.linkDest}`);
    for (const e of p.excludes)
        argv.push(`--exclude=${e}`);
    if (p.excludeFrom)
        argv.push(`--exclude-from=${p.excludeFrom}`);
    const host = p.target.host.includes(':') ? `[${p.target.host}]` : p.target.host;
    argv.push('--', p.source.endsWith('/') ? p.source : `${p.source}/`, `${host}:${p.dest}/`);
    return { argv, label: `rsync to ${p.target.host}` };
}
function num(text, label) {
    const m = label.exec(text);
    return m ? Number(m[1].replace(/,/g, '')) : 0;
}
function parseRsyncStats(stdout) {
    return {
        files: num(stdout, /Number of regular files transferred: ([\d,]+)/),
        bytesSent: num(stdout, /Total bytes sent: ([\d,]+)/),
        totalSize: num(stdout, /Total file size: ([\d,]+)/),
    };
}

;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/deploy.ts






function deployMode(cfg) {
    return cfg.rollback !== undefined
        ? 'rollback'
        : cfg.activate === 'only'
            ? 'activate'
            : cfg.activate === 'false'
                ? 'prepare'
                : 'deploy';
}
const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The host's state as printed by the `state` op. */
function hostState(o) {
    return {
        current: o.current ?? '',
        releases: new Set(o.releases.filter((r) => SAFE_ID.test(r))),
        bad: new Set(o.bad.filter((r) => SAFE_ID.test(r))),
        history: (0,release_history/* parseHistory */.i6)(o.history.join('\n')),
    };
}
async function timed(h, step, fn) {
    const t = Date.now();
    try {
        return await fn();
    }
    finally {
        h.report.timings[step] = (h.report.timings[step] ?? 0) + Date.now() - t;
    }
}
/** Runs fn on hosts in parallel or one after another; collects failures instead of stopping midway. */
async function onHosts(hosts, serial, fn) {
    const failed = [];
    const one = async (h) => {
        try {
            await fn(h);
        }
        catch (e) {
            h.report.result = 'failed';
            h.report.error ??= e.message;
            failed.push(h);
        }
    };
    if (serial) {
        for (const h of hosts) {
            await one(h);
            if (failed.length)
                break;
        }
    }
    else
        await Promise.all(hosts.map(one));
    return failed;
}
const listErrors = (hosts) => hosts.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n');
function createDeployment(cfg, deps) {
    const { log, signal } = deps;
    const base = cfg.path;
    const mode = deployMode(cfg);
    const serial = cfg.strategy !== 'parallel';
    const hosts = deps.hosts.map((exec) => ({
        exec,
        mayHoldLock: false,
        switched: false,
        created: false,
        pending: [],
        report: {
            host: exec.target,
            result: 'not-started',
            releaseId: cfg.releaseId,
            previousReleaseId: '',
            files: 0,
            bytesSent: 0,
            timings: {},
            pruned: [],
        },
    }));
    /** With one host, letting go of the lock can ride on the last call: nothing else can need undoing. */
    const inlineUnlock = hosts.length === 1;
    const cmdOpts = (h, abortable = true) => ({
        timeoutMs: cfg.commandTimeoutMs,
        idleTimeoutMs: cfg.idleTimeoutMs,
        signal: abortable ? signal : undefined,
        onStdout: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
        onStderr: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
    });
    const releaseDir = (id) => `${base}/releases/${id}`;
    const event = (e) => (0,release_history/* historyLine */.Jo)({ ...e, at: new Date().toISOString(), run: cfg.runUrl || undefined, by: cfg.actor || undefined });
    const logLine = (text) => ['log', `${new Date().toISOString()} ${text} by ${cfg.owner}`];
    /**
     * Sends the host's queued ops plus `ops` in one call. What the call printed is applied to the host (switched,
     * pruned, lock let go) even when a later op failed. `firm`: not tied to the cancel signal.
     */
    const flush = async (h, ops = [], firm = false) => {
        const all = [...h.pending, ...ops];
        h.pending = [];
        if (!all.length)
            return parseBatch('');
        let r;
        try {
            r = await (0,types/* runChecked */.X4)(h.exec, batchCommand(base, all), {
                timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs,
                signal: firm ? undefined : signal,
            });
            return apply(h, r.stdout);
        }
        catch (e) {
            if (e instanceof types/* CommandError */.Qd)
                apply(h, e.result.stdout);
            throw e;
        }
    };
    const apply = (h, stdout) => {
        const o = parseBatch(stdout);
        for (const id of o.switched) {
            h.switched = id === cfg.releaseId || h.switched;
            log(`[${h.exec.target}] current -> releases/${id}`);
        }
        if (o.unlocked)
            h.mayHoldLock = false;
        if (o.pruned.length)
            h.report.pruned.push(...o.pruned);
        for (const n of o.notes)
            log(`[${h.exec.target}] ${n}`);
        return o;
    };
    const runUserCommands = async (h, commands, id, phase, abortable = true) => {
        for (const c of commands) {
            log(`[${h.exec.target}] ${phase}: ${c}`);
            await timed(h, phase, () => (0,types/* runChecked */.X4)(h.exec, userCommand(c, releaseDir(id), {
                ...cfg.env,
                DEPLOY_KIT_RELEASE_ID: id,
                DEPLOY_KIT_RELEASE_PATH: releaseDir(id),
            }), cmdOpts(h, abortable)));
        }
    };
    const revert = async (switched, opts = {}) => {
        const reason = opts.reason ?? 'switched back';
        for (const h of switched.filter((x) => x.switched)) {
            const prev = h.report.previousReleaseId;
            const bad = ['mark-bad', cfg.releaseId, event({ event: 'bad', id: cfg.releaseId, reason })];
            if (!prev) {
                // A first deploy has nothing to go back to: keep serving it, but never roll back onto it later.
                await flush(h, [bad], true).catch(() => undefined);
                h.report.result = 'failed'; // not `ok`: it serves a release this run found bad
                h.report.error =
                    `${h.report.error ?? ''} no previous release to switch back to: current still points at ${cfg.releaseId} (marked bad)`.trim();
                continue;
            }
            try {
                await timed(h, 'revert', () => flush(h, [
                    ['switch', prev],
                    ['history', event({ event: 'activate', id: prev, from: cfg.releaseId, how: 'revert' })],
                    bad,
                    logLine(`revert ${cfg.releaseId} -> ${prev}`),
                ], true));
                h.report.result = 'reverted';
                log(`[${h.exec.target}] reverted to ${prev}`);
                if (opts.afterActivate)
                    await runUserCommands(h, cfg.afterActivate, prev, 'revert after-activate', false);
            }
            catch (e) {
                h.report.error = `${h.report.error ?? ''} revert failed: ${e.message}`.trim();
            }
        }
    };
    const discard = async () => {
        // Only under this run's lock: a host that already let go may have a new deploy going on.
        for (const h of hosts.filter((x) => !x.switched && x.created && x.mayHoldLock)) {
            h.pending = [];
            try {
                const o = await flush(h, [['discard', cfg.releaseId]], true);
                if (o.discarded.length && h.report.result === 'uploaded')
                    h.report.result = 'discarded';
                if (o.discarded.length)
                    h.created = false;
            }
            catch (e) {
                h.report.error =
                    `${h.report.error ?? ''} the unfinished release ${releaseDir(cfg.releaseId)} could not be removed; remove it by hand: ${e.message.split('\n').slice(-2).join(' ')}`.trim();
            }
        }
    };
    const lock = async () => {
        const failures = await onHosts(hosts, false, async (h) => {
            const ops = [['check-base'], ['lock', cfg.owner], ['prepare'], ['state']];
            if (mode === 'deploy' || mode === 'prepare')
                ops.push(['new-release', cfg.releaseId]);
            if (mode === 'activate')
                ops.push(['require', cfg.releaseId]);
            h.mayHoldLock = true;
            let held;
            try {
                held = (await timed(h, 'lock', () => (0,lib_lock/* acquireLock */.IZ)(h.exec, base, {
                    owner: cfg.owner,
                    timeoutMs: cfg.lockTimeoutMs,
                    ttlMs: cfg.lockTtlMs,
                    signal,
                    attempt: batchCommand(base, ops),
                    onWait: (by, age) => log(`[${h.exec.target}] waiting for the deploy lock held by ${by} (${age} s)`),
                }))).result;
            }
            catch (e) {
                // The lock may be ours even though a later op refused (an existing release id): see unlock().
                if (e instanceof types/* CommandError */.Qd)
                    apply(h, e.result.stdout);
                throw e;
            }
            const o = apply(h, held.stdout);
            h.state = hostState(o);
            h.created = o.created.includes(cfg.releaseId);
            h.report.previousReleaseId = h.state.current;
        });
        if (failures.length)
            throw new Error(listErrors(failures));
    };
    const prepareHost = async (h) => {
        const prev = h.report.previousReleaseId;
        const rsync = rsyncCommand({
            source: cfg.source,
            target: h.exec.host,
            dest: releaseDir(cfg.releaseId),
            linkDest: prev && prev !== cfg.releaseId && h.state?.releases.has(prev) ? releaseDir(prev) : undefined,
            excludes: cfg.excludes,
            excludeFrom: cfg.excludeFrom,
            shell: h.exec.rsyncShell(),
            ioTimeoutSec: Math.max(10, Math.round(cfg.idleTimeoutMs / 1000)),
            checksum: true,
        });
        log(`[${h.exec.target}] uploading ${cfg.source} to ${releaseDir(cfg.releaseId)}${prev ? ` (files with the same content linked to ${prev})` : ''}`);
        const r = await timed(h, 'upload', () => (0,types/* runChecked */.X4)(deps.runner, rsync, { timeoutMs: cfg.commandTimeoutMs, signal }));
        const stats = parseRsyncStats(r.stdout);
        h.report.files = stats.files;
        h.report.bytesSent = stats.bytesSent;
        h.pending.push(['complete', cfg.releaseId]);
        if (cfg.shared.length)
            h.pending.push(['link-shared', cfg.releaseId, ...cfg.shared]);
        if (cfg.beforeActivate.length) {
            await timed(h, 'shared', () => flush(h));
            await runUserCommands(h, cfg.beforeActivate, cfg.releaseId, 'before-activate');
        }
        h.report.result = 'uploaded';
    };
    const upload = async (wave) => {
        const canary = cfg.strategy === 'canary' && hosts.length > 1;
        const failed = await onHosts(wave, serial && !canary, prepareHost);
        if (failed.length) {
            await revert(hosts.filter((h) => h.switched), { reason: 'another host failed before its switch' });
            await discard();
            throw new Error(`before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}${hosts.some((h) => h.report.result === 'reverted') ? ' (the canary was switched back)' : ''}.`);
        }
    };
    const settle = async (wave) => {
        const failed = await onHosts(wave, false, (h) => timed(h, 'shared', () => flush(h)).then(() => undefined));
        if (failed.length) {
            await discard();
            throw new Error(`before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}.`);
        }
    };
    const finalOps = (h, last = inlineUnlock) => {
        const id = h.report.releaseId;
        const prev = h.report.previousReleaseId;
        // Never prune the release a rollback would go back to now.
        const back = (0,release_history/* rollbackTarget */.es)({
            history: [...(h.state?.history ?? []), { event: 'activate', id, at: '' }],
            current: id,
            existing: h.state?.releases ?? new Set(),
            bad: h.state?.bad,
        });
        const ops = [
            logLine(`${mode === 'rollback' ? 'rollback' : 'deploy'} ${id} (from ${prev || 'none'})`),
            ['prune', String(cfg.keepReleases), id, ...(prev ? [prev] : []), ...(back ? [back] : [])],
        ];
        if (last || inlineUnlock)
            ops.push(['unlock', cfg.owner]);
        return ops;
    };
    const activate = async (wave, opts = {}) => {
        const id = cfg.releaseId;
        const failed = await onHosts(wave, serial, async (h) => {
            const ops = [
                ['switch', id],
                [
                    'history',
                    event({
                        event: 'activate',
                        id,
                        from: h.report.previousReleaseId || undefined,
                        how: mode === 'activate' ? 'activate' : 'deploy',
                    }),
                ],
            ];
            const inline = opts.finalize && cfg.afterActivate.length === 0;
            await timed(h, 'switch', () => flush(h, inline ? [...ops, ...finalOps(h)] : ops, true)).catch((e) => {
                // The switch went through and only the record or pruning after it failed: live, with a warning.
                if (!h.switched)
                    throw e;
                log(`[${h.exec.target}] switched, but recording or pruning failed: ${e.message}`);
            });
            await runUserCommands(h, cfg.afterActivate, id, 'after-activate');
            h.report.result = 'ok';
        });
        if (failed.length) {
            // One release id across all hosts: every host already switched goes back.
            await revert(hosts.filter((h) => h.switched), { afterActivate: opts.restartOnRevert, reason: 'after-activate failed' });
            throw new Error(`after the switch: ${listErrors(failed)}\nHosts already switched went back to their previous release.`);
        }
    };
    const finalize = async (wave, opts = {}) => {
        const errors = [];
        await Promise.all(wave.map(async (h) => {
            await timed(h, 'prune', () => flush(h, finalOps(h, opts.last))).catch((e) => errors.push(`${h.exec.target}: ${e.message}`));
        }));
        if (errors.length)
            throw new Error(errors.join('\n'));
    };
    const rollback = async () => {
        const failed = await onHosts(hosts, serial, async (h) => {
            const st = h.state;
            const from = st.current;
            let target;
            if (cfg.rollback) {
                if (!st.releases.has(cfg.rollback))
                    throw new Error(`release ${cfg.rollback} does not exist under ${base}/releases`);
                target = cfg.rollback;
            }
            else {
                const t = (0,release_history/* rollbackTarget */.es)({ history: st.history, current: from, existing: st.releases, bad: st.bad });
                if (!t)
                    throw new Error(`no earlier good release to roll back to (current: ${from || 'none'}): no release that was live before it is left unmarked on this host; name one with rollback: <release-id>`);
                target = t;
            }
            h.report.releaseId = target;
            const ops = [];
            if (from && from !== target)
                ops.push(['mark-bad', from, event({ event: 'bad', id: from, reason: 'rolled back' })]);
            ops.push(['switch', target], ['history', event({ event: 'activate', id: target, from: from || undefined, how: 'rollback' })]);
            // Each host rolls back on its own (nothing to undo across hosts): its last call lets go of its lock.
            if (cfg.afterActivate.length === 0)
                ops.push(...finalOps(h, true));
            await timed(h, 'switch', () => flush(h, ops, true));
            h.switched = true;
            await runUserCommands(h, cfg.afterActivate, target, 'after-activate');
            if (cfg.afterActivate.length)
                await flush(h, finalOps(h, true));
            h.report.result = 'ok';
        });
        if (failed.length)
            throw new Error(listErrors(failed));
    };
    const activateOnly = async () => {
        await activate(hosts, { finalize: true });
        if (cfg.afterActivate.length || !inlineUnlock)
            await finalize(hosts, { last: true });
    };
    const finishPrepare = async () => {
        const failed = await onHosts(hosts, false, async (h) => {
            await flush(h, [
                ['history', event({ event: 'upload', id: cfg.releaseId })],
                logLine(`upload ${cfg.releaseId} (not activated)`),
                ['unlock', cfg.owner], // every host uploaded: nothing left to undo
            ]);
        });
        if (failed.length)
            throw new Error(listErrors(failed));
    };
    const unlock = async () => {
        await Promise.all(hosts
            .filter((h) => h.mayHoldLock)
            .map(async (h) => {
            // Not tied to the job's signal: a cancelled run must still let go of its lock.
            const r = await h.exec
                .run((0,lib_lock/* unlockCommand */.I_)(base, cfg.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs })
                .catch(() => undefined);
            if (r && r.end === 'exit' && r.code === 0)
                h.mayHoldLock = false;
        }));
    };
    const report = (error) => {
        const rid = mode === 'rollback' ? (hosts[0]?.report.releaseId ?? '') : cfg.releaseId;
        return {
            mode,
            releaseId: rid,
            releasePath: `${base}/releases/${rid}`,
            previousReleaseId: hosts[0]?.report.previousReleaseId ?? '',
            hosts: hosts.map((h) => h.report),
            ok: !error &&
                hosts.every((h) => h.report.result === 'ok' || (mode === 'prepare' && h.report.result === 'uploaded')),
            error,
        };
    };
    return {
        hosts,
        lock,
        upload,
        settle,
        activate,
        finalize,
        revert,
        discard,
        rollback,
        activateOnly,
        finishPrepare,
        unlock,
        report,
    };
}
async function runDeploy(cfg, deps) {
    const d = createDeployment(cfg, deps);
    const mode = deployMode(cfg);
    let error;
    try {
        await d.lock();
        if (mode === 'rollback')
            await d.rollback();
        else if (mode === 'activate')
            await d.activateOnly();
        else {
            // Upload and prepare the new release on every host (canary: the first host alone first).
            const canary = cfg.strategy === 'canary' && d.hosts.length > 1;
            const waves = canary ? [d.hosts.slice(0, 1), d.hosts.slice(1)] : [d.hosts];
            for (const [i, wave] of waves.entries()) {
                await d.upload(wave);
                if (mode === 'deploy') {
                    // One host: switch, record, prune and unlock go in one call (unless after-activate runs between).
                    // Several: switch on all first (a failure switches every host back), then record + prune + unlock.
                    await d.activate(wave, { finalize: d.hosts.length === 1 });
                    if (d.hosts.length > 1 || cfg.afterActivate.length)
                        await d.finalize(wave, { last: i === waves.length - 1 });
                }
            }
            if (mode === 'prepare')
                await d.finishPrepare();
        }
    }
    catch (e) {
        error = e.message;
        await d.discard().catch(() => undefined);
    }
    finally {
        await d.unlock();
    }
    return d.report(error);
}

// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __nccwpck_require__(310);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __nccwpck_require__(737);
;// CONCATENATED MODULE: ./src/core/health-gate/body-regex.ts
/**
 * `expect-body-regex` runs in a worker thread, never on the main thread: JavaScript regexes backtrack, and a
 * pattern like `^(a+)+$` on a short body that does not match runs for minutes. The worker is terminated when
 * the attempt's time runs out (V8 stops a regex in progress on terminate), so the gate's deadline holds
 * whatever the pattern; the next check starts a fresh worker.
 */
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (m) => {
  let r;
  try {
    r = { id: m.id, matched: new RegExp(m.source, m.flags).test(m.body) };
  } catch (e) {
    r = { id: m.id, error: String((e && e.message) || e) };
  }
  parentPort.postMessage(r);
});
`;
/** How long a worker may take to start (it is not the pattern's time: that is bounded separately). */
const START_LIMIT_MS = 10_000;
class BodyRegex {
    regex;
    worker;
    online;
    seq = 0;
    constructor(regex) {
        this.regex = regex;
    }
    start() {
        if (this.online)
            return this.online;
        const { Worker: W } = process.getBuiltinModule('node:worker_threads');
        const w = new W(WORKER_SOURCE, { eval: true });
        w.unref();
        this.worker = w;
        this.online = new Promise((resolve, reject) => {
            const t = setTimeout(() => {
                void w.terminate();
                reject(new Error(`the expect-body-regex worker did not start within ${START_LIMIT_MS} ms`));
            }, START_LIMIT_MS);
            w.once('online', () => {
                clearTimeout(t);
                resolve(w);
            });
            w.once('error', (e) => {
                clearTimeout(t);
                reject(e);
            });
        });
        this.online.catch(() => this.reset());
        return this.online;
    }
    reset() {
        const w = this.worker;
        this.worker = undefined;
        this.online = undefined;
        if (w)
            void w.terminate();
    }
    /** Tests `body` against the pattern; gives up (and stops the worker) after `limitMs`. */
    async test(body, limitMs) {
        const limit = Math.max(1, Math.floor(limitMs));
        const w = await this.start();
        const id = ++this.seq;
        return new Promise((resolve, reject) => {
            const done = () => {
                clearTimeout(timer);
                w.off('message', onMessage);
                w.off('error', onError);
                w.off('exit', onExit);
            };
            const onMessage = (m) => {
                if (m.id !== id)
                    return;
                done();
                if (m.error !== undefined)
                    reject(new Error(`expect-body-regex: ${m.error}`));
                else
                    resolve({ matched: !!m.matched });
            };
            const onError = (e) => {
                done();
                this.reset();
                reject(e);
            };
            const onExit = () => {
                done();
                this.reset();
                reject(new Error('the expect-body-regex worker stopped'));
            };
            const timer = setTimeout(() => {
                done();
                this.reset();
                resolve({ timedOut: true, limitMs: limit });
            }, limit);
            w.on('message', onMessage);
            w.once('error', onError);
            w.once('exit', onExit);
            w.postMessage({ id, source: this.regex.source, flags: this.regex.flags, body });
        });
    }
    /** Stops the worker; safe to call more than once. */
    close() {
        this.reset();
    }
}

// EXTERNAL MODULE: ./src/core/health-gate/json-expect.ts
var json_expect = __nccwpck_require__(330);
;// CONCATENATED MODULE: ./src/core/health-gate/expectations.ts

/**
 * Why a response does not satisfy the expectations, or undefined when it does. `bodyRegex` is not checked
 * here: a user's pattern can backtrack for minutes, so the gate runs it in a worker it can stop (body-regex.ts).
 */
function evaluate(res, exp) {
    if (!exp.status.match(res.status))
        return `status ${res.status}, expected ${exp.status.text}`;
    if (exp.maxLatencyMs !== undefined && res.latencyMs > exp.maxLatencyMs) {
        return `took ${res.latencyMs} ms, over max-latency ${exp.maxLatencyMs} ms`;
    }
    if (exp.minTlsDays !== undefined) {
        if (res.tlsDaysLeft === undefined)
            return `min-tls-days is set but ${res.url} is not HTTPS`;
        if (res.tlsDaysLeft < exp.minTlsDays) {
            return `TLS certificate expires in ${res.tlsDaysLeft.toFixed(1)} days, under min-tls-days ${exp.minTlsDays}`;
        }
    }
    const jsonWhy = (0,json_expect/* checkJson */.Z)(res.body, exp.json);
    if (jsonWhy)
        return jsonWhy;
    if (exp.version) {
        if (exp.versionHeader) {
            const raw = res.headers[exp.versionHeader.toLowerCase()];
            const served = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
            if (!served.includes(exp.version)) {
                return `header ${exp.versionHeader} is "${served || 'missing'}", expected version ${exp.version}`;
            }
        }
        else if (!res.body.includes(exp.version)) {
            return `version ${exp.version} is not in the body (an older release is still serving?)`;
        }
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/health-gate/probe.ts

/** A request that did not produce a response: the reason says what happened, in plain words. */
class ProbeError extends Error {
    latencyMs;
    constructor(message, latencyMs) {
        super(message);
        this.latencyMs = latencyMs;
        this.name = 'ProbeError';
    }
}
const DAY_MS = 86_400_000;
function explainNetError(err, url) {
    const where = `${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`;
    switch (err.code) {
        case 'ECONNREFUSED':
            return `connection refused by ${where} (nothing listening)`;
        case 'ECONNRESET':
            return `connection reset by ${where}`;
        case 'ENOTFOUND':
        case 'EAI_AGAIN':
            return `${url.hostname} does not resolve`;
        case 'EHOSTUNREACH':
        case 'ENETUNREACH':
            return `${where} is unreachable`;
        case 'DEPTH_ZERO_SELF_SIGNED_CERT':
        case 'SELF_SIGNED_CERT_IN_CHAIN':
        case 'UNABLE_TO_VERIFY_LEAF_SIGNATURE':
        case 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY':
            return `TLS certificate of ${where} is not trusted (${err.code}); fix the chain, or set insecure-tls: true for a test host`;
        case 'CERT_HAS_EXPIRED':
            return `TLS certificate of ${where} has expired`;
        case 'ERR_TLS_CERT_ALTNAME_INVALID':
            return `TLS certificate of ${where} is not valid for ${url.hostname}`;
        default:
            return `${err.code ?? 'error'}: ${err.message}`;
    }
}
function once(req, url, deadline, headers) {
    return new Promise((resolve, reject) => {
        const isHttps = url.protocol === 'https:';
        // Loaded on first use: a step that fails on its inputs never pays for the HTTP stack.
        const mod = process.getBuiltinModule(isHttps ? 'node:https' : 'node:http');
        const remaining = Math.max(1, deadline - Date.now());
        let tlsDaysLeft;
        const r = mod.request(url, {
            method: req.method,
            headers: { 'user-agent': 'deploy-kit-health-gate', ...headers },
            agent: isHttps ? req.agent?.https : req.agent?.http,
            rejectUnauthorized: !req.insecureTls,
        }, (res) => {
            if (isHttps) {
                const cert = res.socket.getPeerCertificate?.();
                if (cert && cert.valid_to)
                    tlsDaysLeft = (Date.parse(cert.valid_to) - Date.now()) / DAY_MS;
            }
            const limit = req.maxBodyBytes ?? 1024 * 1024;
            const chunks = [];
            let kept = 0;
            res.on('data', (c) => {
                if (kept < limit) {
                    chunks.push(c.subarray(0, limit - kept));
                    kept += Math.min(c.length, limit - kept);
                }
            });
            res.on('end', () => {
                clearTimeout(timer);
                resolve({
                    status: res.statusCode ?? 0,
                    headers: res.headers,
                    body: Buffer.concat(chunks).toString('utf8'),
                    tlsDaysLeft,
                });
            });
            res.on('error', (e) => {
                clearTimeout(timer);
                reject(e);
            });
        });
        const timer = setTimeout(() => {
            r.destroy(Object.assign(new Error('timeout'), { code: 'DK_TIMEOUT' }));
        }, remaining);
        const onAbort = () => {
            r.destroy(Object.assign(new Error('cancelled'), { code: 'DK_CANCELLED' }));
        };
        if (req.signal?.aborted)
            queueMicrotask(onAbort);
        req.signal?.addEventListener('abort', onAbort, { once: true });
        r.on('close', () => req.signal?.removeEventListener('abort', onAbort));
        r.on('error', (e) => {
            clearTimeout(timer);
            reject(e);
        });
        r.end();
    });
}
/** One attempt: a request with redirects followed up to maxRedirects, all within timeoutMs. */
async function probe(req) {
    const started = Date.now();
    const deadline = started + req.timeoutMs;
    let url = new URL(req.url);
    let redirects = 0;
    const seen = new Set([url.href]);
    // The headers the workflow gave (Authorization, Cookie, tokens: every value is masked as a secret) go to
    // the origin it named only. Once a redirect leaves that origin (another scheme, host or port - `localhost`
    // is not `127.0.0.1`), they are dropped for the rest of the chain, as browsers and curl do.
    let headers = req.headers;
    const origin = url.origin;
    for (;;) {
        let res;
        try {
            res = await once(req, url, deadline, headers);
        }
        catch (e) {
            const err = e;
            const latency = Date.now() - started;
            if (err.code === 'DK_TIMEOUT')
                throw new ProbeError(`no complete response within ${req.timeoutMs} ms (timeout)`, latency);
            throw new ProbeError(explainNetError(err, url), latency);
        }
        const location = res.headers.location;
        if (res.status >= 300 && res.status < 400 && location && req.maxRedirects > 0) {
            let next;
            try {
                next = new URL(location, url);
            }
            catch {
                throw new ProbeError(`redirect to an invalid Location`, Date.now() - started);
            }
            if (redirects >= req.maxRedirects) {
                throw new ProbeError(`more than ${req.maxRedirects} redirects (last to ${(0,redact/* stripUserinfo */._H)(next.href)})`, Date.now() - started);
            }
            if (seen.has(next.href))
                throw new ProbeError(`redirect loop at ${(0,redact/* stripUserinfo */._H)(next.href)}`, Date.now() - started);
            if (next.protocol !== 'http:' && next.protocol !== 'https:')
                throw new ProbeError(`redirect to ${next.protocol} (only http and https are followed)`, Date.now() - started);
            seen.add(next.href);
            if (next.origin !== origin)
                headers = {};
            url = next;
            redirects++;
            continue;
        }
        return { ...res, url: (0,redact/* stripUserinfo */._H)(url.href), latencyMs: Date.now() - started, redirects };
    }
}

;// CONCATENATED MODULE: ./src/core/health-gate/stats.ts
/** Nearest-rank percentile of a list of numbers (p in 0..100); 0 for an empty list. */
function percentile(values, p) {
    if (values.length === 0)
        return 0;
    const sorted = [...values].sort((a, b) => a - b);
    const rank = Math.ceil((p / 100) * sorted.length);
    return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

;// CONCATENATED MODULE: ./src/core/health-gate/gate.ts






/**
 * Probes one URL until `successThreshold` consecutive successes (healthy), `failureThreshold`
 * consecutive failures after a first success (unhealthy: flapping or falling over), or the deadline
 * (unhealthy: never became healthy). Every request made is one attempt, counted exactly.
 */
async function gateUrl(req, exp, timing, events = {}, signal) {
    const start = Date.now();
    const deadline = start + timing.deadlineMs;
    const history = [];
    let consecutiveOk = 0;
    let consecutiveFail = 0;
    let seenSuccess = false;
    let last = { latencyMs: 0 };
    let verdict;
    // Reported (results, summary, log) without user:password@.
    const shownUrl = (0,redact/* stripUserinfo */._H)(req.url);
    const bodyRegex = exp.bodyRegex ? new BodyRegex(exp.bodyRegex) : undefined;
    try {
        return await loop();
    }
    finally {
        bodyRegex?.close();
    }
    /** The body regex, bounded by what is left of this attempt's time limit (the deadline stays absolute). */
    async function bodyReason(body, attemptStart) {
        if (!bodyRegex)
            return undefined;
        const left = attemptStart + timing.timeoutMs - Date.now();
        const r = await bodyRegex.test(body, Math.max(1, left));
        if ('timedOut' in r) {
            return `expect-body-regex timed out: /${bodyRegex.regex.source}/ did not finish within the attempt's time limit (${r.limitMs} ms left of timeout); it backtracks too much - simplify the pattern (e.g. no nested quantifiers like (a+)+)`;
        }
        return r.matched ? undefined : `body does not match /${bodyRegex.regex.source}/`;
    }
    async function loop() {
        if (timing.initialDelayMs > 0) {
            try {
                await (0,retry/* sleep */.yy)(Math.min(timing.initialDelayMs, timing.deadlineMs), signal);
            }
            catch {
                // cancelled: the loop below sees signal.aborted and reports it
            }
        }
        while (!verdict) {
            if (signal?.aborted) {
                verdict = { healthy: false, reason: 'cancelled' };
                break;
            }
            const attemptStart = Date.now();
            if (attemptStart >= deadline && history.length > 0) {
                verdict = {
                    healthy: false,
                    reason: `deadline of ${timing.deadlineMs} ms reached; last: ${last.reason ?? 'no success window'}`,
                };
                break;
            }
            // An attempt started before the deadline may finish up to one timeout after it.
            const timeoutMs = timing.timeoutMs;
            let attempt;
            try {
                const res = await probe({ ...req, timeoutMs, signal });
                const why = evaluate(res, exp) ?? (await bodyReason(res.body, attemptStart));
                attempt = {
                    n: history.length + 1,
                    ok: !why,
                    status: res.status,
                    latencyMs: res.latencyMs,
                    reason: why,
                    at: attemptStart - start,
                };
                last = { status: res.status, latencyMs: res.latencyMs, reason: why, tlsDaysLeft: res.tlsDaysLeft };
            }
            catch (e) {
                const latencyMs = e instanceof ProbeError ? e.latencyMs : Date.now() - attemptStart;
                const reason = e instanceof Error ? e.message : String(e);
                attempt = { n: history.length + 1, ok: false, latencyMs, reason, at: attemptStart - start };
                last = { latencyMs, reason };
            }
            history.push(attempt);
            events.onAttempt?.(shownUrl, attempt);
            if (attempt.ok) {
                seenSuccess = true;
                consecutiveOk++;
                consecutiveFail = 0;
                if (consecutiveOk >= timing.successThreshold) {
                    verdict = { healthy: true, reason: '' };
                    break;
                }
            }
            else {
                consecutiveOk = 0;
                consecutiveFail++;
                if (seenSuccess && consecutiveFail >= timing.failureThreshold) {
                    verdict = {
                        healthy: false,
                        reason: `${consecutiveFail} consecutive failures after it had been healthy; last: ${attempt.reason}`,
                    };
                    break;
                }
            }
            const next = attemptStart + timing.periodMs;
            if (next >= deadline) {
                verdict = {
                    healthy: false,
                    reason: `deadline of ${timing.deadlineMs} ms reached after ${history.length} attempts; last: ${last.reason ?? `only ${consecutiveOk} of ${timing.successThreshold} consecutive successes`}`,
                };
                break;
            }
            const wait = next - Date.now();
            if (wait > 0) {
                try {
                    await (0,retry/* sleep */.yy)(wait, signal);
                }
                catch {
                    verdict = { healthy: false, reason: 'cancelled' };
                }
            }
        }
        const lat = history.map((a) => a.latencyMs);
        return {
            url: shownUrl,
            healthy: verdict.healthy,
            attempts: history.length,
            status: last.status ?? null,
            latencyMs: history.length ? last.latencyMs : null,
            reason: verdict.reason,
            ...(last.tlsDaysLeft !== undefined ? { tlsDaysLeft: Math.floor(last.tlsDaysLeft) } : {}),
            latency: {
                min: lat.length ? Math.min(...lat) : 0,
                p50: percentile(lat, 50),
                p95: percentile(lat, 95),
                max: lat.length ? Math.max(...lat) : 0,
            },
            ...(verdict.healthy ? { passedAfterMs: Date.now() - start } : {}),
            history,
        };
    }
}

;// CONCATENATED MODULE: ./src/core/health-gate/load.ts



/** Smoke load: `concurrency` workers loop over the URLs until the request or time budget runs out. */
async function runLoad(urls, base, exp, plan, signal) {
    const agent = {
        http: new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, maxSockets: plan.concurrency }),
        https: new (process.getBuiltinModule('node:https').Agent)({
            keepAlive: true,
            maxSockets: plan.concurrency,
            rejectUnauthorized: !base.insecureTls,
        }),
    };
    const start = Date.now();
    const stopAt = start + plan.durationMs;
    const latencies = [];
    const reasons = new Map();
    let started = 0;
    let errors = 0;
    // Load checks status and latency budget per request, not the slower body/JSON checks.
    const loadExp = { status: exp.status, json: [] };
    const worker = async () => {
        while (!signal?.aborted && started < plan.maxRequests && Date.now() < stopAt) {
            const url = urls[started % urls.length];
            started++;
            try {
                const res = await probe({ ...base, url, agent, signal });
                latencies.push(res.latencyMs);
                const why = evaluate(res, loadExp);
                if (why) {
                    errors++;
                    reasons.set(why, (reasons.get(why) ?? 0) + 1);
                }
            }
            catch (e) {
                errors++;
                const why = e.message;
                reasons.set(why, (reasons.get(why) ?? 0) + 1);
            }
        }
    };
    try {
        await Promise.all(Array.from({ length: plan.concurrency }, worker));
    }
    finally {
        agent.http.destroy();
        agent.https.destroy();
    }
    const durationMs = Date.now() - start;
    const requests = started;
    return {
        requests,
        errors,
        errorRate: requests ? errors / requests : 0,
        p50: percentile(latencies, 50),
        p95: percentile(latencies, 95),
        max: latencies.length ? Math.max(...latencies) : 0,
        durationMs,
        rps: durationMs ? (requests * 1000) / durationMs : 0,
        topErrors: [...reasons.entries()]
            .sort((a, b) => b[1] - a[1])
            .slice(0, 5)
            .map(([reason, count]) => ({ reason, count })),
    };
}

;// CONCATENATED MODULE: ./src/core/health-gate/run.ts



/** Gates every URL in parallel, then (if all are healthy) runs the bounded smoke load. */
async function runHealthGate(cfg, events = {}, signal) {
    const base = {
        method: cfg.method,
        headers: cfg.headers,
        maxRedirects: cfg.maxRedirects,
        insecureTls: cfg.insecureTls,
    };
    const urls = await Promise.all(cfg.urls.map((url) => gateUrl({ ...base, url }, cfg.expectations, cfg.timing, events, signal)));
    const failures = urls.filter((u) => !u.healthy).map((u) => `${u.url}: ${u.reason}`);
    let load;
    if (cfg.load && failures.length === 0) {
        const r = await runLoad(cfg.urls, { ...base, timeoutMs: cfg.timing.timeoutMs }, cfg.expectations, cfg.load, signal);
        const problems = [];
        if (cfg.load.maxP95Ms !== undefined && r.p95 > cfg.load.maxP95Ms)
            problems.push(`p95 ${r.p95} ms over max-p95 ${cfg.load.maxP95Ms} ms`);
        if (r.errorRate > cfg.load.maxErrorRate) {
            problems.push(`error rate ${(r.errorRate * 100).toFixed(2)}% over max-error-rate ${(cfg.load.maxErrorRate * 100).toFixed(2)}%`);
        }
        if (r.requests === 0)
            problems.push('no request completed within the load budget');
        load = { ...r, verdict: problems.length ? problems.join('; ') : 'ok' };
        for (const p of problems)
            failures.push(`smoke load: ${p}`);
    }
    const allLatencies = urls.flatMap((u) => u.history.map((a) => a.latencyMs));
    return {
        healthy: failures.length === 0,
        attempts: urls.reduce((n, u) => n + u.attempts, 0),
        urls,
        load,
        p50: load ? load.p50 : percentile(allLatencies, 50),
        p95: load ? load.p95 : percentile(allLatencies, 95),
        failures,
    };
}

// EXTERNAL MODULE: ./src/core/run-release-phase/run.ts + 3 modules
var run = __nccwpck_require__(0);
;// CONCATENATED MODULE: ./src/core/deploy/run.ts



class PhaseFailure extends Error {
    phase;
    constructor(phase, message) {
        super(message);
        this.phase = phase;
    }
}
/**
 * One-step deploy, in one process, under one lock: upload (not switched) → release phase on the first
 * host in the new release → switch on every host → health gate → finalize (log, prune). A failed release
 * phase discards the new release and never switches; a failed gate switches every host back, marks the
 * release bad and runs after-activate again for the previous release. The lock is let go in every case.
 */
async function runOneStep(cfg, deps) {
    const started = Date.now();
    const { log, signal } = deps;
    const d = createDeployment(cfg.deploy, deps);
    const phases = [];
    let release;
    let health;
    /** Went live on some host during this run and every such host is back on its previous release. */
    const rolledBack = () => {
        const switched = d.hosts.filter((h) => h.switched);
        return switched.length > 0 && switched.every((h) => h.report.result === 'reverted');
    };
    let error;
    const warnings = [];
    let failedPhase;
    const phase = async (name, fn) => {
        log(`── ${name}`);
        const t = Date.now();
        const p = { name, result: 'ok', durationMs: 0 };
        phases.push(p);
        try {
            return await fn();
        }
        catch (e) {
            p.result = 'failed';
            p.error = e.message;
            throw e instanceof PhaseFailure ? e : new PhaseFailure(name, e.message);
        }
        finally {
            p.durationMs = Date.now() - t;
        }
    };
    try {
        await phase('upload', async () => {
            await d.lock();
            await d.upload(d.hosts);
            // The release phase works in the finished release (shared paths linked).
            if (cfg.release)
                await d.settle(d.hosts);
        });
        if (cfg.release) {
            const rcfg = cfg.release;
            // The SSH executor stops a cancelled or timed-out command on the host itself.
            const primary = d.hosts[0].exec;
            try {
                await phase('release phase', async () => {
                    log(`release phase on ${primary.target} in ${rcfg.workingDirectory}`);
                    release = await (0,run/* runReleasePhase */.yh)(primary, rcfg, { log, signal, warn: (m) => warnings.push(m) });
                    if (release.status !== 'succeeded')
                        throw new Error(release.error ?? 'release phase failed');
                });
            }
            catch (e) {
                await phase('discard', () => d.discard()).catch(() => undefined);
                throw new PhaseFailure('release phase', `release phase failed; no host was switched to ${cfg.deploy.releaseId} and it was discarded.\n${e.message}`);
            }
        }
        else
            phases.push({ name: 'release phase', result: 'skipped', durationMs: 0 });
        await phase('switch', () => d.activate(d.hosts, { restartOnRevert: true }));
        health = await phase('health gate', async () => {
            const r = await runHealthGate(cfg.health, deps.gateEvents, signal);
            if (!r.healthy) {
                health = r;
                throw new Error(`unhealthy:\n${r.failures.join('\n')}`);
            }
            return r;
        }).catch(async (e) => {
            await phase('rollback', async () => {
                await d.revert(d.hosts, { afterActivate: true, reason: 'health gate failed' });
                const stuck = d.hosts.filter((h) => h.switched && h.report.result !== 'reverted');
                if (stuck.length)
                    throw new Error(stuck.map((h) => `${h.exec.target}: ${h.report.error ?? ''}`).join('\n'));
            }).catch(() => undefined);
            throw new PhaseFailure('health gate', `health gate failed after the switch; ${rolledBack()
                ? `every host was switched back to ${d.hosts[0].report.previousReleaseId} and ${cfg.deploy.releaseId} was marked bad`
                : `NOT every host could be switched back: ${phases.at(-1)?.error ?? ''}`}.\n${e.message}`);
        });
        // Live and healthy: a failed log line or prune is worth a warning, not a failed deploy.
        await phase('finalize', () => d.finalize(d.hosts, { last: true })).catch((e) => {
            warnings.push(`the release is live and healthy, but recording/pruning old releases failed: ${e.message}`);
        });
    }
    catch (e) {
        error = e.message;
        failedPhase = e instanceof PhaseFailure ? e.phase : undefined;
    }
    finally {
        await d.unlock();
    }
    return {
        status: error ? (rolledBack() ? 'rolled-back' : 'failed') : 'deployed',
        failedPhase,
        rolledBack: rolledBack(),
        phases,
        deploy: d.report(error),
        release,
        health,
        durationMs: Date.now() - started,
        error,
        warnings,
    };
}


/***/ }),

/***/ 650:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  F: () => (/* binding */ oneStepSummary)
});

// EXTERNAL MODULE: ./src/lib/duration.ts
var duration = __nccwpck_require__(543);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __nccwpck_require__(119);
;// CONCATENATED MODULE: ./src/core/ssh-rsync-deploy/summary.ts


/** The first columns of every per-host upload table (ssh-rsync-deploy's and the root action's). */
const HOST_COLUMNS = ['host', 'result', 'release', 'previous', 'files sent', 'bytes sent'];
const hostCells = (h) => [
    h.host,
    h.result,
    h.releaseId,
    h.previousReleaseId || '—',
    String(h.files),
    String(h.bytesSent),
];
function deploySummary(r) {
    let md = heading(`ssh-rsync-deploy (${r.mode}): ${r.ok ? '✅' : '❌'} ${r.releaseId}`);
    md += markdownTable([...HOST_COLUMNS, 'upload', 'commands', 'pruned', 'error'], r.hosts.map((h) => [
        ...hostCells(h),
        h.timings.upload === undefined ? '—' : formatDuration(h.timings.upload),
        formatDuration((h.timings['before-activate'] ?? 0) + (h.timings['after-activate'] ?? 0)),
        h.pruned.join(', ') || '—',
        h.error ?? '—',
    ]));
    return md;
}

// EXTERNAL MODULE: ./src/core/health-gate/summary.ts
var health_gate_summary = __nccwpck_require__(198);
;// CONCATENATED MODULE: ./src/core/run-release-phase/summary.ts


function releaseSummary(r) {
    let md = (0,summary/* heading */.R_)(`run-release-phase on ${r.target}: ${r.status === 'succeeded' ? '✅ succeeded' : '❌ failed'} in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`);
    md += (0,summary/* markdownTable */.Qj)(['step', 'result', 'duration'], r.steps.map((s) => [s.name, s.ok ? 'ok' : 'failed', (0,duration/* formatDuration */.a3)(s.durationMs)]));
    md += `\nMigrations applied (${r.migrations.framework}): ${r.migrations.applied.length ? r.migrations.applied.join(', ') : 'none'}\n`;
    if (r.error)
        md += `\n\`\`\`\n${r.error.replace(/```/g, "'''")}\n\`\`\`\n`;
    return md;
}

;// CONCATENATED MODULE: ./src/core/deploy/summary.ts





const oneLine = (text) => {
    const t = text.replace(/\s*\n\s*/g, ' ').trim();
    return t.length > 300 ? `${t.slice(0, 297)}…` : t;
};
const ms = (v) => (v === undefined ? '—' : (0,duration/* formatDuration */.a3)(v));
/** One table per phase, each with its timings; the phases that did not run are left out. */
function oneStepSummary(r) {
    const d = r.deploy;
    const icon = r.status === 'deployed' ? '✅' : '❌';
    let md = (0,summary/* heading */.R_)(`deploy: ${icon} ${r.status} ${d.releaseId}${d.previousReleaseId ? ` (previous ${d.previousReleaseId})` : ''} in ${(0,duration/* formatDuration */.a3)(r.durationMs)}`);
    md += (0,summary/* markdownTable */.Qj)(['phase', 'result', 'duration', 'error'], r.phases.map((p) => [
        p.name,
        p.result,
        p.result === 'skipped' ? '—' : ms(p.durationMs),
        p.error ? oneLine(p.error) : '—',
    ]));
    const ran = (name) => r.phases.some((p) => p.name === name && p.result !== 'skipped');
    if (ran('upload')) {
        md += '\n' + (0,summary/* heading */.R_)('upload', 4);
        md += (0,summary/* markdownTable */.Qj)([...HOST_COLUMNS, 'connect + lock', 'upload', 'before-activate', 'error'], d.hosts.map((h) => [
            ...hostCells(h),
            ms(h.timings.lock),
            ms(h.timings.upload),
            ms(h.timings['before-activate']),
            h.error ?? '—',
        ]));
    }
    if (r.release)
        md += '\n' + releaseSummary(r.release);
    if (ran('switch')) {
        md += '\n' + (0,summary/* heading */.R_)('switch', 4);
        md += (0,summary/* markdownTable */.Qj)(['host', 'current', 'switch', 'after-activate', 'pruned'], d.hosts.map((h) => [
            h.host,
            h.result === 'reverted' ? `${h.previousReleaseId} (back from ${h.releaseId})` : h.releaseId,
            ms(h.timings.switch),
            ms(h.timings['after-activate']),
            h.pruned.join(', ') || '—',
        ]));
    }
    if (r.health)
        md += '\n' + (0,health_gate_summary/* healthGateSummary */.u)(r.health);
    if (ran('rollback')) {
        md += '\n' + (0,summary/* heading */.R_)('rollback', 4);
        md += (0,summary/* markdownTable */.Qj)(['host', 'result', 'back to', 'switch back', 'after-activate', 'marked bad', 'error'], d.hosts.map((h) => [
            h.host,
            h.result,
            h.previousReleaseId || '—',
            ms(h.timings.revert),
            ms(h.timings['revert after-activate']),
            h.releaseId,
            h.error ?? '—',
        ]));
    }
    if (r.error)
        md += `\n\`\`\`\n${r.error.replace(/```/g, "'''")}\n\`\`\`\n`;
    return md;
}


/***/ }),

/***/ 330:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Z: () => (/* binding */ checkJson),
/* harmony export */   v: () => (/* binding */ parseJsonExpectations)
/* harmony export */ });
const LINE = /^([^\s=!<>]+)\s*(==|!=|>=|<=|>|<|\s+exists$|\s+contains\s+)\s*(.*)$/;
function parseJsonExpectations(lines) {
    return lines.map((raw) => {
        const text = raw.trim();
        const m = LINE.exec(text);
        if (!m)
            throw new Error(`"${text}" is not \`path == value\` (ops: == != > >= < <= contains exists)`);
        const op = m[2].trim();
        const path = m[1].split('.').filter(Boolean);
        if (op === 'exists')
            return { path, op, text };
        const rawValue = m[3].trim();
        if (rawValue === '')
            throw new Error(`"${text}" has no value to compare with`);
        let value = rawValue;
        try {
            value = JSON.parse(rawValue);
        }
        catch {
            // bare words compare as text: `status == ok`
        }
        if (['>', '>=', '<', '<='].includes(op) && typeof value !== 'number') {
            throw new Error(`"${text}": ${op} needs a number`);
        }
        return { path, op, value, text };
    });
}
function lookup(doc, path) {
    let cur = doc;
    for (const key of path) {
        if (cur !== null && typeof cur === 'object' && key in cur) {
            cur = cur[key];
        }
        else {
            return { found: false };
        }
    }
    return { found: true, value: cur };
}
function same(a, b) {
    if (typeof a === 'object' || typeof b === 'object')
        return JSON.stringify(a) === JSON.stringify(b);
    // `status == ok` should match "ok"; `count == 3` should match 3 and "3".
    return a === b || String(a) === String(b);
}
/** Returns the first failed expectation's explanation, or undefined when all hold. */
function checkJson(body, expectations) {
    if (expectations.length === 0)
        return undefined;
    let doc;
    try {
        doc = JSON.parse(body);
    }
    catch {
        return 'body is not JSON';
    }
    for (const e of expectations) {
        const { found, value } = lookup(doc, e.path);
        const shown = found ? JSON.stringify(value) : 'missing';
        let ok;
        switch (e.op) {
            case 'exists':
                ok = found;
                break;
            case '==':
                ok = found && same(value, e.value);
                break;
            case '!=':
                ok = !found || !same(value, e.value);
                break;
            case 'contains':
                ok =
                    found &&
                        (Array.isArray(value) ? value.some((v) => same(v, e.value)) : String(value).includes(String(e.value)));
                break;
            default: {
                const n = Number(value);
                const v = e.value;
                ok =
                    found &&
                        Number.isFinite(n) &&
                        (e.op === '>' ? n > v : e.op === '>=' ? n >= v : e.op === '<' ? n < v : n <= v);
            }
        }
        if (!ok)
            return `expected ${e.text}, got ${shown.length > 80 ? shown.slice(0, 80) + '…' : shown}`;
    }
    return undefined;
}


/***/ }),

/***/ 198:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ resultsJson),
/* harmony export */   u: () => (/* binding */ healthGateSummary)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(119);

function healthGateSummary(r) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`health-gate: ${r.healthy ? '✅ healthy' : '❌ unhealthy'}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['URL', 'result', 'attempts', 'last status', 'latency p50 / p95 / max', 'TLS days left', 'failure reason'], r.urls.map((u) => [
        u.url,
        u.healthy ? 'healthy' : 'unhealthy',
        String(u.attempts),
        u.status === null ? '—' : String(u.status),
        `${u.latency.p50} / ${u.latency.p95} / ${u.latency.max} ms`,
        u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
        u.reason || '—',
    ]));
    if (r.load) {
        const l = r.load;
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)('smoke load', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['requests', 'errors', 'error rate', 'p50', 'p95', 'max', 'req/s', 'verdict'], [
            [
                String(l.requests),
                String(l.errors),
                `${(l.errorRate * 100).toFixed(2)}%`,
                `${l.p50} ms`,
                `${l.p95} ms`,
                `${l.max} ms`,
                l.rps.toFixed(1),
                l.verdict,
            ],
        ]);
        if (l.topErrors.length) {
            md +=
                '\n' +
                    (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['error', 'count'], l.topErrors.map((e) => [e.reason, String(e.count)]));
        }
    }
    return md;
}
/** The `results` output: one object per URL, without the per-attempt history. */
function resultsJson(r) {
    return r.urls.map(({ history: _history, ...u }) => u);
}


/***/ }),

/***/ 0:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  IG: () => (/* binding */ deployBaseOf),
  yh: () => (/* binding */ runReleasePhase)
});

// UNUSED EXPORTS: releaseAccess, releaseTarget

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
;// CONCATENATED MODULE: ./src/lib/compose.ts

/** argv for `docker compose …` or `docker-compose …` with the project's files. */
function composeCommand(p, args, extra = {}) {
    const base = p.flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
    // A value after -f/-p that starts with `-` could be read as an option by compose: inputs are checked
    // where they are read; this is the last line that never lets one through.
    for (const v of [...p.files, p.project ?? '']) {
        if (v.startsWith('-'))
            throw new Error(`compose file or project name "${v.slice(0, 60)}" must not start with -`);
    }
    const argv = [...base];
    for (const f of p.files)
        argv.push('-f', f);
    if (p.project)
        argv.push('-p', p.project);
    argv.push(...args);
    return { cwd: p.cwd, ...extra, argv };
}
/** Which compose is installed where `exec` runs: v2 preferred, v1 accepted, neither → an error naming both. */
async function detectCompose(exec, signal) {
    const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v2.end === 'exit' && v2.code === 0)
        return 'v2';
    const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v1.end === 'exit' && v1.code === 0)
        return 'v1';
    throw new Error(`neither \`docker compose\` (v2 plugin) nor \`docker-compose\` (v1) works on ${exec.target}; install the docker-compose-plugin package`);
}

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __nccwpck_require__(504);
// EXTERNAL MODULE: ./src/lib/lock.ts
var lib_lock = __nccwpck_require__(892);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(858);
// EXTERNAL MODULE: ./src/lib/release-history.ts
var release_history = __nccwpck_require__(419);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __nccwpck_require__(975);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __nccwpck_require__(304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __nccwpck_require__(627);
// EXTERNAL MODULE: ./src/lib/target/types.ts
var target_types = __nccwpck_require__(164);
;// CONCATENATED MODULE: ./src/lib/target/container.ts








const NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
// An image reference: no leading dash, no whitespace; the registry/name/tag/digest grammar is checked by
// the actions that read one from an input.
const IMAGE_RE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@+]*$/;
function check(re, value, what) {
    if (!re.test(value))
        throw new Error(`"${value}" is not a valid ${what}`);
    return value;
}
/** One-off kinds start a new container per command; the others run in one that lives on. */
function isOneOff(a) {
    return a.kind === 'compose-run' || a.kind === 'docker-run';
}
/** `container web`, `service db (docker compose exec -T)`, … for messages. */
function describeAccess(a) {
    const compose = (p) => (p.flavor === 'v2' ? 'docker compose' : 'docker-compose');
    switch (a.kind) {
        case 'docker-exec':
            return `container ${a.container}`;
        case 'compose-exec':
            return `service ${a.service} (${compose(a.project)} exec -T)`;
        case 'compose-run':
            return `service ${a.service} (${compose(a.project)} run --rm -T)`;
        case 'docker-run':
            return `image ${a.image} (docker run --rm)`;
    }
}
/**
 * The parent-side command that runs `cmd` inside the container. Environment crosses by NAME only
 * (`-e NAME`): the docker/compose client takes each value from its own environment, where the parent
 * target put it (a child's env locally, stdin over SSH). No value is ever in argv.
 */
function containerCommand(a, cmd, spec = {}) {
    const [program, ...rest] = cmd.argv;
    if (!program)
        throw new Error('empty command');
    const env = cmd.env ?? {};
    const envFlags = Object.keys(env).flatMap((n) => ['-e', (0,quote/* assertEnvName */.Pv)(n)]);
    const wd = cmd.cwd ?? (a.kind === 'docker-run' ? a.workdir : undefined);
    const wdFlags = wd ? ['-w', wd] : [];
    const nameFlags = spec.name ? ['--name', check(NAME_RE, spec.name, 'container name')] : [];
    const mounts = [
        ...(a.kind === 'compose-run' || a.kind === 'docker-run' ? (a.volumes ?? []) : []),
        ...(spec.mounts ?? []),
    ];
    const volumeFlags = mounts.flatMap((v) => {
        if (v.startsWith('-'))
            throw new Error(`"${v}" is not a volume (host:container)`);
        return ['-v', v];
    });
    // One-off containers: name, [network], workdir, env names, volumes, then `--opt=value` and `--` so neither
    // the entrypoint nor the service/image can ever be read as an option.
    const oneOffFlags = (extra) => [
        ...nameFlags,
        ...extra,
        ...wdFlags,
        ...envFlags,
        ...volumeFlags,
        `--entrypoint=${program}`,
        '--',
    ];
    let outer;
    switch (a.kind) {
        case 'docker-exec':
            outer = {
                argv: [
                    'docker',
                    'exec',
                    '-i',
                    ...wdFlags,
                    ...envFlags,
                    '--',
                    check(NAME_RE, a.container, 'container name'),
                    ...cmd.argv,
                ],
            };
            break;
        case 'compose-exec':
            outer = composeCommand(a.project, [
                'exec',
                '-T',
                ...wdFlags,
                ...envFlags,
                check(NAME_RE, a.service, 'compose service name'),
                ...cmd.argv,
            ]);
            break;
        case 'compose-run':
            outer = composeCommand(a.project, [
                'run',
                '--rm',
                '-T',
                ...oneOffFlags([]),
                check(NAME_RE, a.service, 'compose service name'),
                ...rest,
            ]);
            break;
        case 'docker-run': {
            const network = a.network ? ['--network', check(NAME_RE, a.network, 'docker network name')] : [];
            // --init: a real PID 1 that forwards the SIGTERM `docker run` proxies on a timeout or cancel.
            outer = {
                argv: [
                    'docker',
                    'run',
                    '--rm',
                    '-i',
                    '--init',
                    ...oneOffFlags(network),
                    check(IMAGE_RE, a.image, 'image reference'),
                    ...rest,
                ],
            };
            break;
        }
    }
    const outerEnv = { ...env, ...(spec.dockerHost ? { DOCKER_HOST: spec.dockerHost } : {}) };
    return {
        ...outer,
        // The compose project directory (compose kinds); the container's own directory is `-w`.
        cwd: outer.cwd,
        ...(Object.keys(outerEnv).length ? { env: outerEnv } : {}),
        ...(cmd.stdin !== undefined ? { stdin: cmd.stdin } : {}),
        label: cmd.label ?? program,
    };
}
/**
 * A container reached through `parent`. Long-lived kinds keep their temp dir inside the container;
 * one-off kinds (a new container per command) keep files in the parent's temp dir, mounted at the same
 * path into every container they start (so the docker daemon must run where the parent is).
 */
class ContainerTarget extends base/* CommandTarget */.V {
    parent;
    access;
    options;
    kind = 'container';
    target;
    runId = process.getBuiltinModule('node:crypto').randomBytes(4).toString('hex');
    seqNo = 0;
    constructor(parent, access, options = {}) {
        super();
        this.parent = parent;
        this.access = access;
        this.options = options;
        this.target = `${describeAccess(access)}${parent.kind === 'runner' ? '' : ` on ${parent.target}`}`;
    }
    parentTmp = '';
    async run(cmd, opts) {
        const oneOff = isOneOff(this.access);
        const name = oneOff ? `${this.options.namePrefix ?? 'deploy-kit'}-${this.runId}-${++this.seqNo}` : undefined;
        const outer = containerCommand(this.access, cmd, {
            ...(name ? { name } : {}),
            ...(oneOff && this.parentTmp ? { mounts: [`${this.parentTmp}:${this.parentTmp}`] } : {}),
            ...(this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {}),
        });
        const r = await this.parent.run(outer, opts);
        if (name && r.end !== 'exit') {
            // A client stopped by a timeout or cancel does not stop its container: remove it by name (not under
            // the caller's signal: a cancelled run must still remove what it started).
            const rm = await this.parent.run({ argv: ['docker', 'rm', '-f', name], ...this.dockerEnv() }, { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
            // "No such container": it ended on the forwarded SIGTERM and --rm removed it already.
            if (!(0,types/* succeeded */.gq)(rm) && !/no such container/i.test(rm.stderr)) {
                return {
                    ...r,
                    stderr: `${r.stderr}\ncould not remove container ${name}: ${(0,types/* describeFailure */.Ic)('docker rm', this.parent.target, rm)}`,
                };
            }
        }
        return r;
    }
    dockerEnv() {
        return this.options.dockerHost ? { env: { DOCKER_HOST: this.options.dockerHost } } : {};
    }
    async tempDir() {
        if (!isOneOff(this.access))
            return super.tempDir();
        this.parentTmp = await this.parent.tempDir();
        return this.parentTmp;
    }
    async writeSecretFile(content, name) {
        if (!isOneOff(this.access))
            return super.writeSecretFile(content, name);
        await this.tempDir();
        return this.parent.writeSecretFile(content, name);
    }
    async upload(localFile, destPath, o = {}) {
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        if (isOneOff(this.access)) {
            const tmp = await this.tempDir();
            const dest = destPath ?? (await this.freshParentPath(tmp));
            if (!dest.startsWith(`${tmp}/`))
                throw new Error(`${this.target}: files for one-off containers go under ${tmp}`);
            return this.parent.upload(localFile, dest, o);
        }
        const dest = destPath ?? (await this.freshPath('upload'));
        const staged = await this.parent.upload(localFile, undefined, o);
        const inner = containerCommand(this.access, (0,commands/* receiveFileCommand */.bj)(dest), this.spec());
        const r = await (0,types/* runChecked */.X4)(this.parent, (0,commands/* withStdinFile */.l$)(inner, staged.path), opts);
        const there = (0,commands/* parseSha256 */.tz)(r.stdout, this.target);
        if (there !== staged.sha256)
            throw new target_types/* TransferMismatch */.K(`upload to ${this.target}:${dest}`, staged.sha256, there);
        return { path: dest, sha256: there };
    }
    async download(path, localFile, o = {}) {
        if (isOneOff(this.access))
            return this.parent.download(path, localFile, o);
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const inside = (0,commands/* parseSha256 */.tz)((await (0,types/* runChecked */.X4)(this, (0,commands/* sha256Command */.p7)(path), opts)).stdout, this.target);
        const staged = external_node_path_.posix.join(await this.parent.tempDir(), `from-container-${this.runId}-${++this.seqNo}`);
        const cat = containerCommand(this.access, { argv: ['cat', '--', path], label: `read ${path}` }, this.spec());
        try {
            await (0,types/* runChecked */.X4)(this.parent, (0,commands/* withStdoutFile */.qs)(cat, staged), opts);
            const { sha256 } = await this.parent.download(staged, localFile, o);
            if (sha256 !== inside)
                throw new target_types/* TransferMismatch */.K(`download of ${this.target}:${path}`, inside, sha256);
            return { sha256 };
        }
        finally {
            await this.parent.run((0,commands/* removeCommand */.mR)(staged), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
        }
    }
    spec() {
        return this.options.dockerHost ? { dockerHost: this.options.dockerHost } : {};
    }
    freshParentPath(tmp) {
        return external_node_path_.posix.join(tmp, `upload-${this.runId}-${++this.seqNo}`);
    }
    async dispose() {
        // One-off kinds keep their files in the parent's temp dir: the parent removes it.
        if (!isOneOff(this.access))
            await super.dispose();
    }
}
/** A container reached through `parent` (the runner or an SSH host). */
function inContainer(parent, access, options = {}) {
    return new ContainerTarget(parent, access, options);
}

;// CONCATENATED MODULE: ./src/core/run-release-phase/steps.ts
/**
 * Idempotent superuser step: creates DJANGO_SUPERUSER_USERNAME with DJANGO_SUPERUSER_EMAIL/PASSWORD
 * from the environment if it does not exist, leaves it alone otherwise. The password never leaves env.
 */
const DJANGO_SUPERUSER_SCRIPT = [
    'import os',
    'from django.contrib.auth import get_user_model',
    'User = get_user_model()',
    'name = os.environ["DJANGO_SUPERUSER_USERNAME"]',
    'if User.objects.filter(**{User.USERNAME_FIELD: name}).exists():',
    '    print(f"superuser {name} exists: left as it is")',
    'else:',
    '    User.objects.create_superuser(name, os.environ.get("DJANGO_SUPERUSER_EMAIL", ""), os.environ["DJANGO_SUPERUSER_PASSWORD"])',
    '    print(f"superuser {name} created")',
].join('\n');
/** The framework's own commands, in order, then the extra commands (strict bash). */
function releaseSteps(preset, python, opts) {
    const steps = [];
    if (preset === 'django') {
        steps.push({ name: 'migrate', argv: [python, 'manage.py', 'migrate', '--noinput'] });
        steps.push({ name: 'collectstatic', argv: [python, 'manage.py', 'collectstatic', '--noinput'] });
        if (opts.superuser)
            steps.push({ name: 'superuser', argv: [python, 'manage.py', 'shell', '-c', DJANGO_SUPERUSER_SCRIPT] });
    }
    else if (preset === 'alembic') {
        steps.push({ name: 'alembic upgrade head', argv: [python, '-m', 'alembic', 'upgrade', 'head'] });
    }
    for (const c of opts.commands)
        steps.push({ name: c.split('\n')[0].slice(0, 60), argv: ['bash', '-euo', 'pipefail', '-c', c] });
    return steps;
}
/** Asks the framework what is applied, so the `migrations` output comes from it, not from us. */
function migrationProbe(preset, python) {
    if (preset === 'django')
        return [python, 'manage.py', 'showmigrations', '--plan'];
    if (preset === 'alembic')
        return [python, '-m', 'alembic', 'current'];
    return undefined;
}
/** Django `showmigrations --plan`: `[X]  app.0001_initial` lines → applied names. */
function appliedDjango(text) {
    return text
        .split('\n')
        .map((l) => /^\[X\]\s+(\S+)/.exec(l.trim())?.[1])
        .filter((x) => !!x);
}
/** Django `showmigrations --plan`: the first `[ ]` line — after a failed migrate, the migration that failed. */
function firstPendingDjango(text) {
    for (const l of text.split('\n')) {
        const m = /^\[ \]\s+(\S+)/.exec(l.trim());
        if (m)
            return m[1];
    }
    return undefined;
}
/** Alembic `current`: revision ids (`abc123 (head)`). */
function alembicRevisions(text) {
    return text
        .split('\n')
        .map((l) => /^([0-9a-f]{4,})\b/.exec(l.trim())?.[1])
        .filter((x) => !!x);
}

;// CONCATENATED MODULE: ./src/core/run-release-phase/run.ts








/** `<base>/releases/<id>` → `<base>`: the release phase shares that deploy's lock. */
function deployBaseOf(workingDirectory) {
    const m = /^(\/.+)\/releases\/[^/]+\/?$/.exec(workingDirectory);
    return m?.[1];
}
/**
 * How the release commands reach their container, if they run in one: a one-off container of the Compose
 * service (`compose run --rm -T`, project directory = working directory, `-p` the live project), or of the
 * image (`docker run --rm`, the working directory mounted at /app when set). Undefined: on the host itself.
 * Env crosses into containers by name only; every value travels in the client's environment.
 */
function releaseAccess(cfg, flavor = 'v2') {
    if (cfg.composeService) {
        return {
            kind: 'compose-run',
            project: { flavor, files: cfg.composeFiles, cwd: cfg.workingDirectory, project: cfg.composeProject },
            service: cfg.composeService,
        };
    }
    if (cfg.runOn !== 'docker')
        return undefined;
    const wd = cfg.workingDirectory;
    return {
        kind: 'docker-run',
        image: cfg.image,
        ...(cfg.network ? { network: cfg.network } : {}),
        // No working directory: the image runs as is, in its own WORKDIR with its own code. Otherwise the
        // directory is mounted at /app (for images that hold only the runtime).
        ...(wd ? { volumes: [`${wd}:/app`], workdir: '/app' } : {}),
    };
}
/** Where the release commands run: the host, or a container reached through it (releaseAccess). */
async function releaseTarget(host, cfg, signal) {
    const flavor = cfg.composeService ? await detectCompose(host, signal) : undefined;
    const access = releaseAccess(cfg, flavor);
    return access ? inContainer(host, access, { namePrefix: 'deploy-kit-release' }) : host;
}
async function runReleasePhase(exec, cfg, ctx) {
    const io = ctx;
    const started = Date.now();
    const report = {
        status: 'failed',
        durationMs: 0,
        target: cfg.composeService
            ? `${exec.target}, compose service ${cfg.composeService}`
            : cfg.runOn === 'docker'
                ? `${exec.target}, image ${cfg.image ?? ''}`
                : exec.target,
        steps: [],
        migrations: { framework: cfg.preset, applied: [], before: [], after: [] },
    };
    let lock;
    let readApplied;
    let beforeRead = false;
    let pending;
    try {
        if (cfg.lockBase) {
            lock = await (0,lib_lock/* acquireLock */.IZ)(exec, cfg.lockBase, {
                owner: `${cfg.owner} release-phase`,
                timeoutMs: cfg.lockTimeoutMs,
                ttlMs: timeouts/* TIMEOUTS */.f.releaseLockTtlMs,
                signal: io.signal,
                onWait: (by, age) => io.log(`waiting for the deploy lock held by ${by} (${age} s)`),
            });
        }
        // The release's own interpreter when it ships a virtualenv.
        let python = cfg.python;
        if (cfg.runOn !== 'docker' && !cfg.composeService) {
            for (const venv of ['.venv/bin/python', 'venv/bin/python']) {
                const r = await exec.run({ argv: ['test', '-x', venv], cwd: cfg.workingDirectory }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal: io.signal });
                if (r.code === 0) {
                    python = `${cfg.workingDirectory}/${venv}`;
                    break;
                }
            }
        }
        const where = await releaseTarget(exec, cfg, io.signal);
        // On the host the commands run in the working directory; in a container, where the image or the mount puts them.
        const contained = (cmd, opts) => where.run({ ...cmd, env: cfg.env, ...(where === exec ? { cwd: cfg.workingDirectory } : {}) }, opts);
        const run = async (argv, label) => {
            const out = (0,output/* streamLogger */.VO)(io.log);
            try {
                return await contained({ argv, label }, {
                    timeoutMs: Math.max(1, cfg.timeoutMs - (Date.now() - started)),
                    idleTimeoutMs: cfg.idleTimeoutMs,
                    signal: io.signal,
                    onStdout: out.onStdout,
                    onStderr: out.onStderr,
                });
            }
            finally {
                out.flush();
            }
        };
        const probe = migrationProbe(cfg.preset, python);
        readApplied = async () => {
            if (!probe)
                return [];
            const r = await contained({ argv: probe }, { timeoutMs: timeouts/* TIMEOUTS */.f.migrationStatusMs, signal: io.signal });
            if (r.end !== 'exit' || r.code !== 0)
                throw new Error((0,types/* describeFailure */.Ic)('migration status', exec.target, r));
            pending = cfg.preset === 'django' ? firstPendingDjango(r.stdout) : undefined;
            return cfg.preset === 'django' ? appliedDjango(r.stdout) : alembicRevisions(r.stdout);
        };
        report.migrations.before = await readApplied();
        beforeRead = true;
        for (const step of releaseSteps(cfg.preset, python, { superuser: cfg.superuser, commands: cfg.commands })) {
            io.log(`▶ ${step.name}`);
            const r = await run(step.argv, step.name);
            const ok = r.end === 'exit' && r.code === 0;
            report.steps.push({
                name: step.name,
                ok,
                durationMs: r.durationMs,
                ...(ok ? {} : { error: (0,types/* describeFailure */.Ic)(step.name, exec.target, r) }),
            });
            if (!ok)
                throw new Error(report.steps.at(-1).error);
        }
        report.migrations.after = await readApplied();
        const before = new Set(report.migrations.before);
        report.migrations.applied =
            cfg.preset === 'alembic'
                ? report.migrations.before.join() === report.migrations.after.join()
                    ? []
                    : report.migrations.after
                : report.migrations.after.filter((m) => !before.has(m));
        report.status = 'succeeded';
    }
    catch (e) {
        report.error = e.message;
        // What did get applied before the failure, from the framework itself.
        if (readApplied && beforeRead && cfg.preset === 'django') {
            try {
                const before = new Set(report.migrations.before);
                report.migrations.after = await readApplied();
                report.migrations.applied = report.migrations.after.filter((m) => !before.has(m));
                const migrateFailed = report.steps.some((s) => s.name === 'migrate' && !s.ok);
                if (migrateFailed && pending)
                    report.error = `migration ${pending} failed (not applied).\n${report.error}`;
            }
            catch {
                // best effort: the step has failed already
            }
        }
    }
    finally {
        if (report.status !== 'succeeded' && cfg.historyBase) {
            // Still under the lock: a release whose release phase failed must never go live by a rollback.
            const id = cfg.workingDirectory.replace(/\/+$/, '').split('/').pop() ?? '';
            const mark = await exec
                .run((0,release_history/* markBadCommand */.Ud)(cfg.historyBase, {
                id,
                at: new Date().toISOString(),
                reason: 'release phase failed',
                run: cfg.runUrl || undefined,
            }), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs })
                .catch((e) => ({ code: 1, stderr: e.message, stdout: '' }));
            if (mark.code === 0)
                io.log(`marked release ${id} bad in ${cfg.historyBase}/.deploy-kit`);
            else
                io.log(`could not mark release ${id} bad in ${cfg.historyBase}/.deploy-kit: ${mark.stderr.trim()}`);
        }
        await lock?.release();
        report.durationMs = Date.now() - started;
    }
    return report;
}


/***/ }),

/***/ 279:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(679);
// EXTERNAL MODULE: ./src/lib/inputs.ts
var inputs = __nccwpck_require__(662);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(858);
// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __nccwpck_require__(310);
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
    const redactor = new redact/* Redactor */.pO();
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
            const { notifyFailure } = await __nccwpck_require__.e(/* import() */ 458).then(__nccwpck_require__.bind(__nccwpck_require__, 458));
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
/* harmony export */   LK: () => (/* binding */ SSH_DIR_STATE),
/* harmony export */   eA: () => (/* binding */ makeRecordedTempDir),
/* harmony export */   oq: () => (/* binding */ recordTempPathsWith)
/* harmony export */ });
/* unused harmony exports TEMP_PATHS_STATE, tempRoot, provableTempPath, cleanupRecordedState */
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

/***/ 543:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   E9: () => (/* binding */ parseDuration),
/* harmony export */   a3: () => (/* binding */ formatDuration)
/* harmony export */ });
/* unused harmony export MAX_DURATION_MS */
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

/***/ 168:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  runProcess: () => (/* binding */ runProcess)
});

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


/***/ }),

/***/ 504:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ic: () => (/* binding */ describeFailure),
/* harmony export */   Qd: () => (/* binding */ CommandError),
/* harmony export */   X4: () => (/* binding */ runChecked),
/* harmony export */   gq: () => (/* binding */ succeeded)
/* harmony export */ });
/* unused harmony export lastLines */
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


/***/ }),

/***/ 662:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G0: () => (/* binding */ Inputs),
/* harmony export */   dz: () => (/* reexport safe */ _errors_js__WEBPACK_IMPORTED_MODULE_1__.d)
/* harmony export */ });
/* unused harmony exports parseList, parseEnvBlock */
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(543);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(268);



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
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, 'is required');
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
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${this.raw(name)}" is not a boolean; use true or false`);
    }
    choice(name, choices, fallback) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (choices.includes(v))
            return v;
        throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${v}" is not one of ${choices.join(', ')}`);
    }
    /** Milliseconds; rejects negatives and garbage. */
    duration(name, fallback, opts = {}) {
        const v = this.raw(name) || fallback;
        if (v.startsWith('-'))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${v}" is negative; durations must be 0 or more`);
        let ms;
        try {
            ms = (0,_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .parseDuration */ .E9)(v);
        }
        catch (e) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, e.message);
        }
        if (opts.min !== undefined && ms < opts.min) {
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${v}" is too short; at least ${opts.min} ms`);
        }
        return ms;
    }
    integer(name, fallback, opts = {}) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (!/^-?\d+$/.test(v))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${v}" is not a whole number`);
        const n = Number(v);
        if (opts.min !== undefined && n < opts.min)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `${n} is above the maximum ${opts.max}`);
        return n;
    }
    number(name, fallback, opts = {}) {
        const v = this.raw(name);
        if (!v)
            return fallback;
        if (!/^-?\d+(\.\d+)?$/.test(v))
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${v}" is not a number`);
        const n = Number(v);
        if (opts.min !== undefined && n < opts.min)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `${n} is below the minimum ${opts.min}`);
        if (opts.max !== undefined && n > opts.max)
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `${n} is above the maximum ${opts.max}`);
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
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, e.message);
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
                throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, `"${l.slice(0, 40)}" is not a \`Name: value\` header line`);
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

/***/ 892:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   GM: () => (/* binding */ LOCK_SH),
/* harmony export */   IZ: () => (/* binding */ acquireLock),
/* harmony export */   I_: () => (/* binding */ unlockCommand)
/* harmony export */ });
/* unused harmony exports lockCommand, parseLockLine */
/* harmony import */ var _exec_types_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(504);
/* harmony import */ var _retry_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(737);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(867);



/**
 * Bash functions for the deploy lock under `<base>/.deploy-kit/lock` (a directory: `mkdir` succeeds for
 * exactly one run). `dk_lock base owner` prints `@lock acquired` and returns 0, or prints `@lock held…`
 * and returns 75. `dk_unlock base owner` removes the lock only when this owner holds it.
 */
const LOCK_SH = String.raw `dk_lock() {
  local m="$1/.deploy-kit" now at who
  mkdir -p -- "$m" || return 1
  if mkdir -- "$m/lock" 2>/dev/null; then
    printf '%s\n' "$2" > "$m/lock/owner"; echo '@lock acquired'; return 0
  fi
  who=$(head -n 1 -- "$m/lock/owner" 2>/dev/null | head -c 600 | tr '\t' ' ' || true)
  now=$(date +%s); at=$(stat -c %Y -- "$m/lock" 2>/dev/null || echo "$now")
  printf '@lock held\t%s\t%s\n' "\${who:-unknown}" "$((now - at))"; return 75
}
dk_unlock() {
  local m="$1/.deploy-kit"
  if [ "$(cat -- "$m/lock/owner" 2>/dev/null || true)" = "$2" ]; then rm -rf -- "$m/lock"; echo '@unlock released'; fi
}
`.replace(/\\\$\{/g, '$' + '{');
/** LOCK_SH's functions, then `call` with `$1` = base and `$2` = owner (as arguments, never in the script). */
function lockScript(call, base, owner, label) {
    return {
        argv: ['bash', '--norc', '--noprofile', '-c', `set -euo pipefail\n${LOCK_SH}${call}`, 'dk', base, owner],
        label,
    };
}
/** One attempt to take the lock of `base`. */
function lockCommand(base, owner) {
    return lockScript('dk_lock "$1" "$2" || [ $? = 75 ]', base, owner, 'lock');
}
function unlockCommand(base, owner) {
    return lockScript('dk_unlock "$1" "$2"', base, owner, 'unlock');
}
/** Reads what an attempt printed about the lock. */
function parseLockLine(stdout) {
    for (const line of stdout.split('\n')) {
        if (line === '@lock acquired')
            return { acquired: true };
        if (line.startsWith('@lock held\t')) {
            const [, heldBy = 'unknown', age = '0'] = line.split('\t');
            return { acquired: false, heldBy: heldBy.trim() || 'unknown', ageSec: Number(age) || 0 };
        }
    }
    throw new Error(`the lock step printed no lock state: ${stdout.slice(-300)}`);
}
/**
 * Atomic deploy lock on the server: `mkdir <base>/.deploy-kit/lock` succeeds for exactly one run.
 * Shared by ssh-rsync-deploy, the root action and run-release-phase, so uploads, switches and migrations
 * never interleave. Waits up to `timeoutMs`, polling; the error names the holder and, when it is older than
 * `ttlMs`, the directory to remove by hand.
 */
async function acquireLock(exec, base, o) {
    const deadline = Date.now() + o.timeoutMs;
    const attempt = o.attempt ?? lockCommand(base, o.owner);
    const maxAttempts = Math.ceil(o.timeoutMs / Math.max(1, o.pollMs ?? 1000)) + 2;
    for (let n = 1;; n++) {
        const r = await (0,_exec_types_js__WEBPACK_IMPORTED_MODULE_0__/* .runChecked */ .X4)(exec, attempt, { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_1__/* .TIMEOUTS */ .f.remoteStepMs, signal: o.signal });
        const state = parseLockLine(r.stdout);
        if (state.acquired) {
            return {
                result: r,
                release: async () => {
                    // Not tied to the job's signal: a cancelled run must still let go of its lock.
                    await exec.run(unlockCommand(base, o.owner), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_1__/* .TIMEOUTS */ .f.unlockMs });
                },
            };
        }
        o.onWait?.(state.heldBy, state.ageSec);
        if (Date.now() >= deadline || o.signal?.aborted || n >= maxAttempts) {
            const stale = state.ageSec * 1000 > o.ttlMs
                ? ` The lock is ${state.ageSec} s old, older than lock-ttl: if that run is gone, remove ${base}/.deploy-kit/lock on ${exec.target} by hand.`
                : '';
            throw new Error(`${exec.target}: ${base} is locked by another deploy (${state.heldBy}, ${state.ageSec} s ago); waited ${Math.round(o.timeoutMs / 1000)} s (lock-timeout).${stale}`);
        }
        await (0,_retry_js__WEBPACK_IMPORTED_MODULE_2__/* .sleep */ .yy)(Math.min(o.pollMs ?? 1000, Math.max(1, deadline - Date.now())), o.signal).catch(() => undefined);
    }
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

/***/ 975:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Pv: () => (/* binding */ assertEnvName),
/* harmony export */   rx: () => (/* binding */ quoteArgv)
/* harmony export */ });
/* unused harmony export quoteArg */
/**
 * The one audited path from argv to a POSIX shell string (SSH exec hands the server a string).
 *
 * Every argument is wrapped in single quotes; an embedded single quote becomes '\'' (close, escaped
 * quote, reopen). Inside single quotes a POSIX shell interprets nothing: no $, `, \, globs or
 * newlines. Arguments made only of safe characters are left bare for readability.
 */
const SAFE = /^[A-Za-z0-9_\-+=.,/:@%^]+$/;
function quoteArg(arg) {
    if (arg.includes('\0')) {
        throw new Error('argument contains a NUL byte, which no shell can carry');
    }
    if (arg !== '' && SAFE.test(arg))
        return arg;
    return `'${arg.replace(/'/g, `'\\''`)}'`;
}
function quoteArgv(argv) {
    if (argv.length === 0)
        throw new Error('empty command');
    return argv.map(quoteArg).join(' ');
}
/** Environment variable names that may be exported on a remote shell line. */
function assertEnvName(name) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
        throw new Error(`"${name}" is not a valid environment variable name (letters, digits, _; not starting with a digit)`);
    }
    return name;
}


/***/ }),

/***/ 310:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   _H: () => (/* binding */ stripUserinfo),
/* harmony export */   pO: () => (/* binding */ Redactor)
/* harmony export */ });
/* unused harmony export redactUrlCredentials */
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(119);

/** Replaces every known secret in text with ***, longest first so overlapping secrets all vanish. */
class Redactor {
    secrets = [];
    add(secret) {
        if (!secret || secret.length < 3)
            return;
        // The forms a secret takes once escaped for a summary table cell or inside a JSON string: `|`, `\`, `<`,
        // quotes and newlines change its bytes, and the plain value would no longer be found there.
        for (const form of [secret, (0,_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .escapeCell */ .kq)(secret), JSON.stringify(secret).slice(1, -1)]) {
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


/***/ }),

/***/ 419:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Jo: () => (/* binding */ historyLine),
/* harmony export */   NY: () => (/* binding */ HISTORY_KEEP),
/* harmony export */   Ud: () => (/* binding */ markBadCommand),
/* harmony export */   es: () => (/* binding */ rollbackTarget),
/* harmony export */   i6: () => (/* binding */ parseHistory)
/* harmony export */ });
/* unused harmony exports HISTORY_DIR, HISTORY_FILE, appendHistoryCommand, badIds, everLive */
/** Where the history lives under a deploy base directory. */
const HISTORY_DIR = '.deploy-kit';
const HISTORY_FILE = 'releases.jsonl';
/** Lines kept when the history is trimmed (and read back): enough for any rollback, bounded in size. */
const HISTORY_KEEP = 1000;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** One history line, keys in a fixed order (a shell `grep -F` may look for `{"event":"activate","id":"<id>",`). */
function historyLine(e) {
    if (!ID_RE.test(e.id))
        throw new Error(`release history: "${e.id}" is not a release id or digest`);
    const o = { event: e.event, id: e.id, at: e.at };
    for (const k of ['from', 'how', 'reason', 'run', 'by']) {
        const v = e[k];
        if (v)
            o[k] = v.replace(/[\r\n]+/g, ' ').slice(0, 500);
    }
    return JSON.stringify(o);
}
/**
 * Appends events to the history of `base` (the directory that holds `.deploy-kit/`). The lines travel as
 * positional arguments of a constant script; nothing is parsed by a shell.
 */
function appendHistoryCommand(base, events) {
    return {
        argv: [
            'sh',
            '-c',
            'set -e; b=$1; shift; mkdir -p -- "$b/.deploy-kit"; for l in "$@"; do printf \'%s\\n\' "$l" >> "$b/.deploy-kit/releases.jsonl"; done',
            'sh',
            base,
            ...events.map(historyLine),
        ],
        label: `record ${events.map((e) => `${e.event} ${e.id}`).join(', ')}`,
    };
}
/**
 * Marks a release bad in a releases layout: a `bad` event in the history and the `bad/<id>` marker that
 * the server-side steps check (discard, prune).
 */
function markBadCommand(base, e) {
    const line = historyLine({ ...e, event: 'bad' });
    return {
        argv: [
            'sh',
            '-c',
            'set -e; m=$1/.deploy-kit; mkdir -p -- "$m/bad"; : > "$m/bad/$2"; printf \'%s\\n\' "$3" >> "$m/releases.jsonl"',
            'sh',
            base,
            e.id,
            line,
        ],
        label: `mark ${e.id} bad`,
    };
}
/** Parses history text; lines that are not a history event (torn writes, foreign text) are skipped. */
function parseHistory(text) {
    const out = [];
    for (const line of text.split('\n')) {
        const t = line.trim();
        if (!t.startsWith('{'))
            continue;
        try {
            const o = JSON.parse(t);
            if ((o.event === 'activate' || o.event === 'bad' || o.event === 'upload') &&
                typeof o.id === 'string' &&
                ID_RE.test(o.id) &&
                typeof o.at === 'string') {
                const e = { event: o.event, id: o.id, at: o.at };
                for (const k of ['from', 'how', 'reason', 'run', 'by'])
                    if (typeof o[k] === 'string')
                        e[k] = o[k];
                out.push(e);
            }
        }
        catch {
            // a torn or foreign line: not an event
        }
    }
    return out;
}
/** Ids marked bad in the history (or by markers). */
function badIds(q) {
    const bad = new Set(q.bad ?? []);
    for (const e of q.history)
        if (e.event === 'bad')
            bad.add(e.id);
    return bad;
}
/**
 * The release to roll back to: the most recent release `current` pointed at before, that is not the current
 * one, not marked bad and still exists. Never a release that only was uploaded. Undefined when there is none.
 */
function rollbackTarget(q) {
    const bad = badIds(q);
    const activations = q.history.filter((e) => e.event === 'activate');
    for (let i = activations.length - 1; i >= 0; i--) {
        const id = activations[i].id;
        if (id !== q.current && !bad.has(id) && q.existing.has(id))
            return id;
    }
    return undefined;
}
/** True when `id` was ever live (an `activate` event names it). */
function everLive(history, id) {
    return history.some((e) => e.event === 'activate' && e.id === id);
}


/***/ }),

/***/ 737:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
/* unused harmony export backoffDelay */
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

/***/ 304:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ CommandTarget)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _exec_types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(504);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(867);
/* harmony import */ var _commands_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(627);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(164);





/**
 * What every target that is reached by running commands (an SSH host, a long-lived container) shares:
 * the temp dir made by `mktemp -d` on first use, secret files written through stdin, removal on dispose.
 */
class CommandTarget {
    tmp;
    made = '';
    seq = 0;
    disposed = false;
    tempDir() {
        if (this.disposed)
            return Promise.reject(new Error(`${this.target}: target already disposed`));
        this.tmp ??= (0,_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(this, (0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .mktempCommand */ .uQ)(), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs }).then((r) => {
            const dir = r.stdout.trim();
            if (!dir.startsWith('/') || dir.includes('\n'))
                throw new Error(`mktemp on ${this.target} printed no directory`);
            this.made = dir;
            return dir;
        });
        return this.tmp;
    }
    /** A fresh name in the temp dir: `<prefix>-<n>`. */
    async freshPath(prefix) {
        return node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(await this.tempDir(), `${prefix}-${++this.seq}`);
    }
    async writeSecretFile(content, name) {
        const path = name ? node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(await this.tempDir(), (0,_types_js__WEBPACK_IMPORTED_MODULE_3__/* .assertFileName */ .u)(name)) : await this.freshPath('secret');
        await (0,_exec_types_js__WEBPACK_IMPORTED_MODULE_1__/* .runChecked */ .X4)(this, (0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .writeSecretCommand */ .T1)(path, content), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs });
        return path;
    }
    async dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        // Not tied to any signal: a cancelled run must still remove what it made.
        const dir = this.made || (await this.tmp?.catch(() => ''));
        if (dir)
            await this.run((0,_commands_js__WEBPACK_IMPORTED_MODULE_4__/* .removeCommand */ .mR)(dir), { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_2__/* .TIMEOUTS */ .f.housekeepingMs });
    }
}


/***/ }),

/***/ 627:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   T1: () => (/* binding */ writeSecretCommand),
/* harmony export */   bj: () => (/* binding */ receiveFileCommand),
/* harmony export */   l$: () => (/* binding */ withStdinFile),
/* harmony export */   mR: () => (/* binding */ removeCommand),
/* harmony export */   p7: () => (/* binding */ sha256Command),
/* harmony export */   qs: () => (/* binding */ withStdoutFile),
/* harmony export */   tz: () => (/* binding */ parseSha256),
/* harmony export */   uQ: () => (/* binding */ mktempCommand)
/* harmony export */ });
/**
 * The small commands a target runs on itself, as data. Every script is a constant; paths and names are
 * positional parameters, so nothing from input is ever parsed by a shell.
 */
/** A private (0700) temp dir; prints its path. */
function mktempCommand() {
    return { argv: ['mktemp', '-d', '-t', 'deploy-kit.XXXXXXXXXX'], label: 'mktemp -d' };
}
/** Writes stdin to `path` with mode 0600 (umask 077). */
function writeSecretCommand(path, content) {
    return {
        argv: ['sh', '-c', 'umask 077 && cat > "$1"', 'sh', path],
        stdin: content,
        label: 'write secret file',
    };
}
/** Prints the sha256 of `path` (read through a redirect: no file-name escaping in the output). */
function sha256Command(path) {
    return { argv: ['sh', '-c', 'sha256sum < "$1"', 'sh', path], label: 'sha256sum' };
}
/** Writes stdin to `path` (0600) and prints its sha256, in one command. */
function receiveFileCommand(path) {
    return {
        argv: ['sh', '-c', 'umask 077 && cat > "$1" && sha256sum < "$1"', 'sh', path],
        label: 'receive file',
    };
}
function removeCommand(path) {
    return { argv: ['rm', '-rf', '--', path], label: 'cleanup' };
}
/**
 * Runs `cmd` with `file` as its stdin, without holding it in memory:
 * `sh -c 'f=$1; shift; exec "$@" < "$f"' sh <file> <argv…>`.
 */
function withStdinFile(cmd, file) {
    return {
        ...cmd,
        argv: ['sh', '-c', 'f=$1; shift; exec "$@" < "$f"', 'sh', file, ...cmd.argv],
        label: cmd.label ?? cmd.argv[0],
    };
}
/** Runs `cmd` with its stdout written to `file` (0600). */
function withStdoutFile(cmd, file) {
    return {
        ...cmd,
        argv: ['sh', '-c', 'f=$1; shift; umask 077; exec "$@" > "$f"', 'sh', file, ...cmd.argv],
        label: cmd.label ?? cmd.argv[0],
    };
}
/** The sha256 printed by sha256sum (`<hex>  -`); throws when the output holds none. */
function parseSha256(stdout, where) {
    const m = /^([0-9a-f]{64})\b/m.exec(stdout.trim());
    if (!m)
        throw new Error(`sha256sum on ${where} printed no checksum: ${stdout.slice(0, 200)}`);
    return m[1];
}


/***/ }),

/***/ 816:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  d: () => (/* binding */ withTargets)
});

// UNUSED EXPORTS: openTargets

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __nccwpck_require__(975);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(867);
;// CONCATENATED MODULE: ./src/lib/exec/ssh-config.ts





/**
 * Everything OpenSSH needs for one run, in a 0700 temp dir: the key (0600), known_hosts and an
 * ssh_config. A config file (not -o flags) is used because it applies to ProxyJump hops too,
 * so the bastion's host key is checked against the same known-hosts.
 * ssh and rsync share this one trust path.
 */
class SshSession {
    dir;
    configPath;
    keyPath;
    knownHostsPath;
    proxyJump;
    socketDir;
    disposed = false;
    constructor(settings) {
        if (!settings.insecureSkipHostKeyCheck && !settings.knownHosts.trim()) {
            throw new Error('known-hosts is required: run `ssh-keyscan -p <port> <host>` from a trusted machine and store the output as a secret');
        }
        this.dir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(settings.tempRoot ?? (0,external_node_os_.tmpdir)(), 'deploy-kit-ssh-'));
        (0,external_node_fs_.chmodSync)(this.dir, 0o700);
        // Unix socket paths are limited to ~104 bytes: control sockets live in a short folder of their own.
        this.socketDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,external_node_os_.tmpdir)().length < 20 ? (0,external_node_os_.tmpdir)() : '/tmp', 'dkcm-'));
        (0,external_node_fs_.chmodSync)(this.socketDir, 0o700);
        this.keyPath = (0,external_node_path_.join)(this.dir, 'id');
        this.knownHostsPath = (0,external_node_path_.join)(this.dir, 'known_hosts');
        this.configPath = (0,external_node_path_.join)(this.dir, 'ssh_config');
        let key = settings.privateKey.replace(/\r\n/g, '\n');
        if (!key.endsWith('\n'))
            key += '\n';
        (0,external_node_fs_.writeFileSync)(this.keyPath, key, { mode: 0o600 });
        (0,external_node_fs_.writeFileSync)(this.knownHostsPath, settings.knownHosts.replace(/\r\n/g, '\n') + '\n', { mode: 0o600 });
        const strict = !settings.insecureSkipHostKeyCheck;
        const lines = [
            'Host *',
            '  BatchMode yes',
            '  IdentitiesOnly yes',
            `  IdentityFile "${this.keyPath}"`,
            `  UserKnownHostsFile "${strict ? this.knownHostsPath : '/dev/null'}"`,
            '  GlobalKnownHostsFile /dev/null',
            `  StrictHostKeyChecking ${strict ? 'yes' : 'no'}`,
            '  CheckHostIP no',
            '  UpdateHostKeys no',
            '  HashKnownHosts no',
            `  ConnectTimeout ${settings.connectTimeoutSec ?? 15}`,
            '  ServerAliveInterval 15',
            '  ServerAliveCountMax 4',
            '  PasswordAuthentication no',
            '  KbdInteractiveAuthentication no',
            '  LogLevel ERROR',
            '  ForwardAgent no',
            '  RequestTTY no',
            // Commands and rsync share one authenticated connection per host when a master runs (startMaster);
            // with no master, ssh simply connects directly.
            `  ControlPath "${(0,external_node_path_.join)(this.socketDir, 'cm-%C')}"`,
            '  ControlMaster no',
            '',
        ];
        (0,external_node_fs_.writeFileSync)(this.configPath, lines.join('\n'), { mode: 0o600 });
        this.proxyJump = settings.proxyJump;
    }
    /** argv for `ssh` to this target, without the remote command. */
    sshArgv(t) {
        const argv = ['ssh', '-F', this.configPath, '-p', String(t.port), '-l', t.user];
        if (this.proxyJump)
            argv.push('-J', this.proxyJump);
        argv.push('--', t.host);
        return argv;
    }
    /** The `-e` value for rsync: ssh with the same config (rsync splits it honouring quotes). */
    rsyncShell(t) {
        const argv = ['ssh', '-F', this.configPath, '-p', String(t.port), '-l', t.user];
        if (this.proxyJump)
            argv.push('-J', this.proxyJump);
        return (0,quote/* quoteArgv */.rx)(argv);
    }
    masters = new Map();
    /**
     * Starts a background master connection to the target (bounded by ConnectTimeout, and exiting by
     * itself 60 s after its last use). Best effort: if it cannot start, commands connect directly and
     * report the real error (host key, refused, …) themselves.
     */
    startMaster(t) {
        const key = `${t.user}@${t.host}:${t.port}`;
        if (this.disposed || this.masters.has(key))
            return;
        const argv = this.sshArgv(t);
        const { spawnSync } = process.getBuiltinModule('node:child_process');
        const r = spawnSync(argv[0], ['-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-N', '-f', ...argv.slice(1)], {
            stdio: 'ignore',
            timeout: timeouts/* TIMEOUTS */.f.sshMasterStartMs,
        });
        if (r.status === 0)
            this.masters.set(key, t);
    }
    /** Stops the master connections and removes the key and config; safe to call more than once. */
    dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        for (const t of this.masters.values()) {
            const argv = this.sshArgv(t);
            process
                .getBuiltinModule('node:child_process')
                .spawnSync(argv[0], ['-O', 'exit', ...argv.slice(1)], { stdio: 'ignore', timeout: timeouts/* TIMEOUTS */.f.sshMasterStopMs });
        }
        (0,external_node_fs_.rmSync)(this.dir, { recursive: true, force: true });
        (0,external_node_fs_.rmSync)(this.socketDir, { recursive: true, force: true });
    }
}
/**
 * Removes the passphrase from the session's copy of the key (in its 0600 temp dir) so ssh and rsync can
 * run in BatchMode. The passphrase reaches ssh-keygen through SSH_ASKPASS and an env var, never argv.
 */
async function unlockKey(session, passphrase) {
    const { writeFileSync: write } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 24, 23));
    const { runProcess } = await Promise.resolve(/* import() */).then(__nccwpck_require__.bind(__nccwpck_require__, 168));
    const askpass = (0,external_node_path_.join)(session.dir, 'askpass');
    write(askpass, '#!/bin/sh\nprintf "%s\\n" "$DEPLOY_KIT_KEY_PASSPHRASE"\n', { mode: 0o700 });
    const r = await runProcess({
        file: 'ssh-keygen',
        args: ['-p', '-N', '', '-f', session.keyPath],
        env: {
            ...process.env,
            SSH_ASKPASS: askpass,
            SSH_ASKPASS_REQUIRE: 'force',
            DISPLAY: process.env.DISPLAY ?? ':0',
            DEPLOY_KIT_KEY_PASSPHRASE: passphrase,
        },
    }, { timeoutMs: timeouts/* TIMEOUTS */.f.keyUnlockMs });
    (0,external_node_fs_.rmSync)(askpass, { force: true });
    if (r.end !== 'exit' || r.code !== 0) {
        throw new Error('private-key could not be unlocked with passphrase; check the passphrase secret');
    }
}

// EXTERNAL MODULE: ./src/lib/inputs.ts
var lib_inputs = __nccwpck_require__(662);
;// CONCATENATED MODULE: ./src/lib/exec/ssh-target.ts
function formatTarget(t) {
    const host = t.host.includes(':') ? `[${t.host}]` : t.host;
    return `${t.user}@${host}:${t.port}`;
}
const HOST_RE = /^[A-Za-z0-9]([A-Za-z0-9.\-_]*[A-Za-z0-9])?$/;
/** A remote user name: never starts with `-` (it ends up in `ssh -l`/`user@host`). */
const USER_RE = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
function parseTarget(spec, defaults, inputName = 'hosts') {
    const raw = spec.trim();
    let user = defaults.user;
    let rest = raw;
    const at = raw.lastIndexOf('@');
    if (at >= 0) {
        user = raw.slice(0, at);
        rest = raw.slice(at + 1);
    }
    let host = rest;
    let port = defaults.port;
    const v6 = /^\[([0-9A-Fa-f:.]+)\](?::(\d+))?$/.exec(rest);
    if (v6) {
        host = v6[1];
        if (v6[2])
            port = Number(v6[2]);
    }
    else {
        const m = /^([^:]+)(?::(\d+))?$/.exec(rest);
        if (!m)
            throw new Error(`${inputName}: "${raw}" is not [user@]host[:port]`);
        host = m[1];
        if (m[2])
            port = Number(m[2]);
        if (!HOST_RE.test(host)) {
            throw new Error(`${inputName}: "${host}" is not a valid host name or address`);
        }
    }
    if (!user)
        throw new Error(`${inputName}: no user for "${raw}"; set the \`user\` input or write user@host`);
    if (!USER_RE.test(user))
        throw new Error(`${inputName}: "${user}" is not a valid user name`);
    if (!Number.isInteger(port) || port < 1 || port > 65535) {
        throw new Error(`${inputName}: port of "${raw}" must be 1-65535`);
    }
    return { host, port, user };
}

;// CONCATENATED MODULE: ./src/lib/ssh-inputs.ts


/**
 * The SSH inputs every SSH-capable action shares: hosts, user, port, private-key, passphrase,
 * known-hosts, insecure-skip-host-key-check, proxy-jump, connect-timeout.
 */
function readSshInputs(inputs, tempRoot = process.env.RUNNER_TEMP) {
    const user = inputs.string('user');
    // Checked here so a bad value is reported as `user`, not as every host that inherits it.
    if (user && !USER_RE.test(user)) {
        throw new lib_inputs/* InputError */.dz('user', `"${user.slice(0, 60)}" is not a valid user name (letters, digits, _ . -; not starting with - or a digit)`);
    }
    const port = inputs.integer('port', 22, { min: 1, max: 65535 });
    const hostSpecs = inputs.list('hosts');
    if (hostSpecs.length === 0)
        throw new lib_inputs/* InputError */.dz('hosts', 'is required: one or more [user@]host[:port]');
    const targets = hostSpecs.map((h) => {
        try {
            return parseTarget(h, { user, port });
        }
        catch (e) {
            throw new lib_inputs/* InputError */.dz('hosts', e.message.replace(/^hosts: /, ''));
        }
    });
    const seen = new Set();
    for (const t of targets) {
        const k = `${t.user}@${t.host}:${t.port}`;
        if (seen.has(k))
            throw new lib_inputs/* InputError */.dz('hosts', `${k} is listed twice`);
        seen.add(k);
    }
    const privateKey = inputs.secret('private-key');
    if (!privateKey)
        throw new lib_inputs/* InputError */.dz('private-key', 'is required (the deploy user’s private key, from a secret)');
    if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(privateKey)) {
        throw new lib_inputs/* InputError */.dz('private-key', 'does not look like a private key; paste the whole key including the BEGIN/END lines');
    }
    const insecure = inputs.boolean('insecure-skip-host-key-check', false);
    const knownHosts = inputs.raw('known-hosts');
    if (!insecure && !knownHosts) {
        const first = targets[0];
        throw new lib_inputs/* InputError */.dz('known-hosts', `is required; run \`ssh-keyscan -p ${first.port} ${first.host}\` from a trusted machine and store the output as a secret (or set insecure-skip-host-key-check: true, not recommended)`);
    }
    let proxyJump = inputs.raw('proxy-jump') || undefined;
    if (proxyJump) {
        try {
            const j = parseTarget(proxyJump, { user: user || 'root', port: 22 }, 'proxy-jump');
            proxyJump = `${j.user}@${j.host.includes(':') ? `[${j.host}]` : j.host}:${j.port}`;
        }
        catch (e) {
            throw new lib_inputs/* InputError */.dz('proxy-jump', e.message.replace(/^proxy-jump: /, ''));
        }
    }
    const passphrase = inputs.secret('passphrase') || undefined;
    return {
        targets,
        passphrase,
        settings: {
            privateKey,
            knownHosts,
            insecureSkipHostKeyCheck: insecure,
            proxyJump,
            connectTimeoutSec: Math.ceil(inputs.duration('connect-timeout', '15s', { min: 1000 }) / 1000),
            tempRoot,
        },
    };
}

// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(679);
// EXTERNAL MODULE: ./src/lib/exec/process.ts + 1 modules
var exec_process = __nccwpck_require__(168);
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
        return (0,exec_process.runProcess)({ file, args, env: { ...this.baseEnv, ...cmd.env }, cwd: cmd.cwd, stdin: cmd.stdin }, opts);
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

// EXTERNAL MODULE: ./src/lib/target/types.ts
var types = __nccwpck_require__(164);
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
        const path = (0,external_node_path_.join)(await this.tempDir(), name ? (0,types/* assertFileName */.u)(name) : `secret-${++this.seq}`);
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
            throw new types/* TransferMismatch */.K(`copy to ${destPath}`, sha256, there);
        return { path: destPath, sha256 };
    }
    async download(path, localFile) {
        const sha256 = await sha256File(path);
        if ((0,external_node_path_.resolve)(path) !== (0,external_node_path_.resolve)(localFile))
            (0,external_node_fs_.copyFileSync)(path, localFile);
        const here = await sha256File(localFile);
        if (here !== sha256)
            throw new types/* TransferMismatch */.K(`copy of ${path}`, sha256, here);
        return { sha256 };
    }
    async dispose() {
        if (this.tmp)
            (0,external_node_fs_.rmSync)(this.tmp, { recursive: true, force: true });
        this.tmp = '';
    }
}

;// CONCATENATED MODULE: ./src/lib/exec/ssh.ts




/**
 * Remote side of every command. Positional args: run-id, cwd, env-flag, argv...
 * When env-flag is 1, NUL-separated NAME=value pairs arrive first on stdin, ended by an empty
 * one; bash's `read` takes stdin one byte at a time from a pipe, so the command's own stdin
 * follows untouched. Values never appear in argv, in the process list, or in an export line.
 * sshd starts every session in a process group of its own; the wrapper records that group under
 * the run id so that a cancelled or timed-out command can be stopped on the host (REMOTE_STOP):
 * killing the local client alone leaves it running there, and with a shared connection the
 * client does not even return until it ends.
 */
const REMOTE_WRAPPER = [
    'id=$1; cwd=$2; withenv=$3; shift 3',
    'run="${TMPDIR:-/tmp}/deploy-kit-pgid-$id"',
    '(umask 077; cut -d " " -f 5 /proc/$$/stat > "$run") 2>/dev/null || run=',
    'if [ "$withenv" = 1 ]; then',
    '  while IFS= read -r -d "" kv; do [ -z "$kv" ] && break; export -- "$kv"; done',
    'fi',
    'if [ -n "$cwd" ]; then cd -- "$cwd" || { [ -z "$run" ] || rm -f -- "$run"; exit 97; }; fi',
    '"$@"; rc=$?',
    '[ -z "$run" ] || rm -f -- "$run"',
    'exit $rc',
].join('\n');
/** Stops a recorded run's process group: TERM, up to 5 s to go, then KILL. Positional arg: run-id. */
const REMOTE_STOP = [
    'run="${TMPDIR:-/tmp}/deploy-kit-pgid-$1"',
    // A cancel right after the start can arrive before the wrapper wrote its file: give it 2 s to appear.
    'for _ in $(seq 20); do [ -s "$run" ] && break; sleep 0.1; done',
    'read -r g < "$run" 2>/dev/null || exit 0',
    'rm -f -- "$run"',
    '[ "$g" -gt 1 ] 2>/dev/null || exit 0',
    'kill -TERM -- "-$g" 2>/dev/null || exit 0',
    'for _ in 1 2 3 4 5 6 7 8 9 10; do kill -0 -- "-$g" 2>/dev/null || exit 0; sleep 0.5; done',
    'kill -KILL -- "-$g" 2>/dev/null || true',
].join('\n');
const bashArgv = (script, ...args) => (0,quote/* quoteArgv */.rx)(['bash', '--norc', '--noprofile', '-c', script, 'deploy-kit', ...args]);
function remoteStopCommandString(runId) {
    return bashArgv(REMOTE_STOP, runId);
}
/** 16 hex digits naming one remote command (node:crypto loads on first use, not at start-up). */
const newRunId = () => process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex');
function remoteCommandString(cmd, runId = newRunId()) {
    const env = cmd.env ?? {};
    const names = Object.keys(env);
    let prefix;
    if (names.length > 0) {
        const parts = [];
        for (const name of names) {
            (0,quote/* assertEnvName */.Pv)(name);
            const value = env[name];
            if (value.includes('\0'))
                throw new Error(`env ${name} contains a NUL byte`);
            parts.push(`${name}=${value}\0`);
        }
        parts.push('\0');
        prefix = Buffer.from(parts.join(''), 'utf8');
    }
    // --norc: bash started by sshd would source ~/.bashrc on every command (slow, and not ours to run).
    const line = bashArgv(REMOTE_WRAPPER, runId, cmd.cwd ?? '', prefix ? '1' : '0', ...cmd.argv);
    return { line, stdinPrefix: prefix };
}
/** Runs commands on one host through the system OpenSSH client. */
class SshExecutor {
    session;
    host;
    target;
    constructor(session, host) {
        this.session = session;
        this.host = host;
        this.target = formatTarget(host);
    }
    /** Opens the shared connection that later commands (and rsync) reuse. */
    connect() {
        this.session.startMaster(this.host);
    }
    async run(cmd, opts) {
        if (cmd.argv.length === 0)
            throw new Error('empty command');
        const runId = newRunId();
        const { line, stdinPrefix } = remoteCommandString(cmd, runId);
        const [file, ...args] = [...this.session.sshArgv(this.host), line];
        let stdin = cmd.stdin;
        if (stdinPrefix) {
            stdin = Buffer.concat([stdinPrefix, Buffer.from(cmd.stdin ?? '')]);
        }
        let stopping;
        // Not tied to the caller's signal: stopping the remote command is what that signal asks for.
        const onKill = () => {
            const [f, ...a] = [...this.session.sshArgv(this.host), remoteStopCommandString(runId)];
            stopping = (0,exec_process.runProcess)({ file: f, args: a, env: process.env }, { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStopMs }).catch(() => undefined);
        };
        const r = await (0,exec_process.runProcess)({ file: file, args, env: process.env, stdin, onKill }, opts);
        await stopping;
        if (r.end === 'exit' && r.code === 255) {
            const why = explainSshError(r.stderr, this.host);
            if (why)
                return { ...r, end: 'exit', stderr: `${r.stderr}\n${why}` };
        }
        return r;
    }
}
/** Turns OpenSSH's connection errors into a message that names the fix; undefined if not an SSH error. */
function explainSshError(stderr, t) {
    const where = `${t.host}:${t.port}`;
    const scan = `ssh-keyscan -p ${t.port} ${t.host}`;
    if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed|key for .* has changed/i.test(stderr)) {
        if (/No .*host key is known|not in known_hosts|No ED25519 host key is known|is not known/i.test(stderr) &&
            !/HAS CHANGED/.test(stderr)) {
            return `deploy-kit: host key for ${where} is not in known-hosts; run \`${scan}\` from a trusted machine and add the output to the known-hosts secret`;
        }
        return `deploy-kit: host key for ${where} does not match known-hosts; run \`${scan}\` from a trusted machine and update the known-hosts secret (if the server was not rebuilt, stop: this may be an attack)`;
    }
    if (/Permission denied \(/i.test(stderr)) {
        return `deploy-kit: ${t.user}@${where} refused the key; check that the public key of private-key is in ~${t.user}/.ssh/authorized_keys`;
    }
    if (/Connection refused/i.test(stderr)) {
        return `deploy-kit: nothing accepts SSH connections on ${where}; check the host, the port and that sshd runs`;
    }
    if (/timed out|Connection timed out/i.test(stderr)) {
        return `deploy-kit: connecting to ${where} timed out; check the address, security groups and firewalls`;
    }
    if (/Could not resolve hostname/i.test(stderr)) {
        return `deploy-kit: ${t.host} does not resolve; check the host name`;
    }
    if (/Load key .*: (invalid format|error in libcrypto|incorrect passphrase)/i.test(stderr)) {
        return 'deploy-kit: private-key could not be loaded; paste the whole key including the BEGIN/END lines, and set passphrase if it is encrypted';
    }
    return undefined;
}

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var exec_types = __nccwpck_require__(504);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __nccwpck_require__(304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __nccwpck_require__(627);
;// CONCATENATED MODULE: ./src/lib/target/ssh.ts








/**
 * `rsync` argv moving one file between the runner and `host` through the session's ssh (same config, same
 * known-hosts, same master connection). `-s` hands file names to the remote rsync over the protocol, not
 * through its shell; local paths are absolute so a `:` in a name is never read as a host.
 */
function rsyncFileCommand(session, host, direction, localFile, remotePath) {
    const remote = `${host.host.includes(':') ? `[${host.host}]` : host.host}:${remotePath}`;
    const local = (0,external_node_path_.resolve)(localFile);
    const [src, dst] = direction === 'up' ? [local, remote] : [remote, local];
    return {
        argv: ['rsync', '-s', '--chmod=F600', '-e', session.rsyncShell(host), '--', src, dst],
        label: direction === 'up' ? `rsync to ${host.host}` : `rsync from ${host.host}`,
    };
}
/**
 * An SSH host, through the run's shared OpenSSH session (one master connection per host). Commands are
 * argv quoted by `quoteArgv` on the way (see SshExecutor); env and secrets travel over stdin.
 */
class SshHostTarget extends base/* CommandTarget */.V {
    session;
    host;
    runner;
    kind = 'ssh';
    target;
    /** The executor underneath (for code not yet moved onto Target; prefer the target itself). */
    executor;
    constructor(session, host, 
    /** Runs rsync on the runner. */
    runner) {
        super();
        this.session = session;
        this.host = host;
        this.runner = runner;
        this.executor = new SshExecutor(session, host);
        this.target = this.executor.target;
    }
    /** Opens the shared master connection that commands and rsync reuse. */
    connect() {
        this.executor.connect();
    }
    run(cmd, opts) {
        return this.executor.run(cmd, opts);
    }
    /** The `rsync -e` value for this host (same config and host-key checks as every command). */
    rsyncShell() {
        return this.session.rsyncShell(this.host);
    }
    async remoteSha(path, o) {
        const r = await (0,exec_types/* runChecked */.X4)(this, (0,commands/* sha256Command */.p7)(path), { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o });
        return (0,commands/* parseSha256 */.tz)(r.stdout, this.target);
    }
    async upload(localFile, destPath, o = {}) {
        const path = destPath ?? (await this.freshPath('upload'));
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const [sha256] = await Promise.all([
            sha256File(localFile),
            (0,exec_types/* runChecked */.X4)(this.runner, rsyncFileCommand(this.session, this.host, 'up', localFile, path), opts),
        ]);
        const there = await this.remoteSha(path, o);
        if (there !== sha256)
            throw new types/* TransferMismatch */.K(`upload to ${this.target}:${path}`, sha256, there);
        return { path, sha256 };
    }
    async download(path, localFile, o = {}) {
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const [sha256] = await Promise.all([
            this.remoteSha(path, o),
            (0,exec_types/* runChecked */.X4)(this.runner, rsyncFileCommand(this.session, this.host, 'down', localFile, path), opts),
        ]);
        const here = await sha256File(localFile);
        if (here !== sha256)
            throw new types/* TransferMismatch */.K(`download of ${this.target}:${path}`, sha256, here);
        return { sha256 };
    }
}

;// CONCATENATED MODULE: ./src/lib/target/open.ts





async function openTargets(ctx, runOn) {
    const runner = new RunnerTarget();
    if (runOn === 'local')
        return { targets: [runner], runner, dispose: () => runner.dispose() };
    const ssh = readSshInputs(ctx.inputs);
    if (ssh.settings.insecureSkipHostKeyCheck) {
        ctx.warn('insecure-skip-host-key-check is on: host keys are not verified, a machine in the middle could read everything', 'host keys');
    }
    const session = new SshSession(ssh.settings);
    ctx.saveState?.(cleanup_state/* SSH_DIR_STATE */.LK, session.dir);
    try {
        if (ssh.passphrase)
            await unlockKey(session, ssh.passphrase);
    }
    catch (e) {
        session.dispose();
        throw e;
    }
    const targets = ssh.targets.map((h) => new SshHostTarget(session, h, runner));
    for (const t of targets)
        t.connect();
    let disposed = false;
    return {
        targets,
        runner,
        dispose: async () => {
            if (disposed)
                return;
            disposed = true;
            try {
                await Promise.all(targets.map((t) => t.dispose().catch(() => undefined)));
                await runner.dispose();
            }
            finally {
                session.dispose();
            }
        },
    };
}
async function withTargets(ctx, runOn, fn) {
    const opened = await openTargets(ctx, runOn);
    try {
        return await fn(opened);
    }
    finally {
        await opened.dispose();
    }
}


/***/ }),

/***/ 164:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   K: () => (/* binding */ TransferMismatch),
/* harmony export */   u: () => (/* binding */ assertFileName)
/* harmony export */ });
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

/***/ 356:
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
/******/ /* webpack/runtime/create fake namespace object */
/******/ (() => {
/******/ 	var getProto = Object.getPrototypeOf ? (obj) => (Object.getPrototypeOf(obj)) : (obj) => (obj.__proto__);
/******/ 	var leafPrototypes;
/******/ 	// create a fake namespace object
/******/ 	// mode & 1: value is a module id, require it
/******/ 	// mode & 2: merge all properties of value into the ns
/******/ 	// mode & 4: return value when already ns object
/******/ 	// mode & 16: return value when it's Promise-like
/******/ 	// mode & 8|1: behave like require
/******/ 	__nccwpck_require__.t = function(value, mode) {
/******/ 		if(mode & 1) value = this(value);
/******/ 		if(mode & 8) return value;
/******/ 		if(typeof value === 'object' && value) {
/******/ 			if((mode & 4) && value.__esModule) return value;
/******/ 			if((mode & 16) && typeof value.then === 'function') return value;
/******/ 		}
/******/ 		var ns = Object.create(null);
/******/ 		__nccwpck_require__.r(ns);
/******/ 		var def = {};
/******/ 		leafPrototypes = leafPrototypes || [null, getProto({}), getProto([]), getProto(getProto)];
/******/ 		for(var current = mode & 2 && value; typeof current == 'object' && !~leafPrototypes.indexOf(current); current = getProto(current)) {
/******/ 			Object.getOwnPropertyNames(current).forEach((key) => (def[key] = () => (value[key])));
/******/ 		}
/******/ 		def['default'] = () => (value);
/******/ 		__nccwpck_require__.d(ns, def);
/******/ 		return ns;
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
/******/ var __webpack_exports__ = __nccwpck_require__(282);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
