// Signs Tatum's TRON payload with one KMS wallet key: prepare (the one decode, every check) then sign it.
// A refusal (SigningRefusedError) means KMS was not called at all.
import type { SignedTransaction, SignRequestBase } from '../types.js';
import { prepareTronTransaction, type TronPrepareRequest } from './prepare.js';

export type TronSignRequest = TronPrepareRequest & Pick<SignRequestBase, 'signer'>;

export async function signTronTransaction(request: TronSignRequest): Promise<SignedTransaction> {
  return (await prepareTronTransaction(request)).sign(request.signer);
}
