import { RegistryClient } from '../../lib/oci/client.js';
import type { PromoteConfig } from './config.js';
import {
  createDeployment,
  findSuccessfulDeployment,
  setDeploymentStatus,
  type RequiredDeployment,
} from '../../lib/github/deployments.js';
import { promote, type PromoteResult } from './promote.js';
import { formatRef } from '../../lib/oci/reference.js';

export interface PromoteRun {
  result: PromoteResult;
  clients: RegistryClient[];
  /** The deployment that satisfied require-deployment. */
  required?: RequiredDeployment;
  /** The deployment recorded for `environment`. */
  deploymentId?: number;
}

/** Builds one client for the source and one per target registry, then promotes. */
export async function runPromote(
  cfg: PromoteConfig,
  opts: { log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<PromoteRun> {
  const log = opts.log ?? (() => undefined);
  const make = (registry: string, credentials: PromoteConfig['sourceCredentials']): RegistryClient =>
    new RegistryClient({
      registry,
      insecureHttp: cfg.insecureHttp,
      log,
      ...(credentials ? { credentials } : {}),
      ...(opts.signal ? { signal: opts.signal } : {}),
    });
  const sourceClient = make(cfg.source.registry, cfg.sourceCredentials);
  const targetClients = new Map<string, RegistryClient>();
  const targets = cfg.targets.map((ref) => {
    let client = targetClients.get(ref.registry);
    if (!client) {
      client = make(ref.registry, cfg.targetCredentials);
      targetClients.set(ref.registry, client);
    }
    return { ref, client };
  });
  const gh = cfg.github ? { ...cfg.github, ...(opts.signal ? { signal: opts.signal } : {}) } : undefined;
  let required: RequiredDeployment | undefined;
  let deploymentId: number | undefined;
  const beforeWrite = async (digest: string): Promise<void> => {
    if (gh && cfg.requireDeployment) {
      const search = await findSuccessfulDeployment(gh, cfg.requireDeployment, digest);
      if (!search.found) {
        throw new Error(
          `require-deployment: no successful deployment of ${digest} in environment "${cfg.requireDeployment}"` +
            (search.others.length ? `; found ${search.others.join(', ')}` : '') +
            ' (deploy and gate this digest there first, or remove `require-deployment`)',
        );
      }
      required = search.found;
      log(`require-deployment: deployment #${required.id} of ${digest} in "${cfg.requireDeployment}" succeeded`);
    }
    if (gh && cfg.environment) {
      deploymentId = await createDeployment(gh, {
        ref: gh.ref,
        environment: cfg.environment,
        payload: {
          digest,
          source: formatRef({ ...cfg.source, digest }),
          targets: cfg.targets.map((t) => formatRef(t)),
        },
        description: `promote ${digest.slice(0, 19)} to ${cfg.targets.length} target(s)`,
      });
      await setDeploymentStatus(gh, deploymentId, 'in_progress', 'promoting', gh.logUrl);
      log(`recorded deployment #${deploymentId} in "${cfg.environment}"`);
    }
  };
  let result: PromoteResult;
  try {
    result = await promote({ source: cfg.source, sourceClient, targets, noClobber: cfg.noClobber, log, beforeWrite });
  } catch (e) {
    if (gh && deploymentId !== undefined) {
      await setDeploymentStatus(gh, deploymentId, 'failure', (e as Error).message, gh.logUrl).catch((err: unknown) =>
        log(`could not mark deployment #${deploymentId} failed: ${(err as Error).message}`),
      );
    }
    throw e;
  }
  if (gh && deploymentId !== undefined) {
    await setDeploymentStatus(gh, deploymentId, 'success', `promoted ${result.digest.slice(0, 19)}`, gh.logUrl);
  }
  return {
    result,
    clients: [sourceClient, ...targetClients.values()],
    ...(required ? { required } : {}),
    ...(deploymentId !== undefined ? { deploymentId } : {}),
  };
}
