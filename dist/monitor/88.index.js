export const id = 88;
export const ids = [88];
export const modules = {

/***/ 4088:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  MONITOR_LABEL: () => (/* binding */ MONITOR_LABEL),
  runMonitor: () => (/* binding */ runMonitor)
});

// EXTERNAL MODULE: ./src/lib/compose.ts
var compose = __webpack_require__(9163);
// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(1737);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
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
                    const u = await exec
                        .run(unlockCommand(base, o.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs })
                        .catch((e) => ({ end: 'spawn-error', code: -1, stderr: e.message, stdout: '' }));
                    if (u.end === 'exit' && u.code === 0)
                        return undefined;
                    const why = u.end === 'exit' ? `exit ${u.code}: ${u.stderr.trim().split('\n').pop() ?? ''}` : u.end;
                    return `${exec.target}: could not release the deploy lock (${why.trim()}); if the next deploy waits for it, remove ${base}/.deploy-kit/lock on ${exec.target} by hand`;
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

// EXTERNAL MODULE: ./src/lib/notify/index.ts + 5 modules
var lib_notify = __webpack_require__(3651);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/lib/duration.ts
var duration = __webpack_require__(2543);
// EXTERNAL MODULE: ./src/core/backup-db/retention.ts + 1 modules
var retention = __webpack_require__(8301);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
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
    return { argv: ['rm', '-f', '--', ...names.map((n) => posix.join(dir, n))], label: `retention in ${dir}` };
}
/** Lists `dir` where `exec` runs. */
async function listRemoteDir(exec, dir, signal) {
    const r = await (0,types/* runChecked */.X4)(exec, listDirCommand(dir), { signal, timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs });
    return r.stdout.split('\n').filter(Boolean);
}
/**
 * Retention in `dir` where `exec` runs (pruneListed: the same plan as output-dir and the storage). `sidecars`:
 * only backups with their `.sha256` beside them count (backup-db's own remote-dir copies), the others are left alone.
 */
async function hostRetention(exec, dir, base, policy, newest, dryRun, signal, sidecars = false) {
    const names = await listRemoteDir(exec, dir, signal);
    return pruneListed(names, `${dir} on ${exec.target}`, base, policy, newest, {
        dryRun,
        sidecars,
        remove: async (batch) => {
            await runChecked(exec, removeFilesCommand(dir, batch), { signal, timeoutMs: TIMEOUTS.remoteStepMs });
        },
    });
}

// EXTERNAL MODULE: ./src/core/backup-db/storage.ts + 2 modules
var storage = __webpack_require__(5017);
;// CONCATENATED MODULE: ./src/core/backup-db/freshness.ts





const ANY_BACKUP = /-\d{8}T\d{6}Z\.[A-Za-z0-9.]+$/;
/** Pure: the freshness of the backups among `names`. */
function freshnessOf(names, where, opts) {
    const now = (opts.now ?? new Date()).getTime();
    const candidates = opts.database
        ? (0,retention/* backupsOf */.pi)(names, (0,retention/* backupBase */.sw)(opts.database))
        : names.filter((n) => ANY_BACKUP.test(n) && !n.endsWith('.partial') && !n.endsWith(storage/* SIDECAR_SUFFIX */.S));
    let newest = '';
    let at = -Infinity;
    for (const n of candidates) {
        const t = (0,retention/* backupTime */.a3)(n).getTime();
        if (t > at)
            [newest, at] = [n, t];
    }
    const of = opts.database ? ` of ${opts.database}` : '';
    if (!newest) {
        return {
            where,
            newest: '',
            newestAt: '',
            ageMs: null,
            count: 0,
            maxAgeMs: opts.maxAgeMs,
            fresh: false,
            message: `no backup${of} in ${where}`,
        };
    }
    const ageMs = Math.max(0, now - at);
    const fresh = ageMs <= opts.maxAgeMs;
    return {
        where,
        newest,
        newestAt: new Date(at).toISOString(),
        ageMs,
        count: candidates.length,
        maxAgeMs: opts.maxAgeMs,
        fresh,
        message: `newest backup${of} in ${where} is ${newest}, ${(0,duration/* formatDuration */.a3)(ageMs)} old (${fresh ? 'within' : 'older than'} ${(0,duration/* formatDuration */.a3)(opts.maxAgeMs)})`,
    };
}
/** Lists the source and returns the freshness of its newest backup. A missing local dir means no backup. */
async function backupFreshness(src, opts) {
    switch (src.kind) {
        case 'dir': {
            let names;
            try {
                names = (0,external_node_fs_.readdirSync)(src.dir);
            }
            catch (e) {
                if (e.code !== 'ENOENT')
                    throw e;
                names = [];
            }
            return freshnessOf(names, src.dir, opts);
        }
        case 'host-dir':
            return freshnessOf(await listRemoteDir(src.exec, src.dir, opts.signal), `${src.exec.target}:${src.dir}`, opts);
        case 'storage': {
            const store = await (0,storage/* openStore */.Ch)(src.storage);
            try {
                return freshnessOf((0,storage/* completeNames */._z)(await store.list(opts.signal)), store.url, opts);
            }
            finally {
                store.dispose();
            }
        }
    }
}

// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __webpack_require__(310);
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
var json_expect = __webpack_require__(6330);
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
/**
 * Smallest and largest of a list (0 and 0 for an empty one), in one pass. Not `Math.max(...values)`: spreading
 * puts every value on the stack, and a long gate (period 10ms, deadline 30m: 180,000 attempts) overflows it.
 */
function minMax(values) {
    if (values.length === 0)
        return { min: 0, max: 0 };
    let min = Infinity;
    let max = -Infinity;
    for (const v of values) {
        if (v < min)
            min = v;
        if (v > max)
            max = v;
    }
    return { min, max };
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
        const range = minMax(lat);
        return {
            url: shownUrl,
            healthy: verdict.healthy,
            attempts: history.length,
            status: last.status ?? null,
            latencyMs: history.length ? last.latencyMs : null,
            reason: verdict.reason,
            ...(last.tlsDaysLeft !== undefined ? { tlsDaysLeft: Math.floor(last.tlsDaysLeft) } : {}),
            latency: {
                min: range.min,
                p50: percentile(lat, 50),
                p95: percentile(lat, 95),
                max: range.max,
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
        max: minMax(latencies).max,
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

;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/maintenance-mode.ts
function maintenanceDir(base) {
    return `${base.replace(/\/+$/, '')}/.deploy-kit/maintenance`;
}
const ON_SH = [
    'set -eu',
    'd="$1/.deploy-kit/maintenance"',
    'mkdir -p -- "$d"',
    'chmod 755 -- "$1/.deploy-kit" "$d"',
    'cat > "$d/.index.html.tmp"',
    'printf "%s\\n" "$2" > "$d/.on.tmp"',
    'chmod 644 -- "$d/.index.html.tmp" "$d/.on.tmp"',
    'mv -f -- "$d/.index.html.tmp" "$d/index.html"',
    'mv -f -- "$d/.on.tmp" "$d/on"',
    'echo "@maintenance on"',
].join('\n');
/** Writes the page (from stdin) and then the switch file, each by rename: nginx never sees half a file. */
function maintenanceOnCommand(base, w, page) {
    return { argv: ['sh', '-c', ON_SH, 'sh', base, JSON.stringify(w)], stdin: page, label: 'maintenance on' };
}
const OFF_SH = 'd="$1/.deploy-kit/maintenance"; if [ -e "$d/on" ]; then rm -f -- "$d/on"; echo "@maintenance off"; else echo "@maintenance was off"; fi';
function maintenanceOffCommand(base) {
    return { argv: ['sh', '-c', OFF_SH, 'sh', base], label: 'maintenance off' };
}
const READ_SH = 'f="$1/.deploy-kit/maintenance/on"; if [ -e "$f" ]; then echo "@maintenance on"; head -c 4096 -- "$f"; else echo "@maintenance off"; fi';
function readMaintenanceCommand(base) {
    return { argv: ['sh', '-c', READ_SH, 'sh', base], label: 'read maintenance state' };
}
/** undefined = off; a window (possibly expired) when on. A switch file that is not JSON counts as on, no expiry. */
function parseMaintenance(stdout) {
    const [first, ...rest] = stdout.split('\n');
    if (first?.trim() !== '@maintenance on')
        return undefined;
    try {
        const w = JSON.parse(rest.join('\n'));
        return { until: w.until ?? '', reason: w.reason ?? '', by: w.by ?? '', since: w.since ?? '' };
    }
    catch {
        return { until: '', reason: 'switch file present (not written by deploy-kit)', by: '', since: '' };
    }
}
/** A window is active while `until` is in the future; one without an end stays active until switched off. */
function isActive(w, now) {
    if (!w.until)
        return true;
    const t = new Date(w.until).getTime();
    return Number.isNaN(t) || t > now.getTime();
}
function esc(s) {
    return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}
/** The default 503 page: plain, no external resources, says when it should be over. */
function defaultMaintenancePage(message, until) {
    return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Down for maintenance</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}</style>
</head><body>
<h1>Down for maintenance</h1>
<p>${esc(message)}</p>
${until ? `<p>Expected back by <time datetime="${esc(until)}">${esc(until)}</time>.</p>` : ''}
</body></html>
`;
}

// EXTERNAL MODULE: ./src/core/maintenance-dispatch/operations.ts
var operations = __webpack_require__(1928);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(9858);
;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/status.ts
/** Parses the `inspectContainers` output (the whole State object: Health exists only with a healthcheck). */
function parseInspectLines(stdout) {
    return stdout
        .split('\n')
        .map((l) => l.trim())
        .filter(Boolean)
        .map((l) => {
        const c = JSON.parse(l);
        return {
            id: c.id,
            name: c.name.replace(/^\//, ''),
            service: c.labels?.['com.docker.compose.service'] ?? '',
            state: c.state.Status,
            health: c.state.Health?.Status ?? null,
            restarts: c.restarts,
            exitCode: c.state.ExitCode,
            startedAt: c.state.StartedAt,
        };
    });
}
/** A container needs attention when it is not running, or Docker's healthcheck says unhealthy. */
function isDown(c) {
    return c.state !== 'running' || c.health === 'unhealthy';
}
/** Services with at least one container down (stopped, exited, dead, unhealthy). */
function servicesDown(containers) {
    return [
        ...new Set(containers
            .filter(isDown)
            .map((c) => c.service)
            .filter(Boolean)),
    ].sort();
}

;// CONCATENATED MODULE: ./src/core/maintenance-dispatch/run.ts






/** What `down` says for a compose project that has no containers at all. */
const NO_CONTAINERS = '(no containers)';
/** Every container of the project (running or not) with its state and health. */
async function containerStatus(exec, p, o, env) {
    const ids = (await (0,types/* runChecked */.X4)(exec, { ...(0,operations/* listContainers */.ts)(p), env }, o)).stdout.split('\n').filter(Boolean);
    if (ids.length === 0)
        return [];
    return parseInspectLines((await (0,types/* runChecked */.X4)(exec, { ...(0,operations/* inspectContainers */.Xu)(ids), env }, o)).stdout);
}
/**
 * Services that make heal or update fail: heal answers for every service; an update narrowed to one
 * service answers for that service only (a stopped, unrelated worker is not its failure).
 */
function stillDown(op, containers, service) {
    if (op !== 'heal' && op !== 'update')
        return [];
    const down = servicesDown(containers);
    return op === 'update' && service ? down.filter((x) => x === service) : down;
}
/** A report with nothing done yet (also the report of a host whose operation could not start). */
function emptyHostReport(target, operation, error) {
    return {
        target,
        operation,
        ok: false,
        durationMs: 0,
        containers: [],
        down: [],
        restarted: [],
        stats: [],
        output: '',
        ...(error !== undefined ? { error } : {}),
    };
}
/**
 * Runs one maintenance operation on one host. Never throws for a failed command: the report says it.
 * The commands' output streams to `ctx.log` as whole lines (redacted and neutralized there).
 */
async function runMaintenance(exec, op, s, ctx, o) {
    const started = Date.now();
    const report = emptyHostReport(exec.target, op);
    const quiet = { timeoutMs: o.timeoutMs, signal: ctx.signal };
    const run = async (cmd, streamed = true) => {
        const out = streamed ? (0,output/* streamLogger */.VO)(ctx.log) : undefined;
        try {
            return await (0,types/* runChecked */.X4)(exec, { ...cmd, env: { ...o.env, ...cmd.env } }, streamed
                ? {
                    ...quiet,
                    idleTimeoutMs: o.idleTimeoutMs,
                    maxBuffer: 256 * 1024,
                    onStdout: out.onStdout,
                    onStderr: out.onStderr,
                }
                : quiet);
        }
        finally {
            out?.flush();
        }
    };
    try {
        const flavor = await (0,compose/* detectCompose */.i)(exec, ctx.signal);
        const p = { flavor, ...s.compose };
        if (op === 'status') {
            report.containers = await containerStatus(exec, p, quiet, o.env);
            report.down = report.containers.filter(isDown).map((c) => c.service);
            // A project with no containers at all is down (never started, or removed), not "nothing is wrong".
            if (!report.containers.length)
                report.down = [NO_CONTAINERS];
            if (report.containers.length) {
                const stats = await run((0,operations/* resourceFigures */.U6)(report.containers.map((c) => c.id)), false);
                report.stats = stats.stdout
                    .split('\n')
                    .filter(Boolean)
                    .map((l) => JSON.parse(l));
            }
        }
        else if (op === 'heal') {
            const before = await containerStatus(exec, p, quiet, o.env);
            if (!before.length) {
                report.down = [NO_CONTAINERS];
                throw new Error(`the compose project has no containers on ${exec.target}: nothing to start (deploy it first; check path, compose-file and project-name)`);
            }
            report.down = servicesDown(before);
            if (report.down.length) {
                const stopped = [...new Set(before.filter((c) => c.state !== 'running').map((c) => c.service))];
                const unhealthy = [
                    ...new Set(before.filter((c) => c.state === 'running' && c.health === 'unhealthy').map((c) => c.service)),
                ];
                if (stopped.length)
                    await run((0,operations/* startServices */.Fp)(p, stopped));
                if (unhealthy.length)
                    await run((0,compose/* composeCommand */.e)(p, ['restart', ...unhealthy], { label: `restart ${unhealthy.join(', ')}` }));
                report.restarted = [...stopped, ...unhealthy].sort();
            }
            report.containers = await containerStatus(exec, p, quiet, o.env);
        }
        else {
            const out = [];
            for (const cmd of (0,operations/* operationCommands */.oX)(op, p, s)) {
                const r = await run(cmd);
                out.push(r.stdout + r.stderr);
            }
            report.output = out.join('\n');
            if (op.startsWith('restart'))
                report.restarted =
                    op === 'restart-all'
                        ? ['(all)']
                        : [op === 'restart-db' ? s.dbService : op === 'restart-backend' ? s.backendService : s.service];
            if (op.startsWith('restart') || op === 'update')
                report.containers = await containerStatus(exec, p, quiet, o.env);
        }
        const down = stillDown(op, report.containers, s.service);
        report.ok = down.length === 0;
        if (!report.ok)
            report.error = `still down after ${op}: ${down.join(', ')}`;
    }
    catch (e) {
        report.error = e.message;
    }
    report.durationMs = Date.now() - started;
    return report;
}

;// CONCATENATED MODULE: ./src/core/monitor/checks.ts

const DF_SCRIPT = 'df -P -- "$@" && echo @@inodes && df -Pi -- "$@"';
/** Block and inode usage of the filesystems holding `paths`, in one call. */
function diskCommand(paths) {
    return { argv: ['sh', '-c', DF_SCRIPT, 'sh', ...paths], label: 'df' };
}
const DF_LINE = /^(.*?)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+%|-)\s+(\/.*)$/;
/** Pairs each requested path with its `df -P` and `df -Pi` line (same order as the arguments). */
function parseDisk(stdout, paths) {
    const [blocks = '', inodes = ''] = stdout.split('@@inodes');
    const rows = (text) => text
        .split('\n')
        .slice(1)
        .map((l) => DF_LINE.exec(l.trim()))
        .filter((m) => !!m)
        .map((m) => ({ pct: m[5] === '-' ? null : Number(m[5].slice(0, -1)), mount: m[6] }));
    const b = rows(blocks);
    const i = rows(inodes.replace(/^\n/, ''));
    if (b.length !== paths.length)
        throw new Error(`df printed ${b.length} filesystems for ${paths.length} paths:\n${stdout.slice(0, 500)}`);
    return paths.map((path, n) => ({
        path,
        mount: b[n].mount,
        usedPercent: b[n].pct,
        inodesUsedPercent: i[n]?.pct ?? null,
    }));
}
function diskProblems(figures, maxUsed, maxInodes) {
    const out = [];
    for (const f of figures) {
        if (f.usedPercent !== null && f.usedPercent > maxUsed)
            out.push(`${f.mount} (${f.path}) is ${f.usedPercent}% full (max-disk-usage ${maxUsed}%): run clean-docker or grow the disk`);
        if (f.inodesUsedPercent !== null && f.inodesUsedPercent > maxInodes)
            out.push(`${f.mount} (${f.path}) uses ${f.inodesUsedPercent}% of its inodes (max-inode-usage ${maxInodes}%): many small files (sessions, caches)`);
    }
    return out;
}
/** Regular files under the backup directory (two levels), newest-first after parsing: mtime, size, path. */
function backupListCommand(dir) {
    return {
        argv: [
            'find',
            dir,
            '-maxdepth',
            '2',
            '-type',
            'f',
            '!',
            '-name',
            '.*',
            '!',
            '-name',
            '*.partial',
            '!',
            '-name',
            '*.tmp',
            '-printf',
            '%T@\\t%s\\t%P\\n',
        ],
        label: 'list backups',
    };
}
function parseBackupList(stdout) {
    return stdout
        .split('\n')
        .map((l) => l.split('\t'))
        .filter((p) => p.length === 3 && p[2])
        .map(([t, s, p]) => ({ path: p, size: Number(s), mtimeMs: Math.round(Number(t) * 1000) }))
        .filter((f) => Number.isFinite(f.mtimeMs))
        .sort((a, b) => b.mtimeMs - a.mtimeMs);
}
/** The backup verdict: the newest data file (checksum sidecars ignored) must exist, be non-empty and young enough. */
function backupProblems(files, dir, maxAgeMs, now) {
    const data = files.filter((f) => !/\.(sha256|md5|json|log)$/.test(f.path));
    const newest = data[0];
    if (!newest)
        return { problems: [`no backup file in ${dir}: backups have not run (or write elsewhere)`] };
    const problems = [];
    const age = now - newest.mtimeMs;
    if (age > maxAgeMs)
        problems.push(`newest backup ${newest.path} is ${Math.round(age / 3_600_000)} h old (max-backup-age ${Math.round(maxAgeMs / 3_600_000)} h): the backup schedule stopped`);
    if (newest.size === 0)
        problems.push(`newest backup ${newest.path} is empty`);
    return { problems, newest };
}
const LOGS_SCRIPT = 'since=$1; shift; for c do printf "@@container %s\\n" "$c"; docker logs --since "$since" --tail 20000 "$c" 2>&1 || exit $?; done';
/** Logs of the given containers since a time, one call: each block starts with `@@container <id>`. */
function logsSinceCommand(since, ids) {
    return { argv: ['sh', '-c', LOGS_SCRIPT, 'sh', since, ...ids], label: 'docker logs --since' };
}
/** Counts matching lines as they stream in (logs can be large), keeping a few samples. */
class ErrorLineCounter {
    pattern;
    names;
    count = 0;
    samples = [];
    rest = '';
    container = '';
    constructor(pattern, names) {
        this.pattern = pattern;
        this.names = names;
    }
    push(chunk) {
        const text = this.rest + chunk;
        const lines = text.split('\n');
        this.rest = lines.pop() ?? '';
        for (const l of lines)
            this.line(l);
    }
    end() {
        if (this.rest)
            this.line(this.rest);
        this.rest = '';
    }
    line(l) {
        if (l.startsWith('@@container ')) {
            const id = l.slice(12).trim();
            this.container = this.names.get(id) ?? id.slice(0, 12);
            return;
        }
        if (this.pattern.test(l)) {
            this.count++;
            if (this.samples.length < 5)
                this.samples.push(`${this.container}: ${l.slice(0, 300)}`);
        }
    }
}
/** Container verdict: none at all is down; any stopped/unhealthy is down; restarts since the last run beyond the limit. */
function containerProblems(containers, previous, maxRestarts, where) {
    if (containers.length === 0)
        return [`${where}: the compose project has no containers (never started, or removed)`];
    const out = [];
    for (const c of containers.filter(isDown))
        out.push(`${where}: ${c.service || c.name} is ${c.state}${c.health === 'unhealthy' ? ' (unhealthy)' : ''}${c.state === 'exited' ? ` (exit code ${c.exitCode})` : ''}`);
    if (previous) {
        for (const c of containers) {
            const before = previous[`${where}/${c.name}`];
            if (before !== undefined && c.restarts - before > maxRestarts)
                out.push(`${where}: ${c.name} restarted ${c.restarts - before} times since the last run (max-restarts ${maxRestarts}): crash loop?`);
        }
    }
    return out;
}

;// CONCATENATED MODULE: ./src/lib/github/rest.ts
/**
 * The one GitHub REST client of the suite (https://docs.github.com/rest): the token in the Authorization
 * header, the API base from GITHUB_API_URL (GitHub Enterprise Server, a local stand-in), JSON in and out,
 * one timeout per request, bounded retries with back-off, and errors that name the permission to give.
 * The monitor's issues and the Deployments records of promote and paas-deploy go through here; it is only
 * imported by modules their run step loads with `await import()`, so no entry pays for it at start.
 */


/** `status` is 0 when no answer came (network error, timeout). */
class GitHubApiError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'GitHubApiError';
    }
}
/**
 * GitHub's advice: retry 5xx and network errors after a pause, 429 after Retry-After. A POST is retried only
 * on 429 (refused without acting): after a 5xx or a lost answer it may have acted, and a second POST would
 * open a second issue or record a second deployment.
 */
const POLICY = { attempts: 3, initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 };
/** The longest Retry-After honoured; a longer one fails now rather than hold the job. */
const MAX_RETRY_AFTER_MS = 60_000;
function fixFor(status, hints) {
    const own = hints.byStatus?.[status];
    if (own)
        return own;
    if (status === 401)
        return '`github-token` is not valid (expired, revoked, or not a token)';
    if (status === 403 || status === 404)
        return `give the job \`permissions: ${hints.permission}\` and check \`repository\``;
    return '';
}
/** One request; `path` is below /repos/<owner>/<name>. Resolves to the parsed JSON body (undefined when empty). */
async function githubRequest(gh, method, path, body, hints) {
    const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
    // The query can carry labels or environment names: messages name the endpoint only.
    const what = `GitHub API ${method} ${path.split('?')[0]}`;
    let failure = new GitHubApiError(`${what}: not sent`, 0);
    for (let attempt = 1; attempt <= POLICY.attempts; attempt++) {
        let retryAfterMs;
        let res;
        let text = '';
        try {
            res = await fetch(url, {
                method,
                headers: {
                    accept: 'application/vnd.github+json',
                    authorization: `Bearer ${gh.token}`,
                    'x-github-api-version': '2022-11-28',
                    'user-agent': 'deploy-kit',
                    ...(body ? { 'content-type': 'application/json' } : {}),
                },
                ...(body ? { body: JSON.stringify(body) } : {}),
                signal: gh.signal
                    ? AbortSignal.any([AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs), gh.signal])
                    : AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs),
            });
            text = await res.text();
        }
        catch (e) {
            if (gh.signal?.aborted)
                throw gh.signal.reason ?? e;
            const err = e;
            const why = err.name === 'TimeoutError'
                ? `no answer within ${timeouts/* TIMEOUTS */.f.githubApiMs / 1000} s`
                : (err.cause?.code ?? err.message);
            failure = new GitHubApiError(`${what}: ${why} (is GITHUB_API_URL ${gh.apiUrl} reachable?)`, 0);
            res = undefined;
        }
        if (res) {
            if (res.ok) {
                try {
                    return (text ? JSON.parse(text) : undefined);
                }
                catch {
                    // A web page or another service: asking again gives the same answer.
                    throw new GitHubApiError(`${what}: ${res.status} with a body that is not JSON (is GITHUB_API_URL ${gh.apiUrl} GitHub's REST API?)`, res.status);
                }
            }
            let said = text.slice(0, 300);
            try {
                said = JSON.parse(text).message ?? said;
            }
            catch {
                /* not JSON */
            }
            // GitHub's secondary rate limit answers 403 (or 429) with Retry-After or no requests left.
            const limited = res.status === 429 ||
                (res.status === 403 && (res.headers.has('retry-after') || res.headers.get('x-ratelimit-remaining') === '0'));
            const fix = limited ? 'rate limited: retried, then gave up; run again later' : fixFor(res.status, hints);
            failure = new GitHubApiError(`${what}: ${res.status} ${said}${fix ? ` (${fix})` : ''}`, limited ? 429 : res.status);
            const after = Number(res.headers.get('retry-after'));
            if (Number.isFinite(after) && after > 0)
                retryAfterMs = after * 1000;
        }
        const s = failure.status;
        const retryable = s === 429 || (method !== 'POST' && (s === 0 || s >= 500));
        if (!retryable || attempt >= POLICY.attempts)
            throw failure;
        const delay = retryAfterMs ?? (0,retry/* backoffDelay */.EY)(POLICY, attempt);
        if (delay > MAX_RETRY_AFTER_MS)
            throw failure;
        await (0,retry/* sleep */.yy)(delay, gh.signal);
    }
    throw failure;
}

;// CONCATENATED MODULE: ./src/core/monitor/issues.ts
/**
 * The GitHub Issues REST API, as much as the monitor needs (https://docs.github.com/rest/issues): list issues
 * by label, create, update (body, state), comment. Requests go through the shared client (src/lib/github/rest.ts:
 * timeouts, retries, errors naming the permission); listing is capped at MAX_PAGES pages.
 */

const MAX_PAGES = 10;
const HINTS = {
    permission: 'issues: write',
    byStatus: { 410: 'issues are disabled in this repository: enable them in Settings' },
};
function api(gh, method, path, body) {
    return githubRequest(gh, method, path, body, HINTS);
}
/** Issues (not pull requests) carrying every label given, open and closed, newest first, up to 1,000. */
async function listIssues(gh, labels, state) {
    const out = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const q = new URLSearchParams({ labels: labels.join(','), state, per_page: '100', page: String(page) });
        const batch = await api(gh, 'GET', `/issues?${q.toString()}`);
        out.push(...batch.filter((i) => !i.pull_request));
        if (batch.length < 100)
            break;
    }
    return out;
}
/**
 * Creates an issue with labels. GitHub silently drops labels a token may not set; the monitor finds its
 * memory by label, so an issue without them would be made again every run: that fails here instead.
 */
async function createIssue(gh, title, body, labels) {
    const issue = await api(gh, 'POST', '/issues', { title, body, labels });
    const got = labelNames(issue);
    const missing = labels.filter((l) => !got.includes(l));
    if (missing.length) {
        // Best effort: do not leave an open issue the monitor can never find again.
        await api(gh, 'PATCH', `/issues/${issue.number}`, { state: 'closed', state_reason: 'not_planned' }).catch(() => undefined);
        throw new GitHubApiError(`GitHub created issue #${issue.number} without the label(s) ${missing.join(', ')}: the token may not set labels (give the job \`permissions: issues: write\`, or a token with write access to the repository); the monitor finds its memory by label, so it stops here instead of opening a new issue every run`, 422);
    }
    return issue;
}
function updateIssue(gh, n, patch) {
    return api(gh, 'PATCH', `/issues/${n}`, patch);
}
function addComment(gh, n, body) {
    return api(gh, 'POST', `/issues/${n}/comments`, { body });
}
function labelNames(i) {
    return i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
}

;// CONCATENATED MODULE: ./src/core/monitor/state.ts
/**
 * The monitor's memory, kept in the incident issue of each target and kind (a hidden JSON block in the issue
 * body), so consecutive failures are counted across scheduled runs without any other storage. The rules
 * are pure functions of (previous state, this run's verdict, thresholds): unit-tested without any API.
 */
/** What the monitor checks; each kind has its own incident issue per target. */
const KINDS = ['endpoint', 'containers', 'disk', 'logs', 'backup'];
/** Kinds a heal (start what stopped, restart the heal services) can fix. */
const HEALABLE = new Set(['endpoint', 'containers']);
function emptyState(key) {
    return { v: 1, key, failures: 0, successes: 0, reasons: [], heals: [] };
}
/**
 * One run's verdict applied to the previous state. `isOpen`: the incident issue is open now. A failing run
 * opens on the failuresToOpen-th consecutive failure (never a second issue: an open one stays open); a
 * passing run closes after successesToClose consecutive passes.
 */
function decide(prev, kind, isOpen, ok, reasons, t, now) {
    const at = now.toISOString();
    const next = { ...prev, heals: [...prev.heals], lastRunAt: at, lastOk: ok };
    if (!ok) {
        next.failures = prev.failures + 1;
        next.successes = 0;
        next.reasons = reasons;
        if (!next.since || (!isOpen && prev.failures === 0))
            next.since = at;
        if (!isOpen && prev.failures === 0)
            next.heals = [];
        const open = !isOpen && next.failures >= t.failuresToOpen;
        if (open)
            next.openedAt = at;
        const heal = HEALABLE.has(kind) &&
            t.restartAfter > 0 &&
            next.failures >= t.restartAfter &&
            (next.failures - t.restartAfter) % t.restartAfter === 0;
        return { next, transition: open ? 'open' : 'none', heal };
    }
    next.failures = 0;
    next.successes = prev.successes + 1;
    if (isOpen) {
        if (next.successes >= t.successesToClose)
            return { next, transition: 'close', heal: false };
        return { next, transition: 'none', heal: false };
    }
    // Not open: a pass ends a streak that never became an incident.
    next.since = undefined;
    next.openedAt = undefined;
    next.heals = [];
    next.reasons = [];
    return { next, transition: 'none', heal: false };
}
/** After a close: the incident is over, its details go. */
function closedState(s) {
    return { ...s, since: undefined, openedAt: undefined, heals: [], reasons: [] };
}
const START = '<!-- deploy-kit-monitor-state';
const END = '-->';
/** The hidden block: JSON with < and > escaped, so no text from a server can end the HTML comment. */
function renderStateBlock(s) {
    const json = JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
    return `${START}\n${json}\n${END}`;
}
/** The state from an issue body; undefined when the body has no (valid) block. */
function parseStateBlock(body) {
    if (!body)
        return undefined;
    const i = body.indexOf(START);
    if (i < 0)
        return undefined;
    const j = body.indexOf(END, i + START.length);
    if (j < 0)
        return undefined;
    try {
        const s = JSON.parse(body.slice(i + START.length, j));
        if (s.v !== 1 || typeof s.key !== 'string' || typeof s.failures !== 'number')
            return undefined;
        return { ...s, reasons: s.reasons ?? [], heals: s.heals ?? [] };
    }
    catch {
        return undefined;
    }
}
/** Replaces (or appends) the hidden block, keeping whatever a person wrote in the body around it. */
function withStateBlock(body, s) {
    const text = body ?? '';
    const i = text.indexOf(START);
    const j = i >= 0 ? text.indexOf(END, i + START.length) : -1;
    if (i >= 0 && j >= 0)
        return text.slice(0, i) + renderStateBlock(s) + text.slice(j + END.length);
    return `${text}${text ? '\n\n' : ''}${renderStateBlock(s)}`;
}
/** "2 h 5 min", "3 min", "40 s". */
function humanDuration(ms) {
    const s = Math.max(0, Math.round(ms / 1000));
    if (s < 60)
        return `${s} s`;
    const m = Math.floor(s / 60);
    if (m < 60)
        return `${m} min`;
    const h = Math.floor(m / 60);
    if (h < 48)
        return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
    return `${Math.floor(h / 24)} d ${h % 24} h`;
}

;// CONCATENATED MODULE: ./src/core/monitor/run.ts













const MONITOR_LABEL = 'deploy-kit-monitor';
const KIND_TITLE = {
    endpoint: 'endpoint health',
    containers: 'containers',
    disk: 'disk space and inodes',
    logs: 'error lines in the logs',
    backup: 'backup freshness',
};
function stateKey(cfg, kind) {
    return `${cfg.name}/${kind}`;
}
/** The newest issue per state key among the monitor's issues (open ones win over closed). */
function carriers(issues, cfg) {
    const out = new Map();
    for (const kind of KINDS) {
        const key = stateKey(cfg, kind);
        const mine = issues
            .map((issue) => ({ issue, state: parseStateBlock(issue.body) }))
            .filter((c) => c.state?.key === key)
            .sort((a, b) => a.issue.state === b.issue.state ? b.issue.number - a.issue.number : a.issue.state === 'open' ? -1 : 1);
        if (mine[0])
            out.set(kind, mine[0]);
    }
    return out;
}
function issueBody(cfg, kind, s) {
    const t = cfg.thresholds;
    const lines = [
        `**${cfg.name}** · ${KIND_TITLE[kind]} — watched by the deploy-kit monitor.`,
        '',
        `This issue is opened when the check fails ${t.failuresToOpen} scheduled run(s) in a row and closed after ${t.successesToClose} passing run(s); each change of state is a comment. Between incidents it stays closed and keeps the monitor's memory.`,
    ];
    if (s.reasons.length)
        lines.push('', '**Last failure**', ...s.reasons.map((r) => `- ${r}`));
    lines.push('', '<sub>Do not edit the hidden block below: it is how the monitor counts runs.</sub>');
    return withStateBlock(lines.join('\n'), s);
}
function run_link(cfg) {
    return cfg.runUrl ? ` ([run](${cfg.runUrl}))` : '';
}
async function runMonitor(cfg, ctx) {
    const now = ctx.now?.() ?? new Date();
    const gh = { ...cfg.github, signal: ctx.signal };
    const report = {
        state: 'up',
        checks: [],
        incidents: [],
        consecutiveFailures: 0,
        healed: false,
        heals: [],
        disk: [],
        containers: [],
        errorLines: { count: 0, samples: [] },
        backups: [],
        notifications: [],
    };
    const quiet = { timeoutMs: cfg.commandTimeoutMs, signal: ctx.signal };
    const run = (t, cmd, o = quiet) => (0,types/* runChecked */.X4)(t, { ...cmd, env: { ...cfg.env, ...cmd.env } }, o);
    const notify = async (n) => {
        const results = await (0,lib_notify/* notifyAll */.x9)(cfg.notify, { ...n, source: 'monitor', target: cfg.name }, ctx);
        if (results.length)
            report.notifications.push({ event: n.event, results });
    };
    // 1. Memory: every issue the monitor ever made (open and closed) carries one target+kind's state.
    const all = await listIssues(gh, [MONITOR_LABEL], 'all');
    const known = carriers(all, cfg);
    // Each open incident as this run leaves it untouched (no check of its kind counted, or a maintenance window).
    const openIncidents = () => [...known.entries()]
        .filter(([, c]) => c.issue.state === 'open')
        .map(([kind, c]) => ({
        kind,
        number: c.issue.number,
        url: c.issue.html_url,
        open: true,
        action: 'none',
        failures: c.state.failures,
    }));
    // 2. Maintenance windows: the input, an open issue with the label, or maintenance-on on a host.
    const reasons = [];
    if (cfg.maintenanceUntil && cfg.maintenanceUntil.getTime() > now.getTime())
        reasons.push(`maintenance-until ${cfg.maintenanceUntil.toISOString()}`);
    if (!reasons.length) {
        const labelled = (await listIssues(gh, [cfg.maintenanceLabel], 'open')).filter((i) => !labelNames(i).includes(MONITOR_LABEL));
        if (labelled[0])
            reasons.push(`issue #${labelled[0].number} (label ${cfg.maintenanceLabel}): ${labelled[0].title}`);
    }
    if (cfg.lockPath) {
        for (const t of ctx.targets) {
            const w = parseMaintenance((await run(t, readMaintenanceCommand(cfg.lockPath))).stdout);
            if (!w)
                continue;
            if (isActive(w, now))
                reasons.push(`maintenance-on on ${t.target} until ${w.until || '(no end)'}${w.reason ? `: ${w.reason}` : ''}`);
            else {
                await run(t, maintenanceOffCommand(cfg.lockPath));
                ctx.warn(`${t.target}: the maintenance window ended at ${w.until}; the monitor switched the maintenance page off`, 'maintenance');
            }
        }
    }
    if (reasons.length) {
        report.state = 'maintenance';
        report.maintenance = reasons.join('; ');
        ctx.log(`maintenance window: ${report.maintenance} — no checks counted, no incident opened or closed, no heal`);
        report.incidents = openIncidents();
        report.consecutiveFailures = Math.max(0, ...[...known.values()].map((c) => c.state.failures));
        return report;
    }
    // 3. Checks. A check that cannot run fails (closed), saying why.
    const results = new Map();
    const add = (k, problems) => results.set(k, [...(results.get(k) ?? []), ...problems]);
    if (cfg.health) {
        ctx.log(`endpoint: ${cfg.health.urls.join(', ')}`);
        report.health = await runHealthGate(cfg.health, {}, ctx.signal);
        add('endpoint', report.health.failures);
    }
    if (cfg.backupStorage) {
        try {
            report.storage = await backupFreshness({ kind: 'storage', storage: cfg.backupStorage }, {
                maxAgeMs: cfg.maxBackupAgeMs,
                now,
                signal: ctx.signal,
                ...(cfg.backupDatabase ? { database: cfg.backupDatabase } : {}),
            });
            add('backup', report.storage.fresh ? [] : [`${report.storage.message} (max-backup-age): the backup schedule stopped?`]);
        }
        catch (e) {
            add('backup', [`could not list ${cfg.backupStorage.url}: ${e.message}`]);
        }
    }
    const restartsNow = {};
    const containersPrev = known.get('containers')?.state.restarts;
    for (const t of ctx.targets) {
        if (cfg.checkContainers) {
            try {
                const flavor = await (0,compose/* detectCompose */.i)(t, ctx.signal);
                const p = { flavor, ...cfg.compose };
                const ids = (await run(t, (0,operations/* listContainers */.ts)(p))).stdout.split('\n').filter(Boolean);
                const list = ids.length ? parseInspectLines((await run(t, (0,operations/* inspectContainers */.Xu)(ids))).stdout) : [];
                // Resource figures are reported, not judged (a figure that cannot be read is left out).
                const figures = new Map();
                if (list.length) {
                    const st = await t.run({ ...(0,operations/* resourceFigures */.U6)(list.map((c) => c.id)), env: cfg.env }, quiet);
                    for (const line of st.code === 0 ? st.stdout.split('\n').filter(Boolean) : []) {
                        try {
                            const f = JSON.parse(line);
                            figures.set(f.ID ?? f.Container ?? '', f);
                        }
                        catch {
                            // not a figure line
                        }
                    }
                }
                report.containers.push(...list.map((c) => {
                    const f = figures.get(c.id.slice(0, 12)) ?? figures.get(c.id);
                    return { ...c, target: t.target, ...(f ? { cpu: f.CPUPerc, memory: f.MemUsage } : {}) };
                }));
                for (const c of list)
                    restartsNow[`${t.target}/${c.name}`] = c.restarts;
                add('containers', containerProblems(list, containersPrev, cfg.maxRestarts, t.target));
                if (cfg.checkLogs && list.length) {
                    const last = known.get('logs')?.state.lastRunAt;
                    const since = last && now.getTime() - new Date(last).getTime() < 7 * 86_400_000
                        ? last
                        : new Date(now.getTime() - cfg.logWindowMs).toISOString();
                    const counter = new ErrorLineCounter(cfg.errorPattern, new Map(list.map((c) => [c.id, c.service || c.name])));
                    await run(t, logsSinceCommand(since, list.map((c) => c.id)), {
                        ...quiet,
                        maxBuffer: 64 * 1024,
                        onStdout: (c) => counter.push(c.toString()),
                    });
                    counter.end();
                    report.errorLines.count += counter.count;
                    report.errorLines.samples.push(...counter.samples);
                    add('logs', []);
                }
            }
            catch (e) {
                add('containers', [`${t.target}: could not check the containers: ${e.message}`]);
            }
        }
        if (cfg.diskPaths.length) {
            try {
                const figures = parseDisk((await run(t, diskCommand(cfg.diskPaths))).stdout, cfg.diskPaths);
                report.disk.push(...figures.map((f) => ({ ...f, target: t.target })));
                add('disk', diskProblems(figures, cfg.maxDiskUsage, cfg.maxInodeUsage).map((p) => `${t.target}: ${p}`));
            }
            catch (e) {
                add('disk', [`${t.target}: could not read disk usage: ${e.message}`]);
            }
        }
        if (cfg.backupDir) {
            try {
                const r = await t.run({ ...backupListCommand(cfg.backupDir), env: cfg.env }, quiet);
                if (r.code !== 0)
                    throw new Error(`${cfg.backupDir} cannot be listed (${(r.stderr || r.stdout).trim().slice(0, 300)}): check \`backup-dir\` and that the user the monitor runs as may read it`);
                const { problems, newest } = backupProblems(parseBackupList(r.stdout), cfg.backupDir, cfg.maxBackupAgeMs, now.getTime());
                report.backups.push({ target: t.target, newest });
                add('backup', problems.map((p) => `${t.target}: ${p}`));
            }
            catch (e) {
                add('backup', [`${t.target}: could not check the backups: ${e.message}`]);
            }
        }
    }
    if (report.errorLines.count > cfg.maxErrorLines)
        add('logs', [
            `${report.errorLines.count} error lines since the last run (max-error-lines ${cfg.maxErrorLines}), e.g. ${report.errorLines.samples[0] ?? ''}`,
        ]);
    report.checks = [...results.entries()].map(([kind, problems]) => ({ kind, ok: problems.length === 0, problems }));
    // 4. Decide per kind, heal if a healable kind reached restart-after.
    const decisions = report.checks.map((c) => {
        const carrier = known.get(c.kind);
        const prev = carrier?.state ?? emptyState(stateKey(cfg, c.kind));
        const d = decide(prev, c.kind, carrier?.issue.state === 'open', c.ok, c.problems, cfg.thresholds, now);
        if (c.kind === 'containers')
            d.next.restarts = restartsNow;
        return { check: c, carrier, ...d };
    });
    const toHeal = decisions.filter((d) => d.heal);
    if (toHeal.length && cfg.lockPath) {
        for (const t of ctx.targets) {
            const what = [];
            let ok = true;
            let lock;
            try {
                lock = await acquireLock(t, cfg.lockPath, {
                    owner: `monitor ${cfg.runUrl ?? ''} ${now.toISOString()}`.trim(),
                    timeoutMs: cfg.lockTimeoutMs,
                    ttlMs: 3_600_000,
                    signal: ctx.signal,
                });
                const settings = {
                    compose: cfg.compose,
                    backendService: cfg.healServices[0],
                    dbService: 'db',
                    logLines: 50,
                    python: 'python',
                    pruneOlderThanHours: 168,
                };
                const heal = await runMaintenance(t, 'heal', settings, ctx, {
                    env: cfg.env,
                    timeoutMs: cfg.commandTimeoutMs,
                    idleTimeoutMs: cfg.commandTimeoutMs,
                });
                if (heal.restarted.length)
                    what.push(`started ${heal.restarted.join(', ')}`);
                if (!heal.ok) {
                    ok = false;
                    what.push(heal.error ?? 'heal failed');
                }
                if (toHeal.some((d) => d.check.kind === 'endpoint')) {
                    const p = { flavor: await (0,compose/* detectCompose */.i)(t, ctx.signal), ...cfg.compose };
                    await run(t, (0,compose/* composeCommand */.e)(p, ['restart', ...cfg.healServices], { label: `restart ${cfg.healServices.join(', ')}` }));
                    what.push(`restarted ${cfg.healServices.join(', ')}`);
                }
            }
            catch (e) {
                ok = false;
                what.push(`heal failed: ${e.message}`);
            }
            finally {
                const problem = await lock?.release();
                if (problem)
                    ctx.warn(problem);
            }
            const rec = { at: now.toISOString(), what: what.join('; ') || 'nothing to start', ok };
            report.heals.push({ ...rec, target: t.target });
            for (const d of toHeal)
                d.next.heals.push({ ...rec, what: `${t.target}: ${rec.what}` });
            ctx.log(`heal on ${t.target}: ${rec.what}${ok ? '' : ' (FAILED)'}`);
        }
        report.healed = report.heals.some((h) => h.ok);
        if (report.heals.some((h) => !h.ok))
            await notify({
                event: 'heal-failed',
                severity: 'alert',
                title: `${cfg.name}: automatic heal failed`,
                text: report.heals
                    .filter((h) => !h.ok)
                    .map((h) => `${h.target}: ${h.what}`)
                    .join('\n'),
                link: cfg.runUrl,
            });
        else
            await notify({
                event: 'healed',
                severity: 'info',
                title: `${cfg.name}: healed after ${toHeal[0].next.failures} failed runs`,
                text: report.heals.map((h) => `${h.target}: ${h.what}`).join('\n'),
                link: cfg.runUrl,
            });
    }
    // 5. Write the memory and the incidents: issues change only on state changes (plus the hidden counter).
    const labels = [MONITOR_LABEL, ...cfg.issueLabels];
    for (const d of decisions) {
        const kind = d.check.kind;
        const title = `${cfg.name}: ${KIND_TITLE[kind]}`;
        let issue = d.carrier?.issue;
        let action = 'none';
        if (d.transition === 'open') {
            const body = issueBody(cfg, kind, d.next);
            const opening = [
                `🔴 **${KIND_TITLE[kind]} failing** for ${d.next.failures} run(s) in a row, since ${d.next.since}${run_link(cfg)}`,
                '',
                ...d.check.problems.map((p) => `- ${p}`),
            ];
            if (d.next.heals.length)
                opening.push('', ...d.next.heals.map((h) => `🔧 ${h.at}: ${h.what}${h.ok ? '' : ' (failed)'}`));
            if (issue) {
                issue = await updateIssue(gh, issue.number, { state: 'open', state_reason: 'reopened', body });
                await addComment(gh, issue.number, opening.join('\n'));
            }
            else {
                issue = await createIssue(gh, title, `${opening.join('\n')}\n\n---\n${body}`, labels);
            }
            action = 'opened';
            await notify({
                event: 'incident-opened',
                severity: 'alert',
                title: `${cfg.name}: ${KIND_TITLE[kind]} failing`,
                text: d.check.problems.join('\n'),
                link: issue.html_url,
                fields: { 'failed runs': String(d.next.failures), since: d.next.since ?? '' },
            });
        }
        else if (d.transition === 'close' && issue) {
            const prev = d.carrier.state;
            const downFor = prev.openedAt
                ? humanDuration(now.getTime() - new Date(prev.since ?? prev.openedAt).getTime())
                : '?';
            const healed = prev.heals.filter((h) => h.ok);
            const summary = [
                `🟢 **Resolved**: ${KIND_TITLE[kind]} passed ${d.next.successes} run(s) in a row${run_link(cfg)}.`,
                '',
                `- failing since ${prev.since ?? prev.openedAt}, incident open ${prev.openedAt}; resolved ${now.toISOString()} (down for ${downFor})`,
                `- healed by: ${healed.length ? healed.map((h) => `${h.what} at ${h.at}`).join('; ') : 'no heal (it recovered by itself or by hand)'}`,
                ...(prev.reasons.length ? [`- last failure: ${prev.reasons.join('; ')}`] : []),
            ];
            await addComment(gh, issue.number, summary.join('\n'));
            issue = await updateIssue(gh, issue.number, {
                state: 'closed',
                state_reason: 'completed',
                body: issueBody(cfg, kind, closedState(d.next)),
            });
            action = 'closed';
            await notify({
                event: 'incident-resolved',
                severity: 'recovery',
                title: `${cfg.name}: ${KIND_TITLE[kind]} recovered after ${downFor}`,
                text: summary.slice(2).join('\n').replace(/^- /gm, ''),
                link: issue.html_url,
            });
        }
        else if (issue) {
            if (issue.state === 'open' && d.next.heals.length > (d.carrier?.state.heals.length ?? 0)) {
                const fresh = d.next.heals.slice(d.carrier?.state.heals.length ?? 0);
                await addComment(gh, issue.number, fresh.map((h) => `🔧 heal ${h.ok ? 'done' : 'FAILED'}: ${h.what}${run_link(cfg)}`).join('\n'));
            }
            issue = await updateIssue(gh, issue.number, { body: issueBody(cfg, kind, d.next) });
            action = 'updated';
        }
        else if (d.next.failures > 0 || (kind === 'logs' && d.next.lastRunAt)) {
            // A failure streak (or the logs' last-read time) needs memory before any incident exists: the target's
            // issue is made once and closed at once; later streaks and incidents reuse it (reopened, never duplicated).
            if (kind === 'logs' && d.next.failures === 0)
                continue;
            const created = await createIssue(gh, title, issueBody(cfg, kind, d.next), labels);
            issue = await updateIssue(gh, created.number, { state: 'closed', state_reason: 'not_planned' });
            action = 'created (memory)';
        }
        if (issue)
            report.incidents.push({
                kind,
                number: issue.number,
                url: issue.html_url,
                open: issue.state === 'open',
                action,
                failures: d.next.failures,
            });
    }
    report.consecutiveFailures = Math.max(0, ...decisions.map((d) => d.next.failures));
    report.state = report.checks.some((c) => !c.ok) ? 'down' : 'up';
    // Open incidents of kinds not checked this run still count as open.
    for (const incident of openIncidents())
        if (!report.incidents.some((i) => i.kind === incident.kind))
            report.incidents.push(incident);
    return report;
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


/***/ })

};
