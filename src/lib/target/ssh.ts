import { resolve } from 'node:path';
import type { Command } from '../command.js';
import { SshExecutor } from '../exec/ssh.js';
import type { SshSession } from '../exec/ssh-config.js';
import type { SshTarget } from '../exec/ssh-target.js';
import { runChecked, type ExecOptions, type ExecResult, type Executor } from '../exec/types.js';
import { TIMEOUTS } from '../timeouts.js';
import { CommandTarget } from './base.js';
import { parseSha256, sha256Command } from './commands.js';
import { sha256File } from './sha256.js';
import { TransferMismatch, type TransferOptions } from './types.js';

/**
 * `rsync` argv moving one file between the runner and `host` through the session's ssh (same config, same
 * known-hosts, same master connection). `-s` hands file names to the remote rsync over the protocol, not
 * through its shell; local paths are absolute so a `:` in a name is never read as a host.
 */
export function rsyncFileCommand(
  session: SshSession,
  host: SshTarget,
  direction: 'up' | 'down',
  localFile: string,
  remotePath: string,
): Command {
  const remote = `${host.host.includes(':') ? `[${host.host}]` : host.host}:${remotePath}`;
  const local = resolve(localFile);
  const [src, dst] = direction === 'up' ? [local, remote] : [remote, local];
  return {
    argv: ['rsync', '-s', '--chmod=F600', '-e', session.rsyncShell(host), '--', src, dst],
    label: direction === 'up' ? `rsync to ${host.host}` : `rsync from ${host.host}`,
  };
}

/**
 * An SSH host, through the run's shared OpenSSH session (one master connection per host). Commands are
 * argv quoted by `quoteArgv` on the way (see SshExecutor); env and secrets travel over stdin.
 */
export class SshHostTarget extends CommandTarget {
  readonly kind = 'ssh' as const;
  readonly target: string;
  /** The executor underneath (for code not yet moved onto Target; prefer the target itself). */
  readonly executor: SshExecutor;

  constructor(
    readonly session: SshSession,
    readonly host: SshTarget,
    /** Runs rsync on the runner. */
    private readonly runner: Executor,
  ) {
    super();
    this.executor = new SshExecutor(session, host);
    this.target = this.executor.target;
  }

  /** Opens the shared master connection that commands and rsync reuse. */
  connect(): void {
    this.executor.connect();
  }

  run(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
    return this.executor.run(cmd, opts);
  }

  /** The `rsync -e` value for this host (same config and host-key checks as every command). */
  rsyncShell(): string {
    return this.session.rsyncShell(this.host);
  }

  private async remoteSha(path: string, o: TransferOptions): Promise<string> {
    const r = await runChecked(this, sha256Command(path), { timeoutMs: TIMEOUTS.fileTransferMs, ...o });
    return parseSha256(r.stdout, this.target);
  }

  async upload(
    localFile: string,
    destPath?: string,
    o: TransferOptions = {},
  ): Promise<{ path: string; sha256: string }> {
    const path = destPath ?? (await this.freshPath('upload'));
    const opts = { timeoutMs: TIMEOUTS.fileTransferMs, ...o };
    const [sha256] = await Promise.all([
      sha256File(localFile),
      runChecked(this.runner, rsyncFileCommand(this.session, this.host, 'up', localFile, path), opts),
    ]);
    const there = await this.remoteSha(path, o);
    if (there !== sha256) throw new TransferMismatch(`upload to ${this.target}:${path}`, sha256, there);
    return { path, sha256 };
  }

  async download(path: string, localFile: string, o: TransferOptions = {}): Promise<{ sha256: string }> {
    const opts = { timeoutMs: TIMEOUTS.fileTransferMs, ...o };
    const [sha256] = await Promise.all([
      this.remoteSha(path, o),
      runChecked(this.runner, rsyncFileCommand(this.session, this.host, 'down', localFile, path), opts),
    ]);
    const here = await sha256File(localFile);
    if (here !== sha256) throw new TransferMismatch(`download of ${this.target}:${path}`, sha256, here);
    return { sha256 };
  }
}
