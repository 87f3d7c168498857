import type { Notice, NotifyTiming, SmtpSettings } from './types.js';
import { retry } from '../retry.js';
import { PermanentError } from './http.js';

/** Subject and plain-text body of the notification mail. */
export function emailContent(n: Notice): { subject: string; text: string } {
  const mark = n.severity === 'alert' ? '[ALERT]' : n.severity === 'recovery' ? '[RESOLVED]' : '[INFO]';
  const lines = [n.title, '', n.text, ''];
  for (const [k, v] of Object.entries(n.fields ?? {})) lines.push(`${k}: ${v}`);
  if (n.link) lines.push('', `Details: ${n.link}`);
  lines.push('', `-- deploy-kit ${n.source}${n.target ? ` (${n.target})` : ''}`);
  return { subject: `${mark} ${n.title}`.replace(/[\r\n]+/g, ' ').slice(0, 200), text: lines.join('\n') };
}

/** SMTP reply codes that a retry cannot fix: authentication refused, recipient or sender rejected. */
function permanent(e: unknown): boolean {
  const err = e as { responseCode?: number; code?: string };
  if (err.code === 'EAUTH' || err.code === 'ETLS') return true;
  return typeof err.responseCode === 'number' && err.responseCode >= 500;
}

/**
 * Sends one mail through the relay. STARTTLS is required unless `security: none` (then no TLS at all),
 * so a relay that stops offering it fails instead of silently sending the password in the clear.
 * nodemailer is loaded on first use: an action that never mails never pays for it.
 */
export async function sendEmail(s: SmtpSettings, n: Notice, timing: NotifyTiming, signal?: AbortSignal) {
  const nodemailer = await import('nodemailer');
  const { subject, text } = emailContent(n);
  let attempts = 0;
  await retry(
    { attempts: timing.attempts, initialDelayMs: timing.backoffMs, maxDelayMs: 30_000, factor: 2 },
    async (attempt) => {
      attempts = attempt;
      if (signal?.aborted) throw new PermanentError('cancelled');
      const transport = nodemailer.createTransport({
        host: s.host,
        port: s.port,
        secure: s.security === 'tls',
        requireTLS: s.security === 'starttls',
        ignoreTLS: s.security === 'none',
        ...(s.username ? { auth: { user: s.username, pass: s.password ?? '' } } : {}),
        connectionTimeout: timing.timeoutMs,
        greetingTimeout: timing.timeoutMs,
        socketTimeout: timing.timeoutMs,
        ...(s.ca ? { tls: { ca: s.ca } } : {}),
        // No pooling, no logger: nothing of the dialog (AUTH lines) reaches the job log.
        logger: false,
        debug: false,
      });
      try {
        await transport.sendMail({ from: s.from, to: s.to, subject, text });
      } catch (e) {
        const err = e as Error & { code?: string; responseCode?: number };
        let msg = err.message.replace(s.password ? s.password : '\u0000', '***');
        if (err.code === 'EAUTH')
          msg = `authentication refused (${err.responseCode ?? ''}): check notify-smtp-username and notify-smtp-password`;
        else if (err.code === 'ETLS' || /STARTTLS/i.test(msg))
          msg = `${msg} (the relay must offer STARTTLS; set notify-smtp-security: tls for port 465, or notify-smtp-ca for a private CA)`;
        const out = permanent(e) ? new PermanentError(msg) : new Error(msg);
        throw out;
      } finally {
        transport.close();
      }
    },
    (e) => !(e instanceof PermanentError),
    signal,
  ).catch((e: unknown) => {
    throw Object.assign(e instanceof Error ? e : new Error(String(e)), { attempts });
  });
  return { attempts };
}
