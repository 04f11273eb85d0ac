// How every Lambda is bundled, shared by the CDK stack and the cold-start benchmark (bench/cold-start.ts)
// so the benchmark measures exactly what is deployed.
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';

/** A `require` for the CommonJS dependencies inside the ESM bundle. */
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

/** Maps minified stack traces back to src/ (the functions' NODE_OPTIONS). */
export const LAMBDA_NODE_OPTIONS = '--enable-source-maps';

/**
 * Minified (halves the bundle and its parse time) with a linked source map, so stack traces still name
 * src/ files and lines. The map carries no sources content: stack traces only need the mappings, and the
 * content would triple the map Node reads at start-up. The AWS SDK stays bundled (not the runtime's copy):
 * the version is then the one our lockfile pins and the tests run, whatever the runtime ships.
 */
export const LAMBDA_BUNDLING: BundlingOptions = {
  format: OutputFormat.ESM,
  target: 'node24',
  mainFields: ['module', 'main'],
  minify: true,
  sourceMap: true,
  sourcesContent: false,
  banner: REQUIRE_SHIM_BANNER,
  externalModules: OPTIONAL_EXTERNAL_MODULES,
};
