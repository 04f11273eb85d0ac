import type { Network } from 'bitcoinjs-lib';

import { getFamilyChain } from './registry.js';
import type { ChainId, NetworkName } from './types.js';

/**
 * A bitcoinjs-lib Network object for a Bitcoin-family chain, built from the registry. For chains without
 * native segwit (DOGE, BCH) `bech32` is the empty string, which no bech32 address can match.
 * Throws UnsupportedChainError for non-Bitcoin-family chains and UnsupportedNetworkError for unknown networks.
 */
export function bitcoinjsNetwork(chain: ChainId, network: NetworkName): Network {
  const { chain: def, params } = getFamilyChain('bitcoin', chain, network);
  return {
    messagePrefix: def.messagePrefix,
    bech32: params.bech32Hrp ?? '',
    bip32: { public: params.bip32.public, private: params.bip32.private },
    pubKeyHash: params.pubKeyHash,
    scriptHash: params.scriptHash,
    wif: params.wif,
  };
}
