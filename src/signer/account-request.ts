// What account-based single-signer families (XRP, VET) check in the request around the transaction:
// exactly one wallet key, and an optional whole-number cap in the chain's base unit.
import { refuse, type WalletKey } from './types.js';

/** The one wallet key of a single-signed transaction; `why` says why one (e.g. "XRP payments are single-signed"). */
export function singleWallet(wallets: readonly WalletKey[] | undefined, why: string): WalletKey {
  const list: readonly WalletKey[] = Array.isArray(wallets) ? wallets : [];
  const wallet = list[0];
  if (wallet === undefined || list.length > 1) {
    return refuse(
      'MISSING_INPUT_DATA',
      'wallets',
      `must hold exactly one wallet key (${why}), got ${wallets?.length ?? 'none'}`,
    );
  }
  return wallet;
}

/**
 * An option that caps an amount: `fallback` when absent, else a whole non-negative number (bigint, safe
 * integer, or a decimal string of at most `maxDigits` digits) of `unit`.
 */
export function parseWholeCap(
  value: unknown,
  field: string,
  fallback: bigint,
  unit: string,
  maxDigits: number,
): bigint {
  if (value === undefined) return fallback;
  if (typeof value === 'bigint' && value >= 0n) return value;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return BigInt(value);
  if (typeof value === 'string' && new RegExp(`^(0|[1-9][0-9]{0,${maxDigits - 1}})$`).test(value))
    return BigInt(value);
  return refuse('INVALID_REQUEST', field, `must be a whole, non-negative number of ${unit}`);
}
