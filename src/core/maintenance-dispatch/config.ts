import { InputError, type Inputs } from '../../lib/inputs.js';
import { readNotifyConfig, type NotifyConfig } from '../../lib/notify/index.js';
import type { HostLockSettings } from './host-lock.js';
import { isMenuOperation, MENU_OPERATIONS, type MenuOperation } from './menu-operations.js';
import { readMenuInputs, type MenuInputs } from './menu-config.js';
import { assertServiceName, OPERATIONS, type MaintenanceSettings, type Operation } from './operations.js';

/** Every command the action takes: the compose operations and the menu operations (menu.ts). */
const ALL_OPERATIONS: readonly string[] = [...OPERATIONS, ...MENU_OPERATIONS];

export interface MaintenanceConfig {
  operation: Operation | MenuOperation;
  /** Set for a menu operation (backup-db, restore-db, rollback, maintenance-on/-off, exec). */
  menu?: MenuInputs;
  notify: NotifyConfig;
  /** The deploy lock the changing compose operations take (host-lock.ts). */
  lock: HostLockSettings;
  runOn: 'ssh' | 'local';
  settings: MaintenanceSettings;
  env: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  failOnDown: boolean;
}

export function readMaintenanceConfig(inputs: Inputs): MaintenanceConfig {
  const operation = inputs.raw('command') as Operation | MenuOperation;
  if (!operation) throw new InputError('command', `is required: one of ${ALL_OPERATIONS.join(', ')}`);
  if (!ALL_OPERATIONS.includes(operation))
    throw new InputError('command', `"${operation}" is not one of ${ALL_OPERATIONS.join(', ')}`);
  const service = inputs.raw('service') || undefined;
  if (service) assertServiceName(service, 'service');
  if (operation === 'restart-service' && !service) throw new InputError('service', 'is required for restart-service');
  const path = inputs.raw('path');
  if (path && (/(^|\/)\.\.(\/|$)/.test(path) || path.includes('\0')))
    throw new InputError('path', `"${path}" must not contain ..`);
  const since = inputs.raw('log-since');
  if (since && !isLogSince(since))
    throw new InputError(
      'log-since',
      `"${since.slice(0, 60)}" is not a time docker understands: a duration (30m, 2h, 1h30m), a Unix time (1706659200) or a date/time (2024-01-31, 2024-01-31T13:45:00Z)`,
    );
  const project = inputs.raw('project-name') || undefined;
  if (project !== undefined && !/^[a-z0-9][a-z0-9_-]{0,62}$/.test(project))
    throw new InputError(
      'project-name',
      `"${project.slice(0, 60)}" is not a compose project name (lower-case letters, digits, _ and -, starting with a letter or digit)`,
    );
  const cfg: MaintenanceConfig = {
    operation,
    notify: readNotifyConfig(inputs, ['maintenance-failed', 'backup-failed']),
    lock: {
      base: lockBase(inputs.raw('lock-path')) ?? (path || undefined),
      timeoutMs: inputs.duration('lock-timeout', '5m'),
      owner:
        process.env.GITHUB_SERVER_URL && process.env.GITHUB_REPOSITORY && process.env.GITHUB_RUN_ID
          ? `${process.env.GITHUB_SERVER_URL}/${process.env.GITHUB_REPOSITORY}/actions/runs/${process.env.GITHUB_RUN_ID}`
          : '',
    },
    runOn: inputs.choice('run-on', ['ssh', 'local'], 'ssh'),
    settings: {
      compose: {
        files: inputs.list('compose-file'),
        cwd: path || undefined,
        project,
      },
      backendService: assertServiceName(inputs.string('backend-service', 'web'), 'backend-service'),
      dbService: assertServiceName(inputs.string('db-service', 'db'), 'db-service'),
      service,
      logLines: inputs.integer('log-lines', 200, { min: 1, max: 100_000 }),
      logSince: since || undefined,
      python: inputs.string('python', 'python'),
      pruneOlderThanHours: inputs.integer('prune-older-than-hours', 168, { min: 0 }),
    },
    env: inputs.env('env'),
    timeoutMs: inputs.duration('command-timeout', '10m', { min: 1000 }),
    idleTimeoutMs: inputs.duration('idle-timeout', '5m'),
    failOnDown: inputs.boolean('fail-on-down', true),
  };
  if (isMenuOperation(operation))
    cfg.menu = readMenuInputs(inputs, operation, {
      runOn: cfg.runOn,
      compose: cfg.settings.compose,
      backendService: cfg.settings.backendService,
      dbService: cfg.settings.dbService,
      env: cfg.env,
      timeoutMs: cfg.timeoutMs,
      idleTimeoutMs: cfg.idleTimeoutMs,
    });
  return cfg;
}

/**
 * What `docker compose logs --since` accepts, checked whole (not by prefix): a Go duration in h/m/s/ms
 * (`90m`, `1h30m`, `2.5h`), a Unix time in seconds (optionally with a fraction), or a calendar date or
 * date-time (`2024-01-31`, `2024-01-31T13:45`, `…:00`, `….123`, `Z` or `±hh:mm`) that is a real date.
 */
export function isLogSince(text: string): boolean {
  if (text.length > 40) return false;
  if (/^(?:\d+(?:\.\d+)?(?:ms|h|m|s))+$/.test(text)) return true;
  if (/^\d{1,12}(?:\.\d{1,9})?$/.test(text)) return true;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2})?)?$/.exec(
    text,
  );
  if (!m) return false;
  const [y, mo, d, h = '0', mi = '0', sec = '0'] = m.slice(1).map((x) => x ?? '0');
  const date = new Date(Date.UTC(+y!, +mo! - 1, +d!));
  return (
    date.getUTCFullYear() === +y! &&
    date.getUTCMonth() === +mo! - 1 &&
    date.getUTCDate() === +d! &&
    +h <= 23 &&
    +mi <= 59 &&
    +sec <= 59
  );
}

function lockBase(dir: string): string | undefined {
  if (!dir) return undefined;
  if (!dir.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(dir))
    throw new InputError('lock-path', `"${dir}" must be an absolute path without .. (the deploy lock lives under it)`);
  return dir;
}
