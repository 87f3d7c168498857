import { describe, expect, it } from 'vitest';
import { lockCommand, parseLockLine, unlockCommand } from '../../src/lib/lock.js';

describe('deploy lock builders', () => {
  it('base and owner travel as arguments of a constant script', () => {
    const owner = "repo https://x/runs/1 $(id) 'me'";
    const l = lockCommand('/srv/a b', owner);
    expect(l.argv.slice(-3)).toEqual(['dk', '/srv/a b', owner]);
    expect(l.argv[4]).not.toContain(owner);
    expect(unlockCommand('/srv/a b', owner).argv.slice(-2)).toEqual(['/srv/a b', owner]);
  });

  it('reads acquired / held (owner and age) among other lines; no lock line is an error', () => {
    expect(parseLockLine('@note x\n@lock acquired\n@current r1\n')).toEqual({ acquired: true });
    expect(parseLockLine('@lock held\trepo run 7 actor\t42\n')).toEqual({
      acquired: false,
      heldBy: 'repo run 7 actor',
      ageSec: 42,
    });
    expect(parseLockLine('@lock held\t\tx\n')).toEqual({ acquired: false, heldBy: 'unknown', ageSec: 0 });
    expect(() => parseLockLine('bash: something broke\n')).toThrow(/printed no lock state/);
  });
});
