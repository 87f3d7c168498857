/**
 * scripts/demo.sh (the README's main job) runs in the test command so it cannot rot. It is also the end-to-end
 * test of the compose pipeline's main story, through the local workflow runner, on a workflow written by
 * `deploy-kit init --target compose`: staging and production are two compose projects (nginx → Django →
 * PostgreSQL 15) on one bridged Docker Engine reached over a real sshd, images go to a real registry on
 * 127.0.0.1, and deployment records to a local stand-in for GitHub's Deployments API (the real one cannot be
 * reached from here). The demo writes the state it sees after each run as JSON (DEMO_STATE_FILE); the test
 * asserts it: what each environment serves, the digest pinned in its .env, the containers running, the
 * migrations applied, the backups taken, the registry tags and the deployment records.
 *
 * Run 1: v1 built once, tested in the image, staged, approved, promoted: both projects pin, run and serve the
 * same digest. Run 2: v2 migrates and passes staging, fails production's gate (it breaks only with production's
 * settings): production is back on v1's digest by itself, its pre-update backup restored (v1's schema, the row
 * written before kept), its tag pointed back, and v2 recorded in staging only.
 *
 * Interrupted by SIGTERM while the staging job runs, the demo cancels the run and leaves nothing behind: no
 * process in its mount namespace (dockerd, containerd, sshd…), no bridge, no mount, no temp dir.
 * (workflow-compose.e2e.test.ts keeps the case the demo does not show: a failing migration stops the pipeline
 * before production.) `--target releases` (rsync releases on two sshd hosts) runs too, so it cannot rot either.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoState } from '../../scripts/demo/compose.js';
import { ROOT } from '../helpers/paths.js';

const work = mkdtempSync(join(tmpdir(), 'dk-demo-test-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface DemoRun {
  code: number | null;
  out: string;
  state?: DemoState;
  /** System uptime (s) when the demo said its namespace was emptied. */
  emptiedAt: number;
}

const uptime = (): number => Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
/** When a process started, in seconds of system uptime (/proc/<pid>/stat field 22, in clock ticks of 1/100 s). */
const startedAt = (pid: string): number => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]) / 100;
};

/** Runs the demo in its own process group; `terminateOn`: SIGTERM to the script once this text appears. */
function demo(name: string, terminateOn?: string, args: string[] = []): Promise<DemoRun> {
  const stateFile = join(work, `${name}.json`);
  return new Promise((resolve) => {
    const child = spawn('bash', [join(ROOT, 'scripts', 'demo.sh'), ...args], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, DEMO_STATE_FILE: stateFile },
    });
    let out = '';
    let sent = false;
    let emptiedAt = Infinity;
    const onData = (c: Buffer): void => {
      out += c.toString();
      if (emptiedAt === Infinity && /demo: namespace \S+ emptied/.test(out)) emptiedAt = uptime();
      if (terminateOn && !sent && out.includes(terminateOn)) {
        sent = true;
        process.kill(child.pid!, 'SIGTERM'); // the script only, as `kill <pid>` would
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    // Bounded: a demo that hangs is killed (its group) and the test fails on the exit code.
    const guard = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), 25 * 60_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      const state = existsSync(stateFile) ? (JSON.parse(readFileSync(stateFile, 'utf8')) as DemoState) : undefined;
      resolve({ code, out, state, emptiedAt });
    });
  });
}

const sandboxOf = (out: string): string => /demo: sandbox (\S+)/.exec(out)![1]!;
const namespaceOf = (out: string): string => /demo: namespace (mnt:\[\d+\]) emptied/.exec(out)![1]!;
const bridgesOf = (out: string): string[] => [...out.matchAll(/demo: bridge (dk[0-9a-f]+) gone/g)].map((m) => m[1]!);

/**
 * What the demo left: processes in its mount namespace or naming its sandbox, mounts, bridges, files. A
 * namespace's inode number is reused once it is gone, so a process counts only if it started before the demo
 * said the namespace was emptied (one started later is in someone else's new namespace).
 */
function leftovers({ out, emptiedAt }: DemoRun): string[] {
  const sandbox = sandboxOf(out);
  const ns = namespaceOf(out);
  const found: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (readlinkSync(`/proc/${pid}/ns/mnt`) === ns && startedAt(pid) <= emptiedAt)
        found.push(`in the namespace: ${pid} ${cmd}`);
      else if (cmd.includes(sandbox)) found.push(`names the sandbox: ${pid} ${cmd}`);
    } catch {
      // gone meanwhile
    }
  }
  for (const m of readFileSync('/proc/self/mounts', 'utf8').split('\n'))
    if (m.includes(sandbox)) found.push(`mount: ${m}`);
  for (const b of bridgesOf(out))
    if (spawnSync('ip', ['link', 'show', b], { stdio: 'ignore', timeout: 10_000 }).status === 0)
      found.push(`bridge ${b}`);
  if (existsSync(sandbox)) found.push(`dir ${sandbox}`);
  return found;
}

const DIGEST_REF = /^127\.0\.0\.1:\d+\/shop@sha256:[0-9a-f]{64}$/;
const V1_MIGRATIONS = ['0001_initial', '0002_price', '0003_stock'];

describe.concurrent('scripts/demo.sh (compose target)', () => {
  it(
    'run 1: v1 reaches production; run 2: v2 fails production’s gate and production is back on v1 by itself; nothing is left',
    async () => {
      const r = await demo('full');
      expect(r.code, r.out.slice(-6000)).toBe(0);
      expect(r.out).toContain('wrote .github/workflows/deploy.yml');
      expect(r.out).toContain('environment production: approved (--approve)');
      expect(r.out).toMatch(/✓ pipeline\/production success/);
      expect(r.out).toMatch(/✗ pipeline\/production failure/);
      expect(r.out).toContain('── job summary: pipeline/production ──');
      // Secrets never reached the output: the deploy key, the database password in DATABASE_URL.
      expect(r.out).not.toContain('PRIVATE KEY');
      expect(r.out).not.toMatch(/postgres:\/\/app:pw-/);

      const st = r.state!;
      expect(st.runs.map((x) => [x.version, x.exitCode])).toEqual([
        ['v1', 0],
        ['v2', 1],
      ]);
      // After run 1: both projects pin, run and serve the same digest; the tags and records say so.
      const a = st.afterRun1!;
      const v1 = a.staging.pinned;
      expect(v1).toMatch(DIGEST_REF);
      for (const e of [a.staging, a.production]) {
        expect(e.pinned).toBe(v1);
        expect(e.running).toEqual([v1]);
        expect(e.serves).toBe('v1');
        expect(e.migrations).toEqual(V1_MIGRATIONS);
        expect(e.backups).toBe(1);
        expect(e.tag).toBe(v1);
      }
      expect(st.deploymentsAfterRun1).toEqual(['staging:success', 'production:success']);

      // After run 2: staging on v2 (passed its gate), production back on v1 with v1's schema and its data.
      const f = st.final!;
      const v2 = f.staging.pinned;
      expect(v2).toMatch(DIGEST_REF);
      expect(v2).not.toBe(v1);
      expect(f.staging.running).toEqual([v2]);
      expect(f.staging.serves).toBe('v2');
      expect(f.staging.migrations).toEqual([...V1_MIGRATIONS, '0004_discount']);
      expect(f.staging.tag).toBe(v2);
      expect(f.staging.backups).toBe(2);
      expect(f.production.pinned).toBe(v1);
      expect(f.production.running).toEqual([v1]);
      expect(f.production.serves).toBe('v1');
      expect(f.production.health).toMatch(/^200 /);
      expect(f.production.migrations).toEqual(V1_MIGRATIONS);
      expect(f.production.tag).toBe(v1);
      expect(f.production.backups).toBe(2);
      expect(st.productionDiscountColumn).toBe('0');
      expect(st.productionOrders).toBe('order placed before v2|3');
      // v2 is recorded in staging only: production's record is written after its gate, which failed.
      expect(st.deployments).toEqual(['staging:success', 'production:success', 'staging:success']);

      expect(r.out).toContain(`demo: sandbox ${sandboxOf(r.out)} removed`);
      expect(leftovers(r)).toEqual([]);
    },
    26 * 60_000,
  );

  it(
    'SIGTERM while the staging job runs: the run is cancelled and nothing is left (processes, mounts, bridge, files)',
    async () => {
      const r = await demo('interrupted', '▶ pipeline/staging');
      expect(r.code, r.out.slice(-6000)).toBe(130);
      expect(r.out).toContain('demo: interrupted');
      expect(r.out).toMatch(/interrupted \(SIGTERM\): cancelling the run, stopping the servers/);
      expect(r.out).not.toMatch(/✓ pipeline\/staging success/);
      expect(bridgesOf(r.out)).toHaveLength(1);
      expect(r.out).toContain(`demo: sandbox ${sandboxOf(r.out)} removed`);
      expect(leftovers(r)).toEqual([]);
    },
    26 * 60_000,
  );
});

describe('scripts/demo.sh --target releases', () => {
  it(
    'rsync releases on two sshd hosts: v1 reaches production, broken v2 is switched back on staging; cleans up',
    async () => {
      const r = await demo('releases', undefined, ['--target', 'releases']);
      expect(r.code, r.out.slice(-4000)).toBe(0);
      expect(r.out).toContain('wrote .github/workflows/deploy.yml');
      expect(r.out).toMatch(/✓ pipeline\/production success/);
      expect(r.out).toMatch(/staging serves {4}\{"status": "ok", "version": "v1"\} {3}← switched back to v1 by itself/);
      expect(r.out).toMatch(/production serves \{"status": "ok", "version": "v1"\} {3}← never touched/);
      expect(r.out).toMatch(/- pipeline\/production\s+skipped/);
      expect(r.out).not.toContain('PRIVATE KEY');
      const sandbox = sandboxOf(r.out);
      expect(r.out).toContain(`demo: sandbox ${sandbox} removed`);
      expect(existsSync(sandbox)).toBe(false);
      const named = readdirSync('/proc')
        .filter((p) => /^\d+$/.test(p))
        .filter((p) => {
          try {
            return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(sandbox);
          } catch {
            return false;
          }
        });
      expect(named).toEqual([]);
    },
    10 * 60_000,
  );
});
