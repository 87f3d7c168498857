/**
 * docs/WORKFLOWS.md documents every reusable workflow completely: each workflow in workflows-templates/ has a
 * "## `<file>`" section whose tables name exactly its inputs, secrets and outputs (nothing missing, nothing
 * stale), with each input's default as the file has it, and which names every write permission its jobs ask for.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { ROOT } from '../helpers/paths.js';

interface CallDef {
  inputs?: Record<string, { type: string; default?: unknown; required?: boolean }>;
  secrets?: Record<string, unknown>;
  outputs?: Record<string, unknown>;
}
interface Workflow {
  on: { workflow_call: CallDef };
  permissions?: Record<string, string>;
  jobs: Record<string, { permissions?: Record<string, string> }>;
}

/** The text of the `## \`file\`` section (up to the next heading of level 1 or 2). */
function section(doc: string, file: string): string | undefined {
  const lines = doc.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## \`${file}\``);
  if (start < 0) return undefined;
  // A `# comment` inside a fenced code block is not a heading.
  let fenced = false;
  const end = lines.findIndex((l, i) => {
    if (i <= start) return false;
    if (/^```/.test(l)) fenced = !fenced;
    return !fenced && /^#{1,2} /.test(l);
  });
  return lines.slice(start, end < 0 ? undefined : end).join('\n');
}

/** Table rows whose first cell is a `name`: name → the other cells. */
function rows(text: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const line of text.split('\n')) {
    const m = /^\| `([A-Za-z0-9_-]+)` \|(.*)\|\s*$/.exec(line);
    if (m)
      out.set(
        m[1]!,
        m[2]!.split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|')),
      );
  }
  return out;
}

const documentedDefault = (d: { default?: unknown; required?: boolean }): string =>
  d.required ? '**required**' : d.default === '' || d.default === undefined ? "`''`" : `\`${String(d.default)}\``;

/** What the docs get wrong about one workflow (empty = complete and current). */
function docProblems(doc: string, file: string, wf: Workflow): string[] {
  const text = section(doc, file);
  if (text === undefined) return [`${file}: no "## \`${file}\`" section in docs/WORKFLOWS.md`];
  const call = wf.on.workflow_call;
  const table = rows(text);
  const problems: string[] = [];
  const names = new Set([
    ...Object.keys(call.inputs ?? {}),
    ...Object.keys(call.secrets ?? {}),
    ...Object.keys(call.outputs ?? {}),
  ]);
  for (const [name, def] of Object.entries(call.inputs ?? {})) {
    const row = table.get(name);
    if (!row) problems.push(`${file}: input ${name} is not documented`);
    else if (row[1] !== documentedDefault(def))
      problems.push(
        `${file}: input ${name} is documented with default ${row[1]}, the file has ${documentedDefault(def)}`,
      );
  }
  for (const name of Object.keys(call.secrets ?? {}))
    if (!table.has(name)) problems.push(`${file}: secret ${name} is not documented`);
  for (const name of Object.keys(call.outputs ?? {}))
    if (!table.has(name)) problems.push(`${file}: output ${name} is not documented`);
  for (const name of table.keys())
    if (!names.has(name))
      problems.push(`${file}: ${name} is documented but the workflow has no such input/secret/output`);
  const asked = [wf.permissions ?? {}, ...Object.values(wf.jobs).map((j) => j.permissions ?? {})].flatMap((p) =>
    Object.entries(p)
      .filter(([, v]) => v === 'write')
      .map(([k]) => `${k}: write`),
  );
  if (!/Permissions:/.test(text)) problems.push(`${file}: its permissions are not documented`);
  for (const p of new Set(asked)) if (!text.includes(p)) problems.push(`${file}: permission ${p} is not documented`);
  return problems;
}

const templates = readdirSync(join(ROOT, 'workflows-templates')).filter((f) => f.endsWith('.yml'));
const doc = readFileSync(join(ROOT, 'docs', 'WORKFLOWS.md'), 'utf8');
const load = (f: string) => parse(readFileSync(join(ROOT, 'workflows-templates', f), 'utf8')) as Workflow;

describe('docs/WORKFLOWS.md', () => {
  it('finds the reusable workflows', () =>
    expect(templates).toEqual(expect.arrayContaining(['pipeline.yml', 'paas-pipeline.yml', 'health-monitor.yml'])));

  it.each(templates)('documents every input, secret, output and write permission of %s', (f) => {
    expect(docProblems(doc, f, load(f))).toEqual([]);
  });

  it('the check can fail: a missing input, a stale one, a wrong default, an undocumented permission', () => {
    const wf: Workflow = {
      on: {
        workflow_call: {
          inputs: { kept: { type: 'string', default: 'a' }, added: { type: 'string', default: '' } },
          secrets: { TOKEN: {} },
        },
      },
      jobs: { j: { permissions: { issues: 'write' } } },
    };
    const bad = [
      '## `x.yml`',
      '',
      'Permissions: `contents: read`.',
      '',
      '| input | type | default | what |',
      '|---|---|---|---|',
      '| `kept` | string | `b` | changed default |',
      '| `gone` | string | `` | removed from the file |',
      '',
      '```yaml',
      '# a comment in a code block does not end the section',
      '```',
      '| `secret-in-table` | after the code block: still this section |',
      '',
      '## `other.yml`',
      '| `added` | string | `` | in another section: does not count |',
    ].join('\n');
    expect(docProblems(bad, 'x.yml', wf)).toEqual([
      'x.yml: input kept is documented with default `b`, the file has `a`',
      'x.yml: input added is not documented',
      'x.yml: secret TOKEN is not documented',
      'x.yml: gone is documented but the workflow has no such input/secret/output',
      'x.yml: secret-in-table is documented but the workflow has no such input/secret/output',
      'x.yml: permission issues: write is not documented',
    ]);
    expect(docProblems(bad, 'y.yml', wf)).toEqual(['y.yml: no "## `y.yml`" section in docs/WORKFLOWS.md']);
  });
});
