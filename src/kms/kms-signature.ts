// Turns the DER signature KMS returned into the signature every chain can use: strict DER parse, r and s
// in range, S folded to the low half, recovery id found against the wallet's stored public key (which
// also proves the signature verifies). Anything else is refused with an error naming the key.
import { DerError, encodeEcdsaSignatureDer, parseEcdsaSignatureDer } from './der.js';
import { MalformedKmsResponseError, SignatureVerificationError } from './errors.js';
import {
  compactSignature,
  findRecoveryId,
  isHighS,
  isScalarInRange,
  normalizeLowS,
  type Secp256k1PublicKey,
} from '../crypto/secp256k1.js';
import type { KmsSignature } from '../crypto/signature.js';
import { recordRecoveryProof } from '../crypto/recovery-proofs.js';

export function kmsSignature(
  keyId: string,
  kmsDer: Uint8Array,
  digest: Uint8Array,
  expectedKey: Secp256k1PublicKey,
): KmsSignature {
  let r: bigint;
  let rawS: bigint;
  try {
    ({ r, s: rawS } = parseEcdsaSignatureDer(kmsDer));
  } catch (error) {
    if (error instanceof DerError) throw new MalformedKmsResponseError(keyId, error.message);
    throw error;
  }
  if (!isScalarInRange(r) || !isScalarInRange(rawS)) {
    throw new MalformedKmsResponseError(keyId, 'signature r or s is outside [1, n-1]');
  }
  const s = normalizeLowS(rawS);
  const recoveryId = findRecoveryId(digest, r, s, expectedKey);
  if (recoveryId === undefined) {
    throw new SignatureVerificationError(keyId, 'signature does not verify against the wallet public key');
  }
  const signature: KmsSignature = {
    r,
    s,
    recoveryId,
    der: encodeEcdsaSignatureDer(r, s),
    compact: compactSignature(r, s),
    normalized: isHighS(rawS),
  };
  // The recovery that found the id is the proof; the EVM final check reuses it (src/signer/evm/finish.ts).
  recordRecoveryProof(signature, { digest, r, s, recoveryId, publicKey: expectedKey.uncompressed });
  return signature;
}
