// The output an input spends, read from the full previous transaction: the transaction must hash to the
// input's txid, so its amount and script are proven rather than asserted by the payload.
import { Transaction } from 'bitcoinjs-lib';
import { refuse } from '../types.js';
import type { ModelInput } from './model.js';

export function spentOutput(
  raw: Uint8Array,
  input: Pick<ModelInput, 'txid' | 'vout'>,
  field: string,
): { script: Uint8Array; value: bigint } {
  let prevTx: Transaction;
  try {
    prevTx = Transaction.fromBuffer(raw);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', field, `not a transaction: ${(error as Error).message}`);
  }
  if (prevTx.getId() !== input.txid) {
    refuse(
      'MALFORMED_TRANSACTION',
      field,
      `is transaction ${prevTx.getId()}, but the input spends ${input.txid}`,
    );
  }
  const out = prevTx.outs[input.vout];
  if (out === undefined) refuse('MALFORMED_TRANSACTION', field, `has no output ${input.vout}`);
  return { script: out.script, value: out.value };
}
