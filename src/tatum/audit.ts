// The append-only audit trail of the signing loop (`signing_audit`): one record per processing of a
// pending transaction (exactly one final record — BROADCAST or FAILED — per job, by its _id) — what was asked, what the one decode says it does, who decided what, which digests
// which KMS keys signed, the resulting txid. Public data only: never the Tatum API key or a secret.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db } from 'mongodb';
import type { SignedDigest, TransactionSummary } from '../signer/index.js';
import type { PolicyDecision } from './policy.js';

export const SIGNING_AUDIT = 'signing_audit';

export type AuditOutcome = 'BROADCAST' | 'SIGNED' | 'FAILED' | 'RETRY';

export interface FourEyeAudit {
  checked: boolean;
  ok: boolean;
  detail: string;
}

/** What a job collects while it runs; completed by an outcome when it ends. */
export interface JobAudit {
  pendingId: string;
  chain: string;
  network: string;
  runner: string;
  /** Wallet signature ids named by the pending transaction. */
  wallets: string[];
  kmsKeyIds: string[];
  /** The transaction as the signer decoded it; null when it was never decoded (e.g. a re-broadcast). */
  decoded: TransactionSummary | null;
  digests: SignedDigest[];
  fourEye: FourEyeAudit | null;
  policy: PolicyDecision | null;
  txId: string | null;
  /** True when stored bytes were re-broadcast instead of signing. */
  rebroadcast: boolean;
  startedAt: Date;
  /** The job's round when it was reopened for a corrected entry (refused-payloads.ts); absent = first. */
  round?: number;
}

export interface AuditRecord extends JobAudit {
  _id: string;
  outcome: AuditOutcome;
  error: string | null;
  finishedAt: Date;
}

const FINAL_OUTCOMES: readonly AuditOutcome[] = ['BROADCAST', 'FAILED'];
const DUPLICATE_KEY = 11000;

/**
 * The _id of a job's one final record (of its round, when reopened for a corrected entry): a second final
 * record of the same job and round collides and is dropped.
 */
export function finalAuditId(pendingId: string, round?: number): string {
  return round === undefined ? `${pendingId}:final` : `${pendingId}:final:${round}`;
}

/** True for a job's one final record (BROADCAST or FAILED). */
export function isFinalOutcome(outcome: AuditOutcome): boolean {
  return FINAL_OUTCOMES.includes(outcome);
}

/** A record with its _id: a final one gets the job's one final _id, any other a fresh one. */
export function auditRecord(entry: Omit<AuditRecord, '_id'>): AuditRecord {
  const final = isFinalOutcome(entry.outcome);
  return { _id: final ? finalAuditId(entry.pendingId, entry.round) : randomUUID(), ...entry };
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  /**
   * Appends a record; false when it is a final record and the job already has one. (The signing loop
   * writes its records together with the job's update: job-writes.ts.)
   */
  async record(entry: Omit<AuditRecord, '_id'>): Promise<boolean> {
    try {
      await this.db.collection<AuditRecord>(SIGNING_AUDIT).insertOne(auditRecord(entry));
      return true;
    } catch (error) {
      if (isFinalOutcome(entry.outcome) && error instanceof MongoServerError && error.code === DUPLICATE_KEY)
        return false;
      throw error;
    }
  }
}
