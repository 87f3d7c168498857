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
  /** The workflow run's URL (for the host's release history), '' outside GitHub. */
  runUrl: string;
  actor: string;
}

const ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** Directories that are never a deploy base (the host checks again after resolving symlinks). */
const SYSTEM_DIRS = new Set(
  '/bin /boot /dev /etc /home /lib /lib32 /lib64 /libx32 /media /mnt /opt /proc /root /run /sbin /srv /sys /tmp /usr /var /snap'.split(
    ' ',
  ),
);

/**
 * Refuses targets where a mistake destroys something: empty, /, relative, `.`/`..`, a home directory itself,
 * a system directory. `//root` and `/home//user` are normalized first. This is the check before any
 * connection; the host resolves the path (`realpath`, symlinks included) and refuses the same before the
 * first write.
 */
export function checkRemotePath(path: string): string {
  if (!path.trim()) throw new InputError('path', 'is required: the remote base directory, e.g. /srv/app');
  if (/[\0\n\r]/.test(path)) throw new InputError('path', 'must not contain NUL or newlines');
  if (!path.startsWith('/')) throw new InputError('path', `"${path}" must be absolute (start with /)`);
  const p = path.replace(/\/+/g, '/').replace(/\/$/, '');
  if (p === '') throw new InputError('path', 'refusing to deploy into /');
  if (p.split('/').some((seg) => seg === '..' || seg === '.'))
    throw new InputError('path', `"${path}" must not contain . or .. segments`);
  if (/^\/(root|home\/[^/]+)$/.test(p))
    throw new InputError('path', `refusing to deploy into a home directory itself (${p}); use a folder below it`);
  if (
    SYSTEM_DIRS.has(p) ||
    /^\/(usr|var)\/[^/]+$/.test(p) ||
    /^\/(proc|sys|dev|boot|etc|bin|sbin|lib|lib32|lib64|run)\//.test(p)
  )
    throw new InputError(
      'path',
      `refusing to deploy into a system directory (${p}); use a directory of its own, e.g. /srv/app`,
    );
  return p;
}

/** `shared` entries: relative paths inside the release, no `.`/`..`/empty segments (a trailing / means a directory). */
export function checkSharedEntry(s: string): string {
  const t = s.trim();
  const body = t.replace(/\/$/, '');
  if (
    !body ||
    body.startsWith('/') ||
    /[\0\n\r]/.test(body) ||
    body.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')
  )
    throw new InputError(
      'shared',
      `"${s}" must be a relative path inside the release without . or .. segments (e.g. .env, media, storage/logs/)`,
    );
  return t;
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
  const shared = inputs.list('shared').map(checkSharedEntry);
  const deployignore = join(source, '.deployignore');
  const runUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : '';
  const owner = [
    env.GITHUB_REPOSITORY,
    runUrl,
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
    runUrl,
    actor: env.GITHUB_ACTOR ?? '',
  };
}
