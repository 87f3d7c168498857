/**
 * compose-deploy end to end: the bundle run as the runner runs it (run-on local: the runner is the host),
 * against a real bridged Docker Engine, docker-compose v1 (the v2 plugin is not packaged here; its argv is
 * unit-tested) and a stack like the target systems' (test/fixtures/compose-stack.ts: nginx → Django/gunicorn
 * → PostgreSQL 15 with a named volume). Images come from a real registry on 127.0.0.1 (pulled and pinned by
 * digest). Traffic goes only to the proxy's port published on 127.0.0.1.
 *
 * The releases follow each other as a server's would (one engine and one set of images for the file):
 * v2 (a new migration) → v3 (its migration fails) → v4 (its gate fails; the database is restored) → manual
 * rollback. Each test asserts the state afterwards: what serves, which image, which migrations, .env, the
 * lock, the history, the volumes.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startComposeStack, startProber, type ComposeStack } from '../fixtures/compose-stack.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { expectRefusedBeforeConnect, unusedSshInputs } from '../fixtures/refused-inputs.js';
import { startSshd } from '../fixtures/sshd.js';
import { runDist } from '../helpers/run-dist.js';

let s: ComposeStack;
let reg: Registry;
const images: Record<string, string> = {};

beforeAll(async () => {
  reg = await startRegistry();
  s = await startComposeStack({ initial: { version: 'v1' } });
  const versions = {
    v2: { version: 'v2', migrations: ['0003_stock.py'] },
    v3: { version: 'v3', migrations: ['0003_stock.py', '0004_broken.py'] },
    v4: { version: 'v4', migrations: ['0003_stock.py', '0004_discount.py'], gateFail: true },
    sick: { version: 'sick', migrations: ['0003_stock.py'], neverHealthy: true },
  };
  for (const [tag, v] of Object.entries(versions)) {
    images[tag] = `${reg.host}/shop:${tag}`;
    s.appImage(images[tag], v);
    s.docker('push', images[tag]);
  }
}, 600_000);

afterAll(async () => {
  await s?.stop();
  await reg?.stop();
});

function inputs(extra: Record<string, string>): Record<string, string> {
  return {
    'run-on': 'local',
    path: s.dir,
    'proxy-service': 'proxy',
    'release-service': 'web',
    preset: 'django',
    url: `${s.url}/healthz`,
    'expect-json': 'status == ok',
    period: '500ms',
    deadline: '20s',
    'failure-threshold': '2',
    'drain-timeout': '25s',
    'healthy-timeout': '4m',
    ...extra,
  };
}

// Bounded below the tests' own limit (300 s): a run cut off by the test would leave its deploy lock behind.
const run = (extra: Record<string, string>) =>
  runDist('compose-deploy', inputs(extra), { env: { DOCKER_HOST: s.dockerHost }, timeoutMs: 280_000 });

const history = () =>
  readFileSync(join(s.dir, '.deploy-kit', 'releases.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map(
      (l) =>
        JSON.parse(l) as { event: string; id: string; how?: string; from?: string; reason?: string; image?: string },
    );

const served = async (): Promise<string> => (await (await fetch(`${s.url}/version`)).text()).trim();
const volumes = () => s.docker('volume', 'ls', '-q').split('\n').filter(Boolean).sort();
const digestOf = (ref: string) => {
  const repo = ref.replace(/:[^:/]+$/, '');
  const digests = JSON.parse(s.docker('image', 'inspect', '--format', '{{json .RepoDigests}}', ref)) as string[];
  return digests.find((d) => d.startsWith(`${repo}@`))!;
};

describe.sequential('compose-deploy on a live stack (v1 → v2 → v3 → v4 → rollback)', () => {
  let volumesBefore: string[];

  it('v2: release phase on the live database, rolling swap with no failed request, image pinned and persisted', async () => {
    volumesBefore = volumes();
    expect(volumesBefore.some((v) => v.endsWith('_pgdata'))).toBe(true);
    expect(await served()).toBe('v1');
    const prober = startProber(s.url);
    await new Promise((r) => setTimeout(r, 1000)); // the prober is in flight before the update starts
    const r = await run({ image: images.v2!, 'release-id': 'rel-v2' });
    await new Promise((r2) => setTimeout(r2, 1000));
    const p = await prober.stop();
    console.log(
      `zero-downtime prober (rolling, v1 → v2): ${p.requests} requests in ${p.ms} ms (${p.rate.toFixed(1)}/s), ${p.failed.length} failed ${JSON.stringify(p.kinds)}; phases ${r.outputs.phases}`,
    );
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    const pinned = digestOf(images.v2!);
    expect(r.outputs.image).toBe(pinned);
    expect(r.outputs['previous-image']).toMatch(/^sha256:[0-9a-f]{64}$/); // v1 was a local build: its image id
    expect(JSON.parse(r.outputs.migrations!).applied).toEqual(['shop.0003_stock']);
    // The migration is in the live project's database (the one the app serves from), not in a new project.
    expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
    expect(volumes()).toEqual(volumesBefore);
    expect(s.envImage()).toBe(pinned);
    expect(s.running('web')).toEqual([pinned]);
    expect(await served()).toBe('v2');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    const h = history();
    expect(h.map((e) => [e.event, e.id, e.how])).toEqual([
      ['activate', 'before-rel-v2', 'seed'],
      ['activate', 'rel-v2', 'deploy'],
    ]);
    // The history alone says what served: the seed holds v1's image id, the release v2's pinned digest.
    expect(h[0]!.image).toBe(r.outputs['previous-image']);
    expect(h[1]!.image).toBe(pinned);
    expect(readFileSync(join(s.dir, '.deploy-kit', 'images', 'rel-v2'), 'utf8').trim()).toBe(pinned);
    // Zero downtime, measured: every response 2xx while v1 was replaced by v2 under traffic.
    expect(p.failed).toEqual([]);
    expect(p.versions).toContain('v1');
    expect(p.versions).toContain('v2');
    expect(p.versions.indexOf('v1')).toBeLessThan(p.versions.lastIndexOf('v2'));
    expect(JSON.parse(r.outputs.hosts!)[0].swaps[0].service).toBe('web');
    expect(r.summary).toContain('compose-deploy release rel-v2: ok');
  }, 300_000);

  it('v3: a failing migration changes nothing that serves (v2 keeps serving, .env unchanged, lock released, marked bad)', async () => {
    const pinnedV2 = s.envImage();
    const r = await run({ image: images.v3!, 'release-id': 'rel-v3' });
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.status).toBe('failed');
    expect(r.stdout + r.stderr).toMatch(/migration shop\.0004_broken failed/);
    expect(s.envImage()).toBe(pinnedV2);
    expect(s.running('web')).toEqual([pinnedV2]);
    expect(await served()).toBe('v2');
    expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
    expect(volumes()).toEqual(volumesBefore);
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    expect(
      history()
        .filter((e) => e.event === 'bad')
        .map((e) => e.id),
    ).toEqual(['rel-v3']);
    // No one-off release container left behind.
    expect(s.docker('ps', '-a', '--format', '{{.Names}}')).not.toMatch(/deploy-kit-release/);
  }, 300_000);

  it('a failed pull changes nothing (v2 keeps serving, .env unchanged, lock released)', async () => {
    const pinnedV2 = s.envImage();
    const r = await run({ image: `${reg.host}/shop:no-such-tag`, 'release-id': 'rel-nopull' });
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.join('\n')).toMatch(/pulling .*no-such-tag failed \(nothing was changed\)/);
    expect(s.envImage()).toBe(pinnedV2);
    expect(s.running('web')).toEqual([pinnedV2]);
    expect(await served()).toBe('v2');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    expect(history().some((e) => e.id === 'rel-nopull')).toBe(false);
  }, 300_000);

  it('a new container that never becomes healthy is removed; the old one never stopped serving', async () => {
    const pinnedV2 = s.envImage();
    const oldId = s.docker('ps', '-q', '--filter', 'label=com.docker.compose.service=web').trim();
    const r = await run({ image: images.sick!, 'release-id': 'rel-sick', 'healthy-timeout': '20s' });
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.join('\n')).toMatch(/not healthy within healthy-timeout|is unhealthy/);
    expect(s.envImage()).toBe(pinnedV2);
    expect(s.running('web')).toEqual([pinnedV2]);
    // The same container as before: it was never stopped or recreated.
    expect(s.docker('ps', '-q', '--filter', 'label=com.docker.compose.service=web').trim()).toBe(oldId);
    expect(s.docker('ps', '-aq', '--filter', 'label=com.docker.compose.service=web').trim()).toBe(oldId);
    expect(await served()).toBe('v2');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    expect(
      history()
        .filter((e) => e.event === 'bad')
        .map((e) => e.id),
    ).toContain('rel-sick');
    expect(volumes()).toEqual(volumesBefore);
  }, 300_000);

  it('v4: the gate fails after the swap: back to v2 on its own, marked bad, database restored from the pre-update backup', async () => {
    const pinnedV2 = s.envImage();
    s.sql("INSERT INTO shop_product (name, price_cents, stock) VALUES ('kept', 100, 3)");
    const r = await run({
      image: images.v4!,
      'release-id': 'rel-v4',
      backup: 'postgres',
      database: 'shop',
      'database-url': s.databaseUrl,
      'restore-db-on-rollback': 'true',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.status).toBe('rolled-back');
    expect(r.outputs['rolled-back']).toBe('true');
    expect(r.outputs.image).toBe(pinnedV2);
    expect(s.envImage()).toBe(pinnedV2);
    expect(s.running('web')).toEqual([pinnedV2]);
    expect(await served()).toBe('v2');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    const h = history();
    expect(h.filter((e) => e.event === 'bad').map((e) => e.id)).toEqual(['rel-v3', 'rel-sick', 'rel-v4']);
    expect(h.at(-2)).toMatchObject({ event: 'activate', id: 'rel-v2', how: 'revert', from: 'rel-v4' });
    expect(volumes()).toEqual(volumesBefore);
    // v4's migration ran on the live database, then the pre-update backup was restored after the switch back.
    expect(JSON.parse(r.outputs.migrations!).applied).toEqual(['shop.0004_discount']);
    expect(r.outputs['restored-db']).toBe('true');
    expect(s.shopMigrations()).toEqual(['0001_initial', '0002_price', '0003_stock']);
    expect(
      s.sql(
        "SELECT count(*) FROM information_schema.columns WHERE table_name = 'shop_product' AND column_name = 'discount'",
      ),
    ).toBe('0');
    expect(s.sql('SELECT name, stock FROM shop_product')).toBe('kept|3');
    // The backup is kept on the host, under the project's .deploy-kit/backups, with the sha256 reported.
    const backupPath = r.outputs['backup-path']!;
    expect(backupPath.startsWith(join(s.dir, '.deploy-kit', 'backups') + '/')).toBe(true);
    const host = JSON.parse(r.outputs.hosts!)[0];
    expect(createHash('sha256').update(readFileSync(backupPath)).digest('hex')).toBe(host.backup.sha256);
    expect(await served()).toBe('v2');
  }, 300_000);

  it('rollback: true goes to the release live before v2 (v1), never to a bad one', async () => {
    const r = await run({ rollback: 'true', 'release-id': 'rel-rb', preset: 'none' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    expect(r.outputs['release-id']).toBe('before-rel-v2');
    expect(await served()).toBe('v1');
    expect(s.envImage()).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(history().at(-1)).toMatchObject({ event: 'activate', id: 'before-rel-v2', how: 'rollback', from: 'rel-v2' });
    expect(history().at(-1)!.image).toBe(s.envImage());
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
  }, 300_000);

  it('over SSH (real sshd, docker-host passed as env): rollback to a release by id, pinned by digest', async () => {
    const sshd = await startSshd();
    try {
      const r = await runDist('compose-deploy', {
        hosts: sshd.spec,
        'private-key': sshd.privateKey,
        'known-hosts': sshd.knownHosts,
        path: s.dir,
        'docker-host': s.dockerHost,
        'proxy-service': 'proxy',
        rollback: 'rel-v2',
        'release-id': 'ignored-for-rollback',
        url: `${s.url}/healthz`,
        'expect-json': 'status == ok',
        period: '500ms',
        deadline: '20s',
      });
      expect(r.exitCode, r.stdout + r.stderr).toBe(0);
      expect(r.outputs.status).toBe('ok');
      expect(r.outputs['release-id']).toBe('rel-v2');
      const pinned = digestOf(images.v2!);
      expect(r.outputs.image).toBe(pinned);
      expect(s.envImage()).toBe(pinned);
      expect(s.running('web')).toEqual([pinned]);
      expect(await served()).toBe('v2');
      expect(JSON.parse(r.outputs.hosts!)[0].host).toContain(`127.0.0.1:${sshd.port}`);
      expect(history().at(-1)).toMatchObject({
        event: 'activate',
        id: 'rel-v2',
        how: 'rollback',
        from: 'before-rel-v2',
      });
      expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
      // The post step removed the key material.
      expect(r.post?.exitCode).toBe(0);
    } finally {
      await sshd.stop();
    }
  }, 300_000);

  it('build: true builds on the host, tags the image with the release id, deploys it pinned by image id', async () => {
    const override = s.buildSource('src-v5', { version: 'v5', migrations: ['0003_stock.py'] });
    const r = await run({ build: 'true', 'release-id': 'rel-v5', 'compose-file': `docker-compose.yml,${override}` });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    const id = s.docker('image', 'inspect', '--format', '{{.Id}}', 'shopstack-deploy-kit:rel-v5').trim();
    expect(r.outputs.image).toBe(id);
    expect(s.envImage()).toBe(id);
    expect(s.running('web')).toEqual([id]);
    expect(await served()).toBe('v5');
    expect(readFileSync(join(s.dir, '.deploy-kit', 'images', 'rel-v5'), 'utf8').trim()).toBe(id);
    expect(history().at(-1)).toMatchObject({ event: 'activate', id: 'rel-v5', how: 'deploy', from: 'rel-v2' });
    expect(volumes()).toEqual(volumesBefore);
  }, 300_000);
});

describe.sequential('no Docker healthcheck: the in-network HTTP probe decides (sent from the proxy container)', () => {
  let noHc = '';
  beforeAll(() => {
    // The stack's compose file without web's healthcheck: only the HTTP probe can tell a new container is ready.
    // (A v1 override cannot remove it: `disable: true` or test NONE merged over the base file's interval is refused.)
    noHc = 'no-healthcheck.yml';
    const text = readFileSync(s.file, 'utf8');
    const web = text.indexOf('\n  web:\n');
    const without = text.slice(0, web) + text.slice(web).replace(/\n {4}healthcheck:\n(?: {6}.*\n)+/, '\n');
    expect(without).not.toEqual(text);
    writeFileSync(join(s.dir, noHc), without);
  });
  const files = () => noHc;
  const health = (id: string) =>
    s.docker('inspect', '--format', '{{if .State.Health}}{{.State.Health.Status}}{{end}}', id).trim();

  it('probe-path /ping on port 8000: the new container answers over the project network, then it serves', async () => {
    const r = await run({
      image: images.v2!,
      'release-id': 'rel-probe',
      preset: 'none',
      'compose-file': files(),
      'probe-path': '/ping',
      'probe-port': '8000',
    });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.outputs.status).toBe('ok');
    // The probe went from the proxy's container to the new container's address on the project network.
    expect(r.stdout).toMatch(/answered http:\/\/10\.\d+\.\d+\.\d+:8000\/ping \(HTTP probe from shopstack_proxy_1\)/);
    const id = s.docker('ps', '-q', '--filter', 'label=com.docker.compose.service=web').trim();
    expect(id.split('\n')).toHaveLength(1);
    expect(health(id)).toBe(''); // no Docker healthcheck ran: the probe was what decided
    expect(s.running('web')).toEqual([digestOf(images.v2!)]);
    expect(await served()).toBe('v2');
  }, 300_000);

  it('a new container whose probe never passes is removed; the old one never stopped serving', async () => {
    const pinned = s.envImage();
    const oldId = s.docker('ps', '-q', '--filter', 'label=com.docker.compose.service=web').trim();
    // v4 answers /healthz with 503 (its /ping is fine): probe /healthz.
    const r = await run({
      image: images.v4!,
      'release-id': 'rel-probe-fail',
      preset: 'none',
      'compose-file': files(),
      'probe-path': '/healthz',
      'probe-port': '8000',
      'healthy-timeout': '15s',
    });
    expect(r.exitCode).not.toBe(0);
    expect(r.outputs.status).toBe('failed');
    expect(r.annotations.join('\n')).toMatch(/not healthy within healthy-timeout \(15 s\)/);
    expect(r.stdout).not.toMatch(/answered http/);
    expect(s.docker('ps', '-aq', '--filter', 'label=com.docker.compose.service=web').trim()).toBe(oldId);
    expect(s.envImage()).toBe(pinned);
    expect(await served()).toBe('v2');
    expect(existsSync(join(s.dir, '.deploy-kit', 'lock'))).toBe(false);
    expect(history().at(-1)).toMatchObject({ event: 'bad', id: 'rel-probe-fail' });
  }, 300_000);
});

describe('bad inputs', () => {
  it('fail naming the input before anything connects (a listener on the host port sees no connection)', async () => {
    await expectRefusedBeforeConnect(
      'compose-deploy',
      (port) => ({ ...unusedSshInputs(port), path: '/srv/shop', image: 'reg.example/shop:1' }),
      [
        [{ 'project-name': 'shop$(id)' }, /input `project-name`/],
        [{ 'project-name': '-p' }, /input `project-name`/],
        [{ services: 'web,--scale' }, /input `services`/],
        [{ 'release-service': 'web;reboot', preset: 'django' }, /input `release-service`/],
        [{ image: '--privileged' }, /input `image`/],
        [{ image: 'shop:1 && reboot' }, /input `image`/],
        [{ path: '/' }, /input `path`/],
      ],
    );
  }, 120_000);
});
