// Signatures whose recovery id was proven by a libsecp256k1 recovery that gave back the wallet's key,
// remembered by object identity: a later check of the same signature object (the EVM final check) can
// reuse that recovery instead of running it again. Only kmsSignature records proofs; a signature from
// any other DigestSigner, or a copy of one, has none and is checked by a recovery of its own.
import type { KmsSignature } from './signature.js';

export interface RecoveryProof {
  /** The 32-byte digest that was signed (a copy, so the caller's array can change without effect). */
  readonly digest: Uint8Array;
  readonly r: bigint;
  readonly s: bigint;
  readonly recoveryId: 0 | 1;
  /** 65-byte uncompressed key that (digest, r, s, recoveryId) recovered to. */
  readonly publicKey: Uint8Array;
}

const proofs = new WeakMap<KmsSignature, RecoveryProof>();

export function recordRecoveryProof(signature: KmsSignature, proof: RecoveryProof): void {
  proofs.set(signature, {
    ...proof,
    digest: Uint8Array.from(proof.digest),
    publicKey: Uint8Array.from(proof.publicKey),
  });
}

/** The proof recorded for this very object; its values, not the object's current fields, are what was proven. */
export function recoveryProofOf(signature: KmsSignature): RecoveryProof | undefined {
  return proofs.get(signature);
}
