// Flow signing with one secp256k1 KMS key per wallet: FCL voucher → field checks and roles → message
// (domain tag ‖ RLP, by @onflow/sdk) → digest with the account key's hash algorithm → one KMS Sign call
// (ECDSA_SHA_256 over our DIGEST; KMS never re-hashes, so SHA3-256 digests sign as well as SHA2-256 ones)
// → r‖s appended to the voucher, re-encoded and verified against the stored key before release.
import { getFamilyChain, InvalidPublicKeyError, listNetworks, parsePublicKey } from '../../chains/index.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { verifyDigestSignature } from '../../crypto/secp256k1.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type SignedTransaction, type SignRequestBase, type WalletKey } from '../types.js';
import {
  flowDigest,
  flowEnvelopeMessage,
  flowPayloadMessage,
  flowTransactionId,
  FLOW_HASH_ALGORITHMS,
  type FlowHashAlgorithm,
} from './messages.js';
import { flowSignatureKind, type FlowAccountRef, type FlowSignatureKind } from './roles.js';
import { decodeFlowTransfer } from './transfer.js';
import { flowAddress, parseFlowVoucher, type FlowVoucher } from './voucher.js';

/** Flow's per-transaction computation ceiling (Tatum's SDK sends 9999 for its own jobs). */
export const DEFAULT_MAX_COMPUTE_LIMIT = 9999;

/** The wallet record's mapping of its KMS key to the chain-assigned account that holds it. */
export interface FlowAccountKey extends FlowAccountRef {
  /** Hash algorithm registered with the account key (Tatum's SDK registers SHA3_256). */
  hashAlgorithm: FlowHashAlgorithm;
}

export interface FlowSignOptions {
  /** Cap on computeLimit; replaces the default of 9999. */
  maxComputeLimit?: number;
}

export interface FlowSignRequest extends SignRequestBase {
  /** FCL voucher JSON (object or JSON text). */
  unsigned: string | object;
  flowAccount: FlowAccountKey;
  options?: FlowSignOptions;
}

type FlowPrepareRequest = Omit<FlowSignRequest, 'signer'>;

function accountKey(value: unknown): FlowAccountKey {
  const account = (typeof value === 'object' && value !== null ? value : {}) as Partial<FlowAccountKey>;
  const address = flowAddress(account.address, 'flowAccount.address', 'INVALID_REQUEST');
  const { keyIndex, hashAlgorithm } = account;
  if (
    typeof keyIndex !== 'number' ||
    !Number.isSafeInteger(keyIndex) ||
    keyIndex < 0 ||
    keyIndex > 0xffff_ffff
  ) {
    refuse('INVALID_REQUEST', 'flowAccount.keyIndex', 'must be the account key index (a whole number ≥ 0)');
  }
  if (hashAlgorithm === undefined || !FLOW_HASH_ALGORITHMS.includes(hashAlgorithm)) {
    refuse(
      'INVALID_REQUEST',
      'flowAccount.hashAlgorithm',
      `must be one of ${FLOW_HASH_ALGORITHMS.join(', ')}`,
    );
  }
  return { address, keyIndex, hashAlgorithm };
}

function singleWallet(wallets: readonly WalletKey[] | undefined): WalletKey {
  const list: readonly WalletKey[] = Array.isArray(wallets) ? wallets : [];
  const wallet = list[0];
  if (wallet === undefined || list.length > 1) {
    return refuse(
      'INVALID_REQUEST',
      'wallets',
      `must hold exactly one wallet key, got ${wallets?.length ?? 'none'}`,
    );
  }
  try {
    parsePublicKey(wallet.publicKey);
  } catch (error) {
    if (error instanceof InvalidPublicKeyError)
      refuse('INVALID_REQUEST', 'wallets[0].publicKey', error.reason);
    throw error;
  }
  return wallet;
}

function maxComputeLimit(value: unknown): number {
  if (value === undefined) return DEFAULT_MAX_COMPUTE_LIMIT;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0) return value;
  return refuse('INVALID_REQUEST', 'options.maxComputeLimit', 'must be a whole number above 0');
}

function messageFor(kind: FlowSignatureKind, voucher: FlowVoucher): Uint8Array {
  return kind === 'envelope' ? flowEnvelopeMessage(voucher) : flowPayloadMessage(voucher);
}

/** Parses, validates and computes the digest of a Flow transaction; throws SigningRefusedError, calls no KMS. */
export function prepareFlowTransaction(request: FlowPrepareRequest): Promise<PreparedTransaction> {
  if (request.chain !== 'FLOW')
    refuse('CHAIN_MISMATCH', 'chain', `is ${request.chain}; this signer signs FLOW only`);
  if (!listNetworks('FLOW').includes(request.network)) {
    refuse(
      'CHAIN_MISMATCH',
      'network',
      `is ${request.network}; FLOW networks are ${listNetworks('FLOW').join(', ')}`,
    );
  }
  const { params } = getFamilyChain('flow', 'FLOW', request.network);
  const wallet = singleWallet(request.wallets);
  const account = accountKey(request.flowAccount);
  const voucher = parseFlowVoucher(request.unsigned);
  const cap = maxComputeLimit(request.options?.maxComputeLimit);
  if (voucher.computeLimit > cap) {
    refuse('FEE_TOO_HIGH', 'computeLimit', `${voucher.computeLimit} is above the cap of ${cap}`);
  }
  const kind = flowSignatureKind(voucher, account);
  const digest = flowDigest(messageFor(kind, voucher), account.hashAlgorithm);
  const digests = [{ keyId: wallet.keyId, digest: Buffer.from(digest).toString('hex'), inputIndex: 0 }];
  const decoded = decodeFlowTransfer(voucher, params);
  return Promise.resolve({
    chain: 'FLOW',
    network: request.network,
    ...decoded,
    // Fees are charged from execution effort at run time; computeLimit (capped above) bounds them.
    fee: null,
    nonce: voucher.proposalKey.address === account.address ? BigInt(voucher.proposalKey.sequenceNum) : null,
    digests,
    async sign(signer) {
      const signature = await signer.signDigest(wallet.keyId, digest, wallet.publicKey);
      const ours = {
        address: account.address,
        keyId: account.keyIndex,
        sig: Buffer.from(signature.compact).toString('hex'),
      };
      const signed: FlowVoucher =
        kind === 'envelope'
          ? { ...voucher, envelopeSigs: [ours] }
          : { ...voucher, payloadSigs: [...voucher.payloadSigs, ours] };
      const text = JSON.stringify(signed);
      assertSignedVoucher(text, signed, kind, digest, wallet, account);
      return {
        chain: 'FLOW',
        network: request.network,
        signed: text,
        // The id covers the envelope signature: known only once the payer has signed.
        txId: kind === 'envelope' ? flowTransactionId(signed) : '',
        digests,
      } satisfies SignedTransaction;
    },
  });
}

/** `signFlowTransaction(request)` = prepare, then sign with request.signer. */
export async function signFlowTransaction(request: FlowSignRequest): Promise<SignedTransaction> {
  return (await prepareFlowTransaction(request)).sign(request.signer);
}

/**
 * The released JSON parses back to the prepared voucher plus our signature; Flow's SDK encodes it to the
 * message whose digest we signed; and the r‖s verifies against the wallet's stored public key.
 */
function assertSignedVoucher(
  text: string,
  expected: FlowVoucher,
  kind: FlowSignatureKind,
  digest: Uint8Array,
  wallet: WalletKey,
  account: FlowAccountKey,
): void {
  const fail = (why: string): never => {
    throw new SignatureVerificationError(wallet.keyId, `the signed Flow transaction ${why}`);
  };
  const reparsed = parseFlowVoucher(text);
  if (JSON.stringify(reparsed) !== JSON.stringify(expected))
    fail('does not parse back to the prepared fields');
  const withoutOurs: FlowVoucher =
    kind === 'envelope'
      ? { ...reparsed, envelopeSigs: [] }
      : { ...reparsed, payloadSigs: reparsed.payloadSigs.slice(0, -1) };
  const recomputed = flowDigest(messageFor(kind, withoutOurs), account.hashAlgorithm);
  if (!Buffer.from(recomputed).equals(Buffer.from(digest))) fail('does not encode the signed digest');
  const ours = (kind === 'envelope' ? reparsed.envelopeSigs : reparsed.payloadSigs).at(-1);
  if (ours?.address !== account.address || ours.keyId !== account.keyIndex)
    fail('does not carry our signature last');
  const sig = Buffer.from(ours?.sig ?? '', 'hex');
  const r = BigInt(`0x${sig.subarray(0, 32).toString('hex')}`);
  const s = BigInt(`0x${sig.subarray(32).toString('hex')}`);
  if (!verifyDigestSignature(digest, r, s, parsePublicKey(wallet.publicKey))) {
    fail("signature does not verify against the wallet's stored public key");
  }
}
