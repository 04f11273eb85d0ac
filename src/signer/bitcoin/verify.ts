// Final check of the assembled transaction, before it is returned: for every input, read the
// signature and public key back out of its scriptSig/witness, check they unlock the spent script
// (key hash, redeem script), that the signature is strict DER, low-S and carries the chain's sighash
// byte, recompute the digest from the SIGNED transaction, and verify it with libsecp256k1.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { script, type Transaction } from 'bitcoinjs-lib';
import { hash160 } from '../../crypto/hash160.js';
import { parsePublicKey } from '../../crypto/public-key.js';
import { verifyDigestSignature } from '../../crypto/secp256k1.js';
import type { PlannedInput, SigningPlan } from './plan.js';
import { classifyScript, equalBytes, p2wpkhScript } from './scripts.js';
import { inputDigest } from './sighash.js';

/** The signed transaction failed its own final check; it is not returned. Not a refusal: KMS was called. */
export class SignedTransactionCheckError extends Error {
  constructor(
    readonly inputIndex: number,
    reason: string,
  ) {
    super(`inputs[${inputIndex}]: the signed transaction failed its final check: ${reason}`);
    this.name = 'SignedTransactionCheckError';
  }
}

export function verifySignedTransaction(
  signed: Transaction,
  plan: SigningPlan,
  signedDigests: readonly Uint8Array[],
): void {
  if (signed.ins.length !== plan.inputs.length) {
    throw new SignedTransactionCheckError(0, 'input count changed');
  }
  plan.inputs.forEach((input, n) => {
    const fail = (reason: string): never => {
      throw new SignedTransactionCheckError(input.index, reason);
    };
    const { signature, publicKey } = unlockingData(signed, input, fail);
    if (!equalBytes(publicKey, input.wallet.publicKey)) fail('public key is not the wallet key');
    if (signature.at(-1) !== plan.rules.hashType) fail('wrong sighash byte');
    const der = signature.subarray(0, -1);
    const parsed = parseDer(der, fail);
    if (!equalBytes(parsed.toBytes('der'), der)) fail('signature is not canonical DER');
    if (parsed.hasHighS()) fail('signature has a high S');
    const digest = inputDigest(signed, input, plan.rules);
    const expected = signedDigests[n];
    if (expected === undefined || !equalBytes(digest, expected)) fail('digest differs from the one signed');
    if (!verifyDigestSignature(digest, parsed.r, parsed.s, parsePublicKey(publicKey)))
      fail('signature does not verify');
  });
}

function parseDer(der: Uint8Array, fail: (reason: string) => never) {
  try {
    return secp256k1.Signature.fromBytes(der, 'der');
  } catch (error) {
    return fail(`signature is not DER: ${(error as Error).message}`);
  }
}

function unlockingData(
  tx: Transaction,
  input: PlannedInput,
  fail: (reason: string) => never,
): { signature: Uint8Array; publicKey: Uint8Array } {
  const txIn = tx.ins[input.index];
  if (txIn === undefined) fail('missing');
  const scriptSig = script.decompile(txIn.script) ?? fail('scriptSig does not parse');
  const pushes = input.kind === 'p2pkh' ? scriptSig : txIn.witness;
  const [signature, publicKey, ...rest] = pushes;
  if (!(signature instanceof Uint8Array) || !(publicKey instanceof Uint8Array) || rest.length > 0) {
    fail('expected exactly <signature> <public key>');
  }
  const spent = classifyScript(input.prevoutScript);
  const keyHash = hash160(publicKey);
  switch (input.kind) {
    case 'p2pkh':
      if (txIn.witness.length > 0) fail('a P2PKH input has a witness');
      break;
    case 'p2wpkh':
      if (scriptSig.length > 0) fail('a P2WPKH input has a scriptSig');
      break;
    case 'p2sh-p2wpkh': {
      const [redeem, ...extra] = scriptSig;
      if (!(redeem instanceof Uint8Array) || extra.length > 0)
        fail('scriptSig must push only the redeem script');
      if (!equalBytes(redeem, p2wpkhScript(keyHash))) fail('redeem script is not 0x0014‖hash160(pubkey)');
      if (!spent.hash || !equalBytes(hash160(redeem), spent.hash))
        fail('redeem script does not hash to the P2SH');
      return { signature, publicKey };
    }
  }
  if (!spent.hash || !equalBytes(keyHash, spent.hash)) fail('public key does not hash to the spent script');
  return { signature, publicKey };
}
