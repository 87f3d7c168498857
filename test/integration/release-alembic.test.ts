/**
 * The release phase core with LocalExecutor against the real Alembic project in test/fixtures/alembic-app
 * (Debian's python3-alembic / python3-sqlalchemy on /usr/bin/python3) and SQLite.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { runReleasePhase, type ReleaseConfig } from '../../src/core/run-release-phase/run.js';
import { ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-alembic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function config(dir: string, db: string, extra: Partial<ReleaseConfig> = {}): ReleaseConfig {
  return {
    runOn: 'local',
    workingDirectory: dir,
    preset: 'alembic',
    commands: [],
    env: { DATABASE_URL: `sqlite:///${db}` },
    python: SYSTEM_PYTHON,
    superuser: false,
    composeFiles: [],
    timeoutMs: 120_000,
    idleTimeoutMs: 60_000,
    lockTimeoutMs: 10_000,
    owner: 'test',
    ...extra,
  };
}

describe('release phase with a real Alembic project', () => {
  it('upgrades to head; the migrations output comes from alembic current; a second run changes nothing', async () => {
    const dir = join(work, 'app');
    cpSync(join(ROOT, 'test', 'fixtures', 'alembic-app'), dir, { recursive: true });
    const db = join(work, 'app.sqlite3');
    const lines: string[] = [];
    const report = await runReleasePhase(
      new RunnerTarget(),
      config(dir, db),
      quietContext({ log: (l) => lines.push(l) }),
    );
    expect(report.status, report.error).toBe('succeeded');
    expect(report.migrations).toMatchObject({ framework: 'alembic', before: [], after: ['b2c3d4e5f6a7'] });
    expect(report.migrations.applied).toEqual(['b2c3d4e5f6a7']);
    expect(report.steps.map((s) => [s.name, s.ok])).toEqual([['alembic upgrade head', true]]);
    // Output streamed: alembic's own log lines reached the log.
    expect(lines.join('\n')).toContain('Running upgrade a1b2c3d4e5f6 -> b2c3d4e5f6a7');
    const schema = execFileSync('sqlite3', [db, '.schema accounts']).toString();
    expect(schema).toContain('email');

    const again = await runReleasePhase(new RunnerTarget(), config(dir, db), quietContext());
    expect(again.status).toBe('succeeded');
    expect(again.migrations.applied).toEqual([]);
    expect(again.migrations.before).toEqual(['b2c3d4e5f6a7']);
  });

  it('a failing extra command after the preset fails with its exit code and last output', async () => {
    const dir = join(work, 'app2');
    cpSync(join(ROOT, 'test', 'fixtures', 'alembic-app'), dir, { recursive: true });
    const report = await runReleasePhase(
      new RunnerTarget(),
      config(dir, join(work, 'app2.sqlite3'), { commands: ['echo checking; echo broken-check >&2; exit 3'] }),
      quietContext(),
    );
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/exited with code 3/);
    expect(report.error).toContain('broken-check');
    expect(report.steps.map((s) => s.ok)).toEqual([true, false]);
  });

  it("uses the release's own .venv/bin/python when it exists", async () => {
    const dir = join(work, 'venv-app');
    cpSync(join(ROOT, 'test', 'fixtures', 'alembic-app'), dir, { recursive: true });
    mkdirSync(join(dir, '.venv', 'bin'), { recursive: true });
    symlinkSync(SYSTEM_PYTHON, join(dir, '.venv', 'bin', 'python'));
    // The `python` input names no interpreter that exists: only the release's venv can succeed.
    const report = await runReleasePhase(
      new RunnerTarget(),
      config(dir, join(work, 'venv.sqlite3'), { python: '/nonexistent/python3' }),
      quietContext(),
    );
    expect(report.status, report.error).toBe('succeeded');
    expect(report.migrations.after).toEqual(['b2c3d4e5f6a7']);
  });
});
