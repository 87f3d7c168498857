import { retry, type RetryPolicy } from '../retry.js';
import type { NotifyTiming } from './types.js';

/** An HTTP answer that will not change if sent again (4xx other than 408/429): no retry. */
export class PermanentError extends Error {}

/**
 * POSTs a body to a webhook with bounded attempts and back-off. Retries network errors, timeouts, 408, 429
 * and 5xx; a 4xx is final. Errors never carry the URL (it is the secret of an incoming webhook).
 */
export async function postWithRetry(
  url: string,
  body: string,
  headers: (attempt: number) => Record<string, string>,
  timing: NotifyTiming,
  signal?: AbortSignal,
  accept: (status: number, text: string) => string | undefined = (s) => (s >= 200 && s < 300 ? undefined : ''),
): Promise<{ attempts: number }> {
  let attempts = 0;
  const policy: RetryPolicy = {
    attempts: timing.attempts,
    initialDelayMs: timing.backoffMs,
    maxDelayMs: 30_000,
    factor: 2,
  };
  await retry(
    policy,
    async (attempt) => {
      attempts = attempt;
      const signals = [AbortSignal.timeout(timing.timeoutMs)];
      if (signal) signals.push(signal);
      let res: Response;
      try {
        res = await fetch(url, { method: 'POST', headers: headers(attempt), body, signal: AbortSignal.any(signals) });
      } catch (e) {
        if (signal?.aborted) throw new PermanentError('cancelled');
        const err = e as Error & { cause?: { code?: string } };
        const why =
          err.name === 'TimeoutError' ? `no answer within ${timing.timeoutMs} ms` : (err.cause?.code ?? err.message);
        throw new Error(`request failed: ${why}`);
      }
      const text = (await res.text().catch(() => '')).slice(0, 200);
      const problem = accept(res.status, text);
      if (problem === undefined) return;
      const msg = `HTTP ${res.status}${text ? ` ${text.replace(/\s+/g, ' ').trim()}` : ''}${problem ? ` (${problem})` : ''}`;
      if (res.status >= 400 && res.status < 500 && res.status !== 408 && res.status !== 429)
        throw new PermanentError(msg);
      throw new Error(msg);
    },
    (e) => !(e instanceof PermanentError),
    signal,
  ).catch((e: unknown) => {
    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { attempts });
  });
  return { attempts };
}

/** The host of a URL, for "where did it go" lines (the path of an incoming webhook is its secret). */
export function safeHost(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return '(invalid URL)';
  }
}
