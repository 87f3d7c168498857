import * as core from '@actions/core';
import type { ActionContext } from './action.js';
import { cleanupRecordedState, SSH_DIR_STATE } from './cleanup-state.js';
import { SshExecutor } from './exec/ssh.js';
import { SshSession, unlockKey } from './exec/ssh-config.js';
import { readSshInputs } from './ssh-inputs.js';

export interface OpenSsh {
  session: SshSession;
  executors: SshExecutor[];
  close: () => void;
}

/**
 * Reads the shared SSH inputs, writes the key material (0600, in RUNNER_TEMP) and records its folder in
 * the action state so the post step removes it even if main is killed. Warns when host keys go unchecked.
 */
export async function openSsh(ctx: ActionContext): Promise<OpenSsh> {
  const ssh = readSshInputs(ctx.inputs);
  if (ssh.settings.insecureSkipHostKeyCheck) {
    ctx.warn(
      'insecure-skip-host-key-check is on: host keys are not verified, a machine in the middle could read everything',
      'host keys',
    );
  }
  const session = new SshSession(ssh.settings);
  core.saveState(SSH_DIR_STATE, session.dir);
  try {
    if (ssh.passphrase) await unlockKey(session, ssh.passphrase);
  } catch (e) {
    session.dispose();
    throw e;
  }
  const executors = ssh.targets.map((t) => new SshExecutor(session, t));
  for (const e of executors) e.connect();
  return { session, executors, close: () => session.dispose() };
}

/** What a core routine that works on every host needs: the session, one executor per host, the job's log and signal. */
export interface SshDeps {
  session: SshSession;
  executors: SshExecutor[];
  log: (line: string) => void;
  signal: AbortSignal;
}

/** openSsh, run fn with the hosts and the job's log and signal, remove the key material in every case. */
export async function withSsh<T>(ctx: ActionContext, fn: (deps: SshDeps) => Promise<T>): Promise<T> {
  const ssh = await openSsh(ctx);
  try {
    return await fn({ session: ssh.session, executors: ssh.executors, log: ctx.log, signal: ctx.signal });
  } finally {
    ssh.close();
  }
}

/** The post step: remove the key folder recorded by openSsh (only when provably ours), whatever happened in main. */
export function cleanupSshState(): void {
  cleanupRecordedState();
}
