// The OpenAPI document cannot drift from the app: the routes Hono serves and the operations the
// document lists must be the same set, and the document must be a valid OpenAPI 3.1 description.
import SwaggerParser from '@apidevtools/swagger-parser';
import type { OpenAPIV3_1 } from 'openapi-types';
import { describe, expect, it } from 'vitest';
import { fetchOpenApiDocument } from '../../../src/api/app.js';
import { apiHarness } from '../../support/api-harness.js';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

async function documentOf(h = apiHarness()): Promise<OpenAPIV3_1.Document> {
  return (await fetchOpenApiDocument(h.app)) as unknown as OpenAPIV3_1.Document;
}

function operations(doc: OpenAPIV3_1.Document): [string, string, OpenAPIV3_1.OperationObject][] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    METHODS.filter((m) => item?.[m] !== undefined).map((m): [string, string, OpenAPIV3_1.OperationObject] => [
      m.toUpperCase(),
      path,
      item?.[m] ?? {},
    ]),
  );
}

describe('OpenAPI document', () => {
  it('lists exactly the routes the app serves (method + path), no more and no fewer', async () => {
    const h = apiHarness();
    const served = new Set(
      h.app.routes
        .filter((r) => r.method !== 'ALL')
        .map((r) => `${r.method} ${r.path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`),
    );
    const documented = new Set(operations(await documentOf(h)).map(([m, p]) => `${m} ${p}`));
    expect([...served].sort()).toEqual([...documented].sort());
    expect(served.size).toBe(14);
  });

  it('is a valid OpenAPI 3.1 document (swagger-parser) whose $refs all resolve', async () => {
    const doc = await documentOf();
    expect(doc.openapi).toBe('3.1.0');
    await expect(SwaggerParser.validate(structuredClone(doc) as never)).resolves.toBeDefined();
    // …and the validator does reject a broken document (a dangling $ref, a response without description).
    const broken = structuredClone(doc) as unknown as { paths: Record<string, Record<string, unknown>> };
    broken.paths['/health'] = { get: { responses: { 200: { $ref: '#/components/responses/Missing' } } } };
    await expect(SwaggerParser.validate(broken as never)).rejects.toThrow();
  });

  it('every operation has a unique operationId, its path parameters, and problem+json errors', async () => {
    const doc = await documentOf();
    const ids = new Set<string>();
    for (const [method, path, op] of operations(doc)) {
      const name = `${method} ${path}`;
      expect(op.operationId, name).toBeTruthy();
      expect(ids.has(op.operationId ?? ''), name).toBe(false);
      ids.add(op.operationId ?? '');
      const templated = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const declared = (op.parameters ?? [])
        .map((p) => p as OpenAPIV3_1.ParameterObject)
        .filter((p) => p.in === 'path')
        .map((p) => p.name);
      expect(declared.sort(), name).toEqual(templated.sort());
      const responses = op.responses ?? {};
      const problem = responses['500'] as OpenAPIV3_1.ResponseObject | undefined;
      expect(problem?.content?.['application/problem+json'], name).toBeDefined();
      if (path.startsWith('/v1/')) {
        expect(responses['401'], name).toBeDefined();
        expect(op.security, name).toBeUndefined(); // inherits the document's security requirement
      } else {
        expect(op.security, name).toEqual([]);
      }
    }
  });

  it('documents request bodies as required JSON with closed schemas', async () => {
    const doc = await documentOf();
    const create = doc.paths?.['/v1/wallets']?.post;
    const body = create?.requestBody as OpenAPIV3_1.RequestBodyObject;
    expect(body.required).toBe(true);
    const schemaRef = body.content['application/json']?.schema as OpenAPIV3_1.ReferenceObject;
    const name = schemaRef.$ref.split('/').at(-1) ?? '';
    const schema = doc.components?.schemas?.[name];
    expect(schema).toMatchObject({
      type: 'object',
      additionalProperties: false,
      required: ['userId', 'chain', 'asset', 'network'],
    });
    const idempotency = (create?.parameters ?? []).find(
      (p) => (p as OpenAPIV3_1.ParameterObject).name === 'Idempotency-Key',
    );
    expect(idempotency).toMatchObject({ in: 'header', required: false });
  });

  it('carries the rules the server enforces on text: length, no control characters (issue 17)', async () => {
    const doc = await documentOf();
    const schemas = doc.components?.schemas ?? {};
    const create = schemas.CreateWalletRequest as OpenAPIV3_1.SchemaObject;
    const props = create.properties as Record<string, OpenAPIV3_1.SchemaObject>;
    for (const name of ['userId', 'label']) {
      const pattern = new RegExp(props[name]?.pattern ?? '(missing)', 'u');
      expect(props[name]?.maxLength, name).toBe(128);
      expect(pattern.test('plain text ü 😀'), name).toBe(true);
      for (const control of ['\u0000', '\n', '\u007f', '\u0085'])
        expect(pattern.test(`a${control}b`), name).toBe(false);
    }
    const batch = (schemas.StartBatchRequest as OpenAPIV3_1.SchemaObject).properties as Record<
      string,
      OpenAPIV3_1.SchemaObject
    >;
    expect(batch.count).toMatchObject({ minimum: 1, maximum: 10_000 });
    const deletion = (schemas.DeleteWalletRequest as OpenAPIV3_1.SchemaObject).properties as Record<
      string,
      OpenAPIV3_1.SchemaObject
    >;
    expect(deletion.confirm?.maxLength).toBe(36);
    expect(deletion.pendingWindowDays).toMatchObject({ minimum: 7, maximum: 30 });
    // The per-caller cap on queued keys is a 429 of the batch route.
    const [, , startBatch] = operations(doc).find(([m, p]) => m === 'POST' && p === '/v1/wallets/batch')!;
    expect(Object.keys(startBatch.responses ?? {})).toContain('429');
  });

  it('the security scheme follows the auth mode', async () => {
    const apiKeyDoc = await documentOf();
    expect(apiKeyDoc.security).toEqual([{ apiKey: [] }]);
    expect(apiKeyDoc.components?.securitySchemes?.apiKey).toMatchObject({ type: 'http', scheme: 'bearer' });

    const iamDoc = await documentOf(apiHarness({ auth: { mode: 'iam' } }));
    expect(iamDoc.security).toEqual([{ iam: [] }]);
    expect(iamDoc.components?.securitySchemes?.iam).toMatchObject({
      type: 'apiKey',
      'x-amazon-apigateway-authtype': 'awsSigv4',
    });
  });

  it('is generated once and served identically on every request', async () => {
    const h = apiHarness();
    const a = await h.call('GET', '/openapi.json', { auth: false });
    const b = await h.call('GET', '/openapi.json', { auth: false });
    expect(a.text).toBe(b.text);
  });
});
