// Pending transactions as the loop presented them, and the operators' votes on them. A vote is bound to
// the content hash of what the operator saw: when the loop presents different content for the same id,
// the earlier votes stop counting. One vote per (transaction, content, operator, decision) is enforced by
// the _id — an insert against the unique _id index is the one atomic primitive FerretDB 1.24 offers
// (src/db/claims.ts), so two approvals by one operator in the same instant still count once.
import { createHash } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import type { PendingTransaction } from '../tatum/types.js';
import type { DecodedPending } from './decode.js';
import { decide, type QuorumState } from './quorum.js';

export const APPROVAL_PENDING = 'approval_pending';
export const APPROVAL_VOTES = 'approval_votes';

export interface PendingDoc {
  _id: string;
  chain: string;
  contentHash: string;
  pending: PendingTransaction;
  decoded: DecodedPending;
  /** 1 when first seen, +1 each time the loop presented different content. */
  revision: number;
  firstSeenAt: Date;
  updatedAt: Date;
}

export interface VoteDoc {
  _id: string;
  pendingId: string;
  contentHash: string;
  operator: string;
  decision: 'approve' | 'reject';
  reason: string | null;
  at: Date;
  ip: string;
}

export type VoteResult = 'recorded' | 'duplicate' | 'changed' | 'unknown';

const DUPLICATE_KEY = 11000;

/**
 * SHA-256 of the pending transaction with its keys sorted, without txId (set once it is done). Of the
 * loop's `decoded` only the transfers count: gas, gas price and nonce the loop completes from its node may
 * differ from pass to pass without changing what the operators approved.
 */
export function contentHash(pending: PendingTransaction): string {
  const content: Record<string, unknown> = { ...pending };
  delete content.txId;
  const decoded = content.decoded as { transfers?: unknown } | undefined;
  if (decoded !== undefined) content.decoded = { transfers: decoded.transfers ?? null };
  return createHash('sha256').update(canonicalJson(content)).digest('hex');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export class ApprovalStore {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  private get pendingCollection() {
    return this.db.collection<PendingDoc>(APPROVAL_PENDING);
  }

  private get votes() {
    return this.db.collection<VoteDoc>(APPROVAL_VOTES);
  }

  get(id: string): Promise<PendingDoc | null> {
    return this.pendingCollection.findOne({ _id: id });
  }

  /** Newest first. */
  list(limit = 200): Promise<PendingDoc[]> {
    return this.pendingCollection.find({}).sort({ updatedAt: -1 }).limit(limit).toArray();
  }

  /**
   * Records what the loop presented. `decode` runs only for new or changed content. Returns the stored
   * document and whether it was new, changed or the same as before.
   */
  async present(
    pending: PendingTransaction,
    decode: () => Promise<DecodedPending>,
  ): Promise<{ doc: PendingDoc; change: 'new' | 'changed' | 'same' }> {
    const hash = contentHash(pending);
    const existing = await this.get(pending.id);
    if (existing?.contentHash === hash) return { doc: existing, change: 'same' };
    const now = this.clock();
    const doc: PendingDoc = {
      _id: pending.id,
      chain: pending.chain,
      contentHash: hash,
      pending,
      decoded: await decode(),
      revision: (existing?.revision ?? 0) + 1,
      firstSeenAt: existing?.firstSeenAt ?? now,
      updatedAt: now,
    };
    try {
      await this.pendingCollection.replaceOne({ _id: doc._id }, doc, { upsert: true });
    } catch (error) {
      // Two first presentations at once (FerretDB's upsert is read-then-insert): the other one won.
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      return this.present(pending, decode);
    }
    return { doc, change: existing ? 'changed' : 'new' };
  }

  /** Votes on the content with hash `hash`. */
  votesOn(pendingId: string, hash: string): Promise<VoteDoc[]> {
    return this.votes.find({ pendingId, contentHash: hash }).sort({ at: 1 }).toArray();
  }

  async state(doc: PendingDoc, quorum: number, ttlMs: number): Promise<QuorumState> {
    return decide(await this.votesOn(doc._id, doc.contentHash), quorum, ttlMs, this.clock());
  }

  /**
   * One operator's vote on the content they reviewed (`hash`). An expired approval of theirs is replaced
   * by the new one; an approval still counting, or a rejection already given, makes it a duplicate.
   */
  async vote(input: Omit<VoteDoc, '_id' | 'at'>, approvalTtlMs: number): Promise<VoteResult> {
    const doc = await this.get(input.pendingId);
    if (!doc) return 'unknown';
    if (doc.contentHash !== input.contentHash) return 'changed';
    const _id = [input.pendingId, input.contentHash, input.operator, input.decision].join(':');
    const now = this.clock();
    const earlier = await this.votes.findOne({ _id });
    if (earlier) {
      const expired = earlier.decision === 'approve' && now.getTime() - earlier.at.getTime() >= approvalTtlMs;
      if (!expired) return 'duplicate';
      // Only this exact expired vote; a racing re-approval then collides on the insert below.
      await this.votes.deleteOne({ _id, at: earlier.at });
    }
    try {
      await this.votes.insertOne({ ...input, _id, at: now });
    } catch (error) {
      if (error instanceof MongoServerError && error.code === DUPLICATE_KEY) return 'duplicate';
      throw error;
    }
    return 'recorded';
  }
}
