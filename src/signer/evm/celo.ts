// Celo since its L2 migration (block 31,056,500, 26 March 2025) accepts Ethereum types 0, 1, 2 (and 4) and
// its own CIP-64 (type 123, gas paid in a fee currency); the "Celo legacy" transaction with the fields
// feeCurrency, gatewayFeeRecipient and gatewayFee inside a 12-item RLP list, which tatum-kms still
// produces (tatum-protocol.md §4.11), is no longer accepted (docs.celo.org/specs/transaction-types,
// "Older, Unsupported Tx Types"; docs.celo.org/home/protocol/transactions/transaction-types, "Deprecated").
//
// A Tatum payload with a fee currency is refused, not converted: a CIP-64 transaction prices gas in the
// fee currency's units, so neither the fee cap in CELO nor anvil could check it, and no node here runs
// Celo's fork of op-geth. Payloads without one sign as ordinary Ethereum transactions.
import { decodeRlp, getBytes } from 'ethers';

import { refuse } from './refuse.js';

const CELO_LEGACY_FIELDS = ['gatewayFeeRecipient', 'gatewayFee'] as const;
/** Fields of a Tatum CELO payload that may be present but empty (null, "" or "0x"); refused when set. */
export const CELO_EMPTY_FIELDS: ReadonlySet<string> = new Set([...CELO_LEGACY_FIELDS, 'feeCurrency']);

/** Refuses the Celo-legacy-only fields of a Tatum CELO payload (absent, null or empty are ignored). */
export function refuseCeloLegacyFields(payload: Record<string, unknown>): void {
  for (const field of CELO_LEGACY_FIELDS) {
    if (isSet(payload[field])) {
      refuse(
        'UNSUPPORTED_TRANSACTION',
        field,
        'belongs to the Celo legacy transaction format, which Celo no longer accepts since its L2 migration ' +
          '(March 2025); send the payload without gateway fees',
      );
    }
  }
  if (isSet(payload.feeCurrency)) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'feeCurrency',
      'paying gas in a fee currency needs a CIP-64 (type 123) transaction, which this signer does not produce; ' +
        'the Celo legacy format tatum-kms would use is no longer accepted since the L2 migration (March 2025). ' +
        'Send the payload without feeCurrency to pay gas in CELO',
    );
  }
}

function isSet(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && value !== '0x';
}

/**
 * True when `raw` (0x hex) is an RLP list of 12 items: an unsigned Celo legacy transaction
 * [nonce, gasPrice, gas, feeCurrency, gatewayFeeRecipient, gatewayFee, to, value, data, chainId, 0, 0].
 */
export function isCeloLegacyRlp(raw: string): boolean {
  try {
    const items = decodeRlp(getBytes(raw));
    return Array.isArray(items) && items.length === 12;
  } catch {
    return false;
  }
}
