/**
 * The one GitHub REST client of the suite (https://docs.github.com/rest): the token in the Authorization
 * header, the API base from GITHUB_API_URL (GitHub Enterprise Server, a local stand-in), JSON in and out,
 * one timeout per request, bounded retries with back-off, and errors that name the permission to give.
 * The monitor's issues and the Deployments records of promote and paas-deploy go through here; it is only
 * imported by modules their run step loads with `await import()`, so no entry pays for it at start.
 */
import { backoffDelay, sleep, type RetryPolicy } from '../retry.js';
import { TIMEOUTS } from '../timeouts.js';

export interface GitHubApi {
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string;
  /** owner/name (GITHUB_REPOSITORY), validated by `readGitHubInputs`. */
  repository: string;
  token: string;
  signal?: AbortSignal;
}

/** `status` is 0 when no answer came (network error, timeout). */
export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

/** What an error message tells the user to fix, per caller. */
export interface GitHubHints {
  /** The job permission the calls need, e.g. `issues: write`. */
  permission: string;
  /** A fix for a status this API gives a meaning of its own (e.g. 410: issues are disabled). */
  byStatus?: Partial<Record<number, string>>;
}

/**
 * GitHub's advice: retry 5xx and network errors after a pause, 429 after Retry-After. A POST is retried only
 * on 429 (refused without acting): after a 5xx or a lost answer it may have acted, and a second POST would
 * open a second issue or record a second deployment.
 */
const POLICY: RetryPolicy = { attempts: 3, initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 };
/** The longest Retry-After honoured; a longer one fails now rather than hold the job. */
const MAX_RETRY_AFTER_MS = 60_000;

function fixFor(status: number, hints: GitHubHints): string {
  const own = hints.byStatus?.[status];
  if (own) return own;
  if (status === 401) return '`github-token` is not valid (expired, revoked, or not a token)';
  if (status === 403 || status === 404)
    return `give the job \`permissions: ${hints.permission}\` and check \`repository\``;
  return '';
}

/** One request; `path` is below /repos/<owner>/<name>. Resolves to the parsed JSON body (undefined when empty). */
export async function githubRequest<T>(
  gh: GitHubApi,
  method: 'GET' | 'POST' | 'PATCH',
  path: string,
  body: object | undefined,
  hints: GitHubHints,
): Promise<T> {
  const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
  // The query can carry labels or environment names: messages name the endpoint only.
  const what = `GitHub API ${method} ${path.split('?')[0]}`;
  let failure = new GitHubApiError(`${what}: not sent`, 0);
  for (let attempt = 1; attempt <= POLICY.attempts; attempt++) {
    let retryAfterMs: number | undefined;
    let res: Response | undefined;
    let text = '';
    try {
      res = await fetch(url, {
        method,
        headers: {
          accept: 'application/vnd.github+json',
          authorization: `Bearer ${gh.token}`,
          'x-github-api-version': '2022-11-28',
          'user-agent': 'deploy-kit',
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        ...(body ? { body: JSON.stringify(body) } : {}),
        signal: gh.signal
          ? AbortSignal.any([AbortSignal.timeout(TIMEOUTS.githubApiMs), gh.signal])
          : AbortSignal.timeout(TIMEOUTS.githubApiMs),
      });
      text = await res.text();
    } catch (e) {
      if (gh.signal?.aborted) throw gh.signal.reason ?? e;
      const err = e as Error & { cause?: { code?: string } };
      const why =
        err.name === 'TimeoutError'
          ? `no answer within ${TIMEOUTS.githubApiMs / 1000} s`
          : (err.cause?.code ?? err.message);
      failure = new GitHubApiError(`${what}: ${why} (is GITHUB_API_URL ${gh.apiUrl} reachable?)`, 0);
      res = undefined;
    }
    if (res) {
      if (res.ok) {
        try {
          return (text ? JSON.parse(text) : undefined) as T;
        } catch {
          // A web page or another service: asking again gives the same answer.
          throw new GitHubApiError(
            `${what}: ${res.status} with a body that is not JSON (is GITHUB_API_URL ${gh.apiUrl} GitHub's REST API?)`,
            res.status,
          );
        }
      }
      let said = text.slice(0, 300);
      try {
        said = (JSON.parse(text) as { message?: string }).message ?? said;
      } catch {
        /* not JSON */
      }
      // GitHub's secondary rate limit answers 403 (or 429) with Retry-After or no requests left.
      const limited =
        res.status === 429 ||
        (res.status === 403 && (res.headers.has('retry-after') || res.headers.get('x-ratelimit-remaining') === '0'));
      const fix = limited ? 'rate limited: retried, then gave up; run again later' : fixFor(res.status, hints);
      failure = new GitHubApiError(
        `${what}: ${res.status} ${said}${fix ? ` (${fix})` : ''}`,
        limited ? 429 : res.status,
      );
      const after = Number(res.headers.get('retry-after'));
      if (Number.isFinite(after) && after > 0) retryAfterMs = after * 1000;
    }
    const s = failure.status;
    const retryable = s === 429 || (method !== 'POST' && (s === 0 || s >= 500));
    if (!retryable || attempt >= POLICY.attempts) throw failure;
    const delay = retryAfterMs ?? backoffDelay(POLICY, attempt);
    if (delay > MAX_RETRY_AFTER_MS) throw failure;
    await sleep(delay, gh.signal);
  }
  throw failure;
}
