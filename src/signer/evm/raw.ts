// The raw form: a 0x-hex UNSIGNED serialized transaction (legacy RLP with the EIP-155 chainId,0,0 tail,
// or a typed EIP-2930 / EIP-1559 envelope without yParity, r, s).
import { Transaction } from 'ethers';

import { describeValue, refuse } from './refuse.js';
import { MAX_DATA_BYTES, parseHexBytes } from './quantity.js';

/** Room for every field besides data in the largest transaction we accept. */
const ENVELOPE_OVERHEAD_BYTES = 64 * 1024;

export function parseRawTransaction(hex: string): Transaction {
  const raw = parseHexBytes(hex, 'unsigned', MAX_DATA_BYTES + ENVELOPE_OVERHEAD_BYTES);
  const first = raw.length >= 4 ? parseInt(raw.slice(2, 4), 16) : undefined;
  if (first === undefined) refuse('MALFORMED_TRANSACTION', 'unsigned', 'is empty');
  // EIP-2718: a first byte below 0x80 is the type of an envelope; an RLP list (legacy) starts at 0xc0.
  if (first < 0x80 && first !== 1 && first !== 2) {
    refuse('UNSUPPORTED_TRANSACTION', 'type', `type ${first} is not supported (only 0, 1 and 2)`);
  }
  if (first >= 0x80 && first < 0xc0) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'is neither a typed envelope nor an RLP list');
  }

  let tx: Transaction;
  try {
    tx = Transaction.from(raw);
  } catch (error) {
    const short = (error as { shortMessage?: unknown }).shortMessage;
    return refuse(
      'MALFORMED_TRANSACTION',
      'unsigned',
      `cannot be decoded as a transaction: ${typeof short === 'string' ? short : describeValue(error)}`,
    );
  }
  if (tx.signature !== null) {
    refuse('ALREADY_SIGNED', 'unsigned', 'the raw transaction already carries a signature (v, r, s)');
  }
  // Non-minimal RLP (e.g. integers with leading zero bytes) decodes fine but would be re-encoded
  // differently: refuse, so what gets signed is byte for byte what was sent.
  if (tx.unsignedSerialized !== raw) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'is not in canonical RLP encoding');
  }
  return tx;
}
