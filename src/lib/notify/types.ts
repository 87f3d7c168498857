/** What a notifier says: one event about one target, in words a person reads on a phone. */
export interface Notice {
  /** Machine-readable event, e.g. `incident-opened`, `incident-resolved`, `healed`, `deploy-failed`, `backup-failed`. */
  event: string;
  /** `alert` (something is wrong), `recovery` (it is fine again), `info`. */
  severity: 'alert' | 'recovery' | 'info';
  /** One line: what happened, to what. */
  title: string;
  /** A few lines of detail (plain text). */
  text: string;
  /** The action that reports (monitor, maintenance-dispatch, deploy …). */
  source: string;
  /** What the notice is about: a URL, a host, a compose project. */
  target?: string;
  /** Where to read more: the incident issue or the workflow run. */
  link?: string;
  /** Short key/value facts (shown as a list). */
  fields?: Record<string, string>;
}

export type Channel = 'slack' | 'webhook' | 'email';

/** What one channel did with one notice. A failing notifier is reported, never thrown. */
export interface NotifyResult {
  channel: Channel;
  ok: boolean;
  attempts: number;
  /** Why it failed, secrets already removed (never the webhook URL, never the SMTP password). */
  error?: string;
  /** Where it went, safe to print: the webhook's host, the recipients. */
  to: string;
}

export interface NotifyTiming {
  /** Per attempt: connect + request + response. */
  timeoutMs: number;
  /** Attempts per channel, the first included. */
  attempts: number;
  /** First back-off delay; doubles per attempt up to 30 s. */
  backoffMs: number;
}

export interface SmtpSettings {
  host: string;
  port: number;
  /** `starttls` (upgrade required; refuse a server that does not offer it), `tls` (implicit TLS, 465), `none`. */
  security: 'starttls' | 'tls' | 'none';
  username?: string;
  password?: string;
  from: string;
  to: string[];
  /** Extra CA certificates (PEM) to trust, for a relay with a private CA. */
  ca?: string;
}

export interface NotifyConfig {
  slackWebhook?: string;
  webhook?: { url: string; secret?: string };
  email?: SmtpSettings;
  /** Events that are sent; others are dropped silently. */
  on: string[];
  timing: NotifyTiming;
}

export function hasChannels(cfg: NotifyConfig): boolean {
  return !!(cfg.slackWebhook || cfg.webhook || cfg.email);
}
