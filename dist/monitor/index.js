import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
/******/ var __webpack_modules__ = ({

/***/ 7909:
/***/ ((module, __unused_webpack___webpack_exports__, __nccwpck_require__) => {

__nccwpck_require__.a(module, async (__webpack_handle_async_dependencies__, __webpack_async_result__) => { try {
/* harmony import */ var _lib_action_js__WEBPACK_IMPORTED_MODULE_0__ = __nccwpck_require__(2279);
/* harmony import */ var _core_monitor_config_js__WEBPACK_IMPORTED_MODULE_1__ = __nccwpck_require__(3670);


await (0,_lib_action_js__WEBPACK_IMPORTED_MODULE_0__/* .runAction */ .C)('monitor', async (ctx) => {
    const cfg = (0,_core_monitor_config_js__WEBPACK_IMPORTED_MODULE_1__/* .readMonitorConfig */ .f)(ctx.inputs);
    // The targets, the run and the summary load on first use, after the inputs
    // are read: a step's start pays only for the entry and its config.
    const [{ withTargets }, { runMonitor }, { monitorSummary }] = await Promise.all([
        __nccwpck_require__.e(/* import() */ 549).then(__nccwpck_require__.bind(__nccwpck_require__, 4549)),
        __nccwpck_require__.e(/* import() */ 88).then(__nccwpck_require__.bind(__nccwpck_require__, 4088)),
        __nccwpck_require__.e(/* import() */ 2).then(__nccwpck_require__.bind(__nccwpck_require__, 2)),
    ]);
    const report = cfg.runOn === 'none'
        ? await runMonitor(cfg, { ...ctx, targets: [] })
        : await withTargets(ctx, cfg.runOn, (opened) => runMonitor(cfg, { ...ctx, targets: opened.targets }));
    const open = report.incidents.filter((i) => i.open);
    ctx.setOutput('state', report.state);
    ctx.setOutput('incident', open[0] ? String(open[0].number) : '');
    ctx.setOutput('incidents', report.incidents);
    ctx.setOutput('consecutive-failures', report.consecutiveFailures);
    ctx.setOutput('healed', report.healed);
    ctx.setOutput('checks', report.checks.map((c) => ({ kind: c.kind, ok: c.ok, problems: c.problems })));
    ctx.summary(monitorSummary(cfg.name, report));
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
  S: () => (/* binding */ SIDECAR_SUFFIX),
  sw: () => (/* binding */ backupBase),
  a3: () => (/* binding */ backupTime),
  pi: () => (/* binding */ backupsOf),
  hw: () => (/* binding */ splitBySidecar)
});

// UNUSED EXPORTS: applyRetention, backupFileName, dayBucket, monthBucket, planKeepingNewest, planRetention, planRetentionDetailed, planWithSidecars, pruneListed, retentionEnabled, weekBucket

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
    const names = readdirSync(dir);
    const plan = sidecars
        ? planWithSidecars(names, base, policy, newest)
        : planKeepingNewest(names, base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if (sidecars)
                rmSync(join(dir, n + SIDECAR_SUFFIX), { force: true });
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
  S: () => (/* reexport */ retention/* SIDECAR_SUFFIX */.S),
  _z: () => (/* binding */ completeNames),
  Ch: () => (/* binding */ openStore),
  vs: () => (/* binding */ readOffsiteConfig)
});

// UNUSED EXPORTS: decryptLocalBackup, encryptBackup, fetchBackup, incompleteNames, offsiteSecrets, parseSidecar, parseStorageUrl, partSizeFor, resolveStored, sidecarText, storageRetention, storedBackups, uploadBackup

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __nccwpck_require__(8867);
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
            if (name === 'encrypt-recipients' && inputs.string('remote-dir'))
                continue;
            if (inputs.raw(name))
                throw new lib_inputs/* InputError */.dz(name, name === 'encrypt-recipients'
                    ? 'is used with storage or remote-dir only (the copies that leave the runner); set one of them too'
                    : 'is used with storage only; set storage (s3://bucket/prefix) too');
        }
        if (identityText && mode !== 'restore')
            throw new lib_inputs/* InputError */.dz('decrypt-identity', 'is used with storage or a .age restore-from, in mode: restore only');
        // remote-dir without storage: its copy on the server is encrypted when recipients are given; a restore from
        // such a copy (restore-from: <file>.age) decrypts it with decrypt-identity.
        const recipients = parseRecipients(inputs.list('encrypt-recipients'));
        if (mode === 'restore' && recipients.length) {
            throw new lib_inputs/* InputError */.dz('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
        }
        return { recipients, identities: identityText ? parseIdentities(identityText) : [] };
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
            connectTimeoutMs: timeouts/* TIMEOUTS */.f.connectMs,
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
    const { S3Store } = await Promise.all(/* import() */[__nccwpck_require__.e(711), __nccwpck_require__.e(44)]).then(__nccwpck_require__.bind(__nccwpck_require__, 1044));
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
    return (0,retention/* splitBySidecar */.hw)(objects.map((o) => o.name)).complete;
}
/** Data objects without a checksum object: an upload killed after it completed and before it was verified. */
function incompleteNames(objects) {
    return splitBySidecar(objects.map((o) => o.name)).unverified;
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
/** sha256 + byte count of what flows through (its dead chunks freed as they pile up: memory.ts). */
function hasher() {
    // node:crypto on first use: monitor's config reads the storage inputs from here at every step's start.
    const h = process.getBuiltinModule('node:crypto').createHash('sha256');
    let n = 0;
    const t = new Transform({
        transform(chunk, _e, cb) {
            h.update(chunk);
            n += chunk.length;
            noteStreamed(chunk.length);
            cb(null, chunk);
        },
    });
    return { t, digest: () => h.digest('hex'), bytes: () => n };
}
/**
 * Encrypts a finished backup file to the age recipients into `<dir>/<name>.age` (0600), streamed, the ciphertext
 * hashed on the way. Fails closed: on any error the partial ciphertext is removed and nothing else happens.
 */
async function encryptBackup(localFile, dir, recipients, signal) {
    const name = localFile.split('/').pop() + AGE_SUFFIX;
    const file = `${dir}/${name}`;
    const h = hasher();
    try {
        // The plaintext is counted too (its chunks and age's copies of them are garbage as well: memory.ts).
        const plainIn = createReadStream(localFile, { highWaterMark: 256 * 1024 });
        const counted = hasher();
        plainIn.once('error', (e) => counted.t.destroy(e));
        const cipher = await encryptStream(plainIn.pipe(counted.t), recipients);
        await pipeline(cipher, h.t, createWriteStream(file, { mode: 0o600 }), { signal });
    }
    catch (e) {
        rmSync(file, { force: true });
        throw new Error(`encryption failed, nothing was uploaded: ${e.message}`);
    }
    return { file, name, sha256: h.digest() };
}
/**
 * Uploads a finished, verified backup file: streamed from disk (encrypted first when recipients are
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
    let ownCipher = false;
    if (encrypted) {
        // Encrypted into the private dir first: the upload then streams a file from disk in parts with flat memory,
        // and nothing is sent before the whole backup is encrypted.
        const enc = opts.encrypted ?? (await encryptBackup(localFile, opts.tmpDir, opts.recipients, opts.signal));
        ownCipher = !opts.encrypted;
        file = enc.file;
        sha256 = enc.sha256;
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
        if (ownCipher)
            rmSync(file, { force: true });
    }
}
/**
 * Retention over the complete backups of `base` in the store (the same rules as output-dir). Runs only after
 * the new backup was stored and verified; never removes `newest`. Removes the `.sha256` first (the backup
 * stops counting), then the data object. Objects without a `.sha256` are never counted nor removed: `unverified`.
 */
async function storageRetention(store, base, policy, newest, dryRun, signal) {
    const names = (await store.list(signal)).map((o) => o.name);
    return pruneListed(names, store.url, base, policy, newest, {
        dryRun,
        sidecars: true,
        remove: async (batch) => {
            for (const n of batch)
                await store.remove(n, signal);
        },
    });
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
async function fetchBackup(store, name, dir, identities, signal, allowUnverified = false) {
    const url = store.url + name;
    const side = await store.getText(name + SIDECAR_SUFFIX, signal);
    if (side === undefined) {
        const exists = await store.head(name, signal);
        if (!exists)
            throw new InputError('restore-from', `${url} does not exist`);
        if (!allowUnverified) {
            throw new InputError('restore-from', `${url} has no ${SIDECAR_SUFFIX} object: its upload never finished verification; restore another backup, or set allow-unverified: true to restore it anyway`);
        }
    }
    // allow-unverified without a .sha256: only the plaintext sha256 recorded at upload (when there is one) is checked.
    const expected = side === undefined ? undefined : parseSidecar(side, name);
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
        if (expected !== undefined && sha256 !== expected)
            throw new Error(`${url}: downloaded sha256 ${sha256}, its .sha256 object says ${expected}`);
        const recorded = got.metadata['dk-plain-sha256'];
        if (recorded && recorded !== plain.digest()) {
            throw new Error(`${url}: the restored bytes hash to ${plain.digest()}, ${recorded} was recorded at backup time`);
        }
        return { url, name, path, sha256, sizeBytes: stored.bytes(), encrypted, ...(expected ? {} : { unverified: true }) };
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
/**
 * Decrypts a runner file `<name>.age` (a remote-dir copy made with encrypt-recipients) into `dir/<name>` with the
 * identities, streamed. A wrong identity fails naming decrypt-identity; an altered or cut file fails authentication;
 * either way nothing is left in `dir`.
 */
async function decryptLocalBackup(path, dir, identities, signal) {
    const out = `${dir}/${path.split('/').pop().slice(0, -AGE_SUFFIX.length)}`;
    try {
        const cipherIn = createReadStream(path);
        const counted = hasher();
        cipherIn.once('error', (e) => counted.t.destroy(e));
        const clear = await decryptStream(cipherIn.pipe(counted.t), identities, path);
        await pipeline(clear, createWriteStream(out, { mode: 0o600 }), { signal });
        return out;
    }
    catch (e) {
        rmSync(out, { force: true });
        if (e instanceof InputError || signal?.aborted)
            throw e;
        throw new Error(`${path}: decryption failed, the file was altered or cut short (${e.message})`);
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

/***/ 3670:
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
;// CONCATENATED MODULE: ./src/lib/github/inputs.ts
/**
 * The inputs every GitHub API caller reads the same way: `github-token`, `repository` (default: the workflow's)
 * and the API base from GITHUB_API_URL. Kept apart from rest.ts so a config module reads them without loading
 * the client.
 */

/**
 * GitHub's owner/name: the owner is letters, digits and inner hyphens; the name never `.` or `..` — the value
 * goes into API paths (`/repos/../..` would address another endpoint).
 */
const REPOSITORY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;
function isRepository(value) {
    return REPOSITORY_RE.test(value);
}
/** A GitHub environment name as the Deployments API takes it: one line, not starting with a space or `/`. */
function isEnvironmentName(value) {
    return /^[^\s/][^\n]{0,254}$/.test(value);
}
/**
 * `needed` names what needs the API (an input, e.g. "`require-deployment`", or a feature); `tokenFix` says
 * how to get a token when `github-token` is empty.
 */
function readGitHubInputs(inputs, env, opts) {
    const token = inputs.secret('github-token');
    if (!token)
        throw new lib_inputs/* InputError */.dz('github-token', `is required ${opts.needed}: ${opts.tokenFix}`);
    const repository = inputs.string('repository', env.GITHUB_REPOSITORY ?? '');
    if (!isRepository(repository)) {
        throw new lib_inputs/* InputError */.dz('repository', `"${repository}" is not owner/name (letters, digits, -, _ and .; neither part . or ..; defaults to the workflow's repository; needed ${opts.needed})`);
    }
    const runUrl = env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
        ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY || repository}/actions/runs/${env.GITHUB_RUN_ID}`
        : undefined;
    return { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository, token, ...(runUrl ? { runUrl } : {}) };
}
/** What recording a GitHub deployment needs: the API inputs plus the commit (`ref`, default GITHUB_SHA). */
function readDeploymentInputs(inputs, env, needed) {
    const { runUrl, ...api } = readGitHubInputs(inputs, env, {
        needed,
        tokenFix: 'pass ${{ github.token }} with `permissions: deployments: write`',
    });
    const ref = inputs.string('ref', env.GITHUB_SHA ?? '');
    if (!ref)
        throw new InputError('ref', `is required ${needed} (GITHUB_SHA is not set)`);
    return { ...api, ref, ...(runUrl ? { logUrl: runUrl } : {}) };
}

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
    const { runUrl, ...github } = readGitHubInputs(inputs, env, {
        needed: 'by the monitor (the incident issues keep the state)',
        tokenFix: 'pass ${{ github.token }} with `permissions: issues: write`',
    });
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
        github,
        issueLabels: inputs.list('issue-labels').length ? inputs.list('issue-labels') : ['incident'],
        runUrl,
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
const detected = new WeakMap();
const remember = (exec, f) => (detected.set(exec, f), f);
/** Which compose is installed where `exec` runs: v2 preferred, v1 accepted, neither → an error naming both. */
async function detectCompose(exec, signal) {
    // Once per target and run: a host's Compose does not change under a run, and v1's Python start is slow.
    const known = detected.get(exec);
    if (known)
        return known;
    const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.probeMs, signal });
    if (v2.end === 'exit' && v2.code === 0)
        return remember(exec, 'v2');
    const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: _timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.probeMs, signal });
    if (v1.end === 'exit' && v1.code === 0)
        return remember(exec, 'v1');
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
    return (0,summary/* tableSection */.Yc)('notifications', ['event', 'channel', 'to', 'result', 'attempts', 'error'], rows);
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
    /**
     * Values of 1-2 characters are not replaced in what this action prints itself (summary, outputs, errors):
     * `***` for every `1` or `on` would garble them. The runner's add-mask still gets them (action.ts).
     */
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


/***/ }),

/***/ 1119:
/***/ ((__unused_webpack_module, __webpack_exports__, __nccwpck_require__) => {

/* harmony export */ __nccwpck_require__.d(__webpack_exports__, {
/* harmony export */   DV: () => (/* binding */ codeBlock),
/* harmony export */   Qj: () => (/* binding */ markdownTable),
/* harmony export */   R_: () => (/* binding */ heading),
/* harmony export */   Yc: () => (/* binding */ tableSection),
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
