// Tatum's XLM payload: `serializedTransaction` is the base64 XDR of an unsigned TransactionEnvelope
// (tatum-js v2 packages/blockchain/xlm/src/lib/services/xlm.tx.ts builds it with stellar-sdk's
// TransactionBuilder and returns `tx.toEnvelope().toXDR().toString('base64')` when given a signatureId;
// xlm.kms.ts signs it with `TransactionBuilder.fromXDR(serializedTransaction, testnet ? Networks.TESTNET
// : Networks.PUBLIC)`). Decoded with stellar-base's XDR types and proven canonical.
import { xdr } from '@stellar/stellar-base';
import { refuse } from '../types.js';

/** Bound on the envelope we decode: Tatum's are ≈ 200 bytes; the message KMS signs is its 32-byte hash. */
export const MAX_ENVELOPE_BYTES = 4096;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** The unsigned v1 envelope (ENVELOPE_TYPE_TX) of `unsigned`; every other shape is refused. */
export function decodeUnsignedEnvelope(unsigned: string | object): xdr.TransactionEnvelope {
  if (typeof unsigned !== 'string' || unsigned.length === 0 || !BASE64.test(unsigned)) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'must be the base64 XDR of a Stellar envelope');
  }
  const bytes = Buffer.from(unsigned, 'base64');
  if (bytes.length > MAX_ENVELOPE_BYTES) {
    refuse(
      'MALFORMED_TRANSACTION',
      'serializedTransaction',
      `is ${bytes.length} bytes; envelopes over ${MAX_ENVELOPE_BYTES} bytes are not signed`,
    );
  }
  let envelope: xdr.TransactionEnvelope;
  try {
    envelope = xdr.TransactionEnvelope.fromXDR(bytes);
  } catch (error) {
    refuse(
      'MALFORMED_TRANSACTION',
      'serializedTransaction',
      `is not a Stellar TransactionEnvelope (${(error as Error).message})`,
    );
  }
  if (!envelope.toXDR().equals(bytes)) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not canonical XDR (trailing bytes)');
  }
  const kind = envelope.switch().name;
  if (kind !== 'envelopeTypeTx') {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      'serializedTransaction',
      `is a ${kind} envelope; only v1 transaction envelopes (envelopeTypeTx) are signed`,
    );
  }
  if (envelope.v1().signatures().length > 0) {
    refuse('ALREADY_SIGNED', 'serializedTransaction.signatures', 'the envelope already carries signatures');
  }
  return envelope;
}
