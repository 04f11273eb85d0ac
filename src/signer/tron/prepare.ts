// prepareTronTransaction: the one decode of Tatum's TRON payload (a TronWeb transaction JSON). Checks, in
// order: chain/network and exactly one wallet; the payload's shape (supported contract type, no field the
// encoder would ignore); no signature yet; owner_address is the wallet; not expired and fee_limit under the
// cap; txID == sha256(raw_data_hex); raw_data re-encodes to raw_data_hex. Its `sign` signs the recomputed
// txID and appends r ‖ s ‖ (27 + recid) to `signature`.
import type { PreparedTransaction } from '../prepared.js';
import type { PrepareRequestBase } from '../types.js';
import { loadTronCodec } from './codec.js';
import { verifyTronEncoding } from './encoding.js';
import { parseTronTransaction } from './parse.js';
import { assertOwnedBy, assertSignableNow, resolveTronWallet, type TronSignOptions } from './policy.js';
import { assertTronSignatureFrom, encodeTronSignature } from './signature.js';
import { tronTransfers } from './transfers.js';

export interface TronPrepareRequest extends PrepareRequestBase {
  /** The TronWeb transaction `{visible, txID, raw_data, raw_data_hex}`, as an object or its JSON. */
  unsigned: string | object;
  options?: TronSignOptions;
}

/**
 * `signed` (after `sign`) is the payload as received plus `signature: [<130 hex>]`, as a JSON string,
 * ready for Tatum's `/v3/tron/broadcast` `txData`.
 */
export async function prepareTronTransaction(request: TronPrepareRequest): Promise<PreparedTransaction> {
  const { wallet, network, address } = resolveTronWallet(request);
  const { transaction, source } = parseTronTransaction(request.unsigned);
  assertOwnedBy(transaction, address);
  assertSignableNow(transaction, request.options);
  const { digest, txId } = verifyTronEncoding(transaction, await loadTronCodec());
  const digests = [{ keyId: wallet.keyId, digest: txId, inputIndex: 0 }];
  const feeLimit = transaction.raw_data.fee_limit;

  return {
    chain: 'TRON',
    network,
    ...tronTransfers(transaction),
    fee: feeLimit === undefined ? null : BigInt(feeLimit),
    nonce: null,
    digests,
    async sign(signer) {
      const signature = encodeTronSignature(await signer.signDigest(wallet.keyId, digest, wallet.publicKey));
      assertTronSignatureFrom(signature, digest, { keyId: wallet.keyId, network, address });
      return {
        chain: 'TRON',
        network,
        signed: JSON.stringify({ ...source, signature: [signature] }),
        txId,
        digests,
      };
    },
  };
}
