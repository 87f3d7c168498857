/** SshExecutor against a real sshd on loopback. */
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
      expect(r2.stderr).toMatch(/host key for 127\.0\.0\.1:\d+ (is not in|does not match) known-hosts/);
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
});
