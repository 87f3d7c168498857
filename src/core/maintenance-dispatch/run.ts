import type { Command } from '../../lib/command.js';
import { detectCompose, type ComposeProject } from '../../lib/compose.js';
import type { RunContext } from '../../lib/context.js';
import { runChecked, type ExecOptions, type Executor } from '../../lib/exec/types.js';
import { streamLogger } from '../../lib/output.js';
import {
  inspectContainers,
  listContainers,
  operationCommands,
  resourceFigures,
  startServices,
  type MaintenanceSettings,
  type Operation,
} from './operations.js';
import { composeCommand } from '../../lib/compose.js';
import { isDown, parseInspectLines, servicesDown, type ContainerStatus } from './status.js';

/** What `down` says for a compose project that has no containers at all. */
export const NO_CONTAINERS = '(no containers)';

export interface HostReport<O extends string = Operation> {
  target: string;
  operation: O;
  ok: boolean;
  durationMs: number;
  /** Containers after the operation (status, heal, restarts). */
  containers: ContainerStatus[];
  /** Services down before the operation (heal). */
  down: string[];
  restarted: string[];
  /** Resource figures (status): one `docker stats` JSON object per container. */
  stats: Array<Record<string, string>>;
  /** Tail of the commands' output (logs, migrate …). */
  output: string;
  error?: string;
}

export interface MaintenanceOptions {
  env?: Record<string, string>;
  timeoutMs: number;
  idleTimeoutMs: number;
}

/** Every container of the project (running or not) with its state and health. */
export async function containerStatus(
  exec: Executor,
  p: ComposeProject,
  o: ExecOptions,
  env?: Record<string, string>,
): Promise<ContainerStatus[]> {
  const ids = (await runChecked(exec, { ...listContainers(p), env }, o)).stdout.split('\n').filter(Boolean);
  if (ids.length === 0) return [];
  return parseInspectLines((await runChecked(exec, { ...inspectContainers(ids), env }, o)).stdout);
}

/**
 * Services that make heal or update fail: heal answers for every service; an update narrowed to one
 * service answers for that service only (a stopped, unrelated worker is not its failure).
 */
export function stillDown(op: Operation, containers: readonly ContainerStatus[], service?: string): string[] {
  if (op !== 'heal' && op !== 'update') return [];
  const down = servicesDown(containers);
  return op === 'update' && service ? down.filter((x) => x === service) : down;
}

/** A report with nothing done yet (also the report of a host whose operation could not start). */
export function emptyHostReport<O extends string>(target: string, operation: O, error?: string): HostReport<O> {
  return {
    target,
    operation,
    ok: false,
    durationMs: 0,
    containers: [],
    down: [],
    restarted: [],
    stats: [],
    output: '',
    ...(error !== undefined ? { error } : {}),
  };
}

/**
 * Runs one maintenance operation on one host. Never throws for a failed command: the report says it.
 * The commands' output streams to `ctx.log` as whole lines (redacted and neutralized there).
 */
export async function runMaintenance(
  exec: Executor,
  op: Operation,
  s: MaintenanceSettings,
  ctx: RunContext,
  o: MaintenanceOptions,
): Promise<HostReport> {
  const started = Date.now();
  const report = emptyHostReport(exec.target, op);
  const quiet: ExecOptions = { timeoutMs: o.timeoutMs, signal: ctx.signal };
  const run = async (cmd: Command, streamed = true) => {
    const out = streamed ? streamLogger(ctx.log) : undefined;
    try {
      return await runChecked(
        exec,
        { ...cmd, env: { ...o.env, ...cmd.env } },
        streamed
          ? {
              ...quiet,
              idleTimeoutMs: o.idleTimeoutMs,
              maxBuffer: 256 * 1024,
              onStdout: out!.onStdout,
              onStderr: out!.onStderr,
            }
          : quiet,
      );
    } finally {
      out?.flush();
    }
  };
  try {
    const flavor = await detectCompose(exec, ctx.signal);
    const p: ComposeProject = { flavor, ...s.compose };
    if (op === 'status') {
      report.containers = await containerStatus(exec, p, quiet, o.env);
      report.down = report.containers.filter(isDown).map((c) => c.service);
      // A project with no containers at all is down (never started, or removed), not "nothing is wrong".
      if (!report.containers.length) report.down = [NO_CONTAINERS];
      if (report.containers.length) {
        const stats = await run(resourceFigures(report.containers.map((c) => c.id)), false);
        report.stats = stats.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l) as Record<string, string>);
      }
    } else if (op === 'heal') {
      const before = await containerStatus(exec, p, quiet, o.env);
      if (!before.length) {
        report.down = [NO_CONTAINERS];
        throw new Error(
          `the compose project has no containers on ${exec.target}: nothing to start (deploy it first; check path, compose-file and project-name)`,
        );
      }
      report.down = servicesDown(before);
      if (report.down.length) {
        const stopped = [...new Set(before.filter((c) => c.state !== 'running').map((c) => c.service))];
        const unhealthy = [
          ...new Set(before.filter((c) => c.state === 'running' && c.health === 'unhealthy').map((c) => c.service)),
        ];
        if (stopped.length) await run(startServices(p, stopped));
        if (unhealthy.length)
          await run(composeCommand(p, ['restart', ...unhealthy], { label: `restart ${unhealthy.join(', ')}` }));
        report.restarted = [...stopped, ...unhealthy].sort();
      }
      report.containers = await containerStatus(exec, p, quiet, o.env);
    } else {
      const out: string[] = [];
      for (const cmd of operationCommands(op, p, s)) {
        const r = await run(cmd);
        out.push(r.stdout + r.stderr);
      }
      report.output = out.join('\n');
      if (op.startsWith('restart'))
        report.restarted =
          op === 'restart-all'
            ? ['(all)']
            : [op === 'restart-db' ? s.dbService : op === 'restart-backend' ? s.backendService : s.service!];
      if (op.startsWith('restart') || op === 'update') report.containers = await containerStatus(exec, p, quiet, o.env);
    }
    const down = stillDown(op, report.containers, s.service);
    report.ok = down.length === 0;
    if (!report.ok) report.error = `still down after ${op}: ${down.join(', ')}`;
  } catch (e) {
    report.error = (e as Error).message;
  }
  report.durationMs = Date.now() - started;
  return report;
}
