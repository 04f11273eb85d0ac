// The API Lambda serves GET /openapi.json from a document generated at build time. In src/, the app loads
// the generator (src/api/openapi.ts: @hono/zod-openapi, zod-to-openapi) on the first GET /openapi.json;
// even loaded lazily, @hono/zod-openapi hands the whole `z` namespace to zod-to-openapi, which keeps all of
// zod (its JSON Schema converters too) in the bundle's init code. So in the bundle, this plugin replaces
// that module by its answer: the documents the source app serves for each auth mode, computed here by that
// app and generator (the route definitions stay the only source). test/unit/infra/bundle.test.ts checks
// that the bundle's module returns what src/ serves and that neither library is bundled.
import { fileURLToPath } from 'node:url';
import type { Plugin } from 'esbuild';
import type { ApiAuth, ApiAuthMode } from '../src/api/auth.js';
import type { OpenApiDocument } from '../src/api/openapi.js';

const APP = fileURLToPath(new URL('../src/api/app.ts', import.meta.url));
const NAMESPACE = 'openapi-document';

/** Any well-formed digest: the document depends on the auth mode only. */
const AUTH: Readonly<Record<ApiAuthMode, ApiAuth>> = {
  'api-key': { mode: 'api-key', keyHashes: ['0'.repeat(64)] },
  iam: { mode: 'iam' },
};

/** What the app in src/ serves at GET /openapi.json, per auth mode. */
export async function servedOpenApiDocuments(): Promise<Record<ApiAuthMode, OpenApiDocument>> {
  const { createApiApp, fetchOpenApiDocument } = await import('../src/api/app.js');
  const document = (auth: ApiAuth) =>
    fetchOpenApiDocument(createApiApp({ walletService: {} as never, auth, log: () => undefined }));
  return { 'api-key': await document(AUTH['api-key']), iam: await document(AUTH.iam) };
}

export const openApiAtBuildTime: Plugin = {
  name: 'openapi-at-build-time',
  setup(build) {
    build.onResolve({ filter: /^\.\/openapi\.js$/ }, ({ importer }) =>
      importer === APP ? { path: 'src/api/openapi.ts', namespace: NAMESPACE } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: NAMESPACE }, async () => ({
      loader: 'js',
      contents:
        `const DOCUMENTS = ${JSON.stringify(await servedOpenApiDocuments())};\n` +
        'export const buildOpenApiDocument = (_routes, auth) => DOCUMENTS[auth.mode];\n',
    }));
  },
};
