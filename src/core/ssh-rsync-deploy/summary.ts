import { formatDuration } from '../../lib/duration.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { DeployReport, HostReport } from './deploy.js';

/** The first columns of every per-host upload table (ssh-rsync-deploy's and the root action's). */
export const HOST_COLUMNS = ['host', 'result', 'release', 'previous', 'files sent', 'bytes sent'] as const;
export const hostCells = (h: HostReport): string[] => [
  h.host,
  h.result,
  h.releaseId,
  h.previousReleaseId || '—',
  String(h.files),
  String(h.bytesSent),
];

export function deploySummary(r: DeployReport): string {
  let md = heading(`ssh-rsync-deploy (${r.mode}): ${r.ok ? '✅' : '❌'} ${r.releaseId}`);
  md += markdownTable(
    [...HOST_COLUMNS, 'upload', 'commands', 'pruned', 'error'],
    r.hosts.map((h) => [
      ...hostCells(h),
      h.timings.upload === undefined ? '—' : formatDuration(h.timings.upload),
      formatDuration((h.timings['before-activate'] ?? 0) + (h.timings['after-activate'] ?? 0)),
      h.pruned.join(', ') || '—',
      h.error ?? '—',
    ]),
  );
  return md;
}
