/**
 * Loads a workflow with GitHub's parser (schema validation, expression checks, the job graph), and maps
 * references (`uses:` of jobs and steps) to files of this checkout or of the workspace.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, relative, resolve } from 'node:path';
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isMapping,
  isString,
  parseWorkflow,
  type WorkflowTemplate,
} from '@actions/workflow-parser';
import type { MappingToken } from '@actions/workflow-parser/templates/tokens/mapping-token';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';

export interface LoadedWorkflow {
  file: string;
  name: string;
  raw: MappingToken;
  template: WorkflowTemplate;
}

export function child(token: TemplateToken | undefined, key: string): TemplateToken | undefined {
  if (!token || !isMapping(token)) return undefined;
  for (const pair of token) if (isString(pair.key) && pair.key.value === key) return pair.value;
  return undefined;
}

export async function loadWorkflow(file: string): Promise<LoadedWorkflow> {
  if (!existsSync(file)) throw new Error(`workflow ${file} does not exist`);
  const content = readFileSync(file, 'utf8');
  const parsed = parseWorkflow({ name: file, content }, new NoOperationTraceWriter());
  const errors = parsed.context.errors.getErrors().map((e) => e.message);
  if (errors.length || !parsed.value) throw new Error(`${file} is not a valid workflow:\n  ${errors.join('\n  ')}`);
  const template = await convertWorkflowTemplate(parsed.context, parsed.value);
  const convErrors = (template.errors ?? []).map((e) => e.Message);
  if (convErrors.length) throw new Error(`${file} is not a valid workflow:\n  ${convErrors.join('\n  ')}`);
  if (!isMapping(parsed.value)) throw new Error(`${file}: the workflow is not a mapping`);
  const nameTok = child(parsed.value, 'name');
  return {
    file,
    name: nameTok && isString(nameTok) ? nameTok.value : relative(process.cwd(), file),
    raw: parsed.value,
    template,
  };
}

/** `owner/deploy-kit/<path>@ref` (any owner): a file of this checkout. */
const SELF = /^[A-Za-z0-9_.-]+\/deploy-kit(?:\/([^@]*))?@[^\s]+$/;

export interface Places {
  /** The deploy-kit checkout (actions/, dist/, .github/workflows/). */
  root: string;
  /** The repository the workflow runs for (GITHUB_WORKSPACE; `./` references). */
  workspace: string;
}

/** A reusable workflow reference mapped to a local file, or an error that says what is supported. */
export function resolveWorkflowRef(ref: string, places: Places): string {
  if (ref.startsWith('./')) {
    const inWorkspace = resolve(places.workspace, ref);
    if (existsSync(inWorkspace)) return inWorkspace;
    throw new Error(`reusable workflow ${ref} not found in the workspace (${inWorkspace})`);
  }
  const m = SELF.exec(ref);
  if (m && m[1] && /^\.github\/workflows\/[^/]+\.ya?ml$/.test(m[1])) {
    const file = join(places.root, m[1]);
    if (existsSync(file)) return file;
    throw new Error(`reusable workflow ${ref} maps to ${file}, which does not exist in this checkout`);
  }
  throw new Error(
    `reusable workflow ${ref} is not in this checkout: the local runner runs ./.github/workflows/<file> of the ` +
      `workspace and <owner>/deploy-kit/.github/workflows/<file>@<ref> (mapped to ${places.root})`,
  );
}

export type ActionRef =
  | { kind: 'bundle'; actionYml: string; label: string }
  | { kind: 'emulated'; name: string; label: string }
  | { kind: 'unsupported'; reason: string };

/** A step's `uses:` mapped to a bundled action of this checkout, an emulated action, or a clear refusal. */
export function resolveActionRef(uses: string, places: Places, emulated: readonly string[]): ActionRef {
  if (uses.startsWith('./')) {
    const dir = resolve(places.workspace, uses);
    for (const f of ['action.yml', 'action.yaml']) {
      if (existsSync(join(dir, f))) return { kind: 'bundle', actionYml: join(dir, f), label: uses };
    }
    return { kind: 'unsupported', reason: `${uses}: no action.yml in ${dir}` };
  }
  const m = SELF.exec(uses);
  if (m) {
    const sub = m[1] ?? '';
    const actionYml = join(places.root, sub, 'action.yml');
    if (!isAbsolute(actionYml) || !existsSync(actionYml))
      return { kind: 'unsupported', reason: `${uses}: this checkout has no ${join(sub, 'action.yml')}` };
    return { kind: 'bundle', actionYml, label: uses };
  }
  if (uses.startsWith('docker://'))
    return { kind: 'unsupported', reason: `${uses}: docker:// steps are not run by the local runner` };
  const name = uses.split('@')[0]!.toLowerCase();
  if (emulated.includes(name)) return { kind: 'emulated', name, label: uses };
  return {
    kind: 'unsupported',
    reason:
      `${uses} is a third-party action the local runner cannot run (it runs this checkout's deploy-kit actions, ` +
      `run: steps, and emulates ${emulated.join(', ')}); replace the step or run the workflow on GitHub`,
  };
}
