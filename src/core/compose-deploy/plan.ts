import { parse } from 'yaml';
import type { Strategy } from './config.js';

/** What the resolved compose configuration says about the services a deploy updates. */
export interface ServiceInfo {
  name: string;
  image: string;
  hasHealthcheck: boolean;
  containerName?: string;
  /** Host ports the service publishes (a second container could not bind them). */
  fixedPorts: string[];
}

export interface ComposeInfo {
  services: Record<string, ServiceInfo>;
}

function publishedPorts(ports: unknown): string[] {
  if (!Array.isArray(ports)) return [];
  const out: string[] = [];
  for (const p of ports) {
    if (typeof p === 'string' || typeof p === 'number') {
      // v1 prints "[ip:]published:target[/proto]"; a bare "target" publishes on a random port (no clash).
      const parts = String(p)
        .replace(/\/\w+$/, '')
        .split(':');
      if (parts.length >= 2 && parts[parts.length - 2] !== '') out.push(String(p));
    } else if (p && typeof p === 'object') {
      const o = p as Record<string, unknown>;
      if (o.published !== undefined && o.published !== '' && o.published !== null)
        out.push(
          `${(o.host_ip as string | undefined) ?? ''}${o.host_ip ? ':' : ''}${String(o.published)}:${String(o.target)}`,
        );
    }
  }
  return out;
}

/** Parses `compose config` output (v1 and v2 shapes). */
export function parseComposeConfig(text: string): ComposeInfo {
  const doc = parse(text) as { services?: Record<string, Record<string, unknown>> } | null;
  const services: Record<string, ServiceInfo> = {};
  for (const [name, s] of Object.entries(doc?.services ?? {})) {
    const hc = s.healthcheck as { test?: unknown; disable?: boolean } | undefined;
    const test = hc?.test;
    const disabled = !hc || hc.disable === true || (Array.isArray(test) && test[0] === 'NONE');
    services[name] = {
      name,
      image: typeof s.image === 'string' ? s.image : '',
      hasHealthcheck: !disabled,
      ...(typeof s.container_name === 'string' ? { containerName: s.container_name } : {}),
      fixedPorts: publishedPorts(s.ports),
    };
  }
  return { services };
}

/**
 * The services to update: those named, or every service whose image is the deployed image (the compose file
 * says `image: ${APP_IMAGE}`). Throws, naming the fix, when a start-first swap is impossible.
 */
export function planServices(
  info: ComposeInfo,
  image: string,
  named: string[],
  strategy: Strategy,
  variable: string,
): ServiceInfo[] {
  const all = Object.values(info.services);
  let chosen: ServiceInfo[];
  if (named.length) {
    chosen = named.map((n) => {
      const s = info.services[n];
      if (!s)
        throw new Error(
          `input \`services\`: the compose project has no service "${n}" (it has ${Object.keys(info.services).join(', ')})`,
        );
      return s;
    });
  } else {
    chosen = all.filter((s) => s.image === image);
    if (chosen.length === 0)
      throw new Error(
        `no service of the compose project uses the image variable: set \`image: \${${variable}}\` on the app's services in the compose file (or name them in \`services\`)`,
      );
  }
  const notUsing = chosen.filter((s) => s.image !== image);
  if (notUsing.length)
    throw new Error(
      `service ${notUsing.map((s) => s.name).join(', ')} does not take its image from \${${variable}} (it has "${notUsing[0]!.image}"); set \`image: \${${variable}}\` in the compose file`,
    );
  if (strategy === 'rolling') {
    for (const s of chosen) {
      if (s.containerName)
        throw new Error(
          `service ${s.name} sets container_name "${s.containerName}": a second container cannot start beside it, so a zero-downtime swap is impossible. Remove container_name (reach it by service name), or set strategy: recreate (a gap in service)`,
        );
      if (s.fixedPorts.length)
        throw new Error(
          `service ${s.name} publishes fixed host port(s) ${s.fixedPorts.join(', ')}: a second container cannot bind them, so a zero-downtime swap is impossible. Publish the proxy's ports instead and let it reach ${s.name} by service name (proxy-service), or set strategy: recreate (a gap in service)`,
        );
    }
  }
  return chosen;
}
