// The approvals audit trail (`approval_audit`): one document per sign-in, vote, refusal and decision
// given to the loop — who, what, when, from where. Only ever inserted: no code path updates or deletes
// it (grant the service's database user insert+find only on this collection in production).
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';

export const APPROVAL_AUDIT = 'approval_audit';

export type ApprovalAuditAction =
  | 'login'
  | 'login-failed'
  | 'login-locked'
  | 'logout'
  | 'approve'
  | 'reject'
  | 'vote-refused'
  | 'csrf-refused'
  | 'forbidden'
  | 'registered'
  | 'content-changed'
  | 'released'
  | 'loop-refused'
  | 'operator-created'
  | 'operator-role-changed'
  | 'operator-disabled'
  | 'operator-enabled'
  | 'operator-unlocked'
  | 'operator-password-reset'
  | 'password-changed'
  | 'two-step-enabled'
  | 'two-step-reset';

export interface ApprovalAuditRecord {
  _id: string;
  at: Date;
  /** Operator username, "loop" for the signing loop, "anonymous" before sign-in. */
  actor: string;
  action: ApprovalAuditAction;
  pendingId: string | null;
  contentHash: string | null;
  detail: string;
  /** Client address as the server saw it (the socket's peer, or X-Forwarded-For behind a trusted proxy). */
  ip: string;
  userAgent: string | null;
}

export type AuditEntry = Omit<ApprovalAuditRecord, '_id' | 'at' | 'pendingId' | 'contentHash' | 'userAgent'> &
  Partial<Pick<ApprovalAuditRecord, 'pendingId' | 'contentHash' | 'userAgent'>>;

export class ApprovalAudit {
  constructor(
    private readonly db: Db,
    private readonly clock: () => Date,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    await this.db.collection<ApprovalAuditRecord>(APPROVAL_AUDIT).insertOne({
      _id: randomUUID(),
      at: this.clock(),
      pendingId: null,
      contentHash: null,
      userAgent: null,
      ...entry,
    });
  }

  /** Newest first. */
  recent(limit: number, pendingId?: string): Promise<ApprovalAuditRecord[]> {
    return this.db
      .collection<ApprovalAuditRecord>(APPROVAL_AUDIT)
      .find(pendingId === undefined ? {} : { pendingId })
      .sort({ at: -1 })
      .limit(limit)
      .toArray();
  }
}
