// The trusted, read-only view of each chain the loop signs for: one JSON-RPC client per chain, created on
// first use from the endpoint configuration (endpoint.ts). `undefined` means no view is configured. Each
// family's view class loads on its first call (on-first-call.ts): a runner loads only its chains' views.
import { getChain, getFamilyChain, type ChainId, type NetworkName } from '../chains/index.js';
import type { BitcoinChainView } from './bitcoin.js';
import {
  configuredUrl,
  fromUrl,
  resolveEndpoint,
  type EndpointSource,
  type RpcEndpoint,
} from './endpoint.js';
import type { EvmChainView } from './evm.js';
import type { FlowChainView } from './flow.js';
import type { JsonRpcClient, JsonRpcOptions } from './json-rpc.js';
import type { MultiversXChainView } from './multiversx.js';
import { onFirstCall } from './on-first-call.js';
import type { SolanaChainView } from './solana.js';
import type { TransactionStatusView } from './transaction-status.js';
import type { VetChainView } from './vet.js';

export { ChainUnavailableError, EvmRevertError, JsonRpcError, NodeNotFoundError } from './errors.js';
export type { EvmCall, EvmChainView } from './evm.js';
export type { BitcoinChainView } from './bitcoin.js';
export type { TransactionStatus, TransactionStatusView } from './transaction-status.js';
export type { VetChainView, VetClause } from './vet.js';
export type { SolanaBlockhash, SolanaChainView, SolanaSignatureStatus } from './solana.js';
export type { MultiversXChainView } from './multiversx.js';
export type { FlowAccountKeyView, FlowChainView, FlowTransactionResultView } from './flow.js';
export {
  fromUrl,
  NODE_MAP_VARIABLE,
  parseNodeMap,
  type EndpointSource,
  type RpcEndpoint,
} from './endpoint.js';

// Every public method of each view (onFirstCall passes these on; a view's new method must be added here).
const EVM_METHODS = {
  checkChainId: true,
  estimateGas: true,
  gasPrice: true,
  transactionStatus: true,
  sendRawTransaction: true,
  transactionCount: true,
} as const;
const BITCOIN_METHODS = {
  previousTransaction: true,
  previousTransactions: true,
  transactionStatus: true,
  sendRawTransaction: true,
} as const;
const SOLANA_METHODS = {
  checkGenesis: true,
  recentBlockhash: true,
  signatureStatus: true,
  blockHeight: true,
  transactionStatus: true,
  sendRawTransaction: true,
} as const;
const VET_METHODS = {
  checkGenesis: true,
  bestBlockRef: true,
  executionGas: true,
  transactionStatus: true,
  sendRawTransaction: true,
} as const;
const FLOW_METHODS = {
  sealedBlockId: true,
  account: true,
  sequenceNumber: true,
  send: true,
  result: true,
  executedSuccessfully: true,
  final: true,
} as const;
const MULTIVERSX_METHODS = { checkChainId: true, accountNonce: true } as const;

export interface ChainViewsOptions extends EndpointSource, Omit<JsonRpcOptions, 'label'> {
  network: NetworkName;
  /** How long an eth_gasPrice answer is shared (default DEFAULT_GAS_PRICE_TTL_MS; 0 = ask every time). */
  gasPriceTtlMs?: number;
}

export class ChainViews {
  private readonly evmViews = new Map<ChainId, EvmChainView | undefined>();
  private readonly bitcoinViews = new Map<ChainId, BitcoinChainView | undefined>();
  private vetView: VetChainView | undefined;
  private solanaView: SolanaChainView | undefined;
  private multiversXView: MultiversXChainView | undefined;
  private flowView: FlowChainView | undefined;

  constructor(private readonly options: ChainViewsOptions) {}

  evm(chain: ChainId): EvmChainView | undefined {
    if (!this.evmViews.has(chain)) {
      const { params } = getFamilyChain('evm', chain, this.options.network);
      const rpc = this.client(chain);
      const label = `${params.label} node`;
      const ttl = this.options.gasPriceTtlMs;
      const load = async (client: () => Promise<JsonRpcClient>) => {
        const [{ EvmChainView }, resolved] = await Promise.all([import('./evm.js'), client()]);
        return new EvmChainView(resolved, BigInt(params.chainId), label, ttl);
      };
      this.evmViews.set(chain, rpc && onFirstCall(() => load(rpc), EVM_METHODS));
    }
    return this.evmViews.get(chain);
  }

  bitcoin(chain: ChainId): BitcoinChainView | undefined {
    if (getChain(chain).family !== 'bitcoin') return undefined;
    if (!this.bitcoinViews.has(chain)) {
      const rpc = this.client(chain);
      const label = `${chain} ${this.options.network} node`;
      const load = async (client: () => Promise<JsonRpcClient>) => {
        const [{ BitcoinChainView }, resolved] = await Promise.all([import('./bitcoin.js'), client()]);
        return new BitcoinChainView(resolved, label);
      };
      this.bitcoinViews.set(chain, rpc && onFirstCall(() => load(rpc), BITCOIN_METHODS));
    }
    return this.bitcoinViews.get(chain);
  }

  /** Where the loop looks a transaction id up: the chain's node, for the families that have a view. */
  transactions(chain: ChainId): TransactionStatusView | undefined {
    const family = getChain(chain).family;
    if (family === 'evm') return this.evm(chain);
    if (family === 'bitcoin') return this.bitcoin(chain);
    if (family === 'vet') return this.vet();
    if (family === 'solana') return this.solana();
    return undefined;
  }

  /**
   * VeChainThor's REST API: only a node configured with KMS_SIGNER_RPC_VET[_<NETWORK>] (Tatum's JSON-RPC
   * gateway does not serve Thor's REST paths as far as we know); undefined otherwise.
   */
  vet(): VetChainView | undefined {
    const url = configuredUrl('VET', this.options.network, this.options.env);
    if (url === undefined) return undefined;
    const { params } = getFamilyChain('vet', 'VET', this.options.network);
    this.vetView ??= onFirstCall(async () => {
      const { VetChainView } = await import('./vet.js');
      const endpoint = () => Promise.resolve(fromUrl(url));
      return new VetChainView(endpoint, params.genesisId, `${params.label} node`, this.options.timeoutMs);
    }, VET_METHODS);
    return this.vetView;
  }

  /**
   * A Flow Access node's REST API: only one configured with KMS_SIGNER_RPC_FLOW[_<NETWORK>] (tatum-js sends
   * through Flow's own access nodes, access-mainnet-beta / access-testnet.onflow.org); undefined otherwise.
   */
  flow(): FlowChainView | undefined {
    const url = configuredUrl('FLOW', this.options.network, this.options.env);
    if (url === undefined) return undefined;
    const { params } = getFamilyChain('flow', 'FLOW', this.options.network);
    this.flowView ??= onFirstCall(async () => {
      const { FlowChainView } = await import('./flow.js');
      const endpoint = () => Promise.resolve(fromUrl(url));
      return new FlowChainView(endpoint, `${params.label} access node`, this.options.timeoutMs);
    }, FLOW_METHODS);
    return this.flowView;
  }

  /** Solana JSON-RPC: only a node configured with KMS_SIGNER_RPC_SOL[_<NETWORK>]; undefined otherwise. */
  solana(): SolanaChainView | undefined {
    const { network, env } = this.options;
    const url = configuredUrl('SOL', network, env);
    if (url === undefined) return undefined;
    if (this.solanaView === undefined) {
      const { params } = getFamilyChain('solana', 'SOL', network);
      const label = `${params.label} node`;
      this.solanaView = onFirstCall(async () => {
        const [{ JsonRpcClient }, { SolanaChainView }] = await Promise.all([
          import('./json-rpc.js'),
          import('./solana.js'),
        ]);
        const rpc = new JsonRpcClient(() => Promise.resolve(fromUrl(url)), { ...this.options, label });
        return new SolanaChainView(rpc, params.genesisHash, label);
      }, SOLANA_METHODS);
    }
    return this.solanaView;
  }

  /**
   * A MultiversX gateway: KMS_SIGNER_RPC_EGLD[_<NETWORK>], else Tatum's `/v3/egld/node/{apiKey}` for the
   * API key in use (tatum-js v1 egld.ts `ELROND_V3_ENDPOINT`); undefined when neither is there.
   */
  multiversx(): MultiversXChainView | undefined {
    const { network, env, tatum } = this.options;
    const url = configuredUrl('EGLD', network, env);
    let endpoint: () => Promise<RpcEndpoint>;
    if (url !== undefined) endpoint = () => Promise.resolve(fromUrl(url));
    else if (tatum !== undefined) endpoint = () => tatumEgldGateway(tatum);
    else return undefined;
    const { params } = getFamilyChain('multiversx', 'EGLD', network);
    this.multiversXView ??= onFirstCall(async () => {
      const { MultiversXChainView } = await import('./multiversx.js');
      return new MultiversXChainView(
        endpoint,
        params.chainId,
        `${params.label} gateway`,
        this.options.timeoutMs,
      );
    }, MULTIVERSX_METHODS);
    return this.multiversXView;
  }

  /** Builds `chain`'s JSON-RPC client (with the view, on its first call); undefined when it has no endpoint. */
  private client(chain: ChainId): (() => Promise<JsonRpcClient>) | undefined {
    const { network } = this.options;
    if (configuredUrl(chain, network, this.options.env) === undefined && this.options.tatum === undefined) {
      return undefined;
    }
    let endpoint: ReturnType<typeof resolveEndpoint> | undefined;
    return async () => {
      const { JsonRpcClient } = await import('./json-rpc.js');
      return new JsonRpcClient(
        async () => {
          endpoint ??= resolveEndpoint(chain, network, this.options);
          const resolved = await endpoint;
          if (resolved === undefined) throw new Error(`no RPC endpoint for ${chain} ${network}`);
          return resolved;
        },
        { ...this.options, label: `${chain} ${network} node` },
      );
    };
  }
}

/** Tatum's MultiversX gateway for the API key in use: `{api}/v3/egld/node/{apiKey}`. */
async function tatumEgldGateway(tatum: NonNullable<EndpointSource['tatum']>): Promise<RpcEndpoint> {
  const key = typeof tatum.apiKey === 'string' ? tatum.apiKey : await tatum.apiKey();
  const base = tatum.baseUrl.replace(/\/+$/, '');
  return {
    url: `${base}/v3/egld/node/${encodeURIComponent(key)}`,
    headers: {},
    secrets: [key, encodeURIComponent(key)],
  };
}
