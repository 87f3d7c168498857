import type { RunContext } from '../../lib/context.js';
import { describeFailure, runChecked, succeeded, type Executor } from '../../lib/exec/types.js';
import { sleep } from '../../lib/retry.js';
import { TIMEOUTS } from '../../lib/timeouts.js';
import {
  containersCommand,
  httpProbeCommand,
  inNetworkUrl,
  inspectCommand,
  nginxWorkers,
  parseTop,
  PROBE_NO_CLIENT,
  topCommand,
  logsCommand,
  parseInspect,
  probeCommand,
  proxyReloadCommand,
  recreateCommand,
  removeCommand,
  scaleUpCommand,
  stopCommand,
  compose,
  type ContainerState,
  type Project,
} from './builders.js';
import type { Strategy } from './config.js';
import type { ServiceInfo } from './plan.js';

export interface SwapSettings {
  projectName: string;
  strategy: Strategy;
  proxyService?: string;
  proxyReload: string[];
  probeCommand: string[];
  /**
   * The in-network HTTP probe for containers with no Docker healthcheck: GET http://<new container's address
   * on a shared network>:<port><path>, sent from a running container of service `from` (the proxy by default).
   */
  httpProbe?: HttpProbe;
  healthyTimeoutMs: number;
  drainTimeoutMs: number;
  /**
   * The upper bound of the wait for the proxy to apply a reload before the old containers get SIGTERM (a
   * reload signal returns before the new workers run). nginx: until its workers are all new (checked with
   * `docker top`), failing the swap when that takes longer; another proxy: this long.
   */
  proxySettleMs: number;
}

export interface HttpProbe {
  path: string;
  port: number;
  /** The service whose running container sends the request. */
  from: string;
}

export interface SwapReport {
  service: string;
  strategy: Strategy;
  /** Containers that served before (removed after draining). */
  old: string[];
  /** Containers of the new image now serving. */
  new: string[];
  /** ms from the start of the swap until every new container was healthy. */
  healthyMs: number;
  /** ms the old containers took to finish their requests and stop. */
  drainMs: number;
  /** ms from the reload until the proxy ran with the new containers (nginx: its workers all new). */
  proxyMs: number;
  totalMs: number;
  proxyReloads: number;
}

/** The swap could not complete on this host; `changed` says whether anything that serves was touched. */
export class SwapError extends Error {
  constructor(
    message: string,
    readonly changed: boolean,
  ) {
    super(message);
    this.name = 'SwapError';
  }
}

const short = (id: string): string => id.slice(0, 12);

async function ids(exec: Executor, project: string, service: string, ctx: RunContext, all = false): Promise<string[]> {
  const r = await runChecked(exec, containersCommand(project, service, all), {
    timeoutMs: TIMEOUTS.housekeepingMs,
    signal: ctx.signal,
  });
  return r.stdout
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

async function inspect(exec: Executor, list: string[], ctx: RunContext): Promise<ContainerState[]> {
  if (list.length === 0) return [];
  const r = await runChecked(exec, inspectCommand(list), { timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal });
  return parseInspect(r.stdout);
}

/**
 * Waits until every container is healthy: its Docker healthcheck says `healthy`, or (no healthcheck) the
 * probe command exits 0 inside it. Fails at once when one exits or turns unhealthy; bounded by `timeoutMs`.
 */
export async function waitHealthy(
  exec: Executor,
  list: string[],
  s: Pick<SwapSettings, 'probeCommand' | 'healthyTimeoutMs' | 'httpProbe' | 'projectName'>,
  ctx: RunContext,
): Promise<void> {
  const deadline = Date.now() + s.healthyTimeoutMs;
  const pending = new Set(list);
  let from: ContainerState | undefined;
  for (let round = 0; ; round++) {
    for (const c of await inspect(exec, [...pending], ctx)) {
      if (c.status === 'exited' || c.status === 'dead')
        throw new Error(
          `new container ${c.name.replace(/^\//, '')} exited (code ${c.exitCode}) before it was healthy${await tail(exec, c.id)}`,
        );
      if (c.health === 'unhealthy')
        throw new Error(
          `new container ${c.name.replace(/^\//, '')} is unhealthy (its Docker healthcheck failed)${await tail(exec, c.id)}`,
        );
      if (c.health === 'healthy') pending.delete(c.id);
      else if (c.health === '' && c.status === 'running') {
        if (s.httpProbe) {
          from ??= await probeFrom(exec, s.projectName, s.httpProbe, ctx);
          const url = await httpProbe(exec, c, from, s.httpProbe, ctx);
          if (url) {
            pending.delete(c.id);
            ctx.log(
              `new container ${c.name.replace(/^\//, '')} answered ${url} (HTTP probe from ${from.name.replace(/^\//, '')})`,
            );
          }
        } else if (s.probeCommand.length > 0) {
          const r = await exec.run(probeCommand(c.id, s.probeCommand), {
            timeoutMs: TIMEOUTS.toolQueryMs,
            signal: ctx.signal,
          });
          if (succeeded(r)) pending.delete(c.id);
        } else {
          throw new Error(
            `new container ${c.name.replace(/^\//, '')} has no Docker healthcheck and neither probe-path nor probe-command is set: nothing can tell that it is ready. Add a healthcheck to the service (compose file or image), or set probe-path and probe-port (an HTTP probe from inside the project network), or probe-command`,
          );
        }
      }
    }
    if (pending.size === 0) return;
    if (ctx.signal.aborted) throw new Error('cancelled while waiting for the new containers');
    if (Date.now() > deadline) {
      const last = [...pending][0]!;
      throw new Error(
        `new container ${short(last)} was not healthy within healthy-timeout (${Math.round(s.healthyTimeoutMs / 1000)} s)${await tail(exec, last)}`,
      );
    }
    // Docker runs a healthcheck every `interval` (often 1-5 s): a short poll sees its result soon after.
    await sleep(Math.min(200 + round * 20, 500), ctx.signal).catch(() => undefined);
  }
}

/** The running container of the probe's `from` service (the first one), with its networks. */
async function probeFrom(exec: Executor, project: string, p: HttpProbe, ctx: RunContext): Promise<ContainerState> {
  const [first] = await ids(exec, project, p.from, ctx);
  const [c] = first ? await inspect(exec, [first], ctx) : [];
  if (!c)
    throw new Error(
      `probe-from: service ${p.from} has no running container to send the HTTP probe from; start it, or set probe-from to a running service on the same network`,
    );
  return c;
}

/** One in-network HTTP probe of `c` from `from`: its URL when it answered below 400, else ''. Throws when it cannot be run at all. */
async function httpProbe(
  exec: Executor,
  c: ContainerState,
  from: ContainerState,
  p: HttpProbe,
  ctx: RunContext,
): Promise<string> {
  const url = inNetworkUrl(c, from, p.port, p.path);
  if (!url)
    throw new Error(
      `new container ${c.name.replace(/^\//, '')} shares no network with ${from.name.replace(/^\//, '')} (service ${p.from}), so the HTTP probe cannot reach it; set probe-from to a service on the app's network`,
    );
  // The client's own limit inside, the exec's outside (a hung `docker exec` is bounded too).
  const r = await exec.run(httpProbeCommand(from.id, url, TIMEOUTS.probeMs / 2000), {
    timeoutMs: TIMEOUTS.probeMs,
    signal: ctx.signal,
  });
  if (r.end === 'exit' && r.code === PROBE_NO_CLIENT && /deploy-kit probe: no curl/.test(r.stderr))
    throw new Error(
      `the HTTP probe needs sh and curl, wget or python in a container of ${p.from}, which has none: set probe-from to a service that has one (or use probe-command)`,
    );
  return succeeded(r) ? url : '';
}

async function tail(exec: Executor, id: string): Promise<string> {
  const r = await exec.run(logsCommand(id), { timeoutMs: TIMEOUTS.toolQueryMs });
  const text = `${r.stdout}${r.stderr}`.trim().split('\n').slice(-15).join('\n');
  return text ? `; its last log lines:\n${text}` : '';
}

async function workersOf(exec: Executor, id: string, ctx: RunContext): Promise<string[]> {
  const r = await exec.run(topCommand(id), { timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal });
  return succeeded(r) ? nginxWorkers(parseTop(r.stdout)) : [];
}

/**
 * Reloads every proxy container. With `settle`, returns only when each one runs with its new configuration:
 * for nginx, when every worker that takes connections was started by this reload (`docker top`; the old ones
 * are then finishing their requests, accepting none), polled every 50 ms up to proxy-settle, and a proxy that
 * does not get there fails the swap (its old workers know only the old containers); for another proxy,
 * after proxy-settle.
 */
async function reloadProxies(
  exec: Executor,
  s: SwapSettings,
  ctx: RunContext,
  settle = false,
): Promise<{ count: number; ms: number }> {
  if (!s.proxyService) return { count: 0, ms: 0 };
  const proxies = await ids(exec, s.projectName, s.proxyService, ctx);
  if (proxies.length === 0) {
    ctx.warn(`proxy service ${s.proxyService} has no running container: nothing was reloaded`, 'compose-deploy');
    return { count: 0, ms: 0 };
  }
  const before = new Map<string, string[]>();
  if (settle) for (const p of proxies) before.set(p, await workersOf(exec, p, ctx));
  const started = Date.now();
  for (const p of proxies)
    await runChecked(exec, proxyReloadCommand(p, s.proxyReload), {
      timeoutMs: TIMEOUTS.housekeepingMs,
      signal: ctx.signal,
    });
  if (!settle || s.proxySettleMs === 0) return { count: proxies.length, ms: 0 };
  const deadline = started + s.proxySettleMs;
  let waitFixed = false;
  for (const p of proxies) {
    const old = before.get(p)!;
    if (old.length === 0) {
      waitFixed = true; // not nginx (no worker processes to watch): the fixed wait
      continue;
    }
    for (let n = 0; ; n++) {
      const now = await workersOf(exec, p, ctx);
      if (now.length > 0 && now.every((w) => !old.includes(w))) break;
      if (Date.now() > deadline || ctx.signal.aborted)
        throw new SwapError(
          `proxy ${short(p)} (${s.proxyService}) did not apply the reload within proxy-settle (${s.proxySettleMs} ms): its workers are still the ones from before, which know only the old containers. Check its configuration (e.g. \`nginx -t\` in the container) or raise proxy-settle; the old containers keep serving`,
          false,
        );
      await sleep(50, ctx.signal).catch(() => undefined);
    }
  }
  if (waitFixed) await sleep(Math.max(0, deadline - Date.now()), ctx.signal).catch(() => undefined);
  return { count: proxies.length, ms: Date.now() - started };
}

/** Removes containers (stopping them first, draining up to drain-timeout); reports but does not throw. */
async function discard(exec: Executor, list: string[], s: SwapSettings, ctx: RunContext): Promise<void> {
  if (list.length === 0) return;
  const stop = await exec.run(stopCommand(list, Math.ceil(s.drainTimeoutMs / 1000)), {
    timeoutMs: s.drainTimeoutMs + TIMEOUTS.housekeepingMs,
  });
  if (!succeeded(stop)) ctx.warn(describeFailure('docker stop', exec.target, stop), 'compose-deploy');
  const rm = await exec.run(removeCommand(list), { timeoutMs: TIMEOUTS.housekeepingMs });
  if (!succeeded(rm)) ctx.warn(describeFailure('docker rm', exec.target, rm), 'compose-deploy');
}

/**
 * Puts `image` in service `svc` on this host.
 *
 * rolling (start-first): one new container per old one starts beside them (`up --no-recreate --scale`); when
 * every new one is healthy the proxy is reloaded (it now reaches old and new), the old ones get SIGTERM and
 * up to drain-timeout to finish their requests, the proxy is reloaded again (new only), the old ones are
 * removed. A new container that does not become healthy is removed and the old ones keep serving.
 *
 * recreate: `up --force-recreate` (stop, then start: a gap in service), then the same health wait.
 */
export async function swapService(
  exec: Executor,
  project: Project,
  svc: ServiceInfo,
  image: string,
  s: SwapSettings,
  ctx: RunContext,
): Promise<SwapReport> {
  const started = Date.now();
  const report: SwapReport = {
    service: svc.name,
    strategy: s.strategy,
    old: [],
    new: [],
    healthyMs: 0,
    drainMs: 0,
    proxyMs: 0,
    totalMs: 0,
    proxyReloads: 0,
  };
  const upOpts = { timeoutMs: TIMEOUTS.remoteStepMs * 5, signal: ctx.signal };
  const old = await ids(exec, s.projectName, svc.name, ctx);
  report.old = old;
  // Stopped leftovers of the service would be restarted by --scale instead of new containers: remove them.
  const leftovers = (await ids(exec, s.projectName, svc.name, ctx, true)).filter((i) => !old.includes(i));
  if (leftovers.length) {
    ctx.log(`removing ${leftovers.length} stopped container(s) of ${svc.name} left from before`);
    await runChecked(exec, removeCommand(leftovers), { timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal });
  }

  if (s.strategy === 'recreate' || old.length === 0) {
    ctx.log(old.length ? `recreating ${svc.name} (strategy: recreate)` : `starting ${svc.name} (no container ran)`);
    await runChecked(
      exec,
      old.length
        ? recreateCommand(project, [svc.name], image)
        : compose(project, ['up', '-d', '--no-deps', '--no-build', svc.name], image),
      upOpts,
    ).catch((e: Error) => {
      throw new SwapError(e.message, true);
    });
    report.new = await ids(exec, s.projectName, svc.name, ctx, true);
    try {
      await waitHealthy(exec, report.new, s, ctx);
    } catch (e) {
      throw new SwapError((e as Error).message, true);
    }
    report.healthyMs = Date.now() - started;
    report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
    report.totalMs = Date.now() - started;
    return report;
  }

  ctx.log(`starting ${old.length} new ${svc.name} container(s) beside ${old.map(short).join(', ')}`);
  const up = await exec.run(scaleUpCommand(project, svc.name, old.length * 2, image), upOpts);
  const now = await ids(exec, s.projectName, svc.name, ctx, true);
  report.new = now.filter((i) => !old.includes(i));
  if (!succeeded(up) || report.new.length === 0) {
    await discard(exec, report.new, s, ctx);
    throw new SwapError(
      `${describeFailure('compose up --scale', exec.target, up)}${report.new.length === 0 && succeeded(up) ? ' (no new container appeared)' : ''}; the old containers keep serving`,
      false,
    );
  }
  try {
    await waitHealthy(exec, report.new, s, ctx);
  } catch (e) {
    ctx.log(`removing the new container(s) ${report.new.map(short).join(', ')}; the old ones keep serving`);
    await discard(exec, report.new, { ...s, drainTimeoutMs: 0 }, ctx);
    throw new SwapError(`${(e as Error).message}\nNothing changed: the old containers keep serving.`, false);
  }
  report.healthyMs = Date.now() - started;
  ctx.log(`new ${svc.name} healthy after ${report.healthyMs} ms: ${report.new.map(short).join(', ')}`);
  // The proxy now reaches old and new; then the old drain (SIGTERM: finish in-flight, accept nothing new).
  // `nginx -s reload` returns when the signal is sent: the old workers (which know only the old containers)
  // take requests until the new ones run, so the old containers stop only once the proxy runs its new workers.
  try {
    const reloaded = await reloadProxies(exec, s, ctx, true);
    report.proxyReloads += reloaded.count;
    report.proxyMs = reloaded.ms;
  } catch (e) {
    if (!(e instanceof SwapError)) throw e;
    ctx.log(`removing the new container(s) ${report.new.map(short).join(', ')}; the old ones keep serving`);
    await discard(exec, report.new, s, ctx);
    report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
    throw e;
  }
  const drainStarted = Date.now();
  const stop = await exec.run(stopCommand(old, Math.ceil(s.drainTimeoutMs / 1000)), {
    timeoutMs: s.drainTimeoutMs + TIMEOUTS.housekeepingMs,
    signal: ctx.signal,
  });
  report.drainMs = Date.now() - drainStarted;
  // Whatever the stop said, the proxy must stop sending to the old ones.
  report.proxyReloads += (await reloadProxies(exec, s, ctx)).count;
  if (!succeeded(stop)) throw new SwapError(describeFailure('docker stop (old containers)', exec.target, stop), true);
  await runChecked(exec, removeCommand(old), { timeoutMs: TIMEOUTS.housekeepingMs, signal: ctx.signal });
  report.totalMs = Date.now() - started;
  ctx.log(
    `${svc.name}: proxy on the new container(s) after ${report.proxyMs} ms; old container(s) drained in ${report.drainMs} ms and removed; swap took ${report.totalMs} ms`,
  );
  return report;
}
