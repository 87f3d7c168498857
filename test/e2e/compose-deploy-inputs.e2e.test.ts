/**
 * compose-deploy's new inputs and first-contact failures, the bundle run as the runner runs it (no Docker
 * needed: each case fails before any docker command):
 *
 * - registry-username / registry-password / registry and the mysql/mariadb backup inputs fail naming the
 *   input before anything connects (a listener on the host port sees no connection);
 * - against a real sshd on 127.0.0.1: a key the host refuses fails with the SSH reason (not as a missing
 *   `path`); a missing project directory fails naming `path`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectRefusedBeforeConnect, unusedSshInputs } from '../fixtures/refused-inputs.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

let sshd: SshdHost;
let other: SshdHost;
const work = mkdtempSync(join(tmpdir(), 'dk-cd-inputs-'));

beforeAll(async () => {
  sshd = await startSshd();
  other = await startSshd(); // only for its client key, which `sshd` does not accept
}, 60_000);

afterAll(async () => {
  await sshd?.stop();
  await other?.stop();
  rmSync(work, { recursive: true, force: true });
});

describe('compose-deploy inputs', () => {
  it('registry and mysql/mariadb backup inputs fail naming the input before anything connects', async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ 'registry-password': 'sekret-1' }, /input `registry-username`: is required with registry-password/],
      [{ 'registry-username': 'ci' }, /input `registry-password`: is required with registry-username/],
      [{ 'registry-username': '--password=x', 'registry-password': 'sekret-1' }, /input `registry-username`/],
      [{ registry: 'reg.example' }, /input `registry`: is used with registry-username/],
      [
        { 'registry-username': 'ci', 'registry-password': 'sekret-1', registry: 'reg.example/../x' },
        /input `registry`: .* is not a registry host/,
      ],
      [
        { image: '', build: 'true', 'registry-username': 'ci', 'registry-password': 'sekret-1' },
        /input `registry`: is required with registry-username when the image does not name it/,
      ],
      [{ backup: 'mariadb', database: 'shop', 'database-url': 'postgres://a@b/shop' }, /input `database-url`: scheme/],
      [
        { backup: 'mysql', database: 'shop', 'restore-db-on-rollback': 'true' },
        /input `restore-db-on-rollback`: is not available with backup: mysql/,
      ],
      [{ backup: 'mongodb', database: 'shop' }, /input `backup`: mongodb inside a compose service is not supported/],
    ];
    await expectRefusedBeforeConnect(
      'compose-deploy',
      (port) => ({ ...unusedSshInputs(port), path: '/srv/shop', image: 'reg.example:5000/shop:1' }),
      cases,
      // The password was masked as soon as it was read, and is in no annotation.
      (annotations) => expect(annotations).not.toContain('sekret-1'),
    );
  }, 180_000);

  it('a key the host refuses fails with the SSH reason, not as a missing path', async () => {
    const r = await runDist('compose-deploy', {
      hosts: sshd.spec,
      'private-key': other.privateKey,
      'known-hosts': sshd.knownHosts,
      path: work,
      image: 'reg.example/shop:1',
    });
    expect(r.exitCode).toBe(1);
    const text = r.annotations.join('\n');
    expect(text).not.toMatch(/does not exist \(input `path`\)/);
    expect(text).toMatch(/Permission denied|authenticat/i);
  }, 60_000);

  it('a project directory that is not on the host fails naming path', async () => {
    const r = await runDist('compose-deploy', {
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      path: join(work, 'no-such-project'),
      image: 'reg.example/shop:1',
    });
    expect(r.exitCode).toBe(1);
    expect(r.annotations.join('\n')).toMatch(
      new RegExp(`the compose project directory ${join(work, 'no-such-project')} does not exist \\(input \`path\`\\)`),
    );
    expect(r.outputs.status).toBe('failed');
  }, 60_000);
});
