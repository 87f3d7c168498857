/** promote inputs → a validated configuration; nothing touches the network here. */
import { InputError, type Inputs } from '../../lib/inputs.js';
import type { Credentials } from '../../lib/oci/client.js';
import type { GitHubApi } from '../../lib/github/rest.js';
import { isEnvironmentName, readDeploymentInputs } from '../../lib/github/inputs.js';
import { formatRef, parseImageInput, type ImageRef } from '../../lib/oci/reference.js';

export interface PromoteConfig {
  source: ImageRef;
  targets: (ImageRef & { tag: string })[];
  sourceCredentials?: Credentials;
  targetCredentials?: Credentials;
  noClobber: boolean;
  insecureHttp: boolean;
  /** Refuse unless this environment has a successful deployment of the digest. */
  requireDeployment?: string;
  /** Record the promotion as a GitHub deployment in this environment. */
  environment?: string;
  /** Set when require-deployment or environment is used. */
  github?: GitHubApi & { ref: string; logUrl?: string };
}

function credentials(inputs: Inputs, userInput: string, passInput: string): Credentials | undefined {
  const username = inputs.string(userInput);
  const password = inputs.secret(passInput);
  if (!username && !password) return undefined;
  if (!username) throw new InputError(userInput, `is required when \`${passInput}\` is set`);
  if (!password) throw new InputError(passInput, `is required when \`${userInput}\` is set`);
  return { username, password };
}

export function readPromoteConfig(inputs: Inputs, env: NodeJS.ProcessEnv = process.env): PromoteConfig {
  const sourceText = inputs.required('source');
  const source = parseImageInput('source', sourceText);
  if (!source.digest && !source.tag) {
    throw new InputError('source', `"${sourceText}" needs a digest (name@sha256:…) or a tag (name:tag)`);
  }
  const targetTexts = inputs.list('target');
  if (targetTexts.length === 0) throw new InputError('target', 'is required (one or more name:tag)');
  const targets: (ImageRef & { tag: string })[] = [];
  const seen = new Set<string>();
  for (const t of targetTexts) {
    const ref = parseImageInput('target', t);
    if (ref.digest) throw new InputError('target', `"${t}": a target is name:tag, not a digest reference`);
    if (!ref.tag) throw new InputError('target', `"${t}" needs a tag (name:tag)`);
    const key = formatRef(ref);
    if (seen.has(key)) throw new InputError('target', `"${t}" is listed twice`);
    seen.add(key);
    targets.push(ref as ImageRef & { tag: string });
  }
  const sourceCredentials = credentials(inputs, 'username', 'password');
  const targetCredentials = credentials(inputs, 'target-username', 'target-password') ?? sourceCredentials;
  const requireDeployment = inputs.string('require-deployment');
  const environment = inputs.string('environment');
  for (const [name, value] of [
    ['require-deployment', requireDeployment],
    ['environment', environment],
  ] as const) {
    if (value && !isEnvironmentName(value)) throw new InputError(name, `"${value}" is not an environment name`);
  }
  const github =
    requireDeployment || environment
      ? readDeploymentInputs(inputs, env, requireDeployment ? 'with `require-deployment`' : 'with `environment`')
      : undefined;
  return {
    source,
    ...(requireDeployment ? { requireDeployment } : {}),
    ...(environment ? { environment } : {}),
    ...(github ? { github } : {}),
    targets,
    ...(sourceCredentials ? { sourceCredentials } : {}),
    ...(targetCredentials ? { targetCredentials } : {}),
    noClobber: inputs.boolean('no-clobber', false),
    insecureHttp: inputs.boolean('insecure-http', false),
  };
}
