/**
 * A failed step notifies through its notify-* inputs (runAction's failure hook): an action entry that throws
 * is run in a child process, as a step would be, with a local webhook receiver as the endpoint.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureEvent } from '../../src/lib/notify/failure.js';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver.js';
import { ROOT } from '../helpers/paths.js';

let rx: WebhookReceiver;
const work = mkdtempSync(join(tmpdir(), 'dk-notify-fail-'));

beforeAll(async () => {
  rx = await startWebhookReceiver();
});
afterAll(async () => {
  await rx?.close();
  rmSync(work, { recursive: true, force: true });
});

function step(action: string, inputs: Record<string, string>) {
  const summary = join(work, `summary-${action}-${Date.now()}`);
  writeFileSync(summary, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    DK_TEST_ACTION: action,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_REPOSITORY: 'acme/shop',
    GITHUB_RUN_ID: '42',
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  // Asynchronous (the receiver answers from this process); bounded: killed after 60 s.
  return new Promise<{ status: number | null; out: string; summary: string }>((resolve) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/vite-node'), ['test/integration/notify-failing-entry.ts'], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, out, summary: readFileSync(summary, 'utf8') });
    });
  });
}

describe('runAction notifies a failed step through its notify-* inputs', () => {
  it('deploy-failed goes to the webhook with the error and the run link; the step still fails with its own error', async () => {
    rx.received.length = 0;
    const r = await step('ssh-rsync-deploy', {
      'notify-webhook': rx.url('/hooks/deploys'),
      'notify-webhook-secret': 'k1',
    });
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error::rsync to deploy@203.0.113.10 exited with code 23');
    expect(rx.received).toHaveLength(1);
    expect(JSON.parse(rx.received[0]!.body)).toMatchObject({
      event: 'deploy-failed',
      severity: 'alert',
      source: 'ssh-rsync-deploy',
      title: 'ssh-rsync-deploy failed in acme/shop',
      text: 'rsync to deploy@203.0.113.10 exited with code 23',
      link: 'https://github.com/acme/shop/actions/runs/42',
    });
    expect(r.summary).toContain('| deploy-failed | webhook |');
    // The webhook URL was masked as it was read.
    expect(r.out).toContain(`::add-mask::${rx.url('/hooks/deploys')}`);
  });

  it("a notifier that fails is a warning; the step fails with its own error, not the notifier's", async () => {
    rx.received.length = 0;
    rx.script([[500, 'down']]);
    const r = await step('backup-db', { 'notify-webhook': rx.url('/hooks/x'), 'notify-attempts': '1' });
    expect(r.status).toBe(1);
    expect(r.out).toContain('::error::rsync to deploy@203.0.113.10 exited with code 23');
    expect(r.out).toMatch(
      /::warning title=notification failed::webhook notification \(backup-failed\) to 127\.0\.0\.1:\d+ failed: HTTP 500/,
    );
    expect(r.summary).toContain('| backup-failed | webhook |');
    expect(r.summary).toContain('FAILED');
  });

  it('no notify inputs: nothing is sent; wrong ones: a warning, no crash', async () => {
    rx.received.length = 0;
    expect((await step('deploy', {})).status).toBe(1);
    const bad = await step('deploy', { 'notify-webhook': 'http://example.com/hook' });
    expect(bad.status).toBe(1);
    expect(bad.out).toContain('no failure notification sent: input `notify-webhook`: must be an https:// URL');
    expect(rx.received).toHaveLength(0);
  });

  it('event names per action', () => {
    expect(['deploy', 'compose-deploy', 'paas-deploy', 'backup-db', 'build-image'].map(failureEvent)).toEqual([
      'deploy-failed',
      'deploy-failed',
      'deploy-failed',
      'backup-failed',
      'build-image-failed',
    ]);
  });
});
