// Builds the unsigned payloads the Bitcoin-family signer accepts (PSBT, Tatum's bitcore JSON, BCH
// "hex:[amounts]") from plain UTXO and output lists, with bitcoinjs-lib. Shared by the tests, the
// Tatum sandbox and the demo.
import { hash160 } from '../../src/crypto/hash160.js';
import { Psbt, Transaction } from 'bitcoinjs-lib';

export interface TestUtxo {
  txid: string;
  vout: number;
  amount: bigint;
  /** scriptPubKey of the spent output. */
  script: Uint8Array;
  /** Full previous transaction (PSBT nonWitnessUtxo). */
  prevTx?: Uint8Array;
  /** P2SH redeem script (PSBT redeemScript). */
  redeemScript?: Uint8Array;
  sequence?: number;
}

export interface TestOutput {
  script: Uint8Array;
  amount: bigint;
}

export interface KeyScripts {
  p2pkh: Uint8Array;
  p2wpkh: Uint8Array;
  p2shP2wpkh: Uint8Array;
  /** 0x0014 ‖ hash160(pubkey): the P2SH-P2WPKH redeem script. */
  redeem: Uint8Array;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

/** The three scripts a compressed public key can be paid to. */
export function keyScripts(publicKey: Uint8Array): KeyScripts {
  const h = hash160(publicKey);
  const redeem = Uint8Array.from([0x00, 0x14, ...h]);
  return {
    p2pkh: Uint8Array.from([0x76, 0xa9, 0x14, ...h, 0x88, 0xac]),
    p2wpkh: redeem,
    p2shP2wpkh: Uint8Array.from([0xa9, 0x14, ...hash160(redeem), 0x87]),
    redeem,
  };
}

export function unsignedTransaction(
  utxos: readonly TestUtxo[],
  outputs: readonly TestOutput[],
  version = 2,
  locktime = 0,
): Transaction {
  const tx = new Transaction();
  tx.version = version;
  tx.locktime = locktime;
  for (const u of utxos) tx.addInput(Buffer.from(u.txid, 'hex').reverse(), u.vout, u.sequence);
  for (const o of outputs) tx.addOutput(o.script, o.amount);
  return tx;
}

/** Tatum's payload for BTC/LTC/DOGE: bitcore Transaction.toObject() of the unsigned transaction. */
export function bitcorePayload(utxos: readonly TestUtxo[], outputs: readonly TestOutput[]) {
  const tx = unsignedTransaction(utxos, outputs);
  return {
    hash: tx.getId(),
    version: tx.version,
    inputs: utxos.map((u) => ({
      prevTxId: u.txid,
      outputIndex: u.vout,
      sequenceNumber: u.sequence ?? Transaction.DEFAULT_SEQUENCE,
      script: '',
      scriptString: '',
      output: { satoshis: Number(u.amount), script: hex(u.script) },
    })),
    outputs: outputs.map((o) => ({ satoshis: Number(o.amount), script: hex(o.script) })),
    nLockTime: tx.locktime,
  };
}

/**
 * PSBT (base64) with witnessUtxo for every input, plus nonWitnessUtxo and redeemScript where the
 * UTXO has them.
 */
export function psbtPayload(utxos: readonly TestUtxo[], outputs: readonly TestOutput[]): string {
  const psbt = new Psbt();
  psbt.setVersion(2);
  for (const u of utxos) {
    psbt.addInput({
      hash: u.txid,
      index: u.vout,
      ...(u.sequence === undefined ? {} : { sequence: u.sequence }),
      witnessUtxo: { script: u.script, value: u.amount },
      ...(u.prevTx ? { nonWitnessUtxo: u.prevTx } : {}),
      ...(u.redeemScript ? { redeemScript: u.redeemScript } : {}),
    });
  }
  for (const o of outputs) psbt.addOutput({ script: o.script, value: o.amount });
  return psbt.toBase64();
}

/** Tatum's BCH payload: "<unsigned tx hex>:<JSON input amounts>". */
export function bchPayload(utxos: readonly TestUtxo[], outputs: readonly TestOutput[]): string {
  return `${unsignedTransaction(utxos, outputs).toHex()}:${JSON.stringify(utxos.map((u) => Number(u.amount)))}`;
}

/** A previous transaction paying `outputs`, for UTXOs that need a checkable nonWitnessUtxo. */
export function previousTransaction(outputs: readonly TestOutput[], seed = 0): Transaction {
  const tx = new Transaction();
  tx.version = 2;
  tx.addInput(new Uint8Array(32).fill(seed + 1), 0);
  tx.setInputScript(0, Uint8Array.from([0x51])); // a dummy, non-empty scriptSig
  for (const o of outputs) tx.addOutput(o.script, o.amount);
  return tx;
}

/** UTXOs for every output of `prevTx`. */
export function utxosOf(prevTx: Transaction, withPrevTx = true): TestUtxo[] {
  return prevTx.outs.map((out, vout) => ({
    txid: prevTx.getId(),
    vout,
    amount: out.value,
    script: out.script,
    ...(withPrevTx ? { prevTx: prevTx.toBuffer() } : {}),
  }));
}
