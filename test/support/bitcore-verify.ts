// Independent check of a signed Bitcoin-family transaction: bitpay's bitcore-lib-ltc / -doge / -cash
// (what Tatum's reference daemon signs with) re-parse the raw hex and run each input's scriptSig and
// witness against the spent script through their own script interpreter, which recomputes every sighash
// (legacy, BIP143, BCH FORKID) itself.
import bitcoreCash from 'bitcore-lib-cash';
import bitcoreDoge from 'bitcore-lib-doge';
import bitcoreLtc from 'bitcore-lib-ltc';

export type BitcoreFlavour = 'LTC' | 'DOGE' | 'BCH';

export const BITCORE: Readonly<Record<BitcoreFlavour, BitcoreTest.Lib>> = {
  LTC: bitcoreLtc,
  DOGE: bitcoreDoge,
  BCH: bitcoreCash,
};

function flags(flavour: BitcoreFlavour): number {
  const I = BITCORE[flavour].Script.Interpreter;
  const common =
    I.SCRIPT_VERIFY_P2SH! | I.SCRIPT_VERIFY_STRICTENC! | I.SCRIPT_VERIFY_DERSIG! | I.SCRIPT_VERIFY_NULLFAIL!;
  if (flavour === 'LTC') {
    return common | I.SCRIPT_VERIFY_LOW_S! | I.SCRIPT_VERIFY_WITNESS! | I.SCRIPT_VERIFY_WITNESS_PUBKEYTYPE!;
  }
  // bitcore-lib-cash 11.5.1 cannot evaluate SCRIPT_VERIFY_LOW_S: checkRawSignatureEncoding gets the
  // signature without its sighash byte and strips one more ("Length of s incorrect"). Low S is checked
  // separately below with its own Signature parser.
  if (flavour === 'BCH') return common | I.SCRIPT_ENABLE_SIGHASH_FORKID!;
  return common | I.SCRIPT_VERIFY_LOW_S!;
}

/** BCH: every signature push in the scriptSig has a low S (see flags()). */
function bchLowS(lib: BitcoreTest.Lib, scriptSig: BitcoreTest.Script): boolean {
  const signature = scriptSig.chunks[0]?.buf;
  return signature !== undefined && lib.crypto.Signature.fromTxFormat(signature).hasLowS();
}

export interface SpentOutput {
  script: Uint8Array;
  amount: bigint;
}

/**
 * Verifies every input of `signedHex` with bitcore; returns the parsed transaction's id and one
 * verdict per input ('ok' or the interpreter's error string).
 */
export function verifyWithBitcore(
  flavour: BitcoreFlavour,
  signedHex: string,
  spent: readonly SpentOutput[],
): { txId: string; verdicts: string[] } {
  const lib = BITCORE[flavour];
  const tx = new lib.Transaction(signedHex);
  const verdicts = tx.inputs.map((input, i) => {
    const prevout = spent[i];
    if (!prevout) return 'no spent output given';
    const scriptPubkey = new lib.Script(Buffer.from(prevout.script));
    const interpreter = new lib.Script.Interpreter();
    const ok =
      flavour === 'BCH'
        ? interpreter.verify(
            input.script,
            scriptPubkey,
            tx,
            i,
            flags(flavour),
            new lib.crypto.BN(prevout.amount.toString()),
          )
        : interpreter.verify(
            input.script,
            scriptPubkey,
            tx,
            i,
            flags(flavour),
            input.getWitnesses?.() ?? [],
            Number(prevout.amount),
          );
    if (!ok) return interpreter.errstr || 'failed';
    return flavour === 'BCH' && !bchLowS(lib, input.script) ? 'high S' : 'ok';
  });
  return { txId: tx.id, verdicts };
}
