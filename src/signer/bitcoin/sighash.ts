// The 32-byte digest each input's signature commits to; every input gets its own, from its own amount
// and script, even when several inputs share a key.
import type { Transaction } from 'bitcoinjs-lib';
import type { ChainRules } from './chain-rules.js';
import type { PlannedInput } from './plan.js';
import { p2pkhScript } from './scripts.js';

/**
 * - P2PKH on BTC/LTC/DOGE: the legacy digest (SHA256d of the stripped copy ‖ hashType 0x01).
 * - P2WPKH and P2SH-P2WPKH: BIP143 with scriptCode P2PKH(hash160(pubkey)), the input amount, 0x01.
 * - BCH (P2PKH): the same BIP143-style algorithm with hashType 0x41 (SIGHASH_ALL|FORKID).
 */
export function inputDigest(tx: Transaction, input: PlannedInput, rules: ChainRules): Uint8Array {
  if (input.kind === 'p2pkh' && !rules.forkId) {
    return tx.hashForSignature(input.index, input.prevoutScript, rules.hashType);
  }
  const scriptCode = p2pkhScript(input.wallet.pubkeyHash);
  return tx.hashForWitnessV0(input.index, scriptCode, input.amount, rules.hashType);
}
