/**
 * Every action.yml and workflow file is validated by GitHub's own parser (@actions/workflow-parser),
 * then held to the project's conventions: node24, a bundle that exists, every input and output described.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/paths.js';

function actionFiles(): string[] {
  const files = readdirSync(join(ROOT, 'actions')).map((d) => join(ROOT, 'actions', d, 'action.yml'));
  if (existsSync(join(ROOT, 'action.yml'))) files.push(join(ROOT, 'action.yml'));
  return files.filter((f) => existsSync(f));
}

function workflowFiles(): string[] {
  const out: string[] = [];
  for (const dir of ['workflows-templates', '.github/workflows']) {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) continue;
    for (const f of readdirSync(abs)) if (/\.ya?ml$/.test(f)) out.push(join(abs, f));
  }
  return out;
}

function errorsOf(ctx: { errors: { getErrors(): Array<{ message: string }> } }): string[] {
  return ctx.errors.getErrors().map((e) => e.message);
}

describe('action manifests', () => {
  const files = actionFiles();
  it('there is at least one action', () => expect(files.length).toBeGreaterThan(0));

  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))(
    '%s passes the official parser and conventions',
    (_name, file) => {
      const content = readFileSync(file, 'utf8');
      const result = parseAction({ name: file, content }, new NoOperationTraceWriter());
      expect(errorsOf(result.context)).toEqual([]);
      expect(result.value).toBeDefined();

      const doc = parse(content) as {
        name: string;
        description: string;
        branding?: { icon: string; color: string };
        inputs?: Record<string, { description?: string; default?: unknown; required?: boolean }>;
        outputs?: Record<string, { description?: string }>;
        runs: { using: string; main?: string; post?: string };
      };
      expect(doc.name).toBeTruthy();
      expect(doc.description).toBeTruthy();
      expect(doc.branding?.icon).toBeTruthy();
      if (doc.runs.using !== 'composite') {
        expect(doc.runs.using).toBe('node24');
        for (const script of [doc.runs.main, doc.runs.post].filter(Boolean) as string[]) {
          expect(existsSync(resolve(dirname(file), script)), `${script} exists`).toBe(true);
        }
      }
      for (const [name, input] of Object.entries(doc.inputs ?? {})) {
        expect(name, 'inputs are kebab-case').toMatch(/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/);
        expect(input.description, `input ${name} is described`).toBeTruthy();
        expect(
          input.required === true || input.default !== undefined,
          `input ${name} has a default or is required`,
        ).toBe(true);
      }
      for (const [name, output] of Object.entries(doc.outputs ?? {})) {
        expect(output.description, `output ${name} is described`).toBeTruthy();
      }
    },
  );
});

describe('workflow files', () => {
  const files = workflowFiles();
  it.each(files.map((f) => [f.slice(ROOT.length + 1), f]))('%s passes the official parser', async (_name, file) => {
    const result = parseWorkflow({ name: file, content: readFileSync(file, 'utf8') }, new NoOperationTraceWriter());
    expect(errorsOf(result.context)).toEqual([]);
    expect(result.value).toBeDefined();
    const template = await convertWorkflowTemplate(result.context, result.value!);
    expect((template.errors ?? []).map((e: { Message: string }) => e.Message)).toEqual([]);
  });
});

/** `with:` keys of every deploy-kit step that are not inputs of that action, and required inputs left out. */
function stepInputProblems(workflow: string): string[] {
  const doc = parse(workflow) as { jobs?: Record<string, { steps?: Array<{ uses?: string; with?: object }> }> };
  const problems: string[] = [];
  for (const [job, j] of Object.entries(doc.jobs ?? {})) {
    for (const step of j.steps ?? []) {
      const m = /^org\/deploy-kit(?:\/actions\/([a-z0-9-]+))?@/.exec(step.uses ?? '');
      if (!m) continue;
      const manifest = m[1] ? join(ROOT, 'actions', m[1], 'action.yml') : join(ROOT, 'action.yml');
      if (!existsSync(manifest)) {
        problems.push(`${job}: ${step.uses} does not exist`);
        continue;
      }
      const inputs = (parse(readFileSync(manifest, 'utf8')) as { inputs?: Record<string, { required?: boolean }> })
        .inputs;
      const given = Object.keys(step.with ?? {});
      for (const k of given) if (!inputs?.[k]) problems.push(`${job}: ${step.uses} has no input ${k}`);
      for (const [k, v] of Object.entries(inputs ?? {}))
        if (v.required && !given.includes(k)) problems.push(`${job}: ${step.uses} needs input ${k}`);
    }
  }
  return problems;
}

describe('deploy-kit steps in workflows', () => {
  it.each(workflowFiles().map((f) => [f.slice(ROOT.length + 1), f]))(
    '%s passes only inputs our actions have, and every required one',
    (_name, file) => expect(stepInputProblems(readFileSync(file, 'utf8'))).toEqual([]),
  );
  it('the check catches a misspelt input, a missing required one and an unknown action', () => {
    const wf =
      'jobs:\n  a:\n    steps:\n      - uses: org/deploy-kit/actions/health-gate@v1\n        with:\n          urls: x\n' +
      '      - uses: org/deploy-kit/actions/nope@v1\n';
    expect(stepInputProblems(wf)).toEqual([
      'a: org/deploy-kit/actions/health-gate@v1 has no input urls',
      'a: org/deploy-kit/actions/health-gate@v1 needs input url',
      'a: org/deploy-kit/actions/nope@v1 does not exist',
    ]);
  });
});

describe('the validation can fail', () => {
  it('the parser rejects a broken action manifest', () => {
    const bad = 'name: x\nruns:\n  using: node24\n  main: 3\n  bogus: true\n';
    const result = parseAction({ name: 'bad.yml', content: bad }, new NoOperationTraceWriter());
    expect(errorsOf(result.context).length).toBeGreaterThan(0);
  });
  it('the parser rejects a broken workflow', () => {
    const bad =
      'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: a/b@v1\n        run: echo both\n';
    const result = parseWorkflow({ name: 'bad.yml', content: bad }, new NoOperationTraceWriter());
    expect(errorsOf(result.context).length).toBeGreaterThan(0);
  });
});
