import type { RunContext } from '../context.js';
import { SshSession, unlockKey } from '../exec/ssh-config.js';
import type { Inputs } from '../inputs.js';
import { readSshInputs } from '../ssh-inputs.js';
import { SSH_DIR_STATE, SSH_SOCKET_DIR_STATE } from '../cleanup-state.js';
import { RunnerTarget } from './runner.js';
import { SshHostTarget } from './ssh.js';
import type { Target } from './types.js';

/** What opening the targets of a run needs from the action: its inputs, log/warn/signal, and the state store. */
export interface OpenContext extends RunContext {
  inputs: Inputs;
  /** Records a value for the post step (core.saveState in an action). */
  saveState?: (name: string, value: string) => void;
}

export interface OpenedTargets<T extends Target = Target> {
  /** The runner (run-on local), or one target per host of `hosts`, in the order given. */
  targets: T[];
  /** The runner itself (rsync and local tools run there). */
  runner: RunnerTarget;
  /** Removes every temp dir, key and master connection; safe to call more than once. */
  dispose: () => Promise<void>;
}

/**
 * The one way to open where a run's commands go: `local` → the runner; `ssh` → every host of the shared SSH
 * inputs (hosts, user, port, private-key, passphrase, known-hosts, insecure-skip-host-key-check, proxy-jump,
 * connect-timeout), through one OpenSSH session whose key folder is recorded for the post step.
 */
export async function openTargets(ctx: OpenContext, runOn: 'local'): Promise<OpenedTargets<RunnerTarget>>;
export async function openTargets(ctx: OpenContext, runOn: 'ssh'): Promise<OpenedTargets<SshHostTarget>>;
export async function openTargets(ctx: OpenContext, runOn: 'local' | 'ssh'): Promise<OpenedTargets>;
export async function openTargets(ctx: OpenContext, runOn: 'local' | 'ssh'): Promise<OpenedTargets> {
  const runner = new RunnerTarget();
  if (runOn === 'local') return { targets: [runner], runner, dispose: () => runner.dispose() };
  const ssh = readSshInputs(ctx.inputs);
  if (ssh.settings.insecureSkipHostKeyCheck) {
    ctx.warn(
      'insecure-skip-host-key-check is on: host keys are not verified, a machine in the middle could read everything',
      'host keys',
    );
  }
  const session = new SshSession(ssh.settings);
  ctx.saveState?.(SSH_DIR_STATE, session.dir);
  ctx.saveState?.(SSH_SOCKET_DIR_STATE, session.socketDir);
  try {
    if (ssh.passphrase) await unlockKey(session, ssh.passphrase);
  } catch (e) {
    session.dispose();
    throw e;
  }
  const targets = ssh.targets.map((h) => new SshHostTarget(session, h, runner));
  for (const t of targets) t.connect();
  let disposed = false;
  return {
    targets,
    runner,
    dispose: async () => {
      if (disposed) return;
      disposed = true;
      try {
        await Promise.all(targets.map((t) => t.dispose().catch(() => undefined)));
        await runner.dispose();
      } finally {
        session.dispose();
      }
    },
  };
}

/** openTargets, run `fn`, dispose in every case. */
export async function withTargets<T>(
  ctx: OpenContext,
  runOn: 'ssh',
  fn: (opened: OpenedTargets<SshHostTarget>) => Promise<T>,
): Promise<T>;
export async function withTargets<T>(
  ctx: OpenContext,
  runOn: 'local' | 'ssh',
  fn: (opened: OpenedTargets) => Promise<T>,
): Promise<T>;
export async function withTargets<T>(
  ctx: OpenContext,
  runOn: 'local' | 'ssh',
  fn: (opened: OpenedTargets<never>) => Promise<T>,
): Promise<T> {
  const opened = await openTargets(ctx, runOn);
  try {
    return await fn(opened as OpenedTargets<never>);
  } finally {
    await opened.dispose();
  }
}
