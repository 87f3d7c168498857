/**
 * The GitHub Issues REST API, as much as the monitor needs (https://docs.github.com/rest/issues): list issues
 * by label, create, update (body, state), comment. Bounded: one timeout per request, a few retries on 5xx and
 * network errors with back-off, a page cap on listing.
 */
import { retry } from '../../lib/retry.js';
import { TIMEOUTS } from '../../lib/timeouts.js';

export interface GitHubApi {
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string;
  /** owner/name. */
  repository: string;
  token: string;
  signal?: AbortSignal;
}

export interface IssueJson {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  labels: Array<{ name?: string } | string>;
  pull_request?: unknown;
}

export class GitHubApiError extends Error {
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.name = 'GitHubApiError';
  }
}

const MAX_PAGES = 10;

export async function api<T>(gh: GitHubApi, method: string, path: string, body?: object): Promise<T> {
  const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
  return retry(
    { attempts: 3, initialDelayMs: 1000, maxDelayMs: 8000, factor: 2 },
    async () => {
      const signals = [AbortSignal.timeout(TIMEOUTS.githubApiMs)];
      if (gh.signal) signals.push(gh.signal);
      let res: Response;
      try {
        res = await fetch(url, {
          method,
          headers: {
            accept: 'application/vnd.github+json',
            authorization: `Bearer ${gh.token}`,
            'x-github-api-version': '2022-11-28',
            'user-agent': 'deploy-kit-monitor',
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          ...(body ? { body: JSON.stringify(body) } : {}),
          signal: AbortSignal.any(signals),
        });
      } catch (e) {
        const err = e as Error & { cause?: { code?: string } };
        throw new GitHubApiError(`GitHub API ${method} ${path.split('?')[0]}: ${err.cause?.code ?? err.message}`, 0);
      }
      const text = await res.text();
      if (!res.ok) {
        let msg = text.slice(0, 300);
        try {
          msg = (JSON.parse(text) as { message?: string }).message ?? msg;
        } catch {
          /* not JSON */
        }
        const hint =
          res.status === 403 || res.status === 404
            ? ' (give the workflow `permissions: issues: write` and check `repository`)'
            : res.status === 401
              ? ' (github-token is not valid)'
              : res.status === 410
                ? ' (issues are disabled in this repository: enable them in Settings)'
                : '';
        throw new GitHubApiError(`GitHub API ${method} ${path.split('?')[0]}: ${res.status} ${msg}${hint}`, res.status);
      }
      return (text ? JSON.parse(text) : undefined) as T;
    },
    (e) => e instanceof GitHubApiError && (e.status === 0 || e.status >= 500 || e.status === 429),
    gh.signal,
  );
}

/** Issues (not pull requests) carrying every label given, open and closed, newest first, up to 1,000. */
export async function listIssues(gh: GitHubApi, labels: string[], state: 'open' | 'all'): Promise<IssueJson[]> {
  const out: IssueJson[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const q = new URLSearchParams({ labels: labels.join(','), state, per_page: '100', page: String(page) });
    const batch = await api<IssueJson[]>(gh, 'GET', `/issues?${q.toString()}`);
    out.push(...batch.filter((i) => !i.pull_request));
    if (batch.length < 100) break;
  }
  return out;
}

/**
 * Creates an issue with labels. GitHub silently drops labels a token may not set; the monitor finds its
 * memory by label, so an issue without them would be made again every run: that fails here instead.
 */
export async function createIssue(gh: GitHubApi, title: string, body: string, labels: string[]): Promise<IssueJson> {
  const issue = await api<IssueJson>(gh, 'POST', '/issues', { title, body, labels });
  const got = labelNames(issue);
  const missing = labels.filter((l) => !got.includes(l));
  if (missing.length) {
    // Best effort: do not leave an open issue the monitor can never find again.
    await api(gh, 'PATCH', `/issues/${issue.number}`, { state: 'closed', state_reason: 'not_planned' }).catch(
      () => undefined,
    );
    throw new GitHubApiError(
      `GitHub created issue #${issue.number} without the label(s) ${missing.join(', ')}: the token may not set labels (give the job \`permissions: issues: write\`, or a token with write access to the repository); the monitor finds its memory by label, so it stops here instead of opening a new issue every run`,
      422,
    );
  }
  return issue;
}

export function updateIssue(
  gh: GitHubApi,
  n: number,
  patch: { body?: string; state?: 'open' | 'closed'; state_reason?: 'completed' | 'not_planned' | 'reopened' },
): Promise<IssueJson> {
  return api<IssueJson>(gh, 'PATCH', `/issues/${n}`, patch);
}

export function addComment(gh: GitHubApi, n: number, body: string): Promise<{ id: number; html_url: string }> {
  return api(gh, 'POST', `/issues/${n}/comments`, { body });
}

export function labelNames(i: IssueJson): string[] {
  return i.labels.map((l) => (typeof l === 'string' ? l : (l.name ?? '')));
}
