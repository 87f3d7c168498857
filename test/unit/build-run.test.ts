/** runBuild failures a user can hit before anything is built: a `docker` that cannot start. */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { readBuildConfig } from '../../src/core/build-image/config.js';
import { runBuild } from '../../src/core/build-image/run.js';
import { LocalExecutor } from '../../src/lib/exec/local.js';
import { mapInputs } from '../helpers/inputs.js';

describe('runBuild', () => {
  it('a docker program that does not exist fails naming the input, before any temp dir or build', async () => {
    const root = mkdtempSync(join(tmpdir(), 'dk-run-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const cfg = readBuildConfig(mapInputs({ image: 'r.example/acme/web', docker: join(root, 'no-such-docker') }), {
      GITHUB_SHA: 'a'.repeat(40),
    });
    const lines: string[] = [];
    await expect(runBuild(cfg, new LocalExecutor(), { tempRoot: root, log: (l) => lines.push(l) })).rejects.toThrow(
      /"docker --version" could not start: .*ENOENT[\s\S]*input `docker`: ".*no-such-docker"/,
    );
    expect(readdirSync(root)).toEqual([]);
    expect(lines.join('\n')).not.toContain('running:');
  });
});
