/**
 * backup-db killed with SIGKILL (no `finally` runs) mid-dump and mid-verify: the real bundle against a real
 * PostgreSQL 15 on loopback, run the way the runner runs it (main, then the post step with main's state).
 * What must hold afterwards: the post step removed every credential and plaintext copy main made in
 * RUNNER_TEMP; no file under a final backup name exists unless it was verified; the next run of the same
 * database removes what the killed run left and writes a verified backup.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inputEnvName, parseKeyValueFile } from '../../src/runner/github-files.js';
import { readActionMeta } from '../../src/runner/run-action.js';
import { startPostgres, type PgServer } from '../fixtures/postgres.js';
import { NODE24, ROOT } from '../helpers/paths.js';
import { runBundledAction } from '../../src/runner/run-action.js';

const work = mkdtempSync(join(tmpdir(), 'dk-backup-killed-'));
/** The bundles under test: this checkout's (DK_BUNDLE_ROOT points at another tree to show an older dist fails). */
const BUNDLES = process.env.DK_BUNDLE_ROOT || ROOT;
const runDist = (action: string, inputs: Record<string, string>, extra: { env?: Record<string, string> } = {}) =>
  runBundledAction({ root: BUNDLES, action, inputs, node: NODE24, timeoutMs: 300_000, ...extra });
let pg: PgServer;

beforeAll(async () => {
  pg = await startPostgres();
  pg.createDatabase('big');
  // Big enough that the dump and the verification each take a while (the kill lands inside them).
  pg.sql(
    'CREATE TABLE items (id int primary key, v text); INSERT INTO items SELECT g, md5(g::text) || md5((g+1)::text) FROM generate_series(1, 400000) g;',
    'big',
  );
}, 120_000);
afterAll(async () => {
  await pg?.stop();
  rmSync(work, { recursive: true, force: true });
});

/** A backup's name and its .sha256 beside it (backup-db writes it last), sorted. */
const withSidecar = (path: string): string[] => {
  const n = path.split('/').pop()!;
  return [n, `${n}.sha256`];
};

/** Every regular file under `dir`, recursively (bounded depth). */
function filesUnder(dir: string, depth = 0): string[] {
  if (!existsSync(dir) || depth > 6) return [];
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    const st = statSync(p);
    return st.isDirectory() ? filesUnder(p, depth + 1) : st.isFile() ? [p] : [];
  });
}

/**
 * Runs dist/backup-db as the runner does, SIGKILLs main as soon as `killWhen` sees what it waits for (polled,
 * bounded to 60 s), then runs the post step with the state main recorded. Returns what was on disk between.
 */
async function killedRun(inputs: Record<string, string>, runnerTemp: string, killWhen: () => boolean) {
  const meta = readActionMeta(join(BUNDLES, 'actions', 'backup-db', 'action.yml'));
  const files = mkdtempSync(join(work, 'files-'));
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !/^(INPUT|STATE)_/.test(k)) env[k] = v;
  Object.assign(env, {
    RUNNER_TEMP: runnerTemp,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: join(files, 'output'),
    GITHUB_STATE: join(files, 'state'),
    GITHUB_STEP_SUMMARY: join(files, 'summary'),
  });
  for (const f of ['output', 'state', 'summary']) writeFileSync(join(files, f), '');
  for (const [name, spec] of Object.entries(meta.inputs)) env[inputEnvName(name)] = inputs[name] ?? spec.default ?? '';
  const child = spawn(NODE24, [meta.main], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (c: Buffer) => (log += c.toString()));
  child.stderr.on('data', (c: Buffer) => (log += c.toString()));
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  let killed = false;
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline && child.exitCode === null) {
    if (killWhen()) {
      child.kill('SIGKILL');
      killed = true;
      break;
    }
    await new Promise((r) => setTimeout(r, 3));
  }
  if (!killed) child.kill('SIGKILL');
  await exited;
  expect(killed, `main ended before the moment to kill it came:\n${log}`).toBe(true);
  // What the killed main step left in RUNNER_TEMP, read before the post step runs.
  const leftInTemp = filesUnder(runnerTemp).map((path) => ({ path, text: readFileSync(path, 'latin1') }));
  const state = parseKeyValueFile(readFileSync(join(files, 'state'), 'utf8'));
  const postEnv = { ...env };
  for (const [k, v] of Object.entries(state)) postEnv[`STATE_${k}`] = v;
  const post = spawnSync(NODE24, [meta.post!], { env: postEnv, encoding: 'utf8', timeout: 30_000 });
  expect(post.status, post.stdout + post.stderr).toBe(0);
  return { leftInTemp, afterPost: filesUnder(runnerTemp), log };
}

const FINAL = /^big-\d{8}T\d{6}Z\.dump\.zst$/;
/** Files held in `state` (this version's `.partial~host~pid`, or an older version's bare `.partial`). */
const holding = (dir: string, state: string) =>
  readdirSync(dir).filter((n) => n.includes(`.${state}~`) || n.endsWith(`.${state}`));
const holdsPassword = (files: { text: string }[]) => files.filter((f) => f.text.includes(pg.password));

describe('backup-db killed with SIGKILL', () => {
  it('mid-dump: the post step removes the credentials; the next run removes the partial and backs up', async () => {
    const out = join(work, 'out-dump');
    const runnerTemp = join(work, 'temp-dump');
    mkdirSync(runnerTemp, { recursive: true });
    const inputs = { engine: 'postgres', 'database-url': pg.url('big'), 'output-dir': out, verify: 'restore' };
    const r = await killedRun(inputs, runnerTemp, () => existsSync(out) && holding(out, 'partial').length > 0);
    // Killed while the dump was written: the credentials file was there (the case the post step is for).
    expect(holdsPassword(r.leftInTemp).length).toBeGreaterThan(0);
    expect(r.afterPost).toEqual([]);
    expect(readdirSync(runnerTemp)).toEqual([]);
    expect(holding(out, 'partial')).toHaveLength(1);
    expect(readdirSync(out).filter((n) => FINAL.test(n))).toEqual([]);

    const next = await runDist('backup-db', { ...inputs, keep: '1' }, { env: { RUNNER_TEMP: runnerTemp } });
    expect(next.exitCode, next.stdout + next.stderr).toBe(0);
    expect(next.stdout).toContain('removed what stopped runs left');
    expect(readdirSync(out).sort()).toEqual(withSidecar(next.outputs.path!));
    expect(next.outputs.verified).toBe('true');
  });

  it('mid-verify: no file under a final name, the plaintext and credentials go with the post step', async () => {
    const out = join(work, 'out-verify');
    const runnerTemp = join(work, 'temp-verify');
    mkdirSync(runnerTemp, { recursive: true });
    const inputs = { engine: 'postgres', 'database-url': pg.url('big'), 'output-dir': out, verify: 'restore' };
    // Killed the moment the dump is complete: held for verification (or, wrongly, already under its final name).
    const r = await killedRun(
      inputs,
      runnerTemp,
      () => existsSync(out) && (holding(out, 'unverified').length > 0 || readdirSync(out).some((n) => FINAL.test(n))),
    );
    expect(r.leftInTemp.length).toBeGreaterThan(0);
    expect(r.afterPost).toEqual([]);
    // The dump was complete but never verified: it is held, not final.
    expect(readdirSync(out).filter((n) => FINAL.test(n))).toEqual([]);
    expect(holding(out, 'unverified')).toHaveLength(1);
    const held = join(out, holding(out, 'unverified')[0]!);

    // restore refuses it by name (it never passed verification).
    const restore = await runDist('backup-db', {
      engine: 'postgres',
      'database-url': pg.url('big'),
      mode: 'restore',
      'restore-from': held,
      confirm: 'big',
    });
    expect(restore.exitCode).toBe(1);
    expect(restore.annotations.join('\n')).toContain('never became a backup');

    const next = await runDist('backup-db', { ...inputs, keep: '1' }, { env: { RUNNER_TEMP: runnerTemp } });
    expect(next.exitCode, next.stdout + next.stderr).toBe(0);
    expect(readdirSync(out).sort()).toEqual(withSidecar(next.outputs.path!));
    expect(next.outputs.path).toMatch(/\/big-\d{8}T\d{6}Z\.dump\.zst$/);
  });
});
