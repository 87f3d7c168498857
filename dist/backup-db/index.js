import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 3750:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(106);
/* harmony import */ var _core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(8477);


await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('backup-db', async (ctx) => {
    const cfg = (0,_core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_1__/* .readBackupConfig */ .Dp)(ctx.inputs);
    for (const s of (0,_core_backup_db_config_js__WEBPACK_IMPORTED_MODULE_1__/* .urlSecrets */ .Fn)(cfg.databaseUrl)) {
        ctx.addSecret(s);
    }
    // The off-site storage (its inputs are read next), the targets, the run and the summary load after the
    // database inputs are read: a step's start pays only for the entry and its config. The S3 client and age
    // load later still, only when a run uses them.
    const [{ offsiteSecrets, readOffsiteConfig }, { withTargets }, { offsiteSummary, runBackupOffsite, runRestoreOffsite }, { backupSummary },] = await Promise.all([
        __nccwpck_require__.e(/* import() */ 838).then(__nccwpck_require__.bind(__nccwpck_require__, 9838)),
        __nccwpck_require__.e(/* import() */ 628).then(__nccwpck_require__.bind(__nccwpck_require__, 1628)),
        Promise.all(/* import() */[__nccwpck_require__.e(838), __nccwpck_require__.e(16)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1016)),
        __nccwpck_require__.e(/* import() */ 791).then(__nccwpck_require__.bind(__nccwpck_require__, 2791)),
    ]);
    const off = readOffsiteConfig(ctx.inputs, cfg.mode, cfg.timeoutMs);
    for (const s of offsiteSecrets(off)) {
        ctx.addSecret(s);
    }
    const { report, offsite } = await withTargets(ctx, cfg.runOn, async ({ targets, runner }) => {
        const where = { host: targets[0], runner };
        return cfg.mode === 'restore' ? runRestoreOffsite(cfg, off, where, ctx) : runBackupOffsite(cfg, off, where, ctx);
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
    ctx.setOutput('encrypted', offsite.stored?.encrypted ?? offsite.fetched?.encrypted ?? (!!offsite.remoteEncrypted || !!offsite.decrypted));
    ctx.setOutput('storage-removed', offsite.storageRetention?.remove ?? []);
    ctx.setOutput('remote-removed', offsite.remoteRetention?.remove ?? []);
    ctx.summary(backupSummary(report) + offsiteSummary(offsite, cfg.retentionDryRun));
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
        allowUnverified: inputs.boolean('allow-unverified', false),
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
        env: pgEnv(pgpassFile),
        label: 'pg_dump',
    };
}
/**
 * `pg_restore` of a custom-format archive into `database` (a throwaway one for verify: restore), stopping at the
 * first error; file '' = stdin. `replace` (mode: restore into the live database, pgRestoreReplaceCommand):
 * `--single-transaction --clean --if-exists`, so what the archive holds is replaced in one transaction or not at all.
 */
function pgRestoreCommand(c, pgpassFile, file, database, bin = 'pg_restore', replace = false) {
    return {
        argv: [
            bin,
            ...connArgs(c),
            '--no-password',
            '--exit-on-error',
            ...(replace ? ['--single-transaction', '--clean', '--if-exists'] : []),
            '--no-owner',
            '-d',
            database,
            ...fileArg(file),
        ],
        env: pgEnv(pgpassFile),
        label: replace ? 'pg_restore --clean' : 'pg_restore',
    };
}
/** The client's environment: the 0600 password file and a 15 s connect timeout. */
const pgEnv = (pgpassFile) => ({ PGPASSFILE: pgpassFile, PGCONNECT_TIMEOUT: '15' });
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
        env: pgEnv(pgpassFile),
        label: 'psql',
    };
}
function createDbCommand(c, pgpassFile, name, bin = 'createdb') {
    return {
        argv: [bin, ...connArgs(c), '--maintenance-db', c.database || 'postgres', '--', name],
        env: pgEnv(pgpassFile),
        label: 'createdb',
    };
}
function dropDbCommand(c, pgpassFile, name, bin = 'dropdb') {
    return {
        argv: [bin, ...connArgs(c), '--maintenance-db', 'postgres', '--if-exists', '--force', '--', name],
        env: pgEnv(pgpassFile),
        label: 'dropdb',
    };
}
/** `pg_restore --clean --if-exists` into the live database (mode: restore): replaces what the archive holds. */
const pgRestoreReplaceCommand = (c, pgpassFile, file, database) => pgRestoreCommand(c, pgpassFile, file, database, 'pg_restore', true);
/** One line per user table: `schema.table|rows` (exact counts, via query_to_xml). */
const PG_COUNTS_QUERY = "SELECT n.nspname || '.' || c.relname || '|' || " +
    "(xpath('/row/c/text()', query_to_xml(format('SELECT count(*) AS c FROM %I.%I', n.nspname, c.relname), false, true, '')))[1]::text " +
    "FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') " +
    "AND n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%' ORDER BY 1";


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
    /**
     * Values of 1-2 characters are not replaced in what this action prints itself (summary, outputs, errors):
     * `***` for every `1` or `on` would garble them. The runner's add-mask still gets them (action.ts).
     */
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

/***/ 1662:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   G0: () => (/* binding */ Inputs),
/* harmony export */   dz: () => (/* reexport safe */ _errors_js__WEBPACK_IMPORTED_MODULE_1__.d)
/* harmony export */ });
/* unused harmony exports MIN_MASKED_PART, parseList, parseEnvBlock */
/* harmony import */ var _duration_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2543);
/* harmony import */ var _errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7268);



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
            throw new _errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(name, 'is required');
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
                    if (v.length >= MIN_MASKED_PART)
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
