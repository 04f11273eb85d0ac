// Ed25519 maths for KMS keys of spec ECC_NIST_EDWARDS25519, with @noble/curves (an implementation
// independent of KMS): public-key validation and the check every KMS signature passes before release.
import { ed25519 } from '@noble/curves/ed25519.js';

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
 * RFC 8032 verification (strict: no ZIP-215 leniency, canonical S), the same rule Solana's
 * verify_strict and Stellar's/Algorand's libsodium apply.
 */
export function verifyEd25519(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
  if (signature.length !== ED25519_SIGNATURE_BYTES) return false;
  try {
    return ed25519.verify(signature, message, publicKey, { zip215: false });
  } catch {
    return false;
  }
}
