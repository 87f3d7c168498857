/**
 * The one HTTP and polling helper every provider uses: bounded JSON requests with the token in a header
 * (never in a URL that is printed), provider errors mapped to messages that name the fix, polls with
 * backoff under an overall and an idle deadline, and log streams read line by line into the job log.
 */
import type { RunContext } from '../../lib/context.js';
import { LineBuffer } from '../../lib/output.js';
import { sleep } from '../../lib/retry.js';

/** Why a wait ended early; run.ts turns it into "what state the provider was left in". */
export type WaitEnd = 'cancelled' | 'timeout' | 'idle-timeout';

export class ProviderError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** A wait (build, release phase, promotion, …) that ended before the provider reached a final state. */
export class WaitError extends Error {
  constructor(
    readonly end: WaitEnd,
    /** What was being waited for, e.g. "build 0a1b… of app `web`". */
    readonly what: string,
    /** The provider's last state seen, e.g. "pending". */
    readonly lastState: string,
    message: string,
  ) {
    super(message);
    this.name = 'WaitError';
  }
}

/** Names the inputs a message should point at, per provider. */
export interface ErrorHints {
  provider: string;
  /** e.g. "a Heroku API key (`heroku authorizations:create`) with the `write` scope". */
  token: string;
  /** e.g. "app `web`". */
  resource: string;
}

export interface ApiClientOptions {
  baseUrl: string;
  /** Sent as `Authorization: <scheme> <token>`; never part of a URL. */
  token: string;
  scheme?: string;
  headers?: Record<string, string>;
  /** Limit for one request (connect, headers and body). */
  requestTimeoutMs: number;
  hints: ErrorHints;
  signal: AbortSignal;
  /** Extracts the provider's own error text from a JSON error body. */
  errorText?: (body: unknown) => string | undefined;
  /** Extracts the field a 400/422 names, when the provider says. */
  errorField?: (body: unknown) => string | undefined;
}

export interface ApiResponse<T> {
  status: number;
  data: T;
  headers: Headers;
}

const RETRYABLE = new Set([429, 500, 502, 503, 504]);
const MAX_ATTEMPTS = 4;

function defaultErrorText(body: unknown): string | undefined {
  if (body && typeof body === 'object') {
    const b = body as Record<string, unknown>;
    for (const k of ['message', 'error', 'detail', 'id']) if (typeof b[k] === 'string') return b[k] as string;
  }
  return undefined;
}

/** The message for an HTTP error status, naming what to fix. */
export function explainStatus(
  status: number,
  method: string,
  path: string,
  providerText: string,
  hints: ErrorHints,
  field?: string,
): string {
  const said = providerText ? `: ${providerText}` : '';
  const where = `${hints.provider} ${method} ${path.split('?')[0]}`;
  switch (status) {
    case 401:
      return `${where} returned 401 (not authenticated)${said}. Check \`api-token\`: it must be ${hints.token}, not expired or revoked.`;
    case 403:
      return `${where} returned 403 (forbidden)${said}. The token in \`api-token\` is valid but may not act on ${hints.resource}: give it ${hints.token} and access to that app.`;
    case 404:
      return `${where} returned 404 (not found)${said}. Check \`app\` (and \`promote-to\` / \`rollback-to\` if set): ${hints.resource} does not exist or the token cannot see it.`;
    case 409:
      return `${where} returned 409 (conflict)${said}. Another deploy may be running on ${hints.resource}; wait for it or cancel it, then retry.`;
    case 400:
    case 422:
      return `${where} returned ${status}: ${hints.provider} rejected ${field ? `the field \`${field}\`` : 'the request'}${said}. Fix the input that sets it and retry.`;
    case 429:
      return `${where} returned 429 (rate limited)${said}. Retried with backoff and gave up; run again later.`;
    default:
      return `${where} returned ${status}${said}.`;
  }
}

export class ApiClient {
  readonly calls: { method: string; path: string; status: number }[] = [];

  constructor(readonly opts: ApiClientOptions) {}

  get hints(): ErrorHints {
    return this.opts.hints;
  }

  /**
   * One JSON request. 429/5xx (and network errors on reads) are retried with backoff; any other non-2xx is
   * a ProviderError whose message names the fix. `okStatuses` lets a caller accept e.g. 206.
   */
  async request<T>(
    method: string,
    path: string,
    body?: unknown,
    extra: { headers?: Record<string, string>; retryWrites?: boolean } = {},
  ): Promise<ApiResponse<T>> {
    const url = `${this.opts.baseUrl.replace(/\/+$/, '')}${path}`;
    const idempotent = method === 'GET' || method === 'HEAD' || extra.retryWrites === true;
    let lastError: unknown;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (this.opts.signal.aborted) throw this.opts.signal.reason ?? new Error('cancelled');
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            accept: 'application/json',
            'user-agent': 'deploy-kit-paas-deploy',
            ...this.opts.headers,
            ...extra.headers,
            authorization: `${this.opts.scheme ?? 'Bearer'} ${this.opts.token}`,
            ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          },
          ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.any([this.opts.signal, AbortSignal.timeout(this.opts.requestTimeoutMs)]),
        });
      } catch (e) {
        if (this.opts.signal.aborted) throw this.opts.signal.reason ?? e;
        lastError = new ProviderError(
          `${this.hints.provider} ${method} ${path.split('?')[0]} failed: ${(e as Error).message}` +
            ` (is \`api-url\` ${this.opts.baseUrl} reachable?)`,
        );
        if (!idempotent || attempt === MAX_ATTEMPTS) throw lastError;
        await sleep(200 * 2 ** (attempt - 1), this.opts.signal);
        continue;
      }
      const text = await res.text();
      this.calls.push({ method, path: path.split('?')[0]!, status: res.status });
      let data: unknown = undefined;
      if (text) {
        try {
          data = JSON.parse(text);
        } catch {
          data = text;
        }
      }
      if (res.ok) return { status: res.status, data: data as T, headers: res.headers };
      const providerText = ((this.opts.errorText ?? defaultErrorText)(data) ?? String(text).slice(0, 200)).slice(
        0,
        300,
      );
      const field =
        (res.status === 422 || res.status === 400) && this.opts.errorField ? this.opts.errorField(data) : undefined;
      lastError = new ProviderError(
        explainStatus(res.status, method, path, providerText, this.hints, field),
        res.status,
      );
      if (!RETRYABLE.has(res.status) || attempt === MAX_ATTEMPTS) throw lastError;
      const retryAfter = Number(res.headers.get('retry-after'));
      const delay =
        Number.isFinite(retryAfter) && retryAfter > 0 ? Math.min(retryAfter * 1000, 10_000) : 250 * 2 ** attempt;
      await sleep(delay, this.opts.signal);
    }
    throw lastError;
  }
}

/**
 * A GET whose answer must be a JSON list (releases, deploys). Anything else is an API that is not the provider's
 * (`api-url` pointing at a web page or another service answers 200 with something else).
 */
export async function getList<T>(
  api: ApiClient,
  path: string,
  what: string,
  extra: { headers?: Record<string, string> } = {},
): Promise<T[]> {
  const r = await api.request<unknown>('GET', path, undefined, extra);
  if (!Array.isArray(r.data)) {
    throw new ProviderError(
      `${api.hints.provider} GET ${what} did not return a list: is \`api-url\` (${api.opts.baseUrl}) ${api.hints.provider}'s API?`,
    );
  }
  return r.data as T[];
}

export interface WaitTiming {
  /** First pause between two reads. */
  intervalMs: number;
  /** Longest pause (the interval grows by half each read up to this). */
  maxIntervalMs: number;
  /** Absolute time (Date.now()) after which the wait gives up. */
  deadline: number;
  /** Give up when neither the provider's state nor its log moved for this long. */
  idleMs: number;
}

/** Tells the idle deadline that a log line arrived. */
export interface Activity {
  last: number;
}

/**
 * Reads `read()` until `final(state)` holds, backing off, bounded by the overall and idle deadlines, and
 * stopped by the signal. `stateOf` names the state (for the idle check and for the message when the wait
 * ends early). Never sleeps blindly: every pause ends early on cancellation.
 */
export async function waitFor<T>(
  what: string,
  read: () => Promise<T>,
  stateOf: (v: T) => string,
  final: (v: T) => boolean,
  timing: WaitTiming,
  signal: AbortSignal,
  activity: Activity = { last: 0 },
  onState?: (state: string) => void,
  /** The state the provider reported when the job was created (until the first read answers). */
  initialState = 'unknown',
): Promise<T> {
  let interval = timing.intervalMs;
  let lastState = initialState;
  let lastChange = Date.now();
  const stop = (end: WaitEnd, message: string): never => {
    throw new WaitError(end, what, lastState, message);
  };
  for (let reads = 0; reads < 1_000_000; reads++) {
    if (signal.aborted) stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
    let v: T;
    try {
      v = await read();
    } catch (e) {
      if (signal.aborted) stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
      throw e;
    }
    const state = stateOf(v);
    if (state !== lastState) {
      lastState = state;
      lastChange = Date.now();
      onState?.(state);
    }
    if (final(v)) return v;
    const now = Date.now();
    if (now >= timing.deadline) {
      stop('timeout', `gave up waiting for ${what} at the \`timeout\` deadline; its last state was ${lastState}`);
    }
    if (now - Math.max(lastChange, activity.last) >= timing.idleMs) {
      stop(
        'idle-timeout',
        `gave up waiting for ${what}: no state change and no log output for ${Math.round(timing.idleMs / 1000)} s (\`idle-timeout\`); its last state was ${lastState}`,
      );
    }
    try {
      await sleep(Math.min(interval, Math.max(0, timing.deadline - now)), signal);
    } catch {
      stop('cancelled', `cancelled while waiting for ${what} (last state: ${lastState})`);
    }
    interval = Math.min(timing.maxIntervalMs, Math.ceil(interval * 1.5));
  }
  return stop('timeout', `gave up waiting for ${what} after too many reads; its last state was ${lastState}`);
}

/** The last lines of a log, kept for the `release-output` output and failure messages. */
export class LineTail {
  private lines: string[] = [];
  constructor(private readonly max = 40) {}
  push(line: string): void {
    this.lines.push(line);
    if (this.lines.length > this.max) this.lines.shift();
  }
  get(): string[] {
    return [...this.lines];
  }
}

export interface LogStream {
  /** Waits (at most `drainMs`) for the provider to close the stream, then stops reading. */
  finish(drainMs: number): Promise<void>;
  /** Stops reading now. */
  stop(): void;
}

/**
 * Streams a provider log URL (plain text, chunked, closed by the provider when the job ends) into the job
 * log line by line, neutralized. The URL is a signed one the provider handed out: no token is sent, and the
 * URL itself is never printed. Errors end the stream quietly (the poll reports the outcome).
 */
export function streamLog(
  url: string,
  ctx: RunContext,
  prefix: string,
  tail: LineTail,
  activity: Activity,
  requestTimeoutMs: number,
): LogStream {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  const emit = (line: string): void => {
    const clean = line.replace(/\x1b\[[0-9;]*[A-Za-z]/g, '');
    activity.last = Date.now();
    tail.push(clean);
    // ctx.log redacts and neutralizes (src/lib/output.ts): a `::command::` from the provider is shown, not run.
    ctx.log(`${prefix}${clean}`);
  };
  const lines = new LineBuffer(emit);
  const done = (async () => {
    try {
      let headersIn = false;
      const connected = new AbortController();
      const connectTimer = setTimeout(() => {
        if (!headersIn) connected.abort();
      }, requestTimeoutMs);
      const res = await fetch(url, {
        headers: { 'user-agent': 'deploy-kit-paas-deploy' },
        signal: AbortSignal.any([controller.signal, connected.signal]),
      }).finally(() => clearTimeout(connectTimer));
      headersIn = true;
      if (!res.ok || !res.body) return;
      for await (const chunk of res.body) lines.push(Buffer.from(chunk as Uint8Array));
    } catch {
      /* stopped, or the stream broke: the status poll decides the outcome */
    } finally {
      lines.flush();
      ctx.signal.removeEventListener('abort', onAbort);
    }
  })();
  return {
    async finish(drainMs: number) {
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([done, new Promise<void>((r) => (timer = setTimeout(r, drainMs)))]);
      clearTimeout(timer);
      controller.abort();
      await done;
    },
    stop() {
      controller.abort();
    },
  };
}
