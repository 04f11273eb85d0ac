// TRON's signature encoding, as tronweb's ECKeySign writes it: hex r(32) ‖ s(32) ‖ v(1), v = 27 + recovery id,
// and a final check that the exact bytes we release recover to the wallet's address.
import { deriveAddress, type NetworkName } from '../../chains/index.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { isHighS, recoverPublicKey } from '../../crypto/secp256k1.js';
import type { KmsSignature } from '../../crypto/signature.js';

/** 130 hex characters: r ‖ s ‖ (27 + recoveryId). */
export function encodeTronSignature(signature: KmsSignature): string {
  return Buffer.from(signature.compact).toString('hex') + (27 + signature.recoveryId).toString(16);
}

/**
 * Recovers the signer from the encoded signature exactly as a TRON node does (ecrecover over the txID) and
 * demands low S and the wallet's address. Guards against any DigestSigner that returns a wrong recovery
 * id, an unpadded r/s or a signature by another key.
 */
export function assertTronSignatureFrom(
  encoded: string,
  digest: Uint8Array,
  expected: { keyId: string; network: NetworkName; address: string },
): void {
  const fail = (reason: string): never => {
    throw new SignatureVerificationError(expected.keyId, `TRON signature ${reason}`);
  };
  const match = /^([0-9a-f]{128})(1b|1c)$/.exec(encoded);
  if (match?.[1] === undefined) return fail('is not 65 bytes of r ‖ s ‖ v with v 27 or 28');
  const compact = Buffer.from(match[1], 'hex');
  if (isHighS(BigInt(`0x${match[1].slice(64)}`))) fail('has a high S');
  const recovered = recoverPublicKey(digest, compact, match[2] === '1b' ? 0 : 1, 'uncompressed');
  if (!recovered) return fail('does not recover a public key');
  const signer = deriveAddress('TRON', expected.network, recovered);
  if (signer !== expected.address) fail(`recovers to ${signer}, not the wallet's ${expected.address}`);
}
