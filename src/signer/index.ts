// One entry point for every chain: picks the family from the chain registry. `prepareTransaction` is the
// one decode of an unsigned transaction (every check, every digest, what it moves; SigningRefusedError =
// nothing signed); `signTransaction` prepares and then signs exactly that prepared transaction.
import { getChain, isChainId, listChains, retiredChainReason } from '../chains/index.js';
import {
  prepareBitcoinTransaction,
  type BitcoinPrepareRequest,
  type BitcoinSignOptions,
} from './bitcoin/index.js';
import { prepareEvmTransaction, type EvmSignOptions } from './evm/index.js';
import type { PreparedTransaction } from './prepared.js';
import { prepareTronTransaction, type TronSignOptions } from './tron/index.js';
import { prepareSolanaTransaction, type SolanaRecentBlockhash } from './solana/index.js';
import { prepareXrpTransaction, type XrpSignOptions } from './xrp/index.js';
import { prepareVetTransaction, type VetSignOptions } from './vet/index.js';
import {
  refuse,
  type MessageSigner,
  type PrepareRequestBase,
  type SignedTransaction,
  type SignRequestBase,
} from './types.js';

export interface PrepareTransactionRequest extends PrepareRequestBase {
  /**
   * Bitcoin family: PSBT (base64/hex), Tatum bitcore JSON, or BCH "hex:[amounts]".
   * EVM: Tatum web3-style JSON or a 0x unsigned raw transaction. TRON: TronWeb transaction JSON.
   * XRP: rippled Payment JSON. VET: Tatum's web3-style JSON with blockRef and gas.
   */
  unsigned: string | object;
  /** Bitcoin family only; detected when omitted. */
  format?: BitcoinPrepareRequest['format'];
  /** Options of the chain's family; options of other families are ignored. */
  options?: BitcoinSignOptions & EvmSignOptions & TronSignOptions & XrpSignOptions & VetSignOptions;
  /** SOL only: the fresh blockhash that replaces the payload's placeholder. */
  recentBlockhash?: SolanaRecentBlockhash;
}

export type SignTransactionRequest = PrepareTransactionRequest & Pick<SignRequestBase, 'signer'>;

export async function prepareTransaction(request: PrepareTransactionRequest): Promise<PreparedTransaction> {
  const chain: unknown = request.chain;
  if (typeof chain !== 'string' || !isChainId(chain)) {
    refuse(
      'CHAIN_MISMATCH',
      'chain',
      typeof chain === 'string' && retiredChainReason(chain) !== undefined
        ? `${chain} is not supported: ${retiredChainReason(chain) ?? ''}`
        : `is ${JSON.stringify(chain)}; supported chains are ${listChains()
            .map((c) => c.id)
            .join(', ')}`,
    );
  }
  switch (getChain(chain).family) {
    case 'bitcoin':
      return prepareBitcoinTransaction(request);
    case 'evm':
      return prepareEvmTransaction(request);
    case 'tron':
      return prepareTronTransaction(request);
    case 'xrp':
      return prepareXrpTransaction(request);
    case 'solana':
      return prepareSolana(request);
    case 'vet':
      return prepareVetTransaction(request);
  }
}

/** SOL signs with Ed25519 (KMS signs the message itself): the signer must also be a MessageSigner. */
async function prepareSolana(request: PrepareTransactionRequest): Promise<PreparedTransaction> {
  const { recentBlockhash } = request;
  if (!recentBlockhash)
    refuse('INVALID_REQUEST', 'recentBlockhash', 'SOL needs a fresh blockhash from a node');
  const prepared = await prepareSolanaTransaction({ ...request, recentBlockhash });
  return {
    ...prepared,
    sign(signer) {
      if (!isMessageSigner(signer))
        refuse('INVALID_REQUEST', 'signer', 'SOL needs a signer with signMessage (Ed25519)');
      return prepared.sign(signer);
    },
  };
}

function isMessageSigner(signer: object): signer is MessageSigner {
  return typeof (signer as Partial<MessageSigner>).signMessage === 'function';
}

export async function signTransaction(request: SignTransactionRequest): Promise<SignedTransaction> {
  if (typeof (request.signer as Partial<SignRequestBase['signer']> | undefined)?.signDigest !== 'function') {
    refuse('INVALID_REQUEST', 'signer', 'must have a signDigest(keyId, digest, publicKey) method');
  }
  return (await prepareTransaction(request)).sign(request.signer);
}

export {
  PreviousTransactionsNeededError,
  prepareBitcoinTransaction,
  signBitcoinTransaction,
  type BitcoinSignOptions,
} from './bitcoin/index.js';
export { evmCompletionGaps, prepareEvmTransaction, signEvmTransaction } from './evm/index.js';
export { prepareTronTransaction, signTronTransaction, type TronSignOptions } from './tron/index.js';
export { prepareXrpTransaction, signXrpTransaction, type XrpSignOptions } from './xrp/index.js';
export { prepareVetTransaction, signVetTransaction, type VetSignOptions } from './vet/index.js';
export {
  prepareSolanaTransaction,
  signSolanaTransaction,
  type SolanaRecentBlockhash,
  type SolanaSignRequest,
} from './solana/index.js';
export * from './prepared.js';
export * from './types.js';
