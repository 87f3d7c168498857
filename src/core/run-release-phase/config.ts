import { resolve } from 'node:path';
import { InputError, type Inputs } from '../../lib/inputs.js';
import { parseImageRef } from '../../lib/oci/reference.js';
import type { ReleaseConfig } from './run.js';

/** `<base>/releases/<id>` → `<base>`: the release phase shares that deploy's lock. */
export function deployBaseOf(workingDirectory: string): string | undefined {
  const m = /^(\/.+)\/releases\/[^/]+\/?$/.exec(workingDirectory);
  return m?.[1];
}

export function readReleaseConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): ReleaseConfig {
  const runOn = inputs.choice('run-on', ['local', 'ssh', 'docker'], 'ssh');
  const service = inputs.raw('compose-service') || undefined;
  // run-on docker: empty = the image runs as is (its own WORKDIR and code), nothing mounted; set = mounted at
  // /app (images that hold only the runtime). With compose-service it is the compose project directory.
  const wd = inputs.raw('working-directory') || (runOn === 'local' || (runOn === 'docker' && service) ? '.' : '');
  if (!wd && runOn === 'ssh')
    throw new InputError(
      'working-directory',
      'is required with run-on ssh: the release path (ssh-rsync-deploy output release-path)',
    );
  if (/(^|\/)\.\.(\/|$)/.test(wd)) throw new InputError('working-directory', `"${wd}" must not contain ..`);
  // `docker run -v app:/app` would silently create a named volume: a relative directory is made absolute.
  const mounted = runOn === 'docker' && !service && wd ? resolve(wd) : wd;
  const network = inputs.raw('network') || undefined;
  if (network !== undefined) {
    if (runOn !== 'docker' || service)
      throw new InputError(
        'network',
        'is for run-on docker with image (docker run --network); in compose mode set network_mode / networks in the compose file',
      );
    if (!/^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,127}$/.test(network))
      throw new InputError('network', `"${network}" is not a docker network name (e.g. host, myproject_default)`);
  }
  const preset = inputs.choice('preset', ['django', 'alembic', 'none'], 'none');
  const commands = inputs.lines('commands');
  if (preset === 'none' && commands.length === 0)
    throw new InputError('preset', 'none and no commands: nothing to run; set preset (django, alembic) or commands');
  const image = inputs.raw('image') || undefined;
  if (runOn === 'docker' && !image && !service)
    throw new InputError('image', 'is required with run-on: docker (or set compose-service)');
  // Validated as a reference (never starts with `-`): `-v/:/host` would otherwise be read as a docker option.
  if (image) {
    try {
      parseImageRef(image);
    } catch (e) {
      throw new InputError('image', `is not a valid image reference: ${(e as Error).message}`);
    }
  }
  if (service && !/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(service))
    throw new InputError('compose-service', `"${service}" is not a compose service name`);
  const superuser = inputs.boolean('django-superuser', false);
  const vars = inputs.env('env');
  if (superuser) {
    for (const k of ['DJANGO_SUPERUSER_USERNAME', 'DJANGO_SUPERUSER_PASSWORD']) {
      if (!vars[k]) throw new InputError('env', `django-superuser needs ${k} in env (from a secret)`);
    }
  }
  const lockPath = inputs.raw('lock-path');
  if (lockPath && (/(^|\/)\.\.(\/|$)/.test(lockPath) || lockPath.includes('\0') || lockPath.startsWith('-')))
    throw new InputError(
      'lock-path',
      `"${lockPath.slice(0, 80)}" must be the deploy base path itself (no .. segments, not starting with -)`,
    );
  return {
    runOn,
    workingDirectory: mounted,
    preset,
    commands,
    env: vars,
    python: inputs.string('python', 'python3'),
    superuser,
    composeService: service,
    composeFiles: inputs.list('compose-file'),
    image,
    ...(network ? { network } : {}),
    timeoutMs: inputs.duration('timeout', '1h', { min: 1000 }),
    idleTimeoutMs: inputs.duration('idle-timeout', '30m'),
    lockBase: lockPath || (runOn === 'ssh' ? deployBaseOf(wd) : undefined),
    composeProject: service ? readComposeProject(inputs, wd) : undefined,
    historyBase: runOn === 'ssh' ? deployBaseOf(wd) : undefined,
    runUrl: env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : '',
    lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
    owner: [
      env.GITHUB_REPOSITORY,
      env.GITHUB_RUN_ID,
      env.GITHUB_ACTOR,
      new Date().toISOString(),
      Math.random().toString(36).slice(2, 8),
    ]
      .filter(Boolean)
      .join(' '),
  };
}

/** What Compose makes of a directory name when it names a project after it (lowercase, [a-z0-9_-]). */
export function composeProjectName(dirName: string): string {
  return dirName
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/**
 * `compose-project`: given, or the name of the deploy base (the directory holding releases/) when
 * working-directory is a release of that layout. Never the release directory's own name: Compose would
 * start a new project (with an empty database) for every release.
 */
export function readComposeProject(inputs: Inputs, workingDirectory: string): string | undefined {
  const given = inputs.raw('compose-project');
  if (given) {
    if (!/^[a-z0-9][a-z0-9_-]{0,62}$/.test(given))
      throw new InputError(
        'compose-project',
        `"${given}" is not a Compose project name (lowercase letters, digits, _ and -, starting with a letter or digit)`,
      );
    return given;
  }
  const base = deployBaseOf(workingDirectory);
  if (!base) return undefined;
  const name = composeProjectName(base.split('/').pop() ?? '');
  if (!name)
    throw new InputError(
      'compose-project',
      `is required: the deploy directory ${base} gives no Compose project name; set the live project's name`,
    );
  return name;
}
