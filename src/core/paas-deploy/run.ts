/**
 * One paas-deploy run: (config vars →) deploy / promote / rollback through the provider → health gate →
 * rollback on a failed gate → read back what is live. Every outcome is read from the provider, never
 * assumed; a wait cut short (cancel, timeout) still reads back what serves before it reports.
 */
import { TIMEOUTS } from '../../lib/timeouts.js';
import type { RunContext } from '../../lib/context.js';
import type { HealthGateConfig } from '../health-gate/config.js';
import type { GateEvents } from '../health-gate/gate.js';
import { runHealthGate, type HealthGateReport } from '../health-gate/run.js';
import { createDeployment, setDeploymentStatus } from '../../lib/github/deployments.js';
import type { PaasConfig } from './config.js';
import { ProviderError, WaitError, type WaitTiming } from './http.js';
import type { DeployRequest, Outcome, Provider, ReleaseInfo } from './provider.js';
import { AzureProvider } from './providers/azure.js';
import { digitaloceanClient, DigitalOceanProvider } from './providers/digitalocean.js';
import { herokuClient, HerokuProvider } from './providers/heroku.js';
import { railwayClient, RailwayProvider } from './providers/railway.js';
import { renderClient, RenderProvider } from './providers/render.js';

export type PaasStatus = 'ok' | 'rolled-back' | 'failed';

export interface PaasStep {
  step: string;
  result: string;
  detail: string;
}

export interface PaasResult {
  status: PaasStatus;
  /** The app acted on (the `promote-to` app for a promotion). */
  app: string;
  /** What this run released (also when it failed). */
  release?: ReleaseInfo;
  /** What served before the run. */
  previous?: ReleaseInfo;
  /** What serves at the end, read back from the provider. */
  live?: ReleaseInfo;
  providerStatus: string;
  releaseOutput: string[];
  url?: string;
  gate?: HealthGateReport;
  /** Why the run did not end ok (one paragraph; names the fix where there is one). */
  failure?: string;
  githubDeploymentId?: number;
  steps: PaasStep[];
}

export interface PaasDeps {
  ctx: RunContext;
  gateEvents?: GateEvents;
  /** How long to wait for a log stream to close after its job ended (tests shorten it). */
  drainMs?: number;
  /** Masks a credential obtained during the run (Azure's access token and OIDC id token). */
  addSecret?: (value: string) => void;
}

/** Builds the provider for a config, with its API client bound to `signal`. */
export function makeProvider(
  cfg: PaasConfig,
  ctx: RunContext,
  timing: () => WaitTiming,
  drainMs: number,
  addSecret: (value: string) => void = () => undefined,
): Provider {
  const base = {
    baseUrl: cfg.apiUrl,
    token: cfg.token,
    requestTimeoutMs: cfg.requestTimeoutMs,
    signal: ctx.signal,
  };
  const deps = {
    ctx,
    timing,
    requestTimeoutMs: cfg.requestTimeoutMs,
    drainMs,
    ...(cfg.environment ? { environment: cfg.environment } : {}),
  };
  switch (cfg.provider) {
    case 'heroku':
      return new HerokuProvider({ ...deps, api: herokuClient({ ...base, app: cfg.app }) });
    case 'render':
      return new RenderProvider({ ...deps, api: renderClient({ ...base, app: cfg.app }) });
    case 'digitalocean':
      return new DigitalOceanProvider({ ...deps, api: digitaloceanClient({ ...base, app: cfg.app }) });
    case 'railway':
      return new RailwayProvider({ ...deps, api: railwayClient({ ...base, app: cfg.app }) });
    case 'azure': {
      if (!cfg.azure) throw new ProviderError('azure needs its azure-* inputs');
      const { subscriptionId, resourceGroup, slot, ...credentials } = cfg.azure;
      return new AzureProvider({
        ctx,
        timing,
        requestTimeoutMs: cfg.requestTimeoutMs,
        armUrl: cfg.apiUrl,
        credentials,
        target: { subscriptionId, resourceGroup, ...(slot ? { slot } : {}) },
        addSecret,
      });
    }
    default:
      throw new ProviderError(`provider ${cfg.provider} is not supported by this version`);
  }
}

export function describe(r: ReleaseInfo | undefined): string {
  if (!r) return 'nothing (no release)';
  return `${r.label}${r.label !== r.id ? ` (${r.id})` : ''}${r.artifact ? `, ${r.artifact}` : ''}`;
}

function sameArtifact(a: ReleaseInfo | undefined, b: ReleaseInfo | undefined): boolean {
  return !!a && !!b && (a.id === b.id || (!!a.artifact && a.artifact === b.artifact));
}

export async function runPaasDeploy(cfg: PaasConfig, deps: PaasDeps): Promise<PaasResult> {
  const { ctx } = deps;
  const started = Date.now();
  const deadline = started + cfg.timeoutMs;
  const timing = (): WaitTiming => ({
    intervalMs: cfg.pollIntervalMs,
    maxIntervalMs: cfg.pollMaxIntervalMs,
    deadline,
    idleMs: cfg.idleTimeoutMs,
  });
  const drainMs = deps.drainMs ?? 5_000;
  const addSecret = deps.addSecret ?? ((): void => undefined);
  const provider = makeProvider(cfg, ctx, timing, drainMs, addSecret);
  /** Azure slots: the deploy/promotion lands in a staging slot; production changes only at the swap. */
  const staging = cfg.mode !== 'rollback' ? provider.staging : undefined;
  const app = cfg.mode === 'promote' ? cfg.promoteTo! : cfg.app;
  const steps: PaasStep[] = [];
  const result: PaasResult = { status: 'failed', app, providerStatus: '', releaseOutput: [], steps };
  const req: DeployRequest = {
    ...(cfg.image ? { image: cfg.image } : {}),
    ...(cfg.source ? { source: cfg.source } : {}),
    ...(cfg.version ? { version: cfg.version } : {}),
    ...(cfg.releaseCommand ? { releaseCommand: cfg.releaseCommand } : {}),
    ...(cfg.slug ? { slug: cfg.slug } : {}),
  };

  const gh = cfg.github ? { ...cfg.github, signal: ctx.signal } : undefined;
  if (gh) {
    result.githubDeploymentId = await createDeployment(gh, {
      ref: gh.ref,
      environment: gh.environment,
      payload: {
        provider: cfg.provider,
        app,
        mode: cfg.mode,
        ...(cfg.image ? { digest: cfg.image.split('@')[1] } : {}),
        ...(cfg.slug ? { slug: cfg.slug } : {}),
      },
      description: `paas-deploy ${cfg.mode} to ${cfg.provider} ${app}`,
    });
    await setDeploymentStatus(gh, result.githubDeploymentId, 'in_progress', `${cfg.mode} running`, gh.logUrl);
    ctx.log(`recorded GitHub deployment #${result.githubDeploymentId} in "${gh.environment}"`);
  }

  const finishOutcome = (o: Outcome, step: string): boolean => {
    result.providerStatus = o.providerStatus;
    if (o.output.length) result.releaseOutput = o.output;
    if (o.release) result.release = o.release;
    steps.push({
      step,
      result: o.kind,
      detail: o.kind === 'ok' ? describe(o.release) : (o.message ?? o.providerStatus),
    });
    if (o.kind !== 'ok') {
      result.failure =
        `${o.message ?? o.kind} (${cfg.provider} state: ${o.providerStatus})` +
        (o.output.length ? `\nlast lines:\n${o.output.slice(-10).join('\n')}` : '');
    }
    return o.kind === 'ok';
  };

  /** Reads what serves now with a short budget of its own (the job's signal may already be aborted). */
  const readBack = async (): Promise<ReleaseInfo | undefined> => {
    const own = new AbortController();
    const timer = setTimeout(() => own.abort(new Error('read-back timed out')), Math.min(10_000, cfg.requestTimeoutMs));
    try {
      const p = makeProvider(cfg, { ...ctx, signal: own.signal }, timing, 0, addSecret);
      return await p.current(app);
    } finally {
      clearTimeout(timer);
    }
  };

  let phase = 'reading what serves';
  try {
    result.previous = await provider.current(app);
    ctx.log(`${cfg.provider} \`${app}\`: live before this run: ${describe(result.previous)}`);
    result.url = await provider.appUrl(app).catch(() => undefined);

    let ok = true;
    /** `config` goes to the app that receives the release, before it (deploy and promote alike). */
    const setConfig = async (): Promise<void> => {
      if (!Object.keys(cfg.config).length) return;
      phase = 'setting config vars';
      const c = await provider.setConfig(app, cfg.config);
      if (c) ok = finishOutcome(c, 'config');
    };
    if (cfg.mode === 'deploy') {
      await setConfig();
      phase = 'deploy (build and release phase)';
      if (ok) ok = finishOutcome(await provider.deploy(app, req), 'deploy');
    } else if (cfg.mode === 'promote') {
      phase = 'promotion';
      await provider.checkPromote?.(cfg.app, app, req);
      await setConfig();
      phase = 'promotion';
      if (ok) ok = finishOutcome(await provider.promote(cfg.app, app, req), `promote ${cfg.app} → ${app}`);
    } else {
      phase = 'rollback';
      let to = cfg.rollbackTo;
      if (!to) {
        const prev = await provider.previous(app, result.previous);
        if (!prev) {
          throw new ProviderError(
            `no earlier successful release of \`${app}\` to roll back to (live: ${describe(result.previous)}); set \`rollback-to\``,
          );
        }
        to = prev.id;
      }
      ok = finishOutcome(await provider.rollback(app, to), `rollback to ${to}`);
    }

    /** After a failed gate: roll back to what served before (unless told not to) and read it back. */
    const rollbackAfterGate = async (): Promise<void> => {
      if (cfg.mode === 'rollback') {
        result.failure += '\n(mode is rollback: nothing further to roll back to automatically)';
      } else if (!cfg.rollbackOnFailure) {
        result.failure += '\nrollback-on-failure is false: the new release stays live';
      } else if (!result.previous) {
        result.failure += '\nthere was no release before this run: nothing to roll back to, the new release stays live';
      } else {
        phase = 'rollback after the failed gate';
        ctx.log(`rolling back to ${describe(result.previous)}`);
        const rb = await provider.rollback(app, result.previous.id);
        steps.push({ step: 'rollback', result: rb.kind, detail: describe(rb.release) });
        result.providerStatus = rb.providerStatus;
        const live = await provider.current(app);
        if (rb.kind === 'ok' && sameArtifact(live, result.previous)) {
          result.status = 'rolled-back';
          result.failure += `\nrolled back: ${describe(live)} serves again (what served before: ${describe(result.previous)})`;
        } else {
          result.failure +=
            `\nrollback did not restore ${describe(result.previous)}: ${rb.message ?? rb.kind}` +
            ` (${cfg.provider} state: ${rb.providerStatus})`;
        }
      }
    };
    const gate = async (g: HealthGateConfig, label: string): Promise<boolean> => {
      phase = label;
      ctx.log(`${label}: ${g.urls.join(', ')}`);
      result.gate = await runHealthGate(g, deps.gateEvents ?? {}, ctx.signal);
      // Cancelled while gating: stop here (no rollback started on a cancelled run); the catch reads back.
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('cancelled');
      steps.push({
        step: label,
        result: result.gate.healthy ? 'healthy' : 'unhealthy',
        detail: result.gate.healthy ? `${result.gate.attempts} attempt(s)` : result.gate.failures.join('; '),
      });
      if (!result.gate.healthy) result.failure = `${label} failed:\n${result.gate.failures.join('\n')}`;
      return result.gate.healthy;
    };

    if (ok && cfg.gate) {
      ok = await gate(cfg.gate, staging ? `health gate (slot ${staging})` : 'health gate');
      if (!ok) {
        if (staging) {
          result.failure += `\nnothing was swapped: the new image stays in slot ${staging}, production was not changed (nothing to roll back)`;
        } else {
          await rollbackAfterGate();
        }
      }
    } else if (ok && !cfg.gate) {
      steps.push({
        step: 'health gate',
        result: 'skipped',
        detail: 'health-gate: false (or no url with mode rollback)',
      });
    }
    if (ok && staging && provider.finalize) {
      phase = `swap of slot ${staging} into production`;
      const fin = await provider.finalize(app);
      if (fin) ok = finishOutcome(fin, `swap ${staging} → production`);
      if (ok && cfg.finalGate) {
        ok = await gate(cfg.finalGate, 'health gate (production, after the swap)');
        if (!ok) await rollbackAfterGate();
      }
    }
    result.live = await provider.current(app);
    if (ok) result.status = 'ok';
  } catch (e) {
    if (e instanceof WaitError) {
      steps.push({ step: 'wait', result: e.end, detail: `${e.what}: ${e.lastState}` });
      result.providerStatus = result.providerStatus || e.lastState;
      result.failure =
        `${e.message}. ${cfg.provider} was left with ${e.what} in state "${e.lastState}"; it carries on without ` +
        'this run (it is not cancelled at the provider).';
    } else if (ctx.signal.aborted) {
      const reason = ctx.signal.reason instanceof Error ? ctx.signal.reason.message : 'cancelled';
      steps.push({ step: phase, result: 'cancelled', detail: reason });
      result.failure =
        `${reason} during ${phase}; the provider carries on with whatever it had accepted ` +
        '(nothing is cancelled at the provider).';
    } else {
      result.failure = (e as Error).message;
    }
    result.status = 'failed';
    try {
      result.live = await readBack();
    } catch (err) {
      result.failure += `\ncould not read back what serves now: ${(err as Error).message}`;
    }
  }
  if (result.status !== 'ok' && result.live !== undefined) {
    result.failure = `${result.failure ?? 'failed'}\nlive now on ${cfg.provider} \`${app}\`: ${describe(result.live)}`;
  }
  if (result.status !== 'ok' && result.live === undefined && !result.failure?.includes('could not read back')) {
    result.failure = `${result.failure ?? 'failed'}\nlive now on ${cfg.provider} \`${app}\`: nothing`;
  }

  if (gh && result.githubDeploymentId !== undefined) {
    const ghDone = { ...gh, signal: AbortSignal.timeout(TIMEOUTS.cleanupRequestMs) };
    await setDeploymentStatus(
      ghDone,
      result.githubDeploymentId,
      result.status === 'ok' ? 'success' : 'failure',
      result.status === 'ok' ? `live: ${describe(result.live)}` : `${result.status}: live ${describe(result.live)}`,
      gh.logUrl,
    ).catch((err: unknown) =>
      ctx.warn(`could not update GitHub deployment #${result.githubDeploymentId}: ${(err as Error).message}`),
    );
  }
  return result;
}
