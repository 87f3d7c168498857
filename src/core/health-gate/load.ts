import { evaluate, type Expectations } from './expectations.js';
import { probe, type ProbeRequest } from './probe.js';
import { minMax, percentile } from './stats.js';

export interface LoadPlan {
  concurrency: number;
  /** Stop starting requests after this long (ms). Always set: the hard bound in time. */
  durationMs: number;
  /** Stop after this many requests in total. Always set: the hard bound in count. */
  maxRequests: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  errorRate: number;
  p50: number;
  p95: number;
  max: number;
  durationMs: number;
  rps: number;
  /** Up to 5 distinct failure reasons with counts. */
  topErrors: Array<{ reason: string; count: number }>;
}

/** Smoke load: `concurrency` workers loop over the URLs until the request or time budget runs out. */
export async function runLoad(
  urls: readonly string[],
  base: Omit<ProbeRequest, 'url' | 'agent'>,
  exp: Expectations,
  plan: LoadPlan,
  signal?: AbortSignal,
): Promise<LoadResult> {
  const agent = {
    http: new (process.getBuiltinModule('node:http').Agent)({ keepAlive: true, maxSockets: plan.concurrency }),
    https: new (process.getBuiltinModule('node:https').Agent)({
      keepAlive: true,
      maxSockets: plan.concurrency,
      rejectUnauthorized: !base.insecureTls,
    }),
  };
  const start = Date.now();
  const stopAt = start + plan.durationMs;
  const latencies: number[] = [];
  const reasons = new Map<string, number>();
  let started = 0;
  let errors = 0;
  // Load checks status and latency budget per request, not the slower body/JSON checks.
  const loadExp: Expectations = { status: exp.status, json: [] };

  const worker = async (): Promise<void> => {
    while (!signal?.aborted && started < plan.maxRequests && Date.now() < stopAt) {
      const url = urls[started % urls.length]!;
      started++;
      try {
        const res = await probe({ ...base, url, agent, signal });
        latencies.push(res.latencyMs);
        const why = evaluate(res, loadExp);
        if (why) {
          errors++;
          reasons.set(why, (reasons.get(why) ?? 0) + 1);
        }
      } catch (e) {
        errors++;
        const why = (e as Error).message;
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: plan.concurrency }, worker));
  } finally {
    agent.http.destroy();
    agent.https.destroy();
  }
  const durationMs = Date.now() - start;
  const requests = started;
  return {
    requests,
    errors,
    errorRate: requests ? errors / requests : 0,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    max: minMax(latencies).max,
    durationMs,
    rps: durationMs ? (requests * 1000) / durationMs : 0,
    topErrors: [...reasons.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 5)
      .map(([reason, count]) => ({ reason, count })),
  };
}
