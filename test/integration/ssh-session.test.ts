/** SshSession: key material on disk with the right modes, removed on dispose; passphrase keys unlocked without argv. */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SshSession, unlockKey } from '../../src/lib/exec/ssh-config.js';
import { remoteCommandString } from '../../src/lib/exec/ssh.js';
import { readSshInputs } from '../../src/lib/ssh-inputs.js';
import { mapInputs } from '../helpers/inputs.js';

const work = mkdtempSync(join(tmpdir(), 'dk-session-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function makeKey(passphrase: string): string {
  const path = join(work, `key-${Math.random().toString(36).slice(2)}`);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', passphrase, '-C', 'test', '-f', path]);
  return readFileSync(path, 'utf8');
}

describe('SshSession', () => {
  it('writes key, known_hosts and config with owner-only modes and removes them on dispose', () => {
    const s = new SshSession({
      privateKey: makeKey(''),
      knownHosts: '[127.0.0.1]:2222 ssh-ed25519 AAAA',
      tempRoot: work,
    });
    expect(statSync(s.dir).mode & 0o777).toBe(0o700);
    expect(statSync(s.keyPath).mode & 0o777).toBe(0o600);
    const config = readFileSync(s.configPath, 'utf8');
    expect(config).toContain('StrictHostKeyChecking yes');
    expect(config).toContain(`UserKnownHostsFile "${s.knownHostsPath}"`);
    expect(config).toContain('BatchMode yes');
    s.dispose();
    expect(existsSync(s.dir)).toBe(false);
    s.dispose(); // idempotent
  });

  it('refuses to start without known-hosts unless the opt-out is explicit', () => {
    expect(() => new SshSession({ privateKey: makeKey(''), knownHosts: '', tempRoot: work })).toThrow(
      /known-hosts is required/,
    );
    const s = new SshSession({
      privateKey: makeKey(''),
      knownHosts: '',
      insecureSkipHostKeyCheck: true,
      tempRoot: work,
    });
    expect(readFileSync(s.configPath, 'utf8')).toContain('StrictHostKeyChecking no');
    s.dispose();
  });

  it('unlocks a passphrase-protected key; the passphrase never reaches argv', async () => {
    const pass = "p4ss 'with' $(quotes)";
    const s = new SshSession({ privateKey: makeKey(pass), knownHosts: 'x ssh-ed25519 AAAA', tempRoot: work });
    // Before: the key cannot be read without the passphrase.
    expect(() => execFileSync('ssh-keygen', ['-y', '-P', '', '-f', s.keyPath], { stdio: 'pipe' })).toThrow();
    await unlockKey(s, pass);
    expect(execFileSync('ssh-keygen', ['-y', '-P', '', '-f', s.keyPath]).toString()).toMatch(/^ssh-ed25519 /);
    await expect(unlockKey(s, 'wrong')).resolves.toBeUndefined(); // already unlocked: no passphrase asked
    s.dispose();
  });

  it('a wrong passphrase fails with a message naming the input', async () => {
    const s = new SshSession({ privateKey: makeKey('right'), knownHosts: 'x ssh-ed25519 AAAA', tempRoot: work });
    await expect(unlockKey(s, 'wrong')).rejects.toThrow(/passphrase/);
    s.dispose();
  });

  it('the rsync -e value carries the same config (quoted for rsync’s own splitting)', () => {
    const s = new SshSession({
      privateKey: makeKey(''),
      knownHosts: 'x ssh-ed25519 AAAA',
      tempRoot: work,
      proxyJump: 'jump@10.0.0.1:22',
    });
    expect(s.rsyncShell({ host: 'h', port: 2222, user: 'deploy' })).toBe(
      `ssh -F ${s.configPath} -p 2222 -l deploy -J jump@10.0.0.1:22`,
    );
    expect(s.sshArgv({ host: 'h', port: 22, user: 'u' })).toEqual([
      'ssh',
      '-F',
      s.configPath,
      '-p',
      '22',
      '-l',
      'u',
      '-J',
      'jump@10.0.0.1:22',
      '--',
      'h',
    ]);
    s.dispose();
  });
});

describe('remote command line', () => {
  it('env values travel on stdin, never in the command line', () => {
    const { line, stdinPrefix } = remoteCommandString({ argv: ['migrate'], env: { DB_PASSWORD: 'hunter2-$(x)' } });
    expect(line).not.toContain('hunter2');
    expect(stdinPrefix!.toString()).toBe('DB_PASSWORD=hunter2-$(x)\0\0');
  });

  it('the remote wrapper runs locally under sh → bash exactly as sshd would run it', () => {
    const hostile = ["it's", '$(id)', '`x`', 'a\nb', '*', '-n'];
    const { line, stdinPrefix } = remoteCommandString({
      argv: ['bash', '-c', 'printf "%s\\0" "$@"; printf "[%s]" "$SECRET"; cat', 'x', ...hostile],
      env: { SECRET: "multi\nline 'v' $(no)" },
      stdin: 'payload',
      cwd: work,
    });
    const out = execFileSync('/bin/sh', ['-c', line], {
      input: Buffer.concat([stdinPrefix!, Buffer.from('payload')]),
    }).toString();
    const parts = out.split('\0');
    expect(parts.slice(0, hostile.length)).toEqual(hostile);
    expect(parts[hostile.length]).toBe("[multi\nline 'v' $(no)]payload");
  });

  it('refuses invalid env names and NUL bytes', () => {
    expect(() => remoteCommandString({ argv: ['x'], env: { 'BAD NAME': '1' } })).toThrow(
      /not a valid environment variable name/,
    );
    expect(() => remoteCommandString({ argv: ['x'], env: { A: 'a\0b' } })).toThrow(/NUL/);
  });
});

describe('shared SSH inputs', () => {
  const key = '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----';
  it('parses hosts with users and ports', () => {
    const r = readSshInputs(
      mapInputs({
        hosts: 'a.example.com, deploy@10.0.0.5:2222\n[::1]:22',
        user: 'app',
        'private-key': key,
        'known-hosts': 'x',
      }),
      work,
    );
    expect(r.targets).toEqual([
      { host: 'a.example.com', port: 22, user: 'app' },
      { host: '10.0.0.5', port: 2222, user: 'deploy' },
      { host: '::1', port: 22, user: 'app' },
    ]);
  });
  it.each([
    [{ hosts: '' }, /input `hosts`: is required/],
    [{ hosts: 'h', user: '' }, /input `hosts`: no user for "h"/],
    [{ hosts: 'u@h:99999' }, /input `hosts`: port of "u@h:99999" must be 1-65535/],
    [{ hosts: 'u@-oProxyCommand=x' }, /input `hosts`: "-oProxyCommand=x" is not a valid host name/],
    [{ hosts: 'u@h', 'private-key': 'not a key' }, /input `private-key`: does not look like a private key/],
    [{ hosts: 'u@h', 'known-hosts': '' }, /input `known-hosts`: is required; run `ssh-keyscan -p 22 h`/],
    [{ hosts: 'u@h, u@h' }, /input `hosts`: u@h:22 is listed twice/],
  ])('%j fails naming the input', (values, msg) => {
    expect(() => readSshInputs(mapInputs({ 'private-key': key, 'known-hosts': 'x', ...values }), work)).toThrow(msg);
  });
});
