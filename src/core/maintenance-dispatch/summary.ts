import { codeBlock, escapeCell, heading, markdownTable } from '../../lib/summary.js';
import { formatDuration } from '../../lib/duration.js';
import type { HostReport } from './run.js';

export function maintenanceSummary(
  op: string,
  reports: ReadonlyArray<Omit<HostReport, 'operation'> & { details?: Record<string, string> }>,
): string {
  let md = heading(`maintenance: ${op}`);
  md += markdownTable(
    ['host', 'result', 'duration', 'down before', 'restarted', 'error'],
    reports.map((r) => [
      r.target,
      r.ok ? 'ok' : 'failed',
      formatDuration(r.durationMs),
      r.down.join(', ') || '—',
      r.restarted.join(', ') || '—',
      r.error ?? '—',
    ]),
  );
  for (const r of reports) {
    if (r.containers.length) {
      const stats = new Map(r.stats.map((s) => [s.ID ?? s.Container ?? '', s]));
      md += '\n' + heading(`${r.target} containers`, 4);
      md += markdownTable(
        ['service', 'container', 'state', 'health', 'restarts', 'CPU', 'memory'],
        r.containers.map((c) => {
          const s = stats.get(c.id.slice(0, 12)) ?? stats.get(c.id);
          return [
            c.service,
            c.name,
            c.state,
            c.health ?? '—',
            String(c.restarts),
            s?.CPUPerc ?? '—',
            s?.MemUsage ?? '—',
          ];
        }),
      );
    }
    if (r.details && Object.keys(r.details).length) {
      md += '\n' + heading(`${r.target} details`, 4);
      md += markdownTable(['what', 'value'], Object.entries(r.details));
    }
    if (r.output.trim()) {
      md += `\n<details><summary>${escapeCell(r.target)} output (last lines)</summary>\n${codeBlock(r.output.split('\n').slice(-60).join('\n'))}</details>\n`;
    }
  }
  return md;
}
