/**
 * Builder choice and build argv, as pure functions. Three builders:
 * - `buildx`: `docker buildx build` (GitHub-hosted runners) — every cache backend, platforms, secrets;
 * - `buildkit`: the engine's BuildKit via `DOCKER_BUILDKIT=1 docker build` (clients before 23, which still
 *   carry it without the buildx plugin) — secrets, the engine's own cache;
 * - `classic`: the legacy builder (`DOCKER_BUILDKIT=0`) for clients ≥ 23 without buildx — no secrets.
 * Unsupported combinations are refused here, before anything is built, with a message naming the fix.
 */
import type { Command } from '../../lib/command.js';

export type BuilderKind = 'buildx' | 'buildkit' | 'classic';
export const CACHE_MODES = ['gha', 'registry', 'local', 'none'] as const;
export type CacheMode = (typeof CACHE_MODES)[number];

export class BuilderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuilderError';
  }
}

export interface BuilderProbe {
  /** `docker buildx version` exited 0. */
  buildx: boolean;
  /** `docker --version` output, e.g. `Docker version 20.10.24+dfsg1, build 297e128`. */
  clientVersion: string;
}

export interface BuildRequest {
  secrets: boolean;
  platforms: readonly string[];
  cache: CacheMode;
}

export interface BuilderChoice {
  kind: BuilderKind;
  clientMajor: number | undefined;
  warnings: string[];
}

export function probeCommands(docker: string): { buildx: Command; version: Command } {
  return {
    buildx: { argv: [docker, 'buildx', 'version'], label: 'docker buildx version' },
    version: { argv: [docker, '--version'], label: 'docker --version' },
  };
}

/** Major version from `docker --version` (or a bare version string); undefined when unreadable. */
export function parseClientMajor(text: string): number | undefined {
  const m = /(?:^|version\s+)v?(\d+)\.(\d+)/i.exec(text.trim());
  return m ? Number(m[1]) : undefined;
}

const INSTALL_BUILDX =
  'install the buildx plugin (docker-buildx-plugin, or docker/setup-buildx-action on GitHub runners)';

export function chooseBuilder(probe: BuilderProbe, req: BuildRequest): BuilderChoice {
  const clientMajor = parseClientMajor(probe.clientVersion);
  const warnings: string[] = [];
  if (probe.buildx) return { kind: 'buildx', clientMajor, warnings };
  if (req.platforms.length > 1) {
    throw new BuilderError(
      `input \`platforms\`: building ${req.platforms.length} platforms needs docker buildx, which this docker CLI lacks; ${INSTALL_BUILDX}, or build one platform`,
    );
  }
  if (req.cache === 'gha') {
    throw new BuilderError(
      `input \`cache\`: the gha cache needs docker buildx, which this docker CLI lacks; ${INSTALL_BUILDX}, or use cache: local (the engine's build cache)`,
    );
  }
  if (req.cache === 'registry') {
    throw new BuilderError(
      "input `cache`: a registry cache needs docker buildx (the engine's inline cache would not survive the reproducible push); " +
        `${INSTALL_BUILDX}, or use cache: local (the engine's build cache)`,
    );
  }
  if (clientMajor !== undefined && clientMajor < 23) {
    return { kind: 'buildkit', clientMajor, warnings };
  }
  if (req.secrets) {
    throw new BuilderError(
      `input \`secrets\`: build secrets need BuildKit; this docker CLI (${probe.clientVersion.trim() || 'unknown version'}) has no buildx plugin and only the legacy builder; ${INSTALL_BUILDX}`,
    );
  }
  warnings.push(
    `docker buildx is not installed and this docker CLI (${probe.clientVersion.trim() || 'unknown version'}) cannot use the engine's BuildKit without it: building with the legacy builder (no secrets, no RUN --mount); ${INSTALL_BUILDX} for BuildKit`,
  );
  return { kind: 'classic', clientMajor, warnings };
}

export interface BuildSpec {
  docker: string;
  context: string;
  /** Dockerfile path (empty: <context>/Dockerfile). */
  file?: string;
  target?: string;
  buildArgs: Readonly<Record<string, string>>;
  labels: Readonly<Record<string, string>>;
  /** Secret id → path of a 0600 file holding it. */
  secretFiles: Readonly<Record<string, string>>;
  platforms: readonly string[];
  cache: CacheMode;
  /** buildx registry cache reference (`<image>:buildcache`). */
  cacheRef?: string;
  /** gha cache scope. */
  cacheScope?: string;
  /** `--network` for RUN steps (empty: the builder's default). */
  network?: string;
  /** Local tags (full references) given to the built image. */
  localTags: readonly string[];
  /** Where the builder writes the image id. */
  iidFile: string;
  /** buildx multi-platform: write an OCI layout tar here instead of loading into the engine. */
  ociDest?: string;
  /** Commit time, for SOURCE_DATE_EPOCH. */
  epoch: number;
  pull?: boolean;
}

function cacheArgs(kind: BuilderKind, spec: BuildSpec): string[] {
  if (spec.cache === 'none') return ['--no-cache'];
  if (kind !== 'buildx') return []; // local: the engine's own build cache
  switch (spec.cache) {
    case 'gha': {
      const scope = spec.cacheScope ? `,scope=${spec.cacheScope}` : '';
      return ['--cache-from', `type=gha${scope}`, '--cache-to', `type=gha,mode=max${scope}`];
    }
    case 'registry':
      if (!spec.cacheRef) throw new BuilderError('cache registry needs a cache reference');
      return [
        '--cache-from',
        `type=registry,ref=${spec.cacheRef}`,
        '--cache-to',
        `type=registry,ref=${spec.cacheRef},mode=max`,
      ];
    case 'local':
      return []; // the builder's own cache (the engine's, or the buildx builder's)
  }
}

/** The build command for a builder. Secrets travel as file paths (never values); the env selects the builder. */
export function buildCommand(kind: BuilderKind, spec: BuildSpec): Command {
  if (kind === 'classic' && Object.keys(spec.secretFiles).length) {
    throw new BuilderError(`build secrets need BuildKit; ${INSTALL_BUILDX}`);
  }
  if (kind !== 'buildx' && spec.platforms.length > 1) {
    throw new BuilderError(`building several platforms needs docker buildx; ${INSTALL_BUILDX}`);
  }
  const argv: string[] = [spec.docker, ...(kind === 'buildx' ? ['buildx', 'build'] : ['build'])];
  if (kind !== 'classic') argv.push('--progress', 'plain');
  if (spec.file) argv.push('--file', spec.file);
  if (spec.target) argv.push('--target', spec.target);
  for (const [k, v] of Object.entries(spec.buildArgs)) argv.push('--build-arg', `${k}=${v}`);
  for (const [k, v] of Object.entries(spec.labels)) argv.push('--label', `${k}=${v}`);
  for (const [id, path] of Object.entries(spec.secretFiles)) argv.push('--secret', `id=${id},src=${path}`);
  if (spec.platforms.length) argv.push('--platform', spec.platforms.join(','));
  if (spec.network) argv.push('--network', spec.network);
  if (spec.pull) argv.push('--pull');
  argv.push(...cacheArgs(kind, spec));
  if (kind === 'buildx') {
    // No provenance/SBOM attestations: they would turn a single image into an index and carry build times.
    argv.push('--provenance=false', '--sbom=false');
    if (spec.ociDest) argv.push('--output', `type=oci,dest=${spec.ociDest}`);
    else argv.push('--load');
  }
  if (!spec.ociDest) for (const t of spec.localTags) argv.push('--tag', t);
  argv.push('--iidfile', spec.iidFile);
  // The context is the one positional: `./` keeps a directory named like `-x` from being read as an option.
  argv.push(spec.context.startsWith('-') ? `./${spec.context}` : spec.context);
  const env: Record<string, string> =
    kind === 'buildx'
      ? { SOURCE_DATE_EPOCH: String(spec.epoch) }
      : { DOCKER_BUILDKIT: kind === 'buildkit' ? '1' : '0', SOURCE_DATE_EPOCH: String(spec.epoch) };
  const label = `${kind === 'buildx' ? 'docker buildx build' : `docker build (${kind === 'buildkit' ? 'engine BuildKit' : 'legacy builder'})`} ${spec.context}`;
  return { argv, env, label };
}

/** A fix to add to a failed build's message, when the builder's output shows a known cause. */
export function buildFailureHint(output: string): string | undefined {
  if (/not supported for the docker driver|docker driver (?:does not|doesn't) support/i.test(output)) {
    return 'the buildx builder uses the `docker` driver, which cannot export caches (gha/registry) or several platforms: add docker/setup-buildx-action before this step (docker-container driver), or use cache: local and one platform';
  }
  if (/unknown flag: --(?:provenance|sbom)/.test(output)) {
    return 'this buildx is older than 0.10 (no --provenance/--sbom flags): update the buildx plugin';
  }
  if (/network bridge not found|could not find bridge/i.test(output)) {
    return 'the engine has no default bridge network: set `network: none` (or `host`) for RUN steps';
  }
  return undefined;
}

export function saveCommand(docker: string, imageId: string, dest: string): Command {
  return { argv: [docker, 'save', '--output', dest, imageId], label: `docker save ${imageId}` };
}

export function untarCommand(archive: string, dir: string): Command {
  return { argv: ['tar', '-x', '-f', archive, '-C', dir], label: `tar -x ${archive}` };
}
