/**
 * paas-deploy units: input validation (refusals name the input), error mapping, log-line neutralizing, the
 * source tarball (read back by the real `tar` program), the Procfile release line, and the bounded wait.
 * No provider is reached here (none can be from this machine).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readPaasConfig } from '../../src/core/paas-deploy/config.js';
import { explainStatus, waitFor, WaitError } from '../../src/core/paas-deploy/http.js';
import { procfileWithRelease } from '../../src/core/paas-deploy/providers/heroku.js';
import { makeSourceTarball } from '../../src/core/paas-deploy/tarball.js';
import { mapInputs } from '../helpers/inputs.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'paas-unit-'));
  mkdirSync(join(dir, 'app', 'static'), { recursive: true });
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, '.git', 'config'), '[core]\n');
  writeFileSync(join(dir, 'Procfile'), 'web: gunicorn app.wsgi\n');
  writeFileSync(join(dir, 'app', 'static', 'site.css'), 'body{}\n');
  writeFileSync(join(dir, 'run.sh'), '#!/bin/sh\necho hi\n', { mode: 0o755 });
  const deep = join(dir, 'd'.repeat(60), 'e'.repeat(60));
  mkdirSync(deep, { recursive: true });
  writeFileSync(join(deep, 'f'.repeat(40)), 'deep\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const base = (extra: Record<string, string> = {}): Record<string, string> => ({
  provider: 'heroku',
  app: 'gamy',
  'api-token': 'tok-1234',
  source: dir,
  url: 'https://gamy.example.com/healthz',
  ...extra,
});
const SLUG = 'ff40c84f-a538-4b65-a838-88fdd5245f4b';
const AZ_IMG = `ghcr.io/acme/app@sha256:${'e'.repeat(64)}`;
/** A complete azure input set (client-secret sign-in, a staging slot). */
const AZ: Record<string, string> = {
  provider: 'azure',
  app: 'metabuilder-prod',
  source: '',
  'api-token': '',
  image: AZ_IMG,
  'azure-subscription-id': '0b1f6471-1bf0-4dda-aec3-cb9272f09590',
  'azure-tenant-id': '72f988bf-86f1-41af-91ab-2d7cd011db47',
  'azure-client-id': '5c8a1f2e-3d4b-4c6a-9e0f-1a2b3c4d5e6f',
  'azure-resource-group': 'rg-metabuilder',
  'azure-client-secret': 'azsecret~value',
  slot: 'staging',
};
const read = (extra: Record<string, string>, secrets: string[] = []) =>
  readPaasConfig(mapInputs(base(extra), secrets), { GITHUB_WORKSPACE: dir });

describe('paas-deploy config', () => {
  it('reads a heroku deploy; the token and config values are masked; health timeout is its own input', () => {
    const secrets: string[] = [];
    const cfg = read({ config: 'A=1\nSECRET_KEY=abcdef', 'health-timeout': '2s', timeout: '5m' }, secrets);
    expect(cfg).toMatchObject({
      provider: 'heroku',
      mode: 'deploy',
      apiUrl: 'https://api.heroku.com',
      timeoutMs: 300_000,
    });
    expect(cfg.gate?.timing.timeoutMs).toBe(2_000);
    expect(secrets).toEqual(expect.arrayContaining(['tok-1234', 'abcdef']));
    expect(cfg.config).toEqual({ A: '1', SECRET_KEY: 'abcdef' });
  });

  it.each([
    [{ provider: 'digitalocean', source: '' }, 'input `image`: is required for digitalocean'],
    [
      { provider: 'railway', source: '', image: `ghcr.io/a/b@sha256:${'d'.repeat(64)}` },
      'input `environment`: is required for railway',
    ],
    [
      { provider: 'azure', source: '', image: AZ_IMG, 'api-token': '' },
      'input `azure-subscription-id`: is required for azure',
    ],
    [{ ...AZ, 'api-token': 'tok' }, 'input `api-token`: is not used with azure'],
    [{ ...AZ, 'azure-tenant-id': 'contoso' }, 'input `azure-tenant-id`: "contoso" is not a GUID'],
    [{ ...AZ, 'azure-resource-group': '' }, 'input `azure-resource-group`: is required for azure'],
    [{ ...AZ, slot: 'production' }, 'input `slot`: "production" is not a deployment slot name'],
    [{ ...AZ, 'azure-client-secret': '' }, 'input `azure-client-secret`: is not set and GitHub OIDC is not available'],
    [
      { ...AZ, 'release-command': 'alembic upgrade head' },
      'input `release-command`: Azure App Service has no release phase',
    ],
    [
      { ...AZ, slot: '', 'production-url': 'https://x.example.com/' },
      'input `production-url`: is the gate run on production after the slot swap',
    ],
    [
      { ...AZ, mode: 'rollback', image: '', 'production-url': 'https://x.example.com/' },
      'input `production-url`: is not used with `mode: rollback`',
    ],
    [
      { ...AZ, 'azure-login-url': 'http://login.example.com' },
      'input `azure-login-url`: "http://login.example.com" must be https://',
    ],
    [{ 'azure-resource-group': 'rg' }, 'input `azure-resource-group`: is only used with `provider: azure`, not heroku'],
    [{ provider: 'fly' }, 'input `provider`: "fly" is not one of'],
    [{ provider: 'render', source: '' }, 'input `image`: is required for render'],
    [{ provider: 'render' }, 'input `source`: render deploys an image here'],
    [
      { provider: 'render', source: '', image: 'ghcr.io/acme/app:latest' },
      'input `image`: "ghcr.io/acme/app:latest" must be pinned by digest',
    ],
    [
      { provider: 'render', source: '', mode: 'promote', 'promote-to': 'srv-b' },
      'input `image`: is required for render with `mode: promote`',
    ],
    [{ environment: 'env-1' }, "input `environment`: is Railway's environment id; heroku has no such setting"],
    [{ slot: 'staging' }, 'input `slot`: is only used with `provider: azure`, not heroku'],
    [{ 'api-token': '' }, 'input `api-token`: is required for heroku'],
    [{ image: 'ghcr.io/acme/app@sha256:' + 'a'.repeat(64) }, 'input `image`: Heroku builds from source here'],
    [{ source: '' }, 'input `source`: is required for heroku'],
    [{ source: 'nope-dir' }, 'input `source`: "nope-dir" is not a directory'],
    [{ url: '' }, 'input `url`: is required'],
    [{ mode: 'promote' }, 'input `promote-to`: is required with `mode: promote`'],
    [{ 'rollback-to': 'v3' }, 'input `rollback-to`: is only used with `mode: rollback`'],
    [{ slug: SLUG }, 'input `slug`: is only used with `provider: heroku` and `mode: promote`'],
    [
      { provider: 'render', source: '', mode: 'promote', 'promote-to': 'srv-b', image: AZ_IMG, slug: SLUG },
      'input `slug`: is only used with `provider: heroku` and `mode: promote`',
    ],
    [
      { mode: 'promote', 'promote-to': 'gamy-prod', slug: 'v12' },
      'input `slug`: "v12" is not a Heroku slug id (a UUID',
    ],
    [{ mode: 'rollback', config: 'A=1' }, 'input `config`: is not applied with `mode: rollback`'],
    [
      { provider: 'render', source: '', mode: 'promote', 'promote-to': 'srv-b', image: AZ_IMG, config: 'A=1' },
      'input `config`: is not applied with `mode: promote` on render; nothing was deployed. Deploy the same image',
    ],
    [{ 'api-url': 'http://api.example.com' }, 'input `api-url`: "http://api.example.com" must be https://'],
    [{ 'api-url': 'https://u:p@api.example.com' }, 'input `api-url`: must not carry credentials'],
    [{ 'health-timeout': 'soon' }, 'input `health-timeout`: "soon" is not a duration'],
    [
      { 'github-environment': 'prod', 'github-token': '' },
      'input `github-token`: is required with `github-environment`',
    ],
  ])('refuses %j', (extra, message) => {
    expect(() => read(extra as Record<string, string>)).toThrow(message);
  });

  it('health-gate false skips the gate (explicit); rollback mode gates only when url is set', () => {
    expect(read({ url: '', 'health-gate': 'false' }).gate).toBeUndefined();
    expect(read({ url: '', mode: 'rollback', source: '' }).gate).toBeUndefined();
    expect(read({ mode: 'rollback', source: '' }).gate?.urls).toEqual(['https://gamy.example.com/healthz']);
  });

  it('render takes an image by digest; its default API is api.render.com/v1', () => {
    const img = `ghcr.io/acme/app@sha256:${'c'.repeat(64)}`;
    expect(read({ provider: 'render', source: '', image: img, app: 'srv-abc' })).toMatchObject({
      provider: 'render',
      image: img,
      apiUrl: 'https://api.render.com/v1',
    });
  });

  it('azure: slot deploy with a client secret (masked), the production gate from production-url; OIDC from the runner env', () => {
    const secrets: string[] = [];
    const cfg = read({ ...AZ, 'production-url': 'https://metabuilder.example.com/healthz' }, secrets);
    expect(cfg).toMatchObject({
      provider: 'azure',
      apiUrl: 'https://management.azure.com',
      token: '',
      azure: { resourceGroup: 'rg-metabuilder', slot: 'staging', loginUrl: 'https://login.microsoftonline.com' },
    });
    expect(cfg.finalGate?.urls).toEqual(['https://metabuilder.example.com/healthz']);
    expect(cfg.gate?.urls).toEqual(['https://gamy.example.com/healthz']);
    expect(secrets).toContain('azsecret~value');
    const oidc = readPaasConfig(mapInputs(base({ ...AZ, 'azure-client-secret': '' })), {
      GITHUB_WORKSPACE: dir,
      ACTIONS_ID_TOKEN_REQUEST_URL: 'https://pipelines.actions.githubusercontent.com/x/idtoken?api-version=2.0',
      ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'req-token',
    });
    expect(oidc.azure?.oidc?.requestToken).toBe('req-token');
    expect(oidc.azure?.clientSecret).toBeUndefined();
  });

  it('heroku promote takes the slug to release on promote-to', () => {
    expect(read({ mode: 'promote', source: '', 'promote-to': 'gamy-prod', slug: SLUG })).toMatchObject({
      mode: 'promote',
      promoteTo: 'gamy-prod',
      slug: SLUG,
    });
    expect(read({ mode: 'promote', source: '', 'promote-to': 'gamy-prod' }).slug).toBeUndefined();
    // Heroku applies `config` to promote-to before the promotion (integration paas-heroku).
    expect(read({ mode: 'promote', source: '', 'promote-to': 'gamy-prod', config: 'A=1' }).config).toEqual({ A: '1' });
  });

  it('a loopback http api-url is allowed (test peers)', () => {
    expect(read({ 'api-url': 'http://127.0.0.1:4567/' }).apiUrl).toBe('http://127.0.0.1:4567');
  });
});

describe('paas-deploy error mapping', () => {
  const hints = { provider: 'Heroku', token: 'a Heroku API key with write', resource: 'app `gamy`' };
  it('401 names api-token and the scope, 404 names app, 422 names the field', () => {
    expect(explainStatus(401, 'GET', '/apps/gamy', 'Invalid credentials', hints)).toMatch(
      /401 .*Check `api-token`: it must be a Heroku API key with write/,
    );
    expect(explainStatus(403, 'GET', '/apps/gamy', '', hints)).toContain('may not act on app `gamy`');
    expect(explainStatus(404, 'GET', '/apps/gamy?x=1', 'not found', hints)).toMatch(
      /GET \/apps\/gamy returned 404.*Check `app`/,
    );
    expect(explainStatus(422, 'POST', '/apps/gamy/builds', 'bad url', hints, 'source_blob.url')).toContain(
      'rejected the field `source_blob.url`: bad url',
    );
  });
});

describe('paas-deploy source tarball', () => {
  it('is a gzipped tar the real tar program lists: no .git, long paths kept, modes kept, stable bytes', () => {
    const t = makeSourceTarball(dir);
    const file = join(dir, '..', `paas-unit-${process.pid}.tgz`);
    writeFileSync(file, t.bytes);
    try {
      const list = execFileSync('tar', ['-tzvf', file], { encoding: 'utf8' });
      expect(list).not.toContain('.git');
      expect(list).toContain('app/static/site.css');
      expect(list).toContain(`${'d'.repeat(60)}/${'e'.repeat(60)}/${'f'.repeat(40)}`);
      expect(list).toMatch(/-rwxr-xr-x .* run\.sh/);
      expect(execFileSync('tar', ['-xzOf', file, 'app/static/site.css'], { encoding: 'utf8' })).toBe('body{}\n');
    } finally {
      rmSync(file, { force: true });
    }
    expect(makeSourceTarball(dir).sha256).toBe(t.sha256);
    expect(t.sha256).toMatch(/^SHA256:[0-9a-f]{64}$/);
  });

  it('replaces the Procfile only in the archive', () => {
    const t = makeSourceTarball(dir, { Procfile: 'web: x\nrelease: migrate\n' });
    const file = join(dir, '..', `paas-unit-p-${process.pid}.tgz`);
    writeFileSync(file, t.bytes);
    try {
      expect(execFileSync('tar', ['-xzOf', file, 'Procfile'], { encoding: 'utf8' })).toBe('web: x\nrelease: migrate\n');
    } finally {
      rmSync(file, { force: true });
    }
  });

  it('Procfile release line: added when missing, kept when equal, refused when different', () => {
    expect(procfileWithRelease(dir, 'python manage.py migrate')).toEqual({
      text: 'web: gunicorn app.wsgi\nrelease: python manage.py migrate\n',
      release: 'python manage.py migrate',
    });
    expect(procfileWithRelease(dir, undefined)).toEqual({});
    const other = mkdtempSync(join(tmpdir(), 'paas-proc-'));
    try {
      writeFileSync(join(other, 'Procfile'), 'release: ./migrate.sh\nweb: x');
      expect(procfileWithRelease(other, './migrate.sh')).toEqual({ release: './migrate.sh' });
      expect(procfileWithRelease(other, undefined)).toEqual({ release: './migrate.sh' });
      expect(() => procfileWithRelease(other, 'alembic upgrade head')).toThrow(/differs from the Procfile/);
    } finally {
      rmSync(other, { recursive: true, force: true });
    }
  });
});

describe('paas-deploy bounded wait', () => {
  it('gives up on an idle provider with its last state, and stops at once on cancel', async () => {
    let reads = 0;
    const idle = waitFor(
      'build b1',
      async () => {
        reads++;
        return 'pending';
      },
      (s) => s,
      () => false,
      { intervalMs: 5, maxIntervalMs: 10, deadline: Date.now() + 60_000, idleMs: 60 },
      new AbortController().signal,
    );
    await expect(idle).rejects.toMatchObject({ end: 'idle-timeout', lastState: 'pending', what: 'build b1' });
    expect(reads).toBeGreaterThan(1);

    const c = new AbortController();
    let n = 0;
    const cancelled = waitFor(
      'release r1',
      async () => {
        if (++n === 2) c.abort();
        return 'pending';
      },
      (s) => s,
      () => false,
      { intervalMs: 5, maxIntervalMs: 10, deadline: Date.now() + 60_000, idleMs: 60_000 },
      c.signal,
    );
    await expect(cancelled).rejects.toBeInstanceOf(WaitError);
    await expect(cancelled).rejects.toMatchObject({ end: 'cancelled' });
    expect(n).toBe(2);
  });
});
