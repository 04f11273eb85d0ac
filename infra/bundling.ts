// How every Lambda is bundled, shared by the CDK stack (infra/lambda-code.ts) and the cold-start benchmark
// (bench/cold-start.ts), so the benchmark measures exactly what is deployed.
//
// CDK's NodejsFunction bundles one file (`--outfile=index.mjs`), so it cannot split code; we run esbuild
// ourselves with code splitting (ESM only), and the stack deploys the output directory with
// Code.fromAsset. Modules the handler reaches only through a dynamic `import()` (each chain family's
// signer, src/signer/index.ts) become chunks that Node loads on their first use, not at init. Splitting
// must stay on: without it esbuild inlines those imports as lazily initialised modules, which reorders
// @bitauth/libauth's circular imports and the bundle fails at import.
import { cpSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BuildOptions, Plugin } from 'esbuild';
import { openApiAtBuildTime } from './openapi-document.js';

export type LambdaHandler = 'api' | 'signer' | 'approvals';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** A `require` for the CommonJS dependencies inside the ESM bundle (every output file gets it). */
export const REQUIRE_SHIM_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

/** Optional MongoDB/AWS modules that are never loaded at run time. */
export const OPTIONAL_EXTERNAL_MODULES = [
  'kerberos',
  '@mongodb-js/zstd',
  'snappy',
  'mongodb-client-encryption',
  'gcp-metadata',
  'socks',
  'aws4',
  '@aws-sdk/credential-providers',
];

/**
 * Packages that cannot be bundled because they read files beside their own code — Cardano's serialisation
 * library loads its .wasm with `fs.readFileSync(path.join(__dirname, …))`, and `__dirname` does not exist
 * in an ES module. They stay external and are copied as published into the asset's node_modules/, where
 * Node's resolution finds them from index.mjs and chunks/ alike (loaded only when an ADA job runs).
 */
export const SHIPPED_PACKAGES = ['@emurgo/cardano-serialization-lib-nodejs'];

/** Copies SHIPPED_PACKAGES from the project's node_modules into `outdir`/node_modules. */
export function shipPackages(outdir: string): void {
  for (const name of SHIPPED_PACKAGES) {
    cpSync(join(ROOT, 'node_modules', name), join(outdir, 'node_modules', name), { recursive: true });
  }
}

/**
 * Packages replaced in the bundle by what Node itself provides. mongodb-connection-string-url uses only
 * `URL` from whatwg-url (a WHATWG URL in JavaScript, with tr46's 240 kB of Unicode tables); Node's global
 * URL implements the same WHATWG URL Standard (nodejs.org/api/url.html "The WHATWG URL API"), so the
 * bundle uses that one. test/unit/infra/bundle.test.ts parses connection strings with both and compares.
 */
export const NODE_BUILTIN_ALIASES: Record<string, string> = {
  'whatwg-url': `${ROOT}infra/shims/whatwg-url.ts`,
};

/**
 * The AWS SDK's default credential chain, replaced in the Lambda bundles by one that reads what a Lambda
 * function has: the execution role's credentials in the environment, or a container credentials endpoint
 * (infra/shims/lambda-credentials.ts says why and cites AWS). Its SSO/STS/ini/process providers are never
 * run on Lambda, but their protocol code (AWS query, XML, REST-JSON) sat in the signer's init code.
 */
export const LAMBDA_CREDENTIALS_ALIAS: Record<string, string> = {
  '@aws-sdk/credential-provider-node': `${ROOT}infra/shims/lambda-credentials.ts`,
};

/**
 * zod's classic and core entries re-export every locale (`export * as locales`), and @hono/zod-openapi
 * hands the whole `z` namespace to zod-to-openapi, so esbuild kept all ~50 locales (≈ 250 kB minified, a
 * seventh of the API's init code) although zod only uses English here: classic/schemas.js registers
 * locales/en.js directly, not through the index. This resolves the index, imported only by those
 * re-exports, to infra/shims/zod-locales.ts (English only). zod has no entry without the locales
 * (colinhacks/zod#5665 and #6050, closed; #6384 fixed `import z from "zod"` for Rollup and Webpack, not a
 * namespace passed as a value); other esbuild users substitute the index the same way
 * (costajohnt/oss-autopilot#1658). test/unit/infra/bundle.test.ts compares the messages with zod's own.
 */
export const zodEnglishOnly: Plugin = {
  name: 'zod-english-only',
  setup(build) {
    build.onResolve({ filter: /^\.\.\/locales\/index\.js$/ }, ({ importer }) =>
      /[\\/]node_modules[\\/]zod[\\/]/.test(importer)
        ? { path: `${ROOT}infra/shims/zod-locales.ts` }
        : undefined,
    );
  },
};

/** What `.toJSONSchema()` and `~standard.jsonSchema` throw in the Lambda bundles. */
export const JSON_SCHEMA_NOT_BUNDLED =
  'zod JSON Schema generation is not in the Lambda bundle (zodWithoutJsonSchema, infra/bundling.ts)';

const ZOD_CLASSIC_SCHEMAS = /[\\/]node_modules[\\/]zod[\\/]v4[\\/]classic[\\/]schemas\.js$/;

/**
 * zod's classic schemas give every schema `.toJSONSchema()` and Standard JSON Schema's `~standard.jsonSchema`,
 * so classic/schemas.js imports zod's JSON Schema converters (core/to-json-schema.js and the per-type
 * processors of core/json-schema-processors.js): ≈ 17 kB of each handler's init code. Nothing converts a
 * schema at run time in the Lambda bundles — the API's OpenAPI document is generated at build time
 * (openapi-document.ts) and src/ never calls them — so this hands classic/schemas.js converters that throw
 * JSON_SCHEMA_NOT_BUNDLED. It keeps `aggregateChecks` from the processors file, which backs the schemas'
 * `minLength`, `format`… getters. The processors are read from zod's file, so a new one is stubbed too.
 * test/unit/infra/bundle.test.ts compares parse issues and those getters with zod's own and checks that the
 * converters are gone from both handlers.
 */
export const zodWithoutJsonSchema: Plugin = {
  name: 'zod-without-json-schema',
  setup(build) {
    build.onResolve(
      { filter: /^\.\.\/core\/(json-schema-processors|to-json-schema)\.js$/ },
      ({ path, importer, resolveDir }) =>
        ZOD_CLASSIC_SCHEMAS.test(importer)
          ? { path: relative(ROOT, join(resolveDir, path)), namespace: 'zod-without-json-schema' }
          : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'zod-without-json-schema' }, async ({ path }) => {
      const file = join(ROOT, path);
      const fail = `const fail = () => { throw new Error(${JSON.stringify(JSON_SCHEMA_NOT_BUNDLED)}); };\n`;
      if (path.endsWith('to-json-schema.js')) {
        return {
          loader: 'js',
          contents: `${fail}const method = () => fail;\nexport { method as createToJSONSchemaMethod, method as createStandardJSONSchemaMethod };\n`,
        };
      }
      const source = await readFile(file, 'utf8');
      const processors = [...source.matchAll(/^export const (\w+Processor)\b/gm)].map(([, name]) => name);
      return {
        loader: 'js',
        resolveDir: dirname(file),
        contents:
          `${fail}export { aggregateChecks } from './json-schema-processors.js';\n` +
          `export { ${processors.map((name) => `fail as ${name ?? ''}`).join(', ')} };\n`,
      };
    });
  },
};

/**
 * Modules that import their package's package.json for its `version` alone: the AWS SDK clients (the user
 * agent: `packageInfo.version` in runtimeConfig.js) and the MongoDB driver (the handshake's client
 * metadata: `require('../../../package.json').version`). esbuild keeps an imported JSON file whole (≈ 11 kB
 * in the signer's init code, MongoDB's 6.9 kB of it), so `packageVersionOnly` hands these importers
 * `{ "version": … }` read from the same file. test/unit/infra/bundle.test.ts checks that they read nothing
 * else from it and that the substitution happened.
 */
export const VERSION_ONLY_IMPORTERS = [
  /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]runtimeConfig\.js$/,
  /[\\/]node_modules[\\/]mongodb[\\/]lib[\\/]cmap[\\/]handshake[\\/]client_metadata\.js$/,
];

export const packageVersionOnly: Plugin = {
  name: 'package-version-only',
  setup(build) {
    build.onResolve({ filter: /(^|\/)package\.json$/ }, ({ path, importer, resolveDir }) =>
      VERSION_ONLY_IMPORTERS.some((importerPattern) => importerPattern.test(importer))
        ? { path: relative(ROOT, join(resolveDir, path)), namespace: 'package-version' }
        : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'package-version' }, async ({ path }) => {
      const { version } = JSON.parse(await readFile(join(ROOT, path), 'utf8')) as { version: unknown };
      if (typeof version !== 'string') throw new Error(`${path} has no version`);
      return { contents: JSON.stringify({ version }), loader: 'json' };
    });
  },
};

/** Maps minified stack traces back to src/ (the functions' NODE_OPTIONS). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/** The file Lambda loads (the function's handler is `index.handler`). */
export const LAMBDA_ENTRY_FILE = 'index.mjs';

/**
 * esbuild options for one handler, written to `outdir`: index.mjs plus chunks/*.mjs, each with a linked
 * source map. Minified (halves the bundle and its parse time); the maps carry no sources content: stack
 * traces only need the mappings. The AWS SDK stays bundled (not the runtime's copy): the version is then
 * the one our lockfile pins and the tests run, whatever the runtime ships.
 */
export function lambdaBuildOptions(handler: LambdaHandler, outdir: string): BuildOptions {
  return {
    absWorkingDir: ROOT,
    entryPoints: { index: `src/handlers/${handler}.ts` },
    outdir,
    outExtension: { '.js': '.mjs' },
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node24',
    mainFields: ['module', 'main'],
    minify: true,
    sourcemap: 'linked',
    sourcesContent: false,
    banner: { js: REQUIRE_SHIM_BANNER },
    external: [...OPTIONAL_EXTERNAL_MODULES, ...SHIPPED_PACKAGES],
    alias: { ...NODE_BUILTIN_ALIASES, ...LAMBDA_CREDENTIALS_ALIAS },
    plugins: [zodEnglishOnly, zodWithoutJsonSchema, packageVersionOnly, openApiAtBuildTime],
    metafile: true,
    logLevel: 'warning',
  };
}
