/**
 * Maintenance mode on the host: `<base>/.deploy-kit/maintenance/` holds `index.html` (the 503 page nginx
 * serves) and `on` (JSON: until, reason, by). nginx switches on the file's existence, no reload needed:
 *
 *   if (-f <base>/.deploy-kit/maintenance/on) { return 503; }
 *   error_page 503 @maintenance;
 *   location @maintenance { root <base>/.deploy-kit/maintenance; rewrite ^ /index.html break; }
 *
 * The monitor reads the same file: its incidents and heals are suppressed until `until`; after that the
 * window is over, and the monitor switches the page off (an expiry nobody has to remember).
 */
import type { Command } from '../../lib/command.js';

export interface MaintenanceWindow {
  until: string;
  reason: string;
  by: string;
  since: string;
}

export function maintenanceDir(base: string): string {
  return `${base.replace(/\/+$/, '')}/.deploy-kit/maintenance`;
}

const ON_SH = [
  'set -eu',
  'd="$1/.deploy-kit/maintenance"',
  'mkdir -p -- "$d"',
  'chmod 755 -- "$1/.deploy-kit" "$d"',
  'cat > "$d/.index.html.tmp"',
  'printf "%s\\n" "$2" > "$d/.on.tmp"',
  'chmod 644 -- "$d/.index.html.tmp" "$d/.on.tmp"',
  'mv -f -- "$d/.index.html.tmp" "$d/index.html"',
  'mv -f -- "$d/.on.tmp" "$d/on"',
  'echo "@maintenance on"',
].join('\n');

/** Writes the page (from stdin) and then the switch file, each by rename: nginx never sees half a file. */
export function maintenanceOnCommand(base: string, w: MaintenanceWindow, page: string): Command {
  return { argv: ['sh', '-c', ON_SH, 'sh', base, JSON.stringify(w)], stdin: page, label: 'maintenance on' };
}

const OFF_SH =
  'd="$1/.deploy-kit/maintenance"; if [ -e "$d/on" ]; then rm -f -- "$d/on"; echo "@maintenance off"; else echo "@maintenance was off"; fi';

export function maintenanceOffCommand(base: string): Command {
  return { argv: ['sh', '-c', OFF_SH, 'sh', base], label: 'maintenance off' };
}

const READ_SH =
  'f="$1/.deploy-kit/maintenance/on"; if [ -e "$f" ]; then echo "@maintenance on"; head -c 4096 -- "$f"; else echo "@maintenance off"; fi';

export function readMaintenanceCommand(base: string): Command {
  return { argv: ['sh', '-c', READ_SH, 'sh', base], label: 'read maintenance state' };
}

/** undefined = off; a window (possibly expired) when on. A switch file that is not JSON counts as on, no expiry. */
export function parseMaintenance(stdout: string): MaintenanceWindow | undefined {
  const [first, ...rest] = stdout.split('\n');
  if (first?.trim() !== '@maintenance on') return undefined;
  try {
    const w = JSON.parse(rest.join('\n')) as Partial<MaintenanceWindow>;
    return { until: w.until ?? '', reason: w.reason ?? '', by: w.by ?? '', since: w.since ?? '' };
  } catch {
    return { until: '', reason: 'switch file present (not written by deploy-kit)', by: '', since: '' };
  }
}

/** A window is active while `until` is in the future; one without an end stays active until switched off. */
export function isActive(w: MaintenanceWindow, now: Date): boolean {
  if (!w.until) return true;
  const t = new Date(w.until).getTime();
  return Number.isNaN(t) || t > now.getTime();
}

function esc(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The default 503 page: plain, no external resources, says when it should be over. */
export function defaultMaintenancePage(message: string, until: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Down for maintenance</title>
<style>body{font-family:system-ui,sans-serif;max-width:36rem;margin:15vh auto;padding:0 1rem;color:#222}</style>
</head><body>
<h1>Down for maintenance</h1>
<p>${esc(message)}</p>
${until ? `<p>Expected back by <time datetime="${esc(until)}">${esc(until)}</time>.</p>` : ''}
</body></html>
`;
}
