// Output-script classification by exact byte pattern, and the three key-hash scripts a wallet key
// can spend (P2PKH, P2WPKH, P2SH-P2WPKH).
import { hash160 } from '../../crypto/hash160.js';

export type ScriptType =
  'p2pkh' | 'p2sh' | 'p2wpkh' | 'p2wsh' | 'p2tr' | 'witness-unknown' | 'nulldata' | 'nonstandard';

export interface ClassifiedScript {
  type: ScriptType;
  /** The 20-byte hash of p2pkh, p2sh and p2wpkh scripts. */
  hash?: Uint8Array;
}

const OP_0 = 0x00;
const OP_1 = 0x51;
const OP_16 = 0x60;
const OP_RETURN = 0x6a;
const OP_DUP = 0x76;
const OP_EQUAL = 0x87;
const OP_EQUALVERIFY = 0x88;
const OP_HASH160 = 0xa9;
const OP_CHECKSIG = 0xac;
/** Bitcoin Core's default -datacarriersize (80 bytes of data) plus OP_RETURN and the push opcodes. */
const MAX_NULLDATA_SCRIPT = 83;

export function classifyScript(script: Uint8Array): ClassifiedScript {
  const [first, second] = script;
  const n = script.length;
  if (n === 25 && first === OP_DUP && second === OP_HASH160 && script[2] === 20) {
    if (script[23] === OP_EQUALVERIFY && script[24] === OP_CHECKSIG) {
      return { type: 'p2pkh', hash: script.slice(3, 23) };
    }
  }
  if (n === 23 && first === OP_HASH160 && second === 20 && script[22] === OP_EQUAL) {
    return { type: 'p2sh', hash: script.slice(2, 22) };
  }
  if (first === OP_0 && second === n - 2) {
    if (n === 22) return { type: 'p2wpkh', hash: script.slice(2) };
    if (n === 34) return { type: 'p2wsh' };
  }
  if (first === OP_1 && second === 32 && n === 34) return { type: 'p2tr' };
  if (first !== undefined && second === n - 2 && n >= 4 && n <= 42) {
    if (first === OP_0 || (first >= OP_1 && first <= OP_16)) return { type: 'witness-unknown' };
  }
  if (first === OP_RETURN && n <= MAX_NULLDATA_SCRIPT) return { type: 'nulldata' };
  return { type: 'nonstandard' };
}

export function isWitnessProgram(type: ScriptType): boolean {
  return type === 'p2wpkh' || type === 'p2wsh' || type === 'p2tr' || type === 'witness-unknown';
}

export function p2pkhScript(pubkeyHash: Uint8Array): Uint8Array {
  return Uint8Array.from([OP_DUP, OP_HASH160, 20, ...pubkeyHash, OP_EQUALVERIFY, OP_CHECKSIG]);
}

export function p2wpkhScript(pubkeyHash: Uint8Array): Uint8Array {
  return Uint8Array.from([OP_0, 20, ...pubkeyHash]);
}

export function p2shScript(scriptHash: Uint8Array): Uint8Array {
  return Uint8Array.from([OP_HASH160, 20, ...scriptHash, OP_EQUAL]);
}

/** The P2SH scriptPubKey that wraps `redeemScript`. */
export function p2shOf(redeemScript: Uint8Array): Uint8Array {
  return p2shScript(hash160(redeemScript));
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((byte, i) => byte === b[i]);
}
