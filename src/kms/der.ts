// ASN.1 DER codecs for what KMS returns: the SubjectPublicKeyInfo of GetPublicKey (secp256k1, Ed25519) and the
// ECDSA-Sig-Value of Sign. Parsing is strict: the input must re-encode to exactly the same bytes,
// which rejects trailing data, non-minimal lengths, superfluous leading zeros and negative integers
// while accepting every canonical form (r or s from 1 to 33 bytes, a 0x00 pad before a high bit).
//
// Written by hand for these two fixed structures (X.690 §8.1 TLV, §8.3 INTEGER, §8.6 BIT STRING, §8.19
// OBJECT IDENTIFIER; DER §10) instead of asn1.js, which with bn.js was ≈ 70 kB of both Lambdas' init code.
// The reader only splits tag-length-value; strictness comes from re-encoding canonically and comparing,
// as before. test/unit/kms/der-differential.test.ts checks it against the asn1.js codecs it replaced.

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const SECP256K1_OID = '1.3.132.0.10';
const SEQUENCE = 0x30;
const INTEGER = 0x02;
const BIT_STRING = 0x03;
const OBJECT_IDENTIFIER = 0x06;

export class DerError extends Error {}

interface Tlv {
  tag: number;
  value: Uint8Array;
  /** Offset just past this element in the buffer it was read from. */
  end: number;
}

/** One tag-length-value at `offset` (single-byte tags; lengths up to 2 bytes, enough for these sizes). */
function readTlv(bytes: Uint8Array, offset: number, tag: number, what: string): Tlv {
  const fail = (reason: string) => new DerError(`${what} is not valid DER (${reason})`);
  const actual = bytes[offset];
  let length = bytes[offset + 1];
  if (actual === undefined || length === undefined) throw fail('truncated');
  if (actual !== tag) throw fail(`tag 0x${actual.toString(16)}, expected 0x${tag.toString(16)}`);
  let start = offset + 2;
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 2 || start + count > bytes.length) throw fail('bad length');
    length = 0;
    for (const byte of bytes.subarray(start, start + count)) length = length * 256 + byte;
    start += count;
  }
  if (start + length > bytes.length) throw fail('truncated');
  return { tag, value: bytes.subarray(start, start + length), end: start + length };
}

function encodeTlv(tag: number, ...parts: Uint8Array[]): Uint8Array {
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const header =
    length < 0x80
      ? [tag, length]
      : length < 0x100
        ? [tag, 0x81, length]
        : [tag, 0x82, length >> 8, length & 0xff];
  const out = new Uint8Array(header.length + length);
  out.set(header);
  let at = header.length;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}

/** A non-negative INTEGER in its minimal form: a 0x00 pad only before a high bit. */
function encodeInteger(value: bigint): Uint8Array {
  if (value < 0n) throw new DerError('negative integers are not encoded here');
  let hex = value.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (Number.parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`;
  return encodeTlv(INTEGER, Uint8Array.from(Buffer.from(hex, 'hex')));
}

/** The content read as unsigned; a sign bit or padding then fails the canonical comparison. */
function readUnsigned(content: Uint8Array, what: string): bigint {
  if (content.length === 0) throw new DerError(`${what} is not valid DER (empty INTEGER)`);
  return BigInt(`0x${Buffer.from(content).toString('hex')}`);
}

/** Parses an ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } into bigints. */
export function parseEcdsaSignatureDer(der: Uint8Array): { r: bigint; s: bigint } {
  if (der.length < 8 || der.length > 74) {
    throw new DerError(`ECDSA signature DER has ${der.length} bytes; expected 8 to 74`);
  }
  const what = 'ECDSA signature';
  const sequence = readTlv(der, 0, SEQUENCE, what);
  const rTlv = readTlv(sequence.value, 0, INTEGER, what);
  const sTlv = readTlv(sequence.value, rTlv.end, INTEGER, what);
  const r = readUnsigned(rTlv.value, what);
  const s = readUnsigned(sTlv.value, what);
  if (!equal(encodeEcdsaSignatureDer(r, s), der)) {
    throw new DerError('ECDSA signature DER is not canonical (negative integer, padding or trailing bytes)');
  }
  return { r, s };
}

/** Encodes (r, s) as canonical DER, the form Bitcoin scripts and KMS use. */
export function encodeEcdsaSignatureDer(r: bigint, s: bigint): Uint8Array {
  return encodeTlv(SEQUENCE, encodeInteger(r), encodeInteger(s));
}

/** OBJECT IDENTIFIER content from its dotted form (first two arcs as 40·X + Y, base-128 arcs). */
function encodeOidContent(dotted: string): Uint8Array {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [];
  for (const arc of [first * 40 + second, ...rest]) {
    const groups = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) groups.unshift((v & 0x7f) | 0x80);
    bytes.push(...groups);
  }
  return Uint8Array.from(bytes);
}

/** The dotted form of OBJECT IDENTIFIER content (for messages; acceptance compares encoded bytes). */
function decodeOid(content: Uint8Array): string {
  const arcs: number[] = [];
  let arc = 0;
  for (const byte of content) {
    arc = arc * 128 + (byte & 0x7f);
    if ((byte & 0x80) === 0) {
      arcs.push(arc);
      arc = 0;
    }
  }
  const [head = 0, ...rest] = arcs;
  const first = Math.min(2, Math.floor(head / 40));
  return [first, head - first * 40, ...rest].join('.');
}

interface SubjectPublicKeyInfo {
  /** The algorithm's OBJECT IDENTIFIER content. */
  algorithm: Uint8Array;
  /** The whole parameters element (tag, length, value), when present. */
  parameters?: Uint8Array;
  unusedBits: number;
  key: Uint8Array;
}

function encodeSpki({ algorithm, parameters, unusedBits, key }: SubjectPublicKeyInfo): Uint8Array {
  const identifier = encodeTlv(OBJECT_IDENTIFIER, algorithm);
  return encodeTlv(
    SEQUENCE,
    encodeTlv(SEQUENCE, identifier, parameters ?? new Uint8Array()),
    encodeTlv(BIT_STRING, Uint8Array.of(unusedBits), key),
  );
}

/** A canonical SubjectPublicKeyInfo whose algorithm is `algorithmOid`. */
function decodeSpki(der: Uint8Array, algorithmOid: string, algorithmName: string): SubjectPublicKeyInfo {
  const what = 'SubjectPublicKeyInfo';
  const outer = readTlv(der, 0, SEQUENCE, what);
  const identifier = readTlv(outer.value, 0, SEQUENCE, what);
  const oid = readTlv(identifier.value, 0, OBJECT_IDENTIFIER, what);
  let parameters: Uint8Array | undefined;
  if (oid.end < identifier.value.length) {
    const tag = identifier.value[oid.end] ?? 0;
    parameters = identifier.value.subarray(oid.end, readTlv(identifier.value, oid.end, tag, what).end);
  }
  const bits = readTlv(outer.value, identifier.end, BIT_STRING, what);
  const [unusedBits] = bits.value;
  if (unusedBits === undefined) throw new DerError(`${what} is not valid DER (empty BIT STRING)`);
  const spki = { algorithm: oid.value, parameters, unusedBits, key: bits.value.subarray(1) };
  if (!equal(encodeSpki(spki), der)) {
    throw new DerError('SubjectPublicKeyInfo DER is not canonical (trailing or padded bytes)');
  }
  if (!equal(spki.algorithm, encodeOidContent(algorithmOid))) {
    const algorithm = decodeOid(spki.algorithm);
    throw new DerError(`public key algorithm is ${algorithm}, expected ${algorithmName} (${algorithmOid})`);
  }
  return spki;
}

/**
 * Extracts the raw EC point from a SubjectPublicKeyInfo, insisting on id-ecPublicKey with the
 * secp256k1 named curve. Point validity is checked by the caller (curve maths lives in secp256k1.ts).
 */
export function parseSecp256k1Spki(der: Uint8Array): Uint8Array {
  const spki = decodeSpki(der, ID_EC_PUBLIC_KEY, 'id-ecPublicKey');
  if (!spki.parameters) throw new DerError('EC public key has no named curve parameter');
  const curve = readTlv(spki.parameters, 0, OBJECT_IDENTIFIER, 'EC curve parameter');
  if (!equal(curve.value, encodeOidContent(SECP256K1_OID))) {
    throw new DerError(
      `EC public key is on curve ${decodeOid(curve.value)}, expected secp256k1 (${SECP256K1_OID})`,
    );
  }
  if (spki.unusedBits !== 0) throw new DerError('public key BIT STRING has unused bits');
  return Uint8Array.from(spki.key);
}

/** Builds a secp256k1 SubjectPublicKeyInfo (used to test the parser and by fakes). */
export function encodeSecp256k1Spki(point: Uint8Array): Uint8Array {
  return encodeSpki({
    algorithm: encodeOidContent(ID_EC_PUBLIC_KEY),
    parameters: encodeTlv(OBJECT_IDENTIFIER, encodeOidContent(SECP256K1_OID)),
    unusedBits: 0,
    key: point,
  });
}

// RFC 8410 §3: id-Ed25519; the AlgorithmIdentifier of an Ed25519 key has no parameters.
const ID_ED25519 = '1.3.101.112';
const ED25519_PUBLIC_KEY_BYTES = 32;

/**
 * Extracts the 32-byte Ed25519 public key from a SubjectPublicKeyInfo, insisting on id-Ed25519 without
 * parameters. Whether the bytes are a curve point is checked by the caller (ed25519.ts).
 */
export function parseEd25519Spki(der: Uint8Array): Uint8Array {
  const spki = decodeSpki(der, ID_ED25519, 'id-Ed25519');
  if (spki.parameters) throw new DerError('Ed25519 AlgorithmIdentifier must have no parameters');
  if (spki.unusedBits !== 0) throw new DerError('public key BIT STRING has unused bits');
  if (spki.key.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new DerError(
      `Ed25519 public key has ${spki.key.length} bytes, expected ${ED25519_PUBLIC_KEY_BYTES}`,
    );
  }
  return Uint8Array.from(spki.key);
}

/** Builds an Ed25519 SubjectPublicKeyInfo (used to test the parser and by fakes). */
export function encodeEd25519Spki(publicKey: Uint8Array): Uint8Array {
  return encodeSpki({ algorithm: encodeOidContent(ID_ED25519), unusedBits: 0, key: publicKey });
}
