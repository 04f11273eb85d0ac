// The trusted, read-only view of each chain the loop signs for: one JSON-RPC client per chain, created on
// first use from the endpoint configuration (endpoint.ts). `undefined` means no view is configured.
import { getChain, getFamilyChain, type ChainId, type NetworkName } from '../chains/index.js';
import { BitcoinChainView } from './bitcoin.js';
import {
  configuredUrl,
  fromUrl,
  resolveEndpoint,
  type EndpointSource,
  type RpcEndpoint,
} from './endpoint.js';
import { EvmChainView } from './evm.js';
import { FlowChainView } from './flow.js';
import { JsonRpcClient, type JsonRpcOptions } from './json-rpc.js';
import { MultiversXChainView } from './multiversx.js';
import { SolanaChainView } from './solana.js';
import type { TransactionStatusView } from './transaction-status.js';
import { VetChainView } from './vet.js';

export { ChainUnavailableError, JsonRpcError, NodeNotFoundError } from './errors.js';
export { EvmRevertError, type EvmCall, type EvmChainView } from './evm.js';
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
      this.evmViews.set(chain, rpc && new EvmChainView(rpc, BigInt(params.chainId), label, ttl));
    }
    return this.evmViews.get(chain);
  }

  bitcoin(chain: ChainId): BitcoinChainView | undefined {
    if (getChain(chain).family !== 'bitcoin') return undefined;
    if (!this.bitcoinViews.has(chain)) {
      const rpc = this.client(chain);
      this.bitcoinViews.set(chain, rpc && new BitcoinChainView(rpc, `${chain} ${this.options.network} node`));
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
    this.vetView ??= new VetChainView(
      () => Promise.resolve(fromUrl(url)),
      params.genesisId,
      `${params.label} node`,
      this.options.timeoutMs,
    );
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
    this.flowView ??= new FlowChainView(
      () => Promise.resolve(fromUrl(url)),
      `${params.label} access node`,
      this.options.timeoutMs,
    );
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
      const rpc = new JsonRpcClient(() => Promise.resolve(fromUrl(url)), { ...this.options, label });
      this.solanaView = new SolanaChainView(rpc, params.genesisHash, label);
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
    this.multiversXView ??= new MultiversXChainView(
      endpoint,
      params.chainId,
      `${params.label} gateway`,
      this.options.timeoutMs,
    );
    return this.multiversXView;
  }

  private client(chain: ChainId): JsonRpcClient | undefined {
    const { network } = this.options;
    if (configuredUrl(chain, network, this.options.env) === undefined && this.options.tatum === undefined) {
      return undefined;
    }
    let endpoint: ReturnType<typeof resolveEndpoint> | undefined;
    return new JsonRpcClient(
      async () => {
        endpoint ??= resolveEndpoint(chain, network, this.options);
        const resolved = await endpoint;
        if (resolved === undefined) throw new Error(`no RPC endpoint for ${chain} ${network}`);
        return resolved;
      },
      { ...this.options, label: `${chain} ${network} node` },
    );
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
