/**
 * dist/ssh-rsync-deploy SIGKILLed while its SSH master connection is up (no `finally` runs), then its post step
 * run with the state main recorded, as GitHub does after a cancelled or crashed step: the post step closes the
 * master and removes the control-socket folder and the key folder. Real sshd on 127.0.0.1; the control sockets go
 * under a short TMPDIR of this test, so nothing other tests make in /tmp is looked at.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killedRun } from '../fixtures/killed-run.js';
import { mastersMentioning, running, stillRunning } from '../fixtures/ssh-masters.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';

const work = mkdtempSync(join(tmpdir(), 'dk-master-e2e-'));
/** A short TMPDIR (socket paths are limited) owned by this test: the main step's control-socket folder goes here. */
const shortTmp = mkdtempSync('/tmp/dkm-');

/** Control sockets in the dkcm-* folders under this test's TMPDIR. */
function controlSockets(): string[] {
  return readdirSync(shortTmp)
    .filter((n) => n.startsWith('dkcm-'))
    .flatMap((d) => {
      try {
        return readdirSync(join(shortTmp, d)).filter((n) => /^cm-[0-9a-f]+$/.test(n));
      } catch {
        return [];
      }
    });
}

describe('dist/ssh-rsync-deploy killed with its master connection up', () => {
  let sshd: SshdHost;
  const seen = new Set<number>();

  beforeAll(async () => {
    sshd = await startSshd();
  });
  afterAll(async () => {
    for (const pid of [...seen, ...mastersMentioning(work)]) {
      try {
        process.kill(pid, 'SIGKILL'); // only when an assertion failed: masters of this test's runs
      } catch {
        // already gone
      }
    }
    await sshd?.stop();
    rmSync(work, { recursive: true, force: true });
    rmSync(shortTmp, { recursive: true, force: true });
  });

  it('the post step closes the master, removes the dkcm-* and key folders', async () => {
    const runnerTemp = mkdtempSync(join(work, 'runner-temp-'));
    let atKill: number[] = [];
    const src = join(work, 'src');
    mkdirSync(src, { recursive: true });
    for (let i = 0; i < 50; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i}\n`.repeat(100));
    const r = await killedRun({
      action: 'ssh-rsync-deploy',
      inputs: {
        hosts: sshd.spec,
        'private-key': sshd.privateKey,
        'known-hosts': sshd.knownHosts,
        source: src,
        path: join(work, 'remote', 'app'),
        'lock-timeout': '2s',
      },
      runnerTemp,
      env: { TMPDIR: shortTmp },
      // Killed once the master listens on its control socket (it is up and serving the deploy).
      killWhen: () => {
        const m = mastersMentioning(runnerTemp);
        for (const pid of m) seen.add(pid);
        atKill = m.filter(running);
        return atKill.length > 0 && controlSockets().length > 0;
      },
      maxMs: 60_000,
    });
    expect(r.killedAtMoment, r.log).toBe(true);
    // ssh -f: the foreground ssh forks the master and exits; the master is not main's child, SIGKILL leaves it up.
    expect(atKill.length).toBeGreaterThan(0);
    const masters = [...seen];
    expect(r.leftInTemp.some((f) => /\/deploy-kit-ssh-[A-Za-z0-9]{6}\/id$/.test(f))).toBe(true);

    expect(r.postExitCode, r.postOutput).toBe(0);
    expect(r.postOutput).toMatch(/closed 1 SSH master connection/);
    // The master acknowledged `-O exit` before the post step ended and exits right after: bounded wait for it.
    expect(await stillRunning(masters)).toEqual([]);
    expect(mastersMentioning(runnerTemp)).toEqual([]);
    expect(controlSockets()).toEqual([]);
    expect(readdirSync(shortTmp).filter((n) => n.startsWith('dkcm-'))).toEqual([]);
    expect(r.afterPost).toEqual([]);
    expect(existsSync(runnerTemp)).toBe(true);
  });
});
