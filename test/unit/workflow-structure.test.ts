/**
 * The shape of the deploy workflows that keeps environments apart: each deploy job runs in its environment and
 * holds a concurrency group of that environment only (no workflow-wide group, so production waiting for its
 * approval never holds staging), and each job asks only for the permissions it needs.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/paths.js';

interface Job {
  environment?: string;
  concurrency?: { group?: string; 'cancel-in-progress'?: boolean } | string;
  permissions?: Record<string, string>;
}
interface Workflow {
  concurrency?: unknown;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

const load = (f: string) => parse(readFileSync(join(ROOT, 'workflows-templates', f), 'utf8')) as Workflow;

/** What breaks "one concurrency group per environment, none for the whole workflow". */
function concurrencyProblems(wf: Workflow): string[] {
  const problems: string[] = [];
  if (wf.concurrency !== undefined) problems.push('a workflow-level concurrency group holds every environment');
  const groups = new Map<string, string>();
  for (const [id, job] of Object.entries(wf.jobs)) {
    if (!job.environment) continue;
    const c = typeof job.concurrency === 'string' ? { group: job.concurrency } : job.concurrency;
    if (!c?.group) {
      problems.push(`${id}: deploys to ${job.environment} without a concurrency group`);
      continue;
    }
    if (!c.group.includes(job.environment))
      problems.push(`${id}: group "${c.group}" is not the environment's (${job.environment})`);
    if (c['cancel-in-progress'] !== false) problems.push(`${id}: a newer run would cancel a deploy in progress`);
    const other = groups.get(c.group);
    if (other) problems.push(`${id} and ${other} share the group "${c.group}"`);
    groups.set(c.group, id);
  }
  if (groups.size < 2) problems.push('fewer than two environments deployed');
  return problems;
}

describe('deploy workflows: environments, concurrency, permissions', () => {
  it.each(['pipeline.yml', 'paas-pipeline.yml'])('%s: one concurrency group per environment, none for the run', (f) => {
    expect(concurrencyProblems(load(f))).toEqual([]);
  });

  it('the concurrency check can fail', () => {
    const wf: Workflow = {
      concurrency: 'deploy',
      jobs: {
        staging: { environment: 'staging', concurrency: { group: 'deploy', 'cancel-in-progress': false } },
        production: { environment: 'production', concurrency: 'deploy' },
      },
    };
    expect(concurrencyProblems(wf)).toEqual([
      'a workflow-level concurrency group holds every environment',
      'staging: group "deploy" is not the environment\'s (staging)',
      'production: group "deploy" is not the environment\'s (production)',
      'production: a newer run would cancel a deploy in progress',
      'production and staging share the group "deploy"',
      'fewer than two environments deployed',
    ]);
  });

  it('paas-pipeline.yml: each job asks only for what it needs (no id-token, no workflow-wide grant)', () => {
    const wf = load('paas-pipeline.yml');
    expect(wf.permissions).toBeUndefined();
    expect(wf.jobs.test!.permissions).toEqual({ contents: 'read' });
    // build inherits the caller's grant (packages: write only when the caller pushes to ghcr.io).
    expect(wf.jobs.build!.permissions).toBeUndefined();
    for (const id of ['staging', 'production'])
      expect(wf.jobs[id]!.permissions, id).toEqual({ contents: 'read', deployments: 'write' });
    expect(JSON.stringify(wf)).not.toContain('id-token');
  });

  it('health-monitor.yml: issues: write for its memory, one run at a time per monitored name', () => {
    const wf = load('health-monitor.yml');
    expect(wf.permissions).toEqual({ contents: 'read', issues: 'write' });
    const job = wf.jobs.monitor!;
    expect(typeof job.concurrency === 'object' && job.concurrency.group).toContain('${{ inputs.name }}');
  });
});
