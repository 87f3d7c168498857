/**
 * Notifications against real servers on loopback: Debian's aiosmtpd (STARTTLS required) and the npm
 * smtp-server (STARTTLS + AUTH) receive the mail. Slack cannot run here: a local HTTP receiver that
 * enforces Slack's documented incoming-webhook payload rules stands in for it, and also plays a user's
 * JSON webhook endpoint, recomputing the HMAC over the bytes it received.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { notifyAll, readNotifyConfig, type Notice, type NotifyConfig } from '../../src/lib/notify/index.js';
import { SIGNATURE_HEADER } from '../../src/lib/notify/webhook.js';
import { selfSignedCert, type TlsMaterial } from '../fixtures/http-app.js';
import { startAiosmtpd, startAuthSmtp, type AioSmtpd, type AuthSmtp } from '../fixtures/smtp.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver.js';
import { freePort } from '../fixtures/ports.js';
import { mapInputs } from '../helpers/inputs.js';

const notice: Notice = {
  event: 'incident-opened',
  severity: 'alert',
  title: 'web is down <after 3 runs> & more',
  text: 'https://app.example/healthz: HTTP 502',
  source: 'monitor',
  target: 'production',
  link: 'https://github.com/acme/app/issues/7',
  fields: { 'consecutive failures': '3' },
};
const timing = { timeoutMs: 5000, attempts: 3, backoffMs: 5 };

let rx: WebhookReceiver;
let tls: TlsMaterial;
let aio: AioSmtpd;
let auth: AuthSmtp;

beforeAll(async () => {
  tls = selfSignedCert(30);
  [rx, aio, auth] = await Promise.all([
    startWebhookReceiver(),
    startAiosmtpd(tls),
    startAuthSmtp(tls, 'alerts@acme.test', 'smtp-pass-Secret1'),
  ]);
}, 60_000);

afterAll(async () => {
  await Promise.all([rx?.close(), aio?.stop(), auth?.stop()]);
});

function collect() {
  const warnings: string[] = [];
  return { warnings, ctx: { warn: (m: string) => warnings.push(m) } };
}

describe('Slack incoming webhook (local receiver enforcing Slack payload rules)', () => {
  it('posts a payload Slack accepts, with the title escaped for mrkdwn', async () => {
    rx.received.length = 0;
    const { ctx, warnings } = collect();
    const cfg: NotifyConfig = { slackWebhook: rx.url('/services/T0/B0/secretpart'), on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r).toMatchObject({ channel: 'slack', ok: true, attempts: 1, to: expect.stringMatching(/^127\.0\.0\.1:/) });
    expect(warnings).toEqual([]);
    expect(rx.received).toHaveLength(1);
    const body = JSON.parse(rx.received[0]!.body) as { text: string; blocks: Array<{ text?: { text: string } }> };
    expect(body.text).toBe(notice.title);
    expect(body.blocks[0]!.text!.text).toContain('web is down &lt;after 3 runs&gt; &amp; more');
  });

  it('a removed webhook (404 no_service) is tried once, reported with the fix, and the URL is not in the message', async () => {
    rx.received.length = 0;
    rx.script([[404, 'no_service']]);
    const { ctx, warnings } = collect();
    const cfg: NotifyConfig = { slackWebhook: rx.url('/services/T0/B0/secretpart'), on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r!.ok).toBe(false);
    expect(r!.attempts).toBe(1);
    expect(rx.received).toHaveLength(1);
    expect(r!.error).toContain('no_service');
    expect(r!.error).toContain('create a new incoming webhook');
    expect(warnings.join('\n')).toContain('slack notification (incident-opened)');
    expect(warnings.join('\n')).not.toContain('secretpart');
  });
});

describe('generic JSON webhook with an HMAC-SHA256 signature', () => {
  it('signs the exact body bytes with the shared secret', async () => {
    rx.received.length = 0;
    const { ctx } = collect();
    const cfg: NotifyConfig = { webhook: { url: rx.url('/hooks/deploy'), secret: 'hmac-key-1' }, on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r!.ok).toBe(true);
    const got = rx.received[0]!;
    const expected = 'sha256=' + createHmac('sha256', 'hmac-key-1').update(got.body).digest('hex');
    expect(got.headers[SIGNATURE_HEADER]).toBe(expected);
    const wrong = 'sha256=' + createHmac('sha256', 'other-key').update(got.body).digest('hex');
    expect(got.headers[SIGNATURE_HEADER]).not.toBe(wrong);
    expect(got.headers['x-deploy-kit-event']).toBe('incident-opened');
    expect(JSON.parse(got.body)).toMatchObject({
      event: 'incident-opened',
      severity: 'alert',
      title: notice.title,
      target: 'production',
      link: notice.link,
      fields: { 'consecutive failures': '3' },
    });
  });

  it('retries 503s with back-off (same body and delivery id) and succeeds on the third attempt', async () => {
    rx.received.length = 0;
    rx.script([
      [503, 'busy'],
      [503, 'busy'],
    ]);
    const { ctx, warnings } = collect();
    const cfg: NotifyConfig = { webhook: { url: rx.url('/hooks/deploy'), secret: 'k' }, on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r).toMatchObject({ ok: true, attempts: 3 });
    expect(warnings).toEqual([]);
    expect(rx.received).toHaveLength(3);
    expect(new Set(rx.received.map((x) => x.headers['x-deploy-kit-delivery'])).size).toBe(1);
    expect(new Set(rx.received.map((x) => x.body)).size).toBe(1);
  });

  it('gives up after the bounded attempts and reports it (never throws)', async () => {
    rx.received.length = 0;
    rx.script([
      [500, 'down'],
      [500, 'down'],
      [500, 'down'],
    ]);
    const { ctx, warnings } = collect();
    const cfg: NotifyConfig = { webhook: { url: rx.url('/hooks/deploy') }, on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect(r!.error).toContain('HTTP 500');
    expect(rx.received).toHaveLength(3);
    expect(rx.received[0]!.headers[SIGNATURE_HEADER]).toBeUndefined();
    expect(warnings).toHaveLength(1);
  });

  it('an endpoint nobody listens on fails after the bounded attempts', async () => {
    const { ctx } = collect();
    const port = await freePort(); // released: nothing listens there
    const cfg: NotifyConfig = { webhook: { url: `http://127.0.0.1:${port}/hook` }, on: ['all'], timing };
    const [r] = await notifyAll(cfg, notice, ctx);
    expect(r).toMatchObject({ ok: false, attempts: 3 });
    expect(r!.error).toMatch(/request failed: ECONNREFUSED/);
  });

  it('events not listed in notify-on are not sent', async () => {
    rx.received.length = 0;
    const cfg: NotifyConfig = { webhook: { url: rx.url('/hooks/x') }, on: ['incident-resolved'], timing };
    expect(await notifyAll(cfg, notice, collect().ctx)).toEqual([]);
    expect(rx.received).toHaveLength(0);
  });
});

describe('email over SMTP (real servers on loopback)', () => {
  it('aiosmtpd (STARTTLS required) receives the mail; the private CA is trusted through notify-smtp-ca', async () => {
    const before = aio.messages().length;
    const cfg: NotifyConfig = {
      email: {
        host: '127.0.0.1',
        port: aio.port,
        security: 'starttls',
        from: 'monitor@acme.test',
        to: ['ops@acme.test', 'oncall@acme.test'],
        ca: tls.cert,
      },
      on: ['all'],
      timing,
    };
    const [r] = await notifyAll(cfg, notice, collect().ctx);
    expect(r, r?.error).toMatchObject({
      channel: 'email',
      ok: true,
      attempts: 1,
      to: 'ops@acme.test, oncall@acme.test',
    });
    const msgs = aio.messages();
    expect(msgs).toHaveLength(before + 1);
    const m = msgs.at(-1)!;
    expect(m).toMatch(/^Subject: \[ALERT\] web is down <after 3 runs> & more$/m);
    expect(m).toContain('https://app.example/healthz: HTTP 502');
    expect(m).toContain('Details: https://github.com/acme/app/issues/7');
    expect(m).toMatch(/^To: ops@acme\.test, oncall@acme\.test$/m);
  });

  it('without the CA the self-signed relay is refused (TLS verified, fail closed) and nothing is delivered', async () => {
    const before = aio.messages().length;
    const cfg: NotifyConfig = {
      email: { host: '127.0.0.1', port: aio.port, security: 'starttls', from: 'm@acme.test', to: ['o@acme.test'] },
      on: ['all'],
      timing: { ...timing, attempts: 1 },
    };
    const [r] = await notifyAll(cfg, notice, collect().ctx);
    expect(r!.ok).toBe(false);
    expect(r!.error).toMatch(/certificate/i);
    expect(aio.messages()).toHaveLength(before);
  });

  it('smtp-server: AUTH after STARTTLS with the right password delivers; the wrong one is refused once, password not shown', async () => {
    const email = {
      host: '127.0.0.1',
      port: auth.port,
      security: 'starttls' as const,
      username: 'alerts@acme.test',
      password: 'smtp-pass-Secret1',
      from: 'alerts@acme.test',
      to: ['ops@acme.test'],
      ca: tls.cert,
    };
    const [ok] = await notifyAll({ email, on: ['all'], timing }, notice, collect().ctx);
    expect(ok, ok?.error).toMatchObject({ ok: true });
    expect(auth.auths.at(-1)).toEqual({ username: 'alerts@acme.test', ok: true, secure: true });
    expect(auth.mails.at(-1)).toMatchObject({ from: 'alerts@acme.test', to: ['ops@acme.test'], secure: true });

    const mailsBefore = auth.mails.length;
    const { ctx, warnings } = collect();
    const [bad] = await notifyAll(
      { email: { ...email, password: 'wrong-password-9' }, on: ['all'], timing },
      notice,
      ctx,
    );
    expect(bad).toMatchObject({ ok: false, attempts: 1 });
    expect(bad!.error).toContain('notify-smtp-password');
    expect(warnings.join('\n')).not.toContain('wrong-password-9');
    expect(auth.auths.at(-1)).toMatchObject({ ok: false, secure: true });
    expect(auth.mails).toHaveLength(mailsBefore);
  });

  it('one failing channel does not stop the others', async () => {
    rx.received.length = 0;
    const cfg: NotifyConfig = {
      webhook: { url: rx.url('/hooks/ok') },
      email: { host: '127.0.0.1', port: 1, security: 'starttls', from: 'm@acme.test', to: ['o@acme.test'] },
      on: ['all'],
      timing: { ...timing, attempts: 1 },
    };
    const results = await notifyAll(cfg, notice, collect().ctx);
    expect(results.map((r) => `${r.channel}:${r.ok}`).sort()).toEqual(['email:false', 'webhook:true']);
    expect(rx.received).toHaveLength(1);
  });
});

describe('notify-* inputs', () => {
  it('masks webhook URLs, secrets and the SMTP password as they are read', () => {
    const secrets: string[] = [];
    const cfg = readNotifyConfig(
      mapInputs(
        {
          'notify-slack-webhook': 'https://hooks.slack.com/services/T1/B2/abc',
          'notify-webhook': 'https://ops.example/hook?token=t0k3n',
          'notify-webhook-secret': 'hmac-secret',
          'notify-email-to': 'a@x.test, b@x.test',
          'notify-email-from': 'm@x.test',
          'notify-smtp-host': 'smtp.x.test',
          'notify-smtp-username': 'u',
          'notify-smtp-password': 'p4ssw0rd',
        },
        secrets,
      ),
      ['incident-opened'],
    );
    expect(secrets).toEqual(
      expect.arrayContaining([
        'https://hooks.slack.com/services/T1/B2/abc',
        'https://ops.example/hook?token=t0k3n',
        'hmac-secret',
        'p4ssw0rd',
      ]),
    );
    expect(cfg.email).toMatchObject({ port: 587, security: 'starttls', to: ['a@x.test', 'b@x.test'] });
    expect(cfg.on).toEqual(['incident-opened']);
  });

  it('refuses plain http off loopback, a password without TLS, and half-configured email', () => {
    const read = (v: Record<string, string>) => () => readNotifyConfig(mapInputs(v), []);
    expect(read({ 'notify-webhook': 'http://ops.example/hook' })).toThrow(/`notify-webhook`: must be an https:\/\//);
    expect(
      read({
        'notify-email-to': 'a@x.test',
        'notify-email-from': 'm@x.test',
        'notify-smtp-host': 'h',
        'notify-smtp-username': 'u',
        'notify-smtp-security': 'none',
      }),
    ).toThrow(/notify-smtp-security.*in the clear/);
    expect(read({ 'notify-email-to': 'a@x.test' })).toThrow(/notify-smtp-host/);
    expect(read({ 'notify-webhook-secret': 's' })).toThrow(/notify-webhook is empty/);
  });
});
