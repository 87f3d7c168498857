/**
 * build-image, end to end: probe the builder, read the commit, build (secrets as 0600 files in a private temp
 * dir), then — when pushing — save the image, normalize it into reproducible blobs, push them with our own
 * registry client (credentials never reach a Docker config file), PUT every tag, and read each tag back to
 * verify the registry serves exactly the manifest we computed.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { makeRecordedTempDir } from '../../lib/cleanup-state.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CommandError,
  describeFailure,
  lastLines,
  runChecked,
  succeeded,
  type Executor,
} from '../../lib/exec/types.js';
import { RegistryClient } from '../../lib/oci/client.js';
import { streamLogger } from '../../lib/output.js';
import type { RunContext } from '../../lib/context.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import {
  buildCommand,
  buildFailureHint,
  chooseBuilder,
  probeCommands,
  saveCommand,
  untarCommand,
  type BuilderKind,
} from './builders.js';
import type { BuildConfig } from './config.js';
import { normalizeImage, readDockerSave, readOciLayout, type NormalizedImage } from './image.js';
import { pushImages, type PushedImage } from './push.js';
import { commitTime, ociLabels, tagsFromGit, versionFor } from './tags.js';

export interface BuildResult {
  builder: BuilderKind;
  warnings: string[];
  /** Local image id (builder's config digest); empty for a multi-platform buildx build. */
  imageId: string;
  tags: string[];
  /** Full references `<image>:<tag>`. */
  refs: string[];
  labels: Record<string, string>;
  created: string;
  revision: string;
  pushed: boolean;
  /** Registry digest (verified by reading back); empty when not pushed. */
  digest: string;
  imageRef: string;
  mediaType: string;
  images: PushedImage[];
  bytesUploaded: number;
  buildMs: number;
  pushMs: number;
}

export class BuildError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BuildError';
  }
}

export interface BuildOptions {
  /** Where the private temp dir goes (RUNNER_TEMP on runners). */
  tempRoot?: string;
}

/**
 * The commit being built: the context's checkout HEAD (what the builder sees), its committer time. When the
 * context is not a git work tree, GITHUB_SHA stands in (as docker/metadata-action does), with a warning:
 * `created` then comes from SOURCE_DATE_EPOCH, or, without it, is the build time (the commit time is
 * unknown). Without GITHUB_SHA either it is an error.
 */
export async function gitCommitTime(
  exec: Executor,
  cfg: BuildConfig,
  ctx: RunContext,
  now: () => Date = () => new Date(),
): Promise<{ sha: string; iso: string }> {
  const opts = ctx;
  const run = (args: string[]) =>
    exec.run(
      { argv: ['git', '-C', cfg.context, ...args], label: `git ${args.join(' ')}` },
      { timeoutMs: TIMEOUTS.toolQueryMs, signal: ctx.signal },
    );
  const r = await run(['log', '-1', '--format=%H %cI', 'HEAD']);
  const m = /^([0-9a-f]{40,64}) (\S+)$/.exec(r.stdout.trim());
  if (succeeded(r) && m) {
    const sha = m[1]!;
    const iso = m[2]!;
    if (cfg.git.sha && cfg.git.sha !== sha) {
      opts.warn(
        `building the checked-out commit ${sha.slice(0, 12)}, not GITHUB_SHA ${cfg.git.sha.slice(0, 12)}: tags and labels name the commit built`,
      );
    }
    return { sha, iso };
  }
  const epoch = cfg.git.sourceDateEpoch;
  if (cfg.git.sha) {
    const ref = cfg.git.ref ? ` (${cfg.git.ref})` : '';
    if (/^\d+$/.test(epoch)) {
      opts.warn(
        `${cfg.context} is not a git work tree: tags and labels use GITHUB_SHA ${cfg.git.sha.slice(0, 12)}${ref}; created comes from SOURCE_DATE_EPOCH`,
      );
      return { sha: cfg.git.sha, iso: new Date(Number(epoch) * 1000).toISOString() };
    }
    opts.warn(
      `${cfg.context} is not a git work tree: tags and labels use GITHUB_SHA ${cfg.git.sha.slice(0, 12)}${ref}; the commit time is unknown, so created is the build time (not reproducible; set SOURCE_DATE_EPOCH, or run actions/checkout first)`,
    );
    return { sha: cfg.git.sha, iso: new Date(Math.floor(now().getTime() / 1000) * 1000).toISOString() };
  }
  throw new BuildError(
    `cannot read the commit of ${cfg.context} (${lastLines(r.stderr, 3).trim() || 'git printed nothing'}); ` +
      'run actions/checkout first (tags and the reproducible created time come from the commit), ' +
      'or set SOURCE_DATE_EPOCH (with GITHUB_SHA) for a context outside git',
  );
}

export async function runBuild(
  cfg: BuildConfig,
  exec: Executor,
  ctx: RunContext,
  opts: BuildOptions = {},
): Promise<BuildResult> {
  const log = ctx.log;
  const sig = { signal: ctx.signal };

  // 1. Builder: probe, then refuse unsupported combinations before anything is built.
  const probes = probeCommands(cfg.docker);
  const version = await exec.run(probes.version, { timeoutMs: TIMEOUTS.toolQueryMs, ...sig });
  if (!succeeded(version)) {
    throw new BuildError(
      `${describeFailure('docker --version', exec.target, version)}\n(input \`docker\`: "${cfg.docker}")`,
    );
  }
  const buildx = succeeded(await exec.run(probes.buildx, { timeoutMs: TIMEOUTS.toolQueryMs, ...sig }));
  const choice = chooseBuilder(
    { buildx, clientVersion: version.stdout },
    {
      secrets: Object.keys(cfg.secrets).length + Object.keys(cfg.secretFiles).length > 0,
      platforms: cfg.platforms,
      cache: cfg.cache,
    },
  );
  const builder = choice.kind;
  for (const w of choice.warnings) ctx.warn(w, 'build-image');
  log(`builder: ${builder} (${version.stdout.trim()}${buildx ? ', buildx' : ', no buildx'})`);
  const multi = cfg.platforms.length > 1;

  // 2. The commit: tags, labels, and the time every timestamp is clamped to.
  const commit = await gitCommitTime(exec, cfg, ctx);
  const { created, epoch } = commitTime(commit.iso);
  const git = { sha: commit.sha, ref: cfg.git.ref, defaultBranch: cfg.defaultBranch };
  const tags = tagsFromGit(git, cfg.tagRules, cfg.extraTags);
  const name = `${cfg.image.registry}/${cfg.image.repository}`;
  const refs = tags.map((t) => `${name}:${t}`);
  const labels = ociLabels(
    {
      repository: cfg.git.repository,
      serverUrl: cfg.git.serverUrl,
      sha: commit.sha,
      created,
      version: versionFor(git),
    },
    cfg.labels,
  );
  log(`commit ${commit.sha} at ${created}; tags: ${tags.join(', ') || '(none: pushed by digest)'}`);

  // 3. Build, with secrets as 0600 files in a 0700 temp dir that is always removed.
  // Recorded for the post step before it exists: a killed build leaves no secret file behind.
  const tmp = makeRecordedTempDir('build', opts.tempRoot || tmpdir());
  try {
    const secretFiles: Record<string, string> = { ...cfg.secretFiles };
    if (Object.keys(cfg.secrets).length) {
      mkdirSync(join(tmp, 'secrets'), { mode: 0o700 });
      for (const [id, value] of Object.entries(cfg.secrets)) {
        const path = join(tmp, 'secrets', id);
        writeFileSync(path, value, { mode: 0o600 });
        secretFiles[id] = path;
      }
    }
    const iidFile = join(tmp, 'iid');
    const ociDest = multi ? join(tmp, 'oci.tar') : undefined;
    const cmd = buildCommand(builder, {
      docker: cfg.docker,
      context: cfg.context,
      ...(cfg.file ? { file: cfg.file } : {}),
      ...(cfg.target ? { target: cfg.target } : {}),
      buildArgs: cfg.buildArgs,
      labels,
      secretFiles,
      platforms: cfg.platforms,
      cache: cfg.cache,
      cacheRef: cfg.cacheRef,
      cacheScope: cfg.image.repository,
      ...(cfg.network ? { network: cfg.network } : {}),
      localTags: refs,
      iidFile,
      ...(ociDest ? { ociDest } : {}),
      epoch,
      pull: cfg.pull,
    });
    log(`running: ${cmd.label}`);
    // Builder output is not ours (RUN steps print what they like): whole lines to the log, which redacts and
    // neutralizes workflow commands.
    const out = streamLogger(log);
    const buildStart = Date.now();
    const r = await exec.run(cmd, { timeoutMs: cfg.timeoutMs, onStdout: out.onStdout, onStderr: out.onStderr, ...sig });
    out.flush();
    const buildMs = Date.now() - buildStart;
    if (!succeeded(r)) {
      const what = r.end === 'exit' ? 'the build failed' : describeFailure(cmd.label ?? 'docker build', exec.target, r);
      const tail = lastLines(`${r.stdout}\n${r.stderr}`.replace(/\n{2,}/g, '\n'), 20);
      const hint = buildFailureHint(`${r.stdout}\n${r.stderr}`);
      throw new CommandError(
        `${builder} build of ${cfg.context}: ${what}${r.end === 'exit' ? ` (exit code ${r.code})` : ''}; nothing was pushed.` +
          `${hint ? ` Fix: ${hint}.` : ''} Builder output:\n${tail}`,
        r,
      );
    }
    const imageId = multi ? '' : readFileSync(iidFile, 'utf8').trim();
    if (imageId) log(`built ${imageId}`);

    const base: BuildResult = {
      builder,
      warnings: choice.warnings,
      imageId,
      tags,
      refs,
      labels,
      created,
      revision: commit.sha,
      pushed: false,
      digest: '',
      imageRef: '',
      mediaType: '',
      images: [],
      bytesUploaded: 0,
      buildMs,
      pushMs: 0,
    };
    if (!cfg.push) return base;

    // 4. Normalize: save → unpack → reproducible blobs.
    const pushStart = Date.now();
    const unpacked = join(tmp, 'image');
    mkdirSync(unpacked);
    const archive = ociDest ?? join(tmp, 'image.tar');
    if (!ociDest)
      await runChecked(exec, saveCommand(cfg.docker, imageId, archive), { timeoutMs: cfg.timeoutMs, ...sig });
    await runChecked(exec, untarCommand(archive, unpacked), { timeoutMs: cfg.timeoutMs, ...sig });
    rmSync(archive, { force: true });
    const built = ociDest ? readOciLayout(unpacked) : [readDockerSave(unpacked)];
    const blobs = join(tmp, 'blobs');
    mkdirSync(blobs);
    const images: NormalizedImage[] = [];
    for (const b of built) {
      ctx.signal.throwIfAborted();
      images.push(await normalizeImage(b, blobs, epoch, created));
    }
    ctx.signal.throwIfAborted();
    rmSync(unpacked, { recursive: true, force: true });

    // 5. Push blobs, manifests, every tag; then read each tag back and compare the bytes' sha256.
    const client = new RegistryClient({
      registry: cfg.image.registry,
      timeoutMs: cfg.timeoutMs,
      insecureHttp: cfg.insecureHttp,
      log,
      ...(cfg.credentials ? { credentials: cfg.credentials } : {}),
      ...sig,
    });
    const pushed = await pushImages(client, cfg.image.repository, images, tags, { asIndex: multi, log });
    return {
      ...base,
      pushed: true,
      digest: pushed.digest,
      imageRef: `${name}@${pushed.digest}`,
      mediaType: pushed.mediaType,
      images: pushed.images,
      bytesUploaded: client.stats.bytesUploaded,
      pushMs: Date.now() - pushStart,
    };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
