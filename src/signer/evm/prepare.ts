// prepareEvmTransaction: the one decode of an EVM payload — validate → digest (Transaction.unsignedHash,
// computed here) → transfers, fee and nonce for policy. Its `sign` makes one KMS Sign call over that digest.
import { getBytes, type Transaction } from 'ethers';

import type { PreparedTransaction } from '../prepared.js';
import type { PrepareRequestBase } from '../types.js';
import { isCeloLegacyRlp } from './celo.js';
import { checkTransaction, resolveEvmTarget, singleWallet, walletAddress, type EvmTarget } from './checks.js';
import { checkFeeCap, parseMaxFeeWei, worstCaseFeeWei, type EvmSignOptions } from './fee-cap.js';
import { finishEvmTransaction } from './finish.js';
import { evmPayloadGaps, parsePayload, type EvmPayloadGaps, type ParsedPayload } from './payload.js';
import { parseRawTransaction } from './raw.js';
import { refuse } from './refuse.js';
import { evmTransfers } from './transfers.js';

export interface EvmPrepareRequest extends PrepareRequestBase {
  /**
   * A Tatum web3-style payload (object, or its JSON string) or a 0x-hex unsigned serialized
   * transaction of type 0 (EIP-155), 1 or 2.
   */
  unsigned: string | object;
  options?: EvmSignOptions;
}

/** Every refusal is a SigningRefusedError raised here, before any KMS call. */
export function prepareEvmTransaction(req: EvmPrepareRequest): PreparedTransaction {
  const target = resolveEvmTarget(req.chain, req.network);
  const maxFeeWei = parseMaxFeeWei(req.options?.maxFeeWei);
  const wallet = singleWallet(req.wallets);
  const address = walletAddress(target, wallet);
  const { tx, gasField } = parseUnsigned(req.unsigned, target, address);
  checkTransaction(tx, target, gasField);
  checkFeeCap(tx, target.chain, maxFeeWei);

  const digest = tx.unsignedHash;
  const { transfers, unrecognized } = evmTransfers(tx);
  return {
    chain: req.chain,
    network: req.network,
    transfers,
    unrecognized,
    fee: worstCaseFeeWei(tx),
    nonce: BigInt(tx.nonce),
    digests: [{ keyId: wallet.keyId, digest: digest.slice(2), inputIndex: 0 }],
    async sign(signer) {
      const signature = await signer.signDigest(wallet.keyId, getBytes(digest), wallet.publicKey);
      const { signed, txId } = finishEvmTransaction(cloneUnsigned(tx), signature, address, wallet.keyId);
      return {
        chain: req.chain,
        network: req.network,
        signed,
        txId,
        digests: [{ keyId: wallet.keyId, digest: digest.slice(2), inputIndex: 0 }],
      };
    },
  };
}

/** A fresh copy, so that signing twice (never done by the loop) cannot see a previous signature. */
function cloneUnsigned(tx: Transaction): Transaction {
  return tx.clone();
}

/**
 * What a trusted chain view must complete in a Tatum JSON payload (gas, gasPrice, nonce), with the sender and
 * the call to estimate; undefined for a raw transaction, which is complete by construction. Refuses what
 * prepareEvmTransaction would refuse about the fields present.
 */
export function evmCompletionGaps(req: EvmPrepareRequest): (EvmPayloadGaps & { from: string }) | undefined {
  const target = resolveEvmTarget(req.chain, req.network);
  const from = walletAddress(target, singleWallet(req.wallets));
  const payload = payloadObject(req.unsigned);
  return payload === undefined ? undefined : { ...evmPayloadGaps(payload, target, from), from };
}

function parseUnsigned(unsigned: unknown, target: EvmTarget, address: string): ParsedPayload {
  const payload = payloadObject(unsigned);
  if (payload !== undefined) return parsePayload(payload, target, address);
  const raw = unsigned as string;
  if (target.chain === 'CELO' && isCeloLegacyRlp(raw)) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'unsigned',
      'is a 12-field Celo legacy transaction, which Celo no longer accepts since its L2 migration (March 2025)',
    );
  }
  return { tx: parseRawTransaction(raw), gasField: 'gasLimit' };
}

/** The JSON payload as an object, or undefined for a 0x raw transaction. */
function payloadObject(unsigned: unknown): unknown {
  if (typeof unsigned !== 'string') return unsigned;
  if (unsigned.startsWith('0x')) return undefined;
  if (!unsigned.trimStart().startsWith('{')) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'must be a 0x-hex raw transaction or a JSON object');
  }
  try {
    return JSON.parse(unsigned) as unknown;
  } catch (error) {
    return refuse('MALFORMED_TRANSACTION', 'unsigned', `is not valid JSON (${(error as Error).message})`);
  }
}
