export const id = 181;
export const ids = [181];
export const modules = {

/***/ 9181:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Store: () => (/* binding */ S3Store)
/* harmony export */ });
/* unused harmony export explainS3Error */
/* harmony import */ var _lib_timeouts_js__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(8867);
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__ = __webpack_require__(3711);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(7598);
/* harmony import */ var node_crypto__WEBPACK_IMPORTED_MODULE_1___default = /*#__PURE__*/__webpack_require__.n(node_crypto__WEBPACK_IMPORTED_MODULE_1__);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2__ = __webpack_require__(1455);
/* harmony import */ var node_fs_promises__WEBPACK_IMPORTED_MODULE_2___default = /*#__PURE__*/__webpack_require__.n(node_fs_promises__WEBPACK_IMPORTED_MODULE_2__);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3__ = __webpack_require__(7075);
/* harmony import */ var node_stream__WEBPACK_IMPORTED_MODULE_3___default = /*#__PURE__*/__webpack_require__.n(node_stream__WEBPACK_IMPORTED_MODULE_3__);
/* harmony import */ var _lib_retry_js__WEBPACK_IMPORTED_MODULE_5__ = __webpack_require__(1737);
/* harmony import */ var _memory_js__WEBPACK_IMPORTED_MODULE_6__ = __webpack_require__(2804);







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
        this.client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .S3Client */ .YxF(config);
        // File uploads retry each request themselves with a fresh stream (a sent stream cannot be replayed).
        this.once = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .S3Client */ .YxF({ ...config, maxAttempts: 1 });
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
            const r = await this.send(`list ${this.url}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .ListObjectsV2Command */ .u6x({
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
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .HeadObjectCommand */ .l81({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
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
        const attempt = (f) => (0,_lib_retry_js__WEBPACK_IMPORTED_MODULE_5__/* .retry */ .L5)(policy, f, (e) => !limit.aborted && isRetryable(e), limit).catch((e) => {
            if (limit.aborted) {
                throw new Error(opts.signal?.aborted ? `${what} cancelled` : `${what} took longer than input \`timeout\``);
            }
            throw explainS3Error(e, this.cfg, what);
        });
        if (size <= opts.partSize) {
            const hash = await rangeSha256(file, 0, size - 1);
            await attempt(() => this.once.send(signedBody(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .PutObjectCommand */ .wKZ({
                Bucket: this.cfg.bucket,
                Key: key,
                Body: rangeBody(file, 0, size - 1),
                ContentLength: size,
                Metadata: opts.metadata,
            }), hash), { abortSignal: limit }));
            return;
        }
        const { UploadId } = await attempt(() => this.once.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .CreateMultipartUploadCommand */ .nG4({ Bucket: this.cfg.bucket, Key: key, Metadata: opts.metadata }), {
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
                    const r = await attempt(() => this.once.send(signedBody(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .UploadPartCommand */ .iVK({
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
            await attempt(() => this.once.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .CompleteMultipartUploadCommand */ .Gym({
                Bucket: this.cfg.bucket,
                Key: key,
                UploadId,
                MultipartUpload: { Parts: parts },
            }), { abortSignal: limit }));
        }
        catch (e) {
            // Not tied to the run's signal: a cancelled run must still tell the store to drop the parts.
            await this.once
                .send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .AbortMultipartUploadCommand */ .tfP({ Bucket: this.cfg.bucket, Key: key, UploadId }), {
                abortSignal: AbortSignal.timeout(_lib_timeouts_js__WEBPACK_IMPORTED_MODULE_0__/* .TIMEOUTS */ .f.cleanupRequestMs),
            })
                .catch(() => undefined);
            throw e;
        }
    }
    async putBytes(name, body, signal) {
        await this.send(`write ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .PutObjectCommand */ .wKZ({
            Bucket: this.cfg.bucket,
            Key: this.key(name),
            Body: body,
            ...(typeof body === 'string' ? { ContentType: 'text/plain; charset=utf-8' } : {}),
        }), { abortSignal }), signal);
    }
    async get(name, signal) {
        const r = await this.send(`read ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .GetObjectCommand */ .jLs({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
        if (!r.Body)
            throw new Error(`read ${this.url}${name}: the storage sent no body`);
        return { body: r.Body, size: r.ContentLength ?? 0, metadata: r.Metadata ?? {} };
    }
    async getText(name, signal) {
        try {
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .GetObjectCommand */ .jLs({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
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
        await this.send(`remove ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_4__/* .DeleteObjectCommand */ .k4j({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
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
    const h = (0,node_crypto__WEBPACK_IMPORTED_MODULE_1__.createHash)('sha256');
    const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - start + 1));
    const fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(file, 'r');
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
        const fh = await (0,node_fs_promises__WEBPACK_IMPORTED_MODULE_2__.open)(file, 'r');
        try {
            for (let pos = start; pos <= end;) {
                const buf = Buffer.allocUnsafe(Math.min(READ_CHUNK, end - pos + 1));
                const { bytesRead } = await fh.read(buf, 0, buf.length, pos);
                if (!bytesRead)
                    throw new Error(`${file} ended at byte ${pos}, before byte ${end}`);
                pos += bytesRead;
                (0,_memory_js__WEBPACK_IMPORTED_MODULE_6__/* .noteStreamed */ .W)(bytesRead);
                yield bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
            }
        }
        finally {
            await fh.close();
        }
    }
    return node_stream__WEBPACK_IMPORTED_MODULE_3__.Readable.from(chunks(), { objectMode: false });
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


/***/ }),

/***/ 1737:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   L5: () => (/* binding */ retry)
/* harmony export */ });
/* unused harmony exports backoffDelay, sleep */
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
