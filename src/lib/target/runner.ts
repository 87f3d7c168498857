import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { makeRecordedTempDir } from '../cleanup-state.js';
import type { Command } from '../command.js';
import { LocalExecutor } from '../exec/local.js';
import type { ExecOptions, ExecResult } from '../exec/types.js';
import { sha256File } from './sha256.js';
import { assertFileName, TransferMismatch, type Target } from './types.js';

/**
 * The runner itself: commands are child processes (no shell), files are this machine's files.
 * `upload` without a destination returns the file where it is (it is on the target already).
 */
export class RunnerTarget implements Target {
  readonly kind = 'runner' as const;
  readonly target = 'local';
  private readonly exec: LocalExecutor;
  private tmp = '';
  private seq = 0;

  constructor(
    baseEnv: NodeJS.ProcessEnv = process.env,
    private readonly tempRoot: string = process.env.RUNNER_TEMP || tmpdir(),
  ) {
    this.exec = new LocalExecutor(baseEnv);
  }

  run(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
    return this.exec.run(cmd, opts);
  }

  async tempDir(): Promise<string> {
    if (!this.tmp) {
      // Recorded for the post step before it exists: a killed main step leaves no secret file behind.
      this.tmp = makeRecordedTempDir('tmp', this.tempRoot);
    }
    return this.tmp;
  }

  async writeSecretFile(content: string | Buffer, name?: string): Promise<string> {
    const path = join(await this.tempDir(), name ? assertFileName(name) : `secret-${++this.seq}`);
    writeFileSync(path, content, { mode: 0o600 });
    chmodSync(path, 0o600);
    return path;
  }

  async upload(localFile: string, destPath?: string): Promise<{ path: string; sha256: string }> {
    const sha256 = await sha256File(localFile);
    if (destPath === undefined) return { path: resolve(localFile), sha256 };
    copyFileSync(localFile, destPath);
    chmodSync(destPath, 0o600);
    const there = await sha256File(destPath);
    if (there !== sha256) throw new TransferMismatch(`copy to ${destPath}`, sha256, there);
    return { path: destPath, sha256 };
  }

  async download(path: string, localFile: string): Promise<{ sha256: string }> {
    const sha256 = await sha256File(path);
    if (resolve(path) !== resolve(localFile)) copyFileSync(path, localFile);
    const here = await sha256File(localFile);
    if (here !== sha256) throw new TransferMismatch(`copy of ${path}`, sha256, here);
    return { sha256 };
  }

  async dispose(): Promise<void> {
    if (this.tmp) rmSync(this.tmp, { recursive: true, force: true });
    this.tmp = '';
  }
}
