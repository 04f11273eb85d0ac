// Key administration as resumable jobs. Disabling a wallet with hundreds of index keys takes minutes at
// the KMS key-administration rate (the vault's `keyAdmin` limiter, default 5/s), longer than an API
// request may last, so a lifecycle request writes a job document and answers at once; a runner does
// the keys in index order, saving its place after each, and sets the wallet's status at the end.
//
// Exclusion, on FerretDB's one atomic primitive (an insert against a unique _id):
// - per wallet: `wallet_operation_locks/{_id: signatureId}` exists while a job is unfinished, so a
//   second request is a CONFLICT (409) even when the first job's runner has died — its job is resumed,
//   never overlapped. The lock is removed when the job is COMPLETED or FAILED, by {_id, operationId}
//   (FerretDB's filtered delete is read-then-delete, but only a finished job's runner ever deletes it).
// - per job: the runner holds the claim "wallet:<signatureId>" (db/claims.ts), renewed at half-lease,
//   which also keeps reconcile off the wallet. A runner that lost it (stalled past the lease) stops.
import { randomUUID } from 'node:crypto';
import { redactError } from '../config/redact.js';
import {
  checkDoc,
  checkSet,
  isPending,
  walletOperationDocSchema,
  type Claim,
  type WalletOperationDoc,
} from '../db/index.js';
import { MAX_PENDING_WINDOW_DAYS } from '../kms/index.js';
import { WalletError, type WalletOperationAction, type WalletOperationView } from './contract.js';
import { sleep, type ServiceContext } from './context.js';
import { isDuplicateKey, toWalletError } from './errors.js';
import { checkTransition, finishTransition, TRANSITIONS, walletClaim } from './lifecycle.js';
import { checkPendingWindow, checkSignatureId } from './validation.js';
import { presentedDoc } from './resumable-status.js';

const KEY_ATTEMPTS = 4;

interface NextKey {
  index: number;
  kmsKeyId: string;
}

const conflict = (detail: string) => new WalletError('CONFLICT', detail);

export class WalletOperationRunner {
  private readonly running = new Map<string, Promise<WalletOperationDoc>>();
  /** Why a local job FAILED, as thrown (run() rethrows it: the CLI maps its code). */
  private readonly failures = new Map<string, Error>();
  private stopping = false;

  constructor(private readonly ctx: ServiceContext) {}

  async start(
    rawSignatureId: string,
    action: WalletOperationAction,
    pendingWindowDays?: number,
  ): Promise<WalletOperationView> {
    const signatureId = checkSignatureId(rawSignatureId);
    const transition = TRANSITIONS[action];
    const days =
      action === 'delete' ? checkPendingWindow(pendingWindowDays ?? MAX_PENDING_WINDOW_DAYS) : null;
    checkTransition(transition, await this.ctx.wallets.findOne({ _id: signatureId }));
    if (await this.ctx.claims.holder(walletClaim(signatureId))) {
      throw conflict('another operation on this wallet is in progress; retry');
    }
    const now = this.ctx.clock();
    const doc = checkDoc(walletOperationDocSchema, 'wallet_operations', {
      _id: randomUUID(),
      signatureId,
      action,
      pendingWindowDays: days,
      status: 'RUNNING',
      keys: 1 + (await this.ctx.walletKeys.countDocuments({ signatureId })),
      done: 0,
      lastIndex: null,
      deletionDate: null,
      error: null,
      createdAt: now,
      updatedAt: now,
    });
    // The job first, then the lock: a crash in between leaves a job without lock, which resume fails.
    await this.ctx.walletOperations.insertOne(doc);
    const claim = await this.lock(doc);
    try {
      // Under the lock now: the status may have changed since the first look (a job just finished).
      checkTransition(transition, await this.ctx.wallets.findOne({ _id: signatureId }));
    } catch (error) {
      await this.unlock(doc, claim);
      throw error;
    }
    void this.launch(doc, claim);
    return this.view(doc);
  }

  async get(rawSignatureId: string, rawOperationId: string): Promise<WalletOperationView> {
    return this.view(await this.load(rawSignatureId, rawOperationId));
  }

  /** Starts the job and waits for its end; the CLI's and the synchronous service methods' way. */
  async run(signatureId: string, action: WalletOperationAction, days?: number): Promise<WalletOperationView> {
    const started = await this.start(signatureId, action, days);
    const doc = await (this.running.get(started.operationId) ?? this.load(signatureId, started.operationId));
    const failure = this.failures.get(doc._id);
    this.failures.delete(doc._id);
    if (doc.status === 'FAILED') throw failure ?? new WalletError('UNAVAILABLE', doc.error ?? 'failed');
    return this.view(doc);
  }

  /**
   * Takes over every unfinished job whose runner is gone (after a restart, or another instance died);
   * returns how many it started. Long-running processes call this at start and then periodically.
   */
  async resumeUnfinished(): Promise<number> {
    let started = 0;
    const unfinished = this.ctx.walletOperations.find({ status: { $in: ['RUNNING', 'PAUSED'] } });
    for await (const doc of unfinished) {
      if (this.stopping) break;
      if (this.running.has(doc._id)) continue;
      const lock = await this.ctx.walletOperationLocks.findOne({ _id: doc.signatureId });
      if (lock?.operationId !== doc._id) {
        // Its start never took the lock (crash in between, or another job got it): it never ran.
        await this.save(doc, { status: 'FAILED', error: 'interrupted before it started; not applied' });
        continue;
      }
      const claim = await this.ctx.claims.acquire(
        walletClaim(doc.signatureId),
        this.ctx.owner,
        this.ctx.leaseMs,
      );
      if (!claim) continue; // its runner is alive
      void this.launch(doc.status === 'RUNNING' ? doc : await this.save(doc, { status: 'RUNNING' }), claim);
      started += 1;
    }
    return started;
  }

  /** Stops every local runner after its current key (status PAUSED) and waits for them. */
  async close(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.running.values()]);
  }

  /** Inserts the wallet's operation lock and takes the wallet claim; undoes the job when either fails. */
  private async lock(doc: WalletOperationDoc): Promise<Claim> {
    const abandon = async (error: WalletError): Promise<never> => {
      await this.ctx.walletOperations.deleteOne({ _id: doc._id });
      throw error;
    };
    try {
      await this.ctx.walletOperationLocks.insertOne({
        _id: doc.signatureId,
        operationId: doc._id,
        createdAt: doc.createdAt,
      });
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      const held = await this.ctx.walletOperationLocks.findOne({ _id: doc.signatureId });
      return abandon(
        conflict(`operation ${held?.operationId ?? '?'} on this wallet is unfinished; retry when it ends`),
      );
    }
    const claim = await this.ctx.claims.acquire(
      walletClaim(doc.signatureId),
      this.ctx.owner,
      this.ctx.leaseMs,
    );
    if (claim) return claim;
    await this.ctx.walletOperationLocks.deleteOne({ _id: doc.signatureId, operationId: doc._id });
    return abandon(conflict('another operation on this wallet is in progress; retry'));
  }

  /** Undoes a started job that must not run (its wallet's status no longer allows it). */
  private async unlock(doc: WalletOperationDoc, claim: Claim): Promise<void> {
    await this.ctx.walletOperationLocks.deleteOne({ _id: doc.signatureId, operationId: doc._id });
    await this.ctx.walletOperations.deleteOne({ _id: doc._id });
    await this.ctx.claims.release(claim);
  }

  private launch(doc: WalletOperationDoc, claim: Claim): Promise<WalletOperationDoc> {
    const promise = this.loop(doc, claim)
      .catch(() => doc) // the database went away mid-job: the claim lapses and resume takes it over
      .finally(() => {
        this.running.delete(doc._id);
        return this.ctx.claims.release(claim).catch(() => undefined);
      });
    this.running.set(doc._id, promise);
    return promise;
  }

  private async loop(start: WalletOperationDoc, claim: Claim): Promise<WalletOperationDoc> {
    const transition = TRANSITIONS[start.action];
    let doc = start;
    try {
      for (;;) {
        if (this.stopping) return await this.save(doc, { status: 'PAUSED' });
        // Lost the claim (stalled past the lease; another runner took over): stop writing.
        if (!(await this.ctx.claims.renewIfDue(claim, this.ctx.leaseMs))) return doc;
        const key = await this.nextKey(doc);
        if (!key) break;
        const date = await this.applyKey(doc, key.kmsKeyId);
        // The KMS call may have stalled past the lease: write progress only while the claim is still ours.
        if (!(await this.ctx.claims.renew(claim, this.ctx.leaseMs))) return doc;
        const earliest =
          date && (doc.deletionDate === null || date < doc.deletionDate) ? date : doc.deletionDate;
        doc = await this.save(doc, { done: doc.done + 1, lastIndex: key.index, deletionDate: earliest });
      }
      await finishTransition(this.ctx, transition, doc);
      doc = await this.save(doc, { status: 'COMPLETED' });
    } catch (error) {
      const translated = toWalletError(error);
      this.failures.set(doc._id, translated instanceof Error ? translated : new Error(String(translated)));
      doc = await this.save(doc, { status: 'FAILED', error: redactError(toWalletError(error)) });
    }
    await this.ctx.walletOperationLocks.deleteOne({ _id: doc.signatureId, operationId: doc._id });
    return doc;
  }

  /** One key's KMS step; throttling and outages are retried a few times before the job fails. */
  private async applyKey(doc: WalletOperationDoc, keyId: string): Promise<Date | undefined> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await TRANSITIONS[doc.action].applyKey(this.ctx, keyId, doc.pendingWindowDays);
      } catch (error) {
        const translated = toWalletError(error);
        const transient = translated instanceof WalletError && translated.code === 'UNAVAILABLE';
        if (!transient || attempt >= KEY_ATTEMPTS || this.stopping) throw error;
        await sleep(500 * 2 ** attempt);
      }
    }
  }

  /** The next key after `lastIndex`: index 0 (the wallet's own key), then index keys in order. */
  private async nextKey(doc: WalletOperationDoc): Promise<NextKey | null> {
    if (doc.lastIndex === null) {
      const wallet = await this.ctx.wallets.findOne(
        { _id: doc.signatureId },
        { projection: { kmsKeyId: 1 } },
      );
      if (wallet && !isPending(wallet.kmsKeyId)) return { index: 0, kmsKeyId: wallet.kmsKeyId };
    }
    const after = doc.lastIndex ?? 0;
    for (let from = after; ;) {
      const next = await this.ctx.walletKeys
        .find(
          { signatureId: doc.signatureId, index: { $gt: from } },
          { projection: { index: 1, kmsKeyId: 1 } },
        )
        .sort({ index: 1 })
        .limit(1)
        .next();
      if (!next) return null;
      // A key still being created has no KMS key yet; keys.ts aligns it with the wallet once it has.
      if (!isPending(next.kmsKeyId)) return { index: next.index, kmsKeyId: next.kmsKeyId };
      from = next.index;
    }
  }

  private async load(rawSignatureId: string, rawOperationId: string): Promise<WalletOperationDoc> {
    const notFound = new WalletError('NOT_FOUND', 'no such operation', 'operationId');
    let signatureId: string;
    let operationId: string;
    try {
      signatureId = checkSignatureId(rawSignatureId);
      operationId = checkSignatureId(rawOperationId);
    } catch {
      throw notFound;
    }
    const doc = await this.ctx.walletOperations.findOne({ _id: operationId });
    if (!doc || doc.signatureId !== signatureId) throw notFound;
    return doc;
  }

  /** Writes the job document; only the runner holding the wallet claim calls this. */
  private async save(
    doc: WalletOperationDoc,
    fields: Partial<WalletOperationDoc>,
  ): Promise<WalletOperationDoc> {
    const next = { ...doc, ...fields, updatedAt: this.ctx.clock() };
    await this.ctx.walletOperations.updateOne(
      { _id: doc._id },
      {
        $set: checkSet(walletOperationDocSchema, 'wallet_operations', {
          ...fields,
          updatedAt: next.updatedAt,
        }),
      },
    );
    return next;
  }

  private async view(stored: WalletOperationDoc): Promise<WalletOperationView> {
    const doc = await presentedDoc(stored, {
      runningHere: this.running.has(stored._id),
      hasClaimHolder: async () => (await this.ctx.claims.holder(walletClaim(stored.signatureId))) !== null,
      reread: () => this.ctx.walletOperations.findOne({ _id: stored._id }),
    });
    const status = doc.status;
    return {
      operationId: doc._id,
      signatureId: doc.signatureId,
      action: doc.action,
      status,
      keys: doc.keys,
      done: doc.done,
      targetStatus: TRANSITIONS[doc.action].to,
      pendingWindowDays: doc.pendingWindowDays,
      error: doc.error,
      createdAt: doc.createdAt,
      updatedAt: doc.updatedAt,
    };
  }
}
