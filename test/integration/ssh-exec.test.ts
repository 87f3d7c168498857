/** SshExecutor against a real sshd on loopback. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SshSession } from '../../src/lib/exec/ssh-config.js';
import { SshExecutor } from '../../src/lib/exec/ssh.js';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';

describe('SshExecutor over a real sshd', () => {
  let sshd: SshdHost;
  let session: SshSession;
  let exec: SshExecutor;
  beforeAll(async () => {
    sshd = await startSshd();
    session = new SshSession({ privateKey: sshd.privateKey, knownHosts: sshd.knownHosts });
    exec = new SshExecutor(session, { host: sshd.host, port: sshd.port, user: sshd.user });
  });
  afterAll(async () => {
    session.dispose();
    await sshd.stop();
  });

  it('hostile argv, env and stdin arrive literally', async () => {
    const hostile = ["it's", '$(touch /tmp/dk-pwned)', '`id`', 'a\nb', '*', '-rf', ' spaced ', '', '"q"', '\\'];
    const r = await exec.run({
      argv: ['bash', '-c', 'printf "%s\\0" "$@"; printf "[%s]" "$SECRET"; cat', 'x', ...hostile],
      env: { SECRET: "multi\nline 'v' $(no) `x`" },
      stdin: 'payload',
    });
    expect(r.code).toBe(0);
    const parts = r.stdout.split('\0');
    expect(parts.slice(0, hostile.length)).toEqual(hostile);
    expect(parts[hostile.length]).toBe("[multi\nline 'v' $(no) `x`]payload");
  });

  it('runs in cwd and reports exit codes', async () => {
    const r = await exec.run({ argv: ['sh', '-c', 'pwd; exit 7'], cwd: '/tmp' });
    expect(r.code).toBe(7);
    expect(r.stdout.trim()).toBe('/tmp');
  });

  it('idle timeout catches a remote background process holding stdout', async () => {
    const r = await exec.run(
      { argv: ['sh', '-c', 'echo started; sleep 30 &'] },
      // The idle clock starts at spawn, so it must cover connection set-up on a loaded machine too.
      { idleTimeoutMs: 5000, timeoutMs: 25_000 },
    );
    expect(r.end).toBe('idle-timeout');
    expect(r.stdout).toContain('started');
  });

  it('refuses a host whose key does not match known-hosts, naming the fix', async () => {
    const other = await startSshd();
    try {
      // known-hosts holds the key of another server for this address:port.
      const wrong = new SshSession({
        privateKey: sshd.privateKey,
        knownHosts: other.knownHosts.replace(`:${other.port}`, `:${sshd.port}`),
      });
      const r = await new SshExecutor(wrong, { host: sshd.host, port: sshd.port, user: sshd.user }).run({
        argv: ['true'],
      });
      wrong.dispose();
      expect(r.code).toBe(255);
      expect(r.stderr).toContain(
        `host key for 127.0.0.1:${sshd.port} does not match known-hosts; run \`ssh-keyscan -p ${sshd.port} 127.0.0.1\``,
      );

      const unknown = new SshSession({ privateKey: sshd.privateKey, knownHosts: other.knownHosts });
      const r2 = await new SshExecutor(unknown, { host: sshd.host, port: sshd.port, user: sshd.user }).run({
        argv: ['true'],
      });
      unknown.dispose();
      expect(r2.code).toBe(255);
      // known-hosts has no line for this host:port at all: the unknown-key branch, pinned.
      expect(r2.stderr).toContain(
        `host key for 127.0.0.1:${sshd.port} is not in known-hosts; run \`ssh-keyscan -p ${sshd.port} 127.0.0.1\` from a trusted machine and add the output`,
      );
      expect(r2.stderr).not.toContain('does not match');
    } finally {
      await other.stop();
    }
  });

  it('connection refused is explained', async () => {
    const dead = new SshExecutor(session, { host: '127.0.0.1', port: 1, user: sshd.user });
    const r = await dead.run({ argv: ['true'] });
    expect(r.code).toBe(255);
    expect(r.stderr).toContain('nothing accepts SSH connections on 127.0.0.1:1');
  });

  // sshd runs on this machine, so the host's process table is ours to read.
  const running = (marker: string): boolean => {
    try {
      // -x: the whole command line, so only the remote `sleep` itself matches (not the ssh client or the
      // wrapper, whose command lines contain the script).
      return execFileSync('pgrep', ['-x', '-f', marker], { encoding: 'utf8' }).trim() !== '';
    } catch {
      return false; // pgrep exits 1 when nothing matches
    }
  };
  // Process-group files left for groups that no longer exist (other test files run SSH commands on this
  // host at the same time, so files of live commands may come and go; a stale one is ours to answer for).
  const stalePgidFiles = (): string[] =>
    readdirSync('/tmp')
      .filter((f) => /^deploy-kit-pgid-[0-9a-f]{16}$/.test(f))
      .filter((f) => {
        let pgid: number;
        try {
          pgid = Number(readFileSync(join('/tmp', f), 'utf8').trim());
        } catch {
          return false; // removed meanwhile
        }
        try {
          process.kill(-pgid, 0);
          return false; // the group still runs
        } catch {
          return existsSync(join('/tmp', f)); // group gone: stale unless removed meanwhile
        }
      });

  it.each([
    ['cancelled', 'aborted'],
    ['timed out', 'timeout'],
    ['idle', 'idle-timeout'],
  ])(
    'a %s command is stopped on the host too, over the shared connection',
    async (_what, end) => {
      exec.connect(); // the shared master: killing the local client alone would leave the command running
      const marker = `${31 + Math.floor(Math.random() * 1000)}.${process.pid}`;
      const ac = new AbortController();
      const opts =
        end === 'aborted'
          ? { signal: ac.signal, timeoutMs: 60_000 }
          : end === 'timeout'
            ? { timeoutMs: 2500 }
            : { idleTimeoutMs: 2500, timeoutMs: 60_000 };
      const pending = exec.run({ argv: ['sh', '-c', `echo up; trap '' TERM; sleep ${marker}; echo never`] }, opts);
      if (end === 'aborted') {
        for (let i = 0; i < 100 && !running(`sleep ${marker}`); i++) await new Promise((r) => setTimeout(r, 100));
        expect(running(`sleep ${marker}`)).toBe(true);
        ac.abort();
      }
      const r = await pending;
      expect(r.end).toBe(end);
      expect(r.stdout).not.toContain('never');
      // The group (sh ignoring TERM, and its sleep) is gone from the host, and the run file with it.
      expect(running(`sleep ${marker}`)).toBe(false);
      expect(stalePgidFiles()).toEqual([]);
    },
    60_000,
  );

  it('a command cancelled as it starts is stopped on the host too', async () => {
    exec.connect();
    const marker = `${31 + Math.floor(Math.random() * 1000)}.${process.pid}`;
    const ac = new AbortController();
    const pending = exec.run({ argv: ['sh', '-c', `trap '' TERM; sleep ${marker}`] }, { signal: ac.signal });
    setTimeout(() => ac.abort(), 20); // before the remote side is likely to have written anything
    const r = await pending;
    expect(r.end).toBe('aborted');
    // If the command had started after all, it was stopped; either way nothing is left running.
    for (let i = 0; i < 30 && running(`sleep ${marker}`); i++) await new Promise((res) => setTimeout(res, 100));
    expect(running(`sleep ${marker}`)).toBe(false);
    expect(stalePgidFiles()).toEqual([]);
  }, 60_000);

  it('a finished command leaves no run file on the host', async () => {
    const r = await exec.run({ argv: ['sh', '-c', 'exit 3'] });
    expect(r.code).toBe(3);
    expect(stalePgidFiles()).toEqual([]);
  });
});
