/**
 * DigitalOcean App Platform (https://docs.digitalocean.com/reference/api/api-reference/#tag/Apps): an app
 * whose service components run an image is deployed by digest by updating its spec (`PUT /v2/apps/{id}`:
 * `image.digest` of every component of that repository, the PRE_DEPLOY job's too, the `config` envs), which
 * makes a deployment; the deployment is polled through `PENDING_BUILD → BUILDING → PENDING_DEPLOY →
 * DEPLOYING → ACTIVE` (or `ERROR` / `CANCELED`, with the failing step in `progress.steps`) while its build
 * and deploy logs (`GET …/deployments/{id}/logs` → `live_url`) stream into the job log. Rollback is
 * `POST /v2/apps/{id}/rollback {deployment_id}` followed by `rollback/commit` (or `rollback/revert` when the
 * rollback deployment fails), so the app is not left pinned.
 */
import { parseImageRef } from '../../../lib/oci/reference.js';
import { ApiClient, LineTail, ProviderError, streamLog, waitFor, type Activity, type LogStream } from '../http.js';
import type { DeployRequest, Outcome, OutcomeKind, Provider, ProviderDeps, ReleaseInfo } from '../provider.js';

export const DO_TOKEN_HINT =
  'a DigitalOcean personal access token with the `app:read` and `app:update` scopes (or full write)';

interface DoImage {
  registry_type?: string;
  registry?: string;
  repository?: string;
  tag?: string;
  digest?: string;
}
interface DoEnv {
  key: string;
  value?: string;
  type?: string;
  scope?: string;
}
interface DoComponent {
  name: string;
  image?: DoImage;
  envs?: DoEnv[];
  kind?: string;
  run_command?: string;
  [k: string]: unknown;
}
interface DoSpec {
  name: string;
  services?: DoComponent[];
  workers?: DoComponent[];
  jobs?: DoComponent[];
  [k: string]: unknown;
}
interface DoStep {
  name?: string;
  status?: string;
  component_name?: string;
  message_base?: string;
  reason?: { code?: string; message?: string };
  steps?: DoStep[];
}
interface DoDeployment {
  id: string;
  phase?: string;
  cause?: string;
  spec?: DoSpec;
  progress?: { steps?: DoStep[] };
  created_at?: string;
}
interface DoApp {
  id: string;
  spec: DoSpec;
  live_url?: string;
  active_deployment?: DoDeployment;
  in_progress_deployment?: DoDeployment;
  pending_deployment?: DoDeployment;
  pinned_deployment?: DoDeployment;
}

const FINAL = new Set(['ACTIVE', 'ERROR', 'CANCELED', 'SUPERSEDED']);

export function digitaloceanClient(
  opts: Omit<ConstructorParameters<typeof ApiClient>[0], 'hints' | 'headers'> & { app: string },
): ApiClient {
  return new ApiClient({
    ...opts,
    hints: { provider: 'DigitalOcean', token: DO_TOKEN_HINT, resource: `app \`${opts.app}\`` },
    errorField: (b) => {
      const msg = b && typeof b === 'object' ? String((b as { message?: unknown }).message ?? '') : '';
      return /\b(spec(?:\.[\w[\]]+)+|deployment_id|digest|run_command)\b/.exec(msg)?.[1];
    },
  });
}

/** How App Platform names an image: registry type, registry (namespace), repository, digest. */
export function doImageOf(
  ref: string,
): Required<Pick<DoImage, 'registry_type' | 'repository' | 'digest'>> & { registry: string } {
  const r = parseImageRef(ref);
  if (!r.digest) throw new ProviderError(`image ${ref} has no digest`);
  const parts = r.repository.split('/');
  const repository = parts.pop()!;
  const namespace = parts.join('/');
  if (r.registry === 'ghcr.io') return { registry_type: 'GHCR', registry: namespace, repository, digest: r.digest };
  if (r.registry === 'registry.digitalocean.com')
    return { registry_type: 'DOCR', registry: '', repository, digest: r.digest };
  if (r.registry === 'docker.io')
    return { registry_type: 'DOCKER_HUB', registry: namespace, repository, digest: r.digest };
  throw new ProviderError(
    `image registry ${r.registry} is not one App Platform pulls from (ghcr.io, registry.digitalocean.com, docker.io)`,
  );
}

function sameRepo(a: DoImage | undefined, b: DoImage): boolean {
  return (
    !!a &&
    a.registry_type === b.registry_type &&
    a.repository === b.repository &&
    (a.registry ?? '') === (b.registry ?? '')
  );
}

function digestsOf(spec: DoSpec | undefined): string[] {
  return [...(spec?.services ?? []), ...(spec?.workers ?? [])]
    .map((c) => c.image?.digest)
    .filter((d): d is string => !!d);
}

function info(d: DoDeployment): ReleaseInfo {
  const digests = [...new Set(digestsOf(d.spec))];
  return {
    id: d.id,
    label: d.id,
    status: d.phase ?? 'UNKNOWN',
    ...(digests.length ? { artifact: `image ${digests.join(', ')}` } : {}),
    ...(d.cause ? { description: d.cause } : {}),
  };
}

/** The step that failed, depth first, with the path of step names that leads to it. */
function failedStep(steps: DoStep[] | undefined, path: string[] = []): { step: DoStep; path: string[] } | undefined {
  for (const s of steps ?? []) {
    const here = [...path, s.name ?? ''];
    const inner = failedStep(s.steps, here);
    if (inner) return inner;
    if (s.status === 'ERROR') return { step: s, path: here };
  }
  return undefined;
}

export class DigitalOceanProvider implements Provider {
  readonly name = 'digitalocean' as const;
  private readonly api: ApiClient;
  private pendingEnvs: Record<string, string> = {};

  constructor(private readonly deps: ProviderDeps) {
    this.api = deps.api;
  }

  private path(app: string): string {
    return `/v2/apps/${encodeURIComponent(app)}`;
  }

  private async app(app: string): Promise<DoApp> {
    const r = (await this.api.request<{ app: DoApp }>('GET', this.path(app))).data;
    if (!r?.app) throw new ProviderError(`DigitalOcean GET app \`${app}\` returned no app`);
    return r.app;
  }

  private async deployments(app: string): Promise<DoDeployment[]> {
    const r = (
      await this.api.request<{ deployments?: DoDeployment[] }>('GET', `${this.path(app)}/deployments?per_page=50`)
    ).data;
    return r.deployments ?? [];
  }

  async current(app: string): Promise<ReleaseInfo | undefined> {
    const a = await this.app(app);
    return a.active_deployment?.id ? info(a.active_deployment) : undefined;
  }

  async previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined> {
    const list = await this.deployments(app);
    const at = current ? list.findIndex((d) => d.id === current.id) : -1;
    // SUPERSEDED: a deployment that was active and was replaced by a newer one.
    const prev = list.slice(at + 1).find((d) => d.phase === 'SUPERSEDED');
    return prev ? info(prev) : undefined;
  }

  async appUrl(app: string): Promise<string | undefined> {
    return (await this.app(app)).live_url;
  }

  async setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined> {
    // Applied with the image in the one spec update of deploy(): one deployment, config and code together.
    this.pendingEnvs = { ...vars };
    this.deps.ctx.log(
      `config: ${Object.keys(vars).join(', ')} go into the spec update of \`${app}\` (SECRET, values masked)`,
    );
    return undefined;
  }

  async deploy(app: string, req: DeployRequest): Promise<Outcome> {
    const { ctx } = this.deps;
    if (!req.image) throw new ProviderError('DigitalOcean deploys need `image` (name@sha256:…)');
    const want = doImageOf(req.image);
    const a = await this.app(app);
    if (a.pinned_deployment?.id) {
      throw new ProviderError(
        `app \`${app}\` is pinned to rollback deployment ${a.pinned_deployment.id}; commit or revert that rollback first`,
      );
    }
    const spec: DoSpec = JSON.parse(JSON.stringify(a.spec)) as DoSpec;
    const runners = [...(spec.services ?? []), ...(spec.workers ?? [])].filter((c) => sameRepo(c.image, want));
    if (runners.length === 0) {
      throw new ProviderError(
        `no service or worker of app \`${app}\` runs ${want.registry_type} ${want.registry ? `${want.registry}/` : ''}${want.repository}; \`image\` must be the repository the app's components use`,
      );
    }
    for (const c of runners) {
      c.image = { ...c.image, digest: want.digest };
      delete c.image.tag;
      for (const [key, value] of Object.entries(this.pendingEnvs)) {
        const envs = (c.envs ??= []);
        const e = envs.find((x) => x.key === key);
        if (e) Object.assign(e, { value, type: 'SECRET' });
        else envs.push({ key, value, type: 'SECRET', scope: 'RUN_AND_BUILD_TIME' });
      }
    }
    // The release phase is a PRE_DEPLOY job; it runs the new image, so its digest moves with the services'.
    const jobs = (spec.jobs ??= []);
    let pre = jobs.find((j) => j.kind === 'PRE_DEPLOY');
    if (req.releaseCommand) {
      if (!pre) {
        pre = {
          name: 'release',
          kind: 'PRE_DEPLOY',
          image: { ...runners[0]!.image },
          run_command: req.releaseCommand,
          instance_count: 1,
        };
        if (runners[0]!.instance_size_slug) pre.instance_size_slug = runners[0]!.instance_size_slug;
        jobs.push(pre);
      }
      pre.run_command = req.releaseCommand;
    }
    if (pre && sameRepo(pre.image, want)) {
      pre.image = { ...pre.image, digest: want.digest };
      delete pre.image.tag;
    }
    if (jobs.length === 0) delete spec.jobs;
    ctx.log(
      pre
        ? `release phase: PRE_DEPLOY job \`${pre.name}\` runs \`${pre.run_command ?? '(its image command)'}\``
        : 'release phase: none (the app has no PRE_DEPLOY job and `release-command` is empty)',
    );
    const updated = (await this.api.request<{ app: DoApp }>('PUT', this.path(app), { spec })).data.app;
    let dep = updated?.in_progress_deployment ?? updated?.pending_deployment;
    if (!dep?.id) {
      dep = (await this.deployments(app)).find((d) => d.id !== a.active_deployment?.id && !FINAL.has(d.phase ?? ''));
    }
    if (!dep?.id) throw new ProviderError(`DigitalOcean accepted the spec of \`${app}\` but no deployment was started`);
    ctx.log(`deployment ${dep.id} of ${req.image} on \`${app}\`: ${dep.phase ?? 'PENDING_BUILD'}`);
    return this.waitDeployment(app, dep, pre?.name);
  }

  private async logUrl(app: string, dep: string, type: 'BUILD' | 'DEPLOY'): Promise<string | undefined> {
    try {
      const r = (
        await this.api.request<{ live_url?: string; historic_urls?: string[] }>(
          'GET',
          `${this.path(app)}/deployments/${encodeURIComponent(dep)}/logs?type=${type}&follow=true`,
        )
      ).data;
      return r.live_url || r.historic_urls?.[0];
    } catch (e) {
      if (this.deps.ctx.signal.aborted) throw e;
      this.deps.ctx.log(`${type.toLowerCase()} logs unavailable: ${(e as Error).message.split('.')[0]}`);
      return undefined;
    }
  }

  private async waitDeployment(app: string, dep: DoDeployment, preDeployJob?: string): Promise<Outcome> {
    const { ctx } = this.deps;
    const tail = new LineTail();
    const activity: Activity = { last: Date.now() };
    const streams: LogStream[] = [];
    const opened = new Set<string>();
    const open = async (type: 'BUILD' | 'DEPLOY'): Promise<void> => {
      if (opened.has(type)) return;
      opened.add(type);
      const url = await this.logUrl(app, dep.id, type);
      if (url)
        streams.push(streamLog(url, ctx, `${type.toLowerCase()} | `, tail, activity, this.deps.requestTimeoutMs));
    };
    let final: DoDeployment;
    try {
      await open('BUILD');
      final = await waitFor(
        `deployment ${dep.id} of app \`${app}\``,
        async () => {
          const d = (
            await this.api.request<{ deployment: DoDeployment }>(
              'GET',
              `${this.path(app)}/deployments/${encodeURIComponent(dep.id)}`,
            )
          ).data.deployment;
          if (['PENDING_DEPLOY', 'DEPLOYING'].includes(d.phase ?? '')) await open('DEPLOY');
          return d;
        },
        (d) => d.phase ?? 'UNKNOWN',
        (d) => FINAL.has(d.phase ?? ''),
        this.deps.timing(),
        ctx.signal,
        activity,
        (s) => ctx.log(`deployment ${dep.id}: ${s}`),
        dep.phase ?? 'PENDING_BUILD',
      );
    } catch (e) {
      for (const s of streams) s.stop();
      throw e;
    }
    await Promise.all(streams.map((s) => s.finish(this.deps.drainMs)));
    const phase = final.phase!;
    if (phase === 'ACTIVE') return { kind: 'ok', release: info(final), providerStatus: phase, output: tail.get() };
    const failed = failedStep(final.progress?.steps);
    const where = failed
      ? `${failed.path.filter(Boolean).join(' > ')}${failed.step.component_name ? ` (${failed.step.component_name})` : ''}`
      : 'unknown step';
    const reason = failed?.step.reason?.message ? `: ${failed.step.reason.message}` : '';
    let kind: OutcomeKind = 'deploy-failed';
    if (failed && preDeployJob && failed.step.component_name === preDeployJob) kind = 'release-phase-failed';
    else if (failed?.path[0] === 'build') kind = 'build-failed';
    const messages: Record<OutcomeKind, string> = {
      ok: '',
      'build-failed': `deployment ${final.id} failed in the build (${where}${reason}); the active deployment keeps serving`,
      'release-phase-failed': `the PRE_DEPLOY job \`${preDeployJob}\` of deployment ${final.id} failed${reason}; App Platform did not roll out the new version, the active deployment keeps serving`,
      'deploy-failed': `deployment ${final.id} ended ${phase} at ${where}${reason}; the active deployment keeps serving`,
    };
    return { kind, release: info(final), providerStatus: phase, output: tail.get(), message: messages[kind] };
  }

  async rollback(app: string, to: string): Promise<Outcome> {
    const { ctx } = this.deps;
    ctx.log(`rolling \`${app}\` back to deployment ${to}`);
    const dep = (
      await this.api.request<{ deployment: DoDeployment }>('POST', `${this.path(app)}/rollback`, {
        deployment_id: to,
        skip_pin: false,
      })
    ).data.deployment;
    const out = await this.waitDeployment(app, dep);
    // A rollback pins the app; commit it when it went live (the rolled-back spec becomes the app's),
    // revert it otherwise (back to the spec before the rollback), so later deploys are not blocked.
    if (out.kind === 'ok') {
      await this.api.request('POST', `${this.path(app)}/rollback/commit`);
      ctx.log(`rollback deployment ${dep.id} committed (app unpinned)`);
    } else {
      await this.api.request('POST', `${this.path(app)}/rollback/revert`);
      ctx.log(`rollback deployment ${dep.id} failed; rollback reverted (app unpinned)`);
    }
    return out;
  }

  async promote(from: string, to: string, req: DeployRequest): Promise<Outcome> {
    if (!req.image) throw new ProviderError('DigitalOcean promotion needs `image` (name@sha256:…)');
    const digest = req.image.split('@')[1]!;
    const source = await this.app(from);
    const running = digestsOf(source.active_deployment?.spec);
    if (!running.includes(digest)) {
      throw new ProviderError(
        `\`image\` ${digest} is not what \`${from}\` runs (${running.join(', ') || 'no image digest'}); promotion deploys the tested digest only`,
      );
    }
    this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deployment ${source.active_deployment!.id}) to \`${to}\``);
    return this.deploy(to, req);
  }
}
