// The hand-written DER codecs (src/kms/der.ts) against the asn1.js codecs they replaced
// (test/support/der-asn1.ts): the same bytes out of every encoder, and for valid encodings and thousands of
// mutations of them (flipped, replaced, inserted, deleted and appended bytes, truncations) the same verdict
// — both refuse, or both return the same values.
import { describe, expect, it } from 'vitest';
import * as ours from '../../../src/kms/der.js';
import * as reference from '../../support/der-asn1.js';

/** A small seeded generator (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

const next = random(16);
const int = (below: number) => Math.floor(next() * below);
const bytes = (length: number) => Uint8Array.from({ length }, () => int(256));
const toBigInt = (b: Uint8Array) => (b.length === 0 ? 0n : BigInt(`0x${Buffer.from(b).toString('hex')}`));

/** A value of 1 to 33 bytes; about half with the high bit set. */
function scalar(): bigint {
  return toBigInt(bytes(1 + int(32)));
}

function mutate(input: Uint8Array): Uint8Array {
  const b = [...input];
  const at = int(b.length + 1);
  switch (int(6)) {
    case 0:
      b[at % b.length] = (b[at % b.length] ?? 0) ^ (1 << int(8));
      break;
    case 1:
      b[at % b.length] = int(256);
      break;
    case 2:
      b.splice(at, 0, int(256));
      break;
    case 3:
      b.splice(at % b.length, 1);
      break;
    case 4:
      return Uint8Array.from(b.slice(0, at));
    default:
      b.push(int(256));
  }
  return Uint8Array.from(b);
}

function verdict<T>(parse: (der: Uint8Array) => T, der: Uint8Array) {
  try {
    return { ok: true as const, value: parse(der) };
  } catch (error) {
    return { ok: false as const, message: (error as Error).message };
  }
}

/**
 * The one place the two differ: asn1.js decodes an EC key's curve parameter leniently — by the tag number
 * only (a context-specific, application or constructed tag 6: 0x86, 0x46, 0x26) and ignoring a
 * continuation bit on the last byte of the OBJECT IDENTIFIER — so such parameters passed as secp256k1.
 * Ours compares the parameter with the canonical encoding of the universal OBJECT IDENTIFIER 1.3.132.0.10
 * (RFC 5480 §2.1.1) byte for byte and refuses the rest.
 */
const STRICTER = /^EC curve parameter is not valid DER|^EC public key is on curve/;

/** Same verdict and values; returns whether the input was accepted (by both). */
function agree(
  parseOurs: (d: Uint8Array) => unknown,
  parseReference: (d: Uint8Array) => unknown,
  der: Uint8Array,
) {
  const a = verdict(parseOurs, der);
  const b = verdict(parseReference, der);
  const hex = Buffer.from(der).toString('hex');
  if (!a.ok && b.ok && STRICTER.test(a.message)) {
    stricter.push(hex);
    return false;
  }
  expect({ hex, ok: a.ok, value: a.ok ? a.value : undefined }).toEqual({
    hex,
    ok: b.ok,
    value: b.ok ? b.value : undefined,
  });
  return a.ok;
}
const stricter: string[] = [];

describe('hand-written DER against asn1.js', () => {
  it('encodes signatures and public keys to the same bytes', () => {
    for (let i = 0; i < 500; i++) {
      const [r, s] = [scalar(), scalar()];
      expect(ours.encodeEcdsaSignatureDer(r, s)).toEqual(reference.encodeEcdsaSignatureDer(r, s));
      const point = bytes([33, 65][i % 2] ?? 33);
      expect(ours.encodeSecp256k1Spki(point)).toEqual(reference.encodeSecp256k1Spki(point));
      const key = bytes(32);
      expect(ours.encodeEd25519Spki(key)).toEqual(reference.encodeEd25519Spki(key));
    }
    expect(ours.encodeEcdsaSignatureDer(0n, 1n)).toEqual(reference.encodeEcdsaSignatureDer(0n, 1n));
  });

  it('parses ECDSA signatures and their mutations alike', () => {
    let accepted = 0;
    for (let i = 0; i < 400; i++) {
      const valid = reference.encodeEcdsaSignatureDer(scalar(), scalar());
      agree(ours.parseEcdsaSignatureDer, reference.parseEcdsaSignatureDer, valid);
      for (let m = 0; m < 10; m++) {
        let der = mutate(valid);
        if (int(3) === 0) der = mutate(der);
        if (agree(ours.parseEcdsaSignatureDer, reference.parseEcdsaSignatureDer, der)) accepted++;
      }
    }
    expect(accepted).toBeGreaterThan(50); // some mutations are canonical signatures again (a changed digit)
  });

  it('parses public keys and their mutations alike, with foreign algorithms and curves among them', () => {
    const foreign = [
      // P-256 (prime256v1) and RSA keys, and a secp256k1 SPKI with NULL in place of the curve
      '3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04'.padEnd(130, '7'),
      '301a300d06092a864886f70d0101010500030900300602010502010f',
      '3058301206072a8648ce3d02010500' + '034200' + '04'.padEnd(130, '5'),
      '302c300706032b657005000321' + '00'.padEnd(66, '9'),
    ].map((h) => Uint8Array.from(Buffer.from(h, 'hex')));
    const parsers = [
      [ours.parseSecp256k1Spki, reference.parseSecp256k1Spki],
      [ours.parseEd25519Spki, reference.parseEd25519Spki],
    ] as const;
    for (let i = 0; i < 300; i++) {
      const samples = [
        reference.encodeSecp256k1Spki(bytes([33, 65][i % 2] ?? 65)),
        reference.encodeEd25519Spki(bytes(32)),
        reference.encodeEd25519Spki(bytes(31 + int(3))),
        ...foreign,
      ];
      for (const valid of samples) {
        for (const [a, b] of parsers) {
          agree(a, b, valid);
          for (let m = 0; m < 4; m++) agree(a, b, mutate(valid));
        }
      }
    }
    // Only the curve parameter's tag byte (offset 15 of a secp256k1 key) makes the difference.
    // Each of those is a canonical secp256k1 key except within the parameter element (bytes 13 to 19).
    for (const hex of stricter) {
      const der = Buffer.from(hex, 'hex');
      const canonical = Buffer.from(ours.encodeSecp256k1Spki(der.subarray(23)));
      expect(der.length).toBe(canonical.length);
      expect([...der.subarray(0, 13), ...der.subarray(20)]).toEqual([
        ...canonical.subarray(0, 13),
        ...canonical.subarray(20),
      ]);
    }
  });

  it('refuses a curve parameter that is not exactly the OBJECT IDENTIFIER of secp256k1, which asn1.js accepted', () => {
    const point = '04'.padEnd(130, 'a');
    for (const parameter of ['86052b8104000a', '46052b8104000a', '26052b8104000a', '06052b8104008a']) {
      const der = Uint8Array.from(Buffer.from(`3056301006072a8648ce3d0201${parameter}034200${point}`, 'hex'));
      expect(Buffer.from(reference.parseSecp256k1Spki(der)).toString('hex')).toBe(point);
      expect(() => ours.parseSecp256k1Spki(der)).toThrow(ours.DerError);
    }
  });
});
