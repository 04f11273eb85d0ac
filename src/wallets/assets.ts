// Which assets a wallet may be opened for. A wallet is one key, so on account-based chains a token
// lives at the same address as the native coin; the asset is the currency the exchange books on it
// (Tatum's `currency`). The list is deliberately short — the stablecoins the exchange supports — and is
// the place to add a token: an unknown ticker is far more likely a typo than a new listing.
import { getChain, type ChainId } from '../chains/index.js';

/** Tokens per chain beyond the native asset. Bitcoin-family chains carry none. */
export const ALLOWED_TOKENS: Readonly<Partial<Record<ChainId, readonly string[]>>> = {
  ETH: ['USDT', 'USDC'],
  BSC: ['USDT', 'USDC'],
  MATIC: ['USDT', 'USDC'],
  TRON: ['USDT', 'USDC'],
};

/**
 * Tatum names some native currencies after the chain (BSC for BNB, MATIC for POL, TRON for TRX); the
 * chain id is accepted as the native asset and stored as the registry's symbol.
 */
export function canonicalAsset(chain: ChainId, asset: string): string | undefined {
  const upper = asset.trim().toUpperCase();
  const native = getChain(chain).nativeAsset.symbol;
  if (upper === native || upper === chain) return native;
  return ALLOWED_TOKENS[chain]?.includes(upper) ? upper : undefined;
}

export function allowedAssets(chain: ChainId): string[] {
  return [getChain(chain).nativeAsset.symbol, ...(ALLOWED_TOKENS[chain] ?? [])];
}
