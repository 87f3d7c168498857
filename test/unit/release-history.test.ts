import { describe, expect, it } from 'vitest';
import {
  appendHistoryCommand,
  historyLine,
  imageOf,
  markBadCommand,
  parseHistory,
  rollbackTarget,
  type HistoryEvent,
} from '../../src/lib/release-history.js';

const at = '2026-11-30T18:00:00.000Z';
const act = (id: string, how: HistoryEvent['how'] = 'deploy'): HistoryEvent => ({ event: 'activate', id, at, how });
const bad = (id: string): HistoryEvent => ({ event: 'bad', id, at, reason: 'release phase failed' });
const up = (id: string): HistoryEvent => ({ event: 'upload', id, at });

describe('release history', () => {
  it('a line has fixed key order and one line only', () => {
    expect(historyLine({ event: 'activate', id: 'r2', at, from: 'r1', how: 'deploy', run: 'https://x/1\nevil' })).toBe(
      '{"event":"activate","id":"r2","at":"2026-11-30T18:00:00.000Z","from":"r1","how":"deploy","run":"https://x/1 evil"}',
    );
    expect(() => historyLine({ event: 'bad', id: '../x', at })).toThrow(/not a release id/);
  });

  it('parses its own lines back and skips torn or foreign ones', () => {
    const text = [act('v1'), bad('v3'), up('v4')].map(historyLine).join('\n') + '\n{"event":"activ\nhello\n{"x":1}\n';
    expect(parseHistory(text)).toEqual([act('v1'), bad('v3'), up('v4')]);
  });

  it('the issue sequence: v3 uploaded (release phase failed), v4 live and bad → v2, never v3', () => {
    const history = [act('v1'), act('v2'), up('v3'), bad('v3'), up('v4'), act('v4')];
    const existing = new Set(['v1', 'v2', 'v3', 'v4']);
    expect(rollbackTarget({ history, current: 'v4', existing })).toBe('v2');
    // Even unmarked, a release that never went live is not a rollback target.
    expect(rollbackTarget({ history: history.filter((e) => e.event !== 'bad'), current: 'v4', existing })).toBe('v2');
  });

  it('after a rollback the next rollback skips the bad one and the current one; pruned releases are skipped', () => {
    const history = [act('r1'), act('r2'), act('r3'), act('r4'), bad('r4'), act('r3', 'rollback')];
    expect(rollbackTarget({ history, current: 'r3', existing: new Set(['r1', 'r2', 'r3', 'r4']) })).toBe('r2');
    expect(rollbackTarget({ history, current: 'r3', existing: new Set(['r3', 'r4']) })).toBeUndefined();
    expect(rollbackTarget({ history, current: 'r3', existing: new Set(['r1', 'r3']), bad: new Set(['r1']) })).toBe(
      undefined,
    );
  });

  it('no activations recorded: nothing to go back to', () => {
    expect(rollbackTarget({ history: [up('a'), up('b')], current: 'b', existing: new Set(['a', 'b']) })).toBe(
      undefined,
    );
  });

  it('builders pass lines and paths as arguments of constant scripts', () => {
    const a = appendHistoryCommand("/srv/a'b", [act('v1')]);
    expect(a.argv.slice(4)).toEqual(["/srv/a'b", historyLine(act('v1'))]);
    expect(a.argv[2]).not.toContain('v1');
    const m = markBadCommand('/srv/app', { id: 'v3', at, reason: 'release phase failed' });
    expect(m.argv.slice(4)).toEqual(['/srv/app', 'v3', historyLine(bad('v3'))]);
  });

  it('an activation records the image that went live; the history alone says which image a release ran', () => {
    const img = (id: string, image: string, how: HistoryEvent['how'] = 'deploy'): HistoryEvent => ({
      ...act(id, how),
      image,
    });
    const d1 = `127.0.0.1:5000/acme/shop@sha256:${'1'.repeat(64)}`;
    const d2 = `127.0.0.1:5000/acme/shop@sha256:${'2'.repeat(64)}`;
    expect(historyLine(img('r1', d1))).toBe(
      `{"event":"activate","id":"r1","at":"${at}","how":"deploy","image":"${d1}"}`,
    );
    const history = parseHistory(
      [img('r1', d1), act('r2'), img('r2', d2, 'rollback'), up('r3')].map(historyLine).join('\n'),
    );
    expect(history[0]).toEqual(img('r1', d1));
    expect(imageOf(history, 'r1')).toBe(d1);
    expect(imageOf(history, 'r2')).toBe(d2);
    expect(imageOf(history, 'r3')).toBeUndefined();
    // An image that could be read as an option or spans words is refused when written and dropped when read.
    expect(() => historyLine(img('r4', '--privileged'))).toThrow(/not an image reference/);
    expect(() => historyLine(img('r4', 'a b'))).toThrow(/not an image reference/);
    const foreign = `{"event":"activate","id":"r5","at":"${at}","image":"-x evil"}`;
    expect(parseHistory(foreign)).toEqual([{ event: 'activate', id: 'r5', at }]);
  });
});
