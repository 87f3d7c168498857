export const id = 838;
export const ids = [838];
export const modules = {

/***/ 6434:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   $I: () => (/* binding */ checkRecipients),
/* harmony export */   UC: () => (/* binding */ decryptStream),
/* harmony export */   UO: () => (/* binding */ encryptStream),
/* harmony export */   go: () => (/* binding */ parseIdentities),
/* harmony export */   kn: () => (/* binding */ AGE_SUFFIX),
/* harmony export */   q: () => (/* binding */ parseRecipients)
/* harmony export */ });
/* unused harmony export identityRecipients */
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(1662);


async function loadAge() {
    try {
        return await __webpack_require__.e(/* import() */ 855).then(__webpack_require__.bind(__webpack_require__, 855));
    }
    catch (e) {
        // Bundled with the action: this only happens in a broken checkout. Never fall back to plaintext.
        throw new Error(`encryption is required (encrypt-recipients) but the age library did not load: ${e.message}`);
    }
}
/** Suffix of an encrypted backup object. */
const AGE_SUFFIX = '.age';
/** `encrypt-recipients`: age public keys (`age1…`), one per line or comma; `#` comments and blank lines skipped. */
function parseRecipients(lines) {
    const out = [];
    for (const raw of lines) {
        const r = raw.trim();
        if (!r || r.startsWith('#'))
            continue;
        if (/^AGE-SECRET-KEY-/i.test(r)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', 'holds an age identity (AGE-SECRET-KEY-…), the private key: give its public key (age1…, `age-keygen -y`) and keep the identity for decrypt-identity');
        }
        if (!/^age1[0-9a-z]+$/.test(r)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', `"${r.slice(0, 80)}" is not an age public key (age1…; make one with age-keygen, or age-keygen -y <identity file>)`);
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
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', 'is not an age identity: expected AGE-SECRET-KEY-1… lines (the file age-keygen writes)');
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
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('encrypt-recipients', `"${r}" is not a valid age public key (${err.message})`);
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
async function encryptStream(plain, recipients) {
    if (!recipients.length)
        throw new Error('encryptStream: no recipients (refusing to send plaintext)');
    const age = await loadAge();
    const e = new age.Encrypter();
    for (const r of recipients)
        e.addRecipient(r);
    const web = await e.encrypt(node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.toWeb(plain));
    return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(web);
}
/**
 * Decrypts an age stream with the identities; a wrong identity fails with a message naming decrypt-identity,
 * a truncated or altered stream fails authentication (the caller removes what was written).
 */
async function decryptStream(cipher, identities, what) {
    if (!identities.length) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', `${what} is encrypted (age): set decrypt-identity to the age identity`);
    }
    const age = await loadAge();
    const d = new age.Decrypter();
    for (const id of identities)
        d.addIdentity(id);
    let web;
    try {
        web = await d.decrypt(node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.toWeb(cipher));
    }
    catch (err) {
        const m = err.message;
        if (/no identity matched/i.test(m)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_1__/* .InputError */ .dz('decrypt-identity', `does not decrypt ${what}: no identity matched any of its recipients (use the identity whose public key was in encrypt-recipients when it was made)`);
        }
        throw new Error(`${what}: not a readable age file (${m})`);
    }
    return node_stream__WEBPACK_IMPORTED_MODULE_0__.Readable.fromWeb(web);
}


/***/ }),

/***/ 8187:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   Bb: () => (/* binding */ heldSuffix),
/* harmony export */   bP: () => (/* binding */ isHeldName),
/* harmony export */   r1: () => (/* binding */ removeStaleHeld)
/* harmony export */ });
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8161);
/* harmony import */ var node_os__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_os__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_2__);



const HOST = (0,node_os__WEBPACK_IMPORTED_MODULE_1__.hostname)()
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
        names = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir);
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
        const path = (0,node_path__WEBPACK_IMPORTED_MODULE_2__.join)(dir, name);
        let st;
        try {
            st = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.lstatSync)(path);
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)(path, { force: true });
        removed.push(name);
    }
    return removed.sort();
}


/***/ }),

/***/ 2804:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   W: () => (/* binding */ noteStreamed)
/* harmony export */ });
/* unused harmony export GC_EVERY_BYTES */
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


/***/ }),

/***/ 6825:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S: () => (/* binding */ SIDECAR_SUFFIX),
/* harmony export */   a3: () => (/* binding */ backupTime),
/* harmony export */   dX: () => (/* binding */ applyRetention),
/* harmony export */   hw: () => (/* binding */ splitBySidecar),
/* harmony export */   iP: () => (/* binding */ backupFileName),
/* harmony export */   pi: () => (/* binding */ backupsOf),
/* harmony export */   qv: () => (/* binding */ retentionEnabled),
/* harmony export */   se: () => (/* binding */ pruneListed),
/* harmony export */   sw: () => (/* binding */ backupBase)
/* harmony export */ });
/* unused harmony exports dayBucket, weekBucket, monthBucket, planWithSidecars, planRetentionDetailed, planRetention, planKeepingNewest */
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_0___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_0__);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(6760);
/* harmony import */ var node_path__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_path__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var _leftovers_js__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(8187);



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
        .filter((n) => n.startsWith(`${base}-`) && !(0,_leftovers_js__WEBPACK_IMPORTED_MODULE_2__/* .isHeldName */ .bP)(n) && !n.endsWith(SIDECAR_SUFFIX) && TS.test(n))
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
    const names = (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.readdirSync)(dir);
    const plan = sidecars
        ? planWithSidecars(names, base, policy, newest)
        : planKeepingNewest(names, base, policy, newest);
    if (!dryRun) {
        for (const n of plan.remove) {
            if (sidecars)
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, n + SIDECAR_SUFFIX), { force: true });
            if ((0,node_fs__WEBPACK_IMPORTED_MODULE_0__.statSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, n)).isFile())
                (0,node_fs__WEBPACK_IMPORTED_MODULE_0__.rmSync)((0,node_path__WEBPACK_IMPORTED_MODULE_1__.join)(dir, n), { force: true });
        }
    }
    return plan;
}


/***/ }),

/***/ 9838:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

__webpack_require__.r(__webpack_exports__);
/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   SIDECAR_SUFFIX: () => (/* reexport safe */ _retention_js__WEBPACK_IMPORTED_MODULE_6__.S),
/* harmony export */   completeNames: () => (/* binding */ completeNames),
/* harmony export */   decryptLocalBackup: () => (/* binding */ decryptLocalBackup),
/* harmony export */   encryptBackup: () => (/* binding */ encryptBackup),
/* harmony export */   fetchBackup: () => (/* binding */ fetchBackup),
/* harmony export */   incompleteNames: () => (/* binding */ incompleteNames),
/* harmony export */   offsiteSecrets: () => (/* binding */ offsiteSecrets),
/* harmony export */   openStore: () => (/* binding */ openStore),
/* harmony export */   parseSidecar: () => (/* binding */ parseSidecar),
/* harmony export */   parseStorageUrl: () => (/* binding */ parseStorageUrl),
/* harmony export */   partSizeFor: () => (/* binding */ partSizeFor),
/* harmony export */   readOffsiteConfig: () => (/* binding */ readOffsiteConfig),
/* harmony export */   resolveStored: () => (/* binding */ resolveStored),
/* harmony export */   sidecarText: () => (/* binding */ sidecarText),
/* harmony export */   storageRetention: () => (/* binding */ storageRetention),
/* harmony export */   storedBackups: () => (/* binding */ storedBackups),
/* harmony export */   uploadBackup: () => (/* binding */ uploadBackup)
/* harmony export */ });
/* harmony import */ var _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8867);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(3024);
/* harmony import */ var node_fs__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_fs__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(6466);
/* harmony import */ var node_stream_promises__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream_promises__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(1662);
/* harmony import */ var _encrypt_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(6434);
/* harmony import */ var _memory_js__WEBPACK_IMPORTED_MODULE_7__ = __webpack_require__(2804);
/* harmony import */ var _retention_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(6825);








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
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', `"${url}" is not an s3://bucket/prefix URL`);
    const bucket = m[1];
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', `"${bucket}" is not a bucket name`);
    }
    const segments = (m[2] ?? '').split('/').filter(Boolean);
    if (segments.some((s) => s === '.' || s === '..')) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('storage', 'the prefix must not contain . or .. segments');
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
                throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz(name, name === 'encrypt-recipients'
                    ? 'is used with storage or remote-dir only (the copies that leave the runner); set one of them too'
                    : 'is used with storage only; set storage (s3://bucket/prefix) too');
        }
        if (identityText && mode !== 'restore')
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('decrypt-identity', 'is used with storage or a .age restore-from, in mode: restore only');
        // remote-dir without storage: its copy on the server is encrypted when recipients are given; a restore from
        // such a copy (restore-from: <file>.age) decrypts it with decrypt-identity.
        const recipients = (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseRecipients */ .q)(inputs.list('encrypt-recipients'));
        if (mode === 'restore' && recipients.length) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
        }
        return { recipients, identities: identityText ? (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseIdentities */ .go)(identityText) : [] };
    }
    const { bucket, prefix, url: normalized } = parseStorageUrl(url);
    const endpoint = inputs.string('s3-endpoint');
    if (endpoint) {
        let u;
        try {
            u = new URL(endpoint);
        }
        catch {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', `"${endpoint}" is not a URL (https://host[:port])`);
        }
        if (u.protocol !== 'https:' && u.protocol !== 'http:')
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', 'must be http(s)://');
        if (u.username || u.password)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-endpoint', 'must not hold credentials; use s3-access-key-id');
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
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-access-key-id', 'is required with storage (or AWS_ACCESS_KEY_ID in the environment)');
    if (!secretAccessKey)
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('s3-secret-access-key', 'is required with storage (or AWS_SECRET_ACCESS_KEY in the environment)');
    const recipients = (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseRecipients */ .q)(inputs.list('encrypt-recipients'));
    const identities = identityText ? (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .parseIdentities */ .go)(identityText) : [];
    if (mode === 'restore' && recipients.length) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
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
            connectTimeoutMs: _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.connectMs,
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
    const { S3Store } = await Promise.all(/* import() */[__webpack_require__.e(711), __webpack_require__.e(181)]).then(__webpack_require__.bind(__webpack_require__, 9181));
    return new S3Store(cfg);
}
function sidecarText(sha256, name) {
    return `${sha256}  ${name}\n`;
}
/** The sha256 in a `.sha256` object written for `name`, or throws. */
function parseSidecar(text, name) {
    const m = /^([0-9a-f]{64}) [ *](.+)\n?$/.exec(text);
    if (!m || m[2] !== name)
        throw new Error(`${name}${_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S} is not a checksum of ${name}`);
    return m[1];
}
/** Names (relative to the prefix) of complete backups: a data object whose `.sha256` object exists. */
function completeNames(objects) {
    return (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .splitBySidecar */ .hw)(objects.map((o) => o.name)).complete;
}
/** Data objects without a checksum object: an upload killed after it completed and before it was verified. */
function incompleteNames(objects) {
    return (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .splitBySidecar */ .hw)(objects.map((o) => o.name)).unverified;
}
/** The complete backups of `base` in the store, oldest first. */
async function storedBackups(store, base, signal) {
    return (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupsOf */ .pi)(completeNames(await store.list(signal)), base);
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
    const t = new node_stream__WEBPACK_IMPORTED_MODULE_2__.Transform({
        transform(chunk, _e, cb) {
            h.update(chunk);
            n += chunk.length;
            (0,_memory_js__WEBPACK_IMPORTED_MODULE_7__/* .noteStreamed */ .W)(chunk.length);
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
    const name = localFile.split('/').pop() + _encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn;
    const file = `${dir}/${name}`;
    const h = hasher();
    try {
        // The plaintext is counted too (its chunks and age's copies of them are garbage as well: memory.ts).
        const plainIn = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(localFile, { highWaterMark: 256 * 1024 });
        const counted = hasher();
        plainIn.once('error', (e) => counted.t.destroy(e));
        const cipher = await (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .encryptStream */ .UO)(plainIn.pipe(counted.t), recipients);
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(cipher, h.t, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(file, { mode: 0o600 }), { signal });
    }
    catch (e) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(file, { force: true });
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
    const name = encrypted ? base + _encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn : base;
    const url = store.url + name;
    if ((await store.head(name, opts.signal)) || (await store.head(name + _retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S, opts.signal))) {
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
    const sent = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.statSync)(file).size;
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
            await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(got.body, rh.t, new node_stream__WEBPACK_IMPORTED_MODULE_2__.Writable({ write: (_c, _e, cb) => cb() }), { signal: opts.signal });
            if (rh.digest() !== sha256) {
                throw new Error(`${url} read back with sha256 ${rh.digest()}, ${sha256} was uploaded`);
            }
            verification = `read back: ${sent} bytes, sha256 matches`;
        }
        else {
            verification = `size checked: ${sent} bytes (s3-verify: size)`;
        }
        await store.putBytes(name + _retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S, sidecarText(sha256, name), opts.signal);
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
            (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(file, { force: true });
    }
}
/**
 * Retention over the complete backups of `base` in the store (the same rules as output-dir). Runs only after
 * the new backup was stored and verified; never removes `newest`. Removes the `.sha256` first (the backup
 * stops counting), then the data object. Objects without a `.sha256` are never counted nor removed: `unverified`.
 */
async function storageRetention(store, base, policy, newest, dryRun, signal) {
    const names = (await store.list(signal)).map((o) => o.name);
    return (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .pruneListed */ .se)(names, store.url, base, policy, newest, {
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
        const newest = [...all].sort((a, b) => (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupTime */ .a3)(a).getTime() - (0,_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .backupTime */ .a3)(b).getTime()).pop();
        if (!newest) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `latest: ${store.url} holds no complete backup of ${base} (a backup counts once its .sha256 object exists)`);
        }
        return newest;
    }
    let name = restoreFrom;
    if (name.startsWith('s3://')) {
        if (!name.startsWith(store.url)) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `${restoreFrom} is not under storage ${store.url}`);
        }
        name = name.slice(store.url.length);
    }
    if (!name || name.includes('/') || name.endsWith(_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S)) {
        throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `"${restoreFrom}" is not a backup name under ${store.url} (or latest)`);
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
    const side = await store.getText(name + _retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S, signal);
    if (side === undefined) {
        const exists = await store.head(name, signal);
        if (!exists)
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `${url} does not exist`);
        if (!allowUnverified) {
            throw new _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz('restore-from', `${url} has no ${_retention_js__WEBPACK_IMPORTED_MODULE_6__/* .SIDECAR_SUFFIX */ .S} object: its upload never finished verification; restore another backup, or set allow-unverified: true to restore it anyway`);
        }
    }
    // allow-unverified without a .sha256: only the plaintext sha256 recorded at upload (when there is one) is checked.
    const expected = side === undefined ? undefined : parseSidecar(side, name);
    const encrypted = name.endsWith(_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn);
    const localName = encrypted ? name.slice(0, -_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn.length) : name;
    const path = `${dir}/${localName}`;
    const got = await store.get(name, signal);
    const stored = hasher();
    const plain = hasher();
    got.body.pipe(stored.t);
    got.body.once('error', (e) => stored.t.destroy(e));
    try {
        const clear = encrypted ? await (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .decryptStream */ .UC)(stored.t, identities, url) : stored.t;
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(clear, plain.t, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(path, { mode: 0o600 }), { signal });
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
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(path, { force: true });
        if (encrypted && !(e instanceof _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz) && !signal?.aborted && !/sha256/.test(e.message)) {
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
    const out = `${dir}/${path.split('/').pop().slice(0, -_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .AGE_SUFFIX */ .kn.length)}`;
    try {
        const cipherIn = (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createReadStream)(path);
        const counted = hasher();
        cipherIn.once('error', (e) => counted.t.destroy(e));
        const clear = await (0,_encrypt_js__WEBPACK_IMPORTED_MODULE_5__/* .decryptStream */ .UC)(cipherIn.pipe(counted.t), identities, path);
        await (0,node_stream_promises__WEBPACK_IMPORTED_MODULE_3__.pipeline)(clear, (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.createWriteStream)(out, { mode: 0o600 }), { signal });
        return out;
    }
    catch (e) {
        (0,node_fs__WEBPACK_IMPORTED_MODULE_1__.rmSync)(out, { force: true });
        if (e instanceof _lib_inputs_js__WEBPACK_IMPORTED_MODULE_4__/* .InputError */ .dz || signal?.aborted)
            throw e;
        throw new Error(`${path}: decryption failed, the file was altered or cut short (${e.message})`);
    }
}


/***/ })

};
