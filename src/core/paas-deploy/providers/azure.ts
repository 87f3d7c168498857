/**
 * Azure App Service (Web App for Containers) through Azure Resource Manager, api-version 2024-11-01
 * (Microsoft.Web `WebApps.json`): the container image is the site config's `linuxFxVersion`
 * (`DOCKER|<image@digest>`), set with `PATCH …/config/web` on a staging slot (or on production without
 * `slot`); app settings are read with `POST …/config/appsettings/list` and written back merged with
 * `PUT …/config/appsettings`; the instances (`GET …/instances`) are polled until they run the new container;
 * after the gate passes the slot is swapped into production (`POST …/slotsswap {targetSlot}`, a long-running
 * operation polled through its `Azure-AsyncOperation` / `Location` header). Rollback with a slot is the swap
 * back (the previous production sits in the slot after a swap); without a slot it re-pins the
 * `linuxFxVersion` read before the change. What production runs is always read back, never assumed.
 * App Service has no release phase.
 */
import { ApiClient, ProviderError, waitFor, type ApiResponse } from '../http.js';
import type { DeployRequest, Outcome, Provider, ReleaseInfo } from '../provider.js';
import type { RunContext } from '../../../lib/context.js';
import type { WaitTiming } from '../http.js';
import { azureAccessToken, type AzureCredentials } from './azure-auth.js';

export const AZURE_API_VERSION = '2024-11-01';

export interface AzureTarget {
  subscriptionId: string;
  resourceGroup: string;
  /** The staging slot: deploy there, gate it, swap it into production. Undefined: deploy to production. */
  slot?: string;
}

export interface AzureDeps {
  ctx: RunContext;
  timing: () => WaitTiming;
  requestTimeoutMs: number;
  /** ARM base URL (`api-url`). */
  armUrl: string;
  credentials: AzureCredentials;
  target: AzureTarget;
  /** Masks a token the moment it exists. */
  addSecret: (value: string) => void;
}

interface SiteConfigResource {
  properties?: { linuxFxVersion?: string };
}
interface InstanceCollection {
  value: { name?: string; properties?: { state?: string } }[];
}
interface SiteResource {
  properties?: { state?: string; defaultHostName?: string };
}

/** `DOCKER|ghcr.io/a/b@sha256:…` → the image reference (or the raw value for non-container stacks). */
export function imageOfFx(fx: string | undefined): string | undefined {
  if (!fx) return undefined;
  return fx.toUpperCase().startsWith('DOCKER|') ? fx.slice('DOCKER|'.length) : fx;
}

const digestOf = (image: string | undefined): string | undefined => image?.split('@')[1];

function info(image: string | undefined, where: string, status: string): ReleaseInfo | undefined {
  if (!image) return undefined;
  const digest = digestOf(image);
  return { id: image, label: where, status, ...(digest ? { artifact: `image ${digest}` } : {}) };
}

const FIELDS = ['linuxFxVersion', 'targetSlot', 'preserveVnet', 'properties', 'appSettings'];

export class AzureProvider implements Provider {
  readonly name = 'azure' as const;
  /** The staging slot, when the deploy goes there first (run.ts then gates it and calls finalize). */
  readonly staging: string | undefined;
  private client?: Promise<ApiClient>;
  private lastErrorBody: unknown;

  constructor(private readonly deps: AzureDeps) {
    this.staging = deps.target.slot;
  }

  private api(): Promise<ApiClient> {
    this.client ??= azureAccessToken(this.deps.credentials, {
      requestTimeoutMs: this.deps.requestTimeoutMs,
      signal: this.deps.ctx.signal,
      addSecret: this.deps.addSecret,
    }).then(
      (token) =>
        new ApiClient({
          baseUrl: this.deps.armUrl,
          token,
          requestTimeoutMs: this.deps.requestTimeoutMs,
          signal: this.deps.ctx.signal,
          hints: { provider: 'Azure Resource Manager', token: 'an Entra ID access token', resource: 'the web app' },
          errorText: (b) => {
            this.lastErrorBody = b;
            const e = (b as { error?: { code?: unknown; message?: unknown } } | undefined)?.error;
            return e ? [e.code, e.message].filter((x) => typeof x === 'string').join(': ') : undefined;
          },
        }),
    );
    return this.client;
  }

  private site(app: string): string {
    const t = this.deps.target;
    return (
      `/subscriptions/${encodeURIComponent(t.subscriptionId)}/resourceGroups/${encodeURIComponent(t.resourceGroup)}` +
      `/providers/Microsoft.Web/sites/${encodeURIComponent(app)}`
    );
  }

  private scope(app: string, slot: string | undefined): string {
    return slot ? `${this.site(app)}/slots/${encodeURIComponent(slot)}` : this.site(app);
  }

  private where(slot: string | undefined): string {
    return slot ? `slot ${slot}` : 'production';
  }

  /** Maps ARM errors onto messages naming the Azure inputs to fix. */
  private explain(e: unknown, method: string, path: string, app: string): unknown {
    if (!(e instanceof ProviderError) || e.status === undefined) return e;
    const body = this.lastErrorBody as
      { error?: { code?: string; message?: string; target?: string; details?: { target?: string }[] } } | undefined;
    const err = body?.error;
    const said = err ? `${err.code ?? ''}${err.message ? `: ${err.message}` : ''}`.slice(0, 300) : '';
    const t = this.deps.target;
    const what = `ARM ${method} ${path.split('?')[0]!.replace(/^\/subscriptions\/[^/]+\/resourceGroups\/[^/]+\/providers\/Microsoft\.Web/, '…')}`;
    const sayit = said ? ` (${said})` : '';
    switch (e.status) {
      case 401:
        return new ProviderError(
          `${what} returned 401${sayit}. Azure Resource Manager did not accept the Entra ID token of \`azure-client-id\` ` +
            `${this.deps.credentials.clientId}: check that \`azure-tenant-id\` is the tenant of subscription \`azure-subscription-id\` ${t.subscriptionId}.`,
          401,
        );
      case 403:
        return new ProviderError(
          `${what} returned 403${sayit}. The service principal \`azure-client-id\` ${this.deps.credentials.clientId} may not act on ` +
            `web app \`${app}\`: give it the "Website Contributor" role (or Contributor) on the app or on resource group \`${t.resourceGroup}\`.`,
          403,
        );
      case 404:
        return new ProviderError(
          `${what} returned 404${sayit}. Check \`app\` (web app \`${app}\`), \`azure-resource-group\` (\`${t.resourceGroup}\`)` +
            `${t.slot ? `, \`slot\` (\`${t.slot}\`)` : ''} and \`azure-subscription-id\` (${t.subscriptionId}); the service principal may also lack read access to it.`,
          404,
        );
      case 400:
      case 409:
      case 422: {
        const field =
          err?.target ??
          err?.details?.find((d) => d.target)?.target ??
          FIELDS.find((f) => (err?.message ?? '').includes(f));
        return new ProviderError(
          `${what} returned ${e.status}: Azure rejected ${field ? `the field \`${field}\`` : 'the request'}${sayit}. Fix the input that sets it and retry.`,
          e.status,
        );
      }
      default:
        return e;
    }
  }

  private async arm<T>(method: string, path: string, app: string, body?: unknown): Promise<ApiResponse<T>> {
    const api = await this.api();
    const sep = path.includes('?') ? '&' : '?';
    try {
      return await api.request<T>(method, `${path}${sep}api-version=${AZURE_API_VERSION}`, body, {
        retryWrites: method === 'PUT' || method === 'PATCH',
      });
    } catch (e) {
      throw this.explain(e, method, path, app);
    }
  }

  private async imageIn(app: string, slot: string | undefined): Promise<string | undefined> {
    const r = await this.arm<SiteConfigResource>('GET', `${this.scope(app, slot)}/config/web`, app);
    return imageOfFx(r.data?.properties?.linuxFxVersion);
  }

  async current(app: string): Promise<ReleaseInfo | undefined> {
    const site = (await this.arm<SiteResource>('GET', this.site(app), app)).data;
    return info(await this.imageIn(app, undefined), 'production', site?.properties?.state ?? 'unknown');
  }

  async previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined> {
    // After a swap the image that served before sits in the staging slot; without a slot there is no history.
    if (!this.staging) return undefined;
    const inSlot = await this.imageIn(app, this.staging);
    return inSlot && inSlot !== current?.id ? info(inSlot, this.where(this.staging), 'in slot') : undefined;
  }

  async appUrl(app: string): Promise<string | undefined> {
    const host = (await this.arm<SiteResource>('GET', this.site(app), app)).data?.properties?.defaultHostName;
    return host ? `https://${host}` : undefined;
  }

  async setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined> {
    const scope = this.scope(app, this.staging);
    const now = (
      await this.arm<{ properties?: Record<string, string> }>('POST', `${scope}/config/appsettings/list`, app)
    ).data?.properties;
    const current = now ?? {};
    const changed = Object.keys(vars).filter((k) => current[k] !== vars[k]);
    if (changed.length) {
      // PUT replaces every setting: send the merged set so nothing else is lost.
      await this.arm('PUT', `${scope}/config/appsettings`, app, { properties: { ...current, ...vars } });
    }
    this.deps.ctx.log(
      changed.length
        ? `app settings: set ${changed.join(', ')} on ${this.where(this.staging)} of \`${app}\` (values masked)`
        : `app settings: ${Object.keys(vars).length} already set on ${this.where(this.staging)} of \`${app}\``,
    );
    return undefined;
  }

  /** Points `slot` (or production) at `image` and waits until its instances run it. */
  private async pin(app: string, slot: string | undefined, image: string): Promise<Outcome> {
    const { ctx } = this.deps;
    const scope = this.scope(app, slot);
    await this.arm('PATCH', `${scope}/config/web`, app, { properties: { linuxFxVersion: `DOCKER|${image}` } });
    ctx.log(`${this.where(slot)} of \`${app}\`: linuxFxVersion set to DOCKER|${image}; waiting for its container`);
    const summary = (c: InstanceCollection): string => {
      const states = (c.value ?? []).map((i) => i.properties?.state ?? 'UNKNOWN');
      if (states.length === 0) return 'no instances';
      if (states.some((s) => s === 'STOPPED')) return 'STOPPED';
      return states.every((s) => s === 'READY') ? 'READY' : 'UNKNOWN';
    };
    const final = await waitFor(
      `the container of ${image} in ${this.where(slot)} of \`${app}\``,
      async () => (await this.arm<InstanceCollection>('GET', `${scope}/instances`, app)).data,
      summary,
      (c) => ['READY', 'STOPPED'].includes(summary(c)),
      this.deps.timing(),
      ctx.signal,
      undefined,
      (s) => ctx.log(`${this.where(slot)} instances: ${s}`),
      'restarting',
    );
    const running = await this.imageIn(app, slot);
    const state = summary(final);
    if (state === 'READY' && running === image) {
      return { kind: 'ok', release: info(image, this.where(slot), 'READY')!, providerStatus: 'READY', output: [] };
    }
    return {
      kind: 'build-failed',
      release: info(image, this.where(slot), state)!,
      providerStatus: state,
      output: [],
      message:
        state === 'READY'
          ? `${this.where(slot)} of \`${app}\` reports ${running ?? 'no image'}, not ${image}`
          : `the container of ${image} did not start in ${this.where(slot)} of \`${app}\` (instance state ${state})`,
    };
  }

  async deploy(app: string, req: DeployRequest): Promise<Outcome> {
    const { ctx } = this.deps;
    if (!req.image) throw new ProviderError('Azure deploys need `image` (name@sha256:…)');
    if (req.releaseCommand) {
      ctx.warn(
        `release-command \`${req.releaseCommand}\` was NOT run: Azure App Service has no release phase (allow-no-release-phase is true)`,
        'paas-deploy',
      );
    }
    // Read the target first: a missing slot is a 404 naming `slot` before anything changes.
    await this.arm('GET', this.scope(app, this.staging), app);
    if (this.staging) {
      const o = await this.pin(app, this.staging, req.image);
      if (o.kind !== 'ok') o.message = `${o.message}; nothing was swapped, production was not touched`;
      return o;
    }
    const before = await this.imageIn(app, undefined);
    const o = await this.pin(app, undefined, req.image);
    if (o.kind !== 'ok' && before) {
      // Straight to production and the container did not start: put back what ran before, and say so.
      ctx.log(`re-pinning production of \`${app}\` to ${before}`);
      const back = await this.pin(app, undefined, before);
      o.message =
        `${o.message}; production was re-pinned to ${before}` +
        (back.kind === 'ok' ? ' and runs it again' : ` but it reports ${back.providerStatus}`);
    }
    return o;
  }

  /** POST …/slotsswap {targetSlot} and poll the long-running operation until it ends. */
  private async swap(app: string): Promise<string> {
    const { ctx } = this.deps;
    const slot = this.staging!;
    const r = await this.arm<unknown>('POST', `${this.site(app)}/slotsswap`, app, {
      targetSlot: slot,
      preserveVnet: true,
    });
    if (r.status === 200) return 'Succeeded';
    const async = r.headers.get('azure-asyncoperation');
    const location = r.headers.get('location');
    const pollUrl = async ?? location;
    if (!pollUrl)
      throw new ProviderError(`Azure accepted the swap of slot ${slot} (202) but gave no operation to poll`);
    const base = new URL(this.deps.armUrl);
    const u = new URL(pollUrl);
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname.replace(/\/+$/, ''))) {
      // The bearer token goes only to `api-url`.
      throw new ProviderError(`Azure's swap operation URL is not under \`api-url\` (${base.origin}); not following it`);
    }
    const rel = `${u.pathname.slice(base.pathname.replace(/\/+$/, '').length)}${u.search}`;
    const api = await this.api();
    ctx.log(`swapping slot ${slot} of \`${app}\` into production (long-running operation)`);
    const end = await waitFor(
      `the swap of slot ${slot} into production of \`${app}\``,
      async () => {
        try {
          const p = await api.request<{ status?: string; error?: { message?: string } }>('GET', rel);
          if (async) return { state: p.data?.status ?? 'unknown', error: p.data?.error?.message };
          return { state: p.status === 202 ? 'InProgress' : 'Succeeded', error: undefined };
        } catch (e) {
          throw this.explain(e, 'GET', rel, app);
        }
      },
      (s) => s.state,
      (s) => ['Succeeded', 'Failed', 'Canceled'].includes(s.state),
      this.deps.timing(),
      ctx.signal,
      undefined,
      (s) => ctx.log(`swap: ${s}`),
      'InProgress',
    );
    if (end.state !== 'Succeeded') {
      throw new ProviderError(
        `the swap of slot ${slot} into production of \`${app}\` ended ${end.state}${end.error ? `: ${end.error}` : ''}`,
      );
    }
    return end.state;
  }

  /** After the slot passed its gate: swap it into production and read back what production runs. */
  async finalize(app: string): Promise<Outcome | undefined> {
    if (!this.staging) return undefined;
    const expected = await this.imageIn(app, this.staging);
    return this.swapAndCheck(
      app,
      expected,
      (prod) =>
        `after the swap production of \`${app}\` runs ${prod ?? 'nothing'}, not ${expected ?? 'the slot image'}`,
    );
  }

  /** Swaps the slot into production, then reads back what production runs: `expected`, or deploy-failed. */
  private async swapAndCheck(
    app: string,
    expected: string | undefined,
    mismatch: (prod: string | undefined) => string,
  ): Promise<Outcome> {
    let state: string;
    try {
      state = await this.swap(app);
    } catch (e) {
      if (!(e instanceof ProviderError) || this.deps.ctx.signal.aborted) throw e;
      return { kind: 'deploy-failed', providerStatus: 'swap failed', output: [], message: e.message };
    }
    const prod = await this.imageIn(app, undefined);
    const release = info(prod, 'production', `swap ${state}`);
    if (prod === expected)
      return { kind: 'ok', ...(release ? { release } : {}), providerStatus: `swap ${state}`, output: [] };
    return {
      kind: 'deploy-failed',
      ...(release ? { release } : {}),
      providerStatus: `swap ${state}`,
      output: [],
      message: mismatch(prod),
    };
  }

  async rollback(app: string, to: string): Promise<Outcome> {
    if (this.staging) {
      const inSlot = await this.imageIn(app, this.staging);
      if (inSlot !== to) {
        throw new ProviderError(
          `slot ${this.staging} of \`${app}\` runs ${inSlot ?? 'nothing'}, not ${to}: a swap back would not restore it (set \`rollback-to\` to what the slot runs, or deploy ${to})`,
        );
      }
      this.deps.ctx.log(`swapping back: ${to} (in slot ${this.staging}) into production of \`${app}\``);
      return this.swapAndCheck(
        app,
        to,
        (prod) => `after swapping back production runs ${prod ?? 'nothing'}, not ${to}`,
      );
    }
    if (!digestOf(to))
      throw new ProviderError(`\`rollback-to\` ${to} must be an image pinned by digest (name@sha256:…)`);
    this.deps.ctx.log(`re-pinning production of \`${app}\` to ${to}`);
    return this.pin(app, undefined, to);
  }

  async promote(from: string, to: string, req: DeployRequest): Promise<Outcome> {
    if (!req.image) throw new ProviderError('Azure promotion needs `image` (name@sha256:…)');
    const running = await this.imageIn(from, undefined);
    if (digestOf(running) !== digestOf(req.image)) {
      throw new ProviderError(
        `\`image\` ${digestOf(req.image)} is not what production of \`${from}\` runs (${running ?? 'nothing'}); promotion deploys the tested digest only`,
      );
    }
    this.deps.ctx.log(
      `promoting ${req.image} from \`${from}\` to \`${to}\`${this.staging ? ` (slot ${this.staging})` : ''}`,
    );
    return this.deploy(to, req);
  }
}
