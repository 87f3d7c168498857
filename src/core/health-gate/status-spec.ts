/** Matches HTTP status codes against `200-399`, `200,204`, `2xx` style specs. */
export type StatusMatcher = (status: number) => boolean;

export function parseStatusSpec(spec: string): { match: StatusMatcher; text: string } {
  const ranges: Array<[number, number]> = [];
  const parts = spec
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error('is empty; use e.g. 200-399 or 200,204');
  for (const p of parts) {
    let m: RegExpExecArray | null;
    if ((m = /^([1-5])xx$/i.exec(p))) {
      const base = Number(m[1]) * 100;
      ranges.push([base, base + 99]);
    } else if ((m = /^(\d{3})-(\d{3})$/.exec(p))) {
      const lo = Number(m[1]);
      const hi = Number(m[2]);
      if (lo > hi) throw new Error(`range "${p}" is backwards`);
      ranges.push([lo, hi]);
    } else if (/^\d{3}$/.test(p)) {
      ranges.push([Number(p), Number(p)]);
    } else {
      throw new Error(`"${p}" is not a status code, range (200-399) or class (2xx)`);
    }
  }
  for (const [lo, hi] of ranges) {
    if (lo < 100 || hi > 599) throw new Error(`status codes must be within 100-599`);
  }
  return { match: (s) => ranges.some(([lo, hi]) => s >= lo && s <= hi), text: parts.join(',') };
}
