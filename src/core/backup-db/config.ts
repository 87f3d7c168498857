import { isAbsolute } from 'node:path';
import { InputError, type Inputs } from '../../lib/inputs.js';
import { COMPRESSIONS, type Compression } from './compress.js';
import { parseMongoUrl } from './mongodb.js';
import { parseMysqlUrl } from './mysql.js';
import { parsePostgresUrl } from './postgres.js';

export const ENGINES = ['postgres', 'mysql', 'mariadb', 'sqlite', 'mongodb'] as const;
export type EngineName = (typeof ENGINES)[number];
export type Verify = 'none' | 'list' | 'restore';

export interface BackupConfig {
  engine: EngineName;
  runOn: 'local' | 'ssh';
  databaseUrl: string;
  database: string;
  outputDir: string;
  /** run-on ssh: also keep a copy of each verified backup in this directory on the server. */
  remoteDir: string;
  compression: Compression;
  keep: number;
  /** Calendar retention: also keep the newest backup of each of the last N days / ISO weeks / months (UTC). */
  keepDaily: number;
  keepWeekly: number;
  keepMonthly: number;
  retentionDryRun: boolean;
  verify: Verify;
  mode: 'backup' | 'restore';
  restoreFrom: string;
  confirm: string;
  minSizeBytes: number;
  timeoutMs: number;
  /** Dump inside this Compose service (`exec -T`) instead of running the client on the runner/host. */
  composeService: string;
  /** `-f` files for compose (on the machine where compose runs); empty = compose's default in cwd. */
  composeFiles: string[];
  /** `-p` project name (empty = compose's default from the directory). */
  composeProject: string;
  /** DOCKER_HOST for the compose commands (e.g. rootless docker); empty = docker's default. */
  dockerHost: string;
  /** mode restore: accept a backup without its `.sha256` (an upload or copy never marked complete). */
  allowUnverified?: boolean;
}

/** Engines this version runs end to end; the others have builders only. */
export const SUPPORTED_ENGINES: readonly EngineName[] = ['postgres', 'mysql', 'mariadb', 'sqlite', 'mongodb'];

/** Engines that can dump inside a Compose service. */
export const COMPOSE_ENGINES: readonly EngineName[] = ['postgres', 'mongodb'];

export function readBackupConfig(inputs: Inputs): BackupConfig {
  const engine = inputs.choice('engine', ENGINES, 'postgres');
  if (!SUPPORTED_ENGINES.includes(engine)) {
    throw new InputError(
      'engine',
      `"${engine}" is not supported by this version yet (supported: ${SUPPORTED_ENGINES.join(', ')})`,
    );
  }
  const runOn = inputs.choice('run-on', ['local', 'ssh'] as const, 'local');
  if (runOn === 'ssh' && inputs.list('hosts').length > 1) {
    throw new InputError('hosts', 'backup-db backs up one database: give exactly one host');
  }
  const remoteDir = inputs.string('remote-dir');
  if (remoteDir && runOn !== 'ssh')
    throw new InputError('remote-dir', 'needs run-on: ssh (it is a directory on the server)');
  if (remoteDir && !remoteDir.startsWith('/'))
    throw new InputError('remote-dir', `"${remoteDir}" must be an absolute path`);
  const composeService = inputs.string('compose-service');
  const composeFiles = inputs.list('compose-file');
  const composeProject = inputs.string('compose-project');
  const dockerHost = inputs.string('docker-host');
  if (composeService) {
    if (!COMPOSE_ENGINES.includes(engine))
      throw new InputError('compose-service', `is supported for engine ${COMPOSE_ENGINES.join(', ')} only`);
    if (/^-|\s/.test(composeService))
      throw new InputError('compose-service', `"${composeService}" is not a service name`);
    if (composeProject && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(composeProject))
      throw new InputError(
        'compose-project',
        `"${composeProject.slice(0, 60)}" is not a Compose project name (lowercase letters, digits, _ and -, starting with a letter or digit)`,
      );
    for (const f of composeFiles)
      if (f.startsWith('-')) throw new InputError('compose-file', `"${f.slice(0, 60)}" must not start with -`);
  } else {
    for (const name of ['compose-file', 'compose-project', 'docker-host']) {
      if (inputs.raw(name)) throw new InputError(name, 'is used with compose-service only; set compose-service too');
    }
  }
  const databaseUrl = inputs.secret('database-url');
  const database = inputs.string('database');
  if (engine !== 'sqlite' && !databaseUrl && !(composeService && database))
    throw new InputError(
      'database-url',
      `is required for engine ${engine}${COMPOSE_ENGINES.includes(engine) ? ' (or compose-service with database)' : ''}`,
    );
  if (engine === 'sqlite' && !database)
    throw new InputError('database', 'the SQLite file path is required for engine sqlite');
  // Fail early, naming the input, when the URL does not fit the engine.
  if (engine === 'postgres' && databaseUrl) parsePostgresUrl(databaseUrl);
  if (engine === 'mongodb' && (databaseUrl || !composeService)) parseMongoUrl(databaseUrl);
  if (engine === 'mysql' || engine === 'mariadb') parseMysqlUrl(databaseUrl);
  const mode = inputs.choice('mode', ['backup', 'restore'] as const, 'backup');
  const verify = inputs.choice('verify', ['none', 'list', 'restore'] as const, 'list');
  if (engine === 'mongodb' && verify === 'restore')
    throw new InputError(
      'verify',
      'restore is not available for engine mongodb (counting documents and dropping the throwaway database would need mongosh with the URI on its command line); use list',
    );
  const outputDir = inputs.string('output-dir');
  if (mode === 'backup' && !outputDir && !inputs.string('storage'))
    throw new InputError('output-dir', 'is required to make a backup (or storage: s3://bucket/prefix)');
  const restoreFrom = inputs.string('restore-from');
  if (mode === 'restore' && !restoreFrom) throw new InputError('restore-from', 'is required with mode: restore');
  const confirm = inputs.string('confirm');
  const minSizeBytes = inputs.integer('min-size-bytes', engine === 'sqlite' ? 512 : 256, { min: 0 });
  const cfg: BackupConfig = {
    engine,
    runOn,
    databaseUrl,
    database,
    remoteDir,
    outputDir: outputDir && !isAbsolute(outputDir) ? `${process.cwd()}/${outputDir}` : outputDir,
    compression: inputs.choice('compression', COMPRESSIONS, 'zstd'),
    keep: inputs.integer('keep', 0, { min: 0 }),
    keepDaily: inputs.integer('keep-daily', 0, { min: 0 }),
    keepWeekly: inputs.integer('keep-weekly', 0, { min: 0 }),
    keepMonthly: inputs.integer('keep-monthly', 0, { min: 0 }),
    retentionDryRun: inputs.boolean('retention-dry-run', false),
    verify,
    mode,
    restoreFrom,
    confirm,
    minSizeBytes,
    timeoutMs: inputs.duration('timeout', '6h', { min: 1000 }),
    composeService,
    composeFiles,
    composeProject,
    dockerHost,
    allowUnverified: inputs.boolean('allow-unverified', false),
  };
  return cfg;
}

/**
 * The password inside database-url, decoded (and as written): the action masks these too, because a tool's
 * error message may echo the decoded password while the input mask only covers the URL as given.
 */
export function urlSecrets(url: string): string[] {
  try {
    const u = new URL(url);
    if (!u.password) return [];
    return [...new Set([u.password, decodeURIComponent(u.password)])].filter((p) => p.length >= 3);
  } catch {
    return [];
  }
}
