/**
 * Railway public GraphQL API v2 (https://docs.railway.com/reference/public-api): a service instance (one
 * service in one environment) is pointed at an image by digest and, when `release-command` is set, given
 * its pre-deploy command (`serviceInstanceUpdate`), then deployed (`serviceInstanceDeployV2`, which returns
 * the deployment id). The deployment is polled (`QUEUED → INITIALIZING → BUILDING → DEPLOYING → SUCCESS`,
 * or `FAILED` / `CRASHED`) while its build and deploy logs (`buildLogs`, `deploymentLogs`) are printed.
 * Rollback is `deploymentRollback(id)`; promotion deploys the digest the source instance runs.
 *
 * `app` is a service id; the environment is `environment`, or `<service id>:<environment id>` in `app` or
 * `promote-to` (so staging → production of one service is `promote-to: <service id>:<production env id>`).
 */
import { parseImageRef } from '../../../lib/oci/reference.js';
import { LineBuffer } from '../../../lib/output.js';
import { ApiClient, LineTail, ProviderError, waitFor, type Activity } from '../http.js';
import type { DeployRequest, Outcome, OutcomeKind, Provider, ProviderDeps, ReleaseInfo } from '../provider.js';

export const RAILWAY_TOKEN_HINT =
  'a Railway account or team token (Account Settings → Tokens) with access to the project (project tokens are not accepted here)';

interface RwDeployment {
  id: string;
  status: string;
  createdAt?: string;
  canRollback?: boolean;
  projectId?: string;
  meta?: { image?: string; [k: string]: unknown } | null;
  staticUrl?: string | null;
}
interface RwInstance {
  id: string;
  serviceId: string;
  environmentId: string;
  preDeployCommand?: unknown;
  source?: { image?: string | null } | null;
  activeDeployments: RwDeployment[];
}

const DEPLOYMENT_FIELDS = 'id status createdAt canRollback projectId meta staticUrl';
const Q = {
  instance: `query ServiceInstance($serviceId: String!, $environmentId: String!) { serviceInstance(serviceId: $serviceId, environmentId: $environmentId) { id serviceId environmentId preDeployCommand source { image } activeDeployments { ${DEPLOYMENT_FIELDS} } } }`,
  deployments: `query Deployments($input: DeploymentListInput!, $first: Int) { deployments(input: $input, first: $first) { edges { node { ${DEPLOYMENT_FIELDS} } } } }`,
  deployment: `query Deployment($id: String!) { deployment(id: $id) { ${DEPLOYMENT_FIELDS} } }`,
  buildLogs: `query BuildLogs($deploymentId: String!, $limit: Int) { buildLogs(deploymentId: $deploymentId, limit: $limit) { message timestamp severity } }`,
  deployLogs: `query DeploymentLogs($deploymentId: String!, $limit: Int) { deploymentLogs(deploymentId: $deploymentId, limit: $limit) { message timestamp severity } }`,
  update: `mutation ServiceInstanceUpdate($serviceId: String!, $environmentId: String, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, environmentId: $environmentId, input: $input) }`,
  deploy: `mutation ServiceInstanceDeployV2($serviceId: String!, $environmentId: String!) { serviceInstanceDeployV2(serviceId: $serviceId, environmentId: $environmentId) }`,
  rollback: `mutation DeploymentRollback($id: String!) { deploymentRollback(id: $id) }`,
  variables: `mutation VariableCollectionUpsert($input: VariableCollectionUpsertInput!) { variableCollectionUpsert(input: $input) }`,
};

const FINAL = new Set(['SUCCESS', 'FAILED', 'CRASHED', 'REMOVED', 'SKIPPED']);

export function railwayClient(
  opts: Omit<ConstructorParameters<typeof ApiClient>[0], 'hints' | 'headers'> & { app: string },
): ApiClient {
  return new ApiClient({
    ...opts,
    hints: { provider: 'Railway', token: RAILWAY_TOKEN_HINT, resource: `service \`${opts.app}\`` },
  });
}

function digestOf(image: string | undefined | null): string | undefined {
  return image ? /@(sha256:[a-f0-9]{64})$/.exec(image)?.[1] : undefined;
}

function info(d: RwDeployment): ReleaseInfo {
  const image = typeof d.meta?.image === 'string' ? d.meta.image : undefined;
  const digest = digestOf(image);
  return { id: d.id, label: d.id, status: d.status, ...(image ? { artifact: `image ${digest ?? image}` } : {}) };
}

export class RailwayProvider implements Provider {
  readonly name = 'railway' as const;
  private readonly api: ApiClient;
  private pendingVars: Record<string, string> = {};

  constructor(private readonly deps: ProviderDeps) {
    this.api = deps.api;
  }

  /** `service` or `service:environment`; the environment defaults to the `environment` input. */
  private target(app: string): { serviceId: string; environmentId: string } {
    const [serviceId, env] = app.split(':');
    const environmentId = env || this.deps.environment;
    if (!serviceId || !environmentId) {
      throw new ProviderError(
        `Railway needs an environment for \`${app}\`: set \`environment\` (an environment id) or write \`<service id>:<environment id>\``,
      );
    }
    return { serviceId, environmentId };
  }

  /** One GraphQL operation; `errors` in the answer become a ProviderError naming the fix. */
  private async gql<T>(query: string, variables: Record<string, unknown>, what: string): Promise<T> {
    const r = await this.api.request<{ data?: T | null; errors?: { message: string; path?: string[] }[] }>(
      'POST',
      '',
      { query, variables },
      { retryWrites: query.startsWith('query') },
    );
    const errs = r.data?.errors ?? [];
    if (errs.length) {
      const msg = errs.map((e) => e.message).join('; ');
      if (/not authori[sz]ed|unauthenticated|invalid token/i.test(msg)) {
        throw new ProviderError(
          `Railway ${what}: ${msg}. Check \`api-token\`: it must be ${RAILWAY_TOKEN_HINT}, not expired or revoked.`,
        );
      }
      if (/not found/i.test(msg)) {
        throw new ProviderError(
          `Railway ${what}: ${msg}. Check \`app\` (a service id) and \`environment\` (an environment id of that service's project), or \`promote-to\` / \`rollback-to\`.`,
        );
      }
      const field = /(?:argument|field|variable) "?\$?([\w.]+)"?/i.exec(msg)?.[1];
      throw new ProviderError(
        `Railway ${what}: Railway rejected ${field ? `the field \`${field}\`` : 'the request'}: ${msg}. Fix the input that sets it and retry.`,
      );
    }
    if (!r.data?.data) throw new ProviderError(`Railway ${what}: no data in the answer`);
    return r.data.data;
  }

  private async instance(app: string): Promise<RwInstance> {
    const t = this.target(app);
    return (await this.gql<{ serviceInstance: RwInstance }>(Q.instance, t, `service instance of \`${app}\``))
      .serviceInstance;
  }

  private async deployments(app: string): Promise<RwDeployment[]> {
    const t = this.target(app);
    const r = await this.gql<{ deployments: { edges: { node: RwDeployment }[] } }>(
      Q.deployments,
      { input: { serviceId: t.serviceId, environmentId: t.environmentId }, first: 50 },
      `deployments of \`${app}\``,
    );
    return r.deployments.edges.map((e) => e.node);
  }

  async current(app: string): Promise<ReleaseInfo | undefined> {
    const live = (await this.instance(app)).activeDeployments.find((d) => d.status === 'SUCCESS');
    return live ? info(live) : undefined;
  }

  async previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined> {
    const list = await this.deployments(app);
    const at = current ? list.findIndex((d) => d.id === current.id) : -1;
    // A deployment that served and was replaced is REMOVED; canRollback says Railway still has its image.
    const prev = list.slice(at + 1).find((d) => d.status === 'REMOVED' && d.canRollback);
    return prev ? info(prev) : undefined;
  }

  async appUrl(app: string): Promise<string | undefined> {
    const live = (await this.instance(app)).activeDeployments[0];
    return live?.staticUrl ? `https://${live.staticUrl}` : undefined;
  }

  async setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined> {
    // Written with skipDeploys just before the deploy, so they go live with it (not with a deploy of their own).
    this.pendingVars = { ...vars };
    this.deps.ctx.log(
      `config: ${Object.keys(vars).join(', ')} are set on \`${app}\` right before its deploy (values masked)`,
    );
    return undefined;
  }

  async deploy(app: string, req: DeployRequest): Promise<Outcome> {
    const { ctx } = this.deps;
    if (!req.image) throw new ProviderError('Railway deploys need `image` (name@sha256:…)');
    parseImageRef(req.image);
    const t = this.target(app);
    const inst = await this.instance(app);
    if (Object.keys(this.pendingVars).length) {
      const projectId = inst.activeDeployments[0]?.projectId ?? (await this.deployments(app))[0]?.projectId;
      if (!projectId)
        throw new ProviderError(`cannot tell the project of \`${app}\` (it has no deployment yet) to set \`config\``);
      await this.gql(
        Q.variables,
        {
          input: {
            projectId,
            environmentId: t.environmentId,
            serviceId: t.serviceId,
            variables: this.pendingVars,
            skipDeploys: true,
          },
        },
        `variables of \`${app}\``,
      );
    }
    const input: Record<string, unknown> = { source: { image: req.image } };
    if (req.releaseCommand) input.preDeployCommand = [req.releaseCommand];
    await this.gql(Q.update, { serviceId: t.serviceId, environmentId: t.environmentId, input }, `update of \`${app}\``);
    const existing = Array.isArray(inst.preDeployCommand) ? (inst.preDeployCommand as string[]).join(' && ') : '';
    const preDeploy = req.releaseCommand ?? existing;
    ctx.log(preDeploy ? `pre-deploy command: \`${preDeploy}\`` : 'pre-deploy command: none on the service');
    const id = (await this.gql<{ serviceInstanceDeployV2: string }>(Q.deploy, t, `deploy of \`${app}\``))
      .serviceInstanceDeployV2;
    ctx.log(`deployment ${id} of ${req.image} on \`${app}\``);
    return this.waitDeployment(app, id, !!preDeploy);
  }

  private async waitDeployment(app: string, id: string, hasPreDeploy: boolean): Promise<Outcome> {
    const { ctx } = this.deps;
    const tail = new LineTail();
    const activity: Activity = { last: Date.now() };
    const printed = { build: 0, deploy: 0 };
    let logsBroken = false;
    const pull = async (kind: 'build' | 'deploy'): Promise<void> => {
      if (logsBroken) return;
      try {
        const q = kind === 'build' ? Q.buildLogs : Q.deployLogs;
        const r = await this.gql<Record<string, { message: string }[]>>(
          q,
          { deploymentId: id, limit: 500 },
          `${kind} logs`,
        );
        const logs = r[kind === 'build' ? 'buildLogs' : 'deploymentLogs'] ?? [];
        for (const l of logs.slice(printed[kind])) {
          activity.last = Date.now();
          const lines = new LineBuffer((line) => {
            tail.push(line);
            ctx.log(`${kind} | ${line}`);
          });
          lines.push(l.message);
          lines.flush();
        }
        printed[kind] = Math.max(printed[kind], logs.length);
      } catch (e) {
        if (ctx.signal.aborted) throw e;
        logsBroken = true;
        ctx.log(
          `railway logs unavailable (${(e as Error).message.split('.')[0]}); waiting on the deployment status only`,
        );
      }
    };
    const seen = new Set<string>();
    const final = await waitFor(
      `deployment ${id} of service \`${app}\``,
      async () => {
        const d = (await this.gql<{ deployment: RwDeployment }>(Q.deployment, { id }, `deployment ${id}`)).deployment;
        seen.add(d.status);
        await pull('build');
        if (seen.has('DEPLOYING') || FINAL.has(d.status)) await pull('deploy');
        return d;
      },
      (d) => d.status,
      (d) => FINAL.has(d.status),
      this.deps.timing(),
      ctx.signal,
      activity,
      (s) => ctx.log(`deployment ${id}: ${s}`),
      'QUEUED',
    );
    if (final.status === 'SUCCESS')
      return { kind: 'ok', release: info(final), providerStatus: final.status, output: tail.get() };
    let kind: OutcomeKind = 'deploy-failed';
    let message = `deployment ${id} ended ${final.status}; Railway keeps the previous deployment serving`;
    if (final.status === 'FAILED' && !seen.has('DEPLOYING')) {
      kind = 'build-failed';
      message = `deployment ${id} failed before deploying (build or image pull); the previous deployment serves`;
    } else if (final.status === 'FAILED' && hasPreDeploy) {
      kind = 'release-phase-failed';
      message = `deployment ${id} failed in its deploy stage, where Railway runs the pre-deploy command (see the deploy log lines); the new deployment took no traffic, the previous one serves`;
    }
    return { kind, release: info(final), providerStatus: final.status, output: tail.get(), message };
  }

  async rollback(app: string, to: string): Promise<Outcome> {
    const before = new Set((await this.deployments(app)).map((d) => d.id));
    const target = (await this.gql<{ deployment: RwDeployment }>(Q.deployment, { id: to }, `deployment ${to}`))
      .deployment;
    if (!target.canRollback)
      throw new ProviderError(`Railway says deployment ${to} cannot be rolled back to (canRollback is false)`);
    this.deps.ctx.log(`rolling \`${app}\` back to deployment ${to} (${target.meta?.image ?? 'image unknown'})`);
    await this.gql(Q.rollback, { id: to }, `rollback of \`${app}\``);
    // deploymentRollback answers true only; the deployment it made is the new one in the list.
    const made = (await this.deployments(app)).find((d) => !before.has(d.id));
    if (!made) throw new ProviderError(`Railway accepted the rollback of \`${app}\` but no new deployment appeared`);
    return this.waitDeployment(app, made.id, false);
  }

  async promote(from: string, to: string, req: DeployRequest): Promise<Outcome> {
    if (!req.image) throw new ProviderError('Railway promotion needs `image` (name@sha256:…)');
    const digest = req.image.split('@')[1]!;
    const live = (await this.instance(from)).activeDeployments.find((d) => d.status === 'SUCCESS');
    const running = digestOf(typeof live?.meta?.image === 'string' ? live.meta.image : undefined);
    if (running !== digest) {
      throw new ProviderError(
        `\`image\` ${digest} is not what \`${from}\` runs (${running ?? 'no image digest'}); promotion deploys the tested digest only`,
      );
    }
    this.deps.ctx.log(`promoting ${digest} from \`${from}\` (deployment ${live!.id}) to \`${to}\``);
    return this.deploy(to, req);
  }
}
