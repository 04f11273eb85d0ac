// signBitcoinTransaction: prepare (the one decode, every check, every digest) then sign it.
import type { SignedTransaction, SignRequestBase } from '../types.js';
import { refuse } from '../types.js';
import { prepareBitcoinTransaction, type BitcoinPrepareRequest } from './prepare.js';

export type BitcoinSignRequest = BitcoinPrepareRequest & Pick<SignRequestBase, 'signer'>;

/** Signs a BTC, LTC, DOGE or BCH transaction with the wallets' KMS keys (see prepareBitcoinTransaction). */
export async function signBitcoinTransaction(req: BitcoinSignRequest): Promise<SignedTransaction> {
  if (typeof (req.signer as Partial<BitcoinSignRequest['signer']> | undefined)?.signDigest !== 'function') {
    refuse('INVALID_REQUEST', 'signer', 'must have a signDigest(keyId, digest, publicKey) method');
  }
  return await prepareBitcoinTransaction(req).sign(req.signer);
}
