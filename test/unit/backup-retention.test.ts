import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  applyRetention,
  backupFileName,
  backupTime,
  dayBucket,
  monthBucket,
  planRetention,
  planRetentionDetailed,
  weekBucket,
} from '../../src/core/backup-db/retention.js';
import type { BackupReport } from '../../src/core/backup-db/run.js';
import { backupSummary } from '../../src/core/backup-db/summary.js';

const name = (iso: string): string => backupFileName('app', new Date(iso), '.dump.gz');
const pol = (p: Partial<{ keep: number; daily: number; weekly: number; monthly: number }>) => ({
  keep: 0,
  daily: 0,
  weekly: 0,
  monthly: 0,
  ...p,
});

/** A synthetic calendar: a backup every day at 02:00 and 14:00 UTC from `from` for `days` days. */
function calendar(from: string, days: number): string[] {
  const out: string[] = [];
  const t0 = Date.parse(from);
  for (let d = 0; d < days; d++) {
    out.push(name(new Date(t0 + d * 86_400_000 + 2 * 3600_000).toISOString()));
    out.push(name(new Date(t0 + d * 86_400_000 + 14 * 3600_000).toISOString()));
  }
  return out;
}

describe('calendar buckets (UTC)', () => {
  it('reads the time back from the name', () => {
    expect(backupTime('app-20240305T070809Z.dump.gz').toISOString()).toBe('2024-03-05T07:08:09.000Z');
    expect(() => backupTime('app.dump')).toThrow(/not a backup name/);
  });
  it('days and months are UTC', () => {
    expect(dayBucket(new Date('2024-02-29T23:59:59Z'))).toBe('2024-02-29');
    expect(monthBucket(new Date('2024-02-29T23:59:59Z'))).toBe('2024-02');
  });
  it('weeks are ISO 8601 (Monday first, the Thursday decides the year)', () => {
    expect(weekBucket(new Date('2024-01-01T00:00:00Z'))).toBe('2024-W01'); // a Monday
    expect(weekBucket(new Date('2021-01-03T12:00:00Z'))).toBe('2020-W53'); // Sunday of 2020's last week
    expect(weekBucket(new Date('2021-01-04T00:00:00Z'))).toBe('2021-W01');
    expect(weekBucket(new Date('2024-12-30T00:00:00Z'))).toBe('2025-W01'); // Monday, already 2025's week 1
    expect(weekBucket(new Date('2026-11-22T23:59:59Z'))).toBe('2026-W47'); // Sunday
    expect(weekBucket(new Date('2026-11-23T00:00:00Z'))).toBe('2026-W48'); // Monday
  });
});

describe('planRetention with daily/weekly/monthly counts', () => {
  // 2024-01-01 (Monday) … 2024-04-09: 100 days, two backups a day.
  const all = calendar('2024-01-01T00:00:00Z', 100);
  const newest = all[all.length - 1]!;

  it('daily N keeps the newest backup of each of the last N days that have one', () => {
    const plan = planRetentionDetailed(all, 'app', pol({ daily: 3 }), newest);
    expect(plan.keep.map((k) => k.name)).toEqual([
      'app-20240407T140000Z.dump.gz',
      'app-20240408T140000Z.dump.gz',
      'app-20240409T140000Z.dump.gz',
    ]);
    expect(plan.keep[2]!.reasons).toEqual(['newest', 'daily 2024-04-09']);
    expect(plan.remove).toHaveLength(all.length - 3);
  });

  it('weekly N keeps the newest of each ISO week; monthly N the newest of each month', () => {
    const w = planRetentionDetailed(all, 'app', pol({ weekly: 3 }), newest).keep;
    // 2024-04-09 is a Tuesday (week 15); weeks 14 and 13 end on Sundays 04-07 and 03-31.
    expect(w.map((k) => [k.name, k.reasons])).toEqual([
      ['app-20240331T140000Z.dump.gz', ['weekly 2024-W13']],
      ['app-20240407T140000Z.dump.gz', ['weekly 2024-W14']],
      ['app-20240409T140000Z.dump.gz', ['newest', 'weekly 2024-W15']],
    ]);
    const m = planRetentionDetailed(all, 'app', pol({ monthly: 12 }), newest).keep;
    // Only 4 months have backups: all 4 are kept (the newest of each), no more.
    expect(m.map((k) => k.name)).toEqual([
      'app-20240131T140000Z.dump.gz',
      'app-20240229T140000Z.dump.gz',
      'app-20240331T140000Z.dump.gz',
      'app-20240409T140000Z.dump.gz',
    ]);
  });

  it('is the union of keep N and every calendar rule', () => {
    const plan = planRetentionDetailed(all, 'app', pol({ keep: 2, daily: 2, weekly: 2, monthly: 2 }), newest);
    expect(plan.keep.map((k) => `${k.name} ${k.reasons.join(',')}`)).toEqual([
      'app-20240331T140000Z.dump.gz monthly 2024-03',
      'app-20240407T140000Z.dump.gz weekly 2024-W14',
      'app-20240408T140000Z.dump.gz daily 2024-04-08',
      'app-20240409T020000Z.dump.gz keep',
      'app-20240409T140000Z.dump.gz newest,keep,daily 2024-04-09,weekly 2024-W15,monthly 2024-04',
    ]);
    expect(new Set([...plan.remove, ...plan.keep.map((k) => k.name)]).size).toBe(all.length);
  });

  it('days without a backup do not count toward daily N', () => {
    const gappy = ['2024-05-01T02:00:00Z', '2024-05-05T02:00:00Z', '2024-05-09T02:00:00Z', '2024-05-10T02:00:00Z'].map(
      name,
    );
    expect(planRetention(gappy, 'app', pol({ daily: 3 }), gappy[3]!)).toEqual([gappy[0]]);
  });

  it('never removes the backup just made, even with the clock behind every other backup', () => {
    const late = name('2019-06-01T00:00:00Z');
    const plan = planRetentionDetailed([...all, late], 'app', pol({ keep: 1, daily: 1, weekly: 1, monthly: 1 }), late);
    expect(plan.remove).not.toContain(late);
    expect(plan.keep.find((k) => k.name === late)?.reasons).toContain('newest');
  });

  it('all counts 0 keeps everything; other databases, partial files and strangers are never touched', () => {
    expect(planRetention(all, 'app', pol({}), newest)).toEqual([]);
    const mixed = [...all.slice(-4), 'app-20240409T150000Z.dump.gz.partial', 'appx-20200101T000000Z.dump', 'notes.txt'];
    const r = planRetention(mixed, 'app', pol({ daily: 1 }), newest);
    expect(r).toEqual(all.slice(-4, -1));
  });

  it('is stable: applying the plan and planning again removes nothing more', () => {
    const p = pol({ keep: 3, daily: 7, weekly: 5, monthly: 3 });
    const left = planRetentionDetailed(all, 'app', p, newest).keep.map((k) => k.name);
    expect(planRetention(left, 'app', p, newest)).toEqual([]);
  });
});

describe('applyRetention on a directory', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dk-ret-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const files = calendar('2024-01-01T00:00:00Z', 20);
  for (const f of files) writeFileSync(join(dir, f), 'x');
  writeFileSync(join(dir, 'keep-me.txt'), 'x');
  const newest = files[files.length - 1]!;

  it('dry run reports and removes nothing; a real run removes exactly the plan', () => {
    const dry = applyRetention(dir, 'app', pol({ daily: 5, weekly: 2 }), newest, true);
    expect(readdirSync(dir)).toHaveLength(files.length + 1);
    const real = applyRetention(dir, 'app', pol({ daily: 5, weekly: 2 }), newest, false);
    expect(real.remove).toEqual(dry.remove);
    expect(readdirSync(dir).sort()).toEqual([...real.keep.map((k) => k.name), 'keep-me.txt'].sort());
    expect(readdirSync(dir)).toContain(newest);
  });
});

describe('summary lists what retention removed (or would) and what it kept', () => {
  const base: BackupReport = {
    mode: 'backup',
    engine: 'postgres',
    database: 'app',
    serverVersion: '15.8',
    path: '/b/app-20240409T140000Z.dump.gz',
    remotePath: '',
    sizeBytes: 10,
    sha256: 'ab',
    durationMs: 5,
    verify: 'list',
    verified: true,
    verification: 'ok',
    removed: ['app-20240101T020000Z.dump.gz'],
    kept: [{ name: 'app-20240409T140000Z.dump.gz', reasons: ['newest', 'daily 2024-04-09'] }],
    ranIn: 'service db (docker-compose exec -T)',
    retentionDryRun: true,
    counts: {},
  };
  it('dry run says "would remove"', () => {
    const md = backupSummary(base);
    expect(md).toContain('retention (dry run)');
    expect(md).toContain('would remove app-20240101T020000Z.dump.gz');
    expect(md).toContain('newest, daily 2024-04-09');
    expect(md).toContain('service db (docker-compose exec -T)');
    expect(backupSummary({ ...base, retentionDryRun: false })).toContain('removed app-20240101T020000Z.dump.gz');
  });
});
