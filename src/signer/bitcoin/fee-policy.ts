// The fee cap: a payload that pays more than this is refused (FEE_TOO_HIGH) before anything is signed.
//
// Default per chain: cap = min(ceiling, max(floor, maxFeeRate × vsize)), where vsize is that of the
// signed transaction (estimated with the largest possible low-S signatures, so never under).
// - maxFeeRate scales with size, so a forgotten change output on a small transaction is caught;
// - floor lets small transactions pay a flat fee some wallets (and Tatum users) set by hand;
// - ceiling bounds what one transaction can ever burn, however large.
//
// | chain | maxFeeRate (sat/vB) | floor                 | ceiling               | why                                     |
// | BTC   | 1,000               | 50,000 (0.0005 BTC)   | 5,000,000 (0.05 BTC)  | ~2× the worst fee spikes seen           |
// | LTC   | 1,000               | 1,000,000 (0.01 LTC)  | 10,000,000 (0.1 LTC)  | ~100× usual rates (1–10 sat/vB)         |
// | DOGE  | 100,000 (1 DOGE/kB) | 200,000,000 (2 DOGE)  | 10,000,000,000 (100)  | 100× the 0.01 DOGE/kB wallet default;   |
// |       |                     |                       |                       | floor admits the common flat 1 DOGE fee |
// | BCH   | 100                 | 100,000 (0.001 BCH)   | 10,000,000 (0.1 BCH)  | 100× the 1 sat/B relay minimum          |
//
// options.maxFeeSats replaces the default with one absolute cap for that request.
import { refuse } from '../types.js';

export type BitcoinChainId = 'BTC' | 'LTC' | 'DOGE' | 'BCH';

export interface FeePolicy {
  /** Satoshis per virtual byte. */
  maxFeeRate: bigint;
  /** Always allowed, whatever the size. */
  floor: bigint;
  /** Never allowed above, whatever the size. */
  ceiling: bigint;
}

export const DEFAULT_FEE_POLICIES: Readonly<Record<BitcoinChainId, FeePolicy>> = {
  BTC: { maxFeeRate: 1_000n, floor: 50_000n, ceiling: 5_000_000n },
  LTC: { maxFeeRate: 1_000n, floor: 1_000_000n, ceiling: 10_000_000n },
  DOGE: { maxFeeRate: 100_000n, floor: 200_000_000n, ceiling: 10_000_000_000n },
  BCH: { maxFeeRate: 100n, floor: 100_000n, ceiling: 10_000_000n },
};

export function defaultFeeCap(policy: FeePolicy, vsize: number): bigint {
  const byRate = policy.maxFeeRate * BigInt(vsize);
  const atLeastFloor = byRate > policy.floor ? byRate : policy.floor;
  return atLeastFloor < policy.ceiling ? atLeastFloor : policy.ceiling;
}

/** options.maxFeeSats as a bigint, or undefined when not given. */
export function parseMaxFeeSats(value: unknown): bigint | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  refuse('INVALID_REQUEST', 'options.maxFeeSats', 'must be a whole, non-negative number of satoshis');
}
