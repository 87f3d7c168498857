import type { RunContext } from '../../lib/context.js';
import { CommandError, runChecked, type ExecOptions, type ExecResult } from '../../lib/exec/types.js';
import { acquireLock, unlockCommand } from '../../lib/lock.js';
import { historyLine, parseHistory, rollbackTarget, type HistoryEvent } from '../../lib/release-history.js';
import type { SshHostTarget } from '../../lib/target/ssh.js';
import type { Target } from '../../lib/target/types.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import type { DeployConfig } from './config.js';
import { batchCommand, parseBatch, userCommand, type BatchOutput, type Op } from './remote.js';
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
  exec: SshHostTarget;
  report: HostReport;
  /** This run may hold the host's lock (an attempt ran and no unlock was seen since). */
  mayHoldLock: boolean;
  switched: boolean;
  /** This run created releases/<id> (only such a release is ever discarded). */
  created: boolean;
  /** What the host had when this run took its lock (read in the same call, so under the lock). */
  state?: HostState;
  /** Server-side ops not sent yet: they go with the next remote call to this host. */
  pending: Op[];
}

export interface HostState {
  current: string;
  releases: Set<string>;
  bad: Set<string>;
  history: HistoryEvent[];
}

/** The run's context (log, warn, signal), its SSH hosts and the runner (where rsync runs). */
export interface DeployContext extends RunContext {
  hosts: SshHostTarget[];
  runner: Target;
}

/**
 * The phases of a release on every host, each callable on its own so that ssh-rsync-deploy and the
 * one-step root action compose the same code: lock → upload → (release phase) → activate → finalize,
 * with revert, discard and unlock for the ways out. Server-side steps are queued per host and sent with
 * the next remote call, so a plain deploy of one host is three SSH sessions: lock + state + new release,
 * rsync, complete + switch + record + prune + unlock. Steps that undo or let go (revert, discard, unlock, the
 * switch itself) ignore the job's cancel signal: a cancelled run must still leave a consistent server.
 */
export interface Deployment {
  readonly hosts: DeployHost[];
  /**
   * On every host, in one call: refuse a base that resolves to a home or system directory, take the lock,
   * read current/releases/history (so everything that decides a switch or rollback is read under the lock),
   * and create the new release directory, refusing a release id that exists. Nothing is uploaded unless
   * every host is reachable, trusted and free.
   */
  lock(): Promise<void>;
  /** Upload, link shared paths, run before-activate. On failure: undo (see below) and throw. */
  upload(wave: DeployHost[]): Promise<void>;
  /** Sends what is queued (complete, shared links) now: the release phase needs the finished release. */
  settle(wave: DeployHost[]): Promise<void>;
  /**
   * Switch, then after-activate. On failure every switched host goes back (with `restartOnRevert`, after-activate
   * then runs again in the previous release, to undo a half-done restart), then throw. With `finalize`, the
   * log, prune (and, on a single host, unlock) go with the switch when there is no after-activate.
   */
  activate(wave: DeployHost[], opts?: { restartOnRevert?: boolean; finalize?: boolean }): Promise<void>;
  /**
   * After a successful switch: releases.log line and pruning; with `last` (nothing of this run can need
   * undoing any more, or a single host) the unlock goes in the same call.
   */
  finalize(wave: DeployHost[], opts?: { last?: boolean }): Promise<void>;
  /** Switch every switched host back to its previous release and mark this release bad. */
  revert(hosts: DeployHost[], opts?: { afterActivate?: boolean; reason?: string }): Promise<void>;
  /** Remove the new release on every host where this run created it and never switched to it. */
  discard(): Promise<void>;
  /** Rollback mode: back to the release live before (from the history) or cfg.rollback, on every host. */
  rollback(): Promise<void>;
  /** Activate-only mode: the release was checked under the lock; activate and finalize. */
  activateOnly(): Promise<void>;
  /** Prepare mode: record the finished upload (and let go of the lock on a single host). */
  finishPrepare(): Promise<void>;
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

const SAFE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The host's state as printed by the `state` op. */
export function hostState(o: BatchOutput): HostState {
  return {
    current: o.current ?? '',
    releases: new Set(o.releases.filter((r) => SAFE_ID.test(r))),
    bad: new Set(o.bad.filter((r) => SAFE_ID.test(r))),
    history: parseHistory(o.history.join('\n')),
  };
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

export function createDeployment(cfg: DeployConfig, ctx: DeployContext): Deployment {
  const { log, signal } = ctx;
  const base = cfg.path;
  const mode = deployMode(cfg);
  const serial = cfg.strategy !== 'parallel';
  const hosts: DeployHost[] = ctx.hosts.map((exec) => ({
    exec,
    mayHoldLock: false,
    switched: false,
    created: false,
    pending: [],
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
  /** With one host, letting go of the lock can ride on the last call: nothing else can need undoing. */
  const inlineUnlock = hosts.length === 1;
  const cmdOpts = (h: DeployHost, abortable = true): ExecOptions => ({
    timeoutMs: cfg.commandTimeoutMs,
    idleTimeoutMs: cfg.idleTimeoutMs,
    signal: abortable ? signal : undefined,
    onStdout: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
    onStderr: (c) => log(`[${h.exec.target}] ${c.toString().trimEnd()}`),
  });
  const releaseDir = (id: string) => `${base}/releases/${id}`;
  const event = (e: Omit<HistoryEvent, 'at' | 'run' | 'by'>): string =>
    historyLine({ ...e, at: new Date().toISOString(), run: cfg.runUrl || undefined, by: cfg.actor || undefined });
  const logLine = (text: string): Op => ['log', `${new Date().toISOString()} ${text} by ${cfg.owner}`];

  /**
   * Sends the host's queued ops plus `ops` in one call. What the call printed is applied to the host (switched,
   * pruned, lock let go) even when a later op failed. `firm`: not tied to the cancel signal.
   */
  const flush = async (h: DeployHost, ops: Op[] = [], firm = false): Promise<BatchOutput> => {
    const all = [...h.pending, ...ops];
    h.pending = [];
    if (!all.length) return parseBatch('');
    let r: ExecResult | undefined;
    try {
      r = await runChecked(h.exec, batchCommand(base, all), {
        timeoutMs: TIMEOUTS.remoteStepMs,
        signal: firm ? undefined : signal,
      });
      return apply(h, r.stdout);
    } catch (e) {
      if (e instanceof CommandError) apply(h, e.result.stdout);
      throw e;
    }
  };
  const apply = (h: DeployHost, stdout: string): BatchOutput => {
    const o = parseBatch(stdout);
    for (const id of o.switched) {
      h.switched = id === cfg.releaseId || h.switched;
      log(`[${h.exec.target}] current -> releases/${id}`);
    }
    if (o.unlocked) h.mayHoldLock = false;
    if (o.pruned.length) h.report.pruned.push(...o.pruned);
    for (const n of o.notes) log(`[${h.exec.target}] ${n}`);
    return o;
  };

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

  const revert: Deployment['revert'] = async (switched, opts = {}) => {
    const reason = opts.reason ?? 'switched back';
    for (const h of switched.filter((x) => x.switched)) {
      const prev = h.report.previousReleaseId;
      const bad: Op = ['mark-bad', cfg.releaseId, event({ event: 'bad', id: cfg.releaseId, reason })];
      if (!prev) {
        // A first deploy has nothing to go back to: keep serving it, but never roll back onto it later.
        await flush(h, [bad], true).catch(() => undefined);
        h.report.result = 'failed'; // not `ok`: it serves a release this run found bad
        h.report.error =
          `${h.report.error ?? ''} no previous release to switch back to: current still points at ${cfg.releaseId} (marked bad)`.trim();
        continue;
      }
      try {
        await timed(h, 'revert', () =>
          flush(
            h,
            [
              ['switch', prev],
              ['history', event({ event: 'activate', id: prev, from: cfg.releaseId, how: 'revert' })],
              bad,
              logLine(`revert ${cfg.releaseId} -> ${prev}`),
            ],
            true,
          ),
        );
        h.report.result = 'reverted';
        log(`[${h.exec.target}] reverted to ${prev}`);
        if (opts.afterActivate) await runUserCommands(h, cfg.afterActivate, prev, 'revert after-activate', false);
      } catch (e) {
        h.report.error = `${h.report.error ?? ''} revert failed: ${(e as Error).message}`.trim();
      }
    }
  };

  const discard: Deployment['discard'] = async () => {
    // Only under this run's lock: a host that already let go may have a new deploy going on.
    for (const h of hosts.filter((x) => !x.switched && x.created && x.mayHoldLock)) {
      h.pending = [];
      try {
        const o = await flush(h, [['discard', cfg.releaseId]], true);
        if (o.discarded.length && h.report.result === 'uploaded') h.report.result = 'discarded';
        if (o.discarded.length) h.created = false;
      } catch (e) {
        h.report.error =
          `${h.report.error ?? ''} the unfinished release ${releaseDir(cfg.releaseId)} could not be removed; remove it by hand: ${(e as Error).message.split('\n').slice(-2).join(' ')}`.trim();
      }
    }
  };

  const lock: Deployment['lock'] = async () => {
    const failures = await onHosts(hosts, false, async (h) => {
      const ops: Op[] = [['check-base'], ['lock', cfg.owner], ['prepare'], ['state']];
      if (mode === 'deploy' || mode === 'prepare') ops.push(['new-release', cfg.releaseId]);
      if (mode === 'activate') ops.push(['require', cfg.releaseId]);
      h.mayHoldLock = true;
      let held: ExecResult;
      try {
        held = (
          await timed(h, 'lock', () =>
            acquireLock(h.exec, base, {
              owner: cfg.owner,
              timeoutMs: cfg.lockTimeoutMs,
              ttlMs: cfg.lockTtlMs,
              signal,
              attempt: batchCommand(base, ops),
              onWait: (by, age) => log(`[${h.exec.target}] waiting for the deploy lock held by ${by} (${age} s)`),
            }),
          )
        ).result;
      } catch (e) {
        // The lock may be ours even though a later op refused (an existing release id): see unlock().
        if (e instanceof CommandError) apply(h, e.result.stdout);
        throw e;
      }
      const o = apply(h, held.stdout);
      h.state = hostState(o);
      h.created = o.created.includes(cfg.releaseId);
      h.report.previousReleaseId = h.state.current;
    });
    if (failures.length) throw new Error(listErrors(failures));
  };

  const prepareHost = async (h: DeployHost): Promise<void> => {
    const prev = h.report.previousReleaseId;
    const rsync = rsyncCommand({
      source: cfg.source,
      target: h.exec.host,
      dest: releaseDir(cfg.releaseId),
      linkDest: prev && prev !== cfg.releaseId && h.state?.releases.has(prev) ? releaseDir(prev) : undefined,
      excludes: cfg.excludes,
      excludeFrom: cfg.excludeFrom,
      shell: h.exec.rsyncShell(),
      ioTimeoutSec: Math.max(10, Math.round(cfg.idleTimeoutMs / 1000)),
      checksum: true,
    });
    log(
      `[${h.exec.target}] uploading ${cfg.source} to ${releaseDir(cfg.releaseId)}${prev ? ` (files with the same content linked to ${prev})` : ''}`,
    );
    const r = await timed(h, 'upload', () =>
      runChecked(ctx.runner, rsync, { timeoutMs: cfg.commandTimeoutMs, signal }),
    );
    const stats = parseRsyncStats(r.stdout);
    h.report.files = stats.files;
    h.report.bytesSent = stats.bytesSent;
    h.pending.push(['complete', cfg.releaseId]);
    if (cfg.shared.length) h.pending.push(['link-shared', cfg.releaseId, ...cfg.shared]);
    if (cfg.beforeActivate.length) {
      await timed(h, 'shared', () => flush(h));
      await runUserCommands(h, cfg.beforeActivate, cfg.releaseId, 'before-activate');
    }
    h.report.result = 'uploaded';
  };

  const upload: Deployment['upload'] = async (wave) => {
    const canary = cfg.strategy === 'canary' && hosts.length > 1;
    const failed = await onHosts(wave, serial && !canary, prepareHost);
    if (failed.length) {
      await revert(
        hosts.filter((h) => h.switched),
        { reason: 'another host failed before its switch' },
      );
      await discard();
      throw new Error(
        `before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}${hosts.some((h) => h.report.result === 'reverted') ? ' (the canary was switched back)' : ''}.`,
      );
    }
  };

  const settle: Deployment['settle'] = async (wave) => {
    const failed = await onHosts(wave, false, (h) => timed(h, 'shared', () => flush(h)).then(() => undefined));
    if (failed.length) {
      await discard();
      throw new Error(`before the switch: ${listErrors(failed)}\nNo host was switched to ${cfg.releaseId}.`);
    }
  };

  const finalOps = (h: DeployHost, last = inlineUnlock): Op[] => {
    const id = h.report.releaseId;
    const prev = h.report.previousReleaseId;
    // Never prune the release a rollback would go back to now.
    const back = rollbackTarget({
      history: [...(h.state?.history ?? []), { event: 'activate', id, at: '' }],
      current: id,
      existing: h.state?.releases ?? new Set(),
      bad: h.state?.bad,
    });
    const ops: Op[] = [
      logLine(`${mode === 'rollback' ? 'rollback' : 'deploy'} ${id} (from ${prev || 'none'})`),
      ['prune', String(cfg.keepReleases), id, ...(prev ? [prev] : []), ...(back ? [back] : [])],
    ];
    if (last || inlineUnlock) ops.push(['unlock', cfg.owner]);
    return ops;
  };

  const activate: Deployment['activate'] = async (wave, opts = {}) => {
    const id = cfg.releaseId;
    const failed = await onHosts(wave, serial, async (h) => {
      const ops: Op[] = [
        ['switch', id],
        [
          'history',
          event({
            event: 'activate',
            id,
            from: h.report.previousReleaseId || undefined,
            how: mode === 'activate' ? 'activate' : 'deploy',
          }),
        ],
      ];
      const inline = opts.finalize && cfg.afterActivate.length === 0;
      await timed(h, 'switch', () => flush(h, inline ? [...ops, ...finalOps(h)] : ops, true)).catch((e: Error) => {
        // The switch went through and only the record or pruning after it failed: live, with a warning.
        if (!h.switched) throw e;
        log(`[${h.exec.target}] switched, but recording or pruning failed: ${e.message}`);
      });
      await runUserCommands(h, cfg.afterActivate, id, 'after-activate');
      h.report.result = 'ok';
    });
    if (failed.length) {
      // One release id across all hosts: every host already switched goes back.
      await revert(
        hosts.filter((h) => h.switched),
        { afterActivate: opts.restartOnRevert, reason: 'after-activate failed' },
      );
      throw new Error(
        `after the switch: ${listErrors(failed)}\nHosts already switched went back to their previous release.`,
      );
    }
  };

  const finalize: Deployment['finalize'] = async (wave, opts = {}) => {
    const errors: string[] = [];
    await Promise.all(
      wave.map(async (h) => {
        await timed(h, 'prune', () => flush(h, finalOps(h, opts.last))).catch((e: Error) =>
          errors.push(`${h.exec.target}: ${e.message}`),
        );
      }),
    );
    if (errors.length) throw new Error(errors.join('\n'));
  };

  const rollback: Deployment['rollback'] = async () => {
    const failed = await onHosts(hosts, serial, async (h) => {
      const st = h.state!;
      const from = st.current;
      let target: string;
      if (cfg.rollback) {
        if (!st.releases.has(cfg.rollback))
          throw new Error(
            `input \`rollback\`: release ${cfg.rollback} does not exist under ${base}/releases; ` +
              `name one that does (newest: ${[...st.releases].sort().reverse().slice(0, 5).join(', ') || 'none'}), or \`rollback: true\` for the one live before`,
          );
        target = cfg.rollback;
      } else {
        const t = rollbackTarget({ history: st.history, current: from, existing: st.releases, bad: st.bad });
        if (!t)
          throw new Error(
            `no earlier good release to roll back to (current: ${from || 'none'}): no release that was live before it is left unmarked on this host; name one with rollback: <release-id>`,
          );
        target = t;
      }
      h.report.releaseId = target;
      const ops: Op[] = [];
      if (from && from !== target)
        ops.push(['mark-bad', from, event({ event: 'bad', id: from, reason: 'rolled back' })]);
      ops.push(
        ['switch', target],
        ['history', event({ event: 'activate', id: target, from: from || undefined, how: 'rollback' })],
      );
      // Each host rolls back on its own (nothing to undo across hosts): its last call lets go of its lock.
      if (cfg.afterActivate.length === 0) ops.push(...finalOps(h, true));
      await timed(h, 'switch', () => flush(h, ops, true));
      h.switched = true;
      await runUserCommands(h, cfg.afterActivate, target, 'after-activate');
      if (cfg.afterActivate.length) await flush(h, finalOps(h, true));
      h.report.result = 'ok';
    });
    if (failed.length) throw new Error(listErrors(failed));
  };

  const activateOnly: Deployment['activateOnly'] = async () => {
    await activate(hosts, { finalize: true });
    if (cfg.afterActivate.length || !inlineUnlock) await finalize(hosts, { last: true });
  };

  const finishPrepare: Deployment['finishPrepare'] = async () => {
    const failed = await onHosts(hosts, false, async (h) => {
      await flush(h, [
        ['history', event({ event: 'upload', id: cfg.releaseId })],
        logLine(`upload ${cfg.releaseId} (not activated)`),
        ['unlock', cfg.owner], // every host uploaded: nothing left to undo
      ]);
    });
    if (failed.length) throw new Error(listErrors(failed));
  };

  const unlock: Deployment['unlock'] = async () => {
    await Promise.all(
      hosts
        .filter((h) => h.mayHoldLock)
        .map(async (h) => {
          // Not tied to the job's signal: a cancelled run must still let go of its lock.
          const r = await h.exec
            .run(unlockCommand(base, cfg.owner), { timeoutMs: TIMEOUTS.unlockMs })
            .catch(() => undefined);
          if (r && r.end === 'exit' && r.code === 0) h.mayHoldLock = false;
        }),
    );
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

  return {
    hosts,
    lock,
    upload,
    settle,
    activate,
    finalize,
    revert,
    discard,
    rollback,
    activateOnly,
    finishPrepare,
    unlock,
    report,
  };
}

export async function runDeploy(cfg: DeployConfig, ctx: DeployContext): Promise<DeployReport> {
  const d = createDeployment(cfg, ctx);
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
      for (const [i, wave] of waves.entries()) {
        await d.upload(wave);
        if (mode === 'deploy') {
          // One host: switch, record, prune and unlock go in one call (unless after-activate runs between).
          // Several: switch on all first (a failure switches every host back), then record + prune + unlock.
          await d.activate(wave, { finalize: d.hosts.length === 1 });
          if (d.hosts.length > 1 || cfg.afterActivate.length) await d.finalize(wave, { last: i === waves.length - 1 });
        }
      }
      if (mode === 'prepare') await d.finishPrepare();
    }
  } catch (e) {
    error = (e as Error).message;
    await d.discard().catch(() => undefined);
  } finally {
    await d.unlock();
  }
  return d.report(error);
}
