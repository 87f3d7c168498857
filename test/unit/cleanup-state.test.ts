import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  cleanupRecordedState,
  makeRecordedTempDir,
  provableTempPath,
  recordTempPathsWith,
  SSH_DIR_STATE,
  TEMP_PATHS_STATE,
} from '../../src/lib/cleanup-state.js';

let base: string;
let runnerTemp: string;
let victim: string;

beforeEach(() => {
  base = mkdtempSync(join(tmpdir(), 'dk-cleanup-test-'));
  runnerTemp = join(base, 'runner-temp');
  victim = join(base, 'victim');
  mkdirSync(runnerTemp);
  mkdirSync(join(victim, 'deploy-kit-ssh-x'), { recursive: true });
  writeFileSync(join(victim, 'precious'), 'keep me');
});
afterEach(() => {
  recordTempPathsWith(undefined);
  rmSync(base, { recursive: true, force: true });
});

const post = (state: Record<string, string>): string[] => {
  const env: NodeJS.ProcessEnv = { RUNNER_TEMP: runnerTemp };
  for (const [k, v] of Object.entries(state)) env[`STATE_${k}`] = v;
  return cleanupRecordedState(env, () => undefined);
};

describe('post steps remove only what main provably made', () => {
  it('a recorded temp dir is recorded before it exists, private, and removed by the post step', () => {
    const saved: [string, string][] = [];
    const existedWhenRecorded: boolean[] = [];
    recordTempPathsWith((k, v) => {
      // At the moment of recording, the newest folder does not exist yet: a kill right after leaves nothing unknown.
      saved.push([k, v]);
      existedWhenRecorded.push(existsSync((JSON.parse(v) as string[]).at(-1)!));
    });
    const a = makeRecordedTempDir('backup', runnerTemp);
    const b = makeRecordedTempDir('tmp', runnerTemp);
    expect(saved.at(-1)).toEqual([TEMP_PATHS_STATE, JSON.stringify([a, b])]);
    expect(existedWhenRecorded).toEqual([false, false]);
    expect(statSync(a).mode & 0o777).toBe(0o700);
    writeFileSync(join(a, 'pgpass'), 'secret');
    expect(post({ [TEMP_PATHS_STATE]: saved.at(-1)![1] })).toEqual([a, b]);
    expect(existsSync(a)).toBe(false);
    expect(existsSync(b)).toBe(false);
    expect(existsSync(join(victim, 'precious'))).toBe(true);
  });

  it('the SSH key folder (mkdtemp name) directly under RUNNER_TEMP is removed', () => {
    const dir = mkdtempSync(join(runnerTemp, 'deploy-kit-ssh-'));
    writeFileSync(join(dir, 'id'), 'key');
    expect(post({ [SSH_DIR_STATE]: dir })).toEqual([dir]);
    expect(existsSync(dir)).toBe(false);
  });

  it('`…/victim/deploy-kit-ssh-x/..`, paths outside RUNNER_TEMP, links and look-alikes are left alone', () => {
    const token = 'deploy-kit-backup-' + '0'.repeat(32);
    const outside = join(victim, token);
    mkdirSync(outside);
    const nested = join(runnerTemp, 'sub', token);
    mkdirSync(nested, { recursive: true });
    const link = join(runnerTemp, 'deploy-kit-backup-' + 'a'.repeat(32));
    symlinkSync(victim, link);
    const sshLink = join(runnerTemp, 'deploy-kit-ssh-Ab12Cd');
    symlinkSync(victim, sshLink);
    const shortToken = join(runnerTemp, 'deploy-kit-backup-abc');
    mkdirSync(shortToken);
    const hostile = [
      join(victim, 'deploy-kit-ssh-x') + '/..',
      `${runnerTemp}/${token}/..`,
      `${runnerTemp}//${token}`,
      `${runnerTemp}/./${token}`,
      outside,
      nested,
      link,
      shortToken,
      victim,
      runnerTemp,
      '/',
      'relative/' + token,
    ];
    const removed = post({
      [SSH_DIR_STATE]: join(victim, 'deploy-kit-ssh-x') + '/..',
      [TEMP_PATHS_STATE]: JSON.stringify(hostile),
    });
    expect(removed).toEqual([]);
    for (const p of [victim, join(victim, 'precious'), join(victim, 'deploy-kit-ssh-x'), outside, nested, shortToken])
      expect(existsSync(p)).toBe(true);
    expect(post({ [SSH_DIR_STATE]: sshLink })).toEqual([]);
    expect(existsSync(join(victim, 'precious'))).toBe(true);
    expect(provableTempPath(join(victim, 'deploy-kit-ssh-x') + '/..', runnerTemp)).toEqual({
      refused: 'not a normal path',
    });
    expect(provableTempPath(outside, runnerTemp)).toEqual({ refused: 'not directly under RUNNER_TEMP' });
    expect(provableTempPath(link, runnerTemp)).toEqual({ refused: 'not a real directory' });
  });

  it('state that is not a JSON list, or no RUNNER_TEMP, removes nothing', () => {
    const dir = makeRecordedTempDir('tmp', runnerTemp);
    expect(post({ [TEMP_PATHS_STATE]: dir })).toEqual([]);
    expect(cleanupRecordedState({ [`STATE_${TEMP_PATHS_STATE}`]: JSON.stringify([dir]) }, () => undefined)).toEqual([]);
    expect(existsSync(dir)).toBe(true);
  });
});
