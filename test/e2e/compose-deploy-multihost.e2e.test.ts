/**
 * compose-deploy on two hosts where the gate fails because of the second: both hosts are switched back and
 * the release is marked bad on both.
 *
 * What the test builds (all on 127.0.0.1, nothing faked): two real sshd (test/fixtures/sshd.ts), each in a
 * private mount namespace in which its own directory is bind-mounted over one shared path, so `path` (one
 * input for all hosts) is the same string on both yet holds each host's own project: its compose file, its
 * `.env`, its `.deploy-kit/` (lock, history, images). Each host's directory also holds `docker.sock`, a
 * symlink to its own Docker Engine (two bridged dockerd, test/fixtures/dockerd.ts), so `docker-host`
 * (also one input) reaches a different engine from each host. Each project is test/fixtures/compose-mini.ts
 * (busybox httpd web + nginx with its config baked in, published on its own 127.0.0.1 port). The image comes
 * from one real registry, so both hosts pin the same digest.
 *
 * The two projects differ in one setting only: host B's `.env` has GATE_FAIL_VERSION=v2, so v2's
 * /cgi-bin/healthz answers 503 there and 200 on host A. The gate checks both proxies.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { miniAppImage, startMiniStack, type MiniStack } from '../fixtures/compose-mini.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

const top = mkdtempSync('/tmp/dk-multi-');
/** The path every host sees (each through its own bind mount). */
const site = join(top, 'site');
let reg: Registry;
const hosts: { dir: string; stack: MiniStack; sshd: SshdHost }[] = [];

beforeAll(async () => {
  mkdirSync(site);
  reg = await startRegistry();
  for (const [name, gateFail] of [
    ['a', ''],
    ['b', 'v2'],
  ] as const) {
    const dir = join(top, name);
    mkdirSync(dir);
    const stack = await startMiniStack({ parent: dir, name: 'shop', proxy: true, gateFailVersion: gateFail });
    symlinkSync(stack.dockerHost.replace(/^unix:\/\//, ''), join(dir, 'docker.sock'));
    // One deploy key for both hosts (as a team's deploy user would have).
    const sshd = await startSshd({ mount: { dir, at: site }, clientKey: hosts[0]?.sshd.privateKey });
    hosts.push({ dir, stack, sshd });
  }
  miniAppImage(hosts[0]!.stack.dockerd, `${reg.host}/mini:v2`, 'v2');
  hosts[0]!.stack.docker('push', `${reg.host}/mini:v2`);
}, 400_000);

afterAll(async () => {
  for (const h of hosts) {
    await h.sshd.stop();
    await h.stack.stop();
  }
  await reg?.stop();
  rmSync(top, { recursive: true, force: true });
});

const served = async (port: number) =>
  (await (await fetch(`http://127.0.0.1:${port}/VERSION`, { signal: AbortSignal.timeout(10_000) })).text()).trim();
const history = (dir: string) =>
  readFileSync(join(dir, 'shop', '.deploy-kit', 'releases.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as { event: string; id: string; how?: string });

describe('compose-deploy on two hosts', () => {
  it('the gate fails on the second host: both hosts switched back to their previous image, both marked bad', async () => {
    const v1 = hosts.map((h) => h.stack.docker('image', 'inspect', '--format', '{{.Id}}', 'dk-mini:v1').trim());
    for (const h of hosts) expect(h.stack.running('web')).toEqual(['dk-mini:v1']);
    for (const h of hosts) expect(await served(h.stack.proxyPort)).toBe('v1');
    // The two hosts are separate: each its own engine (v1 built on each: different image ids), its own files.
    expect(v1[0]).not.toBe(v1[1]);
    const r = await runDist('compose-deploy', {
      hosts: hosts.map((h) => h.sshd.spec).join('\n'),
      'private-key': hosts[0]!.sshd.privateKey,
      'known-hosts': hosts.map((h) => h.sshd.knownHosts).join('\n'),
      path: join(site, 'shop'),
      'docker-host': `unix://${join(site, 'docker.sock')}`,
      image: `${reg.host}/mini:v2`,
      'release-id': 'rel-v2',
      'proxy-service': 'proxy',
      'proxy-settle': '1s',
      'drain-timeout': '3s',
      'healthy-timeout': '2m',
      url: hosts.map((h) => `http://127.0.0.1:${h.stack.proxyPort}/cgi-bin/healthz`).join('\n'),
      period: '500ms',
      deadline: '8s',
    });
    console.log(`two-host deploy, gate failed on the second, both switched back: phases ${r.outputs.phases}`);
    expect(r.exitCode, r.stdout + r.stderr).toBe(1);
    expect(r.outputs.status, r.stdout + r.stderr).toBe('rolled-back');
    expect(r.outputs['rolled-back']).toBe('true');
    const report = JSON.parse(r.outputs.hosts!) as {
      host: string;
      image: string;
      swaps: unknown[];
      rolledBack: boolean;
    }[];
    expect(report.map((h) => h.host)).toEqual(hosts.map((h) => expect.stringContaining(`:${h.sshd.port}`)));
    // Both hosts ran v2 (the same digest), then both were switched back.
    expect(report[0]!.image).toMatch(/mini@sha256:[0-9a-f]{64}$/);
    expect(report[1]!.image).toBe(report[0]!.image);
    for (const h of report) {
      expect(h.swaps).toHaveLength(1);
      expect(h.rolledBack).toBe(true);
    }
    expect(r.annotations.join('\n')).toMatch(new RegExp(`health gate failed: .*${hosts[1]!.stack.proxyPort}`));
    for (const [i, h] of hosts.entries()) {
      // Back on the image it ran before, pinned by its image id on that host's engine.
      expect(h.stack.running('web')).toEqual([v1[i]]);
      expect(h.stack.envImage()).toBe(v1[i]);
      expect(await served(h.stack.proxyPort)).toBe('v1');
      const events = history(h.dir);
      expect(events.filter((e) => e.event === 'bad').map((e) => e.id)).toEqual(['rel-v2']);
      expect(events.at(-2)).toMatchObject({ event: 'activate', how: 'revert' });
      expect(existsSync(join(h.dir, 'shop', '.deploy-kit', 'lock'))).toBe(false);
    }
    // Nothing was written at the shared path itself: each host wrote into its own directory.
    expect(existsSync(join(site, 'shop'))).toBe(false);
  }, 300_000);
});
