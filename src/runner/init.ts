/**
 * `deploy-kit init`: writes starter workflows into an app repository that call deploy-kit's reusable
 * workflows (pipeline, monitor, maintenance, backup), and a checklist of the secrets, variables and
 * environments to create. It asks on a terminal, or takes flags; it never overwrites a file without --force.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

export type InitTarget = 'releases' | 'compose';
export type InitFramework = 'django' | 'fastapi';

export interface InitOptions {
  target: InitTarget;
  framework: InitFramework;
  healthPath: string;
  /** Deploy path on the servers. */
  path: string;
  /** `owner/deploy-kit` the workflows are called from. */
  repo: string;
  ref: string;
  /** compose: image name without tag. */
  image: string;
  /** releases: command that restarts the app after the switch. */
  restart: string;
  /** releases: the interpreter on the server. */
  python: string;
  /** How long each health gate may wait for the app. */
  healthDeadline: string;
  /** Database engine for backups (`none` to skip). */
  database: 'postgres' | 'mysql' | 'mariadb' | 'sqlite' | 'none';
}

export const INIT_USAGE = `usage: deploy-kit init [--target releases|compose] [--framework django|fastapi] [options]

Writes .github/workflows/{deploy,monitor,backup}.yml (and maintenance.yml for compose) that call
deploy-kit's reusable workflows, plus DEPLOY-CHECKLIST.md: the secrets, variables and environments to create.
On a terminal it asks for what the flags leave out.

  --target <t>          releases (rsync releases over SSH) or compose (Docker Compose over SSH)
  --framework <f>       django (migrate + collectstatic) or fastapi (alembic upgrade head)
  --health-path <p>     health endpoint (default /healthz for django, /health for fastapi)
  --path <dir>          deploy path on the servers (default /srv/<repository name>)
  --health-deadline <d> how long each gate waits for the app (default 3m)
  --database <engine>   postgres (default), mysql, mariadb, sqlite or none: pre-update and scheduled backups
  --image <name>        compose: image without tag (default ghcr.io/<owner>/<repository name>)
  --restart <command>   releases: restart the app after the switch (default: sudo systemctl restart <name>)
  --python <path>       releases: Python on the servers (default <path>/venv/bin/python)
  --repo <owner/name>   where deploy-kit is called from (default org/deploy-kit)
  --ref <ref>           its version (default v1)
  --dir <dir>           the app repository (default .)
  --force               overwrite existing files`;

const q = (s: string): string => JSON.stringify(s);

function callPrefix(o: InitOptions): string {
  return `${o.repo}/.github/workflows`;
}

export function renderDeploy(o: InitOptions): string {
  const preset = o.framework === 'django' ? 'django' : 'alembic';
  const common = [
    `      target: ${o.target}`,
    `      path: ${q(o.path)}`,
    '      staging-hosts: ${{ vars.STAGING_HOSTS }}',
    `      staging-url: \${{ vars.STAGING_URL }}${o.healthPath}`,
    '      production-hosts: ${{ vars.PRODUCTION_HOSTS }}',
    `      production-url: \${{ vars.PRODUCTION_URL }}${o.healthPath}`,
    `      preset: ${preset}`,
    `      backup: ${o.database}`,
    `      health-deadline: ${o.healthDeadline}`,
  ];
  const perTarget =
    o.target === 'releases'
      ? [
          `      python: ${q(o.python)}`,
          `      after-activate: ${q(o.restart)}`,
          '      exclude: |',
          '        .git',
          '        .github',
          ...(o.database === 'sqlite' ? [`      backup-database: ${q(`${o.path}/shared/db.sqlite3`)}`] : []),
        ]
      : [`      image: ${q(o.image)}`, '      release-service: web', '      backup-service: db'];
  return `# Written by deploy-kit init: build/test → staging → (approval) → production.
# Secrets and variables to create: DEPLOY-CHECKLIST.md.
name: deploy

on:
  push:
    branches: [main]
  workflow_dispatch:

# What the reusable pipeline's jobs need (a called workflow can only lower these).
permissions:
  contents: read
  packages: write
  deployments: write

jobs:
  pipeline:
    uses: ${callPrefix(o)}/pipeline.yml@${o.ref}
    with:
${[...common, ...perTarget].join('\n')}
    # Each environment's SSH_PRIVATE_KEY, KNOWN_HOSTS, APP_ENV, DATABASE_URL stay behind its protection rules.
    secrets: inherit
`;
}

export function renderMonitor(o: InitOptions): string {
  const heal =
    o.target === 'compose'
      ? `      heal: heal
      hosts: \${{ vars.PRODUCTION_HOSTS }}
      path: ${q(o.path)}`
      : '      heal: none';
  return `# Written by deploy-kit init: checks production every 4 hours (smoke load, p95, error rate, TLS).
# GitHub's cron can start late or be skipped under load: keep an external heartbeat as well.
name: monitor

on:
  schedule:
    - cron: '17 */4 * * *'
  workflow_dispatch:

permissions:
  contents: read

jobs:
  monitor:
    uses: ${callPrefix(o)}/health-monitor.yml@${o.ref}
    with:
      urls: \${{ vars.PRODUCTION_URL }}${o.healthPath}
      min-tls-days: '14' # the certificate must have 14 days left (drop this line for a plain-http URL)
${heal}
    secrets: inherit
`;
}

export function renderMaintenance(o: InitOptions): string {
  return `# Written by deploy-kit init: manual operations on the compose app, behind the environment's rules.
name: maintenance

on:
  workflow_dispatch:
    inputs:
      command:
        description: What to run
        type: choice
        options: [status, logs, restart-backend, restart-db, restart-all, heal, migrate, collectstatic, clean-docker]
      environment:
        description: Where
        type: choice
        options: [staging, production]
        default: production

permissions:
  contents: read

jobs:
  maintenance:
    uses: ${callPrefix(o)}/maintenance.yml@${o.ref}
    with:
      command: \${{ inputs.command }}
      environment: \${{ inputs.environment }}
      hosts: \${{ inputs.environment == 'staging' && vars.STAGING_HOSTS || vars.PRODUCTION_HOSTS }}
      path: ${q(o.path)}
    secrets: inherit
`;
}

export function renderBackup(o: InitOptions): string {
  const db =
    o.target === 'compose'
      ? '      compose-service: db'
      : o.database === 'sqlite'
        ? `      database: ${q(`${o.path}/shared/db.sqlite3`)}`
        : '';
  return `# Written by deploy-kit init: a verified backup of production's database every night, kept on the host.
name: backup

on:
  schedule:
    - cron: '41 3 * * *'
  workflow_dispatch:

permissions:
  contents: read

jobs:
  backup:
    uses: ${callPrefix(o)}/backup.yml@${o.ref}
    with:
      environment: production
      engine: ${o.database}
      host: \${{ vars.PRODUCTION_DB_HOST }}
      remote-dir: ${q(`${o.path}/backups`)}
${db ? `${db}\n` : ''}    secrets: inherit
`;
}

export function renderChecklist(o: InitOptions): string {
  const lines = [
    '# deploy-kit: what to create before the first run',
    '',
    'Settings → Environments: create **staging** and **production**. Protect production with required',
    'reviewers: the pipeline waits there for an approval before it promotes and deploys.',
    '',
    '## Secrets, in each environment (staging and production have their own)',
    '',
    '| secret | what |',
    '| --- | --- |',
    "| `SSH_PRIVATE_KEY` | the deploy key of that environment's hosts (`ssh-keygen -t ed25519`; public half in the deploy user's `authorized_keys`) |",
    '| `KNOWN_HOSTS` | `ssh-keyscan -p <port> <host>` output, taken from a machine you trust (host keys are checked, never skipped) |',
    '| `APP_ENV` | secret `KEY=value` lines the release phase needs (e.g. `DATABASE_URL=…`, `SECRET_KEY=…`) |',
  ];
  if (o.database !== 'none' && o.database !== 'sqlite' && o.target === 'releases')
    lines.push(
      '| `DATABASE_URL` | the database as seen from the host, for backups (`postgres://user:pw@127.0.0.1/app`) |',
    );
  if (o.target === 'compose')
    lines.push('| `REGISTRY_PASSWORD` | a token that can push `' + o.image + '` (for ghcr.io: `GITHUB_TOKEN` works) |');
  lines.push(
    '',
    '## Variables (Settings → Secrets and variables → Actions → Variables)',
    '',
    '| variable | example |',
    '| --- | --- |',
    '| `STAGING_HOSTS` | `deploy@staging.example.com` (several: one per line) |',
    '| `STAGING_URL` | `https://staging.example.com` (the health path is appended) |',
    '| `PRODUCTION_HOSTS` | `deploy@203.0.113.10` |',
    '| `PRODUCTION_URL` | `https://example.com` |',
  );
  if (o.database !== 'none') lines.push('| `PRODUCTION_DB_HOST` | the one host the nightly backup runs on |');
  lines.push(
    '',
    '## Try it locally first',
    '',
    '```sh',
    'node <deploy-kit>/bin/deploy-kit.js workflow run .github/workflows/deploy.yml --event workflow_dispatch \\',
    '  --var STAGING_HOSTS=… --var STAGING_URL=… --var PRODUCTION_HOSTS=… --var PRODUCTION_URL=… \\',
    '  --secret-file .secrets --approve staging   # production asks on the terminal',
    '```',
    '',
    '`.secrets` holds `staging:SSH_PRIVATE_KEY<<EOF` … `EOF` blocks (keep it out of git).',
    '',
  );
  return lines.join('\n');
}

export function renderAll(o: InitOptions): Record<string, string> {
  const files: Record<string, string> = {
    '.github/workflows/deploy.yml': renderDeploy(o),
    '.github/workflows/monitor.yml': renderMonitor(o),
    'DEPLOY-CHECKLIST.md': renderChecklist(o),
  };
  if (o.database !== 'none') files['.github/workflows/backup.yml'] = renderBackup(o);
  if (o.target === 'compose') files['.github/workflows/maintenance.yml'] = renderMaintenance(o);
  return files;
}

type Ask = (question: string, fallback: string) => Promise<string>;

export async function initOptions(
  flags: Record<string, string>,
  dir: string,
  ask: Ask | undefined,
): Promise<InitOptions> {
  const name = basename(resolve(dir)).replace(/[^A-Za-z0-9_.-]/g, '-') || 'app';
  const get = async (key: string, question: string, fallback: string | undefined): Promise<string> => {
    if (flags[key] !== undefined) return flags[key]!;
    if (ask) return ask(question, fallback ?? '');
    if (fallback !== undefined) return fallback;
    throw new Error(`--${key} is required when not on a terminal\n${INIT_USAGE}`);
  };
  const target = await get(
    'target',
    'Target: releases (rsync over SSH) or compose (Docker Compose over SSH)',
    undefined,
  );
  if (target !== 'releases' && target !== 'compose')
    throw new Error(`--target must be releases or compose, got "${target}"`);
  const framework = await get('framework', 'Framework: django or fastapi', undefined);
  if (framework !== 'django' && framework !== 'fastapi')
    throw new Error(`--framework must be django or fastapi, got "${framework}"`);
  const healthPath = await get('health-path', 'Health path', framework === 'django' ? '/healthz' : '/health');
  if (!/^\/[A-Za-z0-9/_.~-]*$/.test(healthPath)) throw new Error(`--health-path must be a path like /healthz`);
  const path = await get('path', 'Deploy path on the servers', `/srv/${name}`);
  if (!/^\/[A-Za-z0-9/_.-]+$/.test(path)) throw new Error(`--path must be an absolute path, got "${path}"`);
  const database = await get('database', 'Database to back up (postgres, mysql, mariadb, sqlite, none)', 'postgres');
  if (!['postgres', 'mysql', 'mariadb', 'sqlite', 'none'].includes(database))
    throw new Error(`--database must be postgres, mysql, mariadb, sqlite or none, got "${database}"`);
  const repo = flags.repo ?? 'org/deploy-kit';
  if (!/^[A-Za-z0-9_.-]+\/deploy-kit$/.test(repo)) throw new Error(`--repo must be <owner>/deploy-kit, got "${repo}"`);
  if (flags['health-deadline'] !== undefined && !/^\d+(ms|s|m|h)?$/.test(flags['health-deadline']))
    throw new Error(`--health-deadline must be a duration like 90s or 3m`);
  const ref = flags.ref ?? 'v1';
  if (!/^[A-Za-z0-9_./-]+$/.test(ref)) throw new Error(`--ref "${ref}" is not a git ref`);
  const o: InitOptions = {
    target,
    framework,
    healthPath,
    path,
    repo,
    ref,
    database: database as InitOptions['database'],
    healthDeadline: flags['health-deadline'] ?? '3m',
    image: '',
    restart: '',
    python: '',
  };
  if (target === 'compose') o.image = await get('image', 'Image (registry/name, no tag)', `ghcr.io/acme/${name}`);
  else {
    o.restart = await get(
      'restart',
      'Command that restarts the app after the switch',
      `sudo systemctl restart ${name}`,
    );
    o.python = await get('python', 'Python on the servers', `${path}/venv/bin/python`);
  }
  return o;
}

export function parseInitFlags(argv: readonly string[]): {
  flags: Record<string, string>;
  dir: string;
  force: boolean;
} {
  const flags: Record<string, string> = {};
  let dir = '.';
  let force = false;
  const known = [
    'health-deadline',
    'target',
    'framework',
    'health-path',
    'path',
    'database',
    'image',
    'restart',
    'python',
    'repo',
    'ref',
    'dir',
  ];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--force') {
      force = true;
      continue;
    }
    if (a === '--help' || a === '-h') throw new Error(INIT_USAGE);
    const m = /^--([a-z-]+)(?:=(.*))?$/s.exec(a);
    if (!m || !known.includes(m[1]!)) throw new Error(`unknown argument "${a}"\n${INIT_USAGE}`);
    const value = m[2] ?? argv[++i];
    if (value === undefined) throw new Error(`--${m[1]} needs a value`);
    if (m[1] === 'dir') dir = value;
    else flags[m[1]!] = value;
  }
  return { flags, dir, force };
}

/** Writes the files; refuses (before writing anything) when one exists and force is off. */
export function writeInit(dir: string, files: Record<string, string>, force: boolean): string[] {
  const existing = Object.keys(files).filter((f) => existsSync(join(dir, f)));
  if (existing.length && !force)
    throw new Error(
      `${existing.join(', ')} already exist${existing.length === 1 ? 's' : ''} in ${dir}: pass --force to overwrite`,
    );
  for (const [f, content] of Object.entries(files)) {
    mkdirSync(join(dir, f, '..'), { recursive: true });
    writeFileSync(join(dir, f), content);
  }
  return Object.keys(files);
}

export async function initMain(argv: readonly string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseInitFlags(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const rl = process.stdin.isTTY ? createInterface({ input: process.stdin, output: process.stdout }) : undefined;
  const ask: Ask | undefined = rl
    ? async (question, fallback) =>
        (await rl.question(`${question}${fallback ? ` [${fallback}]` : ''}: `)).trim() || fallback
    : undefined;
  try {
    const o = await initOptions(parsed.flags, parsed.dir, ask);
    const written = writeInit(parsed.dir, renderAll(o), parsed.force);
    process.stdout.write(`wrote ${written.join(', ')} in ${resolve(parsed.dir)}\nnext: follow DEPLOY-CHECKLIST.md\n`);
    return 0;
  } catch (e) {
    process.stderr.write(`deploy-kit init: ${(e as Error).message}\n`);
    return 2;
  } finally {
    rl?.close();
  }
}
