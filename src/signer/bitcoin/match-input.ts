// Input ↔ wallet matching: classifies the spent script and finds the wallet key that controls it.
// P2PKH and P2WPKH match on hash160(compressed pubkey); P2SH only as P2SH-P2WPKH, whose redeem script
// (given, or derived from each wallet key) must be 0x0014‖hash160(pubkey) and hash to the P2SH script.
import { hash160 } from '../../crypto/hash160.js';
import type { ChainRules } from './chain-rules.js';
import type { ModelInput } from './model.js';
import type { PlannedInput } from './plan.js';
import { refuse } from '../types.js';
import { classifyScript, equalBytes, isWitnessProgram, p2wpkhScript, type ScriptType } from './scripts.js';
import { walletByHash, type PreparedWallet } from './wallets.js';

export type InputMatch = Pick<PlannedInput, 'wallet' | 'kind' | 'redeemScript'>;

/** Which wallet signs the input and how; refuses scripts that are not ours or not supported. */
export function matchInput(
  input: ModelInput,
  script: Uint8Array,
  index: number,
  wallets: readonly PreparedWallet[],
  rules: ChainRules,
): InputMatch {
  const field = `inputs[${index}]`;
  const { type, hash } = classifyScript(script);
  if (!rules.segwit && isWitnessProgram(type)) {
    refuse(
      'CHAIN_MISMATCH',
      `${field}.script`,
      `is a ${type} (segwit) script, but ${rules.label} has no segwit`,
    );
  }
  if (input.redeemScript !== undefined && type !== 'p2sh') {
    refuse('MALFORMED_TRANSACTION', `${field}.redeemScript`, `is given for a ${type} input, which has none`);
  }
  if ((type === 'p2pkh' || type === 'p2wpkh') && hash) {
    return { kind: type, wallet: ownerOf(input, hash, wallets, field) };
  }
  if (type === 'p2sh' && hash) return matchP2sh(input, hash, wallets, rules, field);
  refuse('UNSUPPORTED_SCRIPT', `${field}.script`, unsupportedReason(type));
}

function unsupportedReason(type: ScriptType): string {
  const supported = 'only P2WPKH, P2SH-P2WPKH and P2PKH inputs can be signed';
  if (type === 'p2tr')
    return `is taproot (P2TR), which needs a Schnorr signature that AWS KMS cannot make; ${supported}`;
  if (type === 'p2wsh') return `is P2WSH (a witness script); ${supported}`;
  return `is a ${type} script (e.g. bare multisig, P2PK, OP_RETURN); ${supported}`;
}

/** The wallet that owns a key-hash script (for BCH positional mapping: the wallet at that position). */
function ownerOf(
  input: ModelInput,
  pubkeyHash: Uint8Array,
  wallets: readonly PreparedWallet[],
  field: string,
): PreparedWallet {
  const wallet =
    input.walletIndex === undefined ? walletByHash(wallets, pubkeyHash) : wallets[input.walletIndex];
  if (wallet === undefined || !equalBytes(wallet.pubkeyHash, pubkeyHash)) {
    refuse(
      'INPUT_NOT_OURS',
      `${field}.script`,
      `pays to key hash ${Buffer.from(pubkeyHash).toString('hex')}, which is none of the given wallets' keys`,
    );
  }
  return wallet;
}

function matchP2sh(
  input: ModelInput,
  scriptHash: Uint8Array,
  wallets: readonly PreparedWallet[],
  rules: ChainRules,
  field: string,
): InputMatch {
  if (!rules.segwit) {
    refuse(
      'UNSUPPORTED_SCRIPT',
      `${field}.script`,
      `is P2SH; only P2SH-P2WPKH is supported and ${rules.label} has no segwit`,
    );
  }
  if (input.redeemScript !== undefined) {
    const redeem = classifyScript(input.redeemScript);
    if (redeem.type !== 'p2wpkh' || !redeem.hash) {
      refuse(
        'UNSUPPORTED_SCRIPT',
        `${field}.redeemScript`,
        `is a ${redeem.type} script; only P2SH-P2WPKH (0x0014‖hash160(pubkey)) is supported`,
      );
    }
    if (!equalBytes(hash160(input.redeemScript), scriptHash)) {
      refuse(
        'MALFORMED_TRANSACTION',
        `${field}.redeemScript`,
        'does not hash to the P2SH script of the input',
      );
    }
    return {
      kind: 'p2sh-p2wpkh',
      wallet: ownerOf(input, redeem.hash, wallets, field),
      redeemScript: input.redeemScript,
    };
  }
  const wallet = wallets.find((w) => equalBytes(hash160(p2wpkhScript(w.pubkeyHash)), scriptHash));
  if (wallet === undefined) {
    refuse(
      'INPUT_NOT_OURS',
      `${field}.script`,
      "is a P2SH script that is not the P2SH-P2WPKH of any of the given wallets' keys (other P2SH scripts " +
        'are not supported)',
    );
  }
  return { kind: 'p2sh-p2wpkh', wallet, redeemScript: p2wpkhScript(wallet.pubkeyHash) };
}
