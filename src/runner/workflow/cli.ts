import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline/promises';
import { parseKeyValueFile } from '../github-files.js';
import { runWorkflow, type WorkflowRunOptions } from './engine.js';

export const WORKFLOW_USAGE = `usage: deploy-kit workflow run <workflow.yml> [options]

Runs a workflow's jobs on this machine with GitHub's semantics (needs, if, outputs, env, inputs, secrets,
vars, reusable workflows, environments, concurrency, timeout-minutes, masking). deploy-kit steps run this
checkout's bundles; run: steps run in bash; actions/checkout, actions/upload-artifact and
actions/download-artifact are emulated; other actions fail the step.

  --event <name>             push | workflow_dispatch | schedule | workflow_call (default workflow_dispatch)
  --input <name>=<value>     a workflow_dispatch / workflow_call input (repeatable)
  --secret <NAME>            a secret, its value read from the variable NAME of this environment
  --secret <NAME>=<value>    a secret given inline (it then sits in this command line: prefer the forms above/below)
  --secret-file <file>       secrets as NAME=value lines (NAME<<EOF … EOF for multi-line values)
  --var <NAME>=<value>       a configuration variable (vars.NAME)
                             secrets and vars may be scoped to an environment: production:NAME=value
  --approve <environment>    approve jobs that deploy to this environment ('*' = all); on a terminal
                             the runner asks instead (no answer in 30 minutes = refused), otherwise
                             such a job fails
  --workspace <dir>          the repository the workflow runs for (default: the current directory)
  --env <NAME>=<value>       an extra variable for every step (e.g. GITHUB_API_URL)
  --state-dir <dir>          where concurrency groups are kept (default: $TMPDIR/deploy-kit-runner-state)
  --debug                    show ::debug:: lines`;

/** How long the approval prompt waits for an answer. */
export const APPROVAL_TIMEOUT_MS = 30 * 60_000;

export interface WorkflowCliArgs {
  file: string;
  options: Omit<WorkflowRunOptions, 'root' | 'file'>;
}

function splitKV(value: string, flag: string): [string, string] {
  const eq = value.indexOf('=');
  if (eq <= 0) throw new Error(`${flag} takes NAME=value, got "${value}"`);
  return [value.slice(0, eq), value.slice(eq + 1)];
}

/** `production:NAME` → ['production', 'NAME']; `NAME` → [undefined, 'NAME']. */
function scoped(name: string): [string | undefined, string] {
  const c = name.indexOf(':');
  return c > 0 ? [name.slice(0, c), name.slice(c + 1)] : [undefined, name];
}

export function parseWorkflowArgs(argv: readonly string[], env: NodeJS.ProcessEnv = process.env): WorkflowCliArgs {
  const [sub, file, ...rest] = argv;
  if (sub !== 'run' || !file || file.startsWith('--')) throw new Error(WORKFLOW_USAGE);
  const o: WorkflowCliArgs['options'] = { event: 'workflow_dispatch', inputs: {}, secrets: {}, vars: {}, env: {} };
  const put = (kind: 'secrets' | 'vars', name: string, value: string): void => {
    const [scope, key] = scoped(name);
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) throw new Error(`invalid ${kind.slice(0, -1)} name "${key}"`);
    if (!scope) {
      o[kind]![key] = value;
      return;
    }
    const field = kind === 'secrets' ? 'environmentSecrets' : 'environmentVars';
    o[field] ??= {};
    (o[field][scope] ??= {})[key] = value;
  };
  for (let i = 0; i < rest.length; i++) {
    let flag = rest[i]!;
    let value: string | undefined;
    if (!flag.startsWith('--')) throw new Error(`unexpected argument "${flag}"\n${WORKFLOW_USAGE}`);
    const eq = flag.indexOf('=');
    if (flag === '--debug') {
      o.debug = true;
      continue;
    }
    if (eq > 0) {
      value = flag.slice(eq + 1);
      flag = flag.slice(0, eq);
    } else {
      value = rest[++i];
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    switch (flag) {
      case '--event':
        o.event = value;
        break;
      case '--input': {
        const [k, v] = splitKV(value, flag);
        o.inputs![k] = v;
        break;
      }
      case '--secret': {
        if (value.includes('=')) {
          const [k, v] = splitKV(value, flag);
          put('secrets', k, v);
        } else {
          const fromEnv = env[scoped(value)[1]];
          if (fromEnv === undefined)
            throw new Error(
              `--secret ${value}: the variable ${scoped(value)[1]} is not set (export it, or use --secret-file)`,
            );
          put('secrets', value, fromEnv);
        }
        break;
      }
      case '--secret-file':
        for (const [k, v] of Object.entries(parseKeyValueFile(readFileSync(value, 'utf8')))) put('secrets', k, v);
        break;
      case '--var': {
        const [k, v] = splitKV(value, flag);
        put('vars', k, v);
        break;
      }
      case '--approve':
        (o.approve ??= []).push(value);
        break;
      case '--workspace':
        o.workspace = value;
        break;
      case '--env': {
        const [k, v] = splitKV(value, flag);
        o.env![k] = v;
        break;
      }
      case '--state-dir':
        o.stateDir = value;
        break;
      default:
        throw new Error(`unknown option ${flag}\n${WORKFLOW_USAGE}`);
    }
  }
  return { file, options: o };
}

export async function workflowMain(argv: readonly string[], root: string): Promise<number> {
  let args: WorkflowCliArgs;
  try {
    args = parseWorkflowArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const abort = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts === 1) {
      process.stderr.write('\ncancelling the run (steps with always() still run); interrupt again to stop now\n');
      abort.abort();
    } else {
      process.exit(130);
    }
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  // An approval left unanswered is a refusal after APPROVAL_TIMEOUT_MS (every wait is bounded).
  const prompt = process.stdin.isTTY
    ? async (q: string): Promise<boolean> => {
        const rl = createInterface({ input: process.stdin, output: process.stdout });
        const timeout = AbortSignal.timeout(APPROVAL_TIMEOUT_MS);
        try {
          return /^y(es)?$/i.test((await rl.question(q, { signal: timeout })).trim());
        } catch {
          process.stdout.write(`\nno answer within ${APPROVAL_TIMEOUT_MS / 60_000} minutes: not approved\n`);
          return false;
        } finally {
          rl.close();
        }
      }
    : undefined;
  try {
    const result = await runWorkflow({
      ...args.options,
      root,
      file: args.file,
      prompt,
      signal: abort.signal,
      write: (t) => process.stdout.write(t),
    });
    return result.conclusion === 'success' ? 0 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
  }
}
