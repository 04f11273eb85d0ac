// After the KMS Sign call: the signature with the right v / yParity, serialized, and the bytes that will go
// on the wire decoded again and checked to be the signed digest, by the wallet.
import { concat, dataSlice, getBytes, hexlify, keccak256, Signature, toBeHex, Transaction } from 'ethers';

import type { KmsSignature } from '../../crypto/signature.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { recoverPublicKey } from '../../crypto/secp256k1.js';
import { recoveryProofOf } from '../../crypto/recovery-proofs.js';

/** Attaches the signature to `tx` and returns the serialized transaction and its hash, checked. */
export function finishEvmTransaction(
  tx: Transaction,
  signature: KmsSignature,
  address: string,
  keyId: string,
): { signed: string; txId: string } {
  const digest = tx.unsignedHash;
  tx.signature = toEthersSignature(signature, keyId);
  const signed = tx.serialized;
  return { signed, txId: assertSignedBy(signed, digest, signature, address, keyId) };
}

/**
 * yParity is the recovery id; ethers then writes it as is in typed transactions and as
 * v = chainId·2 + 35 + yParity in legacy ones (the transaction's chainId is never 0 here).
 */
function toEthersSignature(signature: KmsSignature, keyId: string): Signature {
  try {
    return Signature.from({
      r: toBeHex(signature.r, 32),
      s: toBeHex(signature.s, 32),
      yParity: signature.recoveryId,
    });
  } catch (error) {
    throw new SignatureVerificationError(keyId, `unusable signature (${(error as Error).message})`);
  }
}

/**
 * Decodes the bytes that will go on the wire (ethers) and checks they encode what was signed, by the wallet:
 * the decoded transaction's own digest is the signed one and its signature recovers to the wallet address.
 */
function assertSignedBy(
  signed: string,
  digest: string,
  signature: KmsSignature,
  address: string,
  keyId: string,
): string {
  let decoded: Transaction;
  let decodedDigest: string;
  let sender: string | null;
  try {
    decoded = Transaction.from(signed);
    decodedDigest = decoded.unsignedHash;
    sender = provenSender(decoded, decodedDigest, signature) ?? recoverSender(decoded, decodedDigest);
  } catch (error) {
    throw new SignatureVerificationError(
      keyId,
      `the signed transaction does not decode (${(error as Error).message})`,
    );
  }
  if (decodedDigest !== digest) {
    throw new SignatureVerificationError(
      keyId,
      'the serialized transaction does not encode the signed digest',
    );
  }
  if (sender?.toLowerCase() !== address.toLowerCase() || decoded.hash === null) {
    throw new SignatureVerificationError(
      keyId,
      `the signed transaction recovers to ${String(sender)}, not the wallet address ${address}`,
    );
  }
  return decoded.hash;
}

/**
 * The sender without recovering a second time, when the vault's libsecp256k1 recovery (src/kms/kms-signature.ts)
 * proved exactly what ethers decoded from the wire: the same digest, r, s and yParity recover to the key it
 * records. Undefined when this signature object carries no such proof or any decoded value differs; then
 * recoverSender runs.
 */
function provenSender(
  decoded: Transaction,
  decodedDigest: string,
  signature: KmsSignature,
): string | undefined {
  const proof = recoveryProofOf(signature);
  const wire = decoded.signature;
  if (!proof || !wire) return undefined;
  const proven =
    wire.yParity === proof.recoveryId &&
    BigInt(wire.r) === proof.r &&
    BigInt(wire.s) === proof.s &&
    hexlify(proof.digest) === decodedDigest;
  return proven ? evmAddress(proof.publicKey) : undefined;
}

/**
 * The address the decoded wire signature recovers to over the decoded transaction's own digest, as a node
 * computes it. Recovery runs in libsecp256k1 rather than through `Transaction.from`, which costs a
 * pure-JavaScript recovery (≈ 1.4 ms) and a point decompression per transaction.
 */
function recoverSender(decoded: Transaction, decodedDigest: string): string | null {
  const signature = decoded.signature;
  if (!signature) return null;
  const compact = getBytes(concat([signature.r, signature.s]));
  const key = recoverPublicKey(getBytes(decodedDigest), compact, signature.yParity, 'uncompressed');
  return key ? evmAddress(key) : null;
}

/** The last 20 bytes of keccak256(X ‖ Y) of a 65-byte key; compared case-insensitively, so no checksum. */
function evmAddress(uncompressed: Uint8Array): string {
  return dataSlice(keccak256(uncompressed.subarray(1)), 12);
}
