export const id = 202;
export const ids = [202];
export const modules = {

/***/ 6202:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  runComposeDeploy: () => (/* binding */ runComposeDeploy)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
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
const detected = new WeakMap();
const remember = (exec, f) => (detected.set(exec, f), f);
/** Which compose is installed where `exec` runs: v2 preferred, v1 accepted, neither → an error naming both. */
async function detectCompose(exec, signal) {
    // Once per target and run: a host's Compose does not change under a run, and v1's Python start is slow.
    const known = detected.get(exec);
    if (known)
        return known;
    const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v2.end === 'exit' && v2.code === 0)
        return remember(exec, 'v2');
    const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal });
    if (v1.end === 'exit' && v1.code === 0)
        return remember(exec, 'v1');
    throw new Error(`neither \`docker compose\` (v2 plugin) nor \`docker-compose\` (v1) works on ${exec.target}; install the docker-compose-plugin package`);
}

// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __webpack_require__(5504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(1737);
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

;// CONCATENATED MODULE: ./src/lib/release-history.ts
/** Where the history lives under a deploy base directory. */
const HISTORY_DIR = '.deploy-kit';
const HISTORY_FILE = 'releases.jsonl';
/** Lines kept when the history is trimmed (and read back): enough for any rollback, bounded in size. */
const HISTORY_KEEP = 1000;
const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** An image reference as written into `.env`: one word, never an option. */
const IMAGE_RE = /^[A-Za-z0-9][^\s]{0,499}$/;
/** Whether `image` can be recorded in an event (one word, not starting like an option). */
function isHistoryImage(image) {
    return IMAGE_RE.test(image);
}
/** The optional keys of an event, in the order they are written. */
const OPTIONAL_KEYS = ['from', 'how', 'image', 'reason', 'run', 'by'];
/** One history line, keys in a fixed order (a shell `grep -F` may look for `{"event":"activate","id":"<id>",`). */
function historyLine(e) {
    if (!ID_RE.test(e.id))
        throw new Error(`release history: "${e.id}" is not a release id or digest`);
    if (e.image !== undefined && !IMAGE_RE.test(e.image))
        throw new Error(`release history: "${e.image.slice(0, 80)}" is not an image reference`);
    const o = { event: e.event, id: e.id, at: e.at };
    for (const k of OPTIONAL_KEYS) {
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
                for (const k of OPTIONAL_KEYS)
                    if (typeof o[k] === 'string' && (k !== 'image' || IMAGE_RE.test(o[k])))
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
/** The image recorded by the newest `activate` of `id`, when the history has one. */
function imageOf(history, id) {
    for (let i = history.length - 1; i >= 0; i--) {
        const e = history[i];
        if (e.event === 'activate' && e.id === id && e.image)
            return e.image;
    }
    return undefined;
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

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(9858);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(6760);
// EXTERNAL MODULE: ./src/lib/quote.ts
var quote = __webpack_require__(6975);
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
const container_IMAGE_RE = /^[a-zA-Z0-9][a-zA-Z0-9._\-/:@+]*$/;
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
                    check(container_IMAGE_RE, a.image, 'image reference'),
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
            const ps = { ...composeCommand(this.access.project, ['ps', '-q', this.access.service]), ...this.dockerEnv() };
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
/**
 * Runs the preset's steps in one process tree (one container start for all of them, not one per step and per
 * status read): the framework's migration status before the first step (`before`) and after the last
 * (`after`), each line printed as `<mark> before <line>` / `<mark> after <line>`; each step between
 * `<mark> step <i>` and `<mark> step-end <i> <exit code> <ms>`. The steps' own output passes through as it
 * is. The first step that fails ends the run with its exit code; a status read that fails prints
 * `<mark> before-failed <code>` (or after-failed) and ends it with its code. Python runs it (the presets are
 * Python's). A constant script: the mark, the probe and the steps are positional parameters.
 */
const PRESET_RUNNER = [
    'import subprocess, sys, time',
    'a = sys.argv[1:]',
    'mark, before, after, n = a[0], a[1] == "1", a[2] == "1", int(a[3])',
    'probe, rest, steps = a[4:4 + n], a[4 + n:], []',
    'while rest:',
    '    k = int(rest[0])',
    '    steps.append(rest[1:1 + k])',
    '    rest = rest[1 + k:]',
    'def status(tag):',
    '    sys.stdout.flush()',
    '    r = subprocess.run(probe, stdout=subprocess.PIPE)',
    '    for line in r.stdout.decode("utf-8", "replace").splitlines():',
    '        print(mark, tag, line, flush=True)',
    '    if r.returncode != 0:',
    '        print(mark, tag + "-failed", r.returncode, flush=True)',
    '        sys.exit(r.returncode or 1)',
    'if before:',
    '    status("before")',
    'for i, step in enumerate(steps):',
    '    print(mark, "step", i, flush=True)',
    '    t = time.monotonic()',
    '    code = subprocess.call(step)',
    '    sys.stdout.flush()',
    '    print(mark, "step-end", i, code, int((time.monotonic() - t) * 1000), flush=True)',
    '    if code != 0:',
    '        sys.exit(code)',
    'if after:',
    '    status("after")',
].join('\n');
/** argv of PRESET_RUNNER (run with `python`, the preset's interpreter) over `steps`. */
function presetRun(python, steps, probe, o) {
    return [
        python,
        '-c',
        PRESET_RUNNER,
        o.mark,
        o.before ? '1' : '0',
        o.after ? '1' : '0',
        String(probe.length),
        ...probe,
        ...steps.flatMap((st) => [String(st.length), ...st]),
    ];
}
/** Takes a line of PRESET_RUNNER's stdout: true when it was one of its own (kept out of the log). */
function captureStatus(cap, mark, line) {
    if (!line.startsWith(`${mark} `))
        return false;
    const rest = line.slice(mark.length + 1);
    const step = /^step (\d+)$/.exec(rest);
    if (step) {
        cap.current = Number(step[1]);
        cap.onStep?.(cap.current);
        return true;
    }
    const end = /^step-end (\d+) (-?\d+) (\d+)$/.exec(rest);
    if (end) {
        cap.ended.push({ i: Number(end[1]), code: Number(end[2]), ms: Number(end[3]) });
        return true;
    }
    const m = /^(before|after)(-failed)? ?(.*)$/s.exec(rest);
    if (!m)
        return false;
    const tag = m[1];
    if (m[2])
        cap.failed = { tag, code: Number(m[3]) || 1 };
    else
        cap[tag] = `${cap[tag] ?? ''}${m[3]}\n`;
    return true;
}

;// CONCATENATED MODULE: ./src/core/run-release-phase/run.ts








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
    const flavor = cfg.composeService ? (cfg.composeFlavor ?? (await detectCompose(host, signal))) : undefined;
    const access = releaseAccess(cfg, flavor);
    return access ? inContainer(host, access, { namePrefix: 'deploy-kit-release' }) : host;
}
async function runReleasePhase(exec, cfg, ctx) {
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
                signal: ctx.signal,
                onWait: (by, age) => ctx.log(`waiting for the deploy lock held by ${by} (${age} s)`),
            });
        }
        // The release's own interpreter when it ships a virtualenv.
        let python = cfg.python;
        if (cfg.runOn !== 'docker' && !cfg.composeService) {
            for (const venv of ['.venv/bin/python', 'venv/bin/python']) {
                const r = await exec.run({ argv: ['test', '-x', venv], cwd: cfg.workingDirectory }, { timeoutMs: timeouts/* TIMEOUTS */.f.probeMs, signal: ctx.signal });
                if (r.code === 0) {
                    python = `${cfg.workingDirectory}/${venv}`;
                    break;
                }
            }
        }
        const where = await releaseTarget(exec, cfg, ctx.signal);
        // On the host the commands run in the working directory; in a container, where the image or the mount puts them.
        const contained = (cmd, opts) => where.run({ ...cmd, env: cfg.env, ...(where === exec ? { cwd: cfg.workingDirectory } : {}) }, opts);
        // Status lines of the wrapped steps (withStatus) go to `status`, everything else to the log.
        const mark = `dk-status-${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}`;
        const status = { ended: [] };
        const log = (line) => {
            if (!captureStatus(status, mark, line))
                ctx.log(line);
        };
        const run = async (argv, label) => {
            const out = (0,output/* streamLogger */.VO)(log);
            try {
                return await contained({ argv, label }, {
                    timeoutMs: Math.max(1, cfg.timeoutMs - (Date.now() - started)),
                    idleTimeoutMs: cfg.idleTimeoutMs,
                    signal: ctx.signal,
                    onStdout: out.onStdout,
                    onStderr: out.onStderr,
                });
            }
            finally {
                out.flush();
            }
        };
        const probe = migrationProbe(cfg.preset, python);
        const parse = (text) => {
            pending = cfg.preset === 'django' ? firstPendingDjango(text) : undefined;
            return cfg.preset === 'django' ? appliedDjango(text) : alembicRevisions(text);
        };
        readApplied = async () => {
            if (!probe)
                return [];
            const r = await contained({ argv: probe }, { timeoutMs: timeouts/* TIMEOUTS */.f.migrationStatusMs, signal: ctx.signal });
            if (r.end !== 'exit' || r.code !== 0)
                throw new Error((0,types/* describeFailure */.Ic)('migration status', exec.target, r));
            return parse(r.stdout);
        };
        const steps = releaseSteps(cfg.preset, python, { superuser: cfg.superuser, commands: cfg.commands });
        // The preset's steps run together in one process tree (PRESET_RUNNER: one container start), with the
        // status reads before and after them; each extra command runs on its own after them (one may migrate
        // too: then a status read of its own after them).
        const presetCount = steps.length - cfg.commands.length;
        if (probe && presetCount > 0) {
            const preset = steps.slice(0, presetCount);
            const after = cfg.commands.length === 0;
            status.onStep = (i) => ctx.log(`▶ ${preset[i].name}`);
            const argv = presetRun(python, preset.map((st) => st.argv), probe, { mark, before: true, after });
            const r = await run(argv, preset.map((st) => st.name).join(', '));
            if (status.before !== undefined) {
                report.migrations.before = parse(status.before);
                beforeRead = true;
            }
            if (status.failed?.tag === 'before')
                throw new Error(`migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} before ${preset[0].name} ran; its output is in the log above`);
            for (const e of status.ended) {
                const ok = e.code === 0;
                report.steps.push({
                    name: preset[e.i].name,
                    ok,
                    durationMs: e.ms,
                    ...(ok ? {} : { error: (0,types/* describeFailure */.Ic)(preset[e.i].name, exec.target, r) }),
                });
            }
            const last = status.ended.at(-1);
            // Stopped inside a step (a timeout, a cancel, a crash of the runner itself): that step failed.
            if (status.current !== undefined && last?.i !== status.current) {
                report.steps.push({
                    name: preset[status.current].name,
                    ok: false,
                    durationMs: r.durationMs,
                    error: (0,types/* describeFailure */.Ic)(preset[status.current].name, exec.target, r),
                });
            }
            if (status.failed?.tag === 'after')
                throw new Error(`migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} after ${preset.at(-1).name}; its output is in the log above`);
            const failed = report.steps.find((st) => !st.ok);
            if (failed)
                throw new Error(failed.error);
            if (r.end !== 'exit' || r.code !== 0 || status.ended.length !== presetCount)
                throw new Error((0,types/* describeFailure */.Ic)(preset.map((st) => st.name).join(', '), exec.target, r));
        }
        else {
            report.migrations.before = await readApplied();
            beforeRead = true;
        }
        for (const step of steps.slice(probe ? presetCount : 0)) {
            ctx.log(`▶ ${step.name}`);
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
        report.migrations.after = status.after !== undefined ? parse(status.after) : await readApplied();
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
                ctx.log(`marked release ${id} bad in ${cfg.historyBase}/.deploy-kit`);
            else
                ctx.log(`could not mark release ${id} bad in ${cfg.historyBase}/.deploy-kit: ${mark.stderr.trim()}`);
        }
        const unlockProblem = await lock?.release();
        if (unlockProblem)
            ctx.warn(unlockProblem);
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
/**
 * State, health, image, name and networks of containers, one JSON object per line. `.State` goes out whole
 * (health read in parseInspect): the docker CLI may run the template on the raw JSON, where a container with
 * no healthcheck has no `Health` key and `.State.Health` is a template error.
 */
function inspectCommand(ids) {
    return {
        argv: [
            'docker',
            'inspect',
            '--format',
            '{"id":{{json .Id}},"name":{{json .Name}},"state":{{json .State}},"image":{{json .Image}},"configImage":{{json .Config.Image}},"networks":{{json .NetworkSettings.Networks}}}',
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
        .map((l) => {
        const o = JSON.parse(l);
        return {
            id: o.id,
            name: o.name,
            status: o.state?.Status ?? '',
            health: o.state?.Health?.Status ?? '',
            image: o.image,
            configImage: o.configImage,
            exitCode: o.state?.ExitCode ?? 0,
            networks: o.networks ?? null,
        };
    });
}
/** `docker exec <id> <probe…>`: a probe inside the new container (when it has no Docker healthcheck). */
function probeCommand(id, probe) {
    return { argv: ['docker', 'exec', id, ...probe], label: `probe ${id.slice(0, 12)}` };
}
/**
 * The in-network HTTP probe, run inside a container of the project (the proxy by default): GET `$1` with
 * curl, wget or Python, whichever the container has, bounded by `$2` seconds (wget under `timeout` when the container has it). Exits 0 on an answer below
 * 400 (the clients' own success rule), non-zero otherwise; 127 when the container has none of the three.
 * A constant script: the URL is a positional parameter, never parsed by the shell.
 */
const HTTP_PROBE_SCRIPT = String.raw `url=$1; t=$2
if command -v curl >/dev/null 2>&1; then exec curl -fsS -o /dev/null --max-time "$t" -- "$url"; fi
if command -v wget >/dev/null 2>&1; then
  # under timeout when there is one: busybox builds exist whose wget -T crashes
  if command -v timeout >/dev/null 2>&1; then exec timeout "$t" wget -q -O /dev/null -- "$url"; fi
  exec wget -q -O /dev/null -T "$t" -- "$url"
fi
for py in python3 python; do
  if command -v "$py" >/dev/null 2>&1; then
    exec "$py" -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=float(sys.argv[2]))' "$url" "$t"
  fi
done
echo "deploy-kit probe: no curl, wget or python in this container" >&2
exit 127
`;
/** The exit code of HTTP_PROBE_SCRIPT when the container has no HTTP client. */
const PROBE_NO_CLIENT = 127;
/** `docker exec <from> sh -c HTTP_PROBE_SCRIPT …`: an HTTP request from a container on the project network. */
function httpProbeCommand(fromId, url, timeoutSeconds) {
    return {
        argv: ['docker', 'exec', fromId, 'sh', '-c', HTTP_PROBE_SCRIPT, 'deploy-kit-probe', url, String(timeoutSeconds)],
        label: `probe ${url} from ${fromId.slice(0, 12)}`,
    };
}
/**
 * `http://<address>:<port><path>` of a container on a network it shares with `from` (the container that
 * sends the request); undefined when they share none. IPv6 addresses are bracketed.
 */
function inNetworkUrl(target, from, port, path) {
    const mine = target.networks ?? {};
    const theirs = from.networks ?? {};
    for (const name of Object.keys(mine).sort()) {
        if (!theirs[name])
            continue;
        const v4 = mine[name]?.IPAddress;
        const v6 = mine[name]?.GlobalIPv6Address;
        if (v4)
            return `http://${v4}:${port}${path}`;
        if (v6)
            return `http://[${v6}]:${port}${path}`;
    }
    return undefined;
}
/** The processes of a container as the host sees them (`docker top`: no tool needed inside it). */
function topCommand(id) {
    return { argv: ['docker', 'top', id], label: `processes of ${id.slice(0, 12)}` };
}
/** `docker top` output → pid and command line of each process. */
function parseTop(stdout) {
    const lines = stdout.split('\n').filter((l) => l.trim());
    const header = (lines.shift() ?? '').trim().split(/\s+/);
    const pidAt = header.indexOf('PID');
    const cmdAt = header.findIndex((h) => h === 'CMD' || h === 'COMMAND');
    if (pidAt < 0 || cmdAt < 0)
        return [];
    return lines.map((l) => {
        const f = l.trim().split(/\s+/);
        return { pid: f[pidAt] ?? '', cmd: f.slice(cmdAt).join(' ') };
    });
}
/** nginx's workers that take new connections (not those finishing their requests after a reload). */
function nginxWorkers(procs) {
    return procs.filter((p) => p.cmd === 'nginx: worker process').map((p) => p.pid);
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
var external_node_fs_ = __webpack_require__(3024);
// EXTERNAL MODULE: ./src/lib/cleanup-state.ts
var cleanup_state = __webpack_require__(4679);
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
var external_node_crypto_ = __webpack_require__(7598);
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
            await (0,types/* runChecked */.X4)(exec, removeFilesCommand(dir, batch), { signal, timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs });
        },
    });
}

;// CONCATENATED MODULE: ./src/core/compose-deploy/db.ts






/**
 * backup-db's core, pointed at the compose project's database service: the dump runs inside the service
 * (`compose exec -T`, so the client matches the server), streams to the runner, is checksummed, fsynced and
 * verified, and is kept on the host under `<path>/.deploy-kit/backups/` (for run-on ssh, a copy checked by
 * sha256 on both sides). Retention (keep-backups) runs where the backups are kept: in the directory itself for
 * run-on local, on the host through its target for run-on ssh (backup-db's hostRetention: the same plan, only
 * after the copy there was checked, never the copy just made).
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
        const path = local ? r.path : r.remotePath || external_node_path_.posix.join(backupsDir, external_node_path_.posix.basename(r.path));
        let removed = r.removed;
        if (!local) {
            const policy = { keep: this.cfg.keepBackups, daily: 0, weekly: 0, monthly: 0 };
            const plan = await hostRetention(host, backupsDir, backupBase(r.database), policy, external_node_path_.posix.basename(path), false, this.ctx.signal);
            removed = plan.remove;
            if (removed.length)
                this.ctx.log(`${host.target}: keep-backups ${policy.keep}: removed ${removed.join(', ')}`);
        }
        return { path, localPath: r.path, sizeBytes: r.sizeBytes, sha256: r.sha256, verification: r.verification, removed };
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

// EXTERNAL MODULE: ./src/core/compose-deploy/env-target.ts
var env_target = __webpack_require__(2425);
// EXTERNAL MODULE: ./node_modules/yaml/dist/index.js
var dist = __webpack_require__(8815);
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
    let from;
    for (let round = 0;; round++) {
        for (const c of await inspect(exec, [...pending], ctx)) {
            if (c.status === 'exited' || c.status === 'dead')
                throw new Error(`new container ${c.name.replace(/^\//, '')} exited (code ${c.exitCode}) before it was healthy${await tail(exec, c.id)}`);
            if (c.health === 'unhealthy')
                throw new Error(`new container ${c.name.replace(/^\//, '')} is unhealthy (its Docker healthcheck failed)${await tail(exec, c.id)}`);
            if (c.health === 'healthy')
                pending.delete(c.id);
            else if (c.health === '' && c.status === 'running') {
                if (s.httpProbe) {
                    from ??= await probeFrom(exec, s.projectName, s.httpProbe, ctx);
                    const url = await httpProbe(exec, c, from, s.httpProbe, ctx);
                    if (url) {
                        pending.delete(c.id);
                        ctx.log(`new container ${c.name.replace(/^\//, '')} answered ${url} (HTTP probe from ${from.name.replace(/^\//, '')})`);
                    }
                }
                else if (s.probeCommand.length > 0) {
                    const r = await exec.run(probeCommand(c.id, s.probeCommand), {
                        timeoutMs: timeouts/* TIMEOUTS */.f.toolQueryMs,
                        signal: ctx.signal,
                    });
                    if ((0,types/* succeeded */.gq)(r))
                        pending.delete(c.id);
                }
                else {
                    throw new Error(`new container ${c.name.replace(/^\//, '')} has no Docker healthcheck and neither probe-path nor probe-command is set: nothing can tell that it is ready. Add a healthcheck to the service (compose file or image), or set probe-path and probe-port (an HTTP probe from inside the project network), or probe-command`);
                }
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
        // Docker runs a healthcheck every `interval` (often 1-5 s): a short poll sees its result soon after.
        await (0,retry/* sleep */.yy)(Math.min(200 + round * 20, 500), ctx.signal).catch(() => undefined);
    }
}
/** The running container of the probe's `from` service (the first one), with its networks. */
async function probeFrom(exec, project, p, ctx) {
    const [first] = await ids(exec, project, p.from, ctx);
    const [c] = first ? await inspect(exec, [first], ctx) : [];
    if (!c)
        throw new Error(`probe-from: service ${p.from} has no running container to send the HTTP probe from; start it, or set probe-from to a running service on the same network`);
    return c;
}
/** One in-network HTTP probe of `c` from `from`: its URL when it answered below 400, else ''. Throws when it cannot be run at all. */
async function httpProbe(exec, c, from, p, ctx) {
    const url = inNetworkUrl(c, from, p.port, p.path);
    if (!url)
        throw new Error(`new container ${c.name.replace(/^\//, '')} shares no network with ${from.name.replace(/^\//, '')} (service ${p.from}), so the HTTP probe cannot reach it; set probe-from to a service on the app's network`);
    // The client's own limit inside, the exec's outside (a hung `docker exec` is bounded too).
    const r = await exec.run(httpProbeCommand(from.id, url, timeouts/* TIMEOUTS */.f.probeMs / 2000), {
        timeoutMs: timeouts/* TIMEOUTS */.f.probeMs,
        signal: ctx.signal,
    });
    if (r.end === 'exit' && r.code === PROBE_NO_CLIENT && /deploy-kit probe: no curl/.test(r.stderr))
        throw new Error(`the HTTP probe needs sh and curl, wget or python in a container of ${p.from}, which has none: set probe-from to a service that has one (or use probe-command)`);
    return (0,types/* succeeded */.gq)(r) ? url : '';
}
async function tail(exec, id) {
    const r = await exec.run(logsCommand(id), { timeoutMs: timeouts/* TIMEOUTS */.f.toolQueryMs });
    const text = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-15).join('\n');
    return text ? `; its last log lines:\n${text}` : '';
}
async function workersOf(exec, id, ctx) {
    const r = await exec.run(topCommand(id), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
    return (0,types/* succeeded */.gq)(r) ? nginxWorkers(parseTop(r.stdout)) : [];
}
/**
 * Reloads every proxy container. With `settle`, returns only when each one runs with its new configuration:
 * for nginx, when every worker that takes connections was started by this reload (`docker top`; the old ones
 * are then finishing their requests, accepting none), polled every 50 ms up to proxy-settle, and a proxy that
 * does not get there fails the swap (its old workers know only the old containers); for another proxy,
 * after proxy-settle.
 */
async function reloadProxies(exec, s, ctx, settle = false) {
    if (!s.proxyService)
        return { count: 0, ms: 0 };
    const proxies = await ids(exec, s.projectName, s.proxyService, ctx);
    if (proxies.length === 0) {
        ctx.warn(`proxy service ${s.proxyService} has no running container: nothing was reloaded`, 'compose-deploy');
        return { count: 0, ms: 0 };
    }
    const before = new Map();
    if (settle)
        for (const p of proxies)
            before.set(p, await workersOf(exec, p, ctx));
    const started = Date.now();
    for (const p of proxies)
        await (0,types/* runChecked */.X4)(exec, proxyReloadCommand(p, s.proxyReload), {
            timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs,
            signal: ctx.signal,
        });
    if (!settle || s.proxySettleMs === 0)
        return { count: proxies.length, ms: 0 };
    const deadline = started + s.proxySettleMs;
    let waitFixed = false;
    for (const p of proxies) {
        const old = before.get(p);
        if (old.length === 0) {
            waitFixed = true; // not nginx (no worker processes to watch): the fixed wait
            continue;
        }
        for (let n = 0;; n++) {
            const now = await workersOf(exec, p, ctx);
            if (now.length > 0 && now.every((w) => !old.includes(w)))
                break;
            if (Date.now() > deadline || ctx.signal.aborted)
                throw new SwapError(`proxy ${swap_short(p)} (${s.proxyService}) did not apply the reload within proxy-settle (${s.proxySettleMs} ms): its workers are still the ones from before, which know only the old containers. Check its configuration (e.g. \`nginx -t\` in the container) or raise proxy-settle; the old containers keep serving`, false);
            await (0,retry/* sleep */.yy)(50, ctx.signal).catch(() => undefined);
        }
    }
    if (waitFixed)
        await (0,retry/* sleep */.yy)(Math.max(0, deadline - Date.now()), ctx.signal).catch(() => undefined);
    return { count: proxies.length, ms: Date.now() - started };
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
        proxyMs: 0,
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
        report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
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
    // `nginx -s reload` returns when the signal is sent: the old workers (which know only the old containers)
    // take requests until the new ones run, so the old containers stop only once the proxy runs its new workers.
    try {
        const reloaded = await reloadProxies(exec, s, ctx, true);
        report.proxyReloads += reloaded.count;
        report.proxyMs = reloaded.ms;
    }
    catch (e) {
        if (!(e instanceof SwapError))
            throw e;
        ctx.log(`removing the new container(s) ${report.new.map(swap_short).join(', ')}; the old ones keep serving`);
        await discard(exec, report.new, s, ctx);
        report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
        throw e;
    }
    const drainStarted = Date.now();
    const stop = await exec.run(stopCommand(old, Math.ceil(s.drainTimeoutMs / 1000)), {
        timeoutMs: s.drainTimeoutMs + timeouts/* TIMEOUTS */.f.housekeepingMs,
        signal: ctx.signal,
    });
    report.drainMs = Date.now() - drainStarted;
    // Whatever the stop said, the proxy must stop sending to the old ones.
    report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
    if (!(0,types/* succeeded */.gq)(stop))
        throw new SwapError((0,types/* describeFailure */.Ic)('docker stop (old containers)', exec.target, stop), true);
    await (0,types/* runChecked */.X4)(exec, removeCommand(old), { timeoutMs: timeouts/* TIMEOUTS */.f.housekeepingMs, signal: ctx.signal });
    report.totalMs = Date.now() - started;
    ctx.log(`${svc.name}: proxy on the new container(s) after ${report.proxyMs} ms; old container(s) drained in ${report.drainMs} ms and removed; swap took ${report.totalMs} ms`);
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
async function resolveImage(exec, image, cfg, ctx, pullEnv = {}) {
    const pullOpts = { timeoutMs: timeouts/* TIMEOUTS */.f.remoteStepMs * 10, idleTimeoutMs: cfg.idleTimeoutMs, signal: ctx.signal };
    let inspected = await exec.run(imageInspectCommand(image), housekeeping(ctx));
    // An image id cannot be pulled; a digest names immutable content: pulled only when missing.
    const pinned = /^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image);
    const pull = pinned ? (cfg.pull === 'never' || /^sha256:/.test(image) ? 'never' : 'missing') : cfg.pull;
    if (pull === 'always' || (pull === 'missing' && !(0,types/* succeeded */.gq)(inspected))) {
        ctx.log(`${exec.target}: pulling ${image}`);
        const pulled = await exec.run({ ...pullCommand(image), env: pullEnv }, pullOpts);
        if (!(0,types/* succeeded */.gq)(pulled)) {
            throw new Error(`${exec.target}: pulling ${image} failed (nothing was changed): ${(pulled.stderr || pulled.stdout).trim().split('\n').slice(-3).join(' ')}. Check the image name and tag, and the registry credentials (registry-username / registry-password, or docker login on the host)${cfg.pull === 'always' ? '; for an image built on the host only, set pull: missing' : ''}`);
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
        ...(cfg.httpProbe ? { httpProbe: cfg.httpProbe } : {}),
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
/** The image that went live, for the history (left out when it cannot be recorded as one word). */
function historyImage(image) {
    return image && isHistoryImage(image) ? { image } : {};
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
        targets = targets.map((t) => (0,env_target/* withEnv */.Eh)(t, { DOCKER_HOST: cfg.dockerHost }));
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
            await (0,types/* runChecked */.X4)(exec, hostStep('check-dir', cfg.path), housekeeping(ctx)).catch((e) => {
                // Only the step's own "no such directory" (exit 3); a connection or login failure keeps its own message.
                if (!(e instanceof types/* CommandError */.Qd && e.result.end === 'exit' && e.result.code === 3))
                    throw e;
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
            h.report.image = cfg.build
                ? await resolveImage(h.exec, wanted, { ...cfg, pull: 'never' }, forward)
                : await (0,env_target/* withRegistryLogin */.V9)(h.exec, cfg.registryAuth, forward, (env) => resolveImage(h.exec, wanted, cfg, forward, env));
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
                await (0,types/* runChecked */.X4)(h.exec, appendHistoryCommand(cfg.path, [
                    run_event(cfg, { event: 'activate', id: seed, how: 'seed', ...historyImage(h.previousPinned) }),
                ]), housekeeping(ctx));
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
        for (const l of locks) {
            const unlockProblem = await l.release().catch((e) => e.message);
            if (unlockProblem)
                report.warnings.push(unlockProblem);
        }
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
        composeFlavor: h.project.compose.flavor,
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
    await (0,types/* runChecked */.X4)(h.exec, appendHistoryCommand(cfg.path, [
        run_event(cfg, { event: 'activate', id: releaseId, how, ...(from ? { from } : {}), ...historyImage(image) }),
    ]), opts);
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

/***/ 1737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
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
