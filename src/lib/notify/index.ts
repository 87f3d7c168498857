import { InputError } from '../errors.js';
import type { Inputs } from '../inputs.js';
import { tableSection } from '../summary.js';
import { sendEmail } from './email.js';
import { safeHost } from './http.js';
import { sendSlack } from './slack.js';
import type { Channel, Notice, NotifyConfig, NotifyResult, SmtpSettings } from './types.js';
import { hasChannels } from './types.js';
import { sendWebhook } from './webhook.js';

export type { Notice, NotifyConfig, NotifyResult } from './types.js';
export { hasChannels };

function httpsUrl(name: string, value: string): string {
  let u: URL;
  try {
    u = new URL(value);
  } catch {
    throw new InputError(name, 'is not a URL (the value is masked)');
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(u.hostname);
  if (u.protocol !== 'https:' && !(u.protocol === 'http:' && loopback))
    throw new InputError(name, 'must be an https:// URL (http only for 127.0.0.1/localhost)');
  return value;
}

/**
 * The `notify-*` inputs every action that reports shares. URLs and passwords are read as secrets (masked
 * before anything prints). `defaultOn` lists the events an action sends when `notify-on` is empty.
 */
export function readNotifyConfig(inputs: Inputs, defaultOn: readonly string[]): NotifyConfig {
  const slack = inputs.secret('notify-slack-webhook');
  const hook = inputs.secret('notify-webhook');
  const hookSecret = inputs.secret('notify-webhook-secret');
  if (hookSecret && !hook) throw new InputError('notify-webhook-secret', 'is set but notify-webhook is empty');
  const to = inputs.list('notify-email-to');
  let email: SmtpSettings | undefined;
  const smtpHost = inputs.raw('notify-smtp-host');
  if (to.length || smtpHost) {
    if (!smtpHost) throw new InputError('notify-smtp-host', 'is required when notify-email-to is set');
    if (!to.length) throw new InputError('notify-email-to', 'is required when notify-smtp-host is set');
    const security = inputs.choice('notify-smtp-security', ['starttls', 'tls', 'none'] as const, 'starttls');
    const username = inputs.raw('notify-smtp-username') || undefined;
    const password = inputs.secret('notify-smtp-password') || undefined;
    if (password && !username) throw new InputError('notify-smtp-username', 'is required with notify-smtp-password');
    if (username && security === 'none')
      throw new InputError(
        'notify-smtp-security',
        '`none` would send the SMTP password in the clear; use starttls or tls',
      );
    const from = inputs.raw('notify-email-from');
    if (!from) throw new InputError('notify-email-from', 'is required to send email');
    for (const a of [from, ...to])
      if (/[\r\n]/.test(a) || !/@/.test(a)) throw new InputError('notify-email-to', `"${a}" is not an email address`);
    email = {
      host: smtpHost,
      port: inputs.integer('notify-smtp-port', security === 'tls' ? 465 : 587, { min: 1, max: 65535 }),
      security,
      username,
      password,
      from,
      to,
      ca: inputs.raw('notify-smtp-ca') || undefined,
    };
  }
  const on = inputs.list('notify-on');
  return {
    slackWebhook: slack ? httpsUrl('notify-slack-webhook', slack) : undefined,
    webhook: hook ? { url: httpsUrl('notify-webhook', hook), secret: hookSecret || undefined } : undefined,
    email,
    on: on.length ? on : [...defaultOn],
    timing: {
      timeoutMs: inputs.duration('notify-timeout', '10s', { min: 100 }),
      attempts: inputs.integer('notify-attempts', 3, { min: 1, max: 10 }),
      backoffMs: 1000,
    },
  };
}

function wanted(cfg: NotifyConfig, event: string): boolean {
  return cfg.on.includes(event) || cfg.on.includes('all');
}

/**
 * Sends a notice to every configured channel at once. Never throws: each channel's outcome comes back, and
 * `warn` is called for each failure (so it shows as an annotation), because a failing notifier must never
 * fail the deploy or the check it reports on.
 */
export async function notifyAll(
  cfg: NotifyConfig,
  n: Notice,
  ctx: { warn: (message: string, title?: string) => void; signal?: AbortSignal },
): Promise<NotifyResult[]> {
  if (!hasChannels(cfg) || !wanted(cfg, n.event)) return [];
  const jobs: Array<Promise<NotifyResult>> = [];
  const run = (channel: Channel, to: string, send: () => Promise<{ attempts: number }>) =>
    jobs.push(
      send().then(
        (r) => ({ channel, to, ok: true, attempts: r.attempts }),
        (e: unknown) => ({
          channel,
          to,
          ok: false,
          attempts: (e as { attempts?: number }).attempts ?? 1,
          error: (e as Error).message,
        }),
      ),
    );
  if (cfg.slackWebhook) {
    const url = cfg.slackWebhook;
    run('slack', safeHost(url), () => sendSlack(url, n, cfg.timing, ctx.signal));
  }
  if (cfg.webhook) {
    const hook = cfg.webhook;
    run('webhook', safeHost(hook.url), () => sendWebhook(hook, n, cfg.timing, ctx.signal));
  }
  if (cfg.email) {
    const email = cfg.email;
    run('email', email.to.join(', '), () => sendEmail(email, n, cfg.timing, ctx.signal));
  }
  const results = await Promise.all(jobs);
  for (const r of results)
    if (!r.ok) ctx.warn(`${r.channel} notification (${n.event}) to ${r.to} failed: ${r.error}`, 'notification failed');
  return results;
}

/** Job-summary section listing every notification sent in the run and how it went. */
export function notifySummary(sent: ReadonlyArray<{ event: string; results: NotifyResult[] }>): string {
  const rows = sent.flatMap((s) =>
    s.results.map((r) => [s.event, r.channel, r.to, r.ok ? 'sent' : 'FAILED', String(r.attempts), r.error ?? '—']),
  );
  return tableSection('notifications', ['event', 'channel', 'to', 'result', 'attempts', 'error'], rows);
}
