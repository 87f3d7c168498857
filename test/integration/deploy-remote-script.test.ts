/**
 * The server-side script of ssh-rsync-deploy and the root action, run by the real bash of this machine on
 * temp dirs (what sshd would start on a host). Quick checks of the refusals; the e2e tests cover them over SSH.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { batchCommand, parseBatch, type Op } from '../../src/core/ssh-rsync-deploy/remote.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';

const work = mkdtempSync(join(tmpdir(), 'dk-remote-script-'));
const runner = new RunnerTarget();
afterAll(() => rmSync(work, { recursive: true, force: true }));

const run = (base: string, ops: Op[], env: NodeJS.ProcessEnv = {}) =>
  new RunnerTarget({ ...process.env, ...env }).run(batchCommand(base, ops), { timeoutMs: 30_000 });

describe('remote script', () => {
  it("check-base: a symlink to a home directory, the deploy user's $HOME and a system directory are refused, nothing written", async () => {
    const fakeHome = join(work, 'home-of-deploy');
    mkdirSync(fakeHome);
    symlinkSync('/root', join(work, 'to-root'));
    symlinkSync(fakeHome, join(work, 'to-home'));
    symlinkSync('/etc', join(work, 'to-etc'));
    for (const [base, why] of [
      [join(work, 'to-root'), 'it resolves to /root on this host (the home directory of an account)'],
      [join(work, 'to-home'), `it resolves to ${fakeHome} on this host (the home directory of an account)`],
      [join(work, 'to-etc'), 'it resolves to /etc on this host (a system directory)'],
      [`${join(work, 'to-etc')}/nginx`, 'it resolves to /etc/nginx on this host (inside a system directory)'],
    ] as const) {
      const r = await run(base, [['check-base'], ['lock', 'me'], ['prepare']], { HOME: fakeHome });
      expect(r.code, base).toBe(8);
      expect(r.stderr).toContain(why);
      expect(r.stdout).not.toContain('@lock');
    }
    expect(readdirSync(fakeHome)).toEqual([]);
    expect(existsSync('/root/.deploy-kit') || existsSync('/etc/.deploy-kit')).toBe(false);
  });

  it('check-base accepts a directory of its own (also through a symlink)', async () => {
    mkdirSync(join(work, 'real-app'));
    symlinkSync(join(work, 'real-app'), join(work, 'app-link'));
    const r = await run(join(work, 'app-link'), [['check-base'], ['lock', 'me'], ['prepare'], ['state']]);
    expect(r.code, r.stderr).toBe(0);
    expect(parseBatch(r.stdout)).toMatchObject({ current: '', releases: [] });
    expect(existsSync(join(work, 'real-app', '.deploy-kit', 'lock'))).toBe(true);
  });

  it('new-release refuses an existing release, keeps an unfinished one only to replace it', async () => {
    const base = join(work, 'ids');
    expect((await run(base, [['prepare'], ['new-release', 'r1']])).code).toBe(0);
    writeFileSync(join(base, 'releases', 'r1', 'f'), 'partial');
    // Unfinished (partial marker, never live): replaced.
    const again = await run(base, [['new-release', 'r1']]);
    expect(again.code, again.stderr).toBe(0);
    expect(parseBatch(again.stdout).notes.join()).toContain('removed the unfinished upload of r1');
    expect(existsSync(join(base, 'releases', 'r1', 'f'))).toBe(false);
    // Finished: refused, untouched.
    writeFileSync(join(base, 'releases', 'r1', 'f'), 'done');
    expect((await run(base, [['complete', 'r1']])).code).toBe(0);
    const refused = await run(base, [['new-release', 'r1']]);
    expect(refused.code).toBe(6);
    expect(refused.stderr).toContain('release r1 already exists');
    expect(readFileSync(join(base, 'releases', 'r1', 'f'), 'utf8')).toBe('done');
    // discard never removes the live release or one that was ever live.
    const live = await run(base, [
      ['switch', 'r1'],
      ['history', '{"event":"activate","id":"r1","at":"t"}'],
      ['discard', 'r1'],
    ]);
    expect(parseBatch(live.stdout).discarded).toEqual([]);
    expect(existsSync(join(base, 'releases', 'r1', 'f'))).toBe(true);
  });

  it('link-shared: a link in the release is replaced by the shared entry, never followed', async () => {
    const base = join(work, 'shared');
    const outside = join(work, 'outside');
    mkdirSync(join(outside, 'uploads'), { recursive: true });
    writeFileSync(join(outside, 'uploads', 'keep'), 'mine');
    expect((await run(base, [['prepare'], ['new-release', 'r1']])).code).toBe(0);
    symlinkSync(outside, join(base, 'releases', 'r1', 'media')); // the entry itself is a link: it is the entry
    symlinkSync(outside, join(base, 'releases', 'r1', 'data')); // a parent is a link: refused
    const ok = await run(base, [['link-shared', 'r1', 'media']]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(readdirSync(join(base, 'shared', 'media'))).toEqual([]); // a fresh dir, not the outside one
    const bad = await run(base, [['link-shared', 'r1', 'data/uploads']]);
    expect(bad.code).toBe(5);
    expect(bad.stderr).toContain('never follows a link out of the release');
    expect(readFileSync(join(outside, 'uploads', 'keep'), 'utf8')).toBe('mine');
    expect(existsSync(join(base, 'shared', 'data'))).toBe(false);
  });

  it('link-shared creates what is missing: name.ext a file, else (or with a trailing /) a directory', async () => {
    const base = join(work, 'kinds');
    expect((await run(base, [['prepare'], ['new-release', 'r1']])).code).toBe(0);
    const r = await run(base, [['link-shared', 'r1', '.env', 'media', 'config.d/', 'storage/app.log']]);
    expect(r.code, r.stderr).toBe(0);
    const kind = (p: string) => (statSync(join(base, 'shared', p)).isFile() ? 'file' : 'dir');
    expect(['.env', 'media', 'config.d', 'storage/app.log'].map(kind)).toEqual(['file', 'dir', 'dir', 'file']);
    expect(readlinkSync(join(base, 'releases', 'r1', 'config.d'))).toBe(join(base, 'shared', 'config.d'));
  });

  it('lock: a second owner sees it held and runs nothing after it', async () => {
    const base = join(work, 'lock');
    expect((await run(base, [['lock', 'one'], ['prepare']])).code).toBe(0);
    const second = await run(base, [['lock', 'two'], ['prepare'], ['new-release', 'x']]);
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/^@lock held\tone\t\d+$/m);
    expect(existsSync(join(base, 'releases', 'x'))).toBe(false);
    await run(base, [['unlock', 'two']]);
    expect(existsSync(join(base, '.deploy-kit', 'lock'))).toBe(true); // not the owner: kept
    expect(parseBatch((await run(base, [['unlock', 'one']])).stdout).unlocked).toBe(true);
    expect(existsSync(join(base, '.deploy-kit', 'lock'))).toBe(false);
    await runner.dispose();
  });
});
