import { secp256k1 } from '@noble/curves/secp256k1.js';
import * as tiny from 'tiny-secp256k1';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CURVE_ORDER,
  compactSignature,
  findRecoveryId,
  isHighS,
  normalizeLowS,
  verifyDigestSignature,
} from '../../../src/crypto/secp256k1.js';
import { parsePublicKey as toSecp256k1PublicKey } from '../../../src/crypto/public-key.js';

const HALF = CURVE_ORDER / 2n;
const toBig = (b: Uint8Array) => BigInt(`0x${Buffer.from(b).toString('hex')}`);

describe('the curve order', () => {
  it("is secp256k1's n as noble has it", () => {
    expect(CURVE_ORDER).toBe(secp256k1.Point.CURVE().n);
  });
});

describe('low-S normalisation', () => {
  it('folds S above n/2 and leaves S at or below n/2', () => {
    expect(normalizeLowS(CURVE_ORDER - 1n)).toBe(1n);
    expect(normalizeLowS(HALF)).toBe(HALF);
    expect(normalizeLowS(HALF + 1n)).toBe(HALF);
    expect(isHighS(HALF)).toBe(false);
    expect(isHighS(HALF + 1n)).toBe(true);
  });
});

describe('recovery id against the known public key (libsecp256k1 via tiny-secp256k1 as the oracle)', () => {
  it('recovers the right id for low-S and for folded high-S signatures', () => {
    for (let i = 0; i < 50; i++) {
      const d = randomBytes(32);
      const digest = randomBytes(32);
      const publicKey = toSecp256k1PublicKey(tiny.pointFromScalar(d, false)!);
      const { signature, recoveryId } = tiny.signRecoverable(digest, d);
      const r = toBig(signature.subarray(0, 32));
      const s = toBig(signature.subarray(32));
      expect(findRecoveryId(digest, r, s, publicKey)).toBe(recoveryId);
      // The same signature with S negated (what KMS may return) must normalise back with the same id.
      const highS = CURVE_ORDER - s;
      expect(findRecoveryId(digest, r, normalizeLowS(highS), publicKey)).toBe(recoveryId);
      expect(verifyDigestSignature(digest, r, s, publicKey)).toBe(true);
      expect(verifyDigestSignature(digest, r, highS, publicKey)).toBe(false); // high S refused
    }
  });

  it('finds no id for a signature made by another key', () => {
    const digest = randomBytes(32);
    const other = tiny.signRecoverable(digest, randomBytes(32)).signature;
    const publicKey = toSecp256k1PublicKey(tiny.pointFromScalar(randomBytes(32), true)!);
    expect(
      findRecoveryId(digest, toBig(other.subarray(0, 32)), toBig(other.subarray(32)), publicKey),
    ).toBeUndefined();
  });

  it('pads short r and s to 32 bytes in the compact form', () => {
    const compact = compactSignature(1n, 0xabcdn);
    expect(compact).toHaveLength(64);
    expect(Buffer.from(compact).toString('hex')).toBe(`${'0'.repeat(63)}1${'0'.repeat(60)}abcd`);
  });
});

describe('public key validation', () => {
  const G = Buffer.from('0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798', 'hex');

  it('returns both encodings of a valid point', () => {
    const key = toSecp256k1PublicKey(G);
    expect(Buffer.from(key.compressed).equals(G)).toBe(true);
    expect(key.uncompressed[0]).toBe(4);
    expect(Buffer.from(toSecp256k1PublicKey(key.uncompressed).compressed).equals(G)).toBe(true);
  });

  it('rejects a wrong length, an x with no point, and an off-curve uncompressed point', () => {
    expect(() => toSecp256k1PublicKey(G.subarray(1))).toThrow(
      /expected 33 \(compressed\) or 65 \(uncompressed\) bytes, got 32/,
    );
    const noPoint = Buffer.from(G);
    noPoint.fill(0xff, 1); // x = 2^256-1 is not a field element on the curve
    expect(() => toSecp256k1PublicKey(noPoint)).toThrow(/not a point on the secp256k1 curve/);
    const offCurve = Buffer.from(toSecp256k1PublicKey(G).uncompressed);
    offCurve[64] = (offCurve[64]! + 1) % 256;
    expect(() => toSecp256k1PublicKey(offCurve)).toThrow(/not a point on the secp256k1 curve/);
  });
});
