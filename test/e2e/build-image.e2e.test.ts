/**
 * dist/build-image against a real Docker Engine (Debian dockerd 20.10) and real registries on loopback:
 * the legacy builder path (/usr/local/bin/docker 28, no buildx) and the engine-BuildKit path
 * (/usr/bin/docker 20.10, with a build secret); reproducible digests across rebuilds; the built digest
 * promoted with dist/promote. No image can be pulled here: everything is FROM scratch with static busybox.
 */
import { execFileSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/lib/oci/client.js';
import { startDockerd, type Dockerd } from '../fixtures/dockerd.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { runDist } from '../helpers/run-dist.js';

const SECRET = 'tok-9f3b1c77e2-not-in-any-layer';
const KEY_LINE = 'c2VjcmV0LWtleS1tYXRlcmlhbC1saW5lLTI=';
const PASSWORD = 'build-pass-e2e-71';
const LEGACY = '/usr/local/bin/docker'; // docker 28 CLI without buildx → legacy builder
const DEBIAN = '/usr/bin/docker'; // docker 20.10 CLI → engine BuildKit

const DOCKERFILE = [
  'FROM scratch',
  'ARG GREETING=hi',
  'COPY busybox /bin/busybox',
  'COPY busybox /bin/sh',
  'COPY app/ /app/',
  'RUN echo "::warning::injected-by-build" && /bin/busybox mkdir -p /var/www && /bin/busybox cp /app/index.html /var/www/ && echo built > /var/www/stamp',
  // A whiteout (a file removed in a later layer) and a hard link: both must survive the tar rewrite.
  'RUN /bin/busybox rm /app/scratch.txt && /bin/busybox ln /bin/busybox /bin/cat',
  'LABEL greeting=$GREETING',
  'ENV PATH=/bin',
  'WORKDIR /var/www',
  'ENTRYPOINT ["/bin/busybox"]',
  'CMD ["httpd", "-f", "-p", "8080"]',
  '',
].join('\n');

const SECRET_DOCKERFILE = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'COPY busybox /bin/sh',
  'COPY app/ /app/',
  // The secret is used (its sha256 lands in the image), never copied.
  'RUN --mount=type=secret,id=api_token /bin/busybox sha256sum /run/secrets/api_token > /token-sha256',
  'RUN --mount=type=secret,id=deploy_key /bin/busybox wc -l < /run/secrets/deploy_key > /key-lines',
  'ENTRYPOINT ["/bin/busybox"]',
  '',
].join('\n');

const FAILING_DOCKERFILE = [
  'FROM scratch',
  'COPY busybox /bin/busybox',
  'COPY busybox /bin/sh',
  'RUN echo step-is-about-to-fail && exit 3',
  '',
].join('\n');

describe('build-image bundle (e2e, real dockerd + registry)', () => {
  let d: Dockerd;
  let reg: Registry;
  let secured: Registry;
  let ctxDir: string;
  let sha: string;
  let runnerTemp: string;
  let dockerConfig: string;
  let keyFile: string;

  beforeAll(async () => {
    [d, reg, secured] = await Promise.all([
      startDockerd(),
      startRegistry(),
      startRegistry({ users: { builder: PASSWORD } }),
    ]);
    ctxDir = mkdtempSync(join(tmpdir(), 'dk-build-ctx-'));
    runnerTemp = mkdtempSync(join(tmpdir(), 'dk-build-rt-'));
    dockerConfig = mkdtempSync(join(tmpdir(), 'dk-build-dc-'));
    // A multi-line secret in a file outside the build context (as an earlier step would write it).
    keyFile = join(dockerConfig, '..', `${dockerConfig.split('/').pop()}-key`);
    writeFileSync(keyFile, `-----BEGIN KEY-----\n${KEY_LINE}\n-----END KEY-----\n`, { mode: 0o600 });
    copyFileSync('/bin/busybox', join(ctxDir, 'busybox'));
    mkdirSync(join(ctxDir, 'app'));
    writeFileSync(join(ctxDir, 'app', 'index.html'), '<h1>hello</h1>\n');
    writeFileSync(join(ctxDir, 'app', 'scratch.txt'), 'removed in a later layer\n');
    writeFileSync(join(ctxDir, 'Dockerfile'), DOCKERFILE);
    writeFileSync(join(ctxDir, 'Dockerfile.secret'), SECRET_DOCKERFILE);
    writeFileSync(join(ctxDir, 'Dockerfile.failing'), FAILING_DOCKERFILE);
    const git = (...args: string[]): string =>
      execFileSync('git', ['-C', ctxDir, ...args], {
        encoding: 'utf8',
        env: {
          ...process.env,
          GIT_AUTHOR_NAME: 't',
          GIT_AUTHOR_EMAIL: 't@example.com',
          GIT_COMMITTER_NAME: 't',
          GIT_COMMITTER_EMAIL: 't@example.com',
          GIT_AUTHOR_DATE: '2026-01-02T04:04:05+01:00',
          GIT_COMMITTER_DATE: '2026-01-02T04:04:05+01:00',
        },
      }).trim();
    git('init', '-q', '-b', 'main');
    git('add', '.');
    git('commit', '-q', '-m', 'app');
    sha = git('rev-parse', 'HEAD');
  }, 120_000);
  afterAll(async () => {
    await Promise.all([d?.stop(), reg?.stop(), secured?.stop()]);
    for (const dir of [ctxDir, runnerTemp, dockerConfig, keyFile])
      if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}): Record<string, string> => ({
    DOCKER_HOST: d.host,
    DOCKER_CONFIG: dockerConfig,
    RUNNER_TEMP: runnerTemp,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: sha,
    GITHUB_REPOSITORY: 'acme/web',
    GITHUB_SERVER_URL: 'https://github.com',
    ...extra,
  });
  const base = (extra: Record<string, string>): Record<string, string> => ({
    context: ctxDir,
    network: 'none', // dockerd runs with --bridge=none here
    cache: 'none',
    'insecure-http': 'true',
    ...extra,
  });

  /** What the log shows: stdout without the `::add-mask::` commands (the runner hides those), and stderr. */
  const shownOutput = (run: { stdout: string; stderr: string }): string =>
    run.stdout
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n') + run.stderr;

  /** Every blob the manifest references, raw and (for layers) gunzipped. */
  async function pushedBlobs(client: RegistryClient, repo: string, ref: string): Promise<Buffer[]> {
    const m = await client.getManifest(repo, ref);
    const json = JSON.parse(m.bytes.toString()) as { config: { digest: string }; layers: { digest: string }[] };
    const out: Buffer[] = [m.bytes];
    for (const desc of [json.config, ...json.layers]) {
      const bytes = Buffer.from(await (await client.openBlob(repo, desc.digest)).arrayBuffer());
      out.push(bytes);
      if (desc !== json.config) out.push(gunzipSync(bytes));
    }
    return out;
  }

  it('legacy builder: pushes every tag, digest = sha256 of the bytes the registry serves; a rebuild with new mtimes gives the same digest; promote carries it', async () => {
    const inputs = base({
      docker: LEGACY,
      image: `${reg.host}/acme/web`,
      tags: 'candidate',
      'build-args': 'GREETING=hello',
    });
    const run = await runDist('build-image', inputs, { env: env() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.annotations.join('\n')).toMatch(/legacy builder.*install the buildx plugin/);
    // RUN output cannot issue workflow commands.
    expect(run.stdout).toContain('injected-by-build');
    expect(run.annotations.join('\n')).not.toContain('injected-by-build');

    // Hash the manifest bytes ourselves, straight from the registry API.
    const res = await fetch(`${reg.url}/v2/acme/web/manifests/latest`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const served = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
    expect(run.outputs.digest).toBe(served);
    expect(res.headers.get('docker-content-digest')).toBe(served);
    expect(run.outputs['image-ref']).toBe(`${reg.host}/acme/web@${served}`);
    const tags = JSON.parse(run.outputs.tags!) as string[];
    expect(tags).toEqual(
      ['sha-' + sha.slice(0, 7), 'main', 'latest', 'candidate'].map((t) => `${reg.host}/acme/web:${t}`),
    );
    const client = new RegistryClient({ registry: reg.host, insecureHttp: true });
    for (const t of ['sha-' + sha.slice(0, 7), 'main', 'candidate']) {
      expect(await client.resolveTag('acme/web', t)).toBe(served);
    }
    // Labels from the commit (created = commit time in UTC), the build arg, run-time config kept.
    const manifest = JSON.parse(bytes.toString()) as { mediaType: string; config: { digest: string } };
    expect(manifest.mediaType).toBe('application/vnd.oci.image.manifest.v1+json');
    const config = (await (await client.openBlob('acme/web', manifest.config.digest)).json()) as {
      created: string;
      history: { created: string }[];
      config: {
        Labels: Record<string, string>;
        Entrypoint: string[];
        Cmd: string[];
        WorkingDir: string;
        Env: string[];
      };
      container_config?: unknown;
    };
    expect(config.created).toBe('2026-01-02T03:04:05Z');
    expect(new Set(config.history.map((h) => h.created))).toEqual(new Set(['2026-01-02T03:04:05Z']));
    expect(config.container_config).toBeUndefined();
    expect(config.config).toMatchObject({
      Entrypoint: ['/bin/busybox'],
      Cmd: ['httpd', '-f', '-p', '8080'],
      WorkingDir: '/var/www',
      Env: ['PATH=/bin'],
    });
    expect(config.config.Labels).toMatchObject({
      'org.opencontainers.image.revision': sha,
      'org.opencontainers.image.created': '2026-01-02T03:04:05Z',
      'org.opencontainers.image.source': 'https://github.com/acme/web',
      'org.opencontainers.image.version': 'main',
      greeting: 'hello',
    });
    expect(run.summary).toContain(`build-image: ✅ ${served}`);
    expect(run.summary).toContain('legacy builder');
    const meta = JSON.parse(run.outputs.metadata!) as { builder: string; digest: string; pushed: boolean };
    expect(meta).toMatchObject({ builder: 'classic', digest: served, pushed: true });
    // No docker login happened: no config.json in the private DOCKER_CONFIG.
    expect(readdirSync(dockerConfig)).not.toContain('config.json');

    // The engine pulls the pushed digest (it checks every diff_id) and runs it.
    d.docker('pull', '-q', run.outputs['image-ref']!);
    expect(
      d.docker('run', '--rm', '--network', 'none', run.outputs['image-ref']!, 'cat', '/var/www/stamp', 'index.html'),
    ).toBe('built\n<h1>hello</h1>\n');
    expect(
      d.docker(
        'run',
        '--rm',
        '--network',
        'none',
        '--entrypoint',
        '/bin/cat',
        run.outputs['image-ref']!,
        '/var/www/stamp',
      ),
    ).toBe('built\n');
    expect(
      d.docker(
        'run',
        '--rm',
        '--network',
        'none',
        run.outputs['image-ref']!,
        'sh',
        '-c',
        'ls /app; stat -c %h /bin/cat',
      ),
    ).toBe('index.html\n2\n');

    // Rebuild the same commit: every file touched (new mtimes), no cache → the same digest.
    const later = new Date(Date.now() + 3_600_000);
    for (const f of ['busybox', 'Dockerfile', 'app', join('app', 'index.html'), join('app', 'scratch.txt')])
      utimesSync(join(ctxDir, f), later, later);
    const again = await runDist('build-image', inputs, { env: env() });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(JSON.parse(again.outputs.metadata!)['image-id']).not.toBe(meta['image-id' as keyof typeof meta]);
    expect(again.outputs.digest).toBe(served);
    expect(again.stdout).toContain('already present');

    // The image runs from the registry digest: promote it to another repository without moving a blob.
    const promoted = await runDist('promote', {
      source: run.outputs['image-ref']!,
      target: `${reg.host}/acme/web-prod:${sha.slice(0, 7)}`,
      'insecure-http': 'true',
    });
    expect(promoted.exitCode, promoted.stdout + promoted.stderr).toBe(0);
    expect(promoted.outputs.digest).toBe(served);
    expect(promoted.stdout).toContain('blob bytes uploaded: 0');
  }, 150_000);

  it('engine BuildKit: a build secret used in RUN is in no pushed blob and no log; its temp file is gone; rebuild is reproducible', async () => {
    const inputs = base({
      docker: DEBIAN,
      image: `${reg.host}/acme/secret-app`,
      file: join(ctxDir, 'Dockerfile.secret'),
      'tag-rules': 'sha',
      secrets: `api_token=${SECRET}`,
      'secret-files': `deploy_key=${keyFile}`,
    });
    const run = await runDist('build-image', inputs, { env: env() });
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.metadata!)).toMatchObject({ builder: 'buildkit' });
    expect(run.stdout).toMatch(/builder: buildkit/);
    expect(shownOutput(run) + run.summary).not.toContain(SECRET);
    expect(shownOutput(run) + run.summary).not.toContain(KEY_LINE);
    expect(readdirSync(runnerTemp)).toEqual([]);

    const client = new RegistryClient({ registry: reg.host, insecureHttp: true });
    const tag = `sha-${sha.slice(0, 7)}`;
    expect(await client.resolveTag('acme/secret-app', tag)).toBe(run.outputs.digest);
    const blobs = await pushedBlobs(client, 'acme/secret-app', tag);
    expect(blobs.length).toBeGreaterThanOrEqual(5);
    for (const b of blobs) {
      expect(b.includes(SECRET)).toBe(false);
      expect(b.includes(KEY_LINE)).toBe(false);
    }
    // The RUN step did see the secret: its sha256 is in a layer.
    const secretSha = createHash('sha256').update(SECRET).digest('hex');
    expect(blobs.some((b) => b.includes(secretSha))).toBe(true);

    d.docker('pull', '-q', run.outputs['image-ref']!);
    expect(d.docker('run', '--rm', '--network', 'none', run.outputs['image-ref']!, 'cat', '/token-sha256')).toContain(
      createHash('sha256').update(SECRET).digest('hex'),
    );
    expect(d.docker('run', '--rm', '--network', 'none', run.outputs['image-ref']!, 'cat', '/key-lines').trim()).toBe(
      '3',
    );

    const later = new Date(Date.now() + 7_200_000);
    utimesSync(join(ctxDir, 'busybox'), later, later);
    const again = await runDist('build-image', inputs, { env: env() });
    expect(again.exitCode, again.stdout + again.stderr).toBe(0);
    expect(again.outputs.digest).toBe(run.outputs.digest);
  }, 120_000);

  it('htpasswd registry: username/password go to the registry client only; the password never shows', async () => {
    const push = (password: string): ReturnType<typeof runDist> =>
      runDist(
        'build-image',
        base({
          docker: DEBIAN,
          image: `${secured.host}/acme/web`,
          'tag-rules': 'sha',
          username: 'builder',
          password,
        }),
        { env: env() },
      );
    const run = await push(PASSWORD);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    const client = new RegistryClient({
      registry: secured.host,
      insecureHttp: true,
      credentials: { username: 'builder', password: PASSWORD },
    });
    expect(await client.resolveTag('acme/web', `sha-${sha.slice(0, 7)}`)).toBe(run.outputs.digest);
    expect(run.stdout).toContain(`::add-mask::${PASSWORD}`);
    expect(shownOutput(run)).not.toContain(PASSWORD);
    expect(readdirSync(dockerConfig)).not.toContain('config.json');

    // A rejected password fails after the build: the message says so, the password never shows, the
    // private temp dir (saved image, blobs) is removed and the tag still names the first push.
    const wrong = await push('nope-wrong-pw');
    expect(wrong.exitCode).toBe(1);
    expect(wrong.annotations.join('\n')).toMatch(/401|credentials rejected/);
    expect(shownOutput(wrong) + wrong.annotations.join('\n')).not.toContain('nope-wrong-pw');
    expect(readdirSync(runnerTemp)).toEqual([]);
    expect(readdirSync(dockerConfig)).not.toContain('config.json');
    expect(await client.resolveTag('acme/web', `sha-${sha.slice(0, 7)}`)).toBe(run.outputs.digest);
  }, 120_000);

  it('a failing Dockerfile step fails the step with the builder error lines and pushes nothing', async () => {
    for (const docker of [LEGACY, DEBIAN]) {
      const run = await runDist(
        'build-image',
        base({
          docker,
          image: `${reg.host}/acme/broken`,
          file: join(ctxDir, 'Dockerfile.failing'),
          // BuildKit also gets a secret: its temp file must be gone after the failure too.
          ...(docker === DEBIAN ? { secrets: `api_token=${SECRET}` } : {}),
        }),
        { env: env() },
      );
      expect(run.exitCode).toBe(1);
      expect(readdirSync(runnerTemp)).toEqual([]);
      const msg = run.annotations.join('\n');
      expect(msg).toMatch(/the build failed.*nothing was pushed/);
      expect(msg).toMatch(/exit code: 3|returned a non-zero code: 3/);
      expect(msg).toContain('step-is-about-to-fail');
    }
    // This engine has no default bridge: a RUN step without `network` fails, and the message names the fix.
    const noNet = await runDist(
      'build-image',
      { ...base({ docker: DEBIAN, image: `${reg.host}/acme/broken` }), network: '' },
      { env: env() },
    );
    expect(noNet.exitCode).toBe(1);
    expect(noNet.annotations.join('\n')).toMatch(/network bridge not found/);
    expect(noNet.annotations.join('\n')).toMatch(/Fix: .*set `network: none`/);
    const client = new RegistryClient({ registry: reg.host, insecureHttp: true });
    expect(await client.resolveTag('acme/broken', 'latest').catch(() => undefined)).toBeUndefined();
    const catalog = (await (await fetch(`${reg.url}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).not.toContain('acme/broken');
  }, 120_000);

  it('push false builds and tags locally only; digest is empty and said so', async () => {
    const run = await runDist(
      'build-image',
      base({ docker: DEBIAN, image: `${reg.host}/acme/local-only`, push: 'false', 'tag-rules': 'sha' }),
      { env: env() },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.digest).toBe('');
    expect(run.outputs['image-id']).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(run.summary).toContain('push is false');
    expect(
      d.docker('image', 'inspect', '--format', '{{.Id}}', `${reg.host}/acme/local-only:sha-${sha.slice(0, 7)}`).trim(),
    ).toBe(run.outputs['image-id']);
    const catalog = (await (await fetch(`${reg.url}/v2/_catalog`)).json()) as { repositories: string[] };
    expect(catalog.repositories).not.toContain('acme/local-only');
  }, 60_000);

  it('the commit is the checked-out HEAD (a different GITHUB_SHA is warned about); outside git GITHUB_SHA stands in with a warning, created from SOURCE_DATE_EPOCH when set', async () => {
    const other = 'f'.repeat(40);
    const run = await runDist(
      'build-image',
      base({ docker: DEBIAN, image: `${reg.host}/acme/head`, push: 'false', 'tag-rules': 'sha' }),
      { env: env({ GITHUB_SHA: other }) },
    );
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(JSON.parse(run.outputs.tags!)).toEqual([`${reg.host}/acme/head:sha-${sha.slice(0, 7)}`]);
    expect(run.annotations.join('\n')).toMatch(/building the checked-out commit .*not GITHUB_SHA ffffffffffff/);
    expect(JSON.parse(run.outputs.metadata!)).toMatchObject({ revision: sha, created: '2026-01-02T03:04:05Z' });

    const bare = mkdtempSync(join(tmpdir(), 'dk-build-nogit-'));
    try {
      copyFileSync('/bin/busybox', join(bare, 'busybox'));
      writeFileSync(join(bare, 'Dockerfile'), 'FROM scratch\nCOPY busybox /bin/busybox\n');
      const inputs = base({ docker: DEBIAN, context: bare, image: `${reg.host}/acme/nogit`, push: 'false' });
      // Outside git, GITHUB_SHA stands in (as docker/metadata-action does), with a warning; without
      // SOURCE_DATE_EPOCH the commit time is unknown (no GITHUB_SHA at all: unit-tested in build-run.test.ts).
      const fallback = await runDist('build-image', inputs, { env: env() });
      expect(fallback.exitCode, fallback.stdout + fallback.stderr).toBe(0);
      expect(fallback.annotations.join('\n')).toMatch(/not a git work tree: .*GITHUB_SHA .*commit time is unknown/);
      expect(JSON.parse(fallback.outputs.metadata!)).toMatchObject({ revision: sha });
      const ok = await runDist('build-image', inputs, { env: env({ SOURCE_DATE_EPOCH: '1767323045' }) });
      expect(ok.exitCode, ok.stdout + ok.stderr).toBe(0);
      expect(JSON.parse(ok.outputs.metadata!)).toMatchObject({ revision: sha, created: '2026-01-02T03:04:05Z' });
    } finally {
      rmSync(bare, { recursive: true, force: true });
    }
  }, 60_000);

  it('bad inputs and unsupported combinations fail naming the input (and the fix) before anything is built', async () => {
    // A docker stand-in that records every call: bad inputs must not reach it. (Each input's checks are in
    // test/unit/build-tags.test.ts; here the bundle shows it stops before the builder and echoes no secret.)
    const marker = join(runnerTemp, '..', `dk-build-calls-${process.pid}`);
    const fake = join(ctxDir, 'fake-docker');
    writeFileSync(fake, `#!/bin/sh\necho "$@" >> ${marker}\nexit 1\n`, { mode: 0o755 });
    try {
      for (const [inputs, msg] of [
        [{ image: `${reg.host}/acme/web:tag` }, /input `image`: .*without a tag/],
        [{ image: `${reg.host}/acme/web`, secrets: SECRET }, /input `secrets`: a line is not KEY=VALUE/],
      ] as const) {
        const run = await runDist('build-image', { ...base({ docker: fake }), ...inputs }, { env: env() });
        expect(run.exitCode).toBe(1);
        expect(run.annotations.join('\n')).toMatch(msg);
        expect(shownOutput(run)).not.toContain(SECRET);
      }
      expect(existsSync(marker)).toBe(false);
    } finally {
      rmSync(marker, { force: true });
      rmSync(fake, { force: true });
    }

    // Unsupported combinations with the real CLIs: refused after probing, before any build.
    const before = d.docker('images', '-aq').split('\n').filter(Boolean).length;
    for (const [docker, inputs, msg] of [
      [DEBIAN, { cache: 'gha' }, /input `cache`: the gha cache needs docker buildx.*install the buildx plugin/],
      [DEBIAN, { platforms: 'linux/amd64,linux/arm64' }, /input `platforms`: .*needs docker buildx/],
      [
        LEGACY,
        { secrets: `api_token=${SECRET}` },
        /input `secrets`: build secrets need BuildKit.*install the buildx plugin/,
      ],
      [DEBIAN, { cache: 'registry' }, /input `cache`: a registry cache needs docker buildx/],
    ] as const) {
      const run = await runDist('build-image', base({ docker, image: `${reg.host}/acme/combo`, ...inputs }), {
        env: env(),
      });
      expect(run.exitCode).toBe(1);
      expect(run.annotations.join('\n')).toMatch(msg);
      expect(run.stdout).not.toContain('running: docker');
      expect(shownOutput(run)).not.toContain(SECRET);
    }
    expect(d.docker('images', '-aq').split('\n').filter(Boolean).length).toBe(before);
  }, 120_000);
});
