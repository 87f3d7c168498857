import { describe, expect, it } from 'vitest';
import {
  backupProblems,
  diskCommand,
  parseBackupList,
  parseDisk,
  logsSinceCommand,
} from '../../src/core/monitor/checks.js';
import { readMonitorConfig } from '../../src/core/monitor/config.js';
import {
  decide,
  emptyState,
  parseStateBlock,
  renderStateBlock,
  withStateBlock,
  type KindState,
} from '../../src/core/monitor/state.js';
import { mapInputs } from '../helpers/inputs.js';

const t = { failuresToOpen: 3, successesToClose: 2, restartAfter: 2 };
const now = new Date('2026-11-30T12:00:00Z');

function runs(verdicts: boolean[], kind: 'endpoint' | 'disk' = 'endpoint') {
  let s: KindState = emptyState('shop/' + kind);
  let open = false;
  return verdicts.map((ok) => {
    const d = decide(s, kind, open, ok, ok ? [] : ['HTTP 502'], t, now);
    if (d.transition === 'open') open = true;
    if (d.transition === 'close') open = false;
    s = d.next;
    return `${d.transition}${d.heal ? '+heal' : ''}:${s.failures}/${s.successes}`;
  });
}

describe('monitor state rules', () => {
  it('opens on the third consecutive failure, heals at restart-after and every as many runs after, closes after two passes', () => {
    expect(runs([false, false, false, false, false, true, true])).toEqual([
      'none:1/0',
      'none+heal:2/0',
      'open:3/0',
      'none+heal:4/0',
      'none:5/0',
      'none:0/1',
      'close:0/2',
    ]);
  });
  it('a blip never opens; a pass between failures restarts the count', () => {
    expect(runs([false, false, true, false, false])).toEqual([
      'none:1/0',
      'none+heal:2/0',
      'none:0/1',
      'none:1/0',
      'none+heal:2/0',
    ]);
  });
  it('kinds a restart cannot fix are never healed', () => {
    expect(runs([false, false, false], 'disk')).toEqual(['none:1/0', 'none:2/0', 'open:3/0']);
  });
  it('a failure while open after one pass keeps the incident (no second open)', () => {
    expect(runs([false, false, false, true, false, true, true])).toEqual([
      'none:1/0',
      'none+heal:2/0',
      'open:3/0',
      'none:0/1',
      'none:1/0',
      'none:0/1',
      'close:0/2',
    ]);
  });
  it('the hidden block round-trips, survives text a server printed (-->) and keeps the human text around it', () => {
    const s: KindState = { ...emptyState('shop/logs'), failures: 2, reasons: ['line with --> and <script>'] };
    const block = renderStateBlock(s);
    expect(block.match(/-->/g)).toHaveLength(1);
    expect(parseStateBlock(`hello\n\n${block}\n\nbye`)).toEqual(s);
    const body = withStateBlock('Notes by a human', s);
    const next = withStateBlock(body, { ...s, failures: 3 });
    expect(next.startsWith('Notes by a human')).toBe(true);
    expect(parseStateBlock(next)!.failures).toBe(3);
    expect(parseStateBlock('no block')).toBeUndefined();
    expect(parseStateBlock('<!-- deploy-kit-monitor-state\n{broken\n-->')).toBeUndefined();
  });
});

describe('host check builders and parsers', () => {
  it('df paths are arguments, never part of the script', () => {
    const c = diskCommand(['/srv/a b', '$(reboot)']);
    expect(c.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.argv.slice(3)).toEqual(['sh', '/srv/a b', '$(reboot)']);
    expect(logsSinceCommand('2026-11-30T10:00:00Z', ['abc']).argv.slice(3)).toEqual([
      'sh',
      '2026-11-30T10:00:00Z',
      'abc',
    ]);
  });
  it('parses df -P and df -Pi, including a filesystem without inode figures', () => {
    const out = [
      'Filesystem     1024-blocks     Used Available Capacity Mounted on',
      '/dev/vda         264212084 24725812  81665100      24% /',
      'tank/data        100 95 5 95% /srv/data dir',
      '@@inodes',
      'Filesystem       Inodes  IUsed    IFree IUse% Mounted on',
      '/dev/vda       16777216 445007 16332209    3% /',
      'tank/data             0      0        0     - /srv/data dir',
    ].join('\n');
    expect(parseDisk(out, ['/', '/srv/data dir'])).toEqual([
      { path: '/', mount: '/', usedPercent: 24, inodesUsedPercent: 3 },
      { path: '/srv/data dir', mount: '/srv/data dir', usedPercent: 95, inodesUsedPercent: null },
    ]);
  });
  it('backup verdict: newest data file, sidecars ignored, empty and old files fail', () => {
    const nowMs = Date.parse('2026-11-30T12:00:00Z');
    const files = parseBackupList(
      `${(nowMs - 3_600_000) / 1000}\t0\tapp.dump\n${nowMs / 1000}\t64\tapp.dump.sha256\n${(nowMs - 90_000_000) / 1000}\t9\told.dump\n`,
    );
    const r = backupProblems(files, '/b', 26 * 3_600_000, nowMs);
    expect(r.newest!.path).toBe('app.dump');
    expect(r.problems).toEqual(['newest backup app.dump is empty']);
  });
});

describe('monitor inputs', () => {
  const base = { url: 'https://shop.example/healthz', 'github-token': 'ghs_x' };
  const read = (v: Record<string, string>) =>
    readMonitorConfig(mapInputs({ ...base, ...v }), { GITHUB_REPOSITORY: 'acme/shop' });
  it('defaults: 3 to open, 2 to close, no heal, name from the URL, monitor-length health deadline', () => {
    const c = read({});
    expect(c.thresholds).toEqual({ failuresToOpen: 3, successesToClose: 2, restartAfter: 0 });
    expect(c.name).toBe('shop.example');
    expect(c.health!.timing.deadlineMs).toBe(60_000);
    expect(c.github).toMatchObject({ apiUrl: 'https://api.github.com', repository: 'acme/shop' });
    expect(c.runOn).toBe('none');
  });
  it('errors name the input and the fix', () => {
    expect(() => read({ 'github-token': '' })).toThrow(/`github-token`.*issues: write/);
    expect(() => read({ 'restart-after': '3' })).toThrow(/`restart-after`: needs run-on/);
    expect(() => read({ 'maintenance-until': 'tomorrow' })).toThrow(/`maintenance-until`/);
    expect(() => read({ 'issue-labels': 'incident, maintenance' })).toThrow(/`issue-labels`/);
    expect(() => read({ 'run-on': 'local' })).toThrow(/`path`: is required for the container checks/);
    expect(() => read({ 'backup-dir': '/srv/backups' })).toThrow(/`backup-dir`: needs run-on/);
    expect(() => read({ 'error-pattern': '(' })).toThrow(/`error-pattern`/);
  });
});
