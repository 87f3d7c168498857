/**
 * Heroku Platform API v3 (https://devcenter.heroku.com/articles/platform-api-reference): a source tarball
 * uploaded through `POST /sources`, built by `POST /apps/{app}/builds` (output streamed from the build's
 * `output_stream_url`), its release waited for through the release phase (`status` pending → succeeded |
 * failed, output from the release's `output_stream_url`); rollback is `POST /apps/{app}/releases
 * {release}`; promotion of a given slug is `POST /apps/{to}/releases {slug}` (Dev Center "Copying Slugs with
 * the Platform API"), without one `POST /pipeline-promotions` (whatever the source app serves at that moment);
 * either way the slug is copied, never rebuilt.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { ApiClient, getList, LineTail, ProviderError, streamLog, waitFor, type Activity } from '../http.js';
import type { DeployRequest, Outcome, Provider, ProviderDeps, ReleaseInfo } from '../provider.js';
import { makeSourceTarball } from '../tarball.js';
import { TIMEOUTS } from '../../../lib/timeouts.js';

export const HEROKU_ACCEPT = 'application/vnd.heroku+json; version=3';

export const HEROKU_TOKEN_HINT =
  'a Heroku API key or OAuth token (`heroku authorizations:create`) with the `write-protected` scope (`global` for pipeline promotion)';

interface HerokuRelease {
  id: string;
  version: number;
  status: 'pending' | 'succeeded' | 'failed';
  current: boolean;
  description?: string;
  slug?: { id: string } | null;
  output_stream_url?: string | null;
}

interface HerokuBuild {
  id: string;
  status: 'pending' | 'succeeded' | 'failed';
  output_stream_url?: string | null;
  release?: { id: string } | null;
  slug?: { id: string } | null;
}

interface PromotionPlan {
  key: string;
  pipeline: string;
  stages: [string, string];
  /** With a slug: the succeeded release of the source app that made it. */
  made?: HerokuRelease;
  /** What the source app serves now. */
  now?: HerokuRelease;
}

interface PromotionTarget {
  id: string;
  app: { id: string };
  status: 'pending' | 'succeeded' | 'failed';
  error_message?: string | null;
  release?: { id: string } | null;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function herokuClient(
  opts: Omit<ConstructorParameters<typeof ApiClient>[0], 'hints' | 'headers'> & { app: string },
): ApiClient {
  return new ApiClient({
    ...opts,
    headers: { accept: HEROKU_ACCEPT },
    hints: { provider: 'Heroku', token: HEROKU_TOKEN_HINT, resource: `app \`${opts.app}\`` },
    errorText: (b) =>
      b && typeof b === 'object' && typeof (b as { message?: unknown }).message === 'string'
        ? (b as { message: string }).message
        : undefined,
    errorField: (b) => {
      const msg = b && typeof b === 'object' ? String((b as { message?: unknown }).message ?? '') : '';
      const m =
        /property '([\w.]+)'/.exec(msg) ??
        /Invalid params?:?\s*\/?([A-Za-z_][\w.[\]/]*)/i.exec(msg) ??
        /\b(source_blob(?:\.\w+)?|release|slug|pipeline|targets)\b/.exec(msg);
      return m?.[1]?.replace(/\//g, '.');
    },
  });
}

function info(r: HerokuRelease): ReleaseInfo {
  return {
    id: r.id,
    label: `v${r.version}`,
    status: r.status,
    ...(r.slug?.id ? { artifact: `slug ${r.slug.id}`, slug: r.slug.id } : {}),
    ...(r.description ? { description: r.description } : {}),
  };
}

/**
 * The Procfile that goes into the tarball: `release-command` added as the `release:` process when the
 * Procfile has none; refused when the Procfile already names a different one (Heroku reads the release
 * phase from the Procfile only, so two sources of truth would silently disagree).
 */
export function procfileWithRelease(
  dir: string,
  releaseCommand: string | undefined,
): { text?: string; release?: string } {
  const path = join(dir, 'Procfile');
  const text = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  const existing = text
    ?.split(/\r?\n/)
    .map((l) => /^release\s*:\s*(.*)$/.exec(l.trim())?.[1]?.trim())
    .find((v) => v !== undefined);
  if (!releaseCommand) return { ...(existing ? { release: existing } : {}) };
  if (existing !== undefined) {
    if (existing !== releaseCommand.trim()) {
      throw new ProviderError(
        `release-command "${releaseCommand}" differs from the Procfile's \`release: ${existing}\` in \`source\`; ` +
          'Heroku runs the Procfile one: make them agree or leave `release-command` empty',
      );
    }
    return { release: existing };
  }
  const base = text === undefined ? '' : text.endsWith('\n') || text === '' ? text : `${text}\n`;
  return { text: `${base}release: ${releaseCommand.trim()}\n`, release: releaseCommand.trim() };
}

export class HerokuProvider implements Provider {
  readonly name = 'heroku' as const;
  private readonly api: ApiClient;
  private plan?: PromotionPlan;

  constructor(private readonly deps: ProviderDeps) {
    this.api = deps.api;
  }

  private app(app: string): string {
    return `/apps/${encodeURIComponent(app)}`;
  }

  private async releases(app: string): Promise<HerokuRelease[]> {
    const list = await getList<HerokuRelease>(this.api, `${this.app(app)}/releases`, `releases of \`${app}\``, {
      headers: { range: 'version ..; order=desc, max=100' },
    });
    return list.sort((a, b) => b.version - a.version);
  }

  async current(app: string): Promise<ReleaseInfo | undefined> {
    const cur = (await this.releases(app)).find((r) => r.current);
    return cur ? info(cur) : undefined;
  }

  async previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined> {
    const list = await this.releases(app);
    const curVersion = list.find((r) => r.id === current?.id)?.version ?? Infinity;
    const prev = list.find((r) => r.version < curVersion && r.status === 'succeeded' && r.slug?.id);
    return prev ? info(prev) : undefined;
  }

  async appUrl(app: string): Promise<string | undefined> {
    const r = await this.api.request<{ web_url?: string | null }>('GET', this.app(app));
    return r.data.web_url ?? undefined;
  }

  async setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined> {
    const now = (await this.api.request<Record<string, string | null>>('GET', `${this.app(app)}/config-vars`)).data;
    const changed = Object.fromEntries(Object.entries(vars).filter(([k, v]) => now[k] !== v));
    const keys = Object.keys(changed);
    if (keys.length === 0) {
      this.deps.ctx.log(`config: ${Object.keys(vars).length} var(s) already set on \`${app}\`; no config release`);
      return undefined;
    }
    const before = (await this.releases(app))[0]?.version ?? 0;
    await this.api.request('PATCH', `${this.app(app)}/config-vars`, changed);
    this.deps.ctx.log(`config: set ${keys.join(', ')} on \`${app}\` (values masked)`);
    const made = (await this.releases(app)).find((r) => r.version > before);
    if (!made) return undefined;
    return this.waitRelease(app, made, 'config release');
  }

  async deploy(app: string, req: DeployRequest): Promise<Outcome> {
    const { ctx } = this.deps;
    if (!req.source) throw new ProviderError('Heroku deploys need `source`');
    const proc = procfileWithRelease(req.source, req.releaseCommand);
    if (proc.text !== undefined) ctx.log(`Procfile: adding \`release: ${proc.release}\` to the uploaded source`);
    if (proc.release) ctx.log(`release phase: \`${proc.release}\``);
    else ctx.log('release phase: none (the Procfile has no `release:` process and `release-command` is empty)');
    const tar = makeSourceTarball(req.source, proc.text !== undefined ? { Procfile: proc.text } : {});
    ctx.log(`source: ${tar.files} file(s), ${tar.bytes.length} bytes gzipped, ${tar.sha256.toLowerCase()}`);

    const src = await this.api.request<{ source_blob: { get_url: string; put_url: string } }>('POST', '/sources');
    const { get_url: getUrl, put_url: putUrl } = src.data.source_blob ?? {};
    if (!getUrl || !putUrl) throw new ProviderError('Heroku POST /sources returned no source_blob URLs');
    // The put_url is a signed storage URL: no Authorization header goes there, and it is never printed.
    const uploadMs = Math.max(this.deps.requestTimeoutMs, TIMEOUTS.sourceUploadMinMs);
    const unchanged = `nothing was built and \`${app}\` is unchanged`;
    let put: Response;
    try {
      put = await fetch(putUrl, {
        method: 'PUT',
        body: tar.bytes,
        headers: { 'content-length': String(tar.bytes.length) },
        signal: AbortSignal.any([ctx.signal, AbortSignal.timeout(uploadMs)]),
      });
      await put.arrayBuffer();
    } catch (e) {
      if (ctx.signal.aborted) throw e;
      const err = e as Error & { cause?: { code?: string } };
      const why =
        err.name === 'TimeoutError' ? `no answer within ${uploadMs / 1000} s` : (err.cause?.code ?? err.message);
      throw new ProviderError(
        `uploading the source tarball to Heroku's storage failed (${why}); ${unchanged}. Run the job again; if it keeps failing, make \`source\` smaller or raise \`request-timeout\``,
      );
    }
    if (!put.ok) {
      throw new ProviderError(
        `uploading the source tarball to Heroku's storage failed with ${put.status} (the signed upload URL from POST /sources was refused or expired); ${unchanged}. Run the job again`,
        put.status,
      );
    }

    const build = await this.api.request<HerokuBuild>('POST', `${this.app(app)}/builds`, {
      source_blob: { url: getUrl, checksum: tar.sha256, ...(req.version ? { version: req.version } : {}) },
    });
    const buildId = build.data.id;
    ctx.log(`build ${buildId} started on \`${app}\``);
    const tail = new LineTail();
    const activity: Activity = { last: Date.now() };
    const stream = build.data.output_stream_url
      ? streamLog(build.data.output_stream_url, ctx, 'build | ', tail, activity, this.deps.requestTimeoutMs)
      : undefined;
    let done: HerokuBuild;
    try {
      done = await waitFor(
        `build ${buildId} of app \`${app}\``,
        async () => (await this.api.request<HerokuBuild>('GET', `${this.app(app)}/builds/${buildId}`)).data,
        (b) => b.status,
        (b) => b.status === 'failed' || (b.status === 'succeeded' && !!b.release?.id),
        this.deps.timing(),
        ctx.signal,
        activity,
        undefined,
        build.data.status,
      );
    } catch (e) {
      stream?.stop();
      throw e;
    }
    await stream?.finish(this.deps.drainMs);
    if (done.status === 'failed') {
      return {
        kind: 'build-failed',
        providerStatus: `build ${done.status}`,
        output: tail.get(),
        message: `Heroku build ${buildId} failed; nothing was released`,
      };
    }
    const rel = (await this.api.request<HerokuRelease>('GET', `${this.app(app)}/releases/${done.release!.id}`)).data;
    return this.waitRelease(app, rel, 'release');
  }

  /** Waits for a release to leave `pending` (its release phase), streaming the release phase output. */
  private async waitRelease(app: string, rel: HerokuRelease, what: string): Promise<Outcome> {
    const { ctx } = this.deps;
    ctx.log(`${what} v${rel.version} (${rel.id}) on \`${app}\`: ${rel.status}`);
    const tail = new LineTail();
    const activity: Activity = { last: Date.now() };
    let final = rel;
    if (rel.status === 'pending') {
      const stream = rel.output_stream_url
        ? streamLog(rel.output_stream_url, ctx, 'release | ', tail, activity, this.deps.requestTimeoutMs)
        : undefined;
      try {
        final = await waitFor(
          `the release phase of v${rel.version} (${rel.id}) of app \`${app}\``,
          async () => (await this.api.request<HerokuRelease>('GET', `${this.app(app)}/releases/${rel.id}`)).data,
          (r) => r.status,
          (r) => r.status !== 'pending',
          this.deps.timing(),
          ctx.signal,
          activity,
          undefined,
          rel.status,
        );
      } catch (e) {
        stream?.stop();
        throw e;
      }
      await stream?.finish(this.deps.drainMs);
    }
    const release = info(final);
    if (final.status === 'failed') {
      return {
        kind: 'release-phase-failed',
        release,
        providerStatus: `release ${final.status}`,
        output: tail.get(),
        message: `the release phase of v${final.version} failed; Heroku did not deploy it`,
      };
    }
    return { kind: 'ok', release, providerStatus: `release ${final.status}`, output: tail.get() };
  }

  private async resolveRelease(app: string, to: string): Promise<HerokuRelease> {
    const key = UUID_RE.test(to) ? to : to.replace(/^v/i, '');
    if (!UUID_RE.test(key) && !/^\d+$/.test(key)) {
      throw new ProviderError(`rollback-to "${to}" is not a Heroku release id or version (v12)`);
    }
    return (await this.api.request<HerokuRelease>('GET', `${this.app(app)}/releases/${encodeURIComponent(key)}`)).data;
  }

  async rollback(app: string, to: string): Promise<Outcome> {
    const target = await this.resolveRelease(app, to);
    if (target.status !== 'succeeded') {
      throw new ProviderError(
        `release v${target.version} of \`${app}\` is ${target.status}; only a succeeded release can be rolled back to`,
      );
    }
    this.deps.ctx.log(`rolling \`${app}\` back to v${target.version} (${target.id})`);
    const made = (await this.api.request<HerokuRelease>('POST', `${this.app(app)}/releases`, { release: target.id }))
      .data;
    return this.waitRelease(app, made, `rollback release (copy of v${target.version})`);
  }

  /**
   * What a promotion of `from` to `to` will do, read before anything changes: both apps in one pipeline and,
   * with `req.slug`, the succeeded release of `from` that made that slug (else refused).
   */
  private async planPromotion(from: string, to: string, req: DeployRequest): Promise<PromotionPlan> {
    const coupling = (
      await this.api.request<{ pipeline: { id: string }; stage: string }>('GET', `${this.app(from)}/pipeline-couplings`)
    ).data;
    const targetCoupling = (
      await this.api.request<{ pipeline: { id: string }; stage: string }>('GET', `${this.app(to)}/pipeline-couplings`)
    ).data;
    if (targetCoupling.pipeline.id !== coupling.pipeline.id) {
      throw new ProviderError(
        `promote-to \`${to}\` is not in the pipeline of \`${from}\` (${coupling.pipeline.id}); couple it to that pipeline first`,
      );
    }
    const plan: PromotionPlan = {
      key: JSON.stringify([from, to, req.slug ?? '']),
      pipeline: coupling.pipeline.id,
      stages: [coupling.stage, targetCoupling.stage],
    };
    if (!req.slug) return plan;
    const list = await this.releases(from);
    const made = list.find((r) => r.slug?.id === req.slug && r.status === 'succeeded');
    if (!made) {
      throw new ProviderError(
        `slug ${req.slug} is not the slug of a succeeded release of \`${from}\` (among its last ${list.length} releases); ` +
          `\`${to}\` was not changed. Pass the \`slug\` output of the step that deployed \`${from}\` in this run, ` +
          `or re-run the pipeline to build, stage and approve a new one`,
      );
    }
    const now = list.find((r) => r.current);
    return { ...plan, made, ...(now ? { now } : {}) };
  }

  async checkPromote(from: string, to: string, req: DeployRequest): Promise<void> {
    this.plan = await this.planPromotion(from, to, req);
  }

  async promote(from: string, to: string, req: DeployRequest = {}): Promise<Outcome> {
    const { ctx } = this.deps;
    const key = JSON.stringify([from, to, req.slug ?? '']);
    const plan = this.plan?.key === key ? this.plan : await this.planPromotion(from, to, req);
    if (plan.made) return this.releaseSlug(from, to, plan.made, plan.now);
    const [fromStage, toStage] = plan.stages;
    const fromApp = (await this.api.request<{ id: string }>('GET', this.app(from))).data;
    const toApp = (await this.api.request<{ id: string }>('GET', this.app(to))).data;
    ctx.log(
      `no \`slug\` given: Heroku promotes the slug \`${from}\` serves at this moment (pass the deploy step's \`slug\` output to release exactly the one that was tested)`,
    );
    ctx.log(`promoting \`${from}\` (${fromStage}) to \`${to}\` (${toStage}) in pipeline ${plan.pipeline}`);
    const promo = (
      await this.api.request<{ id: string; status: string }>('POST', '/pipeline-promotions', {
        pipeline: { id: plan.pipeline },
        source: { app: { id: fromApp.id } },
        targets: [{ app: { id: toApp.id } }],
      })
    ).data;
    await waitFor(
      `pipeline promotion ${promo.id}`,
      async () => (await this.api.request<{ status: string }>('GET', `/pipeline-promotions/${promo.id}`)).data,
      (p) => p.status,
      (p) => p.status === 'completed',
      this.deps.timing(),
      ctx.signal,
    );
    const targets = (
      await this.api.request<PromotionTarget[]>('GET', `/pipeline-promotions/${promo.id}/promotion-targets`)
    ).data;
    const target = targets.find((t) => t.app.id === toApp.id);
    if (!target) throw new ProviderError(`pipeline promotion ${promo.id} has no target for \`${to}\``);
    if (target.status === 'failed' || !target.release?.id) {
      return {
        kind: 'deploy-failed',
        providerStatus: `promotion target ${target.status}`,
        output: [],
        message: `Heroku could not promote to \`${to}\`: ${target.error_message ?? target.status}`,
      };
    }
    const rel = (await this.api.request<HerokuRelease>('GET', `${this.app(to)}/releases/${target.release.id}`)).data;
    return this.waitRelease(to, rel, 'promoted release');
  }

  /**
   * Releases the slug of `made` (a succeeded release of `from`: what the staging job built, released and
   * gated) on `to`, whatever `from` serves now. No promotion race: a newer slug that reached `from` meanwhile
   * is not what goes to `to`.
   */
  private async releaseSlug(from: string, to: string, made: HerokuRelease, now?: HerokuRelease): Promise<Outcome> {
    const { ctx } = this.deps;
    const slug = made.slug!.id;
    if (now && now.slug?.id !== slug) {
      ctx.log(
        `\`${from}\` has moved on to v${now.version} (slug ${now.slug?.id ?? 'none'}) since; \`${to}\` gets slug ${slug} of v${made.version}, the one this run released there`,
      );
    }
    ctx.log(`releasing slug ${slug} (\`${from}\` v${made.version}) on \`${to}\`: POST /apps/${to}/releases`);
    const rel = (
      await this.api.request<HerokuRelease>('POST', `${this.app(to)}/releases`, {
        slug,
        description: `Promote ${from} v${made.version}`,
      })
    ).data;
    return this.waitRelease(to, rel, `promoted release (slug ${slug})`);
  }
}
