import { posix } from 'node:path';
import { InputError } from '../../lib/errors.js';
import { Inputs } from '../../lib/inputs.js';
import { parseMysqlUrl } from '../backup-db/mysql.js';
import { readHealthGateConfig, type HealthGateConfig } from '../health-gate/config.js';
import type { Preset } from '../run-release-phase/steps.js';
import { checkRemotePath, defaultReleaseId } from '../ssh-rsync-deploy/config.js';
import { registryOf, type RegistryAuth } from './env-target.js';

export type Strategy = 'rolling' | 'recreate';
export type BackupEngine = 'none' | 'postgres' | 'mysql' | 'mariadb' | 'mongodb';
export type PullPolicy = 'always' | 'missing' | 'never';

export interface ComposeDeployConfig {
  runOn: 'ssh' | 'local';
  /** The compose project directory on the host (absolute). */
  path: string;
  /** -f files (relative to path, or absolute); empty = Compose's own lookup in path. */
  composeFiles: string[];
  /** -p on every compose call: stable across releases (default: derived from path as Compose does). */
  projectName: string;
  /** Deploy by image (undefined with build: true or a rollback). */
  image?: string;
  imageVariable: string;
  build: boolean;
  pull: PullPolicy;
  /** Services to update; empty = those whose image is the image variable. */
  services: string[];
  backup: BackupEngine;
  backupService: string;
  database: string;
  /** How the dump client connects inside the database service (secret: may hold the password). */
  databaseUrl: string;
  backupVerify: 'none' | 'list' | 'restore';
  keepBackups: number;
  releaseService?: string;
  preset: Preset;
  commands: string[];
  python: string;
  strategy: Strategy;
  proxyService?: string;
  /** argv run in each proxy container to reload it. */
  proxyReload: string[];
  /** A command (argv) run with `docker exec` in a new container until it exits 0, when the service has no Docker healthcheck. */
  probeCommand: string[];
  /** The in-network HTTP probe (probe-path, probe-port, probe-from) for services with no Docker healthcheck. */
  httpProbe?: { path: string; port: number; from: string };
  /** How long a new container may take to become healthy. */
  healthyTimeoutMs: number;
  /** How long an old container may take to finish its requests after SIGTERM (then SIGKILL). */
  drainTimeoutMs: number;
  proxySettleMs: number;
  health?: HealthGateConfig;
  /** '' = none; 'previous' = the release live before this one; else a release id. */
  rollback: string;
  restoreDbOnRollback: boolean;
  releaseId: string;
  lockTimeoutMs: number;
  lockTtlMs: number;
  timeoutMs: number;
  idleTimeoutMs: number;
  owner: string;
  runUrl: string;
  /** DOCKER_HOST for every docker and compose command on the hosts ('' = their default engine). */
  dockerHost: string;
  /** registry-username / registry-password: `docker login` in a private DOCKER_CONFIG before each host pulls. */
  registryAuth?: RegistryAuth;
}

/** Compose service / project names, image variables: plain names that can never be read as an option. */
const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,62}$/;
const PROJECT_RE = /^[a-z0-9][a-z0-9_-]{0,62}$/;
const VAR_RE = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
/** `[registry[:port]/]name[:tag][@sha256:<hex>]`, or an image id `sha256:<hex>`. */
export const IMAGE_RE =
  /^(?:sha256:[0-9a-f]{64}|[a-z0-9][a-z0-9._-]*(?::[0-9]{1,5})?(?:\/[a-z0-9][a-z0-9._-]*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[0-9a-f]{64})?)$/;
export const RELEASE_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The project name Compose derives from a directory: its base name, lower-cased, only [a-z0-9_-]. */
export function derivedProjectName(path: string): string {
  return posix
    .basename(path)
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '')
    .replace(/^[_-]+/, '');
}

/** The health-gate inputs keep their names, except its per-request `timeout`: here `health-timeout`. */
export const HEALTH_RENAMES = { timeout: 'health-timeout' } as const;

function view(base: Inputs, rename: Record<string, string>, fixed: Record<string, string>): Inputs {
  return new Inputs((n) => (Object.hasOwn(fixed, n) ? fixed[n]! : base.raw(rename[n] ?? n)));
}

function serviceName(input: string, value: string): string {
  if (!SERVICE_RE.test(value))
    throw new InputError(
      input,
      `"${value}" is not a compose service name (letters, digits, _ . -; not starting with -)`,
    );
  return value;
}

function composeFile(value: string): string {
  if (!value || /[\0\r\n]/.test(value) || value.startsWith('-') || value.split('/').includes('..'))
    throw new InputError('compose-file', `"${value}" must be a file name or path without .. (and not start with -)`);
  return value;
}

export function readComposeDeployConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): ComposeDeployConfig {
  const runOn = inputs.choice('run-on', ['ssh', 'local'], 'ssh');
  const path = checkRemotePath(inputs.raw('path'));
  const composeFiles = inputs.list('compose-file').map(composeFile);
  const projectName = inputs.raw('project-name') || derivedProjectName(path);
  if (!PROJECT_RE.test(projectName))
    throw new InputError(
      inputs.raw('project-name') ? 'project-name' : 'path',
      `"${projectName}" is not a compose project name (lower-case letters, digits, _ -, starting with a letter or digit)${inputs.raw('project-name') ? '' : '; set project-name'}`,
    );
  const imageVariable = inputs.string('image-variable', 'APP_IMAGE');
  if (!VAR_RE.test(imageVariable))
    throw new InputError('image-variable', `"${imageVariable}" is not a variable name (letters, digits, _)`);

  const rollbackRaw = inputs.raw('rollback');
  let rollback = '';
  if (rollbackRaw && rollbackRaw !== 'false') {
    rollback = rollbackRaw === 'true' ? 'previous' : rollbackRaw;
    if (rollback !== 'previous' && !RELEASE_ID_RE.test(rollback))
      throw new InputError('rollback', `"${rollbackRaw}" is not true, false or a release id`);
  }

  const image = inputs.raw('image') || undefined;
  const build = inputs.boolean('build', false);
  if (image !== undefined && !IMAGE_RE.test(image))
    throw new InputError('image', `"${image}" is not an image reference (name:tag or name@sha256:…)`);
  if (!rollback) {
    if (image && build) throw new InputError('build', 'set either image or build: true, not both');
    if (!image && !build) throw new InputError('image', 'is required (name:tag or name@sha256:…), or set build: true');
  } else if (image || build) {
    throw new InputError('rollback', 'goes back to a recorded release: leave image and build empty');
  }
  const services = inputs.list('services').map((s) => serviceName('services', s));

  const backup = inputs.choice('backup', ['none', 'postgres', 'mysql', 'mariadb', 'mongodb'], 'none');
  const backupService = serviceName('backup-service', inputs.string('backup-service', 'db'));
  const database = inputs.raw('database');
  if (backup !== 'none' && !/^[A-Za-z0-9_][A-Za-z0-9_.$-]{0,62}$/.test(database))
    throw new InputError(
      'database',
      database ? `"${database}" is not a database name` : `is required with backup: ${backup}`,
    );
  const keepBackups = inputs.integer('keep-backups', 10, { min: 1, max: 1000 });
  if (backup === 'mongodb')
    throw new InputError(
      'backup',
      'mongodb inside a compose service is not supported by this version yet (postgres, mysql and mariadb are)',
    );
  let databaseUrl = inputs.secret('database-url');
  if (!databaseUrl && backup !== 'none') {
    // Built for a client inside the database service: its own server on the container's loopback.
    const user = inputs.string('database-user', backup === 'postgres' ? 'postgres' : 'root');
    const password = inputs.secret('database-password');
    const auth = `${encodeURIComponent(user)}${password ? `:${encodeURIComponent(password)}` : ''}`;
    databaseUrl =
      backup === 'postgres'
        ? `postgres://${auth}@localhost:5432/${encodeURIComponent(database)}`
        : `${backup}://${auth}@127.0.0.1:3306/${encodeURIComponent(database)}`;
  }
  if (databaseUrl && (backup === 'mysql' || backup === 'mariadb')) {
    try {
      parseMysqlUrl(databaseUrl);
    } catch (e) {
      throw new InputError('database-url', (e as Error).message.replace(/^database-url: /, ''));
    }
  }
  const backupVerify = inputs.choice('backup-verify', ['none', 'list', 'restore'], 'restore');

  const releaseServiceRaw = inputs.raw('release-service');
  const releaseService = releaseServiceRaw ? serviceName('release-service', releaseServiceRaw) : undefined;
  const preset = inputs.choice('preset', ['django', 'alembic', 'none'], 'none');
  const commands = inputs.lines('commands');
  if ((preset !== 'none' || commands.length > 0) && !releaseService && !services[0])
    throw new InputError(
      'release-service',
      'is required with preset or commands (the service whose image runs the release phase, e.g. web)',
    );

  const strategy = inputs.choice('strategy', ['rolling', 'recreate'], 'rolling');
  const proxyRaw = inputs.raw('proxy-service');
  const proxyService = proxyRaw ? serviceName('proxy-service', proxyRaw) : undefined;
  const proxyReload = splitArgv('proxy-reload-command', inputs.string('proxy-reload-command', 'nginx -s reload'));
  const probeCommand = inputs.raw('probe-command') ? splitArgv('probe-command', inputs.raw('probe-command')) : [];
  const httpProbe = readHttpProbe(inputs, proxyService);

  let health: HealthGateConfig | undefined;
  if (inputs.list('url').length > 0) {
    try {
      health = readHealthGateConfig(view(inputs, HEALTH_RENAMES, { 'fail-on-unhealthy': 'true' }));
    } catch (e) {
      if (e instanceof InputError && e.input === 'timeout')
        throw new InputError('health-timeout', e.message.replace(/^input `[^`]*`: /, ''));
      throw e;
    }
  }
  const restoreDbOnRollback = inputs.boolean('restore-db-on-rollback', false);
  if (restoreDbOnRollback && backup === 'none')
    throw new InputError('restore-db-on-rollback', 'needs a backup (set backup: postgres …) to restore from');
  if (restoreDbOnRollback && (backup === 'mysql' || backup === 'mariadb'))
    throw new InputError(
      'restore-db-on-rollback',
      `is not available with backup: ${backup} in this version: a ${backup} dump replays into the live database without dropping the tables the new release's migrations created, so the database would not be back at the backup. Restore by hand with backup-db (mode: restore) from backup-path, or set restore-db-on-rollback: false`,
    );

  const releaseId = inputs.raw('release-id') || defaultReleaseId(env);
  if (!RELEASE_ID_RE.test(releaseId))
    throw new InputError('release-id', `"${releaseId}" may hold only letters, digits, . _ - (max 128)`);
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : '';
  const dockerHost = inputs.raw('docker-host');
  if (dockerHost && !/^(unix|tcp|ssh):\/\/[^\s'"]+$/.test(dockerHost))
    throw new InputError(
      'docker-host',
      `"${dockerHost}" is not a Docker host (unix:///run/user/1000/docker.sock, tcp://…, ssh://…)`,
    );
  return {
    dockerHost,
    registryAuth: readRegistryAuth(inputs, image),
    runOn,
    path,
    composeFiles,
    projectName,
    image,
    imageVariable,
    build,
    pull: inputs.choice('pull', ['always', 'missing', 'never'], 'always'),
    services,
    backup,
    backupService,
    database,
    databaseUrl,
    backupVerify,
    keepBackups,
    releaseService,
    preset,
    commands,
    python: inputs.string('python', 'python3'),
    strategy,
    proxyService,
    proxyReload,
    probeCommand,
    ...(httpProbe ? { httpProbe } : {}),
    healthyTimeoutMs: inputs.duration('healthy-timeout', '2m', { min: 1000 }),
    drainTimeoutMs: inputs.duration('drain-timeout', '30s', { min: 0 }),
    proxySettleMs: inputs.duration('proxy-settle', '10s', { min: 0 }),
    health,
    rollback,
    restoreDbOnRollback,
    releaseId,
    lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
    lockTtlMs: inputs.duration('lock-ttl', '1h', { min: 1000 }),
    timeoutMs: inputs.duration('timeout', '30m', { min: 1000 }),
    idleTimeoutMs: inputs.duration('idle-timeout', '10m', { min: 1000 }),
    owner: [
      env.GITHUB_REPOSITORY,
      env.GITHUB_RUN_ID,
      env.GITHUB_ACTOR,
      'compose-deploy',
      releaseId,
      new Date().toISOString(),
    ]
      .filter(Boolean)
      .join(' '),
    runUrl,
  };
}

/** probe-path + probe-port (+ probe-from, default the proxy service): undefined when probe-path is empty. */
function readHttpProbe(inputs: Inputs, proxyService: string | undefined): ComposeDeployConfig['httpProbe'] {
  const path = inputs.raw('probe-path');
  if (!path) {
    for (const other of ['probe-port', 'probe-from'])
      if (inputs.raw(other)) throw new InputError(other, 'is used only with probe-path (e.g. /healthz)');
    return undefined;
  }
  if (!/^\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*$/.test(path))
    throw new InputError('probe-path', `"${path}" is not a URL path (starts with /, no spaces or #)`);
  if (!inputs.raw('probe-port'))
    throw new InputError(
      'probe-port',
      'is required with probe-path (the port the app listens on inside its container, e.g. 8000)',
    );
  const port = inputs.integer('probe-port', 0, { min: 1, max: 65535 });
  const fromRaw = inputs.raw('probe-from');
  if (!fromRaw && !proxyService)
    throw new InputError(
      'probe-from',
      'is required with probe-path when no proxy-service is set (the service whose container sends the HTTP probe over the project network)',
    );
  return { path, port, from: fromRaw ? serviceName('probe-from', fromRaw) : proxyService! };
}

/** A short command written as words (no shell): split on whitespace; quotes are not interpreted. */
function splitArgv(input: string, text: string): string[] {
  const argv = text.trim().split(/\s+/).filter(Boolean);
  if (argv.length === 0) throw new InputError(input, 'is empty');
  if (argv[0]!.startsWith('-')) throw new InputError(input, `"${argv[0]}" must be a program, not an option`);
  return argv;
}

/** `host[:port]` of a registry, as `docker login` takes it. */
const REGISTRY_RE = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,252}[A-Za-z0-9])?(?::[0-9]{1,5})?$/;

/** registry-username + registry-password (both or neither) and the registry they are for. */
function readRegistryAuth(inputs: Inputs, image: string | undefined): RegistryAuth | undefined {
  const username = inputs.raw('registry-username');
  const password = inputs.secret('registry-password');
  const registryRaw = inputs.raw('registry');
  if (!username && !password) {
    if (registryRaw) throw new InputError('registry', 'is used with registry-username and registry-password only');
    return undefined;
  }
  if (!username) throw new InputError('registry-username', 'is required with registry-password');
  if (!password) throw new InputError('registry-password', 'is required with registry-username (from a secret)');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@+-]{0,254}$/.test(username))
    throw new InputError('registry-username', `"${username.slice(0, 60)}" is not a registry user name`);
  if (/[\r\n]/.test(password)) throw new InputError('registry-password', 'must be one line');
  const registry = registryRaw || (image ? registryOf(image) : '');
  if (!registry)
    throw new InputError(
      'registry',
      'is required with registry-username when the image does not name it (build, rollback or an image id)',
    );
  if (!REGISTRY_RE.test(registry))
    throw new InputError('registry', `"${registry.slice(0, 60)}" is not a registry host (host or host:port)`);
  return { registry, username, password };
}
