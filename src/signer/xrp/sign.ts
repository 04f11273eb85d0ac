// XRP signing: payload → validated Payment (+ SigningPubKey) → SHA-512Half over the signing prefix
// 0x53545800 and the canonical binary (ripple-binary-codec, the XRP Ledger's own serialiser) → one KMS
// Sign call → TxnSignature as canonical DER with low S ("fully canonical", mandatory on the XRP Ledger
// since the RequireFullyCanonicalSig amendment) → tx_blob, decoded back and checked before release.
import { sha512 } from '@noble/hashes/sha2.js';
import { decode, encode, encodeForSigning } from 'ripple-binary-codec';

import { deriveAddress, InvalidPublicKeyError, listNetworks, parsePublicKey } from '../../chains/index.js';
import { parseEcdsaSignatureDer } from '../../kms/der.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { isHighS, verifyDigestSignature } from '../../crypto/secp256k1.js';
import { parseWholeCap, singleWallet } from '../account-request.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type SignedTransaction, type SignRequestBase, type WalletKey } from '../types.js';
import { parseXrpPayment, xrpTransfers, type XrpPayment } from './payload.js';

/** 0.1 XRP: ordinary fees are 10–15 drops; rippled's open-ledger fee escalation rarely needs more. */
export const DEFAULT_MAX_FEE_DROPS = 100_000n;

const HASH_PREFIX_TRANSACTION_ID = '54584E00'; // "TXN\0" (rippled HashPrefix::transactionID)

export interface XrpSignOptions {
  /** Cap on Fee in drops; replaces the default of 100,000 drops (0.1 XRP). */
  maxFeeDrops?: bigint | number | string;
}

export interface XrpSignRequest extends SignRequestBase {
  /** rippled-format Payment JSON (object or JSON text), as Tatum autofills it. */
  unsigned: string | object;
  options?: XrpSignOptions;
}

/** SHA-512Half: the first 32 bytes of SHA-512, the XRP Ledger's hash for ids and signing digests. */
function sha512Half(hex: string): Uint8Array {
  return sha512(Buffer.from(hex, 'hex')).subarray(0, 32);
}

/** Parses, validates and computes the digest of an XRP payment; throws SigningRefusedError, calls no KMS. */
export function prepareXrpTransaction(request: Omit<XrpSignRequest, 'signer'>): Promise<PreparedTransaction> {
  if (request.chain !== 'XRP')
    refuse('CHAIN_MISMATCH', 'chain', `is ${request.chain}; this signer signs XRP only`);
  const networks = listNetworks('XRP');
  if (!networks.includes(request.network)) {
    refuse('CHAIN_MISMATCH', 'network', `is ${request.network}; XRP networks are ${networks.join(', ')}`);
  }
  const wallet = singleWallet(request.wallets, 'XRP payments are single-signed');
  const { address, signingPubKey } = walletIdentity(request, wallet);
  const payment = parseXrpPayment(request.unsigned, request.network);
  if (payment.Account !== address) {
    refuse('SENDER_NOT_OURS', 'Account', `${payment.Account} is not the signing wallet's address ${address}`);
  }
  if (payment.SigningPubKey !== undefined && payment.SigningPubKey !== signingPubKey) {
    refuse('SENDER_NOT_OURS', 'SigningPubKey', `is not the signing wallet's public key ${signingPubKey}`);
  }
  const maxFee = parseWholeCap(
    request.options?.maxFeeDrops,
    'options.maxFeeDrops',
    DEFAULT_MAX_FEE_DROPS,
    'drops',
    18,
  );
  if (BigInt(payment.Fee) > maxFee) {
    refuse(
      'FEE_TOO_HIGH',
      'Fee',
      `${payment.Fee} drops is above ${request.options?.maxFeeDrops === undefined ? 'the default cap' : 'options.maxFeeDrops'} of ${maxFee} drops`,
    );
  }
  const toSign = { ...payment, SigningPubKey: signingPubKey };
  const digest = sha512Half(encodeForSigning(toSign));
  const digestHex = Buffer.from(digest).toString('hex');
  return Promise.resolve({
    chain: 'XRP',
    network: request.network,
    transfers: xrpTransfers(payment),
    unrecognized: null,
    fee: BigInt(payment.Fee),
    nonce: BigInt(payment.Sequence),
    digests: [{ keyId: wallet.keyId, digest: digestHex, inputIndex: 0 }],
    async sign(signer) {
      const signature = await signer.signDigest(wallet.keyId, digest, wallet.publicKey);
      const signed = { ...toSign, TxnSignature: Buffer.from(signature.der).toString('hex').toUpperCase() };
      const blob = encode(signed);
      assertSignedBlob(blob, toSign, digest, wallet);
      return {
        chain: 'XRP',
        network: request.network,
        signed: blob,
        txId: Buffer.from(sha512Half(HASH_PREFIX_TRANSACTION_ID + blob))
          .toString('hex')
          .toUpperCase(),
        digests: [{ keyId: wallet.keyId, digest: digestHex, inputIndex: 0 }],
      } satisfies SignedTransaction;
    },
  });
}

/** `signXrpTransaction(request)` = prepare, then sign with request.signer. */
export async function signXrpTransaction(request: XrpSignRequest): Promise<SignedTransaction> {
  const prepared = await prepareXrpTransaction(request);
  return prepared.sign(request.signer);
}

function walletIdentity(
  request: Omit<XrpSignRequest, 'signer'>,
  wallet: WalletKey,
): { address: string; signingPubKey: string } {
  try {
    const key = parsePublicKey(wallet.publicKey);
    return {
      address: deriveAddress('XRP', request.network, key.compressed),
      signingPubKey: Buffer.from(key.compressed).toString('hex').toUpperCase(),
    };
  } catch (error) {
    if (error instanceof InvalidPublicKeyError)
      refuse('MISSING_INPUT_DATA', 'wallets[0].publicKey', error.reason);
    throw error;
  }
}

/**
 * Decodes the blob that goes to the network and checks it: every field as prepared, re-encoding to the same
 * bytes, the same signing digest, and a low-S DER signature that verifies against the stored key.
 */
function assertSignedBlob(
  blob: string,
  expected: XrpPayment & { SigningPubKey: string },
  digest: Uint8Array,
  wallet: WalletKey,
): void {
  const fail = (why: string): never => {
    throw new SignatureVerificationError(wallet.keyId, `the signed XRP transaction ${why}`);
  };
  let decoded: Record<string, unknown>;
  try {
    decoded = decode(blob);
  } catch (error) {
    return fail(`does not decode (${(error as Error).message})`);
  }
  if (encode(decoded) !== blob) fail('does not re-encode to the same bytes');
  const { TxnSignature, ...rest } = decoded;
  for (const [key, value] of Object.entries(expected)) {
    if (rest[key] !== value) fail(`has ${key} ${JSON.stringify(rest[key])}, not ${JSON.stringify(value)}`);
  }
  if (Object.keys(rest).length !== Object.keys(expected).length)
    fail('carries fields that were not prepared');
  if (!Buffer.from(sha512Half(encodeForSigning(rest))).equals(Buffer.from(digest))) {
    fail('does not encode the signed digest');
  }
  if (typeof TxnSignature !== 'string') return fail('has no TxnSignature');
  let r: bigint;
  let s: bigint;
  try {
    ({ r, s } = parseEcdsaSignatureDer(Buffer.from(TxnSignature, 'hex')));
  } catch (error) {
    return fail(`TxnSignature is not canonical DER (${(error as Error).message})`);
  }
  if (isHighS(s)) fail('TxnSignature has a high S (not fully canonical)');
  if (!verifyDigestSignature(digest, r, s, parsePublicKey(wallet.publicKey))) {
    fail("TxnSignature does not verify against the wallet's stored public key");
  }
}
