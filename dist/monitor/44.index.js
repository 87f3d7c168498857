export const id = 44;
export const ids = [44];
export const modules = {

/***/ 1044:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {


// EXPORTS
__webpack_require__.d(__webpack_exports__, {
  S3Store: () => (/* binding */ S3Store)
});

// UNUSED EXPORTS: explainS3Error

// EXTERNAL MODULE: ./src/lib/timeouts.ts
var timeouts = __webpack_require__(8867);
// EXTERNAL MODULE: ./node_modules/@aws-sdk/client-s3/dist-cjs/index.js
var dist_cjs = __webpack_require__(3711);
// EXTERNAL MODULE: external "node:crypto"
var external_node_crypto_ = __webpack_require__(7598);
// EXTERNAL MODULE: external "node:fs/promises"
var promises_ = __webpack_require__(1455);
// EXTERNAL MODULE: external "node:stream"
var external_node_stream_ = __webpack_require__(7075);
// EXTERNAL MODULE: ./src/lib/retry.ts
var retry = __webpack_require__(1737);
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

;// CONCATENATED MODULE: ./src/core/backup-db/storage-s3.ts







/**
 * The S3 implementation of BackupStore (AWS S3 and S3-compatible stores: MinIO, R2, B2, Spaces, …). Loaded
 * lazily by openStore(). Every request: a connect timeout, an idle timeout on the socket (s3-request-timeout),
 * the SDK's standard retries (bounded attempts, exponential backoff with jitter), and the run's signal plus
 * the overall transfer limit.
 *
 * Checksums: the SDK's newer default adds CRC trailers in aws-chunked bodies, which several S3-compatible
 * stores do not accept; `WHEN_REQUIRED` keeps plain bodies. Integrity holds anyway: every request body is
 * signed with its sha256 (x-amz-content-sha256, SigV4), and the backup's own sha256 is checked after upload.
 */
class S3Store {
    cfg;
    url;
    client;
    once;
    constructor(cfg) {
        this.cfg = cfg;
        this.url = cfg.url;
        const config = {
            region: cfg.region,
            ...(cfg.endpoint ? { endpoint: cfg.endpoint } : {}),
            forcePathStyle: cfg.forcePathStyle,
            credentials: {
                accessKeyId: cfg.accessKeyId,
                secretAccessKey: cfg.secretAccessKey,
                ...(cfg.sessionToken ? { sessionToken: cfg.sessionToken } : {}),
            },
            maxAttempts: cfg.attempts,
            retryMode: 'standard',
            // socketTimeout is the idle limit (no byte either way for that long → TimeoutError, retried); the SDK's
            // requestTimeout is an overall timer that only logs a warning by default: the transfer limit is our signal.
            requestHandler: { connectionTimeout: cfg.connectTimeoutMs, socketTimeout: cfg.requestTimeoutMs },
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
        };
        this.client = new dist_cjs/* S3Client */.YxF(config);
        // File uploads retry each request themselves with a fresh stream (a sent stream cannot be replayed).
        this.once = new dist_cjs/* S3Client */.YxF({ ...config, maxAttempts: 1 });
    }
    key(name) {
        return this.cfg.prefix + name;
    }
    /** The run's signal plus the overall limit for one transfer. */
    limit(signal) {
        const t = AbortSignal.timeout(this.cfg.transferTimeoutMs);
        return signal ? AbortSignal.any([signal, t]) : t;
    }
    async send(what, f, signal) {
        try {
            return await f(this.limit(signal));
        }
        catch (e) {
            throw explainS3Error(e, this.cfg, what);
        }
    }
    async list(signal) {
        const out = [];
        let token;
        // Bounded: 1 000 pages of 1 000 keys.
        for (let page = 0; page < 1000; page++) {
            const r = await this.send(`list ${this.url}`, (abortSignal) => this.client.send(new dist_cjs/* ListObjectsV2Command */.u6x({
                Bucket: this.cfg.bucket,
                Prefix: this.cfg.prefix,
                Delimiter: '/',
                ...(token ? { ContinuationToken: token } : {}),
            }), { abortSignal }), signal);
            for (const o of r.Contents ?? []) {
                if (!o.Key?.startsWith(this.cfg.prefix))
                    continue;
                const name = o.Key.slice(this.cfg.prefix.length);
                if (name && !name.includes('/'))
                    out.push({ name, size: o.Size ?? 0 });
            }
            if (!r.IsTruncated || !r.NextContinuationToken)
                return out;
            token = r.NextContinuationToken;
        }
        throw new Error(`${this.url} lists more than a million objects; use a prefix of its own for the backups`);
    }
    async head(name, signal) {
        try {
            const r = await this.client.send(new dist_cjs/* HeadObjectCommand */.l81({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
                abortSignal: this.limit(signal),
            });
            return { size: r.ContentLength ?? 0, metadata: r.Metadata ?? {} };
        }
        catch (e) {
            if (isNotFound(e))
                return undefined;
            throw explainS3Error(e, this.cfg, `read ${this.url}${name}`);
        }
    }
    /**
     * Uploads a file: one PutObject up to `partSize`, else a multipart upload of `partSize` parts, two at a time.
     * Each part is read from disk by its own stream (memory stays flat whatever the size) and retried on its own
     * (bounded attempts, backoff) with a fresh stream. A failure or cancel aborts the multipart upload, so the
     * parts never complete into an object.
     */
    async uploadFile(name, file, size, opts) {
        const limit = this.limit(opts.signal);
        const key = this.key(name);
        const what = `upload ${this.url}${name}`;
        const policy = {
            attempts: this.cfg.attempts,
            initialDelayMs: 500,
            maxDelayMs: 10_000,
            factor: 2,
            deadline: Date.now() + this.cfg.transferTimeoutMs,
        };
        const attempt = (f) => (0,retry/* retry */.L5)(policy, f, (e) => !limit.aborted && isRetryable(e), limit).catch((e) => {
            if (limit.aborted) {
                throw new Error(opts.signal?.aborted ? `${what} cancelled` : `${what} took longer than input \`timeout\``);
            }
            throw explainS3Error(e, this.cfg, what);
        });
        if (size <= opts.partSize) {
            const hash = await rangeSha256(file, 0, size - 1);
            await attempt(() => this.once.send(signedBody(new dist_cjs/* PutObjectCommand */.wKZ({
                Bucket: this.cfg.bucket,
                Key: key,
                Body: rangeBody(file, 0, size - 1),
                ContentLength: size,
                Metadata: opts.metadata,
            }), hash), { abortSignal: limit }));
            return;
        }
        const { UploadId } = await attempt(() => this.once.send(new dist_cjs/* CreateMultipartUploadCommand */.nG4({ Bucket: this.cfg.bucket, Key: key, Metadata: opts.metadata }), {
            abortSignal: limit,
        }));
        if (!UploadId)
            throw new Error(`${what}: the storage returned no upload id`);
        try {
            const count = Math.ceil(size / opts.partSize);
            if (count > 10_000)
                throw new Error(`${what}: ${count} parts is more than S3 allows`);
            const parts = [];
            let next = 0;
            // Once one part failed, the other worker takes no new part; both have settled before the upload is aborted
            // and the caller removes the file (a part opened after that would fail with nobody listening).
            let failed = false;
            const worker = async () => {
                while (next < count && !failed) {
                    const n = next++;
                    const start = n * opts.partSize;
                    const end = Math.min(size, start + opts.partSize) - 1;
                    const hash = await rangeSha256(file, start, end);
                    const r = await attempt(() => this.once.send(signedBody(new dist_cjs/* UploadPartCommand */.iVK({
                        Bucket: this.cfg.bucket,
                        Key: key,
                        UploadId,
                        PartNumber: n + 1,
                        Body: rangeBody(file, start, end),
                        ContentLength: end - start + 1,
                    }), hash), { abortSignal: limit }));
                    if (!r.ETag)
                        throw new Error(`${what}: part ${n + 1} got no ETag`);
                    parts[n] = { PartNumber: n + 1, ETag: r.ETag };
                }
            };
            let firstError;
            await Promise.all([worker(), worker()].map((w) => w.catch((e) => {
                if (!failed)
                    firstError = e;
                failed = true;
            })));
            if (failed)
                throw firstError;
            await attempt(() => this.once.send(new dist_cjs/* CompleteMultipartUploadCommand */.Gym({
                Bucket: this.cfg.bucket,
                Key: key,
                UploadId,
                MultipartUpload: { Parts: parts },
            }), { abortSignal: limit }));
        }
        catch (e) {
            // Not tied to the run's signal: a cancelled run must still tell the store to drop the parts.
            await this.once
                .send(new dist_cjs/* AbortMultipartUploadCommand */.tfP({ Bucket: this.cfg.bucket, Key: key, UploadId }), {
                abortSignal: AbortSignal.timeout(timeouts/* TIMEOUTS */.f.cleanupRequestMs),
            })
                .catch(() => undefined);
            throw e;
        }
    }
    async putBytes(name, body, signal) {
        await this.send(`write ${this.url}${name}`, (abortSignal) => this.client.send(new dist_cjs/* PutObjectCommand */.wKZ({
            Bucket: this.cfg.bucket,
            Key: this.key(name),
            Body: body,
            ...(typeof body === 'string' ? { ContentType: 'text/plain; charset=utf-8' } : {}),
        }), { abortSignal }), signal);
    }
    async get(name, signal) {
        const r = await this.send(`read ${this.url}${name}`, (abortSignal) => this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
        if (!r.Body)
            throw new Error(`read ${this.url}${name}: the storage sent no body`);
        return { body: r.Body, size: r.ContentLength ?? 0, metadata: r.Metadata ?? {} };
    }
    async getText(name, signal) {
        try {
            const r = await this.client.send(new dist_cjs/* GetObjectCommand */.jLs({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
                abortSignal: this.limit(signal),
            });
            if ((r.ContentLength ?? 0) > 64 * 1024)
                throw new Error(`${this.url}${name} is too large for a checksum file`);
            return (await r.Body?.transformToString('utf-8')) ?? '';
        }
        catch (e) {
            if (isNotFound(e))
                return undefined;
            throw explainS3Error(e, this.cfg, `read ${this.url}${name}`);
        }
    }
    async remove(name, signal) {
        await this.send(`remove ${this.url}${name}`, (abortSignal) => this.client.send(new dist_cjs/* DeleteObjectCommand */.k4j({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
    }
    dispose() {
        this.client.destroy();
        this.once.destroy();
    }
}
function errName(e) {
    const x = e;
    return x?.name ?? x?.Code ?? x?.code ?? '';
}
/** Bytes read per file read of an upload (hash pass and body). */
const READ_CHUNK = 256 * 1024;
/** sha256 of bytes [start, end] of a file, read into one reused buffer (no garbage per chunk). */
async function rangeSha256(file, start, end) {
    const h = (0,external_node_crypto_.createHash)('sha256');
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - start + 1));
    const fh = await (0,promises_.open)(file, 'r');
    try {
        for (let pos = start; pos <= end;) {
            const { bytesRead } = await fh.read(buf, 0, Math.min(buf.length, end - pos + 1), pos);
            if (!bytesRead)
                throw new Error(`${file} ended at byte ${pos}, before byte ${end}`);
            h.update(buf.subarray(0, bytesRead));
            pos += bytesRead;
        }
    }
    finally {
        await fh.close();
    }
    return h.digest('hex');
}
/**
 * Bytes [start, end] of a file as a request body: each chunk a fresh Buffer (the socket may still hold the one
 * before), each counted so the dead ones are freed as they pile up (memory.ts). A short file fails the request.
 */
function rangeBody(file, start, end) {
    async function* chunks() {
        const fh = await (0,promises_.open)(file, 'r');
        try {
            for (let pos = start; pos <= end;) {
                const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - pos + 1));
                const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
                if (!bytesRead)
                    throw new Error(`${file} ended at byte ${pos}, before byte ${end}`);
                pos += bytesRead;
                noteStreamed(bytesRead);
                yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
            }
        }
        finally {
            await fh.close();
        }
    }
    return external_node_stream_.Readable.from(chunks(), { objectMode: false });
}
/**
 * Signs a file-stream body with its sha256 (x-amz-content-sha256, part of the SigV4 signature): without it the SDK
 * sends a stream as UNSIGNED-PAYLOAD, and the store could not tell a body changed on the way from the one signed.
 */
function signedBody(cmd, sha256) {
    cmd.middlewareStack.add((next) => async (args) => {
        if (args.request.headers)
            args.request.headers['x-amz-content-sha256'] = sha256;
        return next(args);
    }, { step: 'build', name: 'dkSignedFileBody' });
    return cmd;
}
/** Worth another attempt: no answer (network, timeout), 5xx, 408 or 429. Never an auth or client error. */
function isRetryable(e) {
    const status = e?.$metadata?.httpStatusCode;
    if (status === undefined)
        return !(e instanceof TypeError);
    return status >= 500 || status === 408 || status === 429;
}
function isNotFound(e) {
    const x = e;
    return x?.name === 'NotFound' || x?.name === 'NoSuchKey' || x?.$metadata?.httpStatusCode === 404;
}
/** The SDK's error turned into one that names the input to fix. Never echoes a credential. */
function explainS3Error(e, cfg, what) {
    const name = errName(e);
    const msg = e?.message ?? String(e);
    const code = e?.code ?? e?.cause?.code ?? '';
    const where = cfg.endpoint || `AWS S3 (${cfg.region})`;
    let fix;
    switch (name) {
        case 'SignatureDoesNotMatch':
            fix = `the storage refused the request signature: check input \`s3-secret-access-key\` (and s3-region: ${cfg.region})`;
            break;
        case 'InvalidAccessKeyId':
            fix = 'the storage does not know this access key: check input `s3-access-key-id`';
            break;
        case 'NoSuchBucket':
            fix = `bucket ${cfg.bucket} does not exist at ${where}: check input \`storage\` (and s3-endpoint)`;
            break;
        case 'AccessDenied':
        case 'Forbidden':
            fix = `access denied: the key needs s3:ListBucket on ${cfg.bucket} and s3:GetObject, s3:PutObject, s3:DeleteObject, s3:AbortMultipartUpload on ${cfg.prefix || ''}*`;
            break;
        case 'PermanentRedirect':
        case 'AuthorizationHeaderMalformed':
            fix = `the bucket is in another region: check input \`s3-region\` (now ${cfg.region})`;
            break;
        case 'TimeoutError':
        case 'RequestTimeout':
            fix = `no answer in time from ${where}: check input \`s3-endpoint\` and the network, or raise s3-request-timeout`;
            break;
        default:
            if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ETIMEDOUT/.test(code + ' ' + msg)) {
                fix = `cannot reach ${where} (${code || msg}): check input \`s3-endpoint\``;
            }
            else {
                fix = `${name ? `${name}: ` : ''}${msg}`;
            }
    }
    const out = new Error(`${what}: ${fix}`);
    out.cause = e;
    return out;
}


/***/ })

};
