// The EVM fee cap: a transaction whose worst-case fee (gas limit × gasPrice, or × maxFeePerGas for type 2)
// exceeds it is refused (FEE_TOO_HIGH) before anything is signed. A payload with a mistyped gas price
// (gwei entered as ether, an extra zero) would otherwise burn the wallet's balance in fees.
//
// | chain   | default cap     | ≈ what it admits                                                     |
// | ETH     | 0.05 ETH        | 1,000,000 gas at 50 gwei; a plain transfer up to ≈ 2,380 gwei         |
// | BSC     | 0.02 BNB        | 1,000,000 gas at 20 gwei (usual price 1–5 gwei)                       |
// | MATIC   | 5 POL           | 1,000,000 gas at 5,000 gwei (usual 30–300, spikes above 1,000)        |
// | EVM_DEV | 1 ETH           | anvil, local development                                              |
// | CELO    | 1 CELO          | 1,000,000 gas at 1,000 gwei (L2 base fee floor 25 gwei)               |
// | KLAY    | 1 KAIA          | 1,000,000 gas at 1,000 gwei (Kaia's base fee moves within 25–750)     |
// | XDC     | 1 XDC           | 1,000,000 gas at 1,000 gwei (usual 0.25–12.5 gwei)                    |
// | ONE     | 10 ONE          | 1,000,000 gas at 10,000 gwei (minimum price 100 gwei)                 |
// | KCS     | 0.05 KCS        | 1,000,000 gas at 50 gwei (usual ≈ 1 gwei)                             |
// Testnets use the same caps, so a payload behaves the same before and after promotion to mainnet.
// options.maxFeeWei replaces the default with one absolute cap for that request.
import type { Transaction } from 'ethers';
import type { ChainId } from '../../chains/index.js';
import { refuse } from '../types.js';

const ETHER = 10n ** 18n;

export const DEFAULT_MAX_FEE_WEI: Readonly<Partial<Record<ChainId, bigint>>> = {
  ETH: ETHER / 20n,
  BSC: ETHER / 50n,
  MATIC: 5n * ETHER,
  EVM_DEV: ETHER,
  CELO: ETHER,
  KLAY: ETHER,
  XDC: ETHER,
  ONE: 10n * ETHER,
  KCS: ETHER / 20n,
};

export interface EvmSignOptions {
  /** Absolute cap on gas limit × (max) fee per gas, in wei; replaces the chain's default. */
  maxFeeWei?: bigint | number | string;
}

/** options.maxFeeWei as a bigint, or undefined when not given. */
export function parseMaxFeeWei(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && /^(0|[1-9][0-9]{0,77})$/.test(value)) return BigInt(value);
  refuse('INVALID_REQUEST', 'options.maxFeeWei', 'must be a whole, non-negative number of wei');
}

/** The most this transaction can pay in fees, in wei. */
export function worstCaseFeeWei(tx: Transaction): bigint {
  const perGas = tx.type === 2 ? (tx.maxFeePerGas ?? 0n) : (tx.gasPrice ?? 0n);
  return tx.gasLimit * perGas;
}

export function checkFeeCap(tx: Transaction, chain: ChainId, maxFeeWei: bigint | undefined): void {
  const cap = maxFeeWei ?? DEFAULT_MAX_FEE_WEI[chain];
  // Fail closed: an EVM chain added to the registry without a default cap signs nothing until it has one.
  if (cap === undefined) {
    refuse('INVALID_REQUEST', 'options.maxFeeWei', `is required: ${chain} has no default fee cap`);
  }
  const fee = worstCaseFeeWei(tx);
  if (fee > cap) {
    const source = maxFeeWei === undefined ? `the ${chain} default cap` : 'options.maxFeeWei';
    refuse(
      'FEE_TOO_HIGH',
      tx.type === 2 ? 'maxFeePerGas' : 'gasPrice',
      `gas limit ${tx.gasLimit} × ${tx.type === 2 ? 'maxFeePerGas' : 'gasPrice'} ${tx.type === 2 ? tx.maxFeePerGas : tx.gasPrice} wei = ${fee} wei, above ${source} of ${cap} wei`,
    );
  }
}
