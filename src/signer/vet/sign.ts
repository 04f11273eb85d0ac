// VeChain (VET) signing: Tatum payload → validated legacy Thor body (payload.ts) → signing hash
// blake2b-256(RLP(unsigned body)) computed by @vechain/sdk-core (VeChain's own serialiser) → one KMS Sign
// call → 65-byte signature r ‖ s ‖ recovery id with low S → signed RLP, decoded back by the SDK, which must
// recover the wallet's address as the origin before release. Low S: vechain/thor tx/transaction.go
// EnforceSignatureLowS ("S … <= secp256k1 N/2 … protection against signature malleability") — nodes
// refuse high-S transactions, and KmsSignature.s is always low.
import { Transaction } from '@vechain/sdk-core';

import { deriveAddress, getFamilyChain, InvalidPublicKeyError, parsePublicKey } from '../../chains/index.js';
import { isHighS } from '../../crypto/secp256k1.js';
import { SignatureVerificationError } from '../../kms/errors.js';
import { parseWholeCap, singleWallet } from '../account-request.js';
import type { PreparedTransaction } from '../prepared.js';
import { refuse, type SignedTransaction, type SignRequestBase, type WalletKey } from '../types.js';
import { parseVetPayload, vetTransfers, type VetBody } from './payload.js';

/**
 * VTHO (wei) per gas of a legacy transaction at gasPriceCoef 0. Measured on thor solo v2.4.0: a 21,000-gas
 * transfer paid 0.21 VTHO (receipt `paid` 0x2ea11e32ad50000); VeChain's docs quote the same 0.21 VTHO for a
 * VET transfer on mainnet. The fee is gas × base × (1 + coef/255) (vechain/thor tx: "gas price = bgp + bgp
 * * gpc / 255").
 */
export const LEGACY_BASE_GAS_PRICE = 10n ** 13n;
/** 10 VTHO: 47 times a plain transfer, room for a token transfer at the highest gasPriceCoef. */
export const DEFAULT_MAX_FEE_WEI = 10n ** 19n;

export interface VetSignOptions {
  /** Cap on gas × base gas price × (1 + gasPriceCoef/255), in VTHO wei; default 10 VTHO. */
  maxFeeWei?: bigint | number | string;
}

export interface VetSignRequest extends SignRequestBase {
  /** Tatum's web3-style VET JSON (object or JSON text), completed with blockRef and gas. */
  unsigned: string | object;
  options?: VetSignOptions;
}

/** Parses, validates and computes the signing hash of a VET transaction; throws SigningRefusedError only. */
export function prepareVetTransaction(request: Omit<VetSignRequest, 'signer'>): Promise<PreparedTransaction> {
  if (request.chain !== 'VET')
    refuse('CHAIN_MISMATCH', 'chain', `is ${request.chain}; this signer signs VET only`);
  let chainTag: number;
  try {
    chainTag = getFamilyChain('vet', 'VET', request.network).params.chainTag;
  } catch {
    return refuse('CHAIN_MISMATCH', 'network', `VeChainThor has no network ${request.network}`);
  }
  const wallet = singleWallet(request.wallets, 'VET transactions have one origin');
  const address = walletAddress(request, wallet);
  const { body, sender } = parseVetPayload(request.unsigned, request.network, chainTag);
  if (sender.kind === 'address' && sender.address !== address) {
    refuse('SENDER_NOT_OURS', 'from', `${sender.address} is not the signing wallet's address ${address}`);
  }
  const unsigned = thorTransaction(body);
  const intrinsic = Transaction.intrinsicGas(body.clauses).wei;
  if (BigInt(body.gas) < intrinsic) {
    refuse(
      'MALFORMED_TRANSACTION',
      'gas',
      `${body.gas} is below the intrinsic gas ${intrinsic} of this clause`,
    );
  }
  const fee = vetFee(body);
  const maxFee = parseWholeCap(
    request.options?.maxFeeWei,
    'options.maxFeeWei',
    DEFAULT_MAX_FEE_WEI,
    'VTHO wei',
    30,
  );
  if (fee > maxFee) {
    refuse(
      'FEE_TOO_HIGH',
      'gas',
      `gas ${body.gas} at gasPriceCoef ${body.gasPriceCoef} costs up to ${fee} VTHO wei, above ${request.options?.maxFeeWei === undefined ? 'the default cap' : 'options.maxFeeWei'} of ${maxFee}`,
    );
  }
  const digest = unsigned.getTransactionHash().bytes;
  const digests = [{ keyId: wallet.keyId, digest: Buffer.from(digest).toString('hex'), inputIndex: 0 }];
  return Promise.resolve({
    chain: 'VET',
    network: request.network,
    ...vetTransfers(body),
    fee,
    nonce: BigInt(body.nonce),
    digests,
    async sign(signer) {
      const signature = await signer.signDigest(wallet.keyId, digest, wallet.publicKey);
      const raw = Buffer.concat([signature.compact, Buffer.from([signature.recoveryId])]);
      const signed = Transaction.of(body, raw);
      const txId = assertSignedTransaction(signed.encoded, digest, address, wallet);
      return {
        chain: 'VET',
        network: request.network,
        signed: `0x${Buffer.from(signed.encoded).toString('hex')}`,
        txId,
        digests,
      } satisfies SignedTransaction;
    },
  });
}

/** `signVetTransaction(request)` = prepare, then sign with request.signer. */
export async function signVetTransaction(request: VetSignRequest): Promise<SignedTransaction> {
  const prepared = await prepareVetTransaction(request);
  return prepared.sign(request.signer);
}

/** Worst-case fee in VTHO wei at the legacy base gas price. */
export function vetFee(body: VetBody): bigint {
  return (BigInt(body.gas) * LEGACY_BASE_GAS_PRICE * (255n + BigInt(body.gasPriceCoef))) / 255n;
}

function thorTransaction(body: VetBody): Transaction {
  try {
    return Transaction.of(body);
  } catch (error) {
    return refuse(
      'MALFORMED_TRANSACTION',
      'unsigned',
      `is not a valid Thor body (${(error as Error).message})`,
    );
  }
}

function walletAddress(request: Omit<VetSignRequest, 'signer'>, wallet: WalletKey): string {
  try {
    return deriveAddress('VET', request.network, parsePublicKey(wallet.publicKey).compressed).toLowerCase();
  } catch (error) {
    if (error instanceof InvalidPublicKeyError)
      refuse('MISSING_INPUT_DATA', 'wallets[0].publicKey', error.reason);
    throw error;
  }
}

/**
 * Decodes the bytes that go to the network with @vechain/sdk-core and checks them: the same signing hash
 * (so the same body), a low-S signature, and the SDK's recovered origin equal to the wallet's address.
 * Returns the transaction id (blake2b-256 of signing hash ‖ origin).
 */
function assertSignedTransaction(
  encoded: Uint8Array,
  digest: Uint8Array,
  address: string,
  wallet: WalletKey,
): string {
  const fail = (why: string): never => {
    throw new SignatureVerificationError(wallet.keyId, `the signed VET transaction ${why}`);
  };
  let decoded: Transaction;
  try {
    decoded = Transaction.decode(encoded, true);
  } catch (error) {
    return fail(`does not decode (${(error as Error).message})`);
  }
  if (!Buffer.from(decoded.getTransactionHash().bytes).equals(Buffer.from(digest)))
    fail('does not decode to the body that was signed');
  const signature = decoded.signature;
  if (signature?.length !== 65) return fail('has no 65-byte signature');
  if (isHighS(BigInt(`0x${Buffer.from(signature.subarray(32, 64)).toString('hex')}`)))
    fail('has a high S (VeChain nodes refuse it)');
  let origin: string;
  try {
    origin = decoded.origin.toString().toLowerCase();
  } catch (error) {
    return fail(`has no recoverable origin (${(error as Error).message})`);
  }
  if (origin !== address) fail(`recovers origin ${origin}, not the wallet's address ${address}`);
  return decoded.id.toString();
}
