// Tests derive and validate addresses of every chain directly (src/chains/addresses/codecs.ts loads each
// family's address code on first use in the service). test/unit/chains/address-code-loading.test.ts proves
// the service's own load points with a fresh module graph, where nothing is loaded in advance.
import { loadAllAddressCode } from '../../src/chains/index.js';

await loadAllAddressCode();
