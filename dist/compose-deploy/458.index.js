export const id = 458;
export const ids = [458];
export const modules = {

/***/ 8458:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  notifyFailure: () => (/* binding */ notifyFailure)
});

// UNUSED EXPORTS: failureEvent

// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __webpack_require__(7268);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __webpack_require__(1119);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(1737);
;// CONCATENATED MODULE: ./src/lib/notify/http.ts

/** An HTTP answer that will not change if sent again (4xx other than 408/429): no retry. */
class PermanentError extends Error {
}
/**
 * POSTs a body to a webhook with bounded attempts and back-off. Retries network errors, timeouts, 408, 429
 * and 5xx; a 4xx is final. Errors never carry the URL (it is the secret of an incoming webhook).
 */
async function postWithRetry(url, body, headers, timing, signal, accept = (s) => (s >= 200 && s < 300 ? undefined : '')) {
    let attempts = 0;
    const policy = {
        attempts: timing.attempts,
        initialDelayMs: timing.backoffMs,
        maxDelayMs: 30_000,
        factor: 2,
    };
    await (0,retry/* retry */.L5)(policy, async (attempt) => {
        attempts = attempt;
        const signals = [AbortSignal.timeout(timing.timeoutMs)];
        if (signal)
            signals.push(signal);
        let res;
        try {
            res = await fetch(url, { method: 'POST', headers: headers(attempt), body, signal: AbortSignal.any(signals) });
        }
        catch (e) {
            if (signal?.aborted)
                throw new PermanentError('cancelled');
            const err = e;
            const why = err.name === 'TimeoutError' ? `no answer within ${timing.timeoutMs} ms` : (err.cause?.code ?? err.message);
            throw new Error(`request failed: ${why}`);
        }
        const text = (await res.text().catch(() => '')).slice(0, 200);
        const problem = accept(res.status, text);
        if (problem === undefined)
            return;
        const msg = `HTTP ${res.status}${text ? ` ${text.replace(/\s+/g, ' ').trim()}` : ''}${problem ? ` (${problem})` : ''}`;
        if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
            throw new PermanentError(msg);
        throw new Error(msg);
    }, (e) => !(e instanceof PermanentError), signal).catch((e) => {
        throw Object.assign(e instanceof Error ? e : new Error(String(e)), { attempts });
    });
    return { attempts };
}
/** The host of a URL, for "where did it go" lines (the path of an incoming webhook is its secret). */
function safeHost(url) {
    try {
        return new URL(url).host;
    }
    catch {
        return '(invalid URL)';
    }
}

;// CONCATENATED MODULE: ./src/lib/notify/email.ts


/** Subject and plain-text body of the notification mail. */
function emailContent(n) {
    const mark = n.severity === 'alert' ? '[ALERT]' : n.severity === 'recovery' ? '[RESOLVED]' : '[INFO]';
    const lines = [n.title, '', n.text, ''];
    for (const [k, v] of Object.entries(n.fields ?? {}))
        lines.push(`${k}: ${v}`);
    if (n.link)
        lines.push('', `Details: ${n.link}`);
    lines.push('', `-- deploy-kit ${n.source}${n.target ? ` (${n.target})` : ''}`);
    return { subject: `${mark} ${n.title}`.replace(/[\r\n]+/g, ' ').slice(0, 200), text: lines.join('\n') };
}
/** SMTP reply codes that a retry cannot fix: authentication refused, recipient or sender rejected. */
function permanent(e) {
    const err = e;
    if (err.code === 'EAUTH' || err.code === 'ETLS')
        return true;
    return typeof err.responseCode === 'number' && err.responseCode >= 500;
}
/**
 * Sends one mail through the relay. STARTTLS is required unless `security: none` (then no TLS at all),
 * so a relay that stops offering it fails instead of silently sending the password in the clear.
 * nodemailer is loaded on first use: an action that never mails never pays for it.
 */
async function sendEmail(s, n, timing, signal) {
    const nodemailer = await __webpack_require__.e(/* import() */ 739).then(__webpack_require__.bind(__webpack_require__, 6739));
    const { subject, text } = emailContent(n);
    let attempts = 0;
    await (0,retry/* retry */.L5)({ attempts: timing.attempts, initialDelayMs: timing.backoffMs, maxDelayMs: 30_000, factor: 2 }, async (attempt) => {
        attempts = attempt;
        if (signal?.aborted)
            throw new PermanentError('cancelled');
        const transport = nodemailer.createTransport({
            host: s.host,
            port: s.port,
            secure: s.security === 'tls',
            requireTLS: s.security === 'starttls',
            ignoreTLS: s.security === 'none',
            ...(s.username ? { auth: { user: s.username, pass: s.password ?? '' } } : {}),
            connectionTimeout: timing.timeoutMs,
            greetingTimeout: timing.timeoutMs,
            socketTimeout: timing.timeoutMs,
            ...(s.ca ? { tls: { ca: s.ca } } : {}),
            // No pooling, no logger: nothing of the dialog (AUTH lines) reaches the job log.
            logger: false,
            debug: false,
        });
        try {
            await transport.sendMail({ from: s.from, to: s.to, subject, text });
        }
        catch (e) {
            const err = e;
            let msg = err.message.replace(s.password ? s.password : '\u0000', '***');
            if (err.code === 'EAUTH')
                msg = `authentication refused (${err.responseCode ?? ''}): check notify-smtp-username and notify-smtp-password`;
            else if (err.code === 'ETLS' || /STARTTLS/i.test(msg))
                msg = `${msg} (the relay must offer STARTTLS; set notify-smtp-security: tls for port 465, or notify-smtp-ca for a private CA)`;
            const out = permanent(e) ? new PermanentError(msg) : new Error(msg);
            throw out;
        }
        finally {
            transport.close();
        }
    }, (e) => !(e instanceof PermanentError), signal).catch((e) => {
        throw Object.assign(e instanceof Error ? e : new Error(String(e)), { attempts });
    });
    return { attempts };
}

;// CONCATENATED MODULE: ./src/lib/notify/slack.ts

const ICON = {
    alert: ':red_circle:',
    recovery: ':large_green_circle:',
    info: ':information_source:',
};
/** Slack's mrkdwn needs &, < and > escaped; everything else is literal. */
function esc(text) {
    return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
/** The incoming-webhook payload: `text` (notifications, fallback) plus Block Kit sections. */
function slackPayload(n) {
    const fields = Object.entries(n.fields ?? {}).slice(0, 10);
    const blocks = [
        {
            type: 'section',
            text: { type: 'mrkdwn', text: `${ICON[n.severity]} *${esc(n.title)}*\n${esc(n.text)}`.slice(0, 3000) },
        },
    ];
    if (fields.length)
        blocks.push({
            type: 'section',
            fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${esc(k)}*\n${esc(v)}`.slice(0, 2000) })),
        });
    const context = [`${n.source}${n.target ? ` · ${n.target}` : ''}`];
    if (n.link)
        context.push(`<${n.link}|details>`);
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
    return { text: `${n.title}`, blocks };
}
async function sendSlack(url, n, timing, signal) {
    // Slack answers 200 "ok"; errors are 4xx with a short reason (invalid_payload, no_service, channel_is_archived).
    return postWithRetry(url, JSON.stringify(slackPayload(n)), () => ({ 'content-type': 'application/json' }), timing, signal, (status) => status === 200
        ? undefined
        : status === 404 || status === 410
            ? 'the webhook was removed or its channel archived: create a new incoming webhook'
            : '');
}

;// CONCATENATED MODULE: ./src/lib/notify/types.ts
function hasChannels(cfg) {
    return !!(cfg.slackWebhook || cfg.webhook || cfg.email);
}

;// CONCATENATED MODULE: ./src/lib/notify/webhook.ts

const SIGNATURE_HEADER = 'x-deploy-kit-signature-256';
const DELIVERY_HEADER = 'x-deploy-kit-delivery';
const EVENT_HEADER = 'x-deploy-kit-event';
/** The generic JSON body: the notice as is, plus when it was sent. Stable field names (a contract). */
function webhookBody(n, sentAt = new Date()) {
    return JSON.stringify({
        event: n.event,
        severity: n.severity,
        title: n.title,
        text: n.text,
        source: n.source,
        target: n.target ?? null,
        link: n.link ?? null,
        fields: n.fields ?? {},
        sent_at: sentAt.toISOString(),
    });
}
/** `sha256=<hex HMAC-SHA256 of the exact body bytes keyed by the shared secret>`. */
function signBody(secret, body) {
    // node:crypto on first use: loading it (and the streams it pulls in) costs every step's start.
    return `sha256=${process.getBuiltinModule('node:crypto').createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}
async function sendWebhook(hook, n, timing, signal) {
    // One body and one delivery id for every attempt: a receiver can drop a retried duplicate.
    const body = webhookBody(n);
    const delivery = process.getBuiltinModule('node:crypto').randomUUID();
    return postWithRetry(hook.url, body, () => ({
        'content-type': 'application/json',
        'user-agent': 'deploy-kit-notify',
        [EVENT_HEADER]: n.event,
        [DELIVERY_HEADER]: delivery,
        ...(hook.secret ? { [SIGNATURE_HEADER]: signBody(hook.secret, body) } : {}),
    }), timing, signal);
}

;// CONCATENATED MODULE: ./src/lib/notify/index.ts








function httpsUrl(name, value) {
    let u;
    try {
        u = new URL(value);
    }
    catch {
        throw new errors/* InputError */.d(name, 'is not a URL (the value is masked)');
    }
    const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
        throw new errors/* InputError */.d(name, 'must be an https:// URL (http only for 127.0.0.1/localhost)');
    return value;
}
/**
 * The `notify-*` inputs every action that reports shares. URLs and passwords are read as secrets (masked
 * before anything prints). `defaultOn` lists the events an action sends when `notify-on` is empty.
 */
function readNotifyConfig(inputs, defaultOn) {
    const slack = inputs.secret('notify-slack-webhook');
    const hook = inputs.secret('notify-webhook');
    const hookSecret = inputs.secret('notify-webhook-secret');
    if (hookSecret && !hook)
        throw new errors/* InputError */.d('notify-webhook-secret', 'is set but notify-webhook is empty');
    const to = inputs.list('notify-email-to');
    let email;
    const smtpHost = inputs.raw('notify-smtp-host');
    if (to.length || smtpHost) {
        if (!smtpHost)
            throw new errors/* InputError */.d('notify-smtp-host', 'is required when notify-email-to is set');
        if (!to.length)
            throw new errors/* InputError */.d('notify-email-to', 'is required when notify-smtp-host is set');
        const security = inputs.choice('notify-smtp-security', ['starttls', 'tls', 'none'], 'starttls');
        const username = inputs.raw('notify-smtp-username') || undefined;
        const password = inputs.secret('notify-smtp-password') || undefined;
        if (password && !username)
            throw new errors/* InputError */.d('notify-smtp-username', 'is required with notify-smtp-password');
        if (username && security === 'none')
            throw new errors/* InputError */.d('notify-smtp-security', '`none` would send the SMTP password in the clear; use starttls or tls');
        const from = inputs.raw('notify-email-from');
        if (!from)
            throw new errors/* InputError */.d('notify-email-from', 'is required to send email');
        for (const a of [from, ...to])
            if (/[\r\n]/.test(a) || !/@/.test(a))
                throw new errors/* InputError */.d('notify-email-to', `"${a}" is not an email address`);
        email = {
            host: smtpHost,
            port: inputs.integer('notify-smtp-port', security === 'tls' ? 465 : 587, { min: 1, max: 65535 }),
            security,
            username,
            password,
            from,
            to,
            ca: inputs.raw('notify-smtp-ca') || undefined,
        };
    }
    const on = inputs.list('notify-on');
    return {
        slackWebhook: slack ? httpsUrl('notify-slack-webhook', slack) : undefined,
        webhook: hook ? { url: httpsUrl('notify-webhook', hook), secret: hookSecret || undefined } : undefined,
        email,
        on: on.length ? on : [...defaultOn],
        timing: {
            timeoutMs: inputs.duration('notify-timeout', '10s', { min: 100 }),
            attempts: inputs.integer('notify-attempts', 3, { min: 1, max: 10 }),
            backoffMs: 1000,
        },
    };
}
function wanted(cfg, event) {
    return cfg.on.includes(event) || cfg.on.includes('all');
}
/**
 * Sends a notice to every configured channel at once. Never throws: each channel's outcome comes back, and
 * `warn` is called for each failure (so it shows as an annotation), because a failing notifier must never
 * fail the deploy or the check it reports on.
 */
async function notifyAll(cfg, n, ctx) {
    if (!hasChannels(cfg) || !wanted(cfg, n.event))
        return [];
    const jobs = [];
    const run = (channel, to, send) => jobs.push(send().then((r) => ({ channel, to, ok: true, attempts: r.attempts }), (e) => ({
        channel,
        to,
        ok: false,
        attempts: e.attempts ?? 1,
        error: e.message,
    })));
    if (cfg.slackWebhook) {
        const url = cfg.slackWebhook;
        run('slack', safeHost(url), () => sendSlack(url, n, cfg.timing, ctx.signal));
    }
    if (cfg.webhook) {
        const hook = cfg.webhook;
        run('webhook', safeHost(hook.url), () => sendWebhook(hook, n, cfg.timing, ctx.signal));
    }
    if (cfg.email) {
        const email = cfg.email;
        run('email', email.to.join(', '), () => sendEmail(email, n, cfg.timing, ctx.signal));
    }
    const results = await Promise.all(jobs);
    for (const r of results)
        if (!r.ok)
            ctx.warn(`${r.channel} notification (${n.event}) to ${r.to} failed: ${r.error}`, 'notification failed');
    return results;
}
/** Job-summary section listing every notification sent in the run and how it went. */
function notifySummary(sent) {
    const rows = sent.flatMap((s) => s.results.map((r) => [s.event, r.channel, r.to, r.ok ? 'sent' : 'FAILED', String(r.attempts), r.error ?? '—']));
    return (0,summary/* tableSection */.Yc)('notifications', ['event', 'channel', 'to', 'result', 'attempts', 'error'], rows);
}

;// CONCATENATED MODULE: ./src/lib/notify/failure.ts

/** The event a failed step of each action sends (the notify-on names users write). */
function failureEvent(action) {
    if (action === 'backup-db')
        return 'backup-failed';
    if (['deploy', 'ssh-rsync-deploy', 'compose-deploy', 'paas-deploy', 'promote', 'run-release-phase'].includes(action))
        return 'deploy-failed';
    return `${action}-failed`;
}
/**
 * Called by runAction when a step fails: sends `failureEvent(action)` to the channels the action's `notify-*`
 * inputs name (none declared or set: nothing happens). Never throws — a notifier that fails, or notify inputs
 * that are wrong, become a warning; the step's own failure stays what the user sees. Returns summary markdown.
 */
async function notifyFailure(action, inputs, message, ctx, env = process.env) {
    const event = failureEvent(action);
    let cfg;
    try {
        cfg = readNotifyConfig(inputs, [event]);
    }
    catch (e) {
        ctx.warn(`no failure notification sent: ${e.message}`, 'notification failed');
        return '';
    }
    const link = env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    const results = await notifyAll(cfg, {
        event,
        severity: 'alert',
        title: `${action} failed${env.GITHUB_REPOSITORY ? ` in ${env.GITHUB_REPOSITORY}` : ''}`,
        text: message.split('\n').slice(0, 15).join('\n').slice(0, 2000),
        source: action,
        ...(env.GITHUB_REF_NAME ? { target: env.GITHUB_REF_NAME } : {}),
        ...(link ? { link } : {}),
    }, 
    // A cancelled job still reports why it stopped: not tied to the run's signal, bounded by notify-timeout.
    { warn: ctx.warn });
    return notifySummary(results.length ? [{ event, results }] : []);
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


/***/ })

};
