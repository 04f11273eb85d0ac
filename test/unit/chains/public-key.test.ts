import * as ecc from 'tiny-secp256k1';
import { describe, expect, it } from 'vitest';

import { InvalidPublicKeyError, parsePublicKey } from '../../../src/chains/index.js';
import { hash160 } from '../../../src/crypto/hash160.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');

// The secp256k1 generator G (SEC 2 v2 §2.4.1), i.e. the public key of private key 1; BIP-173 §Examples uses it.
const G_COMPRESSED = '0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798';
const G_UNCOMPRESSED =
  '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' +
  '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';

describe('parsePublicKey', () => {
  it('returns both SEC1 encodings of the same point', () => {
    for (const input of [G_COMPRESSED, G_UNCOMPRESSED]) {
      const key = parsePublicKey(hex(input));
      expect(toHex(key.compressed)).toBe(G_COMPRESSED);
      expect(toHex(key.uncompressed)).toBe(G_UNCOMPRESSED);
    }
  });

  it('agrees with tiny-secp256k1 for keys with odd and even Y', () => {
    for (const k of ['01', '02', '03', '06', '46'.repeat(32)]) {
      const priv = hex(k.padStart(64, '0'));
      const c = ecc.pointFromScalar(priv, true)!;
      const u = ecc.pointFromScalar(priv, false)!;
      expect(toHex(parsePublicKey(c).uncompressed)).toBe(toHex(u));
      expect(toHex(parsePublicKey(u).compressed)).toBe(toHex(c));
    }
  });

  it('accepts a Node Buffer', () => {
    expect(toHex(parsePublicKey(Buffer.from(G_COMPRESSED, 'hex')).compressed)).toBe(G_COMPRESSED);
  });

  // Hybrid (0x06/0x07) keys are valid SEC1 to libsecp256k1 but refused here by policy: no wallet produces
  // them and KMS never returns them. Everything else is also refused by tiny-secp256k1's isPoint().
  const policyOnly = new Set(['hybrid 0x06 encoding', 'hybrid 0x07 encoding']);
  const rejects: [string, Uint8Array, RegExp][] = [
    ['empty input', new Uint8Array(0), /expected 33 \(compressed\) or 65 \(uncompressed\) bytes, got 0/],
    ['32 bytes (an x-only key)', hex(G_COMPRESSED.slice(2)), /got 32/],
    ['64 bytes (X‖Y without prefix)', hex(G_UNCOMPRESSED.slice(2)), /got 64/],
    [
      '33 bytes with prefix 0x04',
      hex(`04${G_COMPRESSED.slice(2)}`),
      /must start with 0x02 or 0x03, got 0x04/,
    ],
    ['65 bytes with prefix 0x02', hex(`02${G_UNCOMPRESSED.slice(2)}`), /must start with 0x04, got 0x02/],
    ['hybrid 0x06 encoding', hex(`06${G_UNCOMPRESSED.slice(2)}`), /must start with 0x04, got 0x06/],
    ['hybrid 0x07 encoding', hex(`07${G_UNCOMPRESSED.slice(2)}`), /must start with 0x04, got 0x07/],
    [
      'X ≥ field prime p',
      hex('02fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc30'), // x = p + 1
      /not a point on the secp256k1 curve/,
    ],
    [
      'uncompressed key with a wrong Y',
      hex(`${G_UNCOMPRESSED.slice(0, -2)}b9`),
      /not a point on the secp256k1 curve/,
    ],
    ['all-zero uncompressed key', hex(`04${'00'.repeat(64)}`), /not a point on the secp256k1 curve/],
  ];
  for (const [name, bytes, message] of rejects) {
    it(`rejects ${name}`, () => {
      if (!policyOnly.has(name)) expect(ecc.isPoint(bytes)).toBe(false); // independent opinion
      expect(() => parsePublicKey(bytes)).toThrow(InvalidPublicKeyError);
      expect(() => parsePublicKey(bytes)).toThrow(message);
    });
  }

  it('rejects a compressed X that is not on the curve', () => {
    // Find the first x = 5, 6, … for which x³ + 7 has no square root mod p, judged by tiny-secp256k1.
    let bytes: Uint8Array | undefined;
    for (let x = 5; bytes === undefined; x++) {
      const candidate = hex(`02${x.toString(16).padStart(64, '0')}`);
      if (!ecc.isPoint(candidate)) bytes = candidate;
    }
    expect(() => parsePublicKey(bytes)).toThrow(/not a point on the secp256k1 curve/);
  });

  it('rejects values that are not bytes', () => {
    expect(() => parsePublicKey(G_COMPRESSED as unknown as Uint8Array)).toThrow(
      /expected a Uint8Array, got string/,
    );
    expect(() => parsePublicKey(null as unknown as Uint8Array)).toThrow(/got null/);
  });
});

describe('hash160', () => {
  it('is RIPEMD-160(SHA-256(x)): the BIP-173 witness program of G', () => {
    // BIP-173 §Test vectors: BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4 -> 0014 751e76e8199196d454941c45d1b3a323f1433bd6
    expect(toHex(hash160(hex(G_COMPRESSED)))).toBe('751e76e8199196d454941c45d1b3a323f1433bd6');
  });
});
