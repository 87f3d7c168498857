/**
 * The GitHub Deployments REST API (https://docs.github.com/rest/deployments), as much as promote and
 * paas-deploy need: find a successful deployment of a digest in an environment (promote's require-deployment)
 * and record a run as a deployment with in_progress → success/failure. Requests go through rest.ts.
 */
import { GitHubApiError, githubRequest, type GitHubApi, type GitHubHints } from './rest.js';

export type { GitHubApi };

export interface DeploymentJson {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  payload: unknown;
  created_at: string;
}

export interface DeploymentStatusJson {
  id: number;
  state: string;
  created_at: string;
}

const HINTS: GitHubHints = { permission: 'deployments: write' };

function api<T>(gh: GitHubApi, method: 'GET' | 'POST', path: string, body?: object): Promise<T> {
  return githubRequest<T>(gh, method, path, body, HINTS);
}

/** The digest a deployment's payload records (payload may arrive as an object or a JSON string). */
export function payloadDigest(payload: unknown): string | undefined {
  let p = payload;
  if (typeof p === 'string') {
    try {
      p = JSON.parse(p);
    } catch {
      return undefined;
    }
  }
  const d = p && typeof p === 'object' ? (p as { digest?: unknown }).digest : undefined;
  return typeof d === 'string' ? d : undefined;
}

export interface RequiredDeployment {
  id: number;
  environment: string;
  createdAt: string;
}

const MAX_PAGES = 5;

/**
 * The newest deployment of `digest` in `environment` whose latest status is `success`, or, when there is
 * none, the others of that digest with their latest state (`#12 (failure)`) for the caller's message.
 * Reads at most MAX_PAGES pages of 100 deployments.
 */
export async function findSuccessfulDeployment(
  gh: GitHubApi,
  environment: string,
  digest: string,
): Promise<{ found: RequiredDeployment } | { found?: undefined; others: string[] }> {
  const seen: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const q = new URLSearchParams({ environment, per_page: '100', page: String(page) });
    const list = await api<DeploymentJson[]>(gh, 'GET', `/deployments?${q}`);
    for (const d of list) {
      if (payloadDigest(d.payload) !== digest) continue;
      const statuses = await api<DeploymentStatusJson[]>(gh, 'GET', `/deployments/${d.id}/statuses?per_page=1`);
      const latest = statuses[0]?.state ?? 'no status';
      if (latest === 'success') return { found: { id: d.id, environment, createdAt: d.created_at } };
      seen.push(`#${d.id} (${latest})`);
    }
    if (list.length < 100) break;
  }
  return { others: seen };
}

export async function createDeployment(
  gh: GitHubApi,
  opts: { ref: string; environment: string; payload: object; description: string },
): Promise<number> {
  const d = await api<DeploymentJson>(gh, 'POST', '/deployments', {
    ref: opts.ref,
    environment: opts.environment,
    payload: opts.payload,
    description: opts.description.slice(0, 140),
    task: 'deploy',
    auto_merge: false,
    required_contexts: [],
  });
  if (typeof d.id !== 'number')
    throw new GitHubApiError('GitHub API POST /deployments: no deployment id returned', 201);
  return d.id;
}

export async function setDeploymentStatus(
  gh: GitHubApi,
  id: number,
  state: 'in_progress' | 'success' | 'failure',
  description: string,
  logUrl?: string,
): Promise<void> {
  await api(gh, 'POST', `/deployments/${id}/statuses`, {
    state,
    description: description.slice(0, 140),
    ...(logUrl ? { log_url: logUrl } : {}),
  });
}
