import { TIMEOUTS } from '../../lib/timeouts.js';
import { createReadStream, createWriteStream, rmSync, statSync } from 'node:fs';
import { Transform, Writable, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { InputError, type Inputs } from '../../lib/inputs.js';
import { AGE_SUFFIX, decryptStream, encryptStream, parseIdentities, parseRecipients } from './encrypt.js';
import { noteStreamed } from './memory.js';
import {
  backupsOf,
  backupTime,
  pruneListed,
  SIDECAR_SUFFIX,
  splitBySidecar,
  type RetentionPlan,
  type RetentionPolicy,
} from './retention.js';

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

export { SIDECAR_SUFFIX };

export interface StorageConfig {
  /** `s3://bucket/prefix/` as given, normalized (prefix ends with `/` or is empty). */
  url: string;
  bucket: string;
  /** Key prefix ending with `/`, or '' for the bucket root. */
  prefix: string;
  /** Custom endpoint (MinIO, R2, B2, Spaces, …); '' = AWS S3. */
  endpoint: string;
  region: string;
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  forcePathStyle: boolean;
  /** After upload: `read` the object back and compare sha256 (default) or only compare its `size`. */
  verify: 'read' | 'size';
  /** A request that sends or receives nothing for this long is cut (and retried). */
  requestTimeoutMs: number;
  connectTimeoutMs: number;
  /** Attempts per request (the SDK's standard retry: exponential backoff with jitter). */
  attempts: number;
  /** Overall limit of the upload or download of one backup. */
  transferTimeoutMs: number;
}

export interface OffsiteConfig {
  storage?: StorageConfig;
  /** age public keys: when set, what leaves the runner (for the storage, for remote-dir) is encrypted. */
  recipients: string[];
  /** age identities for mode: restore of an encrypted backup (secrets). */
  identities: string[];
}

/** `s3://bucket[/prefix]` → bucket and a prefix ending with `/` (or ''). */
export function parseStorageUrl(url: string): { bucket: string; prefix: string; url: string } {
  const m = /^s3:\/\/([^/?#\s]+)(\/[^?#\s]*)?$/.exec(url.trim());
  if (!m) throw new InputError('storage', `"${url}" is not an s3://bucket/prefix URL`);
  const bucket = m[1]!;
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{1,254}$/.test(bucket)) {
    throw new InputError('storage', `"${bucket}" is not a bucket name`);
  }
  const segments = (m[2] ?? '').split('/').filter(Boolean);
  if (segments.some((s) => s === '.' || s === '..')) {
    throw new InputError('storage', 'the prefix must not contain . or .. segments');
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
] as const; // (s3-verify and s3-request-timeout have defaults: only read with storage)

/**
 * The storage inputs. Keys come from the inputs, else from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY /
 * AWS_SESSION_TOKEN (what aws-actions/configure-aws-credentials exports); never from the instance metadata
 * service or other implicit sources (no hidden network calls, no waits).
 */
export function readOffsiteConfig(
  inputs: Inputs,
  mode: 'backup' | 'restore',
  timeoutMs: number,
  env: NodeJS.ProcessEnv = process.env,
): OffsiteConfig {
  const url = inputs.string('storage');
  const identityText = inputs.secret('decrypt-identity');
  if (!url) {
    for (const name of S3_INPUTS) {
      if (name === 'encrypt-recipients' && inputs.string('remote-dir')) continue;
      if (inputs.raw(name))
        throw new InputError(
          name,
          name === 'encrypt-recipients'
            ? 'is used with storage or remote-dir only (the copies that leave the runner); set one of them too'
            : 'is used with storage only; set storage (s3://bucket/prefix) too',
        );
    }
    if (identityText && mode !== 'restore')
      throw new InputError('decrypt-identity', 'is used with storage or a .age restore-from, in mode: restore only');
    // remote-dir without storage: its copy on the server is encrypted when recipients are given; a restore from
    // such a copy (restore-from: <file>.age) decrypts it with decrypt-identity.
    const recipients = parseRecipients(inputs.list('encrypt-recipients'));
    if (mode === 'restore' && recipients.length) {
      throw new InputError('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
    }
    return { recipients, identities: identityText ? parseIdentities(identityText) : [] };
  }
  const { bucket, prefix, url: normalized } = parseStorageUrl(url);
  const endpoint = inputs.string('s3-endpoint');
  if (endpoint) {
    let u: URL;
    try {
      u = new URL(endpoint);
    } catch {
      throw new InputError('s3-endpoint', `"${endpoint}" is not a URL (https://host[:port])`);
    }
    if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new InputError('s3-endpoint', 'must be http(s)://');
    if (u.username || u.password)
      throw new InputError('s3-endpoint', 'must not hold credentials; use s3-access-key-id');
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
    throw new InputError('s3-access-key-id', 'is required with storage (or AWS_ACCESS_KEY_ID in the environment)');
  if (!secretAccessKey)
    throw new InputError(
      's3-secret-access-key',
      'is required with storage (or AWS_SECRET_ACCESS_KEY in the environment)',
    );
  const recipients = parseRecipients(inputs.list('encrypt-recipients'));
  const identities = identityText ? parseIdentities(identityText) : [];
  if (mode === 'restore' && recipients.length) {
    throw new InputError('encrypt-recipients', 'is for making backups; mode restore decrypts with decrypt-identity');
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
      verify: inputs.choice('s3-verify', ['read', 'size'] as const, 'read'),
      requestTimeoutMs: inputs.duration('s3-request-timeout', '2m', { min: 1000 }),
      connectTimeoutMs: TIMEOUTS.connectMs,
      attempts: 4,
      transferTimeoutMs: timeoutMs,
    },
    recipients,
    identities,
  };
}

/** Values to mask (the action masks them in logs, outputs and the summary). */
export function offsiteSecrets(o: OffsiteConfig): string[] {
  const s = o.storage;
  return [...(s ? [s.accessKeyId, s.secretAccessKey, s.sessionToken] : []), ...o.identities].filter(
    (v) => v.length >= 3,
  );
}

/** One object directly under the prefix. */
export interface StoredObject {
  /** Name relative to the prefix. */
  name: string;
  size: number;
}

/** What the backup flow needs from an object store (storage-s3.ts implements it for S3). */
export interface BackupStore {
  /** `s3://bucket/prefix/` */
  readonly url: string;
  /** Objects directly under the prefix (not in deeper "folders"). */
  list(signal?: AbortSignal): Promise<StoredObject[]>;
  /** Size and user metadata, or undefined when there is no such object. */
  head(name: string, signal?: AbortSignal): Promise<{ size: number; metadata: Record<string, string> } | undefined>;
  /**
   * Uploads a file of `size` bytes into `name`, streamed from disk (multipart in `partSize` parts, each retried
   * on its own; aborted on error or signal, so no object appears).
   */
  uploadFile(
    name: string,
    file: string,
    size: number,
    opts: { partSize: number; metadata: Record<string, string>; signal?: AbortSignal },
  ): Promise<void>;
  /** A small object (the .sha256 file). */
  putBytes(name: string, body: string | Buffer, signal?: AbortSignal): Promise<void>;
  /** The object's bytes as a stream (with the size the server announced). */
  get(name: string, signal?: AbortSignal): Promise<{ body: Readable; size: number; metadata: Record<string, string> }>;
  getText(name: string, signal?: AbortSignal): Promise<string | undefined>;
  remove(name: string, signal?: AbortSignal): Promise<void>;
  dispose(): void;
}

/** Opens the store; the S3 SDK is loaded here, only when storage is used (the bundle's cold start stays small). */
export async function openStore(cfg: StorageConfig): Promise<BackupStore> {
  const { S3Store } = await import('./storage-s3.js');
  return new S3Store(cfg);
}

export function sidecarText(sha256: string, name: string): string {
  return `${sha256}  ${name}\n`;
}

/** The sha256 in a `.sha256` object written for `name`, or throws. */
export function parseSidecar(text: string, name: string): string {
  const m = /^([0-9a-f]{64}) [ *](.+)\n?$/.exec(text);
  if (!m || m[2] !== name) throw new Error(`${name}${SIDECAR_SUFFIX} is not a checksum of ${name}`);
  return m[1]!;
}

/** Names (relative to the prefix) of complete backups: a data object whose `.sha256` object exists. */
export function completeNames(objects: readonly StoredObject[]): string[] {
  return splitBySidecar(objects.map((o) => o.name)).complete;
}

/** Data objects without a checksum object: an upload killed after it completed and before it was verified. */
export function incompleteNames(objects: readonly StoredObject[]): string[] {
  return splitBySidecar(objects.map((o) => o.name)).unverified;
}

/** The complete backups of `base` in the store, oldest first. */
export async function storedBackups(store: BackupStore, base: string, signal?: AbortSignal): Promise<string[]> {
  return backupsOf(completeNames(await store.list(signal)), base);
}

/** S3 allows 10 000 parts: parts grow with the backup (at least 8 MiB, the SDK's minimum is 5 MiB). */
export function partSizeFor(bytes: number): number {
  const min = 8 * 1024 * 1024;
  return Math.max(min, Math.ceil((bytes * 1.01) / 9000));
}

export interface StoredBackup {
  /** `s3://bucket/prefix/name` */
  url: string;
  name: string;
  /** sha256 of the stored bytes (the ciphertext when encrypted) — the `.sha256` object's value. */
  sha256: string;
  sizeBytes: number;
  encrypted: boolean;
  /** How the stored object was checked after upload. */
  verification: string;
}

/** sha256 + byte count of what flows through (its dead chunks freed as they pile up: memory.ts). */
function hasher(): { t: Transform; digest: () => string; bytes: () => number } {
  // node:crypto on first use: monitor's config reads the storage inputs from here at every step's start.
  const h = process.getBuiltinModule('node:crypto').createHash('sha256');
  let n = 0;
  const t = new Transform({
    transform(chunk: Buffer, _e, cb) {
      h.update(chunk);
      n += chunk.length;
      noteStreamed(chunk.length);
      cb(null, chunk);
    },
  });
  return { t, digest: () => h.digest('hex'), bytes: () => n };
}

export interface UploadOptions {
  /** sha256 of `localFile` (computed while it was written); kept as object metadata and checked on restore. */
  plainSha256: string;
  /** A private dir on the runner for the encrypted copy (removed by the caller). */
  tmpDir: string;
  recipients: readonly string[];
  /** The backup already encrypted to `recipients` (encryptBackup): uploaded as it is, left for the caller. */
  encrypted?: EncryptedBackup;
  verify: 'read' | 'size';
  signal?: AbortSignal;
  log?: (line: string) => void;
}

/** A backup encrypted on the runner: `<dir>/<name>.age` and the sha256 of its bytes. */
export interface EncryptedBackup {
  file: string;
  name: string;
  sha256: string;
}

/**
 * Encrypts a finished backup file to the age recipients into `<dir>/<name>.age` (0600), streamed, the ciphertext
 * hashed on the way. Fails closed: on any error the partial ciphertext is removed and nothing else happens.
 */
export async function encryptBackup(
  localFile: string,
  dir: string,
  recipients: readonly string[],
  signal?: AbortSignal,
): Promise<EncryptedBackup> {
  const name = localFile.split('/').pop()! + AGE_SUFFIX;
  const file = `${dir}/${name}`;
  const h = hasher();
  try {
    // The plaintext is counted too (its chunks and age's copies of them are garbage as well: memory.ts).
    const plainIn = createReadStream(localFile, { highWaterMark: 256 * 1024 });
    const counted = hasher();
    plainIn.once('error', (e) => counted.t.destroy(e));
    const cipher = await encryptStream(plainIn.pipe(counted.t), recipients);
    await pipeline(cipher, h.t, createWriteStream(file, { mode: 0o600 }), { signal });
  } catch (e) {
    rmSync(file, { force: true });
    throw new Error(`encryption failed, nothing was uploaded: ${(e as Error).message}`);
  }
  return { file, name, sha256: h.digest() };
}

/**
 * Uploads a finished, verified backup file: streamed from disk (encrypted first when recipients are
 * set), hashed on the way, checked after upload (read back and hashed, or its size), then — last — the
 * `.sha256` object. Never replaces an existing backup. On any failure the data object (if it got that far)
 * is removed again and the error thrown.
 */
export async function uploadBackup(store: BackupStore, localFile: string, opts: UploadOptions): Promise<StoredBackup> {
  const base = localFile.split('/').pop()!;
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
    let verification: string;
    const head = await store.head(name, opts.signal);
    if (!head) throw new Error(`${url} is not in the storage after the upload completed`);
    if (head.size !== sent) throw new Error(`${url} holds ${head.size} bytes after the upload, ${sent} were sent`);
    if (opts.verify === 'read') {
      const got = await store.get(name, opts.signal);
      const rh = hasher();
      await pipeline(got.body, rh.t, new Writable({ write: (_c, _e, cb) => cb() }), { signal: opts.signal });
      if (rh.digest() !== sha256) {
        throw new Error(`${url} read back with sha256 ${rh.digest()}, ${sha256} was uploaded`);
      }
      verification = `read back: ${sent} bytes, sha256 matches`;
    } else {
      verification = `size checked: ${sent} bytes (s3-verify: size)`;
    }
    await store.putBytes(name + SIDECAR_SUFFIX, sidecarText(sha256, name), opts.signal);
    opts.log?.(`stored ${url} (${sent} bytes${encrypted ? ', age-encrypted' : ''}, sha256 ${sha256}; ${verification})`);
    return { url, name, sha256, sizeBytes: sent, encrypted, verification };
  } catch (e) {
    if (created) {
      // Not verified: it must not stay looking like a backup (it has no .sha256 either way).
      await store.remove(name).catch(() => undefined);
    }
    throw e;
  } finally {
    if (ownCipher) rmSync(file, { force: true });
  }
}

/**
 * Retention over the complete backups of `base` in the store (the same rules as output-dir). Runs only after
 * the new backup was stored and verified; never removes `newest`. Removes the `.sha256` first (the backup
 * stops counting), then the data object. Objects without a `.sha256` are never counted nor removed: `unverified`.
 */
export async function storageRetention(
  store: BackupStore,
  base: string,
  policy: RetentionPolicy,
  newest: string,
  dryRun: boolean,
  signal?: AbortSignal,
): Promise<RetentionPlan> {
  const names = (await store.list(signal)).map((o) => o.name);
  return pruneListed(names, store.url, base, policy, newest, {
    dryRun,
    sidecars: true,
    remove: async (batch) => {
      for (const n of batch) await store.remove(n, signal);
    },
  });
}

/** `restore-from` with storage: `latest` (of `base`), a name under the prefix, or the full s3:// URL. */
export async function resolveStored(
  store: BackupStore,
  restoreFrom: string,
  base: string,
  signal?: AbortSignal,
): Promise<string> {
  if (restoreFrom === 'latest') {
    const all = await storedBackups(store, base, signal);
    // Newest by the time in the name (names sort by time within one base).
    const newest = [...all].sort((a, b) => backupTime(a).getTime() - backupTime(b).getTime()).pop();
    if (!newest) {
      throw new InputError(
        'restore-from',
        `latest: ${store.url} holds no complete backup of ${base} (a backup counts once its .sha256 object exists)`,
      );
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

export interface FetchedBackup {
  url: string;
  name: string;
  /** The decrypted (if it was encrypted) local file. */
  path: string;
  /** sha256 of the stored bytes (equal to its .sha256 object). */
  sha256: string;
  sizeBytes: number;
  encrypted: boolean;
  /** allow-unverified: it had no `.sha256` (restored anyway). */
  unverified?: boolean;
}

/**
 * Downloads `name` into `dir` (decrypting `.age` with the identities), streamed. The stored bytes must hash
 * to the `.sha256` object, and the plaintext to the sha256 recorded at upload; otherwise the local file is
 * removed and an error thrown. The file keeps the backup's name without `.age` (engines read the name).
 */
export async function fetchBackup(
  store: BackupStore,
  name: string,
  dir: string,
  identities: readonly string[],
  signal?: AbortSignal,
  allowUnverified = false,
): Promise<FetchedBackup> {
  const url = store.url + name;
  const side = await store.getText(name + SIDECAR_SUFFIX, signal);
  if (side === undefined) {
    const exists = await store.head(name, signal);
    if (!exists) throw new InputError('restore-from', `${url} does not exist`);
    if (!allowUnverified) {
      throw new InputError(
        'restore-from',
        `${url} has no ${SIDECAR_SUFFIX} object: its upload never finished verification; restore another backup, or set allow-unverified: true to restore it anyway`,
      );
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
  } catch (e) {
    got.body.destroy();
    rmSync(path, { force: true });
    if (encrypted && !(e instanceof InputError) && !signal?.aborted && !/sha256/.test((e as Error).message)) {
      throw new Error(`${url}: decryption failed, the file was altered or cut short (${(e as Error).message})`);
    }
    throw e;
  }
}

/**
 * Decrypts a runner file `<name>.age` (a remote-dir copy made with encrypt-recipients) into `dir/<name>` with the
 * identities, streamed. A wrong identity fails naming decrypt-identity; an altered or cut file fails authentication;
 * either way nothing is left in `dir`.
 */
export async function decryptLocalBackup(
  path: string,
  dir: string,
  identities: readonly string[],
  signal?: AbortSignal,
): Promise<string> {
  const out = `${dir}/${path.split('/').pop()!.slice(0, -AGE_SUFFIX.length)}`;
  try {
    const cipherIn = createReadStream(path);
    const counted = hasher();
    cipherIn.once('error', (e) => counted.t.destroy(e));
    const clear = await decryptStream(cipherIn.pipe(counted.t), identities, path);
    await pipeline(clear, createWriteStream(out, { mode: 0o600 }), { signal });
    return out;
  } catch (e) {
    rmSync(out, { force: true });
    if (e instanceof InputError || signal?.aborted) throw e;
    throw new Error(`${path}: decryption failed, the file was altered or cut short (${(e as Error).message})`);
  }
}
