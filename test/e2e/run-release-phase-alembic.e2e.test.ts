/** run-release-phase bundle with preset alembic against the real Alembic project in test/fixtures/alembic-app. */
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, SYSTEM_PYTHON } from '../helpers/paths.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk-release-alembic-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('run-release-phase with a real Alembic project (e2e)', () => {
  it('upgrades to head, then runs the extra commands; outputs and summary say what happened', async () => {
    const app = join(work, 'app');
    cpSync(join(ROOT, 'test', 'fixtures', 'alembic-app'), app, { recursive: true });
    const db = join(work, 'app.sqlite3');
    const run = await runDist('run-release-phase', {
      'run-on': 'local',
      'working-directory': app,
      preset: 'alembic',
      python: SYSTEM_PYTHON,
      commands:
        'echo "after upgrade: $(sqlite3 "${DATABASE_URL#sqlite:///}" "select version_num from alembic_version")"',
      env: `DATABASE_URL=sqlite:///${db}`,
    });
    expect(run.exitCode, run.stdout).toBe(0);
    expect(run.outputs.status).toBe('succeeded');
    expect(Number(run.outputs['duration-ms'])).toBeGreaterThan(0);
    expect(JSON.parse(run.outputs.migrations!)).toEqual({
      framework: 'alembic',
      applied: ['b2c3d4e5f6a7'],
      before: [],
      after: ['b2c3d4e5f6a7'],
    });
    expect(run.stdout).toContain('after upgrade: b2c3d4e5f6a7');
    expect(run.summary).toContain('| alembic upgrade head | ok |');
    expect(run.summary).toContain('Migrations applied (alembic): b2c3d4e5f6a7');
    expect(execFileSync('sqlite3', [db, 'select version_num from alembic_version']).toString().trim()).toBe(
      'b2c3d4e5f6a7',
    );
  });
});
