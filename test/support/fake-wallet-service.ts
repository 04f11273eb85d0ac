// The in-memory WalletService for unit tests of the interfaces (API, CLI) and of the signing loop's wallet
// lists. It follows the contract (src/wallets/contract.ts) the way KmsWalletService (src/wallets/) does —
// status transitions (lifecycle.ts), idempotency, pagination, batches, WalletError codes — with real
// secp256k1 keys and real addresses (src/chains) but no MongoDB or KMS. Every call is recorded, so a test
// can assert that a rejected request never reached the service; importWallet keeps a COPY of the key so
// tests can check what arrived.
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { chainKeySpec, deriveAddresses, type ChainId, type NetworkName } from '../../src/chains/index.js';
import { canonicalAsset } from '../../src/wallets/assets.js';
import {
  WalletError,
  type BatchView,
  type CreateWalletInput,
  type ListWalletsQuery,
  type ReconcileReport,
  type WalletKeyView,
  type WalletOperationAction,
  type WalletOperationView,
  type WalletPage,
  type WalletReport,
  type WalletService,
  type WalletStatus,
  type WalletView,
} from '../../src/wallets/contract.js';
import { notFound } from '../../src/wallets/errors.js';
import { checkIndex, checkPendingWindow, checkSignatureId } from '../../src/wallets/validation.js';
import { activeCounts, activeIds, matchesQuery, newBatchView, type WalletFilter } from './wallet-query.js';

/** The contract's methods plus runBatch, which KmsWalletService (and the CLI) add. */
type Method = keyof WalletService | 'runBatch';

export interface RecordedCall {
  method: Method;
  args: unknown[];
}

/** Methods that create or change anything (KMS keys or records). */
export const WRITE_METHODS: ReadonlySet<Method> = new Set<Method>([
  'createWallet',
  'getAddress',
  'existingAddress',
  'disableWallet',
  'enableWallet',
  'scheduleWalletDeletion',
  'cancelWalletDeletion',
  'startWalletOperation',
  'importWallet',
  'startBatch',
  'resumeBatch',
  'runBatch',
  'reconcile',
]);

type Health = Awaited<ReturnType<WalletService['health']>>;

export interface FakeWalletServiceOptions {
  /**
   * How a batch runs. 'sync' (default): to its end inside startBatch/resumeBatch. 'background': one
   * wallet per timer tick after they return, like the real service. 'held': startBatch starts no runner,
   * so the batch stays as created (RUNNING, 0 wallets) for tests that read a batch in flight;
   * resumeBatch or runBatch then run it in the background.
   */
  batchMode?: 'sync' | 'background' | 'held';
  /** Offer runBatch like KmsWalletService (default true); false tests the contract-only path. */
  runBatch?: boolean;
  /** A batch stops with FAILED after creating this many wallets (once; a resume then completes it). */
  failBatchAfter?: number;
}

const DAY_MS = 86_400_000;

export class FakeWalletService implements WalletService {
  readonly calls: RecordedCall[] = [];
  readonly wallets = new Map<string, WalletView>();
  /** Per signatureId, its keys by index (index 0 is the wallet's own key). */
  readonly keys = new Map<string, Map<number, WalletKeyView>>();
  readonly batches = new Map<string, BatchView>();
  /** Key administration jobs; the fake runs each to its end inside startWalletOperation. */
  readonly operations = new Map<string, WalletOperationView>();
  /** Copies of the keys importWallet received, and the caller's arrays (to check they get zeroed). */
  readonly imported: { copy: Uint8Array; original: Uint8Array }[] = [];
  /** Runs (or resumes) a batch to its end, as KmsWalletService.runBatch does. */
  readonly runBatch: ((batchId: string) => Promise<BatchView>) | undefined;
  healthResult: Health = { mongo: 'ok', kms: 'ok' };
  now: () => Date = () => new Date();
  private readonly idempotency = new Map<string, { body: string; signatureId: string }>();
  private readonly failures = new Map<Method, Error>();
  /** The batches being run, until each stops. */
  private readonly runners = new Map<string, Promise<BatchView>>();
  private readonly batchMode: NonNullable<FakeWalletServiceOptions['batchMode']>;
  private failBatchAfter: number | undefined;

  constructor(options: FakeWalletServiceOptions = {}) {
    this.batchMode = options.batchMode ?? 'sync';
    this.failBatchAfter = options.failBatchAfter;
    this.runBatch = options.runBatch === false ? undefined : (batchId) => this.runToEnd(batchId);
  }

  /** The next call of `method` throws `error` (then behaves normally again). */
  failNext(method: Method, error: Error): void {
    this.failures.set(method, error);
  }

  writeCalls(): RecordedCall[] {
    return this.calls.filter((c) => WRITE_METHODS.has(c.method));
  }

  /** Records the call, then answers with `fn()` — or the queued failure — as a promise. */
  private call<T>(method: Method, args: unknown[], fn: () => T | Promise<T>): Promise<T> {
    this.calls.push({ method, args });
    const failure = this.failures.get(method);
    this.failures.delete(method);
    if (failure) return Promise.reject(failure);
    try {
      return Promise.resolve(fn());
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  private wallet(rawSignatureId: string): WalletView {
    const wallet = this.wallets.get(checkSignatureId(rawSignatureId));
    if (!wallet) throw notFound();
    return wallet;
  }

  private update(wallet: WalletView, changes: Partial<WalletView>): WalletView {
    const next = { ...wallet, ...changes, updatedAt: this.now() };
    this.wallets.set(wallet.signatureId, next);
    return next;
  }

  private newKey(
    chain: ChainId,
    network: NetworkName,
    index: number,
    secret: Uint8Array = secp256k1.utils.randomSecretKey(),
  ): WalletKeyView {
    const publicKey = secp256k1.getPublicKey(secret, true);
    const addresses = deriveAddresses(chain, network, publicKey);
    const kmsKeyId = randomUUID();
    return {
      index,
      address: addresses[0]!.address,
      addresses,
      publicKey: Buffer.from(publicKey).toString('hex'),
      kmsKeyId,
      kmsKeyArn: `arn:aws:kms:us-east-1:000000000000:key/${kmsKeyId}`,
      createdAt: this.now(),
    };
  }

  /** Creates a wallet directly (test setup), without recording a call or checking the input. */
  seed(
    input: CreateWalletInput,
    status: WalletStatus = 'ACTIVE',
    origin: { keyOrigin: WalletView['keyOrigin']; secret?: Uint8Array } = { keyOrigin: 'AWS_KMS' },
  ): WalletView {
    const key = this.newKey(input.chain, input.network, 0, origin.secret);
    const now = this.now();
    const wallet: WalletView = {
      signatureId: randomUUID(),
      userId: input.userId,
      chain: input.chain,
      asset: input.asset,
      network: input.network,
      label: input.label ?? null,
      status,
      address: key.address,
      addresses: key.addresses,
      publicKey: key.publicKey,
      kmsKeyId: key.kmsKeyId,
      kmsKeyArn: key.kmsKeyArn,
      keySpec: chainKeySpec(input.chain),
      keyOrigin: origin.keyOrigin,
      deletionDate: status === 'PENDING_DELETION' ? new Date(now.getTime() + 30 * DAY_MS) : null,
      createdAt: now,
      updatedAt: now,
    };
    const keys = new Map([[0, key]]);
    if (input.index !== undefined && input.index !== 0) {
      keys.set(input.index, this.newKey(input.chain, input.network, input.index));
    }
    this.wallets.set(wallet.signatureId, wallet);
    this.keys.set(wallet.signatureId, keys);
    return wallet;
  }

  /** The input with its asset in canonical form, or a VALIDATION error naming `asset`. */
  private checked<T extends { chain: ChainId; asset: string }>(input: T): T {
    const asset = canonicalAsset(input.chain, input.asset);
    if (asset === undefined) {
      throw new WalletError('VALIDATION', `asset ${input.asset} is not carried by ${input.chain}`, 'asset');
    }
    return { ...input, asset };
  }

  createWallet(
    input: CreateWalletInput,
    idempotencyKey?: string,
  ): Promise<{ wallet: WalletView; created: boolean }> {
    return this.call('createWallet', [input, idempotencyKey], () => {
      if (idempotencyKey === undefined) return { wallet: this.seed(this.checked(input)), created: true };
      const body = JSON.stringify(input, Object.keys(input).sort());
      const earlier = this.idempotency.get(idempotencyKey);
      if (earlier) {
        if (earlier.body !== body) {
          throw new WalletError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key was used with another request');
        }
        return { wallet: this.wallet(earlier.signatureId), created: false };
      }
      const wallet = this.seed(this.checked(input));
      this.idempotency.set(idempotencyKey, { body, signatureId: wallet.signatureId });
      return { wallet, created: true };
    });
  }

  getWallet(signatureId: string): Promise<WalletView> {
    return this.call('getWallet', [signatureId], () => this.wallet(signatureId));
  }

  getWallets(signatureIds: readonly string[]): Promise<Map<string, WalletView>> {
    return this.call('getWallets', [signatureIds], () => {
      const views = new Map<string, WalletView>();
      for (const id of signatureIds) {
        try {
          views.set(id, this.wallet(id));
        } catch {
          // unknown or malformed: absent
        }
      }
      return views;
    });
  }

  listWallets(query: ListWalletsQuery): Promise<WalletPage> {
    return this.call('listWallets', [query], () => {
      const all = [...this.wallets.values()].filter((w) => matchesQuery(w, query));
      const start =
        query.cursor === undefined ? 0 : Number(Buffer.from(query.cursor, 'base64url').toString());
      if (!Number.isInteger(start) || start < 0) throw new WalletError('VALIDATION', 'bad cursor', 'cursor');
      const limit = query.limit ?? 50;
      const items = all.slice(start, start + limit);
      const more = start + limit < all.length;
      return { items, nextCursor: more ? Buffer.from(String(start + limit)).toString('base64url') : null };
    });
  }

  /** Like keys.ts existingAddress: a key that exists, or null; never creates one. */
  existingAddress(signatureId: string, index: number): Promise<WalletKeyView | null> {
    return this.call('existingAddress', [signatureId, index], () => {
      checkIndex(index);
      const wallet = this.wallet(signatureId);
      if (wallet.status === 'CREATING') return null;
      return this.keys.get(wallet.signatureId)?.get(index) ?? null;
    });
  }

  /** Like keys.ts: index 0 is the wallet's key; a new index key only for an ACTIVE wallet. */
  getAddress(signatureId: string, index: number): Promise<WalletKeyView> {
    return this.call('getAddress', [signatureId, index], () => {
      checkIndex(index);
      const wallet = this.wallet(signatureId);
      if (wallet.status === 'CREATING') {
        throw new WalletError('INVALID_STATE', 'the wallet is still being created');
      }
      const keys = this.keys.get(wallet.signatureId) ?? new Map<number, WalletKeyView>();
      let key = keys.get(index);
      if (!key) {
        if (wallet.status !== 'ACTIVE') {
          throw new WalletError(
            'INVALID_STATE',
            `cannot create a key for index ${index} of a ${wallet.status} wallet`,
          );
        }
        key = this.newKey(wallet.chain, wallet.network, index);
        keys.set(index, key);
        this.keys.set(wallet.signatureId, keys);
      }
      return key;
    });
  }

  /**
   * Like lifecycle.ts: allowed from `allowed` — which holds the target too, as repeating a transition
   * finishes an interrupted one, except for cancelling a deletion.
   */
  private transition(
    signatureId: string,
    name: string,
    allowed: readonly WalletStatus[],
    changes: (wallet: WalletView) => Partial<WalletView>,
  ): WalletView {
    const wallet = this.wallet(signatureId);
    if (!allowed.includes(wallet.status)) {
      throw new WalletError('INVALID_STATE', `cannot ${name} a wallet in status ${wallet.status}`);
    }
    return this.update(wallet, changes(wallet));
  }

  disableWallet(signatureId: string): Promise<WalletView> {
    return this.call('disableWallet', [signatureId], () => this.applyAction(signatureId, 'disable'));
  }

  enableWallet(signatureId: string): Promise<WalletView> {
    return this.call('enableWallet', [signatureId], () => this.applyAction(signatureId, 'enable'));
  }

  /** A repeat keeps the first deletion date (KMS keeps the key's, and the service reports it). */
  scheduleWalletDeletion(signatureId: string, pendingWindowDays?: number): Promise<WalletView> {
    return this.call('scheduleWalletDeletion', [signatureId, pendingWindowDays], () =>
      this.applyAction(signatureId, 'delete', checkPendingWindow(pendingWindowDays)),
    );
  }

  /** The wallet is ACTIVE again: the service re-enables every key KMS leaves disabled on cancelling. */
  cancelWalletDeletion(signatureId: string): Promise<WalletView> {
    return this.call('cancelWalletDeletion', [signatureId], () =>
      this.applyAction(signatureId, 'cancel-deletion'),
    );
  }

  startWalletOperation(
    signatureId: string,
    action: WalletOperationAction,
    options: { pendingWindowDays?: number } = {},
  ): Promise<WalletOperationView> {
    return this.call('startWalletOperation', [signatureId, action, options], () => {
      const before = this.wallet(signatureId);
      const keys = this.keys.get(before.signatureId)?.size ?? 1;
      const days = action === 'delete' ? checkPendingWindow(options.pendingWindowDays) : null;
      const after = this.applyAction(before.signatureId, action, days ?? undefined);
      const now = this.now();
      const operation: WalletOperationView = {
        operationId: randomUUID(),
        signatureId: after.signatureId,
        action,
        status: 'COMPLETED',
        keys,
        done: keys,
        targetStatus: after.status,
        pendingWindowDays: days,
        error: null,
        createdAt: now,
        updatedAt: now,
      };
      this.operations.set(operation.operationId, operation);
      return operation;
    });
  }

  getWalletOperation(signatureId: string, operationId: string): Promise<WalletOperationView> {
    return this.call('getWalletOperation', [signatureId, operationId], () => {
      const operation = this.operations.get(operationId);
      if (!operation || operation.signatureId !== signatureId.toLowerCase()) {
        throw new WalletError('NOT_FOUND', 'no such operation', 'operationId');
      }
      return operation;
    });
  }

  private applyAction(signatureId: string, action: WalletOperationAction, days?: number): WalletView {
    switch (action) {
      case 'disable':
        return this.transition(signatureId, 'disable', ['ACTIVE', 'DISABLED'], () => ({
          status: 'DISABLED',
        }));
      case 'enable':
        return this.transition(signatureId, 'enable', ['DISABLED', 'ACTIVE'], () => ({ status: 'ACTIVE' }));
      case 'delete':
        return this.transition(signatureId, 'delete', ['ACTIVE', 'DISABLED', 'PENDING_DELETION'], (w) => ({
          status: 'PENDING_DELETION',
          deletionDate: w.deletionDate ?? new Date(this.now().getTime() + (days ?? 30) * DAY_MS),
        }));
      case 'cancel-deletion':
        return this.transition(signatureId, 'cancel the deletion of', ['PENDING_DELETION'], () => ({
          status: 'ACTIVE',
          deletionDate: null,
        }));
    }
  }

  importWallet(input: CreateWalletInput, privateKey: Uint8Array): Promise<WalletView> {
    return this.call('importWallet', [input, '<key>'], () => {
      this.imported.push({ copy: Uint8Array.from(privateKey), original: privateKey });
      return this.seed(this.checked(input), 'ACTIVE', { keyOrigin: 'EXTERNAL', secret: privateKey });
    });
  }

  startBatch(input: Parameters<WalletService['startBatch']>[0]): Promise<BatchView> {
    return this.call('startBatch', [input], () => {
      const batch = newBatchView(this.checked(input), this.now());
      this.batches.set(batch.batchId, batch);
      return this.batchMode === 'held' ? this.batch(batch.batchId) : this.launch(batch.batchId);
    });
  }

  getBatch(batchId: string): Promise<BatchView> {
    return this.call('getBatch', [batchId], () => this.batch(batchId));
  }

  /** Like batch.ts: a COMPLETED batch or one being run is returned as it is. */
  resumeBatch(batchId: string): Promise<BatchView> {
    return this.call('resumeBatch', [batchId], () => {
      const batch = this.batch(batchId);
      if (batch.status === 'COMPLETED' || this.runners.has(batchId)) return batch;
      this.markRunning(batchId);
      return this.launch(batchId);
    });
  }

  private runToEnd(batchId: string): Promise<BatchView> {
    return this.call('runBatch', [batchId], () => {
      const batch = this.batch(batchId);
      if (batch.status === 'COMPLETED') return batch;
      const runner = this.runners.get(batchId);
      if (runner) return runner;
      this.markRunning(batchId);
      return this.startRunner(batchId);
    });
  }

  private batch(batchId: string): BatchView {
    const batch = this.batches.get(batchId);
    if (!batch) throw new WalletError('NOT_FOUND', 'no such batch');
    return { ...batch, signatureIds: [...batch.signatureIds] };
  }

  /** Back to RUNNING; `error` keeps the last failure (the contract's "after a retried failure"). */
  private markRunning(batchId: string): void {
    const batch = this.batch(batchId);
    this.batches.set(batchId, { ...batch, status: 'RUNNING', updatedAt: this.now() });
  }

  /** Starts a runner; in 'sync' mode waits for the batch to stop, otherwise returns it as it is now. */
  private launch(batchId: string): Promise<BatchView> {
    const runner = this.startRunner(batchId);
    return this.batchMode === 'sync' ? runner : Promise.resolve(this.batch(batchId));
  }

  private startRunner(batchId: string): Promise<BatchView> {
    const runner = this.drive(batchId).finally(() => this.runners.delete(batchId));
    this.runners.set(batchId, runner);
    return runner;
  }

  /** Creates the batch's wallets one per turn ('sync': a microtask, otherwise a timer tick) until it stops. */
  private async drive(batchId: string): Promise<BatchView> {
    for (;;) {
      await (this.batchMode === 'sync' ? Promise.resolve() : sleep(1));
      if (!this.step(batchId)) return this.batch(batchId);
    }
  }

  /** Creates one wallet of the batch; false when the batch is no longer running. */
  private step(batchId: string): boolean {
    const batch = this.batch(batchId);
    if (batch.status !== 'RUNNING') return false;
    if (batch.created >= batch.count) {
      this.batches.set(batchId, { ...batch, status: 'COMPLETED', updatedAt: this.now() });
      return false;
    }
    if (this.failBatchAfter !== undefined && batch.created >= this.failBatchAfter) {
      this.failBatchAfter = undefined;
      const error = 'KMS unavailable (injected)';
      this.batches.set(batchId, { ...batch, status: 'FAILED', error, updatedAt: this.now() });
      return false;
    }
    const { chain, network, userId, asset } = batch;
    const wallet = this.seed({ chain, network, userId, asset });
    this.batches.set(batchId, {
      ...batch,
      created: batch.created + 1,
      signatureIds: [...batch.signatureIds, wallet.signatureId],
      updatedAt: this.now(),
    });
    return true;
  }

  /** A fixed report with one adoptable key: there is no KMS to scan, and the CLI needs lines to render. */
  reconcile(options: { dryRun?: boolean; graceSeconds?: number } = {}): Promise<ReconcileReport> {
    return this.call('reconcile', [options], () => ({
      keysWithoutRecord: [
        {
          kmsKeyId: '3f9e1c2a-0000-4000-8000-000000000001',
          signatureId: null,
          action: options.dryRun === true ? 'would adopt' : 'adopted',
        },
      ],
      recordsWithoutKey: [],
      unfinished: [],
      dryRun: options.dryRun === true,
    }));
  }

  /** Like queries.ts: counts by status and by (chain, network); keys pending deletion cost nothing. */
  report(): Promise<WalletReport> {
    return this.call('report', [], () => {
      const byStatus: Record<WalletStatus, number> = {
        CREATING: 0,
        ACTIVE: 0,
        DISABLED: 0,
        PENDING_DELETION: 0,
      };
      const byChain = new Map<string, { chain: ChainId; network: NetworkName; wallets: number }>();
      let keys = 0;
      let billable = 0;
      for (const wallet of this.wallets.values()) {
        byStatus[wallet.status] += 1;
        const name = `${wallet.chain}/${wallet.network}`;
        const entry = byChain.get(name) ?? { chain: wallet.chain, network: wallet.network, wallets: 0 };
        entry.wallets += 1;
        byChain.set(name, entry);
        const count = this.keys.get(wallet.signatureId)?.size ?? 0;
        keys += count;
        if (wallet.status !== 'PENDING_DELETION') billable += count;
      }
      return {
        totals: { wallets: this.wallets.size, byStatus, keys },
        byChain: [...byChain.values()],
        estimatedMonthlyKeyCostUsd: billable,
      };
    });
  }

  async *exportWallets(query: WalletFilter = {}): AsyncIterable<WalletView> {
    this.calls.push({ method: 'exportWallets', args: [query] });
    for (const wallet of this.wallets.values()) {
      if (!matchesQuery(wallet, query)) continue;
      await Promise.resolve();
      yield wallet;
    }
  }

  countActiveWallets(chains: readonly ChainId[], network: NetworkName): Promise<Map<ChainId, number>> {
    return this.call('countActiveWallets', [chains, network], () =>
      activeCounts(this.wallets.values(), chains, network),
    );
  }

  activeSignatureIds(chain: ChainId, network: NetworkName, limit?: number): Promise<string[]> {
    return this.call('activeSignatureIds', [chain, network, limit], () =>
      activeIds(this.wallets.values(), chain, network, limit),
    );
  }

  health(): Promise<Health> {
    return this.call('health', [], () => this.healthResult);
  }
}
