/**
 * The GitHub Issues REST API, as much as the monitor needs (https://docs.github.com/rest/issues): list issues
 * by label, create, update (body, state), comment. Requests go through the shared client (src/lib/github/rest.ts:
 * timeouts, retries, errors naming the permission); listing is capped at MAX_PAGES pages.
 */
import { GitHubApiError, githubRequest, type GitHubApi, type GitHubHints } from '../../lib/github/rest.js';

export type { GitHubApi };

export interface IssueJson {
  number: number;
  html_url: string;
  state: 'open' | 'closed';
  title: string;
  body?: string | null;
  labels: Array<{ name?: string } | string>;
  pull_request?: unknown;
}

const MAX_PAGES = 10;

const HINTS: GitHubHints = {
  permission: 'issues: write',
  byStatus: { 410: 'issues are disabled in this repository: enable them in Settings' },
};

function api<T>(gh: GitHubApi, method: 'GET' | 'POST' | 'PATCH', path: string, body?: object): Promise<T> {
  return githubRequest<T>(gh, method, path, body, HINTS);
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
