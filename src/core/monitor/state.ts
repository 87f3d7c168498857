/**
 * The monitor's memory, kept in the incident issue of each target and kind (a hidden JSON block in the issue
 * body), so consecutive failures are counted across scheduled runs without any other storage. The rules
 * are pure functions of (previous state, this run's verdict, thresholds): unit-tested without any API.
 */

/** What the monitor checks; each kind has its own incident issue per target. */
export const KINDS = ['endpoint', 'containers', 'disk', 'logs', 'backup'] as const;
export type Kind = (typeof KINDS)[number];

/** Kinds a heal (start what stopped, restart the heal services) can fix. */
export const HEALABLE: ReadonlySet<Kind> = new Set<Kind>(['endpoint', 'containers']);

export interface HealRecord {
  at: string;
  what: string;
  ok: boolean;
}

export interface KindState {
  v: 1;
  /** `<name>/<kind>`: which target and kind this issue answers for. */
  key: string;
  /** Consecutive failed runs (0 after a passing run). */
  failures: number;
  /** Consecutive passing runs (0 after a failed run). */
  successes: number;
  /** When the current failure streak (or open incident) started. */
  since?: string;
  /** When the incident was opened (set while open). */
  openedAt?: string;
  /** Last run that evaluated this kind, and its verdict. */
  lastRunAt?: string;
  lastOk?: boolean;
  /** Why the last failing run failed. */
  reasons: string[];
  /** Heals done during the current incident/streak. */
  heals: HealRecord[];
  /** Container restart counts seen by the last run (containers kind), to count restarts between runs. */
  restarts?: Record<string, number>;
}

export interface Thresholds {
  failuresToOpen: number;
  successesToClose: number;
  /** Heal after this many consecutive failed runs, and every as many runs after (0 = never). */
  restartAfter: number;
}

export function emptyState(key: string): KindState {
  return { v: 1, key, failures: 0, successes: 0, reasons: [], heals: [] };
}

export type Transition = 'none' | 'open' | 'close';

export interface Decision {
  next: KindState;
  transition: Transition;
  /** This run should heal (the kind is healable and the failure streak reached restart-after, or a multiple). */
  heal: boolean;
}

/**
 * One run's verdict applied to the previous state. `isOpen`: the incident issue is open now. A failing run
 * opens on the failuresToOpen-th consecutive failure (never a second issue: an open one stays open); a
 * passing run closes after successesToClose consecutive passes.
 */
export function decide(
  prev: KindState,
  kind: Kind,
  isOpen: boolean,
  ok: boolean,
  reasons: string[],
  t: Thresholds,
  now: Date,
): Decision {
  const at = now.toISOString();
  const next: KindState = { ...prev, heals: [...prev.heals], lastRunAt: at, lastOk: ok };
  if (!ok) {
    next.failures = prev.failures + 1;
    next.successes = 0;
    next.reasons = reasons;
    if (!next.since || (!isOpen && prev.failures === 0)) next.since = at;
    if (!isOpen && prev.failures === 0) next.heals = [];
    const open = !isOpen && next.failures >= t.failuresToOpen;
    if (open) next.openedAt = at;
    const heal =
      HEALABLE.has(kind) &&
      t.restartAfter > 0 &&
      next.failures >= t.restartAfter &&
      (next.failures - t.restartAfter) % t.restartAfter === 0;
    return { next, transition: open ? 'open' : 'none', heal };
  }
  next.failures = 0;
  next.successes = prev.successes + 1;
  if (isOpen) {
    if (next.successes >= t.successesToClose) return { next, transition: 'close', heal: false };
    return { next, transition: 'none', heal: false };
  }
  // Not open: a pass ends a streak that never became an incident.
  next.since = undefined;
  next.openedAt = undefined;
  next.heals = [];
  next.reasons = [];
  return { next, transition: 'none', heal: false };
}

/** After a close: the incident is over, its details go. */
export function closedState(s: KindState): KindState {
  return { ...s, since: undefined, openedAt: undefined, heals: [], reasons: [] };
}

const START = '<!-- deploy-kit-monitor-state';
const END = '-->';

/** The hidden block: JSON with < and > escaped, so no text from a server can end the HTML comment. */
export function renderStateBlock(s: KindState): string {
  const json = JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e');
  return `${START}\n${json}\n${END}`;
}

/** The state from an issue body; undefined when the body has no (valid) block. */
export function parseStateBlock(body: string | null | undefined): KindState | undefined {
  if (!body) return undefined;
  const i = body.indexOf(START);
  if (i < 0) return undefined;
  const j = body.indexOf(END, i + START.length);
  if (j < 0) return undefined;
  try {
    const s = JSON.parse(body.slice(i + START.length, j)) as KindState;
    if (s.v !== 1 || typeof s.key !== 'string' || typeof s.failures !== 'number') return undefined;
    return { ...s, reasons: s.reasons ?? [], heals: s.heals ?? [] };
  } catch {
    return undefined;
  }
}

/** Replaces (or appends) the hidden block, keeping whatever a person wrote in the body around it. */
export function withStateBlock(body: string | null | undefined, s: KindState): string {
  const text = body ?? '';
  const i = text.indexOf(START);
  const j = i >= 0 ? text.indexOf(END, i + START.length) : -1;
  if (i >= 0 && j >= 0) return text.slice(0, i) + renderStateBlock(s) + text.slice(j + END.length);
  return `${text}${text ? '\n\n' : ''}${renderStateBlock(s)}`;
}

/** "2 h 5 min", "3 min", "40 s". */
export function humanDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return `${h} h${m % 60 ? ` ${m % 60} min` : ''}`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
