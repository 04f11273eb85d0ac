// Tatum's ADA payload: a JSON array of Rosetta operations (tatum-js v2 cardano.sdk.tx.ts
// `prepareSignedTransaction` returns `JSON.stringify(operations)` for a signatureId; `signKmsTransaction`
// hands them to a Rosetta node's construction/preprocess → metadata → payloads). Each operation is
// `{operation_identifier, type: "input" | "output", account: {address}, amount: {value, currency:
// {symbol: "ADA", decimals: 6}}, coin_change?: {coin_identifier: {identifier: "<tx hash>:<index>"}}}`;
// input values are negative lovelace, the change is an output, the fee is what the inputs leave over.
// Here the body is built locally with cardano-serialization-lib from exactly those operations — inputs,
// outputs, fee = Σ inputs − Σ outputs (tatum-js sizes the change output as inputs − outputs − fee, so
// that is the fee it meant), ttl only when the caller gives one — every input must be the wallet's, and
// the built body then goes through the same checks as any body (network, outputs, fee cap).
import {
  Address,
  BigNum,
  TransactionBody,
  TransactionHash,
  TransactionInput,
  TransactionInputs,
  TransactionOutput,
  TransactionOutputs,
  Value,
} from '@emurgo/cardano-serialization-lib-nodejs';
import * as z from 'zod';
import { refuse } from '../types.js';

const LOVELACE = z.string().regex(/^-?(0|[1-9][0-9]{0,18})$/, 'must be a whole number of lovelace');
const ADA = z.object({ symbol: z.literal('ADA'), decimals: z.literal(6) }).strict();
const operationSchema = z
  .object({
    operation_identifier: z.object({ index: z.number().int(), network_index: z.number().int().optional() }),
    related_operations: z.array(z.unknown()).max(0).optional(),
    type: z.enum(['input', 'output']),
    status: z.string().optional(),
    account: z.object({ address: z.string().min(1), metadata: z.object({}).strict().optional() }).strict(),
    amount: z.object({ value: LOVELACE, currency: ADA, metadata: z.object({}).strict().optional() }).strict(),
    coin_change: z
      .object({
        coin_identifier: z.object({ identifier: z.string().regex(/^[0-9a-f]{64}:(0|[1-9][0-9]{0,4})$/) }),
        coin_action: z.literal('coin_created'),
      })
      .optional(),
    metadata: z.object({}).strict().optional(),
  })
  .strict();
const operationsSchema = z.array(operationSchema).min(2).max(500);
type Operation = z.infer<typeof operationSchema>;

/** Whether the payload is Tatum's JSON (an array), as opposed to hex CBOR. */
export function isRosettaPayload(unsigned: string | object): boolean {
  return Array.isArray(unsigned) || (typeof unsigned === 'string' && unsigned.trim().startsWith('['));
}

/** The CBOR of the body the operations describe; every input must be `walletAddress`'s. */
export function bodyFromRosettaOperations(
  unsigned: string | object,
  walletAddress: string,
  ttl: bigint | undefined,
): Uint8Array {
  const operations = parseOperations(unsigned);
  const inputs = TransactionInputs.new();
  const outputs = TransactionOutputs.new();
  const spent = new Set<string>();
  let balance = 0n;
  operations.forEach((op, i) => {
    const field = `serializedTransaction[${i}]`;
    const value = BigInt(op.amount.value);
    if (op.type === 'input') {
      if (op.account.address !== walletAddress) {
        refuse(
          'INPUT_NOT_OURS',
          `${field}.account.address`,
          `is ${op.account.address}, not the wallet's address`,
        );
      }
      const coin = op.coin_change?.coin_identifier.identifier;
      if (coin === undefined)
        refuse('MALFORMED_TRANSACTION', `${field}.coin_change`, 'an input names its UTXO');
      if (value >= 0n)
        refuse('MALFORMED_TRANSACTION', `${field}.amount.value`, 'an input spends a negative amount');
      if (spent.has(coin)) refuse('MALFORMED_TRANSACTION', `${field}.coin_change`, `spends ${coin} twice`);
      spent.add(coin);
      const [hash = '', index = '0'] = coin.split(':');
      inputs.add(TransactionInput.new(TransactionHash.from_hex(hash), Number(index)));
    } else {
      if (op.coin_change !== undefined)
        refuse('MALFORMED_TRANSACTION', `${field}.coin_change`, 'only inputs spend coins');
      if (value <= 0n)
        refuse('MALFORMED_TRANSACTION', `${field}.amount.value`, 'an output pays a positive amount');
      outputs.add(
        TransactionOutput.new(outputAddress(op, field), Value.new(BigNum.from_str(value.toString()))),
      );
    }
    balance -= value; // inputs are negative: what they bring minus what the outputs take
  });
  if (inputs.len() === 0 || outputs.len() === 0) {
    refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'needs at least one input and one output');
  }
  if (balance <= 0n) {
    refuse(
      'OUTPUTS_EXCEED_INPUTS',
      'serializedTransaction',
      `the outputs take ${-balance} lovelace more than the inputs bring (no fee)`,
    );
  }
  const body = TransactionBody.new_tx_body(inputs, outputs, BigNum.from_str(balance.toString()));
  if (ttl !== undefined) body.set_ttl(BigNum.from_str(ttl.toString()));
  return body.to_bytes();
}

function parseOperations(unsigned: string | object): Operation[] {
  let json: unknown = unsigned;
  if (typeof unsigned === 'string') {
    try {
      json = JSON.parse(unsigned);
    } catch {
      refuse('MALFORMED_TRANSACTION', 'serializedTransaction', 'is not JSON (Rosetta operations)');
    }
  }
  const parsed = operationsSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const path = ['serializedTransaction', ...(issue?.path ?? []).map(String)].join('.');
    refuse(
      'UNSUPPORTED_TRANSACTION',
      path,
      `is not an ADA-only Rosetta input/output operation: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

function outputAddress(op: Operation, field: string): Address {
  try {
    return Address.from_bech32(op.account.address);
  } catch {
    refuse('MALFORMED_TRANSACTION', `${field}.account.address`, 'is not a bech32 Cardano address');
  }
}
