/**
 * dist/promote run as the runner runs it into a registry served over https (real docker-registry with a
 * self-signed certificate the step trusts through NODE_EXTRA_CA_CERTS) whose Bearer token realm is plain http:
 * the step fails before the credentials reach the token endpoint, names the fix, and the registry is unchanged.
 * With an https realm the same promotion lands (the refusal is about the scheme, not about token auth).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/lib/oci/client.js';
import { pushIndex, type PushedImage } from '../fixtures/oci-content.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';
import { selfSignedCert, startHttpsTokenFront, type HttpsTokenFront, type TlsFiles } from '../fixtures/tls-cert.js';
import { startTokenIssuer, type TokenIssuer } from '../fixtures/token-issuer.js';
import { runDist } from '../helpers/run-dist.js';

/** `127.1` is 127.0.0.1 in a form the client's loopback rule does not match: the step uses https for it. */
const httpsName = (r: Registry): string => `127.1:${r.port}`;

describe('promote bundle into an https registry (e2e)', () => {
  let dir: string;
  let cert: TlsFiles;
  let issuer: TokenIssuer;
  let front: HttpsTokenFront;
  let plain: Registry;
  let httpRealm: Registry;
  let httpsRealm: Registry;
  let img: PushedImage;
  let realmUrl: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dk-promote-tls-'));
    cert = selfSignedCert(dir);
    issuer = await startTokenIssuer({ deployer: { password: 'e2e-token-pass', actions: ['pull', 'push'] } });
    // The https realm: forwards to the issuer on this machine.
    front = await startHttpsTokenFront(cert, issuer.realm);
    realmUrl = `${front.url}/token`;
    [plain, httpRealm, httpsRealm] = await Promise.all([
      startRegistry(),
      startRegistry({ authYaml: issuer.authYaml, tls: cert }),
      startRegistry({
        authYaml: issuer.authYaml.replace(`realm: ${issuer.realm}`, `realm: ${realmUrl}`),
        tls: cert,
      }),
    ]);
    img = await pushIndex(new RegistryClient({ registry: plain.host, insecureHttp: true }), 'app/build', 'sha-abc');
  });
  afterAll(async () => {
    await Promise.all([plain?.stop(), httpRealm?.stop(), httpsRealm?.stop()]);
    await front?.stop();
    await issuer?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const promoteInto = (r: Registry) =>
    runDist(
      'promote',
      {
        source: `${plain.host}/app/build:sha-abc`,
        target: `${httpsName(r)}/prod/app:v1`,
        'target-username': 'deployer',
        'target-password': 'e2e-token-pass',
        'no-clobber': 'true',
      },
      { env: { NODE_EXTRA_CA_CERTS: cert.certificate } },
    );

  it('plain-http token realm: refused, the fix named, no request at the token endpoint, nothing written', async () => {
    const before = issuer.hits.length;
    const run = await promoteInto(httpRealm);
    expect(run.exitCode).not.toBe(0);
    const out = (run.stdout + run.stderr)
      .split('\n')
      .filter((l) => !l.startsWith('::add-mask::'))
      .join('\n');
    expect(out).toMatch(/reached over https but its Bearer token realm is http/);
    expect(out).toMatch(/token realm as an https URL/);
    expect(out).not.toContain('e2e-token-pass');
    expect(run.outputs.promoted ?? '').toBe('');
    expect(issuer.hits.slice(before)).toEqual([]);
    expect(existsSync(join(httpRealm.dir, 'data', 'docker', 'registry', 'v2', 'repositories', 'prod'))).toBe(false);
  });

  it('https token realm: the same promotion lands', async () => {
    const run = await promoteInto(httpsRealm);
    expect(run.exitCode, run.stdout + run.stderr).toBe(0);
    expect(run.outputs.digest).toBe(img.digest);
    expect(JSON.parse(run.outputs.promoted!)).toEqual([`${httpsName(httpsRealm)}/prod/app:v1`]);
    expect(issuer.requests.some((q) => q.user === 'deployer')).toBe(true);
    // The realm is on another host:port than the registry: the step says where the credentials went.
    expect(run.stdout).toContain(
      `${httpsName(httpsRealm)}: credentials sent to the token endpoint it names, ${realmUrl}`,
    );
  });
});
