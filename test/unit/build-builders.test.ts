/** Builder choice and build argv (pure). */
import { describe, expect, it } from 'vitest';
import {
  BuilderError,
  buildCommand,
  buildFailureHint,
  chooseBuilder,
  parseClientMajor,
  probeCommands,
  type BuildSpec,
} from '../../src/core/build-image/builders.js';
import type { BuildResult } from '../../src/core/build-image/run.js';
import { buildSummary } from '../../src/core/build-image/summary.js';

const V20 = 'Docker version 20.10.24+dfsg1, build 297e128';
const V28 = 'Docker version 28.2.2, build e6534b4';
const none = { secrets: false, platforms: [], cache: 'local' } as const;

const spec = (over: Partial<BuildSpec> = {}): BuildSpec => ({
  docker: '/usr/bin/docker',
  context: '/src/app',
  buildArgs: { GREETING: 'hello world' },
  labels: { 'org.opencontainers.image.revision': 'abc' },
  secretFiles: {},
  platforms: [],
  cache: 'local',
  localTags: ['r.example/acme/web:main'],
  iidFile: '/tmp/x/iid',
  epoch: 1767323045,
  ...over,
});

describe('parseClientMajor', () => {
  it('reads docker --version and bare versions', () => {
    expect(parseClientMajor(V20)).toBe(20);
    expect(parseClientMajor(V28)).toBe(28);
    expect(parseClientMajor('24.0.7')).toBe(24);
    expect(parseClientMajor('podman')).toBeUndefined();
  });
});

describe('chooseBuilder', () => {
  it('buildx whenever it exists; engine BuildKit for clients < 23; legacy with a warning otherwise', () => {
    expect(chooseBuilder({ buildx: true, clientVersion: V28 }, { ...none, secrets: true, cache: 'gha' }).kind).toBe(
      'buildx',
    );
    expect(
      chooseBuilder({ buildx: true, clientVersion: V28 }, { ...none, platforms: ['linux/amd64', 'linux/arm64'] }).kind,
    ).toBe('buildx');
    const bk = chooseBuilder({ buildx: false, clientVersion: V20 }, { ...none, secrets: true });
    expect(bk).toEqual({ kind: 'buildkit', clientMajor: 20, warnings: [] });
    const classic = chooseBuilder({ buildx: false, clientVersion: V28 }, none);
    expect(classic.kind).toBe('classic');
    expect(classic.warnings.join()).toMatch(/legacy builder.*install the buildx plugin/);
  });

  it('refuses what the builder cannot do, naming the input and the fix', () => {
    const cases: [boolean, string, Parameters<typeof chooseBuilder>[1], RegExp][] = [
      [
        false,
        V28,
        { ...none, secrets: true },
        /input `secrets`: build secrets need BuildKit.*install the buildx plugin/,
      ],
      [false, V20, { ...none, cache: 'gha' }, /input `cache`: the gha cache needs docker buildx/],
      [false, V28, { ...none, cache: 'registry' }, /input `cache`: a registry cache needs docker buildx/],
      [
        false,
        V20,
        { ...none, platforms: ['linux/amd64', 'linux/arm64'] },
        /input `platforms`: building 2 platforms needs docker buildx/,
      ],
    ];
    for (const [buildx, clientVersion, req, msg] of cases) {
      expect(() => chooseBuilder({ buildx, clientVersion }, req)).toThrow(BuilderError);
      expect(() => chooseBuilder({ buildx, clientVersion }, req)).toThrow(msg);
    }
    // One platform is fine without buildx (the engine's --platform).
    expect(chooseBuilder({ buildx: false, clientVersion: V20 }, { ...none, platforms: ['linux/amd64'] }).kind).toBe(
      'buildkit',
    );
  });
});

describe('buildCommand', () => {
  it('engine BuildKit: DOCKER_BUILDKIT=1, plain progress, secrets as file paths, labels and args as single argv items', () => {
    const c = buildCommand(
      'buildkit',
      spec({ secretFiles: { api_token: '/tmp/x/secrets/api_token' }, network: 'none', cache: 'none' }),
    );
    expect(c.env).toEqual({ DOCKER_BUILDKIT: '1', SOURCE_DATE_EPOCH: '1767323045' });
    expect(c.argv).toEqual([
      '/usr/bin/docker',
      'build',
      '--progress',
      'plain',
      '--build-arg',
      'GREETING=hello world',
      '--label',
      'org.opencontainers.image.revision=abc',
      '--secret',
      'id=api_token,src=/tmp/x/secrets/api_token',
      '--network',
      'none',
      '--no-cache',
      '--tag',
      'r.example/acme/web:main',
      '--iidfile',
      '/tmp/x/iid',
      '/src/app',
    ]);
    expect(c.label).toMatch(/engine BuildKit/);
  });

  it('legacy builder: DOCKER_BUILDKIT=0, no --progress; refuses secrets and several platforms', () => {
    const c = buildCommand('classic', spec({ file: '/src/app/Dockerfile.prod', target: 'runtime' }));
    expect(c.env).toMatchObject({ DOCKER_BUILDKIT: '0' });
    expect(c.argv).not.toContain('--progress');
    expect(c.argv.slice(0, 6)).toEqual([
      '/usr/bin/docker',
      'build',
      '--file',
      '/src/app/Dockerfile.prod',
      '--target',
      'runtime',
    ]);
    expect(() => buildCommand('classic', spec({ secretFiles: { a: '/p' } }))).toThrow(/secrets need BuildKit/);
    expect(() => buildCommand('buildkit', spec({ platforms: ['linux/amd64', 'linux/arm64'] }))).toThrow(
      /needs docker buildx/,
    );
  });

  it('buildx: --load for one platform, OCI output for several, no attestations, every cache backend', () => {
    const one = buildCommand('buildx', spec({ cache: 'gha', cacheScope: 'acme/web' }));
    expect(one.argv.slice(0, 3)).toEqual(['/usr/bin/docker', 'buildx', 'build']);
    expect(one.env).toEqual({ SOURCE_DATE_EPOCH: '1767323045' });
    expect(one.argv).toEqual(expect.arrayContaining(['--load', '--provenance=false', '--sbom=false']));
    expect(one.argv.join(' ')).toContain(
      '--cache-from type=gha,scope=acme/web --cache-to type=gha,mode=max,scope=acme/web',
    );
    const multi = buildCommand(
      'buildx',
      spec({ platforms: ['linux/amd64', 'linux/arm64'], ociDest: '/tmp/x/oci.tar' }),
    );
    expect(multi.argv.join(' ')).toContain('--platform linux/amd64,linux/arm64');
    expect(multi.argv.join(' ')).toContain('--output type=oci,dest=/tmp/x/oci.tar');
    expect(multi.argv).not.toContain('--load');
    expect(multi.argv).not.toContain('--tag');
    const reg = buildCommand('buildx', spec({ cache: 'registry', cacheRef: 'r.example/acme/web:buildcache' }));
    expect(reg.argv.join(' ')).toContain(
      '--cache-from type=registry,ref=r.example/acme/web:buildcache --cache-to type=registry,ref=r.example/acme/web:buildcache,mode=max',
    );
    // local: the builder's own cache, never an export (the default docker driver cannot export).
    expect(buildCommand('buildx', spec({ cache: 'local' })).argv.join(' ')).not.toContain('cache');
    // The engine builders' local cache is the engine's own: no flags.
    expect(buildCommand('buildkit', spec({ cache: 'local' })).argv.join(' ')).not.toContain('cache');
  });

  it('failure hints name the fix for known causes', () => {
    expect(buildFailureHint('ERROR: Cache export is not supported for the docker driver.')).toMatch(
      /docker\/setup-buildx-action/,
    );
    expect(buildFailureHint('unknown flag: --provenance')).toMatch(/update the buildx plugin/);
    expect(buildFailureHint('executor failed running [...]: network bridge not found')).toMatch(/network: none/);
    expect(buildFailureHint('exit code: 3')).toBeUndefined();
  });

  it('probe commands', () => {
    expect(probeCommands('docker').buildx.argv).toEqual(['docker', 'buildx', 'version']);
    expect(probeCommands('/usr/bin/docker').version.argv).toEqual(['/usr/bin/docker', '--version']);
  });
});

describe('buildSummary', () => {
  const r: BuildResult = {
    builder: 'buildkit',
    warnings: [],
    imageId: 'sha256:' + 'a'.repeat(64),
    tags: ['sha-0123456', 'main'],
    refs: ['r.example/acme/web:sha-0123456', 'r.example/acme/web:main'],
    labels: { 'org.opencontainers.image.created': '2026-01-02T03:04:05Z', 'x|y': 'a|b' },
    created: '2026-01-02T03:04:05Z',
    revision: '0123456789abcdef',
    pushed: true,
    digest: 'sha256:' + 'b'.repeat(64),
    imageRef: 'r.example/acme/web@sha256:' + 'b'.repeat(64),
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    images: [
      {
        platform: 'linux/amd64',
        manifest: 'sha256:' + 'b'.repeat(64),
        config: 'sha256:' + 'c'.repeat(64),
        layers: [
          { digest: 'sha256:1', size: 1_048_576 * 2, diffId: 'sha256:2', uploaded: true },
          { digest: 'sha256:3', size: 2048, diffId: 'sha256:4', uploaded: false },
        ],
      },
    ],
    bytesUploaded: 1_048_576 * 2,
    buildMs: 1500,
    pushMs: 800,
  };
  it('pushed: builder, digest, references, sizes, labels (cells escaped)', () => {
    const md = buildSummary(r);
    expect(md).toContain(`build-image: ✅ sha256:${'b'.repeat(64)}`);
    expect(md).toContain('engine BuildKit');
    expect(md).toContain('2.0 MiB uploaded');
    expect(md).toContain('| linux/amd64 | sha256:' + 'b'.repeat(64) + ' | 2 | 2.0 MiB |');
    expect(md).toContain('| r.example/acme/web:main |');
    expect(md).toContain('| x\\|y | a\\|b |');
  });
  it('not pushed: says so', () => {
    const md = buildSummary({ ...r, pushed: false, digest: '', imageRef: '', images: [] });
    expect(md).toContain(`built sha256:${'a'.repeat(64)} (not pushed)`);
    expect(md).toContain('push is false: nothing was pushed and `digest` is empty');
  });
});
