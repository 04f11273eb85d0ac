// Cardano test helpers: unsigned transaction bodies built with @emurgo/cardano-serialization-lib (as a
// wallet or a Rosetta node would build them), in hex CBOR, and the whole unsigned transaction around one.
import {
  Address,
  AssetName,
  Assets,
  BigNum,
  FixedTransaction,
  MultiAsset,
  ScriptHash,
  TransactionBody,
  TransactionHash,
  TransactionInput,
  TransactionInputs,
  TransactionOutput,
  TransactionOutputs,
  TransactionWitnessSet,
  Value,
} from '@emurgo/cardano-serialization-lib-nodejs';
import { createHash } from 'node:crypto';

export interface AdaOutputSpec {
  address: string;
  lovelace: bigint;
  /** "<policy id hex>.<asset name hex>" → quantity. */
  assets?: Record<string, bigint>;
}

export interface AdaBodySpec {
  outputs: AdaOutputSpec[];
  fee: bigint;
  ttl?: bigint;
  /** Changes the body before it is serialised (to add refused fields). */
  mutate?: (body: TransactionBody) => void;
}

function value(spec: AdaOutputSpec): Value {
  const coin = BigNum.from_str(spec.lovelace.toString());
  if (!spec.assets) return Value.new(coin);
  const multiasset = MultiAsset.new();
  for (const [id, quantity] of Object.entries(spec.assets)) {
    const [policy = '', name = ''] = id.split('.');
    const assets = multiasset.get(ScriptHash.from_hex(policy)) ?? Assets.new();
    assets.insert(AssetName.new(Buffer.from(name, 'hex')), BigNum.from_str(quantity.toString()));
    multiasset.insert(ScriptHash.from_hex(policy), assets);
  }
  return Value.new_with_assets(coin, multiasset);
}

/** Hex CBOR of a body spending one (made-up) input of `label`. */
export function adaBodyHex(spec: AdaBodySpec, label = 'utxo'): string {
  const inputs = TransactionInputs.new();
  const txid = createHash('sha256').update(label).digest();
  inputs.add(TransactionInput.new(TransactionHash.from_bytes(txid), 0));
  const outputs = TransactionOutputs.new();
  for (const out of spec.outputs)
    outputs.add(TransactionOutput.new(Address.from_bech32(out.address), value(out)));
  const body = TransactionBody.new_tx_body(inputs, outputs, BigNum.from_str(spec.fee.toString()));
  body.set_ttl(BigNum.from_str((spec.ttl ?? 90_000_000n).toString()));
  spec.mutate?.(body);
  return body.to_hex();
}

/** The whole unsigned transaction around a body: no witnesses, valid, no metadata. */
export function unsignedAdaTransactionHex(bodyHex: string): string {
  return FixedTransaction.new(
    Buffer.from(bodyHex, 'hex'),
    TransactionWitnessSet.new().to_bytes(),
    true,
  ).to_hex();
}

export interface AdaOperationsSpec {
  /** UTXOs spent: "<tx hash hex>:<index>" of `address`, and their lovelace. */
  inputs: { coin: string; address: string; lovelace: bigint }[];
  outputs: { address: string; lovelace: bigint }[];
}

/**
 * Tatum's ADA `serializedTransaction`: the Rosetta operations tatum-js v2 cardano.sdk.tx.ts
 * `prepareSignedTransaction` returns for a signatureId (inputs with negative values and their
 * coin_change, then outputs, the change last; `JSON.stringify(operations)`).
 */
export function tatumAdaOperations(spec: AdaOperationsSpec): string {
  const currency = { symbol: 'ADA', decimals: 6 };
  let index = 0;
  const inputs = spec.inputs.map((input) => ({
    operation_identifier: { index: index++, network_index: Number(input.coin.split(':')[1]) },
    related_operations: [],
    type: 'input',
    status: 'success',
    account: { address: input.address, metadata: {} },
    amount: { value: `${-input.lovelace}`, currency },
    coin_change: { coin_identifier: { identifier: input.coin }, coin_action: 'coin_created' },
    metadata: {},
  }));
  const outputs = spec.outputs.map((output, n) => ({
    operation_identifier: { index: index++, network_index: n },
    related_operations: [],
    type: 'output',
    status: 'success',
    account: { address: output.address, metadata: {} },
    amount: { value: output.lovelace.toString(), currency, metadata: {} },
    metadata: {},
  }));
  return JSON.stringify([...inputs, ...outputs]);
}
