// ASN.1 DER codecs for what KMS returns: the SubjectPublicKeyInfo of GetPublicKey (secp256k1, Ed25519) and the
// ECDSA-Sig-Value of Sign. Parsing is strict: the input must re-encode to exactly the same bytes,
// which rejects trailing data, non-minimal lengths, superfluous leading zeros and negative integers
// while accepting every canonical form (r or s from 1 to 33 bytes, a 0x00 pad before a high bit).
import asn1 from 'asn1.js';
import type BN from 'bn.js';

const ID_EC_PUBLIC_KEY = '1.2.840.10045.2.1';
const SECP256K1_OID = '1.3.132.0.10';

interface EcdsaSigValue {
  r: BN;
  s: BN;
}

const EcdsaSigValueAsn = asn1.define<EcdsaSigValue>('EcdsaSigValue', function () {
  this.seq().obj(this.key('r').int(), this.key('s').int());
});

interface SubjectPublicKeyInfo {
  algorithm: { algorithm: number[]; parameters?: Buffer };
  subjectPublicKey: { unused: number; data: Buffer };
}

const SpkiAsn = asn1.define<SubjectPublicKeyInfo>('SubjectPublicKeyInfo', function () {
  this.seq().obj(
    this.key('algorithm').seq().obj(this.key('algorithm').objid(), this.key('parameters').optional().any()),
    this.key('subjectPublicKey').bitstr(),
  );
});

const NamedCurveAsn = asn1.define<number[]>('NamedCurve', function () {
  this.objid();
});

/** The canonical DER of secp256k1's named-curve OID: what a secp256k1 key's parameters must be. */
const SECP256K1_PARAMETERS = NamedCurveAsn.encode(SECP256K1_OID.split('.').map(Number), 'der');

export class DerError extends Error {}

function decodeStrict<T>(entity: { decode(b: Buffer, e: 'der'): T }, bytes: Uint8Array, what: string): T {
  try {
    return entity.decode(Buffer.from(bytes), 'der');
  } catch (error) {
    throw new DerError(
      `${what} is not valid DER (${(error as Error).message.split('\n')[0] ?? 'decode failed'})`,
    );
  }
}

function bnToBigInt(value: BN): bigint {
  return BigInt(`0x${value.toString(16)}`);
}

/** Parses an ECDSA-Sig-Value SEQUENCE { r INTEGER, s INTEGER } into bigints. */
export function parseEcdsaSignatureDer(der: Uint8Array): { r: bigint; s: bigint } {
  if (der.length < 8 || der.length > 74) {
    throw new DerError(`ECDSA signature DER has ${der.length} bytes; expected 8 to 74`);
  }
  const decoded = decodeStrict(EcdsaSigValueAsn, der, 'ECDSA signature');
  const canonical = EcdsaSigValueAsn.encode(decoded, 'der');
  if (!canonical.equals(Buffer.from(der))) {
    throw new DerError('ECDSA signature DER is not canonical (negative integer, padding or trailing bytes)');
  }
  return { r: bnToBigInt(decoded.r), s: bnToBigInt(decoded.s) };
}

/** Encodes (r, s) as canonical DER, the form Bitcoin scripts and KMS use. */
export function encodeEcdsaSignatureDer(r: bigint, s: bigint): Uint8Array {
  const { bignum } = asn1;
  const encoded = EcdsaSigValueAsn.encode(
    { r: new bignum(r.toString(16), 16), s: new bignum(s.toString(16), 16) },
    'der',
  );
  return new Uint8Array(encoded);
}

/** A canonical SubjectPublicKeyInfo whose algorithm is `algorithmOid`. */
function decodeSpki(der: Uint8Array, algorithmOid: string, algorithmName: string): SubjectPublicKeyInfo {
  const spki = decodeStrict(SpkiAsn, der, 'SubjectPublicKeyInfo');
  if (!Buffer.from(SpkiAsn.encode(spki, 'der')).equals(Buffer.from(der))) {
    throw new DerError('SubjectPublicKeyInfo DER is not canonical (trailing or padded bytes)');
  }
  const algorithm = spki.algorithm.algorithm.join('.');
  if (algorithm !== algorithmOid) {
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
  if (!spki.algorithm.parameters) throw new DerError('EC public key has no named curve parameter');
  const curve = decodeStrict(NamedCurveAsn, spki.algorithm.parameters, 'EC curve parameter').join('.');
  if (curve !== SECP256K1_OID) {
    throw new DerError(`EC public key is on curve ${curve}, expected secp256k1 (${SECP256K1_OID})`);
  }
  // The SPKI re-encode check passes `parameters` through as raw bytes, and asn1.js decodes an OID leniently
  // (any tag class, the constructed bit, a last arc left unterminated): insist on the canonical bytes.
  if (!Buffer.from(spki.algorithm.parameters).equals(SECP256K1_PARAMETERS)) {
    throw new DerError('EC curve parameter is not the canonical DER of the secp256k1 OID');
  }
  if (spki.subjectPublicKey.unused !== 0) throw new DerError('public key BIT STRING has unused bits');
  return new Uint8Array(spki.subjectPublicKey.data);
}

/** Builds a secp256k1 SubjectPublicKeyInfo (used to test the parser and by fakes). */
export function encodeSecp256k1Spki(point: Uint8Array): Uint8Array {
  const encoded = SpkiAsn.encode(
    {
      algorithm: { algorithm: ID_EC_PUBLIC_KEY.split('.').map(Number), parameters: SECP256K1_PARAMETERS },
      subjectPublicKey: { unused: 0, data: Buffer.from(point) },
    },
    'der',
  );
  return new Uint8Array(encoded);
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
  if (spki.algorithm.parameters) throw new DerError('Ed25519 AlgorithmIdentifier must have no parameters');
  if (spki.subjectPublicKey.unused !== 0) throw new DerError('public key BIT STRING has unused bits');
  if (spki.subjectPublicKey.data.length !== ED25519_PUBLIC_KEY_BYTES) {
    throw new DerError(
      `Ed25519 public key has ${spki.subjectPublicKey.data.length} bytes, expected ${ED25519_PUBLIC_KEY_BYTES}`,
    );
  }
  return new Uint8Array(spki.subjectPublicKey.data);
}

/** Builds an Ed25519 SubjectPublicKeyInfo (used to test the parser and by fakes). */
export function encodeEd25519Spki(publicKey: Uint8Array): Uint8Array {
  const encoded = SpkiAsn.encode(
    {
      algorithm: { algorithm: ID_ED25519.split('.').map(Number) },
      subjectPublicKey: { unused: 0, data: Buffer.from(publicKey) },
    },
    'der',
  );
  return new Uint8Array(encoded);
}
