export const id = 821;
export const ids = [821];
export const modules = {

/***/ 6821:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runBackup: () => (/* binding */ runBackup),
  runRestore: () => (/* binding */ runRestore)
});

// UNUSED EXPORTS: copyToRemoteDir, listDir, retentionPolicy, writeSidecar

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __webpack_require__(4679);
// EXTERNAL MODULE: ./src/lib/compose.ts
var compose = __webpack_require__(9163);
// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __webpack_require__(6975);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
// EXTERNAL MODULE: ./src/lib/target/base.ts
var base = __webpack_require__(8304);
// EXTERNAL MODULE: ./src/lib/target/commands.ts
var commands = __webpack_require__(3627);
// EXTERNAL MODULE: ./src/lib/target/types.ts
var target_types = __webpack_require__(1164);
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
            outer = (0,compose/* composeCommand */.e)(a.project, [
                'exec',
                '-T',
                ...wdFlags,
                ...envFlags,
                check(NAME_RE, a.service, 'compose service name'),
                ...cmd.argv,
            ]);
            break;
        case 'compose-run':
            outer = (0,compose/* composeCommand */.e)(a.project, [
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
    reached;
    /**
     * How the commands reach the container. compose-exec: the service's one running container is looked up
     * once (`compose ps -q`) and then reached with `docker exec -i` — what `compose exec -T` does, without a
     * Compose start per command (docker-compose v1 is a Python program: seconds each on a loaded host). With
     * no single container (none, or the service scaled), every command keeps going through `compose exec -T`.
     */
    async reach(opts) {
        if (this.access.kind !== 'compose-exec')
            return this.access;
        if (!this.reached) {
            const ps = { ...(0,compose/* composeCommand */.e)(this.access.project, ['ps', '-q', this.access.service]), ...this.dockerEnv() };
            const r = await this.parent.run(ps, { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: opts?.signal });
            const ids = (0,types/* succeeded */.gq)(r)
                ? r.stdout
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean)
                : [];
            this.reached =
                ids.length === 1 && /^[0-9a-f]{12,64}$/.test(ids[0])
                    ? { kind: 'docker-exec', container: ids[0] }
                    : this.access;
        }
        return this.reached;
    }
    async run(cmd, opts) {
        const oneOff = isOneOff(this.access);
        const name = oneOff ? `${this.options.namePrefix ?? 'deploy-kit'}-${this.runId}-${++this.seqNo}` : undefined;
        const outer = containerCommand(await this.reach(opts), cmd, {
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
        const inner = containerCommand(await this.reach(o), (0,commands/* receiveFileCommand */.bj)(dest), this.spec());
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
        const cat = containerCommand(await this.reach(o), { argv: ['cat', '--', path], label: `read ${path}` }, this.spec());
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
var compress = __webpack_require__(3179);
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
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: ./src/core/backup-db/mongodb.ts
var mongodb = __webpack_require__(5581);
// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
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

// EXTERNAL MODULE: ./src/core/backup-db/mysql.ts
var mysql = __webpack_require__(3257);
;// CONCATENATED MODULE: ./src/core/backup-db/mysql-engine.ts





const myIdent = (n) => `\`${n.replace(/`/g, '``')}\``;
class MysqlEngine {
    name;
    o;
    ext = '.sql';
    conn;
    database;
    auth;
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
        // Inside a container nothing rests on its disk: a killed run's post step cannot reach it there (the option
        // file goes on stdin, or the password as MYSQL_PWD by name). On the runner / an SSH host: a 0600 option
        // file in the tools' private temp dir, removed afterwards (and by the post step after a kill).
        this.auth =
            this.o.tools.kind === 'container'
                ? { kind: 'pipe', conn: this.conn }
                : { kind: 'file', path: await this.o.tools.writeSecretFile((0,mysql/* mysqlOptionFile */.SB)(this.conn), 'my.cnf') };
    }
    get credentials() {
        if (!this.auth)
            throw new Error('mysql engine used before prepare()');
        return this.auth;
    }
    /** The client reading `file` (a path where the tools run) on stdin, streamed, into `db`. */
    restoreFile(file, db) {
        return runTool(this.o, (0,commands/* withStdinFile */.l$)((0,mysql/* mysqlRestoreCommand */.KT)(this.credentials, db, this.client), file));
    }
    async query(q, db = this.database) {
        return (await runTool(this.o, (0,mysql/* mysqlQueryCommand */.s5)(this.credentials, db, q, this.client))).stdout.trim();
    }
    serverVersion() {
        return this.query('SELECT VERSION()');
    }
    async checkClient() {
        // mysqldump/mariadb-dump talk to older and newer servers; the round trip in verify: restore is the check.
    }
    async source() {
        return { kind: 'command', exec: this.o.tools, cmd: (0,mysql/* mysqlDumpCommand */.yk)(this.conn, this.credentials, this.dumper) };
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
var external_node_os_ = __webpack_require__(8161);
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
var external_node_child_process_ = __webpack_require__(1421);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: external "node:stream/promises"
var promises_ = __webpack_require__(6466);
;// CONCATENATED MODULE: ./src/lib/command.ts
function commandLabel(cmd) {
    return cmd.label ?? cmd.argv.join(' ');
}

;// CONCATENATED MODULE: ./src/core/backup-db/memory.ts
/**
 * Flat memory while a backup streams through node (the dump, the encryption, the upload, the read-back, the
 * download of a restore).
 *
 * Why memory grew with the size of the backup although nothing is kept: every chunk of a stream (64 KiB from a
 * pipe, a socket or a file) is a fresh Buffer, dead a moment later. Its bytes live outside the JS heap (an
 * ArrayBuffer backing store), while the JS object that holds them is a few dozen bytes. V8 starts a young-
 * generation GC when the *JS* young generation fills up, which those tiny objects almost never do, and a full GC
 * for outside memory only after it grew by tens of MB since the last one (measured here: a 300 MB GetObject read
 * and hashed kept 70 MB of dead chunks resident, with a JS heap of 10-20 MB; with a scavenge every 8 MiB, 13 MB).
 * At hundreds of MB/s the dead chunks between two of V8's own collections made the peak RSS, and a longer
 * transfer reached a higher peak.
 *
 * So every stream of the backup reports its bytes here, and every GC_EVERY_BYTES (summed over all streams of the
 * process) a young-generation GC frees the dead chunks — a scavenge of a 10-20 MB heap, well under a
 * millisecond. `gc` comes from V8's documented `--expose-gc` flag, set only long enough to fetch the function into
 * a fresh context (the global scope never gets a `gc`). Where V8 refuses, nothing changes but the peak.
 */
/** Bytes streamed (over all streams) between two scavenges. */
const GC_EVERY_BYTES = 2 * 1024 * 1024;
/** A young-generation GC, when V8 lets the process ask for one; undefined when it cannot. */
function lookupMinorGc() {
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
let minorGc = null;
let sinceGc = 0;
/** Counts `bytes` that just streamed through node; frees the dead chunks every GC_EVERY_BYTES. */
function noteStreamed(bytes) {
    sinceGc += bytes;
    if (sinceGc < GC_EVERY_BYTES)
        return;
    sinceGc = 0;
    if (minorGc === null)
        minorGc = lookupMinorGc();
    minorGc?.();
}

// EXTERNAL MODULE: ./src/lib/target/sha256.ts
var target_sha256 = __webpack_require__(618);
;// CONCATENATED MODULE: ./src/core/backup-db/pipeline.ts













/** Counts bytes flowing through; frees the dead chunks as they pile up (memory.ts). */
function counter(onBytes) {
    return new external_node_stream_.Transform({
        transform(chunk, _enc, cb) {
            onBytes(chunk.length);
            noteStreamed(chunk.length);
            cb(null, chunk);
        },
    });
}
/** fsync of a file or directory by path. */
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

// EXTERNAL MODULE: ./src/core/backup-db/postgres.ts
var postgres = __webpack_require__(548);
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
/** `<backup>.sha256` beside a backup (`<hex>  <name>`, sha256sum format): written last, it marks the backup complete. */
const SIDECAR_SUFFIX = '.sha256';
/** Names of backups whose `.sha256` is beside them (complete) and of those without one (unverified). */
function splitBySidecar(names) {
    const all = new Set(names);
    const data = [...all].filter((n) => !n.endsWith(SIDECAR_SUFFIX)).sort();
    return {
        complete: data.filter((n) => all.has(n + SIDECAR_SUFFIX)),
        unverified: data.filter((n) => !all.has(n + SIDECAR_SUFFIX)),
    };
}
/** Which of `names` are backups of `base` (finished, verified ones only: `.partial`/`.unverified` never count). */
function backupsOf(names, base) {
    return names
        .filter((n) => n.startsWith(`${base}-`) && !isHeldName(n) && !n.endsWith(SIDECAR_SUFFIX) && TS.test(n))
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
/**
 * The plan where backups carry a `.sha256` (sidecars: the action's output-dir and remote-dir, the storage): only
 * complete backups count; the others of `base` are listed as `unverified` and left alone.
 */
function planWithSidecars(names, base, policy, newest) {
    const { complete, unverified } = splitBySidecar(names);
    return {
        ...planKeepingNewest(complete, base, policy, newest),
        unverified: backupsOf(unverified, base).filter((n) => n !== newest),
    };
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
/**
 * Retention over the listing of a place reached through something else than the runner's file system (a server's
 * remote-dir over SSH, the storage): the plan (with `sidecars`, only complete backups count), then — unless a dry
 * run — `remove` in batches of at most 200 names, each batch's `.sha256` files before their backups (a backup stops
 * counting before its data goes). Refused when `newest`, the backup just made, is not listed (as complete).
 */
async function pruneListed(names, where, base, policy, newest, o) {
    const counted = o.sidecars ? splitBySidecar(names).complete : names;
    if (!counted.includes(newest)) {
        throw new Error(`${newest} is not listed${o.sidecars ? ' as complete' : ''} in ${where}: retention there skipped`);
    }
    const plan = o.sidecars
        ? planWithSidecars(names, base, policy, newest)
        : planKeepingNewest(names, base, policy, newest);
    if (!o.dryRun) {
        for (let i = 0; i < plan.remove.length; i += 200) {
            const batch = plan.remove.slice(i, i + 200);
            if (o.sidecars)
                await o.remove(batch.map((n) => n + SIDECAR_SUFFIX));
            await o.remove(batch);
        }
    }
    return plan;
}
/**
 * Applies the plan in `dir` (dry-run only reports). `remove` = the names removed (or that would be). `sidecars`:
 * only backups with their `.sha256` count; the `.sha256` goes first (the backup stops counting before its data).
 */
function applyRetention(dir, base, policy, newest, dryRun, sidecars = false) {
    const names = (0,external_node_fs_.readdirSync)(dir);
    const plan = sidecars
        ? planWithSidecars(names, base, policy, newest)
        : planKeepingNewest(names, base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if (sidecars)
                (0,external_node_fs_.rmSync)((0,external_node_path_.join)(dir, n + SIDECAR_SUFFIX), { force: true });
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
    const flavor = await (0,compose/* detectCompose */.i)(where.host, ctx.signal);
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
        const base = backupBase(engine.database);
        const name = backupFileName(base, (o.now ?? (() => new Date()))(), engine.ext + (0,compress/* compressionSuffix */.uy)(cfg.compression));
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
        if (o.sidecars)
            writeSidecar(finalPath, res.sha256);
        let remotePath = '';
        if (cfg.remoteDir) {
            remotePath = await copyToRemoteDir(where.host, cfg.remoteDir, res.path, ctx.signal, o.sidecars);
            log(`copied to ${where.host.target}:${remotePath}`);
        }
        // Retention only now: the new backup exists under its final name and passed verification.
        const policy = retentionPolicy(cfg);
        const plan = applyRetention(cfg.outputDir, base, policy, name, cfg.retentionDryRun, o.sidecars);
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
            ...(plan.unverified ? { unverified: plan.unverified } : {}),
        };
    }
    finally {
        await disposeTools(tools, where);
        (0,external_node_fs_.rmSync)(tmp, { recursive: true, force: true });
    }
}
/** Writes `<file>.sha256` (`<hex>  <name>`, sha256sum format) beside `file`: 0600, fsynced, renamed into place. */
function writeSidecar(file, sha256) {
    const side = file + SIDECAR_SUFFIX;
    const tmpSide = `${side}${heldSuffix('partial')}`;
    (0,external_node_fs_.writeFileSync)(tmpSide, `${sha256}  ${(0,external_node_path_.basename)(file)}\n`, { mode: 0o600 });
    fsyncPath(tmpSide);
    (0,external_node_fs_.renameSync)(tmpSide, side);
    return side;
}
/**
 * Copies a finished backup file into `dir` on the SSH host (remote-dir), under its own name, verified by sha256 on
 * both sides (a mismatch throws); returns its path there.
 */
async function copyToRemoteDir(host, dir, file, signal, sidecar = false) {
    if (host.kind !== 'ssh')
        throw new errors/* InputError */.d('remote-dir', 'needs run-on: ssh');
    await (0,types/* runChecked */.X4)(host, { argv: ['mkdir', '-p', '--', dir], label: `mkdir ${dir}` }, { signal, timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
    const path = (await host.upload(file, external_node_path_.posix.join(dir, (0,external_node_path_.basename)(file)), { signal })).path;
    // Last, once the copy matched: its .sha256 beside it (the copy counts from then on).
    if (sidecar)
        await host.upload(file + SIDECAR_SUFFIX, path + SIDECAR_SUFFIX, { signal });
    return path;
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
            throw new Error(`input \`restore-from\`: ${(0,external_node_path_.basename)(cfg.restoreFrom)} never became a backup (a run was stopped while writing or verifying it); restore a backup without the .partial/.unverified suffix, or copy this one to such a name and set allow-unverified: true if you accept it unverified`);
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


/***/ }),

/***/ 6975:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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

/***/ 8304:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   V: () => (/* binding */ CommandTarget)
/* harmony export */ });
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _exec_types_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(5504);
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8867);
/* harmony import */ var _commands_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3627);
/* harmony import */ var _types_js__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(1164);





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
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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

/***/ 618:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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


/***/ })

};
