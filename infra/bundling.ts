// What every Lambda bundle needs, shared by the CDK stack and the cold-start benchmark so both build
// the same thing: a `require` shim for CommonJS dependencies inside an ESM bundle, and the optional
// MongoDB/AWS modules that are never loaded at run time.
export const REQUIRE_SHIM_BANNER =
  "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);";

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
