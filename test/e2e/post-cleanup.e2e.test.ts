import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NODE24, ROOT } from '../helpers/paths.js';

// Every bundled post step, run as the runner runs it (STATE_* from main's state file), given state a hostile
// main step or streamed output could have produced: it must remove nothing it cannot prove it made.
const base = mkdtempSync(join(tmpdir(), 'dk-post-e2e-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

function runPost(action: string, runnerTemp: string, state: Record<string, string>): string {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', RUNNER_TEMP: runnerTemp };
  for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v;
  const r = spawnSync(NODE24, [join(ROOT, 'dist', action, 'post.js')], { env, encoding: 'utf8', timeout: 30_000 });
  expect(r.status).toBe(0);
  return r.stdout;
}

describe.each(['backup-db', 'build-image', 'deploy', 'maintenance-dispatch', 'run-release-phase', 'ssh-rsync-deploy'])(
  'dist/%s/post.js',
  (action) => {
    it('leaves `…/victim/deploy-kit-ssh-x/..` and folders outside RUNNER_TEMP alone, removes its own', () => {
      const root = mkdtempSync(join(base, `${action}-`));
      const runnerTemp = join(root, 'runner-temp');
      const victim = join(root, 'victim');
      mkdirSync(join(victim, 'deploy-kit-ssh-x'), { recursive: true });
      writeFileSync(join(victim, 'precious'), 'keep');
      const outside = join(root, 'deploy-kit-ssh-Ab12Cd');
      mkdirSync(outside);
      const own = join(runnerTemp, 'deploy-kit-ssh-Zz9Yy8');
      mkdirSync(own, { recursive: true });
      writeFileSync(join(own, 'id'), 'key material');
      runPost(action, runnerTemp, { 'deploy-kit-ssh-dir': join(victim, 'deploy-kit-ssh-x') + '/..' });
      runPost(action, runnerTemp, { 'deploy-kit-ssh-dir': outside });
      expect(existsSync(join(victim, 'precious'))).toBe(true);
      expect(existsSync(join(victim, 'deploy-kit-ssh-x'))).toBe(true);
      expect(existsSync(outside)).toBe(true);
      runPost(action, runnerTemp, { 'deploy-kit-ssh-dir': own });
      expect(existsSync(own)).toBe(false);
      expect(existsSync(runnerTemp)).toBe(true);
    });
  },
);
