import { readdirSync } from 'node:fs';
import { formatDuration } from '../../lib/duration.js';
import type { Executor } from '../../lib/exec/types.js';
import { backupBase, backupsOf, backupTime } from './retention.js';
import { listRemoteDir } from './storage-host.js';
import { completeNames, openStore, SIDECAR_SUFFIX, type StorageConfig } from './storage.js';

/**
 * How old the newest backup is, for the monitor's backup-freshness check ("newest backup older than X → alert").
 * The time of a backup is the UTC timestamp in its name (`<db>-YYYYMMDDTHHMMSSZ.<ext>`, as backup-db writes
 * it), not the file's mtime (a copy or a restore from elsewhere keeps the name). Only finished backups count:
 * `.partial` files never; in the storage only backups whose `.sha256` object exists.
 */
export type FreshnessSource =
  /** A directory on the runner (output-dir). */
  | { kind: 'dir'; dir: string }
  /** A directory where `exec` runs (remote-dir on the server, reached over SSH). */
  | { kind: 'host-dir'; dir: string; exec: Executor }
  /** An s3://bucket/prefix storage. */
  | { kind: 'storage'; storage: StorageConfig };

export interface FreshnessOptions {
  /** Older than this (or no backup at all) is stale. */
  maxAgeMs: number;
  /** Only backups of this database (its name, or the SQLite path); all backups when empty. */
  database?: string;
  now?: Date;
  signal?: AbortSignal;
}

export interface BackupFreshness {
  /** The directory or storage URL looked at. */
  where: string;
  /** Name of the newest backup ('' when none). */
  newest: string;
  /** Its time, ISO 8601 ('' when none). */
  newestAt: string;
  /** Age of the newest backup in ms (null when none; 0 when its time is ahead of the clock). */
  ageMs: number | null;
  /** Finished backups found. */
  count: number;
  maxAgeMs: number;
  /** true when there is a backup no older than maxAgeMs. */
  fresh: boolean;
  /** One line for a summary or an incident. */
  message: string;
}

const ANY_BACKUP = /-\d{8}T\d{6}Z\.[A-Za-z0-9.]+$/;

/** Pure: the freshness of the backups among `names`. */
export function freshnessOf(names: readonly string[], where: string, opts: FreshnessOptions): BackupFreshness {
  const now = (opts.now ?? new Date()).getTime();
  const candidates = opts.database
    ? backupsOf(names, backupBase(opts.database))
    : names.filter((n) => ANY_BACKUP.test(n) && !n.endsWith('.partial') && !n.endsWith(SIDECAR_SUFFIX));
  let newest = '';
  let at = -Infinity;
  for (const n of candidates) {
    const t = backupTime(n).getTime();
    if (t > at) [newest, at] = [n, t];
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
    message: `newest backup${of} in ${where} is ${newest}, ${formatDuration(ageMs)} old (${fresh ? 'within' : 'older than'} ${formatDuration(opts.maxAgeMs)})`,
  };
}

/** Lists the source and returns the freshness of its newest backup. A missing local dir means no backup. */
export async function backupFreshness(src: FreshnessSource, opts: FreshnessOptions): Promise<BackupFreshness> {
  switch (src.kind) {
    case 'dir': {
      let names: string[];
      try {
        names = readdirSync(src.dir);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
        names = [];
      }
      return freshnessOf(names, src.dir, opts);
    }
    case 'host-dir':
      return freshnessOf(await listRemoteDir(src.exec, src.dir, opts.signal), `${src.exec.target}:${src.dir}`, opts);
    case 'storage': {
      const store = await openStore(src.storage);
      try {
        return freshnessOf(completeNames(await store.list(opts.signal)), store.url, opts);
      } finally {
        store.dispose();
      }
    }
  }
}
