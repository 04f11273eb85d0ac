// After the KMS Sign call: the signature with the right v / yParity, serialized, and the bytes that will go
// on the wire decoded again and checked to be the signed digest, by the wallet.
import { concat, dataSlice, getBytes, keccak256, Signature, toBeHex, Transaction } from 'ethers';

import type { KmsSignature } from '../../crypto/signature.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { recoverPublicKey } from '../../crypto/secp256k1.js';

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
  return { signed, txId: assertSignedBy(signed, digest, address, keyId) };
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

/** Decodes the bytes that will go on the wire and checks they encode what was signed, by the wallet. */
function assertSignedBy(signed: string, digest: string, address: string, keyId: string): string {
  let decoded: Transaction;
  let sender: string | null;
  try {
    decoded = Transaction.from(signed);
    sender = recoverSender(decoded);
  } catch (error) {
    throw new SignatureVerificationError(
      keyId,
      `the signed transaction does not decode (${(error as Error).message})`,
    );
  }
  if (decoded.unsignedHash !== digest) {
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
 * The address the decoded wire signature recovers to over the decoded transaction's own digest, as a node
 * computes it. Recovery runs in libsecp256k1 rather than through `Transaction.from`, which costs a
 * pure-JavaScript recovery (≈ 1.4 ms) and a point decompression per transaction.
 */
function recoverSender(decoded: Transaction): string | null {
  const signature = decoded.signature;
  if (!signature) return null;
  const compact = getBytes(concat([signature.r, signature.s]));
  const key = recoverPublicKey(getBytes(decoded.unsignedHash), compact, signature.yParity, 'uncompressed');
  // An EVM address is the last 20 bytes of keccak256(X ‖ Y); compared case-insensitively, so no checksum.
  return key ? dataSlice(keccak256(key.subarray(1)), 12) : null;
}
