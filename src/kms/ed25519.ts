// Ed25519 maths for KMS keys of spec ECC_NIST_EDWARDS25519, with implementations independent of KMS:
// public-key validation with @noble/curves, and the check every KMS signature passes before release
// with Node's OpenSSL (≈ 0.1–0.3 ms; noble's pure-JS verify costs ≈ 1.5 ms on the shared 2-core hosts).
import { ed25519 } from '@noble/curves/ed25519.js';
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import { encodeEd25519Spki } from './der.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

/**
 * Why `publicKey` cannot be a wallet's Ed25519 key, or null when it can: 32 bytes, the canonical
 * encoding of a curve point, and not of small order (a small-order key verifies forged signatures).
 */
export function ed25519PublicKeyProblem(publicKey: Uint8Array): string | null {
  if (publicKey.length !== ED25519_PUBLIC_KEY_BYTES) {
    return `must be ${ED25519_PUBLIC_KEY_BYTES} bytes, got ${publicKey.length}`;
  }
  let point;
  try {
    point = ed25519.Point.fromBytes(publicKey, false);
  } catch {
    return 'is not the canonical encoding of an Ed25519 curve point';
  }
  if (point.isSmallOrder()) return 'is a small-order Ed25519 point';
  return null;
}

/**
 * RFC 8032 (pure Ed25519) verification by OpenSSL, which refuses a non-canonical S and an undecodable R
 * or key. Small-order keys are refused earlier by ed25519PublicKeyProblem (wallet keys are checked when
 * read from KMS and before every Sign).
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES || publicKey.length !== ED25519_PUBLIC_KEY_BYTES)
    return false;
  try {
    return verify(null, message, keyObject(publicKey), signature);
  } catch {
    return false;
  }
}

/** Parsed keys of the wallets that sign; cleared wholesale when full (no eviction bookkeeping). */
const KEY_OBJECT_CACHE_SIZE = 10_000;
const keyObjects = new Map<string, KeyObject>();

function keyObject(publicKey: Uint8Array): KeyObject {
  const cacheKey = Buffer.from(publicKey).toString('hex');
  let key = keyObjects.get(cacheKey);
  if (key === undefined) {
    key = createPublicKey({ key: Buffer.from(encodeEd25519Spki(publicKey)), format: 'der', type: 'spki' });
    if (keyObjects.size >= KEY_OBJECT_CACHE_SIZE) keyObjects.clear();
    keyObjects.set(cacheKey, key);
  }
  return key;
}
