// Everything the approvals HTTP app needs, built once from the database, the wallet service and the
// configuration: the stores, the audit trail and the decode adapter.
import type { Db } from 'mongodb';
import type { SigningPolicy } from '../tatum/config.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../tatum/jobs.js';
import type { PendingTransaction } from '../tatum/types.js';
import type { WalletService } from '../wallets/contract.js';
import { ApprovalAudit } from './audit.js';
import { quorumFor, type ApprovalsConfig } from './config.js';
import { decodePending } from './decode.js';
import { OperatorStore } from './operators.js';
import { SessionStore } from './sessions.js';
import { ApprovalStore, type PendingDoc } from './store.js';
import { sealKey } from './two-step/seed-seal.js';
import { TwoStepStore } from './two-step/store.js';
import type { QuorumState } from './quorum.js';

export interface ApprovalsDeps {
  db: Db;
  config: ApprovalsConfig;
  wallets: Pick<WalletService, 'getWallet' | 'existingAddress'>;
  policy?: SigningPolicy;
  clock?: () => Date;
}

export class ApprovalsService {
  readonly config: ApprovalsConfig;
  readonly store: ApprovalStore;
  readonly operators: OperatorStore;
  readonly twoStep: TwoStepStore;
  readonly sessions: SessionStore;
  readonly audit: ApprovalAudit;
  readonly clock: () => Date;

  constructor(private readonly deps: ApprovalsDeps) {
    this.config = deps.config;
    this.clock = deps.clock ?? (() => new Date());
    this.store = new ApprovalStore(deps.db, this.clock);
    this.twoStep = new TwoStepStore(deps.db, this.clock, sealKey(deps.config.loopSecret));
    this.operators = new OperatorStore(
      deps.db,
      this.clock,
      { maxFailedLogins: deps.config.maxFailedLogins, windowMs: deps.config.lockoutWindowMs },
      this.twoStep,
    );
    this.sessions = new SessionStore(deps.db, this.clock, deps.config.sessionTtlMs);
    this.audit = new ApprovalAudit(deps.db, this.clock);
  }

  present(pending: PendingTransaction) {
    return this.store.present(pending, () =>
      decodePending(pending, {
        db: this.deps.db,
        wallets: this.deps.wallets,
        clock: this.clock,
        ...(this.deps.policy ? { policy: this.deps.policy } : {}),
      }),
    );
  }

  /** What the signing loop did with it since (signing_jobs, same database): e.g. BROADCAST, FAILED. */
  async jobState(id: string): Promise<string | null> {
    const job = await this.deps.db
      .collection<Pick<SigningJobDoc, '_id' | 'state'>>(SIGNING_JOBS)
      .findOne({ _id: id }, { projection: { state: 1 } });
    return job?.state ?? null;
  }

  state(doc: PendingDoc): Promise<QuorumState> {
    const quorum = quorumFor(this.config, doc.chain, doc.decoded.network);
    return this.store.state(doc, quorum, this.config.approvalTtlMs);
  }
}
