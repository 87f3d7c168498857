/**
 * A registry on this machine is reached over plain http without insecure-http, as Docker does
 * (127.0.0.0/8, localhost, ::1 are insecure registries by default): a real `docker-registry` on loopback.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isLoopbackRegistry, RegistryClient } from '../../src/lib/oci/client.js';
import { startRegistry, type Registry } from '../fixtures/registry.js';

describe('loopback registries default to plain http', () => {
  let reg: Registry;
  beforeAll(async () => {
    reg = await startRegistry();
  });
  afterAll(async () => {
    await reg?.stop();
  });

  it('pushes and reads back a blob on 127.0.0.1:<port> and localhost:<port> with insecure-http off', async () => {
    for (const registry of [reg.host, `localhost:${reg.port}`]) {
      const c = new RegistryClient({ registry, timeoutMs: 10_000, insecureHttp: false });
      const digest = await c.pushBlob('acme/loopback', Buffer.from(`hello from ${registry}`));
      expect(await c.hasBlob('acme/loopback', digest)).toBe(true);
    }
  });

  it('tells loopback from everything else', () => {
    for (const r of ['127.0.0.1:5000', '127.1.2.3', 'localhost:5000', 'LOCALHOST', '[::1]:5000', '::1'])
      expect(isLoopbackRegistry(r), r).toBe(true);
    for (const r of [
      'registry.example:5000',
      '127.0.0.1.nip.io',
      '10.0.0.1:5000',
      '[::2]:5000',
      'docker.io',
      '128.0.0.1',
    ])
      expect(isLoopbackRegistry(r), r).toBe(false);
  });
});
