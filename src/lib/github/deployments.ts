/**
 * The GitHub Deployments REST API, as much as promote needs: find a successful deployment of a digest in an
 * environment (require-deployment) and record a promotion as a deployment with in_progress → success/failure.
 */

import { TIMEOUTS } from '../../lib/timeouts.js';

export interface GitHubApi {
  /** e.g. https://api.github.com (GITHUB_API_URL). */
  apiUrl: string;
  /** owner/name (GITHUB_REPOSITORY). */
  repository: string;
  token: string;
  signal?: AbortSignal;
}

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

export class DeploymentsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeploymentsError';
  }
}

async function api<T>(gh: GitHubApi, method: string, path: string, body?: object): Promise<T> {
  const url = `${gh.apiUrl.replace(/\/+$/, '')}/repos/${gh.repository}${path}`;
  const signals = [AbortSignal.timeout(TIMEOUTS.githubApiMs)];
  if (gh.signal) signals.push(gh.signal);
  const res = await fetch(url, {
    method,
    headers: {
      accept: 'application/vnd.github+json',
      authorization: `Bearer ${gh.token}`,
      'x-github-api-version': '2022-11-28',
      'user-agent': 'deploy-kit-promote',
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    ...(body ? { body: JSON.stringify(body) } : {}),
    signal: AbortSignal.any(signals),
  });
  const text = await res.text();
  if (!res.ok) {
    let msg = text.slice(0, 300);
    try {
      msg = (JSON.parse(text) as { message?: string }).message ?? msg;
    } catch {
      /* not JSON */
    }
    throw new DeploymentsError(`GitHub API ${method} ${path.split('?')[0]}: ${res.status} ${msg}`);
  }
  return JSON.parse(text) as T;
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
 * The newest deployment of `digest` in `environment` whose latest status is `success`.
 * Throws naming what was found when there is none (no deployment, or only ones that did not succeed).
 */
export async function findSuccessfulDeployment(
  gh: GitHubApi,
  environment: string,
  digest: string,
): Promise<RequiredDeployment> {
  const seen: string[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const q = new URLSearchParams({ environment, per_page: '100', page: String(page) });
    const list = await api<DeploymentJson[]>(gh, 'GET', `/deployments?${q}`);
    for (const d of list) {
      if (payloadDigest(d.payload) !== digest) continue;
      const statuses = await api<DeploymentStatusJson[]>(gh, 'GET', `/deployments/${d.id}/statuses?per_page=1`);
      const latest = statuses[0]?.state ?? 'no status';
      if (latest === 'success') return { id: d.id, environment, createdAt: d.created_at };
      seen.push(`#${d.id} (${latest})`);
    }
    if (list.length < 100) break;
  }
  throw new DeploymentsError(
    `require-deployment: no successful deployment of ${digest} in environment "${environment}"` +
      (seen.length ? `; found ${seen.join(', ')}` : ''),
  );
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
  if (typeof d.id !== 'number') throw new DeploymentsError('GitHub API POST /deployments: no deployment id returned');
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
