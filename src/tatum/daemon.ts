// The long-running signing daemon (tatum-kms `daemon`): a pass every `period`, never two at once, until
// `signal` aborts — then the pass in flight finishes its started jobs and the daemon returns.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createCoreContext, type CoreContext, type CoreContextOptions } from '../core-context.js';
import { isChainId, type ChainId, type NetworkName } from '../chains/index.js';
import { SecretCache, type AppConfig } from '../config/index.js';
import { ChainViews } from '../chain-view/index.js';
import { NODE_MAP_VARIABLE, parseNodeMap } from '../chain-view/endpoint.js';
import { collectionsOf } from '../wallets/context.js';
import { KeyOwnership } from '../wallets/key-ownership.js';
import { walletReads } from '../wallets/loop-reads.js';
import { apiKeyFromSecret, createTatumClient } from './client.js';
import { DEFAULT_CHAINS, type SigningPolicy, type TatumConfig } from './config.js';
import type { FourEyeMethod } from './four-eye.js';
import { SigningLoop, type LoopHooks, type PassResult, type SigningLoopOptions } from './loop.js';
import { ownedWallets } from './owned-wallets.js';
import type { TatumKmsApi } from './types.js';

export interface DaemonDeps {
  db: SigningLoopOptions['db'];
  api: TatumKmsApi;
  wallets: SigningLoopOptions['wallets'];
  signer: SigningLoopOptions['signer'];
  /** The trusted chain view of a network (EVM completion, P2PKH amounts); none: nothing is completed. */
  chainViewsFor?: (network: NetworkName) => ChainViews;
}

export interface DaemonOptions {
  deps: DaemonDeps;
  /** Seconds between passes (default 5). */
  period?: number;
  chains?: readonly ChainId[];
  externalUrl?: string;
  externalUrlMethod?: FourEyeMethod;
  /** See SigningLoopOptions.fourEyeSecret. */
  fourEyeSecret?: string;
  runOnce?: boolean;
  wallets?: readonly string[];
  transactionIds?: readonly string[];
  testnet?: boolean;
  /** Overrides the network implied by `testnet` (e.g. regtest). */
  network?: NetworkName;
  concurrency?: number;
  /** See SigningLoopOptions.writeBatchesInFlight. */
  writeBatchesInFlight?: number;
  /** See SigningLoopOptions.walletRefreshMs. */
  walletRefreshMs?: number;
  policy?: SigningPolicy;
  signal?: AbortSignal;
  leaseMs?: number;
  /** See SigningLoopOptions.reportRetriesAfterMs. */
  reportRetriesAfterMs?: number;
  hooks?: LoopHooks;
  log?: (entry: Record<string, unknown>) => void;
  /** Called after every pass. */
  onPass?: (result: PassResult) => void;
}

export function daemonNetwork(options: Pick<DaemonOptions, 'testnet' | 'network'>): NetworkName {
  return options.network ?? (options.testnet ? 'testnet' : 'mainnet');
}

/** Validates the options and builds the loop (throws before any pass on a bad setup). */
export function createSigningLoop(options: DaemonOptions): SigningLoop {
  if ((options.wallets || options.transactionIds) && !options.runOnce) {
    throw new Error('--wallets and --transactionIds are only valid with --runOnce');
  }
  for (const chain of options.chains ?? []) {
    if (!isChainId(chain)) throw new Error(`unknown chain ${String(chain)}`);
  }
  const { chainViewsFor, ...deps } = options.deps;
  const network = daemonNetwork(options);
  return new SigningLoop({
    ...deps,
    ...(chainViewsFor ? { chainViews: chainViewsFor(network) } : {}),
    chains: options.chains ?? DEFAULT_CHAINS,
    network,
    ...(options.externalUrl ? { externalUrl: options.externalUrl } : {}),
    ...(options.externalUrlMethod ? { externalUrlMethod: options.externalUrlMethod } : {}),
    ...(options.fourEyeSecret ? { fourEyeSecret: options.fourEyeSecret } : {}),
    ...(options.concurrency ? { concurrency: options.concurrency } : {}),
    ...(options.writeBatchesInFlight ? { writeBatchesInFlight: options.writeBatchesInFlight } : {}),
    ...(options.walletRefreshMs !== undefined ? { walletRefreshMs: options.walletRefreshMs } : {}),
    ...(options.policy ? { policy: options.policy } : {}),
    ...(options.wallets ? { walletIds: options.wallets } : {}),
    ...(options.transactionIds ? { transactionIds: options.transactionIds } : {}),
    ...(options.leaseMs ? { leaseMs: options.leaseMs } : {}),
    ...(options.reportRetriesAfterMs ? { reportRetriesAfterMs: options.reportRetriesAfterMs } : {}),
    ...(options.hooks ? { hooks: options.hooks } : {}),
    ...(options.log ? { log: options.log } : {}),
  });
}

/** Runs passes until aborted (or once). Returns the number of passes run. */
export async function runDaemon(options: DaemonOptions): Promise<number> {
  const loop = createSigningLoop(options);
  const periodMs = (options.period ?? 5) * 1000;
  const signal = options.signal;
  let passes = 0;
  while (!signal?.aborted) {
    const started = Date.now();
    // Once aborted, no new job starts; the jobs in flight finish.
    const result = await loop.runPass(() => !signal?.aborted);
    passes++;
    options.onPass?.(result);
    if (options.runOnce) break;
    await sleep(Math.max(0, periodMs - (Date.now() - started)), signal);
  }
  return passes;
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) {
      resolve();
      return;
    }
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/**
 * The production wiring: MongoDB and the KMS vault (core context), the loop's wallet reads and the Tatum
 * HTTP client. Not the wallet service: the loop only reads wallets (src/wallets/loop-reads.ts).
 */
export async function createDaemonDeps(
  config: AppConfig,
  tatum: TatumConfig,
  contextOptions: CoreContextOptions = {},
): Promise<{ deps: DaemonDeps; context: CoreContext }> {
  const context = await createCoreContext(config, contextOptions);
  const apiKey =
    tatum.apiKey ??
    apiKeyFromSecret(
      new SecretCache({
        client: new SecretsManagerClient({
          region: config.aws.region,
          ...(config.aws.endpoint ? { endpoint: config.aws.endpoint } : {}),
        }),
        ttlMs: config.secretsCacheTtlMs,
      }),
      tatum.apiKeySecretArn ?? '',
    );
  const api = createTatumClient({ baseUrl: tatum.apiUrl, apiKey, clientVersion: '8.0.1' });
  // KMS_SIGNER_RPC_<CHAIN> (or KMS_SIGNER_RPC_NODES) where set, else Tatum's node gateway for this API key
  // (src/chain-view/endpoint.ts). A malformed node map stops the start, not each job.
  parseNodeMap(process.env[NODE_MAP_VARIABLE]);
  const chainViewsFor = (network: NetworkName) =>
    new ChainViews({ network, env: process.env, tatum: { baseUrl: tatum.apiUrl, apiKey } });
  return {
    deps: {
      db: context.db,
      api,
      // Only keys tagged Application=<APP_TAG> are signed with (owned-wallets.ts).
      wallets: ownedWallets(
        walletReads(collectionsOf(context.db)),
        new KeyOwnership(context.kms, config.application),
      ),
      signer: context.vault,
      chainViewsFor,
    },
    context,
  };
}
