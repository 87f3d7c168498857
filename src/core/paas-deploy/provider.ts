/** The one small interface every PaaS sits behind; run.ts speaks only this. */
import type { RunContext } from '../../lib/context.js';
import type { ApiClient, WaitTiming } from './http.js';

export const PROVIDERS = ['heroku', 'digitalocean', 'render', 'railway', 'azure'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** A release (Heroku) or deployment (Render, DO, Railway) as the provider reports it. */
export interface ReleaseInfo {
  id: string;
  /** Short human name, e.g. `v12` or the deployment id. */
  label: string;
  /** The provider's own status word (`succeeded`, `live`, `pre_deploy_failed`, …). */
  status: string;
  /** What it runs: a slug id, an image digest, a commit. */
  artifact?: string;
  /** Heroku: the id of the slug this release runs (what `mode: promote` with `slug` releases elsewhere). */
  slug?: string;
  description?: string;
}

export type OutcomeKind = 'ok' | 'build-failed' | 'release-phase-failed' | 'deploy-failed';

export interface Outcome {
  kind: OutcomeKind;
  /** The release/deployment this step made (also when it failed). */
  release?: ReleaseInfo;
  /** The provider's own final state word for that release/deployment/build. */
  providerStatus: string;
  /** Last lines of the build or release-phase log. */
  output: string[];
  /** What failed, in the provider's words, when kind is not ok. */
  message?: string;
}

export interface DeployRequest {
  /** `name@sha256:…` for providers that run images. */
  image?: string;
  /** A directory to build from (Heroku). */
  source?: string;
  /** The version label shown by the provider (commit sha). */
  version?: string;
  /** The release/pre-deploy command, when the provider configures it through its API. */
  releaseCommand?: string;
  /** Heroku promote: release exactly this slug (one the source app released) instead of pipeline promotion. */
  slug?: string;
}

/** What every provider is built with. */
export interface ProviderDeps {
  api: ApiClient;
  ctx: RunContext;
  timing: () => WaitTiming;
  requestTimeoutMs: number;
  /** Drain for a log stream after its job ended. */
  drainMs: number;
  environment?: string;
}

export interface Provider {
  readonly name: ProviderName;
  /** What serves now, read from the provider (undefined: nothing was ever released). */
  current(app: string): Promise<ReleaseInfo | undefined>;
  /** The newest successful release/deployment before `current`: the default rollback target. */
  previous(app: string, current: ReleaseInfo | undefined): Promise<ReleaseInfo | undefined>;
  /** Sets config vars before the release; returns a release it made, if the provider makes one. */
  setConfig(app: string, vars: Record<string, string>): Promise<Outcome | undefined>;
  /** Builds/deploys and waits until the provider reached a final state (live or failed). */
  deploy(app: string, req: DeployRequest): Promise<Outcome>;
  /** Makes `to` (a release/deployment id or label) live again and waits for it. */
  rollback(app: string, to: string): Promise<Outcome>;
  /**
   * Heroku: `req.slug` released on `to` (it must be a slug `from` released), else pipeline promotion of `from`
   * to `to`; elsewhere: the same image deployed to `to`.
   */
  promote(from: string, to: string, req: DeployRequest): Promise<Outcome>;
  /** Refuses a promotion that cannot go ahead, before `config` or anything else changes `to` (Heroku). */
  checkPromote?(from: string, to: string, req: DeployRequest): Promise<void>;
  /** The app's public URL, when the provider says. */
  appUrl(app: string): Promise<string | undefined>;
  /**
   * Azure slots: deploy/promote went to this staging slot, production is untouched until `finalize`. A failed
   * gate then has nothing to roll back; run.ts calls `finalize` (the swap) once the slot passed its gate.
   */
  readonly staging?: string | undefined;
  finalize?(app: string): Promise<Outcome | undefined>;
}
