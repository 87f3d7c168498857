import type { Command } from './command.js';

/**
 * The activation history of a deploy target, kept on the host: `<base>/.deploy-kit/releases.jsonl`, one
 * JSON object per line, appended under the deploy lock. It answers "what was live before?" — the question a
 * rollback asks — from what `current` actually pointed at, never from what was merely uploaded.
 *
 * Events (keys in this order; `id` is a release id, or an image digest for image-based targets):
 * - `activate`: `current` now points at `id` (`from`: what it pointed at before; `how`: deploy, activate,
 *   rollback or revert).
 * - `bad`: `id` must never go live again by rollback (`reason`: release phase failed, gate failed, rolled back).
 * - `upload`: `id` was uploaded (never live by itself).
 *
 * Every event has `at` (ISO time) and, when known, `run` (the workflow run URL) and `by` (who or what ran it).
 * An `activate` of an image-based target also carries `image`: the pinned reference that went live (`name@sha256:…`
 * or an image id), so the history alone says what served when, and a rollback takes the image from it.
 */
export type HistoryEventKind = 'activate' | 'bad' | 'upload';

export interface HistoryEvent {
  event: HistoryEventKind;
  id: string;
  at: string;
  from?: string;
  how?: 'deploy' | 'activate' | 'rollback' | 'revert' | 'seed';
  /** The pinned image that went live (image-based targets). */
  image?: string;
  reason?: string;
  run?: string;
  by?: string;
}

/** Where the history lives under a deploy base directory. */
export const HISTORY_DIR = '.deploy-kit';
export const HISTORY_FILE = 'releases.jsonl';
/** Lines kept when the history is trimmed (and read back): enough for any rollback, bounded in size. */
export const HISTORY_KEEP = 1000;

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/;
/** An image reference as written into `.env`: one word, never an option. */
const IMAGE_RE = /^[A-Za-z0-9][^\s]{0,499}$/;
/** Whether `image` can be recorded in an event (one word, not starting like an option). */
export function isHistoryImage(image: string): boolean {
  return IMAGE_RE.test(image);
}

/** The optional keys of an event, in the order they are written. */
const OPTIONAL_KEYS = ['from', 'how', 'image', 'reason', 'run', 'by'] as const;

/** One history line, keys in a fixed order (a shell `grep -F` may look for `{"event":"activate","id":"<id>",`). */
export function historyLine(e: HistoryEvent): string {
  if (!ID_RE.test(e.id)) throw new Error(`release history: "${e.id}" is not a release id or digest`);
  if (e.image !== undefined && !IMAGE_RE.test(e.image))
    throw new Error(`release history: "${e.image.slice(0, 80)}" is not an image reference`);
  const o: Record<string, string> = { event: e.event, id: e.id, at: e.at };
  for (const k of OPTIONAL_KEYS) {
    const v = e[k];
    if (v) o[k] = v.replace(/[\r\n]+/g, ' ').slice(0, 500);
  }
  return JSON.stringify(o);
}

/**
 * Appends events to the history of `base` (the directory that holds `.deploy-kit/`). The lines travel as
 * positional arguments of a constant script; nothing is parsed by a shell.
 */
export function appendHistoryCommand(base: string, events: HistoryEvent[]): Command {
  return {
    argv: [
      'sh',
      '-c',
      'set -e; b=$1; shift; mkdir -p -- "$b/.deploy-kit"; for l in "$@"; do printf \'%s\\n\' "$l" >> "$b/.deploy-kit/releases.jsonl"; done',
      'sh',
      base,
      ...events.map(historyLine),
    ],
    label: `record ${events.map((e) => `${e.event} ${e.id}`).join(', ')}`,
  };
}

/**
 * Marks a release bad in a releases layout: a `bad` event in the history and the `bad/<id>` marker that
 * the server-side steps check (discard, prune).
 */
export function markBadCommand(base: string, e: Omit<HistoryEvent, 'event'>): Command {
  const line = historyLine({ ...e, event: 'bad' });
  return {
    argv: [
      'sh',
      '-c',
      'set -e; m=$1/.deploy-kit; mkdir -p -- "$m/bad"; : > "$m/bad/$2"; printf \'%s\\n\' "$3" >> "$m/releases.jsonl"',
      'sh',
      base,
      e.id,
      line,
    ],
    label: `mark ${e.id} bad`,
  };
}

/** Parses history text; lines that are not a history event (torn writes, foreign text) are skipped. */
export function parseHistory(text: string): HistoryEvent[] {
  const out: HistoryEvent[] = [];
  for (const line of text.split('\n')) {
    const t = line.trim();
    if (!t.startsWith('{')) continue;
    try {
      const o = JSON.parse(t) as Record<string, unknown>;
      if (
        (o.event === 'activate' || o.event === 'bad' || o.event === 'upload') &&
        typeof o.id === 'string' &&
        ID_RE.test(o.id) &&
        typeof o.at === 'string'
      ) {
        const e: HistoryEvent = { event: o.event, id: o.id, at: o.at };
        for (const k of OPTIONAL_KEYS)
          if (typeof o[k] === 'string' && (k !== 'image' || IMAGE_RE.test(o[k])))
            (e as unknown as Record<string, string>)[k] = o[k] as string;
        out.push(e);
      }
    } catch {
      // a torn or foreign line: not an event
    }
  }
  return out;
}

export interface RollbackQuery {
  history: HistoryEvent[];
  /** What `current` points at now ('' when nothing is live). */
  current: string;
  /** Releases that still exist on the target. */
  existing: ReadonlySet<string>;
  /** Releases marked bad by other means (e.g. `bad/<id>` markers), in addition to the history's. */
  bad?: ReadonlySet<string>;
}

/** Ids marked bad in the history (or by markers). */
export function badIds(q: Pick<RollbackQuery, 'history' | 'bad'>): Set<string> {
  const bad = new Set(q.bad ?? []);
  for (const e of q.history) if (e.event === 'bad') bad.add(e.id);
  return bad;
}

/**
 * The release to roll back to: the most recent release `current` pointed at before, that is not the current
 * one, not marked bad and still exists. Never a release that only was uploaded. Undefined when there is none.
 */
export function rollbackTarget(q: RollbackQuery): string | undefined {
  const bad = badIds(q);
  const activations = q.history.filter((e) => e.event === 'activate');
  for (let i = activations.length - 1; i >= 0; i--) {
    const id = activations[i]!.id;
    if (id !== q.current && !bad.has(id) && q.existing.has(id)) return id;
  }
  return undefined;
}

/** True when `id` was ever live (an `activate` event names it). */
export function everLive(history: HistoryEvent[], id: string): boolean {
  return history.some((e) => e.event === 'activate' && e.id === id);
}

/** The image recorded by the newest `activate` of `id`, when the history has one. */
export function imageOf(history: readonly HistoryEvent[], id: string): string | undefined {
  for (let i = history.length - 1; i >= 0; i--) {
    const e = history[i]!;
    if (e.event === 'activate' && e.id === id && e.image) return e.image;
  }
  return undefined;
}
