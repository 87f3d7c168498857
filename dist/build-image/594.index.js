export const id = 594;
export const ids = [594];
export const modules = {

/***/ 594:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  RunnerTarget: () => (/* binding */ RunnerTarget)
});

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __webpack_require__(161);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __webpack_require__(679);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
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


/***/ })

};
