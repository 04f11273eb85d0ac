// The append-only audit trail of the signing loop (`signing_audit`): one record per processing of a
// pending transaction — what was asked, who decided what, which digests which KMS keys signed, the
// resulting txid. Public data only: never the Tatum API key, a secret or the signed bytes' keys.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { SignedDigest } from '../signer/index.js';
import type { PolicyDecision } from './policy.js';

export const SIGNING_AUDIT = 'signing_audit';

export type AuditOutcome = 'BROADCAST' | 'SIGNED' | 'FAILED' | 'RETRY';

export interface AuditRecord {
  _id: string;
  pendingId: string;
  chain: string;
  network: string;
  runner: string;
  outcome: AuditOutcome;
  /** Wallet signature ids named by the pending transaction. */
  wallets: string[];
  kmsKeyIds: string[];
  digests: SignedDigest[];
  fourEye: { checked: boolean; ok: boolean; detail: string } | null;
  policy: PolicyDecision | null;
  txId: string | null;
  /** True when stored bytes were re-broadcast instead of signing. */
  rebroadcast: boolean;
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
}

export class AuditLog {
  constructor(private readonly db: Db) {}

  async record(entry: Omit<AuditRecord, '_id'>): Promise<void> {
    await this.db.collection<AuditRecord>(SIGNING_AUDIT).insertOne({ _id: randomUUID(), ...entry });
  }
}
