// Tatum's BCH payload "<unsigned tx hex>:<JSON array of input amounts in satoshis>" → the internal
// model. amounts[i] is the value of input i. The payload carries no prevout scripts; see
// resolve-prevouts.ts for how inputs get their script and key.
import { Transaction } from 'bitcoinjs-lib';
import { hashToTxid, hexToBytes, type UnsignedModel } from './model.js';
import { refuse } from '../types.js';

export function parseBchPayload(unsigned: unknown): UnsignedModel {
  if (typeof unsigned !== 'string') {
    refuse(
      'MALFORMED_TRANSACTION',
      'unsigned',
      'a BCH payload must be the string "<unsigned hex>:[amounts]"',
    );
  }
  const text = unsigned.trim();
  const colon = text.indexOf(':');
  const tx = decodeTransaction(colon < 0 ? text : text.slice(0, colon));
  const amounts = decodeAmounts(colon < 0 ? '' : text.slice(colon + 1), tx.ins.length);
  return {
    format: 'bch',
    version: tx.version,
    locktime: tx.locktime,
    inputs: tx.ins.map((input, i) => {
      if (input.script.length > 0)
        refuse('ALREADY_SIGNED', `inputs[${i}]`, 'the input already has a scriptSig');
      const amount = amounts[i];
      return {
        txid: hashToTxid(input.hash),
        vout: input.index,
        sequence: input.sequence,
        ...(amount === undefined ? {} : { amount }),
      };
    }),
    outputs: tx.outs.map(({ script, value }) => ({ script, amount: value })),
  };
}

function decodeTransaction(hex: string): Transaction {
  const bytes = hexToBytes(hex);
  if (bytes === undefined || bytes.length === 0) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'the part before ":" must be the unsigned transaction hex');
  }
  let tx: Transaction;
  try {
    tx = Transaction.fromBuffer(bytes);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', `not a transaction: ${(error as Error).message}`);
  }
  if (tx.hasWitnesses()) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', 'has segwit witnesses, which Bitcoin Cash does not have');
  }
  return tx;
}

function decodeAmounts(json: string, inputCount: number): bigint[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    refuse('MALFORMED_TRANSACTION', 'amounts', 'the part after ":" must be a JSON array of input amounts');
  }
  if (!Array.isArray(parsed)) refuse('MALFORMED_TRANSACTION', 'amounts', 'must be a JSON array');
  if (parsed.length > inputCount) {
    refuse('MALFORMED_TRANSACTION', 'amounts', `has ${parsed.length} entries for ${inputCount} inputs`);
  }
  return parsed.map((amount: unknown, i) => {
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      refuse('MALFORMED_TRANSACTION', `amounts[${i}]`, 'must be a whole, non-negative number of satoshis');
    }
    return BigInt(amount);
  });
}
