/**
 * The deploy lock (src/lib/lock.ts) on the runner against a real filesystem. A lock that cannot be removed is
 * made real with a tmpfs remounted read-only (the tests run as root, as the Docker tests do).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { acquireLock } from '../../src/lib/lock.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';

const runner = new RunnerTarget();
let base: string;
const opts = (owner: string) => ({ owner, timeoutMs: 200, pollMs: 50, ttlMs: 60_000 });

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dk-lock-'));
  execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m', 'tmpfs', base]);
});

afterAll(async () => {
  execFileSync('umount', [base]);
  rmSync(base, { recursive: true, force: true });
  await runner.dispose();
});

describe('deploy lock', () => {
  it('taken once: a second owner waits its timeout and is refused naming the holder; release lets go', async () => {
    const held = await acquireLock(runner, base, opts('run-1'));
    expect(readFileSync(join(base, '.deploy-kit', 'lock', 'owner'), 'utf8').trim()).toBe('run-1');
    await expect(acquireLock(runner, base, opts('run-2'))).rejects.toThrow(
      /is locked by another deploy \(run-1, \d+ s ago\); waited 0 s \(lock-timeout\)/,
    );
    expect(await held.release()).toBeUndefined();
    expect(existsSync(join(base, '.deploy-kit', 'lock'))).toBe(false);
  });

  it('a lock that cannot be removed: release says so and names the directory; the lock is still there', async () => {
    const held = await acquireLock(runner, base, opts('run-3'));
    execFileSync('mount', ['-o', 'remount,ro', base]);
    try {
      const problem = await held.release();
      expect(problem).toMatch(
        new RegExp(
          `^local: could not release the deploy lock \\(exit 1: .*Read-only file system\\); if the next deploy waits for it, remove ${base}/\\.deploy-kit/lock on local by hand$`,
        ),
      );
      expect(readFileSync(join(base, '.deploy-kit', 'lock', 'owner'), 'utf8').trim()).toBe('run-3');
    } finally {
      execFileSync('mount', ['-o', 'remount,rw', base]);
    }
    // Once the filesystem is writable again, the same release lets go.
    expect(await held.release()).toBeUndefined();
    expect(existsSync(join(base, '.deploy-kit', 'lock'))).toBe(false);
  });
});
