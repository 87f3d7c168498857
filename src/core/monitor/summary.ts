import { notifySummary } from '../../lib/notify/index.js';
import { codeBlock, heading, markdownTable, tableSection } from '../../lib/summary.js';
import type { MonitorReport } from './run.js';

export function monitorSummary(name: string, r: MonitorReport): string {
  const icon = r.state === 'up' ? '🟢' : r.state === 'down' ? '🔴' : '🛠️';
  let md = heading(`monitor: ${name} ${icon} ${r.state}`);
  if (r.maintenance)
    md += `\nMaintenance window: ${r.maintenance}. Checks were not counted; no incident was opened or closed; nothing was healed.\n`;
  if (r.checks.length)
    md += markdownTable(
      ['check', 'result', 'problems'],
      r.checks.map((c) => [c.kind, c.ok ? 'ok' : 'FAILING', c.problems.join('\n') || '—']),
    );
  md += tableSection(
    'incident issues',
    ['kind', 'issue', 'state', 'this run', 'consecutive failures'],
    r.incidents.map((i) => [i.kind, `#${i.number}`, i.open ? 'open' : 'closed', i.action, String(i.failures)]),
  );
  md += tableSection(
    'heals',
    ['host', 'what', 'result'],
    r.heals.map((h) => [h.target, h.what, h.ok ? 'ok' : 'FAILED']),
  );
  if (r.health)
    md +=
      '\n' +
      heading('endpoints', 4) +
      markdownTable(
        ['URL', 'result', 'status', 'p95', 'TLS days left', 'reason'],
        r.health.urls.map((u) => [
          u.url,
          u.healthy ? 'healthy' : 'unhealthy',
          u.status === null ? '—' : String(u.status),
          `${u.latency.p95} ms`,
          u.tlsDaysLeft === undefined ? '—' : String(u.tlsDaysLeft),
          u.reason || '—',
        ]),
      ) +
      (r.health.load
        ? `\nSmoke load: ${r.health.load.requests} requests, error rate ${(r.health.load.errorRate * 100).toFixed(2)}%, p95 ${r.health.load.p95} ms — ${r.health.load.verdict}\n`
        : '');
  md += tableSection(
    'containers',
    ['host', 'service', 'container', 'state', 'health', 'restarts', 'CPU', 'memory'],
    r.containers.map((c) => [
      c.target,
      c.service,
      c.name,
      c.state,
      c.health ?? '—',
      String(c.restarts),
      c.cpu ?? '—',
      c.memory ?? '—',
    ]),
  );
  md += tableSection(
    'disk',
    ['host', 'path', 'mount', 'used', 'inodes used'],
    r.disk.map((d) => [
      d.target,
      d.path,
      d.mount,
      d.usedPercent === null ? '—' : `${d.usedPercent}%`,
      d.inodesUsedPercent === null ? '—' : `${d.inodesUsedPercent}%`,
    ]),
  );
  if (r.errorLines.count)
    md += `\n${r.errorLines.count} error line(s) in the logs since the last run:\n${codeBlock(r.errorLines.samples.join('\n'))}`;
  md += tableSection(
    'backups',
    ['host', 'newest', 'size', 'written'],
    r.backups.map((b) => [
      b.target,
      b.newest?.path ?? '(none)',
      b.newest ? String(b.newest.size) : '—',
      b.newest ? new Date(b.newest.mtimeMs).toISOString() : '—',
    ]),
  );
  if (r.storage) md += `\nBackup storage: ${r.storage.message} (${r.storage.count} finished backup(s)).\n`;
  md += notifySummary(r.notifications);
  return md;
}
