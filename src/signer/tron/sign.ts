// Signs Tatum's TRON payload (a TronWeb transaction JSON) with one KMS wallet key. Every check runs before
// the single KMS Sign call; a refusal (SigningRefusedError) means KMS was not called at all.
import type { SignedTransaction, SignRequestBase } from '../types.js';
import { loadTronCodec } from './codec.js';
import { verifyTronEncoding } from './encoding.js';
import { parseTronTransaction } from './parse.js';
import { assertOwnedBy, assertSignableNow, resolveTronWallet, type TronSignOptions } from './policy.js';
import { assertTronSignatureFrom, encodeTronSignature } from './signature.js';

export interface TronSignRequest extends SignRequestBase {
  /** The TronWeb transaction `{visible, txID, raw_data, raw_data_hex}`, as an object or its JSON. */
  unsigned: string | object;
  options?: TronSignOptions;
}

/**
 * Checks, in order: chain/network and exactly one wallet; the payload's shape (supported contract type,
 * no field the encoder would ignore); no signature yet; owner_address is the wallet; not expired and
 * fee_limit under the cap; txID == sha256(raw_data_hex); raw_data re-encodes to raw_data_hex. Then signs
 * the recomputed txID and appends r ‖ s ‖ (27 + recid) to `signature`.
 *
 * `signed` is the payload as received plus `signature: [<130 hex>]`, as a JSON string, ready for
 * Tatum's `/v3/tron/broadcast` `txData`.
 */
export async function signTronTransaction(request: TronSignRequest): Promise<SignedTransaction> {
  const { wallet, network, address } = resolveTronWallet(request);
  const { transaction, source } = parseTronTransaction(request.unsigned);
  assertOwnedBy(transaction, address);
  assertSignableNow(transaction, request.options);
  const { digest, txId } = verifyTronEncoding(transaction, await loadTronCodec());

  const signature = encodeTronSignature(
    await request.signer.signDigest(wallet.keyId, digest, wallet.publicKey),
  );
  assertTronSignatureFrom(signature, digest, { keyId: wallet.keyId, network, address });

  return {
    chain: 'TRON',
    network,
    signed: JSON.stringify({ ...source, signature: [signature] }),
    txId,
    digests: [{ keyId: wallet.keyId, digest: txId, inputIndex: 0 }],
  };
}
