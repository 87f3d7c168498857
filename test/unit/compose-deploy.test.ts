import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Inputs } from '../../src/lib/inputs.js';
import { InputError } from '../../src/lib/errors.js';
import { derivedProjectName, readComposeDeployConfig } from '../../src/core/compose-deploy/config.js';
import {
  compose,
  hostStep,
  pinnedRef,
  projectOf,
  recreateCommand,
  repositoryOf,
  scaleUpCommand,
} from '../../src/core/compose-deploy/builders.js';
import { parseComposeConfig, planServices } from '../../src/core/compose-deploy/plan.js';

const D = 'a'.repeat(64);

function cfg(extra: Record<string, string>) {
  const base: Record<string, string> = {
    'run-on': 'local',
    path: '/srv/shop',
    image: 'ghcr.io/acme/shop:1.2',
    ...extra,
  };
  return readComposeDeployConfig(new Inputs((n) => base[n] ?? ''), {});
}

function inputError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('no error');
}

describe('compose-deploy config', () => {
  it('derives a stable project name from path, as Compose does', () => {
    expect(derivedProjectName('/srv/Shop.App')).toBe('shopapp');
    expect(cfg({}).projectName).toBe('shop');
    expect(cfg({ path: '/srv/shop/releases/123' }).projectName).toBe('123');
    expect(cfg({ 'project-name': 'shop' }).projectName).toBe('shop');
  });

  it('refuses bad inputs naming the input, before anything connects', () => {
    expect(inputError(() => cfg({ path: '/' })).input).toBe('path');
    expect(inputError(() => cfg({ 'project-name': 'shop$(id)' })).input).toBe('project-name');
    expect(inputError(() => cfg({ 'project-name': '-shop' })).input).toBe('project-name');
    expect(inputError(() => cfg({ services: 'web,-v' })).input).toBe('services');
    expect(inputError(() => cfg({ services: 'web;rm -rf /' })).input).toBe('services');
    expect(inputError(() => cfg({ image: '-v/:/host' })).input).toBe('image');
    expect(inputError(() => cfg({ image: 'shop:1`id`' })).input).toBe('image');
    expect(inputError(() => cfg({ 'release-service': '--entrypoint=sh' })).input).toBe('release-service');
    expect(inputError(() => cfg({ 'proxy-service': 'ng inx' })).input).toBe('proxy-service');
    expect(inputError(() => cfg({ 'image-variable': 'APP-IMAGE' })).input).toBe('image-variable');
    expect(inputError(() => cfg({ 'compose-file': '../x.yml' })).input).toBe('compose-file');
    expect(inputError(() => cfg({ 'compose-file': '-f' })).input).toBe('compose-file');
    expect(inputError(() => cfg({ image: '' })).input).toBe('image');
    expect(inputError(() => cfg({ rollback: 'true' })).input).toBe('rollback');
    expect(inputError(() => cfg({ rollback: '../x', image: '' })).input).toBe('rollback');
    expect(inputError(() => cfg({ backup: 'postgres' })).input).toBe('database');
    expect(inputError(() => cfg({ 'restore-db-on-rollback': 'true' })).input).toBe('restore-db-on-rollback');
    expect(inputError(() => cfg({ url: 'http://x', 'health-timeout': 'soon' })).input).toBe('health-timeout');
  });

  it('reads the gate with its own names and health-timeout for the per-request limit', () => {
    const c = cfg({ url: 'http://127.0.0.1:1/healthz', 'health-timeout': '3s', timeout: '20m' });
    expect(c.health?.timing.timeoutMs).toBe(3000);
    expect(c.timeoutMs).toBe(20 * 60_000);
    expect(cfg({}).health).toBeUndefined();
  });

  it('rollback: true means the previous good release; an id is kept', () => {
    expect(cfg({ rollback: 'true', image: '' }).rollback).toBe('previous');
    expect(cfg({ rollback: 'rel-7', image: '' }).rollback).toBe('rel-7');
  });
});

describe('compose-deploy builders', () => {
  const v1 = projectOf('v1', '/srv/shop', [], 'shop', 'APP_IMAGE');
  const v2 = projectOf('v2', '/srv/shop', ['compose.prod.yml'], 'shop', 'APP_IMAGE');

  it('start-first scale-up: never recreates the old container; the image travels as env, not argv', () => {
    const c = scaleUpCommand(v1, 'web', 2, `reg/shop@sha256:${D}`);
    expect(c.argv).toEqual([
      'docker-compose',
      '-p',
      'shop',
      'up',
      '-d',
      '--no-deps',
      '--no-recreate',
      '--no-build',
      '--scale',
      'web=2',
      'web',
    ]);
    expect(c.env).toEqual({ APP_IMAGE: `reg/shop@sha256:${D}` });
    expect(c.cwd).toBe('/srv/shop');
    const c2 = scaleUpCommand(v2, 'web', 4, 'x');
    expect(c2.argv).toEqual([
      'docker',
      'compose',
      '-f',
      'compose.prod.yml',
      '-p',
      'shop',
      'up',
      '-d',
      '--no-deps',
      '--no-recreate',
      '--no-build',
      '--scale',
      'web=4',
      'web',
    ]);
    expect(recreateCommand(v2, ['web', 'worker'], 'x').argv.slice(-5)).toEqual([
      '-d',
      '--no-deps',
      '--force-recreate',
      'web',
      'worker',
    ]);
  });

  it('never builds a command that removes volumes', () => {
    for (const c of [
      scaleUpCommand(v1, 'web', 2, 'x'),
      recreateCommand(v1, ['web'], 'x'),
      compose(v1, ['config'], 'x'),
    ]) {
      expect(c.argv).not.toContain('-v');
      expect(c.argv).not.toContain('down');
      expect(c.argv).not.toContain('--volumes');
    }
  });

  it('pins an image: the digest of its own repository, else the image id', () => {
    const id = `sha256:${'b'.repeat(64)}`;
    expect(
      pinnedRef(
        '127.0.0.1:5000/shop:v2',
        `${id} ["127.0.0.1:5000/shop@sha256:${D}","other/shop@sha256:${'c'.repeat(64)}"]`,
      ),
    ).toBe(`127.0.0.1:5000/shop@sha256:${D}`);
    expect(pinnedRef('shop:v1', `${id} []`)).toBe(id);
    expect(pinnedRef('shop:v1', `${id} null`)).toBe(id);
    expect(pinnedRef(`shop@sha256:${D}`, `${id} []`)).toBe(`shop@sha256:${D}`);
    expect(() => pinnedRef('shop', 'garbage')).toThrow(/no image id/);
    expect(repositoryOf('127.0.0.1:5000/a/shop:v2')).toBe('127.0.0.1:5000/a/shop');
    expect(repositoryOf('127.0.0.1:5000/shop')).toBe('127.0.0.1:5000/shop');
  });

  it('host steps: constant script, values as positional parameters', () => {
    const c = hostStep('set-env', '/srv/my app', 'APP_IMAGE', '$(reboot)');
    expect(c.argv.slice(0, 2)).toEqual(['sh', '-c']);
    expect(c.argv.slice(3)).toEqual(['deploy-kit', 'set-env', '/srv/my app', 'APP_IMAGE', '$(reboot)']);
    expect(c.argv[2]).not.toContain('$(reboot)');
  });
});

describe('compose-deploy plan', () => {
  const v1Config = `
services:
  web:
    image: reg/shop@sha256:${D}
    healthcheck:
      test: ["CMD", "true"]
  worker:
    image: reg/shop@sha256:${D}
  db:
    image: postgres:15
    ports:
      - 127.0.0.1:5432:5432/tcp
  proxy:
    image: nginx
    ports:
      - 127.0.0.1:8080:80/tcp
`;
  const v2Config = `
services:
  web:
    image: reg/shop@sha256:${D}
    container_name: shop-web
  api:
    image: reg/shop@sha256:${D}
    ports:
      - mode: ingress
        host_ip: 127.0.0.1
        target: 8000
        published: "8000"
        protocol: tcp
  other:
    image: reg/shop@sha256:${D}
    ports:
      - target: 9000
    healthcheck:
      disable: true
`;
  const img = `reg/shop@sha256:${D}`;

  it('picks the services that use the image variable; reads healthchecks', () => {
    const info = parseComposeConfig(v1Config);
    expect(planServices(info, img, [], 'rolling', 'APP_IMAGE').map((s) => s.name)).toEqual(['web', 'worker']);
    expect(info.services.web!.hasHealthcheck).toBe(true);
    expect(info.services.worker!.hasHealthcheck).toBe(false);
    expect(parseComposeConfig(v2Config).services.other!.hasHealthcheck).toBe(false);
    expect(() => planServices(info, 'reg/other:1', [], 'rolling', 'APP_IMAGE')).toThrow(/image: \$\{APP_IMAGE\}/);
    expect(() => planServices(info, img, ['db'], 'rolling', 'APP_IMAGE')).toThrow(/db does not take its image from/);
    expect(() => planServices(info, img, ['nope'], 'rolling', 'APP_IMAGE')).toThrow(/no service "nope"/);
  });

  it('detects container_name and fixed host ports (v1 and v2 shapes) before anything changes; recreate allows them', () => {
    const info = parseComposeConfig(v2Config);
    expect(() => planServices(info, img, ['web'], 'rolling', 'APP_IMAGE')).toThrow(
      /container_name "shop-web".*strategy: recreate/s,
    );
    expect(() => planServices(info, img, ['api'], 'rolling', 'APP_IMAGE')).toThrow(
      /fixed host port\(s\) 127\.0\.0\.1:8000:8000/,
    );
    expect(planServices(info, img, ['other'], 'rolling', 'APP_IMAGE').map((s) => s.name)).toEqual(['other']);
    expect(planServices(info, img, ['web', 'api'], 'recreate', 'APP_IMAGE')).toHaveLength(2);
    expect(parseComposeConfig(v1Config).services.proxy!.fixedPorts).toEqual(['127.0.0.1:8080:80/tcp']);
  });
});

describe('compose-deploy host script (run by sh here)', () => {
  const sh = (argv: readonly string[]) => execFileSync(argv[0]!, argv.slice(1), { encoding: 'utf8' });

  it('set-env replaces the variable in place, keeps every other line, its order and the mode; get-env reads it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-cd-env-'));
    try {
      const env = join(dir, '.env');
      writeFileSync(env, '# settings\nA=1\nAPP_IMAGE=old:1\nAPP_IMAGE_EXTRA=keep\nB=two words\n');
      chmodSync(env, 0o640);
      sh(hostStep('set-env', dir, 'APP_IMAGE', `reg/shop@sha256:${D}`).argv);
      expect(readFileSync(env, 'utf8')).toBe(
        `# settings\nA=1\nAPP_IMAGE=reg/shop@sha256:${D}\nAPP_IMAGE_EXTRA=keep\nB=two words\n`,
      );
      expect(statSync(env).mode & 0o777).toBe(0o640);
      expect(sh(hostStep('get-env', dir, 'APP_IMAGE').argv).trim()).toBe(`reg/shop@sha256:${D}`);
      sh(hostStep('set-env', dir, 'OTHER', 'x').argv);
      expect(readFileSync(env, 'utf8').endsWith('OTHER=x\n')).toBe(true);
      rmSync(env);
      expect(sh(hostStep('get-env', dir, 'APP_IMAGE').argv)).toBe('');
      sh(hostStep('set-env', dir, 'APP_IMAGE', 'a:1').argv);
      expect(readFileSync(env, 'utf8')).toBe('APP_IMAGE=a:1\n');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records and lists release images; history is empty before the first deploy', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dk-cd-img-'));
    try {
      expect(sh(hostStep('images', dir).argv)).toBe('');
      expect(sh(hostStep('history', dir).argv)).toBe('');
      sh(hostStep('set-image', dir, 'rel-1', 'a@sha256:' + D).argv);
      sh(hostStep('set-image', dir, 'rel-2', 'sha256:' + D).argv);
      expect(sh(hostStep('images', dir).argv).split('\n').filter(Boolean).sort()).toEqual(['rel-1', 'rel-2']);
      expect(sh(hostStep('get-image', dir, 'rel-2').argv).trim()).toBe('sha256:' + D);
      expect(sh(hostStep('backups', dir).argv).trim()).toBe(join(dir, '.deploy-kit', 'backups'));
      expect(statSync(join(dir, '.deploy-kit', 'backups')).mode & 0o777).toBe(0o700);
      writeFileSync(join(dir, 'docker-compose.yml'), 'services: {}\n');
      expect(sh(hostStep('default-file', dir).argv).trim()).toBe(join(dir, 'docker-compose.yml'));
      expect(() => sh(hostStep('check-dir', join(dir, 'nope')).argv)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
