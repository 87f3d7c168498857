import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { parseChallenge, RegistryClient, sha256Digest } from '../../src/lib/oci/client.js';
import { readPromoteConfig } from '../../src/core/promote/config.js';
import { OCI_MANIFEST } from '../../src/lib/oci/media-types.js';
import { formatRef, parseImageRef } from '../../src/lib/oci/reference.js';
import { mapInputs } from '../helpers/inputs.js';

const D = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  it.each([
    ['ghcr.io/acme/app:v1', { registry: 'ghcr.io', repository: 'acme/app', tag: 'v1' }],
    ['127.0.0.1:5000/a/b/c@' + D, { registry: '127.0.0.1:5000', repository: 'a/b/c', digest: D }],
    ['localhost/app:1.0@' + D, { registry: 'localhost', repository: 'app', tag: '1.0', digest: D }],
    ['nginx', { registry: 'docker.io', repository: 'library/nginx' }],
    ['acme/app:latest', { registry: 'docker.io', repository: 'acme/app', tag: 'latest' }],
    ['reg.example:443/x_y/z-w.q:t_1', { registry: 'reg.example:443', repository: 'x_y/z-w.q', tag: 't_1' }],
  ])('%s', (text, ref) => {
    expect(parseImageRef(text)).toEqual(ref);
  });

  it.each([
    ['', /empty/],
    ['Acme/App:v1', /not a valid repository/],
    ['ghcr.io/a@sha256:123', /64 lowercase hex/],
    ['ghcr.io/a:-bad', /not a valid tag/],
    ['ghcr.io/a b:1', /whitespace/],
  ])('rejects %j', (text, msg) => {
    expect(() => parseImageRef(text)).toThrow(msg);
  });

  it('formats back', () => {
    expect(formatRef(parseImageRef(`ghcr.io/acme/app:v1@${D}`))).toBe(`ghcr.io/acme/app:v1@${D}`);
  });
});

describe('WWW-Authenticate', () => {
  it('parses a Bearer challenge with a space-separated scope and commas inside quotes', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example/token",service="reg",scope="repository:a:pull,push repository:b:pull"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example/token',
        service: 'reg',
        scope: 'repository:a:pull,push repository:b:pull',
      },
    });
    expect(parseChallenge('Basic realm="x"')).toEqual({ scheme: 'basic', params: { realm: 'x' } });
  });
});

describe('promote inputs', () => {
  it('reads source, targets and credentials; target credentials default to the source ones', () => {
    const secrets: string[] = [];
    const cfg = readPromoteConfig(
      mapInputs(
        {
          source: `ghcr.io/acme/app@${D}`,
          target: 'ghcr.io/acme/app:prod\nregistry.example/acme/app:v1',
          username: 'u',
          password: 'pw-secret',
        },
        secrets,
      ),
    );
    expect(cfg.targets.map(formatRef)).toEqual(['ghcr.io/acme/app:prod', 'registry.example/acme/app:v1']);
    expect(cfg.targetCredentials).toEqual({ username: 'u', password: 'pw-secret' });
    expect(cfg.noClobber).toBe(false);
    expect(secrets).toContain('pw-secret');
  });

  it.each([
    [{ source: 'ghcr.io/acme/app', target: 'x:1' }, /input `source`: .*needs a digest/],
    [{ source: 'ghcr.io/acme/app:1', target: '' }, /input `target`: is required/],
    [{ source: 'ghcr.io/acme/app:1', target: 'a:1,a:1' }, /input `target`: .*listed twice/],
    [{ source: 'ghcr.io/acme/app:1', target: 'a:1', username: 'u' }, /input `password`: is required/],
    [{ source: 'ghcr.io/acme/app:1', target: 'a:1', 'insecure-http': 'x' }, /input `insecure-http`/],
  ])('%o', (values, msg) => {
    expect(() => readPromoteConfig(mapInputs(values))).toThrow(msg);
  });
});

describe('manifest verification (a misbehaving stand-in registry)', () => {
  it('refuses bytes that do not hash to the requested digest or to Docker-Content-Digest', async () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }));
    const server = http.createServer((req, res) => {
      const lie = req.url!.endsWith('/lie') ? D : sha256Digest(body);
      res.writeHead(200, { 'content-type': OCI_MANIFEST, 'docker-content-digest': lie }).end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const c = new RegistryClient({
        registry: `127.0.0.1:${(server.address() as AddressInfo).port}`,
        insecureHttp: true,
      });
      expect((await c.getManifest('a', 'ok')).digest).toBe(sha256Digest(body));
      await expect(c.getManifest('a', D)).rejects.toThrow(/hash to sha256:.*not the requested digest/);
      await expect(c.getManifest('a', 'lie')).rejects.toThrow(/Docker-Content-Digest .* does not match/);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });
});
