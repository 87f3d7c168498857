import { LocalExecutor } from '../../lib/exec/local.js';
import type { SshSession } from '../../lib/exec/ssh-config.js';
import type { SshExecutor } from '../../lib/exec/ssh.js';
import { runChecked, type ExecOptions } from '../../lib/exec/types.js';
import type { DeployConfig } from './config.js';
import { acquireLock, type HeldLock } from '../../lib/lock.js';
import { remoteStep, userCommand } from './remote.js';
import { parseRsyncStats, rsyncCommand } from './rsync.js';

export type HostResult = 'ok' | 'uploaded' | 'discarded' | 'failed' | 'reverted' | 'not-started';

export interface HostReport {
  host: string;
  result: HostResult;
  releaseId: string;
  previousReleaseId: string;
  files: number;
  bytesSent: number;
  timings: Record<string, number>;
  error?: string;
  pruned: string[];
}

export interface DeployReport {
  mode: 'deploy' | 'prepare' | 'activate' | 'rollback';
  releaseId: string;
  releasePath: string;
  previousReleaseId: string;
  hosts: HostReport[];
  ok: boolean;
  error?: string;
}

export interface DeployHost {
  exec: SshExecutor;
  report: HostReport;
  lock?: HeldLock;
  switched: boolean;
}

export interface DeployDeps {
  session: SshSession;
  executors: SshExecutor[];
  log: (line: string) => void;
  signal?: AbortSignal;
}

/**
 * The phases of a release on every host, each callable on its own so that ssh-rsync-deploy and the
 * one-step root action compose the same code: lock → upload → (release phase) → activate → finalize,
 * with revert, discard and unlock for the ways out. Steps that undo or let go (revert, discard, unlock,
 * the switch itself) ignore the job's cancel signal: a cancelled run must still leave a consistent server.
 */
export interface Deployment {
  readonly hosts: DeployHost[];
  /** Layout and lock on every host: nothing is uploaded unless every host is reachable, trusted and free. */
  lock(): Promise<void>;
  /** Upload, record, link shared paths, run before-activate. On failure: undo (see below) and throw. */
  upload(wave: DeployHost[]): Promise<void>;
  /**
   * Switch, then after-activate. On failure every switched host goes back (with `restartOnRevert`, after-activate
   * then runs again in the previous release, to undo a half-done restart), then throw.
   */
  activate(wave: DeployHost[], opts?: { restartOnRevert?: boolean }): Promise<void>;
  /** After a successful switch: releases.log line and pruning. */
  finalize(wave: DeployHost[]): Promise<void>;
  /** Switch every switched host back to its previous release and mark this release bad. */
  revert(hosts: DeployHost[], opts?: { afterActivate?: boolean }): Promise<void>;
  /** Remove the new release on every host that was never switched to it during this run. */
  discard(): Promise<void>;
  /** Rollback mode: back to the previous good release (or cfg.rollback) on every host. */
  rollback(): Promise<void>;
  /** Activate-only mode: check the release exists on every host, then activate and finalize. */
  activateOnly(): Promise<void>;
  unlock(): Promise<void>;
  report(error?: string): DeployReport;
}

export function deployMode(cfg: DeployConfig): DeployReport['mode'] {
  return cfg.rollback !== undefined
    ? 'rollback'
    : cfg.activate === 'only'
      ? 'activate'
      : cfg.activate === 'false'
        ? 'prepare'
        : 'deploy';
}

async function timed<T>(h: DeployHost, step: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    h.report.timings[step] = (h.report.timings[step] ?? 0) + Date.now() - t;
  }
}

/** Runs fn on hosts in parallel or one after another; collects failures instead of stopping midway. */
async function onHosts(
  hosts: DeployHost[],
  serial: boolean,
  fn: (h: DeployHost) => Promise<void>,
): Promise<DeployHost[]> {
  const failed: DeployHost[] = [];
  const one = async (h: DeployHost): Promise<void> => {
    try {
      await fn(h);
    } catch (e) {
      h.report.result = 'failed';
      h.report.error ??= (e as Error).message;
      failed.push(h);
    }
  };
  if (serial) {
    for (const h of hosts) {
      await one(h);
      if (failed.length) break;
    }
  } else await Promise.all(hosts.map(one));
  return failed;
}

const listErrors = (hosts: DeployHost[]): string => hosts.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n');

export function createDeployment(cfg: DeployConfig, deps: DeployDeps): Deployment {
  const { log, signal } = deps;
  const base = cfg.path;
  const mode = deployMode(cfg);
  const serial = cfg.strategy !== 'parallel';
  const hosts: DeployHost[] = deps.executors.map((exec) => ({
    exec,
    switched: false,
    report: {
      host: exec.target,
      result: 'not-started',
      releaseId: cfg.releaseId,
      previousReleaseId: '',
      files: 0,
      bytesSent: 0,
      timings: {},
      pruned: [],
    },
  }));
  const cmdOpts = (h: DeployHost, abortable = true): ExecOptions => ({
    timeoutMs: cfg.commandTimeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    signal: abortable ? signal : undefined,
    onStdout: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
    onStderr: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
  });
  const step = (h: DeployHost, name: string, ...args: string[]) =>
    runChecked(h.exec, remoteStep(name, base, ...args), { timeoutMs: 120_000, signal });
  /** Not tied to the cancel signal: undoing and switching must complete once started. */
  const firmStep = (h: DeployHost, name: string, ...args: string[]) =>
    runChecked(h.exec, remoteStep(name, base, ...args), { timeoutMs: 120_000 });
  const releaseDir = (id: string) => `${base}/releases/${id}`;

  const runUserCommands = async (
    h: DeployHost,
    commands: string[],
    id: string,
    phase: string,
    abortable = true,
  ): Promise<void> => {
    for (const c of commands) {
      log(`[${h.exec.target}] ${phase}: ${c}`);
      await timed(h, phase, () =>
        runChecked(
          h.exec,
          userCommand(c, releaseDir(id), {
            ...cfg.env,
            DEPLOY_KIT_RELEASE_ID: id,
            DEPLOY_KIT_RELEASE_PATH: releaseDir(id),
          }),
          cmdOpts(h, abortable),
        ),
      );
    }
  };
  const switchTo = async (h: DeployHost, id: string): Promise<void> => {
    await timed(h, 'switch', () => firmStep(h, 'switch', id));
    h.switched = true;
    log(`[${h.exec.target}] current -> releases/${id}`);
  };

  const revert: Deployment['revert'] = async (switched, opts = {}) => {
    for (const h of switched.filter((x) => x.switched)) {
      const prev = h.report.previousReleaseId;
      if (!prev) {
        // A first deploy has nothing to go back to: keep serving it, but never roll back onto it later.
        await firmStep(h, 'mark-bad', cfg.releaseId).catch(() => undefined);
        h.report.result = 'failed'; // not `ok`: it serves a release this run found bad
        h.report.error =
          `${h.report.error ?? ''} no previous release to switch back to: current still points at ${cfg.releaseId} (marked bad)`.trim();
        continue;
      }
      try {
        await timed(h, 'revert', () => firmStep(h, 'switch', prev));
        await firmStep(h, 'mark-bad', cfg.releaseId);
        h.report.result = 'reverted';
        log(`[${h.exec.target}] reverted to ${prev}`);
        await firmStep(h, 'log', `${new Date().toISOString()} revert ${cfg.releaseId} -> ${prev} by ${cfg.owner}`);
        if (opts.afterActivate) await runUserCommands(h, cfg.afterActivate, prev, 'revert after-activate', false);
      } catch (e) {
        h.report.error = `${h.report.error ?? ''} revert failed: ${(e as Error).message}`.trim();
      }
    }
  };

  const discard: Deployment['discard'] = async () => {
    for (const h of hosts.filter((x) => !x.switched && x.report.result !== 'not-started')) {
      const r = await h.exec.run(remoteStep('discard', base, cfg.releaseId), { timeoutMs: 60_000 });
      if (r.code === 0 && h.report.result === 'uploaded') h.report.result = 'discarded';
      if (r.code !== 0 || r.end !== 'exit')
        h.report.error =
          `${h.report.error ?? ''} the unfinished release ${base}/releases/${cfg.releaseId} could not be removed (${r.end}, exit ${r.code}); remove it by hand: ${(r.stderr || r.stdout).trim().split('\n').slice(-2).join(' ')}`.trim();
    }
  };

  const lock: Deployment['lock'] = async () => {
    const failures = await onHosts(hosts, false, async (h) => {
      const prev = await timed(h, 'connect', () => step(h, 'prepare'));
      h.report.previousReleaseId = prev.stdout.trim();
      h.lock = await timed(h, 'lock', () =>
        acquireLock(h.exec, base, {
          owner: cfg.owner,
          timeoutMs: cfg.lockTimeoutMs,
          ttlMs: cfg.lockTtlMs,
          signal,
          onWait: (by, age) => log(`[${h.exec.target}] waiting for the deploy lock held by ${by} (${age} s)`),
        }),
      );
    });
    if (failures.length) throw new Error(listErrors(failures));
  };

  const prepareHost = async (h: DeployHost): Promise<void> => {
    const prev = h.report.previousReleaseId;
    const rsync = rsyncCommand({
      source: cfg.source,
      target: h.exec.host,
      dest: releaseDir(cfg.releaseId),
      linkDest: prev && prev !== cfg.releaseId ? releaseDir(prev) : undefined,
      excludes: cfg.excludes,
      excludeFrom: cfg.excludeFrom,
      shell: deps.session.rsyncShell(h.exec.host),
      ioTimeoutSec: Math.max(10, Math.round(cfg.idleTimeoutMs / 1000)),
    });
    log(
      `[${h.exec.target}] uploading ${cfg.source} to ${releaseDir(cfg.releaseId)}${prev ? ` (unchanged files linked to ${prev})` : ''}`,
    );
    const r = await timed(h, 'upload', () =>
      runChecked(new LocalExecutor(), rsync, { timeoutMs: cfg.commandTimeoutMs, signal }),
    );
    const stats = parseRsyncStats(r.stdout);
    h.report.files = stats.files;
    h.report.bytesSent = stats.bytesSent;
    await step(h, 'record', cfg.releaseId);
    if (cfg.shared.length) await timed(h, 'shared', () => step(h, 'link-shared', cfg.releaseId, ...cfg.shared));
    await runUserCommands(h, cfg.beforeActivate, cfg.releaseId, 'before-activate');
    h.report.result = 'uploaded';
  };

  const upload: Deployment['upload'] = async (wave) => {
    const canary = cfg.strategy === 'canary' && hosts.length > 1;
    const failed = await onHosts(wave, serial && !canary, prepareHost);
    if (failed.length) {
      await revert(hosts.filter((h) => h.switched));
      await discard();
      throw new Error(
        `before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}${hosts.some((h) => h.report.result === 'reverted') ? ' (the canary was switched back)' : ''}.`,
      );
    }
  };

  const activate: Deployment['activate'] = async (wave, opts = {}) => {
    const id = cfg.releaseId;
    const failed = await onHosts(wave, serial, async (h) => {
      await switchTo(h, id);
      await runUserCommands(h, cfg.afterActivate, id, 'after-activate');
      h.report.result = 'ok';
    });
    if (failed.length) {
      // One release id across all hosts: every host already switched goes back.
      await revert(
        hosts.filter((h) => h.switched),
        { afterActivate: opts.restartOnRevert },
      );
      throw new Error(
        `after the switch: ${listErrors(failed)}\nHosts already switched went back to their previous release.`,
      );
    }
  };

  const finalize: Deployment['finalize'] = async (wave) => {
    const id = cfg.releaseId;
    await Promise.all(
      wave.map(async (h) => {
        await step(
          h,
          'log',
          `${new Date().toISOString()} deploy ${id} (from ${h.report.previousReleaseId || 'none'}) by ${cfg.owner}`,
        );
        const pruned = await timed(h, 'prune', () =>
          step(h, 'prune', String(cfg.keepReleases), id, h.report.previousReleaseId),
        );
        h.report.pruned = pruned.stdout.split('\n').filter(Boolean);
      }),
    );
  };

  const rollback: Deployment['rollback'] = async () => {
    const failed = await onHosts(hosts, serial, async (h) => {
      const from = h.report.previousReleaseId;
      const target = (await step(h, 'rollback-target', cfg.rollback ?? '')).stdout.trim();
      if (from) await step(h, 'mark-bad', from);
      h.report.releaseId = target;
      await switchTo(h, target);
      await runUserCommands(h, cfg.afterActivate, target, 'after-activate');
      await step(h, 'log', `${new Date().toISOString()} rollback ${from} -> ${target} by ${cfg.owner}`);
      h.report.result = 'ok';
    });
    if (failed.length) throw new Error(listErrors(failed));
  };

  const activateOnly: Deployment['activateOnly'] = async () => {
    const missing = await onHosts(hosts, false, async (h) => {
      const r = await h.exec.run(remoteStep('exists', base, cfg.releaseId), { timeoutMs: 60_000, signal });
      if (r.code !== 0)
        throw new Error(
          `release ${cfg.releaseId} was not uploaded to ${base}/releases on this host; run with activate: false first`,
        );
    });
    if (missing.length) throw new Error(listErrors(missing));
    await activate(hosts);
    await finalize(hosts);
  };

  const unlock: Deployment['unlock'] = async () => {
    await Promise.all(hosts.map((h) => h.lock?.release().catch(() => undefined)));
    for (const h of hosts) h.lock = undefined;
  };

  const report: Deployment['report'] = (error) => {
    const rid = mode === 'rollback' ? (hosts[0]?.report.releaseId ?? '') : cfg.releaseId;
    return {
      mode,
      releaseId: rid,
      releasePath: `${base}/releases/${rid}`,
      previousReleaseId: hosts[0]?.report.previousReleaseId ?? '',
      hosts: hosts.map((h) => h.report),
      ok:
        !error &&
        hosts.every((h) => h.report.result === 'ok' || (mode === 'prepare' && h.report.result === 'uploaded')),
      error,
    };
  };

  return { hosts, lock, upload, activate, finalize, revert, discard, rollback, activateOnly, unlock, report };
}

export async function runDeploy(cfg: DeployConfig, deps: DeployDeps): Promise<DeployReport> {
  const d = createDeployment(cfg, deps);
  const mode = deployMode(cfg);
  let error: string | undefined;
  try {
    await d.lock();
    if (mode === 'rollback') await d.rollback();
    else if (mode === 'activate') await d.activateOnly();
    else {
      // Upload and prepare the new release on every host (canary: the first host alone first).
      const canary = cfg.strategy === 'canary' && d.hosts.length > 1;
      const waves = canary ? [d.hosts.slice(0, 1), d.hosts.slice(1)] : [d.hosts];
      for (const wave of waves) {
        await d.upload(wave);
        if (mode === 'deploy') {
          await d.activate(wave);
          await d.finalize(wave);
        }
      }
    }
  } catch (e) {
    error = (e as Error).message;
  } finally {
    await d.unlock();
  }
  return d.report(error);
}
