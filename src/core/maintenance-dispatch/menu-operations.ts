/**
 * The names, settings and report of the menu operations (menu.ts), and the exec allow-list check: what config
 * and main.ts need on every run. menu.ts itself (and backup-db's core) is loaded only when a menu operation runs.
 */
import type { ComposeProject } from '../../lib/compose.js';
import type { BackupConfig } from '../backup-db/config.js';
import type { HostReport } from './run.js';

export const MENU_OPERATIONS = [
  'backup-db',
  'restore-db',
  'rollback',
  'maintenance-on',
  'maintenance-off',
  'exec',
] as const;
export type MenuOperation = (typeof MENU_OPERATIONS)[number];

export function isMenuOperation(op: string): op is MenuOperation {
  return (MENU_OPERATIONS as readonly string[]).includes(op);
}

export interface MenuSettings {
  compose: Omit<ComposeProject, 'flavor'>;
  /** Base of `.deploy-kit/` (lock, maintenance switch, release history): lock-path, else path. */
  base: string;
  lockTimeoutMs: number;
  /** Who holds the lock (run URL, time): written into it. */
  owner: string;
  confirm: string;
  /** maintenance-on */
  maintenance: { until: string; message: string; page?: string; by: string };
  /** exec */
  exec: { argv: string[]; allow: string[][]; service: string };
  /** rollback */
  rollback: { to: string; imageVariable: string };
  /** backup-db / restore-db: backup-db's own configuration (read from this action's inputs). */
  backup?: BackupConfig;
  /** No compose-file given: find the project's compose file in this directory on the host first. */
  backupComposeDir?: string;
  env: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
}

/** A compose operation's report (run.ts) plus what the menu operation did. */
export interface MenuReport extends HostReport<MenuOperation> {
  /** What the operation did, for outputs and the summary (release ids, file, until …). */
  details: Record<string, string>;
}

/** Splits a command line into words: whitespace separates; '…' and "…" quote (no expansion of any kind). */
export function splitCommandLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let inWord = false;
  let quote: '"' | "'" | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quote) {
      if (ch === quote) quote = undefined;
      else if (ch === '\\' && quote === '"' && (line[i + 1] === '"' || line[i + 1] === '\\')) cur += line[++i];
      else cur += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (/\s/.test(ch)) {
      if (inWord) out.push(cur);
      cur = '';
      inWord = false;
    } else {
      cur += ch;
      inWord = true;
    }
  }
  if (quote) throw new Error(`unbalanced ${quote} in "${line}"`);
  if (inWord) out.push(cur);
  return out;
}

/** An allow-list entry matches the same words exactly; a last word `*` allows any further arguments. */
export function allowed(argv: readonly string[], allow: readonly (readonly string[])[]): boolean {
  return allow.some((a) => {
    const open = a.at(-1) === '*';
    const fixed = open ? a.slice(0, -1) : a;
    if (open ? argv.length < fixed.length : argv.length !== fixed.length) return false;
    return fixed.every((w, i) => w === argv[i]);
  });
}
