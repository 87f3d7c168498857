import { InputError, Inputs } from '../../lib/inputs.js';
import { readDeployConfig, type DeployConfig } from '../ssh-rsync-deploy/config.js';
import { readHealthGateConfig, type HealthGateConfig } from '../health-gate/config.js';
import { readComposeProject, readReleaseConfig } from '../run-release-phase/config.js';
import type { ReleaseConfig } from '../run-release-phase/run.js';

/**
 * The root action's inputs keep the names of the three actions it composes (ssh-rsync-deploy,
 * run-release-phase, health-gate). Where two of them use one name for different things, the name is
 * prefixed here; each reader sees its own name through an input view, and errors name ours.
 */
export const RELEASE_RENAMES = { timeout: 'release-timeout', 'idle-timeout': 'release-idle-timeout' } as const;
export const HEALTH_RENAMES = { timeout: 'health-timeout' } as const;

export interface OneStepConfig {
  deploy: DeployConfig;
  /** Undefined when neither preset nor commands is set: no release phase. */
  release?: ReleaseConfig;
  health: HealthGateConfig;
}

/**
 * The inputs as another action's reader sees them: `rename` maps the reader's name to ours, `fixed` pins a
 * reader's input. The view itself masks nothing: readOneStepConfig masks every secret the composed readers
 * read (env, headers) through the action's own inputs first, from the same text.
 */
function view(base: Inputs, rename: Record<string, string>, fixed: Record<string, string> = {}): Inputs {
  return new Inputs((n) => (Object.hasOwn(fixed, n) ? fixed[n]! : base.raw(rename[n] ?? n)));
}

/** Runs a reader on a renamed view; an InputError names the input as this action's user wrote it. */
function read<T>(rename: Record<string, string>, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InputError && rename[e.input]) {
      throw new InputError(rename[e.input]!, e.message.replace(/^input `[^`]*`: /, ''));
    }
    throw e;
  }
}

export function readOneStepConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): OneStepConfig {
  inputs.env('env');
  inputs.headers('headers');
  // The one-step run uploads, switches and never takes ssh-rsync-deploy's rollback/activate-only paths.
  const deploy = readDeployConfig(view(inputs, {}, { activate: 'true', rollback: 'false', strategy: 'parallel' }), env);

  let release: ReleaseConfig | undefined;
  const preset = inputs.raw('preset');
  if ((preset && preset !== 'none') || inputs.lines('commands').length > 0) {
    const rview = view(inputs, RELEASE_RENAMES, {
      'run-on': 'ssh',
      'working-directory': `${deploy.path}/releases/${deploy.releaseId}`,
      'lock-path': '',
      image: '',
      network: '',
    });
    release = read(RELEASE_RENAMES, () => readReleaseConfig(rview, env));
    // The deploy lock is already held by this run for the whole deploy: the phase must not take it again.
    // A failed phase discards the release (it is never left to be marked bad).
    release.lockBase = undefined;
    release.historyBase = undefined;
  } else if (inputs.boolean('django-superuser', false)) {
    throw new InputError('django-superuser', 'needs preset: django');
  }

  // before/after-activate run `docker compose …` in the release directory: the same project as the release phase.
  if (inputs.raw('compose-project') || inputs.raw('compose-service')) {
    const project = readComposeProject(inputs, `${deploy.path}/releases/${deploy.releaseId}`);
    if (project && !deploy.env.COMPOSE_PROJECT_NAME) deploy.env = { ...deploy.env, COMPOSE_PROJECT_NAME: project };
  }

  const health = read(HEALTH_RENAMES, () =>
    readHealthGateConfig(view(inputs, HEALTH_RENAMES, { 'fail-on-unhealthy': 'true' })),
  );
  return { deploy, release, health };
}
