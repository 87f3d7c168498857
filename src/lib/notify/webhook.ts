import { postWithRetry } from './http.js';
import type { Notice, NotifyTiming } from './types.js';

export const SIGNATURE_HEADER = 'x-deploy-kit-signature-256';
export const DELIVERY_HEADER = 'x-deploy-kit-delivery';
export const EVENT_HEADER = 'x-deploy-kit-event';

/** The generic JSON body: the notice as is, plus when it was sent. Stable field names (a contract). */
export function webhookBody(n: Notice, sentAt = new Date()): string {
  return JSON.stringify({
    event: n.event,
    severity: n.severity,
    title: n.title,
    text: n.text,
    source: n.source,
    target: n.target ?? null,
    link: n.link ?? null,
    fields: n.fields ?? {},
    sent_at: sentAt.toISOString(),
  });
}

/** `sha256=<hex HMAC-SHA256 of the exact body bytes keyed by the shared secret>`. */
export function signBody(secret: string, body: string): string {
  // node:crypto on first use: loading it (and the streams it pulls in) costs every step's start.
  return `sha256=${process.getBuiltinModule('node:crypto').createHmac('sha256', secret).update(body, 'utf8').digest('hex')}`;
}

export async function sendWebhook(
  hook: { url: string; secret?: string },
  n: Notice,
  timing: NotifyTiming,
  signal?: AbortSignal,
) {
  // One body and one delivery id for every attempt: a receiver can drop a retried duplicate.
  const body = webhookBody(n);
  const delivery = process.getBuiltinModule('node:crypto').randomUUID();
  return postWithRetry(
    hook.url,
    body,
    () => ({
      'content-type': 'application/json',
      'user-agent': 'deploy-kit-notify',
      [EVENT_HEADER]: n.event,
      [DELIVERY_HEADER]: delivery,
      ...(hook.secret ? { [SIGNATURE_HEADER]: signBody(hook.secret, body) } : {}),
    }),
    timing,
    signal,
  );
}
