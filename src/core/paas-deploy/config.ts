/** paas-deploy inputs → a validated configuration; nothing touches the network here. */
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { InputError, Inputs } from '../../lib/inputs.js';
import { parseImageInput } from '../../lib/oci/reference.js';
import { readHealthGateConfig, type HealthGateConfig } from '../health-gate/config.js';
import type { GitHubApi } from '../../lib/github/rest.js';
import { isEnvironmentName, readDeploymentInputs } from '../../lib/github/inputs.js';
import { PROVIDERS, type ProviderName } from './provider.js';
import type { AzureCredentials } from './providers/azure-auth.js';

export const MODES = ['deploy', 'promote', 'rollback'] as const;
export type Mode = (typeof MODES)[number];

/** Providers whose protocol is implemented and tested against a local peer; the others are refused. */
export const IMPLEMENTED: readonly ProviderName[] = ['heroku', 'render', 'digitalocean', 'railway', 'azure'];

/** Inputs only Azure reads; refused with any other provider (never silently ignored). */
const AZURE_ONLY = [
  'slot',
  'azure-client-id',
  'azure-tenant-id',
  'azure-subscription-id',
  'azure-resource-group',
  'azure-client-secret',
  'azure-login-url',
  'production-url',
] as const;

export const DEFAULT_API_URLS: Record<ProviderName, string> = {
  heroku: 'https://api.heroku.com',
  render: 'https://api.render.com/v1',
  digitalocean: 'https://api.digitalocean.com',
  railway: 'https://backboard.railway.com/graphql/v2',
  azure: 'https://management.azure.com',
};

/** health-gate's `timeout` is one request's limit; here `timeout` bounds the whole run. */
export const HEALTH_RENAMES = { timeout: 'health-timeout' } as const;

export interface PaasConfig {
  provider: ProviderName;
  app: string;
  environment?: string;
  token: string;
  apiUrl: string;
  mode: Mode;
  image?: string;
  source?: string;
  version?: string;
  promoteTo?: string;
  /** Heroku `mode: promote`: the slug (one `app` released) to release on `promote-to`. */
  slug?: string;
  rollbackTo?: string;
  releaseCommand?: string;
  allowNoReleasePhase: boolean;
  config: Record<string, string>;
  /** Undefined when `health-gate: false` (or rollback mode without `url`). */
  gate?: HealthGateConfig;
  rollbackOnFailure: boolean;
  timeoutMs: number;
  idleTimeoutMs: number;
  pollIntervalMs: number;
  pollMaxIntervalMs: number;
  requestTimeoutMs: number;
  /** Record the run as a GitHub deployment in this environment. */
  github?: GitHubApi & { ref: string; logUrl?: string; environment: string };
  /** Azure: where the web app lives, how to get a token, and the staging slot. */
  azure?: AzureCredentials & { subscriptionId: string; resourceGroup: string; slot?: string };
  /** Azure with `slot`: the gate run on production (`production-url`) after the swap. */
  finalGate?: HealthGateConfig;
}

const APP_RE = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

function view(base: Inputs, rename: Record<string, string>, fixed: Record<string, string>): Inputs {
  return new Inputs((n) => (Object.hasOwn(fixed, n) ? fixed[n]! : base.raw(rename[n] ?? n)));
}

function readGate(inputs: Inputs, fixed: Record<string, string> = {}): HealthGateConfig {
  inputs.headers('headers'); // mask header values through the action's own inputs
  try {
    return readHealthGateConfig(view(inputs, HEALTH_RENAMES, { 'fail-on-unhealthy': 'true', ...fixed }));
  } catch (e) {
    const renamed = e instanceof InputError ? (HEALTH_RENAMES as Record<string, string>)[e.input] : undefined;
    if (e instanceof InputError && renamed) {
      throw new InputError(renamed, e.message.replace(/^input `[^`]*`: /, ''));
    }
    throw e;
  }
}

export function readPaasConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): PaasConfig {
  const provider = inputs.required('provider') as ProviderName;
  if (!(PROVIDERS as readonly string[]).includes(provider)) {
    throw new InputError('provider', `"${provider}" is not one of ${PROVIDERS.join(', ')}`);
  }
  if (!IMPLEMENTED.includes(provider)) {
    throw new InputError(
      'provider',
      `"${provider}" is not supported yet by this version of paas-deploy (supported: ${IMPLEMENTED.join(', ')}); ` +
        'nothing was deployed. Use one of those or a later release.',
    );
  }
  const app = inputs.required('app');
  if (!APP_RE.test(app)) throw new InputError('app', `"${app}" is not an app/service name or id`);
  const mode = inputs.choice('mode', MODES, 'deploy');
  const token = inputs.secret('api-token');
  if (provider === 'azure') {
    if (token) {
      throw new InputError(
        'api-token',
        'is not used with azure: it signs in with `azure-client-id` + GitHub OIDC (or `azure-client-secret`)',
      );
    }
  } else if (!token) throw new InputError('api-token', `is required for ${provider} (pass it from a secret)`);

  const apiUrl = inputs.string('api-url', DEFAULT_API_URLS[provider]).replace(/\/+$/, '');
  let parsedApi: URL;
  try {
    parsedApi = new URL(apiUrl);
  } catch {
    throw new InputError('api-url', `"${apiUrl}" is not a URL`);
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsedApi.hostname);
  if (parsedApi.protocol !== 'https:' && !(parsedApi.protocol === 'http:' && loopback)) {
    throw new InputError('api-url', `"${apiUrl}" must be https:// (plain http only for a loopback test peer)`);
  }
  if (parsedApi.username || parsedApi.password) {
    throw new InputError('api-url', 'must not carry credentials; pass the token in `api-token`');
  }

  const environment = inputs.string('environment') || undefined;
  if (environment && provider !== 'railway') {
    throw new InputError(
      'environment',
      `is Railway's environment id; ${provider} has no such setting (for GitHub environments use \`github-environment\`)`,
    );
  }
  if (provider !== 'azure') {
    for (const azureOnly of AZURE_ONLY) {
      if (inputs.raw(azureOnly))
        throw new InputError(azureOnly, `is only used with \`provider: azure\`, not ${provider}`);
    }
  }
  const azure = provider === 'azure' ? readAzure(inputs, env, app) : undefined;
  if (provider === 'railway' && !environment && !app.includes(':')) {
    throw new InputError(
      'environment',
      'is required for railway (the environment id of the service), or write `app: <service id>:<environment id>`',
    );
  }

  const imageText = inputs.string('image');
  let image: string | undefined;
  if (imageText) {
    const ref = parseImageInput('image', imageText);
    if (!ref.digest) {
      throw new InputError(
        'image',
        `"${imageText}" must be pinned by digest (name@sha256:…) so the tested image is what runs`,
      );
    }
    image = imageText;
  }
  const sourceText = inputs.string('source');
  let source: string | undefined;
  if (sourceText) {
    source = resolve(env.GITHUB_WORKSPACE ?? process.cwd(), sourceText);
    if (!existsSync(source) || !statSync(source).isDirectory()) {
      throw new InputError('source', `"${sourceText}" is not a directory`);
    }
  }

  const promoteTo = inputs.string('promote-to') || undefined;
  const rollbackTo = inputs.string('rollback-to') || undefined;
  if (promoteTo && !APP_RE.test(promoteTo)) throw new InputError('promote-to', `"${promoteTo}" is not an app name`);
  if (mode === 'promote' && !promoteTo) throw new InputError('promote-to', 'is required with `mode: promote`');
  if (mode !== 'promote' && promoteTo) throw new InputError('promote-to', 'is only used with `mode: promote`');
  if (mode !== 'rollback' && rollbackTo) throw new InputError('rollback-to', 'is only used with `mode: rollback`');
  const slug = inputs.string('slug') || undefined;
  if (slug) {
    if (provider !== 'heroku' || mode !== 'promote') {
      throw new InputError(
        'slug',
        'is only used with `provider: heroku` and `mode: promote` (the slug id the staging deploy step output)',
      );
    }
    if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(slug)) {
      throw new InputError(
        'slug',
        `"${slug}" is not a Heroku slug id (a UUID, the \`slug\` output of a heroku deploy)`,
      );
    }
  }

  if (mode === 'deploy') {
    if (provider === 'heroku') {
      if (image) {
        throw new InputError(
          'image',
          'Heroku builds from source here: set `source` (a directory sent as a source tarball); image deploys go through the Heroku container registry, which this action does not push to',
        );
      }
      if (!source)
        throw new InputError('source', 'is required for heroku with `mode: deploy` (the directory to build)');
    } else {
      if (source) throw new InputError('source', `${provider} deploys an image here: set \`image\` (name@sha256:…)`);
      if (!image) throw new InputError('image', `is required for ${provider} with \`mode: deploy\` (name@sha256:…)`);
    }
  } else if (mode === 'promote' && provider !== 'heroku' && !image) {
    throw new InputError(
      'image',
      `is required for ${provider} with \`mode: promote\`: the exact image (name@sha256:…) the source app runs, deployed unchanged to \`promote-to\``,
    );
  }

  const releaseCommand = inputs.string('release-command') || undefined;
  const allowNoReleasePhase = inputs.boolean('allow-no-release-phase', false);
  if (provider === 'azure' && releaseCommand && !allowNoReleasePhase) {
    throw new InputError(
      'release-command',
      'Azure App Service has no release phase: the command would not run. Run it in its own step before the deploy ' +
        '(e.g. against the database from the runner), or set `allow-no-release-phase: true` to deploy without it; nothing was deployed',
    );
  }

  const config = inputs.env('config', true);
  if (Object.keys(config).length && mode === 'rollback') {
    throw new InputError('config', 'is not applied with `mode: rollback` (a rollback restores the release as it was)');
  }
  if (Object.keys(config).length && mode === 'promote' && provider !== 'heroku') {
    throw new InputError(
      'config',
      `is not applied with \`mode: promote\` on ${provider}; nothing was deployed. Deploy the same image to the ` +
        'target app with `mode: deploy` (config is applied there first), or set the variables on it beforehand',
    );
  }

  const gateOn = inputs.boolean('health-gate', true);
  let gate: HealthGateConfig | undefined;
  if (gateOn && (mode !== 'rollback' || inputs.list('url').length > 0)) {
    if (inputs.list('url').length === 0) {
      throw new InputError(
        'url',
        'is required: the health gate checks the released app (set `health-gate: false` to deploy without a gate)',
      );
    }
    gate = readGate(inputs);
  }
  let finalGate: HealthGateConfig | undefined;
  const productionUrls = inputs.list('production-url');
  if (productionUrls.length) {
    if (!azure?.slot) {
      throw new InputError('production-url', 'is the gate run on production after the slot swap: it needs `slot`');
    }
    if (mode === 'rollback') {
      throw new InputError(
        'production-url',
        'is not used with `mode: rollback` (the swap back is gated on `url`; set it to the production URL)',
      );
    }
    if (gateOn) finalGate = readGate(inputs, { url: productionUrls.join('\n') });
  }

  const timeoutMs = inputs.duration('timeout', '30m', { min: 100 });
  const idleTimeoutMs = inputs.duration('idle-timeout', '10m', { min: 50 });
  const pollIntervalMs = inputs.duration('poll-interval', '3s', { min: 10 });
  const pollMaxIntervalMs = Math.max(pollIntervalMs, inputs.duration('poll-max-interval', '20s', { min: 10 }));
  const requestTimeoutMs = inputs.duration('request-timeout', '30s', { min: 100 });

  const githubEnvironment = inputs.string('github-environment');
  let github: PaasConfig['github'];
  if (githubEnvironment) {
    if (!isEnvironmentName(githubEnvironment)) {
      throw new InputError('github-environment', `"${githubEnvironment}" is not an environment name`);
    }
    github = {
      ...readDeploymentInputs(inputs, env, 'with `github-environment`'),
      environment: githubEnvironment,
    };
  }

  const version = inputs.string('version', env.GITHUB_SHA ?? '') || undefined;

  return {
    provider,
    app,
    ...(environment ? { environment } : {}),
    token,
    apiUrl,
    mode,
    ...(image ? { image } : {}),
    ...(source ? { source } : {}),
    ...(version ? { version } : {}),
    ...(promoteTo ? { promoteTo } : {}),
    ...(slug ? { slug } : {}),
    ...(rollbackTo ? { rollbackTo } : {}),
    ...(releaseCommand ? { releaseCommand } : {}),
    allowNoReleasePhase,
    config,
    ...(gate ? { gate } : {}),
    rollbackOnFailure: inputs.boolean('rollback-on-failure', true),
    timeoutMs,
    idleTimeoutMs,
    pollIntervalMs,
    pollMaxIntervalMs,
    requestTimeoutMs,
    ...(github ? { github } : {}),
    ...(azure ? { azure } : {}),
    ...(finalGate ? { finalGate } : {}),
  };
}

const GUID_RE = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

function readAzure(inputs: Inputs, env: NodeJS.ProcessEnv, app: string): NonNullable<PaasConfig['azure']> {
  if (!/^[A-Za-z0-9][A-Za-z0-9-]{0,59}$/.test(app)) {
    throw new InputError('app', `"${app}" is not an App Service web app name (letters, digits and hyphens)`);
  }
  const guid = (name: string): string => {
    const v = inputs.string(name);
    if (!v) throw new InputError(name, 'is required for azure');
    if (!GUID_RE.test(v)) throw new InputError(name, `"${v}" is not a GUID`);
    return v;
  };
  const subscriptionId = guid('azure-subscription-id');
  const tenantId = guid('azure-tenant-id');
  const clientId = guid('azure-client-id');
  const resourceGroup = inputs.string('azure-resource-group');
  if (!resourceGroup)
    throw new InputError('azure-resource-group', "is required for azure (the web app's resource group)");
  if (!/^[-\w.()]{1,90}$/.test(resourceGroup) || resourceGroup.endsWith('.')) {
    throw new InputError('azure-resource-group', `"${resourceGroup}" is not a resource group name`);
  }
  const slot = inputs.string('slot') || undefined;
  if (slot && (!/^[A-Za-z0-9][A-Za-z0-9-]{0,58}$/.test(slot) || slot.toLowerCase() === 'production')) {
    throw new InputError(
      'slot',
      `"${slot}" is not a deployment slot name (the staging slot; production is the target)`,
    );
  }
  const loginUrl = inputs.string('azure-login-url', 'https://login.microsoftonline.com').replace(/\/+$/, '');
  let login: URL;
  try {
    login = new URL(loginUrl);
  } catch {
    throw new InputError('azure-login-url', `"${loginUrl}" is not a URL`);
  }
  const loopback = (u: URL): boolean => ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (login.protocol !== 'https:' && !(login.protocol === 'http:' && loopback(login))) {
    throw new InputError(
      'azure-login-url',
      `"${loginUrl}" must be https:// (plain http only for a loopback test peer)`,
    );
  }
  const clientSecret = inputs.secret('azure-client-secret') || undefined;
  let oidc: AzureCredentials['oidc'];
  if (!clientSecret) {
    const requestUrl = env.ACTIONS_ID_TOKEN_REQUEST_URL ?? '';
    const requestToken = env.ACTIONS_ID_TOKEN_REQUEST_TOKEN ?? '';
    if (!requestUrl || !requestToken) {
      throw new InputError(
        'azure-client-secret',
        'is not set and GitHub OIDC is not available (ACTIONS_ID_TOKEN_REQUEST_URL is unset): give the job ' +
          '`permissions: id-token: write` and a federated credential on the app registration, or pass a client secret',
      );
    }
    let u: URL;
    try {
      u = new URL(requestUrl);
    } catch {
      throw new InputError('azure-client-id', 'ACTIONS_ID_TOKEN_REQUEST_URL is not a URL');
    }
    if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback(u))) {
      throw new InputError('azure-client-id', 'ACTIONS_ID_TOKEN_REQUEST_URL must be https://');
    }
    oidc = { requestUrl, requestToken };
  }
  return {
    subscriptionId,
    tenantId,
    clientId,
    resourceGroup,
    loginUrl,
    ...(clientSecret ? { clientSecret } : {}),
    ...(oidc ? { oidc } : {}),
    ...(slot ? { slot } : {}),
  };
}
