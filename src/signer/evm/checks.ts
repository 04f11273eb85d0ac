// Checks shared by both input forms (Tatum JSON payload and raw unsigned hex): which chain and wallet,
// and the transaction-level rules every EVM transaction must pass before its digest goes to KMS.
import type { Transaction } from 'ethers';

import {
  deriveAddress,
  getFamilyChain,
  InvalidPublicKeyError,
  listChains,
  UnsupportedChainError,
  UnsupportedNetworkError,
  type ChainId,
  type NetworkName,
} from '../../chains/index.js';
import type { WalletKey } from '../types.js';
import { refuse } from './refuse.js';

/** The (chain, network) being signed for, with its registry chain id. */
export interface EvmTarget {
  chain: ChainId;
  network: NetworkName;
  chainId: bigint;
  /** Registry label, e.g. "BNB Smart Chain testnet", for error messages. */
  label: string;
}

/** Intrinsic gas of the cheapest transaction; no node accepts a lower gas limit. */
export const MIN_GAS_LIMIT = 21_000n;
export const SUPPORTED_TYPES = [0, 1, 2] as const;

/**
 * Chains whose Tatum payloads are legacy only (tatum-protocol.md §4.8–4.10), and where typed transactions
 * are not what their nodes expect: Kaia wraps Ethereum typed transactions in its own 0x78 envelope, and
 * Harmony, XDC and KCC nodes were not shown to accept types 1/2 here. Refused rather than signed blind.
 */
const LEGACY_ONLY: Readonly<Partial<Record<ChainId, string>>> = {
  KLAY: "Kaia's typed transactions use its own 0x78 envelope; Tatum's KLAY payloads are legacy",
  XDC: "Tatum's XDC payloads are legacy (EIP-155, chain id 50 / 51)",
  ONE: "Tatum's ONE payloads are legacy (EIP-155, Harmony shard 0)",
  KCS: 'KCC transactions are signed as legacy EIP-155 only',
};

export function resolveEvmTarget(chain: ChainId, network: NetworkName): EvmTarget {
  try {
    const { params } = getFamilyChain('evm', chain, network);
    return { chain, network, chainId: BigInt(params.chainId), label: params.label };
  } catch (error) {
    if (error instanceof UnsupportedNetworkError) refuse('CHAIN_MISMATCH', 'network', error.message);
    if (error instanceof UnsupportedChainError) refuse('CHAIN_MISMATCH', 'chain', error.message);
    throw error;
  }
}

/** EVM transactions have exactly one signer. */
export function singleWallet(wallets: readonly WalletKey[] | undefined): WalletKey {
  const count = wallets?.length ?? 0;
  const wallet = wallets?.[0];
  if (count === 0 || wallet === undefined) {
    return refuse('MISSING_INPUT_DATA', 'wallets', 'exactly one wallet key is required, got none');
  }
  if (count > 1) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'wallets',
      `an EVM transaction has a single signer: exactly one wallet key is required, got ${count}`,
    );
  }
  return wallet;
}

/** The wallet's EIP-55 address on the target chain. */
export function walletAddress(target: EvmTarget, wallet: WalletKey): string {
  try {
    return deriveAddress(target.chain, target.network, wallet.publicKey, 'evm');
  } catch (error) {
    if (error instanceof InvalidPublicKeyError) {
      refuse('MISSING_INPUT_DATA', 'wallets[0].publicKey', error.reason);
    }
    throw error;
  }
}

/** "56 (BNB Smart Chain mainnet)" when the id is in the registry, else just the number. */
function describeChainId(chainId: bigint): string {
  for (const def of listChains()) {
    if (def.family !== 'evm') continue;
    const known = Object.values(def.networks).find((params) => BigInt(params.chainId) === chainId);
    if (known) return `${chainId} (${known.label})`;
  }
  return String(chainId);
}

/**
 * Rules for every unsigned transaction, whatever form it came in. `gasField` names the payload field
 * that carried the gas limit ("gas" in Tatum payloads).
 */
export function checkTransaction(tx: Transaction, target: EvmTarget, gasField = 'gasLimit'): void {
  if (tx.signature !== null)
    refuse('ALREADY_SIGNED', 'unsigned', 'the transaction already carries a signature');
  if (!(SUPPORTED_TYPES as readonly (number | null)[]).includes(tx.type)) {
    refuse('UNSUPPORTED_TRANSACTION', 'type', `type ${String(tx.type)} is not supported (only 0, 1 and 2)`);
  }
  const legacyOnly = LEGACY_ONLY[target.chain];
  if (legacyOnly !== undefined && tx.type !== 0) {
    refuse('UNSUPPORTED_TRANSACTION', 'type', `type ${String(tx.type)} on ${target.chain}: ${legacyOnly}`);
  }
  if (tx.chainId === 0n) {
    refuse(
      'MISSING_INPUT_DATA',
      'chainId',
      'pre-EIP-155 legacy transaction without a chain id: its signature would be valid on every EVM chain',
    );
  }
  if (tx.chainId !== target.chainId) {
    refuse(
      'CHAIN_MISMATCH',
      'chainId',
      `chainId ${describeChainId(tx.chainId)} is not ${target.chain} ${target.network}, whose chainId is ${describeChainId(target.chainId)}`,
    );
  }
  if (tx.gasLimit < MIN_GAS_LIMIT) {
    refuse(
      'MALFORMED_TRANSACTION',
      gasField,
      `${tx.gasLimit} is below the intrinsic minimum ${MIN_GAS_LIMIT}`,
    );
  }
  checkFees(tx);
  if (tx.to === null && tx.data === '0x') {
    refuse(
      'MALFORMED_TRANSACTION',
      'to',
      'is missing, which means contract creation, but data is empty: the value would be burnt',
    );
  }
}

function checkFees(tx: Transaction): void {
  const noPriceSource =
    'is 0; the reference daemon replaced 0 with a network price, this signer has no price source';
  if (tx.type === 2) {
    const maxFee = tx.maxFeePerGas ?? 0n;
    if (maxFee === 0n) refuse('MALFORMED_TRANSACTION', 'maxFeePerGas', noPriceSource);
    if ((tx.maxPriorityFeePerGas ?? 0n) > maxFee) {
      refuse('MALFORMED_TRANSACTION', 'maxPriorityFeePerGas', `exceeds maxFeePerGas (${maxFee})`);
    }
  } else if ((tx.gasPrice ?? 0n) === 0n) {
    refuse('MALFORMED_TRANSACTION', 'gasPrice', noPriceSource);
  }
}
