// RIPEMD-160(SHA-256(data)), the Bitcoin "HASH160" of Bitcoin-family and XRP addresses and scripts.
// A module of its own (not public-key.ts, which the vault loads at init) so that noble's hashes load
// with the address code and signers that use them (issue 16: file-level code splitting, infra/bundling.ts).
import { ripemd160 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';

/** RIPEMD-160(SHA-256(data)), the Bitcoin "HASH160". */
export function hash160(data: Uint8Array): Uint8Array {
  return ripemd160(sha256(data));
}
