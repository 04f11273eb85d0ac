// The one libsecp256k1 instance (Bitcoin Core's library compiled to WebAssembly, shipped by libauth) used
// for public-key parsing, recovery and verification. Instantiated here rather than imported as libauth's
// ready-made `secp256k1`, whose module also sets up four hash WebAssembly modules we never use
// (≈ 100 kB of bundle and 15–25 ms of cold start).
//
// Loaded on first use, not at import: libauth (≈ 250 kB, mostly the WebAssembly as base64) is a dynamic
// import(), so it is its own chunk of the Lambda bundles (infra/bundling.ts) and a handler that never
// touches a secp256k1 key (an API listing, a signer pass with nothing pending) neither parses nor
// instantiates it. Its users are synchronous (they run inside parsers), so each path awaits
// loadSecp256k1() first: the vault (src/kms/vault.ts) and loadAddressCode for secp256k1 chains
// (src/chains/addresses/index.ts), which every family signer, loop job and wallet path already awaits.
// test/unit/crypto/libsecp256k1-loading.test.ts proves those load points with a fresh module graph.
import type { Secp256k1 } from '@bitauth/libauth';

let instance: Secp256k1 | undefined;
let loading: Promise<Secp256k1> | undefined;

/** Instantiates libsecp256k1 once; later calls return at once. */
export async function loadSecp256k1(): Promise<void> {
  if (instance !== undefined) return;
  loading ??= import('@bitauth/libauth').then(({ instantiateSecp256k1 }) => instantiateSecp256k1());
  try {
    instance = await loading;
  } finally {
    loading = undefined; // a failed instantiation is tried again by the next caller
  }
}

/** The instance; before loadSecp256k1() resolved this is a programming error (a missing load point). */
export function libsecp256k1(): Secp256k1 {
  if (instance === undefined) {
    throw new Error('libsecp256k1 is not loaded yet: await loadSecp256k1() (or loadAddressCode) first');
  }
  return instance;
}
