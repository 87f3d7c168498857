import { InputError } from '../../lib/errors.js';
import { readGitHubInputs } from '../../lib/github/inputs.js';
import { Inputs } from '../../lib/inputs.js';
import { readNotifyConfig, type NotifyConfig } from '../../lib/notify/index.js';
import { readOffsiteConfig, type StorageConfig } from '../backup-db/storage.js';
import { readHealthGateConfig, type HealthGateConfig } from '../health-gate/config.js';
import { assertServiceName } from '../maintenance-dispatch/operations.js';
import type { Thresholds } from './state.js';

export interface MonitorConfig {
  /** Names the target in issue titles and state keys. */
  name: string;
  health?: HealthGateConfig;
  runOn: 'ssh' | 'local' | 'none';
  compose: { files: string[]; cwd?: string; project?: string };
  env: Record<string, string>;
  checkContainers: boolean;
  maxRestarts: number;
  diskPaths: string[];
  maxDiskUsage: number;
  maxInodeUsage: number;
  checkLogs: boolean;
  errorPattern: RegExp;
  maxErrorLines: number;
  logWindowMs: number;
  backupDir?: string;
  /** s3://bucket/prefix checked with backup-db's freshness check (names with timestamps, .sha256 present). */
  backupStorage?: StorageConfig;
  /** Only backups of this database count (backup-storage). */
  backupDatabase?: string;
  maxBackupAgeMs: number;
  thresholds: Thresholds;
  healServices: string[];
  maintenanceUntil?: Date;
  maintenanceLabel: string;
  github: { apiUrl: string; repository: string; token: string };
  issueLabels: string[];
  runUrl?: string;
  lockPath?: string;
  lockTimeoutMs: number;
  commandTimeoutMs: number;
  notify: NotifyConfig;
  failOnDown: boolean;
}

/** The monitor probes a live site on a schedule: shorter waits than a post-deploy gate by default. */
const HEALTH_DEFAULTS: Record<string, string> = { deadline: '1m', period: '5s', timeout: '10s' };

export const MONITOR_NOTIFY_DEFAULT = ['incident-opened', 'incident-resolved', 'heal-failed'];

function percent(inputs: Inputs, name: string, fallback: number): number {
  const v = inputs.raw(name).replace(/%$/, '');
  if (!v) return fallback;
  if (!/^\d+(\.\d+)?$/.test(v) || Number(v) > 100)
    throw new InputError(name, `"${inputs.raw(name)}" is not a percentage like 90%`);
  return Number(v);
}

export function readMonitorConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): MonitorConfig {
  const urls = inputs.list('url');
  if (urls.length) inputs.headers('headers'); // masks each header value before anything prints
  const health = urls.length
    ? readHealthGateConfig(
        new Inputs((n) => (n === 'headers' ? inputs.secret(n) : inputs.raw(n)) || HEALTH_DEFAULTS[n] || ''),
      )
    : undefined;
  const hosts = inputs.list('hosts');
  const runOn = inputs.choice('run-on', ['ssh', 'local', 'none'] as const, hosts.length ? 'ssh' : 'none');
  if (runOn === 'ssh' && !hosts.length) throw new InputError('hosts', 'is required with run-on: ssh');
  const path = inputs.raw('path');
  if (path && (/(^|\/)\.\.(\/|$)/.test(path) || !path.startsWith('/')))
    throw new InputError('path', `"${path}" must be an absolute path without ..`);
  const onHost = runOn !== 'none';
  const project = inputs.raw('project-name') || undefined;
  const backupDir = inputs.raw('backup-dir') || undefined;
  if (backupDir && !backupDir.startsWith('/'))
    throw new InputError('backup-dir', `"${backupDir}" must be an absolute path on the host (run-on: ssh or local)`);
  if (backupDir && !onHost)
    throw new InputError('backup-dir', 'needs run-on: ssh or local (the directory is on the host)');
  const storageUrl = inputs.raw('backup-storage');
  const S3_SECRET = new Set(['s3-access-key-id', 's3-secret-access-key', 's3-session-token']);
  const backupStorage = storageUrl
    ? readOffsiteConfig(
        new Inputs((n) =>
          n === 'storage'
            ? storageUrl
            : n.startsWith('s3-')
              ? S3_SECRET.has(n)
                ? inputs.secret(n)
                : inputs.raw(n)
              : '',
        ),
        'backup',
        inputs.duration('command-timeout', '2m', { min: 1000 }),
        env,
      ).storage
    : undefined;
  const diskRaw = inputs.list('disk-paths');
  const diskPaths = !onHost || diskRaw.includes('none') ? [] : diskRaw.length ? diskRaw : ['/'];
  for (const p of diskPaths)
    if (!p.startsWith('/')) throw new InputError('disk-paths', `"${p}" must be an absolute path`);
  const checkContainers = onHost && inputs.boolean('check-containers', true);
  let errorPattern: RegExp;
  const pat = inputs.string('error-pattern', '\\b(ERROR|CRITICAL|FATAL)\\b|Traceback \\(most recent call last\\)');
  try {
    errorPattern = new RegExp(pat);
  } catch (e) {
    throw new InputError('error-pattern', (e as Error).message);
  }
  let maintenanceUntil: Date | undefined;
  const mu = inputs.raw('maintenance-until');
  if (mu) {
    maintenanceUntil = new Date(mu);
    if (Number.isNaN(maintenanceUntil.getTime()))
      throw new InputError('maintenance-until', `"${mu}" is not a date and time like 2026-12-01T06:00:00Z`);
  }
  const { runUrl, ...github } = readGitHubInputs(inputs, env, {
    needed: 'by the monitor (the incident issues keep the state)',
    tokenFix: 'pass ${{ github.token }} with `permissions: issues: write`',
  });
  const backend = assertServiceName(inputs.string('backend-service', 'web'), 'backend-service');
  const healServices = inputs.list('heal-services');
  for (const s of healServices) assertServiceName(s, 'heal-services');
  const name =
    inputs.raw('name') ||
    (urls[0] ? new URL(urls[0]).host : '') ||
    project ||
    (path ? path.split('/').filter(Boolean).pop() : '') ||
    'app';
  if (!/^[^\s/][^/]{0,60}$/.test(name))
    throw new InputError('name', `"${name}" must be 1-61 characters without / (it names the incident issues)`);
  const cfg: MonitorConfig = {
    name,
    health,
    runOn,
    compose: { files: inputs.list('compose-file'), cwd: path || undefined, project },
    env: inputs.env('env'),
    checkContainers,
    maxRestarts: inputs.integer('max-restarts', 3, { min: 0 }),
    diskPaths,
    maxDiskUsage: percent(inputs, 'max-disk-usage', 90),
    maxInodeUsage: percent(inputs, 'max-inode-usage', 90),
    checkLogs: checkContainers && inputs.boolean('check-logs', true),
    errorPattern,
    maxErrorLines: inputs.integer('max-error-lines', 10, { min: 0 }),
    logWindowMs: inputs.duration('log-window', '4h', { min: 1000 }),
    backupDir,
    backupStorage,
    backupDatabase: inputs.raw('backup-database') || undefined,
    maxBackupAgeMs: inputs.duration('max-backup-age', '26h', { min: 60_000 }),
    thresholds: {
      failuresToOpen: inputs.integer('failures-to-open', 3, { min: 1, max: 1000 }),
      successesToClose: inputs.integer('successes-to-close', 2, { min: 1, max: 1000 }),
      restartAfter: inputs.integer('restart-after', 0, { min: 0, max: 1000 }),
    },
    healServices: healServices.length ? healServices : [backend],
    maintenanceUntil,
    maintenanceLabel: inputs.string('maintenance-label', 'maintenance'),
    github,
    issueLabels: inputs.list('issue-labels').length ? inputs.list('issue-labels') : ['incident'],
    runUrl,
    lockPath: inputs.raw('lock-path') || path || undefined,
    lockTimeoutMs: inputs.duration('lock-timeout', '2m'),
    commandTimeoutMs: inputs.duration('command-timeout', '2m', { min: 1000 }),
    notify: readNotifyConfig(inputs, MONITOR_NOTIFY_DEFAULT),
    failOnDown: inputs.boolean('fail-on-down', false),
  };
  if (cfg.issueLabels.includes(cfg.maintenanceLabel))
    throw new InputError(
      'issue-labels',
      `must not include the maintenance label "${cfg.maintenanceLabel}" (it would suppress itself)`,
    );
  if (cfg.thresholds.restartAfter > 0 && !onHost)
    throw new InputError('restart-after', 'needs run-on: ssh or local (healing restarts containers on the host)');
  if (!health && !onHost && !backupStorage)
    throw new InputError(
      'url',
      'is required when run-on is none (nothing else to check); or set hosts for the host checks',
    );
  if (cfg.thresholds.restartAfter > 0 && !cfg.lockPath)
    throw new InputError(
      'path',
      'is required with restart-after (a heal takes the deploy lock under it; or set lock-path)',
    );
  if (onHost && (checkContainers || cfg.thresholds.restartAfter > 0) && !path && !project)
    throw new InputError(
      'path',
      'is required for the container checks (the compose project directory), or set check-containers: false',
    );
  return cfg;
}
