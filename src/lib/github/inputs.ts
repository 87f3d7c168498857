/**
 * The inputs every GitHub API caller reads the same way: `github-token`, `repository` (default: the workflow's)
 * and the API base from GITHUB_API_URL. Kept apart from rest.ts so a config module reads them without loading
 * the client.
 */
import { InputError, type Inputs } from '../inputs.js';
import type { GitHubApi } from './rest.js';

/**
 * GitHub's owner/name: the owner is letters, digits and inner hyphens; the name never `.` or `..` — the value
 * goes into API paths (`/repos/../..` would address another endpoint).
 */
const REPOSITORY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/(?!\.\.?$)[A-Za-z0-9_.-]{1,100}$/;

export function isRepository(value: string): boolean {
  return REPOSITORY_RE.test(value);
}

/** A GitHub environment name as the Deployments API takes it: one line, not starting with a space or `/`. */
export function isEnvironmentName(value: string): boolean {
  return /^[^\s/][^\n]{0,254}$/.test(value);
}

/**
 * `needed` names what needs the API (an input, e.g. "`require-deployment`", or a feature); `tokenFix` says
 * how to get a token when `github-token` is empty.
 */
export function readGitHubInputs(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  opts: { needed: string; tokenFix: string },
): Omit<GitHubApi, 'signal'> & { runUrl?: string } {
  const token = inputs.secret('github-token');
  if (!token) throw new InputError('github-token', `is required ${opts.needed}: ${opts.tokenFix}`);
  const repository = inputs.string('repository', env.GITHUB_REPOSITORY ?? '');
  if (!isRepository(repository)) {
    throw new InputError(
      'repository',
      `"${repository}" is not owner/name (letters, digits, -, _ and .; neither part . or ..; defaults to the workflow's repository; needed ${opts.needed})`,
    );
  }
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY || repository}/actions/runs/${env.GITHUB_RUN_ID}`
      : undefined;
  return { apiUrl: env.GITHUB_API_URL || 'https://api.github.com', repository, token, ...(runUrl ? { runUrl } : {}) };
}

/** What recording a GitHub deployment needs: the API inputs plus the commit (`ref`, default GITHUB_SHA). */
export function readDeploymentInputs(
  inputs: Inputs,
  env: NodeJS.ProcessEnv,
  needed: string,
): Omit<GitHubApi, 'signal'> & { ref: string; logUrl?: string } {
  const { runUrl, ...api } = readGitHubInputs(inputs, env, {
    needed,
    tokenFix: 'pass ${{ github.token }} with `permissions: deployments: write`',
  });
  const ref = inputs.string('ref', env.GITHUB_SHA ?? '');
  if (!ref) throw new InputError('ref', `is required ${needed} (GITHUB_SHA is not set)`);
  return { ...api, ref, ...(runUrl ? { logUrl: runUrl } : {}) };
}
