// What the ADA signer accepts: the hex CBOR of an unsigned Conway-era transaction, or of its body alone.
//
// Tatum's own ADA payload is not a transaction but Rosetta operations (tatum-kms src/signatures.ts, case
// Currency.ADA → tatum-js v2 cardano.sdk.tx.ts `signKmsTransaction`): rosetta.ts builds the body from
// them; a JSON object is neither and is refused.
import { FixedTransaction, FixedTransactionBody } from '@emurgo/cardano-serialization-lib-nodejs';
import { refuse } from '../types.js';

const HEX = /^(?:[0-9a-fA-F]{2})+$/;
/** Cardano's maxTxSize protocol parameter (16,384 bytes since the Alonzo era). */
export const MAX_TRANSACTION_BYTES = 16_384;

/** The body's original CBOR bytes: they, not a re-encoding, are what the transaction id hashes. */
export function parseCardanoPayload(unsigned: string | object): Uint8Array {
  const text = typeof unsigned === 'string' ? unsigned.trim() : null;
  if (text === null || text.startsWith('{')) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'serializedTransaction',
      "is a JSON object: kms-signer signs Tatum's Rosetta operations (a JSON array) or the hex CBOR of " +
        'an unsigned transaction or transaction body',
    );
  }
  if (!HEX.test(text)) refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not hex CBOR');
  if (text.length / 2 > MAX_TRANSACTION_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'serializedTransaction',
      `is ${text.length / 2} bytes; Cardano transactions are at most ${MAX_TRANSACTION_BYTES}`,
    );
  }
  const bytes = Uint8Array.from(Buffer.from(text, 'hex'));
  // CBOR major type 4 (array): a whole transaction [body, witnesses, isValid, auxiliary data].
  return (bytes[0] ?? 0) >> 5 === 4 ? unsignedBody(bytes) : bodyOnly(bytes);
}

function bodyOnly(bytes: Uint8Array): Uint8Array {
  let body: FixedTransactionBody;
  try {
    body = FixedTransactionBody.from_bytes(bytes);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', `is not a transaction body (${String(error)})`);
  }
  return checkedLength(body.original_bytes(), bytes);
}

function unsignedBody(bytes: Uint8Array): Uint8Array {
  let tx: FixedTransaction;
  try {
    tx = FixedTransaction.from_bytes(bytes);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', `is not a transaction (${String(error)})`);
  }
  const witnesses = tx.witness_set();
  if ((witnesses.vkeys()?.len() ?? 0) > 0 || (witnesses.bootstraps()?.len() ?? 0) > 0) {
    refuse('ALREADY_SIGNED', 'serializedTransaction.witnessSet', 'already carries signatures');
  }
  if (witnesses.to_bytes().length > 1) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'serializedTransaction.witnessSet',
      'carries scripts, datums or redeemers',
    );
  }
  if (tx.raw_auxiliary_data() !== undefined) {
    refuse('UNSUPPORTED_TRANSACTION', 'serializedTransaction.auxiliaryData', 'metadata is not signed');
  }
  if (!tx.is_valid()) refuse('MALFORMED_TRANSACTION', 'serializedTransaction.isValid', 'is false');
  checkedLength(tx.to_bytes(), bytes);
  return tx.raw_body();
}

/** The decoder must have consumed every byte: no trailing data hidden after the transaction. */
function checkedLength(decoded: Uint8Array, input: Uint8Array): Uint8Array {
  if (!Buffer.from(decoded).equals(Buffer.from(input))) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'has bytes after the transaction');
  }
  return decoded;
}
