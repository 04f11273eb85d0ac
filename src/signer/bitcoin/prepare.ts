// prepareBitcoinTransaction: the one decode of a Bitcoin-family payload — parse any accepted form into the
// one model, validate everything, compute every input's digest. Its `sign` costs exactly one KMS Sign
// call per input, then assembles the transaction and checks it before returning it.
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type PrepareRequestBase } from '../types.js';
import { assembleTransaction } from './assemble.js';
import { chainRules } from './chain-rules.js';
import { resolveFormat } from './detect.js';
import { parseMaxFeeSats } from './fee-policy.js';
import { bytesToHex, type BitcoinPayloadFormat, type UnsignedModel } from './model.js';
import { parseBchPayload } from './parse-bch.js';
import { parseBitcore } from './parse-bitcore.js';
import { parsePsbt } from './parse-psbt.js';
import { planSigning } from './plan.js';
import { proveInputAmounts, type InputAmountProofOptions } from './prove-amounts.js';
import { resolvePrevoutScripts } from './resolve-prevouts.js';
import { inputDigest } from './sighash.js';
import { bitcoinTransfers } from './transfers.js';
import { verifySignedTransaction } from './verify.js';
import { prepareWallets } from './wallets.js';

export interface BitcoinSignOptions extends InputAmountProofOptions {
  /** Absolute fee cap in satoshis; replaces the chain's default (see fee-policy.ts). */
  maxFeeSats?: bigint | number;
  /**
   * BCH "hex:[amounts]" payloads only: the scriptPubKey (hex) of each spent output, in input order.
   * Inputs are then matched to wallets by script; without it wallets[i] signs inputs[i].
   */
  prevoutScripts?: string[];
}

export interface BitcoinPrepareRequest extends PrepareRequestBase {
  /** PSBT (base64/hex), bitcore Transaction.toObject() (object or JSON) or BCH "hex:[amounts]". */
  unsigned: string | object;
  /** Detected from `unsigned` when omitted (see detect.ts). */
  format?: BitcoinPayloadFormat;
  options?: BitcoinSignOptions;
}

const PARSERS: Readonly<Record<BitcoinPayloadFormat, (unsigned: unknown) => UnsignedModel>> = {
  psbt: parsePsbt,
  bitcore: parseBitcore,
  bch: parseBchPayload,
};

/**
 * Every input must be a P2WPKH, P2SH-P2WPKH or P2PKH output of one of `wallets`; a key signs every input it
 * controls. Throws SigningRefusedError, with no KMS call made, when anything is wrong with the request.
 */
export function prepareBitcoinTransaction(req: BitcoinPrepareRequest): PreparedTransaction {
  const rules = chainRules(req.chain, req.network);
  const wallets = prepareWallets(req.wallets);
  const maxFeeSats = parseMaxFeeSats(req.options?.maxFeeSats);
  const format = resolveFormat(req.format, req.unsigned);
  if (format === 'bch' && !rules.forkId) {
    refuse('CHAIN_MISMATCH', 'format', `"hex:[amounts]" is Tatum's BCH payload, not one for ${rules.label}`);
  }
  const model = PARSERS[format](req.unsigned);
  resolvePrevoutScripts(model, wallets, req.options?.prevoutScripts);
  proveInputAmounts(model, rules, req.options);
  const plan = planSigning(model, wallets, rules, maxFeeSats);
  // Every digest is computed before the first KMS call.
  const jobs = plan.inputs.map((input) => ({ input, digest: inputDigest(plan.unsigned, input, rules) }));
  const digests = jobs.map(({ input, digest }) => ({
    keyId: input.wallet.keyId,
    digest: bytesToHex(digest),
    inputIndex: input.index,
  }));

  return {
    chain: req.chain,
    network: req.network,
    transfers: bitcoinTransfers(model.outputs, wallets),
    unrecognized: null,
    fee: plan.fee,
    nonce: null,
    digests,
    async sign(signer) {
      const signatures = await Promise.all(
        jobs.map(async ({ input, digest }) => {
          const kms = await signer.signDigest(input.wallet.keyId, digest, input.wallet.publicKey);
          return { input, signature: Uint8Array.from([...kms.der, rules.hashType]) };
        }),
      );
      const signed = assembleTransaction(plan.unsigned, signatures);
      verifySignedTransaction(
        signed,
        plan,
        jobs.map((job) => job.digest),
      );
      return {
        chain: req.chain,
        network: req.network,
        signed: signed.toHex(),
        txId: signed.getId(),
        digests,
      };
    },
  };
}
