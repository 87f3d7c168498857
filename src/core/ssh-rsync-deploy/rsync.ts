import type { Command } from '../../lib/command.js';
import type { SshTarget } from '../../lib/exec/ssh-target.js';

export interface RsyncPlan {
  source: string;
  target: SshTarget;
  /** Remote directory receiving the release. */
  dest: string;
  /** Remote directory of the current release (unchanged files become hard links to it). */
  linkDest?: string;
  excludes: readonly string[];
  /** A local file of patterns (.deployignore). */
  excludeFrom?: string;
  /** `ssh …` for -e, from SshSession.rsyncShell (same host-key checks as every other command). */
  shell: string;
  /** rsync's own I/O timeout, in seconds. */
  ioTimeoutSec: number;
  /**
   * Compare file contents (`--checksum`) instead of size + mtime when deciding what to send and what to
   * link from linkDest. Reproducible builds clamp mtimes (to the commit time, or 1980), so a changed file of
   * the same size would otherwise be linked from the previous release and its old content would go live.
   */
  checksum: boolean;
}

export function rsyncCommand(p: RsyncPlan): Command {
  const argv = ['rsync', '-a', '--delete', '--stats', `--timeout=${p.ioTimeoutSec}`, '-e', p.shell];
  if (p.checksum) argv.splice(3, 0, '--checksum');
  if (p.linkDest) argv.push(`--link-dest=${p.linkDest}`);
  for (const e of p.excludes) argv.push(`--exclude=${e}`);
  if (p.excludeFrom) argv.push(`--exclude-from=${p.excludeFrom}`);
  const host = p.target.host.includes(':') ? `[${p.target.host}]` : p.target.host;
  argv.push('--', p.source.endsWith('/') ? p.source : `${p.source}/`, `${host}:${p.dest}/`);
  return { argv, label: `rsync to ${p.target.host}` };
}

export interface RsyncStats {
  files: number;
  bytesSent: number;
  totalSize: number;
}

function num(text: string, label: RegExp): number {
  const m = label.exec(text);
  return m ? Number(m[1]!.replace(/,/g, '')) : 0;
}

export function parseRsyncStats(stdout: string): RsyncStats {
  return {
    files: num(stdout, /Number of regular files transferred: ([\d,]+)/),
    bytesSent: num(stdout, /Total bytes sent: ([\d,]+)/),
    totalSize: num(stdout, /Total file size: ([\d,]+)/),
  };
}
