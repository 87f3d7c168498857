const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * The longest wait Node's timers can hold (2^31 - 1 ms, about 596 h): a longer delay overflows and fires
 * after ~1 ms, so every duration above it is refused instead of silently becoming "now".
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** Parses `500ms`, `30s`, `5m`, `1h`, `1m30s` or bare seconds (`10`, `2.5`) into milliseconds. */
export function parseDuration(text: string): number {
  const s = text.trim();
  if (/^\d+(\.\d+)?$/.test(s)) return capped(text, Math.round(Number(s) * 1000));
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/gy;
  let total = 0;
  let matched = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(s)) !== null) {
    total += Number(m[1]) * UNITS[m[2]!]!;
    matched = re.lastIndex;
  }
  if (s === '' || matched !== s.length) {
    throw new Error(`"${text}" is not a duration; use 500ms, 30s, 5m, 1h or a number of seconds`);
  }
  return capped(text, Math.round(total));
}

function capped(text: string, ms: number): number {
  if (!Number.isFinite(ms) || ms > MAX_DURATION_MS) {
    throw new Error(
      `"${text.trim().slice(0, 40)}" is too long: the longest duration is 596h (2^31-1 ms, the most a timer can wait); use a shorter one`,
    );
  }
  return ms;
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  const s = Math.round((ms % 60_000) / 1000);
  return `${m} min ${s} s`;
}
