export const id = 549;
export const ids = [549];
export const modules = {

/***/ 1168:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runProcess: () => (/* binding */ runProcess)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
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
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   X4: () => (/* binding */ runChecked)
/* harmony export */ });
/* unused harmony exports succeeded, lastLines, CommandError, describeFailure */
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

/***/ 4549:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  openTargets: () => (/* binding */ openTargets),
  withTargets: () => (/* binding */ withTargets)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(8161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __webpack_require__(4679);
;// CONCATENATED MODULE: ./src/lib/quote.ts
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

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
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
        // Unix socket paths are limited to ~104 bytes: control sockets live in a short folder of their own
        // (openTargets records it; the post step closes its masters and removes it: cleanup-state.ts).
        this.socketDir = (0,external_node_fs_.mkdtempSync)((0,external_node_path_.join)((0,cleanup_state/* socketRoot */.gT)(), 'dkcm-'));
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
        return quoteArgv(argv);
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
    const { writeFileSync: write } = await Promise.resolve(/* import() */).then(__webpack_require__.t.bind(__webpack_require__, 3024, 23));
    const { runProcess } = await Promise.resolve(/* import() */).then(__webpack_require__.bind(__webpack_require__, 1168));
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
var lib_inputs = __webpack_require__(1662);
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

// EXTERNAL MODULE: ./src/lib/exec/process.ts + 1 modules
var exec_process = __webpack_require__(1168);
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
const bashArgv = (script, ...args) => quoteArgv(['bash', '--norc', '--noprofile', '-c', script, 'deploy-kit', ...args]);
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
            assertEnvName(name);
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
var types = __webpack_require__(5504);
;// CONCATENATED MODULE: ./src/lib/target/commands.ts
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

;// CONCATENATED MODULE: ./src/lib/target/base.ts





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
        this.tmp ??= (0,types/* runChecked */.X4)(this, mktempCommand(), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs }).then((r) => {
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
        return external_node_path_.posix.join(await this.tempDir(), `${prefix}-${++this.seq}`);
    }
    async writeSecretFile(content, name) {
        const path = name ? external_node_path_.posix.join(await this.tempDir(), assertFileName(name)) : await this.freshPath('secret');
        await (0,types/* runChecked */.X4)(this, writeSecretCommand(path, content), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
        return path;
    }
    async dispose() {
        if (this.disposed)
            return;
        this.disposed = true;
        // Not tied to any signal: a cancelled run must still remove what it made.
        const dir = this.made || (await this.tmp?.catch(() => ''));
        if (dir)
            await this.run(removeCommand(dir), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
    }
}

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
class SshHostTarget extends CommandTarget {
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
        const r = await (0,types/* runChecked */.X4)(this, sha256Command(path), { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o });
        return parseSha256(r.stdout, this.target);
    }
    async upload(localFile, destPath, o = {}) {
        const path = destPath ?? (await this.freshPath('upload'));
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const [sha256] = await Promise.all([
            sha256File(localFile),
            (0,types/* runChecked */.X4)(this.runner, rsyncFileCommand(this.session, this.host, 'up', localFile, path), opts),
        ]);
        const there = await this.remoteSha(path, o);
        if (there !== sha256)
            throw new TransferMismatch(`upload to ${this.target}:${path}`, sha256, there);
        return { path, sha256 };
    }
    async download(path, localFile, o = {}) {
        const opts = { timeoutMs: timeouts/* TIMEOUTS */.f.fileTransferMs, ...o };
        const [sha256] = await Promise.all([
            this.remoteSha(path, o),
            (0,types/* runChecked */.X4)(this.runner, rsyncFileCommand(this.session, this.host, 'down', localFile, path), opts),
        ]);
        const here = await sha256File(localFile);
        if (here !== sha256)
            throw new TransferMismatch(`download of ${this.target}:${path}`, sha256, here);
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
    ctx.saveState?.(cleanup_state/* SSH_SOCKET_DIR_STATE */.XZ, session.socketDir);
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


/***/ })

};
