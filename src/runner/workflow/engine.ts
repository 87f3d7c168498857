/**
 * The local workflow runner: runs a workflow's jobs in `needs` order on this machine, with GitHub's
 * semantics for `if:` (status functions), outputs, env, inputs, secrets, vars, reusable workflows,
 * environments (approval), concurrency, timeout-minutes, masking and post steps. deploy-kit steps run this
 * checkout's bundles as the GitHub runner runs them; `run:` steps run in bash; the few third-party actions
 * in emulated.ts are stood in for; anything else fails with a message.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import type { WorkflowJob, Step } from '@actions/workflow-parser/model/workflow-template';
import { isBasicExpression, isMapping, isSequence, isString } from '@actions/workflow-parser';
import type { TemplateToken } from '@actions/workflow-parser/templates/tokens/template-token';
import { inputEnvName, parseKeyValueFile } from '../github-files.js';
import { evaluateDefault, readActionMeta } from '../run-action.js';
import { localGithub } from '../github-context.js';
import { acquireGroup, registerRun } from './concurrency.js';
import { EMULATED, EMULATED_NAMES } from './emulated.js';
import {
  evaluate,
  evaluateStringMap,
  evaluateToken,
  toStringValue,
  truthy,
  type Contexts,
  type Plain,
  type Status,
} from './expressions.js';
import { child, loadWorkflow, resolveActionRef, resolveWorkflowRef, type LoadedWorkflow, type Places } from './load.js';
import { Masker, StepOutput, type Annotation } from './log.js';
import { killGroup, runProc } from './proc.js';

export type Result = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface StepRecord {
  id: string;
  name: string;
  outcome: Result;
  conclusion: Result;
  outputs: Record<string, string>;
  message?: string;
}

export interface JobRecord {
  /** `job`, or `caller/job` inside a reusable workflow. */
  id: string;
  name: string;
  result: Result;
  outputs: Record<string, string>;
  steps: StepRecord[];
  /** The job summary (GITHUB_STEP_SUMMARY of its steps), masked. */
  summary: string;
  message?: string;
  environment?: string;
  durationMs: number;
}

export interface WorkflowRunOptions {
  /** The deploy-kit checkout whose bundles and reusable workflows the run uses. */
  root: string;
  /** The repository the workflow runs for; `./` references and run: steps start here. Default: cwd. */
  workspace?: string;
  file: string;
  event: 'push' | 'workflow_dispatch' | 'schedule' | 'workflow_call' | string;
  inputs?: Record<string, string>;
  secrets?: Record<string, string>;
  vars?: Record<string, string>;
  /** Secrets and variables of one environment, by environment name (they win over the repository's). */
  environmentSecrets?: Record<string, Record<string, string>>;
  environmentVars?: Record<string, Record<string, string>>;
  /** Environments approved in advance ('*' = all); others are asked through `prompt`, or fail. */
  approve?: string[];
  prompt?: (question: string) => Promise<boolean>;
  /** Extra variables for every step (e.g. GITHUB_API_URL of a stand-in API). */
  env?: Record<string, string>;
  /** Where concurrency groups live (shared by the runs that must exclude each other). */
  stateDir?: string;
  node?: string;
  signal?: AbortSignal;
  /** Progress and step output, masked. Default: nothing (the caller prints the record). */
  write?: (text: string) => void;
  debug?: boolean;
  /** Default job timeout (GitHub: 360 minutes). */
  defaultTimeoutMinutes?: number;
}

export interface WorkflowRunResult {
  conclusion: Result;
  jobs: JobRecord[];
  outputs: Record<string, string>;
  annotations: Annotation[];
  /** Everything written to `write`, masked (what a user saw). */
  log: string;
  runId: string;
}

interface RunState {
  opts: WorkflowRunOptions;
  places: Places;
  masker: Masker;
  runId: string;
  runDir: string;
  github: ReturnType<typeof localGithub>;
  log: string[];
  annotations: Annotation[];
  jobs: JobRecord[];
  cancel: AbortController;
  baseEnv: Record<string, string>;
  stateDir: string;
}

/** A workflow (the top one or a called one) with the values it was called with. */
interface Invocation {
  wf: LoadedWorkflow;
  prefix: string;
  inputs: Record<string, Plain>;
  secrets: Record<string, string>;
  /** True for the top workflow: environments may add their secrets. */
  top: boolean;
  depth: number;
}

const ok = (r: Result | undefined): boolean => r === 'success';
/** How long a step that runs after a cancellation may take (GitHub's cancel-timeout-minutes default). */
const CANCEL_TIMEOUT_MS = 5 * 60_000;
const keyName = (t: TemplateToken): string => (isString(t) ? t.value : String(t));

function write(st: RunState, text: string): void {
  const masked = st.masker.mask(text);
  st.log.push(masked);
  st.opts.write?.(masked);
}

function duration(ms: number): string {
  return ms < 1000 ? `${ms}ms` : ms < 60_000 ? `${(ms / 1000).toFixed(1)}s` : `${Math.round(ms / 1000)}s`;
}

export async function runWorkflow(opts: WorkflowRunOptions): Promise<WorkflowRunResult> {
  const workspace = resolve(opts.workspace ?? process.cwd());
  const places: Places = { root: resolve(opts.root), workspace };
  const wf = await loadWorkflow(resolve(opts.file));
  const masker = new Masker();
  for (const v of Object.values(opts.secrets ?? {})) masker.add(v);
  for (const env of Object.values(opts.environmentSecrets ?? {})) for (const v of Object.values(env)) masker.add(v);
  const runDir = mkdtempSync(join(tmpdir(), 'deploy-kit-workflow-'));
  const stateDir = opts.stateDir ?? join(tmpdir(), 'deploy-kit-runner-state');
  const github = localGithub({
    workspace,
    env: { ...process.env, ...opts.env },
    eventName: opts.event,
    workflow: wf.name,
    token: opts.secrets?.GITHUB_TOKEN,
  });
  if (!opts.env?.GITHUB_RUN_NUMBER) {
    // Per repository and workflow file, as on GitHub (release ids are built from it).
    const n = nextRunNumber(stateDir, `${String(github.context.repository)}\n${relative(workspace, wf.file)}`);
    github.context.run_number = n;
    github.env.GITHUB_RUN_NUMBER = n;
  }
  const cancel = new AbortController();
  const st: RunState = {
    opts,
    places,
    masker,
    runId: github.context.run_id as string,
    runDir,
    github,
    log: [],
    annotations: [],
    jobs: [],
    cancel,
    baseEnv: baseEnvironment(opts, github.env, runDir),
    stateDir,
  };
  const onAbort = (): void => cancel.abort();
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  const unregister = registerRun(st.runId, () => cancel.abort());
  try {
    const events = Object.keys(wf.template.events ?? {});
    if (!events.includes(opts.event))
      throw new Error(`${wf.file} does not run on ${opts.event} (its events: ${events.join(', ') || 'none'})`);
    const inputs = topInputs(wf, opts);
    write(st, `workflow ${wf.name} (${opts.event}) · run ${st.runId}\n`);
    const inv: Invocation = { wf, prefix: '', inputs, secrets: opts.secrets ?? {}, top: true, depth: 0 };
    const { conclusion, outputs } = await runInvocation(st, inv);
    write(st, `\n${summaryTable(st.jobs)}\nconclusion: ${conclusion}\n`);
    return { conclusion, jobs: st.jobs, outputs, annotations: st.annotations, log: st.log.join(''), runId: st.runId };
  } finally {
    unregister();
    opts.signal?.removeEventListener('abort', onAbort);
    rmSync(runDir, { recursive: true, force: true });
  }
}

/** Run numbers count up per workspace and workflow file, as GitHub's do (release ids are built from them). */
function nextRunNumber(stateDir: string, key: string): string {
  const dir = join(stateDir, 'run-numbers');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, createHash('sha256').update(key).digest('hex').slice(0, 24));
  let n = 0;
  try {
    n = Number(readFileSync(file, 'utf8').trim()) || 0;
  } catch {
    n = 0;
  }
  writeFileSync(file, String(n + 1));
  return String(n + 1);
}

function baseEnvironment(
  opts: WorkflowRunOptions,
  githubEnv: Record<string, string>,
  runDir: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (v === undefined || /^(INPUT_|STATE_|GITHUB_|RUNNER_)/.test(k)) continue;
    env[k] = v;
  }
  Object.assign(env, githubEnv, {
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: process.arch === 'arm64' ? 'ARM64' : 'X64',
    RUNNER_NAME: 'deploy-kit-local',
    RUNNER_TEMP: join(runDir, 'runner-temp'),
  });
  Object.assign(env, opts.env ?? {});
  return env;
}

function summaryTable(jobs: JobRecord[]): string {
  const rows = jobs.map((j) => {
    const mark = j.result === 'success' ? '✓' : j.result === 'skipped' ? '-' : '✗';
    return `  ${mark} ${j.id.padEnd(28)} ${j.result.padEnd(9)} ${duration(j.durationMs).padStart(7)}${j.message ? `  ${j.message}` : ''}`;
  });
  return `jobs\n${rows.join('\n')}`;
}

/** Inputs of the top workflow: workflow_dispatch / workflow_call definitions, types and defaults checked. */
function topInputs(wf: LoadedWorkflow, opts: WorkflowRunOptions): Record<string, Plain> {
  const given = opts.inputs ?? {};
  const on = child(wf.raw, 'on');
  const defs = child(child(on, opts.event), 'inputs');
  if (!defs) {
    const extra = Object.keys(given);
    if (extra.length) throw new Error(`${opts.event} of ${wf.file} takes no inputs (given: ${extra.join(', ')})`);
    return {};
  }
  const contexts: Contexts = { github: {}, inputs: {}, vars: opts.vars ?? {} };
  return checkInputs(defs, given, contexts, `${opts.event} input`);
}

/** Checks given values against `inputs:` definitions; returns typed values with defaults applied. */
function checkInputs(
  defs: TemplateToken,
  given: Record<string, Plain>,
  contexts: Contexts,
  what: string,
): Record<string, Plain> {
  const out: Record<string, Plain> = {};
  const known: string[] = [];
  if (!isMapping(defs)) return out;
  for (const pair of defs) {
    const name = keyName(pair.key);
    known.push(name);
    const def = evaluateToken(pair.value, contexts) as Record<string, Plain> | null;
    const type = String(def?.type ?? 'string');
    let value: Plain | undefined = given[name];
    if (value === undefined) {
      if (def?.required === true && def.default === undefined)
        throw new Error(`${what} "${name}" is required (pass --input ${name}=…)`);
      value = def?.default ?? (type === 'boolean' ? false : type === 'number' ? 0 : '');
    }
    if (type === 'boolean') {
      const s = String(value);
      if (s !== 'true' && s !== 'false') throw new Error(`${what} "${name}" must be true or false, got "${s}"`);
      value = s === 'true';
    } else if (type === 'number') {
      const n = Number(value);
      if (!Number.isFinite(n)) throw new Error(`${what} "${name}" must be a number, got "${String(value)}"`);
      value = n;
    } else if (type === 'choice') {
      const options = (def?.options as Plain[] | undefined)?.map(String) ?? [];
      if (!options.includes(String(value)))
        throw new Error(`${what} "${name}" must be one of ${options.join(', ')}, got "${String(value)}"`);
      value = String(value);
    } else {
      value = typeof value === 'string' ? value : toStringValue(value);
    }
    out[name] = value;
  }
  for (const k of Object.keys(given))
    if (!known.includes(k)) throw new Error(`${what} "${k}" is not defined (defined: ${known.join(', ') || 'none'})`);
  return out;
}

function timeoutMinutes(token: TemplateToken | undefined, contexts: Contexts, fallback: number): number {
  if (!token) return fallback;
  const v = Number(evaluateToken(token, contexts));
  if (!Number.isFinite(v) || v <= 0) throw new Error(`timeout-minutes must be a positive number`);
  return v;
}

async function runInvocation(
  st: RunState,
  inv: Invocation,
): Promise<{ conclusion: Result; outputs: Record<string, string> }> {
  if (inv.depth > 4) throw new Error('reusable workflows nest deeper than 4 levels');
  const jobs = inv.wf.template.jobs;
  const results = new Map<string, { result: Result; outputs: Record<string, string> }>();
  const rawJobs = child(inv.wf.raw, 'jobs');
  const varsCtx = st.opts.vars ?? {};
  const ancestors = (id: string, seen = new Set<string>()): Set<string> => {
    const job = jobs.find((j) => j.id.value === id);
    for (const n of job?.needs ?? []) {
      if (!seen.has(n.value)) {
        seen.add(n.value);
        ancestors(n.value, seen);
      }
    }
    return seen;
  };
  // Workflow-level concurrency (of this file) is held for the whole invocation.
  let releaseWorkflowGroup: (() => void) | undefined;
  const wfConcurrency = child(inv.wf.raw, 'concurrency');
  if (wfConcurrency) {
    releaseWorkflowGroup = await holdGroup(
      st,
      wfConcurrency,
      {
        github: st.github.context,
        inputs: inv.inputs,
        vars: varsCtx,
      },
      360,
    );
  }
  try {
    const pending = [...jobs];
    for (let guard = 0; pending.length && guard < 10_000; guard++) {
      const idx = pending.findIndex((j) => (j.needs ?? []).every((n) => results.has(n.value)));
      if (idx < 0) throw new Error(`jobs ${pending.map((j) => j.id.value).join(', ')} wait on each other`);
      const job = pending.splice(idx, 1)[0]!;
      const id = job.id.value;
      const needs: Record<string, Plain> = {};
      for (const n of job.needs ?? []) {
        const r = results.get(n.value)!;
        needs[n.value] = { result: r.result, outputs: r.outputs };
      }
      const status: Status = {
        failed: [...ancestors(id)].some((a) => results.get(a)?.result === 'failure'),
        cancelled: st.cancel.signal.aborted,
      };
      const directOk = (job.needs ?? []).every((n) => ok(results.get(n.value)?.result));
      const contexts: Contexts = { github: st.github.context, needs, inputs: inv.inputs, vars: varsCtx };
      const started = Date.now();
      let run: boolean;
      try {
        run = jobIf(job, contexts, status, directOk);
      } catch (e) {
        const rec = record(st, inv, job, 'failure', started, (e as Error).message);
        results.set(id, rec);
        continue;
      }
      if (!run) {
        const rec = record(st, inv, job, 'skipped', started);
        write(st, `\n- ${inv.prefix}${id} skipped (if: ${job.if.expression})\n`);
        results.set(id, rec);
        continue;
      }
      const out =
        job.type === 'reusableWorkflowJob'
          ? await runCalledWorkflow(st, inv, job, contexts)
          : await runJob(st, inv, job, child(rawJobs, id), contexts);
      results.set(id, out);
    }
  } finally {
    releaseWorkflowGroup?.();
  }
  const all = [...results.values()].map((r) => r.result);
  const conclusion: Result = st.cancel.signal.aborted
    ? 'cancelled'
    : all.includes('failure')
      ? 'failure'
      : all.includes('cancelled')
        ? 'cancelled'
        : 'success';
  // Outputs of a called workflow: on.workflow_call.outputs.<name>.value over the `jobs` context.
  const outputs: Record<string, string> = {};
  const defs = child(child(child(inv.wf.raw, 'on'), 'workflow_call'), 'outputs');
  if (defs && isMapping(defs)) {
    const jobsCtx: Record<string, Plain> = {};
    for (const [k, v] of results) jobsCtx[k] = { result: v.result, outputs: v.outputs };
    for (const pair of defs) {
      const name = keyName(pair.key);
      try {
        outputs[name] = toStringValue(
          evaluateToken(child(pair.value, 'value'), {
            github: st.github.context,
            jobs: jobsCtx,
            inputs: inv.inputs,
            vars: varsCtx,
          }),
        );
      } catch (e) {
        write(st, `warning: output ${name} of ${inv.wf.file}: ${(e as Error).message}\n`);
      }
    }
  }
  return { conclusion, outputs };
}

function jobIf(job: WorkflowJob, contexts: Contexts, status: Status, directOk: boolean): boolean {
  // Job-level success(): every job it needs succeeded (a skipped need skips it); failure(): a job it
  // depends on, directly or not, failed — as on GitHub.
  return truthy(evaluate(job.if.expression, contexts, { ...status, success: directOk && !status.cancelled }));
}

function record(
  st: RunState,
  inv: Invocation,
  job: WorkflowJob,
  result: Result,
  started: number,
  message?: string,
): { result: Result; outputs: Record<string, string> } {
  st.jobs.push({
    id: inv.prefix + job.id.value,
    name: job.name ? String(job.name) : job.id.value,
    result,
    outputs: {},
    steps: [],
    summary: '',
    message,
    durationMs: Date.now() - started,
  });
  if (message) write(st, `\n✗ ${inv.prefix}${job.id.value}: ${message}\n`);
  return { result, outputs: {} };
}

async function holdGroup(
  st: RunState,
  token: TemplateToken,
  contexts: Contexts,
  timeoutMin: number,
): Promise<() => void> {
  const v = evaluateToken(token, contexts);
  const group = typeof v === 'string' ? v : toStringValue((v as Record<string, Plain>)?.group ?? '');
  const cancelInProgress =
    typeof v === 'object' && v !== null && !Array.isArray(v) ? truthy(v['cancel-in-progress'] ?? false) : false;
  if (!group) return () => {};
  return acquireGroup({
    stateDir: st.stateDir,
    group,
    runId: st.runId,
    cancelInProgress,
    deadlineMs: timeoutMin * 60_000,
    signal: st.cancel.signal,
    onWait: (holder) => write(st, `  … waiting for concurrency group "${group}" (held by ${holder})\n`),
  });
}

async function approveEnvironment(st: RunState, env: string, jobId: string): Promise<void> {
  const approved = st.opts.approve ?? [];
  if (approved.includes(env) || approved.includes('*')) {
    write(st, `  environment ${env}: approved (--approve)\n`);
    return;
  }
  if (st.opts.prompt) {
    if (await st.opts.prompt(`job ${jobId} deploys to environment "${env}". Approve? [y/N] `)) {
      write(st, `  environment ${env}: approved at the prompt\n`);
      return;
    }
    throw new Error(`environment ${env} was not approved`);
  }
  throw new Error(
    `job ${jobId} uses environment "${env}", which needs an approval: pass --approve ${env} (or run on a terminal to be asked)`,
  );
}

async function runCalledWorkflow(
  st: RunState,
  inv: Invocation,
  job: WorkflowJob & { type: 'reusableWorkflowJob' },
  contexts: Contexts,
): Promise<{ result: Result; outputs: Record<string, string> }> {
  const started = Date.now();
  const id = job.id.value;
  const label = inv.prefix + id;
  write(st, `\n▶ ${label} → ${job.ref.value}\n`);
  let called: LoadedWorkflow;
  let inputs: Record<string, Plain>;
  const secrets: Record<string, string> = {};
  try {
    called = await loadWorkflow(resolveWorkflowRef(job.ref.value, st.places));
    const onCall = child(child(called.raw, 'on'), 'workflow_call');
    const given = (evaluateToken(job['input-values'], contexts) ?? {}) as Record<string, Plain>;
    const defs = child(onCall, 'inputs');
    inputs = defs
      ? checkInputs(
          defs,
          given,
          { github: st.github.context, inputs: {}, vars: contexts.vars ?? {} },
          `input of ${called.file}`,
        )
      : {};
    if (!defs && Object.keys(given).length)
      throw new Error(`${called.file} takes no inputs (given: ${Object.keys(given).join(', ')})`);
    if (job['inherit-secrets']) Object.assign(secrets, inv.secrets);
    else Object.assign(secrets, evaluateStringMap(job['secret-values'], { ...contexts, secrets: inv.secrets }));
    const secretDefs = child(onCall, 'secrets');
    const known: string[] = [];
    if (secretDefs && isMapping(secretDefs)) {
      for (const pair of secretDefs) {
        const name = keyName(pair.key);
        known.push(name);
        const def = evaluateToken(pair.value, {}) as Record<string, Plain> | null;
        if (def?.required === true && !secrets[name])
          throw new Error(`secret "${name}" of ${called.file} is required: pass it under secrets: in job ${id}`);
      }
    }
    if (!job['inherit-secrets'])
      for (const k of Object.keys(secrets))
        if (!known.includes(k))
          throw new Error(`${called.file} defines no secret "${k}" (defined: ${known.join(', ')})`);
  } catch (e) {
    return record(st, inv, job, 'failure', started, (e as Error).message);
  }
  if (st.opts.secrets?.GITHUB_TOKEN) secrets.GITHUB_TOKEN ??= st.opts.secrets.GITHUB_TOKEN;
  const sub = await runInvocation(st, {
    wf: called,
    prefix: `${label}/`,
    inputs,
    secrets,
    top: false,
    depth: inv.depth + 1,
  });
  const result: Result = sub.conclusion;
  st.jobs.push({
    id: label,
    name: label,
    result,
    outputs: sub.outputs,
    steps: [],
    summary: '',
    durationMs: Date.now() - started,
  });
  write(
    st,
    `${result === 'success' ? '✓' : '✗'} ${label} (${called.file.replace(st.places.root + '/', '')}) ${result}\n`,
  );
  return { result, outputs: sub.outputs };
}

interface JobRun {
  id: string;
  env: Record<string, string>;
  pathAdds: string[];
  contexts: Contexts;
  failed: boolean;
  cancelled: boolean;
  steps: Record<string, Plain>;
  records: StepRecord[];
  summary: string[];
  posts: Array<{ label: string; script: string; env: Record<string, string>; postIf: string; cwd: string }>;
  pgids: number[];
  /** defaults.run.shell of the job or the workflow ('' = bash -e). */
  defaultShell?: string;
  /** The running step's stop switch (cancellation and the job's timeout stop that step only). */
  current?: AbortController;
  timedOut: boolean;
}

async function runJob(
  st: RunState,
  inv: Invocation,
  job: WorkflowJob & { type: 'job' },
  raw: TemplateToken | undefined,
  baseContexts: Contexts,
): Promise<{ result: Result; outputs: Record<string, string> }> {
  const started = Date.now();
  const id = job.id.value;
  const label = inv.prefix + id;
  const jobRec: JobRecord = {
    id: label,
    name: job.name ? String(job.name) : id,
    result: 'success',
    outputs: {},
    steps: [],
    summary: '',
    durationMs: 0,
  };
  st.jobs.push(jobRec);
  write(st, `\n▶ ${label}\n`);
  const releases: Array<() => void> = [];
  let timer: NodeJS.Timeout | undefined;
  const jr: JobRun = {
    id: label,
    env: {},
    pathAdds: [],
    contexts: {},
    failed: false,
    cancelled: false,
    steps: {},
    records: jobRec.steps,
    summary: [],
    posts: [],
    pgids: [],
    timedOut: false,
  };
  // Cancelling (the run, or the job's timeout) stops the running step; steps with always() or
  // cancelled() still run after it, each within CANCEL_TIMEOUT_MS.
  const cancelJob = (): void => {
    jr.cancelled = true;
    jr.current?.abort();
  };
  if (st.cancel.signal.aborted) jr.cancelled = true;
  st.cancel.signal.addEventListener('abort', cancelJob, { once: true });
  try {
    for (const unsupported of ['strategy', 'container', 'services']) {
      if (child(raw, unsupported))
        throw new Error(`job ${label}: "${unsupported}:" is not supported by the local runner`);
    }
    // Environment: approval first, then its secrets and variables.
    let secrets = { ...inv.secrets };
    let vars = { ...(st.opts.vars ?? {}) };
    const envTok = job.environment;
    if (envTok) {
      const v = evaluateToken(envTok, baseContexts);
      const name = typeof v === 'string' ? v : toStringValue((v as Record<string, Plain>)?.name ?? '');
      if (name) {
        jobRec.environment = name;
        await approveEnvironment(st, name, label);
        secrets = { ...secrets, ...(st.opts.environmentSecrets?.[name] ?? {}) };
        vars = { ...vars, ...(st.opts.environmentVars?.[name] ?? {}) };
      }
    }
    const timeoutMin = timeoutMinutes(
      child(raw, 'timeout-minutes'),
      baseContexts,
      st.opts.defaultTimeoutMinutes ?? 360,
    );
    const jobConcurrency = child(raw, 'concurrency');
    if (jobConcurrency) releases.push(await holdGroup(st, jobConcurrency, { ...baseContexts, vars }, timeoutMin));
    timer = setTimeout(() => {
      jr.timedOut = true;
      cancelJob();
    }, timeoutMin * 60_000);
    const github = { ...st.github.context, job: id };
    const runner = {
      os: 'Linux',
      arch: st.baseEnv.RUNNER_ARCH!,
      name: 'deploy-kit-local',
      temp: st.baseEnv.RUNNER_TEMP!,
    };
    const ctx: Contexts = {
      ...baseContexts,
      github,
      vars,
      secrets: { GITHUB_TOKEN: st.opts.secrets?.GITHUB_TOKEN ?? '', ...secrets },
      runner,
      job: { status: 'success' },
      steps: jr.steps,
      env: {},
      matrix: {},
      strategy: {},
    };
    const wfEnv = evaluateStringMap(child(inv.wf.raw, 'env'), ctx);
    ctx.env = { ...wfEnv };
    ctx.env = { ...wfEnv, ...evaluateStringMap(job.env, ctx) };
    jr.env = { ...(ctx.env as Record<string, string>) };
    jr.contexts = ctx;
    // defaults.run of the job, else of the workflow: run: steps only (actions start in the workspace).
    const runDefault = (key: string): TemplateToken | undefined =>
      child(child(child(raw, 'defaults'), 'run'), key) ?? child(child(child(inv.wf.raw, 'defaults'), 'run'), key);
    const wdTok = runDefault('working-directory');
    const workdir = wdTok
      ? resolve(st.places.workspace, toStringValue(evaluateToken(wdTok, ctx)))
      : st.places.workspace;
    const shellDefault = runDefault('shell');
    jr.defaultShell = shellDefault ? toStringValue(evaluateToken(shellDefault, ctx)) : '';
    const rawSteps = child(raw, 'steps');
    const rawList: TemplateToken[] = [];
    if (rawSteps && isSequence(rawSteps)) for (const s of rawSteps) rawList.push(s);
    mkdirSync(st.baseEnv.RUNNER_TEMP!, { recursive: true });
    for (let i = 0; i < job.steps.length; i++) {
      await runStep(st, jr, job.steps[i]!, rawList[i], workdir);
    }
    // Post steps, last first.
    for (const post of jr.posts.reverse()) {
      const status: Status = { failed: jr.failed, cancelled: jr.cancelled };
      if (!truthy(evaluate(post.postIf, jr.contexts, status))) continue;
      write(st, `  ▸ post ${post.label}\n`);
      const out = new StepOutput(st.masker, sink(st, jr, `post ${post.label}`), `post ${post.label}`);
      const r = await runProc({
        argv: [st.opts.node ?? process.execPath, post.script],
        env: post.env,
        cwd: post.cwd,
        timeoutMs: 5 * 60_000,
        onOutput: (s, c) => out.write(s, c),
      });
      out.end();
      if (r.pgid) jr.pgids.push(r.pgid);
      if (r.code !== 0) {
        jr.failed = true;
        write(st, `  ✗ post ${post.label} (exit ${r.code ?? r.end})\n`);
      }
    }
    jobRec.result = jr.timedOut || jr.failed ? 'failure' : jr.cancelled ? 'cancelled' : 'success';
    if (jr.timedOut) {
      jobRec.result = 'failure';
      jobRec.message = `the job exceeded timeout-minutes (${timeoutMin})`;
    }
    // Job outputs; one that holds a secret is not passed on (as on GitHub).
    if (job.outputs) {
      const outs = evaluateStringMap(job.outputs, { ...ctx, steps: jr.steps, env: jr.env });
      for (const [k, v] of Object.entries(outs)) {
        if (st.masker.holdsSecret(v)) {
          write(st, `  warning: output ${k} of ${label} holds a secret and is not passed on\n`);
          continue;
        }
        jobRec.outputs[k] = v;
      }
    }
    if (envTok && jobRec.environment) {
      const v = evaluateToken(envTok, { ...ctx, steps: jr.steps });
      const url = v && typeof v === 'object' && !Array.isArray(v) ? toStringValue(v.url ?? '') : '';
      if (url) write(st, `  environment ${jobRec.environment}: ${url}\n`);
    }
  } catch (e) {
    jobRec.result = st.cancel.signal.aborted ? 'cancelled' : 'failure';
    jobRec.message = st.masker.mask((e as Error).message);
  } finally {
    clearTimeout(timer);
    st.cancel.signal.removeEventListener('abort', cancelJob);
    for (const pg of jr.pgids) killGroup(pg);
    for (const r of releases) r();
  }
  jobRec.summary = st.masker.mask(jr.summary.join('\n'));
  jobRec.durationMs = Date.now() - started;
  const mark = jobRec.result === 'success' ? '✓' : '✗';
  write(
    st,
    `${mark} ${label} ${jobRec.result} in ${duration(jobRec.durationMs)}${jobRec.message ? `: ${jobRec.message}` : ''}\n`,
  );
  if (jobRec.summary.trim()) write(st, `\n── job summary: ${label} ──\n${jobRec.summary.trim()}\n`);
  return { result: jobRec.result, outputs: jobRec.outputs };
}

function sink(st: RunState, jr: JobRun, step: string): ConstructorParameters<typeof StepOutput>[1] {
  return {
    debug: st.opts.debug ?? false,
    show: (line) => write(st, `${line.replace(/^/gm, '    ')}\n`),
    annotate: (a) => st.annotations.push({ ...a, step: `${jr.id} › ${step}` }),
  };
}

function stepName(step: Step, ctx: Contexts): string {
  if (step.name) {
    try {
      return toStringValue(evaluateToken(step.name, ctx));
    } catch {
      /* fall through */
    }
  }
  if ('uses' in step) return step.uses.value;
  if ('run' in step && isString(step.run)) return `Run ${step.run.value.trim().split('\n')[0]}`;
  if ('run' in step && isBasicExpression(step.run))
    return `Run ${(step.run.source ?? step.run.expression).trim().split('\n')[0]}`;
  return step.id;
}

async function runStep(
  st: RunState,
  jr: JobRun,
  step: Step,
  raw: TemplateToken | undefined,
  workdir: string,
): Promise<void> {
  if (!('run' in step) && !('uses' in step))
    throw new Error(`step ${step.id}: only run: and uses: steps are supported`);
  const ctx: Contexts = { ...jr.contexts, steps: jr.steps, env: { ...jr.env }, job: { status: jobStatus(jr) } };
  const name = stepName(step, ctx);
  const recordStep = (outcome: Result, conclusion: Result, outputs: Record<string, string>, message?: string): void => {
    jr.steps[step.id] = { outcome, conclusion, outputs };
    jr.records.push({ id: step.id, name, outcome, conclusion, outputs, message });
  };
  const status: Status = { failed: jr.failed, cancelled: jr.cancelled };
  const cancelledBefore = jr.cancelled;
  let run: boolean;
  try {
    run = truthy(evaluate(step.if.expression, ctx, status));
  } catch (e) {
    jr.failed = true;
    recordStep('failure', 'failure', {}, (e as Error).message);
    write(st, `  ✗ ${name}: ${(e as Error).message}\n`);
    return;
  }
  if (!run) {
    recordStep('skipped', 'skipped', {});
    write(st, `  - ${name} (skipped)\n`);
    return;
  }
  write(st, `  ▸ ${name}\n`);
  const started = Date.now();
  let outcome: Result = 'success';
  let message: string | undefined;
  let outputs: Record<string, string> = {};
  const files = stepFiles(st, jr, step.id);
  try {
    const stepEnv = { ...jr.env, ...evaluateStringMap(step.env, ctx) };
    const env: Record<string, string> = {
      ...st.baseEnv,
      ...stepEnv,
      ...files,
      GITHUB_JOB: jr.id.split('/').pop()!,
      GITHUB_ACTION: step.id,
      PATH: [...jr.pathAdds, st.baseEnv.PATH ?? ''].join(':'),
    };
    const stepTimeout = timeoutMinutes(child(raw, 'timeout-minutes'), ctx, 0);
    const ctl = new AbortController();
    jr.current = ctl;
    // Cancelled between its if: and now: it does not start.
    if (jr.cancelled && !cancelledBefore) ctl.abort();
    const limits = [stepTimeout ? stepTimeout * 60_000 : Infinity, jr.cancelled ? CANCEL_TIMEOUT_MS : Infinity];
    const limit = Math.min(...limits);
    const timeoutMs = Number.isFinite(limit) ? limit : undefined;
    const wd = child(raw, 'working-directory');
    const cwd = wd ? resolve(workdir, toStringValue(evaluateToken(wd, ctx))) : workdir;
    const out = new StepOutput(st.masker, sink(st, jr, name), name);
    const onOutput = (s: 'out' | 'err', c: string): void => out.write(s, c);
    let proc: Awaited<ReturnType<typeof runProc>> | undefined;
    if ('run' in step) {
      const script = toStringValue(evaluateToken(step.run, ctx));
      const shellTok = child(raw, 'shell');
      const shell = shellTok ? toStringValue(evaluateToken(shellTok, ctx)) : (jr.defaultShell ?? '');
      const scriptFile = join(st.runDir, `${jr.id.replace(/\//g, '_')}-${step.id}.sh`);
      writeFileSync(scriptFile, script, { mode: 0o700 });
      proc = await runProc({
        argv: shellArgv(shell, scriptFile),
        env,
        cwd,
        timeoutMs,
        signal: ctl.signal,
        onOutput,
      });
    } else {
      const uses = step.uses.value;
      const ref = resolveActionRef(uses, st.places, EMULATED_NAMES);
      const withTok = child(raw, 'with');
      const given = evaluateStringMap(withTok, ctx);
      if (ref.kind === 'unsupported') throw new Error(ref.reason);
      if (ref.kind === 'emulated') {
        const em = EMULATED[ref.name]!;
        for (const k of Object.keys(given))
          if (!em.inputs.includes(k))
            throw new Error(`${ref.name} (emulated) does not support input ${k} (supported: ${em.inputs.join(', ')})`);
        outputs = em.run(given, {
          workspace: st.places.workspace,
          artifactsDir: join(st.runDir, 'artifacts'),
          log: (l) => write(st, `    ${l}\n`),
        });
      } else {
        const meta = readActionMeta(ref.actionYml);
        for (const k of Object.keys(given))
          if (!(k in meta.inputs))
            throw new Error(`${uses} has no input "${k}" (it has: ${Object.keys(meta.inputs).join(', ')})`);
        const inputCtx: Contexts = { ...ctx, github: { ...(ctx.github as object), action: step.id } };
        for (const [k, spec] of Object.entries(meta.inputs)) {
          const value = given[k] ?? evaluateDefault(spec.default, inputCtx) ?? '';
          if (spec.required && !value) throw new Error(`${uses}: input "${k}" is required`);
          env[inputEnvName(k)] = value;
        }
        proc = await runProc({
          argv: [st.opts.node ?? process.execPath, meta.main],
          env,
          cwd: st.places.workspace,
          timeoutMs,
          signal: ctl.signal,
          onOutput,
        });
        if (meta.post) {
          out.end();
          const state = { ...parseKeyValueFile(readFileSync(files.GITHUB_STATE, 'utf8')), ...out.state };
          const postEnv = { ...env };
          for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
          jr.posts.push({
            label: name,
            script: meta.post,
            env: postEnv,
            postIf: meta.postIf ?? 'always()',
            cwd: st.places.workspace,
          });
        }
      }
    }
    out.end();
    if (proc) {
      if (proc.pgid) jr.pgids.push(proc.pgid);
      if (proc.end === 'timeout') {
        outcome = 'failure';
        message =
          stepTimeout && limit === stepTimeout * 60_000
            ? `exceeded the step's timeout-minutes (${stepTimeout})`
            : `stopped after ${CANCEL_TIMEOUT_MS / 60_000} minutes (steps that run after a cancellation get that long)`;
      } else if (proc.end === 'cancelled') {
        outcome = jr.timedOut ? 'failure' : 'cancelled';
        message = jr.timedOut ? 'stopped: the job exceeded its timeout-minutes' : 'cancelled';
      } else if (proc.end === 'spawn-error') {
        outcome = 'failure';
        message = proc.error;
      } else if (proc.code !== 0) {
        outcome = 'failure';
        message = `exit code ${proc.code}`;
      }
      outputs = { ...outputs, ...parseKeyValueFile(readFileSync(files.GITHUB_OUTPUT, 'utf8')), ...out.outputs };
      Object.assign(jr.env, parseKeyValueFile(readFileSync(files.GITHUB_ENV, 'utf8')));
      jr.pathAdds.unshift(...readFileSync(files.GITHUB_PATH, 'utf8').split('\n').filter(Boolean).reverse());
      const summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
      if (summary.trim()) jr.summary.push(summary);
    }
  } catch (e) {
    outcome = 'failure';
    message = (e as Error).message;
  }
  const continueOnError = step['continue-on-error'];
  const coe =
    typeof continueOnError === 'boolean'
      ? continueOnError
      : continueOnError
        ? truthy(evaluateToken(continueOnError, ctx))
        : false;
  const conclusion: Result = outcome === 'failure' && coe ? 'success' : outcome;
  if (conclusion === 'failure') jr.failed = true;
  if (conclusion === 'cancelled') jr.cancelled = true;
  recordStep(outcome, conclusion, outputs, message ? st.masker.mask(message) : undefined);
  const mark = outcome === 'success' ? '✓' : conclusion === 'success' ? '!' : '✗';
  write(
    st,
    `  ${mark} ${name} (${duration(Date.now() - started)})${message ? `: ${message}` : ''}${outcome !== conclusion ? ' (continue-on-error)' : ''}\n`,
  );
}

function jobStatus(jr: JobRun): string {
  return jr.cancelled ? 'cancelled' : jr.failed ? 'failure' : 'success';
}

function stepFiles(st: RunState, jr: JobRun, stepId: string): Record<string, string> {
  const dir = join(st.runDir, 'files', `${jr.id.replace(/\//g, '_')}-${stepId}-${randomBytes(4).toString('hex')}`);
  mkdirSync(dir, { recursive: true });
  const files = {
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_PATH: join(dir, 'path'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary.md'),
    GITHUB_STATE: join(dir, 'state'),
  };
  for (const f of Object.values(files)) writeFileSync(f, '');
  return files;
}

/** The argv for a run: step's shell, as GitHub's runner spells them on Linux. */
export function shellArgv(shell: string, file: string): string[] {
  switch (shell) {
    case '':
      return ['bash', '-e', file];
    case 'bash':
      return ['bash', '--noprofile', '--norc', '-eo', 'pipefail', file];
    case 'sh':
      return ['sh', '-e', file];
    case 'python':
      return ['python3', file];
    default: {
      if (!shell.includes('{0}'))
        throw new Error(`shell "${shell}" is not supported (use bash, sh, python or a command with {0})`);
      return shell
        .split(/\s+/)
        .filter(Boolean)
        .map((a) => (a === '{0}' ? file : a));
    }
  }
}
