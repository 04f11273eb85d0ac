// The WalletService implementation on MongoDB + the KMS vault (see contract.ts for the interface and
// the README for the design). Every method translates lower-layer failures into WalletError codes.
import type { KMSClient } from '@aws-sdk/client-kms';
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { ClaimStore } from '../db/index.js';
import { DEFAULT_KMS_RATE_LIMITS, KmsRateLimiter, type KmsVault } from '../kms/index.js';
import type { BatchRunner } from './batch.js';
import { DEFAULT_BATCH_MAX_QUEUED_KEYS } from '../config/config.js';
import {
  type BatchView,
  type WalletOperationAction,
  type WalletService,
  type WalletView,
} from './contract.js';
import { collectionsOf, type ServiceContext, type WalletHooks } from './context.js';
import { paceCreateKey } from './pacing.js';
import { createWallet } from './create.js';
import { translated } from './errors.js';
import { ImportPacer } from './import-pacer.js';
import { getAddress } from './keys.js';
import { registerFlowAccount, type FlowAccountInput, type FlowNodeFor } from './flow-registration.js';
import { KmsKeyScanner } from './kms-scan.js';
import type { WalletOperationRunner } from './operations.js';
import { exportWallets, getWallet, health, listWallets, report } from './queries.js';
import { walletReads } from './loop-reads.js';

export interface WalletServiceDeps {
  db: Db;
  /** Must be built with the same `application` as passed here. */
  vault: KmsVault;
  /** The vault's client; used for ListKeys/ListResourceTags/DescribeKey and key import. */
  kms: KMSClient;
  /** Application tag value (default "kms-signer"). */
  application?: string;
  clock?: () => Date;
  /** The limiter the vault uses, so imports share its CreateKey budget (default: a private one). */
  rateLimiter?: KmsRateLimiter;
  /**
   * CreateKey requests per second this process sends (batches, creates, imports; default 5 = the AWS
   * quota), enforced on `kms` itself (pacing.ts), which must therefore be the vault's client too.
   */
  createKeysPerSecond?: number;
  /** GetParametersForImport pace (AWS quota 0.25/s). */
  importParametersPerSecond?: number;
  /** Lease of a key-creation claim, a status-transition lock and a batch runner (default 30 s). */
  leaseMs?: number;
  /** How long a caller waits for a concurrent creation of the same key (default 10 s). */
  waitMs?: number;
  /** Fault injection around CreateKey (tests). */
  hooks?: WalletHooks;
  /** Keys one caller may have queued in unfinished batches (default 1,000). */
  maxQueuedBatchKeys?: number;
  /**
   * The Flow node FLOW registrations are checked on (default: KMS_SIGNER_RPC_FLOW[_<NETWORK>] from the
   * environment, the node the signing loop uses).
   */
  flowNode?: FlowNodeFor;
}

export interface KmsWalletService extends WalletService {
  /** Runs or resumes a batch to its end (the CLI waits on this); startBatch/resumeBatch do not wait. */
  runBatch(batchId: string): Promise<BatchView>;
  /**
   * Takes over unfinished batches and key administration jobs whose runner is gone (a restart, a dead
   * instance); long-running processes call it at start and periodically. Returns how many it resumed.
   */
  resumeUnfinished(): Promise<{ batches: number; operations: number }>;
  /** Pauses running batches and key administration jobs after their current key; waits for them. */
  close(): Promise<void>;
  /** FLOW: see WalletService.registerFlowAccount; checked on deps.flowNode (flow-registration.ts). */
  registerFlowAccount(signatureId: string, input: FlowAccountInput): Promise<WalletView>;
}

/**
 * The Flow node of KMS_SIGNER_RPC_FLOW[_<NETWORK>] in `env`, as the loop's chain view reads it. The chain
 * views (every family's node client and response schemas) load on the first FLOW registration: nothing
 * else in the wallet service asks a node, so the API Lambda's init code does without them (issue 16).
 */
export function flowNodeFrom(env: Readonly<Record<string, string | undefined>>): FlowNodeFor {
  return async (network) => {
    const { ChainViews } = await import('../chain-view/index.js');
    return new ChainViews({ network, env }).flow();
  };
}

export function createWalletService(deps: WalletServiceDeps): KmsWalletService {
  const application = deps.application ?? 'kms-signer';
  const collections = collectionsOf(deps.db);
  const clock = deps.clock ?? (() => new Date());
  const ctx: ServiceContext = {
    db: deps.db,
    ...collections,
    vault: deps.vault,
    kms: deps.kms,
    application,
    clock,
    owner: randomUUID(),
    hooks: deps.hooks ?? {},
    scanner: new KmsKeyScanner(deps.kms, application, collections),
    claims: new ClaimStore(deps.db, clock),
    leaseMs: deps.leaseMs ?? 30_000,
    waitMs: deps.waitMs ?? 10_000,
    maxQueuedBatchKeys: deps.maxQueuedBatchKeys ?? DEFAULT_BATCH_MAX_QUEUED_KEYS,
  };
  paceCreateKey(deps.kms, deps.createKeysPerSecond ?? DEFAULT_KMS_RATE_LIMITS.createKey);
  const importDeps = {
    limiter: deps.rateLimiter ?? new KmsRateLimiter(DEFAULT_KMS_RATE_LIMITS),
    pacer: new ImportPacer(deps.importParametersPerSecond),
  };
  // Batches and wallet operations load on first use: only their requests and a maintenance run with
  // unfinished ones need them (issue 16: the API's init code).
  let batchRunner: Promise<BatchRunner> | undefined;
  const batches = () =>
    (batchRunner ??= import('./batch.js').then(({ BatchRunner }) => new BatchRunner(ctx)));
  let operationRunner: Promise<WalletOperationRunner> | undefined;
  const operations = () =>
    (operationRunner ??= import('./operations.js').then(
      ({ WalletOperationRunner }) => new WalletOperationRunner(ctx),
    ));
  /** The synchronous lifecycle methods: start the job, wait for its end, answer the wallet. */
  const transition = async (signatureId: string, action: WalletOperationAction, days?: number) => {
    await (await operations()).run(signatureId, action, days);
    return getWallet(ctx, signatureId);
  };

  return {
    ...walletReads(ctx),
    createWallet: (input, idempotencyKey) =>
      translated(() => createWallet(ctx, input, idempotencyKey === undefined ? {} : { idempotencyKey })),
    listWallets: (query) => translated(() => listWallets(ctx, query)),
    getAddress: (signatureId, index) => translated(() => getAddress(ctx, signatureId, index)),
    disableWallet: (signatureId) => translated(() => transition(signatureId, 'disable')),
    enableWallet: (signatureId) => translated(() => transition(signatureId, 'enable')),
    scheduleWalletDeletion: (signatureId, days) => translated(() => transition(signatureId, 'delete', days)),
    cancelWalletDeletion: (signatureId) => translated(() => transition(signatureId, 'cancel-deletion')),
    startWalletOperation: (signatureId, action, options) =>
      translated(async () => (await operations()).start(signatureId, action, options?.pendingWindowDays)),
    getWalletOperation: (signatureId, operationId) =>
      translated(async () => (await operations()).get(signatureId, operationId)),
    // Import and reconcile load on first use: only the CLI runs them (issue 16: the API's init code).
    importWallet: (input, privateKey) =>
      translated(async () => (await import('./import.js')).importWallet(ctx, importDeps, input, privateKey)),
    startBatch: (input) => translated(async () => (await batches()).start(input)),
    getBatch: (batchId) => translated(async () => (await batches()).get(batchId)),
    resumeBatch: (batchId) => translated(async () => (await batches()).resume(batchId)),
    runBatch: (batchId) => translated(async () => (await batches()).run(batchId)),
    reconcile: (options) => translated(async () => (await import('./reconcile.js')).reconcile(ctx, options)),
    report: () => translated(() => report(ctx)),
    exportWallets: (query) => exportWallets(ctx, query),
    health: () => health(ctx),
    registerFlowAccount: (signatureId, input) =>
      translated(() =>
        registerFlowAccount(ctx, signatureId, input, deps.flowNode ?? flowNodeFrom(process.env)),
      ),
    resumeUnfinished: () =>
      translated(async () => ({
        batches: await (await batches()).resumeUnfinished(),
        operations: await (await operations()).resumeUnfinished(),
      })),
    close: async () => {
      await Promise.all([
        batchRunner?.then((runner) => runner.close()),
        operationRunner?.then((runner) => runner.close()),
      ]);
    },
  };
}
