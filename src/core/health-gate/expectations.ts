import { checkJson, type JsonExpectation } from './json-expect.js';
import type { ProbeResponse } from './probe.js';
import type { StatusMatcher } from './status-spec.js';

export interface Expectations {
  status: { match: StatusMatcher; text: string };
  bodyRegex?: RegExp;
  json: JsonExpectation[];
  /** The deployed version or sha that must be served. */
  version?: string;
  /** Where the version must appear: this response header; else anywhere in the body. */
  versionHeader?: string;
  maxLatencyMs?: number;
  minTlsDays?: number;
}

/**
 * Why a response does not satisfy the expectations, or undefined when it does. `bodyRegex` is not checked
 * here: a user's pattern can backtrack for minutes, so the gate runs it in a worker it can stop (body-regex.ts).
 */
export function evaluate(res: ProbeResponse, exp: Expectations): string | undefined {
  if (!exp.status.match(res.status)) return `status ${res.status}, expected ${exp.status.text}`;
  if (exp.maxLatencyMs !== undefined && res.latencyMs > exp.maxLatencyMs) {
    return `took ${res.latencyMs} ms, over max-latency ${exp.maxLatencyMs} ms`;
  }
  if (exp.minTlsDays !== undefined) {
    if (res.tlsDaysLeft === undefined) return `min-tls-days is set but ${res.url} is not HTTPS`;
    if (res.tlsDaysLeft < exp.minTlsDays) {
      return `TLS certificate expires in ${res.tlsDaysLeft.toFixed(1)} days, under min-tls-days ${exp.minTlsDays}`;
    }
  }
  const jsonWhy = checkJson(res.body, exp.json);
  if (jsonWhy) return jsonWhy;
  if (exp.version) {
    if (exp.versionHeader) {
      const raw = res.headers[exp.versionHeader.toLowerCase()];
      const served = Array.isArray(raw) ? raw.join(',') : (raw ?? '');
      if (!served.includes(exp.version)) {
        return `header ${exp.versionHeader} is "${served || 'missing'}", expected version ${exp.version}`;
      }
    } else if (!res.body.includes(exp.version)) {
      return `version ${exp.version} is not in the body (an older release is still serving?)`;
    }
  }
  return undefined;
}
