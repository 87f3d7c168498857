import { formatDuration } from '../../lib/duration.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { BackupReport } from './run.js';

export function backupSummary(r: BackupReport): string {
  let md = heading(`backup-db: ${r.mode} ${r.engine} ${r.database}`);
  md += markdownTable(
    ['', ''],
    [
      ['engine', r.engine],
      ['server version', r.serverVersion],
      [r.mode === 'restore' ? 'restored from' : 'file', r.path],
      ...(r.remotePath ? [['copy on the server', r.remotePath]] : []),
      ['size', `${r.sizeBytes} bytes`],
      ['sha256', r.sha256],
      ['duration', formatDuration(r.durationMs)],
      ['verification', r.verification],
      [
        `retention${r.retentionDryRun ? ' (dry run)' : ''}`,
        r.removed.length ? `removed ${r.removed.join(', ')}` : 'removed nothing',
      ],
    ],
  );
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
