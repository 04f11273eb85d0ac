// One entry point for every chain: picks the family from the chain registry. `prepareTransaction` is the
// one decode of an unsigned transaction (every check, every digest, what it moves; SigningRefusedError =
// nothing signed); `signTransaction` prepares and then signs exactly that prepared transaction.
import { getChain, isChainId, listChains, loadAddressCode, retiredChainReason } from '../chains/index.js';
import type { BitcoinPrepareRequest, BitcoinSignOptions } from './bitcoin/index.js';
import type { EvmSignOptions } from './evm/index.js';
import type { PreparedTransaction } from './prepared.js';
// Every family's signer (ethers, bitcoinjs-lib, tronweb, ripple-binary-codec, the Solana transaction
// codecs, Cardano's WASM library, MultiversX's and Flow's SDKs) is imported on first use: in the Lambda
// bundles each is a separate chunk, so a signer that never sees such a chain never parses it
// (infra/bundling.ts). Their values are not re-exported here for the same reason; import them from the
// family's module.
import type { TronSignOptions } from './tron/index.js';
import type { SolanaRecentBlockhash } from './solana/index.js';
import type { XrpSignOptions } from './xrp/index.js';
import type { CardanoSignOptions } from './cardano/index.js';
import type { MultiversXSignOptions } from './multiversx/index.js';
import type { FlowAccountKey, FlowSignOptions } from './flow/index.js';
import type { VetSignOptions } from './vet/index.js';
import { onceUnlessFailed } from '../util/memo-retry.js';
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
   * XRP: rippled Payment JSON. SOL: {"txData": "<hex message>"}. XLM: base64 envelope XDR.
   * ALGO: JSON of an algosdk 1.x Transaction. FLOW: FCL voucher JSON.
   * VET: Tatum's web3-style JSON with blockRef and gas.
   */
  unsigned: string | object;
  /** Bitcoin family only; detected when omitted. */
  format?: BitcoinPrepareRequest['format'];
  /** Options of the chain's family; options of other families are ignored. */
  options?: BitcoinSignOptions &
    EvmSignOptions &
    TronSignOptions &
    XrpSignOptions &
    CardanoSignOptions &
    MultiversXSignOptions &
    FlowSignOptions &
    VetSignOptions;
  /** SOL only: the fresh blockhash that replaces the payload's placeholder. */
  recentBlockhash?: SolanaRecentBlockhash;
  /** FLOW only: the chain account (address, key index, hash algorithm) that holds the wallet's key. */
  flowAccount?: FlowAccountKey;
}

export type SignTransactionRequest = PrepareTransactionRequest & Pick<SignRequestBase, 'signer'>;

// Each family's signer loads on its chain's first transaction and is then reused: a repeated import() still
// goes through the module loader (and its hooks) for every transaction.
const familySigners = {
  bitcoin: onceUnlessFailed(() => import('./bitcoin/index.js')),
  evm: onceUnlessFailed(() => import('./evm/index.js')),
  tron: onceUnlessFailed(() => import('./tron/index.js')),
  xrp: onceUnlessFailed(() => import('./xrp/index.js')),
  solana: onceUnlessFailed(() => import('./solana/index.js')),
  cardano: onceUnlessFailed(() => import('./cardano/index.js')),
  multiversx: onceUnlessFailed(() => import('./multiversx/index.js')),
  flow: onceUnlessFailed(() => import('./flow/index.js')),
  stellar: onceUnlessFailed(() => import('./stellar/index.js')),
  algorand: onceUnlessFailed(() => import('./algorand/index.js')),
  vet: onceUnlessFailed(() => import('./vet/index.js')),
};

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
  await loadAddressCode([chain]); // the family's signer derives and validates addresses synchronously
  switch (getChain(chain).family) {
    case 'bitcoin':
      return (await familySigners.bitcoin()).prepareBitcoinTransaction(request);
    case 'evm':
      return (await familySigners.evm()).prepareEvmTransaction(request);
    case 'tron':
      return (await familySigners.tron()).prepareTronTransaction(request);
    case 'xrp':
      return (await familySigners.xrp()).prepareXrpTransaction(request);
    case 'solana':
      return prepareSolana(request);
    case 'cardano':
      return requiringMessageSigner(
        'ADA',
        await (await familySigners.cardano()).prepareCardanoTransaction(request),
      );
    case 'multiversx':
      return requiringMessageSigner(
        'EGLD',
        await (await familySigners.multiversx()).prepareMultiversXTransaction(request),
      );
    case 'flow':
      return prepareFlow(request);
    case 'stellar':
      return requiringMessageSigner(
        'XLM',
        await (await familySigners.stellar()).prepareStellarTransaction(request),
      );
    case 'algorand':
      return requiringMessageSigner(
        'ALGO',
        await (await familySigners.algorand()).prepareAlgorandTransaction(request),
      );
    case 'vet':
      return (await familySigners.vet()).prepareVetTransaction(request);
  }
}

/** Ed25519 chains: KMS signs the message itself, so `sign` needs a MessageSigner. */
function requiringMessageSigner(
  chain: string,
  prepared: PreparedTransaction<MessageSigner>,
): PreparedTransaction {
  return {
    ...prepared,
    sign(signer) {
      if (!isMessageSigner(signer))
        refuse('INVALID_REQUEST', 'signer', `${chain} needs a signer with signMessage (Ed25519)`);
      return prepared.sign(signer);
    },
  };
}

/** SOL signs with Ed25519 (KMS signs the message itself): the signer must also be a MessageSigner. */
async function prepareSolana(request: PrepareTransactionRequest): Promise<PreparedTransaction> {
  const { recentBlockhash } = request;
  if (!recentBlockhash)
    refuse('INVALID_REQUEST', 'recentBlockhash', 'SOL needs a fresh blockhash from a node');
  const { prepareSolanaTransaction } = await familySigners.solana();
  return requiringMessageSigner('SOL', await prepareSolanaTransaction({ ...request, recentBlockhash }));
}

/** FLOW addresses are chain-assigned: the caller names the account and key index the wallet's key holds. */
async function prepareFlow(request: PrepareTransactionRequest): Promise<PreparedTransaction> {
  const { flowAccount } = request;
  if (!flowAccount)
    refuse(
      'INVALID_REQUEST',
      'flowAccount',
      'FLOW needs the account address and key index of the wallet key',
    );
  const { prepareFlowTransaction } = await familySigners.flow();
  return prepareFlowTransaction({ ...request, flowAccount });
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

export type { BitcoinSignOptions } from './bitcoin/index.js';
export type { EvmSignOptions } from './evm/index.js';
export type { TronSignOptions } from './tron/index.js';
export type { XrpSignOptions } from './xrp/index.js';
export type { SolanaRecentBlockhash, SolanaSignRequest } from './solana/index.js';
export type { FlowAccountKey, FlowSignOptions } from './flow/index.js';
export type { CardanoSignOptions } from './cardano/index.js';
export type { MultiversXSignOptions } from './multiversx/index.js';
export type { VetSignOptions } from './vet/index.js';
export * from './prepared.js';
export * from './types.js';
