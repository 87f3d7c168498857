/**
 * Remote output can never act as a workflow command, and a secret split across two writes is still
 * masked (issues 10 and 11). The real bundle runs as the runner runs it (test/helpers/run-dist.ts, which
 * acts on stdout workflow commands as GitHub's runner does, honouring ::stop-commands::); a command on a
 * real sshd prints hostile lines. The runner-side effects must not happen: no annotation, no mask, no
 * state and no output written by the server, and the secret never shows in either half.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSshd, type SshdHost } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

const SECRET = 's3cr3t-split-value-4711';
const work = mkdtempSync(join(tmpdir(), 'dk-inject-'));
let sshd: SshdHost;

beforeAll(async () => {
  sshd = await startSshd();
});
afterAll(async () => {
  await sshd?.stop();
  rmSync(work, { recursive: true, force: true });
});

// Printed on the server: each line a workflow command the runner would act on, then the secret in two
// writes with a pause between them (two chunks on the runner side), then the same with \r line ends.
const HOSTILE = [
  "printf '%s\\n' '::add-mask::hostile-mask-value'",
  "printf '%s\\n' '::error::boom from the server'",
  "printf '%s\\n' '::save-state name=deploy-kit-ssh-dir::/'",
  "printf '%s\\n' '::set-output name=pwned::yes'",
  "printf '%s\\n' '  ::warning::indented boom'",
  "printf 'ok\\r::notice::carriage boom\\n'",
  // One command (each line of `commands` is a step of its own).
  'printf \'token=%s\' "${SECRET:0:9}"; sleep 0.5; printf \'%s end\\n\' "${SECRET:9}"',
].join('\n');

describe('streamed output from a host (e2e, real sshd)', () => {
  it('is neutralized and redacted whole before it reaches the runner', async () => {
    const run = await runDist('run-release-phase', {
      'run-on': 'ssh',
      hosts: sshd.spec,
      'private-key': sshd.privateKey,
      'known-hosts': sshd.knownHosts,
      'working-directory': work,
      commands: HOSTILE,
      env: `SECRET=${SECRET}`,
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    // The lines were shown (as text) …
    expect(run.stdout).toContain('::error::boom from the server');
    expect(run.stdout).toContain('::save-state name=deploy-kit-ssh-dir::/');
    // … but nothing in them was acted on.
    expect(run.annotations.filter((a) => /boom/.test(a))).toEqual([]);
    expect(run.masks).not.toContain('hostile-mask-value');
    expect(run.outputs.pwned).toBeUndefined();
    expect(run.state['deploy-kit-ssh-dir']).toMatch(/\/deploy-kit-ssh-[A-Za-z0-9]{6}$/);
    // The secret arrived in two chunks and was still redacted as one string: neither half is printed.
    // (::add-mask:: lines of the action's own secrets are consumed by the runner, never shown.)
    const shown = run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(shown).toContain('token=*** end');
    expect(shown).not.toContain(SECRET.slice(0, 9));
    expect(shown).not.toContain(SECRET.slice(9));
  });
});
