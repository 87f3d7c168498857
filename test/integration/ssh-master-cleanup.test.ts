/**
 * The SSH control-master connection of a main step that never reached its `finally` (SIGKILL): openTargets records
 * the control-socket folder, and the post step's cleanupRecordedState closes the master (`ssh -O exit`) and removes
 * the folder. Real sshd on 127.0.0.1, real OpenSSH masters found through /proc.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SSH_DIR_STATE, SSH_SOCKET_DIR_STATE, cleanupRecordedState, socketRoot } from '../../src/lib/cleanup-state.js';
import { quietContext } from '../../src/lib/context.js';
import { openTargets } from '../../src/lib/target/open.js';
import { mastersMentioning, stillRunning } from '../fixtures/ssh-masters.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { mapInputs } from '../helpers/inputs.js';

const work = mkdtempSync(join(tmpdir(), 'dk-master-'));

describe('SSH master connection left by a killed main step', () => {
  let sshd: SshdHost;
  const started: number[] = [];

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    // Teardown even when an assertion failed: masters this test started (found by its own temp path) are stopped.
    for (const pid of started) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await sshd?.stop();
    rmSync(work, { recursive: true, force: true });
  });

  it('the post step closes the master and removes the socket folder and key folder main recorded', async () => {
    const runnerTemp = mkdtempSync(join(work, 'runner-temp-'));
    const state: Record<string, string> = {};
    const saved = process.env.RUNNER_TEMP;
    process.env.RUNNER_TEMP = runnerTemp;
    let opened;
    try {
      opened = await openTargets(
        {
          ...quietContext(),
          inputs: mapInputs({ hosts: sshd.spec, 'private-key': sshd.privateKey, 'known-hosts': sshd.knownHosts }),
          saveState: (k, v) => void (state[k] = v),
        },
        'ssh',
      );
    } finally {
      if (saved === undefined) delete process.env.RUNNER_TEMP;
      else process.env.RUNNER_TEMP = saved;
    }
    // Main is "killed" here: dispose never runs.
    const alive = mastersMentioning(runnerTemp);
    started.push(...alive);
    const keyDir = state[SSH_DIR_STATE]!;
    const socketDir = state[SSH_SOCKET_DIR_STATE]!;
    expect(keyDir.startsWith(`${runnerTemp}/`)).toBe(true);
    expect(socketDir?.startsWith(`${socketRoot()}/dkcm-`)).toBe(true);
    expect(alive).toHaveLength(1);
    expect(readdirSync(socketDir).filter((n) => n.startsWith('cm-'))).toHaveLength(1);
    // The master still serves: a command through the target rides it.
    expect((await opened.targets[0]!.run({ argv: ['echo', 'through master'] })).stdout.trim()).toBe('through master');

    const lines: string[] = [];
    const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp };
    for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v;
    const removed = cleanupRecordedState(env, (l) => lines.push(l));

    expect(mastersMentioning(runnerTemp)).toEqual([]);
    expect(await stillRunning(alive)).toEqual([]);
    expect(existsSync(socketDir)).toBe(false);
    expect(existsSync(keyDir)).toBe(false);
    expect(removed).toEqual([socketDir, keyDir]);
    expect(lines.join('\n')).toMatch(/closed 1 SSH master connection/);
    // A second post step (or the normal path after dispose) finds nothing and does nothing.
    expect(cleanupRecordedState(env, () => undefined)).toEqual([]);
  });

  it('a recorded socket folder the post step cannot prove is left alone', () => {
    const runnerTemp = mkdtempSync(join(work, 'runner-temp-'));
    // Right name, wrong parent; right parent, wrong name; a path that escapes with `..`.
    const elsewhere = join(work, 'dkcm-Ab12Cd');
    mkdirSync(elsewhere);
    writeFileSync(join(elsewhere, 'keep'), 'x');
    const wrongName = mkdtempSync(join(socketRoot(), 'dkcx-'));
    const victim = mkdtempSync(join(socketRoot(), 'dk-victim-'));
    try {
      for (const value of [elsewhere, wrongName, `${socketRoot()}/dkcm-Ab12Cd/../${victim.split('/').pop()!}`]) {
        const removed = cleanupRecordedState(
          { RUNNER_TEMP: runnerTemp, [`STATE_${SSH_SOCKET_DIR_STATE}`]: value },
          () => undefined,
        );
        expect(removed).toEqual([]);
      }
      expect(existsSync(join(elsewhere, 'keep'))).toBe(true);
      expect(existsSync(wrongName)).toBe(true);
      expect(existsSync(victim)).toBe(true);
    } finally {
      rmSync(wrongName, { recursive: true, force: true });
      rmSync(victim, { recursive: true, force: true });
    }
  });
});
