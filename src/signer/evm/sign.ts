// signEvmTransaction: prepare (the one decode, every check) then sign that prepared transaction.
import type { SignedTransaction, SignRequestBase } from '../types.js';
import { prepareEvmTransaction, type EvmPrepareRequest } from './prepare.js';

export type EvmSignRequest = EvmPrepareRequest & Pick<SignRequestBase, 'signer'>;

/**
 * Signs one EVM transaction with the request's single wallet key. Every refusal is a
 * SigningRefusedError raised before the KMS Sign call; a signature that does not recover to the
 * wallet address after serialization is a SignatureVerificationError and is never returned.
 */
export async function signEvmTransaction(req: EvmSignRequest): Promise<SignedTransaction> {
  return await prepareEvmTransaction(req).sign(req.signer);
}
