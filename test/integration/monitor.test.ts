/**
 * The monitor's memory and incident rules against a local stand-in for the GitHub Issues API (GitHub cannot
 * run here; the stand-in speaks the documented shapes and checks every request and response against GitHub's
 * published OpenAPI description) and a real HTTP app on loopback whose health the test switches. Notifications
 * go to a local webhook receiver. Heals run against a real Docker Engine and docker-compose (v1).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMonitorConfig } from '../../src/core/monitor/config.js';
import { runMonitor, type MonitorReport } from '../../src/core/monitor/run.js';
import { quietContext } from '../../src/lib/context.js';
import { RunnerTarget } from '../../src/lib/target/runner.js';
import { startIssuesStandIn, type IssuesStandIn } from '../fixtures/github-issues.js';
import { selfSignedCert, startHttpApp } from '../fixtures/http-app.js';
import { startS3 } from '../fixtures/s3.js';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startWebhookReceiver, type WebhookReceiver } from '../fixtures/webhook-receiver.js';
import { mapInputs } from '../helpers/inputs.js';

let gh: IssuesStandIn;
let rx: WebhookReceiver;
let app: http.Server;
let appUrl = '';
let status = 200;
const work = mkdtempSync(join(tmpdir(), 'dk-monitor-'));

beforeAll(async () => {
  [gh, rx] = await Promise.all([startIssuesStandIn(), startWebhookReceiver()]);
  app = http.createServer((_req, res) => res.writeHead(status).end(status === 200 ? 'ok' : 'bad gateway'));
  await new Promise<void>((r) => app.listen(0, '127.0.0.1', r));
  appUrl = `http://127.0.0.1:${(app.address() as AddressInfo).port}/healthz`;
});

afterAll(async () => {
  await Promise.all([gh?.close(), rx?.close(), new Promise((r) => app?.close(r))]);
  rmSync(work, { recursive: true, force: true });
});

const env = () => ({ GITHUB_API_URL: gh.apiUrl, GITHUB_REPOSITORY: gh.repository });

function config(extra: Record<string, string> = {}) {
  return readMonitorConfig(
    mapInputs({
      url: appUrl,
      name: 'shop',
      'github-token': gh.token,
      deadline: '200ms',
      period: '50ms',
      timeout: '2s',
      'notify-webhook': rx.url('/hooks/ops'),
      'notify-webhook-secret': 's3cret',
      'notify-on': 'all',
      'notify-attempts': '1',
      ...extra,
    }),
    env(),
  );
}

async function monitorRun(extra: Record<string, string> = {}, targets: RunnerTarget[] = []): Promise<MonitorReport> {
  return runMonitor(config(extra), { ...quietContext(), targets });
}

const writes = () => gh.requests.filter((r) => r.method !== 'GET');
const events = () => rx.received.map((r) => (JSON.parse(r.body) as { event: string }).event);

describe('monitor with memory in the incident issue (endpoint)', () => {
  it('three failing runs open exactly one issue on the third; a fourth adds no duplicate and no comment', async () => {
    status = 502;
    const r1 = await monitorRun();
    expect(r1.state).toBe('down');
    expect(r1.consecutiveFailures).toBe(1);
    // The streak needs memory before any incident: the target's issue is made once and closed at once.
    expect(gh.issues).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ state: 'closed', state_reason: 'not_planned', comments: [] });
    expect(gh.issues[0]!.labels).toEqual(['deploy-kit-monitor', 'incident']);
    expect(r1.incidents.filter((i) => i.open)).toEqual([]);

    const r2 = await monitorRun();
    expect(r2.consecutiveFailures).toBe(2);
    expect(gh.issues.filter((i) => i.state === 'open')).toHaveLength(0);
    expect(events()).toEqual([]);

    const r3 = await monitorRun();
    expect(r3.consecutiveFailures).toBe(3);
    expect(gh.issues).toHaveLength(1);
    const issue = gh.issues[0]!;
    expect(issue.state).toBe('open');
    expect(issue.comments).toHaveLength(1);
    expect(issue.comments[0]!.body).toContain('endpoint health failing** for 3 run(s) in a row');
    expect(issue.comments[0]!.body).toContain('502');
    expect(r3.incidents).toEqual([
      expect.objectContaining({ kind: 'endpoint', number: issue.number, open: true, action: 'opened' }),
    ]);
    expect(events()).toEqual(['incident-opened']);

    const before = issue.comments.length;
    const r4 = await monitorRun();
    expect(r4.consecutiveFailures).toBe(4);
    expect(gh.issues).toHaveLength(1);
    expect(issue.comments).toHaveLength(before);
    expect(gh.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/issues'))).toHaveLength(1);
    expect(events()).toEqual(['incident-opened']);
  });

  it('one passing run keeps the incident open; the second closes it with a summary', async () => {
    status = 200;
    const r5 = await monitorRun();
    expect(r5.state).toBe('up');
    expect(r5.consecutiveFailures).toBe(0);
    const issue = gh.issues[0]!;
    expect(issue.state).toBe('open');
    expect(r5.incidents[0]).toMatchObject({ open: true, action: 'updated' });

    const r6 = await monitorRun();
    expect(issue.state).toBe('closed');
    expect(issue.state_reason).toBe('completed');
    const summary = issue.comments.at(-1)!.body;
    expect(summary).toContain('Resolved');
    expect(summary).toMatch(/down for \d+ s\)/);
    expect(summary).toContain('healed by: no heal');
    expect(summary).toContain('last failure:');
    expect(r6.incidents[0]).toMatchObject({ open: false, action: 'closed' });
    expect(events()).toEqual(['incident-opened', 'incident-resolved']);
    expect(gh.issues).toHaveLength(1);
  });

  it('a maintenance window (maintenance-until, or an open issue labelled maintenance) counts nothing and writes nothing', async () => {
    status = 502;
    const writesBefore = writes().length;
    const until = new Date(Date.now() + 3_600_000).toISOString();
    for (let n = 0; n < 4; n++) {
      const r = await monitorRun({ 'maintenance-until': until });
      expect(r.state).toBe('maintenance');
      expect(r.maintenance).toContain('maintenance-until');
    }
    const window = gh.seed('DB upgrade tonight', ['maintenance']);
    for (let n = 0; n < 4; n++) {
      const r = await monitorRun();
      expect(r.state).toBe('maintenance');
      expect(r.maintenance).toContain(`issue #${window.number}`);
    }
    expect(writes()).toHaveLength(writesBefore);
    expect(gh.issues.filter((i) => i.labels.includes('deploy-kit-monitor') && i.state === 'open')).toHaveLength(0);
    expect(events()).toEqual(['incident-opened', 'incident-resolved']);
    // The window ends: counting starts where it was (0), a new incident needs three failed runs again.
    gh.issues.find((i) => i.number === window.number)!.state = 'closed';
    expect((await monitorRun()).consecutiveFailures).toBe(1);
  });

  it('the next incident reopens the same issue (never a second one) and the notification is signed', async () => {
    await monitorRun();
    const r = await monitorRun();
    expect(r.consecutiveFailures).toBe(3);
    expect(gh.issues.filter((i) => i.labels.includes('deploy-kit-monitor'))).toHaveLength(1);
    expect(gh.issues[0]).toMatchObject({ state: 'open', state_reason: 'reopened' });
    const last = rx.received.at(-1)!;
    expect(JSON.parse(last.body)).toMatchObject({ event: 'incident-opened', target: 'shop' });
    expect(last.headers['x-deploy-kit-signature-256']).toMatch(/^sha256=[0-9a-f]{64}$/);
    status = 200;
    await monitorRun();
    await monitorRun();
    expect(gh.issues[0]!.state).toBe('closed');
  });

  it("every request and response matched GitHub's published OpenAPI description", () => {
    expect(gh.requests.length).toBeGreaterThan(20);
    expect(gh.schemaErrors).toEqual([]);
  });

  it('labels dropped by GitHub (a token that may not set them): the run fails instead of making an issue every run', async () => {
    gh.dropLabels = true;
    status = 502;
    try {
      const before = gh.issues.length;
      await expect(monitorRun({ name: 'nolabels' })).rejects.toThrow(
        /without the label\(s\) deploy-kit-monitor, incident: the token may not set labels/,
      );
      expect(gh.issues).toHaveLength(before + 1);
      await expect(monitorRun({ name: 'nolabels' })).rejects.toThrow(/without the label/);
      // It fails every run (red, not silent); the label-less issues it could not help making are closed.
      expect(gh.issues).toHaveLength(before + 2);
      expect(gh.issues.slice(before).map((i) => i.state)).toEqual(['closed', 'closed']);
    } finally {
      gh.dropLabels = false;
      status = 200;
    }
  });

  it('a GitHub API that keeps failing fails the run, naming the permission to give', async () => {
    gh.failNext(1, 403);
    await expect(monitorRun()).rejects.toThrow(/403 .*permissions: issues: write/);
    gh.failNext(0, 200);
  });
});

describe('host checks on the runner (run-on: local)', () => {
  it('backup age: an old or missing backup fails the backup check, a fresh one passes; disk figures are read', async () => {
    const backups = join(work, 'backups');
    mkdirSync(backups);
    const runner = new RunnerTarget();
    const base = {
      url: '',
      name: 'db-host',
      'run-on': 'local',
      'check-containers': 'false',
      'backup-dir': backups,
      'max-backup-age': '26h',
    };
    try {
      let r = await monitorRun(base, [runner]);
      expect(r.checks.find((c) => c.kind === 'backup')).toMatchObject({
        ok: false,
        problems: [expect.stringContaining('no backup file')],
      });
      writeFileSync(join(backups, 'app-2026.dump'), 'x'.repeat(100));
      const old = (Date.now() - 30 * 3_600_000) / 1000;
      utimesSync(join(backups, 'app-2026.dump'), old, old);
      r = await monitorRun(base, [runner]);
      expect(r.checks.find((c) => c.kind === 'backup')!.problems[0]).toMatch(/is 30 h old \(max-backup-age 26 h\)/);
      writeFileSync(join(backups, 'app-2027.dump'), 'y'.repeat(10));
      writeFileSync(join(backups, 'app-2027.dump.sha256'), 'z');
      r = await monitorRun(base, [runner]);
      expect(r.checks.find((c) => c.kind === 'backup')).toMatchObject({ ok: true, problems: [] });
      expect(r.backups[0]!.newest).toMatchObject({ path: 'app-2027.dump', size: 10 });
      expect(r.disk[0]).toMatchObject({ path: '/', mount: '/' });
      expect(r.disk[0]!.usedPercent).toEqual(expect.any(Number));
      expect(r.checks.find((c) => c.kind === 'disk')!.ok).toBe(true);
      // A threshold below what the disk uses fails it, naming the fix.
      r = await monitorRun({ ...base, 'max-disk-usage': '0%' }, [runner]);
      expect(r.checks.find((c) => c.kind === 'disk')!.problems[0]).toContain('max-disk-usage 0%');
    } finally {
      await runner.dispose();
    }
  });
});

describe("the stand-in's OpenAPI check itself", () => {
  it("catches a response or request that does not match GitHub's shapes", async () => {
    const { validate } = await import('../fixtures/github-issues.js');
    const issueSchema = { $ref: '#/components/schemas/issue' };
    expect(validate(issueSchema, { number: 'seven' })).toEqual(
      expect.arrayContaining(['$.number: string where integer expected', '$.html_url: required']),
    );
    const patch = { type: 'object', properties: { state: { type: 'string', enum: ['open', 'closed'] } } };
    expect(validate(patch, { state: 'reopen' })).toEqual(['$.state: "reopen" not in ["open","closed"]']);
  });
});

describe('endpoint check through the health-gate core: TLS days and smoke load', () => {
  it('a certificate that expires sooner than min-tls-days fails the endpoint check', async () => {
    const tlsApp = await startHttpApp({ tls: selfSignedCert(5) });
    try {
      const r = await monitorRun({
        url: tlsApp.url('/healthz'),
        name: 'tls-site',
        'min-tls-days': '14',
        'insecure-tls': 'true',
      });
      const endpoint = r.checks.find((c) => c.kind === 'endpoint')!;
      expect(endpoint.ok).toBe(false);
      expect(endpoint.problems.join('\n')).toMatch(/TLS|certificate/i);
      expect(r.health!.urls[0]!.tlsDaysLeft).toBeLessThanOrEqual(5);
    } finally {
      await tlsApp.close();
    }
  });

  it('a smoke load over max-error-rate fails the check though single probes pass', async () => {
    const flappy = await startHttpApp();
    try {
      const r = await monitorRun({
        url: flappy.url('/flap'),
        name: 'flappy',
        'load-concurrency': '2',
        'load-requests': '20',
        'max-error-rate': '1%',
      });
      const endpoint = r.checks.find((c) => c.kind === 'endpoint')!;
      expect(r.health!.urls[0]!.healthy).toBe(true);
      expect(endpoint.ok).toBe(false);
      expect(endpoint.problems.join('\n')).toMatch(/smoke load: error rate .* over max-error-rate 1\.00%/);
    } finally {
      await flappy.close();
    }
  });
});

describe('backup freshness in S3-compatible storage (backup-db freshness check; s3rver behind a SigV4-checking proxy)', () => {
  it('only finished backups (with their .sha256) count; the newest must be younger than max-backup-age', async () => {
    const s3 = await startS3();
    const client = new S3Client({
      endpoint: s3.endpoint,
      region: s3.region,
      forcePathStyle: true,
      credentials: { accessKeyId: s3.accessKeyId, secretAccessKey: s3.secretAccessKey },
    });
    const stamp = (ms: number) =>
      new Date(ms)
        .toISOString()
        .replace(/[-:]/g, '')
        .replace(/\.\d{3}Z$/, 'Z');
    const put = (key: string, body = 'x') =>
      client.send(new PutObjectCommand({ Bucket: s3.bucket, Key: `prod/${key}`, Body: body }));
    try {
      const old = `shop-${stamp(Date.now() - 30 * 3_600_000)}.dump.zst`;
      const fresh = `shop-${stamp(Date.now() - 3_600_000)}.dump.zst`;
      await put(old);
      await put(`${old}.sha256`);
      await put(fresh); // no .sha256 yet: an upload that never finished
      const inputs = {
        url: '',
        name: 'backups',
        'backup-storage': `s3://${s3.bucket}/prod`,
        'backup-database': 'shop',
        's3-endpoint': s3.endpoint,
        's3-region': s3.region,
        's3-access-key-id': s3.accessKeyId,
        's3-secret-access-key': s3.secretAccessKey,
        'max-backup-age': '26h',
      };
      let r = await monitorRun(inputs);
      const stale = r.checks.find((c) => c.kind === 'backup')!;
      expect(stale.ok).toBe(false);
      expect(stale.problems[0]).toContain(old);
      expect(r.storage).toMatchObject({ newest: old, fresh: false, count: 1 });

      await put(`${fresh}.sha256`);
      r = await monitorRun(inputs);
      expect(r.checks.find((c) => c.kind === 'backup')).toMatchObject({ ok: true, problems: [] });
      expect(r.storage).toMatchObject({ newest: fresh, fresh: true, count: 2 });

      // Wrong keys: the check cannot run, so it fails (closed), naming the storage.
      r = await monitorRun({ ...inputs, 's3-secret-access-key': 'wrong-secret-key' });
      expect(r.checks.find((c) => c.kind === 'backup')!.problems[0]).toContain(
        `could not list s3://${s3.bucket}/prod/`,
      );
    } finally {
      client.destroy();
      await s3.stop();
    }
  });
});
