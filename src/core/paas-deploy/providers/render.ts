/**
 * Render public API v1 (https://api-docs.render.com): an image-backed service deployed by digest
 * (`POST /services/{id}/deploys {imageUrl}`), its pre-deploy command set through `PATCH /services/{id}`
 * (`serviceDetails.preDeployCommand`), the deploy polled through `created → build_in_progress →
 * pre_deploy_in_progress → update_in_progress → live` (or `build_failed`, `pre_deploy_failed`,
 * `update_failed`, `canceled`) with the service's logs (`GET /logs`) printed while waiting; rollback is
 * `POST /services/{id}/rollback {deployId}`; promotion deploys the exact image digest the source service
 * runs to the target service (never a rebuild).
 */
import { parseImageRef } from '../../../lib/oci/reference.js';
import { LineBuffer } from '../../../lib/output.js';
import { ApiClient, getList, LineTail, ProviderError, waitFor, type Activity } from '../http.js';
import type { DeployRequest, Outcome, OutcomeKind, Provider, ProviderDeps, ReleaseInfo } from '../provider.js';

export const RENDER_TOKEN_HINT =
  'a Render API key (Account Settings → API Keys) of a user who is a member of the workspace that owns the service';

interface RenderDeploy {
  id: string;
  status?: string;
  trigger?: string;
  image?: { ref?: string; sha?: string };
  createdAt?: string;
  finishedAt?: string;
}

interface RenderService {
  id: string;
  name: string;
  ownerId: string;
  imagePath?: string;
  serviceDetails?: {
    url?: string;
    envSpecificDetails?: { preDeployCommand?: string };
    preDeployCommand?: string;
  };
}

interface RenderLogs {
  hasMore: boolean;
  nextStartTime: string;
  nextEndTime: string;
  logs: { id: string; message: string; timestamp: string; labels: { name: string; value: string }[] }[];
}

const FINAL: Record<string, OutcomeKind> = {
  live: 'ok',
  build_failed: 'build-failed',
  pre_deploy_failed: 'release-phase-failed',
  update_failed: 'deploy-failed',
  canceled: 'deploy-failed',
  deactivated: 'deploy-failed',
};

const BODY_FIELDS = ['imageUrl', 'deployId', 'preDeployCommand', 'value', 'commitId', 'serviceDetails'];

export function renderClient(
  opts: Omit<ConstructorParameters<typeof ApiClient>[0], 'hints' | 'headers'> & { app: string },
): ApiClient {
  return new ApiClient({
    ...opts,
    hints: { provider: 'Render', token: RENDER_TOKEN_HINT, resource: `service \`${opts.app}\`` },
    errorField: (b) => {
      const msg = b && typeof b === 'object' ? String((b as { message?: unknown }).message ?? '') : '';
      return BODY_FIELDS.find((f) => msg.includes(f));
    },
  });
}

function info(d: RenderDeploy): ReleaseInfo {
  return {
    id: d.id,
    label: d.id,
    status: d.status ?? 'unknown',
    ...(d.image?.sha ? { artifact: `image ${d.image.sha}` } : d.image?.ref ? { artifact: `image ${d.image.ref}` } : {}),
    ...(d.trigger ? { description: `trigger ${d.trigger}` } : {}),
  };
}

/** registry/repository of an image reference or a service's imagePath, for comparing them. */
function repoOf(ref: string): string {
  const r = parseImageRef(ref);
  return `${r.registry}/${r.repository}`;
}

export class RenderProvider implements Provider {
  readonly name = 'render' as const;
  private readonly api: ApiClient;

  constructor(private readonly deps: ProviderDeps) {
    this.api = deps.api;
  }

  private svc(id: string): string {
    return `/services/${encodeURIComponent(id)}`;
  }

  private async service(id: string): Promise<RenderService> {
    return (await this.api.request<RenderService>('GET', this.svc(id))).data;
  }

  private async deploys(id: string): Promise<RenderDeploy[]> {
    const list = await getList<{ deploy: RenderDeploy }>(
      this.api,
      `${this.svc(id)}/deploys?limit=50`,
      `deploys of \`${id}\``,
    );
    return list.map((x) => x.deploy);
  }

  async current(app: string): Promise<ReleaseInfo | undefined> {
    const live = (await this.deploys(app)).find((d) => d.status === 'live');
    return live ? info(live) : undefined;
  }

  async previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined> {
    const list = await this.deploys(app);
    const at = current ? list.findIndex((d) => d.id === current.id) : -1;
    // Render marks a deploy that was live and then replaced `deactivated`: the ones that once served.
    const prev = list.slice(at + 1).find((d) => d.status === 'deactivated');
    return prev ? info(prev) : undefined;
  }

  async appUrl(app: string): Promise<string | undefined> {
    return (await this.service(app)).serviceDetails?.url;
  }

  async setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined> {
    const list = (
      await this.api.request<{ envVar: { key: string; value: string } }[]>('GET', `${this.svc(app)}/env-vars?limit=100`)
    ).data;
    const now = Object.fromEntries(list.map((e) => [e.envVar.key, e.envVar.value]));
    const changed = Object.entries(vars).filter(([k, v]) => now[k] !== v);
    for (const [key, value] of changed) {
      await this.api.request(
        'PUT',
        `${this.svc(app)}/env-vars/${encodeURIComponent(key)}`,
        { value },
        { retryWrites: true },
      );
    }
    this.deps.ctx.log(
      changed.length
        ? `config: set ${changed.map(([k]) => k).join(', ')} on \`${app}\` (values masked; they take effect with this deploy)`
        : `config: ${Object.keys(vars).length} var(s) already set on \`${app}\``,
    );
    return undefined;
  }

  async deploy(app: string, req: DeployRequest): Promise<Outcome> {
    const { ctx } = this.deps;
    if (!req.image) throw new ProviderError('Render deploys need `image` (name@sha256:…)');
    const svc = await this.service(app);
    if (!svc.imagePath) {
      throw new ProviderError(
        `Render service \`${app}\` is not image-backed (no imagePath); this action deploys images by digest — create the service from an image`,
      );
    }
    if (repoOf(svc.imagePath) !== repoOf(req.image)) {
      throw new ProviderError(
        `\`image\` ${req.image.split('@')[0]} is not the image repository of service \`${app}\` (${svc.imagePath}); Render only deploys the configured repository`,
      );
    }
    const existing =
      svc.serviceDetails?.envSpecificDetails?.preDeployCommand ?? svc.serviceDetails?.preDeployCommand ?? '';
    if (req.releaseCommand && req.releaseCommand !== existing) {
      await this.api.request('PATCH', this.svc(app), { serviceDetails: { preDeployCommand: req.releaseCommand } });
      ctx.log(
        `pre-deploy command of \`${app}\` set to \`${req.releaseCommand}\` (was ${existing ? `\`${existing}\`` : 'none'})`,
      );
    } else {
      ctx.log(
        `pre-deploy command: ${existing || req.releaseCommand ? `\`${req.releaseCommand ?? existing}\`` : 'none on the service'}`,
      );
    }
    const image = req.image;
    const since = new Date(Date.now() - 1000).toISOString();
    const created = await this.api.request<RenderDeploy | undefined>('POST', `${this.svc(app)}/deploys`, {
      imageUrl: image,
    });
    let dep = created.data;
    if (!dep?.id) {
      // 202 Queued has no body: the newest deploy of that image is ours.
      dep = (await this.deploys(app)).find((d) => d.image?.ref === image || d.image?.sha === image.split('@')[1]);
      if (!dep) throw new ProviderError(`Render queued a deploy of \`${app}\` but it is not in the deploy list`);
    }
    ctx.log(`deploy ${dep.id} of ${image} on \`${app}\`: ${dep.status ?? 'created'}`);
    return this.waitDeploy(app, svc, dep, since);
  }

  private async waitDeploy(app: string, svc: RenderService, dep: RenderDeploy, since: string): Promise<Outcome> {
    const { ctx } = this.deps;
    const tail = new LineTail();
    const activity: Activity = { last: Date.now() };
    let logStart = since;
    const seen = new Set<string>();
    let logsBroken = false;
    const pullLogs = async (): Promise<void> => {
      if (logsBroken || !svc.ownerId) return;
      try {
        const q = new URLSearchParams({
          ownerId: svc.ownerId,
          startTime: logStart,
          direction: 'forward',
          limit: '100',
        });
        q.append('resource', svc.id);
        const page = (await this.api.request<RenderLogs>('GET', `/logs?${q}`)).data;
        for (const l of page.logs ?? []) {
          if (seen.has(l.id)) continue;
          seen.add(l.id);
          activity.last = Date.now();
          // One entry may hold several lines; ctx.log redacts and neutralizes each (src/lib/output.ts).
          const lines = new LineBuffer((line) => {
            tail.push(line);
            ctx.log(`render | ${line}`);
          });
          lines.push(l.message);
          lines.flush();
        }
        if (page.nextStartTime) logStart = page.nextStartTime;
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        logsBroken = true;
        ctx.log(`render logs unavailable (${(e as Error).message.split('.')[0]}); waiting on the deploy status only`);
      }
    };
    const final = await waitFor(
      `deploy ${dep.id} of service \`${app}\``,
      async () => {
        const d = (
          await this.api.request<RenderDeploy>('GET', `${this.svc(app)}/deploys/${encodeURIComponent(dep.id)}`)
        ).data;
        await pullLogs();
        return d;
      },
      (d) => d.status ?? 'unknown',
      (d) => Object.hasOwn(FINAL, d.status ?? ''),
      this.deps.timing(),
      ctx.signal,
      activity,
      (s) => ctx.log(`deploy ${dep.id}: ${s}`),
      dep.status ?? 'created',
    );
    await pullLogs();
    const kind = FINAL[final.status!]!;
    const messages: Record<OutcomeKind, string> = {
      ok: '',
      'build-failed': `Render could not build/pull the image for deploy ${dep.id}; nothing changed, the previous deploy serves`,
      'release-phase-failed': `the pre-deploy command of deploy ${dep.id} failed (pre_deploy_failed); Render did not switch traffic, the previous deploy serves`,
      'deploy-failed': `deploy ${dep.id} ended ${final.status}; Render keeps the previous deploy serving`,
    };
    return {
      kind,
      release: info(final),
      providerStatus: final.status!,
      output: tail.get(),
      ...(kind !== 'ok' ? { message: messages[kind] } : {}),
    };
  }

  async rollback(app: string, to: string): Promise<Outcome> {
    const svc = await this.service(app);
    const target = (await this.api.request<RenderDeploy>('GET', `${this.svc(app)}/deploys/${encodeURIComponent(to)}`))
      .data;
    this.deps.ctx.log(
      `rolling \`${app}\` back to deploy ${target.id} (${target.image?.sha ?? target.image?.ref ?? 'no image'})`,
    );
    const since = new Date(Date.now() - 1000).toISOString();
    const dep = (await this.api.request<RenderDeploy>('POST', `${this.svc(app)}/rollback`, { deployId: target.id }))
      .data;
    return this.waitDeploy(app, svc, dep, since);
  }

  async promote(from: string, to: string, req: DeployRequest): Promise<Outcome> {
    if (!req.image) throw new ProviderError('Render promotion needs `image` (name@sha256:…)');
    const digest = req.image.split('@')[1]!;
    const live = (await this.deploys(from)).find((d) => d.status === 'live');
    if (!live) throw new ProviderError(`service \`${from}\` has no live deploy to promote`);
    if (live.image?.sha !== digest) {
      throw new ProviderError(
        `\`image\` ${digest} is not what \`${from}\` runs (${live.image?.sha ?? 'unknown'}); promotion deploys the tested digest only`,
      );
    }
    this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deploy ${live.id}) to \`${to}\``);
    return this.deploy(to, req);
  }
}
