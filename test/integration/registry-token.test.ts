/** Bearer token auth: a real docker-registry trusting a small token issuer run by the test. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/lib/oci/client.js';
import { promote } from '../../src/core/promote/promote.js';
import { runPromote } from '../../src/core/promote/run.js';
import { parseImageRef, type ImageRef } from '../../src/lib/oci/reference.js';
import { startGitHubStandIn } from '../fixtures/github-deployments.js';
import { pushIndex, type PushedImage } from '../fixtures/oci-content.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { startTokenIssuer, type TokenIssuer } from '../fixtures/token-issuer.js';

const target = (s: string): ImageRef & { tag: string } => parseImageRef(s) as ImageRef & { tag: string };

describe('registry token auth (real registry + test token issuer)', () => {
  let issuer: TokenIssuer;
  let reg: Registry;
  let plain: Registry;
  let img: PushedImage;
  const pusher = (): RegistryClient =>
    new RegistryClient({
      registry: reg.host,
      insecureHttp: true,
      credentials: { username: 'pusher', password: 'push-secret' },
    });

  beforeAll(async () => {
    issuer = await startTokenIssuer({
      pusher: { password: 'push-secret', actions: ['pull', 'push'] },
      reader: { password: 'read-secret', actions: ['pull'] },
    });
    [reg, plain] = await Promise.all([startRegistry({ authYaml: issuer.authYaml }), startRegistry()]);
    img = await pushIndex(new RegistryClient({ registry: plain.host, insecureHttp: true }), 'app/src', 'build');
  });
  afterAll(async () => {
    await Promise.all([reg?.stop(), plain?.stop()]);
    await issuer?.stop();
  });

  it('copies into the token registry, then mounts across its repositories with a token covering both', async () => {
    const dst = pusher();
    const r = await promote({
      source: parseImageRef(`${plain.host}/app/src@${img.digest}`),
      sourceClient: new RegistryClient({ registry: plain.host, insecureHttp: true }),
      targets: [{ ref: target(`${reg.host}/staging/app:sha-1`), client: dst }],
      noClobber: true,
    });
    expect(r.targets[0]!.blobs.copied).toBe(img.blobs.size);
    expect(issuer.requests.length).toBeGreaterThan(0);
    expect(issuer.requests.every((q) => q.user === 'pusher')).toBe(true);

    const c = pusher();
    const r2 = await promote({
      source: parseImageRef(`${reg.host}/staging/app@${img.digest}`),
      sourceClient: c,
      targets: [{ ref: target(`${reg.host}/prod/app:v1`), client: c }],
      noClobber: true,
    });
    expect(r2.targets[0]!.blobs).toEqual({ mounted: img.blobs.size, copied: 0, present: 0 });
    expect(c.stats.bytesUploaded).toBe(0);
    // The mount asked for push on the target and pull on the source repository in one token.
    expect(issuer.requests.some((q) => q.scopes.includes('repository:staging/app:pull'))).toBe(true);
    expect(
      issuer.requests.some(
        (q) => q.scopes.includes('repository:prod/app:pull,push') && q.scopes.includes('repository:staging/app:pull'),
      ),
      JSON.stringify(issuer.requests.map((q) => q.scopes)),
    ).toBe(true);
    expect(await pusher().resolveTag('prod/app', 'v1')).toBe(img.digest);
  });

  it('a pull-only user can read but not promote; a wrong password fails at the token endpoint', async () => {
    const reader = new RegistryClient({
      registry: reg.host,
      insecureHttp: true,
      credentials: { username: 'reader', password: 'read-secret' },
    });
    expect((await reader.getManifest('prod/app', 'v1')).digest).toBe(img.digest);
    await expect(
      promote({
        source: parseImageRef(`${reg.host}/prod/app@${img.digest}`),
        sourceClient: reader,
        targets: [{ ref: target(`${reg.host}/prod/app:v2`), client: reader }],
        noClobber: false,
      }),
    ).rejects.toThrow(/401/);
    expect(await pusher().resolveTag('prod/app', 'v2')).toBeUndefined();
    const wrong = new RegistryClient({
      registry: reg.host,
      insecureHttp: true,
      credentials: { username: 'pusher', password: 'nope' },
    });
    await expect(wrong.getManifest('prod/app', 'v1')).rejects.toThrow(/token endpoint .*: 401/);
  });

  it('a write refused after the deployment was recorded marks that deployment failed', async () => {
    const gh = await startGitHubStandIn('acme/app');
    try {
      const err = await runPromote({
        source: parseImageRef(`${reg.host}/prod/app@${img.digest}`),
        targets: [target(`${reg.host}/prod/app:v3`)],
        sourceCredentials: { username: 'reader', password: 'read-secret' },
        targetCredentials: { username: 'reader', password: 'read-secret' },
        noClobber: true,
        insecureHttp: true,
        environment: 'production',
        github: { apiUrl: gh.apiUrl, repository: gh.repository, token: gh.token, ref: 'main' },
      }).catch((e: unknown) => e as Error);
      expect(err).toBeInstanceOf(Error);
      expect((err as Error).message).toMatch(/401/);
      expect(gh.deployments).toHaveLength(1);
      const states = gh.statuses.get(gh.deployments[0]!.id)!.map((s) => s.state);
      expect(states).toEqual(['failure', 'in_progress']);
      expect(await pusher().resolveTag('prod/app', 'v3')).toBeUndefined();
    } finally {
      await gh.close();
    }
  });
});
