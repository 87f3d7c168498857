import { describe, expect, it } from 'vitest';
import { checkRemotePath, defaultReleaseId } from '../../src/core/ssh-rsync-deploy/config.js';
import { deployBaseOf } from '../../src/core/run-release-phase/run.js';
import { REMOTE_SCRIPT, remoteStep, userCommand } from '../../src/core/ssh-rsync-deploy/remote.js';
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
    });
    expect(c.argv).toEqual([
      'rsync',
      '-a',
      '--delete',
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
    });
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
  it('pass inputs as positional arguments to one constant script', () => {
    const c = remoteStep('switch', '/srv/app', "r1'; rm -rf /");
    expect(c.argv.slice(0, 5)).toEqual(['bash', '--norc', '--noprofile', '-c', REMOTE_SCRIPT]);
    expect(c.argv.slice(5)).toEqual(['deploy-kit', 'switch', '/srv/app', "r1'; rm -rf /"]);
    expect(REMOTE_SCRIPT).toContain('mv -T -- "$base/.current.tmp" "$base/current"');
    expect(REMOTE_SCRIPT).not.toContain('\\${');
  });
  it('user commands run with strict bash in the release dir, env kept out of argv', () => {
    const c = userCommand('docker compose up -d', '/srv/app/releases/r1', { TOKEN: 's3cret' });
    expect(c.argv).toEqual(['bash', '-euo', 'pipefail', '-c', 'docker compose up -d']);
    expect(c.argv.join(' ')).not.toContain('s3cret');
    expect(c.env).toEqual({ TOKEN: 's3cret' });
  });
});

describe('deploy paths and ids', () => {
  it.each(['', '/', '//', 'srv/app', '/srv/../etc', '/srv/./app', '/root', '/home/deploy', '/home/deploy/'])(
    'refuses %j',
    (p) => {
      expect(() => checkRemotePath(p)).toThrow(/input `path`/);
    },
  );
  it('accepts and normalizes a real base dir', () => {
    expect(checkRemotePath('/srv/app/')).toBe('/srv/app');
    expect(checkRemotePath('/home/deploy/app')).toBe('/home/deploy/app');
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
