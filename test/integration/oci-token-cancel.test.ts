/**
 * The OCI client's token request (Bearer challenge → realm) obeys the run's cancellation, like every other
 * registry request. A local registry stand-in answers 401 with a Bearer challenge whose realm never answers
 * (it accepts the connection and stays silent), so only the cancel can end the request.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient } from '../../src/lib/oci/client.js';

let server: http.Server;
let port = 0;
const seen: string[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push(req.url ?? '');
    if (req.url?.startsWith('/token')) return; // never answers
    res
      .writeHead(401, {
        'www-authenticate': `Bearer realm="http://127.0.0.1:${port}/token",service="stand-in",scope="repository:acme/app:pull"`,
        'docker-distribution-api-version': 'registry/2.0',
      })
      .end('{"errors":[{"code":"UNAUTHORIZED"}]}');
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('registry token request', () => {
  it('a cancelled run stops the token request at once (not after the per-request limit)', async () => {
    const ac = new AbortController();
    const client = new RegistryClient({ registry: `127.0.0.1:${port}`, signal: ac.signal, timeoutMs: 600_000 });
    const pending = client.getManifest('acme/app', 'v1');
    // Cancel once the client is waiting on the realm.
    for (let i = 0; i < 200 && !seen.some((u) => u.startsWith('/token')); i++)
      await new Promise((r) => setTimeout(r, 10));
    expect(seen.some((u) => u.startsWith('/token'))).toBe(true);
    ac.abort(new Error('cancelled by the runner'));
    await expect(pending).rejects.toThrow('cancelled by the runner');
    // Bound: without the cancel reaching the token request it would wait the 600 s limit.
  }, 20_000);
});
