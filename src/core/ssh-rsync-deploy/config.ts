import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { InputError, type Inputs } from '../../lib/inputs.js';

export type Activate = 'true' | 'false' | 'only';
export type Strategy = 'parallel' | 'serial' | 'canary';

export interface DeployConfig {
  source: string;
  path: string;
  releaseId: string;
  excludes: string[];
  excludeFrom?: string;
  shared: string[];
  keepReleases: number;
  beforeActivate: string[];
  afterActivate: string[];
  activate: Activate;
  strategy: Strategy;
  /** undefined: deploy; '' : previous good release; else that release id. */
  rollback?: string;
  lockTimeoutMs: number;
  lockTtlMs: number;
  commandTimeoutMs: number;
  idleTimeoutMs: number;
  env: Record<string, string>;
  owner: string;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Refuses targets where a mistake destroys something: empty, /, the home dir, relative, `..`. */
export function checkRemotePath(path: string): string {
  const p = path.replace(/\/+$/, '');
  if (!path.trim()) throw new InputError('path', 'is required: the remote base directory, e.g. /srv/app');
  if (/^\/+$/.test(path.trim())) throw new InputError('path', 'refusing to deploy into /');
  if (!p.startsWith('/')) throw new InputError('path', `"${path}" must be absolute (start with /)`);
  if (p.split('/').some((seg) => seg === '..' || seg === '.'))
    throw new InputError('path', `"${path}" must not contain . or .. segments`);
  if (/^\/(root|home\/[^/]+)$/.test(p))
    throw new InputError('path', `refusing to deploy into a home directory itself (${p}); use a folder below it`);
  if (/[\0\n]/.test(p)) throw new InputError('path', 'must not contain NUL or newlines');
  return p;
}

export function defaultReleaseId(env: NodeJS.ProcessEnv, now = new Date()): string {
  const sha = (env.GITHUB_SHA ?? '').slice(0, 7);
  const run = env.GITHUB_RUN_NUMBER;
  const attempt = env.GITHUB_RUN_ATTEMPT && env.GITHUB_RUN_ATTEMPT !== '1' ? `.${env.GITHUB_RUN_ATTEMPT}` : '';
  if (sha && run) return `${sha}-${run}${attempt}`;
  return now.toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

export function readDeployConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): DeployConfig {
  const path = checkRemotePath(inputs.raw('path'));
  const rollbackRaw = inputs.raw('rollback');
  let rollback: string | undefined;
  if (rollbackRaw && rollbackRaw !== 'false') {
    rollback = rollbackRaw === 'true' ? '' : rollbackRaw;
    if (rollback && !ID_RE.test(rollback))
      throw new InputError('rollback', `"${rollback}" is not true, false or a release id`);
  }
  const activate = inputs.choice('activate', ['true', 'false', 'only'], 'true');
  const releaseIdInput = inputs.raw('release-id');
  if (activate === 'only' && !releaseIdInput)
    throw new InputError('release-id', 'is required with activate: only (the release to switch to)');
  const releaseId = releaseIdInput || defaultReleaseId(env);
  if (!ID_RE.test(releaseId))
    throw new InputError('release-id', `"${releaseId}" may hold only letters, digits, . _ - (max 128)`);
  const source = inputs.string('source', '.');
  if (rollback === undefined && activate !== 'only') {
    if (!existsSync(source) || !statSync(source).isDirectory())
      throw new InputError('source', `"${source}" is not a directory`);
  }
  const shared = inputs.list('shared');
  for (const s of shared) {
    if (s.startsWith('/') || s.split('/').includes('..') || !s.trim())
      throw new InputError('shared', `"${s}" must be a relative path inside the release`);
  }
  const deployignore = join(source, '.deployignore');
  const owner = [
    env.GITHUB_REPOSITORY,
    env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : '',
    env.GITHUB_ACTOR,
    new Date().toISOString(),
    Math.random().toString(36).slice(2, 10),
  ]
    .filter(Boolean)
    .join(' ');
  return {
    source,
    path,
    releaseId,
    excludes: ['.git', ...inputs.list('exclude')],
    excludeFrom: existsSync(deployignore) ? deployignore : undefined,
    shared,
    keepReleases: inputs.integer('keep-releases', 5, { min: 1, max: 1000 }),
    beforeActivate: inputs.lines('before-activate'),
    afterActivate: inputs.lines('after-activate'),
    activate,
    strategy: inputs.choice('strategy', ['parallel', 'serial', 'canary'], 'parallel'),
    rollback,
    lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
    lockTtlMs: inputs.duration('lock-ttl', '1h'),
    commandTimeoutMs: inputs.duration('command-timeout', '10m', { min: 1000 }),
    idleTimeoutMs: inputs.duration('idle-timeout', '5m'),
    env: inputs.env('env'),
    owner,
  };
}
