// The OpenAPI 3.1 document, generated from the app's route definitions (src/api/route.ts: the same zod
// schemas that validate requests) by @hono/zod-openapi's generator (zod-to-openapi). The security scheme
// follows the auth mode: a bearer API key, or AWS SigV4 checked by API Gateway's IAM authorization.
// Only GET /openapi.json needs this module: the app imports it on first use (issue 16).
import { OpenAPIHono, type RouteConfig } from '@hono/zod-openapi';
import type { ApiAuth } from './auth.js';

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

export const API_VERSION = '1.0.0';

function securityScheme(auth: ApiAuth) {
  if (auth.mode === 'iam') {
    return {
      name: 'iam',
      scheme: {
        type: 'apiKey' as const,
        name: 'Authorization',
        in: 'header' as const,
        description:
          'AWS Signature Version 4, verified by API Gateway IAM authorization (execute-api:Invoke)',
        'x-amazon-apigateway-authtype': 'awsSigv4',
      },
    };
  }
  return {
    name: 'apiKey',
    scheme: {
      type: 'http' as const,
      scheme: 'bearer',
      description: 'An API key whose sha256 hex digest is listed in API_KEY_HASHES',
    },
  };
}

export function buildOpenApiDocument(routes: readonly RouteConfig[], auth: ApiAuth): OpenApiDocument {
  const generator = new OpenAPIHono();
  for (const route of routes) generator.openAPIRegistry.registerPath(route);
  const { name, scheme } = securityScheme(auth);
  generator.openAPIRegistry.registerComponent('securitySchemes', name, scheme);
  return generator.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'kms-signer wallets API',
      version: API_VERSION,
      description:
        'Wallets whose private keys live in AWS KMS (one ECC_SECG_P256K1 key per wallet and index). ' +
        'Errors are application/problem+json (RFC 9457) with the offending fields in `errors`.',
    },
    security: [{ [name]: [] }],
    tags: [
      { name: 'wallets', description: 'Wallets and their keys' },
      { name: 'batches', description: 'Pre-generation of many wallets' },
      { name: 'system', description: 'Health and this document (no authentication)' },
    ],
  });
}
