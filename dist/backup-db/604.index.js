export const id = 604;
export const ids = [604];
export const modules = {

/***/ 2604:
/***/ ((__unused_webpack_module, __webpack_exports__, __webpack_require__) => {

/* harmony export */ __webpack_require__.d(__webpack_exports__, {
/* harmony export */   S3Store: () => (/* binding */ S3Store)
/* harmony export */ });
/* unused harmony export explainS3Error */
/* harmony import */ var _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__ = __webpack_require__(8495);
/* harmony import */ var _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__ = __webpack_require__(7046);


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
    constructor(cfg) {
        this.cfg = cfg;
        this.url = cfg.url;
        this.client = new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.S3Client({
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
            requestHandler: { connectionTimeout: cfg.connectTimeoutMs, requestTimeout: cfg.requestTimeoutMs },
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
        });
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
            const r = await this.send(`list ${this.url}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.ListObjectsV2Command({
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
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.HeadObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
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
    async upload(name, body, opts) {
        const up = new _aws_sdk_lib_storage__WEBPACK_IMPORTED_MODULE_0__/* .Upload */ ._({
            client: this.client,
            params: { Bucket: this.cfg.bucket, Key: this.key(name), Body: body, Metadata: opts.metadata },
            partSize: opts.partSize,
            // Memory: at most queueSize parts in flight plus the one being filled (bench/backup.bench.mjs).
            queueSize: 2,
            leavePartsOnError: false,
        });
        const limit = this.limit(opts.signal);
        const onAbort = () => void up.abort();
        limit.addEventListener('abort', onAbort, { once: true });
        try {
            await up.done();
        }
        catch (e) {
            // done() rejects at once on abort while its own AbortMultipartUpload may still be pending: send it here
            // too (idempotent), so the parts never complete into an object and the store can drop them.
            const uploadId = up.uploadId;
            if (uploadId) {
                await this.client
                    .send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.AbortMultipartUploadCommand({ Bucket: this.cfg.bucket, Key: this.key(name), UploadId: uploadId }), {
                    abortSignal: AbortSignal.timeout(30_000),
                })
                    .catch(() => undefined);
            }
            body.destroy();
            if (limit.aborted) {
                throw new Error(opts.signal?.aborted
                    ? `upload of ${this.url}${name} cancelled`
                    : `upload of ${this.url}${name} took longer than input \`timeout\``);
            }
            throw explainS3Error(e, this.cfg, `upload ${this.url}${name}`);
        }
        finally {
            limit.removeEventListener('abort', onAbort);
        }
    }
    async putText(name, text, signal) {
        await this.send(`write ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.PutObjectCommand({
            Bucket: this.cfg.bucket,
            Key: this.key(name),
            Body: text,
            ContentType: 'text/plain; charset=utf-8',
        }), { abortSignal }), signal);
    }
    async get(name, signal) {
        const r = await this.send(`read ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
        if (!r.Body)
            throw new Error(`read ${this.url}${name}: the storage sent no body`);
        return { body: r.Body, size: r.ContentLength ?? 0, metadata: r.Metadata ?? {} };
    }
    async getText(name, signal) {
        try {
            const r = await this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.GetObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(name) }), {
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
        await this.send(`remove ${this.url}${name}`, (abortSignal) => this.client.send(new _aws_sdk_client_s3__WEBPACK_IMPORTED_MODULE_1__.DeleteObjectCommand({ Bucket: this.cfg.bucket, Key: this.key(name) }), { abortSignal }), signal);
    }
    dispose() {
        this.client.destroy();
    }
}
function errName(e) {
    const x = e;
    return x?.name ?? x?.Code ?? x?.code ?? '';
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
