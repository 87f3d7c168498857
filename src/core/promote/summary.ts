import { heading, markdownTable } from '../../lib/summary.js';
import type { PromoteResult } from './promote.js';

export interface DeploymentNotes {
  requireDeployment?: string;
  requiredId?: number;
  environment?: string;
  deploymentId?: number;
}

export function promoteSummary(r: PromoteResult, d: DeploymentNotes = {}): string {
  const rows = r.targets.map((t) => [
    t.ref,
    t.action,
    t.previous ?? '—',
    String(t.manifests),
    `${t.blobs.mounted} / ${t.blobs.copied} / ${t.blobs.present}`,
  ]);
  return (
    heading(`promote: ✅ ${r.digest}`) +
    `\nSource \`${r.source}\`${r.resolvedFromTag ? ` (resolved from tag \`${r.resolvedFromTag}\`)` : ''}, ` +
    `${r.mediaType}${r.children ? `, ${r.children} child manifest(s)` : ''}.\n\n` +
    (d.requireDeployment && d.requiredId !== undefined
      ? `Required: deployment #${d.requiredId} of this digest in \`${d.requireDeployment}\` succeeded.\n\n`
      : '') +
    (d.environment && d.deploymentId !== undefined
      ? `Recorded as deployment #${d.deploymentId} in \`${d.environment}\`.\n\n`
      : '') +
    markdownTable(['target', 'result', 'previous digest', 'manifests', 'blobs mounted / copied / present'], rows)
  );
}
