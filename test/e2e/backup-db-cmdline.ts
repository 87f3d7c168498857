/**
 * Samples every process's command line (/proc/<pid>/cmdline) while a step runs, to prove a secret never
 * appears in argv or the process list. Bounded: stops at `stop()` or after `maxMs`.
 */
import { readdirSync, readFileSync } from 'node:fs';

export interface CmdlineWatch {
  /** Stops sampling; returns the offending command lines (empty = the secret never appeared) and the sample count. */
  stop(): { hits: string[]; samples: number; processesSeen: number };
}

export function watchCmdlines(secrets: string[], opts: { everyMs?: number; maxMs?: number } = {}): CmdlineWatch {
  const hits = new Set<string>();
  const pids = new Set<string>();
  let samples = 0;
  const started = Date.now();
  const sample = (): void => {
    samples++;
    for (const pid of readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      let cmd: string;
      try {
        cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      } catch {
        continue; // exited meanwhile
      }
      pids.add(pid);
      if (secrets.some((s) => s && cmd.includes(s))) hits.add(cmd.replace(/\0/g, ' ').slice(0, 300));
    }
  };
  const timer = setInterval(() => {
    if (Date.now() - started > (opts.maxMs ?? 120_000)) clearInterval(timer);
    else sample();
  }, opts.everyMs ?? 15);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return { hits: [...hits], samples, processesSeen: pids.size };
    },
  };
}

/** What a run printed, less the `::add-mask::` commands (the only lines allowed to carry a secret: they tell the runner what to mask). */
export function printed(r: { stdout: string; stderr: string }): string {
  return (r.stdout + '\n' + r.stderr)
    .split('\n')
    .filter((l) => !l.startsWith('::add-mask::'))
    .join('\n');
}
