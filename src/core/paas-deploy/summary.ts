import { formatDuration } from '../../lib/duration.js';
import { codeBlock, heading, markdownTable, tableSection } from '../../lib/summary.js';
import { healthGateSummary } from '../health-gate/summary.js';
import type { PaasConfig } from './config.js';
import { describe, type PaasResult } from './run.js';

const ICON: Record<PaasResult['status'], string> = {
  ok: '✅ ok',
  'rolled-back': '↩️ rolled back',
  failed: '❌ failed',
};

/** The job summary: what ran where, what serves now (read back), each step, the gate, the last log lines. */
export function paasSummary(cfg: PaasConfig, r: PaasResult, durationMs: number): string {
  let md = heading(`paas-deploy: ${ICON[r.status]}`);
  md += markdownTable(
    ['provider', 'app', 'mode', 'previous', 'this run', 'live now', 'provider status', 'time'],
    [
      [
        cfg.provider,
        r.app,
        cfg.mode === 'promote' ? `promote from ${cfg.app}${cfg.slug ? ` (slug ${cfg.slug})` : ''}` : cfg.mode,
        describe(r.previous),
        r.release ? describe(r.release) : '—',
        describe(r.live),
        r.providerStatus || '—',
        formatDuration(durationMs),
      ],
    ],
  );
  md += tableSection(
    'steps',
    ['step', 'result', 'detail'],
    r.steps.map((s) => [s.step, s.result, s.detail]),
  );
  if (r.gate) md += '\n' + healthGateSummary(r.gate);
  if (r.failure) md += '\n' + heading('why', 4) + codeBlock(r.failure);
  if (r.releaseOutput.length)
    md += '\n' + heading('last log lines', 4) + codeBlock(r.releaseOutput.slice(-20).join('\n'));
  return md;
}
