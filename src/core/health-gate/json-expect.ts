/**
 * `expect-json` lines: `<path> <op> <value>`, e.g. `status == ok`, `checks.db == true`,
 * `uptime > 0`, `items.0.name != ""`, `version exists`. Values are JSON when they parse, else text.
 */
export type JsonOp = '==' | '!=' | '>' | '>=' | '<' | '<=' | 'exists' | 'contains';

export interface JsonExpectation {
  path: string[];
  op: JsonOp;
  value?: unknown;
  text: string;
}

const LINE = /^([^\s=!<>]+)\s*(==|!=|>=|<=|>|<|\s+exists$|\s+contains\s+)\s*(.*)$/;

export function parseJsonExpectations(lines: readonly string[]): JsonExpectation[] {
  return lines.map((raw) => {
    const text = raw.trim();
    const m = LINE.exec(text);
    if (!m) throw new Error(`"${text}" is not \`path == value\` (ops: == != > >= < <= contains exists)`);
    const op = m[2]!.trim() as JsonOp;
    const path = m[1]!.split('.').filter(Boolean);
    if (op === 'exists') return { path, op, text };
    const rawValue = m[3]!.trim();
    if (rawValue === '') throw new Error(`"${text}" has no value to compare with`);
    let value: unknown = rawValue;
    try {
      value = JSON.parse(rawValue);
    } catch {
      // bare words compare as text: `status == ok`
    }
    if (['>', '>=', '<', '<='].includes(op) && typeof value !== 'number') {
      throw new Error(`"${text}": ${op} needs a number`);
    }
    return { path, op, value, text };
  });
}

function lookup(doc: unknown, path: readonly string[]): { found: boolean; value?: unknown } {
  let cur: unknown = doc;
  for (const key of path) {
    if (cur !== null && typeof cur === 'object' && key in (cur as Record<string, unknown>)) {
      cur = (cur as Record<string, unknown>)[key];
    } else {
      return { found: false };
    }
  }
  return { found: true, value: cur };
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === 'object' || typeof b === 'object') return JSON.stringify(a) === JSON.stringify(b);
  // `status == ok` should match "ok"; `count == 3` should match 3 and "3".
  return a === b || String(a) === String(b);
}

/** Returns the first failed expectation's explanation, or undefined when all hold. */
export function checkJson(body: string, expectations: readonly JsonExpectation[]): string | undefined {
  if (expectations.length === 0) return undefined;
  let doc: unknown;
  try {
    doc = JSON.parse(body);
  } catch {
    return 'body is not JSON';
  }
  for (const e of expectations) {
    const { found, value } = lookup(doc, e.path);
    const shown = found ? JSON.stringify(value) : 'missing';
    let ok: boolean;
    switch (e.op) {
      case 'exists':
        ok = found;
        break;
      case '==':
        ok = found && same(value, e.value);
        break;
      case '!=':
        ok = !found || !same(value, e.value);
        break;
      case 'contains':
        ok =
          found &&
          (Array.isArray(value) ? value.some((v) => same(v, e.value)) : String(value).includes(String(e.value)));
        break;
      default: {
        const n = Number(value);
        const v = e.value as number;
        ok =
          found &&
          Number.isFinite(n) &&
          (e.op === '>' ? n > v : e.op === '>=' ? n >= v : e.op === '<' ? n < v : n <= v);
      }
    }
    if (!ok) return `expected ${e.text}, got ${shown.length > 80 ? shown.slice(0, 80) + '…' : shown}`;
  }
  return undefined;
}
