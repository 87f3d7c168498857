/**
 * Bearer token auth against registries served over https (real docker-registry with a self-signed certificate
 * trusted by this test process): registry credentials go to the token realm only over https. A plain-http realm,
 * or an https realm redirecting to plain http, is refused before anything reaches it, and nothing is written.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, isLoopbackRegistry } from '../../src/lib/oci/client.js';
import { promote } from '../../src/core/promote/promote.js';
import { parseImageRef, type ImageRef } from '../../src/lib/oci/reference.js';
import { pushIndex, type PushedImage } from '../fixtures/oci-content.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { selfSignedCert, startHttpsTokenFront, type HttpsTokenFront } from '../fixtures/tls-cert.js';
import { startTokenIssuer, type TokenIssuer } from '../fixtures/token-issuer.js';

const target = (s: string): ImageRef & { tag: string } => parseImageRef(s) as ImageRef & { tag: string };

/**
 * The client reaches registries on 127.0.0.0/8 over plain http (as Docker does). `127.1` is the same address
 * (the URL parser expands it to 127.0.0.1, so traffic stays on 127.0.0.1) written in a form the loopback rule
 * does not match, so the client treats the registry like a remote one: https, certificate checked.
 */
const httpsName = (r: Registry): string => `127.1:${r.port}`;

describe('registry token auth over https (real registry with TLS + test token issuer)', () => {
  let dir: string;
  let issuer: TokenIssuer;
  let front: HttpsTokenFront;
  let frontHits: { path: string; authorization: boolean }[];
  let plain: Registry;
  /** https registry whose realm is the issuer's plain-http URL. */
  let httpRealm: Registry;
  /** https registry whose https realm redirects to the issuer's plain-http URL. */
  let downgrade: Registry;
  /** https registry whose realm is https (the front, forwarding to the issuer on this machine). */
  let httpsRealm: Registry;
  let img: PushedImage;
  let savedCas: string[];
  let frontUrl: string;
  const pusher = (r: Registry, log?: (line: string) => void): RegistryClient =>
    new RegistryClient({
      registry: httpsName(r),
      credentials: { username: 'pusher', password: 'push-secret' },
      ...(log ? { log } : {}),
    });
  const repoDir = (r: Registry, repo: string): string =>
    join(r.dir, 'data', 'docker', 'registry', 'v2', 'repositories', repo);

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dk-tls-'));
    const withTls = selfSignedCert(dir);
    const cert = withTls.certificate;
    savedCas = tls.getCACertificates('default');
    tls.setDefaultCACertificates([...savedCas, readFileSync(cert, 'utf8')]);

    issuer = await startTokenIssuer({ pusher: { password: 'push-secret', actions: ['pull', 'push'] } });
    front = await startHttpsTokenFront(withTls, issuer.realm);
    frontHits = front.hits;
    frontUrl = front.url;
    const realmAt = (url: string): string => issuer.authYaml.replace(`realm: ${issuer.realm}`, `realm: ${url}`);
    [plain, httpRealm, downgrade, httpsRealm] = await Promise.all([
      startRegistry(),
      startRegistry({ authYaml: issuer.authYaml, tls: withTls }),
      startRegistry({ authYaml: realmAt(`${frontUrl}/hop`), tls: withTls }),
      startRegistry({ authYaml: realmAt(`${frontUrl}/token`), tls: withTls }),
    ]);
    img = await pushIndex(new RegistryClient({ registry: plain.host, insecureHttp: true }), 'app/src', 'build');
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), httpRealm?.stop(), downgrade?.stop(), httpsRealm?.stop()]);
    await front?.stop();
    await issuer?.stop();
    if (savedCas) tls.setDefaultCACertificates(savedCas);
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const promoteInto = (r: Registry, tag: string, log?: (line: string) => void): Promise<unknown> =>
    promote({
      source: parseImageRef(`${plain.host}/app/src@${img.digest}`),
      sourceClient: new RegistryClient({ registry: plain.host, insecureHttp: true }),
      targets: [{ ref: target(`${httpsName(r)}/prod/app:${tag}`), client: pusher(r, log) }],
      noClobber: true,
    });

  it('the registries are reached over https (the premise of every case below)', () => {
    expect(isLoopbackRegistry(httpsName(httpRealm))).toBe(false);
    expect(httpRealm.url.startsWith('https://')).toBe(true);
  });

  it('an https registry with a plain-http token realm: refused before the credentials are sent, nothing pushed', async () => {
    const hitsBefore = issuer.hits.length;
    const err = await promoteInto(httpRealm, 'v1').then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err).toBeInstanceOf(Error);
    expect(err!.message).toMatch(/reached over https but its Bearer token realm is http/);
    expect(err!.message).toMatch(/token realm as an https URL/);
    expect(err!.message).toMatch(/insecure-http/);
    expect(err!.message).not.toContain('push-secret');
    // The token endpoint saw nothing at all (so no Authorization header), and the registry holds no repository.
    expect(issuer.hits.slice(hitsBefore)).toEqual([]);
    expect(existsSync(repoDir(httpRealm, 'prod/app'))).toBe(false);
    await expect(pusher(httpRealm).getManifest('prod/app', 'v1')).rejects.toThrow(/token realm is http/);
    expect(issuer.hits.slice(hitsBefore)).toEqual([]);
  });

  it('an https realm that redirects to plain http: the redirect is refused, the http endpoint sees nothing', async () => {
    const hitsBefore = issuer.hits.length;
    const frontBefore = frontHits.length;
    await expect(promoteInto(downgrade, 'v1')).rejects.toThrow(/token realm is http/);
    // The https hop was asked (over TLS) and answered with the redirect; the plain-http endpoint got no request.
    expect(frontHits.slice(frontBefore).map((h) => h.path)).toEqual(['/hop']);
    expect(issuer.hits.slice(hitsBefore)).toEqual([]);
    expect(existsSync(repoDir(downgrade, 'prod/app'))).toBe(false);
  });

  it('an https registry with an https token realm: the credentials go over https and the promotion lands', async () => {
    const frontBefore = frontHits.length;
    const told: string[] = [];
    await promoteInto(httpsRealm, 'v1', (l) => told.push(l));
    // The realm is on another host:port than the registry: the user is told, once, where the credentials went.
    expect(told).toEqual([
      `${httpsName(httpsRealm)}: credentials sent to the token endpoint it names, ${frontUrl}/token`,
    ]);
    expect(await pusher(httpsRealm).resolveTag('prod/app', 'v1')).toBe(img.digest);
    const hits = frontHits.slice(frontBefore);
    expect(hits.length).toBeGreaterThan(0);
    expect(hits.every((h) => h.path === '/token' && h.authorization)).toBe(true);
    expect(issuer.requests.some((q) => q.user === 'pusher')).toBe(true);
  });
});
