import { detectCompose } from '../../lib/compose.js';
import type { RunContext } from '../../lib/context.js';
import { CommandError, describeFailure, runChecked, succeeded, type Executor } from '../../lib/exec/types.js';
import { acquireLock, type HeldLock } from '../../lib/lock.js';
import {
  appendHistoryCommand,
  isHistoryImage,
  markBadCommand,
  parseHistory,
  rollbackTarget,
  type HistoryEvent,
} from '../../lib/release-history.js';
import type { Target } from '../../lib/target/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import type { GateEvents } from '../health-gate/gate.js';
import { runHealthGate, type HealthGateReport } from '../health-gate/run.js';
import { runReleasePhase, type ReleaseReport } from '../run-release-phase/run.js';
import type { Preset } from '../run-release-phase/steps.js';
import {
  compose,
  configCommand,
  containersCommand,
  hostStep,
  imageInspectCommand,
  inspectCommand,
  parseInspect,
  pinnedRef,
  projectOf,
  pullCommand,
  type Project,
} from './builders.js';
import type { ComposeDeployConfig } from './config.js';
import { DatabaseBackups, type BackupInfo } from './db.js';
import { withEnv, withRegistryLogin } from './env-target.js';
import { parseComposeConfig, planServices, type ServiceInfo } from './plan.js';
import { SwapError, swapService, type SwapReport, type SwapSettings } from './swap.js';

export interface HostReport {
  host: string;
  previousImage: string;
  image: string;
  services: string[];
  backup?: BackupInfo;
  migrations: string[];
  swaps: SwapReport[];
  reverted: SwapReport[];
  rolledBack: boolean;
  restored?: string;
  error?: string;
}

export interface ComposeDeployReport {
  status: 'ok' | 'rolled-back' | 'failed';
  mode: 'deploy' | 'rollback';
  releaseId: string;
  previousReleaseId: string;
  image: string;
  previousImage: string;
  backupPath: string;
  migrations: { framework: Preset; applied: string[]; before: string[]; after: string[] };
  release?: ReleaseReport;
  rolledBack: boolean;
  restoredDb: boolean;
  health?: HealthGateReport;
  hosts: HostReport[];
  durationMs: number;
  /** ms per phase: lock, prepare (compose state, history, pull/build and pin, plan), backup, release, swap, gate, revert. */
  phases: Record<string, number>;
  error?: string;
  warnings: string[];
}

interface HostState {
  exec: Target;
  /** Absolute compose files (for the tools that run compose outside the project directory). */
  files: string[];
  report: HostReport;
  project: Project;
  services: ServiceInfo[];
  previousPinned: string;
  /** Something that serves traffic was changed on this host (needs a revert on failure). */
  switched: boolean;
}

export interface ComposeDeployContext extends RunContext {
  gateEvents?: GateEvents;
}

const housekeeping = (ctx: RunContext) => ({ timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal });

/** The image the running containers of `service` were created from, pinned (digest or image id); '' when none runs. */
async function runningImage(exec: Executor, projectName: string, service: string, ctx: RunContext): Promise<string> {
  const ids = (await runChecked(exec, containersCommand(projectName, service), housekeeping(ctx))).stdout
    .split('\n')
    .filter(Boolean);
  if (ids.length === 0) return '';
  const [c] = parseInspect((await runChecked(exec, inspectCommand(ids.slice(0, 1)), housekeeping(ctx))).stdout);
  if (!c) return '';
  if (/@sha256:[0-9a-f]{64}$/.test(c.configImage)) return c.configImage;
  const r = await exec.run(imageInspectCommand(c.image), housekeeping(ctx));
  return succeeded(r) ? pinnedRef(c.configImage, r.stdout) : c.image;
}

/** Pulls (per pull policy) and pins `image` on one host: `name@sha256:…` when the registry digest is known, else the image id. */
async function resolveImage(
  exec: Executor,
  image: string,
  cfg: ComposeDeployConfig,
  ctx: RunContext,
  pullEnv: Record<string, string> = {},
): Promise<string> {
  const pullOpts = { timeoutMs: TIMEOUTS.remoteStepMs * 10, idleTimeoutMs: cfg.idleTimeoutMs, signal: ctx.signal };
  let inspected = await exec.run(imageInspectCommand(image), housekeeping(ctx));
  // An image id cannot be pulled; a digest names immutable content: pulled only when missing.
  const pinned = /^sha256:[0-9a-f]{64}$/.test(image) || /@sha256:[0-9a-f]{64}$/.test(image);
  const pull = pinned ? (cfg.pull === 'never' || /^sha256:/.test(image) ? 'never' : 'missing') : cfg.pull;
  if (pull === 'always' || (pull === 'missing' && !succeeded(inspected))) {
    ctx.log(`${exec.target}: pulling ${image}`);
    const pulled = await exec.run({ ...pullCommand(image), env: pullEnv }, pullOpts);
    if (!succeeded(pulled)) {
      throw new Error(
        `${exec.target}: pulling ${image} failed (nothing was changed): ${(pulled.stderr || pulled.stdout).trim().split('\n').slice(-3).join(' ')}. Check the image name and tag, and the registry credentials (registry-username / registry-password, or docker login on the host)${cfg.pull === 'always' ? '; for an image built on the host only, set pull: missing' : ''}`,
      );
    }
    inspected = await exec.run(imageInspectCommand(image), housekeeping(ctx));
  }
  if (!succeeded(inspected))
    throw new Error(`${exec.target}: image ${image} is not on the host (pull: ${pull}); nothing was changed`);
  return pinnedRef(image, inspected.stdout);
}

function swapSettings(cfg: ComposeDeployConfig): SwapSettings {
  return {
    projectName: cfg.projectName,
    strategy: cfg.strategy,
    proxyService: cfg.proxyService,
    proxyReload: cfg.proxyReload,
    probeCommand: cfg.probeCommand,
    ...(cfg.httpProbe ? { httpProbe: cfg.httpProbe } : {}),
    healthyTimeoutMs: cfg.healthyTimeoutMs,
    drainTimeoutMs: cfg.drainTimeoutMs,
    proxySettleMs: cfg.proxySettleMs,
  };
}

function emptyReport(cfg: ComposeDeployConfig): ComposeDeployReport {
  return {
    status: 'failed',
    mode: cfg.rollback ? 'rollback' : 'deploy',
    releaseId: cfg.releaseId,
    previousReleaseId: '',
    image: '',
    previousImage: '',
    backupPath: '',
    migrations: { framework: cfg.preset, applied: [], before: [], after: [] },
    rolledBack: false,
    restoredDb: false,
    hosts: [],
    durationMs: 0,
    phases: {},
    warnings: [],
  };
}

/** The image that went live, for the history (left out when it cannot be recorded as one word). */
function historyImage(image: string | undefined): { image?: string } {
  return image && isHistoryImage(image) ? { image } : {};
}

function event(cfg: ComposeDeployConfig, e: Omit<HistoryEvent, 'at' | 'run' | 'by'>): HistoryEvent {
  return { ...e, at: new Date().toISOString(), ...(cfg.runUrl ? { run: cfg.runUrl } : {}), by: 'compose-deploy' };
}

/**
 * Updates a Compose app on every host: lock → pin the image → (backup) → release phase in the live project
 * with the new image → start-first swap of each service, proxy reloads → persist the image in `.env` and
 * record the release → health gate → on a failed gate, switch every host back (and restore the database when
 * asked). `rollback` goes back to a recorded release instead. The lock is released in every case.
 */
export async function runComposeDeploy(
  cfg: ComposeDeployConfig,
  targets: Target[],
  runner: Target,
  ctx: ComposeDeployContext,
): Promise<ComposeDeployReport> {
  const started = Date.now();
  if (cfg.dockerHost) targets = targets.map((t) => withEnv(t, { DOCKER_HOST: cfg.dockerHost }));
  const report = emptyReport(cfg);
  const locks: HeldLock[] = [];
  const hosts: HostState[] = [];
  // The forward path is bounded by `timeout`; switching back is not tied to it (only to the job's signal).
  const forward: RunContext = { ...ctx, signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(cfg.timeoutMs)]) };
  const settings = swapSettings(cfg);
  let history: HistoryEvent[] = [];
  let existing = new Set<string>();
  const db = cfg.backup !== 'none' && !cfg.rollback ? new DatabaseBackups(cfg, runner, ctx) : undefined;
  let mark = Date.now();
  const phase = (name: string): void => {
    const now = Date.now();
    report.phases[name] = (report.phases[name] ?? 0) + now - mark;
    mark = now;
  };
  try {
    for (const exec of targets) {
      await runChecked(exec, hostStep('check-dir', cfg.path), housekeeping(ctx)).catch((e: unknown) => {
        // Only the step's own "no such directory" (exit 3); a connection or login failure keeps its own message.
        if (!(e instanceof CommandError && e.result.end === 'exit' && e.result.code === 3)) throw e;
        throw new Error(`${exec.target}: the compose project directory ${cfg.path} does not exist (input \`path\`)`);
      });
      locks.push(
        await acquireLock(exec, cfg.path, {
          owner: cfg.owner,
          timeoutMs: cfg.lockTimeoutMs,
          ttlMs: cfg.lockTtlMs,
          signal: ctx.signal,
          onWait: (by, age) => ctx.log(`${exec.target}: waiting for the deploy lock held by ${by} (${age} s)`),
        }),
      );
    }
    phase('lock');
    // Where things stand on each host.
    for (const exec of targets) {
      const flavor = await detectCompose(exec, ctx.signal);
      const project = projectOf(flavor, cfg.path, cfg.composeFiles, cfg.projectName, cfg.imageVariable);
      const envImage = (
        await runChecked(exec, hostStep('get-env', cfg.path, cfg.imageVariable), housekeeping(ctx))
      ).stdout.trim();
      const files = cfg.composeFiles.length
        ? cfg.composeFiles.map((f) => (f.startsWith('/') ? f : `${cfg.path}/${f}`))
        : [(await runChecked(exec, hostStep('default-file', cfg.path), housekeeping(ctx))).stdout.trim()];
      hosts.push({
        exec,
        files,
        project,
        services: [],
        previousPinned: '',
        switched: false,
        report: {
          host: exec.target,
          previousImage: envImage,
          image: '',
          services: [],
          migrations: [],
          swaps: [],
          reverted: [],
          rolledBack: false,
        },
      });
    }
    report.hosts = hosts.map((h) => h.report);
    const first = hosts[0]!;
    history = parseHistory((await runChecked(first.exec, hostStep('history', cfg.path), housekeeping(ctx))).stdout);
    existing = new Set(
      (await runChecked(first.exec, hostStep('images', cfg.path), housekeeping(ctx))).stdout
        .split('\n')
        .filter(Boolean),
    );
    const activations = history.filter((e) => e.event === 'activate');
    report.previousReleaseId = activations.at(-1)?.id ?? '';

    // What goes live: a new image, or a recorded release.
    let wanted: string;
    if (cfg.rollback) {
      const target =
        cfg.rollback === 'previous'
          ? rollbackTarget({ history, current: report.previousReleaseId, existing })
          : cfg.rollback;
      if (!target)
        throw new Error(
          `rollback: no earlier good release of ${cfg.projectName} is recorded on ${first.exec.target} (current: ${report.previousReleaseId || 'none'}); nothing was changed`,
        );
      if (!existing.has(target))
        throw new Error(
          `rollback: release ${target} is not recorded on ${first.exec.target} (${cfg.path}/.deploy-kit/images/); nothing was changed`,
        );
      if (target === report.previousReleaseId)
        throw new Error(`rollback: release ${target} is already live; nothing was changed`);
      report.releaseId = target;
      wanted = (await runChecked(first.exec, hostStep('get-image', cfg.path, target), housekeeping(ctx))).stdout.trim();
      ctx.log(`rolling back to release ${target} (${wanted})`);
    } else if (cfg.build) {
      // Built on each host, tagged with the release id (so it stays on the host and can be rolled back to).
      wanted = `${cfg.projectName}-deploy-kit:${cfg.releaseId}`;
    } else {
      wanted = cfg.image!;
    }
    for (const h of hosts) {
      if (cfg.build) await buildOnHost(cfg, h, wanted, forward);
      h.report.image = cfg.build
        ? await resolveImage(h.exec, wanted, { ...cfg, pull: 'never' }, forward)
        : await withRegistryLogin(h.exec, cfg.registryAuth, forward, (env) =>
            resolveImage(h.exec, wanted, cfg, forward, env),
          );
      if (h.report.image !== hosts[0]!.report.image)
        throw new Error(
          `${h.exec.target} resolves ${wanted} to ${h.report.image}, ${hosts[0]!.exec.target} to ${hosts[0]!.report.image}: the hosts would run different images; nothing was changed`,
        );
      const conf = await runChecked(h.exec, configCommand(h.project, h.report.image), housekeeping(forward));
      const info = parseComposeConfig(conf.stdout);
      h.services = planServices(info, h.report.image, cfg.services, cfg.strategy, cfg.imageVariable);
      h.report.services = h.services.map((s) => s.name);
      if (cfg.proxyService && !info.services[cfg.proxyService])
        throw new Error(`input \`proxy-service\`: the compose project has no service "${cfg.proxyService}"`);
      h.previousPinned = await runningImage(h.exec, cfg.projectName, h.services[0]!.name, forward);
      h.report.previousImage = h.previousPinned || h.report.previousImage;
    }
    report.image = first.report.image;
    report.previousImage = first.report.previousImage;
    if (!cfg.proxyService)
      report.warnings.push(
        'no proxy-service is set: nothing tells the proxy about the new containers (fine only when it resolves the service name per request)',
      );
    // A host with no history yet: record what is live now, so that a later rollback can go back to it.
    if (!cfg.rollback && activations.length === 0 && first.previousPinned) {
      const seed = `before-${cfg.releaseId}`;
      for (const h of hosts) {
        await runChecked(h.exec, hostStep('set-image', cfg.path, seed, h.previousPinned), housekeeping(ctx));
        await runChecked(
          h.exec,
          appendHistoryCommand(cfg.path, [
            event(cfg, { event: 'activate', id: seed, how: 'seed', ...historyImage(h.previousPinned) }),
          ]),
          housekeeping(ctx),
        );
      }
      report.previousReleaseId = seed;
    }

    phase('prepare');
    if (!cfg.rollback) {
      // Backup, then the release phase: both before any long-running container changes.
      if (cfg.backup !== 'none') {
        for (const h of hosts) {
          const dir = (await runChecked(h.exec, hostStep('backups', cfg.path), housekeeping(ctx))).stdout.trim();
          h.report.backup = await db!.backup(h.exec, h.files, dir);
          ctx.log(
            `${h.exec.target}: backup ${h.report.backup.path} (${h.report.backup.sizeBytes} bytes, sha256 ${h.report.backup.sha256})`,
          );
        }
        report.backupPath = first.report.backup?.path ?? '';
        phase('backup');
      }
      if (cfg.preset !== 'none' || cfg.commands.length > 0) {
        for (const h of hosts) {
          const rel = await runRelease(cfg, h, forward);
          if (h === first) {
            report.release = rel;
            report.migrations = rel.migrations;
          }
          h.report.migrations = rel.migrations.applied;
          if (rel.status !== 'succeeded') {
            await markBad(cfg, hosts, `release phase failed on ${h.exec.target}`, ctx);
            throw new Error(
              `release phase failed on ${h.exec.target}: ${rel.error ?? 'unknown error'}\nNothing that serves traffic was changed: the old containers keep serving, ${cfg.imageVariable} in .env is unchanged.`,
            );
          }
        }
        phase('release');
      }
    }

    // The swap, host by host.
    for (const h of hosts) {
      try {
        for (const svc of h.services) {
          h.switched = true;
          h.report.swaps.push(await swapService(h.exec, h.project, svc, h.report.image, settings, forward));
        }
      } catch (e) {
        const unchanged = e instanceof SwapError && !e.changed && h.report.swaps.length === 0;
        if (unchanged) h.switched = false;
        h.report.error = (e as Error).message;
        await revertAll(cfg, hosts, settings, ctx, report);
        await markBad(cfg, hosts, `swap failed on ${h.exec.target}`, ctx);
        report.status = hosts.some((x) => x.report.rolledBack) ? 'rolled-back' : 'failed';
        report.rolledBack = report.status === 'rolled-back';
        throw new Error(
          `${h.exec.target}: ${(e as Error).message}${report.rolledBack ? '\nThe hosts switched before were switched back.' : ''}`,
        );
      }
      await persist(
        cfg,
        h,
        report.releaseId,
        h.report.image,
        report.previousReleaseId,
        cfg.rollback ? 'rollback' : 'deploy',
        ctx,
      );
    }

    phase('swap');
    if (cfg.health) {
      ctx.log(`health gate: ${cfg.health.urls.join(', ')}`);
      report.health = await runHealthGate(cfg.health, ctx.gateEvents, ctx.signal);
      phase('gate');
      if (!report.health.healthy) {
        const why = report.health.failures.join('; ');
        ctx.log(
          `health gate failed: ${why}; switching every host back to ${report.previousImage || 'the previous image'}`,
        );
        await revertAll(cfg, hosts, settings, ctx, report);
        phase('revert');
        await markBad(cfg, hosts, `health gate failed: ${why}`.slice(0, 400), ctx, report.releaseId);
        report.rolledBack = hosts.some((h) => h.report.rolledBack);
        if (cfg.restoreDbOnRollback && report.migrations.applied.length > 0 && db) {
          for (const h of hosts) {
            if (!h.report.backup) continue;
            h.report.restored = await db.restore(h.exec, h.files, h.report.backup);
            ctx.log(`${h.exec.target}: database restored from ${h.report.backup.path}: ${h.report.restored}`);
          }
          report.restoredDb = hosts.some((h) => h.report.restored);
        } else if (cfg.restoreDbOnRollback) {
          ctx.log('restore-db-on-rollback: the release phase applied no migration, so the database was left as it is');
        }
        report.status = report.rolledBack ? 'rolled-back' : 'failed';
        throw new Error(
          `health gate failed: ${why}${report.rolledBack ? `\nRolled back to ${report.previousImage}.` : ''}`,
        );
      }
    }
    report.status = 'ok';
  } catch (e) {
    report.error = (e as Error).message;
    if (report.status === 'ok') report.status = 'failed';
  } finally {
    for (const l of locks) {
      const unlockProblem = await l.release().catch((e: Error) => e.message);
      if (unlockProblem) report.warnings.push(unlockProblem);
    }
    db?.dispose();
    report.durationMs = Date.now() - started;
  }
  return report;
}

/** `compose build` of the services that take the image variable, on the host, tagged `wanted`; changes nothing that runs. */
async function buildOnHost(cfg: ComposeDeployConfig, h: HostState, wanted: string, ctx: RunContext): Promise<void> {
  const conf = await runChecked(h.exec, configCommand(h.project, wanted), housekeeping(ctx));
  const services = planServices(parseComposeConfig(conf.stdout), wanted, cfg.services, cfg.strategy, cfg.imageVariable);
  ctx.log(`${h.exec.target}: building ${services.map((x) => x.name).join(', ')} as ${wanted}`);
  const r = await h.exec.run(compose(h.project, ['build', ...services.map((x) => x.name)], wanted, 'compose build'), {
    timeoutMs: cfg.timeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    signal: ctx.signal,
    onStdout: (c) => ctx.log(c.toString().trimEnd()),
    onStderr: (c) => ctx.log(c.toString().trimEnd()),
  });
  if (!succeeded(r))
    throw new Error(`${describeFailure('compose build', h.exec.target, r)}\nNothing that serves traffic was changed.`);
}

async function runRelease(cfg: ComposeDeployConfig, h: HostState, ctx: RunContext): Promise<ReleaseReport> {
  const service = cfg.releaseService ?? h.services[0]!.name;
  ctx.log(
    `${h.exec.target}: release phase in a one-off ${service} container of ${h.report.image} (project ${cfg.projectName})`,
  );
  return runReleasePhase(
    h.exec,
    {
      runOn: 'ssh',
      workingDirectory: cfg.path,
      preset: cfg.preset,
      commands: cfg.commands,
      // The project name and the new image for `compose run` (env beats .env): the live project, its network,
      // its database, the new code. Names only cross into the container; values travel as env.
      env: { COMPOSE_PROJECT_NAME: cfg.projectName, [cfg.imageVariable]: h.report.image },
      python: cfg.python,
      superuser: false,
      composeService: service,
      composeFiles: cfg.composeFiles,
      composeFlavor: h.project.compose.flavor,
      timeoutMs: cfg.timeoutMs,
      idleTimeoutMs: cfg.idleTimeoutMs,
      lockTimeoutMs: cfg.lockTimeoutMs,
      owner: cfg.owner,
    },
    ctx,
  );
}

async function persist(
  cfg: ComposeDeployConfig,
  h: HostState,
  releaseId: string,
  image: string,
  from: string,
  how: 'deploy' | 'rollback' | 'revert',
  ctx: RunContext,
): Promise<void> {
  const opts = { timeoutMs: TIMEOUTS.housekeepingMs }; // not under the signal: the record must match what runs
  await runChecked(h.exec, hostStep('set-env', cfg.path, cfg.imageVariable, image), opts);
  await runChecked(h.exec, hostStep('set-image', cfg.path, releaseId, image), opts);
  await runChecked(
    h.exec,
    appendHistoryCommand(cfg.path, [
      event(cfg, { event: 'activate', id: releaseId, how, ...(from ? { from } : {}), ...historyImage(image) }),
    ]),
    opts,
  );
  ctx.log(`${h.exec.target}: ${cfg.imageVariable}=${image} in ${cfg.path}/.env; release ${releaseId} recorded`);
}

async function markBad(
  cfg: ComposeDeployConfig,
  hosts: HostState[],
  reason: string,
  ctx: RunContext,
  id = cfg.releaseId,
): Promise<void> {
  for (const h of hosts) {
    const r = await h.exec.run(
      markBadCommand(cfg.path, {
        id,
        reason,
        at: new Date().toISOString(),
        ...(cfg.runUrl ? { run: cfg.runUrl } : {}),
      }),
      {
        timeoutMs: TIMEOUTS.housekeepingMs,
      },
    );
    if (!succeeded(r)) ctx.warn(`${h.exec.target}: could not mark release ${id} bad`, 'compose-deploy');
  }
}

/** Switches every host that was changed back to the image it ran before, and records it. */
async function revertAll(
  cfg: ComposeDeployConfig,
  hosts: HostState[],
  settings: SwapSettings,
  ctx: RunContext,
  report: ComposeDeployReport,
): Promise<void> {
  for (const h of hosts) {
    if (!h.switched) continue;
    if (!h.previousPinned) {
      h.report.error = `${h.report.error ? `${h.report.error}; ` : ''}nothing ran before this deploy: nothing to switch back to`;
      continue;
    }
    try {
      for (const svc of h.services)
        h.report.reverted.push(await swapService(h.exec, h.project, svc, h.previousPinned, settings, ctx));
      await persist(
        cfg,
        h,
        report.previousReleaseId || `before-${cfg.releaseId}`,
        h.previousPinned,
        report.releaseId,
        'revert',
        ctx,
      );
      h.report.rolledBack = true;
    } catch (e) {
      h.report.error = `${h.report.error ? `${h.report.error}; ` : ''}switching back failed: ${(e as Error).message}`;
      ctx.warn(
        `${h.exec.target}: switching back to ${h.previousPinned} failed: ${(e as Error).message}`,
        'compose-deploy',
      );
    }
  }
}
