import { isAbsolute } from 'node:path';
import { InputError, type Inputs } from '../../lib/inputs.js';
import { COMPRESSIONS, type Compression } from './compress.js';
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
  retentionDryRun: boolean;
  verify: Verify;
  mode: 'backup' | 'restore';
  restoreFrom: string;
  confirm: string;
  minSizeBytes: number;
  timeoutMs: number;
}

/** Engines this version runs end to end; the others have builders only. */
export const SUPPORTED_ENGINES: readonly EngineName[] = ['postgres', 'mysql', 'mariadb', 'sqlite'];

export function readBackupConfig(inputs: Inputs): BackupConfig {
  const engine = inputs.choice('engine', ENGINES, 'postgres');
  if (!SUPPORTED_ENGINES.includes(engine)) {
    throw new InputError(
      'engine',
      `"${engine}" is not supported by this version yet (supported: ${SUPPORTED_ENGINES.join(', ')})`,
    );
  }
  const runOn = inputs.choice('run-on', ['local', 'ssh'] as const, 'local');
  if (runOn === 'ssh' && (engine === 'mysql' || engine === 'mariadb')) {
    throw new InputError('run-on', `\`ssh\` is not supported for ${engine} by this version yet; use \`local\``);
  }
  if (runOn === 'ssh' && inputs.list('hosts').length > 1) {
    throw new InputError('hosts', 'backup-db backs up one database: give exactly one host');
  }
  const remoteDir = inputs.string('remote-dir');
  if (remoteDir && runOn !== 'ssh')
    throw new InputError('remote-dir', 'needs run-on: ssh (it is a directory on the server)');
  if (remoteDir && !remoteDir.startsWith('/'))
    throw new InputError('remote-dir', `"${remoteDir}" must be an absolute path`);
  for (const name of ['compose-service']) {
    if (inputs.raw(name)) throw new InputError(name, 'is not supported by this version yet; leave it empty');
  }
  const databaseUrl = inputs.secret('database-url');
  const database = inputs.string('database');
  if (engine !== 'sqlite' && !databaseUrl) throw new InputError('database-url', `is required for engine ${engine}`);
  if (engine === 'sqlite' && !database)
    throw new InputError('database', 'the SQLite file path is required for engine sqlite');
  // Fail early, naming the input, when the URL does not fit the engine.
  if (engine === 'postgres') parsePostgresUrl(databaseUrl);
  if (engine === 'mysql' || engine === 'mariadb') parseMysqlUrl(databaseUrl);
  const mode = inputs.choice('mode', ['backup', 'restore'] as const, 'backup');
  const outputDir = inputs.string('output-dir');
  if (mode === 'backup' && !outputDir) throw new InputError('output-dir', 'is required to make a backup');
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
    compression: inputs.choice('compression', COMPRESSIONS, 'gzip'),
    keep: inputs.integer('keep', 0, { min: 0 }),
    retentionDryRun: inputs.boolean('retention-dry-run', false),
    verify: inputs.choice('verify', ['none', 'list', 'restore'] as const, 'list'),
    mode,
    restoreFrom,
    confirm,
    minSizeBytes,
    timeoutMs: inputs.duration('timeout', '6h', { min: 1000 }),
  };
  return cfg;
}
