// Tests derive and validate addresses of every chain directly (src/chains/addresses/codecs.ts loads each
// family's address code on first use in the service). test/unit/chains/address-code-loading.test.ts proves
// the service's own load points with a fresh module graph, where nothing is loaded in advance.
import { loadAllAddressCode } from '../../src/chains/index.js';

// @noble/hashes (ES modules only) first: families' CommonJS SDKs require() them — @xrplf/isomorphic
// (XRP) sha2, legacy and utils, @vechain/sdk-core sha3 — while other families import() them, and under
// vitest's module runner loading all families at once then fails with "Cannot require() ES Module
// …/@noble/hashes/utils.js because it is not yet fully loaded … simultaneously dynamically import()-ed
// via Promise.all()" once no statically imported module loads them first (they left the Lambdas' init
// code, issue 16). Plain Node 24 — tsx or the compiled dist/, as the CLI and the ECS daemon run — loaded
// all families at once without this in a trial (.tmp script, session 26).
for (const hashes of ['utils', 'sha2', 'legacy', 'sha3']) await import(`@noble/hashes/${hashes}.js`);
await loadAllAddressCode();
