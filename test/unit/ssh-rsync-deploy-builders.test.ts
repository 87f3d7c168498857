import { describe, expect, it } from 'vitest';
import { checkRemotePath, checkSharedEntry, defaultReleaseId } from '../../src/core/ssh-rsync-deploy/config.js';
import { deployBaseOf } from '../../src/core/run-release-phase/config.js';
import { REMOTE_SCRIPT, batchCommand, parseBatch, userCommand } from '../../src/core/ssh-rsync-deploy/remote.js';
import { parseRsyncStats, rsyncCommand } from '../../src/core/ssh-rsync-deploy/rsync.js';

describe('rsync argv', () => {
  it('links unchanged files to the current release, excludes .git, ends options before paths', () => {
    const c = rsyncCommand({
      source: './app',
      target: { host: '10.0.0.5', port: 2222, user: 'deploy' },
      dest: '/srv/app/releases/r2',
      linkDest: '/srv/app/releases/r1',
      excludes: ['.git', '-e evil'],
      excludeFrom: './app/.deployignore',
      shell: 'ssh -F /tmp/x/ssh_config -p 2222 -l deploy',
      ioTimeoutSec: 60,
      checksum: true,
    });
    expect(c.argv).toEqual([
      'rsync',
      '-a',
      '--delete',
      '--checksum',
      '--stats',
      '--timeout=60',
      '-e',
      'ssh -F /tmp/x/ssh_config -p 2222 -l deploy',
      '--link-dest=/srv/app/releases/r1',
      '--exclude=.git',
      '--exclude=-e evil',
      '--exclude-from=./app/.deployignore',
      '--',
      './app/',
      '10.0.0.5:/srv/app/releases/r2/',
    ]);
  });
  it('brackets IPv6 hosts', () => {
    const c = rsyncCommand({
      source: 's/',
      target: { host: '::1', port: 22, user: 'u' },
      dest: '/d',
      excludes: [],
      shell: 'ssh',
      ioTimeoutSec: 5,
      checksum: false,
    });
    expect(c.argv).not.toContain('--checksum');
    expect(c.argv.at(-1)).toBe('[::1]:/d/');
  });
  it('reads files and bytes from --stats', () => {
    const s = parseRsyncStats(
      'Number of regular files transferred: 1,234\nTotal file size: 9,999,999 bytes\nTotal bytes sent: 2,162,666\n',
    );
    expect(s).toEqual({ files: 1234, bytesSent: 2162666, totalSize: 9999999 });
  });
});

describe('remote steps', () => {
  it('pass inputs as positional arguments to one constant script, ops counted', () => {
    const c = batchCommand('/srv/app', [['lock', 'me'], ['switch', "r1'; rm -rf /"], ['prepare']]);
    expect(c.argv.slice(0, 5)).toEqual(['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT]);
    expect(c.argv.slice(5)).toEqual([
      'deploy-kit',
      '/srv/app',
      '1',
      'lock',
      'me',
      '1',
      'switch',
      "r1'; rm -rf /",
      '0',
      'prepare',
    ]);
    expect(c.label).toBe('lock + switch + prepare');
    expect(REMOTE_SCRIPT).toContain('mv -T -- "$base/.current.tmp" "$base/current"');
    expect(REMOTE_SCRIPT).not.toContain('\\${');
    expect(() => batchCommand('/srv/app', [])).toThrow(/no ops/);
  });
  it('reads the @ lines of a call, ignoring anything else', () => {
    const o = parseBatch(
      [
        '@lock acquired',
        '@current r2',
        '@release r1',
        '@release r2',
        '@bad r0',
        '@history {"event":"activate","id":"r2","at":"t"}',
        'some user text @switched r9',
        '@switched r3',
        '@pruned r0',
        '@unlock released',
        '@note hello there',
      ].join('\n'),
    );
    expect(o).toMatchObject({
      current: 'r2',
      releases: ['r1', 'r2'],
      bad: ['r0'],
      history: ['{"event":"activate","id":"r2","at":"t"}'],
      switched: ['r3'],
      pruned: ['r0'],
      unlocked: true,
      notes: ['hello there'],
    });
    expect(parseBatch('@current ').current).toBe('');
  });
  it('user commands run with strict bash in the release dir, env kept out of argv', () => {
    const c = userCommand('docker compose up -d', '/srv/app/releases/r1', { TOKEN: 's3cret' });
    expect(c.argv).toEqual(['bash', '-euo', 'pipefail', '-c', 'docker compose up -d']);
    expect(c.argv.join(' ')).not.toContain('s3cret');
    expect(c.env).toEqual({ TOKEN: 's3cret' });
  });
});

describe('deploy paths and ids', () => {
  it.each([
    '',
    '/',
    '//',
    'srv/app',
    '/srv/../etc',
    '/srv/./app',
    '/root',
    '//root',
    '/root/',
    '/home/deploy',
    '/home//deploy',
    '/home/deploy/',
    '/etc',
    '/etc/nginx',
    '/usr',
    '/usr/local',
    '/var',
    '/var/lib',
    '/srv',
    '/proc/1',
    '/tmp',
  ])('refuses %j', (p) => {
    expect(() => checkRemotePath(p)).toThrow(/input `path`/);
  });
  it('accepts and normalizes a real base dir', () => {
    expect(checkRemotePath('/srv/app/')).toBe('/srv/app');
    expect(checkRemotePath('//srv//app//')).toBe('/srv/app');
    expect(checkRemotePath('/var/www/app')).toBe('/var/www/app');
    expect(checkRemotePath('/usr/local/app')).toBe('/usr/local/app');
    expect(checkRemotePath('/home/deploy/app')).toBe('/home/deploy/app');
  });
  it.each(['.', './', '..', 'a/../b', 'a//b', '/etc', 'media/./x', ''])(
    'refuses shared entry %j naming the input',
    (e) => {
      expect(() => checkSharedEntry(e)).toThrow(/input `shared`/);
    },
  );
  it('accepts shared entries, a trailing / meaning a directory', () => {
    expect(['.env', 'media', 'storage/logs/', "uploads dir/it's"].map(checkSharedEntry)).toEqual([
      '.env',
      'media',
      'storage/logs/',
      "uploads dir/it's",
    ]);
  });
  it('default release id: short sha and run number (and attempt), else a timestamp', () => {
    expect(defaultReleaseId({ GITHUB_SHA: '1a2b3c4d5e', GITHUB_RUN_NUMBER: '57' })).toBe('1a2b3c4-57');
    expect(defaultReleaseId({ GITHUB_SHA: '1a2b3c4d5e', GITHUB_RUN_NUMBER: '57', GITHUB_RUN_ATTEMPT: '2' })).toBe(
      '1a2b3c4-57.2',
    );
    expect(defaultReleaseId({}, new Date('2026-01-02T03:04:05Z'))).toBe('20260102-030405');
  });
  it('the release phase finds the deploy base (and so its lock) from a release path', () => {
    expect(deployBaseOf('/srv/app/releases/1a2b3c4-57')).toBe('/srv/app');
    expect(deployBaseOf('/srv/app/current')).toBeUndefined();
  });
});
