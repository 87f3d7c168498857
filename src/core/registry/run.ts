import { RegistryClient } from './client.js';
import type { PromoteConfig } from './config.js';
import { promote, type PromoteResult } from './promote.js';

export interface PromoteRun {
  result: PromoteResult;
  clients: RegistryClient[];
}

/** Builds one client for the source and one per target registry, then promotes. */
export async function runPromote(
  cfg: PromoteConfig,
  opts: { log?: (line: string) => void; signal?: AbortSignal } = {},
): Promise<PromoteRun> {
  const make = (registry: string, credentials: PromoteConfig['sourceCredentials']): RegistryClient =>
    new RegistryClient({
      registry,
      insecureHttp: cfg.insecureHttp,
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
  const result = await promote({
    source: cfg.source,
    sourceClient,
    targets,
    noClobber: cfg.noClobber,
    ...(opts.log ? { log: opts.log } : {}),
  });
  return { result, clients: [sourceClient, ...targetClients.values()] };
}
