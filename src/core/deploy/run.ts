import { createDeployment, type DeployContext, type DeployReport } from '../ssh-rsync-deploy/deploy.js';
import type { GateEvents } from '../health-gate/gate.js';
import { runHealthGate, type HealthGateReport } from '../health-gate/run.js';
import { runReleasePhase, type ReleaseReport } from '../run-release-phase/run.js';
import type { OneStepConfig } from './config.js';

export type PhaseName = 'upload' | 'release phase' | 'switch' | 'health gate' | 'rollback' | 'discard' | 'finalize';

export interface PhaseReport {
  name: PhaseName;
  result: 'ok' | 'failed' | 'skipped';
  durationMs: number;
  error?: string;
}

export interface OneStepReport {
  /**
   * deployed: live and healthy. failed: stopped before the switch, nothing went live (or a host could not be
   * switched back). rolled-back: went live, then after-activate or the gate failed, and every switched host is
   * back on its previous release.
   */
  status: 'deployed' | 'failed' | 'rolled-back';
  /** The phase that failed, when status is not deployed. */
  failedPhase?: PhaseName;
  rolledBack: boolean;
  phases: PhaseReport[];
  deploy: DeployReport;
  release?: ReleaseReport;
  health?: HealthGateReport;
  durationMs: number;
  error?: string;
  /** Problems that did not fail the deploy. */
  warnings: string[];
}

export interface OneStepContext extends DeployContext {
  gateEvents?: GateEvents;
}

class PhaseFailure extends Error {
  constructor(
    readonly phase: PhaseName,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One-step deploy, in one process, under one lock: upload (not switched) → release phase on the first
 * host in the new release → switch on every host → health gate → finalize (log, prune). A failed release
 * phase discards the new release and never switches; a failed gate switches every host back, marks the
 * release bad and runs after-activate again for the previous release. The lock is let go in every case.
 */
export async function runOneStep(cfg: OneStepConfig, ctx: OneStepContext): Promise<OneStepReport> {
  const started = Date.now();
  const { log, signal } = ctx;
  const d = createDeployment(cfg.deploy, ctx);
  const phases: PhaseReport[] = [];
  let release: ReleaseReport | undefined;
  let health: HealthGateReport | undefined;
  /** Went live on some host during this run and every such host is back on its previous release. */
  const rolledBack = (): boolean => {
    const switched = d.hosts.filter((h) => h.switched);
    return switched.length > 0 && switched.every((h) => h.report.result === 'reverted');
  };
  let error: string | undefined;
  const warnings: string[] = [];
  let failedPhase: PhaseName | undefined;

  const phase = async <T>(name: PhaseName, fn: () => Promise<T>): Promise<T> => {
    log(`── ${name}`);
    const t = Date.now();
    const p: PhaseReport = { name, result: 'ok', durationMs: 0 };
    phases.push(p);
    try {
      return await fn();
    } catch (e) {
      p.result = 'failed';
      p.error = (e as Error).message;
      throw e instanceof PhaseFailure ? e : new PhaseFailure(name, (e as Error).message);
    } finally {
      p.durationMs = Date.now() - t;
    }
  };

  try {
    await phase('upload', async () => {
      await d.lock();
      await d.upload(d.hosts);
      // The release phase works in the finished release (shared paths linked).
      if (cfg.release) await d.settle(d.hosts);
    });

    if (cfg.release) {
      const rcfg = cfg.release;
      // The SSH executor stops a cancelled or timed-out command on the host itself.
      const primary = d.hosts[0]!.exec;
      try {
        await phase('release phase', async () => {
          log(`release phase on ${primary.target} in ${rcfg.workingDirectory}`);
          release = await runReleasePhase(primary, rcfg, { log, signal, warn: (m) => warnings.push(m) });
          if (release.status !== 'succeeded') throw new Error(release.error ?? 'release phase failed');
        });
      } catch (e) {
        await phase('discard', () => d.discard()).catch(() => undefined);
        throw new PhaseFailure(
          'release phase',
          `release phase failed; no host was switched to ${cfg.deploy.releaseId} and it was discarded.\n${(e as Error).message}`,
        );
      }
    } else phases.push({ name: 'release phase', result: 'skipped', durationMs: 0 });

    await phase('switch', () => d.activate(d.hosts, { restartOnRevert: true }));

    health = await phase('health gate', async () => {
      const r = await runHealthGate(cfg.health, ctx.gateEvents, signal);
      if (!r.healthy) {
        health = r;
        throw new Error(`unhealthy:\n${r.failures.join('\n')}`);
      }
      return r;
    }).catch(async (e: Error) => {
      await phase('rollback', async () => {
        await d.revert(d.hosts, { afterActivate: true, reason: 'health gate failed' });
        const stuck = d.hosts.filter((h) => h.switched && h.report.result !== 'reverted');
        if (stuck.length) throw new Error(stuck.map((h) => `${h.exec.target}: ${h.report.error ?? ''}`).join('\n'));
      }).catch(() => undefined);
      throw new PhaseFailure(
        'health gate',
        `health gate failed after the switch; ${
          rolledBack()
            ? `every host was switched back to ${d.hosts[0]!.report.previousReleaseId} and ${cfg.deploy.releaseId} was marked bad`
            : `NOT every host could be switched back: ${phases.at(-1)?.error ?? ''}`
        }.\n${e.message}`,
      );
    });

    // Live and healthy: a failed log line or prune is worth a warning, not a failed deploy.
    await phase('finalize', () => d.finalize(d.hosts, { last: true })).catch((e: Error) => {
      warnings.push(`the release is live and healthy, but recording/pruning old releases failed: ${e.message}`);
    });
  } catch (e) {
    error = (e as Error).message;
    failedPhase = e instanceof PhaseFailure ? e.phase : undefined;
  } finally {
    await d.unlock();
  }

  return {
    status: error ? (rolledBack() ? 'rolled-back' : 'failed') : 'deployed',
    failedPhase,
    rolledBack: rolledBack(),
    phases,
    deploy: d.report(error),
    release,
    health,
    durationMs: Date.now() - started,
    error,
    warnings,
  };
}
