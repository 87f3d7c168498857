/**
 * The `github` context and the GITHUB_* variables of a local run, derived from the checkout (its HEAD, its
 * branch, its `origin` remote) unless the caller's environment already names them. Shared by the
 * single-action runner (to evaluate action.yml defaults such as `${{ github.repository }}`) and the
 * workflow runner.
 */
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { basename } from 'node:path';
import type { Plain } from './workflow/expressions.js';

function git(cwd: string, args: string[]): string {
  const r = spawnSync('git', args, { cwd, encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] });
  return r.status === 0 ? r.stdout.trim() : '';
}

/** owner/name from a GitHub remote URL (https or ssh form); '' when it is not one. */
export function repositoryFromRemote(url: string): string {
  const m = /github\.com[:/]([A-Za-z0-9_.-]+)\/([A-Za-z0-9_.-]+?)(?:\.git)?\/?$/.exec(url.trim());
  return m ? `${m[1]}/${m[2]}` : '';
}

export interface LocalGithub {
  /** The `github` context. */
  context: Record<string, Plain>;
  /** GITHUB_* variables every step sees. */
  env: Record<string, string>;
}

export interface LocalGithubOptions {
  workspace: string;
  /** Variables the user set (their values win over what git says). */
  env?: Record<string, string | undefined>;
  eventName?: string;
  event?: Record<string, Plain>;
  workflow?: string;
  token?: string;
  runId?: string;
  runNumber?: string;
}

export function localGithub(opts: LocalGithubOptions): LocalGithub {
  const env = opts.env ?? {};
  const ws = opts.workspace;
  const repository =
    env.GITHUB_REPOSITORY ||
    repositoryFromRemote(git(ws, ['remote', 'get-url', 'origin'])) ||
    `local/${basename(ws).replace(/[^A-Za-z0-9_.-]/g, '-') || 'repository'}`;
  const sha = env.GITHUB_SHA || git(ws, ['rev-parse', 'HEAD']) || '0'.repeat(40);
  const branch = git(ws, ['rev-parse', '--abbrev-ref', 'HEAD']);
  const ref = env.GITHUB_REF || (branch && branch !== 'HEAD' ? `refs/heads/${branch}` : '');
  const refName = ref.replace(/^refs\/(heads|tags)\//, '');
  const actor = env.GITHUB_ACTOR || env.USER || 'local';
  const serverUrl = env.GITHUB_SERVER_URL || 'https://github.com';
  const apiUrl = env.GITHUB_API_URL || 'https://api.github.com';
  const runId = opts.runId ?? env.GITHUB_RUN_ID ?? String(randomInt(1_000_000, 2_000_000_000));
  const eventName = opts.eventName ?? env.GITHUB_EVENT_NAME ?? 'workflow_dispatch';
  const vars: Record<string, string> = {
    GITHUB_REPOSITORY: repository,
    GITHUB_REPOSITORY_OWNER: repository.split('/')[0]!,
    GITHUB_SHA: sha,
    GITHUB_REF: ref,
    GITHUB_REF_NAME: refName,
    GITHUB_REF_TYPE: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    GITHUB_ACTOR: actor,
    GITHUB_SERVER_URL: serverUrl,
    GITHUB_API_URL: apiUrl,
    GITHUB_RUN_ID: runId,
    GITHUB_RUN_NUMBER: opts.runNumber ?? (env.GITHUB_RUN_NUMBER || '1'),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: eventName,
    GITHUB_WORKSPACE: ws,
    GITHUB_WORKFLOW: opts.workflow ?? env.GITHUB_WORKFLOW ?? '',
  };
  const context: Record<string, Plain> = {
    repository,
    repository_owner: vars.GITHUB_REPOSITORY_OWNER!,
    sha,
    ref,
    ref_name: refName,
    ref_type: vars.GITHUB_REF_TYPE!,
    actor,
    triggering_actor: actor,
    server_url: serverUrl,
    api_url: apiUrl,
    run_id: runId,
    run_number: vars.GITHUB_RUN_NUMBER!,
    run_attempt: '1',
    event_name: eventName,
    event: opts.event ?? {},
    workspace: ws,
    workflow: vars.GITHUB_WORKFLOW!,
    token: opts.token ?? env.GITHUB_TOKEN ?? '',
    action: '',
    job: '',
  };
  return { context, env: vars };
}
