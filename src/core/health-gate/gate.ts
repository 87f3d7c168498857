import { stripUserinfo } from '../../lib/redact.js';
import { sleep } from '../../lib/retry.js';
import { BodyRegex } from './body-regex.js';
import { evaluate, type Expectations } from './expectations.js';
import { probe, ProbeError, type ProbeRequest } from './probe.js';
import { minMax, percentile } from './stats.js';

/** Kubernetes probe semantics, plus an overall deadline. */
export interface GateTiming {
  initialDelayMs: number;
  /** Time from the start of one attempt to the start of the next. */
  periodMs: number;
  /** Per-request limit (connect + headers + body + redirects). */
  timeoutMs: number;
  /** Consecutive successes needed to pass. */
  successThreshold: number;
  /** Consecutive failures, once the target has succeeded at least once, that fail the gate early. */
  failureThreshold: number;
  /** No attempt starts after this long since the gate began. */
  deadlineMs: number;
}

export interface Attempt {
  n: number;
  ok: boolean;
  status?: number;
  latencyMs: number;
  reason?: string;
  at: number;
}

export interface UrlResult {
  url: string;
  healthy: boolean;
  attempts: number;
  status: number | null;
  latencyMs: number | null;
  reason: string;
  tlsDaysLeft?: number;
  latency: { min: number; p50: number; p95: number; max: number };
  /** Milliseconds from the gate's start to the attempt that completed the success window. */
  passedAfterMs?: number;
  history: Attempt[];
}

export interface GateEvents {
  onAttempt?: (url: string, a: Attempt) => void;
}

/**
 * Probes one URL until `successThreshold` consecutive successes (healthy), `failureThreshold`
 * consecutive failures after a first success (unhealthy: flapping or falling over), or the deadline
 * (unhealthy: never became healthy). Every request made is one attempt, counted exactly.
 */
export async function gateUrl(
  req: Omit<ProbeRequest, 'timeoutMs'>,
  exp: Expectations,
  timing: GateTiming,
  events: GateEvents = {},
  signal?: AbortSignal,
): Promise<UrlResult> {
  const start = Date.now();
  const deadline = start + timing.deadlineMs;
  const history: Attempt[] = [];
  let consecutiveOk = 0;
  let consecutiveFail = 0;
  let seenSuccess = false;
  let last: { status?: number; latencyMs: number; reason?: string; tlsDaysLeft?: number } = { latencyMs: 0 };
  let verdict: { healthy: boolean; reason: string } | undefined;
  // Reported (results, summary, log) without user:password@.
  const shownUrl = stripUserinfo(req.url);
  const bodyRegex = exp.bodyRegex ? new BodyRegex(exp.bodyRegex) : undefined;
  try {
    return await loop();
  } finally {
    bodyRegex?.close();
  }

  /** The body regex, bounded by what is left of this attempt's time limit (the deadline stays absolute). */
  async function bodyReason(body: string, attemptStart: number): Promise<string | undefined> {
    if (!bodyRegex) return undefined;
    const left = attemptStart + timing.timeoutMs - Date.now();
    const r = await bodyRegex.test(body, Math.max(1, left));
    if ('timedOut' in r) {
      return `expect-body-regex timed out: /${bodyRegex.regex.source}/ did not finish within the attempt's time limit (${r.limitMs} ms left of timeout); it backtracks too much - simplify the pattern (e.g. no nested quantifiers like (a+)+)`;
    }
    return r.matched ? undefined : `body does not match /${bodyRegex.regex.source}/`;
  }

  async function loop(): Promise<UrlResult> {
    if (timing.initialDelayMs > 0) {
      try {
        await sleep(Math.min(timing.initialDelayMs, timing.deadlineMs), signal);
      } catch {
        // cancelled: the loop below sees signal.aborted and reports it
      }
    }

    while (!verdict) {
      if (signal?.aborted) {
        verdict = { healthy: false, reason: 'cancelled' };
        break;
      }
      const attemptStart = Date.now();
      if (attemptStart >= deadline && history.length > 0) {
        verdict = {
          healthy: false,
          reason: `deadline of ${timing.deadlineMs} ms reached; last: ${last.reason ?? 'no success window'}`,
        };
        break;
      }
      // An attempt started before the deadline may finish up to one timeout after it.
      const timeoutMs = timing.timeoutMs;
      let attempt: Attempt;
      try {
        const res = await probe({ ...req, timeoutMs, signal });
        const why = evaluate(res, exp) ?? (await bodyReason(res.body, attemptStart));
        attempt = {
          n: history.length + 1,
          ok: !why,
          status: res.status,
          latencyMs: res.latencyMs,
          reason: why,
          at: attemptStart - start,
        };
        last = { status: res.status, latencyMs: res.latencyMs, reason: why, tlsDaysLeft: res.tlsDaysLeft };
      } catch (e) {
        const latencyMs = e instanceof ProbeError ? e.latencyMs : Date.now() - attemptStart;
        const reason = e instanceof Error ? e.message : String(e);
        attempt = { n: history.length + 1, ok: false, latencyMs, reason, at: attemptStart - start };
        last = { latencyMs, reason };
      }
      history.push(attempt);
      events.onAttempt?.(shownUrl, attempt);
      if (attempt.ok) {
        seenSuccess = true;
        consecutiveOk++;
        consecutiveFail = 0;
        if (consecutiveOk >= timing.successThreshold) {
          verdict = { healthy: true, reason: '' };
          break;
        }
      } else {
        consecutiveOk = 0;
        consecutiveFail++;
        if (seenSuccess && consecutiveFail >= timing.failureThreshold) {
          verdict = {
            healthy: false,
            reason: `${consecutiveFail} consecutive failures after it had been healthy; last: ${attempt.reason}`,
          };
          break;
        }
      }
      const next = attemptStart + timing.periodMs;
      if (next >= deadline) {
        verdict = {
          healthy: false,
          reason: `deadline of ${timing.deadlineMs} ms reached after ${history.length} attempts; last: ${last.reason ?? `only ${consecutiveOk} of ${timing.successThreshold} consecutive successes`}`,
        };
        break;
      }
      const wait = next - Date.now();
      if (wait > 0) {
        try {
          await sleep(wait, signal);
        } catch {
          verdict = { healthy: false, reason: 'cancelled' };
        }
      }
    }

    const lat = history.map((a) => a.latencyMs);
    const range = minMax(lat);
    return {
      url: shownUrl,
      healthy: verdict.healthy,
      attempts: history.length,
      status: last.status ?? null,
      latencyMs: history.length ? last.latencyMs : null,
      reason: verdict.reason,
      ...(last.tlsDaysLeft !== undefined ? { tlsDaysLeft: Math.floor(last.tlsDaysLeft) } : {}),
      latency: {
        min: range.min,
        p50: percentile(lat, 50),
        p95: percentile(lat, 95),
        max: range.max,
      },
      ...(verdict.healthy ? { passedAfterMs: Date.now() - start } : {}),
      history,
    };
  }
}
