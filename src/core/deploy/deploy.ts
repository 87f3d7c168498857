import { LocalExecutor } from '../../lib/exec/local.js';
import type { SshSession } from '../../lib/exec/ssh-config.js';
import type { SshExecutor } from '../../lib/exec/ssh.js';
import { runChecked, type ExecOptions } from '../../lib/exec/types.js';
import type { DeployConfig } from './config.js';
import { acquireLock, type HeldLock } from './lock.js';
import { remoteStep, userCommand } from './remote.js';
import { parseRsyncStats, rsyncCommand } from './rsync.js';

export type HostResult = 'ok' | 'uploaded' | 'failed' | 'reverted' | 'not-started';

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

interface Host {
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

async function timed<T>(h: Host, step: string, fn: () => Promise<T>): Promise<T> {
  const t = Date.now();
  try {
    return await fn();
  } finally {
    h.report.timings[step] = (h.report.timings[step] ?? 0) + Date.now() - t;
  }
}

/** Runs fn on hosts in parallel or one after another; collects failures instead of stopping midway. */
async function onHosts(hosts: Host[], serial: boolean, fn: (h: Host) => Promise<void>): Promise<Host[]> {
  const failed: Host[] = [];
  const one = async (h: Host): Promise<void> => {
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

export async function runDeploy(cfg: DeployConfig, deps: DeployDeps): Promise<DeployReport> {
  const { log, signal } = deps;
  const base = cfg.path;
  const mode: DeployReport['mode'] =
    cfg.rollback !== undefined
      ? 'rollback'
      : cfg.activate === 'only'
        ? 'activate'
        : cfg.activate === 'false'
          ? 'prepare'
          : 'deploy';
  const hosts: Host[] = deps.executors.map((exec) => ({
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
  const cmdOpts = (h: Host): ExecOptions => ({
    timeoutMs: cfg.commandTimeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    signal,
    onStdout: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
    onStderr: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
  });
  const step = (h: Host, name: string, ...args: string[]) =>
    runChecked(h.exec, remoteStep(name, base, ...args), { timeoutMs: 120_000, signal });
  const releaseDir = (id: string) => `${base}/releases/${id}`;

  const runUserCommands = async (h: Host, commands: string[], id: string, phase: string): Promise<void> => {
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
          cmdOpts(h),
        ),
      );
    }
  };
  const switchTo = async (h: Host, id: string): Promise<void> => {
    await timed(h, 'switch', () => step(h, 'switch', id));
    h.switched = true;
    log(`[${h.exec.target}] current -> releases/${id}`);
  };
  const revert = async (switched: Host[]): Promise<void> => {
    for (const h of switched) {
      if (!h.report.previousReleaseId) continue;
      try {
        await step(h, 'switch', h.report.previousReleaseId);
        await step(h, 'mark-bad', cfg.releaseId);
        h.report.result = 'reverted';
        log(`[${h.exec.target}] reverted to ${h.report.previousReleaseId}`);
      } catch (e) {
        h.report.error = `${h.report.error ?? ''} revert failed: ${(e as Error).message}`.trim();
      }
    }
  };

  let error: string | undefined;
  try {
    // 1. Layout and lock on every host first: nothing is uploaded unless every host is reachable, trusted and free.
    const lockFailures = await onHosts(hosts, false, async (h) => {
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
    if (lockFailures.length) throw new Error(lockFailures.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n'));

    if (mode === 'rollback') {
      const failed = await onHosts(hosts, cfg.strategy !== 'parallel', async (h) => {
        const from = h.report.previousReleaseId;
        const target = (await step(h, 'rollback-target', cfg.rollback ?? '')).stdout.trim();
        if (from) await step(h, 'mark-bad', from);
        h.report.releaseId = target;
        await switchTo(h, target);
        await runUserCommands(h, cfg.afterActivate, target, 'after-activate');
        await step(h, 'log', `${new Date().toISOString()} rollback ${from} -> ${target} by ${cfg.owner}`);
        h.report.result = 'ok';
      });
      if (failed.length) throw new Error(failed.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n'));
      return finish();
    }

    if (mode === 'activate') {
      const missing = await onHosts(hosts, false, async (h) => {
        const r = await h.exec.run(remoteStep('exists', base, cfg.releaseId), { timeoutMs: 60_000, signal });
        if (r.code !== 0)
          throw new Error(
            `release ${cfg.releaseId} was not uploaded to ${base}/releases on this host; run with activate: false first`,
          );
      });
      if (missing.length) throw new Error(missing.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n'));
      await activateAll(hosts);
      return finish();
    }

    // 2. Upload and prepare the new release on every host (canary: the first host alone first).
    const prepare = async (h: Host): Promise<void> => {
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

    const canary = cfg.strategy === 'canary' && hosts.length > 1;
    const waves = canary ? [hosts.slice(0, 1), hosts.slice(1)] : [hosts];
    for (const wave of waves) {
      const failed = await onHosts(wave, cfg.strategy !== 'parallel' && !canary, prepare);
      if (failed.length) {
        await revert(hosts.filter((h) => h.switched));
        for (const h of hosts.filter((x) => !x.switched))
          await h.exec.run(remoteStep('discard', base, cfg.releaseId), { timeoutMs: 60_000 });
        throw new Error(
          `before the switch: ${failed.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n')}\nNo host was switched to ${cfg.releaseId}${hosts.some((h) => h.report.result === 'reverted') ? ' (the canary was switched back)' : ''}.`,
        );
      }
      if (mode === 'deploy') await activateAll(wave);
    }
    if (mode === 'prepare') return finish();
    return finish();
  } catch (e) {
    error = (e as Error).message;
    return finish();
  } finally {
    await Promise.all(hosts.map((h) => h.lock?.release().catch(() => undefined)));
  }

  async function activateAll(wave: Host[]): Promise<void> {
    const id = cfg.releaseId;
    const failed = await onHosts(wave, cfg.strategy !== 'parallel', async (h) => {
      await switchTo(h, id);
      await runUserCommands(h, cfg.afterActivate, id, 'after-activate');
      h.report.result = 'ok';
    });
    if (failed.length) {
      // One release id across all hosts: every host already switched goes back.
      await revert(hosts.filter((h) => h.switched));
      throw new Error(
        `after the switch: ${failed.map((h) => `${h.exec.target}: ${h.report.error}`).join('\n')}\nHosts already switched went back to their previous release.`,
      );
    }
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
  }

  function finish(): DeployReport {
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
  }
}
