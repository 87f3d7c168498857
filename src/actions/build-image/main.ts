import { readBuildConfig } from '../../core/build-image/config.js';
import { runAction } from '../../lib/action.js';

await runAction('build-image', async (ctx) => {
  const cfg = readBuildConfig(ctx.inputs);
  // The build (docker, registry client), the runner target and the summary load on first use, after the inputs
  // are read: a step's start pays only for the entry and its config.
  const [{ runBuild }, { buildSummary }, { RunnerTarget }] = await Promise.all([
    import('../../core/build-image/run.js'),
    import('../../core/build-image/summary.js'),
    import('../../lib/target/runner.js'),
  ]);
  // Each build secret's value is masked on its own (the input is masked as a whole when read).
  for (const v of Object.values(cfg.secrets)) {
    if (v.trim().length >= 3) {
      ctx.addSecret(v);
    }
  }
  if (cfg.insecureHttp) ctx.warn('insecure-http is on: the registry is reached over plain http', 'build-image');
  const r = await runBuild(
    cfg,
    new RunnerTarget(),
    { ...ctx, warn: (w) => ctx.warn(w, 'build-image') },
    process.env.RUNNER_TEMP ? { tempRoot: process.env.RUNNER_TEMP } : {},
  );
  if (!r.pushed) ctx.log('push is false: built only; the digest output is empty');
  ctx.setOutput('digest', r.digest);
  ctx.setOutput('image-ref', r.imageRef);
  ctx.setOutput('image-id', r.imageId);
  ctx.setOutput('tags', r.refs);
  ctx.setOutput('metadata', {
    builder: r.builder,
    'image-id': r.imageId,
    digest: r.digest,
    'image-ref': r.imageRef,
    'media-type': r.mediaType,
    pushed: r.pushed,
    tags: r.refs,
    labels: r.labels,
    created: r.created,
    revision: r.revision,
    images: r.images,
    'bytes-uploaded': r.bytesUploaded,
  });
  ctx.summary(buildSummary(r));
});
