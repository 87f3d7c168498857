import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { composeCommand, detectCompose } from '../../lib/compose.js';
import type { Command } from '../../lib/command.js';
import { describeFailure, succeeded, type ExecOptions, type Executor } from '../../lib/exec/types.js';
import { acquireLock, type HeldLock } from '../../lib/lock.js';
import { markBadCommand } from '../../lib/release-history.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import {
  alembicRevisions,
  appliedDjango,
  firstPendingDjango,
  migrationProbe,
  releaseSteps,
  wrapStep,
  type Preset,
  type Wrapping,
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

/** `<base>/releases/<id>` → `<base>`: the release phase shares that deploy's lock. */
export function deployBaseOf(workingDirectory: string): string | undefined {
  const m = /^(\/.+)\/releases\/[^/]+\/?$/.exec(workingDirectory);
  return m?.[1];
}

export async function runReleasePhase(
  exec: Executor,
  cfg: ReleaseConfig,
  io: { log: (line: string) => void; signal?: AbortSignal },
): Promise<ReleaseReport> {
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
  let envDir: string | undefined;
  let readApplied: (() => Promise<string[]>) | undefined;
  let beforeRead = false;
  let pending: string | undefined;
  try {
    if (cfg.lockBase) {
      lock = await acquireLock(exec, cfg.lockBase, {
        owner: `${cfg.owner} release-phase`,
        timeoutMs: cfg.lockTimeoutMs,
        ttlMs: 3_600_000,
        signal: io.signal,
        onWait: (by, age) => io.log(`waiting for the deploy lock held by ${by} (${age} s)`),
      });
    }
    // The release's own interpreter when it ships a virtualenv.
    let python = cfg.python;
    if (cfg.runOn !== 'docker' && !cfg.composeService) {
      for (const venv of ['.venv/bin/python', 'venv/bin/python']) {
        const r = await exec.run(
          { argv: ['test', '-x', venv], cwd: cfg.workingDirectory },
          { timeoutMs: 30_000, signal: io.signal },
        );
        if (r.code === 0) {
          python = `${cfg.workingDirectory}/${venv}`;
          break;
        }
      }
    }
    const wrapping: Wrapping = {
      mode: cfg.runOn === 'docker' ? 'docker' : 'local',
      cwd: cfg.workingDirectory,
      env: cfg.env,
      image: cfg.image,
      network: cfg.network,
    };
    if (cfg.composeService) {
      const flavor = await detectCompose(exec, io.signal);
      wrapping.mode = 'compose';
      wrapping.composeArgv = (args) =>
        composeCommand(
          { flavor, files: cfg.composeFiles, cwd: cfg.workingDirectory, project: cfg.composeProject },
          args,
        );
    } else if (cfg.runOn === 'docker') {
      // docker's --env-file is line based: refuse a value it would cut rather than alter it.
      const multiline = Object.keys(cfg.env).find((k) => /[\r\n]/.test(cfg.env[k]!));
      if (multiline) throw new Error(`env ${multiline}: docker --env-file cannot carry a value with a newline`);
      envDir = mkdtempSync(join(tmpdir(), 'deploy-kit-env-'));
      wrapping.envFile = join(envDir, 'env');
      writeFileSync(
        wrapping.envFile,
        Object.entries(cfg.env)
          .map(([k, v]) => `${k}=${v}`)
          .join('\n') + '\n',
        { mode: 0o600 },
      );
      chmodSync(wrapping.envFile, 0o600);
    }
    // Containers get a name: a client stopped by a timeout or cancel does not stop its container, so it is
    // removed by name (`--init` in docker mode makes the forwarded SIGTERM work in the usual case).
    const runId = Math.random().toString(36).slice(2, 10);
    let seq = 0;
    const contained = (cmd: Command, opts: ExecOptions) => {
      const name = wrapping.mode === 'local' ? undefined : `deploy-kit-release-${runId}-${++seq}`;
      const wrapped = wrapStep(cmd.argv, { ...wrapping, containerName: name }, cfg.composeService);
      return exec.run({ ...wrapped, label: cmd.label }, opts).then(async (r) => {
        if (name && r.end !== 'exit') {
          // Not under io.signal: a cancelled run must still remove what it started.
          const rm = await exec.run({ argv: ['docker', 'rm', '-f', name] }, { timeoutMs: 60_000 });
          // "No such container": it ended on the forwarded SIGTERM and --rm removed it already.
          if (!succeeded(rm) && !/no such container/i.test(rm.stderr))
            io.log(`could not remove container ${name}: ${describeFailure('docker rm', exec.target, rm)}`);
        }
        return r;
      });
    };
    const run = (argv: string[], label: string) =>
      contained(
        { argv, label },
        {
          timeoutMs: Math.max(1, cfg.timeoutMs - (Date.now() - started)),
          idleTimeoutMs: cfg.idleTimeoutMs,
          signal: io.signal,
          onStdout: (c) => io.log(c.toString().trimEnd()),
          onStderr: (c) => io.log(c.toString().trimEnd()),
        },
      );
    const probe = migrationProbe(cfg.preset, python);
    readApplied = async (): Promise<string[]> => {
      if (!probe) return [];
      const r = await contained({ argv: probe }, { timeoutMs: 300_000, signal: io.signal });
      if (r.end !== 'exit' || r.code !== 0) throw new Error(describeFailure('migration status', exec.target, r));
      pending = cfg.preset === 'django' ? firstPendingDjango(r.stdout) : undefined;
      return cfg.preset === 'django' ? appliedDjango(r.stdout) : alembicRevisions(r.stdout);
    };
    report.migrations.before = await readApplied();
    beforeRead = true;
    for (const step of releaseSteps(cfg.preset, python, { superuser: cfg.superuser, commands: cfg.commands })) {
      io.log(`▶ ${step.name}`);
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
    report.migrations.after = await readApplied();
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
      if (mark.code === 0) io.log(`marked release ${id} bad in ${cfg.historyBase}/.deploy-kit`);
      else io.log(`could not mark release ${id} bad in ${cfg.historyBase}/.deploy-kit: ${mark.stderr.trim()}`);
    }
    await lock?.release();
    if (envDir) rmSync(envDir, { recursive: true, force: true });
    report.durationMs = Date.now() - started;
  }
  return report;
}
