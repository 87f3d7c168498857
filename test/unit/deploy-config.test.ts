/** The root action's config: the three actions' readers under one set of inputs, renamed where they clash. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readOneStepConfig } from '../../src/core/deploy/config.js';
import { mapInputs } from '../helpers/inputs.js';

const src = mkdtempSync(join(tmpdir(), 'dk-onestep-cfg-'));
afterAll(() => rmSync(src, { recursive: true, force: true }));

const base = { source: src, path: '/srv/app', 'release-id': 'r7', url: 'http://127.0.0.1:8000/healthz' };

describe('readOneStepConfig', () => {
  it('release phase runs in the new release, under the lock this run already holds', () => {
    const cfg = readOneStepConfig(
      mapInputs({ ...base, preset: 'django', 'release-timeout': '90s', 'release-idle-timeout': '7m' }),
      {},
    );
    expect(cfg.deploy.activate).toBe('true');
    expect(cfg.deploy.rollback).toBeUndefined();
    expect(cfg.release).toMatchObject({
      runOn: 'ssh',
      workingDirectory: '/srv/app/releases/r7',
      lockBase: undefined,
      timeoutMs: 90_000,
      idleTimeoutMs: 420_000,
    });
  });

  it('clashing names are prefixed: health-timeout is the per-request limit, release-timeout the phase limit', () => {
    const cfg = readOneStepConfig(mapInputs({ ...base, commands: 'true', 'health-timeout': '3s', timeout: '1s' }), {});
    expect(cfg.health.timing.timeoutMs).toBe(3000);
    expect(cfg.release?.timeoutMs).toBe(3_600_000); // the plain `timeout` name is read by neither
  });

  it('no preset and no commands: no release phase', () => {
    expect(readOneStepConfig(mapInputs(base), {}).release).toBeUndefined();
  });

  it('errors name the input as the user wrote it', () => {
    const err = (extra: Record<string, string>) => () => readOneStepConfig(mapInputs({ ...base, ...extra }), {});
    expect(err({ 'health-timeout': '-2s' })).toThrow(/^input `health-timeout`: "-2s" is negative/);
    expect(err({ commands: 'true', 'release-timeout': 'later' })).toThrow(/^input `release-timeout`: /);
    expect(err({ url: '' })).toThrow(/^input `url`: is required/);
    expect(err({ url: 'ftp://x' })).toThrow(/^input `url`: "ftp:\/\/x" must start with http/);
    expect(err({ 'django-superuser': 'true' })).toThrow(/^input `django-superuser`: needs preset: django/);
    expect(err({ preset: 'django', 'django-superuser': 'true' })).toThrow(/^input `env`: django-superuser needs/);
  });

  it('env values and header values are masked once, through the action’s own inputs', () => {
    const secrets: string[] = [];
    readOneStepConfig(
      mapInputs(
        {
          ...base,
          preset: 'django',
          env: 'DATABASE_URL=postgres://u:pw@db/app',
          headers: 'Authorization: Bearer t0ken',
        },
        secrets,
      ),
      {},
    );
    expect(secrets).toContain('postgres://u:pw@db/app');
    expect(secrets).toContain('Bearer t0ken');
  });

  it('compose project: the deploy base directory, never the release directory; exported to the commands', () => {
    const cfg = readOneStepConfig(
      mapInputs({ ...base, path: '/srv/My App_1', 'compose-service': 'web', commands: 'true' }),
      {},
    );
    expect(cfg.release?.composeProject).toBe('myapp_1');
    expect(cfg.release?.historyBase).toBeUndefined(); // a failed phase discards the release instead
    expect(cfg.deploy.env.COMPOSE_PROJECT_NAME).toBe('myapp_1');
    const given = readOneStepConfig(
      mapInputs({ ...base, 'compose-service': 'web', 'compose-project': 'shop', commands: 'true' }),
      {},
    );
    expect(given.release?.composeProject).toBe('shop');
    expect(given.deploy.env.COMPOSE_PROJECT_NAME).toBe('shop');
    expect(() =>
      readOneStepConfig(mapInputs({ ...base, 'compose-service': 'web', 'compose-project': '-p', commands: 'x' }), {}),
    ).toThrow(/^input `compose-project`: "-p" is not a Compose project name/);
    expect(readOneStepConfig(mapInputs({ ...base, commands: 'true' }), {}).deploy.env).toEqual({});
  });
});
