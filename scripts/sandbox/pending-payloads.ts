// Builds PendingTransactions in Tatum's formats (§3, §4) for the sandbox queue: the web3 JSON of an EVM
// transfer or ERC-20 transfer, and the bitcore Transaction.toObject() JSON of a BTC spend (built with
// bitcoinjs-lib in bitcoin-payloads.ts). Pass the result to TatumSandbox.enqueue.
import { Interface } from 'ethers';
import type { PendingTransaction } from '../../src/tatum/types.js';
import { bitcorePayload, type TestOutput, type TestUtxo } from './bitcoin-payloads.js';

export type NewPendingTransaction = Omit<PendingTransaction, 'id' | 'txId'>;

export interface EvmPayloadOptions {
  to: string;
  /** Wei. */
  value: bigint;
  gasPrice: bigint;
  nonce: number;
  /** Default 21,000. */
  gas?: bigint;
  data?: string;
}

/** Tatum's legacy web3 TransactionConfig JSON: {from:0,to,value,data,gas,gasPrice,nonce}, decimal strings. */
export function evmPayload(options: EvmPayloadOptions): string {
  return JSON.stringify({
    from: 0,
    to: options.to,
    value: options.value.toString(),
    data: options.data ?? '0x',
    gas: (options.gas ?? 21_000n).toString(),
    gasPrice: options.gasPrice.toString(),
    nonce: options.nonce,
  });
}

const ERC20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);

export interface Erc20PayloadOptions {
  token: string;
  to: string;
  /** Token base units. */
  amount: bigint;
  gasPrice: bigint;
  nonce: number;
  /** Default 100,000. */
  gas?: bigint;
}

/** An ERC-20 transfer(to, amount) call to `token`, as Tatum's web3 JSON (value 0). */
export function erc20TransferPayload(options: Erc20PayloadOptions): string {
  return evmPayload({
    to: options.token,
    value: 0n,
    gasPrice: options.gasPrice,
    nonce: options.nonce,
    gas: options.gas ?? 100_000n,
    data: ERC20.encodeFunctionData('transfer', [options.to, options.amount]),
  });
}

/** An account-chain pending transaction signed by wallet `signatureId`. */
export function evmPending(
  chain: string,
  signatureId: string,
  serializedTransaction: string,
): NewPendingTransaction {
  return { chain, serializedTransaction, hashes: [signatureId] };
}

/**
 * A BTC/LTC/DOGE pending transaction spending `utxos`: `signatureIds[i]` is the wallet of input i (one
 * entry per input, duplicates allowed, as Tatum sends them).
 */
export function bitcorePending(
  chain: string,
  utxos: readonly TestUtxo[],
  outputs: readonly TestOutput[],
  signatureIds: readonly string[],
): NewPendingTransaction {
  if (signatureIds.length !== utxos.length) {
    throw new Error(`${utxos.length} inputs need ${utxos.length} signature ids, got ${signatureIds.length}`);
  }
  return {
    chain,
    serializedTransaction: JSON.stringify(bitcorePayload(utxos, outputs)),
    hashes: [...signatureIds],
  };
}
