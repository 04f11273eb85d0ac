// An in-memory WalletService for unit tests of the interfaces (API, CLI). It follows the contract's
// rules (state transitions, idempotency, pagination, errors as WalletError) and records every call, so a
// test can assert that a rejected request reached the service not at all.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { chainKeySpec, type ChainId, type NetworkName } from '../../src/chains/index.js';
import {
  type BatchView,
  type CreateWalletInput,
  type ListWalletsQuery,
  type ReconcileReport,
  type WalletKeyView,
  type WalletPage,
  type WalletReport,
  type WalletService,
  type WalletStatus,
  type WalletView,
  WalletError,
} from '../../src/wallets/contract.js';
import { activeCounts, activeIds, matchesQuery, newBatchView, type WalletFilter } from './wallet-query.js';

type Method = keyof WalletService;

export interface RecordedCall {
  method: Method;
  args: unknown[];
}

/** Methods that create or change anything (KMS keys or records). */
export const WRITE_METHODS: ReadonlySet<Method> = new Set<Method>([
  'createWallet',
  'getAddress',
  'disableWallet',
  'enableWallet',
  'scheduleWalletDeletion',
  'cancelWalletDeletion',
  'importWallet',
  'startBatch',
  'resumeBatch',
  'reconcile',
]);

const DAY_MS = 86_400_000;

function fakeKey(): { kmsKeyId: string; kmsKeyArn: string; publicKey: string } {
  const kmsKeyId = randomUUID();
  return {
    kmsKeyId,
    kmsKeyArn: `arn:aws:kms:us-east-1:000000000000:key/${kmsKeyId}`,
    publicKey: `02${randomBytes(32).toString('hex')}`,
  };
}

function fakeAddress(chain: ChainId, publicKey: string): string {
  const digest = createHash('sha256').update(publicKey).digest('hex');
  return `${chain.toLowerCase()}-${digest.slice(0, 32)}`;
}

export class FakeWalletService implements WalletService {
  readonly calls: RecordedCall[] = [];
  readonly wallets = new Map<string, WalletView>();
  readonly keys = new Map<string, Map<number, WalletKeyView>>();
  readonly batches = new Map<string, BatchView>();
  private readonly idempotency = new Map<string, { body: string; signatureId: string }>();
  private readonly failures = new Map<Method, Error>();
  healthResult: { mongo: 'ok' | 'down'; kms: 'ok' | 'down' } = { mongo: 'ok', kms: 'ok' };
  now: () => Date = () => new Date();

  /** The next call of `method` throws `error` (then behaves normally again). */
  failNext(method: Method, error: Error): void {
    this.failures.set(method, error);
  }

  writeCalls(): RecordedCall[] {
    return this.calls.filter((c) => WRITE_METHODS.has(c.method));
  }

  /** Records the call, then answers with `fn()` — or the queued failure — as a promise. */
  private run<T>(method: Method, args: unknown[], fn: () => T): Promise<T> {
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

  private wallet(signatureId: string): WalletView {
    const wallet = this.wallets.get(signatureId);
    if (!wallet) throw new WalletError('NOT_FOUND', `wallet ${signatureId} not found`, 'signatureId');
    return wallet;
  }

  private update(wallet: WalletView, changes: Partial<WalletView>): WalletView {
    const next = { ...wallet, ...changes, updatedAt: this.now() };
    this.wallets.set(wallet.signatureId, next);
    return next;
  }

  private newKey(chain: ChainId, index: number): WalletKeyView {
    const key = fakeKey();
    const address = fakeAddress(chain, key.publicKey);
    return { index, address, addresses: [{ format: 'evm', address }], ...key, createdAt: this.now() };
  }

  /** Creates a wallet directly (test setup), without recording a call. */
  seed(input: CreateWalletInput, status: WalletStatus = 'ACTIVE'): WalletView {
    const signatureId = randomUUID();
    const key = this.newKey(input.chain, 0);
    const now = this.now();
    const wallet: WalletView = {
      signatureId,
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
      keyOrigin: 'AWS_KMS',
      deletionDate: status === 'PENDING_DELETION' ? new Date(now.getTime() + 30 * DAY_MS) : null,
      createdAt: now,
      updatedAt: now,
    };
    this.wallets.set(signatureId, wallet);
    this.keys.set(signatureId, new Map([[0, key]]));
    if (input.index !== undefined && input.index !== 0) {
      this.keys.get(signatureId)?.set(input.index, this.newKey(input.chain, input.index));
    }
    return wallet;
  }

  createWallet(
    input: CreateWalletInput,
    idempotencyKey?: string,
  ): Promise<{ wallet: WalletView; created: boolean }> {
    return this.run('createWallet', [input, idempotencyKey], () => {
      if (idempotencyKey === undefined) return { wallet: this.seed(input), created: true };
      const body = JSON.stringify(input, Object.keys(input).sort());
      const earlier = this.idempotency.get(idempotencyKey);
      if (earlier) {
        if (earlier.body !== body) {
          throw new WalletError('IDEMPOTENCY_MISMATCH', 'Idempotency-Key was used with another request');
        }
        return { wallet: this.wallet(earlier.signatureId), created: false };
      }
      const wallet = this.seed(input);
      this.idempotency.set(idempotencyKey, { body, signatureId: wallet.signatureId });
      return { wallet, created: true };
    });
  }

  getWallet(signatureId: string): Promise<WalletView> {
    return this.run('getWallet', [signatureId], () => this.wallet(signatureId));
  }

  listWallets(query: ListWalletsQuery): Promise<WalletPage> {
    return this.run('listWallets', [query], () => {
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

  getAddress(signatureId: string, index: number): Promise<WalletKeyView> {
    return this.run('getAddress', [signatureId, index], () => {
      const wallet = this.wallet(signatureId);
      const keys = this.keys.get(signatureId) ?? new Map<number, WalletKeyView>();
      const key = keys.get(index) ?? this.newKey(wallet.chain, index);
      keys.set(index, key);
      this.keys.set(signatureId, keys);
      return key;
    });
  }

  /** Like the real service: allowed from `from`, and repeatable once there (except cancel-deletion). */
  private transition(signatureId: string, from: WalletStatus[], changes: Partial<WalletView>): WalletView {
    const wallet = this.wallet(signatureId);
    if (!from.includes(wallet.status)) {
      throw new WalletError('INVALID_STATE', `wallet ${signatureId} is ${wallet.status}`);
    }
    return this.update(wallet, changes);
  }

  disableWallet(signatureId: string): Promise<WalletView> {
    return this.run('disableWallet', [signatureId], () =>
      this.transition(signatureId, ['ACTIVE', 'DISABLED'], { status: 'DISABLED' }),
    );
  }

  enableWallet(signatureId: string): Promise<WalletView> {
    return this.run('enableWallet', [signatureId], () =>
      this.transition(signatureId, ['DISABLED', 'ACTIVE'], { status: 'ACTIVE' }),
    );
  }

  scheduleWalletDeletion(signatureId: string, pendingWindowDays?: number): Promise<WalletView> {
    return this.run('scheduleWalletDeletion', [signatureId, pendingWindowDays], () => {
      const deletionDate = new Date(this.now().getTime() + (pendingWindowDays ?? 30) * DAY_MS);
      return this.transition(signatureId, ['ACTIVE', 'DISABLED'], {
        status: 'PENDING_DELETION',
        deletionDate,
      });
    });
  }

  cancelWalletDeletion(signatureId: string): Promise<WalletView> {
    return this.run('cancelWalletDeletion', [signatureId], () =>
      this.transition(signatureId, ['PENDING_DELETION'], { status: 'ACTIVE', deletionDate: null }),
    );
  }

  importWallet(input: CreateWalletInput, privateKey: Uint8Array): Promise<WalletView> {
    return this.run('importWallet', [input, privateKey.length], () => {
      const wallet = this.update(this.seed(input), { keyOrigin: 'EXTERNAL' });
      return wallet;
    });
  }

  startBatch(input: Parameters<WalletService['startBatch']>[0]): Promise<BatchView> {
    return this.run('startBatch', [input], () => {
      const batch = newBatchView(input, this.now());
      this.batches.set(batch.batchId, batch);
      return batch;
    });
  }

  private batch(batchId: string): BatchView {
    const batch = this.batches.get(batchId);
    if (!batch) throw new WalletError('NOT_FOUND', `batch ${batchId} not found`, 'batchId');
    return batch;
  }

  getBatch(batchId: string): Promise<BatchView> {
    return this.run('getBatch', [batchId], () => this.batch(batchId));
  }

  resumeBatch(batchId: string): Promise<BatchView> {
    return this.run('resumeBatch', [batchId], () => this.batch(batchId));
  }

  reconcile(options?: { dryRun?: boolean; graceSeconds?: number }): Promise<ReconcileReport> {
    return this.run('reconcile', [options], () => ({
      keysWithoutRecord: [],
      recordsWithoutKey: [],
      unfinished: [],
      dryRun: options?.dryRun ?? false,
    }));
  }

  report(): Promise<WalletReport> {
    return this.run('report', [], () => {
      const byStatus: Record<WalletStatus, number> = {
        CREATING: 0,
        ACTIVE: 0,
        DISABLED: 0,
        PENDING_DELETION: 0,
      };
      for (const w of this.wallets.values()) byStatus[w.status] += 1;
      const keys = [...this.keys.values()].reduce((n, m) => n + m.size, 0);
      return {
        totals: { wallets: this.wallets.size, byStatus, keys },
        byChain: [],
        estimatedMonthlyKeyCostUsd: keys,
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
    return this.run('countActiveWallets', [chains, network], () => {
      return activeCounts(this.wallets.values(), chains, network);
    });
  }

  activeSignatureIds(chain: ChainId, network: NetworkName, limit?: number): Promise<string[]> {
    return this.run('activeSignatureIds', [chain, network, limit], () => {
      return activeIds(this.wallets.values(), chain, network, limit);
    });
  }

  health(): Promise<{ mongo: 'ok' | 'down'; kms: 'ok' | 'down' }> {
    return this.run('health', [], () => this.healthResult);
  }
}
