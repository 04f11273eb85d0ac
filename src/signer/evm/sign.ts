// signEvmTransaction: validate → digest (Transaction.unsignedHash, computed here) → one KMS Sign call →
// signature with the right v / yParity → serialize → re-decode and check the sender before returning.
import { concat, dataSlice, getBytes, keccak256, Signature, toBeHex, Transaction } from 'ethers';

import { SignatureVerificationError } from '../../kms/errors.js';
import { recoverPublicKey } from '../../kms/secp256k1.js';
import type { KmsSignature } from '../../kms/vault.js';
import type { SignedTransaction, SignRequestBase } from '../types.js';
import { checkTransaction, resolveEvmTarget, singleWallet, walletAddress, type EvmTarget } from './checks.js';
import { isCeloLegacyRlp } from './celo.js';
import { checkFeeCap, parseMaxFeeWei, type EvmSignOptions } from './fee-cap.js';
import { parsePayload, type ParsedPayload } from './payload.js';
import { parseRawTransaction } from './raw.js';
import { refuse } from './refuse.js';

export interface EvmSignRequest extends SignRequestBase {
  /**
   * A Tatum web3-style payload (object, or its JSON string) or a 0x-hex unsigned serialized
   * transaction of type 0 (EIP-155), 1 or 2.
   */
  unsigned: string | object;
  options?: EvmSignOptions;
}

/**
 * Signs one EVM transaction with the request's single wallet key. Every refusal is a
 * SigningRefusedError raised before the KMS Sign call; a signature that does not recover to the
 * wallet address after serialization is a SignatureVerificationError and is never returned.
 */
export async function signEvmTransaction(req: EvmSignRequest): Promise<SignedTransaction> {
  const target = resolveEvmTarget(req.chain, req.network);
  const maxFeeWei = parseMaxFeeWei(req.options?.maxFeeWei);
  const wallet = singleWallet(req.wallets);
  const address = walletAddress(target, wallet);
  const { tx, gasField } = parseUnsigned(req.unsigned, target, address);
  checkTransaction(tx, target, gasField);
  checkFeeCap(tx, target.chain, maxFeeWei);

  const digest = tx.unsignedHash;
  const signature = await req.signer.signDigest(wallet.keyId, getBytes(digest), wallet.publicKey);
  tx.signature = toEthersSignature(signature, wallet.keyId);
  const signed = tx.serialized;
  const txId = assertSignedBy(signed, digest, address, wallet.keyId);

  return {
    chain: req.chain,
    network: req.network,
    signed,
    txId,
    digests: [{ keyId: wallet.keyId, digest: digest.slice(2), inputIndex: 0 }],
  };
}

function parseUnsigned(unsigned: unknown, target: EvmTarget, address: string): ParsedPayload {
  if (typeof unsigned !== 'string') return parsePayload(unsigned, target, address);
  if (unsigned.startsWith('0x')) {
    if (target.chain === 'CELO' && isCeloLegacyRlp(unsigned)) {
      refuse(
        'UNSUPPORTED_TRANSACTION',
        'unsigned',
        'is a 12-field Celo legacy transaction, which Celo no longer accepts since its L2 migration (March 2025)',
      );
    }
    return { tx: parseRawTransaction(unsigned), gasField: 'gasLimit' };
  }
  if (!unsigned.trimStart().startsWith('{')) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'must be a 0x-hex raw transaction or a JSON object');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(unsigned);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', `is not valid JSON (${(error as Error).message})`);
  }
  return parsePayload(payload, target, address);
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
