import { formatDuration } from '../../lib/duration.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { BackupReport } from './run.js';

export function backupSummary(r: BackupReport): string {
  let md = heading(`backup-db: ${r.mode} ${r.engine} ${r.database}`);
  md += markdownTable(
    ['', ''],
    [
      ['engine', r.engine],
      ...(r.ranIn ? [['ran in', r.ranIn]] : []),
      ['server version', r.serverVersion],
      [r.mode === 'restore' ? 'restored from' : 'file', r.path],
      ...(r.remotePath ? [['copy on the server', r.remotePath]] : []),
      ['size', `${r.sizeBytes} bytes`],
      ['sha256', r.sha256],
      ['duration', formatDuration(r.durationMs)],
      ['verification', r.verification],
      [
        `retention${r.retentionDryRun ? ' (dry run)' : ''}`,
        r.removed.length
          ? `${r.retentionDryRun ? 'would remove' : 'removed'} ${r.removed.join(', ')}`
          : `${r.retentionDryRun ? 'would remove' : 'removed'} nothing`,
      ],
    ],
  );
  if (r.kept.length) {
    md += '\n' + heading('retention: kept', 4);
    md += markdownTable(
      ['backup', 'why'],
      r.kept.map((k) => [k.name, k.reasons.join(', ')]),
    );
  }
  const tables = Object.entries(r.counts);
  if (tables.length) {
    md += '\n' + heading('tables', 4);
    md += markdownTable(
      ['table', 'rows'],
      tables.map(([t, n]) => [t, String(n)]),
    );
  }
  return md;
}
