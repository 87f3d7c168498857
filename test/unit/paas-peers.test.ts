/**
 * The local protocol peers' checks can fail: the pinned provider schemas reject malformed bodies and the
 * GraphQL validator rejects operations Railway's schema does not have. (No provider is reached here.)
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { schemaCompiler } from '../fixtures/paas/json-schema.js';
import { validateRequest, type Introspection } from '../fixtures/paas/railway/graphql.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'paas');
const json = (p: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(fixtures, p), 'utf8')) as Record<string, unknown>;

describe('pinned provider schemas reject malformed bodies', () => {
  it('Heroku build create needs source_blob; rollback needs a release uuid', () => {
    const root = json('heroku/schema.json') as {
      definitions: Record<string, { links: { title: string; schema?: unknown }[] }>;
    };
    const compile = schemaCompiler(root as unknown as Record<string, unknown>);
    const build = compile(root.definitions.build!.links.find((l) => l.title === 'Create')!.schema);
    expect(build({})).not.toEqual([]);
    expect(build({ source_blob: { url: 'https://x/y.tgz', version: 'abc', checksum: 'SHA256:00' } })).toEqual([]);
    expect(build({ source_blob: { url: 'https://x', extra: 1 } })).not.toEqual([]);
    const rollback = compile(root.definitions.release!.links.find((l) => l.title === 'Rollback')!.schema);
    expect(rollback({ release: 'v12' })).not.toEqual([]);
    expect(rollback({ release: '01234567-89ab-cdef-0123-456789abcdef' })).toEqual([]);
  });

  it('Render rollback needs deployId; a deploy status outside the enum is refused', () => {
    const spec = json('render/openapi.json') as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>;
      components: { schemas: Record<string, unknown> };
    };
    const compile = schemaCompiler(spec as unknown as Record<string, unknown>, { oneOfAsAnyOf: true });
    const rb = compile(
      spec.paths['/services/{serviceId}/rollback']!.post!.requestBody.content['application/json']!.schema,
    );
    expect(rb({})).not.toEqual([]);
    expect(rb({ deployId: 'dep-1' })).toEqual([]);
    const deploy = compile({ $ref: '#/components/schemas/deploy' });
    expect(deploy({ id: 'dep-1', status: 'live' })).toEqual([]);
    expect(deploy({ id: 'dep-1', status: 'almost_live' })).not.toEqual([]);
  });

  it('DigitalOcean app update needs a spec with a name; an unknown registry_type is refused', () => {
    const spec = json('digitalocean/openapi.json') as {
      paths: Record<string, Record<string, { requestBody: { content: Record<string, { schema: unknown }> } }>>;
    };
    const update = schemaCompiler({})(
      spec.paths['/v2/apps/{id}']!.put!.requestBody.content['application/json']!.schema,
    );
    expect(update({})).not.toEqual([]);
    expect(
      update({
        spec: {
          name: 'gamy',
          services: [{ name: 'web', image: { registry_type: 'GHCR', repository: 'gamy', digest: 'sha256:1' } }],
        },
      }),
    ).toEqual([]);
    expect(
      update({
        spec: { name: 'gamy', services: [{ name: 'web', image: { registry_type: 'QUAY', repository: 'gamy' } }] },
      }),
    ).not.toEqual([]);
  });
});

describe('pinned Azure Microsoft.Web subset (WebApps.json 2024-11-01) rejects malformed bodies', () => {
  it('swap needs targetSlot and preserveVnet; linuxFxVersion is a string; app settings are strings; instance state is an enum', () => {
    const spec = json('azure/webapps.json') as {
      paths: Record<string, Record<string, { parameters?: { in: string; schema: unknown }[] }>>;
    };
    const compile = schemaCompiler(spec as unknown as Record<string, unknown>);
    const body = (path: string, method: string) =>
      compile(spec.paths[path]![method]!.parameters!.find((p) => p.in === 'body')!.schema);
    const swap = body('/sites/{name}/slotsswap', 'post');
    expect(swap({ targetSlot: 'staging', preserveVnet: true })).toEqual([]);
    expect(swap({ targetSlot: 'staging' })).not.toEqual([]);
    expect(swap({ targetSlot: 5, preserveVnet: true })).not.toEqual([]);
    const web = body('/sites/{name}/slots/{slot}/config/web', 'patch');
    expect(web({ properties: { linuxFxVersion: 'DOCKER|ghcr.io/a/b@sha256:00' } })).toEqual([]);
    expect(web({ properties: { linuxFxVersion: ['DOCKER|x'] } })).not.toEqual([]);
    expect(web({ properties: { minTlsVersion: '0.9' } })).not.toEqual([]);
    const settings = body('/sites/{name}/slots/{slot}/config/appsettings', 'put');
    expect(settings({ properties: { A: '1' } })).toEqual([]);
    expect(settings({ properties: { A: 1 } })).not.toEqual([]);
    const instances = compile({ $ref: '#/definitions/WebAppInstanceStatusCollection' });
    expect(instances({ value: [{ properties: { state: 'READY' } }] })).toEqual([]);
    expect(instances({ value: [{ properties: { state: 'RUNNING' } }] })).not.toEqual([]);
    expect(instances({})).not.toEqual([]);
  });
});

describe('Railway GraphQL validator', () => {
  const schema = json('railway/schema.json') as unknown as Introspection;
  const ok = 'mutation D($id: String!) { deploymentRollback(id: $id) }';
  it('accepts a valid operation and rejects what the schema does not have', () => {
    expect(validateRequest(schema, ok, { id: 'x' }).errors).toEqual([]);
    expect(validateRequest(schema, ok, {}).errors).toEqual(['$id: String! must not be null']);
    expect(
      validateRequest(schema, 'mutation D($id: String!) { deploymentRollbackk(id: $id) }', { id: 'x' }).errors[0],
    ).toContain('not a field of Mutation');
    expect(
      validateRequest(schema, 'mutation D($id: Int!) { deploymentRollback(id: $id) }', { id: 1 }).errors[0],
    ).toContain('$id is Int!, the argument is String!');
    expect(
      validateRequest(schema, 'query Q($id: String!) { deployment(id: $id) { id colour } }', { id: 'x' }).errors[0],
    ).toContain('colour: not a field of Deployment');
    expect(validateRequest(schema, 'query Q($id: String!) { deployment(id: $id) }', { id: 'x' }).errors[0]).toContain(
      'needs a selection',
    );
    const upd =
      'mutation U($serviceId: String!, $input: ServiceInstanceUpdateInput!) { serviceInstanceUpdate(serviceId: $serviceId, input: $input) }';
    expect(validateRequest(schema, upd, { serviceId: 's', input: { source: { image: 'x' } } }).errors).toEqual([]);
    expect(validateRequest(schema, upd, { serviceId: 's', input: { sourceImage: 'x' } }).errors[0]).toContain(
      '$input.sourceImage: not a field of ServiceInstanceUpdateInput',
    );
    expect(
      validateRequest(schema, upd, { serviceId: 's', input: { preDeployCommand: 'one string' } }).errors[0],
    ).toContain('expected a list');
  });
});
