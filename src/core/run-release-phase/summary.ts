import { formatDuration } from '../../lib/duration.js';
import { heading, markdownTable } from '../../lib/summary.js';
import type { ReleaseReport } from './run.js';

export function releaseSummary(r: ReleaseReport): string {
  let md = heading(
    `run-release-phase on ${r.target}: ${r.status === 'succeeded' ? '✅ succeeded' : '❌ failed'} in ${formatDuration(r.durationMs)}`,
  );
  md += markdownTable(
    ['step', 'result', 'duration'],
    r.steps.map((s) => [s.name, s.ok ? 'ok' : 'failed', formatDuration(s.durationMs)]),
  );
  md += `\nMigrations applied (${r.migrations.framework}): ${r.migrations.applied.length ? r.migrations.applied.join(', ') : 'none'}\n`;
  if (r.error) md += `\n\`\`\`\n${r.error.replace(/```/g, "'''")}\n\`\`\`\n`;
  return md;
}
