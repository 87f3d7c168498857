/**
 * The app side of the paas-pipeline.yml end-to-end tests: a caller workflow as `deploy-kit init` writes it
 * (with the fast poll and gate timings a loopback peer allows), and one push of it through the local workflow
 * runner with each environment's PAAS_API_TOKEN (none at repository level).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runWorkflow, type WorkflowRunResult } from '../../src/runner/workflow/engine.js';
import { NODE24, ROOT } from './paths.js';

export interface PaasCaller {
  provider: string;
  stagingApp: string;
  productionApp: string;
  stagingUrl: string;
  productionUrl: string;
  apiUrl: string;
  /** The caller's permissions besides `contents: read` and `deployments: write`. */
  permissions?: string[];
  /** More `with:` lines (`key: value`). */
  with?: string[];
}

/** Writes <ws>/.github/workflows/deploy.yml calling paas-pipeline.yml; returns its path. */
export function writePaasCaller(ws: string, c: PaasCaller): string {
  mkdirSync(join(ws, '.github', 'workflows'), { recursive: true });
  const file = join(ws, '.github', 'workflows', 'deploy.yml');
  const lines = [
    `provider: ${c.provider}`,
    `staging-app: ${c.stagingApp}`,
    `production-app: ${c.productionApp}`,
    `staging-url: ${c.stagingUrl}`,
    `production-url: ${c.productionUrl}`,
    `api-url: ${c.apiUrl}`,
    'health-period: 50ms',
    'health-deadline: 2s',
    "success-threshold: '1'",
    'poll-interval: 10ms',
    'poll-max-interval: 20ms',
    'timeout: 60s',
    ...(c.with ?? []),
  ];
  writeFileSync(
    file,
    `on: push
permissions:
${['contents: read', 'deployments: write', ...(c.permissions ?? [])].map((p) => `  ${p}`).join('\n')}
jobs:
  pipeline:
    uses: org/deploy-kit/.github/workflows/paas-pipeline.yml@v1
    with:
${lines.map((l) => `      ${l}`).join('\n')}
    secrets: inherit
`,
  );
  return file;
}

export interface PaasPush {
  ws: string;
  /** The provider token, given to the staging and production environments only. */
  token: string;
  /** The GitHub Deployments stand-in the runs record to. */
  github: { token: string; repository: string; apiUrl: string };
  commit: string;
  approve: string[];
  stateDir: string;
  env?: Record<string, string>;
  prompt?: (question: string) => Promise<boolean>;
  signal?: AbortSignal;
}

export function pushPaas(p: PaasPush): Promise<WorkflowRunResult> {
  return runWorkflow({
    root: ROOT,
    workspace: p.ws,
    file: join(p.ws, '.github', 'workflows', 'deploy.yml'),
    event: 'push',
    secrets: { GITHUB_TOKEN: p.github.token },
    environmentSecrets: { staging: { PAAS_API_TOKEN: p.token }, production: { PAAS_API_TOKEN: p.token } },
    approve: p.approve,
    ...(p.prompt ? { prompt: p.prompt } : {}),
    ...(p.signal ? { signal: p.signal } : {}),
    env: {
      GITHUB_SHA: p.commit.repeat(40).slice(0, 40),
      GITHUB_REPOSITORY: p.github.repository,
      GITHUB_API_URL: p.github.apiUrl,
      ...p.env,
    },
    node: NODE24,
    stateDir: p.stateDir,
  });
}

/** A job of the called pipeline by its id (`test`, `build`, `staging`, `production`). */
export const pipelineJob = (r: WorkflowRunResult, id: string) => r.jobs.find((j) => j.id === `pipeline/${id}`)!;
