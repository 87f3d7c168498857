import { formatDuration } from '../../lib/duration.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { DeployReport } from './deploy.js';

export function deploySummary(r: DeployReport): string {
  let md = heading(`ssh-rsync-deploy (${r.mode}): ${r.ok ? '✅' : '❌'} ${r.releaseId}`);
  md += markdownTable(
    ['host', 'result', 'release', 'previous', 'files sent', 'bytes sent', 'upload', 'commands', 'pruned', 'error'],
    r.hosts.map((h) => [
      h.host,
      h.result,
      h.releaseId,
      h.previousReleaseId || '—',
      String(h.files),
      String(h.bytesSent),
      h.timings.upload === undefined ? '—' : formatDuration(h.timings.upload),
      formatDuration((h.timings['before-activate'] ?? 0) + (h.timings['after-activate'] ?? 0)),
      h.pruned.join(', ') || '—',
      h.error ?? '—',
    ]),
  );
  return md;
}
