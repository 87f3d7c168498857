import type { Command } from '../../lib/command.js';
import { composeCommand, type ComposeProject } from '../../lib/compose.js';
import { InputError } from '../../lib/errors.js';

/** What an operator can ask for by hand (workflow_dispatch) or a monitor can trigger. */
export const OPERATIONS = [
  'status',
  'logs',
  'restart-all',
  'restart-service',
  'restart-backend',
  'restart-db',
  'heal',
  'update',
  'migrate',
  'collectstatic',
  'clean-docker',
] as const;
export type Operation = (typeof OPERATIONS)[number];

export interface MaintenanceSettings {
  compose: Omit<ComposeProject, 'flavor'>;
  backendService: string;
  dbService: string;
  /** For restart-service and logs (logs: empty = all services). */
  service?: string;
  logLines: number;
  /** `docker compose logs --since` value, e.g. 1h. */
  logSince?: string;
  /** Interpreter inside the backend container for manage.py. */
  python: string;
  /** Image age kept by clean-docker (images unused and older than this are pruned), in hours. */
  pruneOlderThanHours: number;
}

const SERVICE_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/;

export function assertServiceName(name: string, input: string): string {
  if (!SERVICE_RE.test(name)) throw new InputError(input, `"${name}" is not a compose service name`);
  return name;
}

/** Container ids of every service of the project, running or not. */
export function listContainers(p: ComposeProject): Command {
  return composeCommand(p, ['ps', '-a', '-q'], { label: 'compose ps' });
}

/** One JSON object per container: name, service, state, health, restart count. */
export function inspectContainers(ids: readonly string[]): Command {
  return {
    argv: [
      'docker',
      'inspect',
      '--format',
      '{"id":{{json .Id}},"name":{{json .Name}},"labels":{{json .Config.Labels}},"state":{{json .State}},"restarts":{{.RestartCount}}}',
      ...ids,
    ],
    label: 'docker inspect',
  };
}

export function resourceFigures(ids: readonly string[]): Command {
  return {
    argv: ['docker', 'stats', '--no-stream', '--format', '{{json .}}', ...ids],
    label: 'docker stats',
  };
}

/** The commands an operation runs, in order, for a project whose compose flavor is known. */
export function operationCommands(
  op: Exclude<Operation, 'status' | 'heal'>,
  p: ComposeProject,
  s: MaintenanceSettings,
): Command[] {
  const manage = (args: string[], label: string): Command =>
    composeCommand(p, ['exec', '-T', s.backendService, s.python, 'manage.py', ...args], { label });
  switch (op) {
    case 'logs': {
      const args = ['logs', '--no-color', '--tail', String(s.logLines)];
      if (s.logSince) args.push('--since', s.logSince);
      if (s.service) args.push(s.service);
      return [composeCommand(p, args, { label: `logs ${s.service ?? '(all)'}` })];
    }
    case 'restart-all':
      return [composeCommand(p, ['restart'], { label: 'restart all services' })];
    case 'restart-service':
      if (!s.service) throw new InputError('service', 'is required for restart-service');
      return [composeCommand(p, ['restart', s.service], { label: `restart ${s.service}` })];
    case 'restart-backend':
      return [composeCommand(p, ['restart', s.backendService], { label: `restart ${s.backendService}` })];
    case 'restart-db':
      return [composeCommand(p, ['restart', s.dbService], { label: `restart ${s.dbService}` })];
    case 'migrate':
      return [manage(['migrate', '--noinput'], 'manage.py migrate')];
    case 'collectstatic':
      return [manage(['collectstatic', '--noinput'], 'manage.py collectstatic')];
    case 'update': {
      // Pull first so a missing image or a refused login fails before any container is replaced; then
      // recreate only what changed. Never build on the server: the pipeline pins images (e.g. by digest).
      const only = s.service ? [s.service] : [];
      return [
        composeCommand(p, ['pull', ...only], { label: `pull ${s.service ?? '(all)'}` }),
        composeCommand(p, ['up', '-d', '--no-build', '--remove-orphans', ...only], {
          label: `up ${s.service ?? '(all)'}`,
        }),
      ];
    }
    case 'clean-docker':
      // Never volumes: data lives there. Only stopped containers, dangling/old unused images, build cache.
      return [
        { argv: ['docker', 'container', 'prune', '-f'], label: 'prune stopped containers' },
        {
          argv: ['docker', 'image', 'prune', '-a', '-f', '--filter', `until=${s.pruneOlderThanHours}h`],
          label: `prune unused images older than ${s.pruneOlderThanHours}h`,
        },
        {
          argv: ['docker', 'builder', 'prune', '-f', '--filter', `until=${s.pruneOlderThanHours}h`],
          label: 'prune build cache',
        },
        { argv: ['docker', 'system', 'df'], label: 'disk usage' },
      ];
  }
}

/** Bring back services whose containers stopped (the monitor's "restart what stopped"). */
export function startServices(p: ComposeProject, services: readonly string[]): Command {
  return composeCommand(p, ['up', '-d', '--no-recreate', '--no-build', ...services], {
    label: `start ${services.join(', ')}`,
  });
}
