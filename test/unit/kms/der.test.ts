import { describe, expect, it } from 'vitest';
import {
  DerError,
  encodeEcdsaSignatureDer,
  encodeSecp256k1Spki,
  parseEcdsaSignatureDer,
  parseSecp256k1Spki,
} from '../../../src/kms/der.js';

const hex = (h: string) => Uint8Array.from(Buffer.from(h.replace(/\s/g, ''), 'hex'));
const toHex = (b: Uint8Array) => Buffer.from(b).toString('hex');
const int = (h: string) => BigInt(`0x${h}`);

// 32-byte values with and without the high bit set.
const R32 = '7f'.padEnd(64, '1');
const S32 = '3a'.padEnd(64, '2');
const HIGH32 = 'ff'.padEnd(64, '3');

/** Builds DER by hand so the parser is tested against bytes it did not produce. */
function seq(...parts: string[]): Uint8Array {
  const body = parts.join('');
  return hex(`30${(body.length / 2).toString(16).padStart(2, '0')}${body}`);
}
function integer(contentHex: string): string {
  return `02${(contentHex.length / 2).toString(16).padStart(2, '0')}${contentHex}`;
}

describe('ECDSA signature DER', () => {
  it('parses 32-byte r and s', () => {
    expect(parseEcdsaSignatureDer(seq(integer(R32), integer(S32)))).toEqual({ r: int(R32), s: int(S32) });
  });

  it('parses a 33-byte integer whose 0x00 pad protects a high bit', () => {
    expect(parseEcdsaSignatureDer(seq(integer(`00${HIGH32}`), integer(S32))).r).toBe(int(HIGH32));
  });

  it('parses short r and s (1 and 31 bytes), which must be left-padded later', () => {
    const s31 = S32.slice(2);
    const parsed = parseEcdsaSignatureDer(seq(integer('01'), integer(s31)));
    expect(parsed).toEqual({ r: 1n, s: int(s31) });
  });

  it('rejects a negative integer (high bit without the 0x00 pad)', () => {
    expect(() => parseEcdsaSignatureDer(seq(integer(HIGH32), integer(S32)))).toThrow(/not canonical/);
  });

  it('rejects a superfluous leading zero', () => {
    expect(() => parseEcdsaSignatureDer(seq(integer(`00${R32}`), integer(S32)))).toThrow(/not canonical/);
  });

  it('rejects trailing bytes after the sequence', () => {
    const der = seq(integer(R32), integer(S32));
    expect(() => parseEcdsaSignatureDer(Uint8Array.from([...der, 0x00]))).toThrow(DerError);
  });

  it('rejects a truncated signature, a wrong tag and garbage', () => {
    const der = seq(integer(R32), integer(S32));
    expect(() => parseEcdsaSignatureDer(der.subarray(0, der.length - 3))).toThrow(DerError);
    expect(() => parseEcdsaSignatureDer(Uint8Array.from([0x31, ...der.subarray(1)]))).toThrow(DerError);
    expect(() => parseEcdsaSignatureDer(new Uint8Array(70).fill(0xab))).toThrow(DerError);
    expect(() => parseEcdsaSignatureDer(new Uint8Array(3))).toThrow(/expected 8 to 74/);
  });

  it('encodes canonically: pad before a high bit, minimal length otherwise', () => {
    expect(toHex(encodeEcdsaSignatureDer(int(HIGH32), 1n))).toBe(
      toHex(seq(integer(`00${HIGH32}`), integer('01'))),
    );
    expect(toHex(encodeEcdsaSignatureDer(int(R32), int(S32)))).toBe(toHex(seq(integer(R32), integer(S32))));
  });
});

describe('SubjectPublicKeyInfo', () => {
  // The fixed 23-byte prefix of every secp256k1 SPKI that KMS returns (aws-kms-signing.md §1).
  const SECP256K1_SPKI_PREFIX = '3056301006072a8648ce3d020106052b8104000a034200';
  const G =
    '0479be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798' +
    '483ada7726a3c4655da4fbfc0e1108a8fd17b448a68554199c47d08ffb10d4b8';

  it('extracts the point from a secp256k1 key', () => {
    const spki = hex(SECP256K1_SPKI_PREFIX + G);
    expect(toHex(parseSecp256k1Spki(spki))).toBe(G);
    expect(toHex(encodeSecp256k1Spki(hex(G)))).toBe(SECP256K1_SPKI_PREFIX + G);
  });

  it('rejects a P-256 key by its curve OID', () => {
    // id-ecPublicKey with prime256v1 (1.2.840.10045.3.1.7)
    const p256 = hex(`3059301306072a8648ce3d020106082a8648ce3d030107034200${G}`);
    expect(() => parseSecp256k1Spki(p256)).toThrow(/curve 1\.2\.840\.10045\.3\.1\.7, expected secp256k1/);
  });

  it('rejects an RSA key by its algorithm OID', () => {
    // rsaEncryption (1.2.840.113549.1.1.1) with NULL parameters and a dummy bit string
    const rsa = hex('301a300d06092a864886f70d0101010500030900300602010502010f');
    expect(() => parseSecp256k1Spki(rsa)).toThrow(/algorithm is 1\.2\.840\.113549\.1\.1\.1/);
  });

  // asn1.js decodes these to the secp256k1 OID too; only the canonical bytes are a secp256k1 key.
  it.each([
    ['the constructed bit on the OID tag', '26052b8104000a'],
    ['a context-specific OID tag', '86052b8104000a'],
    ['a private-class OID tag', 'c6052b8104000a'],
    ['an unterminated last arc', '06052b8104008a'],
  ])('rejects curve parameters with %s', (_, parameters) => {
    const spki = hex(`3056301006072a8648ce3d0201${parameters}034200${G}`);
    expect(() => parseSecp256k1Spki(spki)).toThrow(/not the canonical DER of the secp256k1 OID/);
  });

  it('rejects trailing data and garbage', () => {
    expect(() => parseSecp256k1Spki(hex(`${SECP256K1_SPKI_PREFIX}${G}00`))).toThrow(DerError);
    expect(() => parseSecp256k1Spki(hex('deadbeef'))).toThrow(DerError);
  });
});
