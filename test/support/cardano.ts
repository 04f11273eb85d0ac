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
