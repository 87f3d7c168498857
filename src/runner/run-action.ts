import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { inputEnvName, parseKeyValueFile } from './github-files.js';
import { localGithub } from './github-context.js';
import { interpolate, type Contexts } from './workflow/expressions.js';

export interface RunActionOptions {
  /** Repository root holding actions/ and dist/ (or an action.yml path directly). */
  root: string;
  /** Action folder name under actions/, or '.' for the root action.yml. */
  action: string;
  inputs?: Record<string, string>;
  /** Extra environment (GITHUB_SHA, RUNNER_TEMP, ...). */
  env?: Record<string, string>;
  /** Node binary; defaults to the one running this code. */
  node?: string;
  cwd?: string;
  /** Overall limit for each step; killed after it. */
  timeoutMs?: number;
  /** Stream the action's stdout/stderr here as it runs. */
  echo?: (chunk: string) => void;
  /** Send this signal to main after `afterMs` (cancellation tests). */
  cancel?: { afterMs: number; signal?: NodeJS.Signals };
  /**
   * Contexts for action.yml defaults such as `${{ github.repository }}`. Without it a `github` context is
   * derived from the checkout (cwd) and the environment, as `localGithub` does.
   */
  contexts?: Contexts;
  /** Also give the action the GITHUB_* variables of that derived context (the CLI does). */
  githubEnv?: boolean;
}

export interface StepRun {
  exitCode: number | null;
  stdout: string;
  stderr: string;
}

export interface ActionRun {
  exitCode: number | null;
  outputs: Record<string, string>;
  summary: string;
  env: Record<string, string>;
  stdout: string;
  stderr: string;
  post?: StepRun;
  /** Lines the runner would turn into annotations (::error::, ::warning::), outside ::stop-commands:: blocks. */
  annotations: string[];
  /** Values the runner would mask (::add-mask::), outside ::stop-commands:: blocks. */
  masks: string[];
  /** What the post step got as STATE_*: GITHUB_STATE plus ::save-state:: lines the runner acted on. */
  state: Record<string, string>;
}

interface ActionMeta {
  inputs: Record<string, { default?: string; required?: boolean }>;
  main: string;
  post?: string;
  postIf?: string;
}

/** The action.yml of an action folder name ('.' = the root action.yml). */
export function actionYmlPath(root: string, action: string): string {
  return action === '.' ? join(root, 'action.yml') : join(root, 'actions', action, 'action.yml');
}

/** An input default with `${{ }}` evaluated from the contexts (GitHub evaluates them; it never passes them literally). */
export function evaluateDefault(value: string | undefined, contexts: Contexts): string | undefined {
  if (value === undefined || !value.includes('${{')) return value;
  return interpolate(value, contexts);
}

export function readActionMeta(actionYml: string): ActionMeta {
  const doc = parseYaml(readFileSync(actionYml, 'utf8')) as {
    inputs?: Record<string, { default?: unknown; required?: boolean }>;
    runs: { using: string; main: string; post?: string; 'post-if'?: string };
  };
  if (!/^node\d+$/.test(doc.runs.using))
    throw new Error(`${actionYml}: runs.using ${doc.runs.using} is not a node runtime`);
  const inputs: ActionMeta['inputs'] = {};
  for (const [k, v] of Object.entries(doc.inputs ?? {})) {
    inputs[k] = { default: v?.default === undefined ? undefined : String(v.default), required: v?.required };
  }
  const base = dirname(actionYml);
  return {
    inputs,
    main: resolve(base, doc.runs.main),
    post: doc.runs.post ? resolve(base, doc.runs.post) : undefined,
    postIf: doc.runs['post-if'],
  };
}

/**
 * Runs a bundled action the way the GitHub runner does: INPUT_* env with defaults from action.yml,
 * fresh GITHUB_OUTPUT / GITHUB_STEP_SUMMARY / GITHUB_ENV / GITHUB_STATE files, node on the bundle,
 * then the post step (if any) with STATE_* from main. Same exit code, parsed outputs.
 */
export async function runBundledAction(opts: RunActionOptions): Promise<ActionRun> {
  const actionYml = actionYmlPath(opts.root, opts.action);
  if (!existsSync(actionYml)) throw new Error(`no action named "${opts.action}" (looked for ${actionYml})`);
  const meta = readActionMeta(actionYml);
  const given = opts.inputs ?? {};
  for (const k of Object.keys(given)) {
    if (!(k in meta.inputs))
      throw new Error(`action ${opts.action} has no input "${k}" (it has: ${Object.keys(meta.inputs).join(', ')})`);
  }
  const work = mkdtempSync(join(tmpdir(), 'deploy-kit-run-'));
  const files = {
    GITHUB_OUTPUT: join(work, 'output'),
    GITHUB_STEP_SUMMARY: join(work, 'summary.md'),
    GITHUB_ENV: join(work, 'env'),
    GITHUB_STATE: join(work, 'state'),
    GITHUB_PATH: join(work, 'path'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const runnerTemp = join(work, 'runner-temp');
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v !== undefined && !k.startsWith('INPUT_') && !k.startsWith('STATE_')) env[k] = v;
  }
  let contexts = opts.contexts;
  const needsContext = Object.values(meta.inputs).some((i) => i.default?.includes('${{'));
  if (!contexts && (needsContext || opts.githubEnv)) {
    const gh = localGithub({ workspace: opts.cwd ?? process.cwd(), env: { ...env, ...opts.env } });
    contexts = { github: gh.context, env: {}, vars: {}, secrets: {}, inputs: {}, runner: {}, job: {}, steps: {} };
    if (opts.githubEnv) for (const [k, v] of Object.entries(gh.env)) env[k] ??= v;
  }
  Object.assign(env, { RUNNER_TEMP: runnerTemp, GITHUB_ACTIONS: 'true', CI: 'true' }, opts.env ?? {}, files);
  for (const [name, spec] of Object.entries(meta.inputs)) {
    const value = given[name] ?? (contexts ? evaluateDefault(spec.default, contexts) : spec.default) ?? '';
    env[inputEnvName(name)] = value;
  }
  const { mkdirSync } = await import('node:fs');
  mkdirSync(runnerTemp, { recursive: true });
  const node = opts.node ?? process.execPath;
  try {
    const main = await runStep(node, meta.main, env, opts, opts.cancel);
    const acted = actedCommands(main.stdout);
    // Like GitHub's runner, the deprecated stdout commands still count (::save-state, ::set-output).
    const state = { ...parseKeyValueFile(readFileSync(files.GITHUB_STATE, 'utf8')), ...acted.state };
    let post: StepRun | undefined;
    const postWanted =
      meta.post &&
      (meta.postIf === undefined ||
        meta.postIf === 'always()' ||
        /success\(\)/.test(meta.postIf) === (main.exitCode === 0));
    if (meta.post && postWanted) {
      const postEnv = { ...env };
      for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
      post = await runStep(node, meta.post, postEnv, opts);
    }
    const postActed = actedCommands(post?.stdout ?? '');
    return {
      exitCode: main.exitCode,
      outputs: { ...parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')), ...acted.outputs },
      summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
      env: parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8')),
      stdout: main.stdout,
      stderr: main.stderr,
      post,
      annotations: [...acted.annotations, ...postActed.annotations],
      masks: [...acted.masks, ...postActed.masks],
      state,
    };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The workflow commands GitHub's runner acts on in a step's stdout: lines (split at \n, \r\n and \r) that
 * start with `::name …::` after leading white space, except between `::stop-commands::<token>` and
 * `::<token>::`. Annotations are kept as their raw lines.
 */
export function actedCommands(stdout: string): {
  annotations: string[];
  masks: string[];
  state: Record<string, string>;
  outputs: Record<string, string>;
} {
  const acted = {
    annotations: [] as string[],
    masks: [] as string[],
    state: {} as Record<string, string>,
    outputs: {} as Record<string, string>,
  };
  let stopToken: string | undefined;
  for (const raw of stdout.split(/\r\n|\r|\n/)) {
    const line = raw.trimStart();
    if (stopToken !== undefined) {
      if (line === `::${stopToken}::`) stopToken = undefined;
      continue;
    }
    const m = /^::([A-Za-z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const [, name, props = '', data = ''] = m;
    const key = /(?:^|,)\s*name=([^,]*)/.exec(props)?.[1];
    if (name === 'stop-commands' && data) stopToken = data;
    else if (name === 'add-mask') acted.masks.push(data);
    else if (name === 'error' || name === 'warning' || name === 'notice') acted.annotations.push(line);
    else if (name === 'save-state' && key) acted.state[key] = data;
    else if (name === 'set-output' && key) acted.outputs[key] = data;
  }
  return acted;
}

function runStep(
  node: string,
  script: string,
  env: Record<string, string>,
  opts: RunActionOptions,
  cancel?: RunActionOptions['cancel'],
): Promise<StepRun> {
  return new Promise((resolveStep, reject) => {
    const child = spawn(node, [script], { env, cwd: opts.cwd ?? process.cwd(), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      opts.echo?.(c.toString());
    });
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      opts.echo?.(c.toString());
    });
    const timers: NodeJS.Timeout[] = [];
    if (opts.timeoutMs) timers.push(setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs));
    if (cancel) timers.push(setTimeout(() => child.kill(cancel.signal ?? 'SIGINT'), cancel.afterMs));
    child.on('error', reject);
    child.on('close', (code) => {
      for (const t of timers) clearTimeout(t);
      resolveStep({ exitCode: code, stdout, stderr });
    });
  });
}
