import { InputError, type Inputs } from '../../lib/inputs.js';
import { assertServiceName, OPERATIONS, type MaintenanceSettings, type Operation } from './operations.js';

export interface MaintenanceConfig {
  operation: Operation;
  runOn: 'ssh' | 'local';
  settings: MaintenanceSettings;
  env: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
  failOnDown: boolean;
}

export function readMaintenanceConfig(inputs: Inputs): MaintenanceConfig {
  const operation = inputs.raw('command') as Operation;
  if (!operation) throw new InputError('command', `is required: one of ${OPERATIONS.join(', ')}`);
  if (!OPERATIONS.includes(operation))
    throw new InputError('command', `"${operation}" is not one of ${OPERATIONS.join(', ')}`);
  const service = inputs.raw('service') || undefined;
  if (service) assertServiceName(service, 'service');
  if (operation === 'restart-service' && !service) throw new InputError('service', 'is required for restart-service');
  const path = inputs.raw('path');
  if (path && (/(^|\/)\.\.(\/|$)/.test(path) || path.includes('\0')))
    throw new InputError('path', `"${path}" must not contain ..`);
  const since = inputs.raw('log-since');
  if (since && !/^[0-9]+[smhd]?$|^\d{4}-\d{2}-\d{2}/.test(since))
    throw new InputError('log-since', `"${since}" is not like 30m, 2h or 2024-01-31`);
  return {
    operation,
    runOn: inputs.choice('run-on', ['ssh', 'local'], 'ssh'),
    settings: {
      compose: {
        files: inputs.list('compose-file'),
        cwd: path || undefined,
        project: inputs.raw('project-name') || undefined,
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
}
