/**
 * EVM transaction signing (ETH, BSC, MATIC, EVM_DEV) with one KMS key per wallet.
 *
 * `signEvmTransaction({ chain, network, wallets: [wallet], signer, unsigned })` accepts Tatum's web3-style
 * JSON payload (object or JSON string) or a 0x-hex unsigned serialized transaction of type 0 (EIP-155
 * legacy), 1 (EIP-2930) or 2 (EIP-1559). The chainId comes from the chain registry when a Tatum payload
 * has none; any chainId given must match it. The nonce is required (0 is a real nonce).
 */
export { signEvmTransaction, type EvmSignRequest } from './sign.js';
export { evmCompletionGaps, prepareEvmTransaction, type EvmPrepareRequest } from './prepare.js';
export type { EvmPayloadGaps } from './payload.js';
export { MIN_GAS_LIMIT, SUPPORTED_TYPES } from './checks.js';
export { DEFAULT_MAX_FEE_WEI, type EvmSignOptions } from './fee-cap.js';
