/**
 * An Entra ID (Azure AD) access token for Azure Resource Manager, with the client-credentials grant: either a
 * client secret, or — preferred — a GitHub OIDC id token (requested from the runner with the audience
 * `api://AzureADTokenExchange`) sent as a federated `client_assertion`. Every request is bounded; the tokens
 * are masked the moment they exist and travel only in a header or a form body, never in a URL that is printed.
 */
import { ProviderError } from '../http.js';

export const AZURE_OIDC_AUDIENCE = 'api://AzureADTokenExchange';
/** The ARM scope: fixed (it names the resource, not the endpoint a test points `api-url` at). */
export const ARM_SCOPE = 'https://management.azure.com/.default';

export interface AzureCredentials {
  tenantId: string;
  clientId: string;
  /** The Entra ID authority base, e.g. https://login.microsoftonline.com. */
  loginUrl: string;
  clientSecret?: string;
  /** The runner's OIDC request endpoint (ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN). */
  oidc?: { requestUrl: string; requestToken: string };
}

export interface AzureAuthDeps {
  requestTimeoutMs: number;
  signal: AbortSignal;
  /** Masks a value from now on (the action's redactor and the runner's add-mask). */
  addSecret: (value: string) => void;
}

async function bounded(
  url: string,
  init: RequestInit,
  deps: AzureAuthDeps,
): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, {
    ...init,
    signal: AbortSignal.any([deps.signal, AbortSignal.timeout(deps.requestTimeoutMs)]),
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    /* not JSON: keep the text */
  }
  return { status: res.status, body };
}

function entraText(body: unknown): string {
  if (body && typeof body === 'object') {
    const b = body as { error?: unknown; error_description?: unknown };
    const desc = typeof b.error_description === 'string' ? b.error_description.split('\n')[0]! : '';
    return [typeof b.error === 'string' ? b.error : '', desc].filter(Boolean).join(': ').slice(0, 300);
  }
  return String(body ?? '').slice(0, 200);
}

/** Asks the runner for a GitHub OIDC id token for Entra ID's token exchange. */
export async function githubOidcToken(
  oidc: NonNullable<AzureCredentials['oidc']>,
  deps: AzureAuthDeps,
): Promise<string> {
  const url = new URL(oidc.requestUrl);
  url.searchParams.set('audience', AZURE_OIDC_AUDIENCE);
  let r;
  try {
    r = await bounded(
      url.toString(),
      { headers: { authorization: `Bearer ${oidc.requestToken}`, accept: 'application/json' } },
      deps,
    );
  } catch (e) {
    if (deps.signal.aborted) throw e;
    throw new ProviderError(
      `could not reach the runner's OIDC endpoint (ACTIONS_ID_TOKEN_REQUEST_URL): ${(e as Error).message}`,
    );
  }
  const value = (r.body as { value?: unknown } | undefined)?.value;
  if (r.status !== 200 || typeof value !== 'string' || !value) {
    throw new ProviderError(
      `the runner's OIDC endpoint returned ${r.status} and no id token. Give the job \`permissions: id-token: write\`, ` +
        'or pass `azure-client-secret` instead.',
      r.status,
    );
  }
  deps.addSecret(value);
  return value;
}

/** Entra ID client-credentials grant → an ARM access token (masked). */
export async function azureAccessToken(cred: AzureCredentials, deps: AzureAuthDeps): Promise<string> {
  const form = new URLSearchParams({
    grant_type: 'client_credentials',
    client_id: cred.clientId,
    scope: ARM_SCOPE,
  });
  let how: string;
  if (cred.clientSecret) {
    form.set('client_secret', cred.clientSecret);
    how = '`azure-client-secret`';
  } else if (cred.oidc) {
    form.set('client_assertion_type', 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
    form.set('client_assertion', await githubOidcToken(cred.oidc, deps));
    how = 'GitHub OIDC (a federated credential on the app registration)';
  } else {
    throw new ProviderError(
      'no Azure credential: set `azure-client-secret` or give the job `permissions: id-token: write`',
    );
  }
  const url = `${cred.loginUrl.replace(/\/+$/, '')}/${encodeURIComponent(cred.tenantId)}/oauth2/v2.0/token`;
  let r;
  try {
    r = await bounded(
      url,
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: form.toString(),
      },
      deps,
    );
  } catch (e) {
    if (deps.signal.aborted) throw e;
    throw new ProviderError(
      `Entra ID token endpoint failed: ${(e as Error).message} (is \`azure-login-url\` reachable?)`,
    );
  }
  const body = r.body as { access_token?: unknown } | undefined;
  if (r.status === 200 && typeof body?.access_token === 'string' && body.access_token) {
    deps.addSecret(body.access_token);
    return body.access_token;
  }
  const said = entraText(r.body);
  const fix =
    r.status === 401 || /invalid_client|AADSTS7000215|AADSTS700213|AADSTS70021/.test(said)
      ? `Entra ID refused ${how} for \`azure-client-id\` ${cred.clientId}: check the client secret (not expired), or that the app registration has a federated credential whose subject matches this repository, branch or environment`
      : /AADSTS90002|tenant/i.test(said)
        ? `check \`azure-tenant-id\` (${cred.tenantId}): Entra ID does not know that tenant`
        : /AADSTS700016|not found in the directory/i.test(said)
          ? `check \`azure-client-id\` (${cred.clientId}): no such application in tenant ${cred.tenantId}`
          : 'check `azure-tenant-id`, `azure-client-id` and the credential';
  throw new ProviderError(`Entra ID token request returned ${r.status}${said ? ` (${said})` : ''}. ${fix}.`, r.status);
}
