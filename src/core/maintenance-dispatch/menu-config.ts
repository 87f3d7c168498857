/** Inputs of the menu operations (menu.ts), read only for the operation asked for. */
import { readFileSync } from 'node:fs';
import { InputError } from '../../lib/errors.js';
import { Inputs } from '../../lib/inputs.js';
import { readBackupConfig, urlSecrets } from '../backup-db/config.js';
import { allowed, splitCommandLine, type MenuOperation, type MenuSettings } from './menu-operations.js';
import { assertServiceName } from './operations.js';

const BACKUP_PASSTHROUGH = [
  'engine',
  'database',
  'output-dir',
  'remote-dir',
  'compression',
  'keep',
  'keep-daily',
  'keep-weekly',
  'keep-monthly',
  'retention-dry-run',
  'verify',
  'restore-from',
  'confirm',
  'min-size-bytes',
  'hosts',
];

function words(line: string, input: string): string[] {
  try {
    return splitCommandLine(line);
  } catch (e) {
    throw new InputError(input, (e as Error).message);
  }
}

export interface MenuInputs {
  settings: MenuSettings;
  /** Values to mask besides those the inputs masked (the database password inside database-url). */
  secrets: string[];
}

/**
 * Reads what `op` needs. `base` is the maintenance config already read (compose project, env, timeouts).
 * backup-db/restore-db go through backup-db's own config reader, fed from this action's inputs, so both
 * actions accept the same values and give the same errors.
 */
export function readMenuInputs(
  inputs: Inputs,
  op: MenuOperation,
  base: {
    runOn: 'ssh' | 'local';
    compose: MenuSettings['compose'];
    backendService: string;
    dbService: string;
    env: Record<string, string>;
    timeoutMs: number;
    idleTimeoutMs: number;
  },
  env: NodeJS.ProcessEnv = process.env,
): MenuInputs {
  const path = base.compose.cwd;
  const lockBase = inputs.raw('lock-path') || path;
  if (!lockBase) throw new InputError('path', `is required for ${op} (the deploy lock lives in <path>/.deploy-kit/)`);
  if (!lockBase.startsWith('/') || /(^|\/)\.\.(\/|$)/.test(lockBase))
    throw new InputError(
      inputs.raw('lock-path') ? 'lock-path' : 'path',
      `"${lockBase}" must be an absolute path without ..`,
    );
  const runUrl =
    env.GITHUB_SERVER_URL && env.GITHUB_REPOSITORY && env.GITHUB_RUN_ID
      ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
      : '';
  const secrets: string[] = [];

  let until = '';
  if (op === 'maintenance-on') {
    const raw = inputs.raw('maintenance-until');
    if (raw) {
      const d = new Date(raw);
      if (Number.isNaN(d.getTime()))
        throw new InputError('maintenance-until', `"${raw}" is not a date and time like 2026-12-01T06:00:00Z`);
      if (d.getTime() <= Date.now()) throw new InputError('maintenance-until', `${raw} is in the past`);
      until = d.toISOString();
    } else {
      const ms = inputs.duration('maintenance-duration', '1h', { min: 60_000 });
      if (ms > 7 * 86_400_000)
        throw new InputError('maintenance-duration', 'at most 7 days (a forgotten window must end)');
      until = new Date(Date.now() + ms).toISOString();
    }
  }
  let page: string | undefined;
  const pageFile = inputs.raw('maintenance-page');
  if (op === 'maintenance-on' && pageFile) {
    try {
      page = readFileSync(pageFile, 'utf8');
    } catch (e) {
      throw new InputError('maintenance-page', `cannot read ${pageFile} on the runner: ${(e as Error).message}`);
    }
  }

  const allow = inputs.lines('exec-allow').map((l) => words(l, 'exec-allow'));
  const argv = op === 'exec' ? words(inputs.raw('exec-command'), 'exec-command') : [];
  if (op === 'exec' && !allow.length)
    throw new InputError('exec-allow', 'is empty: list the command lines exec may run, one per line');
  if (op === 'exec' && argv.length && !allowed(argv, allow))
    throw new InputError(
      'exec-command',
      `"${argv.join(' ')}" is not in exec-allow (add the exact command line there; a last word * allows further arguments)`,
    );

  let backup: MenuSettings['backup'];
  if (op === 'backup-db' || op === 'restore-db') {
    const url = inputs.secret('database-url');
    secrets.push(...urlSecrets(url));
    const files = inputs.list('compose-file');
    const absFiles = (files.length ? files : ['docker-compose.yml']).map((f) =>
      f.startsWith('/') || !path ? f : `${path}/${f}`,
    );
    const onHost = inputs.boolean('backup-on-host', false);
    const mapped: Record<string, string> = {
      mode: op === 'backup-db' ? 'backup' : 'restore',
      'run-on': base.runOn,
      'database-url': url,
      timeout: inputs.string('backup-timeout', '6h'),
      ...(onHost
        ? {}
        : {
            'compose-service': base.dbService,
            'compose-file': absFiles.join('\n'),
            'compose-project': base.compose.project ?? '',
            'docker-host': base.env.DOCKER_HOST ?? '',
          }),
    };
    for (const n of BACKUP_PASSTHROUGH) if (!(n in mapped)) mapped[n] = inputs.raw(n);
    backup = readBackupConfig(new Inputs((n) => mapped[n] ?? ''));
  }

  const to = inputs.string('rollback-to', 'previous');
  if (to !== 'previous' && !/^[A-Za-z0-9][A-Za-z0-9._:@-]{0,199}$/.test(to))
    throw new InputError('rollback-to', `"${to}" is not a release id (or previous)`);
  const imageVariable = inputs.string('image-variable', 'APP_IMAGE');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(imageVariable))
    throw new InputError('image-variable', `"${imageVariable}" is not a variable name`);

  return {
    secrets,
    settings: {
      compose: base.compose,
      base: lockBase,
      lockTimeoutMs: inputs.duration('lock-timeout', '5m'),
      owner: runUrl,
      confirm: inputs.raw('confirm'),
      maintenance: {
        until,
        message: inputs.string('maintenance-message', 'We are doing some maintenance and will be back shortly.'),
        ...(page !== undefined ? { page } : {}),
        by: runUrl || 'maintenance-dispatch',
      },
      exec: {
        argv,
        allow,
        service: assertServiceName(inputs.string('exec-service', base.backendService), 'exec-service'),
      },
      rollback: { to, imageVariable },
      ...(backup ? { backup } : {}),
      ...(backup && backup.composeService && !inputs.list('compose-file').length && path
        ? { backupComposeDir: path }
        : {}),
      env: base.env,
      timeoutMs: base.timeoutMs,
      idleTimeoutMs: base.idleTimeoutMs,
    },
  };
}
