import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3275:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2279);
/* harmony import */ var _core_compose_deploy_config_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1489);


await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('compose-deploy', async (ctx) => {
    const cfg = (0,_core_compose_deploy_config_js__WEBPACK_IMPORTED_MODULE_1__/* .readComposeDeployConfig */ ._T)(ctx.inputs);
    if (cfg.health?.insecureTls)
        ctx.warn('insecure-tls is on: TLS certificates are not verified', 'health gate');
    // The targets, the deploy (compose file parser, release phase, health gate, database backups) and the summary
    // load on first use, after the inputs are read: a step's start pays only for the entry and its config.
    const [{ withTargets }, { runComposeDeploy }, { composeDeploySummary, hostsJson }] = await Promise.all([
        __nccwpck_require__.e(/* import() */ 628).then(__nccwpck_require__.bind(__nccwpck_require__, 1628)),
        Promise.all(/* import() */[__nccwpck_require__.e(815), __nccwpck_require__.e(202)]).then(__nccwpck_require__.bind(__nccwpck_require__, 6202)),
        __nccwpck_require__.e(/* import() */ 976).then(__nccwpck_require__.bind(__nccwpck_require__, 1976)),
    ]);
    const report = await withTargets(ctx, cfg.runOn, (opened) => runComposeDeploy(cfg, opened.targets, opened.runner, {
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
    ctx.setOutput('hosts', hostsJson(report));
    ctx.setOutput('phases', report.phases);
    ctx.setOutput('duration-ms', report.durationMs);
    ctx.summary(composeDeploySummary(report));
    for (const w of report.warnings)
        ctx.warn(w, 'compose-deploy');
    if (report.error)
        throw new Error(report.error);
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 3257:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   KT: () => (/* binding */ mysqlRestoreCommand),
/* harmony export */   LM: () => (/* binding */ parseMysqlUrl),
/* harmony export */   SB: () => (/* binding */ mysqlOptionFile),
/* harmony export */   s5: () => (/* binding */ mysqlQueryCommand),
/* harmony export */   yk: () => (/* binding */ mysqlDumpCommand)
/* harmony export */ });
/* unused harmony export mysqlAuth */
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
/** The leading options (first on the command line), env and stdin that give a client its credentials. */
function mysqlAuth(auth, stdinIsSql) {
    if (auth.kind === 'file')
        return { args: [`--defaults-extra-file=${auth.path}`] };
    const c = auth.conn;
    if (!stdinIsSql)
        return { args: ['--defaults-extra-file=/dev/stdin'], stdin: mysqlOptionFile(c) };
    mysqlOptionFile(c); // the same line-break check as the option file
    return {
        args: ['--no-defaults', `--host=${c.host}`, `--port=${c.port}`, `--user=${c.user}`],
        env: { MYSQL_PWD: c.password },
    };
}
/**
 * The client opens /dev/stdin by path, which fails when stdin is a socket (Node's and some exec layers' stdio):
 * `cat |` always hands it a pipe. A constant script; the command is positional, never parsed by the shell.
 */
const STDIN_AS_PIPE = ['sh', '-c', 'cat | "$@"', 'sh'];
const withAuth = (auth, stdinIsSql, bin, rest) => {
    const a = mysqlAuth(typeof auth === 'string' ? { kind: 'file', path: auth } : auth, stdinIsSql);
    return {
        argv: [...(a.stdin !== undefined ? STDIN_AS_PIPE : []), bin, ...a.args, ...rest],
        ...(a.env ? { env: a.env } : {}),
        ...(a.stdin !== undefined ? { stdin: a.stdin } : {}),
        label: bin,
    };
};
/** The dump (`auth` a path = an option file there). The credential options come first, as the client requires. */
function mysqlDumpCommand(c, auth, bin = 'mariadb-dump') {
    // No --databases: the dump carries no CREATE DATABASE/USE, so it restores into any database name.
    return withAuth(auth, false, bin, [
        '--protocol=TCP',
        '--single-transaction',
        '--routines',
        '--triggers',
        '--events',
        '--hex-blob',
        '--',
        c.database,
    ]);
}
/** The client reading a plain SQL dump on stdin into `database` (the caller streams the file in). */
function mysqlRestoreCommand(auth, database, bin = 'mariadb') {
    return withAuth(auth, true, bin, ['--protocol=TCP', '--batch', `--database=${database}`]);
}
/** The client running one query (`-e`; stdin unused) in `database`, tab-separated without column names. */
function mysqlQueryCommand(auth, database, query, bin = 'mariadb') {
    return withAuth(auth, false, bin, ['--protocol=TCP', '-N', '-B', `--database=${database}`, '-e', query]);
}


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
// EXTERNAL MODULE: ./src/core/backup-db/mysql.ts
var mysql = __nccwpck_require__(3257);
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

// EXTERNAL MODULE: ./src/core/compose-deploy/env-target.ts
var env_target = __nccwpck_require__(2425);
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
    if (backup === 'mongodb')
        throw new errors/* InputError */.d('backup', 'mongodb inside a compose service is not supported by this version yet (postgres, mysql and mariadb are)');
    let databaseUrl = inputs.secret('database-url');
    if (!databaseUrl && backup !== 'none') {
        // Built for a client inside the database service: its own server on the container's loopback.
        const user = inputs.string('database-user', backup === 'postgres' ? 'postgres' : 'root');
        const password = inputs.secret('database-password');
        const auth = `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}`;
        databaseUrl =
            backup === 'postgres'
                ? `postgres://${auth}@localhost:5432/${encodeURIComponent(database)}`
                : `${backup}://${auth}@127.0.0.1:3306/${encodeURIComponent(database)}`;
    }
    if (databaseUrl && (backup === 'mysql' || backup === 'mariadb')) {
        try {
            (0,mysql/* parseMysqlUrl */.LM)(databaseUrl);
        }
        catch (e) {
            throw new errors/* InputError */.d('database-url', e.message.replace(/^database-url: /, ''));
        }
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
    const httpProbe = readHttpProbe(inputs, proxyService);
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
    if (restoreDbOnRollback && (backup === 'mysql' || backup === 'mariadb'))
        throw new errors/* InputError */.d('restore-db-on-rollback', `is not available with backup: ${backup} in this version: a ${backup} dump replays into the live database without dropping the tables the new release's migrations created, so the database would not be back at the backup. Restore by hand with backup-db (mode: restore) from backup-path, or set restore-db-on-rollback: false`);
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
        registryAuth: readRegistryAuth(inputs, image),
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
        ...(httpProbe ? { httpProbe } : {}),
        healthyTimeoutMs: inputs.duration('healthy-timeout', '2m', { min: 1000 }),
        drainTimeoutMs: inputs.duration('drain-timeout', '30s', { min: 0 }),
        proxySettleMs: inputs.duration('proxy-settle', '10s', { min: 0 }),
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
/** probe-path + probe-port (+ probe-from, default the proxy service): undefined when probe-path is empty. */
function readHttpProbe(inputs, proxyService) {
    const path = inputs.raw('probe-path');
    if (!path) {
        for (const other of ['probe-port', 'probe-from'])
            if (inputs.raw(other))
                throw new errors/* InputError */.d(other, 'is used only with probe-path (e.g. /healthz)');
        return undefined;
    }
    if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(path))
        throw new errors/* InputError */.d('probe-path', `"${path}" is not a URL path (starts with /, no spaces or #)`);
    if (!inputs.raw('probe-port'))
        throw new errors/* InputError */.d('probe-port', 'is required with probe-path (the port the app listens on inside its container, e.g. 8000)');
    const port = inputs.integer('probe-port', 0, { min: 1, max: 65535 });
    const fromRaw = inputs.raw('probe-from');
    if (!fromRaw && !proxyService)
        throw new errors/* InputError */.d('probe-from', 'is required with probe-path when no proxy-service is set (the service whose container sends the HTTP probe over the project network)');
    return { path, port, from: fromRaw ? serviceName('probe-from', fromRaw) : proxyService };
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
/** `host[:port]` of a registry, as `docker login` takes it. */
const REGISTRY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?(?::[0-9]{1,5})?$/;
/** registry-username + registry-password (both or neither) and the registry they are for. */
function readRegistryAuth(inputs, image) {
    const username = inputs.raw('registry-username');
    const password = inputs.secret('registry-password');
    const registryRaw = inputs.raw('registry');
    if (!username && !password) {
        if (registryRaw)
            throw new errors/* InputError */.d('registry', 'is used with registry-username and registry-password only');
        return undefined;
    }
    if (!username)
        throw new errors/* InputError */.d('registry-username', 'is required with registry-password');
    if (!password)
        throw new errors/* InputError */.d('registry-password', 'is required with registry-username (from a secret)');
    if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}$/.test(username))
        throw new errors/* InputError */.d('registry-username', `"${username.slice(0, 60)}" is not a registry user name`);
    if (/[\r\n]/.test(password))
        throw new errors/* InputError */.d('registry-password', 'must be one line');
    const registry = registryRaw || (image ? (0,env_target/* registryOf */.Fv)(image) : '');
    if (!registry)
        throw new errors/* InputError */.d('registry', 'is required with registry-username when the image does not name it (build, rollback or an image id)');
    if (!REGISTRY_RE.test(registry))
        throw new errors/* InputError */.d('registry', `"${registry.slice(0, 60)}" is not a registry host (host or host:port)`);
    return { registry, username, password };
}


/***/ }),

/***/ 2425:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Eh: () => (/* binding */ withEnv),
/* harmony export */   Fv: () => (/* binding */ registryOf),
/* harmony export */   V9: () => (/* binding */ withRegistryLogin)
/* harmony export */ });
/* unused harmony exports privateDirCommand, dockerLoginCommand, removeDirCommand */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lib_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7268);
/* harmony import */ var _lib_exec_types_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(5504);
/* harmony import */ var _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8867);




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
/** The registry part of an image reference (`docker.io` when the first component is not a host); '' for an image id. */
function registryOf(image) {
    if (/^sha256:[0-9a-f]{64}$/.test(image))
        return '';
    const first = image.split('/')[0];
    return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
        ? first
        : 'docker.io';
}
/** `mkdir -m 0700 -- <dir>`: the private DOCKER_CONFIG of one login. */
function privateDirCommand(dir) {
    return { argv: ['mkdir', '-m', '0700', '--', dir], label: 'mkdir DOCKER_CONFIG' };
}
/**
 * `docker login` into the private DOCKER_CONFIG `dir` (env, so the host user's ~/.docker is never read or
 * changed); the password on stdin (`--password-stdin`), never in argv.
 */
function dockerLoginCommand(auth, dir) {
    return {
        argv: ['docker', 'login', `--username=${auth.username}`, '--password-stdin', '--', auth.registry],
        env: { DOCKER_CONFIG: dir },
        stdin: `${auth.password}\n`,
        label: `docker login ${auth.registry}`,
    };
}
/** `rm -rf -- <dir>` (the DOCKER_CONFIG made for one login). */
function removeDirCommand(dir) {
    return { argv: ['rm', '-rf', '--', dir], label: 'rm DOCKER_CONFIG' };
}
/**
 * Runs `fn` with the env its registry commands need on `t`: with `auth`, a private DOCKER_CONFIG in the
 * target's own temp dir (0700; on the runner that dir is recorded for the post step, elsewhere removed by the
 * target's dispose) logged in to the registry, removed again as soon as `fn` ends, so the credentials live
 * on the host only while it pulls. Without `auth`, `fn({})`.
 */
async function withRegistryLogin(t, auth, ctx, fn) {
    if (!auth)
        return fn({});
    const dir = node_path__WEBPACK_IMPORTED_MODULE_0__.posix.join(await t.tempDir(), `docker-config-${randomHex()}`);
    const opts = { timeoutMs: _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_3__/* .TIMEOUTS */ .f.housekeepingMs, signal: ctx.signal };
    await (0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_2__/* .runChecked */ .X4)(t, privateDirCommand(dir), opts);
    try {
        const r = await t.run(dockerLoginCommand(auth, dir), { timeoutMs: _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_3__/* .TIMEOUTS */ .f.remoteStepMs, signal: ctx.signal });
        if (!(0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_2__/* .succeeded */ .gq)(r))
            throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('registry-password', `${t.target}: docker login to ${auth.registry} as ${auth.username} failed (nothing was changed): ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}. Check registry-username, registry-password and registry`);
        ctx.log(`${t.target}: logged in to ${auth.registry} as ${auth.username} (private DOCKER_CONFIG, removed after the pull)`);
        return await fn({ DOCKER_CONFIG: dir });
    }
    finally {
        // Not tied to the signal: a cancelled run must still remove the credentials.
        const r = await t.run(removeDirCommand(dir), { timeoutMs: _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_3__/* .TIMEOUTS */ .f.housekeepingMs });
        if (!(0,_lib_exec_types_js__WEBPACK_IMPORTED_MODULE_2__/* .succeeded */ .gq)(r))
            ctx.warn(`${t.target}: could not remove ${dir} (registry credentials)`, 'compose-deploy');
    }
}
const randomHex = () => process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');


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
/* harmony export */   XZ: () => (/* binding */ SSH_SOCKET_DIR_STATE),
/* harmony export */   eA: () => (/* binding */ makeRecordedTempDir),
/* harmony export */   gT: () => (/* binding */ socketRoot),
/* harmony export */   oq: () => (/* binding */ recordTempPathsWith)
/* harmony export */ });
/* unused harmony exports TEMP_PATHS_STATE, tempRoot, provableTempPath, cleanupRecordedState */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(8867);




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
/**
 * The state key under which the SSH control-socket folder is recorded (openTargets). It lives outside RUNNER_TEMP
 * (see socketRoot), so it has a proof of its own: directly under socketRoot(), named `dkcm-<6>`, a real directory
 * owned by this user. The post step first closes every master connection listening in it, then removes it.
 */
const SSH_SOCKET_DIR_STATE = 'deploy-kit-ssh-socket-dir';
const TOKEN_DIR = /^deploy-kit-[a-z][a-z0-9]{0,19}-[0-9a-f]{32}$/;
/** SshSession's folder: mkdtemp's six random characters. */
const SSH_DIR = /^deploy-kit-ssh-[A-Za-z0-9]{6}$/;
/** SshSession's control-socket folder: mkdtemp's six random characters. */
const SOCKET_DIR = /^dkcm-[A-Za-z0-9]{6}$/;
/** A master's control socket in it: `cm-%C` (%C is a hex hash of the connection). */
const CONTROL_SOCKET = /^cm-[0-9a-f]{16,128}$/;
/** How many temp dirs one run records at most (a loop that makes more is a bug, not a reason to grow state). */
const MAX_RECORDED = 64;
let saver;
let recorded = [];
/** Called once by the action entry wrapper: where recorded paths go (core.saveState). Tests leave it unset. */
function recordTempPathsWith(save) {
    saver = save;
    recorded = [];
}
/**
 * Where SSH control-socket folders go: a Unix socket path is limited to ~104 bytes and ssh appends a random
 * suffix while binding, so the OS temp dir only when its path is short, else /tmp.
 */
function socketRoot() {
    const t = (0,node_os__WEBPACK_IMPORTED_MODULE_1__.tmpdir)();
    return t.length < 20 ? t : '/tmp';
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
    return provablePath(value, resolve(runnerTemp), 'RUNNER_TEMP', pattern);
}
/** `value` when it is a normal absolute path directly under `parent`, named by `pattern`, a real dir of ours. */
function provablePath(value, parent, parentName, pattern) {
    if (!isAbsolute(value))
        return { refused: 'not an absolute path' };
    // resolve() normalizes: a value that changes under it held `..`, `.`, `//` or a trailing slash.
    if (resolve(value) !== value || value.split('/').includes('..'))
        return { refused: 'not a normal path' };
    if (dirname(value) !== parent)
        return { refused: `not directly under ${parentName}` };
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
    // Control sockets first: a main step killed while a master connection was up leaves it running (up to its
    // ControlPersist after last use); it is told to exit (bounded), then its folder goes.
    const sockets = env[`STATE_${SSH_SOCKET_DIR_STATE}`];
    const socketDir = sockets ? provablePath(sockets, resolve(socketRoot()), socketRoot(), SOCKET_DIR) : undefined;
    if (socketDir && 'path' in socketDir) {
        const closed = closeMasters(socketDir.path);
        if (closed)
            log(`closed ${closed} SSH master connection(s) left by the main step`);
        rmSync(socketDir.path, { recursive: true, force: true });
        removed.push(socketDir.path);
    }
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
/**
 * Asks every master connection listening in `dir` (sockets named as SshSession names them, owned by this user)
 * to exit: `ssh -O exit -S <socket>`, each bounded. No config file, no connection: only the socket is used.
 * Returns how many acknowledged.
 */
function closeMasters(dir) {
    let names;
    try {
        names = readdirSync(dir);
    }
    catch {
        return 0;
    }
    const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
    let closed = 0;
    for (const name of names.filter((n) => CONTROL_SOCKET.test(n)).slice(0, MAX_RECORDED)) {
        const socket = join(dir, name);
        let st;
        try {
            st = lstatSync(socket);
        }
        catch {
            continue;
        }
        if (!st.isSocket() || (uid !== undefined && st.uid !== uid))
            continue;
        const r = process
            .getBuiltinModule('node:child_process')
            .spawnSync('ssh', ['-F', '/dev/null', '-S', socket, '-O', 'exit', 'deploy-kit-master'], {
            stdio: 'ignore',
            timeout: TIMEOUTS.sshMasterStopMs,
        });
        if (r.status === 0)
            closed++;
    }
    return closed;
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

// UNUSED EXPORTS: MIN_MASKED_PART, parseEnvBlock, parseList

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



/**
 * The shortest part of a secret input (one line of it, one value of an `env` block, one header value) that is
 * masked on its own. Shorter parts are mostly flags and numbers (`DEBUG=1`, `PORT=80`, `on`): masking them
 * would turn every `1` in the log into `***` and make it useless. The whole input and each whole line of it
 * are masked whatever their length, so `DB_PASSWORD=abc` is hidden as a line; `abc` printed alone is not
 * (README, "What is not guaranteed"). A secret that short belongs in its own secret input, which is masked whole.
 */
const MIN_MASKED_PART = 4;
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
                if (line.trim().length >= MIN_MASKED_PART)
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
                    if (v.length >= MIN_MASKED_PART)
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
            if (m[2].length >= MIN_MASKED_PART)
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
    /**
     * Values of 1-2 characters are not replaced in what this action prints itself (summary, outputs, errors):
     * `***` for every `1` or `on` would garble them. The runner's add-mask still gets them (action.ts).
     */
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

/***/ 1119:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Qj: () => (/* binding */ markdownTable),
/* harmony export */   R_: () => (/* binding */ heading),
/* harmony export */   Yc: () => (/* binding */ tableSection),
/* harmony export */   kq: () => (/* binding */ escapeCell)
/* harmony export */ });
/* unused harmony export codeBlock */
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
/** A level-4 heading and its table; nothing at all when there are no rows (a section is shown only when it has rows). */
function tableSection(title, header, rows) {
    return rows.length ? '\n' + heading(title, 4) + markdownTable(header, rows) : '';
}
/**
 * Text from a server, a log or an error as a fenced block. Every run of three backticks in it is broken, so
 * the text cannot close the fence and have the rest of it read as Markdown (links, images, HTML).
 */
function codeBlock(text) {
    return '\n```\n' + text.replace(/```/g, "'''") + '\n```\n';
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
    /** The least time a source tarball upload to a PaaS's storage gets (request-timeout when that is longer). */
    sourceUploadMinMs: 120_000,
    /** One GitHub API request. */
    githubApiMs: 30_000,
    /** Opening a TCP/TLS connection to a service (an S3 endpoint). */
    connectMs: 15_000,
    /** A request that cleans up after a failure or a cancel (abort a multipart upload, a final deployment status). */
    cleanupRequestMs: 30_000,
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

/***/ 6466:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");

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
