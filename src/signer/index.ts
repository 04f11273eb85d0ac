// One entry point for every chain: picks the family's signer from the chain registry. Each signer
// recomputes its digests from the unsigned transaction, validates everything before the first KMS
// Sign call (SigningRefusedError = nothing signed), and checks the assembled result before returning.
import { getChain, isChainId, listChains } from '../chains/index.js';
import { signBitcoinTransaction, type BitcoinSignOptions, type BitcoinSignRequest } from './bitcoin/index.js';
import { signEvmTransaction, type EvmSignOptions } from './evm/index.js';
import { signSolanaTransaction, type SolanaRecentBlockhash } from './solana/index.js';
import { signTronTransaction, type TronSignOptions } from './tron/index.js';
import { refuse, type MessageSigner, type SignedTransaction, type SignRequestBase } from './types.js';

export interface SignTransactionRequest extends SignRequestBase {
  /**
   * Bitcoin family: PSBT (base64/hex), Tatum bitcore JSON, or BCH "hex:[amounts]".
   * EVM: Tatum web3-style JSON or a 0x unsigned raw transaction. TRON: TronWeb transaction JSON.
   */
  unsigned: string | object;
  /** Bitcoin family only; detected when omitted. */
  format?: BitcoinSignRequest['format'];
  /** Options of the chain's family; options of other families are ignored. */
  options?: BitcoinSignOptions & EvmSignOptions & TronSignOptions;
  /** SOL only: the fresh blockhash that replaces the payload's placeholder. */
  recentBlockhash?: SolanaRecentBlockhash;
}

function isMessageSigner(signer: object): signer is MessageSigner {
  return typeof (signer as Partial<MessageSigner>).signMessage === 'function';
}

export async function signTransaction(request: SignTransactionRequest): Promise<SignedTransaction> {
  const chain: unknown = request.chain;
  if (typeof chain !== 'string' || !isChainId(chain)) {
    refuse(
      'CHAIN_MISMATCH',
      'chain',
      `is ${JSON.stringify(chain)}; supported chains are ${listChains()
        .map((c) => c.id)
        .join(', ')}`,
    );
  }
  switch (getChain(chain).family) {
    case 'bitcoin':
      return signBitcoinTransaction(request);
    case 'evm':
      return signEvmTransaction(request);
    case 'tron':
      return signTronTransaction(request);
    case 'solana': {
      const { signer, recentBlockhash } = request;
      if (!isMessageSigner(signer))
        refuse('INVALID_REQUEST', 'signer', 'SOL needs a signer with signMessage (Ed25519)');
      if (!recentBlockhash)
        refuse('INVALID_REQUEST', 'recentBlockhash', 'SOL needs a fresh blockhash from a node');
      return signSolanaTransaction({ ...request, signer, recentBlockhash });
    }
  }
}

export { signBitcoinTransaction, type BitcoinSignOptions } from './bitcoin/index.js';
export { signEvmTransaction } from './evm/index.js';
export { signTronTransaction, type TronSignOptions } from './tron/index.js';
export {
  prepareSolanaTransaction,
  signSolanaTransaction,
  type SolanaRecentBlockhash,
  type SolanaSignRequest,
} from './solana/index.js';
export * from './types.js';
