import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 7909:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2279);
/* harmony import */ var _lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(4549);
/* harmony import */ var _core_monitor_config_js__WEBPACK_IMPORTED_MODULE_2__ = __nccwpck_require__(1166);
/* harmony import */ var _core_monitor_run_js__WEBPACK_IMPORTED_MODULE_3__ = __nccwpck_require__(9763);
/* harmony import */ var _core_monitor_summary_js__WEBPACK_IMPORTED_MODULE_4__ = __nccwpck_require__(2);





await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('monitor', async (ctx) => {
    const cfg = (0,_core_monitor_config_js__WEBPACK_IMPORTED_MODULE_2__/* .readMonitorConfig */ .f)(ctx.inputs);
    const report = cfg.runOn === 'none'
        ? await (0,_core_monitor_run_js__WEBPACK_IMPORTED_MODULE_3__/* .runMonitor */ .a)(cfg, { ...ctx, targets: [] })
        : await (0,_lib_target_open_js__WEBPACK_IMPORTED_MODULE_1__/* .withTargets */ .d)(ctx, cfg.runOn, (opened) => (0,_core_monitor_run_js__WEBPACK_IMPORTED_MODULE_3__/* .runMonitor */ .a)(cfg, { ...ctx, targets: opened.targets }));
    const open = report.incidents.filter((i) => i.open);
    ctx.setOutput('state', report.state);
    ctx.setOutput('incident', open[0] ? String(open[0].number) : '');
    ctx.setOutput('incidents', report.incidents);
    ctx.setOutput('consecutive-failures', report.consecutiveFailures);
    ctx.setOutput('healed', report.healed);
    ctx.setOutput('checks', report.checks.map((c) => ({ kind: c.kind, ok: c.ok, problems: c.problems })));
    ctx.summary((0,_core_monitor_summary_js__WEBPACK_IMPORTED_MODULE_4__/* .monitorSummary */ .j)(cfg.name, report));
    for (const c of report.checks.filter((x) => !x.ok))
        ctx.log(`${c.kind}: FAILING\n  ${c.problems.join('\n  ')}`);
    if (report.state === 'down' && cfg.failOnDown)
        throw new Error(`${cfg.name} is down: ${report.checks
            .filter((c) => !c.ok)
            .map((c) => c.kind)
            .join(', ')} (fail-on-down is on)`);
}, 
// It sends its own notifications (incidents; maintenance-failed, backup-failed).
{ notifyOnFailure: false });

__webpack_async_result__();
} catch(e) { __webpack_async_result__(e); } }, 1);

/***/ }),

/***/ 8301:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  sw: () => (/* binding */ backupBase),
  a3: () => (/* binding */ backupTime),
  pi: () => (/* binding */ backupsOf)
});

// UNUSED EXPORTS: applyRetention, backupFileName, dayBucket, monthBucket, planKeepingNewest, planRetention, planRetentionDetailed, retentionEnabled, weekBucket

// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
// EXTERNAL MODULE: external "node:os"
var external_node_os_ = __nccwpck_require__(8161);
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
        names = readdirSync(dir);
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
        const path = join(dir, name);
        let st;
        try {
            st = lstatSync(path);
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
        rmSync(path, { force: true });
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
/** Which of `names` are backups of `base` (finished, verified ones only: `.partial`/`.unverified` never count). */
function backupsOf(names, base) {
    return names
        .filter((n) => n.startsWith(`${base}-`) && !isHeldName(n) && TS.test(n))
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
    const plan = planKeepingNewest(readdirSync(dir), base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if (statSync(join(dir, n)).isFile())
                rmSync(join(dir, n), { force: true });
        }
    }
    return plan;
}


/***/ }),

/***/ 5017:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  S: () => (/* binding */ SIDECAR_SUFFIX),
  _z: () => (/* binding */ completeNames),
  Ch: () => (/* binding */ openStore),
  vs: () => (/* binding */ readOffsiteConfig)
});

// UNUSED EXPORTS: fetchBackup, incompleteNames, offsiteSecrets, parseSidecar, parseStorageUrl, partSizeFor, resolveStored, sidecarText, storageRetention, storedBackups, uploadBackup

// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __nccwpck_require__(7598);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __nccwpck_require__(7075);
;// CONCATENATED MODULE: external "node:stream/promises"
const promises_namespaceObject = __WEBPACK_EXTERNAL_createRequire(import.meta.url)("node:stream/promises");
// EXTERNAL MODULE: ./src/lib/inputs.ts
var lib_inputs = __nccwpck_require__(1662);
;// CONCATENATED MODULE: ./src/core/backup-db/encrypt.ts


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
const encrypt_AGE_SUFFIX = '.age';
/** `encrypt-recipients`: age public keys (`age1…`), one per line or comma; `#` comments and blank lines skipped. */
function parseRecipients(lines) {
    const out = [];
    for (const raw of lines) {
        const r = raw.trim();
        if (!r || r.startsWith('#'))
            continue;
        if (/^AGE-SECRET-KEY-/i.test(r)) {
            throw new lib_inputs/* InputError */.dz('encrypt-recipients', 'holds an age identity (AGE-SECRET-KEY-…), the private key: give its public key (age1…, `age-keygen -y`) and keep the identity for decrypt-identity');
        }
        if (!/^age1[0-9a-z]+$/.test(r)) {
            throw new lib_inputs/* InputError */.dz('encrypt-recipients', `"${r.slice(0, 80)}" is not an age public key (age1…; make one with age-keygen, or age-keygen -y <identity file>)`);
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
            throw new lib_inputs/* InputError */.dz('decrypt-identity', 'is not an age identity: expected AGE-SECRET-KEY-1… lines (the file age-keygen writes)');
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
            throw new InputError('encrypt-recipients', `"${r}" is not a valid age public key (${err.message})`);
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
async function encrypt_encryptStream(plain, recipients) {
    if (!recipients.length)
        throw new Error('encryptStream: no recipients (refusing to send plaintext)');
    const age = await loadAge();
    const e = new age.Encrypter();
    for (const r of recipients)
        e.addRecipient(r);
    const web = await e.encrypt(Readable.toWeb(plain));
    return Readable.fromWeb(web);
}
/**
 * Decrypts an age stream with the identities; a wrong identity fails with a message naming decrypt-identity,
 * a truncated or altered stream fails authentication (the caller removes what was written).
 */
async function encrypt_decryptStream(cipher, identities, what) {
    if (!identities.length) {
        throw new InputError('decrypt-identity', `${what} is encrypted (age): set decrypt-identity to the age identity`);
    }
    const age = await loadAge();
    const d = new age.Decrypter();
    for (const id of identities)
        d.addIdentity(id);
    let web;
    try {
        web = await d.decrypt(Readable.toWeb(cipher));
    }
    catch (err) {
        const m = err.message;
        if (/no identity matched/i.test(m)) {
            throw new InputError('decrypt-identity', `does not decrypt ${what}: no identity matched any of its recipients (use the identity whose public key was in encrypt-recipients when it was made)`);
        }
        throw new Error(`${what}: not a readable age file (${m})`);
    }
    return Readable.fromWeb(web);
}

// EXTERNAL MODULE: ./src/core/backup-db/retention.ts + 1 modules
var retention = __nccwpck_require__(8301);
;// CONCATENATED MODULE: ./src/core/backup-db/storage.ts







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
        throw new lib_inputs/* InputError */.dz('storage', `"${url}" is not an s3://bucket/prefix URL`);
    const bucket = m[1];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
        throw new lib_inputs/* InputError */.dz('storage', `"${bucket}" is not a bucket name`);
    }
    const segments = (m[2] ?? '').split('/').filter(Boolean);
    if (segments.some((s) => s === '.' || s === '..')) {
        throw new lib_inputs/* InputError */.dz('storage', 'the prefix must not contain . or .. segments');
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
                throw new lib_inputs/* InputError */.dz(name, 'is used with storage only; set storage (s3://bucket/prefix) too');
        }
        if (identityText)
            throw new lib_inputs/* InputError */.dz('decrypt-identity', 'is used with storage only (mode: restore from it)');
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
            throw new lib_inputs/* InputError */.dz('s3-endpoint', `"${endpoint}" is not a URL (https://host[:port])`);
        }
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
            throw new lib_inputs/* InputError */.dz('s3-endpoint', 'must be http(s)://');
        if (u.username || u.password)
            throw new lib_inputs/* InputError */.dz('s3-endpoint', 'must not hold credentials; use s3-access-key-id');
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
        throw new lib_inputs/* InputError */.dz('s3-access-key-id', 'is required with storage (or AWS_ACCESS_KEY_ID in the environment)');
    if (!secretAccessKey)
        throw new lib_inputs/* InputError */.dz('s3-secret-access-key', 'is required with storage (or AWS_SECRET_ACCESS_KEY in the environment)');
    const recipients = parseRecipients(inputs.list('encrypt-recipients'));
    const identities = identityText ? parseIdentities(identityText) : [];
    if (mode === 'restore' && recipients.length) {
        throw new lib_inputs/* InputError */.dz('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
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
    return backupsOf(completeNames(await store.list(signal)), base);
}
/** S3 allows 10 000 parts: parts grow with the backup (at least 8 MiB, the SDK's minimum is 5 MiB). */
function partSizeFor(bytes) {
    const min = 8 * 1024 * 1024;
    return Math.max(min, Math.ceil((bytes * 1.01) / 9000));
}
/** sha256 + byte count of what flows through. */
function hasher() {
    const h = createHash('sha256');
    let n = 0;
    const t = new Transform({
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
    const name = encrypted ? base + AGE_SUFFIX : base;
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
            const cipher = await encryptStream(createReadStream(localFile, { highWaterMark: 256 * 1024 }), opts.recipients);
            await pipeline(cipher, h.t, createWriteStream(file, { mode: 0o600 }), { signal: opts.signal });
        }
        catch (e) {
            rmSync(file, { force: true });
            throw new Error(`encryption failed, nothing was uploaded: ${e.message}`);
        }
        sha256 = h.digest();
    }
    const sent = statSync(file).size;
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
            await pipeline(got.body, rh.t, new Writable({ write: (_c, _e, cb) => cb() }), { signal: opts.signal });
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
            rmSync(file, { force: true });
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
    const plan = planKeepingNewest(names, base, policy, newest);
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
        const newest = [...all].sort((a, b) => backupTime(a).getTime() - backupTime(b).getTime()).pop();
        if (!newest) {
            throw new InputError('restore-from', `latest: ${store.url} holds no complete backup of ${base} (a backup counts once its .sha256 object exists)`);
        }
        return newest;
    }
    let name = restoreFrom;
    if (name.startsWith('s3://')) {
        if (!name.startsWith(store.url)) {
            throw new InputError('restore-from', `${restoreFrom} is not under storage ${store.url}`);
        }
        name = name.slice(store.url.length);
    }
    if (!name || name.includes('/') || name.endsWith(SIDECAR_SUFFIX)) {
        throw new InputError('restore-from', `"${restoreFrom}" is not a backup name under ${store.url} (or latest)`);
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
        throw new InputError('restore-from', exists
            ? `${url} has no ${SIDECAR_SUFFIX} object: its upload never finished verification; restore another backup`
            : `${url} does not exist`);
    }
    const expected = parseSidecar(side, name);
    const encrypted = name.endsWith(AGE_SUFFIX);
    const localName = encrypted ? name.slice(0, -AGE_SUFFIX.length) : name;
    const path = `${dir}/${localName}`;
    const got = await store.get(name, signal);
    const stored = hasher();
    const plain = hasher();
    got.body.pipe(stored.t);
    got.body.once('error', (e) => stored.t.destroy(e));
    try {
        const clear = encrypted ? await decryptStream(stored.t, identities, url) : stored.t;
        await pipeline(clear, plain.t, createWriteStream(path, { mode: 0o600 }), { signal });
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
        rmSync(path, { force: true });
        if (encrypted && !(e instanceof InputError) && !signal?.aborted && !/sha256/.test(e.message)) {
            throw new Error(`${url}: decryption failed, the file was altered or cut short (${e.message})`);
        }
        throw e;
    }
}


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

/***/ 1928:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   Fp: () => (/* binding */ startServices),
/* harmony export */   U6: () => (/* binding */ resourceFigures),
/* harmony export */   Xu: () => (/* binding */ inspectContainers),
/* harmony export */   lc: () => (/* binding */ assertServiceName),
/* harmony export */   oX: () => (/* binding */ operationCommands),
/* harmony export */   ts: () => (/* binding */ listContainers)
/* harmony export */ });
/* unused harmony export OPERATIONS */
/* harmony import */ var _lib_compose_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(9163);
/* harmony import */ var _lib_errors_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(7268);


/** What an operator can ask for by hand (workflow_dispatch) or a monitor can trigger. */
const OPERATIONS = (/* unused pure expression or super */ null && ([
    'status',
    'logs',
    'restart-all',
    'restart-service',
    'restart-backend',
    'restart-db',
    'heal',
    'update',
    'migrate',
    'collectstatic',
    'clean-docker',
]));
const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;
function assertServiceName(name, input) {
    if (!SERVICE_RE.test(name))
        throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d(input, `"${name}" is not a compose service name`);
    return name;
}
/** Container ids of every service of the project, running or not. */
function listContainers(p) {
    return (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['ps', '-a', '-q'], { label: 'compose ps' });
}
/** One JSON object per container: name, service, state, health, restart count. */
function inspectContainers(ids) {
    return {
        argv: [
            'docker',
            'inspect',
            '--format',
            '{"id":{{json .Id}},"name":{{json .Name}},"labels":{{json .Config.Labels}},"state":{{json .State}},"restarts":{{.RestartCount}}}',
            ...ids,
        ],
        label: 'docker inspect',
    };
}
function resourceFigures(ids) {
    return {
        argv: ['docker', 'stats', '--no-stream', '--format', '{{json .}}', ...ids],
        label: 'docker stats',
    };
}
/** The commands an operation runs, in order, for a project whose compose flavor is known. */
function operationCommands(op, p, s) {
    const manage = (args, label) => (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['exec', '-T', s.backendService, s.python, 'manage.py', ...args], { label });
    switch (op) {
        case 'logs': {
            const args = ['logs', '--no-color', '--tail', String(s.logLines)];
            if (s.logSince)
                args.push('--since', s.logSince);
            if (s.service)
                args.push(s.service);
            return [(0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, args, { label: `logs ${s.service ?? '(all)'}` })];
        }
        case 'restart-all':
            return [(0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['restart'], { label: 'restart all services' })];
        case 'restart-service':
            if (!s.service)
                throw new _lib_errors_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .d('service', 'is required for restart-service');
            return [(0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['restart', s.service], { label: `restart ${s.service}` })];
        case 'restart-backend':
            return [(0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['restart', s.backendService], { label: `restart ${s.backendService}` })];
        case 'restart-db':
            return [(0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['restart', s.dbService], { label: `restart ${s.dbService}` })];
        case 'migrate':
            return [manage(['migrate', '--noinput'], 'manage.py migrate')];
        case 'collectstatic':
            return [manage(['collectstatic', '--noinput'], 'manage.py collectstatic')];
        case 'update': {
            // Pull first so a missing image or a refused login fails before any container is replaced; then
            // recreate only what changed. Never build on the server: the pipeline pins images (e.g. by digest).
            const only = s.service ? [s.service] : [];
            return [
                (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['pull', ...only], { label: `pull ${s.service ?? '(all)'}` }),
                (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['up', '-d', '--no-build', '--remove-orphans', ...only], {
                    label: `up ${s.service ?? '(all)'}`,
                }),
            ];
        }
        case 'clean-docker':
            // Never volumes: data lives there. Only stopped containers, dangling/old unused images, build cache.
            return [
                { argv: ['docker', 'container', 'prune', '-f'], label: 'prune stopped containers' },
                {
                    argv: ['docker', 'image', 'prune', '-a', '-f', '--filter', `until=${s.pruneOlderThanHours}h`],
                    label: `prune unused images older than ${s.pruneOlderThanHours}h`,
                },
                {
                    argv: ['docker', 'builder', 'prune', '-f', '--filter', `until=${s.pruneOlderThanHours}h`],
                    label: 'prune build cache',
                },
                { argv: ['docker', 'system', 'df'], label: 'disk usage' },
            ];
    }
}
/** Bring back services whose containers stopped (the monitor's "restart what stopped"). */
function startServices(p, services) {
    return (0,_lib_compose_js__WEBPACK_IMPORTED_MODULE_0__/* .composeCommand */ .e)(p, ['up', '-d', '--no-recreate', '--no-build', ...services], {
        label: `start ${services.join(', ')}`,
    });
}


/***/ }),

/***/ 1166:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  f: () => (/* binding */ readMonitorConfig)
});

// UNUSED EXPORTS: MONITOR_NOTIFY_DEFAULT

// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __nccwpck_require__(7268);
// EXTERNAL MODULE: ./src/lib/inputs.ts
var lib_inputs = __nccwpck_require__(1662);
// EXTERNAL MODULE: ./src/lib/notify/index.ts + 5 modules
var notify = __nccwpck_require__(3651);
// EXTERNAL MODULE: ./src/core/backup-db/storage.ts + 2 modules
var storage = __nccwpck_require__(5017);
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

// EXTERNAL MODULE: ./src/core/maintenance-dispatch/operations.ts
var operations = __nccwpck_require__(1928);
;// CONCATENATED MODULE: ./src/core/monitor/config.ts






/** The monitor probes a live site on a schedule: shorter waits than a post-deploy gate by default. */
const HEALTH_DEFAULTS = { deadline: '1m', period: '5s', timeout: '10s' };
const MONITOR_NOTIFY_DEFAULT = ['incident-opened', 'incident-resolved', 'heal-failed'];
function percent(inputs, name, fallback) {
    const v = inputs.raw(name).replace(/%$/, '');
    if (!v)
        return fallback;
    if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 100)
        throw new errors/* InputError */.d(name, `"${inputs.raw(name)}" is not a percentage like 90%`);
    return Number(v);
}
function readMonitorConfig(inputs, env = process.env) {
    const urls = inputs.list('url');
    if (urls.length)
        inputs.headers('headers'); // masks each header value before anything prints
    const health = urls.length
        ? readHealthGateConfig(new lib_inputs/* Inputs */.G0((n) => (n === 'headers' ? inputs.secret(n) : inputs.raw(n)) || HEALTH_DEFAULTS[n] || ''))
        : undefined;
    const hosts = inputs.list('hosts');
    const runOn = inputs.choice('run-on', ['ssh', 'local', 'none'], hosts.length ? 'ssh' : 'none');
    if (runOn === 'ssh' && !hosts.length)
        throw new errors/* InputError */.d('hosts', 'is required with run-on: ssh');
    const path = inputs.raw('path');
    if (path && (/(^|\/)\.\.(\/|$)/.test(path) || !path.startsWith('/')))
        throw new errors/* InputError */.d('path', `"${path}" must be an absolute path without ..`);
    const onHost = runOn !== 'none';
    const project = inputs.raw('project-name') || undefined;
    const backupDir = inputs.raw('backup-dir') || undefined;
    if (backupDir && !backupDir.startsWith('/'))
        throw new errors/* InputError */.d('backup-dir', `"${backupDir}" must be an absolute path on the host (run-on: ssh or local)`);
    if (backupDir && !onHost)
        throw new errors/* InputError */.d('backup-dir', 'needs run-on: ssh or local (the directory is on the host)');
    const storageUrl = inputs.raw('backup-storage');
    const S3_SECRET = new Set(['s3-access-key-id', 's3-secret-access-key', 's3-session-token']);
    const backupStorage = storageUrl
        ? (0,storage/* readOffsiteConfig */.vs)(new lib_inputs/* Inputs */.G0((n) => n === 'storage'
            ? storageUrl
            : n.startsWith('s3-')
                ? S3_SECRET.has(n)
                    ? inputs.secret(n)
                    : inputs.raw(n)
                : ''), 'backup', inputs.duration('command-timeout', '2m', { min: 1000 }), env).storage
        : undefined;
    const diskRaw = inputs.list('disk-paths');
    const diskPaths = !onHost || diskRaw.includes('none') ? [] : diskRaw.length ? diskRaw : ['/'];
    for (const p of diskPaths)
        if (!p.startsWith('/'))
            throw new errors/* InputError */.d('disk-paths', `"${p}" must be an absolute path`);
    const checkContainers = onHost && inputs.boolean('check-containers', true);
    let errorPattern;
    const pat = inputs.string('error-pattern', '\\b(ERROR|CRITICAL|FATAL)\\b|Traceback \\(most recent call last\\)');
    try {
        errorPattern = new RegExp(pat);
    }
    catch (e) {
        throw new errors/* InputError */.d('error-pattern', e.message);
    }
    let maintenanceUntil;
    const mu = inputs.raw('maintenance-until');
    if (mu) {
        maintenanceUntil = new Date(mu);
        if (Number.isNaN(maintenanceUntil.getTime()))
            throw new errors/* InputError */.d('maintenance-until', `"${mu}" is not a date and time like 2026-12-01T06:00:00Z`);
    }
    const token = inputs.secret('github-token');
    if (!token)
        throw new errors/* InputError */.d('github-token', 'is required (the incident issues keep the state): pass ${{ github.token }} with `permissions: issues: write`');
    const repository = inputs.raw('repository') || env.GITHUB_REPOSITORY || '';
    if (!/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(repository))
        throw new errors/* InputError */.d('repository', `"${repository}" is not owner/name (defaults to the workflow's repository)`);
    const backend = (0,operations/* assertServiceName */.lc)(inputs.string('backend-service', 'web'), 'backend-service');
    const healServices = inputs.list('heal-services');
    for (const s of healServices)
        (0,operations/* assertServiceName */.lc)(s, 'heal-services');
    const name = inputs.raw('name') ||
        (urls[0] ? new URL(urls[0]).host : '') ||
        project ||
        (path ? path.split('/').filter(Boolean).pop() : '') ||
        'app';
    if (!/^[^\s/][^/]{0,60}$/.test(name))
        throw new errors/* InputError */.d('name', `"${name}" must be 1-61 characters without / (it names the incident issues)`);
    const cfg = {
        name,
        health,
        runOn,
        compose: { files: inputs.list('compose-file'), cwd: path || undefined, project },
        env: inputs.env('env'),
        checkContainers,
        maxRestarts: inputs.integer('max-restarts', 3, { min: 0 }),
        diskPaths,
        maxDiskUsage: percent(inputs, 'max-disk-usage', 90),
        maxInodeUsage: percent(inputs, 'max-inode-usage', 90),
        checkLogs: checkContainers && inputs.boolean('check-logs', true),
        errorPattern,
        maxErrorLines: inputs.integer('max-error-lines', 10, { min: 0 }),
        logWindowMs: inputs.duration('log-window', '4h', { min: 1000 }),
        backupDir,
        backupStorage,
        backupDatabase: inputs.raw('backup-database') || undefined,
        maxBackupAgeMs: inputs.duration('max-backup-age', '26h', { min: 60_000 }),
        thresholds: {
            failuresToOpen: inputs.integer('failures-to-open', 3, { min: 1, max: 1000 }),
            successesToClose: inputs.integer('successes-to-close', 2, { min: 1, max: 1000 }),
            restartAfter: inputs.integer('restart-after', 0, { min: 0, max: 1000 }),
        },
        healServices: healServices.length ? healServices : [backend],
        maintenanceUntil,
        maintenanceLabel: inputs.string('maintenance-label', 'maintenance'),
        github: { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository, token },
        issueLabels: inputs.list('issue-labels').length ? inputs.list('issue-labels') : ['incident'],
        runUrl: env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
            ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
            : undefined,
        lockPath: inputs.raw('lock-path') || path || undefined,
        lockTimeoutMs: inputs.duration('lock-timeout', '2m'),
        commandTimeoutMs: inputs.duration('command-timeout', '2m', { min: 1000 }),
        notify: (0,notify/* readNotifyConfig */.UW)(inputs, MONITOR_NOTIFY_DEFAULT),
        failOnDown: inputs.boolean('fail-on-down', false),
    };
    if (cfg.issueLabels.includes(cfg.maintenanceLabel))
        throw new errors/* InputError */.d('issue-labels', `must not include the maintenance label "${cfg.maintenanceLabel}" (it would suppress itself)`);
    if (cfg.thresholds.restartAfter > 0 && !onHost)
        throw new errors/* InputError */.d('restart-after', 'needs run-on: ssh or local (healing restarts containers on the host)');
    if (!health && !onHost && !backupStorage)
        throw new errors/* InputError */.d('url', 'is required when run-on is none (nothing else to check); or set hosts for the host checks');
    if (cfg.thresholds.restartAfter > 0 && !cfg.lockPath)
        throw new errors/* InputError */.d('path', 'is required with restart-after (a heal takes the deploy lock under it; or set lock-path)');
    if (onHost && (checkContainers || cfg.thresholds.restartAfter > 0) && !path && !project)
        throw new errors/* InputError */.d('path', 'is required for the container checks (the compose project directory), or set check-containers: false');
    return cfg;
}


/***/ }),

/***/ 9763:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  a: () => (/* binding */ runMonitor)
});

// UNUSED EXPORTS: MONITOR_LABEL

// EXTERNAL MODULE: ./src/lib/compose.ts
var compose = __nccwpck_require__(9163);
// EXTERNAL MODULE: ./src/lib/exec/types.ts
var types = __nccwpck_require__(5504);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __nccwpck_require__(1737);
// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(8867);
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
                    await exec.run(unlockCommand(base, o.owner), { timeoutMs: timeouts/* TIMEOUTS */.f.unlockMs });
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
var lib_notify = __nccwpck_require__(3651);
// EXTERNAL MODULE: external "node:fs"
var external_node_fs_ = __nccwpck_require__(3024);
// EXTERNAL MODULE: ./src/lib/duration.ts
var duration = __nccwpck_require__(2543);
// EXTERNAL MODULE: ./src/core/backup-db/retention.ts + 1 modules
var retention = __nccwpck_require__(8301);
// EXTERNAL MODULE: external "node:path"
var external_node_path_ = __nccwpck_require__(6760);
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
    const r = await (0,types/* runChecked */.X4)(exec, listDirCommand(dir), { signal, timeoutMs: 60_000 });
    return r.stdout.split('\n').filter(Boolean);
}
async function hostRetention(exec, dir, base, policy, newest, dryRun, signal) {
    const names = await listRemoteDir(exec, dir, signal);
    if (!names.includes(newest))
        throw new Error(`${newest} is not in ${dir} on ${exec.target}: retention there skipped`);
    const plan = planKeepingNewest(names, base, policy, newest);
    // Bounded argv: remove in batches of 200 names.
    if (!dryRun) {
        for (let i = 0; i < plan.remove.length; i += 200) {
            await runChecked(exec, removeFilesCommand(dir, plan.remove.slice(i, i + 200)), { signal, timeoutMs: 120_000 });
        }
    }
    return plan;
}

// EXTERNAL MODULE: ./src/core/backup-db/storage.ts + 2 modules
var storage = __nccwpck_require__(5017);
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
var redact = __nccwpck_require__(310);
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
var json_expect = __nccwpck_require__(6330);
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
        return {
            url: shownUrl,
            healthy: verdict.healthy,
            attempts: history.length,
            status: last.status ?? null,
            latencyMs: history.length ? last.latencyMs : null,
            reason: verdict.reason,
            ...(last.tlsDaysLeft !== undefined ? { tlsDaysLeft: Math.floor(last.tlsDaysLeft) } : {}),
            latency: {
                min: lat.length ? Math.min(...lat) : 0,
                p50: percentile(lat, 50),
                p95: percentile(lat, 95),
                max: lat.length ? Math.max(...lat) : 0,
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
        max: latencies.length ? Math.max(...latencies) : 0,
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
var operations = __nccwpck_require__(1928);
// EXTERNAL MODULE: ./src/lib/output.ts
var output = __nccwpck_require__(9858);
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

;// CONCATENATED MODULE: ./src/core/monitor/issues.ts
/**
 * The GitHub Issues REST API, as much as the monitor needs (https://docs.github.com/rest/issues): list issues
 * by label, create, update (body, state), comment. Bounded: one timeout per request, a few retries on 5xx and
 * network errors with back-off, a page cap on listing.
 */


class GitHubApiError extends Error {
    status;
    constructor(message, status) {
        super(message);
        this.status = status;
        this.name = 'GitHubApiError';
    }
}
const MAX_PAGES = 10;
async function api(gh, method, path, body) {
    const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
    return (0,retry/* retry */.L5)({ attempts: 3, initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 }, async () => {
        const signals = [AbortSignal.timeout(timeouts/* TIMEOUTS */.f.githubApiMs)];
        if (gh.signal)
            signals.push(gh.signal);
        let res;
        try {
            res = await fetch(url, {
                method,
                headers: {
                    accept: 'application/vnd.github+json',
                    authorization: `Bearer ${gh.token}`,
                    'x-github-api-version': '2022-11-28',
                    'user-agent': 'deploy-kit-monitor',
                    ...(body ? { 'content-type': 'application/json' } : {}),
                },
                ...(body ? { body: JSON.stringify(body) } : {}),
                signal: AbortSignal.any(signals),
            });
        }
        catch (e) {
            const err = e;
            throw new GitHubApiError(`GitHub API ${method} ${path.split('?')[0]}: ${err.cause?.code ?? err.message}`, 0);
        }
        const text = await res.text();
        if (!res.ok) {
            let msg = text.slice(0, 300);
            try {
                msg = JSON.parse(text).message ?? msg;
            }
            catch {
                /* not JSON */
            }
            const hint = res.status === 403 || res.status === 404
                ? ' (give the workflow `permissions: issues: write` and check `repository`)'
                : res.status === 401
                    ? ' (github-token is not valid)'
                    : res.status === 410
                        ? ' (issues are disabled in this repository: enable them in Settings)'
                        : '';
            throw new GitHubApiError(`GitHub API ${method} ${path.split('?')[0]}: ${res.status} ${msg}${hint}`, res.status);
        }
        return (text ? JSON.parse(text) : undefined);
    }, (e) => e instanceof GitHubApiError && (e.status === 0 || e.status >= 500 || e.status === 429), gh.signal);
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
async function runMonitor(cfg, deps) {
    const now = deps.now?.() ?? new Date();
    const gh = { ...cfg.github, signal: deps.signal };
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
    const quiet = { timeoutMs: cfg.commandTimeoutMs, signal: deps.signal };
    const run = (t, cmd, o = quiet) => (0,types/* runChecked */.X4)(t, { ...cmd, env: { ...cfg.env, ...cmd.env } }, o);
    const notify = async (n) => {
        const results = await (0,lib_notify/* notifyAll */.x9)(cfg.notify, { ...n, source: 'monitor', target: cfg.name }, deps);
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
        for (const t of deps.targets) {
            const w = parseMaintenance((await run(t, readMaintenanceCommand(cfg.lockPath))).stdout);
            if (!w)
                continue;
            if (isActive(w, now))
                reasons.push(`maintenance-on on ${t.target} until ${w.until || '(no end)'}${w.reason ? `: ${w.reason}` : ''}`);
            else {
                await run(t, maintenanceOffCommand(cfg.lockPath));
                deps.warn(`${t.target}: the maintenance window ended at ${w.until}; the monitor switched the maintenance page off`, 'maintenance');
            }
        }
    }
    if (reasons.length) {
        report.state = 'maintenance';
        report.maintenance = reasons.join('; ');
        deps.log(`maintenance window: ${report.maintenance} — no checks counted, no incident opened or closed, no heal`);
        report.incidents = openIncidents();
        report.consecutiveFailures = Math.max(0, ...[...known.values()].map((c) => c.state.failures));
        return report;
    }
    // 3. Checks. A check that cannot run fails (closed), saying why.
    const results = new Map();
    const add = (k, problems) => results.set(k, [...(results.get(k) ?? []), ...problems]);
    if (cfg.health) {
        deps.log(`endpoint: ${cfg.health.urls.join(', ')}`);
        report.health = await runHealthGate(cfg.health, {}, deps.signal);
        add('endpoint', report.health.failures);
    }
    if (cfg.backupStorage) {
        try {
            report.storage = await backupFreshness({ kind: 'storage', storage: cfg.backupStorage }, {
                maxAgeMs: cfg.maxBackupAgeMs,
                now,
                signal: deps.signal,
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
    for (const t of deps.targets) {
        if (cfg.checkContainers) {
            try {
                const flavor = await (0,compose/* detectCompose */.i)(t, deps.signal);
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
                    throw new Error(`${cfg.backupDir} cannot be listed: ${(r.stderr || r.stdout).trim().slice(0, 300)}`);
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
        for (const t of deps.targets) {
            const what = [];
            let ok = true;
            let lock;
            try {
                lock = await acquireLock(t, cfg.lockPath, {
                    owner: `monitor ${cfg.runUrl ?? ''} ${now.toISOString()}`.trim(),
                    timeoutMs: cfg.lockTimeoutMs,
                    ttlMs: 3_600_000,
                    signal: deps.signal,
                });
                const settings = {
                    compose: cfg.compose,
                    backendService: cfg.healServices[0],
                    dbService: 'db',
                    logLines: 50,
                    python: 'python',
                    pruneOlderThanHours: 168,
                };
                const heal = await runMaintenance(t, 'heal', settings, deps, {
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
                    const p = { flavor: await (0,compose/* detectCompose */.i)(t, deps.signal), ...cfg.compose };
                    await run(t, (0,compose/* composeCommand */.e)(p, ['restart', ...cfg.healServices], { label: `restart ${cfg.healServices.join(', ')}` }));
                    what.push(`restarted ${cfg.healServices.join(', ')}`);
                }
            }
            catch (e) {
                ok = false;
                what.push(`heal failed: ${e.message}`);
            }
            finally {
                await lock?.release().catch(() => undefined);
            }
            const rec = { at: now.toISOString(), what: what.join('; ') || 'nothing to start', ok };
            report.heals.push({ ...rec, target: t.target });
            for (const d of toHeal)
                d.next.heals.push({ ...rec, what: `${t.target}: ${rec.what}` });
            deps.log(`heal on ${t.target}: ${rec.what}${ok ? '' : ' (FAILED)'}`);
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

/***/ 2:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   j: () => (/* binding */ monitorSummary)
/* harmony export */ });
/* harmony import */ var _lib_notify_index_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(3651);
/* harmony import */ var _lib_summary_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(1119);


function monitorSummary(name, r) {
    const icon = r.state === 'up' ? '🟢' : r.state === 'down' ? '🔴' : '🛠️';
    let md = (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)(`monitor: ${name} ${icon} ${r.state}`);
    if (r.maintenance)
        md += `\nMaintenance window: ${r.maintenance}. Checks were not counted; no incident was opened or closed; nothing was healed.\n`;
    if (r.checks.length)
        md += (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['check', 'result', 'problems'], r.checks.map((c) => [c.kind, c.ok ? 'ok' : 'FAILING', c.problems.join('\n') || '—']));
    if (r.incidents.length)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('incident issues', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['kind', 'issue', 'state', 'this run', 'consecutive failures'], r.incidents.map((i) => [i.kind, `#${i.number}`, i.open ? 'open' : 'closed', i.action, String(i.failures)]));
    if (r.heals.length)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('heals', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['host', 'what', 'result'], r.heals.map((h) => [h.target, h.what, h.ok ? 'ok' : 'FAILED']));
    if (r.health)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('endpoints', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['URL', 'result', 'status', 'p95', 'TLS days left', 'reason'], r.health.urls.map((u) => [
                    u.url,
                    u.healthy ? 'healthy' : 'unhealthy',
                    u.status === null ? '—' : String(u.status),
                    `${u.latency.p95} ms`,
                    u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
                    u.reason || '—',
                ])) +
                (r.health.load
                    ? `\nSmoke load: ${r.health.load.requests} requests, error rate ${(r.health.load.errorRate * 100).toFixed(2)}%, p95 ${r.health.load.p95} ms — ${r.health.load.verdict}\n`
                    : '');
    if (r.containers.length)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('containers', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['host', 'service', 'container', 'state', 'health', 'restarts', 'CPU', 'memory'], r.containers.map((c) => [
                    c.target,
                    c.service,
                    c.name,
                    c.state,
                    c.health ?? '—',
                    String(c.restarts),
                    c.cpu ?? '—',
                    c.memory ?? '—',
                ]));
    if (r.disk.length)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('disk', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['host', 'path', 'mount', 'used', 'inodes used'], r.disk.map((d) => [
                    d.target,
                    d.path,
                    d.mount,
                    d.usedPercent === null ? '—' : `${d.usedPercent}%`,
                    d.inodesUsedPercent === null ? '—' : `${d.inodesUsedPercent}%`,
                ]));
    if (r.errorLines.count)
        md += `\n${r.errorLines.count} error line(s) in the logs since the last run:\n\n\`\`\`\n${r.errorLines.samples.join('\n').replace(/```/g, "'''")}\n\`\`\`\n`;
    if (r.backups.length)
        md +=
            '\n' +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .heading */ .R_)('backups', 4) +
                (0,_lib_summary_js__WEBPACK_IMPORTED_MODULE_1__/* .markdownTable */ .Qj)(['host', 'newest', 'size', 'written'], r.backups.map((b) => [
                    b.target,
                    b.newest?.path ?? '(none)',
                    b.newest ? String(b.newest.size) : '—',
                    b.newest ? new Date(b.newest.mtimeMs).toISOString() : '—',
                ]));
    if (r.storage)
        md += `\nBackup storage: ${r.storage.message} (${r.storage.count} finished backup(s)).\n`;
    md += (0,_lib_notify_index_js__WEBPACK_IMPORTED_MODULE_0__/* .notifySummary */ .QB)(r.notifications);
    return md;
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
// EXTERNAL MODULE: ./src/lib/inputs.ts
var inputs = __nccwpck_require__(1662);
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
            const { notifyFailure } = await __nccwpck_require__.e(/* import() */ 43).then(__nccwpck_require__.bind(__nccwpck_require__, 7043));
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

/***/ 9163:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   e: () => (/* binding */ composeCommand),
/* harmony export */   i: () => (/* binding */ detectCompose)
/* harmony export */ });
/* harmony import */ var _timeouts_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(8867);

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
    const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.probeMs, signal });
    if (v2.end === 'exit' && v2.code === 0)
        return 'v2';
    const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.probeMs, signal });
    if (v1.end === 'exit' && v1.code === 0)
        return 'v1';
    throw new Error(`neither \`docker compose\` (v2 plugin) nor \`docker-compose\` (v1) works on ${exec.target}; install the docker-compose-plugin package`);
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

/***/ 3651:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {


// EXPORTS
__nccwpck_require__.d(__webpack_exports__, {
  x9: () => (/* binding */ notifyAll),
  QB: () => (/* binding */ notifySummary),
  UW: () => (/* binding */ readNotifyConfig)
});

// UNUSED EXPORTS: hasChannels

// EXTERNAL MODULE: ./src/lib/errors.ts
var errors = __nccwpck_require__(7268);
// EXTERNAL MODULE: ./src/lib/summary.ts
var summary = __nccwpck_require__(1119);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __nccwpck_require__(1737);
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
    const nodemailer = await __nccwpck_require__.e(/* import() */ 739).then(__nccwpck_require__.bind(__nccwpck_require__, 6739));
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
    if (!rows.length)
        return '';
    return ('\n' + (0,summary/* heading */.R_)('notifications', 4) + (0,summary/* markdownTable */.Qj)(['event', 'channel', 'to', 'result', 'attempts', 'error'], rows));
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

/***/ 1737:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
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

/***/ 4549:
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
var types = __nccwpck_require__(5504);
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
/******/ var __webpack_exports__ = __nccwpck_require__(7909);
/******/ __webpack_exports__ = await __webpack_exports__;
/******/ 
