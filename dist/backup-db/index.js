import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3750:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(106);
/* harmony import */ var _lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1628);
/* harmony import */ var _core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8477);
/* harmony import */ var _core_backup_db_storage_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(9838);
/* harmony import */ var _core_backup_db_storage_run_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(1016);
/* harmony import */ var _core_backup_db_summary_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(2791);






await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('backup-db', async (ctx) => {
    const cfg = (0,_core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_2__/* .readBackupConfig */ .Dp)(ctx.inputs);
    for (const s of (0,_core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_2__/* .urlSecrets */ .Fn)(cfg.databaseUrl)) {
        ctx.addSecret(s);
    }
    const off = (0,_core_backup_db_storage_js__WEBPACK_IMPORTED_MODULE_3__/* .readOffsiteConfig */ .vs)(ctx.inputs, cfg.mode, cfg.timeoutMs);
    for (const s of (0,_core_backup_db_storage_js__WEBPACK_IMPORTED_MODULE_3__/* .offsiteSecrets */ .sQ)(off)) {
        ctx.addSecret(s);
    }
    const { report, offsite } = await (0,_lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__/* .withTargets */ .d)(ctx, cfg.runOn, async ({ targets, runner }) => {
        const where = { host: targets[0], runner };
        return cfg.mode === 'restore' ? (0,_core_backup_db_storage_run_js__WEBPACK_IMPORTED_MODULE_4__/* .runRestoreOffsite */ .cC)(cfg, off, where, ctx) : (0,_core_backup_db_storage_run_js__WEBPACK_IMPORTED_MODULE_4__/* .runBackupOffsite */ .SB)(cfg, off, where, ctx);
    });
    ctx.setOutput('path', report.path);
    ctx.setOutput('remote-path', report.remotePath);
    ctx.setOutput('size-bytes', report.sizeBytes);
    ctx.setOutput('sha256', report.sha256);
    ctx.setOutput('duration-ms', report.durationMs);
    ctx.setOutput('verified', report.verified);
    ctx.setOutput('server-version', report.serverVersion);
    ctx.setOutput('removed', report.removed);
    ctx.setOutput('tables', report.counts);
    ctx.setOutput('storage-url', offsite.stored?.url ?? offsite.fetched?.url ?? '');
    ctx.setOutput('storage-sha256', offsite.stored?.sha256 ?? offsite.fetched?.sha256 ?? '');
    ctx.setOutput('storage-size-bytes', offsite.stored?.sizeBytes ?? offsite.fetched?.sizeBytes ?? '');
    ctx.setOutput('encrypted', offsite.stored?.encrypted ?? offsite.fetched?.encrypted ?? false);
    ctx.setOutput('storage-removed', offsite.storageRetention?.remove ?? []);
    ctx.setOutput('remote-removed', offsite.remoteRetention?.remove ?? []);
    ctx.summary((0,_core_backup_db_summary_js__WEBPACK_IMPORTED_MODULE_5__/* .backupSummary */ .f)(report) + (0,_core_backup_db_storage_run_js__WEBPACK_IMPORTED_MODULE_4__/* .offsiteSummary */ .DC)(offsite, cfg.retentionDryRun));
});

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 3179:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   MB: () => (/* binding */ compressionOf),
/* harmony export */   _7: () => (/* binding */ COMPRESSIONS),
/* harmony export */   pN: () => (/* binding */ decompressCommand),
/* harmony export */   uy: () => (/* binding */ compressionSuffix),
/* harmony export */   wu: () => (/* binding */ compressCommand)
/* harmony export */ });
const COMPRESSIONS = ['gzip', 'zstd', 'none'];
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


/***/ }),

/***/ 8477:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dp: () => (/* binding */ readBackupConfig),
/* harmony export */   Fn: () => (/* binding */ urlSecrets)
/* harmony export */ });
/* unused harmony exports ENGINES, SUPPORTED_ENGINES, COMPOSE_ENGINES */
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1662);
/* harmony import */ var _compress_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(3179);
/* harmony import */ var _mongodb_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(5581);
/* harmony import */ var _mysql_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(3257);
/* harmony import */ var _postgres_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(548);






const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlite', 'mongodb'];
/** Engines this version runs end to end; the others have builders only. */
const SUPPORTED_ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlite', 'mongodb'];
/** Engines that can dump inside a Compose service. */
const COMPOSE_ENGINES = ['postgres', 'mongodb'];
function readBackupConfig(inputs) {
    const engine = inputs.choice('engine', ENGINES, 'postgres');
    if (!SUPPORTED_ENGINES.includes(engine)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('engine', `"${engine}" is not supported by this version yet (supported: ${SUPPORTED_ENGINES.join(', ')})`);
    }
    const runOn = inputs.choice('run-on', ['local', 'ssh'], 'local');
    if (runOn === 'ssh' && inputs.list('hosts').length > 1) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('hosts', 'backup-db backs up one database: give exactly one host');
    }
    const remoteDir = inputs.string('remote-dir');
    if (remoteDir && runOn !== 'ssh')
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('remote-dir', 'needs run-on: ssh (it is a directory on the server)');
    if (remoteDir && !remoteDir.startsWith('/'))
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('remote-dir', `"${remoteDir}" must be an absolute path`);
    const composeService = inputs.string('compose-service');
    const composeFiles = inputs.list('compose-file');
    const composeProject = inputs.string('compose-project');
    const dockerHost = inputs.string('docker-host');
    if (composeService) {
        if (!COMPOSE_ENGINES.includes(engine))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('compose-service', `is supported for engine ${COMPOSE_ENGINES.join(', ')} only`);
        if (/^-|\s/.test(composeService))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('compose-service', `"${composeService}" is not a service name`);
        if (composeProject && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(composeProject))
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('compose-project', `"${composeProject.slice(0, 60)}" is not a Compose project name (lowercase letters, digits, _ and -, starting with a letter or digit)`);
        for (const f of composeFiles)
            if (f.startsWith('-'))
                throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('compose-file', `"${f.slice(0, 60)}" must not start with -`);
    }
    else {
        for (const name of ['compose-file', 'compose-project', 'docker-host']) {
            if (inputs.raw(name))
                throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz(name, 'is used with compose-service only; set compose-service too');
        }
    }
    const databaseUrl = inputs.secret('database-url');
    const database = inputs.string('database');
    if (engine !== 'sqlite' && !databaseUrl && !(composeService && database))
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('database-url', `is required for engine ${engine}${COMPOSE_ENGINES.includes(engine) ? ' (or compose-service with database)' : ''}`);
    if (engine === 'sqlite' && !database)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('database', 'the SQLite file path is required for engine sqlite');
    // Fail early, naming the input, when the URL does not fit the engine.
    if (engine === 'postgres' && databaseUrl)
        (0,_postgres_js__WEBPACK_IMPORTED_MODULE_3__/* .parsePostgresUrl */ .qQ)(databaseUrl);
    if (engine === 'mongodb' && (databaseUrl || !composeService))
        (0,_mongodb_js__WEBPACK_IMPORTED_MODULE_2__/* .parseMongoUrl */ .Nm)(databaseUrl);
    if (engine === 'mysql' || engine === 'mariadb')
        (0,_mysql_js__WEBPACK_IMPORTED_MODULE_4__/* .parseMysqlUrl */ .LM)(databaseUrl);
    const mode = inputs.choice('mode', ['backup', 'restore'], 'backup');
    const verify = inputs.choice('verify', ['none', 'list', 'restore'], 'list');
    if (engine === 'mongodb' && verify === 'restore')
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('verify', 'restore is not available for engine mongodb (counting documents and dropping the throwaway database would need mongosh with the URI on its command line); use list');
    const outputDir = inputs.string('output-dir');
    if (mode === 'backup' && !outputDir && !inputs.string('storage'))
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('output-dir', 'is required to make a backup (or storage: s3://bucket/prefix)');
    const restoreFrom = inputs.string('restore-from');
    if (mode === 'restore' && !restoreFrom)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('restore-from', 'is required with mode: restore');
    const confirm = inputs.string('confirm');
    const minSizeBytes = inputs.integer('min-size-bytes', engine === 'sqlite' ? 512 : 256, { min: 0 });
    const cfg = {
        engine,
        runOn,
        databaseUrl,
        database,
        remoteDir,
        outputDir: outputDir && !(0,node_path__WEBPACK_IMPORTED_MODULE_0__.isAbsolute)(outputDir) ? `${process.cwd()}/${outputDir}` : outputDir,
        compression: inputs.choice('compression', _compress_js__WEBPACK_IMPORTED_MODULE_5__/* .COMPRESSIONS */ ._7, 'zstd'),
        keep: inputs.integer('keep', 0, { min: 0 }),
        keepDaily: inputs.integer('keep-daily', 0, { min: 0 }),
        keepWeekly: inputs.integer('keep-weekly', 0, { min: 0 }),
        keepMonthly: inputs.integer('keep-monthly', 0, { min: 0 }),
        retentionDryRun: inputs.boolean('retention-dry-run', false),
        verify,
        mode,
        restoreFrom,
        confirm,
        minSizeBytes,
        timeoutMs: inputs.duration('timeout', '6h', { min: 1000 }),
        composeService,
        composeFiles,
        composeProject,
        dockerHost,
    };
    return cfg;
}
/**
 * The password inside database-url, decoded (and as written): the action masks these too, because a tool's
 * error message may echo the decoded password while the input mask only covers the URL as given.
 */
function urlSecrets(url) {
    try {
        const u = new URL(url);
        if (!u.password)
            return [];
        return [...new Set([u.password, decodeURIComponent(u.password)])].filter((p) => p.length >= 3);
    }
    catch {
        return [];
    }
}


/***/ }),

/***/ 6434:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   $I: () => (/* binding */ checkRecipients),
/* harmony export */   UC: () => (/* binding */ decryptStream),
/* harmony export */   UO: () => (/* binding */ encryptStream),
/* harmony export */   go: () => (/* binding */ parseIdentities),
/* harmony export */   kn: () => (/* binding */ AGE_SUFFIX),
/* harmony export */   q: () => (/* binding */ parseRecipients)
/* harmony export */ });
/* unused harmony export identityRecipients */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1662);


async function loadAge() {
    try {
        return await __nccwpck_require__.e(/* import() */ 855).then(__nccwpck_require__.bind(__nccwpck_require__, 855));
    }
    catch (e) {
        // Bundled with the action: this only happens in a broken checkout. Never fall back to plaintext.
        throw new Error(`encryption is required (encrypt-recipients) but the age library did not load: ${e.message}`);
    }
}
/** Suffix of an encrypted backup object. */
const AGE_SUFFIX = '.age';
/** `encrypt-recipients`: age public keys (`age1…`), one per line or comma; `#` comments and blank lines skipped. */
function parseRecipients(lines) {
    const out = [];
    for (const raw of lines) {
        const r = raw.trim();
        if (!r || r.startsWith('#'))
            continue;
        if (/^AGE-SECRET-KEY-/i.test(r)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', 'holds an age identity (AGE-SECRET-KEY-…), the private key: give its public key (age1…, `age-keygen -y`) and keep the identity for decrypt-identity');
        }
        if (!/^age1[0-9a-z]+$/.test(r)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', `"${r.slice(0, 80)}" is not an age public key (age1…; make one with age-keygen, or age-keygen -y <identity file>)`);
        }
        out.push(r);
    }
    return [...new Set(out)];
}
/**
 * `decrypt-identity`: the content of an age identity file (`AGE-SECRET-KEY-1…` lines; `#` comments such as
 * age-keygen's `# public key:` are skipped). Returns the identities; each is a secret.
 */
function parseIdentities(text) {
    const out = [];
    for (const raw of text.split(/\r?\n/)) {
        const l = raw.trim();
        if (!l || l.startsWith('#'))
            continue;
        if (!/^AGE-SECRET-KEY-1[0-9A-Z]+$/.test(l)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', 'is not an age identity: expected AGE-SECRET-KEY-1… lines (the file age-keygen writes)');
        }
        out.push(l);
    }
    return out;
}
/** Throws (naming the input) unless every recipient is a key the library can encrypt to. Run before dumping. */
async function checkRecipients(recipients) {
    const age = await loadAge();
    for (const r of recipients) {
        const e = new age.Encrypter();
        try {
            e.addRecipient(r);
        }
        catch (err) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', `"${r}" is not a valid age public key (${err.message})`);
        }
    }
}
/** The public key of each identity (to say which recipients a decrypt-identity matches). */
async function identityRecipients(identities) {
    const age = await loadAge();
    const out = [];
    for (const id of identities) {
        try {
            out.push(await age.identityToRecipient(id));
        }
        catch {
            throw new InputError('decrypt-identity', 'holds a line that is not a valid age identity');
        }
    }
    return out;
}
/** Encrypts `plain` to every recipient, streamed (64 KiB age chunks); the result is a Node stream. */
async function encryptStream(plain, recipients) {
    if (!recipients.length)
        throw new Error('encryptStream: no recipients (refusing to send plaintext)');
    const age = await loadAge();
    const e = new age.Encrypter();
    for (const r of recipients)
        e.addRecipient(r);
    const web = await e.encrypt(node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.toWeb(plain));
    return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(web);
}
/**
 * Decrypts an age stream with the identities; a wrong identity fails with a message naming decrypt-identity,
 * a truncated or altered stream fails authentication (the caller removes what was written).
 */
async function decryptStream(cipher, identities, what) {
    if (!identities.length) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', `${what} is encrypted (age): set decrypt-identity to the age identity`);
    }
    const age = await loadAge();
    const d = new age.Decrypter();
    for (const id of identities)
        d.addIdentity(id);
    let web;
    try {
        web = await d.decrypt(node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.toWeb(cipher));
    }
    catch (err) {
        const m = err.message;
        if (/no identity matched/i.test(m)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', `does not decrypt ${what}: no identity matched any of its recipients (use the identity whose public key was in encrypt-recipients when it was made)`);
        }
        throw new Error(`${what}: not a readable age file (${m})`);
    }
    return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(web);
}


/***/ }),

/***/ 8187:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Bb: () => (/* binding */ heldSuffix),
/* harmony export */   bP: () => (/* binding */ isHeldName),
/* harmony export */   r1: () => (/* binding */ removeStaleHeld)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



const HOST = (0,node_os__WEBPACK_IMPORTED_MODULE_1__.hostname)()
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
        names = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir);
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
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name);
        let st;
        try {
            st = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(path);
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(path, { force: true });
        removed.push(name);
    }
    return removed.sort();
}


/***/ }),

/***/ 5581:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Dw: () => (/* binding */ mongoUriInContainer),
/* harmony export */   Nm: () => (/* binding */ parseMongoUrl),
/* harmony export */   Oc: () => (/* binding */ mongoRestoreCommand),
/* harmony export */   QO: () => (/* binding */ mongoDumpCommand),
/* harmony export */   Qs: () => (/* binding */ parseMongoRestoreCounts),
/* harmony export */   a0: () => (/* binding */ mongoToolVersionCommand),
/* harmony export */   lD: () => (/* binding */ mongoConfigFile),
/* harmony export */   pb: () => (/* binding */ isMongoArchive),
/* harmony export */   wS: () => (/* binding */ parseMongoToolVersion)
/* harmony export */ });
/* unused harmony export MONGO_ARCHIVE_MAGIC */
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


/***/ }),

/***/ 3257:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   KT: () => (/* binding */ mysqlRestoreCommand),
/* harmony export */   LM: () => (/* binding */ parseMysqlUrl),
/* harmony export */   SB: () => (/* binding */ mysqlOptionFile),
/* harmony export */   yk: () => (/* binding */ mysqlDumpCommand)
/* harmony export */ });
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


/***/ }),

/***/ 548:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   BB: () => (/* binding */ pgDumpCommand),
/* harmony export */   K9: () => (/* binding */ psqlCommand),
/* harmony export */   Oy: () => (/* binding */ pgClientVersionProblem),
/* harmony export */   P6: () => (/* binding */ pgRestoreReplaceCommand),
/* harmony export */   XY: () => (/* binding */ dropDbCommand),
/* harmony export */   fr: () => (/* binding */ pgListCommand),
/* harmony export */   je: () => (/* binding */ pgRestoreCommand),
/* harmony export */   jr: () => (/* binding */ parsePgToolVersion),
/* harmony export */   kL: () => (/* binding */ createDbCommand),
/* harmony export */   qQ: () => (/* binding */ parsePostgresUrl),
/* harmony export */   sE: () => (/* binding */ PG_COUNTS_QUERY),
/* harmony export */   xV: () => (/* binding */ pgpassLine)
/* harmony export */ });
/* unused harmony export formatPgVersionNum */
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


/***/ }),

/***/ 6825:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   HI: () => (/* binding */ planKeepingNewest),
/* harmony export */   a3: () => (/* binding */ backupTime),
/* harmony export */   dX: () => (/* binding */ applyRetention),
/* harmony export */   iP: () => (/* binding */ backupFileName),
/* harmony export */   pi: () => (/* binding */ backupsOf),
/* harmony export */   qv: () => (/* binding */ retentionEnabled),
/* harmony export */   sw: () => (/* binding */ backupBase)
/* harmony export */ });
/* unused harmony exports dayBucket, weekBucket, monthBucket, planRetentionDetailed, planRetention */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _leftovers_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(8187);



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
        .filter((n) => n.startsWith(`${base}-`) && !(0,_leftovers_js__WEBPACK_IMPORTED_MODULE_2__/* .isHeldName */ .bP)(n) && TS.test(n))
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
    const plan = planKeepingNewest((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir), base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, n)).isFile())
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, n), { force: true });
        }
    }
    return plan;
}


/***/ }),

/***/ 1016:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  DC: () => (/* binding */ offsiteSummary),
  SB: () => (/* binding */ runBackupOffsite),
  cC: () => (/* binding */ runRestoreOffsite)
});

// UNUSED EXPORTS: databaseNameOf

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(4679);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __nccwpck_require__(1119);
// EXTERNAL MODULE: ./src/core/backup-db/encrypt.ts
var encrypt = __nccwpck_require__(6434);
// EXTERNAL MODULE: ./src/core/backup-db/mongodb.ts
var mongodb = __nccwpck_require__(5581);
// EXTERNAL MODULE: ./src/core/backup-db/mysql.ts
var mysql = __nccwpck_require__(3257);
// EXTERNAL MODULE: ./src/core/backup-db/postgres.ts
var postgres = __nccwpck_require__(548);
// EXTERNAL MODULE: ./src/core/backup-db/retention.ts
var retention = __nccwpck_require__(6825);
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

// EXTERNAL MODULE: ./src/core/backup-db/compress.ts
var compress = __nccwpck_require__(3179);
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
        const p = inContainer && !url ? { uri: '', database: '' } : (0,mongodb/* parseMongoUrl */.Nm)(url);
        this.uri = inContainer ? (0,mongodb/* mongoUriInContainer */.Dw)(url) : p.uri;
        this.database = database || p.database;
        if (!this.database)
            throw new errors/* InputError */.d('database', 'no database named (in `database` or the URL path)');
    }
    async prepare() {
        this.config = await this.o.tools.writeSecretFile((0,mongodb/* mongoConfigFile */.lD)(this.uri), 'mongo.yaml');
    }
    async serverVersion() {
        const r = await this.o.tools.run((0,mongodb/* mongoToolVersionCommand */.a0)(), {
            signal: this.o.ctx.signal,
            timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
        });
        if (!(0,types/* succeeded */.gq)(r)) {
            throw new Error(`mongodump does not run on ${this.o.tools.target}: install mongodb-database-tools (${r.stderr.trim().slice(-300)})`);
        }
        // mongodump does not report the server's version; say which tools made the archive instead.
        return `unknown (mongodump ${(0,mongodb/* parseMongoToolVersion */.wS)(r.stdout)})`;
    }
    async checkClient() {
        // mongodump 100.x dumps every supported server version; the dry run in verify: list reads it back.
    }
    async source() {
        return { kind: 'command', exec: this.o.tools, cmd: (0,mongodb/* mongoDumpCommand */.QO)(this.config, this.database) };
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
        if (!(0,mongodb/* isMongoArchive */.pb)(headOf(file, 4)))
            throw new Error('the dump is not a mongodump archive (wrong magic number)');
        const there = (await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path;
        const absent = throwawayName(this.database, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
        await runTool(this.o, (0,mongodb/* mongoRestoreCommand */.Oc)(this.config, there, this.sourceDb(origin), absent, { dryRun: true }));
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
        const r = await runTool(this.o, (0,mongodb/* mongoRestoreCommand */.Oc)(this.config, file, from, this.database));
        return (0,mongodb/* parseMongoRestoreCounts */.Qs)(r.stderr + r.stdout, this.database);
    }
}
/** The database a backup came from, from its name `<db>-<timestamp>.archive[.gz|.zst]`. */
function mongoSourceDb(file) {
    const m = /([^/]+)-\d{8}T\d{6}Z\.archive(?:\.gz|\.zst)?$/.exec(file);
    return m?.[1];
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
        this.conn = (0,mysql/* parseMysqlUrl */.LM)(url);
        this.database = database || this.conn.database;
        if (!this.database)
            throw new errors/* InputError */.d('database', 'no database named (in `database` or the URL path)');
        this.conn = { ...this.conn, database: this.database };
        this.client = name === 'mariadb' ? 'mariadb' : 'mysql';
        this.dumper = name === 'mariadb' ? 'mariadb-dump' : 'mysqldump';
    }
    async prepare() {
        // The option file sits in the tools' private 0700 temp dir, removed afterwards.
        this.optFile = await this.o.tools.writeSecretFile((0,mysql/* mysqlOptionFile */.SB)(this.conn), 'my.cnf');
    }
    /** The client reading `file` (a path where the tools run) on stdin, streamed, into `db`. */
    restoreFile(file, db) {
        return runTool(this.o, (0,commands/* withStdinFile */.l$)((0,mysql/* mysqlRestoreCommand */.KT)(this.optFile, db, this.client), file));
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
        return { kind: 'command', exec: this.o.tools, cmd: (0,mysql/* mysqlDumpCommand */.yk)(this.conn, this.optFile, this.dumper) };
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

// EXTERNAL MODULE: ./src/core/backup-db/leftovers.ts
var leftovers = __nccwpck_require__(8187);
// EXTERNAL MODULE: external "node:child_process"
var external_node_child_process_ = __nccwpck_require__(1421);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __nccwpck_require__(6466);
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
    const partial = `${finalPath}${(0,leftovers/* heldSuffix */.Bb)('partial')}`;
    const target = opts.holdAs ?? finalPath;
    const hash = (0,external_node_crypto_.createHash)('sha256');
    let rawBytes = 0;
    const file = (0,external_node_fs_.createWriteStream)(partial, { mode: 0o600 });
    const fileDone = (0,promises_.finished)(file);
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
            compressorCmd = opts.compressor ?? (0,compress/* compressCommand */.wu)(opts.compression);
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
            await (0,promises_.pipeline)((0,external_node_fs_.createReadStream)(source.path), rawCounter, { end: false });
        }
        rawCounter.end();
        await (0,promises_.finished)(rawCounter);
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
    const done = (0,promises_.finished)(out);
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
        this.conn = url ? (0,postgres/* parsePostgresUrl */.qQ)(url) : { host: '', port: 5432, user: 'postgres', password: '', database };
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
        this.pgpass = await this.o.tools.writeSecretFile((0,postgres/* pgpassLine */.xV)(this.conn), 'pgpass');
    }
    run(cmd) {
        return runTool(this.o, cmd);
    }
    async query(q, db = this.database) {
        return (await this.run((0,postgres/* psqlCommand */.K9)(this.conn, this.pgpass, db, q))).stdout.trim();
    }
    serverNum = 0;
    clientNum = 0;
    /**
     * One command (one `exec` with compose-service): `pg_dump --version`, then the server's version. The
     * script is constant; psql's argv follows as positional parameters.
     */
    async serverVersion() {
        const psql = (0,postgres/* psqlCommand */.K9)(this.conn, this.pgpass, this.database, "SELECT current_setting('server_version') || '|' || current_setting('server_version_num')");
        const cmd = {
            ...psql,
            argv: ['sh', '-c', 'pg_dump --version && exec "$@"', 'sh', ...psql.argv],
            label: 'pg_dump --version; psql',
        };
        const lines = (await this.run(cmd)).stdout.trim().split('\n');
        this.clientNum = (0,postgres/* parsePgToolVersion */.jr)(lines[0] ?? '');
        const [v, num] = (lines[lines.length - 1] ?? '').split('|');
        this.serverNum = Number(num);
        return v ?? '';
    }
    async checkClient() {
        if (!this.clientNum || !this.serverNum)
            await this.serverVersion();
        const problem = (0,postgres/* pgClientVersionProblem */.Oy)(this.clientNum, this.serverNum);
        if (problem)
            throw new Error(problem);
    }
    async source() {
        return {
            kind: 'command',
            exec: this.o.tools,
            cmd: (0,postgres/* pgDumpCommand */.BB)(this.conn, this.pgpass, 'pg_dump', this.o.compressed),
        };
    }
    async list(file) {
        // In a container the runner may have no pg_restore: read the table of contents with the container's own.
        const r = this.inContainer
            ? await this.run((0,postgres/* pgListCommand */.fr)((await this.o.tools.upload(file, undefined, { signal: this.o.ctx.signal })).path))
            : await runTool(this.o, (0,postgres/* pgListCommand */.fr)(file), this.o.runner);
        const entries = r.stdout.split('\n').filter((l) => l.trim() && !l.startsWith(';'));
        const tables = entries.filter((l) => / TABLE DATA /.test(l)).length;
        return `archive lists ${entries.length} entries, ${tables} with table data`;
    }
    async counts(db = this.database) {
        return parseCounts(await this.query(postgres/* PG_COUNTS_QUERY */.sE, db));
    }
    async restoreThrowaway(file) {
        const name = throwawayName(this.database, (0,external_node_crypto_.randomBytes)(4).toString('hex'));
        await this.run((0,postgres/* createDbCommand */.kL)(this.conn, this.pgpass, name));
        try {
            await this.run((0,postgres/* pgRestoreCommand */.je)(this.conn, this.pgpass, file, name));
            return await this.counts(name);
        }
        finally {
            const r = await this.o.tools.run((0,postgres/* dropDbCommand */.XY)(this.conn, this.pgpass, name), {
                timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs,
            });
            // Not fatal for the backup, but say so: a leftover database costs disk.
            if (!(0,types/* succeeded */.gq)(r))
                this.o.ctx.warn(`could not drop the throwaway database ${name}: ${r.stderr.trim()}`, 'backup');
        }
    }
    async restoreInto(file) {
        await this.run((0,postgres/* pgRestoreReplaceCommand */.P6)(this.conn, this.pgpass, file, this.database));
        return this.counts();
    }
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
    const c = (0,compress/* compressionOf */.MB)(named);
    if (c === 'none')
        return file;
    const out = (0,external_node_path_.join)(tmp, 'plain');
    await commandToFile(runner, (0,compress/* decompressCommand */.pN)(c, file), out, signal);
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
        const base = (0,retention/* backupBase */.sw)(engine.database);
        const name = (0,retention/* backupFileName */.iP)(base, (o.now ?? (() => new Date()))(), engine.ext + (0,compress/* compressionSuffix */.uy)(cfg.compression));
        // Files a killed run of this database left here (a dump in progress, a backup never verified): gone now.
        const stale = (0,leftovers/* removeStaleHeld */.r1)(cfg.outputDir, base, { staleAfterMs: cfg.timeoutMs + 3_600_000 });
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
            ...(cfg.verify !== 'none' ? { holdAs: `${finalPath}${(0,leftovers/* heldSuffix */.Bb)('unverified')}` } : {}),
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
        const plan = (0,retention/* applyRetention */.dX)(cfg.outputDir, base, policy, name, cfg.retentionDryRun);
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
            kept: (0,retention/* retentionEnabled */.qv)(policy) ? plan.keep : [],
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
        if ((0,leftovers/* isHeldName */.bP)((0,external_node_path_.basename)(cfg.restoreFrom))) {
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

;// CONCATENATED MODULE: ./src/core/backup-db/storage-host.ts



/**
 * Retention on the server's `remote-dir` (run-on: ssh): the same rules as output-dir and the storage, applied
 * through the executor that reaches the server, only after the new copy there was checked (sha256), never
 * removing the copy just made. Commands are data: the directory and the names are argv, never a shell string.
 */
/** Names of the entries of `dir` (one per line). */
function listDirCommand(dir) {
    return { argv: ['ls', '-1A', '--', dir], label: `ls ${dir}` };
}
/** `rm -f -- <dir>/<name>…` for plain names (no `/`, not `.`/`..`). */
function removeFilesCommand(dir, names) {
    for (const n of names) {
        if (!n || n.includes('/') || n === '.' || n === '..' || n.includes('\n')) {
            throw new Error(`refusing to remove "${n}": not a plain file name`);
        }
    }
    return { argv: ['rm', '-f', '--', ...names.map((n) => external_node_path_.posix.join(dir, n))], label: `retention in ${dir}` };
}
/** Lists `dir` where `exec` runs. */
async function listRemoteDir(exec, dir, signal) {
    const r = await (0,types/* runChecked */.X4)(exec, listDirCommand(dir), { signal, timeoutMs: 60_000 });
    return r.stdout.split('\n').filter(Boolean);
}
async function hostRetention(exec, dir, base, policy, newest, dryRun, signal) {
    const names = await listRemoteDir(exec, dir, signal);
    if (!names.includes(newest))
        throw new Error(`${newest} is not in ${dir} on ${exec.target}: retention there skipped`);
    const plan = (0,retention/* planKeepingNewest */.HI)(names, base, policy, newest);
    // Bounded argv: remove in batches of 200 names.
    if (!dryRun) {
        for (let i = 0; i < plan.remove.length; i += 200) {
            await (0,types/* runChecked */.X4)(exec, removeFilesCommand(dir, plan.remove.slice(i, i + 200)), { signal, timeoutMs: 120_000 });
        }
    }
    return plan;
}

// EXTERNAL MODULE: ./src/core/backup-db/storage.ts
var storage = __nccwpck_require__(9838);
;// CONCATENATED MODULE: ./src/core/backup-db/storage-run.ts












/** A private dir on the runner for the plaintext copy: recorded first, so the post step removes it after a kill. */
function privateDir() {
    return (0,cleanup_state/* makeRecordedTempDir */.eA)('offsite');
}
/** The database name as the engines derive it (for `latest` and an early `confirm` check). */
function databaseNameOf(cfg) {
    if (cfg.database)
        return cfg.database;
    if (!cfg.databaseUrl)
        return '';
    switch (cfg.engine) {
        case 'postgres':
            return (0,postgres/* parsePostgresUrl */.qQ)(cfg.databaseUrl).database;
        case 'mysql':
        case 'mariadb':
            return (0,mysql/* parseMysqlUrl */.LM)(cfg.databaseUrl).database;
        case 'mongodb':
            return (0,mongodb/* parseMongoUrl */.Nm)(cfg.databaseUrl).database;
        default:
            return '';
    }
}
async function runBackupOffsite(cfg, off, where, ctx, o = {}) {
    const log = ctx.log;
    const offsite = { incomplete: [] };
    let store;
    let tmp;
    try {
        if (off.recipients.length) {
            if (!off.storage)
                throw new Error('input `encrypt-recipients`: needs storage');
            await (0,encrypt/* checkRecipients */.$I)(off.recipients);
        }
        if (off.storage) {
            store = await (0,storage/* openStore */.Ch)(off.storage);
            // Before a dump that can take hours: the keys, the bucket and the permission to list must work now.
            await store.list(ctx.signal);
        }
        const policy = retentionPolicy(cfg);
        if (!cfg.outputDir && !store)
            throw new Error('input `output-dir`: is required to make a backup (or set storage)');
        if (!cfg.outputDir || store)
            tmp = privateDir();
        const inner = cfg.outputDir
            ? cfg
            : { ...cfg, outputDir: tmp, keep: 0, keepDaily: 0, keepWeekly: 0, keepMonthly: 0 };
        const report = await runBackup(inner, where, ctx, o);
        const base = (0,retention/* backupBase */.sw)(report.database);
        if (store) {
            offsite.stored = await (0,storage/* uploadBackup */.kI)(store, report.path, {
                plainSha256: report.sha256,
                tmpDir: tmp,
                recipients: off.recipients,
                verify: off.storage.verify,
                signal: ctx.signal,
                log,
            });
            if ((0,retention/* retentionEnabled */.qv)(policy)) {
                offsite.storageRetention = await (0,storage/* storageRetention */.sd)(store, base, policy, offsite.stored.name, cfg.retentionDryRun, ctx.signal);
                const r = offsite.storageRetention.remove;
                if (r.length)
                    log(`storage retention${cfg.retentionDryRun ? ' (dry run)' : ''}: ${r.join(', ')}`);
            }
            offsite.incomplete = (0,storage/* incompleteNames */.FL)(await store.list(ctx.signal)).filter((n) => n.startsWith(`${base}-`));
            if (offsite.incomplete.length) {
                log(`storage: ${offsite.incomplete.length} object(s) without a .sha256 (uploads that never finished verification; not counted as backups): ${offsite.incomplete.join(', ')}`);
            }
        }
        if (cfg.remoteDir && report.remotePath && (0,retention/* retentionEnabled */.qv)(policy)) {
            offsite.remoteRetention = await hostRetention(where.host, cfg.remoteDir, base, policy, (0,external_node_path_.basename)(report.remotePath), cfg.retentionDryRun, ctx.signal);
            const r = offsite.remoteRetention.remove;
            if (r.length)
                log(`retention in ${cfg.remoteDir}${cfg.retentionDryRun ? ' (dry run)' : ''}: ${r.join(', ')}`);
        }
        // Without output-dir the runner's copy goes away with the temp dir: the stored copy is the backup.
        if (!cfg.outputDir && offsite.stored)
            report.path = offsite.stored.url;
        return { report, offsite };
    }
    finally {
        store?.dispose();
        if (tmp)
            (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}
async function runRestoreOffsite(cfg, off, where, ctx) {
    if (!off.storage)
        return { report: await runRestore(cfg, where, ctx), offsite: { incomplete: [] } };
    const db = databaseNameOf(cfg);
    // The same check runRestore makes, before a download that can be large.
    if (db && cfg.confirm !== db) {
        throw new Error(`input \`confirm\`: restoring replaces the contents of ${db}; set confirm to exactly "${db}" to proceed`);
    }
    const store = await (0,storage/* openStore */.Ch)(off.storage);
    const tmp = privateDir();
    try {
        const name = await (0,storage/* resolveStored */.am)(store, cfg.restoreFrom, (0,retention/* backupBase */.sw)(db), ctx.signal);
        ctx.log(`fetching ${store.url}${name}`);
        const fetched = await (0,storage/* fetchBackup */.Tz)(store, name, tmp, off.identities, ctx.signal);
        ctx.log(`fetched ${fetched.url} (${fetched.sizeBytes} bytes, sha256 matches its .sha256${fetched.encrypted ? ', decrypted' : ''})`);
        const report = await runRestore({ ...cfg, restoreFrom: fetched.path }, where, ctx);
        report.path = fetched.url;
        report.verification = report.verification.replace(fetched.path, fetched.url);
        return { report, offsite: { fetched, incomplete: [] } };
    }
    finally {
        store.dispose();
        (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}
/** Job-summary rows for the off-site part (empty when there was none). */
function offsiteSummary(o, dryRun) {
    const rows = [];
    if (o.stored) {
        rows.push(['stored', o.stored.url]);
        rows.push([
            'stored size',
            `${o.stored.sizeBytes} bytes${o.stored.encrypted ? ' (age-encrypted on the runner)' : ''}`,
        ]);
        rows.push(['stored sha256', `${o.stored.sha256} (in ${o.stored.name}.sha256)`]);
        rows.push(['storage check', o.stored.verification]);
    }
    if (o.fetched) {
        rows.push([
            'fetched',
            `${o.fetched.url} (${o.fetched.sizeBytes} bytes${o.fetched.encrypted ? ', decrypted' : ''})`,
        ]);
        rows.push(['stored sha256', `${o.fetched.sha256} (matches its .sha256)`]);
    }
    const verb = dryRun ? 'would remove' : 'removed';
    if (o.storageRetention) {
        rows.push([
            `storage retention${dryRun ? ' (dry run)' : ''}`,
            `${verb} ${o.storageRetention.remove.join(', ') || 'nothing'}`,
        ]);
    }
    if (o.remoteRetention) {
        rows.push([
            `remote-dir retention${dryRun ? ' (dry run)' : ''}`,
            `${verb} ${o.remoteRetention.remove.join(', ') || 'nothing'}`,
        ]);
    }
    if (o.incomplete.length)
        rows.push(['incomplete uploads (no .sha256, not counted)', o.incomplete.join(', ')]);
    if (!rows.length)
        return '';
    return '\n' + (0,summary/* heading */.R_)('off-site', 4) + (0,summary/* markdownTable */.Qj)(['', ''], rows);
}


/***/ }),

/***/ 9838:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Ch: () => (/* binding */ openStore),
/* harmony export */   FL: () => (/* binding */ incompleteNames),
/* harmony export */   Tz: () => (/* binding */ fetchBackup),
/* harmony export */   am: () => (/* binding */ resolveStored),
/* harmony export */   kI: () => (/* binding */ uploadBackup),
/* harmony export */   sQ: () => (/* binding */ offsiteSecrets),
/* harmony export */   sd: () => (/* binding */ storageRetention),
/* harmony export */   vs: () => (/* binding */ readOffsiteConfig)
/* harmony export */ });
/* unused harmony exports SIDECAR_SUFFIX, parseStorageUrl, sidecarText, parseSidecar, completeNames, storedBackups, partSizeFor */
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__nccwpck_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__nccwpck_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__nccwpck_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__nccwpck_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(1662);
/* harmony import */ var _encrypt_js__WEBPACK_IMPORTED_MODULE_5__ = __nccwpck_require__(6434);
/* harmony import */ var _retention_js__WEBPACK_IMPORTED_MODULE_6__ = __nccwpck_require__(6825);







/**
 * Off-site storage for backup-db: an S3-compatible bucket (`storage: s3://bucket/prefix`).
 *
 * Layout under the prefix, per backup: `<name>` (the backup, `.age` appended when encrypted) and
 * `<name>.sha256` (`<hex>  <name>`, sha256sum format) — the sha256 of the stored bytes, written LAST, only after
 * the object was read back (or its size checked) and matched. A backup counts (for restore `latest`, retention,
 * freshness) only when its checksum object exists. The data object itself only appears when the multipart
 * upload completes (S3 makes an object visible atomically at CompleteMultipartUpload); a failed or cancelled
 * upload is aborted (AbortMultipartUpload), and one killed outright leaves only invisible parts (a bucket
 * lifecycle rule `AbortIncompleteMultipartUpload` reclaims them). So no killed run leaves an object that looks
 * like a complete backup: at worst a data object without its `.sha256`, which nothing counts.
 */
const SIDECAR_SUFFIX = '.sha256';
/** `s3://bucket[/prefix]` → bucket and a prefix ending with `/` (or ''). */
function parseStorageUrl(url) {
    const m = /^s3:\/\/([^/?#\s]+)(\/[^?#\s]*)?$/.exec(url.trim());
    if (!m)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', `"${url}" is not an s3://bucket/prefix URL`);
    const bucket = m[1];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', `"${bucket}" is not a bucket name`);
    }
    const segments = (m[2] ?? '').split('/').filter(Boolean);
    if (segments.some((s) => s === '.' || s === '..')) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', 'the prefix must not contain . or .. segments');
    }
    const prefix = segments.length ? `${segments.join('/')}/` : '';
    return { bucket, prefix, url: `s3://${bucket}/${prefix}` };
}
const S3_INPUTS = [
    's3-endpoint',
    's3-region',
    's3-access-key-id',
    's3-secret-access-key',
    's3-session-token',
    's3-force-path-style',
    'encrypt-recipients',
]; // (s3-verify and s3-request-timeout have defaults: only read with storage)
/**
 * The storage inputs. Keys come from the inputs, else from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN (what aws-actions/configure-aws-credentials exports); never from the instance metadata
 * service or other implicit sources (no hidden network calls, no waits).
 */
function readOffsiteConfig(inputs, mode, timeoutMs, env = process.env) {
    const url = inputs.string('storage');
    const identityText = inputs.secret('decrypt-identity');
    if (!url) {
        for (const name of S3_INPUTS) {
            if (inputs.raw(name))
                throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz(name, 'is used with storage only; set storage (s3://bucket/prefix) too');
        }
        if (identityText)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('decrypt-identity', 'is used with storage only (mode: restore from it)');
        return { recipients: [], identities: [] };
    }
    const { bucket, prefix, url: normalized } = parseStorageUrl(url);
    const endpoint = inputs.string('s3-endpoint');
    if (endpoint) {
        let u;
        try {
            u = new URL(endpoint);
        }
        catch {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', `"${endpoint}" is not a URL (https://host[:port])`);
        }
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', 'must be http(s)://');
        if (u.username || u.password)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', 'must not hold credentials; use s3-access-key-id');
    }
    let accessKeyId = inputs.secret('s3-access-key-id');
    let secretAccessKey = inputs.secret('s3-secret-access-key');
    let sessionToken = inputs.secret('s3-session-token');
    if (!accessKeyId && !secretAccessKey) {
        accessKeyId = env.AWS_ACCESS_KEY_ID ?? '';
        secretAccessKey = env.AWS_SECRET_ACCESS_KEY ?? '';
        sessionToken = sessionToken || (env.AWS_SESSION_TOKEN ?? '');
    }
    if (!accessKeyId)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-access-key-id', 'is required with storage (or AWS_ACCESS_KEY_ID in the environment)');
    if (!secretAccessKey)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-secret-access-key', 'is required with storage (or AWS_SECRET_ACCESS_KEY in the environment)');
    const recipients = (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseRecipients */ .q)(inputs.list('encrypt-recipients'));
    const identities = identityText ? (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseIdentities */ .go)(identityText) : [];
    if (mode === 'restore' && recipients.length) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
    }
    return {
        storage: {
            url: normalized,
            bucket,
            prefix,
            endpoint,
            region: inputs.string('s3-region') || env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1',
            accessKeyId,
            secretAccessKey,
            sessionToken,
            forcePathStyle: inputs.boolean('s3-force-path-style', !!endpoint),
            verify: inputs.choice('s3-verify', ['read', 'size'], 'read'),
            requestTimeoutMs: inputs.duration('s3-request-timeout', '2m', { min: 1000 }),
            connectTimeoutMs: 15_000,
            attempts: 4,
            transferTimeoutMs: timeoutMs,
        },
        recipients,
        identities,
    };
}
/** Values to mask (the action masks them in logs, outputs and the summary). */
function offsiteSecrets(o) {
    const s = o.storage;
    return [...(s ? [s.accessKeyId, s.secretAccessKey, s.sessionToken] : []), ...o.identities].filter((v) => v.length >= 3);
}
/** Opens the store; the S3 SDK is loaded here, only when storage is used (the bundle's cold start stays small). */
async function openStore(cfg) {
    const { S3Store } = await Promise.all(/* import() */[__nccwpck_require__.e(711), __nccwpck_require__.e(181)]).then(__nccwpck_require__.bind(__nccwpck_require__, 9181));
    return new S3Store(cfg);
}
function sidecarText(sha256, name) {
    return `${sha256}  ${name}\n`;
}
/** The sha256 in a `.sha256` object written for `name`, or throws. */
function parseSidecar(text, name) {
    const m = /^([0-9a-f]{64}) [ *](.+)\n?$/.exec(text);
    if (!m || m[2] !== name)
        throw new Error(`${name}${SIDECAR_SUFFIX} is not a checksum of ${name}`);
    return m[1];
}
/** Names (relative to the prefix) of complete backups: a data object whose `.sha256` object exists. */
function completeNames(objects) {
    const names = new Set(objects.map((o) => o.name));
    return [...names].filter((n) => !n.endsWith(SIDECAR_SUFFIX) && names.has(n + SIDECAR_SUFFIX)).sort();
}
/** Data objects without a checksum object: an upload killed after it completed and before it was verified. */
function incompleteNames(objects) {
    const names = new Set(objects.map((o) => o.name));
    return [...names].filter((n) => !n.endsWith(SIDECAR_SUFFIX) && !names.has(n + SIDECAR_SUFFIX)).sort();
}
/** The complete backups of `base` in the store, oldest first. */
async function storedBackups(store, base, signal) {
    return (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupsOf */ .pi)(completeNames(await store.list(signal)), base);
}
/** S3 allows 10 000 parts: parts grow with the backup (at least 8 MiB, the SDK's minimum is 5 MiB). */
function partSizeFor(bytes) {
    const min = 8 * 1024 * 1024;
    return Math.max(min, Math.ceil((bytes * 1.01) / 9000));
}
/** sha256 + byte count of what flows through. */
function hasher() {
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_0__.createHash)('sha256');
    let n = 0;
    const t = new node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform({
        transform(chunk, _e, cb) {
            h.update(chunk);
            n += chunk.length;
            cb(null, chunk);
        },
    });
    return { t, digest: () => h.digest('hex'), bytes: () => n };
}
/**
 * Uploads a finished, verified backup file: streamed from disk (encrypted on the way when recipients are
 * set), hashed on the way, checked after upload (read back and hashed, or its size), then — last — the
 * `.sha256` object. Never replaces an existing backup. On any failure the data object (if it got that far)
 * is removed again and the error thrown.
 */
async function uploadBackup(store, localFile, opts) {
    const base = localFile.split('/').pop();
    const encrypted = opts.recipients.length > 0;
    const name = encrypted ? base + _encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn : base;
    const url = store.url + name;
    if ((await store.head(name, opts.signal)) || (await store.head(name + SIDECAR_SUFFIX, opts.signal))) {
        throw new Error(`${url} already exists in the storage; not replacing it`);
    }
    let file = localFile;
    let sha256 = opts.plainSha256;
    if (encrypted) {
        // Encrypted into the private dir first (the ciphertext hashed on the way): the upload then streams a file
        // from disk in parts with flat memory, and nothing is sent before the whole backup is encrypted.
        file = `${opts.tmpDir}/${name}`;
        const h = hasher();
        try {
            const cipher = await (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .encryptStream */ .UO)((0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(localFile, { highWaterMark: 256 * 1024 }), opts.recipients);
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(cipher, h.t, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file, { mode: 0o600 }), { signal: opts.signal });
        }
        catch (e) {
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(file, { force: true });
            throw new Error(`encryption failed, nothing was uploaded: ${e.message}`);
        }
        sha256 = h.digest();
    }
    const sent = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(file).size;
    let created = false;
    try {
        await store.uploadFile(name, file, sent, {
            partSize: partSizeFor(sent),
            metadata: { 'dk-plain-sha256': opts.plainSha256, 'dk-encryption': encrypted ? 'age' : 'none' },
            signal: opts.signal,
        });
        created = true;
        let verification;
        const head = await store.head(name, opts.signal);
        if (!head)
            throw new Error(`${url} is not in the storage after the upload completed`);
        if (head.size !== sent)
            throw new Error(`${url} holds ${head.size} bytes after the upload, ${sent} were sent`);
        if (opts.verify === 'read') {
            const got = await store.get(name, opts.signal);
            const rh = hasher();
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(got.body, rh.t, new node_stream__WEBPACK_IMPORTED_MODULE_2__.Writable({ write: (_c, _e, cb) => cb() }), { signal: opts.signal });
            if (rh.digest() !== sha256) {
                throw new Error(`${url} read back with sha256 ${rh.digest()}, ${sha256} was uploaded`);
            }
            verification = `read back: ${sent} bytes, sha256 matches`;
        }
        else {
            verification = `size checked: ${sent} bytes (s3-verify: size)`;
        }
        await store.putBytes(name + SIDECAR_SUFFIX, sidecarText(sha256, name), opts.signal);
        opts.log?.(`stored ${url} (${sent} bytes${encrypted ? ', age-encrypted' : ''}, sha256 ${sha256}; ${verification})`);
        return { url, name, sha256, sizeBytes: sent, encrypted, verification };
    }
    catch (e) {
        if (created) {
            // Not verified: it must not stay looking like a backup (it has no .sha256 either way).
            await store.remove(name).catch(() => undefined);
        }
        throw e;
    }
    finally {
        if (file !== localFile)
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(file, { force: true });
    }
}
/**
 * Retention over the complete backups of `base` in the store (the same rules as output-dir). Runs only after
 * the new backup was stored and verified; never removes `newest`. Removes the `.sha256` first (the backup
 * stops counting), then the data object.
 */
async function storageRetention(store, base, policy, newest, dryRun, signal) {
    const names = await storedBackups(store, base, signal);
    if (!names.includes(newest))
        throw new Error(`${store.url}${newest} is not listed as complete: retention skipped`);
    const plan = (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .planKeepingNewest */ .HI)(names, base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            await store.remove(n + SIDECAR_SUFFIX, signal);
            await store.remove(n, signal);
        }
    }
    return plan;
}
/** `restore-from` with storage: `latest` (of `base`), a name under the prefix, or the full s3:// URL. */
async function resolveStored(store, restoreFrom, base, signal) {
    if (restoreFrom === 'latest') {
        const all = await storedBackups(store, base, signal);
        // Newest by the time in the name (names sort by time within one base).
        const newest = [...all].sort((a, b) => (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupTime */ .a3)(a).getTime() - (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupTime */ .a3)(b).getTime()).pop();
        if (!newest) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `latest: ${store.url} holds no complete backup of ${base} (a backup counts once its .sha256 object exists)`);
        }
        return newest;
    }
    let name = restoreFrom;
    if (name.startsWith('s3://')) {
        if (!name.startsWith(store.url)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `${restoreFrom} is not under storage ${store.url}`);
        }
        name = name.slice(store.url.length);
    }
    if (!name || name.includes('/') || name.endsWith(SIDECAR_SUFFIX)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `"${restoreFrom}" is not a backup name under ${store.url} (or latest)`);
    }
    return name;
}
/**
 * Downloads `name` into `dir` (decrypting `.age` with the identities), streamed. The stored bytes must hash
 * to the `.sha256` object, and the plaintext to the sha256 recorded at upload; otherwise the local file is
 * removed and an error thrown. The file keeps the backup's name without `.age` (engines read the name).
 */
async function fetchBackup(store, name, dir, identities, signal) {
    const url = store.url + name;
    const side = await store.getText(name + SIDECAR_SUFFIX, signal);
    if (side === undefined) {
        const exists = await store.head(name, signal);
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', exists
            ? `${url} has no ${SIDECAR_SUFFIX} object: its upload never finished verification; restore another backup`
            : `${url} does not exist`);
    }
    const expected = parseSidecar(side, name);
    const encrypted = name.endsWith(_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn);
    const localName = encrypted ? name.slice(0, -_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn.length) : name;
    const path = `${dir}/${localName}`;
    const got = await store.get(name, signal);
    const stored = hasher();
    const plain = hasher();
    got.body.pipe(stored.t);
    got.body.once('error', (e) => stored.t.destroy(e));
    try {
        const clear = encrypted ? await (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .decryptStream */ .UC)(stored.t, identities, url) : stored.t;
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(clear, plain.t, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(path, { mode: 0o600 }), { signal });
        const sha256 = stored.digest();
        if (sha256 !== expected)
            throw new Error(`${url}: downloaded sha256 ${sha256}, its .sha256 object says ${expected}`);
        const recorded = got.metadata['dk-plain-sha256'];
        if (recorded && recorded !== plain.digest()) {
            throw new Error(`${url}: the restored bytes hash to ${plain.digest()}, ${recorded} was recorded at backup time`);
        }
        return { url, name, path, sha256, sizeBytes: stored.bytes(), encrypted };
    }
    catch (e) {
        got.body.destroy();
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(path, { force: true });
        if (encrypted && !(e instanceof _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz) && !signal?.aborted && !/sha256/.test(e.message)) {
            throw new Error(`${url}: decryption failed, the file was altered or cut short (${e.message})`);
        }
        throw e;
    }
}


/***/ }),

/***/ 2791:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   f: () => (/* binding */ backupSummary)
/* harmony export */ });
/* harmony import */ var _lib_duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2543);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1119);


function backupSummary(r) {
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`backup-db: ${r.mode} ${r.engine} ${r.database}`);
    md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['', ''], [
        ['engine', r.engine],
        ...(r.ranIn ? [['ran in', r.ranIn]] : []),
        ['server version', r.serverVersion],
        [r.mode === 'restore' ? 'restored from' : 'file', r.path],
        ...(r.remotePath ? [['copy on the server', r.remotePath]] : []),
        ['size', `${r.sizeBytes} bytes`],
        ['sha256', r.sha256],
        ['duration', (0,_lib_duration_js__WEBPACK_IMPORTED_MODULE_0__/* .formatDuration */ .a3)(r.durationMs)],
        ['verification', r.verification],
        [
            `retention${r.retentionDryRun ? ' (dry run)' : ''}`,
            r.removed.length
                ? `${r.retentionDryRun ? 'would remove' : 'removed'} ${r.removed.join(', ')}`
                : `${r.retentionDryRun ? 'would remove' : 'removed'} nothing`,
        ],
    ]);
    if (r.kept.length) {
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('retention: kept', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['backup', 'why'], r.kept.map((k) => [k.name, k.reasons.join(', ')]));
    }
    const tables = Object.entries(r.counts);
    if (tables.length) {
        md += '\n' + (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('tables', 4);
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['table', 'rows'], tables.map(([t, n]) => [t, String(n)]));
    }
    return md;
}


/***/ }),

/***/ 106:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  C: () => (/* binding */ runAction)
});

// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __nccwpck_require__(4679);
// EXTERNAL MODULE: ./src/lib/inputs.ts
var inputs = __nccwpck_require__(1662);
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
var summary = __nccwpck_require__(1119);
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

/***/ 2543:
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

/***/ 1662:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G0: () => (/* binding */ Inputs),
/* harmony export */   dz: () => (/* reexport safe */ _errors_js__WEBPACK_IMPORTED_MODULE_1__.d)
/* harmony export */ });
/* unused harmony exports parseList, parseEnvBlock */
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2543);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7268);



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

// EXTERNAL MODULE: ./src/lib/inputs.ts
var lib_inputs = __nccwpck_require__(1662);
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

/***/ 6698:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:async_hooks");

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

/***/ 1455:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:fs/promises");

/***/ }),

/***/ 7067:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http");

/***/ }),

/***/ 2467:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:http2");

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

/***/ 1708:
/***/ ((module) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:process");

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
/******/ 		__webpack_modules__[moduleId].call(module.exports, module, module.exports, __nccwpck_require__);
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
/******/ var __webpack_exports__ = __nccwpck_require__(3750);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
