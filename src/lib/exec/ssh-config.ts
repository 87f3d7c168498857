import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { socketRoot } from '../cleanup-state.js';
import { quoteArgv } from '../quote.js';
import { TIMEOUTS } from '../timeouts.js';
import type { SshTarget } from './ssh-target.js';

export interface SshSettings {
  /** Private key text (OpenSSH or PEM). */
  privateKey: string;
  /** known_hosts lines; required unless insecureSkipHostKeyCheck. */
  knownHosts: string;
  insecureSkipHostKeyCheck?: boolean;
  /** Bastion as `[user@]host[:port]`; its key must be in knownHosts too. */
  proxyJump?: string;
  connectTimeoutSec?: number;
  /** Parent for the temp dir holding key and config (RUNNER_TEMP on GitHub). */
  tempRoot?: string;
}

/**
 * Everything OpenSSH needs for one run, in a 0700 temp dir: the key (0600), known_hosts and an
 * ssh_config. A config file (not -o flags) is used because it applies to ProxyJump hops too,
 * so the bastion's host key is checked against the same known-hosts.
 * ssh and rsync share this one trust path.
 */
export class SshSession {
  readonly dir: string;
  readonly configPath: string;
  readonly keyPath: string;
  readonly knownHostsPath: string;
  readonly proxyJump?: string;
  readonly socketDir: string;
  private disposed = false;

  constructor(settings: SshSettings) {
    if (!settings.insecureSkipHostKeyCheck && !settings.knownHosts.trim()) {
      throw new Error(
        'known-hosts is required: run `ssh-keyscan -p <port> <host>` from a trusted machine and store the output as a secret',
      );
    }
    this.dir = mkdtempSync(join(settings.tempRoot ?? tmpdir(), 'deploy-kit-ssh-'));
    chmodSync(this.dir, 0o700);
    // Unix socket paths are limited to ~104 bytes: control sockets live in a short folder of their own
    // (openTargets records it; the post step closes its masters and removes it: cleanup-state.ts).
    this.socketDir = mkdtempSync(join(socketRoot(), 'dkcm-'));
    chmodSync(this.socketDir, 0o700);
    this.keyPath = join(this.dir, 'id');
    this.knownHostsPath = join(this.dir, 'known_hosts');
    this.configPath = join(this.dir, 'ssh_config');
    let key = settings.privateKey.replace(/\r\n/g, '\n');
    if (!key.endsWith('\n')) key += '\n';
    writeFileSync(this.keyPath, key, { mode: 0o600 });
    writeFileSync(this.knownHostsPath, settings.knownHosts.replace(/\r\n/g, '\n') + '\n', { mode: 0o600 });
    const strict = !settings.insecureSkipHostKeyCheck;
    const lines = [
      'Host *',
      '  BatchMode yes',
      '  IdentitiesOnly yes',
      `  IdentityFile "${this.keyPath}"`,
      `  UserKnownHostsFile "${strict ? this.knownHostsPath : '/dev/null'}"`,
      '  GlobalKnownHostsFile /dev/null',
      `  StrictHostKeyChecking ${strict ? 'yes' : 'no'}`,
      '  CheckHostIP no',
      '  UpdateHostKeys no',
      '  HashKnownHosts no',
      `  ConnectTimeout ${settings.connectTimeoutSec ?? 15}`,
      '  ServerAliveInterval 15',
      '  ServerAliveCountMax 4',
      '  PasswordAuthentication no',
      '  KbdInteractiveAuthentication no',
      '  LogLevel ERROR',
      '  ForwardAgent no',
      '  RequestTTY no',
      // Commands and rsync share one authenticated connection per host when a master runs (startMaster);
      // with no master, ssh simply connects directly.
      `  ControlPath "${join(this.socketDir, 'cm-%C')}"`,
      '  ControlMaster no',
      '',
    ];
    writeFileSync(this.configPath, lines.join('\n'), { mode: 0o600 });
    this.proxyJump = settings.proxyJump;
  }

  /** argv for `ssh` to this target, without the remote command. */
  sshArgv(t: SshTarget): string[] {
    const argv = ['ssh', '-F', this.configPath, '-p', String(t.port), '-l', t.user];
    if (this.proxyJump) argv.push('-J', this.proxyJump);
    argv.push('--', t.host);
    return argv;
  }

  /** The `-e` value for rsync: ssh with the same config (rsync splits it honouring quotes). */
  rsyncShell(t: SshTarget): string {
    const argv = ['ssh', '-F', this.configPath, '-p', String(t.port), '-l', t.user];
    if (this.proxyJump) argv.push('-J', this.proxyJump);
    return quoteArgv(argv);
  }

  private masters = new Map<string, SshTarget>();

  /**
   * Starts a background master connection to the target (bounded by ConnectTimeout, and exiting by
   * itself 60 s after its last use). Best effort: if it cannot start, commands connect directly and
   * report the real error (host key, refused, …) themselves.
   */
  startMaster(t: SshTarget): void {
    const key = `${t.user}@${t.host}:${t.port}`;
    if (this.disposed || this.masters.has(key)) return;
    const argv = this.sshArgv(t);
    const { spawnSync } = process.getBuiltinModule('node:child_process');
    const r = spawnSync(
      argv[0]!,
      ['-o', 'ControlMaster=yes', '-o', 'ControlPersist=60', '-N', '-f', ...argv.slice(1)],
      {
        stdio: 'ignore',
        timeout: TIMEOUTS.sshMasterStartMs,
      },
    );
    if (r.status === 0) this.masters.set(key, t);
  }

  /** Stops the master connections and removes the key and config; safe to call more than once. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const t of this.masters.values()) {
      const argv = this.sshArgv(t);
      process
        .getBuiltinModule('node:child_process')
        .spawnSync(argv[0]!, ['-O', 'exit', ...argv.slice(1)], { stdio: 'ignore', timeout: TIMEOUTS.sshMasterStopMs });
    }
    rmSync(this.dir, { recursive: true, force: true });
    rmSync(this.socketDir, { recursive: true, force: true });
  }
}

/**
 * Removes the passphrase from the session's copy of the key (in its 0600 temp dir) so ssh and rsync can
 * run in BatchMode. The passphrase reaches ssh-keygen through SSH_ASKPASS and an env var, never argv.
 */
export async function unlockKey(session: SshSession, passphrase: string): Promise<void> {
  const { writeFileSync: write } = await import('node:fs');
  const { runProcess } = await import('./process.js');
  const askpass = join(session.dir, 'askpass');
  write(askpass, '#!/bin/sh\nprintf "%s\\n" "$DEPLOY_KIT_KEY_PASSPHRASE"\n', { mode: 0o700 });
  const r = await runProcess(
    {
      file: 'ssh-keygen',
      args: ['-p', '-N', '', '-f', session.keyPath],
      env: {
        ...process.env,
        SSH_ASKPASS: askpass,
        SSH_ASKPASS_REQUIRE: 'force',
        DISPLAY: process.env.DISPLAY ?? ':0',
        DEPLOY_KIT_KEY_PASSPHRASE: passphrase,
      },
    },
    { timeoutMs: TIMEOUTS.keyUnlockMs },
  );
  rmSync(askpass, { force: true });
  if (r.end !== 'exit' || r.code !== 0) {
    throw new Error('private-key could not be unlocked with passphrase; check the passphrase secret');
  }
}
