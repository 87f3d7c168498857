/**
 * `deploy-kit init`: writes starter workflows into an app repository that call deploy-kit's reusable
 * workflows (pipeline, monitor, maintenance, backup), and a checklist of the secrets, variables and
 * environments to create. It asks on a terminal, or takes flags; it never overwrites a file without --force.
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';

export const PAAS_TARGETS = ['heroku', 'render', 'digitalocean', 'railway', 'azure'] as const;
export type PaasTarget = (typeof PAAS_TARGETS)[number];
export type InitTarget = 'releases' | 'compose' | PaasTarget;
const TARGETS: readonly string[] = ['releases', 'compose', ...PAAS_TARGETS];

export function isPaas(t: InitTarget): t is PaasTarget {
  return (PAAS_TARGETS as readonly string[]).includes(t);
}
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
  /** compose and the image PaaS targets: image name without tag. */
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

export const INIT_USAGE = `usage: deploy-kit init [--target ${TARGETS.join('|')}] [--framework django|fastapi] [options]

Writes .github/workflows/{deploy,monitor,backup}.yml (and maintenance.yml for compose; deploy and monitor for
the PaaS targets) that call deploy-kit's reusable workflows, plus DEPLOY-CHECKLIST.md: the secrets, variables
and environments to create. On a terminal it asks for what the flags leave out.

  --target <t>          releases (rsync releases over SSH), compose (Docker Compose over SSH), or a PaaS:
                        heroku, render, digitalocean, railway, azure (paas-pipeline.yml)
  --framework <f>       django (migrate + collectstatic) or fastapi (alembic upgrade head)
  --health-path <p>     health endpoint (default /healthz for django, /health for fastapi)
  --path <dir>          deploy path on the servers (default /srv/<repository name>; not for PaaS)
  --health-deadline <d> how long each gate waits for the app (default 3m)
  --database <engine>   postgres (default), mysql, mariadb, sqlite or none: pre-update and scheduled backups
                        (not for PaaS: the provider's managed database keeps its own)
  --image <name>        compose, render, digitalocean, railway, azure: image without tag
                        (default ghcr.io/acme/<repository name>)
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

/** The release phase a framework needs on a PaaS (Heroku reads it from the Procfile instead). */
function releaseCommand(o: InitOptions): string {
  return o.framework === 'django' ? 'python manage.py migrate --noinput' : 'alembic upgrade head';
}

export function renderPaasDeploy(o: InitOptions): string {
  const image = o.target !== 'heroku';
  const lines = [
    `      provider: ${o.target}`,
    '      staging-app: ${{ vars.STAGING_APP }}',
    '      production-app: ${{ vars.PRODUCTION_APP }}',
    `      staging-url: \${{ vars.STAGING_URL }}${o.healthPath}`,
    `      production-url: \${{ vars.PRODUCTION_URL }}${o.healthPath}`,
    `      health-deadline: ${o.healthDeadline}`,
    ...(image ? [`      image: ${q(o.image)}`] : []),
    // Heroku runs the Procfile's `release:` line; Azure App Service has no release phase.
    ...(o.target === 'heroku' || o.target === 'azure' ? [] : [`      release-command: ${q(releaseCommand(o))}`]),
  ];
  return `# Written by deploy-kit init: test → ${image ? 'build the image once → ' : ''}staging → (approval) → production on ${o.target}.
# Secrets, variables and environments to create: DEPLOY-CHECKLIST.md.
name: deploy

on:
  push:
    branches: [main]
  workflow_dispatch:

# What the reusable pipeline's jobs need (a called workflow can only lower these).
permissions:
  contents: read
  deployments: write${image ? '\n  packages: write # push the image to ghcr.io' : ''}

jobs:
  pipeline:
    uses: ${callPrefix(o)}/paas-pipeline.yml@${o.ref}
    with:
${lines.join('\n')}
    # Each environment's ${o.target === 'azure' ? 'AZURE_*' : 'PAAS_API_TOKEN'} and PAAS_CONFIG stay behind its protection rules.
    secrets: inherit
`;
}

export function renderDeploy(o: InitOptions): string {
  if (isPaas(o.target)) return renderPaasDeploy(o);
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
  const host =
    o.target === 'compose'
      ? `      hosts: \${{ vars.PRODUCTION_HOSTS }}
      path: ${q(o.path)}
      restart-after: '3' # start what stopped after 3 failed runs in a row
`
      : '';
  const what =
    o.target === 'compose'
      ? 'the endpoint (smoke load, p95, error rate, TLS), containers, disk and error logs'
      : 'the endpoint (smoke load, p95, error rate, TLS)';
  return `# Written by deploy-kit init: checks production every 4 hours - ${what}.
# 3 failed runs in a row open one incident issue; 2 passing runs close it (the monitor's memory lives there).
# GitHub's cron can start late or be skipped under load: keep an external heartbeat as well.
name: monitor

on:
  schedule:
    - cron: '17 */4 * * *'
  workflow_dispatch:

permissions:
  contents: read
  issues: write # the incident issues

jobs:
  monitor:
    uses: ${callPrefix(o)}/health-monitor.yml@${o.ref}
    with:
      urls: \${{ vars.PRODUCTION_URL }}${o.healthPath}
      min-tls-days: '14' # the certificate must have 14 days left (drop this line for a plain-http URL)
${host}    secrets: inherit
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

const PAAS_TOKEN_HOWTO: Record<Exclude<PaasTarget, 'azure'>, string> = {
  heroku:
    "a Heroku API key or `heroku authorizations:create` token with write-protected scope; production's must also reach the staging app (pipeline promotion)",
  render: 'a Render API key (Account settings → API keys)',
  digitalocean: 'a DigitalOcean personal access token with app:read and app:update',
  railway: 'a Railway account or team token',
};

const PAAS_APP_HINT: Record<PaasTarget, [string, string]> = {
  heroku: ['`shop-staging` (the Heroku app; both apps in one Heroku pipeline)', '`shop` (downstream of staging)'],
  render: ['`srv-…` (the Render service id)', '`srv-…`'],
  digitalocean: ['the App Platform app id (uuid)', 'the app id (uuid)'],
  railway: ['`<service id>:<environment id>`', '`<service id>:<environment id>`'],
  azure: ['the web app name', 'the web app name'],
};

export function renderPaasChecklist(o: InitOptions & { target: PaasTarget }): string {
  const lines = [
    `# deploy-kit on ${o.target}: what to create before the first run`,
    '',
    'Settings → Environments: create **staging** and **production**. Protect production with required',
    'reviewers: the pipeline waits there for an approval before it deploys production.',
    '',
    '## Secrets, in each environment (staging and production have their own)',
    '',
    '| secret | what |',
    '| --- | --- |',
  ];
  if (o.target === 'azure')
    lines.push(
      '| `AZURE_CLIENT_ID` | the app registration (service principal) that deploys; give it "Website Contributor" on the web app |',
      '| `AZURE_CLIENT_SECRET` | a client secret of it |',
      '| `AZURE_TENANT_ID` | the tenant id |',
      '| `AZURE_SUBSCRIPTION_ID` | the subscription of the web app |',
      "| `AZURE_RESOURCE_GROUP` | the web app's resource group |",
    );
  else lines.push(`| \`PAAS_API_TOKEN\` | ${PAAS_TOKEN_HOWTO[o.target]} |`);
  lines.push(
    '| `PAAS_CONFIG` | optional: secret `KEY=value` lines set on the app before each release (e.g. `SECRET_KEY=…`) |',
  );
  if (o.target !== 'heroku')
    lines.push(
      '| `REGISTRY_PASSWORD` (repository secret) | a token that can push `' +
        o.image +
        '` (ghcr.io: a token with write:packages); the provider must be able to pull it (public package, or registry credentials on the app) |',
    );
  const [stagingApp, productionApp] = PAAS_APP_HINT[o.target];
  lines.push(
    '',
    '## Variables (Settings → Secrets and variables → Actions → Variables)',
    '',
    '| variable | example |',
    '| --- | --- |',
    `| \`STAGING_APP\` | ${stagingApp} |`,
    `| \`PRODUCTION_APP\` | ${productionApp} |`,
    '| `STAGING_URL` | `https://shop-staging.example.com` (the health path is appended) |',
    '| `PRODUCTION_URL` | `https://example.com` |',
    '',
    '## The release phase',
    '',
  );
  if (o.target === 'heroku')
    lines.push(`Add \`release: ${releaseCommand(o)}\` to the Procfile: Heroku runs it before each release goes live.`);
  else if (o.target === 'azure')
    lines.push(
      `Azure App Service has no release phase: run \`${releaseCommand(o)}\` when the container starts, or in a job of your own before the deploy.`,
    );
  else lines.push(`deploy.yml sets \`release-command: ${releaseCommand(o)}\`; it runs before each release goes live.`);
  lines.push(
    '',
    '## The monitor',
    '',
    'monitor.yml opens an incident issue after 3 failed runs and closes it after 2 passing ones (it needs',
    '`issues: write`, granted in the file). Notifications: add NOTIFY_SLACK_WEBHOOK or NOTIFY_WEBHOOK as secrets.',
    '',
  );
  return lines.join('\n');
}

export function renderChecklist(o: InitOptions): string {
  if (isPaas(o.target)) return renderPaasChecklist({ ...o, target: o.target });
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
  if (o.database !== 'none' && !isPaas(o.target)) files['.github/workflows/backup.yml'] = renderBackup(o);
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
    `Target: releases (rsync over SSH), compose (Docker Compose over SSH) or a PaaS (${PAAS_TARGETS.join(', ')})`,
    undefined,
  );
  if (!TARGETS.includes(target)) throw new Error(`--target must be one of ${TARGETS.join(', ')}, got "${target}"`);
  const paas = isPaas(target as InitTarget);
  const framework = await get('framework', 'Framework: django or fastapi', undefined);
  if (framework !== 'django' && framework !== 'fastapi')
    throw new Error(`--framework must be django or fastapi, got "${framework}"`);
  const healthPath = await get('health-path', 'Health path', framework === 'django' ? '/healthz' : '/health');
  if (!/^\/[A-Za-z0-9/_.~-]*$/.test(healthPath)) throw new Error(`--health-path must be a path like /healthz`);
  const path = paas ? (flags.path ?? '') : await get('path', 'Deploy path on the servers', `/srv/${name}`);
  if (paas && flags.path !== undefined) throw new Error(`--path is not used with --target ${target} (no servers)`);
  if (!paas && !/^\/[A-Za-z0-9/_.-]+$/.test(path)) throw new Error(`--path must be an absolute path, got "${path}"`);
  if (paas && flags.database !== undefined)
    throw new Error(
      `--database is not used with --target ${target} (the provider's managed database keeps its backups)`,
    );
  const database = paas
    ? 'none'
    : await get('database', 'Database to back up (postgres, mysql, mariadb, sqlite, none)', 'postgres');
  if (!['postgres', 'mysql', 'mariadb', 'sqlite', 'none'].includes(database))
    throw new Error(`--database must be postgres, mysql, mariadb, sqlite or none, got "${database}"`);
  const repo = flags.repo ?? 'org/deploy-kit';
  if (!/^[A-Za-z0-9_.-]+\/deploy-kit$/.test(repo)) throw new Error(`--repo must be <owner>/deploy-kit, got "${repo}"`);
  if (flags['health-deadline'] !== undefined && !/^\d+(ms|s|m|h)?$/.test(flags['health-deadline']))
    throw new Error(`--health-deadline must be a duration like 90s or 3m`);
  const ref = flags.ref ?? 'v1';
  if (!/^[A-Za-z0-9_./-]+$/.test(ref)) throw new Error(`--ref "${ref}" is not a git ref`);
  const o: InitOptions = {
    target: target as InitTarget,
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
  if (target === 'heroku' && flags.image !== undefined)
    throw new Error('--image is not used with --target heroku (Heroku builds the source; the slug is promoted)');
  if (target === 'compose' || (paas && target !== 'heroku'))
    o.image = await get('image', 'Image (registry/name, no tag)', `ghcr.io/acme/${name}`);
  else if (!paas) {
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
