import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { isHeldName } from './leftovers.js';

/** `<base>-YYYYMMDDTHHMMSSZ<ext>`: the names this action writes (sortable by time). */
export function backupFileName(base: string, when: Date, ext: string): string {
  const ts = when
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${base}-${ts}${ext}`;
}

/** Safe file-name stem from a database name or path. */
export function backupBase(name: string): string {
  const stem = name
    .split('/')
    .pop()!
    .replace(/\.(sqlite3?|db)$/i, '');
  return stem.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.-]+/, '') || 'db';
}

const TS = /-(\d{8}T\d{6}Z)(\.[A-Za-z0-9.]+)$/;

/** `<backup>.sha256` beside a backup (`<hex>  <name>`, sha256sum format): written last, it marks the backup complete. */
export const SIDECAR_SUFFIX = '.sha256';

/** Names of backups whose `.sha256` is beside them (complete) and of those without one (unverified). */
export function splitBySidecar(names: readonly string[]): { complete: string[]; unverified: string[] } {
  const all = new Set(names);
  const data = [...all].filter((n) => !n.endsWith(SIDECAR_SUFFIX)).sort();
  return {
    complete: data.filter((n) => all.has(n + SIDECAR_SUFFIX)),
    unverified: data.filter((n) => !all.has(n + SIDECAR_SUFFIX)),
  };
}

/** Which of `names` are backups of `base` (finished, verified ones only: `.partial`/`.unverified` never count). */
export function backupsOf(names: readonly string[], base: string): string[] {
  return names
    .filter((n) => n.startsWith(`${base}-`) && !isHeldName(n) && !n.endsWith(SIDECAR_SUFFIX) && TS.test(n))
    .filter((n) => n.slice(base.length).match(TS)?.index === 0)
    .sort();
}

/** The UTC time in a backup's name (`…-20240102T030405Z.dump.gz` → 2024-01-02T03:04:05Z). */
export function backupTime(name: string): Date {
  const m = TS.exec(name);
  if (!m) throw new Error(`not a backup name: ${name}`);
  const t = m[1]!;
  return new Date(
    Date.UTC(+t.slice(0, 4), +t.slice(4, 6) - 1, +t.slice(6, 8), +t.slice(9, 11), +t.slice(11, 13), +t.slice(13, 15)),
  );
}

/**
 * How many backups to keep: the `keep` newest, plus the newest backup of each of the last `daily` days,
 * `weekly` ISO weeks and `monthly` months that have a backup (UTC calendar). All 0 = keep everything.
 */
export interface RetentionPolicy {
  keep: number;
  daily: number;
  weekly: number;
  monthly: number;
}

const pad = (n: number, w = 2): string => String(n).padStart(w, '0');

/** `2024-01-02` (UTC day). */
export function dayBucket(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** `2024-W01` (ISO 8601 week, Monday first; the week's year can differ from the date's near New Year). */
export function weekBucket(d: Date): string {
  const t = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const dow = t.getUTCDay() || 7; // Monday 1 … Sunday 7
  t.setUTCDate(t.getUTCDate() + 4 - dow); // the Thursday of this week decides its year
  const year = t.getUTCFullYear();
  const week = Math.ceil(((t.getTime() - Date.UTC(year, 0, 1)) / 86_400_000 + 1) / 7);
  return `${year}-W${pad(week)}`;
}

/** `2024-01` (UTC month). */
export function monthBucket(d: Date): string {
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}`;
}

export interface RetentionPlan {
  /** Kept backups (oldest first), each with why: `newest`, `keep`, `daily 2024-01-02`, … */
  keep: { name: string; reasons: string[] }[];
  /** Backups to remove, oldest first. */
  remove: string[];
  /**
   * With sidecars: files named like backups of the database but without a `.sha256` beside them — not counted,
   * never removed (nothing proves they are complete backups this action made), reported.
   */
  unverified?: string[];
}

/**
 * The plan where backups carry a `.sha256` (sidecars: the action's output-dir and remote-dir, the storage): only
 * complete backups count; the others of `base` are listed as `unverified` and left alone.
 */
export function planWithSidecars(
  names: readonly string[],
  base: string,
  policy: RetentionPolicy,
  newest: string,
): RetentionPlan {
  const { complete, unverified } = splitBySidecar(names);
  return {
    ...planKeepingNewest(complete, base, policy, newest),
    unverified: backupsOf(unverified, base).filter((n) => n !== newest),
  };
}

export function retentionEnabled(p: RetentionPolicy): boolean {
  return p.keep > 0 || p.daily > 0 || p.weekly > 0 || p.monthly > 0;
}

/**
 * Pure retention plan over the file names in a directory. `newest` is the backup just made and verified:
 * it is always kept, whatever the clock says (a clock behind makes it sort first). Only finished backups of
 * `base` are considered; anything else in the directory is never touched.
 */
export function planRetentionDetailed(
  names: readonly string[],
  base: string,
  p: RetentionPolicy,
  newest: string,
): RetentionPlan {
  const all = backupsOf(names, base);
  const reasons = new Map<string, string[]>();
  const add = (n: string, why: string): void => void reasons.set(n, [...(reasons.get(n) ?? []), why]);
  if (!retentionEnabled(p)) {
    for (const n of all) add(n, 'retention off');
    return { keep: all.map((name) => ({ name, reasons: reasons.get(name)! })), remove: [] };
  }
  add(newest, 'newest');
  const newestFirst = [...all].reverse();
  newestFirst.slice(0, p.keep).forEach((n) => add(n, 'keep'));
  const buckets: [string, number, (d: Date) => string][] = [
    ['daily', p.daily, dayBucket],
    ['weekly', p.weekly, weekBucket],
    ['monthly', p.monthly, monthBucket],
  ];
  for (const [label, count, bucketOf] of buckets) {
    if (count <= 0) continue;
    const seen = new Set<string>();
    for (const n of newestFirst) {
      const b = bucketOf(backupTime(n));
      if (seen.has(b)) continue; // an older backup of a bucket already kept by a newer one
      if (seen.size >= count) break;
      seen.add(b);
      add(n, `${label} ${b}`);
    }
  }
  const keepNames = [...new Set([...all, newest])].filter((n) => reasons.has(n)).sort();
  return {
    keep: keepNames.map((name) => ({ name, reasons: reasons.get(name)! })),
    remove: all.filter((n) => !reasons.has(n)),
  };
}

/** The names to remove (oldest first); see planRetentionDetailed. keep 0 (and no calendar counts) = keep all. */
export function planRetention(
  names: readonly string[],
  base: string,
  policy: RetentionPolicy,
  newest: string,
): string[] {
  return planRetentionDetailed(names, base, policy, newest).remove;
}

/** The plan over `names`; a plan that would remove `newest` (the backup just made) is refused, never applied. */
export function planKeepingNewest(
  names: readonly string[],
  base: string,
  policy: RetentionPolicy,
  newest: string,
): RetentionPlan {
  const plan = planRetentionDetailed(names, base, policy, newest);
  if (plan.remove.includes(newest)) throw new Error(`retention would remove ${newest}, the backup just made: refusing`);
  return plan;
}

/**
 * Retention over the listing of a place reached through something else than the runner's file system (a server's
 * remote-dir over SSH, the storage): the plan (with `sidecars`, only complete backups count), then — unless a dry
 * run — `remove` in batches of at most 200 names, each batch's `.sha256` files before their backups (a backup stops
 * counting before its data goes). Refused when `newest`, the backup just made, is not listed (as complete).
 */
export async function pruneListed(
  names: readonly string[],
  where: string,
  base: string,
  policy: RetentionPolicy,
  newest: string,
  o: { dryRun: boolean; sidecars: boolean; remove: (names: string[]) => Promise<void> },
): Promise<RetentionPlan> {
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
      if (o.sidecars) await o.remove(batch.map((n) => n + SIDECAR_SUFFIX));
      await o.remove(batch);
    }
  }
  return plan;
}

/**
 * Applies the plan in `dir` (dry-run only reports). `remove` = the names removed (or that would be). `sidecars`:
 * only backups with their `.sha256` count; the `.sha256` goes first (the backup stops counting before its data).
 */
export function applyRetention(
  dir: string,
  base: string,
  policy: RetentionPolicy,
  newest: string,
  dryRun: boolean,
  sidecars = false,
): RetentionPlan {
  const names = readdirSync(dir);
  const plan = sidecars
    ? planWithSidecars(names, base, policy, newest)
    : planKeepingNewest(names, base, policy, newest);
  if (!dryRun) {
    for (const n of plan.remove) {
      if (sidecars) rmSync(join(dir, n + SIDECAR_SUFFIX), { force: true });
      if (statSync(join(dir, n)).isFile()) rmSync(join(dir, n), { force: true });
    }
  }
  return plan;
}
