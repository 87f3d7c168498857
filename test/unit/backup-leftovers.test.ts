import { existsSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { heldSuffix, isHeldName, removeStaleHeld } from '../../src/core/backup-db/leftovers.js';
import { backupsOf } from '../../src/core/backup-db/retention.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'dk-leftovers-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const touch = (name: string, ageMs = 0): string => {
  const p = join(dir, name);
  writeFileSync(p, 'x');
  const t = (Date.now() - ageMs) / 1000;
  utimesSync(p, t, t);
  return name;
};

describe('held backup files', () => {
  it('never count as backups for retention', () => {
    const names = [
      'shop-20240102T030405Z.dump.zst',
      `shop-20240103T030405Z.dump.zst${heldSuffix('unverified', 'runner-1', 42)}`,
      `shop-20240104T030405Z.dump.zst${heldSuffix('partial', 'runner-1', 42)}`,
      'shop-20240105T030405Z.dump.zst.partial',
      'shop-20240106T030405Z.dump.zst.unverified',
    ];
    expect(backupsOf(names, 'shop')).toEqual(['shop-20240102T030405Z.dump.zst']);
    expect(names.slice(1).every(isHeldName)).toBe(true);
    expect(isHeldName(names[0]!)).toBe(false);
  });

  it('removes what a dead writer on this host left, and old files of others; keeps live and other bases', () => {
    const HOUR = 3_600_000;
    const alive = new Set([111]);
    const deadHere = touch(`shop-20240101T000000Z.dump.zst.partial~h1~222`);
    const deadHereUnverified = touch(`shop-20240101T000001Z.dump.zst.unverified~h1~223`);
    const liveHere = touch(`shop-20240101T000002Z.dump.zst.partial~h1~111`);
    const otherHostYoung = touch(`shop-20240101T000003Z.dump.zst.partial~h2~222`, HOUR);
    const otherHostOld = touch(`shop-20240101T000004Z.dump.zst.unverified~h2~222`, 8 * HOUR);
    const legacyOld = touch(`shop-20240101T000005Z.dump.zst.partial`, 8 * HOUR);
    const otherBase = touch(`shopping-20240101T000006Z.dump.zst.partial~h1~222`);
    const finished = touch(`shop-20240101T000007Z.dump.zst`, 100 * HOUR);
    const removed = removeStaleHeld(dir, 'shop', { staleAfterMs: 7 * HOUR, host: 'h1', isAlive: (p) => alive.has(p) });
    expect(removed).toEqual([deadHere, deadHereUnverified, otherHostOld, legacyOld].sort());
    expect(readdirSync(dir).sort()).toEqual([liveHere, otherHostYoung, otherBase, finished].sort());
    expect(existsSync(join(dir, finished))).toBe(true);
  });

  it('a missing directory is nothing to clean', () => {
    expect(removeStaleHeld(join(dir, 'nope'), 'shop', { staleAfterMs: 1 })).toEqual([]);
  });
});
