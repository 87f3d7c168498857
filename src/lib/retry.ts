export interface RetryPolicy {
  /** Total attempts including the first. */
  attempts: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
  /** Absolute time (Date.now()) after which no new attempt starts. */
  deadline?: number;
}

export function backoffDelay(policy: RetryPolicy, attempt: number): number {
  const d = policy.initialDelayMs * Math.pow(policy.factor, attempt - 1);
  return Math.min(policy.maxDelayMs, d);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason ?? new Error('aborted'));
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(t);
      reject(signal?.reason ?? new Error('aborted'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Retries `fn` while `retryable(err)` holds, backing off, never starting an attempt past the deadline. */
export async function retry<T>(
  policy: RetryPolicy,
  fn: (attempt: number) => Promise<T>,
  retryable: (err: unknown) => boolean = () => true,
  signal?: AbortSignal,
): Promise<T> {
  let lastErr: unknown;
  for (let attempt = 1; attempt <= policy.attempts; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      lastErr = err;
      if (attempt === policy.attempts || !retryable(err)) throw err;
      const delay = backoffDelay(policy, attempt);
      if (policy.deadline !== undefined && Date.now() + delay >= policy.deadline) throw err;
      await sleep(delay, signal);
    }
  }
  throw lastErr;
}
