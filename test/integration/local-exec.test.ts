import { describe, expect, it } from 'vitest';
import { LocalExecutor } from '../../src/lib/exec/local.js';
import { CommandError, describeFailure, runChecked } from '../../src/lib/exec/types.js';
import { execFileSync } from 'node:child_process';

const exec = new LocalExecutor();

function alive(pattern: string): boolean {
  try {
    execFileSync('pgrep', ['-f', pattern]);
    return true;
  } catch {
    return false;
  }
}

describe('LocalExecutor (real processes)', () => {
  it('passes argv, env and stdin without a shell', async () => {
    const r = await exec.run({
      argv: ['sh', '-c', 'printf "%s|%s|" "$1" "$V"; cat', 'sh', '$(id) `x`'],
      env: { V: "a'b" },
      stdin: 'from stdin',
    });
    expect(r.code).toBe(0);
    expect(r.stdout).toBe("$(id) `x`|a'b|from stdin");
  });

  it('reports the exit code and the last lines of output', async () => {
    const r = await exec.run({ argv: ['sh', '-c', 'echo one; echo two >&2; exit 3'] });
    expect(r.end).toBe('exit');
    expect(r.code).toBe(3);
    await expect(runChecked(exec, { argv: ['sh', '-c', 'echo boom >&2; exit 4'], label: 'migrate' })).rejects.toThrow(
      /"migrate" exited with code 4; last output:\nboom/,
    );
  });

  it('stops a command at its overall timeout and kills its whole process group', async () => {
    const marker = `dk-timeout-${process.pid}-${Date.now()}`;
    // The marker is in the backgrounded child's own argv (its $0; `; :` keeps that shell from exec'ing sleep),
    // which does not hold stdout, and the top process becomes `sleep 31`: if only that one were killed, the
    // command would end at once and the backgrounded child would live on and match.
    const r = await exec.run(
      { argv: ['sh', '-c', `sh -c 'sleep 30; :' ${marker} >/dev/null 2>&1 & exec sleep 31`] },
      { timeoutMs: 300 },
    );
    expect(r.end).toBe('timeout');
    expect(r.code).toBeNull();
    expect(alive(marker)).toBe(false);
  });

  it('idle timeout catches a background process holding stdout open', async () => {
    // The classic hang: the shell exits at once, a child keeps stdout, nothing more is printed.
    const r = await exec.run(
      { argv: ['sh', '-c', 'echo started; sleep 30 &'] },
      { idleTimeoutMs: 400, timeoutMs: 20_000 },
    );
    expect(r.end).toBe('idle-timeout');
    expect(r.stdout).toBe('started\n');
    expect(describeFailure('up', 'local', r)).toMatch(/printed nothing for too long/);
  });

  it('output keeps the idle timer alive', async () => {
    const r = await exec.run(
      { argv: ['sh', '-c', 'for i in 1 2 3 4 5; do echo $i; sleep 0.15; done'] },
      { idleTimeoutMs: 500 },
    );
    expect(r.end).toBe('exit');
    expect(r.code).toBe(0);
  });

  it('is cancelled by an AbortSignal', async () => {
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 200);
    const r = await exec.run({ argv: ['sleep', '30'] }, { signal: ac.signal });
    expect(r.end).toBe('aborted');
    expect(r.durationMs).toBeLessThan(10_000);
  });

  it('reports a program that does not exist', async () => {
    const r = await exec.run({ argv: ['/nonexistent/deploy-kit-tool'] });
    expect(r.end).toBe('spawn-error');
    await expect(runChecked(exec, { argv: ['/nonexistent/deploy-kit-tool'] })).rejects.toBeInstanceOf(CommandError);
  });

  it('keeps only the tail of huge output', async () => {
    const r = await exec.run({ argv: ['sh', '-c', 'yes x | head -c 3000000; echo END'] }, { maxBuffer: 1000 });
    expect(r.stdoutBytes).toBe(3_000_004);
    expect(r.stdout.length).toBeLessThanOrEqual(1000);
    expect(r.stdout.endsWith('END\n')).toBe(true);
  });
});
