import { formatDuration } from '../../lib/duration.js';
import { codeBlock, heading, markdownTable } from '../../lib/summary.js';
import { HOST_COLUMNS, hostCells } from '../ssh-rsync-deploy/summary.js';
import { healthGateSummary } from '../health-gate/summary.js';
import { releaseSummary } from '../run-release-phase/summary.js';
import type { OneStepReport } from './run.js';

const oneLine = (text: string): string => {
  const t = text.replace(/\s*\n\s*/g, ' ').trim();
  return t.length > 300 ? `${t.slice(0, 297)}…` : t;
};
const ms = (v: number | undefined): string => (v === undefined ? '—' : formatDuration(v));

/** One table per phase, each with its timings; the phases that did not run are left out. */
export function oneStepSummary(r: OneStepReport): string {
  const d = r.deploy;
  const icon = r.status === 'deployed' ? '✅' : '❌';
  let md = heading(
    `deploy: ${icon} ${r.status} ${d.releaseId}${d.previousReleaseId ? ` (previous ${d.previousReleaseId})` : ''} in ${formatDuration(r.durationMs)}`,
  );
  md += markdownTable(
    ['phase', 'result', 'duration', 'error'],
    r.phases.map((p) => [
      p.name,
      p.result,
      p.result === 'skipped' ? '—' : ms(p.durationMs),
      p.error ? oneLine(p.error) : '—',
    ]),
  );
  const ran = (name: string) => r.phases.some((p) => p.name === name && p.result !== 'skipped');

  if (ran('upload')) {
    md += '\n' + heading('upload', 4);
    md += markdownTable(
      [...HOST_COLUMNS, 'connect + lock', 'upload', 'before-activate', 'error'],
      d.hosts.map((h) => [
        ...hostCells(h),
        ms(h.timings.lock),
        ms(h.timings.upload),
        ms(h.timings['before-activate']),
        h.error ?? '—',
      ]),
    );
  }
  if (r.release) md += '\n' + releaseSummary(r.release);
  if (ran('switch')) {
    md += '\n' + heading('switch', 4);
    md += markdownTable(
      ['host', 'current', 'switch', 'after-activate', 'pruned'],
      d.hosts.map((h) => [
        h.host,
        h.result === 'reverted' ? `${h.previousReleaseId} (back from ${h.releaseId})` : h.releaseId,
        ms(h.timings.switch),
        ms(h.timings['after-activate']),
        h.pruned.join(', ') || '—',
      ]),
    );
  }
  if (r.health) md += '\n' + healthGateSummary(r.health);
  if (ran('rollback')) {
    md += '\n' + heading('rollback', 4);
    md += markdownTable(
      ['host', 'result', 'back to', 'switch back', 'after-activate', 'marked bad', 'error'],
      d.hosts.map((h) => [
        h.host,
        h.result,
        h.previousReleaseId || '—',
        ms(h.timings.revert),
        ms(h.timings['revert after-activate']),
        h.releaseId,
        h.error ?? '—',
      ]),
    );
  }
  if (r.error) md += codeBlock(r.error);
  return md;
}
