import { runBundledAction } from './run-action.js';
import { workflowMain } from './workflow/cli.js';
import { initMain } from './init.js';

const USAGE = `usage: deploy-kit <action> [--<input> <value>]... [--env KEY=VALUE]...
       deploy-kit workflow run <workflow.yml> [options]   (deploy-kit workflow --help)
       deploy-kit init [options]                          (deploy-kit init --help)

Runs dist/<action>/index.js exactly as the GitHub runner does (INPUT_* env, GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, GITHUB_STATE, the post step) and prints the outputs and the summary.
Use "." as <action> for the root action.yml. Input values may also be given as --<input>=<value>.
Defaults such as \${{ github.repository }} are evaluated from the checkout (origin remote, HEAD) and
GITHUB_* variables; the action also gets those GITHUB_* variables.`;

export function parseCliArgs(argv: readonly string[]): {
  action: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
} {
  const [action, ...rest] = argv;
  if (!action || action === '--help' || action === '-h') throw new Error(USAGE);
  const inputs: Record<string, string> = {};
  const env: Record<string, string> = {};
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (!arg.startsWith('--')) throw new Error(`unexpected argument "${arg}"\n${USAGE}`);
    let key = arg.slice(2);
    let value: string | undefined;
    const eq = key.indexOf('=');
    if (eq >= 0) {
      value = key.slice(eq + 1);
      key = key.slice(0, eq);
    } else {
      value = rest[++i];
      if (value === undefined) throw new Error(`--${key} needs a value`);
    }
    if (key === 'env') {
      const e = value.indexOf('=');
      if (e <= 0) throw new Error(`--env takes KEY=VALUE, got "${value}"`);
      env[value.slice(0, e)] = value.slice(e + 1);
    } else {
      inputs[key] = value;
    }
  }
  return { action, inputs, env };
}

export async function main(argv: readonly string[], root: string): Promise<number> {
  if (argv[0] === 'workflow') {
    return workflowMain(argv.slice(1), root);
  }
  if (argv[0] === 'init') return initMain(argv.slice(1));
  let parsed;
  try {
    parsed = parseCliArgs(argv);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    return 2;
  }
  const run = await runBundledAction({
    root,
    action: parsed.action,
    inputs: parsed.inputs,
    env: parsed.env,
    githubEnv: true,
    echo: (c) => process.stdout.write(c),
  });
  const bold = (s: string): string => (process.stdout.isTTY ? `\x1b[1m${s}\x1b[0m` : s);
  process.stdout.write(`\n${bold('outputs')}\n`);
  for (const [k, v] of Object.entries(run.outputs)) process.stdout.write(`  ${k} = ${v}\n`);
  if (run.summary.trim()) process.stdout.write(`\n${bold('job summary')}\n${run.summary}\n`);
  if (run.post) process.stdout.write(`\n${bold('post step')} exit ${run.post.exitCode}\n`);
  process.stdout.write(`\n${bold('exit code')} ${run.exitCode}\n`);
  return run.exitCode ?? 1;
}
