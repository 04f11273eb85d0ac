// The one internal model every accepted payload (PSBT, Tatum's bitcore JSON, BCH "hex:[amounts]") is
// parsed into before anything is validated or signed, and its bitcoinjs-lib Transaction form.
import { Transaction } from 'bitcoinjs-lib';

export type BitcoinPayloadFormat = 'psbt' | 'bitcore' | 'bch';

export interface ModelInput {
  /** Previous transaction id, as explorers show it (big-endian hex). */
  txid: string;
  vout: number;
  sequence: number;
  /** Value of the spent output in satoshis; undefined when the payload did not give it. */
  amount?: bigint;
  /** scriptPubKey of the spent output; undefined when the payload did not give it. */
  script?: Uint8Array;
  /** P2SH redeem script, when the payload gave one (PSBT). */
  redeemScript?: Uint8Array;
  /** PSBT sighash type, when the payload asked for one. */
  sighashType?: number;
  /** True when amount and script come from the full previous transaction, checked against `txid`. */
  prevTxChecked?: boolean;
  /** Index in `wallets` of the key that must sign this input (BCH positional mapping only). */
  walletIndex?: number;
}

export interface ModelOutput {
  script: Uint8Array;
  amount: bigint;
}

export interface UnsignedModel {
  format: BitcoinPayloadFormat;
  version: number;
  locktime: number;
  inputs: ModelInput[];
  outputs: ModelOutput[];
}

export const UINT32_MAX = 0xffffffff;
/** Output values are int64 on the wire; anything above this cannot be serialised. */
export const MAX_SATOSHIS = 2n ** 63n - 1n;

export function bytesToHex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

/** Bytes of a strictly hex string (even length, 0-9a-f in either case); undefined if it is not one. */
export function hexToBytes(hex: string): Uint8Array | undefined {
  if (!/^(?:[0-9a-fA-F]{2})*$/.test(hex)) return undefined;
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** Internal (little-endian) hash bytes of a txid shown big-endian. */
export function txidToHash(txid: string): Uint8Array {
  return Uint8Array.from(Buffer.from(txid, 'hex').reverse());
}

export function hashToTxid(hash: Uint8Array): string {
  return Buffer.from(hash).reverse().toString('hex');
}

/** The unsigned transaction: empty scriptSigs and no witnesses. */
export function toUnsignedTransaction(model: UnsignedModel): Transaction {
  const tx = new Transaction();
  tx.version = model.version;
  tx.locktime = model.locktime;
  for (const input of model.inputs) tx.addInput(txidToHash(input.txid), input.vout, input.sequence);
  for (const output of model.outputs) tx.addOutput(output.script, output.amount);
  return tx;
}
