import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3275:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2279);
/* harmony import */ var _lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1628);
/* harmony import */ var _core_compose_deploy_config_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1489);
/* harmony import */ var _core_compose_deploy_run_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(4352);
/* harmony import */ var _core_compose_deploy_summary_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(1976);





await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('compose-deploy', async (ctx) => {
    const cfg = (0,_core_compose_deploy_config_js__WEBPACK_IMPORTED_MODULE_2__/* .readComposeDeployConfig */ ._T)(ctx.inputs);
    if (cfg.health?.insecureTls)
        ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health gate');
    const report = await (0,_lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__/* .withTargets */ .d)(ctx, cfg.runOn, (opened) => (0,_core_compose_deploy_run_js__WEBPACK_IMPORTED_MODULE_3__/* .runComposeDeploy */ .x)(cfg, opened.targets, opened.runner, {
        log: ctx.log,
        warn: ctx.warn,
        signal: ctx.signal,
        gateEvents: {
            onAttempt: (url, a) => ctx.log(`${url} attempt ${a.n}: ${a.ok ? 'ok' : 'fail'} ${a.status ?? '-'} ${a.latencyMs} ms${a.reason ? ` — ${a.reason}` : ''}`),
        },
    }));
    ctx.setOutput('status', report.status);
    ctx.setOutput('release-id', report.releaseId);
    ctx.setOutput('previous-release-id', report.previousReleaseId);
    ctx.setOutput('image', report.status === 'ok' ? report.image : report.previousImage);
    ctx.setOutput('previous-image', report.previousImage);
    ctx.setOutput('backup-path', report.backupPath);
    ctx.setOutput('migrations', report.migrations);
    ctx.setOutput('rolled-back', report.rolledBack);
    ctx.setOutput('restored-db', report.restoredDb);
    ctx.setOutput('healthy', report.health ? report.health.healthy : '');
    ctx.setOutput('hosts', (0,_core_compose_deploy_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .hostsJson */ .a)(report));
    ctx.setOutput('phases', report.phases);
    ctx.setOutput('duration-ms', report.durationMs);
    ctx.summary((0,_core_compose_deploy_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .composeDeploySummary */ .C)(report));
    for (const w of report.warnings)
        ctx.warn(w, 'compose-deploy');
    if (report.error)
        throw new Error(report.error);
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 1489:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  _T: () => (/* binding */ readComposeDeployConfig)
});

// UNUSED EXPORTS: HEALTH_RENAMES, IMAGE_RE, RELEASE_ID_RE, derivedProjectName

// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __nccwpck_require__(7268);
// EXTERNAL MODULE: ./src/lib/inputs.ts + 1 modules
var lib_inputs = __nccwpck_require__(1046);
// EXTERNAL MODULE: ./src/core/health-gate/json-expect.ts
var json_expect = __nccwpck_require__(6330);
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

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
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
        throw new InputError('shared', `"${s}" must be a relative path inside the release without . or .. segments (e.g. .env, media, storage/logs/)`);
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
            throw new InputError('rollback', `"${rollback}" is not true, false or a release id`);
    }
    const activate = inputs.choice('activate', ['true', 'false', 'only'], 'true');
    const releaseIdInput = inputs.raw('release-id');
    if (activate === 'only' && !releaseIdInput)
        throw new InputError('release-id', 'is required with activate: only (the release to switch to)');
    const releaseId = releaseIdInput || defaultReleaseId(env);
    if (!ID_RE.test(releaseId))
        throw new InputError('release-id', `"${releaseId}" may hold only letters, digits, . _ - (max 128)`);
    const source = inputs.string('source', '.');
    if (rollback === undefined && activate !== 'only') {
        if (!existsSync(source) || !statSync(source).isDirectory())
            throw new InputError('source', `"${source}" is not a directory`);
    }
    const shared = inputs.list('shared').map(checkSharedEntry);
    const deployignore = join(source, '.deployignore');
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
        excludeFrom: existsSync(deployignore) ? deployignore : undefined,
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

;// CONCATENATED MODULE: ./src/core/compose-deploy/config.ts





/** Compose service / project names, image variables: plain names that can never be read as an option. */
const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const PROJECT_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const VAR_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** `[registry[:port]/]name[:tag][@sha256:<hex>]`, or an image id `sha256:<hex>`. */
const IMAGE_RE = /^(?:sha256:[0-9a-f]{64}|[a-z0-9][a-z0-9._-]*(?::[0-9]{1,5})?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?)$/;
const RELEASE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
/** The project name Compose derives from a directory: its base name, lower-cased, only [a-z0-9_-]. */
function derivedProjectName(path) {
    return external_node_path_.posix
        .basename(path)
        .toLowerCase()
        .replace(/[^a-z0-9_-]/g, '')
        .replace(/^[_-]+/, '');
}
/** The health-gate inputs keep their names, except its per-request `timeout`: here `health-timeout`. */
const HEALTH_RENAMES = { timeout: 'health-timeout' };
function view(base, rename, fixed) {
    return new lib_inputs/* Inputs */.G0((n) => (Object.hasOwn(fixed, n) ? fixed[n] : base.raw(rename[n] ?? n)));
}
function serviceName(input, value) {
    if (!SERVICE_RE.test(value))
        throw new errors/* InputError */.d(input, `"${value}" is not a compose service name (letters, digits, _ . -; not starting with -)`);
    return value;
}
function composeFile(value) {
    if (!value || /[\0\r\n]/.test(value) || value.startsWith('-') || value.split('/').includes('..'))
        throw new errors/* InputError */.d('compose-file', `"${value}" must be a file name or path without .. (and not start with -)`);
    return value;
}
function readComposeDeployConfig(inputs, env = process.env) {
    const runOn = inputs.choice('run-on', ['ssh', 'local'], 'ssh');
    const path = checkRemotePath(inputs.raw('path'));
    const composeFiles = inputs.list('compose-file').map(composeFile);
    const projectName = inputs.raw('project-name') || derivedProjectName(path);
    if (!PROJECT_RE.test(projectName))
        throw new errors/* InputError */.d(inputs.raw('project-name') ? 'project-name' : 'path', `"${projectName}" is not a compose project name (lower-case letters, digits, _ -, starting with a letter or digit)${inputs.raw('project-name') ? '' : '; set project-name'}`);
    const imageVariable = inputs.string('image-variable', 'APP_IMAGE');
    if (!VAR_RE.test(imageVariable))
        throw new errors/* InputError */.d('image-variable', `"${imageVariable}" is not a variable name (letters, digits, _)`);
    const rollbackRaw = inputs.raw('rollback');
    let rollback = '';
    if (rollbackRaw && rollbackRaw !== 'false') {
        rollback = rollbackRaw === 'true' ? 'previous' : rollbackRaw;
        if (rollback !== 'previous' && !RELEASE_ID_RE.test(rollback))
            throw new errors/* InputError */.d('rollback', `"${rollbackRaw}" is not true, false or a release id`);
    }
    const image = inputs.raw('image') || undefined;
    const build = inputs.boolean('build', false);
    if (image !== undefined && !IMAGE_RE.test(image))
        throw new errors/* InputError */.d('image', `"${image}" is not an image reference (name:tag or name@sha256:…)`);
    if (!rollback) {
        if (image && build)
            throw new errors/* InputError */.d('build', 'set either image or build: true, not both');
        if (!image && !build)
            throw new errors/* InputError */.d('image', 'is required (name:tag or name@sha256:…), or set build: true');
    }
    else if (image || build) {
        throw new errors/* InputError */.d('rollback', 'goes back to a recorded release: leave image and build empty');
    }
    const services = inputs.list('services').map((s) => serviceName('services', s));
    const backup = inputs.choice('backup', ['none', 'postgres', 'mysql', 'mariadb', 'mongodb'], 'none');
    const backupService = serviceName('backup-service', inputs.string('backup-service', 'db'));
    const database = inputs.raw('database');
    if (backup !== 'none' && !/^[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}$/.test(database))
        throw new errors/* InputError */.d('database', database ? `"${database}" is not a database name` : `is required with backup: ${backup}`);
    const keepBackups = inputs.integer('keep-backups', 10, { min: 1, max: 1000 });
    if (backup !== 'none' && backup !== 'postgres')
        throw new errors/* InputError */.d('backup', `${backup} inside a compose service is not supported by this version yet (postgres is)`);
    let databaseUrl = inputs.secret('database-url');
    if (!databaseUrl && backup === 'postgres') {
        const user = inputs.string('database-user', 'postgres');
        const password = inputs.secret('database-password');
        databaseUrl = `postgres://${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}@localhost:5432/${encodeURIComponent(database)}`;
    }
    const backupVerify = inputs.choice('backup-verify', ['none', 'list', 'restore'], 'restore');
    const releaseServiceRaw = inputs.raw('release-service');
    const releaseService = releaseServiceRaw ? serviceName('release-service', releaseServiceRaw) : undefined;
    const preset = inputs.choice('preset', ['django', 'alembic', 'none'], 'none');
    const commands = inputs.lines('commands');
    if ((preset !== 'none' || commands.length > 0) && !releaseService && !services[0])
        throw new errors/* InputError */.d('release-service', 'is required with preset or commands (the service whose image runs the release phase, e.g. web)');
    const strategy = inputs.choice('strategy', ['rolling', 'recreate'], 'rolling');
    const proxyRaw = inputs.raw('proxy-service');
    const proxyService = proxyRaw ? serviceName('proxy-service', proxyRaw) : undefined;
    const proxyReload = splitArgv('proxy-reload-command', inputs.string('proxy-reload-command', 'nginx -s reload'));
    const probeCommand = inputs.raw('probe-command') ? splitArgv('probe-command', inputs.raw('probe-command')) : [];
    let health;
    if (inputs.list('url').length > 0) {
        try {
            health = readHealthGateConfig(view(inputs, HEALTH_RENAMES, { 'fail-on-unhealthy': 'true' }));
        }
        catch (e) {
            if (e instanceof errors/* InputError */.d && e.input === 'timeout')
                throw new errors/* InputError */.d('health-timeout', e.message.replace(/^input `[^`]*`: /, ''));
            throw e;
        }
    }
    const restoreDbOnRollback = inputs.boolean('restore-db-on-rollback', false);
    if (restoreDbOnRollback && backup === 'none')
        throw new errors/* InputError */.d('restore-db-on-rollback', 'needs a backup (set backup: postgres …) to restore from');
    const releaseId = inputs.raw('release-id') || defaultReleaseId(env);
    if (!RELEASE_ID_RE.test(releaseId))
        throw new errors/* InputError */.d('release-id', `"${releaseId}" may hold only letters, digits, . _ - (max 128)`);
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : '';
    const dockerHost = inputs.raw('docker-host');
    if (dockerHost && !/^(unix|tcp|ssh):\/\/[^\s'"]+$/.test(dockerHost))
        throw new errors/* InputError */.d('docker-host', `"${dockerHost}" is not a Docker host (unix:///run/user/1000/docker.sock, tcp://…, ssh://…)`);
    return {
        dockerHost,
        runOn,
        path,
        composeFiles,
        projectName,
        image,
        imageVariable,
        build,
        pull: inputs.choice('pull', ['always', 'missing', 'never'], 'always'),
        services,
        backup,
        backupService,
        database,
        databaseUrl,
        backupVerify,
        keepBackups,
        releaseService,
        preset,
        commands,
        python: inputs.string('python', 'python3'),
        strategy,
        proxyService,
        proxyReload,
        probeCommand,
        healthyTimeoutMs: inputs.duration('healthy-timeout', '2m', { min: 1000 }),
        drainTimeoutMs: inputs.duration('drain-timeout', '30s', { min: 0 }),
        proxySettleMs: inputs.duration('proxy-settle', '3s', { min: 0 }),
        health,
        rollback,
        restoreDbOnRollback,
        releaseId,
        lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
        lockTtlMs: inputs.duration('lock-ttl', '1h', { min: 1000 }),
        timeoutMs: inputs.duration('timeout', '30m', { min: 1000 }),
        idleTimeoutMs: inputs.duration('idle-timeout', '10m', { min: 1000 }),
        owner: [
            env.GITHUB_REPOSITORY,
            env.GITHUB_RUN_ID,
            env.GITHUB_ACTOR,
            'compose-deploy',
            releaseId,
            new Date().toISOString(),
        ]
            .filter(Boolean)
            .join(' '),
        runUrl,
    };
}
/** A short command written as words (no shell): split on whitespace; quotes are not interpreted. */
function splitArgv(input, text) {
    const argv = text.trim().split(/\s+/).filter(Boolean);
    if (argv.length === 0)
        throw new errors/* InputError */.d(input, 'is empty');
    if (argv[0].startsWith('-'))
        throw new errors/* InputError */.d(input, `"${argv[0]}" must be a program, not an option`);
    return argv;
}


/***/ }),

/***/ 4352:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  x: () => (/* binding */ runComposeDeploy)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(8867);
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
var types = __nccwpck_require__(5504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __nccwpck_require__(1737);
;// CONCATENATED MODULE: ./src/lib/lock.ts



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
        const r = await (0,types/* runChecked */.X4)(exec, attempt, { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs, signal: o.signal });
        const state = parseLockLine(r.stdout);
        if (state.acquired) {
            return {
                result: r,
                release: async () => {
                    // Not tied to the job's signal: a cancelled run must still let go of its lock.
                    await exec.run(unlockCommand(base, o.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs });
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
        await (0,retry/* sleep */.yy)(Math.min(o.pollMs ?? 1000, Math.max(1, deadline - Date.now())), o.signal).catch(() => undefined);
    }
}

;// CONCATENATED MODULE: ./src/lib/release-history.ts
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

// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __nccwpck_require__(310);
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
var json_expect = __nccwpck_require__(6330);
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

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(9858);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __nccwpck_require__(6975);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __nccwpck_require__(8304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __nccwpck_require__(3627);
// EXTERNAL MODULE: ./src/lib/target/types.ts
var target_types = __nccwpck_require__(1164);
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
            lock = await acquireLock(exec, cfg.lockBase, {
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
                .run(markBadCommand(cfg.historyBase, {
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

;// CONCATENATED MODULE: ./src/core/compose-deploy/builders.ts

function projectOf(flavor, dir, files, name, imageVariable) {
    return { compose: { flavor, files, cwd: dir, project: name }, dir, imageVariable };
}
/** A compose call with the image variable set to `image` (or as `.env` has it when undefined). */
function compose(p, args, image, label) {
    return composeCommand(p.compose, args, {
        ...(image ? { env: { [p.imageVariable]: image } } : {}),
        label: label ??
            `compose ${args
                .filter((a) => !a.startsWith('-'))
                .slice(0, 2)
                .join(' ')}`,
    });
}
/** The resolved configuration (YAML) with the image variable set: which services use it, ports, names. */
function configCommand(p, image) {
    return compose(p, ['config'], image, 'compose config');
}
/** Start-first: one more container per running one, from the new image, beside the old (never recreated). */
function scaleUpCommand(p, service, count, image) {
    return compose(p, ['up', '-d', '--no-deps', '--no-recreate', '--no-build', '--scale', `${service}=${count}`, service], image, `start ${count} × ${service}`);
}
/** recreate: stop the old container and start the new one in its place (a gap in service). */
function recreateCommand(p, services, image) {
    return compose(p, ['up', '-d', '--no-deps', '--force-recreate', ...services], image, `recreate ${services.join(', ')}`);
}
/** Ids (full) of the containers of one service of the project; running only unless `all`. */
function containersCommand(project, service, all = false) {
    return {
        argv: [
            'docker',
            'ps',
            ...(all ? ['-a'] : []),
            '-q',
            '--no-trunc',
            '--filter',
            `label=com.docker.compose.project=${project}`,
            '--filter',
            `label=com.docker.compose.service=${service}`,
        ],
        label: `containers of ${service}`,
    };
}
/** State, health, image and name of containers, one JSON object per line. */
function inspectCommand(ids) {
    return {
        argv: [
            'docker',
            'inspect',
            '--format',
            '{"id":{{json .Id}},"name":{{json .Name}},"status":{{json .State.Status}},"health":{{if .State.Health}}{{json .State.Health.Status}}{{else}}""{{end}},"image":{{json .Image}},"configImage":{{json .Config.Image}},"exitCode":{{.State.ExitCode}}}',
            '--',
            ...ids,
        ],
        label: 'docker inspect',
    };
}
function parseInspect(stdout) {
    return stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => JSON.parse(l));
}
/** `docker exec <id> <probe…>`: a probe inside the new container (when it has no Docker healthcheck). */
function probeCommand(id, probe) {
    return { argv: ['docker', 'exec', id, ...probe], label: `probe ${id.slice(0, 12)}` };
}
/** Reloads a proxy container (nginx re-resolves the service name, now with the new containers). */
function proxyReloadCommand(id, reload) {
    return { argv: ['docker', 'exec', id, ...reload], label: `reload proxy ${id.slice(0, 12)}` };
}
/** SIGTERM, up to `seconds` to finish in-flight requests, then SIGKILL; waits until it stopped. */
function stopCommand(ids, seconds) {
    return { argv: ['docker', 'stop', '-t', String(seconds), '--', ...ids], label: `stop ${ids.length} container(s)` };
}
/** Removes stopped containers (never their volumes: no -v). */
function removeCommand(ids) {
    return { argv: ['docker', 'rm', '-f', '--', ...ids], label: `remove ${ids.length} container(s)` };
}
function logsCommand(id) {
    return { argv: ['docker', 'logs', '--tail', '30', id], label: `logs ${id.slice(0, 12)}` };
}
function pullCommand(image) {
    return { argv: ['docker', 'pull', '--', image], label: `pull ${image}` };
}
/** Image id and repo digests of a local image. */
function imageInspectCommand(image) {
    return {
        argv: ['docker', 'image', 'inspect', '--format', '{{.Id}} {{json .RepoDigests}}', '--', image],
        label: `inspect ${image}`,
    };
}
/** `name@sha256:…` for the image's repository when the engine knows its registry digest; else the image id. */
function pinnedRef(image, stdout) {
    const [id, digestsJson] = stdout.trim().split(/ (.*)/s);
    if (!id || !/^sha256:[0-9a-f]{64}$/.test(id))
        throw new Error(`docker image inspect ${image} printed no image id`);
    if (/@sha256:[0-9a-f]{64}$/.test(image))
        return image;
    const repo = repositoryOf(image);
    let digests = [];
    try {
        digests = JSON.parse(digestsJson ?? '[]') ?? [];
    }
    catch {
        digests = [];
    }
    const match = digests.find((d) => d.startsWith(`${repo}@sha256:`));
    return match ?? id;
}
/** The repository part of `name[:tag][@digest]` (a registry port is not a tag). */
function repositoryOf(image) {
    const noDigest = image.replace(/@sha256:[0-9a-f]{64}$/, '');
    const slash = noDigest.lastIndexOf('/');
    const colon = noDigest.lastIndexOf(':');
    return colon > slash ? noDigest.slice(0, colon) : noDigest;
}
/**
 * The host-side steps on the project directory. `get-env`: prints the variable's value from `.env`
 * (nothing when unset). `set-env`: writes it (other lines kept, in order; mode kept) through a temp file
 * renamed over `.env`. `history`: prints the release history. `backups`: makes the backup folder.
 * `set-image`/`get-image`/`images`: the pinned image of each recorded release (`.deploy-kit/images/<id>`).
 */
const HOST_SCRIPT = String.raw `set -eu
cmd=$1; dir=$2; shift 2
f="$dir/.env"
case "$cmd" in
  get-env)
    [ -f "$f" ] || exit 0
    awk -v n="$1" 'index($0, n "=") == 1 { v = substr($0, length(n) + 2) } END { if (v != "") print v }' "$f" ;;
  set-env)
    tmp="$dir/.env.deploy-kit.$$"
    if [ -f "$f" ]; then
      awk -v n="$1" -v v="$2" 'index($0, n "=") == 1 { if (!d) print n "=" v; d = 1; next } { print } END { if (!d) print n "=" v }' "$f" > "$tmp"
      chmod --reference="$f" "$tmp" 2>/dev/null || true
    else
      printf '%s=%s\n' "$1" "$2" > "$tmp"
    fi
    sync "$tmp" 2>/dev/null || true
    mv -f -- "$tmp" "$f" ;;
  history)
    cat -- "$dir/.deploy-kit/releases.jsonl" 2>/dev/null || true ;;
  set-image)
    mkdir -p -- "$dir/.deploy-kit/images"
    printf '%s\n' "$2" > "$dir/.deploy-kit/images/$1.tmp"; mv -f -- "$dir/.deploy-kit/images/$1.tmp" "$dir/.deploy-kit/images/$1" ;;
  get-image)
    cat -- "$dir/.deploy-kit/images/$1" ;;
  images)
    [ -d "$dir/.deploy-kit/images" ] || exit 0
    for p in "$dir/.deploy-kit/images"/*; do [ -f "$p" ] && case "$p" in *.tmp) ;; *) printf '%s\n' "\${p##*/}" ;; esac; done; true ;;
  backups)
    mkdir -p -- "$dir/.deploy-kit/backups"; chmod 700 "$dir/.deploy-kit/backups"; printf '%s\n' "$dir/.deploy-kit/backups" ;;
  default-file)
    for n in compose.yaml compose.yml docker-compose.yml docker-compose.yaml; do
      [ -f "$dir/$n" ] && { printf '%s\n' "$dir/$n"; exit 0; }
    done
    echo "no compose file in $dir (compose.yaml, docker-compose.yml …); set compose-file" >&2; exit 3 ;;
  check-dir)
    [ -d "$dir" ] || { echo "$dir does not exist" >&2; exit 3; } ;;
  *) echo "unknown step $cmd" >&2; exit 2 ;;
esac
`.replace(/\\\$\{/g, '$' + '{'); // \${ keeps the template literal from interpolating sh's ${…}
/** One step of HOST_SCRIPT on the project directory `dir` (release ids are checked where they are read). */
function hostStep(step, dir, ...args) {
    return {
        argv: ['sh', '-c', HOST_SCRIPT, 'deploy-kit', step, dir, ...args],
        label: `${step} ${args[0] ?? ''}`.trim(),
    };
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(4679);
;// CONCATENATED MODULE: ./src/core/backup-db/compress.ts
const COMPRESSIONS = (/* unused pure expression or super */ null && (['gzip', 'zstd', 'none']));
/** File-name suffix added by the compressor. */
function compressionSuffix(c) {
    return c === 'gzip' ? '.gz' : c === 'zstd' ? '.zst' : '';
}
/** The compressor as its own process: reads stdin, writes stdout (its exit status is checked). */
function compressCommand(c) {
    return c === 'gzip'
        ? { argv: ['gzip', '-c', '-6'], label: 'gzip' }
        : { argv: ['zstd', '-c', '-q', '-3', '-T0'], label: 'zstd' };
}
/** Decompresses `file` to stdout. */
function decompressCommand(c, file) {
    return c === 'gzip'
        ? { argv: ['gzip', '-dc', '--', file], label: 'gzip -d' }
        : { argv: ['zstd', '-dc', '-q', '--', file], label: 'zstd -d' };
}
/** Compression of an existing backup from its name. */
function compressionOf(path) {
    if (path.endsWith('.gz'))
        return 'gzip';
    if (path.endsWith('.zst'))
        return 'zstd';
    return 'none';
}

;// CONCATENATED MODULE: ./src/core/backup-db/engines.ts


/** Runs a command where the tools run (or on `on`), bounded by the backup's timeout and the job's signal. */
function runTool(o, cmd, on = o.tools) {
    return (0,types/* runChecked */.X4)(on, cmd, { signal: o.ctx.signal, timeoutMs: o.timeoutMs });
}
/** `name|count` lines → counts. */
function parseCounts(text) {
    const m = new Map();
    for (const line of text.split('\n')) {
        const i = line.lastIndexOf('|');
        if (i > 0)
            m.set(line.slice(0, i), Number(line.slice(i + 1)));
    }
    return m;
}
/** Differences between two count maps, as readable lines (empty when equal). */
function compareCounts(expected, actual) {
    const out = [];
    for (const [t, n] of expected) {
        if (!actual.has(t))
            out.push(`table ${t} missing from the restore`);
        else if (actual.get(t) !== n)
            out.push(`table ${t}: ${n} rows in the database, ${actual.get(t)} restored`);
    }
    for (const t of actual.keys())
        if (!expected.has(t))
            out.push(`table ${t} restored but not in the database`);
    return out;
}
const sqlString = (n) => `'${n.replace(/'/g, "''")}'`;
/** A throwaway database name next to `database`. */
function throwawayName(database, suffix) {
    return `${database.slice(0, 40)}_dkverify_${suffix}`;
}
/** First bytes of a runner file (archive magic numbers). */
function headOf(path, n) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        const buf = Buffer.alloc(n);
        return buf.subarray(0, (0,external_node_fs_.readSync)(fd, buf, 0, n, 0));
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Last bytes of a runner file (the mysqldump completion marker). */
function tailOf(path, n) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        const size = (0,external_node_fs_.fstatSync)(fd).size;
        const buf = Buffer.alloc(Math.min(n, size));
        (0,external_node_fs_.readSync)(fd, buf, 0, buf.length, size - buf.length);
        return buf.toString('utf8');
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
;// CONCATENATED MODULE: ./src/core/backup-db/mongodb.ts
/**
 * MongoDB: the connection string (with its password) goes into a 0600 YAML `--config` file that
 * mongodump/mongorestore read (`uri:` and `password:` keys), never argv.
 */
function parseMongoUrl(url, inputName = 'database-url') {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new Error(`${inputName}: not a URL (expected mongodb://user:password@host:port/database)`);
    }
    if (u.protocol !== 'mongodb:' && u.protocol !== 'mongodb+srv:') {
        throw new Error(`${inputName}: scheme must be mongodb:// or mongodb+srv://, got ${u.protocol}//`);
    }
    if (!u.hostname)
        throw new Error(`${inputName}: no host`);
    return { uri: url, database: decodeURIComponent(u.pathname.replace(/^\//, '')) };
}
/**
 * compose-service: the URI the tools use inside the MongoDB service. The host is replaced by 127.0.0.1 (the server
 * in the same container); user, password, port (27017 when none), database and options are kept. Without a URL:
 * `mongodb://127.0.0.1:27017/` (no auth). mongodb+srv is refused: its DNS seed list names hosts outside.
 */
function mongoUriInContainer(url) {
    if (!url)
        return 'mongodb://127.0.0.1:27017/';
    parseMongoUrl(url);
    const u = new URL(url);
    if (u.protocol === 'mongodb+srv:') {
        throw new Error('database-url: mongodb+srv:// cannot be used with compose-service (the tools connect to the server in the container); use mongodb://user:password@host:port/database');
    }
    u.hostname = '127.0.0.1';
    if (!u.port)
        u.port = '27017';
    return u.toString();
}
/** YAML config for `--config`: a double-quoted scalar with JSON escapes (valid YAML). */
function mongoConfigFile(uri) {
    if (/[\r\n]/.test(uri))
        throw new Error('database-url must not contain a line break');
    return `uri: ${JSON.stringify(uri)}\n`;
}
/** `mongodump --archive` to stdout (streamed by the caller; compression is a separate process). */
function mongoDumpCommand(configFile, database, bin = 'mongodump') {
    // --archive with no file = stdout; no --gzip: compression is the pipeline's own process.
    const argv = [bin, `--config=${configFile}`, '--archive', '--quiet'];
    if (database)
        argv.push(`--db=${database}`);
    return { argv, label: 'mongodump' };
}
/**
 * `mongorestore --archive=<file>` with the namespaces mapped `<fromDb>.*` → `<toDb>.*`. Not --quiet: its log
 * names each collection and its documents (parseMongoRestoreCounts). Restore: `--drop` replaces existing
 * collections. `dryRun` (verify: list): reads and demultiplexes the whole archive against the server and
 * writes nothing (map `toDb` to a name that does not exist).
 */
function mongoRestoreCommand(configFile, file, fromDb, toDb, opts = {}) {
    const argv = [opts.bin ?? 'mongorestore', `--config=${configFile}`, `--archive=${file}`];
    argv.push(opts.dryRun ? '--dryRun' : '--drop');
    if (fromDb && toDb)
        argv.push(`--nsFrom=${fromDb}.*`, `--nsTo=${toDb}.*`);
    return { argv, label: opts.dryRun ? 'mongorestore --dryRun' : 'mongorestore' };
}
/** `mongodump --version` (checks the tool is there; mongodump does not report the server's version). */
function mongoToolVersionCommand(bin = 'mongodump') {
    return { argv: [bin, '--version'], label: `${bin} --version` };
}
/** `mongodump version: 100.9.4` → `100.9.4`. */
function parseMongoToolVersion(text) {
    const m = /version:\s*r?(\d+\.\d+\.\d+)/.exec(text);
    if (!m)
        throw new Error(`cannot read a mongodump version from: ${text.trim().slice(0, 200)}`);
    return m[1];
}
/**
 * Collection → documents from mongorestore's log: `finished restoring shop.orders (1200 documents, 0 failures)`.
 * A line with failures > 0 throws.
 */
function parseMongoRestoreCounts(log, db) {
    const out = new Map();
    const re = /finished restoring ([^\s(]+) \((\d+) documents?, (\d+) failures?\)/g;
    for (const m of log.matchAll(re)) {
        const ns = m[1];
        if (Number(m[3]) > 0)
            throw new Error(`mongorestore: ${m[3]} documents of ${ns} failed to restore`);
        out.set(ns.startsWith(`${db}.`) ? ns.slice(db.length + 1) : ns, Number(m[2]));
    }
    return out;
}
/** A mongodump archive starts with the magic number 0x8199e26d (little-endian). */
const MONGO_ARCHIVE_MAGIC = Buffer.from([0x6d, 0xe2, 0x99, 0x81]);
function isMongoArchive(head) {
    return head.length >= 4 && head.subarray(0, 4).equals(MONGO_ARCHIVE_MAGIC);
}

// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __nccwpck_require__(7268);
;// CONCATENATED MODULE: ./src/core/backup-db/mongodb-engine.ts






/**
 * MongoDB: mongodump --archive streams to stdout (compressed by the pipeline's own process, never --gzip);
 * the URI with its password sits in a 0600 YAML `--config` file. verify: list checks the archive's magic
 * number and has `mongorestore --dryRun` read all of it; mode restore runs `mongorestore --archive --drop`
 * and reports the documents per collection from its log. verify: restore is refused (config): counting
 * documents and dropping the throwaway database would need mongosh with the URI on its command line.
 */
class MongoEngine {
    o;
    name = 'mongodb';
    ext = '.archive';
    database;
    uri;
    config = '';
    constructor(url, database, o) {
        this.o = o;
        // compose-service: the tools run in the MongoDB service and connect to it there (mongoUriInContainer).
        const inContainer = o.tools.kind === 'container';
        const p = inContainer && !url ? { uri: '', database: '' } : parseMongoUrl(url);
        this.uri = inContainer ? mongoUriInContainer(url) : p.uri;
        this.database = database || p.database;
        if (!this.database)
            throw new errors/* InputError */.d('database', 'no database named (in `database` or the URL path)');
    }
    async prepare() {
        this.config = await this.o.tools.writeSecretFile(mongoConfigFile(this.uri), 'mongo.yaml');
    }
    async serverVersion() {
        const r = await this.o.tools.run(mongoToolVersionCommand(), {
            signal: this.o.ctx.signal,
            timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
        });
        if (!(0,types/* succeeded */.gq)(r)) {
            throw new Error(`mongodump does not run on ${this.o.tools.target}: install mongodb-database-tools (${r.stderr.trim().slice(-300)})`);
        }
        // mongodump does not report the server's version; say which tools made the archive instead.
        return `unknown (mongodump ${parseMongoToolVersion(r.stdout)})`;
    }
    async checkClient() {
        // mongodump 100.x dumps every supported server version; the dry run in verify: list reads it back.
    }
    async source() {
        return { kind: 'command', exec: this.o.tools, cmd: mongoDumpCommand(this.config, this.database) };
    }
    /** The database the archive was dumped from: this one for a fresh backup, else from the backup's name. */
    sourceDb(origin) {
        if (!origin)
            return this.database;
        const db = mongoSourceDb(origin);
        if (!db) {
            throw new Error(`input \`restore-from\`: cannot tell which database ${origin} was dumped from; name it <database>-<YYYYMMDDTHHMMSSZ>.archive[.gz|.zst] as backup-db does`);
        }
        return db;
    }
    async list(file, origin) {
        if (!isMongoArchive(headOf(file, 4)))
            throw new Error('the dump is not a mongodump archive (wrong magic number)');
        const there = (await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path;
        const absent = throwawayName(this.database, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
        await runTool(this.o, mongoRestoreCommand(this.config, there, this.sourceDb(origin), absent, { dryRun: true }));
        return 'mongodump archive; mongorestore --dryRun read all of it';
    }
    async counts() {
        throw new Error('engine mongodb: counting documents needs mongosh (not used: it takes the URI in argv)');
    }
    async restoreThrowaway() {
        throw new errors/* InputError */.d('verify', 'restore is not available for engine mongodb; use list');
    }
    async restoreInto(file, origin) {
        // Namespaces are mapped <source>.* → <database>.*: never restored over the database it came from by accident.
        const from = this.sourceDb(origin);
        const r = await runTool(this.o, mongoRestoreCommand(this.config, file, from, this.database));
        return parseMongoRestoreCounts(r.stderr + r.stdout, this.database);
    }
}
/** The database a backup came from, from its name `<db>-<timestamp>.archive[.gz|.zst]`. */
function mongoSourceDb(file) {
    const m = /([^/]+)-\d{8}T\d{6}Z\.archive(?:\.gz|\.zst)?$/.exec(file);
    return m?.[1];
}

;// CONCATENATED MODULE: ./src/core/backup-db/mysql.ts
function parseMysqlUrl(url, inputName = 'database-url') {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new Error(`${inputName}: not a URL (expected mysql://user:password@host:port/database)`);
    }
    if (u.protocol !== 'mysql:' && u.protocol !== 'mariadb:') {
        throw new Error(`${inputName}: scheme must be mysql:// or mariadb://, got ${u.protocol}//`);
    }
    if (!u.hostname)
        throw new Error(`${inputName}: no host`);
    if (!u.username)
        throw new Error(`${inputName}: no user`);
    return {
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: u.port ? Number(u.port) : 3306,
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database: decodeURIComponent(u.pathname.replace(/^\//, '')),
    };
}
/**
 * `--defaults-extra-file` content ([client] group, read by mariadb, mariadb-dump and mysqldump).
 * Values are double-quoted; the option-file parser understands \\ \" \n escapes inside quotes.
 */
function mysqlOptionFile(c) {
    const q = (s) => {
        if (/[\r\n]/.test(s))
            throw new Error('database-url: user and password must not contain a line break');
        return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
    };
    return ['[client]', `host=${q(c.host)}`, `port=${c.port}`, `user=${q(c.user)}`, `password=${q(c.password)}`, ''].join('\n');
}
/** `--defaults-extra-file` must be the first option. */
function mysqlDumpCommand(c, optionFile, bin = 'mariadb-dump') {
    return {
        // No --databases: the dump carries no CREATE DATABASE/USE, so it restores into any database name.
        argv: [
            bin,
            `--defaults-extra-file=${optionFile}`,
            '--protocol=TCP',
            '--single-transaction',
            '--routines',
            '--triggers',
            '--events',
            '--hex-blob',
            '--',
            c.database,
        ],
        label: bin,
    };
}
/** The client reading a plain SQL dump on stdin into `database` (the caller streams the file in). */
function mysqlRestoreCommand(optionFile, database, bin = 'mariadb') {
    return {
        argv: [bin, `--defaults-extra-file=${optionFile}`, '--protocol=TCP', '--batch', `--database=${database}`],
        label: bin,
    };
}

;// CONCATENATED MODULE: ./src/core/backup-db/mysql-engine.ts





const myIdent = (n) => `\`${n.replace(/`/g, '``')}\``;
class MysqlEngine {
    name;
    o;
    ext = '.sql';
    conn;
    database;
    optFile = '';
    client;
    dumper;
    constructor(name, url, database, o) {
        this.name = name;
        this.o = o;
        this.conn = parseMysqlUrl(url);
        this.database = database || this.conn.database;
        if (!this.database)
            throw new errors/* InputError */.d('database', 'no database named (in `database` or the URL path)');
        this.conn = { ...this.conn, database: this.database };
        this.client = name === 'mariadb' ? 'mariadb' : 'mysql';
        this.dumper = name === 'mariadb' ? 'mariadb-dump' : 'mysqldump';
    }
    async prepare() {
        // The option file sits in the tools' private 0700 temp dir, removed afterwards.
        this.optFile = await this.o.tools.writeSecretFile(mysqlOptionFile(this.conn), 'my.cnf');
    }
    /** The client reading `file` (a path where the tools run) on stdin, streamed, into `db`. */
    restoreFile(file, db) {
        return runTool(this.o, (0,commands/* withStdinFile */.l$)(mysqlRestoreCommand(this.optFile, db, this.client), file));
    }
    async query(q, db = this.database) {
        const cmd = {
            argv: [
                this.client,
                `--defaults-extra-file=${this.optFile}`,
                '--protocol=TCP',
                '-N',
                '-B',
                `--database=${db}`,
                '-e',
                q,
            ],
            label: this.client,
        };
        return (await runTool(this.o, cmd)).stdout.trim();
    }
    serverVersion() {
        return this.query('SELECT VERSION()');
    }
    async checkClient() {
        // mysqldump/mariadb-dump talk to older and newer servers; the round trip in verify: restore is the check.
    }
    async source() {
        return { kind: 'command', exec: this.o.tools, cmd: mysqlDumpCommand(this.conn, this.optFile, this.dumper) };
    }
    async list(file) {
        // mysqldump writes this marker last: a dump cut short has no marker.
        if (!/-- Dump completed/.test(tailOf(file, 512))) {
            throw new Error('the dump does not end with "-- Dump completed": it was cut short');
        }
        return 'dump is complete ("-- Dump completed" marker)';
    }
    async counts(db = this.database) {
        const tables = (await this.query("SELECT table_name FROM information_schema.tables WHERE table_schema = DATABASE() AND table_type = 'BASE TABLE' ORDER BY 1", db))
            .split('\n')
            .filter(Boolean);
        if (!tables.length)
            return new Map();
        const sql = tables
            .map((t) => `SELECT CONCAT(${sqlString(t.replace(/\\/g, '\\\\'))}, '|', count(*)) FROM ${myIdent(t)}`)
            .join(' UNION ALL ');
        return parseCounts(await this.query(sql, db));
    }
    async restoreThrowaway(file) {
        const name = throwawayName(this.database, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
        await this.query(`CREATE DATABASE ${myIdent(name)}`);
        try {
            await this.restoreFile(file, name);
            return await this.counts(name);
        }
        finally {
            await this.query(`DROP DATABASE IF EXISTS ${myIdent(name)}`).catch((e) => this.o.ctx.warn(`could not drop the throwaway database ${name}: ${e.message}`, 'backup'));
        }
    }
    async restoreInto(file) {
        await this.restoreFile(file, this.database);
        return this.counts();
    }
}

// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
;// CONCATENATED MODULE: ./src/core/backup-db/leftovers.ts



const HOST = (0,external_node_os_.hostname)()
    .replace(/[^A-Za-z0-9.-]/g, '_')
    .slice(0, 64) || 'host';
/** The suffix this process gives a file in `state`. */
function heldSuffix(state, host = HOST, pid = process.pid) {
    return `.${state}~${host}~${pid}`;
}
const HELD = /\.(partial|unverified)(?:~([A-Za-z0-9._-]{1,64})~(\d{1,10}))?$/;
/** Whether a file name is one a run holds (in progress, or left by a run that was stopped). */
function isHeldName(name) {
    return HELD.test(name);
}
function pidAlive(pid) {
    try {
        process.kill(pid, 0);
        return true;
    }
    catch (e) {
        return e.code === 'EPERM';
    }
}
/**
 * Removes `<base>-<timestamp>….partial|unverified[~host~pid]` files in `dir` whose writer is gone. Returns
 * the names removed. Bounded: looks at the directory's entries once.
 */
function removeStaleHeld(dir, base, o) {
    let names;
    try {
        names = (0,external_node_fs_.readdirSync)(dir);
    }
    catch {
        return [];
    }
    const now = o.now ?? Date.now();
    const host = o.host ?? HOST;
    const isAlive = o.isAlive ?? pidAlive;
    const removed = [];
    for (const name of names) {
        if (!name.startsWith(`${base}-`) || !/^-\d{8}T\d{6}Z\./.test(name.slice(base.length)))
            continue;
        const m = HELD.exec(name);
        if (!m)
            continue;
        const path = (0,external_node_path_.join)(dir, name);
        let st;
        try {
            st = (0,external_node_fs_.lstatSync)(path);
        }
        catch {
            continue;
        }
        if (!st.isFile())
            continue;
        const [, , owner, pid] = m;
        const gone = owner === host && pid !== undefined
            ? Number(pid) !== process.pid && !isAlive(Number(pid))
            : now - st.mtimeMs > o.staleAfterMs;
        if (!gone)
            continue;
        (0,external_node_fs_.rmSync)(path, { force: true });
        removed.push(name);
    }
    return removed.sort();
}

// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
;// CONCATENATED MODULE: external "node:stream/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
;// CONCATENATED MODULE: ./src/lib/command.ts
function commandLabel(cmd) {
    return cmd.label ?? cmd.argv.join(' ');
}

// EXTERNAL MODULE: ./src/lib/target/sha256.ts
var target_sha256 = __nccwpck_require__(618);
;// CONCATENATED MODULE: ./src/core/backup-db/pipeline.ts












/**
 * A young-generation GC, when V8 lets the process ask for one (it exposes `gc` to a new context once the flag is
 * set; the flag is cleared again, the global scope never gets a `gc`). Undefined when it cannot.
 *
 * Why: every chunk of the dump (64 KiB) arrives in a fresh Buffer, dead a moment later. Their memory is outside
 * the small JS heap, so V8 frees it only when a GC runs, and its own schedule lets tens of MB of dead chunks pile
 * up first: the peak RSS grew with the size of the dump although nothing was kept. A scavenge every few MB
 * frees them (well under a millisecond each with this heap).
 */
function minorGc() {
    try {
        const v8 = process.getBuiltinModule('node:v8');
        const vm = process.getBuiltinModule('node:vm');
        v8.setFlagsFromString('--expose-gc');
        const gc = vm.runInNewContext('gc');
        v8.setFlagsFromString('--no-expose-gc');
        if (typeof gc !== 'function')
            return undefined;
        return () => gc({ type: 'minor' });
    }
    catch {
        return undefined;
    }
}
/** Bytes of dump between two scavenges (see minorGc). */
const GC_EVERY_BYTES = 8 * 1024 * 1024;
/** Counts bytes flowing through; frees the dead chunks every GC_EVERY_BYTES when it can. */
function counter(onBytes) {
    const gc = minorGc();
    let sinceGc = 0;
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            onBytes(chunk.length);
            sinceGc += chunk.length;
            if (gc && sinceGc >= GC_EVERY_BYTES) {
                sinceGc = 0;
                gc();
            }
            cb(null, chunk);
        },
    });
}
function fsyncPath(path) {
    const fd = (0,external_node_fs_.openSync)(path, 'r');
    try {
        (0,external_node_fs_.fsyncSync)(fd);
    }
    finally {
        (0,external_node_fs_.closeSync)(fd);
    }
}
/** Runs a local process reading `input` and writing to `output`; resolves with its exit status. */
function runFilter(cmd, input, output, signal) {
    const started = Date.now();
    return new Promise((resolve) => {
        const [file, ...args] = cmd.argv;
        const child = (0,external_node_child_process_.spawn)(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...cmd.env } });
        let stderr = '';
        let outBytes = 0;
        let settled = false;
        const done = (r) => {
            if (settled)
                return;
            settled = true;
            signal?.removeEventListener('abort', onAbort);
            resolve({ ...r, stdout: '', stderr, durationMs: Date.now() - started, stdoutBytes: outBytes });
        };
        const onAbort = () => void child.kill('SIGKILL');
        signal?.addEventListener('abort', onAbort, { once: true });
        child.stderr.on('data', (c) => {
            if (stderr.length < 20_000)
                stderr += c.toString();
        });
        child.stdout.on('data', (c) => (outBytes += c.length));
        child.stdin.on('error', () => undefined);
        input.pipe(child.stdin);
        child.stdout.pipe(output, { end: false });
        child.on('error', (error) => done({ code: null, signal: null, end: 'spawn-error', error }));
        child.on('close', (code, sig) => done({ code, signal: sig, end: signal?.aborted ? 'aborted' : 'exit' }));
    });
}
/**
 * Streams a dump into `<finalPath>.partial~<host>~<pid>` (optionally through a compressor process), hashing on
 * the way, then checks every stage's exit status and the minimum size, fsyncs and renames to `finalPath` (or
 * to `holdAs` while it waits for verification).
 * Nothing is ever held in memory whole. On any failure the partial file is removed and an error thrown:
 * a failed or killed run leaves no file that looks like a backup.
 */
async function streamDumpToFile(source, finalPath, opts) {
    const partial = `${finalPath}${heldSuffix('partial')}`;
    const target = opts.holdAs ?? finalPath;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let rawBytes = 0;
    const file = (0,external_node_fs_.createWriteStream)(partial, { mode: 0o600 });
    const fileDone = (0,promises_namespaceObject.finished)(file);
    fileDone.catch(() => undefined);
    // The tail of the chain: hash + count + write. Never ended by upstream pipes (end: false); we end it.
    const tail = new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            hash.update(chunk);
            cb(null, chunk);
        },
    });
    tail.pipe(file);
    const rawCounter = counter((n) => {
        rawBytes += n;
        opts.onProgress?.(rawBytes);
    });
    let renamed = false;
    try {
        const failures = [];
        let compressor;
        let compressorCmd;
        // A compressor that dies stops the dump too (otherwise the dump would block on a pipe nobody reads).
        const stopDump = new AbortController();
        const onOuterAbort = () => stopDump.abort();
        opts.signal?.addEventListener('abort', onOuterAbort, { once: true });
        if (opts.signal?.aborted)
            stopDump.abort();
        if (opts.compression !== 'none') {
            compressorCmd = opts.compressor ?? compressCommand(opts.compression);
            compressor = runFilter(compressorCmd, rawCounter, tail, opts.signal);
            void compressor.then((c) => {
                if (!(0,types/* succeeded */.gq)(c)) {
                    stopDump.abort();
                    rawCounter.unpipe();
                    rawCounter.resume();
                }
            });
        }
        else {
            rawCounter.pipe(tail, { end: false });
        }
        if (source.kind === 'command') {
            const r = await source.exec.run(source.cmd, {
                stdoutSink: rawCounter,
                timeoutMs: opts.timeoutMs,
                idleTimeoutMs: opts.idleTimeoutMs,
                signal: stopDump.signal,
            });
            opts.signal?.removeEventListener('abort', onOuterAbort);
            if (!(0,types/* succeeded */.gq)(r))
                failures.push((0,types/* describeFailure */.Ic)(commandLabel(source.cmd), source.exec.target, r));
            else if (r.stderr.trim() && /error|fatal/i.test(r.stderr)) {
                failures.push(`"${commandLabel(source.cmd)}" exited 0 but reported: ${r.stderr.trim().slice(-2000)}`);
            }
        }
        else {
            await (0,promises_namespaceObject.pipeline)((0,external_node_fs_.createReadStream)(source.path), rawCounter, { end: false });
        }
        rawCounter.end();
        await (0,promises_namespaceObject.finished)(rawCounter);
        if (compressor) {
            const c = await compressor;
            if (!(0,types/* succeeded */.gq)(c))
                failures.push((0,types/* describeFailure */.Ic)(commandLabel(compressorCmd), 'local', c));
        }
        tail.end();
        await fileDone;
        if (opts.signal?.aborted)
            failures.push('the backup was cancelled');
        if (failures.length)
            throw new Error(failures.join('\n'));
        if (rawBytes < opts.minBytes) {
            throw new Error(`the dump is only ${rawBytes} bytes (minimum ${opts.minBytes}, input \`min-size-bytes\`): refusing it as a backup`);
        }
        fsyncPath(partial);
        // link + unlink instead of rename: never replaces an existing backup of the same name (EEXIST).
        try {
            (0,external_node_fs_.linkSync)(partial, target);
        }
        catch (e) {
            if (e.code === 'EEXIST')
                throw new Error(`${target} already exists; not replacing it`);
            throw e;
        }
        renamed = true;
        (0,external_node_fs_.rmSync)(partial);
        fsyncPath((0,external_node_path_.dirname)(target));
        return { path: target, sizeBytes: (0,external_node_fs_.statSync)(target).size, rawBytes, sha256: hash.digest('hex') };
    }
    catch (e) {
        tail.destroy();
        file.destroy();
        (0,external_node_fs_.rmSync)(partial, { force: true });
        if (renamed)
            (0,external_node_fs_.rmSync)(target, { force: true });
        throw e;
    }
}
/** Runs `cmd` locally with stdout streamed into `outPath` (e.g. a decompressor); throws unless it exits 0. */
async function commandToFile(exec, cmd, outPath, signal) {
    const out = (0,external_node_fs_.createWriteStream)(outPath, { mode: 0o600 });
    const done = (0,promises_namespaceObject.finished)(out);
    done.catch(() => undefined);
    const r = await exec.run(cmd, { stdoutSink: out, signal, timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs });
    out.end();
    await done;
    if (!(0,types/* succeeded */.gq)(r))
        throw new types/* CommandError */.Qd((0,types/* describeFailure */.Ic)(commandLabel(cmd), exec.target, r), r);
}
/**
 * Gives a verified backup its final name: link `held` to `finalPath` (never replacing an existing file), drop
 * the held name, fsync the directory. Until this returns, no file under the final name exists.
 */
function promoteHeld(held, finalPath) {
    try {
        (0,external_node_fs_.linkSync)(held, finalPath);
    }
    catch (e) {
        if (e.code === 'EEXIST')
            throw new Error(`${finalPath} already exists; not replacing it`);
        throw e;
    }
    (0,external_node_fs_.rmSync)(held);
    fsyncPath((0,external_node_path_.dirname)(finalPath));
}

;// CONCATENATED MODULE: ./src/core/backup-db/postgres.ts
function parsePostgresUrl(url, inputName = 'database-url') {
    let u;
    try {
        u = new URL(url);
    }
    catch {
        throw new Error(`${inputName}: not a URL (expected postgres://user:password@host:port/database)`);
    }
    if (u.protocol !== 'postgres:' && u.protocol !== 'postgresql:') {
        throw new Error(`${inputName}: scheme must be postgres:// or postgresql://, got ${u.protocol}//`);
    }
    const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
    if (!u.hostname)
        throw new Error(`${inputName}: no host`);
    if (!u.username)
        throw new Error(`${inputName}: no user`);
    return {
        host: u.hostname.replace(/^\[(.*)\]$/, '$1'),
        port: u.port ? Number(u.port) : 5432,
        user: decodeURIComponent(u.username),
        password: decodeURIComponent(u.password),
        database,
    };
}
/** One `.pgpass` line (PGPASSFILE, written 0600): `:` and `\` are escaped with a backslash. */
function pgpassLine(c) {
    const esc = (s) => s.replace(/[\\:]/g, (m) => `\\${m}`);
    if (/[\r\n]/.test(c.password))
        throw new Error('database-url: password must not contain a line break');
    // host '' = the server's local socket (compose-service): match any host and port.
    const hostPort = c.host ? `${esc(c.host)}:${c.port}` : '*:*';
    return `${hostPort}:*:${esc(c.user)}:${esc(c.password)}\n`;
}
/**
 * Connection flags; the password comes from PGPASSFILE, so `-w` (never prompt) is safe. host '' = the
 * default local socket (inside a Compose service: no -h/-p, so the client finds the server's own socket).
 */
function connArgs(c) {
    return [...(c.host ? ['-h', c.host, '-p', String(c.port)] : []), '-U', c.user, '-w'];
}
/**
 * `pg_dump -Fc` to stdout (streamed by the caller). `uncompressed` (-Z0) when a compressor stage follows:
 * compressing twice costs CPU for no gain, and the outer compressor does better on raw data.
 */
function pgDumpCommand(c, pgpassFile, bin = 'pg_dump', uncompressed = false) {
    return {
        argv: [bin, ...connArgs(c), '-Fc', ...(uncompressed ? ['-Z0'] : []), '--no-password', '-d', c.database],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'pg_dump',
    };
}
/** `pg_restore` of a custom-format archive into `database` (stops at the first error); file '' = stdin. */
function pgRestoreCommand(c, pgpassFile, file, database, bin = 'pg_restore') {
    return {
        argv: [bin, ...connArgs(c), '--no-password', '--exit-on-error', '--no-owner', '-d', database, ...fileArg(file)],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'pg_restore',
    };
}
/** pg_restore reads the archive from stdin when no file is named. */
const fileArg = (file) => (file ? ['--', file] : []);
/** `pg_restore --list` (verify: list) — reads the archive's table of contents only; file '' = stdin. */
function pgListCommand(file, bin = 'pg_restore') {
    return { argv: [bin, '--list', ...fileArg(file)], label: 'pg_restore --list' };
}
/** `pg_dump (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)` → 150008; 9.6.24 → 90624. */
function parsePgToolVersion(text) {
    const m = /\(PostgreSQL\)\s+(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
    if (!m)
        throw new Error(`cannot read a PostgreSQL version from: ${text.trim().slice(0, 200)}`);
    const major = Number(m[1]);
    if (major >= 10)
        return major * 10000 + Number(m[2] ?? 0);
    return major * 10000 + Number(m[2] ?? 0) * 100 + Number(m[3] ?? 0);
}
/** 150008 → "15.8"; 90624 → "9.6.24". */
function formatPgVersionNum(n) {
    const major = Math.floor(n / 10000);
    if (major >= 10)
        return `${major}.${n % 10000}`;
    return `${major}.${Math.floor(n / 100) % 100}.${n % 100}`;
}
function majorOf(n) {
    const major = Math.floor(n / 10000);
    // Comparable major: 9.6 → 906, 10 → 1000, 15 → 1500 (before 10 the major version had two parts).
    return major >= 10 ? major * 100 : major * 100 + (Math.floor(n / 100) % 100);
}
/**
 * pg_dump refuses (or silently misses features) when it is older than the server's major version.
 * Returns undefined when fine, or the error message naming both versions and the fix.
 */
function pgClientVersionProblem(clientNum, serverNum) {
    if (majorOf(clientNum) >= majorOf(serverNum))
        return undefined;
    return (`pg_dump ${formatPgVersionNum(clientNum)} is older than the PostgreSQL server ${formatPgVersionNum(serverNum)}: ` +
        `set \`compose-service\` to dump inside the database container (its client matches the server), ` +
        `or install the matching client (postgresql-client-${Math.floor(serverNum / 10000) >= 10 ? Math.floor(serverNum / 10000) : formatPgVersionNum(serverNum).split('.').slice(0, 2).join('.')}) on the machine running the dump`);
}
/** psql running one query, unaligned tuples-only output, stopping at the first error. */
function psqlCommand(c, pgpassFile, database, query, bin = 'psql') {
    return {
        argv: [bin, '-X', '-q', '-At', '-v', 'ON_ERROR_STOP=1', ...connArgs(c), '-d', database, '-c', query],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'psql',
    };
}
function createDbCommand(c, pgpassFile, name, bin = 'createdb') {
    return {
        argv: [bin, ...connArgs(c), '--maintenance-db', c.database || 'postgres', '--', name],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'createdb',
    };
}
function dropDbCommand(c, pgpassFile, name, bin = 'dropdb') {
    return {
        argv: [bin, ...connArgs(c), '--maintenance-db', 'postgres', '--if-exists', '--force', '--', name],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'dropdb',
    };
}
/** `pg_restore --clean --if-exists` into the live database (mode: restore): replaces what the archive holds. */
function pgRestoreReplaceCommand(c, pgpassFile, file, database, bin = 'pg_restore') {
    return {
        argv: [
            bin,
            ...connArgs(c),
            '--no-password',
            '--exit-on-error',
            '--single-transaction',
            '--clean',
            '--if-exists',
            '--no-owner',
            '-d',
            database,
            ...fileArg(file),
        ],
        env: { PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' },
        label: 'pg_restore --clean',
    };
}
/** One line per user table: `schema.table|rows` (exact counts, via query_to_xml). */
const PG_COUNTS_QUERY = "SELECT n.nspname || '.' || c.relname || '|' || " +
    "(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text " +
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') " +
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1";

;// CONCATENATED MODULE: ./src/core/backup-db/postgres-engine.ts






class PostgresEngine {
    o;
    name = 'postgres';
    ext = '.dump';
    conn;
    database;
    pgpass = '';
    inContainer;
    constructor(url, database, o) {
        this.o = o;
        // compose-service without a URL: the image's superuser over the container's local socket.
        this.conn = url ? parsePostgresUrl(url) : { host: '', port: 5432, user: 'postgres', password: '', database };
        // Inside the container the tools use the server's own local socket: the URL's host and port are not used.
        this.inContainer = o.tools.kind === 'container';
        if (this.inContainer)
            this.conn = { ...this.conn, host: '' };
        this.database = database || this.conn.database;
        if (!this.database)
            throw new errors/* InputError */.d('database', 'no database named (in `database` or the URL path)');
        this.conn = { ...this.conn, database: this.database };
    }
    async prepare() {
        // The pgpass file, 0600 in the tools' private temp dir (inside the container with compose-service).
        this.pgpass = await this.o.tools.writeSecretFile(pgpassLine(this.conn), 'pgpass');
    }
    run(cmd) {
        return runTool(this.o, cmd);
    }
    async query(q, db = this.database) {
        return (await this.run(psqlCommand(this.conn, this.pgpass, db, q))).stdout.trim();
    }
    serverNum = 0;
    clientNum = 0;
    /**
     * One command (one `exec` with compose-service): `pg_dump --version`, then the server's version. The
     * script is constant; psql's argv follows as positional parameters.
     */
    async serverVersion() {
        const psql = psqlCommand(this.conn, this.pgpass, this.database, "SELECT current_setting('server_version') || '|' || current_setting('server_version_num')");
        const cmd = {
            ...psql,
            argv: ['sh', '-c', 'pg_dump --version && exec "$@"', 'sh', ...psql.argv],
            label: 'pg_dump --version; psql',
        };
        const lines = (await this.run(cmd)).stdout.trim().split('\n');
        this.clientNum = parsePgToolVersion(lines[0] ?? '');
        const [v, num] = (lines[lines.length - 1] ?? '').split('|');
        this.serverNum = Number(num);
        return v ?? '';
    }
    async checkClient() {
        if (!this.clientNum || !this.serverNum)
            await this.serverVersion();
        const problem = pgClientVersionProblem(this.clientNum, this.serverNum);
        if (problem)
            throw new Error(problem);
    }
    async source() {
        return {
            kind: 'command',
            exec: this.o.tools,
            cmd: pgDumpCommand(this.conn, this.pgpass, 'pg_dump', this.o.compressed),
        };
    }
    async list(file) {
        // In a container the runner may have no pg_restore: read the table of contents with the container's own.
        const r = this.inContainer
            ? await this.run(pgListCommand((await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path))
            : await runTool(this.o, pgListCommand(file), this.o.runner);
        const entries = r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';'));
        const tables = entries.filter((l) => / TABLE DATA /.test(l)).length;
        return `archive lists ${entries.length} entries, ${tables} with table data`;
    }
    async counts(db = this.database) {
        return parseCounts(await this.query(PG_COUNTS_QUERY, db));
    }
    async restoreThrowaway(file) {
        const name = throwawayName(this.database, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
        await this.run(createDbCommand(this.conn, this.pgpass, name));
        try {
            await this.run(pgRestoreCommand(this.conn, this.pgpass, file, name));
            return await this.counts(name);
        }
        finally {
            const r = await this.o.tools.run(dropDbCommand(this.conn, this.pgpass, name), {
                timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs,
            });
            // Not fatal for the backup, but say so: a leftover database costs disk.
            if (!(0,types/* succeeded */.gq)(r))
                this.o.ctx.warn(`could not drop the throwaway database ${name}: ${r.stderr.trim()}`, 'backup');
        }
    }
    async restoreInto(file) {
        await this.run(pgRestoreReplaceCommand(this.conn, this.pgpass, file, this.database));
        return this.counts();
    }
}

;// CONCATENATED MODULE: ./src/core/backup-db/retention.ts



/** `<base>-YYYYMMDDTHHMMSSZ<ext>`: the names this action writes (sortable by time). */
function backupFileName(base, when, ext) {
    const ts = when
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d+Z$/, 'Z');
    return `${base}-${ts}${ext}`;
}
/** Safe file-name stem from a database name or path. */
function backupBase(name) {
    const stem = name
        .split('/')
        .pop()
        .replace(/\.(sqlite3?|db)$/i, '');
    return stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.-]+/, '') || 'db';
}
const TS = /-(\d{8}T\d{6}Z)(\.[A-Za-z0-9.]+)$/;
/** Which of `names` are backups of `base` (finished, verified ones only: `.partial`/`.unverified` never count). */
function backupsOf(names, base) {
    return names
        .filter((n) => n.startsWith(`${base}-`) && !isHeldName(n) && TS.test(n))
        .filter((n) => n.slice(base.length).match(TS)?.index === 0)
        .sort();
}
/** The UTC time in a backup's name (`…-20240102T030405Z.dump.gz` → 2024-01-02T03:04:05Z). */
function backupTime(name) {
    const m = TS.exec(name);
    if (!m)
        throw new Error(`not a backup name: ${name}`);
    const t = m[1];
    return new Date(Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(9, 11), +t.slice(11, 13), +t.slice(13, 15)));
}
const pad = (n, w = 2) => String(n).padStart(w, '0');
/** `2024-01-02` (UTC day). */
function dayBucket(d) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
/** `2024-W01` (ISO 8601 week, Monday first; the week's year can differ from the date's near New Year). */
function weekBucket(d) {
    const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
    const dow = t.getUTCDay() || 7; // Monday 1 … Sunday 7
    t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of this week decides its year
    const year = t.getUTCFullYear();
    const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
    return `${year}-W${pad(week)}`;
}
/** `2024-01` (UTC month). */
function monthBucket(d) {
    return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}
function retentionEnabled(p) {
    return p.keep > 0 || p.daily > 0 || p.weekly > 0 || p.monthly > 0;
}
/**
 * Pure retention plan over the file names in a directory. `newest` is the backup just made and verified:
 * it is always kept, whatever the clock says (a clock behind makes it sort first). Only finished backups of
 * `base` are considered; anything else in the directory is never touched.
 */
function planRetentionDetailed(names, base, p, newest) {
    const all = backupsOf(names, base);
    const reasons = new Map();
    const add = (n, why) => void reasons.set(n, [...(reasons.get(n) ?? []), why]);
    if (!retentionEnabled(p)) {
        for (const n of all)
            add(n, 'retention off');
        return { keep: all.map((name) => ({ name, reasons: reasons.get(name) })), remove: [] };
    }
    add(newest, 'newest');
    const newestFirst = [...all].reverse();
    newestFirst.slice(0, p.keep).forEach((n) => add(n, 'keep'));
    const buckets = [
        ['daily', p.daily, dayBucket],
        ['weekly', p.weekly, weekBucket],
        ['monthly', p.monthly, monthBucket],
    ];
    for (const [label, count, bucketOf] of buckets) {
        if (count <= 0)
            continue;
        const seen = new Set();
        for (const n of newestFirst) {
            const b = bucketOf(backupTime(n));
            if (seen.has(b))
                continue; // an older backup of a bucket already kept by a newer one
            if (seen.size >= count)
                break;
            seen.add(b);
            add(n, `${label} ${b}`);
        }
    }
    const keepNames = [...new Set([...all, newest])].filter((n) => reasons.has(n)).sort();
    return {
        keep: keepNames.map((name) => ({ name, reasons: reasons.get(name) })),
        remove: all.filter((n) => !reasons.has(n)),
    };
}
/** The names to remove (oldest first); see planRetentionDetailed. keep 0 (and no calendar counts) = keep all. */
function planRetention(names, base, policy, newest) {
    return planRetentionDetailed(names, base, policy, newest).remove;
}
/** The plan over `names`; a plan that would remove `newest` (the backup just made) is refused, never applied. */
function planKeepingNewest(names, base, policy, newest) {
    const plan = planRetentionDetailed(names, base, policy, newest);
    if (plan.remove.includes(newest))
        throw new Error(`retention would remove ${newest}, the backup just made: refusing`);
    return plan;
}
/** Applies the plan in `dir` (dry-run only reports). `remove` = the names removed (or that would be). */
function applyRetention(dir, base, policy, newest, dryRun) {
    const plan = planKeepingNewest((0,external_node_fs_.readdirSync)(dir), base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if ((0,external_node_fs_.statSync)((0,external_node_path_.join)(dir, n)).isFile())
                (0,external_node_fs_.rmSync)((0,external_node_path_.join)(dir, n), { force: true });
        }
    }
    return plan;
}

;// CONCATENATED MODULE: ./src/core/backup-db/sqlite.ts
/** sqlite3 dot-command argument: single-quoted; refuses characters the dot-command parser cannot carry. */
function dotArg(path) {
    if (/['\r\n\0]/.test(path))
        throw new Error(`sqlite path must not contain quotes or line breaks: ${JSON.stringify(path)}`);
    return `'${path}'`;
}
/** sqlite3 has no `--`: a relative path starting with `-` is made `./-…` so it is never read as an option. */
function dbArg(path) {
    return path.startsWith('-') ? `./${path}` : path;
}
/**
 * Online-consistent copy with the SQLite backup API (`.backup`), safe while the app writes: never a
 * plain file copy, which can catch a half-written page or miss the WAL.
 */
function sqliteBackupCommand(dbPath, outPath, bin = 'sqlite3') {
    return {
        argv: [bin, '-bail', '-readonly', dbArg(dbPath), `.backup main ${dotArg(outPath)}`],
        label: 'sqlite3 .backup',
    };
}
/** Integrity check of a backup file (verify: list); prints `ok` when sound. */
function sqliteIntegrityCommand(path, bin = 'sqlite3') {
    return {
        argv: [bin, '-bail', '-readonly', dbArg(path), 'PRAGMA integrity_check;'],
        label: 'sqlite3 integrity_check',
    };
}

;// CONCATENATED MODULE: ./src/core/backup-db/sqlite-engine.ts







const sqlIdent = (n) => `"${n.replace(/"/g, '""')}"`;
class SqliteEngine {
    path;
    o;
    name = 'sqlite';
    ext = '.sqlite';
    database;
    constructor(path, o) {
        this.path = path;
        this.o = o;
        if (!path)
            throw new errors/* InputError */.d('database', 'the path of the SQLite file is required for engine sqlite');
        this.database = path;
    }
    run(cmd) {
        return runTool(this.o, cmd);
    }
    async serverVersion() {
        const r = await this.run({ argv: ['sqlite3', '--version'], label: 'sqlite3 --version' });
        return r.stdout.trim().split(/\s+/)[0] ?? '';
    }
    async prepare() { }
    async checkClient() {
        const r = await this.run(sqliteIntegrityCommand(this.path));
        if (r.stdout.trim() !== 'ok')
            throw new Error(`${this.path} fails PRAGMA integrity_check: ${r.stdout.trim()}`);
    }
    async source() {
        const name = `backup-${(0,external_node_crypto_.randomBytes)(4).toString('hex')}.sqlite`;
        const out = external_node_path_.posix.join(await this.o.tools.tempDir(), name);
        await this.run(sqliteBackupCommand(this.path, out));
        if (this.o.tools.kind === 'runner')
            return { kind: 'file', path: out };
        // Elsewhere: fetch the consistent copy (verified by sha256 on both sides) into the runner's temp dir.
        const local = (0,external_node_path_.join)(await this.o.runner.tempDir(), name);
        await this.o.tools.download(out, local, { signal: this.o.ctx.signal, timeoutMs: this.o.timeoutMs });
        return { kind: 'file', path: local };
    }
    async integrity(on, file) {
        const r = await runTool(this.o, sqliteIntegrityCommand(file), on);
        if (r.stdout.trim() !== 'ok')
            throw new Error(`the backup fails PRAGMA integrity_check: ${r.stdout.trim()}`);
        return 'PRAGMA integrity_check: ok';
    }
    list(file) {
        return this.integrity(this.o.runner, file);
    }
    async countsOf(file) {
        const q = (sql) => this.run({ argv: ['sqlite3', '-bail', '-readonly', file, sql], label: 'sqlite3' });
        const tables = (await q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY 1")).stdout
            .split('\n')
            .filter(Boolean);
        if (!tables.length)
            return new Map();
        const sql = tables.map((t) => `SELECT ${sqlString(t)} || '|' || count(*) FROM ${sqlIdent(t)}`).join(' UNION ALL ');
        return parseCounts((await q(sql)).stdout);
    }
    counts() {
        return this.countsOf(this.path);
    }
    async restoreThrowaway(file) {
        await this.integrity(this.o.tools, file);
        return this.countsOf(file);
    }
    async restoreInto(file) {
        await this.integrity(this.o.tools, file);
        // `.restore` uses the backup API: the live file is replaced page by page under SQLite's locks.
        if (file.includes("'"))
            throw new Error('restore-from: the path must not contain a quote');
        const cmd = {
            argv: ['sqlite3', '-bail', this.path, `.restore main '${file}'`],
            label: 'sqlite3 .restore',
        };
        const r = await this.o.tools.run(cmd, { signal: this.o.ctx.signal, timeoutMs: this.o.timeoutMs });
        if (!(0,types/* succeeded */.gq)(r) || r.stderr.trim()) {
            throw new types/* CommandError */.Qd((0,types/* describeFailure */.Ic)(commandLabel(cmd), this.o.tools.target, { ...r, code: r.code || 1 }), r);
        }
        return this.counts();
    }
}

;// CONCATENATED MODULE: ./src/core/backup-db/run.ts

















function retentionPolicy(cfg) {
    return { keep: cfg.keep, daily: cfg.keepDaily, weekly: cfg.keepWeekly, monthly: cfg.keepMonthly };
}
/**
 * Where the database tools run: the host itself, or with compose-service the Compose service reached through
 * it (`compose exec -T`), so the client always matches the server.
 */
async function toolsTarget(cfg, where, ctx) {
    if (!cfg.composeService)
        return where.host;
    const flavor = await detectCompose(where.host, ctx.signal);
    return inContainer(where.host, {
        kind: 'compose-exec',
        project: { flavor, files: cfg.composeFiles, ...(cfg.composeProject ? { project: cfg.composeProject } : {}) },
        service: cfg.composeService,
    }, cfg.dockerHost ? { dockerHost: cfg.dockerHost } : {});
}
const ranIn = (tools) => (tools instanceof ContainerTarget ? describeAccess(tools.access) : '');
function makeEngine(cfg, o) {
    switch (cfg.engine) {
        case 'postgres':
            return new PostgresEngine(cfg.databaseUrl, cfg.database, o);
        case 'mysql':
        case 'mariadb':
            return new MysqlEngine(cfg.engine, cfg.databaseUrl, cfg.database, o);
        case 'sqlite':
            return new SqliteEngine(cfg.database, o);
        case 'mongodb':
            return new MongoEngine(cfg.databaseUrl, cfg.database, o);
        default:
            throw new Error(`engine ${cfg.engine} is not supported by this version yet`);
    }
}
const toRecord = (c) => Object.fromEntries(c);
/**
 * A plain (decompressed) copy of `file` in tmp, or `file` itself when it is not compressed. `named`: the name
 * that tells the compression (a held `….unverified~…` file is named after its final name).
 */
async function plainCopy(runner, file, tmp, signal, named = file) {
    const c = compressionOf(named);
    if (c === 'none')
        return file;
    const out = (0,external_node_path_.join)(tmp, 'plain');
    await commandToFile(runner, decompressCommand(c, file), out, signal);
    return out;
}
/** The engine for this run, its tools running where `tools` is (runner, SSH host, or a compose service there). */
function openEngine(cfg, tools, where, ctx) {
    return makeEngine(cfg, {
        tools,
        runner: where.runner,
        ctx,
        // zstd on a raw archive beats pg_dump's zlib in time and size (bench/backup.bench.mjs), so pg_dump skips
        // its own compression then; gzip is slower on raw data than zlib inside pg_dump, so that stays. Over SSH
        // the dump always keeps its compression: the compressor runs on the runner, after the network.
        compressed: cfg.compression === 'zstd' && where.host.kind === 'runner',
        timeoutMs: cfg.timeoutMs,
    });
}
/** Makes a runner file available where the tools run (verified by sha256); returns its path there. */
async function place(tools, file, signal) {
    return (await tools.upload(file, undefined, { signal })).path;
}
/** The run's private dir on the runner (credentials, plaintext copies): recorded so a post step removes it after a kill. */
function privateTmp() {
    return (0,cleanup_state/* makeRecordedTempDir */.eA)('backup');
}
/** Backs up, verifies, then (only then) applies retention. */
async function runBackup(cfg, where, ctx, o = {}) {
    const started = Date.now();
    const log = ctx.log;
    const tmp = privateTmp();
    let tools;
    try {
        tools = await toolsTarget(cfg, where, ctx);
        const engine = openEngine(cfg, tools, where, ctx);
        await engine.prepare();
        const serverVersion = await engine.serverVersion();
        log(`${engine.name} ${serverVersion}: backing up ${engine.database} on ${where.host.target}${tools === where.host ? '' : ` in ${ranIn(tools)}`}`);
        await engine.checkClient();
        (0,external_node_fs_.mkdirSync)(cfg.outputDir, { recursive: true });
        const base = backupBase(engine.database);
        const name = backupFileName(base, (o.now ?? (() => new Date()))(), engine.ext + compressionSuffix(cfg.compression));
        // Files a killed run of this database left here (a dump in progress, a backup never verified): gone now.
        const stale = removeStaleHeld(cfg.outputDir, base, { staleAfterMs: cfg.timeoutMs + 3_600_000 });
        if (stale.length)
            log(`removed what stopped runs left: ${stale.join(', ')}`);
        const finalPath = (0,external_node_path_.join)(cfg.outputDir, name);
        const source = await engine.source();
        // With verify, the file keeps an "unverified" name until verification passed: a run stopped during
        // verification leaves nothing under a final name.
        const res = await streamDumpToFile(source, finalPath, {
            compression: cfg.compression,
            minBytes: cfg.minSizeBytes,
            timeoutMs: cfg.timeoutMs,
            signal: ctx.signal,
            onProgress: o.onProgress,
            ...(cfg.verify !== 'none' ? { holdAs: `${finalPath}${heldSuffix('unverified')}` } : {}),
        });
        // A file source is a copy in a temp dir (sqlite's .backup): not needed any more.
        if (source.kind === 'file')
            (0,external_node_fs_.rmSync)(source.path, { force: true });
        log(`wrote ${res.path} (${res.sizeBytes} bytes, sha256 ${res.sha256})`);
        let verification = 'not verified (verify: none)';
        let counts = new Map();
        try {
            if (cfg.verify !== 'none') {
                const plain = await plainCopy(where.runner, res.path, tmp, ctx.signal, finalPath);
                if (cfg.verify === 'list') {
                    verification = await engine.list(plain);
                }
                else {
                    counts = await engine.restoreThrowaway(await place(tools, plain, ctx.signal));
                    const expected = await engine.counts();
                    const diff = compareCounts(expected, counts);
                    if (diff.length)
                        throw new Error(`verify: restore found differences:\n${diff.join('\n')}`);
                    const rows = [...counts.values()].reduce((a, b) => a + b, 0);
                    verification = `restored into a throwaway database: ${counts.size} tables, ${rows} rows, same as the database`;
                }
                log(verification);
            }
        }
        catch (e) {
            // A backup that failed verification must not look like a good one.
            (0,external_node_fs_.rmSync)(res.path, { force: true });
            throw new Error(`the backup failed verification and was removed: ${e.message}`);
        }
        if (res.path !== finalPath) {
            promoteHeld(res.path, finalPath);
            res.path = finalPath;
        }
        let remotePath = '';
        if (cfg.remoteDir) {
            if (where.host.kind !== 'ssh')
                throw new errors/* InputError */.d('remote-dir', 'needs run-on: ssh');
            const host = where.host;
            await (0,types/* runChecked */.X4)(host, { argv: ['mkdir', '-p', '--', cfg.remoteDir], label: `mkdir ${cfg.remoteDir}` }, {
                signal: ctx.signal,
                timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
            });
            // The copy is verified by sha256 on both sides (a mismatch throws).
            const copy = await host.upload(res.path, external_node_path_.posix.join(cfg.remoteDir, (0,external_node_path_.basename)(res.path)), { signal: ctx.signal });
            remotePath = copy.path;
            log(`copied to ${host.target}:${remotePath}`);
        }
        // Retention only now: the new backup exists under its final name and passed verification.
        const policy = retentionPolicy(cfg);
        const plan = applyRetention(cfg.outputDir, base, policy, name, cfg.retentionDryRun);
        const removed = plan.remove;
        if (removed.length)
            log(`retention${cfg.retentionDryRun ? ' (dry run)' : ''}: ${removed.join(', ')}`);
        return {
            mode: 'backup',
            engine: engine.name,
            database: engine.database,
            serverVersion,
            path: res.path,
            remotePath,
            sizeBytes: res.sizeBytes,
            sha256: res.sha256,
            durationMs: Date.now() - started,
            verify: cfg.verify,
            verified: cfg.verify !== 'none',
            verification,
            removed,
            kept: retentionEnabled(policy) ? plan.keep : [],
            ranIn: ranIn(tools),
            retentionDryRun: cfg.retentionDryRun,
            counts: toRecord(counts),
        };
    }
    finally {
        await disposeTools(tools, where);
        (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}
/** Removes the credentials and copies where the tools ran (a container's temp dir; the host's is the caller's). */
async function disposeTools(tools, where) {
    if (tools && tools !== where.host)
        await tools.dispose();
}
/** Restores `restore-from` into the database; `confirm` must equal the database name. */
async function runRestore(cfg, where, ctx) {
    const started = Date.now();
    const tmp = privateTmp();
    let tools;
    try {
        tools = await toolsTarget(cfg, where, ctx);
        const engine = openEngine(cfg, tools, where, ctx);
        if (cfg.confirm !== engine.database) {
            throw new Error(`input \`confirm\`: restoring replaces the contents of ${engine.database}; set confirm to exactly "${engine.database}" to proceed`);
        }
        let st;
        try {
            st = (0,external_node_fs_.statSync)(cfg.restoreFrom);
        }
        catch {
            throw new errors/* InputError */.d('restore-from', `${cfg.restoreFrom} does not exist`);
        }
        if (!st.isFile())
            throw new errors/* InputError */.d('restore-from', `${cfg.restoreFrom} is not a file`);
        if (isHeldName((0,external_node_path_.basename)(cfg.restoreFrom))) {
            throw new Error(`input \`restore-from\`: ${(0,external_node_path_.basename)(cfg.restoreFrom)} never became a backup (a run was stopped while writing or verifying it); restore a backup without the .partial/.unverified suffix, or copy this one to such a name if you accept it unverified`);
        }
        await engine.prepare();
        const serverVersion = await engine.serverVersion();
        const sha256 = await (0,target_sha256/* sha256File */.Q)(cfg.restoreFrom);
        const plain = await plainCopy(where.runner, cfg.restoreFrom, tmp, ctx.signal);
        await engine.list(plain, (0,external_node_path_.basename)(cfg.restoreFrom));
        const counts = await engine.restoreInto(await place(tools, plain, ctx.signal), (0,external_node_path_.basename)(cfg.restoreFrom));
        const rows = [...counts.values()].reduce((a, b) => a + b, 0);
        return {
            mode: 'restore',
            engine: engine.name,
            database: engine.database,
            serverVersion,
            path: cfg.restoreFrom,
            remotePath: '',
            sizeBytes: st.size,
            sha256,
            durationMs: Date.now() - started,
            verify: 'restore',
            verified: true,
            verification: `restored ${cfg.restoreFrom} into ${engine.database}: ${counts.size} tables, ${rows} rows`,
            removed: [],
            kept: [],
            ranIn: ranIn(tools),
            retentionDryRun: false,
            counts: toRecord(counts),
        };
    }
    finally {
        await disposeTools(tools, where);
        (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}
/** Files in `dir` (for tests and the summary). */
function listDir(dir) {
    return readdirSync(dir).sort();
}

;// CONCATENATED MODULE: ./src/core/compose-deploy/db.ts




/**
 * backup-db's core, pointed at the compose project's database service: the dump runs inside the service
 * (`compose exec -T`, so the client matches the server), streams to the runner, is checksummed, fsynced and
 * verified, and is kept on the host under `<path>/.deploy-kit/backups/` (for run-on ssh, a copy checked by
 * sha256 on both sides). Retention (keep-backups) applies where the file is written on the runner side.
 */
class DatabaseBackups {
    cfg;
    runner;
    ctx;
    /** The runner's copies (a dump holds the data): recorded for the post step, which removes it after a kill. */
    work = (0,cleanup_state/* makeRecordedTempDir */.eA)('composedeploy');
    constructor(cfg, runner, ctx) {
        this.cfg = cfg;
        this.runner = runner;
        this.ctx = ctx;
    }
    backupConfig(host, composeFiles, outputDir, remoteDir) {
        const c = this.cfg;
        return {
            engine: c.backup,
            runOn: host.kind === 'ssh' ? 'ssh' : 'local',
            databaseUrl: c.databaseUrl,
            database: c.database,
            outputDir,
            remoteDir,
            compression: 'gzip',
            keep: c.keepBackups,
            keepDaily: 0,
            keepWeekly: 0,
            keepMonthly: 0,
            retentionDryRun: false,
            verify: c.backupVerify,
            mode: 'backup',
            restoreFrom: '',
            confirm: '',
            minSizeBytes: 64,
            timeoutMs: c.timeoutMs,
            composeService: c.backupService,
            composeFiles,
            composeProject: c.projectName,
            dockerHost: c.dockerHost,
        };
    }
    /** Backs up the database of `host` into `backupsDir` (on the host). */
    async backup(host, composeFiles, backupsDir) {
        const local = host.kind === 'runner';
        const outputDir = local ? backupsDir : (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)(this.work, 'host-'));
        const r = await runBackup(this.backupConfig(host, composeFiles, outputDir, local ? '' : backupsDir), { host, runner: this.runner }, this.ctx);
        return {
            path: local ? r.path : r.remotePath || external_node_path_.posix.join(backupsDir, external_node_path_.posix.basename(r.path)),
            localPath: r.path,
            sizeBytes: r.sizeBytes,
            sha256: r.sha256,
            verification: r.verification,
        };
    }
    /** Restores `b` into the live database of `host`; returns backup-db's account of it. */
    async restore(host, composeFiles, b) {
        const cfg = {
            ...this.backupConfig(host, composeFiles, this.work, ''),
            mode: 'restore',
            restoreFrom: b.localPath,
            confirm: this.cfg.database,
            keep: 0,
        };
        const r = await runRestore(cfg, { host, runner: this.runner }, this.ctx);
        if (r.sha256 !== b.sha256)
            throw new Error(`the backup ${b.localPath} changed since it was taken (sha256 ${r.sha256}, was ${b.sha256})`);
        return r.verification;
    }
    dispose() {
        (0,external_node_fs_.rmSync)(this.work, { recursive: true, force: true });
    }
}

;// CONCATENATED MODULE: ./src/core/compose-deploy/env-target.ts
/**
 * `t` with `env` added to every command it runs (e.g. DOCKER_HOST for a rootless engine): env travels as the
 * target carries env (a child's environment on the runner, stdin over SSH), never in argv. Everything else
 * (temp dir, secret files, transfers, dispose) is the target's own.
 */
function withEnv(t, env) {
    if (Object.keys(env).length === 0)
        return t;
    return new Proxy(t, {
        get(obj, prop) {
            if (prop === 'run')
                return (cmd, opts) => obj.run({ ...cmd, env: { ...env, ...cmd.env } }, opts);
            const v = Reflect.get(obj, prop, obj);
            return typeof v === 'function' ? v.bind(obj) : v;
        },
    });
}

// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __nccwpck_require__(8815);
;// CONCATENATED MODULE: ./src/core/compose-deploy/plan.ts

function publishedPorts(ports) {
    if (!Array.isArray(ports))
        return [];
    const out = [];
    for (const p of ports) {
        if (typeof p === 'string' || typeof p === 'number') {
            // v1 prints "[ip:]published:target[/proto]"; a bare "target" publishes on a random port (no clash).
            const parts = String(p)
                .replace(/\/\w+$/, '')
                .split(':');
            if (parts.length >= 2 && parts[parts.length - 2] !== '')
                out.push(String(p));
        }
        else if (p && typeof p === 'object') {
            const o = p;
            if (o.published !== undefined && o.published !== '' && o.published !== null)
                out.push(`${o.host_ip ?? ''}${o.host_ip ? ':' : ''}${String(o.published)}:${String(o.target)}`);
        }
    }
    return out;
}
/** Parses `compose config` output (v1 and v2 shapes). */
function parseComposeConfig(text) {
    const doc = (0,dist/* parse */.qg)(text);
    const services = {};
    for (const [name, s] of Object.entries(doc?.services ?? {})) {
        const hc = s.healthcheck;
        const test = hc?.test;
        const disabled = !hc || hc.disable === true || (Array.isArray(test) && test[0] === 'NONE');
        services[name] = {
            name,
            image: typeof s.image === 'string' ? s.image : '',
            hasHealthcheck: !disabled,
            ...(typeof s.container_name === 'string' ? { containerName: s.container_name } : {}),
            fixedPorts: publishedPorts(s.ports),
        };
    }
    return { services };
}
/**
 * The services to update: those named, or every service whose image is the deployed image (the compose file
 * says `image: ${APP_IMAGE}`). Throws, naming the fix, when a start-first swap is impossible.
 */
function planServices(info, image, named, strategy, variable) {
    const all = Object.values(info.services);
    let chosen;
    if (named.length) {
        chosen = named.map((n) => {
            const s = info.services[n];
            if (!s)
                throw new Error(`input \`services\`: the compose project has no service "${n}" (it has ${Object.keys(info.services).join(', ')})`);
            return s;
        });
    }
    else {
        chosen = all.filter((s) => s.image === image);
        if (chosen.length === 0)
            throw new Error(`no service of the compose project uses the image variable: set \`image: \${${variable}}\` on the app's services in the compose file (or name them in \`services\`)`);
    }
    const notUsing = chosen.filter((s) => s.image !== image);
    if (notUsing.length)
        throw new Error(`service ${notUsing.map((s) => s.name).join(', ')} does not take its image from \${${variable}} (it has "${notUsing[0].image}"); set \`image: \${${variable}}\` in the compose file`);
    if (strategy === 'rolling') {
        for (const s of chosen) {
            if (s.containerName)
                throw new Error(`service ${s.name} sets container_name "${s.containerName}": a second container cannot start beside it, so a zero-downtime swap is impossible. Remove container_name (reach it by service name), or set strategy: recreate (a gap in service)`);
            if (s.fixedPorts.length)
                throw new Error(`service ${s.name} publishes fixed host port(s) ${s.fixedPorts.join(', ')}: a second container cannot bind them, so a zero-downtime swap is impossible. Publish the proxy's ports instead and let it reach ${s.name} by service name (proxy-service), or set strategy: recreate (a gap in service)`);
        }
    }
    return chosen;
}

;// CONCATENATED MODULE: ./src/core/compose-deploy/swap.ts




/** The swap could not complete on this host; `changed` says whether anything that serves was touched. */
class SwapError extends Error {
    changed;
    constructor(message, changed) {
        super(message);
        this.changed = changed;
        this.name = 'SwapError';
    }
}
const swap_short = (id) => id.slice(0, 12);
async function ids(exec, project, service, ctx, all = false) {
    const r = await (0,types/* runChecked */.X4)(exec, containersCommand(project, service, all), {
        timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
        signal: ctx.signal,
    });
    return r.stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean);
}
async function inspect(exec, list, ctx) {
    if (list.length === 0)
        return [];
    const r = await (0,types/* runChecked */.X4)(exec, inspectCommand(list), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
    return parseInspect(r.stdout);
}
/**
 * Waits until every container is healthy: its Docker healthcheck says `healthy`, or (no healthcheck) the
 * probe command exits 0 inside it. Fails at once when one exits or turns unhealthy; bounded by `timeoutMs`.
 */
async function waitHealthy(exec, list, s, ctx) {
    const deadline = Date.now() + s.healthyTimeoutMs;
    const pending = new Set(list);
    for (let round = 0;; round++) {
        for (const c of await inspect(exec, [...pending], ctx)) {
            if (c.status === 'exited' || c.status === 'dead')
                throw new Error(`new container ${c.name.replace(/^\//, '')} exited (code ${c.exitCode}) before it was healthy${await tail(exec, c.id)}`);
            if (c.health === 'unhealthy')
                throw new Error(`new container ${c.name.replace(/^\//, '')} is unhealthy (its Docker healthcheck failed)${await tail(exec, c.id)}`);
            if (c.health === 'healthy')
                pending.delete(c.id);
            else if (c.health === '' && c.status === 'running') {
                if (s.probeCommand.length === 0)
                    throw new Error(`new container ${c.name.replace(/^\//, '')} has no Docker healthcheck and no probe-command is set: nothing can tell that it is ready. Add a healthcheck to the service (compose file or image), or set probe-command`);
                const r = await exec.run(probeCommand(c.id, s.probeCommand), { timeoutMs: 30_000, signal: ctx.signal });
                if ((0,types/* succeeded */.gq)(r))
                    pending.delete(c.id);
            }
        }
        if (pending.size === 0)
            return;
        if (ctx.signal.aborted)
            throw new Error('cancelled while waiting for the new containers');
        if (Date.now() > deadline) {
            const last = [...pending][0];
            throw new Error(`new container ${swap_short(last)} was not healthy within healthy-timeout (${Math.round(s.healthyTimeoutMs / 1000)} s)${await tail(exec, last)}`);
        }
        await (0,retry/* sleep */.yy)(Math.min(500 + round * 100, 1000), ctx.signal).catch(() => undefined);
    }
}
async function tail(exec, id) {
    const r = await exec.run(logsCommand(id), { timeoutMs: 30_000 });
    const text = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    return text ? `; its last log lines:\n${text}` : '';
}
async function reloadProxies(exec, s, ctx) {
    if (!s.proxyService)
        return 0;
    const proxies = await ids(exec, s.projectName, s.proxyService, ctx);
    if (proxies.length === 0) {
        ctx.warn(`proxy service ${s.proxyService} has no running container: nothing was reloaded`, 'compose-deploy');
        return 0;
    }
    for (const p of proxies)
        await (0,types/* runChecked */.X4)(exec, proxyReloadCommand(p, s.proxyReload), {
            timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
            signal: ctx.signal,
        });
    return proxies.length;
}
/** Removes containers (stopping them first, draining up to drain-timeout); reports but does not throw. */
async function discard(exec, list, s, ctx) {
    if (list.length === 0)
        return;
    const stop = await exec.run(stopCommand(list, Math.ceil(s.drainTimeoutMs / 1000)), {
        timeoutMs: s.drainTimeoutMs + timeouts/* TIMEOUTS */.f.housekeepingMs,
    });
    if (!(0,types/* succeeded */.gq)(stop))
        ctx.warn((0,types/* describeFailure */.Ic)('docker stop', exec.target, stop), 'compose-deploy');
    const rm = await exec.run(removeCommand(list), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
    if (!(0,types/* succeeded */.gq)(rm))
        ctx.warn((0,types/* describeFailure */.Ic)('docker rm', exec.target, rm), 'compose-deploy');
}
/**
 * Puts `image` in service `svc` on this host.
 *
 * rolling (start-first): one new container per old one starts beside them (`up --no-recreate --scale`); when
 * every new one is healthy the proxy is reloaded (it now reaches old and new), the old ones get SIGTERM and
 * up to drain-timeout to finish their requests, the proxy is reloaded again (new only), the old ones are
 * removed. A new container that does not become healthy is removed and the old ones keep serving.
 *
 * recreate: `up --force-recreate` (stop, then start: a gap in service), then the same health wait.
 */
async function swapService(exec, project, svc, image, s, ctx) {
    const started = Date.now();
    const report = {
        service: svc.name,
        strategy: s.strategy,
        old: [],
        new: [],
        healthyMs: 0,
        drainMs: 0,
        totalMs: 0,
        proxyReloads: 0,
    };
    const upOpts = { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs * 5, signal: ctx.signal };
    const old = await ids(exec, s.projectName, svc.name, ctx);
    report.old = old;
    // Stopped leftovers of the service would be restarted by --scale instead of new containers: remove them.
    const leftovers = (await ids(exec, s.projectName, svc.name, ctx, true)).filter((i) => !old.includes(i));
    if (leftovers.length) {
        ctx.log(`removing ${leftovers.length} stopped container(s) of ${svc.name} left from before`);
        await (0,types/* runChecked */.X4)(exec, removeCommand(leftovers), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
    }
    if (s.strategy === 'recreate' || old.length === 0) {
        ctx.log(old.length ? `recreating ${svc.name} (strategy: recreate)` : `starting ${svc.name} (no container ran)`);
        await (0,types/* runChecked */.X4)(exec, old.length
            ? recreateCommand(project, [svc.name], image)
            : compose(project, ['up', '-d', '--no-deps', '--no-build', svc.name], image), upOpts).catch((e) => {
            throw new SwapError(e.message, true);
        });
        report.new = await ids(exec, s.projectName, svc.name, ctx, true);
        try {
            await waitHealthy(exec, report.new, s, ctx);
        }
        catch (e) {
            throw new SwapError(e.message, true);
        }
        report.healthyMs = Date.now() - started;
        report.proxyReloads += await reloadProxies(exec, s, ctx);
        report.totalMs = Date.now() - started;
        return report;
    }
    ctx.log(`starting ${old.length} new ${svc.name} container(s) beside ${old.map(swap_short).join(', ')}`);
    const up = await exec.run(scaleUpCommand(project, svc.name, old.length * 2, image), upOpts);
    const now = await ids(exec, s.projectName, svc.name, ctx, true);
    report.new = now.filter((i) => !old.includes(i));
    if (!(0,types/* succeeded */.gq)(up) || report.new.length === 0) {
        await discard(exec, report.new, s, ctx);
        throw new SwapError(`${(0,types/* describeFailure */.Ic)('compose up --scale', exec.target, up)}${report.new.length === 0 && (0,types/* succeeded */.gq)(up) ? ' (no new container appeared)' : ''}; the old containers keep serving`, false);
    }
    try {
        await waitHealthy(exec, report.new, s, ctx);
    }
    catch (e) {
        ctx.log(`removing the new container(s) ${report.new.map(swap_short).join(', ')}; the old ones keep serving`);
        await discard(exec, report.new, { ...s, drainTimeoutMs: 0 }, ctx);
        throw new SwapError(`${e.message}\nNothing changed: the old containers keep serving.`, false);
    }
    report.healthyMs = Date.now() - started;
    ctx.log(`new ${svc.name} healthy after ${report.healthyMs} ms: ${report.new.map(swap_short).join(', ')}`);
    // The proxy now reaches old and new; then the old drain (SIGTERM: finish in-flight, accept nothing new).
    const reloaded = await reloadProxies(exec, s, ctx);
    report.proxyReloads += reloaded;
    // `nginx -s reload` returns when the signal is sent: the old workers (which know only the old containers)
    // take requests until the new ones run. Give the proxy that time before the old containers stop.
    if (reloaded > 0 && s.proxySettleMs > 0)
        await (0,retry/* sleep */.yy)(s.proxySettleMs, ctx.signal).catch(() => undefined);
    const drainStarted = Date.now();
    const stop = await exec.run(stopCommand(old, Math.ceil(s.drainTimeoutMs / 1000)), {
        timeoutMs: s.drainTimeoutMs + timeouts/* TIMEOUTS */.f.housekeepingMs,
        signal: ctx.signal,
    });
    report.drainMs = Date.now() - drainStarted;
    // Whatever the stop said, the proxy must stop sending to the old ones.
    report.proxyReloads += await reloadProxies(exec, s, ctx);
    if (!(0,types/* succeeded */.gq)(stop))
        throw new SwapError((0,types/* describeFailure */.Ic)('docker stop (old containers)', exec.target, stop), true);
    await (0,types/* runChecked */.X4)(exec, removeCommand(old), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
    report.totalMs = Date.now() - started;
    ctx.log(`${svc.name}: old container(s) drained in ${report.drainMs} ms and removed; swap took ${report.totalMs} ms`);
    return report;
}

;// CONCATENATED MODULE: ./src/core/compose-deploy/run.ts












const housekeeping = (ctx) => ({ timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
/** The image the running containers of `service` were created from, pinned (digest or image id); '' when none runs. */
async function runningImage(exec, projectName, service, ctx) {
    const ids = (await (0,types/* runChecked */.X4)(exec, containersCommand(projectName, service), housekeeping(ctx))).stdout
        .split('\n')
        .filter(Boolean);
    if (ids.length === 0)
        return '';
    const [c] = parseInspect((await (0,types/* runChecked */.X4)(exec, inspectCommand(ids.slice(0, 1)), housekeeping(ctx))).stdout);
    if (!c)
        return '';
    if (/@sha256:[0-9a-f]{64}$/.test(c.configImage))
        return c.configImage;
    const r = await exec.run(imageInspectCommand(c.image), housekeeping(ctx));
    return (0,types/* succeeded */.gq)(r) ? pinnedRef(c.configImage, r.stdout) : c.image;
}
/** Pulls (per pull policy) and pins `image` on one host: `name@sha256:…` when the registry digest is known, else the image id. */
async function resolveImage(exec, image, cfg, ctx) {
    const pullOpts = { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs * 10, idleTimeoutMs: cfg.idleTimeoutMs, signal: ctx.signal };
    let inspected = await exec.run(imageInspectCommand(image), housekeeping(ctx));
    // An image id cannot be pulled; a digest names immutable content: pulled only when missing.
    const pinned = /^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image);
    const pull = pinned ? (cfg.pull === 'never' || /^sha256:/.test(image) ? 'never' : 'missing') : cfg.pull;
    if (pull === 'always' || (pull === 'missing' && !(0,types/* succeeded */.gq)(inspected))) {
        ctx.log(`${exec.target}: pulling ${image}`);
        const pulled = await exec.run(pullCommand(image), pullOpts);
        if (!(0,types/* succeeded */.gq)(pulled)) {
            throw new Error(`${exec.target}: pulling ${image} failed (nothing was changed): ${(pulled.stderr || pulled.stdout).trim().split('\n').slice(-3).join(' ')}. Check the image name and tag, and that the host is logged in to the registry (docker login)${cfg.pull === 'always' ? '; for an image built on the host only, set pull: missing' : ''}`);
        }
        inspected = await exec.run(imageInspectCommand(image), housekeeping(ctx));
    }
    if (!(0,types/* succeeded */.gq)(inspected))
        throw new Error(`${exec.target}: image ${image} is not on the host (pull: ${pull}); nothing was changed`);
    return pinnedRef(image, inspected.stdout);
}
function swapSettings(cfg) {
    return {
        projectName: cfg.projectName,
        strategy: cfg.strategy,
        proxyService: cfg.proxyService,
        proxyReload: cfg.proxyReload,
        probeCommand: cfg.probeCommand,
        healthyTimeoutMs: cfg.healthyTimeoutMs,
        drainTimeoutMs: cfg.drainTimeoutMs,
        proxySettleMs: cfg.proxySettleMs,
    };
}
function emptyReport(cfg) {
    return {
        status: 'failed',
        mode: cfg.rollback ? 'rollback' : 'deploy',
        releaseId: cfg.releaseId,
        previousReleaseId: '',
        image: '',
        previousImage: '',
        backupPath: '',
        migrations: { framework: cfg.preset, applied: [], before: [], after: [] },
        rolledBack: false,
        restoredDb: false,
        hosts: [],
        durationMs: 0,
        phases: {},
        warnings: [],
    };
}
function run_event(cfg, e) {
    return { ...e, at: new Date().toISOString(), ...(cfg.runUrl ? { run: cfg.runUrl } : {}), by: 'compose-deploy' };
}
/**
 * Updates a Compose app on every host: lock → pin the image → (backup) → release phase in the live project
 * with the new image → start-first swap of each service, proxy reloads → persist the image in `.env` and
 * record the release → health gate → on a failed gate, switch every host back (and restore the database when
 * asked). `rollback` goes back to a recorded release instead. The lock is released in every case.
 */
async function runComposeDeploy(cfg, targets, runner, ctx) {
    const started = Date.now();
    if (cfg.dockerHost)
        targets = targets.map((t) => withEnv(t, { DOCKER_HOST: cfg.dockerHost }));
    const report = emptyReport(cfg);
    const locks = [];
    const hosts = [];
    // The forward path is bounded by `timeout`; switching back is not tied to it (only to the job's signal).
    const forward = { ...ctx, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(cfg.timeoutMs)]) };
    const settings = swapSettings(cfg);
    let history = [];
    let existing = new Set();
    const db = cfg.backup !== 'none' && !cfg.rollback ? new DatabaseBackups(cfg, runner, ctx) : undefined;
    let mark = Date.now();
    const phase = (name) => {
        const now = Date.now();
        report.phases[name] = (report.phases[name] ?? 0) + now - mark;
        mark = now;
    };
    try {
        for (const exec of targets) {
            await (0,types/* runChecked */.X4)(exec, hostStep('check-dir', cfg.path), housekeeping(ctx)).catch(() => {
                throw new Error(`${exec.target}: the compose project directory ${cfg.path} does not exist (input \`path\`)`);
            });
            locks.push(await acquireLock(exec, cfg.path, {
                owner: cfg.owner,
                timeoutMs: cfg.lockTimeoutMs,
                ttlMs: cfg.lockTtlMs,
                signal: ctx.signal,
                onWait: (by, age) => ctx.log(`${exec.target}: waiting for the deploy lock held by ${by} (${age} s)`),
            }));
        }
        phase('lock');
        // Where things stand on each host.
        for (const exec of targets) {
            const flavor = await detectCompose(exec, ctx.signal);
            const project = projectOf(flavor, cfg.path, cfg.composeFiles, cfg.projectName, cfg.imageVariable);
            const envImage = (await (0,types/* runChecked */.X4)(exec, hostStep('get-env', cfg.path, cfg.imageVariable), housekeeping(ctx))).stdout.trim();
            const files = cfg.composeFiles.length
                ? cfg.composeFiles.map((f) => (f.startsWith('/') ? f : `${cfg.path}/${f}`))
                : [(await (0,types/* runChecked */.X4)(exec, hostStep('default-file', cfg.path), housekeeping(ctx))).stdout.trim()];
            hosts.push({
                exec,
                files,
                project,
                services: [],
                previousPinned: '',
                switched: false,
                report: {
                    host: exec.target,
                    previousImage: envImage,
                    image: '',
                    services: [],
                    migrations: [],
                    swaps: [],
                    reverted: [],
                    rolledBack: false,
                },
            });
        }
        report.hosts = hosts.map((h) => h.report);
        const first = hosts[0];
        history = parseHistory((await (0,types/* runChecked */.X4)(first.exec, hostStep('history', cfg.path), housekeeping(ctx))).stdout);
        existing = new Set((await (0,types/* runChecked */.X4)(first.exec, hostStep('images', cfg.path), housekeeping(ctx))).stdout
            .split('\n')
            .filter(Boolean));
        const activations = history.filter((e) => e.event === 'activate');
        report.previousReleaseId = activations.at(-1)?.id ?? '';
        // What goes live: a new image, or a recorded release.
        let wanted;
        if (cfg.rollback) {
            const target = cfg.rollback === 'previous'
                ? rollbackTarget({ history, current: report.previousReleaseId, existing })
                : cfg.rollback;
            if (!target)
                throw new Error(`rollback: no earlier good release of ${cfg.projectName} is recorded on ${first.exec.target} (current: ${report.previousReleaseId || 'none'}); nothing was changed`);
            if (!existing.has(target))
                throw new Error(`rollback: release ${target} is not recorded on ${first.exec.target} (${cfg.path}/.deploy-kit/images/); nothing was changed`);
            if (target === report.previousReleaseId)
                throw new Error(`rollback: release ${target} is already live; nothing was changed`);
            report.releaseId = target;
            wanted = (await (0,types/* runChecked */.X4)(first.exec, hostStep('get-image', cfg.path, target), housekeeping(ctx))).stdout.trim();
            ctx.log(`rolling back to release ${target} (${wanted})`);
        }
        else if (cfg.build) {
            // Built on each host, tagged with the release id (so it stays on the host and can be rolled back to).
            wanted = `${cfg.projectName}-deploy-kit:${cfg.releaseId}`;
        }
        else {
            wanted = cfg.image;
        }
        for (const h of hosts) {
            if (cfg.build)
                await buildOnHost(cfg, h, wanted, forward);
            h.report.image = await resolveImage(h.exec, wanted, cfg.build ? { ...cfg, pull: 'never' } : cfg, forward);
            if (h.report.image !== hosts[0].report.image)
                throw new Error(`${h.exec.target} resolves ${wanted} to ${h.report.image}, ${hosts[0].exec.target} to ${hosts[0].report.image}: the hosts would run different images; nothing was changed`);
            const conf = await (0,types/* runChecked */.X4)(h.exec, configCommand(h.project, h.report.image), housekeeping(forward));
            const info = parseComposeConfig(conf.stdout);
            h.services = planServices(info, h.report.image, cfg.services, cfg.strategy, cfg.imageVariable);
            h.report.services = h.services.map((s) => s.name);
            if (cfg.proxyService && !info.services[cfg.proxyService])
                throw new Error(`input \`proxy-service\`: the compose project has no service "${cfg.proxyService}"`);
            h.previousPinned = await runningImage(h.exec, cfg.projectName, h.services[0].name, forward);
            h.report.previousImage = h.previousPinned || h.report.previousImage;
        }
        report.image = first.report.image;
        report.previousImage = first.report.previousImage;
        if (!cfg.proxyService)
            report.warnings.push('no proxy-service is set: nothing tells the proxy about the new containers (fine only when it resolves the service name per request)');
        // A host with no history yet: record what is live now, so that a later rollback can go back to it.
        if (!cfg.rollback && activations.length === 0 && first.previousPinned) {
            const seed = `before-${cfg.releaseId}`;
            for (const h of hosts) {
                await (0,types/* runChecked */.X4)(h.exec, hostStep('set-image', cfg.path, seed, h.previousPinned), housekeeping(ctx));
                await (0,types/* runChecked */.X4)(h.exec, appendHistoryCommand(cfg.path, [run_event(cfg, { event: 'activate', id: seed, how: 'seed' })]), housekeeping(ctx));
            }
            report.previousReleaseId = seed;
        }
        phase('prepare');
        if (!cfg.rollback) {
            // Backup, then the release phase: both before any long-running container changes.
            if (cfg.backup !== 'none') {
                for (const h of hosts) {
                    const dir = (await (0,types/* runChecked */.X4)(h.exec, hostStep('backups', cfg.path), housekeeping(ctx))).stdout.trim();
                    h.report.backup = await db.backup(h.exec, h.files, dir);
                    ctx.log(`${h.exec.target}: backup ${h.report.backup.path} (${h.report.backup.sizeBytes} bytes, sha256 ${h.report.backup.sha256})`);
                }
                report.backupPath = first.report.backup?.path ?? '';
                phase('backup');
            }
            if (cfg.preset !== 'none' || cfg.commands.length > 0) {
                for (const h of hosts) {
                    const rel = await runRelease(cfg, h, forward);
                    if (h === first) {
                        report.release = rel;
                        report.migrations = rel.migrations;
                    }
                    h.report.migrations = rel.migrations.applied;
                    if (rel.status !== 'succeeded') {
                        await markBad(cfg, hosts, `release phase failed on ${h.exec.target}`, ctx);
                        throw new Error(`release phase failed on ${h.exec.target}: ${rel.error ?? 'unknown error'}\nNothing that serves traffic was changed: the old containers keep serving, ${cfg.imageVariable} in .env is unchanged.`);
                    }
                }
                phase('release');
            }
        }
        // The swap, host by host.
        for (const h of hosts) {
            try {
                for (const svc of h.services) {
                    h.switched = true;
                    h.report.swaps.push(await swapService(h.exec, h.project, svc, h.report.image, settings, forward));
                }
            }
            catch (e) {
                const unchanged = e instanceof SwapError && !e.changed && h.report.swaps.length === 0;
                if (unchanged)
                    h.switched = false;
                h.report.error = e.message;
                await revertAll(cfg, hosts, settings, ctx, report);
                await markBad(cfg, hosts, `swap failed on ${h.exec.target}`, ctx);
                report.status = hosts.some((x) => x.report.rolledBack) ? 'rolled-back' : 'failed';
                report.rolledBack = report.status === 'rolled-back';
                throw new Error(`${h.exec.target}: ${e.message}${report.rolledBack ? '\nThe hosts switched before were switched back.' : ''}`);
            }
            await persist(cfg, h, report.releaseId, h.report.image, report.previousReleaseId, cfg.rollback ? 'rollback' : 'deploy', ctx);
        }
        phase('swap');
        if (cfg.health) {
            ctx.log(`health gate: ${cfg.health.urls.join(', ')}`);
            report.health = await runHealthGate(cfg.health, ctx.gateEvents, ctx.signal);
            phase('gate');
            if (!report.health.healthy) {
                const why = report.health.failures.join('; ');
                ctx.log(`health gate failed: ${why}; switching every host back to ${report.previousImage || 'the previous image'}`);
                await revertAll(cfg, hosts, settings, ctx, report);
                phase('revert');
                await markBad(cfg, hosts, `health gate failed: ${why}`.slice(0, 400), ctx, report.releaseId);
                report.rolledBack = hosts.some((h) => h.report.rolledBack);
                if (cfg.restoreDbOnRollback && report.migrations.applied.length > 0 && db) {
                    for (const h of hosts) {
                        if (!h.report.backup)
                            continue;
                        h.report.restored = await db.restore(h.exec, h.files, h.report.backup);
                        ctx.log(`${h.exec.target}: database restored from ${h.report.backup.path}: ${h.report.restored}`);
                    }
                    report.restoredDb = hosts.some((h) => h.report.restored);
                }
                else if (cfg.restoreDbOnRollback) {
                    ctx.log('restore-db-on-rollback: the release phase applied no migration, so the database was left as it is');
                }
                report.status = report.rolledBack ? 'rolled-back' : 'failed';
                throw new Error(`health gate failed: ${why}${report.rolledBack ? `\nRolled back to ${report.previousImage}.` : ''}`);
            }
        }
        report.status = 'ok';
    }
    catch (e) {
        report.error = e.message;
        if (report.status === 'ok')
            report.status = 'failed';
    }
    finally {
        for (const l of locks)
            await l.release().catch(() => undefined);
        db?.dispose();
        report.durationMs = Date.now() - started;
    }
    return report;
}
/** `compose build` of the services that take the image variable, on the host, tagged `wanted`; changes nothing that runs. */
async function buildOnHost(cfg, h, wanted, ctx) {
    const conf = await (0,types/* runChecked */.X4)(h.exec, configCommand(h.project, wanted), housekeeping(ctx));
    const services = planServices(parseComposeConfig(conf.stdout), wanted, cfg.services, cfg.strategy, cfg.imageVariable);
    ctx.log(`${h.exec.target}: building ${services.map((x) => x.name).join(', ')} as ${wanted}`);
    const r = await h.exec.run(compose(h.project, ['build', ...services.map((x) => x.name)], wanted, 'compose build'), {
        timeoutMs: cfg.timeoutMs,
        idleTimeoutMs: cfg.idleTimeoutMs,
        signal: ctx.signal,
        onStdout: (c) => ctx.log(c.toString().trimEnd()),
        onStderr: (c) => ctx.log(c.toString().trimEnd()),
    });
    if (!(0,types/* succeeded */.gq)(r))
        throw new Error(`${(0,types/* describeFailure */.Ic)('compose build', h.exec.target, r)}\nNothing that serves traffic was changed.`);
}
async function runRelease(cfg, h, ctx) {
    const service = cfg.releaseService ?? h.services[0].name;
    ctx.log(`${h.exec.target}: release phase in a one-off ${service} container of ${h.report.image} (project ${cfg.projectName})`);
    return runReleasePhase(h.exec, {
        runOn: 'ssh',
        workingDirectory: cfg.path,
        preset: cfg.preset,
        commands: cfg.commands,
        // The project name and the new image for `compose run` (env beats .env): the live project, its network,
        // its database, the new code. Names only cross into the container; values travel as env.
        env: { COMPOSE_PROJECT_NAME: cfg.projectName, [cfg.imageVariable]: h.report.image },
        python: cfg.python,
        superuser: false,
        composeService: service,
        composeFiles: cfg.composeFiles,
        timeoutMs: cfg.timeoutMs,
        idleTimeoutMs: cfg.idleTimeoutMs,
        lockTimeoutMs: cfg.lockTimeoutMs,
        owner: cfg.owner,
    }, ctx);
}
async function persist(cfg, h, releaseId, image, from, how, ctx) {
    const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs }; // not under the signal: the record must match what runs
    await (0,types/* runChecked */.X4)(h.exec, hostStep('set-env', cfg.path, cfg.imageVariable, image), opts);
    await (0,types/* runChecked */.X4)(h.exec, hostStep('set-image', cfg.path, releaseId, image), opts);
    await (0,types/* runChecked */.X4)(h.exec, appendHistoryCommand(cfg.path, [run_event(cfg, { event: 'activate', id: releaseId, how, ...(from ? { from } : {}) })]), opts);
    ctx.log(`${h.exec.target}: ${cfg.imageVariable}=${image} in ${cfg.path}/.env; release ${releaseId} recorded`);
}
async function markBad(cfg, hosts, reason, ctx, id = cfg.releaseId) {
    for (const h of hosts) {
        const r = await h.exec.run(markBadCommand(cfg.path, {
            id,
            reason,
            at: new Date().toISOString(),
            ...(cfg.runUrl ? { run: cfg.runUrl } : {}),
        }), {
            timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
        });
        if (!(0,types/* succeeded */.gq)(r))
            ctx.warn(`${h.exec.target}: could not mark release ${id} bad`, 'compose-deploy');
    }
}
/** Switches every host that was changed back to the image it ran before, and records it. */
async function revertAll(cfg, hosts, settings, ctx, report) {
    for (const h of hosts) {
        if (!h.switched)
            continue;
        if (!h.previousPinned) {
            h.report.error = `${h.report.error ? `${h.report.error}; ` : ''}nothing ran before this deploy: nothing to switch back to`;
            continue;
        }
        try {
            for (const svc of h.services)
                h.report.reverted.push(await swapService(h.exec, h.project, svc, h.previousPinned, settings, ctx));
            await persist(cfg, h, report.previousReleaseId || `before-${cfg.releaseId}`, h.previousPinned, report.releaseId, 'revert', ctx);
            h.report.rolledBack = true;
        }
        catch (e) {
            h.report.error = `${h.report.error ? `${h.report.error}; ` : ''}switching back failed: ${e.message}`;
            ctx.warn(`${h.exec.target}: switching back to ${h.previousPinned} failed: ${e.message}`, 'compose-deploy');
        }
    }
}


/***/ }),

/***/ 1976:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   C: () => (/* binding */ composeDeploySummary),
/* harmony export */   a: () => (/* binding */ hostsJson)
/* harmony export */ });
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1119);

const short = (image) => image
    .replace(/@sha256:([0-9a-f]{12})[0-9a-f]+$/, '@sha256:$1…')
    .replace(/^sha256:([0-9a-f]{12})[0-9a-f]+$/, 'sha256:$1…');
/** The `hosts` output: one object per host. */
function hostsJson(r) {
    return r.hosts.map((h) => ({
        host: h.host,
        previousImage: h.previousImage,
        image: h.image,
        services: h.services,
        backup: h.backup ? { path: h.backup.path, sizeBytes: h.backup.sizeBytes, sha256: h.backup.sha256 } : null,
        migrations: h.migrations,
        swaps: h.swaps.map((s) => ({
            service: s.service,
            strategy: s.strategy,
            healthyMs: s.healthyMs,
            drainMs: s.drainMs,
            totalMs: s.totalMs,
        })),
        rolledBack: h.rolledBack,
        restored: h.restored ?? null,
        error: h.error ?? null,
    }));
}
/** Job summary: per host previous → new image, backup, migrations, swap timings, gate, rollback. */
function composeDeploySummary(r) {
    const icon = r.status === 'ok' ? '✅' : r.status === 'rolled-back' ? '↩️' : '❌';
    const parts = [
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .heading */ .R_)(`${icon} compose-deploy ${r.mode === 'rollback' ? 'rollback to' : 'release'} ${r.releaseId}: ${r.status}`),
        (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_0__/* .markdownTable */ .Qj)(['host', 'previous → new image', 'backup', 'migrations applied', 'swap (healthy / drain / total)', 'rolled back'], r.hosts.map((h) => [
            h.host,
            `${short(h.previousImage) || '—'} → ${short(h.image) || '—'}`,
            h.backup ? `${h.backup.path} (${h.backup.sizeBytes} B, sha256 ${h.backup.sha256.slice(0, 12)}…)` : '—',
            h.migrations.join(', ') || '—',
            h.swaps
                .map((s) => `${s.service} (${s.strategy}): ${s.healthyMs} / ${s.drainMs} / ${s.totalMs} ms`)
                .join('<br>') || '—',
            h.rolledBack ? `yes${h.restored ? `; database restored: ${h.restored}` : ''}` : 'no',
        ])),
    ];
    if (r.health) {
        parts.push(`Health gate: ${r.health.healthy ? 'passed' : 'failed'} after ${r.health.attempts} attempt(s), p50 ${r.health.p50} ms, p95 ${r.health.p95} ms${r.health.failures.length ? ` — ${r.health.failures.join('; ')}` : ''}`);
    }
    if (r.error)
        parts.push(`**Error:** ${r.error.split('\n')[0]}`);
    const phases = Object.entries(r.phases)
        .map(([k, v]) => `${k} ${v} ms`)
        .join(', ');
    parts.push(`Duration: ${r.durationMs} ms${phases ? ` (${phases})` : ''}`);
    return parts.join('\n\n') + '\n';
}


/***/ }),

/***/ 6330:
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

/***/ 2279:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(4679);
// EXTERNAL MODULE: ./src/lib/inputs.ts + 1 modules
var inputs = __nccwpck_require__(1046);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(9858);
// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __nccwpck_require__(310);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
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
            const { notifyFailure } = await __nccwpck_require__.e(/* import() */ 458).then(__nccwpck_require__.bind(__nccwpck_require__, 8458));
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

/***/ 4679:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   LK: () => (/* binding */ SSH_DIR_STATE),
/* harmony export */   eA: () => (/* binding */ makeRecordedTempDir),
/* harmony export */   oq: () => (/* binding */ recordTempPathsWith)
/* harmony export */ });
/* unused harmony exports TEMP_PATHS_STATE, tempRoot, provableTempPath, cleanupRecordedState */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
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

/***/ 7268:
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

/***/ 1168:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  runProcess: () => (/* binding */ runProcess)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(8867);
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

/***/ 5504:
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

/***/ 1046:
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
var errors = __nccwpck_require__(7268);
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

/***/ 9858:
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

/***/ 6975:
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
/* harmony import */ var _summary_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(1119);

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

/***/ 1737:
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

/***/ 1119:
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

/***/ 8304:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ CommandTarget)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _exec_types_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(5504);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8867);
/* harmony import */ var _commands_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(3627);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(1164);





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

/***/ 3627:
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

/***/ 1628:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  d: () => (/* binding */ withTargets)
});

// UNUSED EXPORTS: openTargets

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __nccwpck_require__(6975);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(8867);
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
    const { writeFileSync: write } = await Promise.resolve(/* import() */).then(__nccwpck_require__.t.bind(__nccwpck_require__, 3024, 23));
    const { runProcess } = await Promise.resolve(/* import() */).then(__nccwpck_require__.bind(__nccwpck_require__, 1168));
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

// EXTERNAL MODULE: ./src/lib/inputs.ts + 1 modules
var lib_inputs = __nccwpck_require__(1046);
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
var cleanup_state = __nccwpck_require__(4679);
// EXTERNAL MODULE: ./src/lib/exec/process.ts + 1 modules
var exec_process = __nccwpck_require__(1168);
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

// EXTERNAL MODULE: ./src/lib/target/sha256.ts
var target_sha256 = __nccwpck_require__(618);
// EXTERNAL MODULE: ./src/lib/target/types.ts
var types = __nccwpck_require__(1164);
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
        const sha256 = await (0,target_sha256/* sha256File */.Q)(localFile);
        if (destPath === undefined)
            return { path: (0,external_node_path_.resolve)(localFile), sha256 };
        (0,external_node_fs_.copyFileSync)(localFile, destPath);
        (0,external_node_fs_.chmodSync)(destPath, 0o600);
        const there = await (0,target_sha256/* sha256File */.Q)(destPath);
        if (there !== sha256)
            throw new types/* TransferMismatch */.K(`copy to ${destPath}`, sha256, there);
        return { path: destPath, sha256 };
    }
    async download(path, localFile) {
        const sha256 = await (0,target_sha256/* sha256File */.Q)(path);
        if ((0,external_node_path_.resolve)(path) !== (0,external_node_path_.resolve)(localFile))
            (0,external_node_fs_.copyFileSync)(path, localFile);
        const here = await (0,target_sha256/* sha256File */.Q)(localFile);
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
var exec_types = __nccwpck_require__(5504);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __nccwpck_require__(8304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __nccwpck_require__(3627);
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
            (0,target_sha256/* sha256File */.Q)(localFile),
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
        const here = await (0,target_sha256/* sha256File */.Q)(localFile);
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

/***/ 618:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Q: () => (/* binding */ sha256File)
/* harmony export */ });
/** sha256 of a runner file, streamed (node:crypto and streams load on first use, not at start-up). */
async function sha256File(path) {
    const h = process.getBuiltinModule('node:crypto').createHash('sha256');
    const { pipeline } = process.getBuiltinModule('node:stream/promises');
    await pipeline(process.getBuiltinModule('node:fs').createReadStream(path), h);
    return h.digest('hex');
}


/***/ }),

/***/ 1164:
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

/***/ 8867:
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

/***/ 181:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("buffer");

/***/ }),

/***/ 1421:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:child_process");

/***/ }),

/***/ 7598:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:crypto");

/***/ }),

/***/ 610:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:dns");

/***/ }),

/***/ 8474:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:events");

/***/ }),

/***/ 3024:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 4708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:https");

/***/ }),

/***/ 7030:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:net");

/***/ }),

/***/ 8161:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:os");

/***/ }),

/***/ 6760:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:path");

/***/ }),

/***/ 7075:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream");

/***/ }),

/***/ 1692:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:tls");

/***/ }),

/***/ 3136:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:url");

/***/ }),

/***/ 7975:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:util");

/***/ }),

/***/ 8522:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:zlib");

/***/ }),

/***/ 932:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("process");

/***/ }),

/***/ 7349:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveBlockMap = __nccwpck_require__(7103);
var resolveBlockSeq = __nccwpck_require__(334);
var resolveFlowCollection = __nccwpck_require__(3142);

function resolveCollection(CN, ctx, token, onError, tagName, tag) {
    const coll = token.type === 'block-map'
        ? resolveBlockMap.resolveBlockMap(CN, ctx, token, onError, tag)
        : token.type === 'block-seq'
            ? resolveBlockSeq.resolveBlockSeq(CN, ctx, token, onError, tag)
            : resolveFlowCollection.resolveFlowCollection(CN, ctx, token, onError, tag);
    const Coll = coll.constructor;
    // If we got a tagName matching the class, or the tag name is '!',
    // then use the tagName from the node class used to create it.
    if (tagName === '!' || tagName === Coll.tagName) {
        coll.tag = Coll.tagName;
        return coll;
    }
    if (tagName)
        coll.tag = tagName;
    return coll;
}
function composeCollection(CN, ctx, token, props, onError) {
    const tagToken = props.tag;
    const tagName = !tagToken
        ? null
        : ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg));
    if (token.type === 'block-seq') {
        const { anchor, newlineAfterProp: nl } = props;
        const lastProp = anchor && tagToken
            ? anchor.offset > tagToken.offset
                ? anchor
                : tagToken
            : (anchor ?? tagToken);
        if (lastProp && (!nl || nl.offset < lastProp.offset)) {
            const message = 'Missing newline after block sequence props';
            onError(lastProp, 'MISSING_CHAR', message);
        }
    }
    const expType = token.type === 'block-map'
        ? 'map'
        : token.type === 'block-seq'
            ? 'seq'
            : token.start.source === '{'
                ? 'map'
                : 'seq';
    // shortcut: check if it's a generic YAMLMap or YAMLSeq
    // before jumping into the custom tag logic.
    if (!tagToken ||
        !tagName ||
        tagName === '!' ||
        (tagName === YAMLMap.YAMLMap.tagName && expType === 'map') ||
        (tagName === YAMLSeq.YAMLSeq.tagName && expType === 'seq')) {
        return resolveCollection(CN, ctx, token, onError, tagName);
    }
    let tag = ctx.schema.tags.find(t => t.tag === tagName && t.collection === expType);
    if (!tag) {
        const kt = ctx.schema.knownTags[tagName];
        if (kt?.collection === expType) {
            ctx.schema.tags.push(Object.assign({}, kt, { default: false }));
            tag = kt;
        }
        else {
            if (kt) {
                onError(tagToken, 'BAD_COLLECTION_TYPE', `${kt.tag} used for ${expType} collection, but expects ${kt.collection ?? 'scalar'}`, true);
            }
            else {
                onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, true);
            }
            return resolveCollection(CN, ctx, token, onError, tagName);
        }
    }
    const coll = resolveCollection(CN, ctx, token, onError, tagName, tag);
    const res = tag.resolve?.(coll, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg), ctx.options) ?? coll;
    const node = identity.isNode(res)
        ? res
        : new Scalar.Scalar(res);
    node.range = coll.range;
    node.tag = tagName;
    if (tag?.format)
        node.format = tag.format;
    return node;
}

exports.composeCollection = composeCollection;


/***/ }),

/***/ 3683:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Document = __nccwpck_require__(3021);
var composeNode = __nccwpck_require__(5937);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);

function composeDoc(options, directives, { offset, start, value, end }, onError) {
    const opts = Object.assign({ _directives: directives }, options);
    const doc = new Document.Document(undefined, opts);
    const ctx = {
        atKey: false,
        atRoot: true,
        directives: doc.directives,
        options: doc.options,
        schema: doc.schema
    };
    const props = resolveProps.resolveProps(start, {
        indicator: 'doc-start',
        next: value ?? end?.[0],
        offset,
        onError,
        parentIndent: 0,
        startOnNewline: true
    });
    if (props.found) {
        doc.directives.docStart = true;
        if (value &&
            (value.type === 'block-map' || value.type === 'block-seq') &&
            !props.hasNewline)
            onError(props.end, 'MISSING_CHAR', 'Block collection cannot start on same line with directives-end marker');
    }
    // @ts-expect-error If Contents is set, let's trust the user
    doc.contents = value
        ? composeNode.composeNode(ctx, value, props, onError)
        : composeNode.composeEmptyNode(ctx, props.end, start, null, props, onError);
    const contentEnd = doc.contents.range[2];
    const re = resolveEnd.resolveEnd(end, contentEnd, false, onError);
    if (re.comment)
        doc.comment = re.comment;
    doc.range = [offset, contentEnd, re.offset];
    return doc;
}

exports.composeDoc = composeDoc;


/***/ }),

/***/ 5937:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var composeCollection = __nccwpck_require__(7349);
var composeScalar = __nccwpck_require__(5413);
var resolveEnd = __nccwpck_require__(7788);
var utilEmptyScalarPosition = __nccwpck_require__(2599);

const CN = { composeNode, composeEmptyNode };
function composeNode(ctx, token, props, onError) {
    const atKey = ctx.atKey;
    const { spaceBefore, comment, anchor, tag } = props;
    let node;
    let isSrcToken = true;
    switch (token.type) {
        case 'alias':
            node = composeAlias(ctx, token, onError);
            if (anchor || tag)
                onError(token, 'ALIAS_PROPS', 'An alias node must not specify any properties');
            break;
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'block-scalar':
            node = composeScalar.composeScalar(ctx, token, tag, onError);
            if (anchor)
                node.anchor = anchor.source.substring(1);
            break;
        case 'block-map':
        case 'block-seq':
        case 'flow-collection':
            try {
                node = composeCollection.composeCollection(CN, ctx, token, props, onError);
                if (anchor)
                    node.anchor = anchor.source.substring(1);
            }
            catch (error) {
                // Almost certainly here due to a stack overflow
                const message = error instanceof Error ? error.message : String(error);
                onError(token, 'RESOURCE_EXHAUSTION', message);
            }
            break;
        default: {
            const message = token.type === 'error'
                ? token.message
                : `Unsupported token (type: ${token.type})`;
            onError(token, 'UNEXPECTED_TOKEN', message);
            isSrcToken = false;
        }
    }
    node ?? (node = composeEmptyNode(ctx, token.offset, undefined, null, props, onError));
    if (anchor && node.anchor === '')
        onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    if (atKey &&
        ctx.options.stringKeys &&
        (!identity.isScalar(node) ||
            typeof node.value !== 'string' ||
            (node.tag && node.tag !== 'tag:yaml.org,2002:str'))) {
        const msg = 'With stringKeys, all keys must be strings';
        onError(tag ?? token, 'NON_STRING_KEY', msg);
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        if (token.type === 'scalar' && token.source === '')
            node.comment = comment;
        else
            node.commentBefore = comment;
    }
    // @ts-expect-error Type checking misses meaning of isSrcToken
    if (ctx.options.keepSourceTokens && isSrcToken)
        node.srcToken = token;
    return node;
}
function composeEmptyNode(ctx, offset, before, pos, { spaceBefore, comment, anchor, tag, end }, onError) {
    const token = {
        type: 'scalar',
        offset: utilEmptyScalarPosition.emptyScalarPosition(offset, before, pos),
        indent: -1,
        source: ''
    };
    const node = composeScalar.composeScalar(ctx, token, tag, onError);
    if (anchor) {
        node.anchor = anchor.source.substring(1);
        if (node.anchor === '')
            onError(anchor, 'BAD_ALIAS', 'Anchor cannot be an empty string');
    }
    if (spaceBefore)
        node.spaceBefore = true;
    if (comment) {
        node.comment = comment;
        node.range[2] = end;
    }
    return node;
}
function composeAlias({ options }, { offset, source, end }, onError) {
    const alias = new Alias.Alias(source.substring(1));
    if (alias.source === '')
        onError(offset, 'BAD_ALIAS', 'Alias cannot be an empty string');
    if (alias.source.endsWith(':'))
        onError(offset + source.length - 1, 'BAD_ALIAS', 'Alias ending in : is ambiguous', true);
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, options.strict, onError);
    alias.range = [offset, valueEnd, re.offset];
    if (re.comment)
        alias.comment = re.comment;
    return alias;
}

exports.composeEmptyNode = composeEmptyNode;
exports.composeNode = composeNode;


/***/ }),

/***/ 5413:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);

function composeScalar(ctx, token, tagToken, onError) {
    const { value, type, comment, range } = token.type === 'block-scalar'
        ? resolveBlockScalar.resolveBlockScalar(ctx, token, onError)
        : resolveFlowScalar.resolveFlowScalar(token, ctx.options.strict, onError);
    const tagName = tagToken
        ? ctx.directives.tagName(tagToken.source, msg => onError(tagToken, 'TAG_RESOLVE_FAILED', msg))
        : null;
    let tag;
    if (ctx.options.stringKeys && ctx.atKey) {
        tag = ctx.schema[identity.SCALAR];
    }
    else if (tagName)
        tag = findScalarTagByName(ctx.schema, value, tagName, tagToken, onError);
    else if (token.type === 'scalar')
        tag = findScalarTagByTest(ctx, value, token, onError);
    else
        tag = ctx.schema[identity.SCALAR];
    let scalar;
    try {
        const res = tag.resolve(value, msg => onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg), ctx.options);
        scalar = identity.isScalar(res) ? res : new Scalar.Scalar(res);
    }
    catch (error) {
        const msg = error instanceof Error ? error.message : String(error);
        onError(tagToken ?? token, 'TAG_RESOLVE_FAILED', msg);
        scalar = new Scalar.Scalar(value);
    }
    scalar.range = range;
    scalar.source = value;
    if (type)
        scalar.type = type;
    if (tagName)
        scalar.tag = tagName;
    if (tag.format)
        scalar.format = tag.format;
    if (comment)
        scalar.comment = comment;
    return scalar;
}
function findScalarTagByName(schema, value, tagName, tagToken, onError) {
    if (tagName === '!')
        return schema[identity.SCALAR]; // non-specific tag
    const matchWithTest = [];
    for (const tag of schema.tags) {
        if (!tag.collection && tag.tag === tagName) {
            if (tag.default && tag.test)
                matchWithTest.push(tag);
            else
                return tag;
        }
    }
    for (const tag of matchWithTest)
        if (tag.test?.test(value))
            return tag;
    const kt = schema.knownTags[tagName];
    if (kt && !kt.collection) {
        // Ensure that the known tag is available for stringifying,
        // but does not get used by default.
        schema.tags.push(Object.assign({}, kt, { default: false, test: undefined }));
        return kt;
    }
    onError(tagToken, 'TAG_RESOLVE_FAILED', `Unresolved tag: ${tagName}`, tagName !== 'tag:yaml.org,2002:str');
    return schema[identity.SCALAR];
}
function findScalarTagByTest({ atKey, directives, schema }, value, token, onError) {
    const tag = schema.tags.find(tag => (tag.default === true || (atKey && tag.default === 'key')) &&
        tag.test?.test(value)) || schema[identity.SCALAR];
    if (schema.compat) {
        const compat = schema.compat.find(tag => tag.default && tag.test?.test(value)) ??
            schema[identity.SCALAR];
        if (tag.tag !== compat.tag) {
            const ts = directives.tagString(tag.tag);
            const cs = directives.tagString(compat.tag);
            const msg = `Value may be parsed as either ${ts} or ${cs}`;
            onError(token, 'TAG_RESOLVE_FAILED', msg, true);
        }
    }
    return tag;
}

exports.composeScalar = composeScalar;


/***/ }),

/***/ 9984:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var directives = __nccwpck_require__(1342);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var identity = __nccwpck_require__(1127);
var composeDoc = __nccwpck_require__(3683);
var resolveEnd = __nccwpck_require__(7788);

function getErrorPos(src) {
    if (typeof src === 'number')
        return [src, src + 1];
    if (Array.isArray(src))
        return src.length === 2 ? src : [src[0], src[1]];
    const { offset, source } = src;
    return [offset, offset + (typeof source === 'string' ? source.length : 1)];
}
function parsePrelude(prelude) {
    let comment = '';
    let atComment = false;
    let afterEmptyLine = false;
    for (let i = 0; i < prelude.length; ++i) {
        const source = prelude[i];
        switch (source[0]) {
            case '#':
                comment +=
                    (comment === '' ? '' : afterEmptyLine ? '\n\n' : '\n') +
                        (source.substring(1) || ' ');
                atComment = true;
                afterEmptyLine = false;
                break;
            case '%':
                if (prelude[i + 1]?.[0] !== '#')
                    i += 1;
                atComment = false;
                break;
            default:
                // This may be wrong after doc-end, but in that case it doesn't matter
                if (!atComment)
                    afterEmptyLine = true;
                atComment = false;
        }
    }
    return { comment, afterEmptyLine };
}
/**
 * Compose a stream of CST nodes into a stream of YAML Documents.
 *
 * ```ts
 * import { Composer, Parser } from 'yaml'
 *
 * const src: string = ...
 * const tokens = new Parser().parse(src)
 * const docs = new Composer().compose(tokens)
 * ```
 */
class Composer {
    constructor(options = {}) {
        this.doc = null;
        this.atDirectives = false;
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
        this.onError = (source, code, message, warning) => {
            const pos = getErrorPos(source);
            if (warning)
                this.warnings.push(new errors.YAMLWarning(pos, code, message));
            else
                this.errors.push(new errors.YAMLParseError(pos, code, message));
        };
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        this.directives = new directives.Directives({ version: options.version || '1.2' });
        this.options = options;
    }
    decorate(doc, afterDoc) {
        const { comment, afterEmptyLine } = parsePrelude(this.prelude);
        //console.log({ dc: doc.comment, prelude, comment })
        if (comment) {
            const dc = doc.contents;
            if (afterDoc) {
                doc.comment = doc.comment ? `${doc.comment}\n${comment}` : comment;
            }
            else if (afterEmptyLine || doc.directives.docStart || !dc) {
                doc.commentBefore = comment;
            }
            else if (identity.isCollection(dc) && !dc.flow && dc.items.length > 0) {
                let it = dc.items[0];
                if (identity.isPair(it))
                    it = it.key;
                const cb = it.commentBefore;
                it.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
            else {
                const cb = dc.commentBefore;
                dc.commentBefore = cb ? `${comment}\n${cb}` : comment;
            }
        }
        if (afterDoc) {
            for (let i = 0; i < this.errors.length; ++i)
                doc.errors.push(this.errors[i]);
            for (let i = 0; i < this.warnings.length; ++i)
                doc.warnings.push(this.warnings[i]);
        }
        else {
            doc.errors = this.errors;
            doc.warnings = this.warnings;
        }
        this.prelude = [];
        this.errors = [];
        this.warnings = [];
    }
    /**
     * Current stream status information.
     *
     * Mostly useful at the end of input for an empty stream.
     */
    streamInfo() {
        return {
            comment: parsePrelude(this.prelude).comment,
            directives: this.directives,
            errors: this.errors,
            warnings: this.warnings
        };
    }
    /**
     * Compose tokens into documents.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *compose(tokens, forceDoc = false, endOffset = -1) {
        for (const token of tokens)
            yield* this.next(token);
        yield* this.end(forceDoc, endOffset);
    }
    /** Advance the composer by one CST token. */
    *next(token) {
        if (node_process.env.LOG_STREAM)
            console.dir(token, { depth: null });
        switch (token.type) {
            case 'directive':
                this.directives.add(token.source, (offset, message, warning) => {
                    const pos = getErrorPos(token);
                    pos[0] += offset;
                    this.onError(pos, 'BAD_DIRECTIVE', message, warning);
                });
                this.prelude.push(token.source);
                this.atDirectives = true;
                break;
            case 'document': {
                const doc = composeDoc.composeDoc(this.options, this.directives, token, this.onError);
                if (this.atDirectives && !doc.directives.docStart)
                    this.onError(token, 'MISSING_CHAR', 'Missing directives-end/doc-start indicator line');
                this.decorate(doc, false);
                if (this.doc)
                    yield this.doc;
                this.doc = doc;
                this.atDirectives = false;
                break;
            }
            case 'byte-order-mark':
            case 'space':
                break;
            case 'comment':
            case 'newline':
                this.prelude.push(token.source);
                break;
            case 'error': {
                const msg = token.source
                    ? `${token.message}: ${JSON.stringify(token.source)}`
                    : token.message;
                const error = new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg);
                if (this.atDirectives || !this.doc)
                    this.errors.push(error);
                else
                    this.doc.errors.push(error);
                break;
            }
            case 'doc-end': {
                if (!this.doc) {
                    const msg = 'Unexpected doc-end without preceding document';
                    this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', msg));
                    break;
                }
                this.doc.directives.docEnd = true;
                const end = resolveEnd.resolveEnd(token.end, token.offset + token.source.length, this.doc.options.strict, this.onError);
                this.decorate(this.doc, true);
                if (end.comment) {
                    const dc = this.doc.comment;
                    this.doc.comment = dc ? `${dc}\n${end.comment}` : end.comment;
                }
                this.doc.range[2] = end.offset;
                break;
            }
            default:
                this.errors.push(new errors.YAMLParseError(getErrorPos(token), 'UNEXPECTED_TOKEN', `Unsupported token ${token.type}`));
        }
    }
    /**
     * Call at end of input to yield any remaining document.
     *
     * @param forceDoc - If the stream contains no document, still emit a final document including any comments and directives that would be applied to a subsequent document.
     * @param endOffset - Should be set if `forceDoc` is also set, to set the document range end and to indicate errors correctly.
     */
    *end(forceDoc = false, endOffset = -1) {
        if (this.doc) {
            this.decorate(this.doc, true);
            yield this.doc;
            this.doc = null;
        }
        else if (forceDoc) {
            const opts = Object.assign({ _directives: this.directives }, this.options);
            const doc = new Document.Document(undefined, opts);
            if (this.atDirectives)
                this.onError(endOffset, 'MISSING_CHAR', 'Missing directives-end indicator line');
            doc.range = [0, endOffset, endOffset];
            this.decorate(doc, false);
            yield doc;
        }
    }
}

exports.Composer = Composer;


/***/ }),

/***/ 7103:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilFlowIndentCheck = __nccwpck_require__(4051);
var utilMapIncludes = __nccwpck_require__(1187);

const startColMsg = 'All mapping items must start at the same column';
function resolveBlockMap({ composeNode, composeEmptyNode }, ctx, bm, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLMap.YAMLMap;
    const map = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    let offset = bm.offset;
    let commentEnd = null;
    for (const collItem of bm.items) {
        const { start, key, sep, value } = collItem;
        // key properties
        const keyProps = resolveProps.resolveProps(start, {
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: bm.indent,
            startOnNewline: true
        });
        const implicitKey = !keyProps.found;
        if (implicitKey) {
            if (key) {
                if (key.type === 'block-seq')
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'A block sequence may not be used as an implicit map key');
                else if ('indent' in key && key.indent !== bm.indent)
                    onError(offset, 'BAD_INDENT', startColMsg);
            }
            if (!keyProps.anchor && !keyProps.tag && !sep) {
                commentEnd = keyProps.end;
                if (keyProps.comment) {
                    if (map.comment)
                        map.comment += '\n' + keyProps.comment;
                    else
                        map.comment = keyProps.comment;
                }
                continue;
            }
            if (keyProps.newlineAfterProp || utilContainsNewline.containsNewline(key)) {
                onError(key ?? start[start.length - 1], 'MULTILINE_IMPLICIT_KEY', 'Implicit keys need to be on a single line');
            }
        }
        else if (keyProps.found?.indent !== bm.indent) {
            onError(offset, 'BAD_INDENT', startColMsg);
        }
        // key value
        ctx.atKey = true;
        const keyStart = keyProps.end;
        const keyNode = key
            ? composeNode(ctx, key, keyProps, onError)
            : composeEmptyNode(ctx, keyStart, start, null, keyProps, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bm.indent, key, onError);
        ctx.atKey = false;
        if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
            onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
        // value properties
        const valueProps = resolveProps.resolveProps(sep ?? [], {
            indicator: 'map-value-ind',
            next: value,
            offset: keyNode.range[2],
            onError,
            parentIndent: bm.indent,
            startOnNewline: !key || key.type === 'block-scalar'
        });
        offset = valueProps.end;
        if (valueProps.found) {
            if (implicitKey) {
                if (value?.type === 'block-map' && !valueProps.hasNewline)
                    onError(offset, 'BLOCK_AS_IMPLICIT_KEY', 'Nested mappings are not allowed in compact mappings');
                if (ctx.options.strict &&
                    keyProps.start < valueProps.found.offset - 1024)
                    onError(keyNode.range, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit block mapping key');
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : composeEmptyNode(ctx, offset, sep, null, valueProps, onError);
            if (ctx.schema.compat)
                utilFlowIndentCheck.flowIndentCheck(bm.indent, value, onError);
            offset = valueNode.range[2];
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
        else {
            // key with no value
            if (implicitKey)
                onError(keyNode.range, 'MISSING_CHAR', 'Implicit map keys need to be followed by map values');
            if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            map.items.push(pair);
        }
    }
    if (commentEnd && commentEnd < offset)
        onError(commentEnd, 'IMPOSSIBLE', 'Map comment with trailing content');
    map.range = [bm.offset, offset, commentEnd ?? offset];
    return map;
}

exports.resolveBlockMap = resolveBlockMap;


/***/ }),

/***/ 8913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function resolveBlockScalar(ctx, scalar, onError) {
    const start = scalar.offset;
    const header = parseBlockScalarHeader(scalar, ctx.options.strict, onError);
    if (!header)
        return { value: '', type: null, comment: '', range: [start, start, start] };
    const type = header.mode === '>' ? Scalar.Scalar.BLOCK_FOLDED : Scalar.Scalar.BLOCK_LITERAL;
    const lines = scalar.source ? splitLines(scalar.source) : [];
    // determine the end of content & start of chomping
    let chompStart = lines.length;
    for (let i = lines.length - 1; i >= 0; --i) {
        const content = lines[i][1];
        if (content === '' || content === '\r')
            chompStart = i;
        else
            break;
    }
    // shortcut for empty contents
    if (chompStart === 0) {
        const value = header.chomp === '+' && lines.length > 0
            ? '\n'.repeat(Math.max(1, lines.length - 1))
            : '';
        let end = start + header.length;
        if (scalar.source)
            end += scalar.source.length;
        return { value, type, comment: header.comment, range: [start, end, end] };
    }
    // find the indentation level to trim from start
    let trimIndent = scalar.indent + header.indent;
    let offset = scalar.offset + header.length;
    let contentStart = 0;
    for (let i = 0; i < chompStart; ++i) {
        const [indent, content] = lines[i];
        if (content === '' || content === '\r') {
            if (header.indent === 0 && indent.length > trimIndent)
                trimIndent = indent.length;
        }
        else {
            if (indent.length < trimIndent) {
                const message = 'Block scalars with more-indented leading empty lines must use an explicit indentation indicator';
                onError(offset + indent.length, 'MISSING_CHAR', message);
            }
            if (header.indent === 0)
                trimIndent = indent.length;
            contentStart = i;
            if (trimIndent === 0 && !ctx.atRoot) {
                const message = 'Block scalar values in collections must be indented';
                onError(offset, 'BAD_INDENT', message);
            }
            break;
        }
        offset += indent.length + content.length + 1;
    }
    // include trailing more-indented empty lines in content
    for (let i = lines.length - 1; i >= chompStart; --i) {
        if (lines[i][0].length > trimIndent)
            chompStart = i + 1;
    }
    let value = '';
    let sep = '';
    let prevMoreIndented = false;
    // leading whitespace is kept intact
    for (let i = 0; i < contentStart; ++i)
        value += lines[i][0].slice(trimIndent) + '\n';
    for (let i = contentStart; i < chompStart; ++i) {
        let [indent, content] = lines[i];
        offset += indent.length + content.length + 1;
        const crlf = content[content.length - 1] === '\r';
        if (crlf)
            content = content.slice(0, -1);
        /* istanbul ignore if already caught in lexer */
        if (content && indent.length < trimIndent) {
            const src = header.indent
                ? 'explicit indentation indicator'
                : 'first line';
            const message = `Block scalar lines must not be less indented than their ${src}`;
            onError(offset - content.length - (crlf ? 2 : 1), 'BAD_INDENT', message);
            indent = '';
        }
        if (type === Scalar.Scalar.BLOCK_LITERAL) {
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
        }
        else if (indent.length > trimIndent || content[0] === '\t') {
            // more-indented content within a folded block
            if (sep === ' ')
                sep = '\n';
            else if (!prevMoreIndented && sep === '\n')
                sep = '\n\n';
            value += sep + indent.slice(trimIndent) + content;
            sep = '\n';
            prevMoreIndented = true;
        }
        else if (content === '') {
            // empty line
            if (sep === '\n')
                value += '\n';
            else
                sep = '\n';
        }
        else {
            value += sep + content;
            sep = ' ';
            prevMoreIndented = false;
        }
    }
    switch (header.chomp) {
        case '-':
            break;
        case '+':
            for (let i = chompStart; i < lines.length; ++i)
                value += '\n' + lines[i][0].slice(trimIndent);
            if (value[value.length - 1] !== '\n')
                value += '\n';
            break;
        default:
            value += '\n';
    }
    const end = start + header.length + scalar.source.length;
    return { value, type, comment: header.comment, range: [start, end, end] };
}
function parseBlockScalarHeader({ offset, props }, strict, onError) {
    /* istanbul ignore if should not happen */
    if (props[0].type !== 'block-scalar-header') {
        onError(props[0], 'IMPOSSIBLE', 'Block scalar header not found');
        return null;
    }
    const { source } = props[0];
    const mode = source[0];
    let indent = 0;
    let chomp = '';
    let error = -1;
    for (let i = 1; i < source.length; ++i) {
        const ch = source[i];
        if (!chomp && (ch === '-' || ch === '+'))
            chomp = ch;
        else {
            const n = Number(ch);
            if (!indent && n)
                indent = n;
            else if (error === -1)
                error = offset + i;
        }
    }
    if (error !== -1)
        onError(error, 'UNEXPECTED_TOKEN', `Block scalar header includes extra characters: ${source}`);
    let hasSpace = false;
    let comment = '';
    let length = source.length;
    for (let i = 1; i < props.length; ++i) {
        const token = props[i];
        switch (token.type) {
            case 'space':
                hasSpace = true;
            // fallthrough
            case 'newline':
                length += token.source.length;
                break;
            case 'comment':
                if (strict && !hasSpace) {
                    const message = 'Comments must be separated from other tokens by white space characters';
                    onError(token, 'MISSING_CHAR', message);
                }
                length += token.source.length;
                comment = token.source.substring(1);
                break;
            case 'error':
                onError(token, 'UNEXPECTED_TOKEN', token.message);
                length += token.source.length;
                break;
            /* istanbul ignore next should not happen */
            default: {
                const message = `Unexpected token in block scalar header: ${token.type}`;
                onError(token, 'UNEXPECTED_TOKEN', message);
                const ts = token.source;
                if (ts && typeof ts === 'string')
                    length += ts.length;
            }
        }
    }
    return { mode, indent, chomp, comment, length };
}
/** @returns Array of lines split up as `[indent, content]` */
function splitLines(source) {
    const split = source.split(/\n( *)/);
    const first = split[0];
    const m = first.match(/^( *)/);
    const line0 = m?.[1]
        ? [m[1], first.slice(m[1].length)]
        : ['', first];
    const lines = [line0];
    for (let i = 1; i < split.length; i += 2)
        lines.push([split[i], split[i + 1]]);
    return lines;
}

exports.resolveBlockScalar = resolveBlockScalar;


/***/ }),

/***/ 334:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var YAMLSeq = __nccwpck_require__(2223);
var resolveProps = __nccwpck_require__(4631);
var utilFlowIndentCheck = __nccwpck_require__(4051);

function resolveBlockSeq({ composeNode, composeEmptyNode }, ctx, bs, onError, tag) {
    const NodeClass = tag?.nodeClass ?? YAMLSeq.YAMLSeq;
    const seq = new NodeClass(ctx.schema);
    if (ctx.atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = bs.offset;
    let commentEnd = null;
    for (const { start, value } of bs.items) {
        const props = resolveProps.resolveProps(start, {
            indicator: 'seq-item-ind',
            next: value,
            offset,
            onError,
            parentIndent: bs.indent,
            startOnNewline: true
        });
        if (!props.found) {
            if (props.anchor || props.tag || value) {
                if (value?.type === 'block-seq')
                    onError(props.end, 'BAD_INDENT', 'All sequence items must start at the same column');
                else
                    onError(offset, 'MISSING_CHAR', 'Sequence item without - indicator');
            }
            else {
                commentEnd = props.end;
                if (props.comment)
                    seq.comment = props.comment;
                continue;
            }
        }
        const node = value
            ? composeNode(ctx, value, props, onError)
            : composeEmptyNode(ctx, props.end, start, null, props, onError);
        if (ctx.schema.compat)
            utilFlowIndentCheck.flowIndentCheck(bs.indent, value, onError);
        offset = node.range[2];
        seq.items.push(node);
    }
    seq.range = [bs.offset, offset, commentEnd ?? offset];
    return seq;
}

exports.resolveBlockSeq = resolveBlockSeq;


/***/ }),

/***/ 7788:
/***/ ((__unused_webpack_module, exports) => {



function resolveEnd(end, offset, reqSpace, onError) {
    let comment = '';
    if (end) {
        let hasSpace = false;
        let sep = '';
        for (const token of end) {
            const { source, type } = token;
            switch (type) {
                case 'space':
                    hasSpace = true;
                    break;
                case 'comment': {
                    if (reqSpace && !hasSpace)
                        onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                    const cb = source.substring(1) || ' ';
                    if (!comment)
                        comment = cb;
                    else
                        comment += sep + cb;
                    sep = '';
                    break;
                }
                case 'newline':
                    if (comment)
                        sep += source;
                    hasSpace = true;
                    break;
                default:
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${type} at node end`);
            }
            offset += source.length;
        }
    }
    return { comment, offset };
}

exports.resolveEnd = resolveEnd;


/***/ }),

/***/ 3142:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var resolveEnd = __nccwpck_require__(7788);
var resolveProps = __nccwpck_require__(4631);
var utilContainsNewline = __nccwpck_require__(9499);
var utilMapIncludes = __nccwpck_require__(1187);

const blockMsg = 'Block collections are not allowed within flow collections';
const isBlock = (token) => token && (token.type === 'block-map' || token.type === 'block-seq');
function resolveFlowCollection({ composeNode, composeEmptyNode }, ctx, fc, onError, tag) {
    const isMap = fc.start.source === '{';
    const fcName = isMap ? 'flow map' : 'flow sequence';
    const NodeClass = (tag?.nodeClass ?? (isMap ? YAMLMap.YAMLMap : YAMLSeq.YAMLSeq));
    const coll = new NodeClass(ctx.schema);
    coll.flow = true;
    const atRoot = ctx.atRoot;
    if (atRoot)
        ctx.atRoot = false;
    if (ctx.atKey)
        ctx.atKey = false;
    let offset = fc.offset + fc.start.source.length;
    for (let i = 0; i < fc.items.length; ++i) {
        const collItem = fc.items[i];
        const { start, key, sep, value } = collItem;
        const props = resolveProps.resolveProps(start, {
            flow: fcName,
            indicator: 'explicit-key-ind',
            next: key ?? sep?.[0],
            offset,
            onError,
            parentIndent: fc.indent,
            startOnNewline: false
        });
        if (!props.found) {
            if (!props.anchor && !props.tag && !sep && !value) {
                if (i === 0 && props.comma)
                    onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
                else if (i < fc.items.length - 1)
                    onError(props.start, 'UNEXPECTED_TOKEN', `Unexpected empty item in ${fcName}`);
                if (props.comment) {
                    if (coll.comment)
                        coll.comment += '\n' + props.comment;
                    else
                        coll.comment = props.comment;
                }
                offset = props.end;
                continue;
            }
            if (!isMap && ctx.options.strict && utilContainsNewline.containsNewline(key))
                onError(key, // checked by containsNewline()
                'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
        }
        if (i === 0) {
            if (props.comma)
                onError(props.comma, 'UNEXPECTED_TOKEN', `Unexpected , in ${fcName}`);
        }
        else {
            if (!props.comma)
                onError(props.start, 'MISSING_CHAR', `Missing , between ${fcName} items`);
            if (props.comment) {
                let prevItemComment = '';
                loop: for (const st of start) {
                    switch (st.type) {
                        case 'comma':
                        case 'space':
                            break;
                        case 'comment':
                            prevItemComment = st.source.substring(1);
                            break loop;
                        default:
                            break loop;
                    }
                }
                if (prevItemComment) {
                    let prev = coll.items[coll.items.length - 1];
                    if (identity.isPair(prev))
                        prev = prev.value ?? prev.key;
                    if (prev.comment)
                        prev.comment += '\n' + prevItemComment;
                    else
                        prev.comment = prevItemComment;
                    props.comment = props.comment.substring(prevItemComment.length + 1);
                }
            }
        }
        if (!isMap && !sep && !props.found) {
            // item is a value in a seq
            // → key & sep are empty, start does not include ? or :
            const valueNode = value
                ? composeNode(ctx, value, props, onError)
                : composeEmptyNode(ctx, props.end, sep, null, props, onError);
            coll.items.push(valueNode);
            offset = valueNode.range[2];
            if (isBlock(value))
                onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
        }
        else {
            // item is a key+value pair
            // key value
            ctx.atKey = true;
            const keyStart = props.end;
            const keyNode = key
                ? composeNode(ctx, key, props, onError)
                : composeEmptyNode(ctx, keyStart, start, null, props, onError);
            if (isBlock(key))
                onError(keyNode.range, 'BLOCK_IN_FLOW', blockMsg);
            ctx.atKey = false;
            // value properties
            const valueProps = resolveProps.resolveProps(sep ?? [], {
                flow: fcName,
                indicator: 'map-value-ind',
                next: value,
                offset: keyNode.range[2],
                onError,
                parentIndent: fc.indent,
                startOnNewline: false
            });
            if (valueProps.found) {
                if (!isMap && !props.found && ctx.options.strict) {
                    if (sep)
                        for (const st of sep) {
                            if (st === valueProps.found)
                                break;
                            if (st.type === 'newline') {
                                onError(st, 'MULTILINE_IMPLICIT_KEY', 'Implicit keys of flow sequence pairs need to be on a single line');
                                break;
                            }
                        }
                    if (props.start < valueProps.found.offset - 1024)
                        onError(valueProps.found, 'KEY_OVER_1024_CHARS', 'The : indicator must be at most 1024 chars after the start of an implicit flow sequence key');
                }
            }
            else if (value) {
                if ('source' in value && value.source?.[0] === ':')
                    onError(value, 'MISSING_CHAR', `Missing space after : in ${fcName}`);
                else
                    onError(valueProps.start, 'MISSING_CHAR', `Missing , or : between ${fcName} items`);
            }
            // value value
            const valueNode = value
                ? composeNode(ctx, value, valueProps, onError)
                : valueProps.found
                    ? composeEmptyNode(ctx, valueProps.end, sep, null, valueProps, onError)
                    : null;
            if (valueNode) {
                if (isBlock(value))
                    onError(valueNode.range, 'BLOCK_IN_FLOW', blockMsg);
            }
            else if (valueProps.comment) {
                if (keyNode.comment)
                    keyNode.comment += '\n' + valueProps.comment;
                else
                    keyNode.comment = valueProps.comment;
            }
            const pair = new Pair.Pair(keyNode, valueNode);
            if (ctx.options.keepSourceTokens)
                pair.srcToken = collItem;
            if (isMap) {
                const map = coll;
                if (utilMapIncludes.mapIncludes(ctx, map.items, keyNode))
                    onError(keyStart, 'DUPLICATE_KEY', 'Map keys must be unique');
                map.items.push(pair);
            }
            else {
                const map = new YAMLMap.YAMLMap(ctx.schema);
                map.flow = true;
                map.items.push(pair);
                const endRange = (valueNode ?? keyNode).range;
                map.range = [keyNode.range[0], endRange[1], endRange[2]];
                coll.items.push(map);
            }
            offset = valueNode ? valueNode.range[2] : valueProps.end;
        }
    }
    const expectedEnd = isMap ? '}' : ']';
    const [ce, ...ee] = fc.end;
    let cePos = offset;
    if (ce?.source === expectedEnd)
        cePos = ce.offset + ce.source.length;
    else {
        const name = fcName[0].toUpperCase() + fcName.substring(1);
        const msg = atRoot
            ? `${name} must end with a ${expectedEnd}`
            : `${name} in block collection must be sufficiently indented and end with a ${expectedEnd}`;
        onError(offset, atRoot ? 'MISSING_CHAR' : 'BAD_INDENT', msg);
        if (ce && ce.source.length !== 1)
            ee.unshift(ce);
    }
    if (ee.length > 0) {
        const end = resolveEnd.resolveEnd(ee, cePos, ctx.options.strict, onError);
        if (end.comment) {
            if (coll.comment)
                coll.comment += '\n' + end.comment;
            else
                coll.comment = end.comment;
        }
        coll.range = [fc.offset, cePos, end.offset];
    }
    else {
        coll.range = [fc.offset, cePos, cePos];
    }
    return coll;
}

exports.resolveFlowCollection = resolveFlowCollection;


/***/ }),

/***/ 6842:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var resolveEnd = __nccwpck_require__(7788);

function resolveFlowScalar(scalar, strict, onError) {
    const { offset, type, source, end } = scalar;
    let _type;
    let value;
    const _onError = (rel, code, msg) => onError(offset + rel, code, msg);
    switch (type) {
        case 'scalar':
            _type = Scalar.Scalar.PLAIN;
            value = plainValue(source, _onError);
            break;
        case 'single-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_SINGLE;
            value = singleQuotedValue(source, _onError);
            break;
        case 'double-quoted-scalar':
            _type = Scalar.Scalar.QUOTE_DOUBLE;
            value = doubleQuotedValue(source, _onError);
            break;
        /* istanbul ignore next should not happen */
        default:
            onError(scalar, 'UNEXPECTED_TOKEN', `Expected a flow scalar value, but found: ${type}`);
            return {
                value: '',
                type: null,
                comment: '',
                range: [offset, offset + source.length, offset + source.length]
            };
    }
    const valueEnd = offset + source.length;
    const re = resolveEnd.resolveEnd(end, valueEnd, strict, onError);
    return {
        value,
        type: _type,
        comment: re.comment,
        range: [offset, valueEnd, re.offset]
    };
}
function plainValue(source, onError) {
    let badChar = '';
    switch (source[0]) {
        /* istanbul ignore next should not happen */
        case '\t':
            badChar = 'a tab character';
            break;
        case ',':
            badChar = 'flow indicator character ,';
            break;
        case '%':
            badChar = 'directive indicator character %';
            break;
        case '|':
        case '>': {
            badChar = `block scalar indicator ${source[0]}`;
            break;
        }
        case '@':
        case '`': {
            badChar = `reserved character ${source[0]}`;
            break;
        }
    }
    if (badChar)
        onError(0, 'BAD_SCALAR_START', `Plain value cannot start with ${badChar}`);
    return unfoldLines(source);
}
function singleQuotedValue(source, onError) {
    if (source[source.length - 1] !== "'" || source.length === 1)
        onError(source.length, 'MISSING_CHAR', "Missing closing 'quote");
    return unfoldLines(source.slice(1, -1)).replace(/''/g, "'");
}
function unfoldLines(source) {
    const line = /(.*?)\r?\n/sy;
    let match = line.exec(source);
    if (!match)
        return source;
    /**
     * The negative lookbehinds in these RegExps are to
     * prevent causing a polynomial search time in certain cases.
     *
     * The try-catch is for Safari < 16.4 and other old browsers:
     * https://caniuse.com/js-regexp-lookbehind
     */
    let trimEnd, trimBoth;
    try {
        trimEnd = new RegExp('(?<![ \t])[ \t]+$');
        trimBoth = new RegExp('^[ \t]+|(?<![ \t])[ \t]+$', 'g');
    }
    catch {
        trimEnd = /[ \t]+$/;
        trimBoth = /^[ \t]+|[ \t]+$/g;
    }
    let res = match[1].replace(trimEnd, '');
    let sep = ' ';
    let pos = line.lastIndex;
    while ((match = line.exec(source))) {
        const lm = match[1].replace(trimBoth, '');
        if (lm === '') {
            if (sep === '\n')
                res += sep;
            else
                sep = '\n';
        }
        else {
            res += sep + lm;
            sep = ' ';
        }
        pos = line.lastIndex;
    }
    const last = /[ \t]*(.*)/sy;
    last.lastIndex = pos;
    match = last.exec(source);
    return res + sep + (match?.[1] ?? '');
}
function doubleQuotedValue(source, onError) {
    let res = '';
    for (let i = 1; i < source.length - 1; ++i) {
        const ch = source[i];
        if (ch === '\r' && source[i + 1] === '\n')
            continue;
        if (ch === '\n') {
            const { fold, offset } = foldNewline(source, i);
            res += fold;
            i = offset;
        }
        else if (ch === '\\') {
            let next = source[++i];
            const cc = escapeCodes[next];
            if (cc)
                res += cc;
            else if (next === '\n') {
                // skip escaped newlines, but still trim the following line
                next = source[i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === '\r' && source[i + 1] === '\n') {
                // skip escaped CRLF newlines, but still trim the following line
                next = source[++i + 1];
                while (next === ' ' || next === '\t')
                    next = source[++i + 1];
            }
            else if (next === 'x' || next === 'u' || next === 'U') {
                const length = next === 'x' ? 2 : next === 'u' ? 4 : 8;
                res += parseCharCode(source, i + 1, length, onError);
                i += length;
            }
            else {
                const raw = source.substr(i - 1, 2);
                onError(i - 1, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
                res += raw;
            }
        }
        else if (ch === ' ' || ch === '\t') {
            // trim trailing whitespace
            const wsStart = i;
            let next = source[i + 1];
            while (next === ' ' || next === '\t')
                next = source[++i + 1];
            if (next !== '\n' && !(next === '\r' && source[i + 2] === '\n'))
                res += i > wsStart ? source.slice(wsStart, i + 1) : ch;
        }
        else {
            res += ch;
        }
    }
    if (source[source.length - 1] !== '"' || source.length === 1)
        onError(source.length, 'MISSING_CHAR', 'Missing closing "quote');
    return res;
}
/**
 * Fold a single newline into a space, multiple newlines to N - 1 newlines.
 * Presumes `source[offset] === '\n'`
 */
function foldNewline(source, offset) {
    let fold = '';
    let ch = source[offset + 1];
    while (ch === ' ' || ch === '\t' || ch === '\n' || ch === '\r') {
        if (ch === '\r' && source[offset + 2] !== '\n')
            break;
        if (ch === '\n')
            fold += '\n';
        offset += 1;
        ch = source[offset + 1];
    }
    if (!fold)
        fold = ' ';
    return { fold, offset };
}
const escapeCodes = {
    '0': '\0', // null character
    a: '\x07', // bell character
    b: '\b', // backspace
    e: '\x1b', // escape character
    f: '\f', // form feed
    n: '\n', // line feed
    r: '\r', // carriage return
    t: '\t', // horizontal tab
    v: '\v', // vertical tab
    N: '\u0085', // Unicode next line
    _: '\u00a0', // Unicode non-breaking space
    L: '\u2028', // Unicode line separator
    P: '\u2029', // Unicode paragraph separator
    ' ': ' ',
    '"': '"',
    '/': '/',
    '\\': '\\',
    '\t': '\t'
};
function parseCharCode(source, offset, length, onError) {
    const cc = source.substr(offset, length);
    const ok = cc.length === length && /^[0-9a-fA-F]+$/.test(cc);
    const code = ok ? parseInt(cc, 16) : NaN;
    try {
        return String.fromCodePoint(code);
    }
    catch {
        const raw = source.substr(offset - 2, length + 2);
        onError(offset - 2, 'BAD_DQ_ESCAPE', `Invalid escape sequence ${raw}`);
        return raw;
    }
}

exports.resolveFlowScalar = resolveFlowScalar;


/***/ }),

/***/ 4631:
/***/ ((__unused_webpack_module, exports) => {



function resolveProps(tokens, { flow, indicator, next, offset, onError, parentIndent, startOnNewline }) {
    let spaceBefore = false;
    let atNewline = startOnNewline;
    let hasSpace = startOnNewline;
    let comment = '';
    let commentSep = '';
    let hasNewline = false;
    let reqSpace = false;
    let tab = null;
    let anchor = null;
    let tag = null;
    let newlineAfterProp = null;
    let comma = null;
    let found = null;
    let start = null;
    for (const token of tokens) {
        if (reqSpace) {
            if (token.type !== 'space' &&
                token.type !== 'newline' &&
                token.type !== 'comma')
                onError(token.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
            reqSpace = false;
        }
        if (tab) {
            if (atNewline && token.type !== 'comment' && token.type !== 'newline') {
                onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
            }
            tab = null;
        }
        switch (token.type) {
            case 'space':
                // At the doc level, tabs at line start may be parsed
                // as leading white space rather than indentation.
                // In a flow collection, only the parser handles indent.
                if (!flow &&
                    (indicator !== 'doc-start' || next?.type !== 'flow-collection') &&
                    token.source.includes('\t')) {
                    tab = token;
                }
                hasSpace = true;
                break;
            case 'comment': {
                if (!hasSpace)
                    onError(token, 'MISSING_CHAR', 'Comments must be separated from other tokens by white space characters');
                const cb = token.source.substring(1) || ' ';
                if (!comment)
                    comment = cb;
                else
                    comment += commentSep + cb;
                commentSep = '';
                atNewline = false;
                break;
            }
            case 'newline':
                if (atNewline) {
                    if (comment)
                        comment += token.source;
                    else if (!found || indicator !== 'seq-item-ind')
                        spaceBefore = true;
                }
                else
                    commentSep += token.source;
                atNewline = true;
                hasNewline = true;
                if (anchor || tag)
                    newlineAfterProp = token;
                hasSpace = true;
                break;
            case 'anchor':
                if (anchor)
                    onError(token, 'MULTIPLE_ANCHORS', 'A node can have at most one anchor');
                if (token.source.endsWith(':'))
                    onError(token.offset + token.source.length - 1, 'BAD_ALIAS', 'Anchor ending in : is ambiguous', true);
                anchor = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            case 'tag': {
                if (tag)
                    onError(token, 'MULTIPLE_TAGS', 'A node can have at most one tag');
                tag = token;
                start ?? (start = token.offset);
                atNewline = false;
                hasSpace = false;
                reqSpace = true;
                break;
            }
            case indicator:
                // Could here handle preceding comments differently
                if (anchor || tag)
                    onError(token, 'BAD_PROP_ORDER', `Anchors and tags must be after the ${token.source} indicator`);
                if (found)
                    onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.source} in ${flow ?? 'collection'}`);
                found = token;
                atNewline =
                    indicator === 'seq-item-ind' || indicator === 'explicit-key-ind';
                hasSpace = false;
                break;
            case 'comma':
                if (flow) {
                    if (comma)
                        onError(token, 'UNEXPECTED_TOKEN', `Unexpected , in ${flow}`);
                    comma = token;
                    atNewline = false;
                    hasSpace = false;
                    break;
                }
            // else fallthrough
            default:
                onError(token, 'UNEXPECTED_TOKEN', `Unexpected ${token.type} token`);
                atNewline = false;
                hasSpace = false;
        }
    }
    const last = tokens[tokens.length - 1];
    const end = last ? last.offset + last.source.length : offset;
    if (reqSpace &&
        next &&
        next.type !== 'space' &&
        next.type !== 'newline' &&
        next.type !== 'comma' &&
        (next.type !== 'scalar' || next.source !== '')) {
        onError(next.offset, 'MISSING_CHAR', 'Tags and anchors must be separated from the next token by white space');
    }
    if (tab &&
        ((atNewline && tab.indent <= parentIndent) ||
            next?.type === 'block-map' ||
            next?.type === 'block-seq'))
        onError(tab, 'TAB_AS_INDENT', 'Tabs are not allowed as indentation');
    return {
        comma,
        found,
        spaceBefore,
        comment,
        hasNewline,
        anchor,
        tag,
        newlineAfterProp,
        end,
        start: start ?? end
    };
}

exports.resolveProps = resolveProps;


/***/ }),

/***/ 9499:
/***/ ((__unused_webpack_module, exports) => {



function containsNewline(key) {
    if (!key)
        return null;
    switch (key.type) {
        case 'alias':
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            if (key.source.includes('\n'))
                return true;
            if (key.end)
                for (const st of key.end)
                    if (st.type === 'newline')
                        return true;
            return false;
        case 'flow-collection':
            for (const it of key.items) {
                for (const st of it.start)
                    if (st.type === 'newline')
                        return true;
                if (it.sep)
                    for (const st of it.sep)
                        if (st.type === 'newline')
                            return true;
                if (containsNewline(it.key) || containsNewline(it.value))
                    return true;
            }
            return false;
        default:
            return true;
    }
}

exports.containsNewline = containsNewline;


/***/ }),

/***/ 2599:
/***/ ((__unused_webpack_module, exports) => {



function emptyScalarPosition(offset, before, pos) {
    if (before) {
        pos ?? (pos = before.length);
        for (let i = pos - 1; i >= 0; --i) {
            let st = before[i];
            switch (st.type) {
                case 'space':
                case 'comment':
                case 'newline':
                    offset -= st.source.length;
                    continue;
            }
            // Technically, an empty scalar is immediately after the last non-empty
            // node, but it's more useful to place it after any whitespace.
            st = before[++i];
            while (st?.type === 'space') {
                offset += st.source.length;
                st = before[++i];
            }
            break;
        }
    }
    return offset;
}

exports.emptyScalarPosition = emptyScalarPosition;


/***/ }),

/***/ 4051:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var utilContainsNewline = __nccwpck_require__(9499);

function flowIndentCheck(indent, fc, onError) {
    if (fc?.type === 'flow-collection') {
        const end = fc.end[0];
        if (end.indent === indent &&
            (end.source === ']' || end.source === '}') &&
            utilContainsNewline.containsNewline(fc)) {
            const msg = 'Flow end indicator should be more indented than parent';
            onError(end, 'BAD_INDENT', msg, true);
        }
    }
}

exports.flowIndentCheck = flowIndentCheck;


/***/ }),

/***/ 1187:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

function mapIncludes(ctx, items, search) {
    const { uniqueKeys } = ctx.options;
    if (uniqueKeys === false)
        return false;
    const isEqual = typeof uniqueKeys === 'function'
        ? uniqueKeys
        : (a, b) => a === b || (identity.isScalar(a) && identity.isScalar(b) && a.value === b.value);
    return items.some(pair => isEqual(pair.key, search));
}

exports.mapIncludes = mapIncludes;


/***/ }),

/***/ 3021:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var toJS = __nccwpck_require__(4043);
var Schema = __nccwpck_require__(5840);
var stringifyDocument = __nccwpck_require__(6829);
var anchors = __nccwpck_require__(1596);
var applyReviver = __nccwpck_require__(3661);
var createNode = __nccwpck_require__(2404);
var directives = __nccwpck_require__(1342);

class Document {
    constructor(value, replacer, options) {
        /** A comment before this Document */
        this.commentBefore = null;
        /** A comment immediately after this Document */
        this.comment = null;
        /** Errors encountered during parsing. */
        this.errors = [];
        /** Warnings encountered during parsing. */
        this.warnings = [];
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.DOC });
        let _replacer = null;
        if (typeof replacer === 'function' || Array.isArray(replacer)) {
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const opt = Object.assign({
            intAsBigInt: false,
            keepSourceTokens: false,
            logLevel: 'warn',
            prettyErrors: true,
            strict: true,
            stringKeys: false,
            uniqueKeys: true,
            version: '1.2'
        }, options);
        this.options = opt;
        let { version } = opt;
        if (options?._directives) {
            this.directives = options._directives.atDocument();
            if (this.directives.yaml.explicit)
                version = this.directives.yaml.version;
        }
        else
            this.directives = new directives.Directives({ version });
        this.setSchema(version, options);
        // @ts-expect-error We can't really know that this matches Contents.
        this.contents =
            value === undefined ? null : this.createNode(value, _replacer, options);
    }
    /**
     * Create a deep copy of this Document and its contents.
     *
     * Custom Node values that inherit from `Object` still refer to their original instances.
     */
    clone() {
        const copy = Object.create(Document.prototype, {
            [identity.NODE_TYPE]: { value: identity.DOC }
        });
        copy.commentBefore = this.commentBefore;
        copy.comment = this.comment;
        copy.errors = this.errors.slice();
        copy.warnings = this.warnings.slice();
        copy.options = Object.assign({}, this.options);
        if (this.directives)
            copy.directives = this.directives.clone();
        copy.schema = this.schema.clone();
        // @ts-expect-error We can't really know that this matches Contents.
        copy.contents = identity.isNode(this.contents)
            ? this.contents.clone(copy.schema)
            : this.contents;
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** Adds a value to the document. */
    add(value) {
        if (assertCollection(this.contents))
            this.contents.add(value);
    }
    /** Adds a value to the document. */
    addIn(path, value) {
        if (assertCollection(this.contents))
            this.contents.addIn(path, value);
    }
    /**
     * Create a new `Alias` node, ensuring that the target `node` has the required anchor.
     *
     * If `node` already has an anchor, `name` is ignored.
     * Otherwise, the `node.anchor` value will be set to `name`,
     * or if an anchor with that name is already present in the document,
     * `name` will be used as a prefix for a new unique anchor.
     * If `name` is undefined, the generated anchor will use 'a' as a prefix.
     */
    createAlias(node, name) {
        if (!node.anchor) {
            const prev = anchors.anchorNames(this);
            node.anchor =
                // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
                !name || prev.has(name) ? anchors.findNewAnchor(name || 'a', prev) : name;
        }
        return new Alias.Alias(node.anchor);
    }
    createNode(value, replacer, options) {
        let _replacer = undefined;
        if (typeof replacer === 'function') {
            value = replacer.call({ '': value }, '', value);
            _replacer = replacer;
        }
        else if (Array.isArray(replacer)) {
            const keyToStr = (v) => typeof v === 'number' || v instanceof String || v instanceof Number;
            const asStr = replacer.filter(keyToStr).map(String);
            if (asStr.length > 0)
                replacer = replacer.concat(asStr);
            _replacer = replacer;
        }
        else if (options === undefined && replacer) {
            options = replacer;
            replacer = undefined;
        }
        const { aliasDuplicateObjects, anchorPrefix, flow, keepUndefined, onTagObj, tag } = options ?? {};
        const { onAnchor, setAnchors, sourceObjects } = anchors.createNodeAnchors(this, 
        // eslint-disable-next-line @typescript-eslint/prefer-nullish-coalescing
        anchorPrefix || 'a');
        const ctx = {
            aliasDuplicateObjects: aliasDuplicateObjects ?? true,
            keepUndefined: keepUndefined ?? false,
            onAnchor,
            onTagObj,
            replacer: _replacer,
            schema: this.schema,
            sourceObjects
        };
        const node = createNode.createNode(value, tag, ctx);
        if (flow && identity.isCollection(node))
            node.flow = true;
        setAnchors();
        return node;
    }
    /**
     * Convert a key and a value into a `Pair` using the current schema,
     * recursively wrapping all values as `Scalar` or `Collection` nodes.
     */
    createPair(key, value, options = {}) {
        const k = this.createNode(key, null, options);
        const v = this.createNode(value, null, options);
        return new Pair.Pair(k, v);
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        return assertCollection(this.contents) ? this.contents.delete(key) : false;
    }
    /**
     * Removes a value from the document.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        if (Collection.isEmptyPath(path)) {
            if (this.contents == null)
                return false;
            // @ts-expect-error Presumed impossible if Strict extends false
            this.contents = null;
            return true;
        }
        return assertCollection(this.contents)
            ? this.contents.deleteIn(path)
            : false;
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    get(key, keepScalar) {
        return identity.isCollection(this.contents)
            ? this.contents.get(key, keepScalar)
            : undefined;
    }
    /**
     * Returns item at `path`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        if (Collection.isEmptyPath(path))
            return !keepScalar && identity.isScalar(this.contents)
                ? this.contents.value
                : this.contents;
        return identity.isCollection(this.contents)
            ? this.contents.getIn(path, keepScalar)
            : undefined;
    }
    /**
     * Checks if the document includes a value with the key `key`.
     */
    has(key) {
        return identity.isCollection(this.contents) ? this.contents.has(key) : false;
    }
    /**
     * Checks if the document includes a value at `path`.
     */
    hasIn(path) {
        if (Collection.isEmptyPath(path))
            return this.contents !== undefined;
        return identity.isCollection(this.contents) ? this.contents.hasIn(path) : false;
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    set(key, value) {
        if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, [key], value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.set(key, value);
        }
    }
    /**
     * Sets a value in this document. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        if (Collection.isEmptyPath(path)) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = value;
        }
        else if (this.contents == null) {
            // @ts-expect-error We can't really know that this matches Contents.
            this.contents = Collection.collectionFromPath(this.schema, Array.from(path), value);
        }
        else if (assertCollection(this.contents)) {
            this.contents.setIn(path, value);
        }
    }
    /**
     * Change the YAML version and schema used by the document.
     * A `null` version disables support for directives, explicit tags, anchors, and aliases.
     * It also requires the `schema` option to be given as a `Schema` instance value.
     *
     * Overrides all previously set schema options.
     */
    setSchema(version, options = {}) {
        if (typeof version === 'number')
            version = String(version);
        let opt;
        switch (version) {
            case '1.1':
                if (this.directives)
                    this.directives.yaml.version = '1.1';
                else
                    this.directives = new directives.Directives({ version: '1.1' });
                opt = { resolveKnownTags: false, schema: 'yaml-1.1' };
                break;
            case '1.2':
            case 'next':
                if (this.directives)
                    this.directives.yaml.version = version;
                else
                    this.directives = new directives.Directives({ version });
                opt = { resolveKnownTags: true, schema: 'core' };
                break;
            case null:
                if (this.directives)
                    delete this.directives;
                opt = null;
                break;
            default: {
                const sv = JSON.stringify(version);
                throw new Error(`Expected '1.1', '1.2' or null as first argument, but found: ${sv}`);
            }
        }
        // Not using `instanceof Schema` to allow for duck typing
        if (options.schema instanceof Object)
            this.schema = options.schema;
        else if (opt)
            this.schema = new Schema.Schema(Object.assign(opt, options));
        else
            throw new Error(`With a null YAML version, the { schema: Schema } option is required`);
    }
    // json & jsonArg are only used from toJSON()
    toJS({ json, jsonArg, mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        const ctx = {
            anchors: new Map(),
            doc: this,
            keep: !json,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this.contents, jsonArg ?? '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
    /**
     * A JSON representation of the document `contents`.
     *
     * @param jsonArg Used by `JSON.stringify` to indicate the array index or
     *   property name.
     */
    toJSON(jsonArg, onAnchor) {
        return this.toJS({ json: true, jsonArg, mapAsMap: false, onAnchor });
    }
    /** A YAML representation of the document. */
    toString(options = {}) {
        if (this.errors.length > 0)
            throw new Error('Document with errors cannot be stringified');
        if ('indent' in options &&
            (!Number.isInteger(options.indent) || Number(options.indent) <= 0)) {
            const s = JSON.stringify(options.indent);
            throw new Error(`"indent" option must be a positive integer, not ${s}`);
        }
        return stringifyDocument.stringifyDocument(this, options);
    }
}
function assertCollection(contents) {
    if (identity.isCollection(contents))
        return true;
    throw new Error('Expected a YAML collection as document contents');
}

exports.Document = Document;


/***/ }),

/***/ 1596:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

/**
 * Verify that the input string is a valid anchor.
 *
 * Will throw on errors.
 */
function anchorIsValid(anchor) {
    if (/[\x00-\x19\s,[\]{}]/.test(anchor)) {
        const sa = JSON.stringify(anchor);
        const msg = `Anchor must not contain whitespace or control characters: ${sa}`;
        throw new Error(msg);
    }
    return true;
}
function anchorNames(root) {
    const anchors = new Set();
    visit.visit(root, {
        Value(_key, node) {
            if (node.anchor)
                anchors.add(node.anchor);
        }
    });
    return anchors;
}
/** Find a new anchor name with the given `prefix` and a one-indexed suffix. */
function findNewAnchor(prefix, exclude) {
    for (let i = 1; true; ++i) {
        const name = `${prefix}${i}`;
        if (!exclude.has(name))
            return name;
    }
}
function createNodeAnchors(doc, prefix) {
    const aliasObjects = [];
    const sourceObjects = new Map();
    let prevAnchors = null;
    return {
        onAnchor: (source) => {
            aliasObjects.push(source);
            prevAnchors ?? (prevAnchors = anchorNames(doc));
            const anchor = findNewAnchor(prefix, prevAnchors);
            prevAnchors.add(anchor);
            return anchor;
        },
        /**
         * With circular references, the source node is only resolved after all
         * of its child nodes are. This is why anchors are set only after all of
         * the nodes have been created.
         */
        setAnchors: () => {
            for (const source of aliasObjects) {
                const ref = sourceObjects.get(source);
                if (typeof ref === 'object' &&
                    ref.anchor &&
                    (identity.isScalar(ref.node) || identity.isCollection(ref.node))) {
                    ref.node.anchor = ref.anchor;
                }
                else {
                    const error = new Error('Failed to resolve repeated object (this should not happen)');
                    error.source = source;
                    throw error;
                }
            }
        },
        sourceObjects
    };
}

exports.anchorIsValid = anchorIsValid;
exports.anchorNames = anchorNames;
exports.createNodeAnchors = createNodeAnchors;
exports.findNewAnchor = findNewAnchor;


/***/ }),

/***/ 3661:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Applies the JSON.parse reviver algorithm as defined in the ECMA-262 spec,
 * in section 24.5.1.1 "Runtime Semantics: InternalizeJSONProperty" of the
 * 2021 edition: https://tc39.es/ecma262/#sec-json.parse
 *
 * Includes extensions for handling Map and Set objects.
 */
function applyReviver(reviver, obj, key, val) {
    if (val && typeof val === 'object') {
        if (Array.isArray(val)) {
            for (let i = 0, len = val.length; i < len; ++i) {
                const v0 = val[i];
                const v1 = applyReviver(reviver, val, String(i), v0);
                // eslint-disable-next-line @typescript-eslint/no-array-delete
                if (v1 === undefined)
                    delete val[i];
                else if (v1 !== v0)
                    val[i] = v1;
            }
        }
        else if (val instanceof Map) {
            for (const k of Array.from(val.keys())) {
                const v0 = val.get(k);
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    val.delete(k);
                else if (v1 !== v0)
                    val.set(k, v1);
            }
        }
        else if (val instanceof Set) {
            for (const v0 of Array.from(val)) {
                const v1 = applyReviver(reviver, val, v0, v0);
                if (v1 === undefined)
                    val.delete(v0);
                else if (v1 !== v0) {
                    val.delete(v0);
                    val.add(v1);
                }
            }
        }
        else {
            for (const [k, v0] of Object.entries(val)) {
                const v1 = applyReviver(reviver, val, k, v0);
                if (v1 === undefined)
                    delete val[k];
                else if (v1 !== v0)
                    val[k] = v1;
            }
        }
    }
    return reviver.call(obj, key, val);
}

exports.applyReviver = applyReviver;


/***/ }),

/***/ 2404:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

const defaultTagPrefix = 'tag:yaml.org,2002:';
function findTagObject(value, tagName, tags) {
    if (tagName) {
        const match = tags.filter(t => t.tag === tagName);
        const tagObj = match.find(t => !t.format) ?? match[0];
        if (!tagObj)
            throw new Error(`Tag ${tagName} not found`);
        return tagObj;
    }
    return tags.find(t => t.identify?.(value) && !t.format);
}
function createNode(value, tagName, ctx) {
    if (identity.isDocument(value))
        value = value.contents;
    if (identity.isNode(value))
        return value;
    if (identity.isPair(value)) {
        const map = ctx.schema[identity.MAP].createNode?.(ctx.schema, null, ctx);
        map.items.push(value);
        return map;
    }
    if (value instanceof String ||
        value instanceof Number ||
        value instanceof Boolean ||
        (typeof BigInt !== 'undefined' && value instanceof BigInt) // not supported everywhere
    ) {
        // https://tc39.es/ecma262/#sec-serializejsonproperty
        value = value.valueOf();
    }
    const { aliasDuplicateObjects, onAnchor, onTagObj, schema, sourceObjects } = ctx;
    // Detect duplicate references to the same object & use Alias nodes for all
    // after first. The `ref` wrapper allows for circular references to resolve.
    let ref = undefined;
    if (aliasDuplicateObjects && value && typeof value === 'object') {
        ref = sourceObjects.get(value);
        if (ref) {
            ref.anchor ?? (ref.anchor = onAnchor(value));
            return new Alias.Alias(ref.anchor);
        }
        else {
            ref = { anchor: null, node: null };
            sourceObjects.set(value, ref);
        }
    }
    if (tagName?.startsWith('!!'))
        tagName = defaultTagPrefix + tagName.slice(2);
    let tagObj = findTagObject(value, tagName, schema.tags);
    if (!tagObj) {
        if (value && typeof value.toJSON === 'function') {
            // eslint-disable-next-line @typescript-eslint/no-unsafe-call
            value = value.toJSON();
        }
        if (!value || typeof value !== 'object') {
            const node = new Scalar.Scalar(value);
            if (ref)
                ref.node = node;
            return node;
        }
        tagObj =
            value instanceof Map
                ? schema[identity.MAP]
                : Symbol.iterator in Object(value)
                    ? schema[identity.SEQ]
                    : schema[identity.MAP];
    }
    if (onTagObj) {
        onTagObj(tagObj);
        delete ctx.onTagObj;
    }
    const node = tagObj?.createNode
        ? tagObj.createNode(ctx.schema, value, ctx)
        : typeof tagObj?.nodeClass?.from === 'function'
            ? tagObj.nodeClass.from(ctx.schema, value, ctx)
            : new Scalar.Scalar(value);
    if (tagName)
        node.tag = tagName;
    else if (!tagObj.default)
        node.tag = tagObj.tag;
    if (ref)
        ref.node = node;
    return node;
}

exports.createNode = createNode;


/***/ }),

/***/ 1342:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var visit = __nccwpck_require__(204);

const escapeChars = {
    '!': '%21',
    ',': '%2C',
    '[': '%5B',
    ']': '%5D',
    '{': '%7B',
    '}': '%7D'
};
const escapeTagName = (tn) => tn.replace(/[!,[\]{}]/g, ch => escapeChars[ch]);
class Directives {
    constructor(yaml, tags) {
        /**
         * The directives-end/doc-start marker `---`. If `null`, a marker may still be
         * included in the document's stringified representation.
         */
        this.docStart = null;
        /** The doc-end marker `...`.  */
        this.docEnd = false;
        this.yaml = Object.assign({}, Directives.defaultYaml, yaml);
        this.tags = Object.assign({}, Directives.defaultTags, tags);
    }
    clone() {
        const copy = new Directives(this.yaml, this.tags);
        copy.docStart = this.docStart;
        return copy;
    }
    /**
     * During parsing, get a Directives instance for the current document and
     * update the stream state according to the current version's spec.
     */
    atDocument() {
        const res = new Directives(this.yaml, this.tags);
        switch (this.yaml.version) {
            case '1.1':
                this.atNextDocument = true;
                break;
            case '1.2':
                this.atNextDocument = false;
                this.yaml = {
                    explicit: Directives.defaultYaml.explicit,
                    version: '1.2'
                };
                this.tags = Object.assign({}, Directives.defaultTags);
                break;
        }
        return res;
    }
    /**
     * @param onError - May be called even if the action was successful
     * @returns `true` on success
     */
    add(line, onError) {
        if (this.atNextDocument) {
            this.yaml = { explicit: Directives.defaultYaml.explicit, version: '1.1' };
            this.tags = Object.assign({}, Directives.defaultTags);
            this.atNextDocument = false;
        }
        const parts = line.trim().split(/[ \t]+/);
        const name = parts.shift();
        switch (name) {
            case '%TAG': {
                if (parts.length !== 2) {
                    onError(0, '%TAG directive should contain exactly two parts');
                    if (parts.length < 2)
                        return false;
                }
                const [handle, prefix] = parts;
                this.tags[handle] = prefix;
                return true;
            }
            case '%YAML': {
                this.yaml.explicit = true;
                if (parts.length !== 1) {
                    onError(0, '%YAML directive should contain exactly one part');
                    return false;
                }
                const [version] = parts;
                if (version === '1.1' || version === '1.2') {
                    this.yaml.version = version;
                    return true;
                }
                else {
                    const isValid = /^\d+\.\d+$/.test(version);
                    onError(6, `Unsupported YAML version ${version}`, isValid);
                    return false;
                }
            }
            default:
                onError(0, `Unknown directive ${name}`, true);
                return false;
        }
    }
    /**
     * Resolves a tag, matching handles to those defined in %TAG directives.
     *
     * @returns Resolved tag, which may also be the non-specific tag `'!'` or a
     *   `'!local'` tag, or `null` if unresolvable.
     */
    tagName(source, onError) {
        if (source === '!')
            return '!'; // non-specific tag
        if (source[0] !== '!') {
            onError(`Not a valid tag: ${source}`);
            return null;
        }
        if (source[1] === '<') {
            const verbatim = source.slice(2, -1);
            if (verbatim === '!' || verbatim === '!!') {
                onError(`Verbatim tags aren't resolved, so ${source} is invalid.`);
                return null;
            }
            if (source[source.length - 1] !== '>')
                onError('Verbatim tags must end with a >');
            return verbatim;
        }
        const [, handle, suffix] = source.match(/^(.*!)([^!]*)$/s);
        if (!suffix)
            onError(`The ${source} tag has no suffix`);
        const prefix = this.tags[handle];
        if (prefix) {
            try {
                return prefix + decodeURIComponent(suffix);
            }
            catch (error) {
                onError(String(error));
                return null;
            }
        }
        if (handle === '!')
            return source; // local tag
        onError(`Could not resolve tag: ${source}`);
        return null;
    }
    /**
     * Given a fully resolved tag, returns its printable string form,
     * taking into account current tag prefixes and defaults.
     */
    tagString(tag) {
        for (const [handle, prefix] of Object.entries(this.tags)) {
            if (tag.startsWith(prefix))
                return handle + escapeTagName(tag.substring(prefix.length));
        }
        return tag[0] === '!' ? tag : `!<${tag}>`;
    }
    toString(doc) {
        const lines = this.yaml.explicit
            ? [`%YAML ${this.yaml.version || '1.2'}`]
            : [];
        const tagEntries = Object.entries(this.tags);
        let tagNames;
        if (doc && tagEntries.length > 0 && identity.isNode(doc.contents)) {
            const tags = {};
            visit.visit(doc.contents, (_key, node) => {
                if (identity.isNode(node) && node.tag)
                    tags[node.tag] = true;
            });
            tagNames = Object.keys(tags);
        }
        else
            tagNames = [];
        for (const [handle, prefix] of tagEntries) {
            if (handle === '!!' && prefix === 'tag:yaml.org,2002:')
                continue;
            if (!doc || tagNames.some(tn => tn.startsWith(prefix)))
                lines.push(`%TAG ${handle} ${prefix}`);
        }
        return lines.join('\n');
    }
}
Directives.defaultYaml = { explicit: false, version: '1.2' };
Directives.defaultTags = { '!!': 'tag:yaml.org,2002:' };

exports.Directives = Directives;


/***/ }),

/***/ 1464:
/***/ ((__unused_webpack_module, exports) => {



class YAMLError extends Error {
    constructor(name, pos, code, message) {
        super();
        this.name = name;
        this.code = code;
        this.message = message;
        this.pos = pos;
    }
}
class YAMLParseError extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLParseError', pos, code, message);
    }
}
class YAMLWarning extends YAMLError {
    constructor(pos, code, message) {
        super('YAMLWarning', pos, code, message);
    }
}
const prettifyError = (src, lc) => (error) => {
    if (error.pos[0] === -1)
        return;
    error.linePos = error.pos.map(pos => lc.linePos(pos));
    const { line, col } = error.linePos[0];
    error.message += ` at line ${line}, column ${col}`;
    let ci = col - 1;
    let lineStr = src
        .substring(lc.lineStarts[line - 1], lc.lineStarts[line])
        .replace(/[\n\r]+$/, '');
    // Trim to max 80 chars, keeping col position near the middle
    if (ci >= 60 && lineStr.length > 80) {
        const trimStart = Math.min(ci - 39, lineStr.length - 79);
        lineStr = '…' + lineStr.substring(trimStart);
        ci -= trimStart - 1;
    }
    if (lineStr.length > 80)
        lineStr = lineStr.substring(0, 79) + '…';
    // Include previous line in context if pointing at line start
    if (line > 1 && /^ *$/.test(lineStr.substring(0, ci))) {
        // Regexp won't match if start is trimmed
        let prev = src.substring(lc.lineStarts[line - 2], lc.lineStarts[line - 1]);
        if (prev.length > 80)
            prev = prev.substring(0, 79) + '…\n';
        lineStr = prev + lineStr;
    }
    if (/[^ ]/.test(lineStr)) {
        let count = 1;
        const end = error.linePos[1];
        if (end?.line === line && end.col > col) {
            count = Math.max(1, Math.min(end.col - col, 80 - ci));
        }
        const pointer = ' '.repeat(ci) + '^'.repeat(count);
        error.message += `:\n\n${lineStr}\n${pointer}\n`;
    }
};

exports.YAMLError = YAMLError;
exports.YAMLParseError = YAMLParseError;
exports.YAMLWarning = YAMLWarning;
exports.prettifyError = prettifyError;


/***/ }),

/***/ 8815:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {

var __webpack_unused_export__;


var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var Schema = __nccwpck_require__(5840);
var errors = __nccwpck_require__(1464);
var Alias = __nccwpck_require__(4065);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);
var publicApi = __nccwpck_require__(4047);
var visit = __nccwpck_require__(204);



__webpack_unused_export__ = composer.Composer;
__webpack_unused_export__ = Document.Document;
__webpack_unused_export__ = Schema.Schema;
__webpack_unused_export__ = errors.YAMLError;
__webpack_unused_export__ = errors.YAMLParseError;
__webpack_unused_export__ = errors.YAMLWarning;
__webpack_unused_export__ = Alias.Alias;
__webpack_unused_export__ = identity.isAlias;
__webpack_unused_export__ = identity.isCollection;
__webpack_unused_export__ = identity.isDocument;
__webpack_unused_export__ = identity.isMap;
__webpack_unused_export__ = identity.isNode;
__webpack_unused_export__ = identity.isPair;
__webpack_unused_export__ = identity.isScalar;
__webpack_unused_export__ = identity.isSeq;
__webpack_unused_export__ = Pair.Pair;
__webpack_unused_export__ = Scalar.Scalar;
__webpack_unused_export__ = YAMLMap.YAMLMap;
__webpack_unused_export__ = YAMLSeq.YAMLSeq;
__webpack_unused_export__ = cst;
__webpack_unused_export__ = lexer.Lexer;
__webpack_unused_export__ = lineCounter.LineCounter;
__webpack_unused_export__ = parser.Parser;
exports.qg = publicApi.parse;
__webpack_unused_export__ = publicApi.parseAllDocuments;
__webpack_unused_export__ = publicApi.parseDocument;
__webpack_unused_export__ = publicApi.stringify;
__webpack_unused_export__ = visit.visit;
__webpack_unused_export__ = visit.visitAsync;


/***/ }),

/***/ 7249:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);

function debug(logLevel, ...messages) {
    if (logLevel === 'debug')
        console.log(...messages);
}
function warn(logLevel, warning) {
    if (logLevel === 'debug' || logLevel === 'warn') {
        if (typeof node_process.emitWarning === 'function')
            node_process.emitWarning(warning);
        else
            console.warn(warning);
    }
}

exports.debug = debug;
exports.warn = warn;


/***/ }),

/***/ 4065:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var visit = __nccwpck_require__(204);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

class Alias extends Node.NodeBase {
    constructor(source) {
        super(identity.ALIAS);
        this.source = source;
        Object.defineProperty(this, 'tag', {
            set() {
                throw new Error('Alias nodes cannot have tags');
            }
        });
    }
    /**
     * Resolve the value of this alias within `doc`, finding the last
     * instance of the `source` anchor before this node.
     */
    resolve(doc, ctx) {
        if (ctx?.maxAliasCount === 0)
            throw new ReferenceError('Alias resolution is disabled');
        let nodes;
        if (ctx?.aliasResolveCache) {
            nodes = ctx.aliasResolveCache;
        }
        else {
            nodes = [];
            visit.visit(doc, {
                Node: (_key, node) => {
                    if (identity.isAlias(node) || identity.hasAnchor(node))
                        nodes.push(node);
                }
            });
            if (ctx)
                ctx.aliasResolveCache = nodes;
        }
        let found = undefined;
        for (const node of nodes) {
            if (node === this)
                break;
            if (node.anchor === this.source)
                found = node;
        }
        if (found && ctx) {
            const { anchors, doc, maxAliasCount } = ctx;
            let data = anchors.get(found);
            if (!data) {
                // Resolve anchors for Node.prototype.toJS()
                toJS.toJS(found, null, ctx);
                data = anchors.get(found);
            }
            /* istanbul ignore if */
            if (data?.res === undefined) {
                const msg = 'This should not happen: Alias anchor was not resolved?';
                throw new ReferenceError(msg);
            }
            if (maxAliasCount >= 0) {
                data.count += 1;
                if (data.aliasCount === 0)
                    data.aliasCount = getAliasCount(doc, found, anchors);
                if (data.count * data.aliasCount > maxAliasCount) {
                    const msg = 'Excessive alias count indicates a resource exhaustion attack';
                    throw new ReferenceError(msg);
                }
            }
        }
        return found;
    }
    toJSON(_arg, ctx) {
        if (!ctx)
            return { source: this.source };
        const source = this.resolve(ctx.doc, ctx);
        if (!source) {
            const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
            throw new ReferenceError(msg);
        }
        return ctx.anchors.get(source).res;
    }
    toString(ctx, _onComment, _onChompKeep) {
        const src = `*${this.source}`;
        if (ctx) {
            anchors.anchorIsValid(this.source);
            if (ctx.options.verifyAliasOrder && !ctx.anchors.has(this.source)) {
                const msg = `Unresolved alias (the anchor must be set before the alias): ${this.source}`;
                throw new Error(msg);
            }
            if (ctx.implicitKey)
                return `${src} `;
        }
        return src;
    }
}
function getAliasCount(doc, node, anchors) {
    if (identity.isAlias(node)) {
        const source = node.resolve(doc);
        const anchor = anchors && source && anchors.get(source);
        return anchor ? anchor.count * anchor.aliasCount : 0;
    }
    else if (identity.isCollection(node)) {
        let count = 0;
        for (const item of node.items) {
            const c = getAliasCount(doc, item, anchors);
            if (c > count)
                count = c;
        }
        return count;
    }
    else if (identity.isPair(node)) {
        const kc = getAliasCount(doc, node.key, anchors);
        const vc = getAliasCount(doc, node.value, anchors);
        return Math.max(kc, vc);
    }
    return 1;
}

exports.Alias = Alias;


/***/ }),

/***/ 101:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);

function collectionFromPath(schema, path, value) {
    let v = value;
    for (let i = path.length - 1; i >= 0; --i) {
        const k = path[i];
        if (typeof k === 'number' && Number.isInteger(k) && k >= 0) {
            const a = [];
            a[k] = v;
            v = a;
        }
        else {
            v = new Map([[k, v]]);
        }
    }
    return createNode.createNode(v, undefined, {
        aliasDuplicateObjects: false,
        keepUndefined: false,
        onAnchor: () => {
            throw new Error('This should not happen, please report a bug.');
        },
        schema,
        sourceObjects: new Map()
    });
}
// Type guard is intentionally a little wrong so as to be more useful,
// as it does not cover untypable empty non-string iterables (e.g. []).
const isEmptyPath = (path) => path == null ||
    (typeof path === 'object' && !!path[Symbol.iterator]().next().done);
class Collection extends Node.NodeBase {
    constructor(type, schema) {
        super(type);
        Object.defineProperty(this, 'schema', {
            value: schema,
            configurable: true,
            enumerable: false,
            writable: true
        });
    }
    /**
     * Create a copy of this collection.
     *
     * @param schema - If defined, overwrites the original's schema
     */
    clone(schema) {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (schema)
            copy.schema = schema;
        copy.items = copy.items.map(it => identity.isNode(it) || identity.isPair(it) ? it.clone(schema) : it);
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /**
     * Adds a value to the collection. For `!!map` and `!!omap` the value must
     * be a Pair instance or a `{ key, value }` object, which may not have a key
     * that already exists in the map.
     */
    addIn(path, value) {
        if (isEmptyPath(path))
            this.add(value);
        else {
            const [key, ...rest] = path;
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.addIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
    /**
     * Removes a value from the collection.
     * @returns `true` if the item was found and removed.
     */
    deleteIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.delete(key);
        const node = this.get(key, true);
        if (identity.isCollection(node))
            return node.deleteIn(rest);
        else
            throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
    }
    /**
     * Returns item at `key`, or `undefined` if not found. By default unwraps
     * scalar values from their surrounding node; to disable set `keepScalar` to
     * `true` (collections are always returned intact).
     */
    getIn(path, keepScalar) {
        const [key, ...rest] = path;
        const node = this.get(key, true);
        if (rest.length === 0)
            return !keepScalar && identity.isScalar(node) ? node.value : node;
        else
            return identity.isCollection(node) ? node.getIn(rest, keepScalar) : undefined;
    }
    hasAllNullValues(allowScalar) {
        return this.items.every(node => {
            if (!identity.isPair(node))
                return false;
            const n = node.value;
            return (n == null ||
                (allowScalar &&
                    identity.isScalar(n) &&
                    n.value == null &&
                    !n.commentBefore &&
                    !n.comment &&
                    !n.tag));
        });
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     */
    hasIn(path) {
        const [key, ...rest] = path;
        if (rest.length === 0)
            return this.has(key);
        const node = this.get(key, true);
        return identity.isCollection(node) ? node.hasIn(rest) : false;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     */
    setIn(path, value) {
        const [key, ...rest] = path;
        if (rest.length === 0) {
            this.set(key, value);
        }
        else {
            const node = this.get(key, true);
            if (identity.isCollection(node))
                node.setIn(rest, value);
            else if (node === undefined && this.schema)
                this.set(key, collectionFromPath(this.schema, rest, value));
            else
                throw new Error(`Expected YAML collection at ${key}. Remaining path: ${rest}`);
        }
    }
}

exports.Collection = Collection;
exports.collectionFromPath = collectionFromPath;
exports.isEmptyPath = isEmptyPath;


/***/ }),

/***/ 6673:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var applyReviver = __nccwpck_require__(3661);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

class NodeBase {
    constructor(type) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: type });
    }
    /** Create a copy of this node.  */
    clone() {
        const copy = Object.create(Object.getPrototypeOf(this), Object.getOwnPropertyDescriptors(this));
        if (this.range)
            copy.range = this.range.slice();
        return copy;
    }
    /** A plain JavaScript representation of this node. */
    toJS(doc, { mapAsMap, maxAliasCount, onAnchor, reviver } = {}) {
        if (!identity.isDocument(doc))
            throw new TypeError('A document argument is required');
        const ctx = {
            anchors: new Map(),
            doc,
            keep: true,
            mapAsMap: mapAsMap === true,
            mapKeyWarned: false,
            maxAliasCount: typeof maxAliasCount === 'number' ? maxAliasCount : 100
        };
        const res = toJS.toJS(this, '', ctx);
        if (typeof onAnchor === 'function')
            for (const { count, res } of ctx.anchors.values())
                onAnchor(res, count);
        return typeof reviver === 'function'
            ? applyReviver.applyReviver(reviver, { '': res }, '', res)
            : res;
    }
}

exports.NodeBase = NodeBase;


/***/ }),

/***/ 7165:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyPair = __nccwpck_require__(9748);
var addPairToJSMap = __nccwpck_require__(7104);
var identity = __nccwpck_require__(1127);

function createPair(key, value, ctx) {
    const k = createNode.createNode(key, undefined, ctx);
    const v = createNode.createNode(value, undefined, ctx);
    return new Pair(k, v);
}
class Pair {
    constructor(key, value = null) {
        Object.defineProperty(this, identity.NODE_TYPE, { value: identity.PAIR });
        this.key = key;
        this.value = value;
    }
    clone(schema) {
        let { key, value } = this;
        if (identity.isNode(key))
            key = key.clone(schema);
        if (identity.isNode(value))
            value = value.clone(schema);
        return new Pair(key, value);
    }
    toJSON(_, ctx) {
        const pair = ctx?.mapAsMap ? new Map() : {};
        return addPairToJSMap.addPairToJSMap(ctx, pair, this);
    }
    toString(ctx, onComment, onChompKeep) {
        return ctx?.doc
            ? stringifyPair.stringifyPair(this, ctx, onComment, onChompKeep)
            : JSON.stringify(this);
    }
}

exports.Pair = Pair;
exports.createPair = createPair;


/***/ }),

/***/ 3301:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Node = __nccwpck_require__(6673);
var toJS = __nccwpck_require__(4043);

const isScalarValue = (value) => !value || (typeof value !== 'function' && typeof value !== 'object');
class Scalar extends Node.NodeBase {
    constructor(value) {
        super(identity.SCALAR);
        this.value = value;
    }
    toJSON(arg, ctx) {
        return ctx?.keep ? this.value : toJS.toJS(this.value, arg, ctx);
    }
    toString() {
        return String(this.value);
    }
}
Scalar.BLOCK_FOLDED = 'BLOCK_FOLDED';
Scalar.BLOCK_LITERAL = 'BLOCK_LITERAL';
Scalar.PLAIN = 'PLAIN';
Scalar.QUOTE_DOUBLE = 'QUOTE_DOUBLE';
Scalar.QUOTE_SINGLE = 'QUOTE_SINGLE';

exports.Scalar = Scalar;
exports.isScalarValue = isScalarValue;


/***/ }),

/***/ 4454:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyCollection = __nccwpck_require__(1212);
var addPairToJSMap = __nccwpck_require__(7104);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);

function findPair(items, key) {
    const k = identity.isScalar(key) ? key.value : key;
    for (const it of items) {
        if (identity.isPair(it)) {
            if (it.key === key || it.key === k)
                return it;
            if (identity.isScalar(it.key) && it.key.value === k)
                return it;
        }
    }
    return undefined;
}
class YAMLMap extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:map';
    }
    constructor(schema) {
        super(identity.MAP, schema);
        this.items = [];
    }
    /**
     * A generic collection parsing method that can be extended
     * to other node classes that inherit from YAMLMap
     */
    static from(schema, obj, ctx) {
        const { keepUndefined, replacer } = ctx;
        const map = new this(schema);
        const add = (key, value) => {
            if (typeof replacer === 'function')
                value = replacer.call(obj, key, value);
            else if (Array.isArray(replacer) && !replacer.includes(key))
                return;
            if (value !== undefined || keepUndefined)
                map.items.push(Pair.createPair(key, value, ctx));
        };
        if (obj instanceof Map) {
            for (const [key, value] of obj)
                add(key, value);
        }
        else if (obj && typeof obj === 'object') {
            for (const key of Object.keys(obj))
                add(key, obj[key]);
        }
        if (typeof schema.sortMapEntries === 'function') {
            map.items.sort(schema.sortMapEntries);
        }
        return map;
    }
    /**
     * Adds a value to the collection.
     *
     * @param overwrite - If not set `true`, using a key that is already in the
     *   collection will throw. Otherwise, overwrites the previous value.
     */
    add(pair, overwrite) {
        let _pair;
        if (identity.isPair(pair))
            _pair = pair;
        else if (!pair || typeof pair !== 'object' || !('key' in pair)) {
            // In TypeScript, this never happens.
            _pair = new Pair.Pair(pair, pair?.value);
        }
        else
            _pair = new Pair.Pair(pair.key, pair.value);
        const prev = findPair(this.items, _pair.key);
        const sortEntries = this.schema?.sortMapEntries;
        if (prev) {
            if (!overwrite)
                throw new Error(`Key ${_pair.key} already set`);
            // For scalars, keep the old node & its comments and anchors
            if (identity.isScalar(prev.value) && Scalar.isScalarValue(_pair.value))
                prev.value.value = _pair.value;
            else
                prev.value = _pair.value;
        }
        else if (sortEntries) {
            const i = this.items.findIndex(item => sortEntries(_pair, item) < 0);
            if (i === -1)
                this.items.push(_pair);
            else
                this.items.splice(i, 0, _pair);
        }
        else {
            this.items.push(_pair);
        }
    }
    delete(key) {
        const it = findPair(this.items, key);
        if (!it)
            return false;
        const del = this.items.splice(this.items.indexOf(it), 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const it = findPair(this.items, key);
        const node = it?.value;
        return (!keepScalar && identity.isScalar(node) ? node.value : node) ?? undefined;
    }
    has(key) {
        return !!findPair(this.items, key);
    }
    set(key, value) {
        this.add(new Pair.Pair(key, value), true);
    }
    /**
     * @param ctx - Conversion context, originally set in Document#toJS()
     * @param {Class} Type - If set, forces the returned collection type
     * @returns Instance of Type, Map, or Object
     */
    toJSON(_, ctx, Type) {
        const map = Type ? new Type() : ctx?.mapAsMap ? new Map() : {};
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const item of this.items)
            addPairToJSMap.addPairToJSMap(ctx, map, item);
        return map;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        for (const item of this.items) {
            if (!identity.isPair(item))
                throw new Error(`Map items must all be pairs; found ${JSON.stringify(item)} instead`);
        }
        if (!ctx.allNullValues && this.hasAllNullValues(false))
            ctx = Object.assign({}, ctx, { allNullValues: true });
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '',
            flowChars: { start: '{', end: '}' },
            itemIndent: ctx.indent || '',
            onChompKeep,
            onComment
        });
    }
}

exports.YAMLMap = YAMLMap;
exports.findPair = findPair;


/***/ }),

/***/ 2223:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var createNode = __nccwpck_require__(2404);
var stringifyCollection = __nccwpck_require__(1212);
var Collection = __nccwpck_require__(101);
var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var toJS = __nccwpck_require__(4043);

class YAMLSeq extends Collection.Collection {
    static get tagName() {
        return 'tag:yaml.org,2002:seq';
    }
    constructor(schema) {
        super(identity.SEQ, schema);
        this.items = [];
    }
    add(value) {
        this.items.push(value);
    }
    /**
     * Removes a value from the collection.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     *
     * @returns `true` if the item was found and removed.
     */
    delete(key) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return false;
        const del = this.items.splice(idx, 1);
        return del.length > 0;
    }
    get(key, keepScalar) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            return undefined;
        const it = this.items[idx];
        return !keepScalar && identity.isScalar(it) ? it.value : it;
    }
    /**
     * Checks if the collection includes a value with the key `key`.
     *
     * `key` must contain a representation of an integer for this to succeed.
     * It may be wrapped in a `Scalar`.
     */
    has(key) {
        const idx = asItemIndex(key);
        return typeof idx === 'number' && idx < this.items.length;
    }
    /**
     * Sets a value in this collection. For `!!set`, `value` needs to be a
     * boolean to add/remove the item from the set.
     *
     * If `key` does not contain a representation of an integer, this will throw.
     * It may be wrapped in a `Scalar`.
     */
    set(key, value) {
        const idx = asItemIndex(key);
        if (typeof idx !== 'number')
            throw new Error(`Expected a valid index, not ${key}.`);
        const prev = this.items[idx];
        if (identity.isScalar(prev) && Scalar.isScalarValue(value))
            prev.value = value;
        else
            this.items[idx] = value;
    }
    toJSON(_, ctx) {
        const seq = [];
        if (ctx?.onCreate)
            ctx.onCreate(seq);
        let i = 0;
        for (const item of this.items)
            seq.push(toJS.toJS(item, String(i++), ctx));
        return seq;
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        return stringifyCollection.stringifyCollection(this, ctx, {
            blockItemPrefix: '- ',
            flowChars: { start: '[', end: ']' },
            itemIndent: (ctx.indent || '') + '  ',
            onChompKeep,
            onComment
        });
    }
    static from(schema, obj, ctx) {
        const { replacer } = ctx;
        const seq = new this(schema);
        if (obj && Symbol.iterator in Object(obj)) {
            let i = 0;
            for (let it of obj) {
                if (typeof replacer === 'function') {
                    const key = obj instanceof Set ? it : String(i++);
                    it = replacer.call(obj, key, it);
                }
                seq.items.push(createNode.createNode(it, undefined, ctx));
            }
        }
        return seq;
    }
}
function asItemIndex(key) {
    let idx = identity.isScalar(key) ? key.value : key;
    if (idx && typeof idx === 'string')
        idx = Number(idx);
    return typeof idx === 'number' && Number.isInteger(idx) && idx >= 0
        ? idx
        : null;
}

exports.YAMLSeq = YAMLSeq;


/***/ }),

/***/ 7104:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var log = __nccwpck_require__(7249);
var merge = __nccwpck_require__(452);
var stringify = __nccwpck_require__(2148);
var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);

function addPairToJSMap(ctx, map, { key, value }) {
    if (identity.isNode(key) && key.addToJSMap)
        key.addToJSMap(ctx, map, value);
    // TODO: Should drop this special case for bare << handling
    else if (merge.isMergeKey(ctx, key))
        merge.addMergeToJSMap(ctx, map, value);
    else {
        const jsKey = toJS.toJS(key, '', ctx);
        if (map instanceof Map) {
            map.set(jsKey, toJS.toJS(value, jsKey, ctx));
        }
        else if (map instanceof Set) {
            map.add(jsKey);
        }
        else {
            const stringKey = stringifyKey(key, jsKey, ctx);
            const jsValue = toJS.toJS(value, stringKey, ctx);
            if (stringKey in map)
                Object.defineProperty(map, stringKey, {
                    value: jsValue,
                    writable: true,
                    enumerable: true,
                    configurable: true
                });
            else
                map[stringKey] = jsValue;
        }
    }
    return map;
}
function stringifyKey(key, jsKey, ctx) {
    if (jsKey === null)
        return '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string
    if (typeof jsKey !== 'object')
        return String(jsKey);
    if (identity.isNode(key) && ctx?.doc) {
        const strCtx = stringify.createStringifyContext(ctx.doc, {});
        strCtx.anchors = new Set();
        for (const node of ctx.anchors.keys())
            strCtx.anchors.add(node.anchor);
        strCtx.inFlow = true;
        strCtx.inStringifyKey = true;
        const strKey = key.toString(strCtx);
        if (!ctx.mapKeyWarned) {
            let jsonStr = JSON.stringify(strKey);
            if (jsonStr.length > 40)
                jsonStr = jsonStr.substring(0, 36) + '..."';
            log.warn(ctx.doc.options.logLevel, `Keys with collection values will be stringified due to JS Object restrictions: ${jsonStr}. Set mapAsMap: true to use object keys.`);
            ctx.mapKeyWarned = true;
        }
        return strKey;
    }
    return JSON.stringify(jsKey);
}

exports.addPairToJSMap = addPairToJSMap;


/***/ }),

/***/ 1127:
/***/ ((__unused_webpack_module, exports) => {



const ALIAS = Symbol.for('yaml.alias');
const DOC = Symbol.for('yaml.document');
const MAP = Symbol.for('yaml.map');
const PAIR = Symbol.for('yaml.pair');
const SCALAR = Symbol.for('yaml.scalar');
const SEQ = Symbol.for('yaml.seq');
const NODE_TYPE = Symbol.for('yaml.node.type');
const isAlias = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === ALIAS;
const isDocument = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === DOC;
const isMap = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === MAP;
const isPair = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === PAIR;
const isScalar = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SCALAR;
const isSeq = (node) => !!node && typeof node === 'object' && node[NODE_TYPE] === SEQ;
function isCollection(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case MAP:
            case SEQ:
                return true;
        }
    return false;
}
function isNode(node) {
    if (node && typeof node === 'object')
        switch (node[NODE_TYPE]) {
            case ALIAS:
            case MAP:
            case SCALAR:
            case SEQ:
                return true;
        }
    return false;
}
const hasAnchor = (node) => (isScalar(node) || isCollection(node)) && !!node.anchor;

exports.ALIAS = ALIAS;
exports.DOC = DOC;
exports.MAP = MAP;
exports.NODE_TYPE = NODE_TYPE;
exports.PAIR = PAIR;
exports.SCALAR = SCALAR;
exports.SEQ = SEQ;
exports.hasAnchor = hasAnchor;
exports.isAlias = isAlias;
exports.isCollection = isCollection;
exports.isDocument = isDocument;
exports.isMap = isMap;
exports.isNode = isNode;
exports.isPair = isPair;
exports.isScalar = isScalar;
exports.isSeq = isSeq;


/***/ }),

/***/ 4043:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

/**
 * Recursively convert any node or its contents to native JavaScript
 *
 * @param value - The input value
 * @param arg - If `value` defines a `toJSON()` method, use this
 *   as its first argument
 * @param ctx - Conversion context, originally set in Document#toJS(). If
 *   `{ keep: true }` is not set, output should be suitable for JSON
 *   stringification.
 */
function toJS(value, arg, ctx) {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-return
    if (Array.isArray(value))
        return value.map((v, i) => toJS(v, String(i), ctx));
    if (value && typeof value.toJSON === 'function') {
        // eslint-disable-next-line @typescript-eslint/no-unsafe-call
        if (!ctx || !identity.hasAnchor(value))
            return value.toJSON(arg, ctx);
        const data = { aliasCount: 0, count: 1, res: undefined };
        ctx.anchors.set(value, data);
        ctx.onCreate = res => {
            data.res = res;
            delete ctx.onCreate;
        };
        const res = value.toJSON(arg, ctx);
        if (ctx.onCreate)
            ctx.onCreate(res);
        return res;
    }
    if (typeof value === 'bigint' && !ctx?.keep)
        return Number(value);
    return value;
}

exports.toJS = toJS;


/***/ }),

/***/ 110:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var resolveBlockScalar = __nccwpck_require__(8913);
var resolveFlowScalar = __nccwpck_require__(6842);
var errors = __nccwpck_require__(1464);
var stringifyString = __nccwpck_require__(3069);

function resolveAsScalar(token, strict = true, onError) {
    if (token) {
        const _onError = (pos, code, message) => {
            const offset = typeof pos === 'number' ? pos : Array.isArray(pos) ? pos[0] : pos.offset;
            if (onError)
                onError(offset, code, message);
            else
                throw new errors.YAMLParseError([offset, offset + 1], code, message);
        };
        switch (token.type) {
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return resolveFlowScalar.resolveFlowScalar(token, strict, _onError);
            case 'block-scalar':
                return resolveBlockScalar.resolveBlockScalar({ options: { strict } }, token, _onError);
        }
    }
    return null;
}
/**
 * Create a new scalar token with `value`
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.end Comments and whitespace after the end of the value, or after the block scalar header. If undefined, a newline will be added.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.indent The indent level of the token.
 * @param context.inFlow Is this scalar within a flow collection? This may affect the resolved type of the token's value.
 * @param context.offset The offset position of the token.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function createScalarToken(value, context) {
    const { implicitKey = false, indent, inFlow = false, offset = -1, type = 'PLAIN' } = context;
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey,
        indent: indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    const end = context.end ?? [
        { type: 'newline', offset: -1, indent, source: '\n' }
    ];
    switch (source[0]) {
        case '|':
        case '>': {
            const he = source.indexOf('\n');
            const head = source.substring(0, he);
            const body = source.substring(he + 1) + '\n';
            const props = [
                { type: 'block-scalar-header', offset, indent, source: head }
            ];
            if (!addEndtoBlockProps(props, end))
                props.push({ type: 'newline', offset: -1, indent, source: '\n' });
            return { type: 'block-scalar', offset, indent, props, source: body };
        }
        case '"':
            return { type: 'double-quoted-scalar', offset, indent, source, end };
        case "'":
            return { type: 'single-quoted-scalar', offset, indent, source, end };
        default:
            return { type: 'scalar', offset, indent, source, end };
    }
}
/**
 * Set the value of `token` to the given string `value`, overwriting any previous contents and type that it may have.
 *
 * Best efforts are made to retain any comments previously associated with the `token`,
 * though all contents within a collection's `items` will be overwritten.
 *
 * Values that represent an actual string but may be parsed as a different type should use a `type` other than `'PLAIN'`,
 * as this function does not support any schema operations and won't check for such conflicts.
 *
 * @param token Any token. If it does not include an `indent` value, the value will be stringified as if it were an implicit key.
 * @param value The string representation of the value, which will have its content properly indented.
 * @param context.afterKey In most cases, values after a key should have an additional level of indentation.
 * @param context.implicitKey Being within an implicit key may affect the resolved type of the token's value.
 * @param context.inFlow Being within a flow collection may affect the resolved type of the token's value.
 * @param context.type The preferred type of the scalar token. If undefined, the previous type of the `token` will be used, defaulting to `'PLAIN'`.
 */
function setScalarValue(token, value, context = {}) {
    let { afterKey = false, implicitKey = false, inFlow = false, type } = context;
    let indent = 'indent' in token ? token.indent : null;
    if (afterKey && typeof indent === 'number')
        indent += 2;
    if (!type)
        switch (token.type) {
            case 'single-quoted-scalar':
                type = 'QUOTE_SINGLE';
                break;
            case 'double-quoted-scalar':
                type = 'QUOTE_DOUBLE';
                break;
            case 'block-scalar': {
                const header = token.props[0];
                if (header.type !== 'block-scalar-header')
                    throw new Error('Invalid block scalar header');
                type = header.source[0] === '>' ? 'BLOCK_FOLDED' : 'BLOCK_LITERAL';
                break;
            }
            default:
                type = 'PLAIN';
        }
    const source = stringifyString.stringifyString({ type, value }, {
        implicitKey: implicitKey || indent === null,
        indent: indent !== null && indent > 0 ? ' '.repeat(indent) : '',
        inFlow,
        options: { blockQuote: true, lineWidth: -1 }
    });
    switch (source[0]) {
        case '|':
        case '>':
            setBlockScalarValue(token, source);
            break;
        case '"':
            setFlowScalarValue(token, source, 'double-quoted-scalar');
            break;
        case "'":
            setFlowScalarValue(token, source, 'single-quoted-scalar');
            break;
        default:
            setFlowScalarValue(token, source, 'scalar');
    }
}
function setBlockScalarValue(token, source) {
    const he = source.indexOf('\n');
    const head = source.substring(0, he);
    const body = source.substring(he + 1) + '\n';
    if (token.type === 'block-scalar') {
        const header = token.props[0];
        if (header.type !== 'block-scalar-header')
            throw new Error('Invalid block scalar header');
        header.source = head;
        token.source = body;
    }
    else {
        const { offset } = token;
        const indent = 'indent' in token ? token.indent : -1;
        const props = [
            { type: 'block-scalar-header', offset, indent, source: head }
        ];
        if (!addEndtoBlockProps(props, 'end' in token ? token.end : undefined))
            props.push({ type: 'newline', offset: -1, indent, source: '\n' });
        for (const key of Object.keys(token))
            if (key !== 'type' && key !== 'offset')
                delete token[key];
        Object.assign(token, { type: 'block-scalar', indent, props, source: body });
    }
}
/** @returns `true` if last token is a newline */
function addEndtoBlockProps(props, end) {
    if (end)
        for (const st of end)
            switch (st.type) {
                case 'space':
                case 'comment':
                    props.push(st);
                    break;
                case 'newline':
                    props.push(st);
                    return true;
            }
    return false;
}
function setFlowScalarValue(token, source, type) {
    switch (token.type) {
        case 'scalar':
        case 'double-quoted-scalar':
        case 'single-quoted-scalar':
            token.type = type;
            token.source = source;
            break;
        case 'block-scalar': {
            const end = token.props.slice(1);
            let oa = source.length;
            if (token.props[0].type === 'block-scalar-header')
                oa -= token.props[0].source.length;
            for (const tok of end)
                tok.offset += oa;
            delete token.props;
            Object.assign(token, { type, source, end });
            break;
        }
        case 'block-map':
        case 'block-seq': {
            const offset = token.offset + source.length;
            const nl = { type: 'newline', offset, indent: token.indent, source: '\n' };
            delete token.items;
            Object.assign(token, { type, source, end: [nl] });
            break;
        }
        default: {
            const indent = 'indent' in token ? token.indent : -1;
            const end = 'end' in token && Array.isArray(token.end)
                ? token.end.filter(st => st.type === 'space' ||
                    st.type === 'comment' ||
                    st.type === 'newline')
                : [];
            for (const key of Object.keys(token))
                if (key !== 'type' && key !== 'offset')
                    delete token[key];
            Object.assign(token, { type, indent, source, end });
        }
    }
}

exports.createScalarToken = createScalarToken;
exports.resolveAsScalar = resolveAsScalar;
exports.setScalarValue = setScalarValue;


/***/ }),

/***/ 1733:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringify a CST document, token, or collection item
 *
 * Fair warning: This applies no validation whatsoever, and
 * simply concatenates the sources in their logical order.
 */
const stringify = (cst) => 'type' in cst ? stringifyToken(cst) : stringifyItem(cst);
function stringifyToken(token) {
    switch (token.type) {
        case 'block-scalar': {
            let res = '';
            for (const tok of token.props)
                res += stringifyToken(tok);
            return res + token.source;
        }
        case 'block-map':
        case 'block-seq': {
            let res = '';
            for (const item of token.items)
                res += stringifyItem(item);
            return res;
        }
        case 'flow-collection': {
            let res = token.start.source;
            for (const item of token.items)
                res += stringifyItem(item);
            for (const st of token.end)
                res += st.source;
            return res;
        }
        case 'document': {
            let res = stringifyItem(token);
            if (token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
        default: {
            let res = token.source;
            if ('end' in token && token.end)
                for (const st of token.end)
                    res += st.source;
            return res;
        }
    }
}
function stringifyItem({ start, key, sep, value }) {
    let res = '';
    for (const st of start)
        res += st.source;
    if (key)
        res += stringifyToken(key);
    if (sep)
        for (const st of sep)
            res += st.source;
    if (value)
        res += stringifyToken(value);
    return res;
}

exports.stringify = stringify;


/***/ }),

/***/ 7715:
/***/ ((__unused_webpack_module, exports) => {



const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove item');
/**
 * Apply a visitor to a CST document or item.
 *
 * Walks through the tree (depth-first) starting from the root, calling a
 * `visitor` function with two arguments when entering each item:
 *   - `item`: The current item, which included the following members:
 *     - `start: SourceToken[]` – Source tokens before the key or value,
 *       possibly including its anchor or tag.
 *     - `key?: Token | null` – Set for pair values. May then be `null`, if
 *       the key before the `:` separator is empty.
 *     - `sep?: SourceToken[]` – Source tokens between the key and the value,
 *       which should include the `:` map value indicator if `value` is set.
 *     - `value?: Token` – The value of a sequence item, or of a map pair.
 *   - `path`: The steps from the root to the current node, as an array of
 *     `['key' | 'value', number]` tuples.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this token, continue with
 *      next sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current item, then continue with the next one
 *   - `number`: Set the index of the next step. This is useful especially if
 *     the index of the current token has changed.
 *   - `function`: Define the next visitor for this item. After the original
 *     visitor is called on item entry, next visitors are called after handling
 *     a non-empty `key` and when exiting the item.
 */
function visit(cst, visitor) {
    if ('type' in cst && cst.type === 'document')
        cst = { start: cst.start, value: cst.value };
    _visit(Object.freeze([]), cst, visitor);
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current item */
visit.SKIP = SKIP;
/** Remove the current item */
visit.REMOVE = REMOVE;
/** Find the item at `path` from `cst` as the root */
visit.itemAtPath = (cst, path) => {
    let item = cst;
    for (const [field, index] of path) {
        const tok = item?.[field];
        if (tok && 'items' in tok) {
            item = tok.items[index];
        }
        else
            return undefined;
    }
    return item;
};
/**
 * Get the immediate parent collection of the item at `path` from `cst` as the root.
 *
 * Throws an error if the collection is not found, which should never happen if the item itself exists.
 */
visit.parentCollection = (cst, path) => {
    const parent = visit.itemAtPath(cst, path.slice(0, -1));
    const field = path[path.length - 1][0];
    const coll = parent?.[field];
    if (coll && 'items' in coll)
        return coll;
    throw new Error('Parent collection not found');
};
function _visit(path, item, visitor) {
    let ctrl = visitor(item, path);
    if (typeof ctrl === 'symbol')
        return ctrl;
    for (const field of ['key', 'value']) {
        const token = item[field];
        if (token && 'items' in token) {
            for (let i = 0; i < token.items.length; ++i) {
                const ci = _visit(Object.freeze(path.concat([[field, i]])), token.items[i], visitor);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    token.items.splice(i, 1);
                    i -= 1;
                }
            }
            if (typeof ctrl === 'function' && field === 'key')
                ctrl = ctrl(item, path);
        }
    }
    return typeof ctrl === 'function' ? ctrl(item, path) : ctrl;
}

exports.visit = visit;


/***/ }),

/***/ 3461:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cstScalar = __nccwpck_require__(110);
var cstStringify = __nccwpck_require__(1733);
var cstVisit = __nccwpck_require__(7715);

/** The byte order mark */
const BOM = '\u{FEFF}';
/** Start of doc-mode */
const DOCUMENT = '\x02'; // C0: Start of Text
/** Unexpected end of flow-mode */
const FLOW_END = '\x18'; // C0: Cancel
/** Next token is a scalar value */
const SCALAR = '\x1f'; // C0: Unit Separator
/** @returns `true` if `token` is a flow or block collection */
const isCollection = (token) => !!token && 'items' in token;
/** @returns `true` if `token` is a flow or block scalar; not an alias */
const isScalar = (token) => !!token &&
    (token.type === 'scalar' ||
        token.type === 'single-quoted-scalar' ||
        token.type === 'double-quoted-scalar' ||
        token.type === 'block-scalar');
/* istanbul ignore next */
/** Get a printable representation of a lexer token */
function prettyToken(token) {
    switch (token) {
        case BOM:
            return '<BOM>';
        case DOCUMENT:
            return '<DOC>';
        case FLOW_END:
            return '<FLOW_END>';
        case SCALAR:
            return '<SCALAR>';
        default:
            return JSON.stringify(token);
    }
}
/** Identify the type of a lexer token. May return `null` for unknown tokens. */
function tokenType(source) {
    switch (source) {
        case BOM:
            return 'byte-order-mark';
        case DOCUMENT:
            return 'doc-mode';
        case FLOW_END:
            return 'flow-error-end';
        case SCALAR:
            return 'scalar';
        case '---':
            return 'doc-start';
        case '...':
            return 'doc-end';
        case '':
        case '\n':
        case '\r\n':
            return 'newline';
        case '-':
            return 'seq-item-ind';
        case '?':
            return 'explicit-key-ind';
        case ':':
            return 'map-value-ind';
        case '{':
            return 'flow-map-start';
        case '}':
            return 'flow-map-end';
        case '[':
            return 'flow-seq-start';
        case ']':
            return 'flow-seq-end';
        case ',':
            return 'comma';
    }
    switch (source[0]) {
        case ' ':
        case '\t':
            return 'space';
        case '#':
            return 'comment';
        case '%':
            return 'directive-line';
        case '*':
            return 'alias';
        case '&':
            return 'anchor';
        case '!':
            return 'tag';
        case "'":
            return 'single-quoted-scalar';
        case '"':
            return 'double-quoted-scalar';
        case '|':
        case '>':
            return 'block-scalar-header';
    }
    return null;
}

exports.createScalarToken = cstScalar.createScalarToken;
exports.resolveAsScalar = cstScalar.resolveAsScalar;
exports.setScalarValue = cstScalar.setScalarValue;
exports.stringify = cstStringify.stringify;
exports.visit = cstVisit.visit;
exports.BOM = BOM;
exports.DOCUMENT = DOCUMENT;
exports.FLOW_END = FLOW_END;
exports.SCALAR = SCALAR;
exports.isCollection = isCollection;
exports.isScalar = isScalar;
exports.prettyToken = prettyToken;
exports.tokenType = tokenType;


/***/ }),

/***/ 361:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var cst = __nccwpck_require__(3461);

/*
START -> stream

stream
  directive -> line-end -> stream
  indent + line-end -> stream
  [else] -> line-start

line-end
  comment -> line-end
  newline -> .
  input-end -> END

line-start
  doc-start -> doc
  doc-end -> stream
  [else] -> indent -> block-start

block-start
  seq-item-start -> block-start
  explicit-key-start -> block-start
  map-value-start -> block-start
  [else] -> doc

doc
  line-end -> line-start
  spaces -> doc
  anchor -> doc
  tag -> doc
  flow-start -> flow -> doc
  flow-end -> error -> doc
  seq-item-start -> error -> doc
  explicit-key-start -> error -> doc
  map-value-start -> doc
  alias -> doc
  quote-start -> quoted-scalar -> doc
  block-scalar-header -> line-end -> block-scalar(min) -> line-start
  [else] -> plain-scalar(false, min) -> doc

flow
  line-end -> flow
  spaces -> flow
  anchor -> flow
  tag -> flow
  flow-start -> flow -> flow
  flow-end -> .
  seq-item-start -> error -> flow
  explicit-key-start -> flow
  map-value-start -> flow
  alias -> flow
  quote-start -> quoted-scalar -> flow
  comma -> flow
  [else] -> plain-scalar(true, 0) -> flow

quoted-scalar
  quote-end -> .
  [else] -> quoted-scalar

block-scalar(min)
  newline + peek(indent < min) -> .
  [else] -> block-scalar(min)

plain-scalar(is-flow, min)
  scalar-end(is-flow) -> .
  peek(newline + (indent < min)) -> .
  [else] -> plain-scalar(min)
*/
function isEmpty(ch) {
    switch (ch) {
        case undefined:
        case ' ':
        case '\n':
        case '\r':
        case '\t':
            return true;
        default:
            return false;
    }
}
const hexDigits = new Set('0123456789ABCDEFabcdef');
const tagChars = new Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-#;/?:@&=+$_.!~*'()");
const flowIndicatorChars = new Set(',[]{}');
const invalidAnchorChars = new Set(' ,[]{}\n\r\t');
const isNotAnchorChar = (ch) => !ch || invalidAnchorChars.has(ch);
/**
 * Splits an input string into lexical tokens, i.e. smaller strings that are
 * easily identifiable by `tokens.tokenType()`.
 *
 * Lexing starts always in a "stream" context. Incomplete input may be buffered
 * until a complete token can be emitted.
 *
 * In addition to slices of the original input, the following control characters
 * may also be emitted:
 *
 * - `\x02` (Start of Text): A document starts with the next token
 * - `\x18` (Cancel): Unexpected end of flow-mode (indicates an error)
 * - `\x1f` (Unit Separator): Next token is a scalar value
 * - `\u{FEFF}` (Byte order mark): Emitted separately outside documents
 */
class Lexer {
    constructor() {
        /**
         * Flag indicating whether the end of the current buffer marks the end of
         * all input
         */
        this.atEnd = false;
        /**
         * Explicit indent set in block scalar header, as an offset from the current
         * minimum indent, so e.g. set to 1 from a header `|2+`. Set to -1 if not
         * explicitly set.
         */
        this.blockScalarIndent = -1;
        /**
         * Block scalars that include a + (keep) chomping indicator in their header
         * include trailing empty lines, which are otherwise excluded from the
         * scalar's contents.
         */
        this.blockScalarKeep = false;
        /** Current input */
        this.buffer = '';
        /**
         * Flag noting whether the map value indicator : can immediately follow this
         * node within a flow context.
         */
        this.flowKey = false;
        /** Count of surrounding flow collection levels. */
        this.flowLevel = 0;
        /**
         * Minimum level of indentation required for next lines to be parsed as a
         * part of the current scalar value.
         */
        this.indentNext = 0;
        /** Indentation level of the current line. */
        this.indentValue = 0;
        /** Position of the next \n character. */
        this.lineEndPos = null;
        /** Stores the state of the lexer if reaching the end of incpomplete input */
        this.next = null;
        /** A pointer to `buffer`; the current position of the lexer. */
        this.pos = 0;
    }
    /**
     * Generate YAML tokens from the `source` string. If `incomplete`,
     * a part of the last line may be left as a buffer for the next call.
     *
     * @returns A generator of lexical tokens
     */
    *lex(source, incomplete = false) {
        if (source) {
            if (typeof source !== 'string')
                throw TypeError('source is not a string');
            this.buffer = this.buffer ? this.buffer + source : source;
            this.lineEndPos = null;
        }
        this.atEnd = !incomplete;
        let next = this.next ?? 'stream';
        while (next && (incomplete || this.hasChars(1)))
            next = yield* this.parseNext(next);
    }
    atLineEnd() {
        let i = this.pos;
        let ch = this.buffer[i];
        while (ch === ' ' || ch === '\t')
            ch = this.buffer[++i];
        if (!ch || ch === '#' || ch === '\n')
            return true;
        if (ch === '\r')
            return this.buffer[i + 1] === '\n';
        return false;
    }
    charAt(n) {
        return this.buffer[this.pos + n];
    }
    continueScalar(offset) {
        let ch = this.buffer[offset];
        if (this.indentNext > 0) {
            let indent = 0;
            while (ch === ' ')
                ch = this.buffer[++indent + offset];
            if (ch === '\r') {
                const next = this.buffer[indent + offset + 1];
                if (next === '\n' || (!next && !this.atEnd))
                    return offset + indent + 1;
            }
            return ch === '\n' || indent >= this.indentNext || (!ch && !this.atEnd)
                ? offset + indent
                : -1;
        }
        if (ch === '-' || ch === '.') {
            const dt = this.buffer.substr(offset, 3);
            if ((dt === '---' || dt === '...') && isEmpty(this.buffer[offset + 3]))
                return -1;
        }
        return offset;
    }
    getLine() {
        let end = this.lineEndPos;
        if (typeof end !== 'number' || (end !== -1 && end < this.pos)) {
            end = this.buffer.indexOf('\n', this.pos);
            this.lineEndPos = end;
        }
        if (end === -1)
            return this.atEnd ? this.buffer.substring(this.pos) : null;
        if (this.buffer[end - 1] === '\r')
            end -= 1;
        return this.buffer.substring(this.pos, end);
    }
    hasChars(n) {
        return this.pos + n <= this.buffer.length;
    }
    setNext(state) {
        this.buffer = this.buffer.substring(this.pos);
        this.pos = 0;
        this.lineEndPos = null;
        this.next = state;
        return null;
    }
    peek(n) {
        return this.buffer.substr(this.pos, n);
    }
    *parseNext(next) {
        switch (next) {
            case 'stream':
                return yield* this.parseStream();
            case 'line-start':
                return yield* this.parseLineStart();
            case 'block-start':
                return yield* this.parseBlockStart();
            case 'doc':
                return yield* this.parseDocument();
            case 'flow':
                return yield* this.parseFlowCollection();
            case 'quoted-scalar':
                return yield* this.parseQuotedScalar();
            case 'block-scalar':
                return yield* this.parseBlockScalar();
            case 'plain-scalar':
                return yield* this.parsePlainScalar();
        }
    }
    *parseStream() {
        let line = this.getLine();
        if (line === null)
            return this.setNext('stream');
        if (line[0] === cst.BOM) {
            yield* this.pushCount(1);
            line = line.substring(1);
        }
        if (line[0] === '%') {
            let dirEnd = line.length;
            let cs = line.indexOf('#');
            while (cs !== -1) {
                const ch = line[cs - 1];
                if (ch === ' ' || ch === '\t') {
                    dirEnd = cs - 1;
                    break;
                }
                else {
                    cs = line.indexOf('#', cs + 1);
                }
            }
            while (true) {
                const ch = line[dirEnd - 1];
                if (ch === ' ' || ch === '\t')
                    dirEnd -= 1;
                else
                    break;
            }
            const n = (yield* this.pushCount(dirEnd)) + (yield* this.pushSpaces(true));
            yield* this.pushCount(line.length - n); // possible comment
            this.pushNewline();
            return 'stream';
        }
        if (this.atLineEnd()) {
            const sp = yield* this.pushSpaces(true);
            yield* this.pushCount(line.length - sp);
            yield* this.pushNewline();
            return 'stream';
        }
        yield cst.DOCUMENT;
        return yield* this.parseLineStart();
    }
    *parseLineStart() {
        const ch = this.charAt(0);
        if (!ch && !this.atEnd)
            return this.setNext('line-start');
        if (ch === '-' || ch === '.') {
            if (!this.atEnd && !this.hasChars(4))
                return this.setNext('line-start');
            const s = this.peek(3);
            if ((s === '---' || s === '...') && isEmpty(this.charAt(3))) {
                yield* this.pushCount(3);
                this.indentValue = 0;
                this.indentNext = 0;
                return s === '---' ? 'doc' : 'stream';
            }
        }
        this.indentValue = yield* this.pushSpaces(false);
        if (this.indentNext > this.indentValue && !isEmpty(this.charAt(1)))
            this.indentNext = this.indentValue;
        return yield* this.parseBlockStart();
    }
    *parseBlockStart() {
        const [ch0, ch1] = this.peek(2);
        if (!ch1 && !this.atEnd)
            return this.setNext('block-start');
        if ((ch0 === '-' || ch0 === '?' || ch0 === ':') && isEmpty(ch1)) {
            const n = (yield* this.pushCount(1)) + (yield* this.pushSpaces(true));
            this.indentNext = this.indentValue + 1;
            this.indentValue += n;
            return 'block-start';
        }
        return 'doc';
    }
    *parseDocument() {
        yield* this.pushSpaces(true);
        const line = this.getLine();
        if (line === null)
            return this.setNext('doc');
        let n = yield* this.pushIndicators();
        switch (line[n]) {
            case '#':
                yield* this.pushCount(line.length - n);
            // fallthrough
            case undefined:
                yield* this.pushNewline();
                return yield* this.parseLineStart();
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel = 1;
                return 'flow';
            case '}':
            case ']':
                // this is an error
                yield* this.pushCount(1);
                return 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'doc';
            case '"':
            case "'":
                return yield* this.parseQuotedScalar();
            case '|':
            case '>':
                n += yield* this.parseBlockScalarHeader();
                n += yield* this.pushSpaces(true);
                yield* this.pushCount(line.length - n);
                yield* this.pushNewline();
                return yield* this.parseBlockScalar();
            default:
                return yield* this.parsePlainScalar();
        }
    }
    *parseFlowCollection() {
        let nl, sp;
        let indent = -1;
        do {
            nl = yield* this.pushNewline();
            if (nl > 0) {
                sp = yield* this.pushSpaces(false);
                this.indentValue = indent = sp;
            }
            else {
                sp = 0;
            }
            sp += yield* this.pushSpaces(true);
        } while (nl + sp > 0);
        const line = this.getLine();
        if (line === null)
            return this.setNext('flow');
        if ((indent !== -1 && indent < this.indentNext && line[0] !== '#') ||
            (indent === 0 &&
                (line.startsWith('---') || line.startsWith('...')) &&
                isEmpty(line[3]))) {
            // Allowing for the terminal ] or } at the same (rather than greater)
            // indent level as the initial [ or { is technically invalid, but
            // failing here would be surprising to users.
            const atFlowEndMarker = indent === this.indentNext - 1 &&
                this.flowLevel === 1 &&
                (line[0] === ']' || line[0] === '}');
            if (!atFlowEndMarker) {
                // this is an error
                this.flowLevel = 0;
                yield cst.FLOW_END;
                return yield* this.parseLineStart();
            }
        }
        let n = 0;
        while (line[n] === ',') {
            n += yield* this.pushCount(1);
            n += yield* this.pushSpaces(true);
            this.flowKey = false;
        }
        n += yield* this.pushIndicators();
        switch (line[n]) {
            case undefined:
                return 'flow';
            case '#':
                yield* this.pushCount(line.length - n);
                return 'flow';
            case '{':
            case '[':
                yield* this.pushCount(1);
                this.flowKey = false;
                this.flowLevel += 1;
                return 'flow';
            case '}':
            case ']':
                yield* this.pushCount(1);
                this.flowKey = true;
                this.flowLevel -= 1;
                return this.flowLevel ? 'flow' : 'doc';
            case '*':
                yield* this.pushUntil(isNotAnchorChar);
                return 'flow';
            case '"':
            case "'":
                this.flowKey = true;
                return yield* this.parseQuotedScalar();
            case ':': {
                const next = this.charAt(1);
                if (this.flowKey || isEmpty(next) || next === ',') {
                    this.flowKey = false;
                    yield* this.pushCount(1);
                    yield* this.pushSpaces(true);
                    return 'flow';
                }
            }
            // fallthrough
            default:
                this.flowKey = false;
                return yield* this.parsePlainScalar();
        }
    }
    *parseQuotedScalar() {
        const quote = this.charAt(0);
        let end = this.buffer.indexOf(quote, this.pos + 1);
        if (quote === "'") {
            while (end !== -1 && this.buffer[end + 1] === "'")
                end = this.buffer.indexOf("'", end + 2);
        }
        else {
            // double-quote
            while (end !== -1) {
                let n = 0;
                while (this.buffer[end - 1 - n] === '\\')
                    n += 1;
                if (n % 2 === 0)
                    break;
                end = this.buffer.indexOf('"', end + 1);
            }
        }
        // Only looking for newlines within the quotes
        const qb = this.buffer.substring(0, end);
        let nl = qb.indexOf('\n', this.pos);
        if (nl !== -1) {
            while (nl !== -1) {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = qb.indexOf('\n', cs);
            }
            if (nl !== -1) {
                // this is an error caused by an unexpected unindent
                end = nl - (qb[nl - 1] === '\r' ? 2 : 1);
            }
        }
        if (end === -1) {
            if (!this.atEnd)
                return this.setNext('quoted-scalar');
            end = this.buffer.length;
        }
        yield* this.pushToIndex(end + 1, false);
        return this.flowLevel ? 'flow' : 'doc';
    }
    *parseBlockScalarHeader() {
        this.blockScalarIndent = -1;
        this.blockScalarKeep = false;
        let i = this.pos;
        while (true) {
            const ch = this.buffer[++i];
            if (ch === '+')
                this.blockScalarKeep = true;
            else if (ch > '0' && ch <= '9')
                this.blockScalarIndent = Number(ch) - 1;
            else if (ch !== '-')
                break;
        }
        return yield* this.pushUntil(ch => isEmpty(ch) || ch === '#');
    }
    *parseBlockScalar() {
        let nl = this.pos - 1; // may be -1 if this.pos === 0
        let indent = 0;
        let ch;
        loop: for (let i = this.pos; (ch = this.buffer[i]); ++i) {
            switch (ch) {
                case ' ':
                    indent += 1;
                    break;
                case '\n':
                    nl = i;
                    indent = 0;
                    break;
                case '\r': {
                    const next = this.buffer[i + 1];
                    if (!next && !this.atEnd)
                        return this.setNext('block-scalar');
                    if (next === '\n')
                        break;
                } // fallthrough
                default:
                    break loop;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('block-scalar');
        if (indent >= this.indentNext) {
            if (this.blockScalarIndent === -1)
                this.indentNext = indent;
            else {
                this.indentNext =
                    this.blockScalarIndent + (this.indentNext === 0 ? 1 : this.indentNext);
            }
            do {
                const cs = this.continueScalar(nl + 1);
                if (cs === -1)
                    break;
                nl = this.buffer.indexOf('\n', cs);
            } while (nl !== -1);
            if (nl === -1) {
                if (!this.atEnd)
                    return this.setNext('block-scalar');
                nl = this.buffer.length;
            }
        }
        // Trailing insufficiently indented tabs are invalid.
        // To catch that during parsing, we include them in the block scalar value.
        let i = nl + 1;
        ch = this.buffer[i];
        while (ch === ' ')
            ch = this.buffer[++i];
        if (ch === '\t') {
            while (ch === '\t' || ch === ' ' || ch === '\r' || ch === '\n')
                ch = this.buffer[++i];
            nl = i - 1;
        }
        else if (!this.blockScalarKeep) {
            do {
                let i = nl - 1;
                let ch = this.buffer[i];
                if (ch === '\r')
                    ch = this.buffer[--i];
                const lastChar = i; // Drop the line if last char not more indented
                while (ch === ' ')
                    ch = this.buffer[--i];
                if (ch === '\n' && i >= this.pos && i + 1 + indent > lastChar)
                    nl = i;
                else
                    break;
            } while (true);
        }
        yield cst.SCALAR;
        yield* this.pushToIndex(nl + 1, true);
        return yield* this.parseLineStart();
    }
    *parsePlainScalar() {
        const inFlow = this.flowLevel > 0;
        let end = this.pos - 1;
        let i = this.pos - 1;
        let ch;
        while ((ch = this.buffer[++i])) {
            if (ch === ':') {
                const next = this.buffer[i + 1];
                if (isEmpty(next) || (inFlow && flowIndicatorChars.has(next)))
                    break;
                end = i;
            }
            else if (isEmpty(ch)) {
                let next = this.buffer[i + 1];
                if (ch === '\r') {
                    if (next === '\n') {
                        i += 1;
                        ch = '\n';
                        next = this.buffer[i + 1];
                    }
                    else
                        end = i;
                }
                if (next === '#' || (inFlow && flowIndicatorChars.has(next)))
                    break;
                if (ch === '\n') {
                    const cs = this.continueScalar(i + 1);
                    if (cs === -1)
                        break;
                    i = Math.max(i, cs - 2); // to advance, but still account for ' #'
                }
            }
            else {
                if (inFlow && flowIndicatorChars.has(ch))
                    break;
                end = i;
            }
        }
        if (!ch && !this.atEnd)
            return this.setNext('plain-scalar');
        yield cst.SCALAR;
        yield* this.pushToIndex(end + 1, true);
        return inFlow ? 'flow' : 'doc';
    }
    *pushCount(n) {
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos += n;
            return n;
        }
        return 0;
    }
    *pushToIndex(i, allowEmpty) {
        const s = this.buffer.slice(this.pos, i);
        if (s) {
            yield s;
            this.pos += s.length;
            return s.length;
        }
        else if (allowEmpty)
            yield '';
        return 0;
    }
    *pushIndicators() {
        let n = 0;
        loop: while (true) {
            switch (this.charAt(0)) {
                case '!':
                    n += yield* this.pushTag();
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '&':
                    n += yield* this.pushUntil(isNotAnchorChar);
                    n += yield* this.pushSpaces(true);
                    continue loop;
                case '-': // this is an error
                case '?': // this is an error outside flow collections
                case ':': {
                    const inFlow = this.flowLevel > 0;
                    const ch1 = this.charAt(1);
                    if (isEmpty(ch1) || (inFlow && flowIndicatorChars.has(ch1))) {
                        if (!inFlow)
                            this.indentNext = this.indentValue + 1;
                        else if (this.flowKey)
                            this.flowKey = false;
                        n += yield* this.pushCount(1);
                        n += yield* this.pushSpaces(true);
                        continue loop;
                    }
                }
            }
            break loop;
        }
        return n;
    }
    *pushTag() {
        if (this.charAt(1) === '<') {
            let i = this.pos + 2;
            let ch = this.buffer[i];
            while (!isEmpty(ch) && ch !== '>')
                ch = this.buffer[++i];
            return yield* this.pushToIndex(ch === '>' ? i + 1 : i, false);
        }
        else {
            let i = this.pos + 1;
            let ch = this.buffer[i];
            while (ch) {
                if (tagChars.has(ch))
                    ch = this.buffer[++i];
                else if (ch === '%' &&
                    hexDigits.has(this.buffer[i + 1]) &&
                    hexDigits.has(this.buffer[i + 2])) {
                    ch = this.buffer[(i += 3)];
                }
                else
                    break;
            }
            return yield* this.pushToIndex(i, false);
        }
    }
    *pushNewline() {
        const ch = this.buffer[this.pos];
        if (ch === '\n')
            return yield* this.pushCount(1);
        else if (ch === '\r' && this.charAt(1) === '\n')
            return yield* this.pushCount(2);
        else
            return 0;
    }
    *pushSpaces(allowTabs) {
        let i = this.pos - 1;
        let ch;
        do {
            ch = this.buffer[++i];
        } while (ch === ' ' || (allowTabs && ch === '\t'));
        const n = i - this.pos;
        if (n > 0) {
            yield this.buffer.substr(this.pos, n);
            this.pos = i;
        }
        return n;
    }
    *pushUntil(test) {
        let i = this.pos;
        let ch = this.buffer[i];
        while (!test(ch))
            ch = this.buffer[++i];
        return yield* this.pushToIndex(i, false);
    }
}

exports.Lexer = Lexer;


/***/ }),

/***/ 6628:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Tracks newlines during parsing in order to provide an efficient API for
 * determining the one-indexed `{ line, col }` position for any offset
 * within the input.
 */
class LineCounter {
    constructor() {
        this.lineStarts = [];
        /**
         * Should be called in ascending order. Otherwise, call
         * `lineCounter.lineStarts.sort()` before calling `linePos()`.
         */
        this.addNewLine = (offset) => this.lineStarts.push(offset);
        /**
         * Performs a binary search and returns the 1-indexed { line, col }
         * position of `offset`. If `line === 0`, `addNewLine` has never been
         * called or `offset` is before the first known newline.
         */
        this.linePos = (offset) => {
            let low = 0;
            let high = this.lineStarts.length;
            while (low < high) {
                const mid = (low + high) >> 1; // Math.floor((low + high) / 2)
                if (this.lineStarts[mid] < offset)
                    low = mid + 1;
                else
                    high = mid;
            }
            if (this.lineStarts[low] === offset)
                return { line: low + 1, col: 1 };
            if (low === 0)
                return { line: 0, col: offset };
            const start = this.lineStarts[low - 1];
            return { line: low, col: offset - start + 1 };
        };
    }
}

exports.LineCounter = LineCounter;


/***/ }),

/***/ 3456:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_process = __nccwpck_require__(932);
var cst = __nccwpck_require__(3461);
var lexer = __nccwpck_require__(361);

function includesToken(list, type) {
    for (let i = 0; i < list.length; ++i)
        if (list[i].type === type)
            return true;
    return false;
}
function findNonEmptyIndex(list) {
    for (let i = 0; i < list.length; ++i) {
        switch (list[i].type) {
            case 'space':
            case 'comment':
            case 'newline':
                break;
            default:
                return i;
        }
    }
    return -1;
}
function isFlowToken(token) {
    switch (token?.type) {
        case 'alias':
        case 'scalar':
        case 'single-quoted-scalar':
        case 'double-quoted-scalar':
        case 'flow-collection':
            return true;
        default:
            return false;
    }
}
function getPrevProps(parent) {
    switch (parent.type) {
        case 'document':
            return parent.start;
        case 'block-map': {
            const it = parent.items[parent.items.length - 1];
            return it.sep ?? it.start;
        }
        case 'block-seq':
            return parent.items[parent.items.length - 1].start;
        /* istanbul ignore next should not happen */
        default:
            return [];
    }
}
/** Note: May modify input array */
function getFirstKeyStartProps(prev) {
    if (prev.length === 0)
        return [];
    let i = prev.length;
    loop: while (--i >= 0) {
        switch (prev[i].type) {
            case 'doc-start':
            case 'explicit-key-ind':
            case 'map-value-ind':
            case 'seq-item-ind':
            case 'newline':
                break loop;
        }
    }
    while (prev[++i]?.type === 'space') {
        /* loop */
    }
    return prev.splice(i, prev.length);
}
function arrayPushArray(target, source) {
    // May exhaust call stack with large `source` array
    if (source.length < 1e5)
        Array.prototype.push.apply(target, source);
    else
        for (let i = 0; i < source.length; ++i)
            target.push(source[i]);
}
function fixFlowSeqItems(fc) {
    if (fc.start.type === 'flow-seq-start') {
        for (const it of fc.items) {
            if (it.sep &&
                !it.value &&
                !includesToken(it.start, 'explicit-key-ind') &&
                !includesToken(it.sep, 'map-value-ind')) {
                if (it.key)
                    it.value = it.key;
                delete it.key;
                if (isFlowToken(it.value)) {
                    if (it.value.end)
                        arrayPushArray(it.value.end, it.sep);
                    else
                        it.value.end = it.sep;
                }
                else
                    arrayPushArray(it.start, it.sep);
                delete it.sep;
            }
        }
    }
}
/**
 * A YAML concrete syntax tree (CST) parser
 *
 * ```ts
 * const src: string = ...
 * for (const token of new Parser().parse(src)) {
 *   // token: Token
 * }
 * ```
 *
 * To use the parser with a user-provided lexer:
 *
 * ```ts
 * function* parse(source: string, lexer: Lexer) {
 *   const parser = new Parser()
 *   for (const lexeme of lexer.lex(source))
 *     yield* parser.next(lexeme)
 *   yield* parser.end()
 * }
 *
 * const src: string = ...
 * const lexer = new Lexer()
 * for (const token of parse(src, lexer)) {
 *   // token: Token
 * }
 * ```
 */
class Parser {
    /**
     * @param onNewLine - If defined, called separately with the start position of
     *   each new line (in `parse()`, including the start of input).
     */
    constructor(onNewLine) {
        /** If true, space and sequence indicators count as indentation */
        this.atNewLine = true;
        /** If true, next token is a scalar value */
        this.atScalar = false;
        /** Current indentation level */
        this.indent = 0;
        /** Current offset since the start of parsing */
        this.offset = 0;
        /** On the same line with a block map key */
        this.onKeyLine = false;
        /** Top indicates the node that's currently being built */
        this.stack = [];
        /** The source of the current token, set in parse() */
        this.source = '';
        /** The type of the current token, set in parse() */
        this.type = '';
        // Must be defined after `next()`
        this.lexer = new lexer.Lexer();
        this.onNewLine = onNewLine;
    }
    /**
     * Parse `source` as a YAML stream.
     * If `incomplete`, a part of the last line may be left as a buffer for the next call.
     *
     * Errors are not thrown, but yielded as `{ type: 'error', message }` tokens.
     *
     * @returns A generator of tokens representing each directive, document, and other structure.
     */
    *parse(source, incomplete = false) {
        if (this.onNewLine && this.offset === 0)
            this.onNewLine(0);
        for (const lexeme of this.lexer.lex(source, incomplete))
            yield* this.next(lexeme);
        if (!incomplete)
            yield* this.end();
    }
    /**
     * Advance the parser by the `source` of one lexical token.
     */
    *next(source) {
        this.source = source;
        if (node_process.env.LOG_TOKENS)
            console.log('|', cst.prettyToken(source));
        if (this.atScalar) {
            this.atScalar = false;
            yield* this.step();
            this.offset += source.length;
            return;
        }
        const type = cst.tokenType(source);
        if (!type) {
            const message = `Not a YAML token: ${source}`;
            yield* this.pop({ type: 'error', offset: this.offset, message, source });
            this.offset += source.length;
        }
        else if (type === 'scalar') {
            this.atNewLine = false;
            this.atScalar = true;
            this.type = 'scalar';
        }
        else {
            this.type = type;
            yield* this.step();
            switch (type) {
                case 'newline':
                    this.atNewLine = true;
                    this.indent = 0;
                    if (this.onNewLine)
                        this.onNewLine(this.offset + source.length);
                    break;
                case 'space':
                    if (this.atNewLine && source[0] === ' ')
                        this.indent += source.length;
                    break;
                case 'explicit-key-ind':
                case 'map-value-ind':
                case 'seq-item-ind':
                    if (this.atNewLine)
                        this.indent += source.length;
                    break;
                case 'doc-mode':
                case 'flow-error-end':
                    return;
                default:
                    this.atNewLine = false;
            }
            this.offset += source.length;
        }
    }
    /** Call at end of input to push out any remaining constructions */
    *end() {
        while (this.stack.length > 0)
            yield* this.pop();
    }
    get sourceToken() {
        const st = {
            type: this.type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
        return st;
    }
    *step() {
        const top = this.peek(1);
        if (this.type === 'doc-end' && top?.type !== 'doc-end') {
            while (this.stack.length > 0)
                yield* this.pop();
            this.stack.push({
                type: 'doc-end',
                offset: this.offset,
                source: this.source
            });
            return;
        }
        if (!top)
            return yield* this.stream();
        switch (top.type) {
            case 'document':
                return yield* this.document(top);
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return yield* this.scalar(top);
            case 'block-scalar':
                return yield* this.blockScalar(top);
            case 'block-map':
                return yield* this.blockMap(top);
            case 'block-seq':
                return yield* this.blockSequence(top);
            case 'flow-collection':
                return yield* this.flowCollection(top);
            case 'doc-end':
                return yield* this.documentEnd(top);
        }
        /* istanbul ignore next should not happen */
        yield* this.pop();
    }
    peek(n) {
        return this.stack[this.stack.length - n];
    }
    *pop(error) {
        const token = error ?? this.stack.pop();
        /* istanbul ignore if should not happen */
        if (!token) {
            const message = 'Tried to pop an empty stack';
            yield { type: 'error', offset: this.offset, source: '', message };
        }
        else if (this.stack.length === 0) {
            yield token;
        }
        else {
            const top = this.peek(1);
            if (token.type === 'block-scalar') {
                // Block scalars use their parent rather than header indent
                token.indent = 'indent' in top ? top.indent : 0;
            }
            else if (token.type === 'flow-collection' && top.type === 'document') {
                // Ignore all indent for top-level flow collections
                token.indent = 0;
            }
            if (token.type === 'flow-collection')
                fixFlowSeqItems(token);
            switch (top.type) {
                case 'document':
                    top.value = token;
                    break;
                case 'block-scalar':
                    top.props.push(token); // error
                    break;
                case 'block-map': {
                    const it = top.items[top.items.length - 1];
                    if (it.value) {
                        top.items.push({ start: [], key: token, sep: [] });
                        this.onKeyLine = true;
                        return;
                    }
                    else if (it.sep) {
                        it.value = token;
                    }
                    else {
                        Object.assign(it, { key: token, sep: [] });
                        this.onKeyLine = !it.explicitKey;
                        return;
                    }
                    break;
                }
                case 'block-seq': {
                    const it = top.items[top.items.length - 1];
                    if (it.value)
                        top.items.push({ start: [], value: token });
                    else
                        it.value = token;
                    break;
                }
                case 'flow-collection': {
                    const it = top.items[top.items.length - 1];
                    if (!it || it.value)
                        top.items.push({ start: [], key: token, sep: [] });
                    else if (it.sep)
                        it.value = token;
                    else
                        Object.assign(it, { key: token, sep: [] });
                    return;
                }
                /* istanbul ignore next should not happen */
                default:
                    yield* this.pop();
                    yield* this.pop(token);
            }
            if ((top.type === 'document' ||
                top.type === 'block-map' ||
                top.type === 'block-seq') &&
                (token.type === 'block-map' || token.type === 'block-seq')) {
                const last = token.items[token.items.length - 1];
                if (last &&
                    !last.sep &&
                    !last.value &&
                    last.start.length > 0 &&
                    findNonEmptyIndex(last.start) === -1 &&
                    (token.indent === 0 ||
                        last.start.every(st => st.type !== 'comment' || st.indent < token.indent))) {
                    if (top.type === 'document')
                        top.end = last.start;
                    else
                        top.items.push({ start: last.start });
                    token.items.splice(-1, 1);
                }
            }
        }
    }
    *stream() {
        switch (this.type) {
            case 'directive-line':
                yield { type: 'directive', offset: this.offset, source: this.source };
                return;
            case 'byte-order-mark':
            case 'space':
            case 'comment':
            case 'newline':
                yield this.sourceToken;
                return;
            case 'doc-mode':
            case 'doc-start': {
                const doc = {
                    type: 'document',
                    offset: this.offset,
                    start: []
                };
                if (this.type === 'doc-start')
                    doc.start.push(this.sourceToken);
                this.stack.push(doc);
                return;
            }
        }
        yield {
            type: 'error',
            offset: this.offset,
            message: `Unexpected ${this.type} token in YAML stream`,
            source: this.source
        };
    }
    *document(doc) {
        if (doc.value)
            return yield* this.lineEnd(doc);
        switch (this.type) {
            case 'doc-start': {
                if (findNonEmptyIndex(doc.start) !== -1) {
                    yield* this.pop();
                    yield* this.step();
                }
                else
                    doc.start.push(this.sourceToken);
                return;
            }
            case 'anchor':
            case 'tag':
            case 'space':
            case 'comment':
            case 'newline':
                doc.start.push(this.sourceToken);
                return;
        }
        const bv = this.startBlockValue(doc);
        if (bv)
            this.stack.push(bv);
        else {
            yield {
                type: 'error',
                offset: this.offset,
                message: `Unexpected ${this.type} token in YAML document`,
                source: this.source
            };
        }
    }
    *scalar(scalar) {
        if (this.type === 'map-value-ind') {
            const prev = getPrevProps(this.peek(2));
            const start = getFirstKeyStartProps(prev);
            let sep;
            if (scalar.end) {
                sep = scalar.end;
                sep.push(this.sourceToken);
                delete scalar.end;
            }
            else
                sep = [this.sourceToken];
            const map = {
                type: 'block-map',
                offset: scalar.offset,
                indent: scalar.indent,
                items: [{ start, key: scalar, sep }]
            };
            this.onKeyLine = true;
            this.stack[this.stack.length - 1] = map;
        }
        else
            yield* this.lineEnd(scalar);
    }
    *blockScalar(scalar) {
        switch (this.type) {
            case 'space':
            case 'comment':
            case 'newline':
                scalar.props.push(this.sourceToken);
                return;
            case 'scalar':
                scalar.source = this.source;
                // block-scalar source includes trailing newline
                this.atNewLine = true;
                this.indent = 0;
                if (this.onNewLine) {
                    let nl = this.source.indexOf('\n') + 1;
                    while (nl !== 0) {
                        this.onNewLine(this.offset + nl);
                        nl = this.source.indexOf('\n', nl) + 1;
                    }
                }
                yield* this.pop();
                break;
            /* istanbul ignore next should not happen */
            default:
                yield* this.pop();
                yield* this.step();
        }
    }
    *blockMap(map) {
        const it = map.items[map.items.length - 1];
        // it.sep is true-ish if pair already has key or : separator
        switch (this.type) {
            case 'newline':
                this.onKeyLine = false;
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    it.start.push(this.sourceToken);
                }
                return;
            case 'space':
            case 'comment':
                if (it.value) {
                    map.items.push({ start: [this.sourceToken] });
                }
                else if (it.sep) {
                    it.sep.push(this.sourceToken);
                }
                else {
                    if (this.atIndentedComment(it.start, map.indent)) {
                        const prev = map.items[map.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            map.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
        }
        if (this.indent >= map.indent) {
            const atMapIndent = !this.onKeyLine && this.indent === map.indent;
            const atNextItem = atMapIndent &&
                (it.sep || it.explicitKey) &&
                this.type !== 'seq-item-ind';
            // For empty nodes, assign newline-separated not indented empty tokens to following node
            let start = [];
            if (atNextItem && it.sep && !it.value) {
                const nl = [];
                for (let i = 0; i < it.sep.length; ++i) {
                    const st = it.sep[i];
                    switch (st.type) {
                        case 'newline':
                            nl.push(i);
                            break;
                        case 'space':
                            break;
                        case 'comment':
                            if (st.indent > map.indent)
                                nl.length = 0;
                            break;
                        default:
                            nl.length = 0;
                    }
                }
                if (nl.length >= 2)
                    start = it.sep.splice(nl[1]);
            }
            switch (this.type) {
                case 'anchor':
                case 'tag':
                    if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        it.sep.push(this.sourceToken);
                    }
                    else {
                        it.start.push(this.sourceToken);
                    }
                    return;
                case 'explicit-key-ind':
                    if (!it.sep && !it.explicitKey) {
                        it.start.push(this.sourceToken);
                        it.explicitKey = true;
                    }
                    else if (atNextItem || it.value) {
                        start.push(this.sourceToken);
                        map.items.push({ start, explicitKey: true });
                    }
                    else {
                        this.stack.push({
                            type: 'block-map',
                            offset: this.offset,
                            indent: this.indent,
                            items: [{ start: [this.sourceToken], explicitKey: true }]
                        });
                    }
                    this.onKeyLine = true;
                    return;
                case 'map-value-ind':
                    if (it.explicitKey) {
                        if (!it.sep) {
                            if (includesToken(it.start, 'newline')) {
                                Object.assign(it, { key: null, sep: [this.sourceToken] });
                            }
                            else {
                                const start = getFirstKeyStartProps(it.start);
                                this.stack.push({
                                    type: 'block-map',
                                    offset: this.offset,
                                    indent: this.indent,
                                    items: [{ start, key: null, sep: [this.sourceToken] }]
                                });
                            }
                        }
                        else if (it.value) {
                            map.items.push({ start: [], key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else if (isFlowToken(it.key) &&
                            !includesToken(it.sep, 'newline')) {
                            const start = getFirstKeyStartProps(it.start);
                            const key = it.key;
                            const sep = it.sep;
                            sep.push(this.sourceToken);
                            // @ts-expect-error type guard is wrong here
                            delete it.key;
                            // @ts-expect-error type guard is wrong here
                            delete it.sep;
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start, key, sep }]
                            });
                        }
                        else if (start.length > 0) {
                            // Not actually at next item
                            it.sep = it.sep.concat(start, this.sourceToken);
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    else {
                        if (!it.sep) {
                            Object.assign(it, { key: null, sep: [this.sourceToken] });
                        }
                        else if (it.value || atNextItem) {
                            map.items.push({ start, key: null, sep: [this.sourceToken] });
                        }
                        else if (includesToken(it.sep, 'map-value-ind')) {
                            this.stack.push({
                                type: 'block-map',
                                offset: this.offset,
                                indent: this.indent,
                                items: [{ start: [], key: null, sep: [this.sourceToken] }]
                            });
                        }
                        else {
                            it.sep.push(this.sourceToken);
                        }
                    }
                    this.onKeyLine = true;
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (atNextItem || it.value) {
                        map.items.push({ start, key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    else if (it.sep) {
                        this.stack.push(fs);
                    }
                    else {
                        Object.assign(it, { key: fs, sep: [] });
                        this.onKeyLine = true;
                    }
                    return;
                }
                default: {
                    const bv = this.startBlockValue(map);
                    if (bv) {
                        if (bv.type === 'block-seq') {
                            if (!it.explicitKey &&
                                it.sep &&
                                !includesToken(it.sep, 'newline')) {
                                yield* this.pop({
                                    type: 'error',
                                    offset: this.offset,
                                    message: 'Unexpected block-seq-ind on same line with key',
                                    source: this.source
                                });
                                return;
                            }
                        }
                        else if (atMapIndent) {
                            map.items.push({ start });
                        }
                        this.stack.push(bv);
                        return;
                    }
                }
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *blockSequence(seq) {
        const it = seq.items[seq.items.length - 1];
        switch (this.type) {
            case 'newline':
                if (it.value) {
                    const end = 'end' in it.value ? it.value.end : undefined;
                    const last = Array.isArray(end) ? end[end.length - 1] : undefined;
                    if (last?.type === 'comment')
                        end?.push(this.sourceToken);
                    else
                        seq.items.push({ start: [this.sourceToken] });
                }
                else
                    it.start.push(this.sourceToken);
                return;
            case 'space':
            case 'comment':
                if (it.value)
                    seq.items.push({ start: [this.sourceToken] });
                else {
                    if (this.atIndentedComment(it.start, seq.indent)) {
                        const prev = seq.items[seq.items.length - 2];
                        const end = prev?.value?.end;
                        if (Array.isArray(end)) {
                            arrayPushArray(end, it.start);
                            end.push(this.sourceToken);
                            seq.items.pop();
                            return;
                        }
                    }
                    it.start.push(this.sourceToken);
                }
                return;
            case 'anchor':
            case 'tag':
                if (it.value || this.indent <= seq.indent)
                    break;
                it.start.push(this.sourceToken);
                return;
            case 'seq-item-ind':
                if (this.indent !== seq.indent)
                    break;
                if (it.value || includesToken(it.start, 'seq-item-ind'))
                    seq.items.push({ start: [this.sourceToken] });
                else
                    it.start.push(this.sourceToken);
                return;
        }
        if (this.indent > seq.indent) {
            const bv = this.startBlockValue(seq);
            if (bv) {
                this.stack.push(bv);
                return;
            }
        }
        yield* this.pop();
        yield* this.step();
    }
    *flowCollection(fc) {
        const it = fc.items[fc.items.length - 1];
        if (this.type === 'flow-error-end') {
            let top;
            do {
                yield* this.pop();
                top = this.peek(1);
            } while (top?.type === 'flow-collection');
        }
        else if (fc.end.length === 0) {
            switch (this.type) {
                case 'comma':
                case 'explicit-key-ind':
                    if (!it || it.sep)
                        fc.items.push({ start: [this.sourceToken] });
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'map-value-ind':
                    if (!it || it.value)
                        fc.items.push({ start: [], key: null, sep: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        Object.assign(it, { key: null, sep: [this.sourceToken] });
                    return;
                case 'space':
                case 'comment':
                case 'newline':
                case 'anchor':
                case 'tag':
                    if (!it || it.value)
                        fc.items.push({ start: [this.sourceToken] });
                    else if (it.sep)
                        it.sep.push(this.sourceToken);
                    else
                        it.start.push(this.sourceToken);
                    return;
                case 'alias':
                case 'scalar':
                case 'single-quoted-scalar':
                case 'double-quoted-scalar': {
                    const fs = this.flowScalar(this.type);
                    if (!it || it.value)
                        fc.items.push({ start: [], key: fs, sep: [] });
                    else if (it.sep)
                        this.stack.push(fs);
                    else
                        Object.assign(it, { key: fs, sep: [] });
                    return;
                }
                case 'flow-map-end':
                case 'flow-seq-end':
                    fc.end.push(this.sourceToken);
                    return;
            }
            const bv = this.startBlockValue(fc);
            /* istanbul ignore else should not happen */
            if (bv)
                this.stack.push(bv);
            else {
                yield* this.pop();
                yield* this.step();
            }
        }
        else {
            const parent = this.peek(2);
            if (parent.type === 'block-map' &&
                ((this.type === 'map-value-ind' && parent.indent === fc.indent) ||
                    (this.type === 'newline' &&
                        !parent.items[parent.items.length - 1].sep))) {
                yield* this.pop();
                yield* this.step();
            }
            else if (this.type === 'map-value-ind' &&
                parent.type !== 'flow-collection') {
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                fixFlowSeqItems(fc);
                const sep = fc.end.splice(1, fc.end.length);
                sep.push(this.sourceToken);
                const map = {
                    type: 'block-map',
                    offset: fc.offset,
                    indent: fc.indent,
                    items: [{ start, key: fc, sep }]
                };
                this.onKeyLine = true;
                this.stack[this.stack.length - 1] = map;
            }
            else {
                yield* this.lineEnd(fc);
            }
        }
    }
    flowScalar(type) {
        if (this.onNewLine) {
            let nl = this.source.indexOf('\n') + 1;
            while (nl !== 0) {
                this.onNewLine(this.offset + nl);
                nl = this.source.indexOf('\n', nl) + 1;
            }
        }
        return {
            type,
            offset: this.offset,
            indent: this.indent,
            source: this.source
        };
    }
    startBlockValue(parent) {
        switch (this.type) {
            case 'alias':
            case 'scalar':
            case 'single-quoted-scalar':
            case 'double-quoted-scalar':
                return this.flowScalar(this.type);
            case 'block-scalar-header':
                return {
                    type: 'block-scalar',
                    offset: this.offset,
                    indent: this.indent,
                    props: [this.sourceToken],
                    source: ''
                };
            case 'flow-map-start':
            case 'flow-seq-start':
                return {
                    type: 'flow-collection',
                    offset: this.offset,
                    indent: this.indent,
                    start: this.sourceToken,
                    items: [],
                    end: []
                };
            case 'seq-item-ind':
                return {
                    type: 'block-seq',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start: [this.sourceToken] }]
                };
            case 'explicit-key-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                start.push(this.sourceToken);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, explicitKey: true }]
                };
            }
            case 'map-value-ind': {
                this.onKeyLine = true;
                const prev = getPrevProps(parent);
                const start = getFirstKeyStartProps(prev);
                return {
                    type: 'block-map',
                    offset: this.offset,
                    indent: this.indent,
                    items: [{ start, key: null, sep: [this.sourceToken] }]
                };
            }
        }
        return null;
    }
    atIndentedComment(start, indent) {
        if (this.type !== 'comment')
            return false;
        if (this.indent <= indent)
            return false;
        return start.every(st => st.type === 'newline' || st.type === 'space');
    }
    *documentEnd(docEnd) {
        if (this.type !== 'doc-mode') {
            if (docEnd.end)
                docEnd.end.push(this.sourceToken);
            else
                docEnd.end = [this.sourceToken];
            if (this.type === 'newline')
                yield* this.pop();
        }
    }
    *lineEnd(token) {
        switch (this.type) {
            case 'comma':
            case 'doc-start':
            case 'doc-end':
            case 'flow-seq-end':
            case 'flow-map-end':
            case 'map-value-ind':
                yield* this.pop();
                yield* this.step();
                break;
            case 'newline':
                this.onKeyLine = false;
            // fallthrough
            case 'space':
            case 'comment':
            default:
                // all other values are errors
                if (token.end)
                    token.end.push(this.sourceToken);
                else
                    token.end = [this.sourceToken];
                if (this.type === 'newline')
                    yield* this.pop();
        }
    }
}

exports.Parser = Parser;


/***/ }),

/***/ 4047:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var composer = __nccwpck_require__(9984);
var Document = __nccwpck_require__(3021);
var errors = __nccwpck_require__(1464);
var log = __nccwpck_require__(7249);
var identity = __nccwpck_require__(1127);
var lineCounter = __nccwpck_require__(6628);
var parser = __nccwpck_require__(3456);

function parseOptions(options) {
    const prettyErrors = options.prettyErrors !== false;
    const lineCounter$1 = options.lineCounter || (prettyErrors && new lineCounter.LineCounter()) || null;
    return { lineCounter: lineCounter$1, prettyErrors };
}
/**
 * Parse the input as a stream of YAML documents.
 *
 * Documents should be separated from each other by `...` or `---` marker lines.
 *
 * @returns If an empty `docs` array is returned, it will be of type
 *   EmptyStream and contain additional stream information. In
 *   TypeScript, you should use `'empty' in docs` as a type guard for it.
 */
function parseAllDocuments(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    const docs = Array.from(composer$1.compose(parser$1.parse(source)));
    if (prettyErrors && lineCounter)
        for (const doc of docs) {
            doc.errors.forEach(errors.prettifyError(source, lineCounter));
            doc.warnings.forEach(errors.prettifyError(source, lineCounter));
        }
    if (docs.length > 0)
        return docs;
    return Object.assign([], { empty: true }, composer$1.streamInfo());
}
/** Parse an input string into a single YAML.Document */
function parseDocument(source, options = {}) {
    const { lineCounter, prettyErrors } = parseOptions(options);
    const parser$1 = new parser.Parser(lineCounter?.addNewLine);
    const composer$1 = new composer.Composer(options);
    // `doc` is always set by compose.end(true) at the very latest
    let doc = null;
    for (const _doc of composer$1.compose(parser$1.parse(source), true, source.length)) {
        if (!doc)
            doc = _doc;
        else if (doc.options.logLevel !== 'silent') {
            doc.errors.push(new errors.YAMLParseError(_doc.range.slice(0, 2), 'MULTIPLE_DOCS', 'Source contains multiple documents; please use YAML.parseAllDocuments()'));
            break;
        }
    }
    if (prettyErrors && lineCounter) {
        doc.errors.forEach(errors.prettifyError(source, lineCounter));
        doc.warnings.forEach(errors.prettifyError(source, lineCounter));
    }
    return doc;
}
function parse(src, reviver, options) {
    let _reviver = undefined;
    if (typeof reviver === 'function') {
        _reviver = reviver;
    }
    else if (options === undefined && reviver && typeof reviver === 'object') {
        options = reviver;
    }
    const doc = parseDocument(src, options);
    if (!doc)
        return null;
    doc.warnings.forEach(warning => log.warn(doc.options.logLevel, warning));
    if (doc.errors.length > 0) {
        if (doc.options.logLevel !== 'silent')
            throw doc.errors[0];
        else
            doc.errors = [];
    }
    return doc.toJS(Object.assign({ reviver: _reviver }, options));
}
function stringify(value, replacer, options) {
    let _replacer = null;
    if (typeof replacer === 'function' || Array.isArray(replacer)) {
        _replacer = replacer;
    }
    else if (options === undefined && replacer) {
        options = replacer;
    }
    if (typeof options === 'string')
        options = options.length;
    if (typeof options === 'number') {
        const indent = Math.round(options);
        options = indent < 1 ? undefined : indent > 8 ? { indent: 8 } : { indent };
    }
    if (value === undefined) {
        const { keepUndefined } = options ?? replacer ?? {};
        if (!keepUndefined)
            return undefined;
    }
    if (identity.isDocument(value) && !_replacer)
        return value.toString(options);
    return new Document.Document(value, _replacer, options).toString(options);
}

exports.parse = parse;
exports.parseAllDocuments = parseAllDocuments;
exports.parseDocument = parseDocument;
exports.stringify = stringify;


/***/ }),

/***/ 5840:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var tags = __nccwpck_require__(18);

const sortMapEntriesByKey = (a, b) => a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
class Schema {
    constructor({ compat, customTags, merge, resolveKnownTags, schema, sortMapEntries, toStringDefaults }) {
        this.compat = Array.isArray(compat)
            ? tags.getTags(compat, 'compat')
            : compat
                ? tags.getTags(null, compat)
                : null;
        this.name = (typeof schema === 'string' && schema) || 'core';
        this.knownTags = resolveKnownTags ? tags.coreKnownTags : {};
        this.tags = tags.getTags(customTags, this.name, merge);
        this.toStringOptions = toStringDefaults ?? null;
        Object.defineProperty(this, identity.MAP, { value: map.map });
        Object.defineProperty(this, identity.SCALAR, { value: string.string });
        Object.defineProperty(this, identity.SEQ, { value: seq.seq });
        // Used by createMap()
        this.sortMapEntries =
            typeof sortMapEntries === 'function'
                ? sortMapEntries
                : sortMapEntries === true
                    ? sortMapEntriesByKey
                    : null;
    }
    clone() {
        const copy = Object.create(Schema.prototype, Object.getOwnPropertyDescriptors(this));
        copy.tags = this.tags.slice();
        return copy;
    }
}

exports.Schema = Schema;


/***/ }),

/***/ 7451:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLMap = __nccwpck_require__(4454);

const map = {
    collection: 'map',
    default: true,
    nodeClass: YAMLMap.YAMLMap,
    tag: 'tag:yaml.org,2002:map',
    resolve(map, onError) {
        if (!identity.isMap(map))
            onError('Expected a mapping for this tag');
        return map;
    },
    createNode: (schema, obj, ctx) => YAMLMap.YAMLMap.from(schema, obj, ctx)
};

exports.map = map;


/***/ }),

/***/ 3632:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const nullTag = {
    identify: value => value == null,
    createNode: () => new Scalar.Scalar(null),
    default: true,
    tag: 'tag:yaml.org,2002:null',
    test: /^(?:~|[Nn]ull|NULL)?$/,
    resolve: () => new Scalar.Scalar(null),
    stringify: ({ source }, ctx) => typeof source === 'string' && nullTag.test.test(source)
        ? source
        : ctx.options.nullStr
};

exports.nullTag = nullTag;


/***/ }),

/***/ 1706:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var YAMLSeq = __nccwpck_require__(2223);

const seq = {
    collection: 'seq',
    default: true,
    nodeClass: YAMLSeq.YAMLSeq,
    tag: 'tag:yaml.org,2002:seq',
    resolve(seq, onError) {
        if (!identity.isSeq(seq))
            onError('Expected a sequence for this tag');
        return seq;
    },
    createNode: (schema, obj, ctx) => YAMLSeq.YAMLSeq.from(schema, obj, ctx)
};

exports.seq = seq;


/***/ }),

/***/ 6464:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyString = __nccwpck_require__(3069);

const string = {
    identify: value => typeof value === 'string',
    default: true,
    tag: 'tag:yaml.org,2002:str',
    resolve: str => str,
    stringify(item, ctx, onComment, onChompKeep) {
        ctx = Object.assign({ actualString: true }, ctx);
        return stringifyString.stringifyString(item, ctx, onComment, onChompKeep);
    }
};

exports.string = string;


/***/ }),

/***/ 3959:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

const boolTag = {
    identify: value => typeof value === 'boolean',
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/,
    resolve: str => new Scalar.Scalar(str[0] === 't' || str[0] === 'T'),
    stringify({ source, value }, ctx) {
        if (source && boolTag.test.test(source)) {
            const sv = source[0] === 't' || source[0] === 'T';
            if (value === sv)
                return source;
        }
        return value ? ctx.options.trueStr : ctx.options.falseStr;
    }
};

exports.boolTag = boolTag;


/***/ }),

/***/ 8405:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: str => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/,
    resolve: str => parseFloat(str),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str));
        const dot = str.indexOf('.');
        if (dot !== -1 && str[str.length - 1] === '0')
            node.minFractionDigits = str.length - dot - 1;
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 9874:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
const intResolve = (str, offset, radix, { intAsBigInt }) => (intAsBigInt ? BigInt(str) : parseInt(str.substring(offset), radix));
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value) && value >= 0)
        return prefix + value.toString(radix);
    return stringifyNumber.stringifyNumber(node);
}
const intOct = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^0o[0-7]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 8, opt),
    stringify: node => intStringify(node, 8, '0o')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: value => intIdentify(value) && value >= 0,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^0x[0-9a-fA-F]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 896:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.boolTag,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float
];

exports.schema = schema;


/***/ }),

/***/ 3559:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var map = __nccwpck_require__(7451);
var seq = __nccwpck_require__(1706);

function intIdentify(value) {
    return typeof value === 'bigint' || Number.isInteger(value);
}
const stringifyJSON = ({ value }) => JSON.stringify(value);
const jsonScalars = [
    {
        identify: value => typeof value === 'string',
        default: true,
        tag: 'tag:yaml.org,2002:str',
        resolve: str => str,
        stringify: stringifyJSON
    },
    {
        identify: value => value == null,
        createNode: () => new Scalar.Scalar(null),
        default: true,
        tag: 'tag:yaml.org,2002:null',
        test: /^null$/,
        resolve: () => null,
        stringify: stringifyJSON
    },
    {
        identify: value => typeof value === 'boolean',
        default: true,
        tag: 'tag:yaml.org,2002:bool',
        test: /^true$|^false$/,
        resolve: str => str === 'true',
        stringify: stringifyJSON
    },
    {
        identify: intIdentify,
        default: true,
        tag: 'tag:yaml.org,2002:int',
        test: /^-?(?:0|[1-9][0-9]*)$/,
        resolve: (str, _onError, { intAsBigInt }) => intAsBigInt ? BigInt(str) : parseInt(str, 10),
        stringify: ({ value }) => intIdentify(value) ? value.toString() : JSON.stringify(value)
    },
    {
        identify: value => typeof value === 'number',
        default: true,
        tag: 'tag:yaml.org,2002:float',
        test: /^-?(?:0|[1-9][0-9]*)(?:\.[0-9]*)?(?:[eE][-+]?[0-9]+)?$/,
        resolve: str => parseFloat(str),
        stringify: stringifyJSON
    }
];
const jsonError = {
    default: true,
    tag: '',
    test: /^/,
    resolve(str, onError) {
        onError(`Unresolved plain scalar ${JSON.stringify(str)}`);
        return str;
    }
};
const schema = [map.map, seq.seq].concat(jsonScalars, jsonError);

exports.schema = schema;


/***/ }),

/***/ 18:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var bool = __nccwpck_require__(3959);
var float = __nccwpck_require__(8405);
var int = __nccwpck_require__(9874);
var schema = __nccwpck_require__(896);
var schema$1 = __nccwpck_require__(3559);
var binary = __nccwpck_require__(6083);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var schema$2 = __nccwpck_require__(5913);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schemas = new Map([
    ['core', schema.schema],
    ['failsafe', [map.map, seq.seq, string.string]],
    ['json', schema$1.schema],
    ['yaml11', schema$2.schema],
    ['yaml-1.1', schema$2.schema]
]);
const tagsByName = {
    binary: binary.binary,
    bool: bool.boolTag,
    float: float.float,
    floatExp: float.floatExp,
    floatNaN: float.floatNaN,
    floatTime: timestamp.floatTime,
    int: int.int,
    intHex: int.intHex,
    intOct: int.intOct,
    intTime: timestamp.intTime,
    map: map.map,
    merge: merge.merge,
    null: _null.nullTag,
    omap: omap.omap,
    pairs: pairs.pairs,
    seq: seq.seq,
    set: set.set,
    timestamp: timestamp.timestamp
};
const coreKnownTags = {
    'tag:yaml.org,2002:binary': binary.binary,
    'tag:yaml.org,2002:merge': merge.merge,
    'tag:yaml.org,2002:omap': omap.omap,
    'tag:yaml.org,2002:pairs': pairs.pairs,
    'tag:yaml.org,2002:set': set.set,
    'tag:yaml.org,2002:timestamp': timestamp.timestamp
};
function getTags(customTags, schemaName, addMergeTag) {
    const schemaTags = schemas.get(schemaName);
    if (schemaTags && !customTags) {
        return addMergeTag && !schemaTags.includes(merge.merge)
            ? schemaTags.concat(merge.merge)
            : schemaTags.slice();
    }
    let tags = schemaTags;
    if (!tags) {
        if (Array.isArray(customTags))
            tags = [];
        else {
            const keys = Array.from(schemas.keys())
                .filter(key => key !== 'yaml11')
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown schema "${schemaName}"; use one of ${keys} or define customTags array`);
        }
    }
    if (Array.isArray(customTags)) {
        for (const tag of customTags)
            tags = tags.concat(tag);
    }
    else if (typeof customTags === 'function') {
        tags = customTags(tags.slice());
    }
    if (addMergeTag)
        tags = tags.concat(merge.merge);
    return tags.reduce((tags, tag) => {
        const tagObj = typeof tag === 'string' ? tagsByName[tag] : tag;
        if (!tagObj) {
            const tagName = JSON.stringify(tag);
            const keys = Object.keys(tagsByName)
                .map(key => JSON.stringify(key))
                .join(', ');
            throw new Error(`Unknown custom tag ${tagName}; use one of ${keys}`);
        }
        if (!tags.includes(tagObj))
            tags.push(tagObj);
        return tags;
    }, []);
}

exports.coreKnownTags = coreKnownTags;
exports.getTags = getTags;


/***/ }),

/***/ 6083:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var node_buffer = __nccwpck_require__(181);
var Scalar = __nccwpck_require__(3301);
var stringifyString = __nccwpck_require__(3069);

const binary = {
    identify: value => value instanceof Uint8Array, // Buffer inherits from Uint8Array
    default: false,
    tag: 'tag:yaml.org,2002:binary',
    /**
     * Returns a Buffer in node and an Uint8Array in browsers
     *
     * To use the resulting buffer as an image, you'll want to do something like:
     *
     *   const blob = new Blob([buffer], { type: 'image/jpeg' })
     *   document.querySelector('#photo').src = URL.createObjectURL(blob)
     */
    resolve(src, onError) {
        if (typeof node_buffer.Buffer === 'function') {
            return node_buffer.Buffer.from(src, 'base64');
        }
        else if (typeof atob === 'function') {
            // On IE 11, atob() can't handle newlines
            const str = atob(src.replace(/[\n\r]/g, ''));
            const buffer = new Uint8Array(str.length);
            for (let i = 0; i < str.length; ++i)
                buffer[i] = str.charCodeAt(i);
            return buffer;
        }
        else {
            onError('This environment does not support reading binary tags; either Buffer or atob is required');
            return src;
        }
    },
    stringify({ comment, type, value }, ctx, onComment, onChompKeep) {
        if (!value)
            return '';
        const buf = value; // checked earlier by binary.identify()
        let str;
        if (typeof node_buffer.Buffer === 'function') {
            str =
                buf instanceof node_buffer.Buffer
                    ? buf.toString('base64')
                    : node_buffer.Buffer.from(buf.buffer).toString('base64');
        }
        else if (typeof btoa === 'function') {
            let s = '';
            for (let i = 0; i < buf.length; ++i)
                s += String.fromCharCode(buf[i]);
            str = btoa(s);
        }
        else {
            throw new Error('This environment does not support writing binary tags; either Buffer or btoa is required');
        }
        type ?? (type = Scalar.Scalar.BLOCK_LITERAL);
        if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
            const lineWidth = Math.max(ctx.options.lineWidth - ctx.indent.length, ctx.options.minContentWidth);
            const n = Math.ceil(str.length / lineWidth);
            const lines = new Array(n);
            for (let i = 0, o = 0; i < n; ++i, o += lineWidth) {
                lines[i] = str.substr(o, lineWidth);
            }
            str = lines.join(type === Scalar.Scalar.BLOCK_LITERAL ? '\n' : ' ');
        }
        return stringifyString.stringifyString({ comment, type, value: str }, ctx, onComment, onChompKeep);
    }
};

exports.binary = binary;


/***/ }),

/***/ 8398:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);

function boolStringify({ value, source }, ctx) {
    const boolObj = value ? trueTag : falseTag;
    if (source && boolObj.test.test(source))
        return source;
    return value ? ctx.options.trueStr : ctx.options.falseStr;
}
const trueTag = {
    identify: value => value === true,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/,
    resolve: () => new Scalar.Scalar(true),
    stringify: boolStringify
};
const falseTag = {
    identify: value => value === false,
    default: true,
    tag: 'tag:yaml.org,2002:bool',
    test: /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/,
    resolve: () => new Scalar.Scalar(false),
    stringify: boolStringify
};

exports.falseTag = falseTag;
exports.trueTag = trueTag;


/***/ }),

/***/ 5782:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var stringifyNumber = __nccwpck_require__(8689);

const floatNaN = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/,
    resolve: (str) => str.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : str[0] === '-'
            ? Number.NEGATIVE_INFINITY
            : Number.POSITIVE_INFINITY,
    stringify: stringifyNumber.stringifyNumber
};
const floatExp = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'EXP',
    test: /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/,
    resolve: (str) => parseFloat(str.replace(/_/g, '')),
    stringify(node) {
        const num = Number(node.value);
        return isFinite(num) ? num.toExponential() : stringifyNumber.stringifyNumber(node);
    }
};
const float = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    test: /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/,
    resolve(str) {
        const node = new Scalar.Scalar(parseFloat(str.replace(/_/g, '')));
        const dot = str.indexOf('.');
        if (dot !== -1) {
            const f = str.substring(dot + 1).replace(/_/g, '');
            if (f[f.length - 1] === '0')
                node.minFractionDigits = f.length;
        }
        return node;
    },
    stringify: stringifyNumber.stringifyNumber
};

exports.float = float;
exports.floatExp = floatExp;
exports.floatNaN = floatNaN;


/***/ }),

/***/ 873:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

const intIdentify = (value) => typeof value === 'bigint' || Number.isInteger(value);
function intResolve(str, offset, radix, { intAsBigInt }) {
    const sign = str[0];
    if (sign === '-' || sign === '+')
        offset += 1;
    str = str.substring(offset).replace(/_/g, '');
    if (intAsBigInt) {
        switch (radix) {
            case 2:
                str = `0b${str}`;
                break;
            case 8:
                str = `0o${str}`;
                break;
            case 16:
                str = `0x${str}`;
                break;
        }
        const n = BigInt(str);
        return sign === '-' ? BigInt(-1) * n : n;
    }
    const n = parseInt(str, radix);
    return sign === '-' ? -1 * n : n;
}
function intStringify(node, radix, prefix) {
    const { value } = node;
    if (intIdentify(value)) {
        const str = value.toString(radix);
        return value < 0 ? '-' + prefix + str.substr(1) : prefix + str;
    }
    return stringifyNumber.stringifyNumber(node);
}
const intBin = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'BIN',
    test: /^[-+]?0b[0-1_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 2, opt),
    stringify: node => intStringify(node, 2, '0b')
};
const intOct = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'OCT',
    test: /^[-+]?0[0-7_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 1, 8, opt),
    stringify: node => intStringify(node, 8, '0')
};
const int = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    test: /^[-+]?[0-9][0-9_]*$/,
    resolve: (str, _onError, opt) => intResolve(str, 0, 10, opt),
    stringify: stringifyNumber.stringifyNumber
};
const intHex = {
    identify: intIdentify,
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'HEX',
    test: /^[-+]?0x[0-9a-fA-F_]+$/,
    resolve: (str, _onError, opt) => intResolve(str, 2, 16, opt),
    stringify: node => intStringify(node, 16, '0x')
};

exports.int = int;
exports.intBin = intBin;
exports.intHex = intHex;
exports.intOct = intOct;


/***/ }),

/***/ 452:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);

// If the value associated with a merge key is a single mapping node, each of
// its key/value pairs is inserted into the current mapping, unless the key
// already exists in it. If the value associated with the merge key is a
// sequence, then this sequence is expected to contain mapping nodes and each
// of these nodes is merged in turn according to its order in the sequence.
// Keys in mapping nodes earlier in the sequence override keys specified in
// later mapping nodes. -- http://yaml.org/type/merge.html
const MERGE_KEY = '<<';
const merge = {
    identify: value => value === MERGE_KEY ||
        (typeof value === 'symbol' && value.description === MERGE_KEY),
    default: 'key',
    tag: 'tag:yaml.org,2002:merge',
    test: /^<<$/,
    resolve: () => Object.assign(new Scalar.Scalar(Symbol(MERGE_KEY)), {
        addToJSMap: addMergeToJSMap
    }),
    stringify: () => MERGE_KEY
};
const isMergeKey = (ctx, key) => (merge.identify(key) ||
    (identity.isScalar(key) &&
        (!key.type || key.type === Scalar.Scalar.PLAIN) &&
        merge.identify(key.value))) &&
    ctx?.doc.schema.tags.some(tag => tag.tag === merge.tag && tag.default);
function addMergeToJSMap(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (identity.isSeq(source))
        for (const it of source.items)
            mergeValue(ctx, map, it);
    else if (Array.isArray(source))
        for (const it of source)
            mergeValue(ctx, map, it);
    else
        mergeValue(ctx, map, source);
}
function mergeValue(ctx, map, value) {
    const source = resolveAliasValue(ctx, value);
    if (!identity.isMap(source))
        throw new Error('Merge sources must be maps or map aliases');
    const srcMap = source.toJSON(null, ctx, Map);
    for (const [key, value] of srcMap) {
        if (map instanceof Map) {
            if (!map.has(key))
                map.set(key, value);
        }
        else if (map instanceof Set) {
            map.add(key);
        }
        else if (!Object.prototype.hasOwnProperty.call(map, key)) {
            Object.defineProperty(map, key, {
                value,
                writable: true,
                enumerable: true,
                configurable: true
            });
        }
    }
    return map;
}
function resolveAliasValue(ctx, value) {
    return ctx && identity.isAlias(value) ? value.resolve(ctx.doc, ctx) : value;
}

exports.addMergeToJSMap = addMergeToJSMap;
exports.isMergeKey = isMergeKey;
exports.merge = merge;


/***/ }),

/***/ 303:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var toJS = __nccwpck_require__(4043);
var YAMLMap = __nccwpck_require__(4454);
var YAMLSeq = __nccwpck_require__(2223);
var pairs = __nccwpck_require__(8385);

class YAMLOMap extends YAMLSeq.YAMLSeq {
    constructor() {
        super();
        this.add = YAMLMap.YAMLMap.prototype.add.bind(this);
        this.delete = YAMLMap.YAMLMap.prototype.delete.bind(this);
        this.get = YAMLMap.YAMLMap.prototype.get.bind(this);
        this.has = YAMLMap.YAMLMap.prototype.has.bind(this);
        this.set = YAMLMap.YAMLMap.prototype.set.bind(this);
        this.tag = YAMLOMap.tag;
    }
    /**
     * If `ctx` is given, the return type is actually `Map<unknown, unknown>`,
     * but TypeScript won't allow widening the signature of a child method.
     */
    toJSON(_, ctx) {
        if (!ctx)
            return super.toJSON(_);
        const map = new Map();
        if (ctx?.onCreate)
            ctx.onCreate(map);
        for (const pair of this.items) {
            let key, value;
            if (identity.isPair(pair)) {
                key = toJS.toJS(pair.key, '', ctx);
                value = toJS.toJS(pair.value, key, ctx);
            }
            else {
                key = toJS.toJS(pair, '', ctx);
            }
            if (map.has(key))
                throw new Error('Ordered maps must not include duplicate keys');
            map.set(key, value);
        }
        return map;
    }
    static from(schema, iterable, ctx) {
        const pairs$1 = pairs.createPairs(schema, iterable, ctx);
        const omap = new this();
        omap.items = pairs$1.items;
        return omap;
    }
}
YAMLOMap.tag = 'tag:yaml.org,2002:omap';
const omap = {
    collection: 'seq',
    identify: value => value instanceof Map,
    nodeClass: YAMLOMap,
    default: false,
    tag: 'tag:yaml.org,2002:omap',
    resolve(seq, onError) {
        const pairs$1 = pairs.resolvePairs(seq, onError);
        const seenKeys = [];
        for (const { key } of pairs$1.items) {
            if (identity.isScalar(key)) {
                if (seenKeys.includes(key.value)) {
                    onError(`Ordered maps must not include duplicate keys: ${key.value}`);
                }
                else {
                    seenKeys.push(key.value);
                }
            }
        }
        return Object.assign(new YAMLOMap(), pairs$1);
    },
    createNode: (schema, iterable, ctx) => YAMLOMap.from(schema, iterable, ctx)
};

exports.YAMLOMap = YAMLOMap;
exports.omap = omap;


/***/ }),

/***/ 8385:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var Scalar = __nccwpck_require__(3301);
var YAMLSeq = __nccwpck_require__(2223);

function resolvePairs(seq, onError) {
    if (identity.isSeq(seq)) {
        for (let i = 0; i < seq.items.length; ++i) {
            let item = seq.items[i];
            if (identity.isPair(item))
                continue;
            else if (identity.isMap(item)) {
                if (item.items.length > 1)
                    onError('Each pair must have its own sequence indicator');
                const pair = item.items[0] || new Pair.Pair(new Scalar.Scalar(null));
                if (item.commentBefore)
                    pair.key.commentBefore = pair.key.commentBefore
                        ? `${item.commentBefore}\n${pair.key.commentBefore}`
                        : item.commentBefore;
                if (item.comment) {
                    const cn = pair.value ?? pair.key;
                    cn.comment = cn.comment
                        ? `${item.comment}\n${cn.comment}`
                        : item.comment;
                }
                item = pair;
            }
            seq.items[i] = identity.isPair(item) ? item : new Pair.Pair(item);
        }
    }
    else
        onError('Expected a sequence for this tag');
    return seq;
}
function createPairs(schema, iterable, ctx) {
    const { replacer } = ctx;
    const pairs = new YAMLSeq.YAMLSeq(schema);
    pairs.tag = 'tag:yaml.org,2002:pairs';
    let i = 0;
    if (iterable && Symbol.iterator in Object(iterable))
        for (let it of iterable) {
            if (typeof replacer === 'function')
                it = replacer.call(iterable, String(i++), it);
            let key, value;
            if (Array.isArray(it)) {
                if (it.length === 2) {
                    key = it[0];
                    value = it[1];
                }
                else
                    throw new TypeError(`Expected [key, value] tuple: ${it}`);
            }
            else if (it && it instanceof Object) {
                const keys = Object.keys(it);
                if (keys.length === 1) {
                    key = keys[0];
                    value = it[key];
                }
                else {
                    throw new TypeError(`Expected tuple with one key, not ${keys.length} keys`);
                }
            }
            else {
                key = it;
            }
            pairs.items.push(Pair.createPair(key, value, ctx));
        }
    return pairs;
}
const pairs = {
    collection: 'seq',
    default: false,
    tag: 'tag:yaml.org,2002:pairs',
    resolve: resolvePairs,
    createNode: createPairs
};

exports.createPairs = createPairs;
exports.pairs = pairs;
exports.resolvePairs = resolvePairs;


/***/ }),

/***/ 5913:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var map = __nccwpck_require__(7451);
var _null = __nccwpck_require__(3632);
var seq = __nccwpck_require__(1706);
var string = __nccwpck_require__(6464);
var binary = __nccwpck_require__(6083);
var bool = __nccwpck_require__(8398);
var float = __nccwpck_require__(5782);
var int = __nccwpck_require__(873);
var merge = __nccwpck_require__(452);
var omap = __nccwpck_require__(303);
var pairs = __nccwpck_require__(8385);
var set = __nccwpck_require__(1528);
var timestamp = __nccwpck_require__(6752);

const schema = [
    map.map,
    seq.seq,
    string.string,
    _null.nullTag,
    bool.trueTag,
    bool.falseTag,
    int.intBin,
    int.intOct,
    int.int,
    int.intHex,
    float.floatNaN,
    float.floatExp,
    float.float,
    binary.binary,
    merge.merge,
    omap.omap,
    pairs.pairs,
    set.set,
    timestamp.intTime,
    timestamp.floatTime,
    timestamp.timestamp
];

exports.schema = schema;


/***/ }),

/***/ 1528:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Pair = __nccwpck_require__(7165);
var YAMLMap = __nccwpck_require__(4454);

class YAMLSet extends YAMLMap.YAMLMap {
    constructor(schema) {
        super(schema);
        this.tag = YAMLSet.tag;
    }
    add(key) {
        let pair;
        if (identity.isPair(key))
            pair = key;
        else if (key &&
            typeof key === 'object' &&
            'key' in key &&
            'value' in key &&
            key.value === null)
            pair = new Pair.Pair(key.key, null);
        else
            pair = new Pair.Pair(key, null);
        const prev = YAMLMap.findPair(this.items, pair.key);
        if (!prev)
            this.items.push(pair);
    }
    /**
     * If `keepPair` is `true`, returns the Pair matching `key`.
     * Otherwise, returns the value of that Pair's key.
     */
    get(key, keepPair) {
        const pair = YAMLMap.findPair(this.items, key);
        return !keepPair && identity.isPair(pair)
            ? identity.isScalar(pair.key)
                ? pair.key.value
                : pair.key
            : pair;
    }
    set(key, value) {
        if (typeof value !== 'boolean')
            throw new Error(`Expected boolean value for set(key, value) in a YAML set, not ${typeof value}`);
        const prev = YAMLMap.findPair(this.items, key);
        if (prev && !value) {
            this.items.splice(this.items.indexOf(prev), 1);
        }
        else if (!prev && value) {
            this.items.push(new Pair.Pair(key));
        }
    }
    toJSON(_, ctx) {
        return super.toJSON(_, ctx, Set);
    }
    toString(ctx, onComment, onChompKeep) {
        if (!ctx)
            return JSON.stringify(this);
        if (this.hasAllNullValues(true))
            return super.toString(Object.assign({}, ctx, { allNullValues: true }), onComment, onChompKeep);
        else
            throw new Error('Set items must all have null values');
    }
    static from(schema, iterable, ctx) {
        const { replacer } = ctx;
        const set = new this(schema);
        if (iterable && Symbol.iterator in Object(iterable))
            for (let value of iterable) {
                if (typeof replacer === 'function')
                    value = replacer.call(iterable, value, value);
                set.items.push(Pair.createPair(value, null, ctx));
            }
        return set;
    }
}
YAMLSet.tag = 'tag:yaml.org,2002:set';
const set = {
    collection: 'map',
    identify: value => value instanceof Set,
    nodeClass: YAMLSet,
    default: false,
    tag: 'tag:yaml.org,2002:set',
    createNode: (schema, iterable, ctx) => YAMLSet.from(schema, iterable, ctx),
    resolve(map, onError) {
        if (identity.isMap(map)) {
            if (map.hasAllNullValues(true))
                return Object.assign(new YAMLSet(), map);
            else
                onError('Set items must all have null values');
        }
        else
            onError('Expected a mapping for this tag');
        return map;
    }
};

exports.YAMLSet = YAMLSet;
exports.set = set;


/***/ }),

/***/ 6752:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var stringifyNumber = __nccwpck_require__(8689);

/** Internal types handle bigint as number, because TS can't figure it out. */
function parseSexagesimal(str, asBigInt) {
    const sign = str[0];
    const parts = sign === '-' || sign === '+' ? str.substring(1) : str;
    const num = (n) => asBigInt ? BigInt(n) : Number(n);
    const res = parts
        .replace(/_/g, '')
        .split(':')
        .reduce((res, p) => res * num(60) + num(p), num(0));
    return (sign === '-' ? num(-1) * res : res);
}
/**
 * hhhh:mm:ss.sss
 *
 * Internal types handle bigint as number, because TS can't figure it out.
 */
function stringifySexagesimal(node) {
    let { value } = node;
    let num = (n) => n;
    if (typeof value === 'bigint')
        num = n => BigInt(n);
    else if (isNaN(value) || !isFinite(value))
        return stringifyNumber.stringifyNumber(node);
    let sign = '';
    if (value < 0) {
        sign = '-';
        value *= num(-1);
    }
    const _60 = num(60);
    const parts = [value % _60]; // seconds, including ms
    if (value < 60) {
        parts.unshift(0); // at least one : is required
    }
    else {
        value = (value - parts[0]) / _60;
        parts.unshift(value % _60); // minutes
        if (value >= 60) {
            value = (value - parts[0]) / _60;
            parts.unshift(value); // hours
        }
    }
    return (sign +
        parts
            .map(n => String(n).padStart(2, '0'))
            .join(':')
            .replace(/000000\d*$/, '') // % 60 may introduce error
    );
}
const intTime = {
    identify: value => typeof value === 'bigint' || Number.isInteger(value),
    default: true,
    tag: 'tag:yaml.org,2002:int',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+$/,
    resolve: (str, _onError, { intAsBigInt }) => parseSexagesimal(str, intAsBigInt),
    stringify: stringifySexagesimal
};
const floatTime = {
    identify: value => typeof value === 'number',
    default: true,
    tag: 'tag:yaml.org,2002:float',
    format: 'TIME',
    test: /^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*$/,
    resolve: str => parseSexagesimal(str, false),
    stringify: stringifySexagesimal
};
const timestamp = {
    identify: value => value instanceof Date,
    default: true,
    tag: 'tag:yaml.org,2002:timestamp',
    // If the time zone is omitted, the timestamp is assumed to be specified in UTC. The time part
    // may be omitted altogether, resulting in a date format. In such a case, the time part is
    // assumed to be 00:00:00Z (start of day, UTC).
    test: RegExp('^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})' + // YYYY-Mm-Dd
        '(?:' + // time is optional
        '(?:t|T|[ \\t]+)' + // t | T | whitespace
        '([0-9]{1,2}):([0-9]{1,2}):([0-9]{1,2}(\\.[0-9]+)?)' + // Hh:Mm:Ss(.ss)?
        '(?:[ \\t]*(Z|[-+][012]?[0-9](?::[0-9]{2})?))?' + // Z | +5 | -03:30
        ')?$'),
    resolve(str) {
        const match = str.match(timestamp.test);
        if (!match)
            throw new Error('!!timestamp expects a date, starting with yyyy-mm-dd');
        const [, year, month, day, hour, minute, second] = match.map(Number);
        const millisec = match[7] ? Number((match[7] + '00').substr(1, 3)) : 0;
        let date = Date.UTC(year, month - 1, day, hour || 0, minute || 0, second || 0, millisec);
        const tz = match[8];
        if (tz && tz !== 'Z') {
            let d = parseSexagesimal(tz, false);
            if (Math.abs(d) < 30)
                d *= 60;
            date -= 60000 * d;
        }
        return new Date(date);
    },
    stringify: ({ value }) => value?.toISOString().replace(/(T00:00:00)?\.000Z$/, '') ?? ''
};

exports.floatTime = floatTime;
exports.intTime = intTime;
exports.timestamp = timestamp;


/***/ }),

/***/ 4475:
/***/ ((__unused_webpack_module, exports) => {



const FOLD_FLOW = 'flow';
const FOLD_BLOCK = 'block';
const FOLD_QUOTED = 'quoted';
/**
 * Tries to keep input at up to `lineWidth` characters, splitting only on spaces
 * not followed by newlines or spaces unless `mode` is `'quoted'`. Lines are
 * terminated with `\n` and started with `indent`.
 */
function foldFlowLines(text, indent, mode = 'flow', { indentAtStart, lineWidth = 80, minContentWidth = 20, onFold, onOverflow } = {}) {
    if (!lineWidth || lineWidth < 0)
        return text;
    if (lineWidth < minContentWidth)
        minContentWidth = 0;
    const endStep = Math.max(1 + minContentWidth, 1 + lineWidth - indent.length);
    if (text.length <= endStep)
        return text;
    const folds = [];
    const escapedFolds = {};
    let end = lineWidth - indent.length;
    if (typeof indentAtStart === 'number') {
        if (indentAtStart > lineWidth - Math.max(2, minContentWidth))
            folds.push(0);
        else
            end = lineWidth - indentAtStart;
    }
    let split = undefined;
    let prev = undefined;
    let overflow = false;
    let i = -1;
    let escStart = -1;
    let escEnd = -1;
    if (mode === FOLD_BLOCK) {
        i = consumeMoreIndentedLines(text, i, indent.length);
        if (i !== -1)
            end = i + endStep;
    }
    for (let ch; (ch = text[(i += 1)]);) {
        if (mode === FOLD_QUOTED && ch === '\\') {
            escStart = i;
            switch (text[i + 1]) {
                case 'x':
                    i += 3;
                    break;
                case 'u':
                    i += 5;
                    break;
                case 'U':
                    i += 9;
                    break;
                default:
                    i += 1;
            }
            escEnd = i;
        }
        if (ch === '\n') {
            if (mode === FOLD_BLOCK)
                i = consumeMoreIndentedLines(text, i, indent.length);
            end = i + indent.length + endStep;
            split = undefined;
        }
        else {
            if (ch === ' ' &&
                prev &&
                prev !== ' ' &&
                prev !== '\n' &&
                prev !== '\t') {
                // space surrounded by non-space can be replaced with newline + indent
                const next = text[i + 1];
                if (next && next !== ' ' && next !== '\n' && next !== '\t')
                    split = i;
            }
            if (i >= end) {
                if (split) {
                    folds.push(split);
                    end = split + endStep;
                    split = undefined;
                }
                else if (mode === FOLD_QUOTED) {
                    // white-space collected at end may stretch past lineWidth
                    while (prev === ' ' || prev === '\t') {
                        prev = ch;
                        ch = text[(i += 1)];
                        overflow = true;
                    }
                    // Account for newline escape, but don't break preceding escape
                    const j = i > escEnd + 1 ? i - 2 : escStart - 1;
                    // Bail out if lineWidth & minContentWidth are shorter than an escape string
                    if (escapedFolds[j])
                        return text;
                    folds.push(j);
                    escapedFolds[j] = true;
                    end = j + endStep;
                    split = undefined;
                }
                else {
                    overflow = true;
                }
            }
        }
        prev = ch;
    }
    if (overflow && onOverflow)
        onOverflow();
    if (folds.length === 0)
        return text;
    if (onFold)
        onFold();
    let res = text.slice(0, folds[0]);
    for (let i = 0; i < folds.length; ++i) {
        const fold = folds[i];
        const end = folds[i + 1] || text.length;
        if (fold === 0)
            res = `\n${indent}${text.slice(0, end)}`;
        else {
            if (mode === FOLD_QUOTED && escapedFolds[fold])
                res += `${text[fold]}\\`;
            res += `\n${indent}${text.slice(fold + 1, end)}`;
        }
    }
    return res;
}
/**
 * Presumes `i + 1` is at the start of a line
 * @returns index of last newline in more-indented block
 */
function consumeMoreIndentedLines(text, i, indent) {
    let end = i;
    let start = i + 1;
    let ch = text[start];
    while (ch === ' ' || ch === '\t') {
        if (i < start + indent) {
            ch = text[++i];
        }
        else {
            do {
                ch = text[++i];
            } while (ch && ch !== '\n');
            end = i;
            start = i + 1;
            ch = text[start];
        }
    }
    return end;
}

exports.FOLD_BLOCK = FOLD_BLOCK;
exports.FOLD_FLOW = FOLD_FLOW;
exports.FOLD_QUOTED = FOLD_QUOTED;
exports.foldFlowLines = foldFlowLines;


/***/ }),

/***/ 2148:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var anchors = __nccwpck_require__(1596);
var identity = __nccwpck_require__(1127);
var stringifyComment = __nccwpck_require__(9799);
var stringifyString = __nccwpck_require__(3069);

function createStringifyContext(doc, options) {
    const opt = Object.assign({
        blockQuote: true,
        commentString: stringifyComment.stringifyComment,
        defaultKeyType: null,
        defaultStringType: 'PLAIN',
        directives: null,
        doubleQuotedAsJSON: false,
        doubleQuotedMinMultiLineLength: 40,
        falseStr: 'false',
        flowCollectionPadding: true,
        indentSeq: true,
        lineWidth: 80,
        minContentWidth: 20,
        nullStr: 'null',
        simpleKeys: false,
        singleQuote: null,
        trailingComma: false,
        trueStr: 'true',
        verifyAliasOrder: true
    }, doc.schema.toStringOptions, options);
    let inFlow;
    switch (opt.collectionStyle) {
        case 'block':
            inFlow = false;
            break;
        case 'flow':
            inFlow = true;
            break;
        default:
            inFlow = null;
    }
    return {
        anchors: new Set(),
        doc,
        flowCollectionPadding: opt.flowCollectionPadding ? ' ' : '',
        indent: '',
        indentStep: typeof opt.indent === 'number' ? ' '.repeat(opt.indent) : '  ',
        inFlow,
        options: opt
    };
}
function getTagObject(tags, item) {
    if (item.tag) {
        const match = tags.filter(t => t.tag === item.tag);
        if (match.length > 0)
            return match.find(t => t.format === item.format) ?? match[0];
    }
    let tagObj = undefined;
    let obj;
    if (identity.isScalar(item)) {
        obj = item.value;
        let match = tags.filter(t => t.identify?.(obj));
        if (match.length > 1) {
            const testMatch = match.filter(t => t.test);
            if (testMatch.length > 0)
                match = testMatch;
        }
        tagObj =
            match.find(t => t.format === item.format) ?? match.find(t => !t.format);
    }
    else {
        obj = item;
        tagObj = tags.find(t => t.nodeClass && obj instanceof t.nodeClass);
    }
    if (!tagObj) {
        const name = obj?.constructor?.name ?? (obj === null ? 'null' : typeof obj);
        throw new Error(`Tag not resolved for ${name} value`);
    }
    return tagObj;
}
// needs to be called before value stringifier to allow for circular anchor refs
function stringifyProps(node, tagObj, { anchors: anchors$1, doc }) {
    if (!doc.directives)
        return '';
    const props = [];
    const anchor = (identity.isScalar(node) || identity.isCollection(node)) && node.anchor;
    if (anchor && anchors.anchorIsValid(anchor)) {
        anchors$1.add(anchor);
        props.push(`&${anchor}`);
    }
    const tag = node.tag ?? (tagObj.default ? null : tagObj.tag);
    if (tag)
        props.push(doc.directives.tagString(tag));
    return props.join(' ');
}
function stringify(item, ctx, onComment, onChompKeep) {
    if (identity.isPair(item))
        return item.toString(ctx, onComment, onChompKeep);
    if (identity.isAlias(item)) {
        if (ctx.doc.directives)
            return item.toString(ctx);
        if (ctx.resolvedAliases?.has(item)) {
            throw new TypeError(`Cannot stringify circular structure without alias nodes`);
        }
        else {
            if (ctx.resolvedAliases)
                ctx.resolvedAliases.add(item);
            else
                ctx.resolvedAliases = new Set([item]);
            item = item.resolve(ctx.doc);
        }
    }
    let tagObj = undefined;
    const node = identity.isNode(item)
        ? item
        : ctx.doc.createNode(item, { onTagObj: o => (tagObj = o) });
    tagObj ?? (tagObj = getTagObject(ctx.doc.schema.tags, node));
    const props = stringifyProps(node, tagObj, ctx);
    if (props.length > 0)
        ctx.indentAtStart = (ctx.indentAtStart ?? 0) + props.length + 1;
    const str = typeof tagObj.stringify === 'function'
        ? tagObj.stringify(node, ctx, onComment, onChompKeep)
        : identity.isScalar(node)
            ? stringifyString.stringifyString(node, ctx, onComment, onChompKeep)
            : node.toString(ctx, onComment, onChompKeep);
    if (!props)
        return str;
    return identity.isScalar(node) || str[0] === '{' || str[0] === '['
        ? `${props} ${str}`
        : `${props}\n${ctx.indent}${str}`;
}

exports.createStringifyContext = createStringifyContext;
exports.stringify = stringify;


/***/ }),

/***/ 1212:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyCollection(collection, ctx, options) {
    const flow = ctx.inFlow ?? collection.flow;
    const stringify = flow ? stringifyFlowCollection : stringifyBlockCollection;
    return stringify(collection, ctx, options);
}
function stringifyBlockCollection({ comment, items }, ctx, { blockItemPrefix, flowChars, itemIndent, onChompKeep, onComment }) {
    const { indent, options: { commentString } } = ctx;
    const itemCtx = Object.assign({}, ctx, { indent: itemIndent, type: null });
    let chompKeep = false; // flag for the preceding node's status
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (!chompKeep && item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, chompKeep);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (!chompKeep && ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, chompKeep);
            }
        }
        chompKeep = false;
        let str = stringify.stringify(item, itemCtx, () => (comment = null), () => (chompKeep = true));
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        if (chompKeep && comment)
            chompKeep = false;
        lines.push(blockItemPrefix + str);
    }
    let str;
    if (lines.length === 0) {
        str = flowChars.start + flowChars.end;
    }
    else {
        str = lines[0];
        for (let i = 1; i < lines.length; ++i) {
            const line = lines[i];
            str += line ? `\n${indent}${line}` : '\n';
        }
    }
    if (comment) {
        str += '\n' + stringifyComment.indentComment(commentString(comment), indent);
        if (onComment)
            onComment();
    }
    else if (chompKeep && onChompKeep)
        onChompKeep();
    return str;
}
function stringifyFlowCollection({ items }, ctx, { flowChars, itemIndent }) {
    const { indent, indentStep, flowCollectionPadding: fcPadding, options: { commentString } } = ctx;
    itemIndent += indentStep;
    const itemCtx = Object.assign({}, ctx, {
        indent: itemIndent,
        inFlow: true,
        type: null
    });
    let reqNewline = false;
    let linesAtValue = 0;
    const lines = [];
    for (let i = 0; i < items.length; ++i) {
        const item = items[i];
        let comment = null;
        if (identity.isNode(item)) {
            if (item.spaceBefore)
                lines.push('');
            addCommentBefore(ctx, lines, item.commentBefore, false);
            if (item.comment)
                comment = item.comment;
        }
        else if (identity.isPair(item)) {
            const ik = identity.isNode(item.key) ? item.key : null;
            if (ik) {
                if (ik.spaceBefore)
                    lines.push('');
                addCommentBefore(ctx, lines, ik.commentBefore, false);
                if (ik.comment)
                    reqNewline = true;
            }
            const iv = identity.isNode(item.value) ? item.value : null;
            if (iv) {
                if (iv.comment)
                    comment = iv.comment;
                if (iv.commentBefore)
                    reqNewline = true;
            }
            else if (item.value == null && ik?.comment) {
                comment = ik.comment;
            }
        }
        if (comment)
            reqNewline = true;
        let str = stringify.stringify(item, itemCtx, () => (comment = null));
        reqNewline || (reqNewline = lines.length > linesAtValue || str.includes('\n'));
        if (i < items.length - 1) {
            str += ',';
        }
        else if (ctx.options.trailingComma) {
            if (ctx.options.lineWidth > 0) {
                reqNewline || (reqNewline = lines.reduce((sum, line) => sum + line.length + 2, 2) +
                    (str.length + 2) >
                    ctx.options.lineWidth);
            }
            if (reqNewline) {
                str += ',';
            }
        }
        if (comment)
            str += stringifyComment.lineComment(str, itemIndent, commentString(comment));
        lines.push(str);
        linesAtValue = lines.length;
    }
    const { start, end } = flowChars;
    if (lines.length === 0) {
        return start + end;
    }
    else {
        if (!reqNewline) {
            const len = lines.reduce((sum, line) => sum + line.length + 2, 2);
            reqNewline = ctx.options.lineWidth > 0 && len > ctx.options.lineWidth;
        }
        if (reqNewline) {
            let str = start;
            for (const line of lines)
                str += line ? `\n${indentStep}${indent}${line}` : '\n';
            return `${str}\n${indent}${end}`;
        }
        else {
            return `${start}${fcPadding}${lines.join(' ')}${fcPadding}${end}`;
        }
    }
}
function addCommentBefore({ indent, options: { commentString } }, lines, comment, chompKeep) {
    if (comment && chompKeep)
        comment = comment.replace(/^\n+/, '');
    if (comment) {
        const ic = stringifyComment.indentComment(commentString(comment), indent);
        lines.push(ic.trimStart()); // Avoid double indent on first line
    }
}

exports.stringifyCollection = stringifyCollection;


/***/ }),

/***/ 9799:
/***/ ((__unused_webpack_module, exports) => {



/**
 * Stringifies a comment.
 *
 * Empty comment lines are left empty,
 * lines consisting of a single space are replaced by `#`,
 * and all other lines are prefixed with a `#`.
 */
const stringifyComment = (str) => str.replace(/^(?!$)(?: $)?/gm, '#');
function indentComment(comment, indent) {
    if (/^\n+$/.test(comment))
        return comment.substring(1);
    return indent ? comment.replace(/^(?! *$)/gm, indent) : comment;
}
const lineComment = (str, indent, comment) => str.endsWith('\n')
    ? indentComment(comment, indent)
    : comment.includes('\n')
        ? '\n' + indentComment(comment, indent)
        : (str.endsWith(' ') ? '' : ' ') + comment;

exports.indentComment = indentComment;
exports.lineComment = lineComment;
exports.stringifyComment = stringifyComment;


/***/ }),

/***/ 6829:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyDocument(doc, options) {
    const lines = [];
    let hasDirectives = options.directives === true;
    if (options.directives !== false && doc.directives) {
        const dir = doc.directives.toString(doc);
        if (dir) {
            lines.push(dir);
            hasDirectives = true;
        }
        else if (doc.directives.docStart)
            hasDirectives = true;
    }
    if (hasDirectives)
        lines.push('---');
    const ctx = stringify.createStringifyContext(doc, options);
    const { commentString } = ctx.options;
    if (doc.commentBefore) {
        if (lines.length !== 1)
            lines.unshift('');
        const cs = commentString(doc.commentBefore);
        lines.unshift(stringifyComment.indentComment(cs, ''));
    }
    let chompKeep = false;
    let contentComment = null;
    if (doc.contents) {
        if (identity.isNode(doc.contents)) {
            if (doc.contents.spaceBefore && hasDirectives)
                lines.push('');
            if (doc.contents.commentBefore) {
                const cs = commentString(doc.contents.commentBefore);
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            // top-level block scalars need to be indented if followed by a comment
            ctx.forceBlockIndent = !!doc.comment;
            contentComment = doc.contents.comment;
        }
        const onChompKeep = contentComment ? undefined : () => (chompKeep = true);
        let body = stringify.stringify(doc.contents, ctx, () => (contentComment = null), onChompKeep);
        if (contentComment)
            body += stringifyComment.lineComment(body, '', commentString(contentComment));
        if ((body[0] === '|' || body[0] === '>') &&
            lines[lines.length - 1] === '---') {
            // Top-level block scalars with a preceding doc marker ought to use the
            // same line for their header.
            lines[lines.length - 1] = `--- ${body}`;
        }
        else
            lines.push(body);
    }
    else {
        lines.push(stringify.stringify(doc.contents, ctx));
    }
    if (doc.directives?.docEnd) {
        if (doc.comment) {
            const cs = commentString(doc.comment);
            if (cs.includes('\n')) {
                lines.push('...');
                lines.push(stringifyComment.indentComment(cs, ''));
            }
            else {
                lines.push(`... ${cs}`);
            }
        }
        else {
            lines.push('...');
        }
    }
    else {
        let dc = doc.comment;
        if (dc && chompKeep)
            dc = dc.replace(/^\n+/, '');
        if (dc) {
            if ((!chompKeep || contentComment) && lines[lines.length - 1] !== '')
                lines.push('');
            lines.push(stringifyComment.indentComment(commentString(dc), ''));
        }
    }
    return lines.join('\n') + '\n';
}

exports.stringifyDocument = stringifyDocument;


/***/ }),

/***/ 8689:
/***/ ((__unused_webpack_module, exports) => {



function stringifyNumber({ format, minFractionDigits, tag, value }) {
    if (typeof value === 'bigint')
        return String(value);
    const num = typeof value === 'number' ? value : Number(value);
    if (!isFinite(num))
        return isNaN(num) ? '.nan' : num < 0 ? '-.inf' : '.inf';
    let n = Object.is(value, -0) ? '-0' : JSON.stringify(value);
    if (!format &&
        minFractionDigits &&
        (!tag || tag === 'tag:yaml.org,2002:float') &&
        /^-?\d/.test(n) &&
        !n.includes('e')) {
        let i = n.indexOf('.');
        if (i < 0) {
            i = n.length;
            n += '.';
        }
        let d = minFractionDigits - (n.length - i - 1);
        while (d-- > 0)
            n += '0';
    }
    return n;
}

exports.stringifyNumber = stringifyNumber;


/***/ }),

/***/ 9748:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);
var Scalar = __nccwpck_require__(3301);
var stringify = __nccwpck_require__(2148);
var stringifyComment = __nccwpck_require__(9799);

function stringifyPair({ key, value }, ctx, onComment, onChompKeep) {
    const { allNullValues, doc, indent, indentStep, options: { commentString, indentSeq, simpleKeys } } = ctx;
    let keyComment = (identity.isNode(key) && key.comment) || null;
    if (simpleKeys) {
        if (keyComment) {
            throw new Error('With simple keys, key nodes cannot have comments');
        }
        if (identity.isCollection(key) || (!identity.isNode(key) && typeof key === 'object')) {
            const msg = 'With simple keys, collection cannot be used as a key value';
            throw new Error(msg);
        }
    }
    let explicitKey = !simpleKeys &&
        (!key ||
            (keyComment && value == null && !ctx.inFlow) ||
            identity.isCollection(key) ||
            (identity.isScalar(key)
                ? key.type === Scalar.Scalar.BLOCK_FOLDED || key.type === Scalar.Scalar.BLOCK_LITERAL
                : typeof key === 'object'));
    ctx = Object.assign({}, ctx, {
        allNullValues: false,
        implicitKey: !explicitKey && (simpleKeys || !allNullValues),
        indent: indent + indentStep
    });
    let keyCommentDone = false;
    let chompKeep = false;
    let str = stringify.stringify(key, ctx, () => (keyCommentDone = true), () => (chompKeep = true));
    if (!explicitKey && !ctx.inFlow && str.length > 1024) {
        if (simpleKeys)
            throw new Error('With simple keys, single line scalar must not span more than 1024 characters');
        explicitKey = true;
    }
    if (ctx.inFlow) {
        if (allNullValues || value == null) {
            if (keyCommentDone && onComment)
                onComment();
            return str === '' ? '?' : explicitKey ? `? ${str}` : str;
        }
    }
    else if ((allNullValues && !simpleKeys) || (value == null && explicitKey)) {
        str = `? ${str}`;
        if (keyComment && !keyCommentDone) {
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        }
        else if (chompKeep && onChompKeep)
            onChompKeep();
        return str;
    }
    if (keyCommentDone)
        keyComment = null;
    if (explicitKey) {
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
        str = `? ${str}\n${indent}:`;
    }
    else {
        str = `${str}:`;
        if (keyComment)
            str += stringifyComment.lineComment(str, ctx.indent, commentString(keyComment));
    }
    let vsb, vcb, valueComment;
    if (identity.isNode(value)) {
        vsb = !!value.spaceBefore;
        vcb = value.commentBefore;
        valueComment = value.comment;
    }
    else {
        vsb = false;
        vcb = null;
        valueComment = null;
        if (value && typeof value === 'object')
            value = doc.createNode(value);
    }
    ctx.implicitKey = false;
    if (!explicitKey && !keyComment && identity.isScalar(value))
        ctx.indentAtStart = str.length + 1;
    chompKeep = false;
    if (!indentSeq &&
        indentStep.length >= 2 &&
        !ctx.inFlow &&
        !explicitKey &&
        identity.isSeq(value) &&
        !value.flow &&
        !value.tag &&
        !value.anchor) {
        // If indentSeq === false, consider '- ' as part of indentation where possible
        ctx.indent = ctx.indent.substring(2);
    }
    let valueCommentDone = false;
    const valueStr = stringify.stringify(value, ctx, () => (valueCommentDone = true), () => (chompKeep = true));
    let ws = ' ';
    if (keyComment || vsb || vcb) {
        ws = vsb ? '\n' : '';
        if (vcb) {
            const cs = commentString(vcb);
            ws += `\n${stringifyComment.indentComment(cs, ctx.indent)}`;
        }
        if (valueStr === '' && !ctx.inFlow) {
            if (ws === '\n' && valueComment)
                ws = '\n\n';
        }
        else {
            ws += `\n${ctx.indent}`;
        }
    }
    else if (!explicitKey && identity.isCollection(value)) {
        const vs0 = valueStr[0];
        const nl0 = valueStr.indexOf('\n');
        const hasNewline = nl0 !== -1;
        const flow = ctx.inFlow ?? value.flow ?? value.items.length === 0;
        if (hasNewline || !flow) {
            let hasPropsLine = false;
            if (hasNewline && (vs0 === '&' || vs0 === '!')) {
                let sp0 = valueStr.indexOf(' ');
                if (vs0 === '&' &&
                    sp0 !== -1 &&
                    sp0 < nl0 &&
                    valueStr[sp0 + 1] === '!') {
                    sp0 = valueStr.indexOf(' ', sp0 + 1);
                }
                if (sp0 === -1 || nl0 < sp0)
                    hasPropsLine = true;
            }
            if (!hasPropsLine)
                ws = `\n${ctx.indent}`;
        }
    }
    else if (valueStr === '' || valueStr[0] === '\n') {
        ws = '';
    }
    str += ws + valueStr;
    if (ctx.inFlow) {
        if (valueCommentDone && onComment)
            onComment();
    }
    else if (valueComment && !valueCommentDone) {
        str += stringifyComment.lineComment(str, ctx.indent, commentString(valueComment));
    }
    else if (chompKeep && onChompKeep) {
        onChompKeep();
    }
    return str;
}

exports.stringifyPair = stringifyPair;


/***/ }),

/***/ 3069:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var Scalar = __nccwpck_require__(3301);
var foldFlowLines = __nccwpck_require__(4475);

const getFoldOptions = (ctx, isBlock) => ({
    indentAtStart: isBlock ? ctx.indent.length : ctx.indentAtStart,
    lineWidth: ctx.options.lineWidth,
    minContentWidth: ctx.options.minContentWidth
});
// Also checks for lines starting with %, as parsing the output as YAML 1.1 will
// presume that's starting a new document.
const containsDocumentMarker = (str) => /^(%|---|\.\.\.)/m.test(str);
function lineLengthOverLimit(str, lineWidth, indentLength) {
    if (!lineWidth || lineWidth < 0)
        return false;
    const limit = lineWidth - indentLength;
    const strLen = str.length;
    if (strLen <= limit)
        return false;
    for (let i = 0, start = 0; i < strLen; ++i) {
        if (str[i] === '\n') {
            if (i - start > limit)
                return true;
            start = i + 1;
            if (strLen - start <= limit)
                return false;
        }
    }
    return true;
}
function doubleQuotedString(value, ctx) {
    const json = JSON.stringify(value);
    if (ctx.options.doubleQuotedAsJSON)
        return json;
    const { implicitKey } = ctx;
    const minMultiLineLength = ctx.options.doubleQuotedMinMultiLineLength;
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    let str = '';
    let start = 0;
    for (let i = 0, ch = json[i]; ch; ch = json[++i]) {
        if (ch === ' ' && json[i + 1] === '\\' && json[i + 2] === 'n') {
            // space before newline needs to be escaped to not be folded
            str += json.slice(start, i) + '\\ ';
            i += 1;
            start = i;
            ch = '\\';
        }
        if (ch === '\\')
            switch (json[i + 1]) {
                case 'u':
                    {
                        str += json.slice(start, i);
                        const code = json.substr(i + 2, 4);
                        switch (code) {
                            case '0000':
                                str += '\\0';
                                break;
                            case '0007':
                                str += '\\a';
                                break;
                            case '000b':
                                str += '\\v';
                                break;
                            case '001b':
                                str += '\\e';
                                break;
                            case '0085':
                                str += '\\N';
                                break;
                            case '00a0':
                                str += '\\_';
                                break;
                            case '2028':
                                str += '\\L';
                                break;
                            case '2029':
                                str += '\\P';
                                break;
                            default:
                                if (code.substr(0, 2) === '00')
                                    str += '\\x' + code.substr(2);
                                else
                                    str += json.substr(i, 6);
                        }
                        i += 5;
                        start = i + 1;
                    }
                    break;
                case 'n':
                    if (implicitKey ||
                        json[i + 2] === '"' ||
                        json.length < minMultiLineLength) {
                        i += 1;
                    }
                    else {
                        // folding will eat first newline
                        str += json.slice(start, i) + '\n\n';
                        while (json[i + 2] === '\\' &&
                            json[i + 3] === 'n' &&
                            json[i + 4] !== '"') {
                            str += '\n';
                            i += 2;
                        }
                        str += indent;
                        // space after newline needs to be escaped to not be folded
                        if (json[i + 2] === ' ')
                            str += '\\';
                        i += 1;
                        start = i + 1;
                    }
                    break;
                default:
                    i += 1;
            }
    }
    str = start ? str + json.slice(start) : json;
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_QUOTED, getFoldOptions(ctx, false));
}
function singleQuotedString(value, ctx) {
    if (ctx.options.singleQuote === false ||
        (ctx.implicitKey && value.includes('\n')) ||
        /[ \t]\n|\n[ \t]/.test(value) // single quoted string can't have leading or trailing whitespace around newline
    )
        return doubleQuotedString(value, ctx);
    const indent = ctx.indent || (containsDocumentMarker(value) ? '  ' : '');
    const res = "'" + value.replace(/'/g, "''").replace(/\n+/g, `$&\n${indent}`) + "'";
    return ctx.implicitKey
        ? res
        : foldFlowLines.foldFlowLines(res, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function quotedString(value, ctx) {
    const { singleQuote } = ctx.options;
    let qs;
    if (singleQuote === false)
        qs = doubleQuotedString;
    else {
        const hasDouble = value.includes('"');
        const hasSingle = value.includes("'");
        if (hasDouble && !hasSingle)
            qs = singleQuotedString;
        else if (hasSingle && !hasDouble)
            qs = doubleQuotedString;
        else
            qs = singleQuote ? singleQuotedString : doubleQuotedString;
    }
    return qs(value, ctx);
}
// The negative lookbehind avoids a polynomial search,
// but isn't supported yet on Safari: https://caniuse.com/js-regexp-lookbehind
let blockEndNewlines;
try {
    blockEndNewlines = new RegExp('(^|(?<!\n))\n+(?!\n|$)', 'g');
}
catch {
    blockEndNewlines = /\n+(?!\n|$)/g;
}
function blockString({ comment, type, value }, ctx, onComment, onChompKeep) {
    const { blockQuote, commentString, lineWidth } = ctx.options;
    // 1. Block can't end in whitespace unless the last line is non-empty.
    // 2. Strings consisting of only whitespace are best rendered explicitly.
    if (!blockQuote || /\n[\t ]+$/.test(value)) {
        return quotedString(value, ctx);
    }
    const indent = ctx.indent ||
        (ctx.forceBlockIndent || containsDocumentMarker(value) ? '  ' : '');
    const literal = blockQuote === 'literal'
        ? true
        : blockQuote === 'folded' || type === Scalar.Scalar.BLOCK_FOLDED
            ? false
            : type === Scalar.Scalar.BLOCK_LITERAL
                ? true
                : !lineLengthOverLimit(value, lineWidth, indent.length);
    if (!value)
        return literal ? '|\n' : '>\n';
    // determine chomping from whitespace at value end
    let chomp;
    let endStart;
    for (endStart = value.length; endStart > 0; --endStart) {
        const ch = value[endStart - 1];
        if (ch !== '\n' && ch !== '\t' && ch !== ' ')
            break;
    }
    let end = value.substring(endStart);
    const endNlPos = end.indexOf('\n');
    if (endNlPos === -1) {
        chomp = '-'; // strip
    }
    else if (value === end || endNlPos !== end.length - 1) {
        chomp = '+'; // keep
        if (onChompKeep)
            onChompKeep();
    }
    else {
        chomp = ''; // clip
    }
    if (end) {
        value = value.slice(0, -end.length);
        if (end[end.length - 1] === '\n')
            end = end.slice(0, -1);
        end = end.replace(blockEndNewlines, `$&${indent}`);
    }
    // determine indent indicator from whitespace at value start
    let startWithSpace = false;
    let startEnd;
    let startNlPos = -1;
    for (startEnd = 0; startEnd < value.length; ++startEnd) {
        const ch = value[startEnd];
        if (ch === ' ')
            startWithSpace = true;
        else if (ch === '\n')
            startNlPos = startEnd;
        else
            break;
    }
    let start = value.substring(0, startNlPos < startEnd ? startNlPos + 1 : startEnd);
    if (start) {
        value = value.substring(start.length);
        start = start.replace(/\n+/g, `$&${indent}`);
    }
    const indentSize = indent ? '2' : '1'; // root is at -1
    // Leading | or > is added later
    let header = (startWithSpace ? indentSize : '') + chomp;
    if (comment) {
        header += ' ' + commentString(comment.replace(/ ?[\r\n]+/g, ' '));
        if (onComment)
            onComment();
    }
    if (!literal) {
        const foldedValue = value
            .replace(/\n+/g, '\n$&')
            .replace(/(?:^|\n)([\t ].*)(?:([\n\t ]*)\n(?![\n\t ]))?/g, '$1$2') // more-indented lines aren't folded
            //                ^ more-ind. ^ empty     ^ capture next empty lines only at end of indent
            .replace(/\n+/g, `$&${indent}`);
        let literalFallback = false;
        const foldOptions = getFoldOptions(ctx, true);
        if (blockQuote !== 'folded' && type !== Scalar.Scalar.BLOCK_FOLDED) {
            foldOptions.onOverflow = () => {
                literalFallback = true;
            };
        }
        const body = foldFlowLines.foldFlowLines(`${start}${foldedValue}${end}`, indent, foldFlowLines.FOLD_BLOCK, foldOptions);
        if (!literalFallback)
            return `>${header}\n${indent}${body}`;
    }
    value = value.replace(/\n+/g, `$&${indent}`);
    return `|${header}\n${indent}${start}${value}${end}`;
}
function plainString(item, ctx, onComment, onChompKeep) {
    const { type, value } = item;
    const { actualString, implicitKey, indent, indentStep, inFlow } = ctx;
    if ((implicitKey && value.includes('\n')) ||
        (inFlow && /[[\]{},]/.test(value))) {
        return quotedString(value, ctx);
    }
    if (/^[\n\t ,[\]{}#&*!|>'"%@`]|^[?-]$|^[?-][ \t]|[\n:][ \t]|[ \t]\n|[\n\t ]#|[\n\t :]$/.test(value)) {
        // not allowed:
        // - '-' or '?'
        // - start with an indicator character (except [?:-]) or /[?-] /
        // - '\n ', ': ' or ' \n' anywhere
        // - '#' not preceded by a non-space char
        // - end with ' ' or ':'
        return implicitKey || inFlow || !value.includes('\n')
            ? quotedString(value, ctx)
            : blockString(item, ctx, onComment, onChompKeep);
    }
    if (!implicitKey &&
        !inFlow &&
        type !== Scalar.Scalar.PLAIN &&
        value.includes('\n')) {
        // Where allowed & type not set explicitly, prefer block style for multiline strings
        return blockString(item, ctx, onComment, onChompKeep);
    }
    if (containsDocumentMarker(value)) {
        if (indent === '') {
            ctx.forceBlockIndent = true;
            return blockString(item, ctx, onComment, onChompKeep);
        }
        else if (implicitKey && indent === indentStep) {
            return quotedString(value, ctx);
        }
    }
    const str = value.replace(/\n+/g, `$&\n${indent}`);
    // Verify that output will be parsed as a string, as e.g. plain numbers and
    // booleans get parsed with those types in v1.2 (e.g. '42', 'true' & '0.9e-3'),
    // and others in v1.1.
    if (actualString) {
        const test = (tag) => tag.default && tag.tag !== 'tag:yaml.org,2002:str' && tag.test?.test(str);
        const { compat, tags } = ctx.doc.schema;
        if (tags.some(test) || compat?.some(test))
            return quotedString(value, ctx);
    }
    return implicitKey
        ? str
        : foldFlowLines.foldFlowLines(str, indent, foldFlowLines.FOLD_FLOW, getFoldOptions(ctx, false));
}
function stringifyString(item, ctx, onComment, onChompKeep) {
    const { implicitKey, inFlow } = ctx;
    const ss = typeof item.value === 'string'
        ? item
        : Object.assign({}, item, { value: String(item.value) });
    let { type } = item;
    if (type !== Scalar.Scalar.QUOTE_DOUBLE) {
        // force double quotes on control characters & unpaired surrogates
        if (/[\x00-\x08\x0b-\x1f\x7f-\x9f\u{D800}-\u{DFFF}]/u.test(ss.value))
            type = Scalar.Scalar.QUOTE_DOUBLE;
    }
    const _stringify = (_type) => {
        switch (_type) {
            case Scalar.Scalar.BLOCK_FOLDED:
            case Scalar.Scalar.BLOCK_LITERAL:
                return implicitKey || inFlow
                    ? quotedString(ss.value, ctx) // blocks are not valid inside flow containers
                    : blockString(ss, ctx, onComment, onChompKeep);
            case Scalar.Scalar.QUOTE_DOUBLE:
                return doubleQuotedString(ss.value, ctx);
            case Scalar.Scalar.QUOTE_SINGLE:
                return singleQuotedString(ss.value, ctx);
            case Scalar.Scalar.PLAIN:
                return plainString(ss, ctx, onComment, onChompKeep);
            default:
                return null;
        }
    };
    let res = _stringify(type);
    if (res === null) {
        const { defaultKeyType, defaultStringType } = ctx.options;
        const t = (implicitKey && defaultKeyType) || defaultStringType;
        res = _stringify(t);
        if (res === null)
            throw new Error(`Unsupported default string type ${t}`);
    }
    return res;
}

exports.stringifyString = stringifyString;


/***/ }),

/***/ 204:
/***/ ((__unused_webpack_module, exports, __nccwpck_require__) => {



var identity = __nccwpck_require__(1127);

const BREAK = Symbol('break visit');
const SKIP = Symbol('skip children');
const REMOVE = Symbol('remove node');
/**
 * Apply a visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
function visit(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = visit_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        visit_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visit.BREAK = BREAK;
/** Do not visit the children of the current node */
visit.SKIP = SKIP;
/** Remove the current node */
visit.REMOVE = REMOVE;
function visit_(key, node, visitor, path) {
    const ctrl = callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visit_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = visit_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = visit_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = visit_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
/**
 * Apply an async visitor to an AST node or document.
 *
 * Walks through the tree (depth-first) starting from `node`, calling a
 * `visitor` function with three arguments:
 *   - `key`: For sequence values and map `Pair`, the node's index in the
 *     collection. Within a `Pair`, `'key'` or `'value'`, correspondingly.
 *     `null` for the root node.
 *   - `node`: The current node.
 *   - `path`: The ancestry of the current node.
 *
 * The return value of the visitor may be used to control the traversal:
 *   - `Promise`: Must resolve to one of the following values
 *   - `undefined` (default): Do nothing and continue
 *   - `visit.SKIP`: Do not visit the children of this node, continue with next
 *     sibling
 *   - `visit.BREAK`: Terminate traversal completely
 *   - `visit.REMOVE`: Remove the current node, then continue with the next one
 *   - `Node`: Replace the current node, then continue by visiting it
 *   - `number`: While iterating the items of a sequence or map, set the index
 *     of the next step. This is useful especially if the index of the current
 *     node has changed.
 *
 * If `visitor` is a single function, it will be called with all values
 * encountered in the tree, including e.g. `null` values. Alternatively,
 * separate visitor functions may be defined for each `Map`, `Pair`, `Seq`,
 * `Alias` and `Scalar` node. To define the same visitor function for more than
 * one node type, use the `Collection` (map and seq), `Value` (map, seq & scalar)
 * and `Node` (alias, map, seq & scalar) targets. Of all these, only the most
 * specific defined one will be used for each node.
 */
async function visitAsync(node, visitor) {
    const visitor_ = initVisitor(visitor);
    if (identity.isDocument(node)) {
        const cd = await visitAsync_(null, node.contents, visitor_, Object.freeze([node]));
        if (cd === REMOVE)
            node.contents = null;
    }
    else
        await visitAsync_(null, node, visitor_, Object.freeze([]));
}
// Without the `as symbol` casts, TS declares these in the `visit`
// namespace using `var`, but then complains about that because
// `unique symbol` must be `const`.
/** Terminate visit traversal completely */
visitAsync.BREAK = BREAK;
/** Do not visit the children of the current node */
visitAsync.SKIP = SKIP;
/** Remove the current node */
visitAsync.REMOVE = REMOVE;
async function visitAsync_(key, node, visitor, path) {
    const ctrl = await callVisitor(key, node, visitor, path);
    if (identity.isNode(ctrl) || identity.isPair(ctrl)) {
        replaceNode(key, path, ctrl);
        return visitAsync_(key, ctrl, visitor, path);
    }
    if (typeof ctrl !== 'symbol') {
        if (identity.isCollection(node)) {
            path = Object.freeze(path.concat(node));
            for (let i = 0; i < node.items.length; ++i) {
                const ci = await visitAsync_(i, node.items[i], visitor, path);
                if (typeof ci === 'number')
                    i = ci - 1;
                else if (ci === BREAK)
                    return BREAK;
                else if (ci === REMOVE) {
                    node.items.splice(i, 1);
                    i -= 1;
                }
            }
        }
        else if (identity.isPair(node)) {
            path = Object.freeze(path.concat(node));
            const ck = await visitAsync_('key', node.key, visitor, path);
            if (ck === BREAK)
                return BREAK;
            else if (ck === REMOVE)
                node.key = null;
            const cv = await visitAsync_('value', node.value, visitor, path);
            if (cv === BREAK)
                return BREAK;
            else if (cv === REMOVE)
                node.value = null;
        }
    }
    return ctrl;
}
function initVisitor(visitor) {
    if (typeof visitor === 'object' &&
        (visitor.Collection || visitor.Node || visitor.Value)) {
        return Object.assign({
            Alias: visitor.Node,
            Map: visitor.Node,
            Scalar: visitor.Node,
            Seq: visitor.Node
        }, visitor.Value && {
            Map: visitor.Value,
            Scalar: visitor.Value,
            Seq: visitor.Value
        }, visitor.Collection && {
            Map: visitor.Collection,
            Seq: visitor.Collection
        }, visitor);
    }
    return visitor;
}
function callVisitor(key, node, visitor, path) {
    if (typeof visitor === 'function')
        return visitor(key, node, path);
    if (identity.isMap(node))
        return visitor.Map?.(key, node, path);
    if (identity.isSeq(node))
        return visitor.Seq?.(key, node, path);
    if (identity.isPair(node))
        return visitor.Pair?.(key, node, path);
    if (identity.isScalar(node))
        return visitor.Scalar?.(key, node, path);
    if (identity.isAlias(node))
        return visitor.Alias?.(key, node, path);
    return undefined;
}
function replaceNode(key, path, node) {
    const parent = path[path.length - 1];
    if (identity.isCollection(parent)) {
        parent.items[key] = node;
    }
    else if (identity.isPair(parent)) {
        if (key === 'key')
            parent.key = node;
        else
            parent.value = node;
    }
    else if (identity.isDocument(parent)) {
        parent.contents = node;
    }
    else {
        const pt = identity.isAlias(parent) ? 'alias' : 'scalar';
        throw new Error(`Cannot replace node with ${pt} parent`);
    }
}

exports.visit = visit;
exports.visitAsync = visitAsync;


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
/******/ var __webpack_exports__ = __nccwpck_require__(3275);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
