import { libsecp256k1 } from './libsecp256k1.js';

// secp256k1 public keys as every part of kms-signer sees them: validated once, held in both encodings.

/** The bytes given are not a usable secp256k1 public key. */
export class InvalidPublicKeyError extends Error {
  override name = 'InvalidPublicKeyError';
  constructor(readonly reason: string) {
    super(`Invalid publicKey: ${reason}`);
  }
}

/** A validated secp256k1 public key in both SEC1 encodings. */
export interface Secp256k1PublicKey {
  /** 33 bytes: 0x02/0x03 ‖ X. Bitcoin-family addresses always hash this form. */
  readonly compressed: Uint8Array;
  /** 65 bytes: 0x04 ‖ X ‖ Y. EVM and TRON addresses hash X ‖ Y (this without its first byte). */
  readonly uncompressed: Uint8Array;
}

/**
 * Checks that `publicKey` is a SEC1-encoded point on secp256k1 (33-byte compressed or 65-byte uncompressed;
 * hybrid 0x06/0x07 keys are refused) and returns both encodings. Throws InvalidPublicKeyError otherwise.
 */
export function parsePublicKey(publicKey: Uint8Array): Secp256k1PublicKey {
  if (!(publicKey instanceof Uint8Array)) {
    throw new InvalidPublicKeyError(`expected a Uint8Array, got ${describe(publicKey)}`);
  }
  const prefix = publicKey[0];
  if (publicKey.length === 33) {
    if (prefix !== 0x02 && prefix !== 0x03) {
      throw new InvalidPublicKeyError(
        `a 33-byte (compressed) key must start with 0x02 or 0x03, got 0x${hexByte(prefix)}`,
      );
    }
  } else if (publicKey.length === 65) {
    if (prefix !== 0x04) {
      throw new InvalidPublicKeyError(
        `a 65-byte (uncompressed) key must start with 0x04, got 0x${hexByte(prefix)}`,
      );
    }
  } else {
    throw new InvalidPublicKeyError(
      `expected 33 (compressed) or 65 (uncompressed) bytes, got ${publicKey.length}`,
    );
  }
  // libsecp256k1 (WebAssembly) parses and checks the point; decompressing in pure JavaScript cost ≈ 0.3 ms,
  // paid on every signature.
  const compressed = libsecp256k1().compressPublicKey(publicKey);
  const uncompressed = libsecp256k1().uncompressPublicKey(publicKey);
  if (typeof compressed === 'string' || typeof uncompressed === 'string') {
    const reason = typeof compressed === 'string' ? compressed : String(uncompressed);
    throw new InvalidPublicKeyError(`not a point on the secp256k1 curve (${reason})`);
  }
  return { compressed, uncompressed };
}

function hexByte(b: number | undefined): string {
  return (b ?? 0).toString(16).padStart(2, '0');
}

function describe(x: unknown): string {
  if (x === null) return 'null';
  if (typeof x === 'object') return x.constructor.name;
  return typeof x;
}
