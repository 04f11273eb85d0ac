// A legacy P2PKH signature (BTC, LTC, every DOGE input) does not commit to the amount it spends, so a
// payload that understates an input amount would get a valid signature and a fee far above the cap.
// Such inputs are proven against the full previous transaction (hashed to the input's txid). Segwit
// inputs (BIP143) and BCH FORKID inputs commit to their amounts and need no proof.
import { refuse, SigningRefusedError } from '../types.js';
import type { ChainRules } from './chain-rules.js';
import { bytesToHex, hexToBytes, type UnsignedModel } from './model.js';
import { classifyScript, equalBytes } from './scripts.js';
import { spentOutput } from './spent-output.js';

export interface InputAmountProofOptions {
  /** Full previous transactions (raw hex or bytes) by txid, from a chain view the caller trusts. */
  previousTransactions?: Readonly<Record<string, string | Uint8Array>>;
  /**
   * Sign P2PKH inputs whose amounts are not proven. The payload then decides the real fee: an input
   * understated by the payload is spent whole, and the difference goes to the miner past any fee cap.
   */
  trustPayloadAmountsAndRiskOverpayingFees?: boolean;
}

/** Refusal listing every previous transaction the caller must supply; nothing was signed. */
export class PreviousTransactionsNeededError extends SigningRefusedError {
  constructor(readonly txids: readonly string[]) {
    super(
      'MISSING_INPUT_DATA',
      'previousTransactions',
      `legacy P2PKH inputs do not commit to their amounts; supply previous transactions ${txids.join(', ')}`,
    );
    this.name = 'PreviousTransactionsNeededError';
  }
}

export function proveInputAmounts(
  model: UnsignedModel,
  rules: ChainRules,
  options: InputAmountProofOptions = {},
): void {
  if (rules.forkId) return;
  const needed = new Set<string>();
  model.inputs.forEach((input, i) => {
    const { script, amount } = input;
    if (input.prevTxChecked === true || script === undefined || classifyScript(script).type !== 'p2pkh')
      return;
    const supplied = options.previousTransactions?.[input.txid];
    if (supplied === undefined) {
      needed.add(input.txid);
      return;
    }
    const raw = typeof supplied === 'string' ? hexToBytes(supplied) : supplied;
    if (raw === undefined)
      refuse('MALFORMED_TRANSACTION', `previousTransactions.${input.txid}`, 'is not hex');
    const spent = spentOutput(raw, input, `previousTransactions.${input.txid}`);
    if (amount !== spent.value) {
      refuse(
        'PREVOUT_MISMATCH',
        `inputs[${i}].amount`,
        `is ${amount} sat, but output ${input.vout} of ${input.txid} holds ${spent.value} sat`,
      );
    }
    if (!equalBytes(script, spent.script)) {
      refuse(
        'PREVOUT_MISMATCH',
        `inputs[${i}].script`,
        `is ${bytesToHex(script)}, but output ${input.vout} of ${input.txid} pays ${bytesToHex(spent.script)}`,
      );
    }
    input.amount = spent.value;
    input.prevTxChecked = true;
  });
  if (needed.size > 0 && options.trustPayloadAmountsAndRiskOverpayingFees !== true) {
    throw new PreviousTransactionsNeededError([...needed]);
  }
}
