import { readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

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

/** Which of `names` are backups of `base` (finished ones only: `.partial` never counts). */
export function backupsOf(names: readonly string[], base: string): string[] {
  return names
    .filter((n) => n.startsWith(`${base}-`) && !n.endsWith('.partial') && TS.test(n))
    .filter((n) => n.slice(base.length).match(TS)?.index === 0)
    .sort();
}

/**
 * Retention by count: keeps the `keep` newest backups of `base`, and always `newest` (the backup just
 * made and verified) whatever the clock says. Returns the names to remove (oldest first). keep 0 = keep all.
 */
export function planRetention(names: readonly string[], base: string, keep: number, newest: string): string[] {
  if (keep <= 0) return [];
  const all = backupsOf(names, base);
  const keepSet = new Set(all.slice(-keep));
  keepSet.add(newest);
  return all.filter((n) => !keepSet.has(n));
}

/** Applies the plan in `dir` (dry-run only reports). Returns the names removed (or that would be). */
export function applyRetention(dir: string, base: string, keep: number, newest: string, dryRun: boolean): string[] {
  const remove = planRetention(readdirSync(dir), base, keep, newest);
  if (!dryRun) {
    for (const n of remove) {
      if (statSync(join(dir, n)).isFile()) rmSync(join(dir, n), { force: true });
    }
  }
  return remove;
}
