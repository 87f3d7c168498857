import type { Command } from '../command.js';
import { runProcess } from './process.js';
import type { ExecOptions, ExecResult, Executor } from './types.js';

/** Runs commands as child processes on the runner. No shell is involved. */
export class LocalExecutor implements Executor {
  readonly target = 'local';

  constructor(private readonly baseEnv: NodeJS.ProcessEnv = process.env) {}

  run(cmd: Command, opts?: ExecOptions): Promise<ExecResult> {
    const [file, ...args] = cmd.argv;
    if (!file) throw new Error('empty command');
    return runProcess({ file, args, env: { ...this.baseEnv, ...cmd.env }, cwd: cmd.cwd, stdin: cmd.stdin }, opts);
  }
}
