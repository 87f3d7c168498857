/**
 * Values that start with `-` must never be read as options. run-release-phase against a real Docker Engine
 * (test/fixtures/dockerd.ts): `image: -v/:/host` once made `docker run` mount the host's root filesystem, and
 * the release commands wrote to it. The image `pipefail` exists here on purpose: with the old argv
 * (`--entrypoint bash <image> -euo pipefail -c …`) docker took `-v/:/host` as a mount and `pipefail` as the
 * image, so the command ran with / mounted at /host.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync, chmodSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { runDist } from '../helpers/run-dist.js';

const work = mkdtempSync(join(tmpdir(), 'dk-smuggle-'));
let d: Dockerd;

/** FROM scratch: busybox, plus /bin/bash as a script that runs busybox sh (busybox has no bash applet). */
function bashImage(tag: string): void {
  const ctx = join(work, 'ctx');
  mkdirSync(ctx, { recursive: true });
  copyFileSync('/bin/busybox', join(ctx, 'busybox'));
  writeFileSync(join(ctx, 'bash'), '#!/bin/busybox sh\nexec /bin/busybox sh "$@"\n');
  chmodSync(join(ctx, 'bash'), 0o755);
  writeFileSync(
    join(ctx, 'Dockerfile'),
    'FROM scratch\nCOPY busybox /bin/busybox\nCOPY bash /bin/bash\nENV PATH=/bin\nENTRYPOINT ["/bin/busybox"]\n',
  );
  d.docker('build', '-q', '-t', tag, ctx);
}

beforeAll(async () => {
  d = await startDockerd();
  bashImage('pipefail');
}, 240_000);
afterAll(async () => {
  await d?.stop();
  rmSync(work, { recursive: true, force: true });
});

const release = (inputs: Record<string, string>) =>
  runDist('run-release-phase', { 'run-on': 'docker', ...inputs }, { env: { DOCKER_HOST: d.host } });

describe('run-release-phase image', () => {
  it('`-v/:/host` is refused as an image reference before docker runs; no marker on the host', async () => {
    const marker = join(work, 'smuggled-marker');
    const run = await release({ image: '-v/:/host', commands: `touch /host${marker}` });
    expect(existsSync(marker)).toBe(false);
    expect(run.exitCode).toBe(1);
    expect(run.annotations.join('\n')).toMatch(/input `image`: .*not a valid image reference/);
    expect(d.docker('ps', '-aq').trim()).toBe('');
  });

  it('a valid image still runs, with its options ended by `--`', async () => {
    const out = join(work, 'mounted');
    mkdirSync(out);
    const run = await release({
      image: 'pipefail',
      'working-directory': out,
      commands: 'echo from-the-image > /app/proof',
    });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(existsSync(join(out, 'proof'))).toBe(true);
  });
});
