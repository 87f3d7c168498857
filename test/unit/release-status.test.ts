/**
 * The release phase's preset steps and migration status reads in one process tree (PRESET_RUNNER): run for
 * real with this machine's Python, the probe and the steps small Python programs, the output parsed as the
 * release phase parses it.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { appliedDjango, captureStatus, presetRun, type StatusCapture } from '../../src/core/run-release-phase/steps.js';

const PY = '/usr/bin/python3';
const MARK = 'dk-status-0123456789abcdef';

function run(
  probeCode: string,
  stepCodes: string[],
  o: { before: boolean; after: boolean },
): { code: number | null; cap: StatusCapture; logged: string[]; started: number[] } {
  const argv = presetRun(
    PY,
    stepCodes.map((c) => [PY, '-c', c]),
    [PY, '-c', probeCode],
    { mark: MARK, ...o },
  );
  const r = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 });
  const started: number[] = [];
  const cap: StatusCapture = { ended: [], onStep: (i) => started.push(i) };
  const logged = r.stdout.split('\n').filter((l) => l && !captureStatus(cap, MARK, l));
  return { code: r.status, cap, logged, started };
}

const PLAN = 'print("[X]  shop.0001_initial"); print("[ ]  shop.0002_price")';

describe('preset steps and status reads in one process tree', () => {
  it('before, each step (start, end, exit code, ms), after; the steps’ output passes through, status lines stay out', () => {
    const r = run(PLAN, ['print("Applying shop.0002_price... OK")', 'print("1 static file copied")'], {
      before: true,
      after: true,
    });
    expect(r.code).toBe(0);
    expect(r.logged).toEqual(['Applying shop.0002_price... OK', '1 static file copied']);
    expect(appliedDjango(r.cap.before!)).toEqual(['shop.0001_initial']);
    expect(r.cap.after).toBe(r.cap.before);
    expect(r.started).toEqual([0, 1]);
    expect(r.cap.ended.map((e) => [e.i, e.code])).toEqual([
      [0, 0],
      [1, 0],
    ]);
    expect(r.cap.ended.every((e) => e.ms >= 0)).toBe(true);
    expect(r.cap.failed).toBeUndefined();
  });

  it('a failing step ends the run with its exit code: no later step, no after read', () => {
    const r = run(PLAN, ['import sys; print("boom"); sys.exit(3)', 'print("never")'], { before: true, after: true });
    expect(r.code).toBe(3);
    expect(r.cap.before).toBeDefined();
    expect(r.cap.after).toBeUndefined();
    expect(r.logged).toEqual(['boom']);
    expect(r.cap.ended).toEqual([{ i: 0, code: 3, ms: expect.any(Number) }]);
  });

  it('a failing status read: no step runs (before), or the steps ran (after); its tag and code are reported', () => {
    const r = run('import sys; sys.exit(2)', ['print("ran")'], { before: true, after: false });
    expect(r.code).toBe(2);
    expect(r.cap.failed).toEqual({ tag: 'before', code: 2 });
    expect(r.logged).toEqual([]);
    expect(r.cap.ended).toEqual([]);
    const after = run('import sys; sys.exit(4)', ['print("ran")'], { before: false, after: true });
    expect(after.code).toBe(4);
    expect(after.cap.failed).toEqual({ tag: 'after', code: 4 });
    expect(after.logged).toEqual(['ran']);
    expect(after.cap.ended.map((e) => e.code)).toEqual([0]);
  });

  it('argument boundaries hold: steps with spaces, quotes and leading dashes arrive as they were given', () => {
    const r = run('print("")', ['import sys; print(repr(sys.argv[1:]))'], { before: false, after: false });
    expect(r.code).toBe(0);
    const argv = presetRun(PY, [[PY, '-c', 'import sys; print(sys.argv[1:])', '--x', "a 'b' $(id)"]], [PY, '-V'], {
      mark: MARK,
      before: false,
      after: false,
    });
    const out = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', timeout: 30_000 }).stdout;
    expect(out).toContain(`['--x', "a 'b' $(id)"]`);
  });

  it('only the run’s own mark is captured: an app printing another mark is logged as it is', () => {
    const cap: StatusCapture = { ended: [] };
    expect(captureStatus(cap, MARK, 'dk-status-ffffffffffffffff before [X]  evil.0001')).toBe(false);
    expect(captureStatus(cap, MARK, `${MARK} before [X]  shop.0001_initial`)).toBe(true);
    expect(captureStatus(cap, MARK, `${MARK} before `)).toBe(true);
    expect(cap.before).toBe('[X]  shop.0001_initial\n\n');
  });
});
