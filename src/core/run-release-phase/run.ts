import { detectCompose, type ComposeFlavor } from '../../lib/compose.js';
import type { Command } from '../../lib/command.js';
import type { RunContext } from '../../lib/context.js';
import { describeFailure, type ExecOptions } from '../../lib/exec/types.js';
import { acquireLock, type HeldLock } from '../../lib/lock.js';
import { streamLogger } from '../../lib/output.js';
import { markBadCommand } from '../../lib/release-history.js';
import { inContainer, type ContainerAccess } from '../../lib/target/container.js';
import type { Target } from '../../lib/target/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import {
  alembicRevisions,
  appliedDjango,
  captureStatus,
  firstPendingDjango,
  migrationProbe,
  presetRun,
  releaseSteps,
  type Preset,
  type StatusCapture,
} from './steps.js';

export interface ReleaseConfig {
  runOn: 'local' | 'ssh' | 'docker';
  workingDirectory: string;
  preset: Preset;
  commands: string[];
  env: Record<string, string>;
  python: string;
  superuser: boolean;
  composeService?: string;
  composeFiles: string[];
  /** The Compose CLI of the host when the caller knows it already (else detected). */
  composeFlavor?: ComposeFlavor;
  image?: string;
  /** run-on docker: `docker run --network <name>` (e.g. host, or a compose network to reach the database). */
  network?: string;
  timeoutMs: number;
  idleTimeoutMs: number;
  /** Base path of the ssh-rsync-deploy layout whose lock to share (derived from working-directory). */
  lockBase?: string;
  /** `compose -p`: the live project's name, never one Compose derives from a release directory. */
  composeProject?: string;
  /** The deploy base of a releases layout: a failed release phase marks the release bad in its history. */
  historyBase?: string;
  lockTimeoutMs: number;
  owner: string;
  /** The workflow run's URL, for the release history ('' outside GitHub). */
  runUrl?: string;
}

export interface StepReport {
  name: string;
  ok: boolean;
  durationMs: number;
  error?: string;
}

export interface ReleaseReport {
  status: 'succeeded' | 'failed';
  durationMs: number;
  target: string;
  steps: StepReport[];
  migrations: { framework: Preset; applied: string[]; before: string[]; after: string[] };
  error?: string;
}

/**
 * How the release commands reach their container, if they run in one: a one-off container of the Compose
 * service (`compose run --rm -T`, project directory = working directory, `-p` the live project), or of the
 * image (`docker run --rm`, the working directory mounted at /app when set). Undefined: on the host itself.
 * Env crosses into containers by name only; every value travels in the client's environment.
 */
export function releaseAccess(cfg: ReleaseConfig, flavor: ComposeFlavor = 'v2'): ContainerAccess | undefined {
  if (cfg.composeService) {
    return {
      kind: 'compose-run',
      project: { flavor, files: cfg.composeFiles, cwd: cfg.workingDirectory, project: cfg.composeProject },
      service: cfg.composeService,
    };
  }
  if (cfg.runOn !== 'docker') return undefined;
  const wd = cfg.workingDirectory;
  return {
    kind: 'docker-run',
    image: cfg.image!,
    ...(cfg.network ? { network: cfg.network } : {}),
    // No working directory: the image runs as is, in its own WORKDIR with its own code. Otherwise the
    // directory is mounted at /app (for images that hold only the runtime).
    ...(wd ? { volumes: [`${wd}:/app`], workdir: '/app' } : {}),
  };
}

/** Where the release commands run: the host, or a container reached through it (releaseAccess). */
export async function releaseTarget(host: Target, cfg: ReleaseConfig, signal?: AbortSignal): Promise<Target> {
  const flavor = cfg.composeService ? (cfg.composeFlavor ?? (await detectCompose(host, signal))) : undefined;
  const access = releaseAccess(cfg, flavor);
  return access ? inContainer(host, access, { namePrefix: 'deploy-kit-release' }) : host;
}

export async function runReleasePhase(exec: Target, cfg: ReleaseConfig, ctx: RunContext): Promise<ReleaseReport> {
  const started = Date.now();
  const report: ReleaseReport = {
    status: 'failed',
    durationMs: 0,
    target: cfg.composeService
      ? `${exec.target}, compose service ${cfg.composeService}`
      : cfg.runOn === 'docker'
        ? `${exec.target}, image ${cfg.image ?? ''}`
        : exec.target,
    steps: [],
    migrations: { framework: cfg.preset, applied: [], before: [], after: [] },
  };
  let lock: HeldLock | undefined;
  let readApplied: (() => Promise<string[]>) | undefined;
  let beforeRead = false;
  let pending: string | undefined;
  try {
    if (cfg.lockBase) {
      lock = await acquireLock(exec, cfg.lockBase, {
        owner: `${cfg.owner} release-phase`,
        timeoutMs: cfg.lockTimeoutMs,
        ttlMs: TIMEOUTS.releaseLockTtlMs,
        signal: ctx.signal,
        onWait: (by, age) => ctx.log(`waiting for the deploy lock held by ${by} (${age} s)`),
      });
    }
    // The release's own interpreter when it ships a virtualenv.
    let python = cfg.python;
    if (cfg.runOn !== 'docker' && !cfg.composeService) {
      for (const venv of ['.venv/bin/python', 'venv/bin/python']) {
        const r = await exec.run(
          { argv: ['test', '-x', venv], cwd: cfg.workingDirectory },
          { timeoutMs: TIMEOUTS.probeMs, signal: ctx.signal },
        );
        if (r.code === 0) {
          python = `${cfg.workingDirectory}/${venv}`;
          break;
        }
      }
    }
    const where = await releaseTarget(exec, cfg, ctx.signal);
    // On the host the commands run in the working directory; in a container, where the image or the mount puts them.
    const contained = (cmd: Command, opts: ExecOptions) =>
      where.run({ ...cmd, env: cfg.env, ...(where === exec ? { cwd: cfg.workingDirectory } : {}) }, opts);
    // Status lines of the wrapped steps (withStatus) go to `status`, everything else to the log.
    const mark = `dk-status-${process.getBuiltinModule('node:crypto').randomBytes(8).toString('hex')}`;
    const status: StatusCapture = { ended: [] };
    const log = (line: string) => {
      if (!captureStatus(status, mark, line)) ctx.log(line);
    };
    const run = async (argv: string[], label: string) => {
      const out = streamLogger(log);
      try {
        return await contained(
          { argv, label },
          {
            timeoutMs: Math.max(1, cfg.timeoutMs - (Date.now() - started)),
            idleTimeoutMs: cfg.idleTimeoutMs,
            signal: ctx.signal,
            onStdout: out.onStdout,
            onStderr: out.onStderr,
          },
        );
      } finally {
        out.flush();
      }
    };
    const probe = migrationProbe(cfg.preset, python);
    const parse = (text: string): string[] => {
      pending = cfg.preset === 'django' ? firstPendingDjango(text) : undefined;
      return cfg.preset === 'django' ? appliedDjango(text) : alembicRevisions(text);
    };
    readApplied = async (): Promise<string[]> => {
      if (!probe) return [];
      const r = await contained({ argv: probe }, { timeoutMs: TIMEOUTS.migrationStatusMs, signal: ctx.signal });
      if (r.end !== 'exit' || r.code !== 0) throw new Error(describeFailure('migration status', exec.target, r));
      return parse(r.stdout);
    };
    const steps = releaseSteps(cfg.preset, python, { superuser: cfg.superuser, commands: cfg.commands });
    // The preset's steps run together in one process tree (PRESET_RUNNER: one container start), with the
    // status reads before and after them; each extra command runs on its own after them (one may migrate
    // too: then a status read of its own after them).
    const presetCount = steps.length - cfg.commands.length;
    if (probe && presetCount > 0) {
      const preset = steps.slice(0, presetCount);
      const after = cfg.commands.length === 0;
      status.onStep = (i) => ctx.log(`▶ ${preset[i]!.name}`);
      const argv = presetRun(
        python,
        preset.map((st) => st.argv),
        probe,
        { mark, before: true, after },
      );
      const r = await run(argv, preset.map((st) => st.name).join(', '));
      if (status.before !== undefined) {
        report.migrations.before = parse(status.before);
        beforeRead = true;
      }
      if (status.failed?.tag === 'before')
        throw new Error(
          `migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} before ${preset[0]!.name} ran; its output is in the log above`,
        );
      for (const e of status.ended) {
        const ok = e.code === 0;
        report.steps.push({
          name: preset[e.i]!.name,
          ok,
          durationMs: e.ms,
          ...(ok ? {} : { error: describeFailure(preset[e.i]!.name, exec.target, r) }),
        });
      }
      const last = status.ended.at(-1);
      // Stopped inside a step (a timeout, a cancel, a crash of the runner itself): that step failed.
      if (status.current !== undefined && last?.i !== status.current) {
        report.steps.push({
          name: preset[status.current]!.name,
          ok: false,
          durationMs: r.durationMs,
          error: describeFailure(preset[status.current]!.name, exec.target, r),
        });
      }
      if (status.failed?.tag === 'after')
        throw new Error(
          `migration status (${probe.slice(1).join(' ')}) failed with exit code ${status.failed.code} on ${exec.target} after ${preset.at(-1)!.name}; its output is in the log above`,
        );
      const failed = report.steps.find((st) => !st.ok);
      if (failed) throw new Error(failed.error);
      if (r.end !== 'exit' || r.code !== 0 || status.ended.length !== presetCount)
        throw new Error(describeFailure(preset.map((st) => st.name).join(', '), exec.target, r));
    } else {
      report.migrations.before = await readApplied();
      beforeRead = true;
    }
    for (const step of steps.slice(probe ? presetCount : 0)) {
      ctx.log(`▶ ${step.name}`);
      const r = await run(step.argv, step.name);
      const ok = r.end === 'exit' && r.code === 0;
      report.steps.push({
        name: step.name,
        ok,
        durationMs: r.durationMs,
        ...(ok ? {} : { error: describeFailure(step.name, exec.target, r) }),
      });
      if (!ok) throw new Error(report.steps.at(-1)!.error);
    }
    report.migrations.after = status.after !== undefined ? parse(status.after) : await readApplied();
    const before = new Set(report.migrations.before);
    report.migrations.applied =
      cfg.preset === 'alembic'
        ? report.migrations.before.join() === report.migrations.after.join()
          ? []
          : report.migrations.after
        : report.migrations.after.filter((m) => !before.has(m));
    report.status = 'succeeded';
  } catch (e) {
    report.error = (e as Error).message;
    // What did get applied before the failure, from the framework itself.
    if (readApplied && beforeRead && cfg.preset === 'django') {
      try {
        const before = new Set(report.migrations.before);
        report.migrations.after = await readApplied();
        report.migrations.applied = report.migrations.after.filter((m) => !before.has(m));
        const migrateFailed = report.steps.some((s) => s.name === 'migrate' && !s.ok);
        if (migrateFailed && pending) report.error = `migration ${pending} failed (not applied).\n${report.error}`;
      } catch {
        // best effort: the step has failed already
      }
    }
  } finally {
    if (report.status !== 'succeeded' && cfg.historyBase) {
      // Still under the lock: a release whose release phase failed must never go live by a rollback.
      const id = cfg.workingDirectory.replace(/\/+$/, '').split('/').pop() ?? '';
      const mark = await exec
        .run(
          markBadCommand(cfg.historyBase, {
            id,
            at: new Date().toISOString(),
            reason: 'release phase failed',
            run: cfg.runUrl || undefined,
          }),
          { timeoutMs: TIMEOUTS.housekeepingMs },
        )
        .catch((e: Error) => ({ code: 1, stderr: e.message, stdout: '' }));
      if (mark.code === 0) ctx.log(`marked release ${id} bad in ${cfg.historyBase}/.deploy-kit`);
      else ctx.log(`could not mark release ${id} bad in ${cfg.historyBase}/.deploy-kit: ${mark.stderr.trim()}`);
    }
    const unlockProblem = await lock?.release();
    if (unlockProblem) ctx.warn(unlockProblem);
    report.durationMs = Date.now() - started;
  }
  return report;
}
