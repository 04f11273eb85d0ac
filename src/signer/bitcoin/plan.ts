// Validates the WHOLE transaction against the chain's rules and the request's wallets, and decides
// for every input which key signs it and how. Any problem is a SigningRefusedError raised here, before
// the first KMS call.
import type { Transaction } from 'bitcoinjs-lib';
import { assembleTransaction, DUMMY_SIGNATURE } from './assemble.js';
import type { ChainRules } from './chain-rules.js';
import { defaultFeeCap } from './fee-policy.js';
import { MAX_SATOSHIS, toUnsignedTransaction, type ModelInput, type UnsignedModel } from './model.js';
import { refuse } from '../types.js';
import { matchInput } from './match-input.js';
import { classifyScript, isWitnessProgram } from './scripts.js';
import type { PreparedWallet } from './wallets.js';

export type SpendKind = 'p2pkh' | 'p2wpkh' | 'p2sh-p2wpkh';

export interface PlannedInput {
  index: number;
  wallet: PreparedWallet;
  kind: SpendKind;
  amount: bigint;
  prevoutScript: Uint8Array;
  /** P2SH-P2WPKH only: 0x0014 ‖ hash160(pubkey). */
  redeemScript?: Uint8Array;
}

export interface SigningPlan {
  rules: ChainRules;
  unsigned: Transaction;
  /** One entry per transaction input, in input order. */
  inputs: PlannedInput[];
  fee: bigint;
  /** Upper bound of the signed transaction's virtual size. */
  vsize: number;
}

export function planSigning(
  model: UnsignedModel,
  wallets: readonly PreparedWallet[],
  rules: ChainRules,
  maxFeeSats: bigint | undefined,
): SigningPlan {
  if (model.inputs.length === 0) refuse('MALFORMED_TRANSACTION', 'inputs', 'the transaction has no inputs');
  if (model.outputs.length === 0)
    refuse('MALFORMED_TRANSACTION', 'outputs', 'the transaction has no outputs');
  checkDistinctPrevouts(model.inputs);
  const inputs = model.inputs.map((input, index) => planInput(model, input, index, wallets, rules));
  checkOutputs(model, rules);
  const unsigned = toUnsignedTransaction(model);
  const dummies = inputs.map((input) => ({ input, signature: DUMMY_SIGNATURE }));
  const vsize = assembleTransaction(unsigned, dummies).virtualSize();
  const fee = checkFee(model, inputs, vsize, maxFeeSats ?? defaultFeeCap(rules.feePolicy, vsize));
  return { rules, unsigned, inputs, fee, vsize };
}

function checkDistinctPrevouts(inputs: readonly ModelInput[]): void {
  const seen = new Map<string, number>();
  inputs.forEach((input, i) => {
    const outpoint = `${input.txid}:${input.vout}`;
    const first = seen.get(outpoint);
    if (first !== undefined) {
      refuse(
        'MALFORMED_TRANSACTION',
        `inputs[${i}]`,
        `spends ${outpoint}, which inputs[${first}] spends too`,
      );
    }
    seen.set(outpoint, i);
  });
}

function planInput(
  model: UnsignedModel,
  input: ModelInput,
  index: number,
  wallets: readonly PreparedWallet[],
  rules: ChainRules,
): PlannedInput {
  const field = `inputs[${index}]`;
  if (input.sighashType !== undefined && input.sighashType !== rules.hashType) {
    refuse(
      'UNSUPPORTED_TRANSACTION',
      `${field}.sighashType`,
      `is 0x${input.sighashType.toString(16)}; only 0x${rules.hashType.toString(16)} is signed on ${rules.label}`,
    );
  }
  const { amount, script } = input;
  if (amount === undefined) {
    refuse('MISSING_INPUT_DATA', `${field}.amount`, 'the value of the spent output is needed');
  }
  if (amount > MAX_SATOSHIS) refuse('MALFORMED_TRANSACTION', `${field}.amount`, 'is larger than int64');
  if (script === undefined || script.length === 0) {
    refuse('MISSING_INPUT_DATA', `${field}.script`, 'the scriptPubKey of the spent output is needed');
  }
  const planned = matchInput(input, script, index, wallets, rules);
  if (planned.kind === 'p2pkh' && !rules.forkId && model.format === 'psbt' && input.prevTxChecked !== true) {
    refuse(
      'MISSING_INPUT_DATA',
      `${field}.nonWitnessUtxo`,
      'a legacy P2PKH signature does not commit to the amount, so the PSBT must carry the full previous ' +
        'transaction (BIP174)',
    );
  }
  return { index, amount, prevoutScript: script, ...planned };
}

function checkOutputs(model: UnsignedModel, rules: ChainRules): void {
  model.outputs.forEach(({ script, amount }, i) => {
    const field = `outputs[${i}]`;
    if (amount > MAX_SATOSHIS) refuse('MALFORMED_TRANSACTION', `${field}.amount`, 'is larger than int64');
    const { type } = classifyScript(script);
    if (!rules.segwit && isWitnessProgram(type)) {
      refuse(
        'CHAIN_MISMATCH',
        `${field}.script`,
        `is a ${type} (segwit) script, but ${rules.label} has no segwit`,
      );
    }
    if (type === 'nonstandard' || type === 'witness-unknown') {
      refuse(
        'UNSUPPORTED_SCRIPT',
        `${field}.script`,
        'is not a standard output script (P2PKH, P2SH, P2WPKH, P2WSH, P2TR or OP_RETURN)',
      );
    }
    if (type === 'nulldata' && amount !== 0n) {
      refuse(
        'MALFORMED_TRANSACTION',
        `${field}.amount`,
        'an OP_RETURN output must carry 0; its value would be burnt',
      );
    }
  });
}

function checkFee(model: UnsignedModel, inputs: readonly PlannedInput[], vsize: number, cap: bigint): bigint {
  const totalIn = inputs.reduce((sum, input) => sum + input.amount, 0n);
  const totalOut = model.outputs.reduce((sum, output) => sum + output.amount, 0n);
  if (totalOut > totalIn) {
    refuse(
      'OUTPUTS_EXCEED_INPUTS',
      'outputs',
      `pay ${totalOut} sat, but the inputs hold only ${totalIn} sat`,
    );
  }
  const fee = totalIn - totalOut;
  if (fee > cap) {
    refuse(
      'FEE_TOO_HIGH',
      'fee',
      `the transaction pays ${fee} sat (about ${fee / BigInt(vsize)} sat/vB over ${vsize} vB), above the cap ` +
        `of ${cap} sat`,
    );
  }
  return fee;
}
