// Tatum's BTC/LTC/DOGE payload: bitcore-lib's Transaction.toObject() (object or JSON text) → the
// internal model. Like bitcore's own fromObject, it refuses a `hash` that is not the txid of the
// transaction the fields describe, and a `changeScript` that is not the script of outputs[changeIndex].
// `fee` is only type-checked: bitcore drops dust change into the fee, so inputs − outputs may legitimately
// exceed it; the fee cap (fee-policy.ts) is what bounds the fee.
import * as z from 'zod';
import { bitcoreScriptBytes } from './bitcore-script.js';
import {
  hexToBytes,
  toUnsignedTransaction,
  UINT32_MAX,
  type ModelInput,
  type UnsignedModel,
} from './model.js';
import { refuse } from '../types.js';
import { equalBytes } from './scripts.js';

const uint32 = z.number().int().min(0).max(UINT32_MAX);
const hex = z.string().regex(/^(?:[0-9a-fA-F]{2})*$/, 'must be hex');
const txid = z.string().regex(/^[0-9a-fA-F]{64}$/, 'must be 64 hex characters');
const satoshis = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

const bitcoreTransaction = z.object({
  hash: txid,
  version: uint32,
  inputs: z.array(
    z.object({
      prevTxId: txid,
      outputIndex: uint32,
      sequenceNumber: uint32.optional(),
      script: hex.optional(),
      output: z.object({ satoshis: satoshis.optional(), script: hex.optional() }).optional(),
    }),
  ),
  outputs: z.array(z.object({ satoshis, script: hex })),
  nLockTime: uint32,
  changeScript: z.string().optional(),
  changeIndex: z.number().int().min(0).optional(),
  fee: satoshis.optional(),
});

type BitcoreTransaction = z.infer<typeof bitcoreTransaction>;

export function parseBitcore(unsigned: unknown): UnsignedModel {
  const object = bitcoreObject(unsigned);
  const model: UnsignedModel = {
    format: 'bitcore',
    version: object.version,
    locktime: object.nLockTime,
    inputs: object.inputs.map((input, i) => {
      if (input.script) refuse('ALREADY_SIGNED', `inputs[${i}].script`, 'the input already has a scriptSig');
      const parsed: ModelInput = {
        txid: input.prevTxId.toLowerCase(),
        vout: input.outputIndex,
        sequence: input.sequenceNumber ?? UINT32_MAX,
      };
      if (input.output?.satoshis !== undefined) parsed.amount = BigInt(input.output.satoshis);
      if (input.output?.script) parsed.script = bytesOf(input.output.script);
      return parsed;
    }),
    outputs: object.outputs.map((output) => ({
      script: bytesOf(output.script),
      amount: BigInt(output.satoshis),
    })),
  };
  checkChange(object, model);
  const computed = toUnsignedTransaction(model).getId();
  if (computed !== object.hash.toLowerCase()) {
    refuse(
      'DIGEST_MISMATCH',
      'hash',
      `is ${object.hash}, but the transaction it describes has txid ${computed}`,
    );
  }
  return model;
}

function bitcoreObject(unsigned: unknown): BitcoreTransaction {
  let value = unsigned;
  if (typeof unsigned === 'string') {
    try {
      value = JSON.parse(unsigned);
    } catch (error) {
      refuse('MALFORMED_TRANSACTION', 'unsigned', `not valid JSON: ${(error as Error).message}`);
    }
  }
  const result = bitcoreTransaction.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue ? fieldName(issue.path) : 'unsigned';
    refuse('MALFORMED_TRANSACTION', field, issue?.message ?? 'not a bitcore transaction object');
  }
  return result.data;
}

function fieldName(path: readonly PropertyKey[]): string {
  const name = path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');
  return name === '' ? 'unsigned' : name;
}

function bytesOf(hexText: string): Uint8Array {
  return hexToBytes(hexText) ?? new Uint8Array(); // the schema already checked the hex
}

function checkChange(object: BitcoreTransaction, model: UnsignedModel): void {
  if (object.changeIndex === undefined && object.changeScript === undefined) return;
  if (object.changeIndex === undefined || object.changeScript === undefined) {
    refuse('MALFORMED_TRANSACTION', 'changeIndex', 'changeIndex and changeScript must be given together');
  }
  const output = model.outputs[object.changeIndex];
  if (output === undefined) {
    refuse(
      'MALFORMED_TRANSACTION',
      'changeIndex',
      `points at output ${object.changeIndex}, which does not exist`,
    );
  }
  const changeScript = bitcoreScriptBytes(object.changeScript);
  if (changeScript === undefined || !equalBytes(changeScript, output.script)) {
    refuse(
      'MALFORMED_TRANSACTION',
      'changeScript',
      `is not the script of outputs[${object.changeIndex}] (the change output)`,
    );
  }
}
