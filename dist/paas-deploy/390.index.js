export const id = 390;
export const ids = [390];
export const modules = {

/***/ 390:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

// ESM COMPAT FLAG
__webpack_require__.r(__webpack_exports__);

// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  describe: () => (/* binding */ describe),
  makeProvider: () => (/* binding */ makeProvider),
  runPaasDeploy: () => (/* binding */ runPaasDeploy)
});

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(867);
// EXTERNAL MODULE: ./src/lib/redact.ts
var redact = __webpack_require__(310);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(737);
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
var json_expect = __webpack_require__(330);
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

;// CONCATENATED MODULE: ./src/lib/github/deployments.ts
/**
 * The GitHub Deployments REST API (https://docs.github.com/rest/deployments), as much as promote and
 * paas-deploy need: find a successful deployment of a digest in an environment (promote's require-deployment)
 * and record a run as a deployment with in_progress → success/failure. Requests go through rest.ts.
 */

const HINTS = { permission: 'deployments: write' };
function api(gh, method, path, body) {
    return githubRequest(gh, method, path, body, HINTS);
}
/** The digest a deployment's payload records (payload may arrive as an object or a JSON string). */
function payloadDigest(payload) {
    let p = payload;
    if (typeof p === 'string') {
        try {
            p = JSON.parse(p);
        }
        catch {
            return undefined;
        }
    }
    const d = p && typeof p === 'object' ? p.digest : undefined;
    return typeof d === 'string' ? d : undefined;
}
const MAX_PAGES = 5;
/**
 * The newest deployment of `digest` in `environment` whose latest status is `success`, or, when there is
 * none, the others of that digest with their latest state (`#12 (failure)`) for the caller's message.
 * Reads at most MAX_PAGES pages of 100 deployments.
 */
async function findSuccessfulDeployment(gh, environment, digest) {
    const seen = [];
    for (let page = 1; page <= MAX_PAGES; page++) {
        const q = new URLSearchParams({ environment, per_page: '100', page: String(page) });
        const list = await api(gh, 'GET', `/deployments?${q}`);
        for (const d of list) {
            if (payloadDigest(d.payload) !== digest)
                continue;
            const statuses = await api(gh, 'GET', `/deployments/${d.id}/statuses?per_page=1`);
            const latest = statuses[0]?.state ?? 'no status';
            if (latest === 'success')
                return { found: { id: d.id, environment, createdAt: d.created_at } };
            seen.push(`#${d.id} (${latest})`);
        }
        if (list.length < 100)
            break;
    }
    return { others: seen };
}
async function createDeployment(gh, opts) {
    const d = await api(gh, 'POST', '/deployments', {
        ref: opts.ref,
        environment: opts.environment,
        payload: opts.payload,
        description: opts.description.slice(0, 140),
        task: 'deploy',
        auto_merge: false,
        required_contexts: [],
    });
    if (typeof d.id !== 'number')
        throw new GitHubApiError('GitHub API POST /deployments: no deployment id returned', 201);
    return d.id;
}
async function setDeploymentStatus(gh, id, state, description, logUrl) {
    await api(gh, 'POST', `/deployments/${id}/statuses`, {
        state,
        description: description.slice(0, 140),
        ...(logUrl ? { log_url: logUrl } : {}),
    });
}

// EXTERNAL MODULE: ./src/lib/output.ts
var output = __webpack_require__(858);
;// CONCATENATED MODULE: ./src/core/paas-deploy/http.ts


class ProviderError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'ProviderError';
    }
}
/** A wait (build, release phase, promotion, …) that ended before the provider reached a final state. */
class WaitError extends Error {
    end;
    what;
    lastState;
    constructor(end, 
    /** What was being waited for, e.g. "build 0a1b… of app `web`". */
    what, 
    /** The provider's last state seen, e.g. "pending". */
    lastState, message) {
        super(message);
        this.end = end;
        this.what = what;
        this.lastState = lastState;
        this.name = 'WaitError';
    }
}
const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 4;
function defaultErrorText(body) {
    if (body && typeof body === 'object') {
        const b = body;
        for (const k of ['message', 'error', 'detail', 'id'])
            if (typeof b[k] === 'string')
                return b[k];
    }
    return undefined;
}
/** The message for an HTTP error status, naming what to fix. */
function explainStatus(status, method, path, providerText, hints, field) {
    const said = providerText ? `: ${providerText}` : '';
    const where = `${hints.provider} ${method} ${path.split('?')[0]}`;
    switch (status) {
        case 401:
            return `${where} returned 401 (not authenticated)${said}. Check \`api-token\`: it must be ${hints.token}, not expired or revoked.`;
        case 403:
            return `${where} returned 403 (forbidden)${said}. The token in \`api-token\` is valid but may not act on ${hints.resource}: give it ${hints.token} and access to that app.`;
        case 404:
            return `${where} returned 404 (not found)${said}. Check \`app\` (and \`promote-to\` / \`rollback-to\` if set): ${hints.resource} does not exist or the token cannot see it.`;
        case 409:
            return `${where} returned 409 (conflict)${said}. Another deploy may be running on ${hints.resource}; wait for it or cancel it, then retry.`;
        case 400:
        case 422:
            return `${where} returned ${status}: ${hints.provider} rejected ${field ? `the field \`${field}\`` : 'the request'}${said}. Fix the input that sets it and retry.`;
        case 429:
            return `${where} returned 429 (rate limited)${said}. Retried with backoff and gave up; run again later.`;
        default:
            return `${where} returned ${status}${said}.`;
    }
}
class ApiClient {
    opts;
    calls = [];
    constructor(opts) {
        this.opts = opts;
    }
    get hints() {
        return this.opts.hints;
    }
    /**
     * One JSON request. 429/5xx (and network errors on reads) are retried with backoff; any other non-2xx is
     * a ProviderError whose message names the fix. `okStatuses` lets a caller accept e.g. 206.
     */
    async request(method, path, body, extra = {}) {
        const url = `${this.opts.baseUrl.replace(/\/+$/, '')}${path}`;
        const idempotent = method === 'GET' || method === 'HEAD' || extra.retryWrites === true;
        let lastError;
        for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (this.opts.signal.aborted)
                throw this.opts.signal.reason ?? new Error('cancelled');
            let res;
            try {
                res = await fetch(url, {
                    method,
                    headers: {
                        accept: 'application/json',
                        'user-agent': 'deploy-kit-paas-deploy',
                        ...this.opts.headers,
                        ...extra.headers,
                        authorization: `${this.opts.scheme ?? 'Bearer'} ${this.opts.token}`,
                        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
                    },
                    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
                    signal: AbortSignal.any([this.opts.signal, AbortSignal.timeout(this.opts.requestTimeoutMs)]),
                });
            }
            catch (e) {
                if (this.opts.signal.aborted)
                    throw this.opts.signal.reason ?? e;
                lastError = new ProviderError(`${this.hints.provider} ${method} ${path.split('?')[0]} failed: ${e.message}` +
                    ` (is \`api-url\` ${this.opts.baseUrl} reachable?)`);
                if (!idempotent || attempt === MAX_ATTEMPTS)
                    throw lastError;
                await (0,retry/* sleep */.yy)(200 * 2 ** (attempt - 1), this.opts.signal);
                continue;
            }
            const text = await res.text();
            this.calls.push({ method, path: path.split('?')[0], status: res.status });
            let data = undefined;
            if (text) {
                try {
                    data = JSON.parse(text);
                }
                catch {
                    data = text;
                }
            }
            if (res.ok)
                return { status: res.status, data: data, headers: res.headers };
            const providerText = ((this.opts.errorText ?? defaultErrorText)(data) ?? String(text).slice(0, 200)).slice(0, 300);
            const field = (res.status === 422 || res.status === 400) && this.opts.errorField ? this.opts.errorField(data) : undefined;
            lastError = new ProviderError(explainStatus(res.status, method, path, providerText, this.hints, field), res.status);
            if (!RETRYABLE.has(res.status) || attempt === MAX_ATTEMPTS)
                throw lastError;
            const retryAfter = Number(res.headers.get('retry-after'));
            const delay = Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 10_000) : 250 * 2 ** attempt;
            await (0,retry/* sleep */.yy)(delay, this.opts.signal);
        }
        throw lastError;
    }
}
/**
 * A GET whose answer must be a JSON list (releases, deploys). Anything else is an API that is not the provider's
 * (`api-url` pointing at a web page or another service answers 200 with something else).
 */
async function getList(api, path, what, extra = {}) {
    const r = await api.request('GET', path, undefined, extra);
    if (!Array.isArray(r.data)) {
        throw new ProviderError(`${api.hints.provider} GET ${what} did not return a list: is \`api-url\` (${api.opts.baseUrl}) ${api.hints.provider}'s API?`);
    }
    return r.data;
}
/**
 * Reads `read()` until `final(state)` holds, backing off, bounded by the overall and idle deadlines, and
 * stopped by the signal. `stateOf` names the state (for the idle check and for the message when the wait
 * ends early). Never sleeps blindly: every pause ends early on cancellation.
 */
async function waitFor(what, read, stateOf, final, timing, signal, activity = { last: 0 }, onState, 
/** The state the provider reported when the job was created (until the first read answers). */
initialState = 'unknown') {
    let interval = timing.intervalMs;
    let lastState = initialState;
    let lastChange = Date.now();
    const stop = (end, message) => {
        throw new WaitError(end, what, lastState, message);
    };
    for (let reads = 0; reads < 1_000_000; reads++) {
        if (signal.aborted)
            stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
        let v;
        try {
            v = await read();
        }
        catch (e) {
            if (signal.aborted)
                stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
            throw e;
        }
        const state = stateOf(v);
        if (state !== lastState) {
            lastState = state;
            lastChange = Date.now();
            onState?.(state);
        }
        if (final(v))
            return v;
        const now = Date.now();
        if (now >= timing.deadline) {
            stop('timeout', `gave up waiting for ${what} at the \`timeout\` deadline; its last state was ${lastState}`);
        }
        if (now - Math.max(lastChange, activity.last) >= timing.idleMs) {
            stop('idle-timeout', `gave up waiting for ${what}: no state change and no log output for ${Math.round(timing.idleMs / 1000)} s (\`idle-timeout\`); its last state was ${lastState}`);
        }
        try {
            await (0,retry/* sleep */.yy)(Math.min(interval, Math.max(0, timing.deadline - now)), signal);
        }
        catch {
            stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
        }
        interval = Math.min(timing.maxIntervalMs, Math.ceil(interval * 1.5));
    }
    return stop('timeout', `gave up waiting for ${what} after too many reads; its last state was ${lastState}`);
}
/** The last lines of a log, kept for the `release-output` output and failure messages. */
class LineTail {
    max;
    lines = [];
    constructor(max = 40) {
        this.max = max;
    }
    push(line) {
        this.lines.push(line);
        if (this.lines.length > this.max)
            this.lines.shift();
    }
    get() {
        return [...this.lines];
    }
}
/**
 * Streams a provider log URL (plain text, chunked, closed by the provider when the job ends) into the job
 * log line by line, neutralized. The URL is a signed one the provider handed out: no token is sent, and the
 * URL itself is never printed. Errors end the stream quietly (the poll reports the outcome).
 */
function streamLog(url, ctx, prefix, tail, activity, requestTimeoutMs) {
    const controller = new AbortController();
    const onAbort = () => controller.abort();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const emit = (line) => {
        const clean = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
        activity.last = Date.now();
        tail.push(clean);
        // ctx.log redacts and neutralizes (src/lib/output.ts): a `::command::` from the provider is shown, not run.
        ctx.log(`${prefix}${clean}`);
    };
    const lines = new output/* LineBuffer */.F0(emit);
    const done = (async () => {
        try {
            let headersIn = false;
            const connected = new AbortController();
            const connectTimer = setTimeout(() => {
                if (!headersIn)
                    connected.abort();
            }, requestTimeoutMs);
            const res = await fetch(url, {
                headers: { 'user-agent': 'deploy-kit-paas-deploy' },
                signal: AbortSignal.any([controller.signal, connected.signal]),
            }).finally(() => clearTimeout(connectTimer));
            headersIn = true;
            if (!res.ok || !res.body)
                return;
            for await (const chunk of res.body)
                lines.push(Buffer.from(chunk));
        }
        catch {
            /* stopped, or the stream broke: the status poll decides the outcome */
        }
        finally {
            lines.flush();
            ctx.signal.removeEventListener('abort', onAbort);
        }
    })();
    return {
        async finish(drainMs) {
            let timer;
            await Promise.race([done, new Promise((r) => (timer = setTimeout(r, drainMs)))]);
            clearTimeout(timer);
            controller.abort();
            await done;
        },
        stop() {
            controller.abort();
        },
    };
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/azure-auth.ts
/**
 * An Entra ID (Azure AD) access token for Azure Resource Manager, with the client-credentials grant: either a
 * client secret, or — preferred — a GitHub OIDC id token (requested from the runner with the audience
 * `api://AzureADTokenExchange`) sent as a federated `client_assertion`. Every request is bounded; the tokens
 * are masked the moment they exist and travel only in a header or a form body, never in a URL that is printed.
 */

const AZURE_OIDC_AUDIENCE = 'api://AzureADTokenExchange';
/** The ARM scope: fixed (it names the resource, not the endpoint a test points `api-url` at). */
const ARM_SCOPE = 'https://management.azure.com/.default';
async function bounded(url, init, deps) {
    const res = await fetch(url, {
        ...init,
        signal: AbortSignal.any([deps.signal, AbortSignal.timeout(deps.requestTimeoutMs)]),
    });
    const text = await res.text();
    let body = text;
    try {
        body = text ? JSON.parse(text) : undefined;
    }
    catch {
        /* not JSON: keep the text */
    }
    return { status: res.status, body };
}
function entraText(body) {
    if (body && typeof body === 'object') {
        const b = body;
        const desc = typeof b.error_description === 'string' ? b.error_description.split('\n')[0] : '';
        return [typeof b.error === 'string' ? b.error : '', desc].filter(Boolean).join(': ').slice(0, 300);
    }
    return String(body ?? '').slice(0, 200);
}
/** Asks the runner for a GitHub OIDC id token for Entra ID's token exchange. */
async function githubOidcToken(oidc, deps) {
    const url = new URL(oidc.requestUrl);
    url.searchParams.set('audience', AZURE_OIDC_AUDIENCE);
    let r;
    try {
        r = await bounded(url.toString(), { headers: { authorization: `Bearer ${oidc.requestToken}`, accept: 'application/json' } }, deps);
    }
    catch (e) {
        if (deps.signal.aborted)
            throw e;
        throw new ProviderError(`could not reach the runner's OIDC endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): ${e.message}`);
    }
    const value = r.body?.value;
    if (r.status !== 200 || typeof value !== 'string' || !value) {
        throw new ProviderError(`the runner's OIDC endpoint returned ${r.status} and no id token. Give the job \`permissions: id-token: write\`, ` +
            'or pass `azure-client-secret` instead.', r.status);
    }
    deps.addSecret(value);
    return value;
}
/** Entra ID client-credentials grant → an ARM access token (masked). */
async function azureAccessToken(cred, deps) {
    const form = new URLSearchParams({
        grant_type: 'client_credentials',
        client_id: cred.clientId,
        scope: ARM_SCOPE,
    });
    let how;
    if (cred.clientSecret) {
        form.set('client_secret', cred.clientSecret);
        how = '`azure-client-secret`';
    }
    else if (cred.oidc) {
        form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
        form.set('client_assertion', await githubOidcToken(cred.oidc, deps));
        how = 'GitHub OIDC (a federated credential on the app registration)';
    }
    else {
        throw new ProviderError('no Azure credential: set `azure-client-secret` or give the job `permissions: id-token: write`');
    }
    const url = `${cred.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(cred.tenantId)}/oauth2/v2.0/token`;
    let r;
    try {
        r = await bounded(url, {
            method: 'POST',
            headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
            body: form.toString(),
        }, deps);
    }
    catch (e) {
        if (deps.signal.aborted)
            throw e;
        throw new ProviderError(`Entra ID token endpoint failed: ${e.message} (is \`azure-login-url\` reachable?)`);
    }
    const body = r.body;
    if (r.status === 200 && typeof body?.access_token === 'string' && body.access_token) {
        deps.addSecret(body.access_token);
        return body.access_token;
    }
    const said = entraText(r.body);
    const fix = r.status === 401 || /invalid_client|AADSTS7000215|AADSTS700213|AADSTS70021/.test(said)
        ? `Entra ID refused ${how} for \`azure-client-id\` ${cred.clientId}: check the client secret (not expired), or that the app registration has a federated credential whose subject matches this repository, branch or environment`
        : /AADSTS90002|tenant/i.test(said)
            ? `check \`azure-tenant-id\` (${cred.tenantId}): Entra ID does not know that tenant`
            : /AADSTS700016|not found in the directory/i.test(said)
                ? `check \`azure-client-id\` (${cred.clientId}): no such application in tenant ${cred.tenantId}`
                : 'check `azure-tenant-id`, `azure-client-id` and the credential';
    throw new ProviderError(`Entra ID token request returned ${r.status}${said ? ` (${said})` : ''}. ${fix}.`, r.status);
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/azure.ts
/**
 * Azure App Service (Web App for Containers) through Azure Resource Manager, api-version 2024-11-01
 * (Microsoft.Web `WebApps.json`): the container image is the site config's `linuxFxVersion`
 * (`DOCKER|<image@digest>`), set with `PATCH …/config/web` on a staging slot (or on production without
 * `slot`); app settings are read with `POST …/config/appsettings/list` and written back merged with
 * `PUT …/config/appsettings`; the instances (`GET …/instances`) are polled until they run the new container;
 * after the gate passes the slot is swapped into production (`POST …/slotsswap {targetSlot}`, a long-running
 * operation polled through its `Azure-AsyncOperation` / `Location` header). Rollback with a slot is the swap
 * back (the previous production sits in the slot after a swap); without a slot it re-pins the
 * `linuxFxVersion` read before the change. What production runs is always read back, never assumed.
 * App Service has no release phase.
 */


const AZURE_API_VERSION = '2024-11-01';
/** `DOCKER|ghcr.io/a/b@sha256:…` → the image reference (or the raw value for non-container stacks). */
function imageOfFx(fx) {
    if (!fx)
        return undefined;
    return fx.toUpperCase().startsWith('DOCKER|') ? fx.slice('DOCKER|'.length) : fx;
}
const digestOf = (image) => image?.split('@')[1];
function info(image, where, status) {
    if (!image)
        return undefined;
    const digest = digestOf(image);
    return { id: image, label: where, status, ...(digest ? { artifact: `image ${digest}` } : {}) };
}
const FIELDS = ['linuxFxVersion', 'targetSlot', 'preserveVnet', 'properties', 'appSettings'];
class AzureProvider {
    deps;
    name = 'azure';
    /** The staging slot, when the deploy goes there first (run.ts then gates it and calls finalize). */
    staging;
    client;
    lastErrorBody;
    constructor(deps) {
        this.deps = deps;
        this.staging = deps.target.slot;
    }
    api() {
        this.client ??= azureAccessToken(this.deps.credentials, {
            requestTimeoutMs: this.deps.requestTimeoutMs,
            signal: this.deps.ctx.signal,
            addSecret: this.deps.addSecret,
        }).then((token) => new ApiClient({
            baseUrl: this.deps.armUrl,
            token,
            requestTimeoutMs: this.deps.requestTimeoutMs,
            signal: this.deps.ctx.signal,
            hints: { provider: 'Azure Resource Manager', token: 'an Entra ID access token', resource: 'the web app' },
            errorText: (b) => {
                this.lastErrorBody = b;
                const e = b?.error;
                return e ? [e.code, e.message].filter((x) => typeof x === 'string').join(': ') : undefined;
            },
        }));
        return this.client;
    }
    site(app) {
        const t = this.deps.target;
        return (`/subscriptions/${encodeURIComponent(t.subscriptionId)}/resourceGroups/${encodeURIComponent(t.resourceGroup)}` +
            `/providers/Microsoft.Web/sites/${encodeURIComponent(app)}`);
    }
    scope(app, slot) {
        return slot ? `${this.site(app)}/slots/${encodeURIComponent(slot)}` : this.site(app);
    }
    where(slot) {
        return slot ? `slot ${slot}` : 'production';
    }
    /** Maps ARM errors onto messages naming the Azure inputs to fix. */
    explain(e, method, path, app) {
        if (!(e instanceof ProviderError) || e.status === undefined)
            return e;
        const body = this.lastErrorBody;
        const err = body?.error;
        const said = err ? `${err.code ?? ''}${err.message ? `: ${err.message}` : ''}`.slice(0, 300) : '';
        const t = this.deps.target;
        const what = `ARM ${method} ${path.split('?')[0].replace(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web/, '…')}`;
        const sayit = said ? ` (${said})` : '';
        switch (e.status) {
            case 401:
                return new ProviderError(`${what} returned 401${sayit}. Azure Resource Manager did not accept the Entra ID token of \`azure-client-id\` ` +
                    `${this.deps.credentials.clientId}: check that \`azure-tenant-id\` is the tenant of subscription \`azure-subscription-id\` ${t.subscriptionId}.`, 401);
            case 403:
                return new ProviderError(`${what} returned 403${sayit}. The service principal \`azure-client-id\` ${this.deps.credentials.clientId} may not act on ` +
                    `web app \`${app}\`: give it the "Website Contributor" role (or Contributor) on the app or on resource group \`${t.resourceGroup}\`.`, 403);
            case 404:
                return new ProviderError(`${what} returned 404${sayit}. Check \`app\` (web app \`${app}\`), \`azure-resource-group\` (\`${t.resourceGroup}\`)` +
                    `${t.slot ? `, \`slot\` (\`${t.slot}\`)` : ''} and \`azure-subscription-id\` (${t.subscriptionId}); the service principal may also lack read access to it.`, 404);
            case 400:
            case 409:
            case 422: {
                const field = err?.target ??
                    err?.details?.find((d) => d.target)?.target ??
                    FIELDS.find((f) => (err?.message ?? '').includes(f));
                return new ProviderError(`${what} returned ${e.status}: Azure rejected ${field ? `the field \`${field}\`` : 'the request'}${sayit}. Fix the input that sets it and retry.`, e.status);
            }
            default:
                return e;
        }
    }
    async arm(method, path, app, body) {
        const api = await this.api();
        const sep = path.includes('?') ? '&' : '?';
        try {
            return await api.request(method, `${path}${sep}api-version=${AZURE_API_VERSION}`, body, {
                retryWrites: method === 'PUT' || method === 'PATCH',
            });
        }
        catch (e) {
            throw this.explain(e, method, path, app);
        }
    }
    async imageIn(app, slot) {
        const r = await this.arm('GET', `${this.scope(app, slot)}/config/web`, app);
        return imageOfFx(r.data?.properties?.linuxFxVersion);
    }
    async current(app) {
        const site = (await this.arm('GET', this.site(app), app)).data;
        return info(await this.imageIn(app, undefined), 'production', site?.properties?.state ?? 'unknown');
    }
    async previous(app, current) {
        // After a swap the image that served before sits in the staging slot; without a slot there is no history.
        if (!this.staging)
            return undefined;
        const inSlot = await this.imageIn(app, this.staging);
        return inSlot && inSlot !== current?.id ? info(inSlot, this.where(this.staging), 'in slot') : undefined;
    }
    async appUrl(app) {
        const host = (await this.arm('GET', this.site(app), app)).data?.properties?.defaultHostName;
        return host ? `https://${host}` : undefined;
    }
    async setConfig(app, vars) {
        const scope = this.scope(app, this.staging);
        const now = (await this.arm('POST', `${scope}/config/appsettings/list`, app)).data?.properties;
        const current = now ?? {};
        const changed = Object.keys(vars).filter((k) => current[k] !== vars[k]);
        if (changed.length) {
            // PUT replaces every setting: send the merged set so nothing else is lost.
            await this.arm('PUT', `${scope}/config/appsettings`, app, { properties: { ...current, ...vars } });
        }
        this.deps.ctx.log(changed.length
            ? `app settings: set ${changed.join(', ')} on ${this.where(this.staging)} of \`${app}\` (values masked)`
            : `app settings: ${Object.keys(vars).length} already set on ${this.where(this.staging)} of \`${app}\``);
        return undefined;
    }
    /** Points `slot` (or production) at `image` and waits until its instances run it. */
    async pin(app, slot, image) {
        const { ctx } = this.deps;
        const scope = this.scope(app, slot);
        await this.arm('PATCH', `${scope}/config/web`, app, { properties: { linuxFxVersion: `DOCKER|${image}` } });
        ctx.log(`${this.where(slot)} of \`${app}\`: linuxFxVersion set to DOCKER|${image}; waiting for its container`);
        const summary = (c) => {
            const states = (c.value ?? []).map((i) => i.properties?.state ?? 'UNKNOWN');
            if (states.length === 0)
                return 'no instances';
            if (states.some((s) => s === 'STOPPED'))
                return 'STOPPED';
            return states.every((s) => s === 'READY') ? 'READY' : 'UNKNOWN';
        };
        const final = await waitFor(`the container of ${image} in ${this.where(slot)} of \`${app}\``, async () => (await this.arm('GET', `${scope}/instances`, app)).data, summary, (c) => ['READY', 'STOPPED'].includes(summary(c)), this.deps.timing(), ctx.signal, undefined, (s) => ctx.log(`${this.where(slot)} instances: ${s}`), 'restarting');
        const running = await this.imageIn(app, slot);
        const state = summary(final);
        if (state === 'READY' && running === image) {
            return { kind: 'ok', release: info(image, this.where(slot), 'READY'), providerStatus: 'READY', output: [] };
        }
        return {
            kind: 'build-failed',
            release: info(image, this.where(slot), state),
            providerStatus: state,
            output: [],
            message: state === 'READY'
                ? `${this.where(slot)} of \`${app}\` reports ${running ?? 'no image'}, not ${image}`
                : `the container of ${image} did not start in ${this.where(slot)} of \`${app}\` (instance state ${state})`,
        };
    }
    async deploy(app, req) {
        const { ctx } = this.deps;
        if (!req.image)
            throw new ProviderError('Azure deploys need `image` (name@sha256:…)');
        if (req.releaseCommand) {
            ctx.warn(`release-command \`${req.releaseCommand}\` was NOT run: Azure App Service has no release phase (allow-no-release-phase is true)`, 'paas-deploy');
        }
        // Read the target first: a missing slot is a 404 naming `slot` before anything changes.
        await this.arm('GET', this.scope(app, this.staging), app);
        if (this.staging) {
            const o = await this.pin(app, this.staging, req.image);
            if (o.kind !== 'ok')
                o.message = `${o.message}; nothing was swapped, production was not touched`;
            return o;
        }
        const before = await this.imageIn(app, undefined);
        const o = await this.pin(app, undefined, req.image);
        if (o.kind !== 'ok' && before) {
            // Straight to production and the container did not start: put back what ran before, and say so.
            ctx.log(`re-pinning production of \`${app}\` to ${before}`);
            const back = await this.pin(app, undefined, before);
            o.message =
                `${o.message}; production was re-pinned to ${before}` +
                    (back.kind === 'ok' ? ' and runs it again' : ` but it reports ${back.providerStatus}`);
        }
        return o;
    }
    /** POST …/slotsswap {targetSlot} and poll the long-running operation until it ends. */
    async swap(app) {
        const { ctx } = this.deps;
        const slot = this.staging;
        const r = await this.arm('POST', `${this.site(app)}/slotsswap`, app, {
            targetSlot: slot,
            preserveVnet: true,
        });
        if (r.status === 200)
            return 'Succeeded';
        const async = r.headers.get('azure-asyncoperation');
        const location = r.headers.get('location');
        const pollUrl = async ?? location;
        if (!pollUrl)
            throw new ProviderError(`Azure accepted the swap of slot ${slot} (202) but gave no operation to poll`);
        const base = new URL(this.deps.armUrl);
        const u = new URL(pollUrl);
        if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname.replace(/\/+$/, ''))) {
            // The bearer token goes only to `api-url`.
            throw new ProviderError(`Azure's swap operation URL is not under \`api-url\` (${base.origin}); not following it`);
        }
        const rel = `${u.pathname.slice(base.pathname.replace(/\/+$/, '').length)}${u.search}`;
        const api = await this.api();
        ctx.log(`swapping slot ${slot} of \`${app}\` into production (long-running operation)`);
        const end = await waitFor(`the swap of slot ${slot} into production of \`${app}\``, async () => {
            try {
                const p = await api.request('GET', rel);
                if (async)
                    return { state: p.data?.status ?? 'unknown', error: p.data?.error?.message };
                return { state: p.status === 202 ? 'InProgress' : 'Succeeded', error: undefined };
            }
            catch (e) {
                throw this.explain(e, 'GET', rel, app);
            }
        }, (s) => s.state, (s) => ['Succeeded', 'Failed', 'Canceled'].includes(s.state), this.deps.timing(), ctx.signal, undefined, (s) => ctx.log(`swap: ${s}`), 'InProgress');
        if (end.state !== 'Succeeded') {
            throw new ProviderError(`the swap of slot ${slot} into production of \`${app}\` ended ${end.state}${end.error ? `: ${end.error}` : ''}`);
        }
        return end.state;
    }
    /** After the slot passed its gate: swap it into production and read back what production runs. */
    async finalize(app) {
        if (!this.staging)
            return undefined;
        const expected = await this.imageIn(app, this.staging);
        return this.swapAndCheck(app, expected, (prod) => `after the swap production of \`${app}\` runs ${prod ?? 'nothing'}, not ${expected ?? 'the slot image'}`);
    }
    /** Swaps the slot into production, then reads back what production runs: `expected`, or deploy-failed. */
    async swapAndCheck(app, expected, mismatch) {
        let state;
        try {
            state = await this.swap(app);
        }
        catch (e) {
            if (!(e instanceof ProviderError) || this.deps.ctx.signal.aborted)
                throw e;
            return { kind: 'deploy-failed', providerStatus: 'swap failed', output: [], message: e.message };
        }
        const prod = await this.imageIn(app, undefined);
        const release = info(prod, 'production', `swap ${state}`);
        if (prod === expected)
            return { kind: 'ok', ...(release ? { release } : {}), providerStatus: `swap ${state}`, output: [] };
        return {
            kind: 'deploy-failed',
            ...(release ? { release } : {}),
            providerStatus: `swap ${state}`,
            output: [],
            message: mismatch(prod),
        };
    }
    async rollback(app, to) {
        if (this.staging) {
            const inSlot = await this.imageIn(app, this.staging);
            if (inSlot !== to) {
                throw new ProviderError(`slot ${this.staging} of \`${app}\` runs ${inSlot ?? 'nothing'}, not ${to}: a swap back would not restore it (set \`rollback-to\` to what the slot runs, or deploy ${to})`);
            }
            this.deps.ctx.log(`swapping back: ${to} (in slot ${this.staging}) into production of \`${app}\``);
            return this.swapAndCheck(app, to, (prod) => `after swapping back production runs ${prod ?? 'nothing'}, not ${to}`);
        }
        if (!digestOf(to))
            throw new ProviderError(`\`rollback-to\` ${to} must be an image pinned by digest (name@sha256:…)`);
        this.deps.ctx.log(`re-pinning production of \`${app}\` to ${to}`);
        return this.pin(app, undefined, to);
    }
    async promote(from, to, req) {
        if (!req.image)
            throw new ProviderError('Azure promotion needs `image` (name@sha256:…)');
        const running = await this.imageIn(from, undefined);
        if (digestOf(running) !== digestOf(req.image)) {
            throw new ProviderError(`\`image\` ${digestOf(req.image)} is not what production of \`${from}\` runs (${running ?? 'nothing'}); promotion deploys the tested digest only`);
        }
        this.deps.ctx.log(`promoting ${req.image} from \`${from}\` to \`${to}\`${this.staging ? ` (slot ${this.staging})` : ''}`);
        return this.deploy(to, req);
    }
}

// EXTERNAL MODULE: ./src/lib/oci/reference.ts
var reference = __webpack_require__(996);
;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/digitalocean.ts
/**
 * DigitalOcean App Platform (https://docs.digitalocean.com/reference/api/api-reference/#tag/Apps): an app
 * whose service components run an image is deployed by digest by updating its spec (`PUT /v2/apps/{id}`:
 * `image.digest` of every component of that repository, the PRE_DEPLOY job's too, the `config` envs), which
 * makes a deployment; the deployment is polled through `PENDING_BUILD → BUILDING → PENDING_DEPLOY →
 * DEPLOYING → ACTIVE` (or `ERROR` / `CANCELED`, with the failing step in `progress.steps`) while its build
 * and deploy logs (`GET …/deployments/{id}/logs` → `live_url`) stream into the job log. Rollback is
 * `POST /v2/apps/{id}/rollback {deployment_id}` followed by `rollback/commit` (or `rollback/revert` when the
 * rollback deployment fails), so the app is not left pinned.
 */


const DO_TOKEN_HINT = 'a DigitalOcean personal access token with the `app:read` and `app:update` scopes (or full write)';
const FINAL = new Set(['ACTIVE', 'ERROR', 'CANCELED', 'SUPERSEDED']);
function digitaloceanClient(opts) {
    return new ApiClient({
        ...opts,
        hints: { provider: 'DigitalOcean', token: DO_TOKEN_HINT, resource: `app \`${opts.app}\`` },
        errorField: (b) => {
            const msg = b && typeof b === 'object' ? String(b.message ?? '') : '';
            return /\b(spec(?:\.[\w[\]]+)+|deployment_id|digest|run_command)\b/.exec(msg)?.[1];
        },
    });
}
/** How App Platform names an image: registry type, registry (namespace), repository, digest. */
function doImageOf(ref) {
    const r = (0,reference/* parseImageRef */.Q)(ref);
    if (!r.digest)
        throw new ProviderError(`image ${ref} has no digest`);
    const parts = r.repository.split('/');
    const repository = parts.pop();
    const namespace = parts.join('/');
    if (r.registry === 'ghcr.io')
        return { registry_type: 'GHCR', registry: namespace, repository, digest: r.digest };
    if (r.registry === 'registry.digitalocean.com')
        return { registry_type: 'DOCR', registry: '', repository, digest: r.digest };
    if (r.registry === 'docker.io')
        return { registry_type: 'DOCKER_HUB', registry: namespace, repository, digest: r.digest };
    throw new ProviderError(`image registry ${r.registry} is not one App Platform pulls from (ghcr.io, registry.digitalocean.com, docker.io)`);
}
function sameRepo(a, b) {
    return (!!a &&
        a.registry_type === b.registry_type &&
        a.repository === b.repository &&
        (a.registry ?? '') === (b.registry ?? ''));
}
function digestsOf(spec) {
    return [...(spec?.services ?? []), ...(spec?.workers ?? [])]
        .map((c) => c.image?.digest)
        .filter((d) => !!d);
}
function digitalocean_info(d) {
    const digests = [...new Set(digestsOf(d.spec))];
    return {
        id: d.id,
        label: d.id,
        status: d.phase ?? 'UNKNOWN',
        ...(digests.length ? { artifact: `image ${digests.join(', ')}` } : {}),
        ...(d.cause ? { description: d.cause } : {}),
    };
}
/** The step that failed, depth first, with the path of step names that leads to it. */
function failedStep(steps, path = []) {
    for (const s of steps ?? []) {
        const here = [...path, s.name ?? ''];
        const inner = failedStep(s.steps, here);
        if (inner)
            return inner;
        if (s.status === 'ERROR')
            return { step: s, path: here };
    }
    return undefined;
}
class DigitalOceanProvider {
    deps;
    name = 'digitalocean';
    api;
    pendingEnvs = {};
    constructor(deps) {
        this.deps = deps;
        this.api = deps.api;
    }
    path(app) {
        return `/v2/apps/${encodeURIComponent(app)}`;
    }
    async app(app) {
        const r = (await this.api.request('GET', this.path(app))).data;
        if (!r?.app)
            throw new ProviderError(`DigitalOcean GET app \`${app}\` returned no app`);
        return r.app;
    }
    async deployments(app) {
        const r = (await this.api.request('GET', `${this.path(app)}/deployments?per_page=50`)).data;
        return r.deployments ?? [];
    }
    async current(app) {
        const a = await this.app(app);
        return a.active_deployment?.id ? digitalocean_info(a.active_deployment) : undefined;
    }
    async previous(app, current) {
        const list = await this.deployments(app);
        const at = current ? list.findIndex((d) => d.id === current.id) : -1;
        // SUPERSEDED: a deployment that was active and was replaced by a newer one.
        const prev = list.slice(at + 1).find((d) => d.phase === 'SUPERSEDED');
        return prev ? digitalocean_info(prev) : undefined;
    }
    async appUrl(app) {
        return (await this.app(app)).live_url;
    }
    async setConfig(app, vars) {
        // Applied with the image in the one spec update of deploy(): one deployment, config and code together.
        this.pendingEnvs = { ...vars };
        this.deps.ctx.log(`config: ${Object.keys(vars).join(', ')} go into the spec update of \`${app}\` (SECRET, values masked)`);
        return undefined;
    }
    async deploy(app, req) {
        const { ctx } = this.deps;
        if (!req.image)
            throw new ProviderError('DigitalOcean deploys need `image` (name@sha256:…)');
        const want = doImageOf(req.image);
        const a = await this.app(app);
        if (a.pinned_deployment?.id) {
            throw new ProviderError(`app \`${app}\` is pinned to rollback deployment ${a.pinned_deployment.id}; commit or revert that rollback first`);
        }
        const spec = JSON.parse(JSON.stringify(a.spec));
        const runners = [...(spec.services ?? []), ...(spec.workers ?? [])].filter((c) => sameRepo(c.image, want));
        if (runners.length === 0) {
            throw new ProviderError(`no service or worker of app \`${app}\` runs ${want.registry_type} ${want.registry ? `${want.registry}/` : ''}${want.repository}; \`image\` must be the repository the app's components use`);
        }
        for (const c of runners) {
            c.image = { ...c.image, digest: want.digest };
            delete c.image.tag;
            for (const [key, value] of Object.entries(this.pendingEnvs)) {
                const envs = (c.envs ??= []);
                const e = envs.find((x) => x.key === key);
                if (e)
                    Object.assign(e, { value, type: 'SECRET' });
                else
                    envs.push({ key, value, type: 'SECRET', scope: 'RUN_AND_BUILD_TIME' });
            }
        }
        // The release phase is a PRE_DEPLOY job; it runs the new image, so its digest moves with the services'.
        const jobs = (spec.jobs ??= []);
        let pre = jobs.find((j) => j.kind === 'PRE_DEPLOY');
        if (req.releaseCommand) {
            if (!pre) {
                pre = {
                    name: 'release',
                    kind: 'PRE_DEPLOY',
                    image: { ...runners[0].image },
                    run_command: req.releaseCommand,
                    instance_count: 1,
                };
                if (runners[0].instance_size_slug)
                    pre.instance_size_slug = runners[0].instance_size_slug;
                jobs.push(pre);
            }
            pre.run_command = req.releaseCommand;
        }
        if (pre && sameRepo(pre.image, want)) {
            pre.image = { ...pre.image, digest: want.digest };
            delete pre.image.tag;
        }
        if (jobs.length === 0)
            delete spec.jobs;
        ctx.log(pre
            ? `release phase: PRE_DEPLOY job \`${pre.name}\` runs \`${pre.run_command ?? '(its image command)'}\``
            : 'release phase: none (the app has no PRE_DEPLOY job and `release-command` is empty)');
        const updated = (await this.api.request('PUT', this.path(app), { spec })).data.app;
        let dep = updated?.in_progress_deployment ?? updated?.pending_deployment;
        if (!dep?.id) {
            dep = (await this.deployments(app)).find((d) => d.id !== a.active_deployment?.id && !FINAL.has(d.phase ?? ''));
        }
        if (!dep?.id)
            throw new ProviderError(`DigitalOcean accepted the spec of \`${app}\` but no deployment was started`);
        ctx.log(`deployment ${dep.id} of ${req.image} on \`${app}\`: ${dep.phase ?? 'PENDING_BUILD'}`);
        return this.waitDeployment(app, dep, pre?.name);
    }
    async logUrl(app, dep, type) {
        try {
            const r = (await this.api.request('GET', `${this.path(app)}/deployments/${encodeURIComponent(dep)}/logs?type=${type}&follow=true`)).data;
            return r.live_url || r.historic_urls?.[0];
        }
        catch (e) {
            if (this.deps.ctx.signal.aborted)
                throw e;
            this.deps.ctx.log(`${type.toLowerCase()} logs unavailable: ${e.message.split('.')[0]}`);
            return undefined;
        }
    }
    async waitDeployment(app, dep, preDeployJob) {
        const { ctx } = this.deps;
        const tail = new LineTail();
        const activity = { last: Date.now() };
        const streams = [];
        const opened = new Set();
        const open = async (type) => {
            if (opened.has(type))
                return;
            opened.add(type);
            const url = await this.logUrl(app, dep.id, type);
            if (url)
                streams.push(streamLog(url, ctx, `${type.toLowerCase()} | `, tail, activity, this.deps.requestTimeoutMs));
        };
        let final;
        try {
            await open('BUILD');
            final = await waitFor(`deployment ${dep.id} of app \`${app}\``, async () => {
                const d = (await this.api.request('GET', `${this.path(app)}/deployments/${encodeURIComponent(dep.id)}`)).data.deployment;
                if (['PENDING_DEPLOY', 'DEPLOYING'].includes(d.phase ?? ''))
                    await open('DEPLOY');
                return d;
            }, (d) => d.phase ?? 'UNKNOWN', (d) => FINAL.has(d.phase ?? ''), this.deps.timing(), ctx.signal, activity, (s) => ctx.log(`deployment ${dep.id}: ${s}`), dep.phase ?? 'PENDING_BUILD');
        }
        catch (e) {
            for (const s of streams)
                s.stop();
            throw e;
        }
        await Promise.all(streams.map((s) => s.finish(this.deps.drainMs)));
        const phase = final.phase;
        if (phase === 'ACTIVE')
            return { kind: 'ok', release: digitalocean_info(final), providerStatus: phase, output: tail.get() };
        const failed = failedStep(final.progress?.steps);
        const where = failed
            ? `${failed.path.filter(Boolean).join(' > ')}${failed.step.component_name ? ` (${failed.step.component_name})` : ''}`
            : 'unknown step';
        const reason = failed?.step.reason?.message ? `: ${failed.step.reason.message}` : '';
        let kind = 'deploy-failed';
        if (failed && preDeployJob && failed.step.component_name === preDeployJob)
            kind = 'release-phase-failed';
        else if (failed?.path[0] === 'build')
            kind = 'build-failed';
        const messages = {
            ok: '',
            'build-failed': `deployment ${final.id} failed in the build (${where}${reason}); the active deployment keeps serving`,
            'release-phase-failed': `the PRE_DEPLOY job \`${preDeployJob}\` of deployment ${final.id} failed${reason}; App Platform did not roll out the new version, the active deployment keeps serving`,
            'deploy-failed': `deployment ${final.id} ended ${phase} at ${where}${reason}; the active deployment keeps serving`,
        };
        return { kind, release: digitalocean_info(final), providerStatus: phase, output: tail.get(), message: messages[kind] };
    }
    async rollback(app, to) {
        const { ctx } = this.deps;
        ctx.log(`rolling \`${app}\` back to deployment ${to}`);
        const dep = (await this.api.request('POST', `${this.path(app)}/rollback`, {
            deployment_id: to,
            skip_pin: false,
        })).data.deployment;
        const out = await this.waitDeployment(app, dep);
        // A rollback pins the app; commit it when it went live (the rolled-back spec becomes the app's),
        // revert it otherwise (back to the spec before the rollback), so later deploys are not blocked.
        if (out.kind === 'ok') {
            await this.api.request('POST', `${this.path(app)}/rollback/commit`);
            ctx.log(`rollback deployment ${dep.id} committed (app unpinned)`);
        }
        else {
            await this.api.request('POST', `${this.path(app)}/rollback/revert`);
            ctx.log(`rollback deployment ${dep.id} failed; rollback reverted (app unpinned)`);
        }
        return out;
    }
    async promote(from, to, req) {
        if (!req.image)
            throw new ProviderError('DigitalOcean promotion needs `image` (name@sha256:…)');
        const digest = req.image.split('@')[1];
        const source = await this.app(from);
        const running = digestsOf(source.active_deployment?.spec);
        if (!running.includes(digest)) {
            throw new ProviderError(`\`image\` ${digest} is not what \`${from}\` runs (${running.join(', ') || 'no image digest'}); promotion deploys the tested digest only`);
        }
        this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deployment ${source.active_deployment.id}) to \`${to}\``);
        return this.deploy(to, req);
    }
}

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __webpack_require__(24);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __webpack_require__(760);
;// CONCATENATED MODULE: ./src/core/paas-deploy/tarball.ts
/**
 * A gzipped ustar archive of a source directory, for providers that build from an uploaded tarball (Heroku
 * sources + builds). Written here in a few lines so no `tar` process or shell is involved; `.git` is left out,
 * entries are sorted and timestamps fixed so the same tree gives the same bytes (and the same checksum).
 */


const MTIME = 1_600_000_000;
const MAX_BYTES = 512 * 1024 * 1024;
function octal(n, width) {
    return n.toString(8).padStart(width - 1, '0') + '\0';
}
function header(name, size, mode, type, link = '') {
    const h = Buffer.alloc(512, 0);
    let prefix = '';
    let base = name;
    if (Buffer.byteLength(name) > 100) {
        const cut = name.lastIndexOf('/', 155);
        if (cut <= 0 || Buffer.byteLength(name.slice(cut + 1)) > 100) {
            throw new Error(`source: path "${name.slice(0, 80)}…" is too long for a tar entry (100 + 155 bytes)`);
        }
        prefix = name.slice(0, cut);
        base = name.slice(cut + 1);
    }
    h.write(base, 0, 100, 'utf8');
    h.write(octal(mode & 0o7777, 8), 100, 8, 'ascii');
    h.write(octal(0, 8), 108, 8, 'ascii');
    h.write(octal(0, 8), 116, 8, 'ascii');
    h.write(octal(size, 12), 124, 12, 'ascii');
    h.write(octal(MTIME, 12), 136, 12, 'ascii');
    h.write('        ', 148, 8, 'ascii');
    h.write(type, 156, 1, 'ascii');
    h.write(link, 157, 100, 'utf8');
    h.write('ustar\0', 257, 6, 'ascii');
    h.write('00', 263, 2, 'ascii');
    h.write(prefix, 345, 155, 'utf8');
    let sum = 0;
    for (const b of h)
        sum += b;
    h.write(octal(sum, 7) + ' ', 148, 8, 'ascii');
    return h;
}
/**
 * Archives `dir` (without `.git`). `replace` swaps a top-level file's content (e.g. a Procfile with the
 * release line added) without touching the directory.
 */
function makeSourceTarball(dir, replace = {}) {
    const parts = [];
    let total = 0;
    let files = 0;
    const seen = new Set();
    const walk = (rel) => {
        const abs = rel ? (0,external_node_path_.join)(dir, rel) : dir;
        for (const name of (0,external_node_fs_.readdirSync)(abs).sort()) {
            if (!rel && name === '.git')
                continue;
            const r = rel ? `${rel}/${name}` : name;
            const st = (0,external_node_fs_.lstatSync)((0,external_node_path_.join)(dir, r));
            if (st.isDirectory()) {
                parts.push(header(`${r}/`, 0, 0o755, '5'));
                walk(r);
            }
            else if (st.isSymbolicLink()) {
                parts.push(header(r, 0, 0o777, '2', (0,external_node_fs_.readlinkSync)((0,external_node_path_.join)(dir, r))));
            }
            else if (st.isFile()) {
                const content = Object.hasOwn(replace, r) ? Buffer.from(replace[r]) : (0,external_node_fs_.readFileSync)((0,external_node_path_.join)(dir, r));
                seen.add(r);
                total += content.length;
                if (total > MAX_BYTES)
                    throw new Error(`source: ${dir} holds more than ${MAX_BYTES / 1024 / 1024} MiB`);
                parts.push(header(r, content.length, st.mode & 0o111 ? 0o755 : 0o644, '0'), content);
                const pad = (512 - (content.length % 512)) % 512;
                if (pad)
                    parts.push(Buffer.alloc(pad));
                files++;
            }
        }
    };
    walk('');
    for (const [name, text] of Object.entries(replace)) {
        if (seen.has(name))
            continue;
        const content = Buffer.from(text);
        parts.push(header(name, content.length, 0o644, '0'), content);
        const pad = (512 - (content.length % 512)) % 512;
        if (pad)
            parts.push(Buffer.alloc(pad));
        files++;
    }
    parts.push(Buffer.alloc(1024));
    // node:zlib and node:crypto on first use: loading them at start costs every paas-deploy step.
    const bytes = process.getBuiltinModule('node:zlib').gzipSync(Buffer.concat(parts), { level: 6 });
    return {
        bytes,
        sha256: `SHA256:${process.getBuiltinModule('node:crypto').createHash('sha256').update(bytes).digest('hex')}`,
        files,
    };
}
/** Reads one regular file out of an (un-gzipped) ustar archive; used to check what was uploaded. */
function readTarEntry(tar, wanted) {
    for (let off = 0; off + 512 <= tar.length;) {
        const h = tar.subarray(off, off + 512);
        if (h.every((b) => b === 0))
            return undefined;
        const str = (a, n) => h
            .subarray(a, a + n)
            .toString('utf8')
            .replace(/\0.*$/s, '');
        const name = [str(345, 155), str(0, 100)].filter(Boolean).join('/');
        const size = parseInt(str(124, 12).trim() || '0', 8);
        const body = off + 512;
        if (name === wanted && (str(156, 1) === '0' || str(156, 1) === ''))
            return tar.subarray(body, body + size);
        off = body + Math.ceil(size / 512) * 512;
    }
    return undefined;
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/heroku.ts
/**
 * Heroku Platform API v3 (https://devcenter.heroku.com/articles/platform-api-reference): a source tarball
 * uploaded through `POST /sources`, built by `POST /apps/{app}/builds` (output streamed from the build's
 * `output_stream_url`), its release waited for through the release phase (`status` pending → succeeded |
 * failed, output from the release's `output_stream_url`); rollback is `POST /apps/{app}/releases
 * {release}`; promotion of a given slug is `POST /apps/{to}/releases {slug}` (Dev Center "Copying Slugs with
 * the Platform API"), without one `POST /pipeline-promotions` (whatever the source app serves at that moment);
 * either way the slug is copied, never rebuilt.
 */





const HEROKU_ACCEPT = 'application/vnd.heroku+json; version=3';
const HEROKU_TOKEN_HINT = 'a Heroku API key or OAuth token (`heroku authorizations:create`) with the `write-protected` scope (`global` for pipeline promotion)';
const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
function herokuClient(opts) {
    return new ApiClient({
        ...opts,
        headers: { accept: HEROKU_ACCEPT },
        hints: { provider: 'Heroku', token: HEROKU_TOKEN_HINT, resource: `app \`${opts.app}\`` },
        errorText: (b) => b && typeof b === 'object' && typeof b.message === 'string'
            ? b.message
            : undefined,
        errorField: (b) => {
            const msg = b && typeof b === 'object' ? String(b.message ?? '') : '';
            const m = /property '([\w.]+)'/.exec(msg) ??
                /Invalid params?:?\s*\/?([A-Za-z_][\w.[\]/]*)/i.exec(msg) ??
                /\b(source_blob(?:\.\w+)?|release|slug|pipeline|targets)\b/.exec(msg);
            return m?.[1]?.replace(/\//g, '.');
        },
    });
}
function heroku_info(r) {
    return {
        id: r.id,
        label: `v${r.version}`,
        status: r.status,
        ...(r.slug?.id ? { artifact: `slug ${r.slug.id}`, slug: r.slug.id } : {}),
        ...(r.description ? { description: r.description } : {}),
    };
}
/**
 * The Procfile that goes into the tarball: `release-command` added as the `release:` process when the
 * Procfile has none; refused when the Procfile already names a different one (Heroku reads the release
 * phase from the Procfile only, so two sources of truth would silently disagree).
 */
function procfileWithRelease(dir, releaseCommand) {
    const path = (0,external_node_path_.join)(dir, 'Procfile');
    const text = (0,external_node_fs_.existsSync)(path) ? (0,external_node_fs_.readFileSync)(path, 'utf8') : undefined;
    const existing = text
        ?.split(/\r?\n/)
        .map((l) => /^release\s*:\s*(.*)$/.exec(l.trim())?.[1]?.trim())
        .find((v) => v !== undefined);
    if (!releaseCommand)
        return { ...(existing ? { release: existing } : {}) };
    if (existing !== undefined) {
        if (existing !== releaseCommand.trim()) {
            throw new ProviderError(`release-command "${releaseCommand}" differs from the Procfile's \`release: ${existing}\` in \`source\`; ` +
                'Heroku runs the Procfile one: make them agree or leave `release-command` empty');
        }
        return { release: existing };
    }
    const base = text === undefined ? '' : text.endsWith('\n') || text === '' ? text : `${text}\n`;
    return { text: `${base}release: ${releaseCommand.trim()}\n`, release: releaseCommand.trim() };
}
class HerokuProvider {
    deps;
    name = 'heroku';
    api;
    plan;
    constructor(deps) {
        this.deps = deps;
        this.api = deps.api;
    }
    app(app) {
        return `/apps/${encodeURIComponent(app)}`;
    }
    async releases(app) {
        const list = await getList(this.api, `${this.app(app)}/releases`, `releases of \`${app}\``, {
            headers: { range: 'version ..; order=desc, max=100' },
        });
        return list.sort((a, b) => b.version - a.version);
    }
    async current(app) {
        const cur = (await this.releases(app)).find((r) => r.current);
        return cur ? heroku_info(cur) : undefined;
    }
    async previous(app, current) {
        const list = await this.releases(app);
        const curVersion = list.find((r) => r.id === current?.id)?.version ?? Infinity;
        const prev = list.find((r) => r.version < curVersion && r.status === 'succeeded' && r.slug?.id);
        return prev ? heroku_info(prev) : undefined;
    }
    async appUrl(app) {
        const r = await this.api.request('GET', this.app(app));
        return r.data.web_url ?? undefined;
    }
    async setConfig(app, vars) {
        const now = (await this.api.request('GET', `${this.app(app)}/config-vars`)).data;
        const changed = Object.fromEntries(Object.entries(vars).filter(([k, v]) => now[k] !== v));
        const keys = Object.keys(changed);
        if (keys.length === 0) {
            this.deps.ctx.log(`config: ${Object.keys(vars).length} var(s) already set on \`${app}\`; no config release`);
            return undefined;
        }
        const before = (await this.releases(app))[0]?.version ?? 0;
        await this.api.request('PATCH', `${this.app(app)}/config-vars`, changed);
        this.deps.ctx.log(`config: set ${keys.join(', ')} on \`${app}\` (values masked)`);
        const made = (await this.releases(app)).find((r) => r.version > before);
        if (!made)
            return undefined;
        return this.waitRelease(app, made, 'config release');
    }
    async deploy(app, req) {
        const { ctx } = this.deps;
        if (!req.source)
            throw new ProviderError('Heroku deploys need `source`');
        const proc = procfileWithRelease(req.source, req.releaseCommand);
        if (proc.text !== undefined)
            ctx.log(`Procfile: adding \`release: ${proc.release}\` to the uploaded source`);
        if (proc.release)
            ctx.log(`release phase: \`${proc.release}\``);
        else
            ctx.log('release phase: none (the Procfile has no `release:` process and `release-command` is empty)');
        const tar = makeSourceTarball(req.source, proc.text !== undefined ? { Procfile: proc.text } : {});
        ctx.log(`source: ${tar.files} file(s), ${tar.bytes.length} bytes gzipped, ${tar.sha256.toLowerCase()}`);
        const src = await this.api.request('POST', '/sources');
        const { get_url: getUrl, put_url: putUrl } = src.data.source_blob ?? {};
        if (!getUrl || !putUrl)
            throw new ProviderError('Heroku POST /sources returned no source_blob URLs');
        // The put_url is a signed storage URL: no Authorization header goes there, and it is never printed.
        const uploadMs = Math.max(this.deps.requestTimeoutMs, timeouts/* TIMEOUTS */.f.sourceUploadMinMs);
        const unchanged = `nothing was built and \`${app}\` is unchanged`;
        let put;
        try {
            put = await fetch(putUrl, {
                method: 'PUT',
                body: tar.bytes,
                headers: { 'content-length': String(tar.bytes.length) },
                signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(uploadMs)]),
            });
            await put.arrayBuffer();
        }
        catch (e) {
            if (ctx.signal.aborted)
                throw e;
            const err = e;
            const why = err.name === 'TimeoutError' ? `no answer within ${uploadMs / 1000} s` : (err.cause?.code ?? err.message);
            throw new ProviderError(`uploading the source tarball to Heroku's storage failed (${why}); ${unchanged}. Run the job again; if it keeps failing, make \`source\` smaller or raise \`request-timeout\``);
        }
        if (!put.ok) {
            throw new ProviderError(`uploading the source tarball to Heroku's storage failed with ${put.status} (the signed upload URL from POST /sources was refused or expired); ${unchanged}. Run the job again`, put.status);
        }
        const build = await this.api.request('POST', `${this.app(app)}/builds`, {
            source_blob: { url: getUrl, checksum: tar.sha256, ...(req.version ? { version: req.version } : {}) },
        });
        const buildId = build.data.id;
        ctx.log(`build ${buildId} started on \`${app}\``);
        const tail = new LineTail();
        const activity = { last: Date.now() };
        const stream = build.data.output_stream_url
            ? streamLog(build.data.output_stream_url, ctx, 'build | ', tail, activity, this.deps.requestTimeoutMs)
            : undefined;
        let done;
        try {
            done = await waitFor(`build ${buildId} of app \`${app}\``, async () => (await this.api.request('GET', `${this.app(app)}/builds/${buildId}`)).data, (b) => b.status, (b) => b.status === 'failed' || (b.status === 'succeeded' && !!b.release?.id), this.deps.timing(), ctx.signal, activity, undefined, build.data.status);
        }
        catch (e) {
            stream?.stop();
            throw e;
        }
        await stream?.finish(this.deps.drainMs);
        if (done.status === 'failed') {
            return {
                kind: 'build-failed',
                providerStatus: `build ${done.status}`,
                output: tail.get(),
                message: `Heroku build ${buildId} failed; nothing was released`,
            };
        }
        const rel = (await this.api.request('GET', `${this.app(app)}/releases/${done.release.id}`)).data;
        return this.waitRelease(app, rel, 'release');
    }
    /** Waits for a release to leave `pending` (its release phase), streaming the release phase output. */
    async waitRelease(app, rel, what) {
        const { ctx } = this.deps;
        ctx.log(`${what} v${rel.version} (${rel.id}) on \`${app}\`: ${rel.status}`);
        const tail = new LineTail();
        const activity = { last: Date.now() };
        let final = rel;
        if (rel.status === 'pending') {
            const stream = rel.output_stream_url
                ? streamLog(rel.output_stream_url, ctx, 'release | ', tail, activity, this.deps.requestTimeoutMs)
                : undefined;
            try {
                final = await waitFor(`the release phase of v${rel.version} (${rel.id}) of app \`${app}\``, async () => (await this.api.request('GET', `${this.app(app)}/releases/${rel.id}`)).data, (r) => r.status, (r) => r.status !== 'pending', this.deps.timing(), ctx.signal, activity, undefined, rel.status);
            }
            catch (e) {
                stream?.stop();
                throw e;
            }
            await stream?.finish(this.deps.drainMs);
        }
        const release = heroku_info(final);
        if (final.status === 'failed') {
            return {
                kind: 'release-phase-failed',
                release,
                providerStatus: `release ${final.status}`,
                output: tail.get(),
                message: `the release phase of v${final.version} failed; Heroku did not deploy it`,
            };
        }
        return { kind: 'ok', release, providerStatus: `release ${final.status}`, output: tail.get() };
    }
    async resolveRelease(app, to) {
        const key = UUID_RE.test(to) ? to : to.replace(/^v/i, '');
        if (!UUID_RE.test(key) && !/^\d+$/.test(key)) {
            throw new ProviderError(`rollback-to "${to}" is not a Heroku release id or version (v12)`);
        }
        return (await this.api.request('GET', `${this.app(app)}/releases/${encodeURIComponent(key)}`)).data;
    }
    async rollback(app, to) {
        const target = await this.resolveRelease(app, to);
        if (target.status !== 'succeeded') {
            throw new ProviderError(`release v${target.version} of \`${app}\` is ${target.status}; only a succeeded release can be rolled back to`);
        }
        this.deps.ctx.log(`rolling \`${app}\` back to v${target.version} (${target.id})`);
        const made = (await this.api.request('POST', `${this.app(app)}/releases`, { release: target.id }))
            .data;
        return this.waitRelease(app, made, `rollback release (copy of v${target.version})`);
    }
    /**
     * What a promotion of `from` to `to` will do, read before anything changes: both apps in one pipeline and,
     * with `req.slug`, the succeeded release of `from` that made that slug (else refused).
     */
    async planPromotion(from, to, req) {
        const coupling = (await this.api.request('GET', `${this.app(from)}/pipeline-couplings`)).data;
        const targetCoupling = (await this.api.request('GET', `${this.app(to)}/pipeline-couplings`)).data;
        if (targetCoupling.pipeline.id !== coupling.pipeline.id) {
            throw new ProviderError(`promote-to \`${to}\` is not in the pipeline of \`${from}\` (${coupling.pipeline.id}); couple it to that pipeline first`);
        }
        const plan = {
            key: JSON.stringify([from, to, req.slug ?? '']),
            pipeline: coupling.pipeline.id,
            stages: [coupling.stage, targetCoupling.stage],
        };
        if (!req.slug)
            return plan;
        const list = await this.releases(from);
        const made = list.find((r) => r.slug?.id === req.slug && r.status === 'succeeded');
        if (!made) {
            throw new ProviderError(`slug ${req.slug} is not the slug of a succeeded release of \`${from}\` (among its last ${list.length} releases); ` +
                `\`${to}\` was not changed. Pass the \`slug\` output of the step that deployed \`${from}\` in this run, ` +
                `or re-run the pipeline to build, stage and approve a new one`);
        }
        const now = list.find((r) => r.current);
        return { ...plan, made, ...(now ? { now } : {}) };
    }
    async checkPromote(from, to, req) {
        this.plan = await this.planPromotion(from, to, req);
    }
    async promote(from, to, req = {}) {
        const { ctx } = this.deps;
        const key = JSON.stringify([from, to, req.slug ?? '']);
        const plan = this.plan?.key === key ? this.plan : await this.planPromotion(from, to, req);
        if (plan.made)
            return this.releaseSlug(from, to, plan.made, plan.now);
        const [fromStage, toStage] = plan.stages;
        const fromApp = (await this.api.request('GET', this.app(from))).data;
        const toApp = (await this.api.request('GET', this.app(to))).data;
        ctx.log(`no \`slug\` given: Heroku promotes the slug \`${from}\` serves at this moment (pass the deploy step's \`slug\` output to release exactly the one that was tested)`);
        ctx.log(`promoting \`${from}\` (${fromStage}) to \`${to}\` (${toStage}) in pipeline ${plan.pipeline}`);
        const promo = (await this.api.request('POST', '/pipeline-promotions', {
            pipeline: { id: plan.pipeline },
            source: { app: { id: fromApp.id } },
            targets: [{ app: { id: toApp.id } }],
        })).data;
        await waitFor(`pipeline promotion ${promo.id}`, async () => (await this.api.request('GET', `/pipeline-promotions/${promo.id}`)).data, (p) => p.status, (p) => p.status === 'completed', this.deps.timing(), ctx.signal);
        const targets = (await this.api.request('GET', `/pipeline-promotions/${promo.id}/promotion-targets`)).data;
        const target = targets.find((t) => t.app.id === toApp.id);
        if (!target)
            throw new ProviderError(`pipeline promotion ${promo.id} has no target for \`${to}\``);
        if (target.status === 'failed' || !target.release?.id) {
            return {
                kind: 'deploy-failed',
                providerStatus: `promotion target ${target.status}`,
                output: [],
                message: `Heroku could not promote to \`${to}\`: ${target.error_message ?? target.status}`,
            };
        }
        const rel = (await this.api.request('GET', `${this.app(to)}/releases/${target.release.id}`)).data;
        return this.waitRelease(to, rel, 'promoted release');
    }
    /**
     * Releases the slug of `made` (a succeeded release of `from`: what the staging job built, released and
     * gated) on `to`, whatever `from` serves now. No promotion race: a newer slug that reached `from` meanwhile
     * is not what goes to `to`.
     */
    async releaseSlug(from, to, made, now) {
        const { ctx } = this.deps;
        const slug = made.slug.id;
        if (now && now.slug?.id !== slug) {
            ctx.log(`\`${from}\` has moved on to v${now.version} (slug ${now.slug?.id ?? 'none'}) since; \`${to}\` gets slug ${slug} of v${made.version}, the one this run released there`);
        }
        ctx.log(`releasing slug ${slug} (\`${from}\` v${made.version}) on \`${to}\`: POST /apps/${to}/releases`);
        const rel = (await this.api.request('POST', `${this.app(to)}/releases`, {
            slug,
            description: `Promote ${from} v${made.version}`,
        })).data;
        return this.waitRelease(to, rel, `promoted release (slug ${slug})`);
    }
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/railway.ts
/**
 * Railway public GraphQL API v2 (https://docs.railway.com/reference/public-api): a service instance (one
 * service in one environment) is pointed at an image by digest and, when `release-command` is set, given
 * its pre-deploy command (`serviceInstanceUpdate`), then deployed (`serviceInstanceDeployV2`, which returns
 * the deployment id). The deployment is polled (`QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS`,
 * or `FAILED` / `CRASHED`) while its build and deploy logs (`buildLogs`, `deploymentLogs`) are printed.
 * Rollback is `deploymentRollback(id)`; promotion deploys the digest the source instance runs.
 *
 * `app` is a service id; the environment is `environment`, or `<service id>:<environment id>` in `app` or
 * `promote-to` (so staging → production of one service is `promote-to: <service id>:<production env id>`).
 */



const RAILWAY_TOKEN_HINT = 'a Railway account or team token (Account Settings → Tokens) with access to the project (project tokens are not accepted here)';
const DEPLOYMENT_FIELDS = 'id status createdAt canRollback projectId meta staticUrl';
const Q = {
    instance: `query ServiceInstance($serviceId: String!, $environmentId: String!) { serviceInstance(serviceId: $serviceId, environmentId: $environmentId) { id serviceId environmentId preDeployCommand source { image } activeDeployments { ${DEPLOYMENT_FIELDS} } } }`,
    deployments: `query Deployments($input: DeploymentListInput!, $first: Int) { deployments(input: $input, first: $first) { edges { node { ${DEPLOYMENT_FIELDS} } } } }`,
    deployment: `query Deployment($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`,
    buildLogs: `query BuildLogs($deploymentId: String!, $limit: Int) { buildLogs(deploymentId: $deploymentId, limit: $limit) { message timestamp severity } }`,
    deployLogs: `query DeploymentLogs($deploymentId: String!, $limit: Int) { deploymentLogs(deploymentId: $deploymentId, limit: $limit) { message timestamp severity } }`,
    update: `mutation ServiceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input) }`,
    deploy: `mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!) { serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId) }`,
    rollback: `mutation DeploymentRollback($id: String!) { deploymentRollback(id: $id) }`,
    variables: `mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }`,
};
const railway_FINAL = new Set(['SUCCESS', 'FAILED', 'CRASHED', 'REMOVED', 'SKIPPED']);
function railwayClient(opts) {
    return new ApiClient({
        ...opts,
        hints: { provider: 'Railway', token: RAILWAY_TOKEN_HINT, resource: `service \`${opts.app}\`` },
    });
}
function railway_digestOf(image) {
    return image ? /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1] : undefined;
}
function railway_info(d) {
    const image = typeof d.meta?.image === 'string' ? d.meta.image : undefined;
    const digest = railway_digestOf(image);
    return { id: d.id, label: d.id, status: d.status, ...(image ? { artifact: `image ${digest ?? image}` } : {}) };
}
class RailwayProvider {
    deps;
    name = 'railway';
    api;
    pendingVars = {};
    constructor(deps) {
        this.deps = deps;
        this.api = deps.api;
    }
    /** `service` or `service:environment`; the environment defaults to the `environment` input. */
    target(app) {
        const [serviceId, env] = app.split(':');
        const environmentId = env || this.deps.environment;
        if (!serviceId || !environmentId) {
            throw new ProviderError(`Railway needs an environment for \`${app}\`: set \`environment\` (an environment id) or write \`<service id>:<environment id>\``);
        }
        return { serviceId, environmentId };
    }
    /** One GraphQL operation; `errors` in the answer become a ProviderError naming the fix. */
    async gql(query, variables, what) {
        const r = await this.api.request('POST', '', { query, variables }, { retryWrites: query.startsWith('query') });
        const errs = r.data?.errors ?? [];
        if (errs.length) {
            const msg = errs.map((e) => e.message).join('; ');
            if (/not authori[sz]ed|unauthenticated|invalid token/i.test(msg)) {
                throw new ProviderError(`Railway ${what}: ${msg}. Check \`api-token\`: it must be ${RAILWAY_TOKEN_HINT}, not expired or revoked.`);
            }
            if (/not found/i.test(msg)) {
                throw new ProviderError(`Railway ${what}: ${msg}. Check \`app\` (a service id) and \`environment\` (an environment id of that service's project), or \`promote-to\` / \`rollback-to\`.`);
            }
            const field = /(?:argument|field|variable) "?\$?([\w.]+)"?/i.exec(msg)?.[1];
            throw new ProviderError(`Railway ${what}: Railway rejected ${field ? `the field \`${field}\`` : 'the request'}: ${msg}. Fix the input that sets it and retry.`);
        }
        if (!r.data?.data)
            throw new ProviderError(`Railway ${what}: no data in the answer`);
        return r.data.data;
    }
    async instance(app) {
        const t = this.target(app);
        return (await this.gql(Q.instance, t, `service instance of \`${app}\``))
            .serviceInstance;
    }
    async deployments(app) {
        const t = this.target(app);
        const r = await this.gql(Q.deployments, { input: { serviceId: t.serviceId, environmentId: t.environmentId }, first: 50 }, `deployments of \`${app}\``);
        return r.deployments.edges.map((e) => e.node);
    }
    async current(app) {
        const live = (await this.instance(app)).activeDeployments.find((d) => d.status === 'SUCCESS');
        return live ? railway_info(live) : undefined;
    }
    async previous(app, current) {
        const list = await this.deployments(app);
        const at = current ? list.findIndex((d) => d.id === current.id) : -1;
        // A deployment that served and was replaced is REMOVED; canRollback says Railway still has its image.
        const prev = list.slice(at + 1).find((d) => d.status === 'REMOVED' && d.canRollback);
        return prev ? railway_info(prev) : undefined;
    }
    async appUrl(app) {
        const live = (await this.instance(app)).activeDeployments[0];
        return live?.staticUrl ? `https://${live.staticUrl}` : undefined;
    }
    async setConfig(app, vars) {
        // Written with skipDeploys just before the deploy, so they go live with it (not with a deploy of their own).
        this.pendingVars = { ...vars };
        this.deps.ctx.log(`config: ${Object.keys(vars).join(', ')} are set on \`${app}\` right before its deploy (values masked)`);
        return undefined;
    }
    async deploy(app, req) {
        const { ctx } = this.deps;
        if (!req.image)
            throw new ProviderError('Railway deploys need `image` (name@sha256:…)');
        (0,reference/* parseImageRef */.Q)(req.image);
        const t = this.target(app);
        const inst = await this.instance(app);
        if (Object.keys(this.pendingVars).length) {
            const projectId = inst.activeDeployments[0]?.projectId ?? (await this.deployments(app))[0]?.projectId;
            if (!projectId)
                throw new ProviderError(`cannot tell the project of \`${app}\` (it has no deployment yet) to set \`config\``);
            await this.gql(Q.variables, {
                input: {
                    projectId,
                    environmentId: t.environmentId,
                    serviceId: t.serviceId,
                    variables: this.pendingVars,
                    skipDeploys: true,
                },
            }, `variables of \`${app}\``);
        }
        const input = { source: { image: req.image } };
        if (req.releaseCommand)
            input.preDeployCommand = [req.releaseCommand];
        await this.gql(Q.update, { serviceId: t.serviceId, environmentId: t.environmentId, input }, `update of \`${app}\``);
        const existing = Array.isArray(inst.preDeployCommand) ? inst.preDeployCommand.join(' && ') : '';
        const preDeploy = req.releaseCommand ?? existing;
        ctx.log(preDeploy ? `pre-deploy command: \`${preDeploy}\`` : 'pre-deploy command: none on the service');
        const id = (await this.gql(Q.deploy, t, `deploy of \`${app}\``))
            .serviceInstanceDeployV2;
        ctx.log(`deployment ${id} of ${req.image} on \`${app}\``);
        return this.waitDeployment(app, id, !!preDeploy);
    }
    async waitDeployment(app, id, hasPreDeploy) {
        const { ctx } = this.deps;
        const tail = new LineTail();
        const activity = { last: Date.now() };
        const printed = { build: 0, deploy: 0 };
        let logsBroken = false;
        const pull = async (kind) => {
            if (logsBroken)
                return;
            try {
                const q = kind === 'build' ? Q.buildLogs : Q.deployLogs;
                const r = await this.gql(q, { deploymentId: id, limit: 500 }, `${kind} logs`);
                const logs = r[kind === 'build' ? 'buildLogs' : 'deploymentLogs'] ?? [];
                for (const l of logs.slice(printed[kind])) {
                    activity.last = Date.now();
                    const lines = new output/* LineBuffer */.F0((line) => {
                        tail.push(line);
                        ctx.log(`${kind} | ${line}`);
                    });
                    lines.push(l.message);
                    lines.flush();
                }
                printed[kind] = Math.max(printed[kind], logs.length);
            }
            catch (e) {
                if (ctx.signal.aborted)
                    throw e;
                logsBroken = true;
                ctx.log(`railway logs unavailable (${e.message.split('.')[0]}); waiting on the deployment status only`);
            }
        };
        const seen = new Set();
        const final = await waitFor(`deployment ${id} of service \`${app}\``, async () => {
            const d = (await this.gql(Q.deployment, { id }, `deployment ${id}`)).deployment;
            seen.add(d.status);
            await pull('build');
            if (seen.has('DEPLOYING') || railway_FINAL.has(d.status))
                await pull('deploy');
            return d;
        }, (d) => d.status, (d) => railway_FINAL.has(d.status), this.deps.timing(), ctx.signal, activity, (s) => ctx.log(`deployment ${id}: ${s}`), 'QUEUED');
        if (final.status === 'SUCCESS')
            return { kind: 'ok', release: railway_info(final), providerStatus: final.status, output: tail.get() };
        let kind = 'deploy-failed';
        let message = `deployment ${id} ended ${final.status}; Railway keeps the previous deployment serving`;
        if (final.status === 'FAILED' && !seen.has('DEPLOYING')) {
            kind = 'build-failed';
            message = `deployment ${id} failed before deploying (build or image pull); the previous deployment serves`;
        }
        else if (final.status === 'FAILED' && hasPreDeploy) {
            kind = 'release-phase-failed';
            message = `deployment ${id} failed in its deploy stage, where Railway runs the pre-deploy command (see the deploy log lines); the new deployment took no traffic, the previous one serves`;
        }
        return { kind, release: railway_info(final), providerStatus: final.status, output: tail.get(), message };
    }
    async rollback(app, to) {
        const before = new Set((await this.deployments(app)).map((d) => d.id));
        const target = (await this.gql(Q.deployment, { id: to }, `deployment ${to}`))
            .deployment;
        if (!target.canRollback)
            throw new ProviderError(`Railway says deployment ${to} cannot be rolled back to (canRollback is false)`);
        this.deps.ctx.log(`rolling \`${app}\` back to deployment ${to} (${target.meta?.image ?? 'image unknown'})`);
        await this.gql(Q.rollback, { id: to }, `rollback of \`${app}\``);
        // deploymentRollback answers true only; the deployment it made is the new one in the list.
        const made = (await this.deployments(app)).find((d) => !before.has(d.id));
        if (!made)
            throw new ProviderError(`Railway accepted the rollback of \`${app}\` but no new deployment appeared`);
        return this.waitDeployment(app, made.id, false);
    }
    async promote(from, to, req) {
        if (!req.image)
            throw new ProviderError('Railway promotion needs `image` (name@sha256:…)');
        const digest = req.image.split('@')[1];
        const live = (await this.instance(from)).activeDeployments.find((d) => d.status === 'SUCCESS');
        const running = railway_digestOf(typeof live?.meta?.image === 'string' ? live.meta.image : undefined);
        if (running !== digest) {
            throw new ProviderError(`\`image\` ${digest} is not what \`${from}\` runs (${running ?? 'no image digest'}); promotion deploys the tested digest only`);
        }
        this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deployment ${live.id}) to \`${to}\``);
        return this.deploy(to, req);
    }
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/providers/render.ts
/**
 * Render public API v1 (https://api-docs.render.com): an image-backed service deployed by digest
 * (`POST /services/{id}/deploys {imageUrl}`), its pre-deploy command set through `PATCH /services/{id}`
 * (`serviceDetails.preDeployCommand`), the deploy polled through `created → build_in_progress →
 * pre_deploy_in_progress → update_in_progress → live` (or `build_failed`, `pre_deploy_failed`,
 * `update_failed`, `canceled`) with the service's logs (`GET /logs`) printed while waiting; rollback is
 * `POST /services/{id}/rollback {deployId}`; promotion deploys the exact image digest the source service
 * runs to the target service (never a rebuild).
 */



const RENDER_TOKEN_HINT = 'a Render API key (Account Settings → API Keys) of a user who is a member of the workspace that owns the service';
const render_FINAL = {
    live: 'ok',
    build_failed: 'build-failed',
    pre_deploy_failed: 'release-phase-failed',
    update_failed: 'deploy-failed',
    canceled: 'deploy-failed',
    deactivated: 'deploy-failed',
};
const BODY_FIELDS = ['imageUrl', 'deployId', 'preDeployCommand', 'value', 'commitId', 'serviceDetails'];
function renderClient(opts) {
    return new ApiClient({
        ...opts,
        hints: { provider: 'Render', token: RENDER_TOKEN_HINT, resource: `service \`${opts.app}\`` },
        errorField: (b) => {
            const msg = b && typeof b === 'object' ? String(b.message ?? '') : '';
            return BODY_FIELDS.find((f) => msg.includes(f));
        },
    });
}
function render_info(d) {
    return {
        id: d.id,
        label: d.id,
        status: d.status ?? 'unknown',
        ...(d.image?.sha ? { artifact: `image ${d.image.sha}` } : d.image?.ref ? { artifact: `image ${d.image.ref}` } : {}),
        ...(d.trigger ? { description: `trigger ${d.trigger}` } : {}),
    };
}
/** registry/repository of an image reference or a service's imagePath, for comparing them. */
function repoOf(ref) {
    const r = (0,reference/* parseImageRef */.Q)(ref);
    return `${r.registry}/${r.repository}`;
}
class RenderProvider {
    deps;
    name = 'render';
    api;
    constructor(deps) {
        this.deps = deps;
        this.api = deps.api;
    }
    svc(id) {
        return `/services/${encodeURIComponent(id)}`;
    }
    async service(id) {
        return (await this.api.request('GET', this.svc(id))).data;
    }
    async deploys(id) {
        const list = await getList(this.api, `${this.svc(id)}/deploys?limit=50`, `deploys of \`${id}\``);
        return list.map((x) => x.deploy);
    }
    async current(app) {
        const live = (await this.deploys(app)).find((d) => d.status === 'live');
        return live ? render_info(live) : undefined;
    }
    async previous(app, current) {
        const list = await this.deploys(app);
        const at = current ? list.findIndex((d) => d.id === current.id) : -1;
        // Render marks a deploy that was live and then replaced `deactivated`: the ones that once served.
        const prev = list.slice(at + 1).find((d) => d.status === 'deactivated');
        return prev ? render_info(prev) : undefined;
    }
    async appUrl(app) {
        return (await this.service(app)).serviceDetails?.url;
    }
    async setConfig(app, vars) {
        const list = (await this.api.request('GET', `${this.svc(app)}/env-vars?limit=100`)).data;
        const now = Object.fromEntries(list.map((e) => [e.envVar.key, e.envVar.value]));
        const changed = Object.entries(vars).filter(([k, v]) => now[k] !== v);
        for (const [key, value] of changed) {
            await this.api.request('PUT', `${this.svc(app)}/env-vars/${encodeURIComponent(key)}`, { value }, { retryWrites: true });
        }
        this.deps.ctx.log(changed.length
            ? `config: set ${changed.map(([k]) => k).join(', ')} on \`${app}\` (values masked; they take effect with this deploy)`
            : `config: ${Object.keys(vars).length} var(s) already set on \`${app}\``);
        return undefined;
    }
    async deploy(app, req) {
        const { ctx } = this.deps;
        if (!req.image)
            throw new ProviderError('Render deploys need `image` (name@sha256:…)');
        const svc = await this.service(app);
        if (!svc.imagePath) {
            throw new ProviderError(`Render service \`${app}\` is not image-backed (no imagePath); this action deploys images by digest — create the service from an image`);
        }
        if (repoOf(svc.imagePath) !== repoOf(req.image)) {
            throw new ProviderError(`\`image\` ${req.image.split('@')[0]} is not the image repository of service \`${app}\` (${svc.imagePath}); Render only deploys the configured repository`);
        }
        const existing = svc.serviceDetails?.envSpecificDetails?.preDeployCommand ?? svc.serviceDetails?.preDeployCommand ?? '';
        if (req.releaseCommand && req.releaseCommand !== existing) {
            await this.api.request('PATCH', this.svc(app), { serviceDetails: { preDeployCommand: req.releaseCommand } });
            ctx.log(`pre-deploy command of \`${app}\` set to \`${req.releaseCommand}\` (was ${existing ? `\`${existing}\`` : 'none'})`);
        }
        else {
            ctx.log(`pre-deploy command: ${existing || req.releaseCommand ? `\`${req.releaseCommand ?? existing}\`` : 'none on the service'}`);
        }
        const image = req.image;
        const since = new Date(Date.now() - 1000).toISOString();
        const created = await this.api.request('POST', `${this.svc(app)}/deploys`, {
            imageUrl: image,
        });
        let dep = created.data;
        if (!dep?.id) {
            // 202 Queued has no body: the newest deploy of that image is ours.
            dep = (await this.deploys(app)).find((d) => d.image?.ref === image || d.image?.sha === image.split('@')[1]);
            if (!dep)
                throw new ProviderError(`Render queued a deploy of \`${app}\` but it is not in the deploy list`);
        }
        ctx.log(`deploy ${dep.id} of ${image} on \`${app}\`: ${dep.status ?? 'created'}`);
        return this.waitDeploy(app, svc, dep, since);
    }
    async waitDeploy(app, svc, dep, since) {
        const { ctx } = this.deps;
        const tail = new LineTail();
        const activity = { last: Date.now() };
        let logStart = since;
        const seen = new Set();
        let logsBroken = false;
        const pullLogs = async () => {
            if (logsBroken || !svc.ownerId)
                return;
            try {
                const q = new URLSearchParams({
                    ownerId: svc.ownerId,
                    startTime: logStart,
                    direction: 'forward',
                    limit: '100',
                });
                q.append('resource', svc.id);
                const page = (await this.api.request('GET', `/logs?${q}`)).data;
                for (const l of page.logs ?? []) {
                    if (seen.has(l.id))
                        continue;
                    seen.add(l.id);
                    activity.last = Date.now();
                    // One entry may hold several lines; ctx.log redacts and neutralizes each (src/lib/output.ts).
                    const lines = new output/* LineBuffer */.F0((line) => {
                        tail.push(line);
                        ctx.log(`render | ${line}`);
                    });
                    lines.push(l.message);
                    lines.flush();
                }
                if (page.nextStartTime)
                    logStart = page.nextStartTime;
            }
            catch (e) {
                if (ctx.signal.aborted)
                    throw e;
                logsBroken = true;
                ctx.log(`render logs unavailable (${e.message.split('.')[0]}); waiting on the deploy status only`);
            }
        };
        const final = await waitFor(`deploy ${dep.id} of service \`${app}\``, async () => {
            const d = (await this.api.request('GET', `${this.svc(app)}/deploys/${encodeURIComponent(dep.id)}`)).data;
            await pullLogs();
            return d;
        }, (d) => d.status ?? 'unknown', (d) => Object.hasOwn(render_FINAL, d.status ?? ''), this.deps.timing(), ctx.signal, activity, (s) => ctx.log(`deploy ${dep.id}: ${s}`), dep.status ?? 'created');
        await pullLogs();
        const kind = render_FINAL[final.status];
        const messages = {
            ok: '',
            'build-failed': `Render could not build/pull the image for deploy ${dep.id}; nothing changed, the previous deploy serves`,
            'release-phase-failed': `the pre-deploy command of deploy ${dep.id} failed (pre_deploy_failed); Render did not switch traffic, the previous deploy serves`,
            'deploy-failed': `deploy ${dep.id} ended ${final.status}; Render keeps the previous deploy serving`,
        };
        return {
            kind,
            release: render_info(final),
            providerStatus: final.status,
            output: tail.get(),
            ...(kind !== 'ok' ? { message: messages[kind] } : {}),
        };
    }
    async rollback(app, to) {
        const svc = await this.service(app);
        const target = (await this.api.request('GET', `${this.svc(app)}/deploys/${encodeURIComponent(to)}`))
            .data;
        this.deps.ctx.log(`rolling \`${app}\` back to deploy ${target.id} (${target.image?.sha ?? target.image?.ref ?? 'no image'})`);
        const since = new Date(Date.now() - 1000).toISOString();
        const dep = (await this.api.request('POST', `${this.svc(app)}/rollback`, { deployId: target.id }))
            .data;
        return this.waitDeploy(app, svc, dep, since);
    }
    async promote(from, to, req) {
        if (!req.image)
            throw new ProviderError('Render promotion needs `image` (name@sha256:…)');
        const digest = req.image.split('@')[1];
        const live = (await this.deploys(from)).find((d) => d.status === 'live');
        if (!live)
            throw new ProviderError(`service \`${from}\` has no live deploy to promote`);
        if (live.image?.sha !== digest) {
            throw new ProviderError(`\`image\` ${digest} is not what \`${from}\` runs (${live.image?.sha ?? 'unknown'}); promotion deploys the tested digest only`);
        }
        this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deploy ${live.id}) to \`${to}\``);
        return this.deploy(to, req);
    }
}

;// CONCATENATED MODULE: ./src/core/paas-deploy/run.ts
/**
 * One paas-deploy run: (config vars →) deploy / promote / rollback through the provider → health gate →
 * rollback on a failed gate → read back what is live. Every outcome is read from the provider, never
 * assumed; a wait cut short (cancel, timeout) still reads back what serves before it reports.
 */









/** Builds the provider for a config, with its API client bound to `signal`. */
function makeProvider(cfg, ctx, timing, drainMs, addSecret = () => undefined) {
    const base = {
        baseUrl: cfg.apiUrl,
        token: cfg.token,
        requestTimeoutMs: cfg.requestTimeoutMs,
        signal: ctx.signal,
    };
    const deps = {
        ctx,
        timing,
        requestTimeoutMs: cfg.requestTimeoutMs,
        drainMs,
        ...(cfg.environment ? { environment: cfg.environment } : {}),
    };
    switch (cfg.provider) {
        case 'heroku':
            return new HerokuProvider({ ...deps, api: herokuClient({ ...base, app: cfg.app }) });
        case 'render':
            return new RenderProvider({ ...deps, api: renderClient({ ...base, app: cfg.app }) });
        case 'digitalocean':
            return new DigitalOceanProvider({ ...deps, api: digitaloceanClient({ ...base, app: cfg.app }) });
        case 'railway':
            return new RailwayProvider({ ...deps, api: railwayClient({ ...base, app: cfg.app }) });
        case 'azure': {
            if (!cfg.azure)
                throw new ProviderError('azure needs its azure-* inputs');
            const { subscriptionId, resourceGroup, slot, ...credentials } = cfg.azure;
            return new AzureProvider({
                ctx,
                timing,
                requestTimeoutMs: cfg.requestTimeoutMs,
                armUrl: cfg.apiUrl,
                credentials,
                target: { subscriptionId, resourceGroup, ...(slot ? { slot } : {}) },
                addSecret,
            });
        }
        default:
            throw new ProviderError(`provider ${cfg.provider} is not supported by this version`);
    }
}
function describe(r) {
    if (!r)
        return 'nothing (no release)';
    return `${r.label}${r.label !== r.id ? ` (${r.id})` : ''}${r.artifact ? `, ${r.artifact}` : ''}`;
}
function sameArtifact(a, b) {
    return !!a && !!b && (a.id === b.id || (!!a.artifact && a.artifact === b.artifact));
}
async function runPaasDeploy(cfg, deps) {
    const { ctx } = deps;
    const started = Date.now();
    const deadline = started + cfg.timeoutMs;
    const timing = () => ({
        intervalMs: cfg.pollIntervalMs,
        maxIntervalMs: cfg.pollMaxIntervalMs,
        deadline,
        idleMs: cfg.idleTimeoutMs,
    });
    const drainMs = deps.drainMs ?? 5_000;
    const addSecret = deps.addSecret ?? (() => undefined);
    const provider = makeProvider(cfg, ctx, timing, drainMs, addSecret);
    /** Azure slots: the deploy/promotion lands in a staging slot; production changes only at the swap. */
    const staging = cfg.mode !== 'rollback' ? provider.staging : undefined;
    const app = cfg.mode === 'promote' ? cfg.promoteTo : cfg.app;
    const steps = [];
    const result = { status: 'failed', app, providerStatus: '', releaseOutput: [], steps };
    const req = {
        ...(cfg.image ? { image: cfg.image } : {}),
        ...(cfg.source ? { source: cfg.source } : {}),
        ...(cfg.version ? { version: cfg.version } : {}),
        ...(cfg.releaseCommand ? { releaseCommand: cfg.releaseCommand } : {}),
        ...(cfg.slug ? { slug: cfg.slug } : {}),
    };
    const gh = cfg.github ? { ...cfg.github, signal: ctx.signal } : undefined;
    if (gh) {
        result.githubDeploymentId = await createDeployment(gh, {
            ref: gh.ref,
            environment: gh.environment,
            payload: {
                provider: cfg.provider,
                app,
                mode: cfg.mode,
                ...(cfg.image ? { digest: cfg.image.split('@')[1] } : {}),
                ...(cfg.slug ? { slug: cfg.slug } : {}),
            },
            description: `paas-deploy ${cfg.mode} to ${cfg.provider} ${app}`,
        });
        await setDeploymentStatus(gh, result.githubDeploymentId, 'in_progress', `${cfg.mode} running`, gh.logUrl);
        ctx.log(`recorded GitHub deployment #${result.githubDeploymentId} in "${gh.environment}"`);
    }
    const finishOutcome = (o, step) => {
        result.providerStatus = o.providerStatus;
        if (o.output.length)
            result.releaseOutput = o.output;
        if (o.release)
            result.release = o.release;
        steps.push({
            step,
            result: o.kind,
            detail: o.kind === 'ok' ? describe(o.release) : (o.message ?? o.providerStatus),
        });
        if (o.kind !== 'ok') {
            result.failure =
                `${o.message ?? o.kind} (${cfg.provider} state: ${o.providerStatus})` +
                    (o.output.length ? `\nlast lines:\n${o.output.slice(-10).join('\n')}` : '');
        }
        return o.kind === 'ok';
    };
    /** Reads what serves now with a short budget of its own (the job's signal may already be aborted). */
    const readBack = async () => {
        const own = new AbortController();
        const timer = setTimeout(() => own.abort(new Error('read-back timed out')), Math.min(10_000, cfg.requestTimeoutMs));
        try {
            const p = makeProvider(cfg, { ...ctx, signal: own.signal }, timing, 0, addSecret);
            return await p.current(app);
        }
        finally {
            clearTimeout(timer);
        }
    };
    let phase = 'reading what serves';
    try {
        result.previous = await provider.current(app);
        ctx.log(`${cfg.provider} \`${app}\`: live before this run: ${describe(result.previous)}`);
        result.url = await provider.appUrl(app).catch(() => undefined);
        let ok = true;
        /** `config` goes to the app that receives the release, before it (deploy and promote alike). */
        const setConfig = async () => {
            if (!Object.keys(cfg.config).length)
                return;
            phase = 'setting config vars';
            const c = await provider.setConfig(app, cfg.config);
            if (c)
                ok = finishOutcome(c, 'config');
        };
        if (cfg.mode === 'deploy') {
            await setConfig();
            phase = 'deploy (build and release phase)';
            if (ok)
                ok = finishOutcome(await provider.deploy(app, req), 'deploy');
        }
        else if (cfg.mode === 'promote') {
            phase = 'promotion';
            await provider.checkPromote?.(cfg.app, app, req);
            await setConfig();
            phase = 'promotion';
            if (ok)
                ok = finishOutcome(await provider.promote(cfg.app, app, req), `promote ${cfg.app} → ${app}`);
        }
        else {
            phase = 'rollback';
            let to = cfg.rollbackTo;
            if (!to) {
                const prev = await provider.previous(app, result.previous);
                if (!prev) {
                    throw new ProviderError(`no earlier successful release of \`${app}\` to roll back to (live: ${describe(result.previous)}); set \`rollback-to\``);
                }
                to = prev.id;
            }
            ok = finishOutcome(await provider.rollback(app, to), `rollback to ${to}`);
        }
        /** After a failed gate: roll back to what served before (unless told not to) and read it back. */
        const rollbackAfterGate = async () => {
            if (cfg.mode === 'rollback') {
                result.failure += '\n(mode is rollback: nothing further to roll back to automatically)';
            }
            else if (!cfg.rollbackOnFailure) {
                result.failure += '\nrollback-on-failure is false: the new release stays live';
            }
            else if (!result.previous) {
                result.failure += '\nthere was no release before this run: nothing to roll back to, the new release stays live';
            }
            else {
                phase = 'rollback after the failed gate';
                ctx.log(`rolling back to ${describe(result.previous)}`);
                const rb = await provider.rollback(app, result.previous.id);
                steps.push({ step: 'rollback', result: rb.kind, detail: describe(rb.release) });
                result.providerStatus = rb.providerStatus;
                const live = await provider.current(app);
                if (rb.kind === 'ok' && sameArtifact(live, result.previous)) {
                    result.status = 'rolled-back';
                    result.failure += `\nrolled back: ${describe(live)} serves again (what served before: ${describe(result.previous)})`;
                }
                else {
                    result.failure +=
                        `\nrollback did not restore ${describe(result.previous)}: ${rb.message ?? rb.kind}` +
                            ` (${cfg.provider} state: ${rb.providerStatus})`;
                }
            }
        };
        const gate = async (g, label) => {
            phase = label;
            ctx.log(`${label}: ${g.urls.join(', ')}`);
            result.gate = await runHealthGate(g, deps.gateEvents ?? {}, ctx.signal);
            // Cancelled while gating: stop here (no rollback started on a cancelled run); the catch reads back.
            if (ctx.signal.aborted)
                throw ctx.signal.reason ?? new Error('cancelled');
            steps.push({
                step: label,
                result: result.gate.healthy ? 'healthy' : 'unhealthy',
                detail: result.gate.healthy ? `${result.gate.attempts} attempt(s)` : result.gate.failures.join('; '),
            });
            if (!result.gate.healthy)
                result.failure = `${label} failed:\n${result.gate.failures.join('\n')}`;
            return result.gate.healthy;
        };
        if (ok && cfg.gate) {
            ok = await gate(cfg.gate, staging ? `health gate (slot ${staging})` : 'health gate');
            if (!ok) {
                if (staging) {
                    result.failure += `\nnothing was swapped: the new image stays in slot ${staging}, production was not changed (nothing to roll back)`;
                }
                else {
                    await rollbackAfterGate();
                }
            }
        }
        else if (ok && !cfg.gate) {
            steps.push({
                step: 'health gate',
                result: 'skipped',
                detail: 'health-gate: false (or no url with mode rollback)',
            });
        }
        if (ok && staging && provider.finalize) {
            phase = `swap of slot ${staging} into production`;
            const fin = await provider.finalize(app);
            if (fin)
                ok = finishOutcome(fin, `swap ${staging} → production`);
            if (ok && cfg.finalGate) {
                ok = await gate(cfg.finalGate, 'health gate (production, after the swap)');
                if (!ok)
                    await rollbackAfterGate();
            }
        }
        result.live = await provider.current(app);
        if (ok)
            result.status = 'ok';
    }
    catch (e) {
        if (e instanceof WaitError) {
            steps.push({ step: 'wait', result: e.end, detail: `${e.what}: ${e.lastState}` });
            result.providerStatus = result.providerStatus || e.lastState;
            result.failure =
                `${e.message}. ${cfg.provider} was left with ${e.what} in state "${e.lastState}"; it carries on without ` +
                    'this run (it is not cancelled at the provider).';
        }
        else if (ctx.signal.aborted) {
            const reason = ctx.signal.reason instanceof Error ? ctx.signal.reason.message : 'cancelled';
            steps.push({ step: phase, result: 'cancelled', detail: reason });
            result.failure =
                `${reason} during ${phase}; the provider carries on with whatever it had accepted ` +
                    '(nothing is cancelled at the provider).';
        }
        else {
            result.failure = e.message;
        }
        result.status = 'failed';
        try {
            result.live = await readBack();
        }
        catch (err) {
            result.failure += `\ncould not read back what serves now: ${err.message}`;
        }
    }
    if (result.status !== 'ok' && result.live !== undefined) {
        result.failure = `${result.failure ?? 'failed'}\nlive now on ${cfg.provider} \`${app}\`: ${describe(result.live)}`;
    }
    if (result.status !== 'ok' && result.live === undefined && !result.failure?.includes('could not read back')) {
        result.failure = `${result.failure ?? 'failed'}\nlive now on ${cfg.provider} \`${app}\`: nothing`;
    }
    if (gh && result.githubDeploymentId !== undefined) {
        const ghDone = { ...gh, signal: AbortSignal.timeout(timeouts/* TIMEOUTS */.f.cleanupRequestMs) };
        await setDeploymentStatus(ghDone, result.githubDeploymentId, result.status === 'ok' ? 'success' : 'failure', result.status === 'ok' ? `live: ${describe(result.live)}` : `${result.status}: live ${describe(result.live)}`, gh.logUrl).catch((err) => ctx.warn(`could not update GitHub deployment #${result.githubDeploymentId}: ${err.message}`));
    }
    return result;
}


/***/ }),

/***/ 737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   EY: () => (/* binding */ backoffDelay),
/* harmony export */   L5: () => (/* binding */ retry),
/* harmony export */   yy: () => (/* binding */ sleep)
/* harmony export */ });
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


/***/ })

};
