import { postWithRetry } from './http.js';
import type { Notice, NotifyTiming } from './types.js';

const ICON: Record<Notice['severity'], string> = {
  alert: ':red_circle:',
  recovery: ':large_green_circle:',
  info: ':information_source:',
};

/** Slack's mrkdwn needs &, < and > escaped; everything else is literal. */
function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The incoming-webhook payload: `text` (notifications, fallback) plus Block Kit sections. */
export function slackPayload(n: Notice): object {
  const fields = Object.entries(n.fields ?? {}).slice(0, 10);
  const blocks: object[] = [
    {
      type: 'section',
      text: { type: 'mrkdwn', text: `${ICON[n.severity]} *${esc(n.title)}*\n${esc(n.text)}`.slice(0, 3000) },
    },
  ];
  if (fields.length)
    blocks.push({
      type: 'section',
      fields: fields.map(([k, v]) => ({ type: 'mrkdwn', text: `*${esc(k)}*\n${esc(v)}`.slice(0, 2000) })),
    });
  const context = [`${n.source}${n.target ? ` · ${n.target}` : ''}`];
  if (n.link) context.push(`<${n.link}|details>`);
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: context.join(' · ') }] });
  return { text: `${n.title}`, blocks };
}

export async function sendSlack(url: string, n: Notice, timing: NotifyTiming, signal?: AbortSignal) {
  // Slack answers 200 "ok"; errors are 4xx with a short reason (invalid_payload, no_service, channel_is_archived).
  return postWithRetry(
    url,
    JSON.stringify(slackPayload(n)),
    () => ({ 'content-type': 'application/json' }),
    timing,
    signal,
    (status) =>
      status === 200
        ? undefined
        : status === 404 || status === 410
          ? 'the webhook was removed or its channel archived: create a new incoming webhook'
          : '',
  );
}
