import { posix } from 'node:path';
import type { Command } from '../command.js';
import { runChecked, type ExecOptions, type ExecResult } from '../exec/types.js';
import { TIMEOUTS } from '../timeouts.js';
import { mktempCommand, removeCommand, writeSecretCommand } from './commands.js';
import { assertFileName, type Target, type TargetKind, type TransferOptions } from './types.js';

/**
 * What every target that is reached by running commands (an SSH host, a long-lived container) shares:
 * the temp dir made by `mktemp -d` on first use, secret files written through stdin, removal on dispose.
 */
export abstract class CommandTarget implements Target {
  abstract readonly kind: TargetKind;
  abstract readonly target: string;
  private tmp: Promise<string> | undefined;
  private made = '';
  private seq = 0;
  private disposed = false;

  abstract run(cmd: Command, opts?: ExecOptions): Promise<ExecResult>;
  abstract upload(
    localFile: string,
    destPath?: string,
    opts?: TransferOptions,
  ): Promise<{ path: string; sha256: string }>;
  abstract download(path: string, localFile: string, opts?: TransferOptions): Promise<{ sha256: string }>;

  tempDir(): Promise<string> {
    if (this.disposed) return Promise.reject(new Error(`${this.target}: target already disposed`));
    this.tmp ??= runChecked(this, mktempCommand(), { timeoutMs: TIMEOUTS.housekeepingMs }).then((r) => {
      const dir = r.stdout.trim();
      if (!dir.startsWith('/') || dir.includes('\n')) throw new Error(`mktemp on ${this.target} printed no directory`);
      this.made = dir;
      return dir;
    });
    return this.tmp;
  }

  /** A fresh name in the temp dir: `<prefix>-<n>`. */
  protected async freshPath(prefix: string): Promise<string> {
    return posix.join(await this.tempDir(), `${prefix}-${++this.seq}`);
  }

  async writeSecretFile(content: string | Buffer, name?: string): Promise<string> {
    const path = name ? posix.join(await this.tempDir(), assertFileName(name)) : await this.freshPath('secret');
    await runChecked(this, writeSecretCommand(path, content), { timeoutMs: TIMEOUTS.housekeepingMs });
    return path;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    // Not tied to any signal: a cancelled run must still remove what it made.
    const dir = this.made || (await this.tmp?.catch(() => ''));
    if (dir) await this.run(removeCommand(dir), { timeoutMs: TIMEOUTS.housekeepingMs });
  }
}
