// secp256k1 maths for KMS output: low-S normalisation, recovery id discovery and verification. KMS signs
// with random k and may return high S; every chain we serve wants low S and most want the recovery id,
// which KMS does not return. The curve operations run in libsecp256k1 (Bitcoin Core's library, compiled
// to WebAssembly and shipped by libauth): about 175 µs per recovery here against 1.4 ms in pure
// JavaScript (bench/results/overhead.md), which is what lets one process keep up with the Sign quota.
import { libsecp256k1 } from './libsecp256k1.js';
import { equalBytes, numberToBytesBE } from '@noble/curves/utils.js';
import type { Secp256k1PublicKey } from './public-key.js';

export type { Secp256k1PublicKey } from './public-key.js';

/**
 * n, the order of secp256k1's base point (SEC 2 v2.0 §2.4.1). A literal rather than noble's
 * `secp256k1.Point.CURVE().n`: importing noble's curve put its Weierstrass code (≈ 25 kB) into the
 * Lambdas' init code for this one number; test/unit/crypto/secp256k1.test.ts compares the two.
 */
export const CURVE_ORDER = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;
const HALF_ORDER = CURVE_ORDER >> 1n;

export interface RecoverableSignature {
  readonly r: bigint;
  readonly s: bigint;
  readonly recoveryId: 0 | 1;
}

export function isHighS(s: bigint): boolean {
  return s > HALF_ORDER;
}

/** Folds S into the lower half of the order (BIP-62/146, EIP-2); the signature stays valid. */
export function normalizeLowS(s: bigint): bigint {
  return isHighS(s) ? CURVE_ORDER - s : s;
}

export function isScalarInRange(value: bigint): boolean {
  return value > 0n && value < CURVE_ORDER;
}

/** 64-byte r ‖ s, each left-padded to 32 bytes (the classic short-r bug is a missing pad). */
export function compactSignature(r: bigint, s: bigint): Uint8Array {
  const out = new Uint8Array(64);
  out.set(numberToBytesBE(r, 32), 0);
  out.set(numberToBytesBE(s, 32), 32);
  return out;
}

/**
 * The public key (33-byte compressed, or 65-byte uncompressed) that `compact` with `recoveryId` recovers to
 * over `digest`, or undefined when this combination recovers to no point.
 */
export function recoverPublicKey(
  digest: Uint8Array,
  compact: Uint8Array,
  recoveryId: 0 | 1,
  format: 'compressed' | 'uncompressed' = 'compressed',
): Uint8Array | undefined {
  const recovered =
    format === 'compressed'
      ? libsecp256k1().recoverPublicKeyCompressed(compact, recoveryId, digest)
      : libsecp256k1().recoverPublicKeyUncompressed(compact, recoveryId, digest);
  return typeof recovered === 'string' ? undefined : recovered;
}

/**
 * Finds the recovery id for a low-S signature by recovering the public key for each candidate and
 * comparing it with the key we already know. Returns undefined if neither candidate matches.
 * A match is also a proof that the signature verifies: recovery computes Q = r⁻¹(sR − zG), and Q equal to
 * the wallet key is exactly the ECDSA verification equation R = s⁻¹(zG + rQ) with R.x ≡ r.
 * Ids 2 and 3 (r ≥ n − …) occur with probability ~2⁻¹²⁸ and cannot be expressed on EVM chains, so a
 * signature that would need them is treated as unusable.
 */
export function findRecoveryId(
  digest: Uint8Array,
  r: bigint,
  s: bigint,
  publicKey: Secp256k1PublicKey,
): 0 | 1 | undefined {
  const compact = compactSignature(r, s);
  for (const candidate of [0, 1] as const) {
    const recovered = recoverPublicKey(digest, compact, candidate);
    if (recovered && equalBytes(recovered, publicKey.compressed)) return candidate;
  }
  return undefined;
}

/** Plain ECDSA verification over a 32-byte digest (no further hashing), demanding low S. */
export function verifyDigestSignature(
  digest: Uint8Array,
  r: bigint,
  s: bigint,
  publicKey: Secp256k1PublicKey,
): boolean {
  return libsecp256k1().verifySignatureCompactLowS(compactSignature(r, s), publicKey.compressed, digest);
}
