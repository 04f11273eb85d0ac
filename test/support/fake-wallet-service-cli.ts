// An in-memory WalletService for the CLI's unit tests: real secp256k1 keys and real addresses
// (src/chains), no MongoDB or KMS. Records every call; batches run either inside startBatch
// ('sync') or in the background, one wallet per tick ('background'), like a service that returns at
// once and keeps going. importWallet keeps a COPY of the key so tests can check what arrived.
import { randomUUID } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { chainKeySpec, deriveAddresses, getChain } from '../../src/chains/index.js';
import {
  WalletError,
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
} from '../../src/wallets/contract.js';
import { activeCounts, activeIds, matchesQuery, newBatchView, type WalletFilter } from './wallet-query.js';

export interface FakeWalletServiceOptions {
  batchMode?: 'sync' | 'background';
  /** Offer runBatch like the KMS implementation (default true); false tests the contract-only path. */
  runBatch?: boolean;
  /** A batch stops with FAILED after creating this many wallets (once; a resume then completes it). */
  failBatchAfter?: number;
  health?: { mongo: 'ok' | 'down'; kms: 'ok' | 'down' };
}

interface Stored {
  view: WalletView;
  keys: Map<number, WalletKeyView>;
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

export class FakeWalletService implements WalletService {
  readonly calls: { method: string; args: unknown[] }[] = [];
  readonly wallets = new Map<string, Stored>();
  readonly batches = new Map<string, BatchView>();
  /** Copies of the keys importWallet received, and the caller's arrays (to check they get zeroed). */
  readonly imported: { copy: Uint8Array; original: Uint8Array }[] = [];
  private failBatchAfter: number | undefined;
  /** Runs (or resumes) a batch to its end, as KmsWalletService.runBatch does. */
  readonly runBatch: ((batchId: string) => Promise<BatchView>) | undefined;

  constructor(private readonly options: FakeWalletServiceOptions = {}) {
    this.failBatchAfter = options.failBatchAfter;
    this.runBatch = options.runBatch === false ? undefined : (batchId) => this.runToEnd(batchId);
  }

  private async runToEnd(batchId: string): Promise<BatchView> {
    this.record('runBatch', batchId);
    let batch = this.batch(batchId);
    if (batch.status === 'PAUSED' || batch.status === 'FAILED') {
      this.batches.set(batchId, { ...batch, status: 'RUNNING', error: null });
      batch = await this.run(batchId);
    }
    while (batch.status === 'RUNNING') {
      await new Promise((resolve) => setTimeout(resolve, 1));
      batch = this.batch(batchId);
    }
    return batch;
  }

  private record(method: string, ...args: unknown[]): void {
    this.calls.push({ method, args });
  }

  private makeKey(
    index: number,
    chain: WalletView['chain'],
    network: WalletView['network'],
    secret: Uint8Array,
  ) {
    const publicKey = secp256k1.getPublicKey(secret, true);
    const addresses = deriveAddresses(chain, network, publicKey);
    const kmsKeyId = randomUUID();
    return {
      index,
      address: addresses[0]!.address,
      addresses,
      publicKey: hex(publicKey),
      kmsKeyId,
      kmsKeyArn: `arn:aws:kms:us-east-1:000000000000:key/${kmsKeyId}`,
      createdAt: new Date(),
    } satisfies WalletKeyView;
  }

  private validate(input: CreateWalletInput): void {
    const native = getChain(input.chain).nativeAsset.symbol;
    if (input.asset !== native && input.asset !== 'USDT') {
      throw new WalletError('VALIDATION', `asset ${input.asset} is not carried by ${input.chain}`, 'asset');
    }
  }

  private store(input: CreateWalletInput, secret: Uint8Array, origin: WalletView['keyOrigin']): WalletView {
    this.validate(input);
    const key = this.makeKey(0, input.chain, input.network, secret);
    const now = new Date();
    const view: WalletView = {
      signatureId: randomUUID(),
      userId: input.userId,
      chain: input.chain,
      asset: input.asset,
      network: input.network,
      label: input.label ?? null,
      status: 'ACTIVE',
      address: key.address,
      addresses: key.addresses,
      publicKey: key.publicKey,
      kmsKeyId: key.kmsKeyId,
      kmsKeyArn: key.kmsKeyArn,
      keySpec: chainKeySpec(input.chain),
      keyOrigin: origin,
      deletionDate: null,
      createdAt: now,
      updatedAt: now,
    };
    this.wallets.set(view.signatureId, { view, keys: new Map([[0, key]]) });
    return view;
  }

  private get(signatureId: string): Stored {
    const stored = this.wallets.get(signatureId);
    if (!stored) throw new WalletError('NOT_FOUND', 'no such wallet');
    return stored;
  }

  createWallet(input: CreateWalletInput, idempotencyKey?: string) {
    this.record('createWallet', input, idempotencyKey);
    return attempt(() => ({
      wallet: this.store(input, secp256k1.utils.randomSecretKey(), 'AWS_KMS'),
      created: true,
    }));
  }

  getWallet(signatureId: string): Promise<WalletView> {
    this.record('getWallet', signatureId);
    return attempt(() => this.get(signatureId).view);
  }

  listWallets(query: ListWalletsQuery): Promise<WalletPage> {
    this.record('listWallets', query);
    return Promise.resolve({ items: this.filter(query), nextCursor: null });
  }

  getAddress(signatureId: string, index: number): Promise<WalletKeyView> {
    this.record('getAddress', signatureId, index);
    return attempt(() => {
      const stored = this.get(signatureId);
      let key = stored.keys.get(index);
      if (!key) {
        key = this.makeKey(index, stored.view.chain, stored.view.network, secp256k1.utils.randomSecretKey());
        stored.keys.set(index, key);
      }
      return key;
    });
  }

  private setStatus(signatureId: string, status: WalletStatus, deletionDate: Date | null): WalletView {
    const stored = this.get(signatureId);
    stored.view = { ...stored.view, status, deletionDate, updatedAt: new Date() };
    return stored.view;
  }

  disableWallet(signatureId: string): Promise<WalletView> {
    this.record('disableWallet', signatureId);
    return attempt(() => this.setStatus(signatureId, 'DISABLED', null));
  }

  enableWallet(signatureId: string): Promise<WalletView> {
    this.record('enableWallet', signatureId);
    return attempt(() => this.setStatus(signatureId, 'ACTIVE', null));
  }

  scheduleWalletDeletion(signatureId: string, pendingWindowDays = 30): Promise<WalletView> {
    this.record('scheduleWalletDeletion', signatureId, pendingWindowDays);
    return attempt(() => {
      if (this.get(signatureId).view.status === 'PENDING_DELETION') {
        throw new WalletError('INVALID_STATE', 'the wallet is already pending deletion');
      }
      return this.setStatus(
        signatureId,
        'PENDING_DELETION',
        new Date(Date.now() + pendingWindowDays * 86_400_000),
      );
    });
  }

  cancelWalletDeletion(signatureId: string): Promise<WalletView> {
    this.record('cancelWalletDeletion', signatureId);
    return attempt(() => this.setStatus(signatureId, 'DISABLED', null));
  }

  importWallet(input: CreateWalletInput, privateKey: Uint8Array): Promise<WalletView> {
    this.record('importWallet', input, '<key>');
    this.imported.push({ copy: Uint8Array.from(privateKey), original: privateKey });
    return attempt(() => this.store(input, privateKey, 'EXTERNAL'));
  }

  startBatch(input: Parameters<WalletService['startBatch']>[0]): Promise<BatchView> {
    this.record('startBatch', input);
    const batch = newBatchView(input, new Date());
    this.batches.set(batch.batchId, batch);
    return this.run(batch.batchId);
  }

  getBatch(batchId: string): Promise<BatchView> {
    this.record('getBatch', batchId);
    return attempt(() => this.batch(batchId));
  }

  resumeBatch(batchId: string): Promise<BatchView> {
    this.record('resumeBatch', batchId);
    try {
      const batch = this.batch(batchId);
      if (batch.status === 'COMPLETED') throw new WalletError('INVALID_STATE', 'batch already completed');
      this.batches.set(batchId, { ...batch, status: 'RUNNING', error: null });
      return this.run(batchId);
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  private batch(batchId: string): BatchView {
    const batch = this.batches.get(batchId);
    if (!batch) throw new WalletError('NOT_FOUND', 'no such batch');
    return { ...batch, signatureIds: [...batch.signatureIds] };
  }

  /** Creates one wallet of the batch; false when the batch is no longer running. */
  private step(batchId: string): boolean {
    const batch = this.batches.get(batchId)!;
    if (batch.status !== 'RUNNING') return false;
    if (batch.created >= batch.count) {
      this.batches.set(batchId, { ...batch, status: 'COMPLETED', updatedAt: new Date() });
      return false;
    }
    if (this.failBatchAfter !== undefined && batch.created >= this.failBatchAfter) {
      this.failBatchAfter = undefined;
      this.batches.set(batchId, { ...batch, status: 'FAILED', error: 'KMS unavailable (injected)' });
      return false;
    }
    const { chain, network, userId, asset } = batch;
    const wallet = this.store(
      { chain, network, userId, asset },
      secp256k1.utils.randomSecretKey(),
      'AWS_KMS',
    );
    this.batches.set(batchId, {
      ...batch,
      created: batch.created + 1,
      signatureIds: [...batch.signatureIds, wallet.signatureId],
      updatedAt: new Date(),
    });
    return true;
  }

  private async run(batchId: string): Promise<BatchView> {
    if (this.options.batchMode === 'background') {
      const tick = (): void => {
        if (this.step(batchId)) setTimeout(tick, 1);
      };
      setTimeout(tick, 1);
      return this.batch(batchId);
    }
    while (this.step(batchId)) await Promise.resolve();
    return this.batch(batchId);
  }

  reconcile(options: { dryRun?: boolean; graceSeconds?: number } = {}): Promise<ReconcileReport> {
    this.record('reconcile', options);
    return Promise.resolve({
      keysWithoutRecord: [
        {
          kmsKeyId: '3f9e1c2a-0000-4000-8000-000000000001',
          signatureId: null,
          action: options.dryRun ? 'would adopt' : 'adopted',
        },
      ],
      recordsWithoutKey: [],
      unfinished: [],
      dryRun: options.dryRun === true,
    });
  }

  report(): Promise<WalletReport> {
    this.record('report');
    const views = [...this.wallets.values()].map((w) => w.view);
    const byStatus: Record<WalletStatus, number> = {
      CREATING: 0,
      ACTIVE: 0,
      DISABLED: 0,
      PENDING_DELETION: 0,
    };
    const byChain = new Map<
      string,
      { chain: WalletView['chain']; network: WalletView['network']; wallets: number }
    >();
    let billable = 0;
    for (const v of views) {
      byStatus[v.status]++;
      const entry = byChain.get(`${v.chain}/${v.network}`) ?? {
        chain: v.chain,
        network: v.network,
        wallets: 0,
      };
      entry.wallets++;
      byChain.set(`${v.chain}/${v.network}`, entry);
    }
    const keys = [...this.wallets.values()].reduce((n, w) => n + w.keys.size, 0);
    for (const w of this.wallets.values()) if (w.view.status !== 'PENDING_DELETION') billable += w.keys.size;
    return Promise.resolve({
      totals: { wallets: views.length, byStatus, keys },
      byChain: [...byChain.values()],
      estimatedMonthlyKeyCostUsd: billable,
    });
  }

  private views(): WalletView[] {
    return [...this.wallets.values()].map((w) => w.view);
  }

  private filter(query: WalletFilter): WalletView[] {
    return this.views().filter((v) => matchesQuery(v, query));
  }

  async *exportWallets(query: WalletFilter = {}): AsyncIterable<WalletView> {
    this.record('exportWallets', query);
    for (const view of this.filter(query)) {
      await Promise.resolve();
      yield view;
    }
  }

  countActiveWallets(
    chains: readonly WalletView['chain'][],
    network: WalletView['network'],
  ): Promise<Map<WalletView['chain'], number>> {
    this.record('countActiveWallets', chains, network);
    return Promise.resolve(activeCounts(this.views(), chains, network));
  }

  activeSignatureIds(
    chain: WalletView['chain'],
    network: WalletView['network'],
    limit?: number,
  ): Promise<string[]> {
    this.record('activeSignatureIds', chain, network, limit);
    return Promise.resolve(activeIds(this.views(), chain, network, limit));
  }

  health(): Promise<{ mongo: 'ok' | 'down'; kms: 'ok' | 'down' }> {
    this.record('health');
    return Promise.resolve(this.options.health ?? { mongo: 'ok', kms: 'ok' });
  }
}

function attempt<T>(fn: () => T): Promise<T> {
  try {
    return Promise.resolve(fn());
  } catch (err) {
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
}
