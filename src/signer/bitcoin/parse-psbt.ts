// PSBT (BIP174, base64 or hex) → the internal model. Amount and script come from witnessUtxo or from
// nonWitnessUtxo (the full previous transaction, whose txid must be the input's prevout); a PSBT input
// that carries any signature or final script is refused.
import { Psbt, Transaction, type PsbtTxInput } from 'bitcoinjs-lib';
import { PSBT_MAGIC_HEX } from './detect.js';
import { hashToTxid, hexToBytes, type ModelInput, type UnsignedModel } from './model.js';
import { refuse } from '../types.js';
import { spentOutput } from './spent-output.js';
import { equalBytes } from './scripts.js';

export function parsePsbt(unsigned: unknown): UnsignedModel {
  const psbt = decodePsbt(unsigned);
  const txInputs = psbt.txInputs;
  return {
    format: 'psbt',
    version: psbt.version,
    locktime: psbt.locktime,
    inputs: psbt.data.inputs.map((data, i) => {
      const txInput = txInputs[i];
      if (txInput === undefined) refuse('MALFORMED_TRANSACTION', `inputs[${i}]`, 'not in the transaction');
      return parsePsbtInput(txInput, data, `inputs[${i}]`);
    }),
    outputs: psbt.txOutputs.map(({ script, value }) => ({ script, amount: value })),
  };
}

function decodePsbt(unsigned: unknown): Psbt {
  if (typeof unsigned !== 'string') refuse('MALFORMED_TRANSACTION', 'unsigned', 'a PSBT must be a string');
  const text = unsigned.trim();
  const bytes = text.toLowerCase().startsWith(PSBT_MAGIC_HEX) ? hexToBytes(text) : base64ToBytes(text);
  if (bytes === undefined) refuse('MALFORMED_TRANSACTION', 'unsigned', 'not valid PSBT base64 or hex');
  try {
    return Psbt.fromBuffer(bytes);
  } catch (error) {
    refuse('MALFORMED_TRANSACTION', 'unsigned', `not a valid PSBT: ${(error as Error).message}`);
  }
}

function base64ToBytes(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(text)) return undefined;
  return Uint8Array.from(Buffer.from(text, 'base64'));
}

type PsbtInput = Psbt['data']['inputs'][number];

function parsePsbtInput(txInput: PsbtTxInput, data: PsbtInput, field: string): ModelInput {
  if (
    (data.partialSig?.length ?? 0) > 0 ||
    data.finalScriptSig !== undefined ||
    data.finalScriptWitness !== undefined ||
    data.tapKeySig !== undefined ||
    (data.tapScriptSig?.length ?? 0) > 0
  ) {
    refuse('ALREADY_SIGNED', field, 'the PSBT input already carries a signature or final script');
  }
  const input: ModelInput = {
    txid: hashToTxid(txInput.hash),
    vout: txInput.index,
    sequence: txInput.sequence ?? Transaction.DEFAULT_SEQUENCE,
  };
  if (data.redeemScript !== undefined) input.redeemScript = data.redeemScript;
  if (data.sighashType !== undefined) input.sighashType = data.sighashType;
  const spent = data.nonWitnessUtxo
    ? spentOutput(data.nonWitnessUtxo, input, `${field}.nonWitnessUtxo`)
    : undefined;
  const witnessUtxo = data.witnessUtxo;
  if (spent && witnessUtxo) {
    if (spent.value !== witnessUtxo.value || !equalBytes(spent.script, witnessUtxo.script)) {
      refuse('MALFORMED_TRANSACTION', `${field}.witnessUtxo`, 'disagrees with nonWitnessUtxo');
    }
  }
  const utxo = spent ?? witnessUtxo;
  if (utxo) {
    input.amount = utxo.value;
    input.script = utxo.script;
  }
  if (spent) input.prevTxChecked = true;
  return input;
}
