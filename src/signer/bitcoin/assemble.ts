// Puts signatures where each input type wants them: P2PKH scriptSig <sig> <pubkey>; P2WPKH witness
// [sig, pubkey]; P2SH-P2WPKH scriptSig <redeemScript> plus the witness. Also used with a dummy
// signature to size the transaction for the fee check before anything is signed.
import { script, type Transaction } from 'bitcoinjs-lib';
import type { PlannedInput } from './plan.js';

/** As large as a low-S DER signature plus its sighash byte can be (71 + 1 bytes). */
export const DUMMY_SIGNATURE = new Uint8Array(72);

export interface InputSignature {
  input: PlannedInput;
  /** DER ‖ sighash byte. */
  signature: Uint8Array;
}

/** A copy of `unsigned` with each input unlocked by its signature and the wallet's public key. */
export function assembleTransaction(
  unsigned: Transaction,
  signatures: readonly InputSignature[],
): Transaction {
  const tx = unsigned.clone();
  for (const { input, signature } of signatures) {
    const unlock = [signature, input.wallet.publicKey];
    switch (input.kind) {
      case 'p2pkh':
        tx.setInputScript(input.index, script.compile(unlock));
        break;
      case 'p2wpkh':
        tx.setWitness(input.index, unlock);
        break;
      case 'p2sh-p2wpkh':
        tx.setInputScript(input.index, script.compile([input.redeemScript ?? new Uint8Array()]));
        tx.setWitness(input.index, unlock);
        break;
    }
  }
  return tx;
}
