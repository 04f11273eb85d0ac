// The wallet service as the API, the CLI and (later) the Tatum loop see it. One implementation
// (service.ts) sits on MongoDB + the KMS vault; every interface calls this, never the database or
// KMS directly. No method can reveal a private key: none exists outside KMS.
import type { AddressFormat, ChainId, NetworkName } from '../chains/index.js';
import type { WalletKeySpec } from '../kms/key-specs.js';

export type WalletStatus = 'CREATING' | 'ACTIVE' | 'DISABLED' | 'PENDING_DELETION';

/** Public data of one wallet key (index 0 is the wallet's own key; others are created on demand). */
export interface WalletKeyView {
  index: number;
  address: string;
  addresses: { format: AddressFormat; address: string }[];
  /** Hex: compressed secp256k1 key (33 bytes) or Ed25519 key (32 bytes), per the chain's key spec. */
  publicKey: string;
  kmsKeyId: string;
  kmsKeyArn: string;
  createdAt: Date;
}

/** What every read returns: public data only. */
export interface WalletView {
  /** UUID; the id users and Tatum see (Tatum's signatureId). */
  signatureId: string;
  userId: string;
  chain: ChainId;
  asset: string;
  network: NetworkName;
  label: string | null;
  status: WalletStatus;
  /** Index-0 key: address, addresses, publicKey, kmsKeyId, kmsKeyArn. */
  address: string;
  addresses: { format: AddressFormat; address: string }[];
  publicKey: string;
  kmsKeyId: string;
  kmsKeyArn: string;
  /** 'AWS_KMS' = generated inside KMS; 'EXTERNAL' = imported with storemanagedprivatekey. */
  keyOrigin: 'AWS_KMS' | 'EXTERNAL';
  /** The KMS key spec of the wallet's keys, fixed by its chain (ECC_SECG_P256K1 or ECC_NIST_EDWARDS25519). */
  keySpec: WalletKeySpec;
  /** Set while PENDING_DELETION. */
  deletionDate: Date | null;
  /** FLOW: the chain account holding the wallet's key (registered and checked on a Flow node). */
  flowAccount?: { address: string; keyIndex: number; hashAlgorithm: 'SHA2_256' | 'SHA3_256' };
  createdAt: Date;
  updatedAt: Date;
}

export interface CreateWalletInput {
  userId: string;
  chain: ChainId;
  /** e.g. BTC, ETH, USDT; must be the chain's native asset or a token the chain carries. */
  asset: string;
  network: NetworkName;
  label?: string;
  /** Extra index to create right away besides index 0 (Tatum mnemonic+index semantics). */
  index?: number;
}

export interface ListWalletsQuery {
  userId?: string;
  chain?: ChainId;
  network?: NetworkName;
  status?: WalletStatus;
  /** Opaque cursor from the previous page. */
  cursor?: string;
  /** 1..100, default 50. */
  limit?: number;
}

export interface WalletPage {
  items: WalletView[];
  /** null when there is no further page. */
  nextCursor: string | null;
}

export type BatchStatus = 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED';

/** Pre-generation of `count` wallets (tatum-kms generatemanagedprivatekeybatch), resumable. */
export interface BatchView {
  batchId: string;
  chain: ChainId;
  network: NetworkName;
  userId: string;
  asset: string;
  count: number;
  created: number;
  status: BatchStatus;
  /** Last error when FAILED or after a retried failure. */
  error: string | null;
  signatureIds: string[];
  createdAt: Date;
  updatedAt: Date;
}

export type WalletOperationAction = 'disable' | 'enable' | 'delete' | 'cancel-deletion';
export type WalletOperationStatus = 'RUNNING' | 'PAUSED' | 'COMPLETED' | 'FAILED';

/**
 * A key administration job: one KMS call per key of the wallet, paced at the KMS key-administration
 * rate, then the wallet's status. One at a time per wallet; resumable like a batch.
 */
export interface WalletOperationView {
  operationId: string;
  signatureId: string;
  action: WalletOperationAction;
  /** PAUSED: RUNNING with nobody running it (the runner stopped or died); it is resumed. */
  status: WalletOperationStatus;
  /** Keys of the wallet when the job started. */
  keys: number;
  /** Keys done so far. */
  done: number;
  /** The wallet's status once the job has COMPLETED. */
  targetStatus: WalletStatus;
  pendingWindowDays: number | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ReconcileReport {
  /** KMS keys tagged for this application with no record: records created (or listed on dry run). */
  keysWithoutRecord: { kmsKeyId: string; signatureId: string | null; action: string }[];
  /** Records whose KMS key is gone, disabled or pending deletion behind our back. */
  recordsWithoutKey: { signatureId: string; kmsKeyId: string | null; action: string }[];
  /** CREATING records older than the grace period that were completed or failed. */
  unfinished: { signatureId: string; action: string }[];
  dryRun: boolean;
}

export interface WalletReport {
  totals: { wallets: number; byStatus: Record<WalletStatus, number>; keys: number };
  byChain: { chain: ChainId; network: NetworkName; wallets: number }[];
  /** KMS bills each customer-managed key $1/month (pending-deletion keys are free). */
  estimatedMonthlyKeyCostUsd: number;
}

export interface WalletService {
  /**
   * Creates a wallet: KMS key (tagged Application/WalletId/Chain), public key, addresses, record.
   * With an idempotencyKey a retry returns the same wallet and creates no second key; the same key
   * with a different request body is a conflict.
   */
  createWallet(
    input: CreateWalletInput,
    idempotencyKey?: string,
  ): Promise<{ wallet: WalletView; created: boolean }>;
  getWallet(signatureId: string): Promise<WalletView>;
  /**
   * The wallets among `signatureIds` in one query (the signing loop reads a page's wallets at once), keyed
   * by the ids as given; unknown or malformed ids are absent.
   */
  getWallets(signatureIds: readonly string[]): Promise<Map<string, WalletView>>;
  listWallets(query: ListWalletsQuery): Promise<WalletPage>;
  /** Key and address for (signatureId, index); the index key is created in KMS on first use. */
  getAddress(signatureId: string, index: number): Promise<WalletKeyView>;
  /**
   * Key and address for (signatureId, index) if that key exists and is ACTIVE, else null — never creates a
   * key (the signing loop: a pending transaction must not make us create KMS keys).
   */
  existingAddress(signatureId: string, index: number): Promise<WalletKeyView | null>;
  disableWallet(signatureId: string): Promise<WalletView>;
  enableWallet(signatureId: string): Promise<WalletView>;
  /** Schedules KMS deletion of every key of the wallet; pendingWindowDays 7–30, default 30. */
  scheduleWalletDeletion(signatureId: string, pendingWindowDays?: number): Promise<WalletView>;
  cancelWalletDeletion(signatureId: string): Promise<WalletView>;
  /**
   * Starts a key administration job and returns at once (the API's 202). The methods above start one
   * and wait for its end. CONFLICT while another operation on the wallet is unfinished.
   */
  startWalletOperation(
    signatureId: string,
    action: WalletOperationAction,
    options?: { pendingWindowDays?: number },
  ): Promise<WalletOperationView>;
  getWalletOperation(signatureId: string, operationId: string): Promise<WalletOperationView>;
  /** Imports existing key material (32-byte secp256k1 scalar) into a new KMS key (Origin EXTERNAL). */
  importWallet(input: CreateWalletInput, privateKey: Uint8Array): Promise<WalletView>;
  /** `requestedBy` names the caller for the per-caller cap on queued keys (default "cli"). */
  startBatch(input: {
    userId: string;
    chain: ChainId;
    asset: string;
    network: NetworkName;
    count: number;
    requestedBy?: string;
  }): Promise<BatchView>;
  getBatch(batchId: string): Promise<BatchView>;
  /** Continues a PAUSED/FAILED/interrupted batch where it stopped. */
  resumeBatch(batchId: string): Promise<BatchView>;
  reconcile(options?: { dryRun?: boolean; graceSeconds?: number }): Promise<ReconcileReport>;
  report(): Promise<WalletReport>;
  /** Streams every wallet (public data) for `export`. */
  exportWallets(query?: Omit<ListWalletsQuery, 'cursor' | 'limit'>): AsyncIterable<WalletView>;
  /**
   * What the Tatum signing loop asks about: the number of ACTIVE wallets of each of `chains` on
   * `network` (0 for a chain without any), in one query served by an index (no documents read on
   * MongoDB), so the loop can check Tatum's per-chain limit before listing.
   */
  countActiveWallets(chains: readonly ChainId[], network: NetworkName): Promise<Map<ChainId, number>>;
  /** Signature ids of the ACTIVE wallets of (chain, network): ids only, ascending, at most `limit`. */
  activeSignatureIds(chain: ChainId, network: NetworkName, limit?: number): Promise<string[]>;
  /** MongoDB and KMS reachable. */
  health(): Promise<{ mongo: 'ok' | 'down'; kms: 'ok' | 'down' }>;
  /**
   * FLOW: maps the wallet's key to the chain account that holds it at `keyIndex` (created by someone
   * else), once a Flow node shows that key there with ECDSA_secp256k1, SHA2/SHA3-256 and weight 1000.
   */
  registerFlowAccount?(
    signatureId: string,
    input: { address: string; keyIndex: number },
  ): Promise<WalletView>;
}

/** Errors every interface maps to a status code (API) or exit code (CLI). */
export class WalletError extends Error {
  constructor(
    readonly code:
      | 'VALIDATION'
      | 'NOT_FOUND'
      | 'CONFLICT'
      | 'IDEMPOTENCY_MISMATCH'
      | 'INVALID_STATE'
      | 'UNAVAILABLE'
      | 'QUOTA_EXCEEDED',
    message: string,
    /** The offending input field, when there is one. */
    readonly field?: string,
  ) {
    super(message);
    this.name = 'WalletError';
  }
}
