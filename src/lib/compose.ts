import type { Command } from './command.js';
import type { Executor } from './exec/types.js';
import { TIMEOUTS } from './timeouts.js';

/** Servers in the field have the v2 plugin (`docker compose`); older ones the v1 CLI (`docker-compose`). */
export type ComposeFlavor = 'v2' | 'v1';

export interface ComposeProject {
  flavor: ComposeFlavor;
  /** -f files, in order; empty = compose's own default lookup in cwd. */
  files: readonly string[];
  /** --project-directory / cwd for relative paths. */
  cwd?: string;
  /** -p project name. */
  project?: string;
}

/** argv for `docker compose …` or `docker-compose …` with the project's files. */
export function composeCommand(p: ComposeProject, args: readonly string[], extra: Omit<Command, 'argv'> = {}): Command {
  const base = p.flavor === 'v2' ? ['docker', 'compose'] : ['docker-compose'];
  // A value after -f/-p that starts with `-` could be read as an option by compose: inputs are checked
  // where they are read; this is the last line that never lets one through.
  for (const v of [...p.files, p.project ?? '']) {
    if (v.startsWith('-')) throw new Error(`compose file or project name "${v.slice(0, 60)}" must not start with -`);
  }
  const argv = [...base];
  for (const f of p.files) argv.push('-f', f);
  if (p.project) argv.push('-p', p.project);
  argv.push(...args);
  return { cwd: p.cwd, ...extra, argv };
}

const detected = new WeakMap<Executor, ComposeFlavor>();
const remember = (exec: Executor, f: ComposeFlavor): ComposeFlavor => (detected.set(exec, f), f);

/** Which compose is installed where `exec` runs: v2 preferred, v1 accepted, neither → an error naming both. */
export async function detectCompose(exec: Executor, signal?: AbortSignal): Promise<ComposeFlavor> {
  // Once per target and run: a host's Compose does not change under a run, and v1's Python start is slow.
  const known = detected.get(exec);
  if (known) return known;
  const v2 = await exec.run({ argv: ['docker', 'compose', 'version'] }, { timeoutMs: TIMEOUTS.probeMs, signal });
  if (v2.end === 'exit' && v2.code === 0) return remember(exec, 'v2');
  const v1 = await exec.run({ argv: ['docker-compose', 'version'] }, { timeoutMs: TIMEOUTS.probeMs, signal });
  if (v1.end === 'exit' && v1.code === 0) return remember(exec, 'v1');
  throw new Error(
    `neither \`docker compose\` (v2 plugin) nor \`docker-compose\` (v1) works on ${exec.target}; install the docker-compose-plugin package`,
  );
}
