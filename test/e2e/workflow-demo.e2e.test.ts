/**
 * scripts/demo.sh (the README's main job) runs in the test command so it cannot rot: the whole pipeline in a
 * sandbox must end with both servers serving v1 after the broken v2 was stopped on staging, and the sandbox must
 * be gone afterwards - also when the demo is interrupted (Ctrl-C reaches the whole process group).
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/paths.js';

interface DemoRun {
  code: number | null;
  out: string;
}

/** Runs the demo in its own process group; `interruptOn`: send SIGINT to the group once this text appears. */
function demo(interruptOn?: string): Promise<DemoRun> {
  return new Promise((resolve) => {
    const child = spawn('bash', [join(ROOT, 'scripts', 'demo.sh')], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let sent = false;
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (interruptOn && !sent && out.includes(interruptOn)) {
        sent = true;
        process.kill(-child.pid!, 'SIGINT');
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 8 * 60_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve({ code, out });
    });
  });
}

const sandboxOf = (out: string): string => /demo: sandbox (\S+)/.exec(out)![1]!;

/** Processes whose command line names the sandbox (sshd and its sessions, gunicorn). */
function processesIn(sandbox: string): string[] {
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (cmd.includes(sandbox)) found.push(`${pid}: ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

describe('scripts/demo.sh', () => {
  it('runs the pipeline twice: v1 reaches production, broken v2 is switched back on staging; cleans up', async () => {
    const r = await demo();
    expect(r.code, r.out.slice(-4000)).toBe(0);
    expect(r.out).toContain('wrote .github/workflows/deploy.yml');
    expect(r.out).toMatch(/✓ pipeline\/production success/);
    expect(r.out).toMatch(/staging serves {4}\{"status": "ok", "version": "v1"\} {3}← switched back to v1 by itself/);
    expect(r.out).toMatch(/production serves \{"status": "ok", "version": "v1"\} {3}← never touched/);
    expect(r.out).toMatch(/- pipeline\/production\s+skipped/);
    expect(r.out).toContain('── job summary: pipeline/production ──');
    // The deploy keys never reached the output.
    expect(r.out).not.toContain('BEGIN OPENSSH PRIVATE KEY');
    const sandbox = sandboxOf(r.out);
    expect(r.out).toContain(`demo: sandbox ${sandbox} removed`);
    expect(existsSync(sandbox)).toBe(false);
    expect(processesIn(sandbox)).toEqual([]);
  }, 420_000);

  it('interrupted during the staging deploy, it still removes the sandbox and stops its servers', async () => {
    const r = await demo('▶ pipeline/staging');
    expect(r.code).toBe(130);
    const sandbox = sandboxOf(r.out);
    expect(r.out).toContain(`demo: sandbox ${sandbox} removed`);
    expect(existsSync(sandbox)).toBe(false);
    expect(processesIn(sandbox)).toEqual([]);
  });
});
