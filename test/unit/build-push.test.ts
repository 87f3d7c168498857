/**
 * A layer upload to a registry that stops answering: the registry client's idle limit ends it with a message
 * naming the blob and the registry (a real registry cannot be made to stall on demand; a stand-in does).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RegistryClient, sha256Digest } from '../../src/lib/oci/client.js';

describe('pushBlobFile against a registry that stalls', () => {
  let server: http.Server;
  let dir: string;
  const puts: number[] = [];
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'dk-stall-'));
    server = http.createServer((req, res) => {
      if (req.method === 'HEAD') return void res.writeHead(404).end();
      if (req.method === 'POST') return void res.writeHead(202, { location: '/v2/acme/web/blobs/uploads/u1' }).end();
      // PUT: read every byte of the layer, then never answer.
      let n = 0;
      req.on('data', (c: Buffer) => (n += c.length));
      req.on('end', () => puts.push(n));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('fails after the idle limit, naming the blob and the registry', async () => {
    const layer = Buffer.alloc(256 * 1024, 7);
    const path = join(dir, 'layer');
    writeFileSync(path, layer);
    const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = new RegistryClient({ registry: host, insecureHttp: true, timeoutMs: 1000 });
    const digest = sha256Digest(layer);
    await expect(client.pushBlobFile('acme/web', path, digest, layer.length)).rejects.toThrow(
      `upload ${digest} to ${host}/acme/web: no bytes moved for 1000 ms`,
    );
    expect(puts).toEqual([layer.length]);
  }, 20_000);
});
