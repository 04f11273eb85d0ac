// prepareEvmTransaction: the one decode of an EVM payload — validate → digest (Transaction.unsignedHash,
// computed here) → transfers, fee and nonce for policy. Its `sign` makes one KMS Sign call over that digest.
import { getBytes, type Transaction } from 'ethers';

import type { PreparedTransaction } from '../prepared.js';
import type { PrepareRequestBase } from '../types.js';
import { checkTransaction, resolveEvmTarget, singleWallet, walletAddress, type EvmTarget } from './checks.js';
import { checkFeeCap, parseMaxFeeWei, worstCaseFeeWei, type EvmSignOptions } from './fee-cap.js';
import { finishEvmTransaction } from './finish.js';
import { parsePayload, type ParsedPayload } from './payload.js';
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

function parseUnsigned(unsigned: unknown, target: EvmTarget, address: string): ParsedPayload {
  if (typeof unsigned !== 'string') return parsePayload(unsigned, target, address);
  if (unsigned.startsWith('0x')) return { tx: parseRawTransaction(unsigned), gasField: 'gasLimit' };
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
