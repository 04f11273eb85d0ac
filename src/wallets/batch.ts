// Batches pre-generate `count` wallets one after another; CreateKey requests are spaced on the KMS
// client (pacing.ts: createKeysPerSecond, default the 5/s CreateKey quota) on top of the vault's limiter. Item n is created with the idempotency key `batch:<id>:<n>` and the
// batch document counts finished items, so a batch interrupted anywhere — even between CreateKey and
// the record update — resumes at item `created` and finishes that item instead of duplicating it.
// One runner per batch, holding the renewable claim "batch:<id>" (db/claims.ts); only the runner writes
// the batch document. A RUNNING batch with no live runner is shown as PAUSED.
import { randomUUID } from 'node:crypto';
import { redactError } from '../config/redact.js';
import { batchDocSchema, checkDoc, checkSet, type BatchDoc, type Claim } from '../db/index.js';
import type { ChainId, NetworkName } from '../chains/index.js';
import { WalletError, type BatchView } from './contract.js';
import { sleep, type ServiceContext } from './context.js';
import type { CreateOptions } from './create.js';
import { createWallet } from './create.js';
import { toWalletError } from './errors.js';
import { checkBatchCount, checkCreateInput, checkSignatureId } from './validation.js';
import { presentedDoc } from './resumable-status.js';

export interface BatchInput {
  userId: string;
  chain: ChainId;
  asset: string;
  network: NetworkName;
  count: number;
  /** The caller (API principal); the per-caller cap on queued keys counts by it. Default "cli". */
  requestedBy?: string;
}

const ITEM_ATTEMPTS = 4;

export const batchClaim = (batchId: string): string => `batch:${batchId}`;
/** Held while a caller's queued keys are counted and its batch inserted, so two requests cannot both fit. */
const quotaClaim = (caller: string): string => `batch-quota:${caller}`;

export class BatchRunner {
  private readonly running = new Map<string, Promise<BatchView>>();
  private stopping = false;

  constructor(private readonly ctx: ServiceContext) {}

  async start(raw: BatchInput): Promise<BatchView> {
    const input = checkCreateInput({
      userId: raw.userId,
      chain: raw.chain,
      asset: raw.asset,
      network: raw.network,
    });
    const count = checkBatchCount(raw.count);
    const requestedBy = raw.requestedBy ?? 'cli';
    const inserted = await this.ctx.claims.with(
      quotaClaim(requestedBy),
      this.ctx.owner,
      this.ctx.leaseMs,
      () => this.insertWithinQuota(input, count, requestedBy),
    );
    if (!inserted)
      throw new WalletError('CONFLICT', 'another batch request of this caller is being queued; retry');
    const doc = inserted.value;
    const claim = await this.ctx.claims.acquire(batchClaim(doc._id), this.ctx.owner, this.ctx.leaseMs);
    if (claim) void this.launch(doc, claim);
    return this.view(doc);
  }

  /** Keys `caller` has queued: not yet created in its RUNNING and PAUSED batches. */
  private async queuedKeys(caller: string): Promise<number> {
    const unfinished = this.ctx.batches.find(
      { requestedBy: caller, status: { $in: ['RUNNING', 'PAUSED'] } },
      { projection: { count: 1, created: 1 } },
    );
    let queued = 0;
    for await (const batch of unfinished) queued += batch.count - batch.created;
    return queued;
  }

  private async insertWithinQuota(
    input: ReturnType<typeof checkCreateInput>,
    count: number,
    requestedBy: string,
  ): Promise<BatchDoc> {
    const cap = this.ctx.maxQueuedBatchKeys;
    const queued = await this.queuedKeys(requestedBy);
    if (queued + count > cap) {
      throw new WalletError(
        'QUOTA_EXCEEDED',
        `count: ${count} more keys would exceed this caller's cap of ${cap} keys queued in unfinished ` +
          `batches (${queued} queued now; BATCH_MAX_QUEUED_KEYS); wait for them to finish`,
        'count',
      );
    }
    const now = this.ctx.clock();
    const doc = checkDoc(batchDocSchema, 'batches', {
      _id: randomUUID(),
      userId: input.userId,
      chain: input.chain,
      network: input.network,
      asset: input.asset,
      count,
      created: 0,
      status: 'RUNNING',
      error: null,
      requestedBy,
      createdAt: now,
      updatedAt: now,
    });
    await this.ctx.batches.insertOne(doc);
    return doc;
  }

  async get(rawBatchId: string): Promise<BatchView> {
    return this.view(await this.load(rawBatchId));
  }

  /** Continues a PAUSED/FAILED/interrupted batch in the background. */
  async resume(rawBatchId: string): Promise<BatchView> {
    const doc = await this.load(rawBatchId);
    if (doc.status === 'COMPLETED' || this.running.has(doc._id)) return this.view(doc);
    const claim = await this.ctx.claims.acquire(batchClaim(doc._id), this.ctx.owner, this.ctx.leaseMs);
    if (!claim) return this.view(doc); // another process is running it
    const running = await this.markRunning(doc);
    void this.launch(running, claim);
    return this.view(running);
  }

  /** Runs (or resumes) the batch to its end and returns the final view; for the CLI. */
  async run(rawBatchId: string): Promise<BatchView> {
    let doc = await this.load(rawBatchId);
    for (;;) {
      const local = this.running.get(doc._id);
      if (local) return local;
      if (doc.status === 'COMPLETED') return this.view(doc);
      const claim = await this.ctx.claims.acquire(batchClaim(doc._id), this.ctx.owner, this.ctx.leaseMs);
      if (claim) return this.launch(await this.markRunning(doc), claim);
      await sleep(1000); // another process holds it: wait for it to finish or for its claim to lapse
      doc = await this.load(doc._id);
    }
  }

  /** Takes over every RUNNING or PAUSED batch nobody runs (after a restart); returns how many. */
  async resumeUnfinished(): Promise<number> {
    let started = 0;
    for await (const doc of this.ctx.batches.find({ status: { $in: ['RUNNING', 'PAUSED'] } })) {
      if (this.stopping) break;
      if (this.running.has(doc._id)) continue;
      const claim = await this.ctx.claims.acquire(batchClaim(doc._id), this.ctx.owner, this.ctx.leaseMs);
      if (!claim) continue; // its runner is alive
      void this.launch(await this.markRunning(doc), claim);
      started += 1;
    }
    return started;
  }

  /** Stops every local runner after its current item (status PAUSED) and waits for them. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  private launch(doc: BatchDoc, claim: Claim): Promise<BatchView> {
    const promise = this.loop(doc, claim).finally(() => {
      this.running.delete(doc._id);
      return this.ctx.claims.release(claim);
    });
    this.running.set(doc._id, promise);
    return promise;
  }

  private async load(rawBatchId: string): Promise<BatchDoc> {
    let id: string;
    try {
      id = checkSignatureId(rawBatchId);
    } catch {
      throw new WalletError('NOT_FOUND', 'no such batch');
    }
    const doc = await this.ctx.batches.findOne({ _id: id });
    if (!doc) throw new WalletError('NOT_FOUND', 'no such batch');
    return doc;
  }

  /** Writes the batch document; only the claim holder calls this. */
  private async save(doc: BatchDoc, fields: Partial<BatchDoc>): Promise<BatchDoc> {
    const next = { ...doc, ...fields, updatedAt: this.ctx.clock() };
    await this.ctx.batches.updateOne(
      { _id: doc._id },
      { $set: checkSet(batchDocSchema, 'batches', { ...fields, updatedAt: next.updatedAt }) },
    );
    return next;
  }

  private markRunning(doc: BatchDoc): Promise<BatchDoc> {
    return doc.status === 'RUNNING' ? Promise.resolve(doc) : this.save(doc, { status: 'RUNNING' });
  }

  private async loop(start: BatchDoc, claim: Claim): Promise<BatchView> {
    let doc = start;
    try {
      while (doc.created < doc.count) {
        if (this.stopping) return await this.view(await this.save(doc, { status: 'PAUSED' }));
        // Lost the claim (this process stalled past the lease and another runner took over): stop.
        if (!(await this.ctx.claims.renew(claim, this.ctx.leaseMs))) return await this.get(doc._id);
        await this.createItem(doc, doc.created);
        doc = await this.save(doc, { created: doc.created + 1 });
      }
      return await this.view(await this.save(doc, { status: 'COMPLETED' }));
    } catch (error) {
      return this.view(await this.save(doc, { status: 'FAILED', error: redactError(toWalletError(error)) }));
    }
  }

  private async createItem(batch: BatchDoc, seq: number): Promise<void> {
    const options: CreateOptions = {
      idempotencyKey: `batch:${batch._id}:${seq}`,
      batch: { batchId: batch._id, batchSeq: seq },
    };
    const input = { userId: batch.userId, chain: batch.chain, asset: batch.asset, network: batch.network };
    for (let attempt = 1; ; attempt++) {
      try {
        const { wallet } = await createWallet(this.ctx, input, options);
        if (wallet.status !== 'CREATING') return;
        throw new WalletError('UNAVAILABLE', `wallet ${wallet.signatureId} is still being created`);
      } catch (error) {
        const translated = toWalletError(error);
        const transient =
          translated instanceof WalletError &&
          (translated.code === 'UNAVAILABLE' || translated.code === 'CONFLICT');
        if (!transient || attempt >= ITEM_ATTEMPTS || this.stopping) throw error;
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  private async view(stored: BatchDoc): Promise<BatchView> {
    const doc = await presentedDoc(stored, {
      runningHere: this.running.has(stored._id),
      hasClaimHolder: async () => (await this.ctx.claims.holder(batchClaim(stored._id))) !== null,
      reread: () => this.ctx.batches.findOne({ _id: stored._id }),
    });
    const signatureIds = await this.ctx.wallets
      .find({ batchId: doc._id }, { projection: { signatureId: 1 } })
      .sort({ batchSeq: 1 })
      .map((w) => w.signatureId)
      .toArray();
    const status = doc.status;
    return {
      batchId: doc._id,
      chain: doc.chain,
      network: doc.network,
      userId: doc.userId,
      asset: doc.asset,
      count: doc.count,
      created: doc.created,
      status,
      error: doc.error,
      signatureIds,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    };
  }
}
