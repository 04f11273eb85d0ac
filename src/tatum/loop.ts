// One pass of the Tatum signing loop: for each chain, fetch what Tatum queued for our ACTIVE wallets and
// run every pending transaction as a job (job.ts) concurrently, bounded; then report all of the pass's
// failures to Tatum in one reportErrors call (entry by entry when Tatum refuses the batch: report-sender.ts).
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import type { ChainViews } from '../chain-view/index.js';
import type { ChainId, NetworkName } from '../chains/index.js';
import type { DigestSigner } from '../signer/index.js';
import type { WalletService } from '../wallets/contract.js';
import { ActiveWalletIds, DEFAULT_WALLET_REFRESH_MS } from './active-wallet-ids.js';
import { DEFAULT_CONCURRENCY, type SigningPolicy } from './config.js';
import { errorMessage } from '../util/error-message.js';
import type { FourEyeMethod } from './four-eye.js';
import { processJob, type JobContext, type JobHooks, type JobResult } from './job.js';
import { JobStore, writeBatchesFor } from './jobs.js';
import { runPending } from './page.js';
import { MAX_SIGNATURE_IDS_PER_CHAIN, tooManySignatureIds } from './limits.js';
import { NonceLedger } from './nonce-ledger.js';
import { confirmationDepth } from './confirmations.js';
import { DEFAULT_REPORT_RETRIES_AFTER_MS, giveUpOnOldRetries } from './give-up.js';
import { FailureReports, type FailureReport } from './failure-reports.js';
import { InvalidEntries, type InvalidReport } from './invalid-entries.js';
import { sendFailureReports } from './report-sender.js';
import { reconcile } from './reconcile.js';
import { repairFinalAudits } from './audit-repair.js';
import { SpendLocks } from './spend-locks.js';
import type { PendingFetch, PendingTransaction, TatumKmsApi } from './types.js';

export type { JobHooks as LoopHooks, JobOutcome, JobResult } from './job.js';

export interface SigningLoopOptions {
  db: Db;
  api: TatumKmsApi;
  /** What the loop reads of the wallet service. */
  wallets: Pick<
    WalletService,
    'getWallet' | 'existingAddress' | 'countActiveWallets' | 'activeSignatureIds'
  > &
    Partial<Pick<WalletService, 'getWallets'>>;
  signer: DigestSigner;
  chains: readonly ChainId[];
  network: NetworkName;
  /** Four-eyes service; required unless `network` is testnet/regtest. */
  externalUrl?: string;
  externalUrlMethod?: FourEyeMethod;
  fourEyeTimeoutMs?: number;
  /** Shared secret: four-eyes requests are HMAC-signed (kms-signer approvals requires it). */
  fourEyeSecret?: string;
  policy?: SigningPolicy;
  /** The trusted view of each chain (EVM completion, P2PKH amounts); see src/chain-view. */
  chainViews?: ChainViews;
  /** Parallel jobs per pass (default 32). */
  concurrency?: number;
  /**
   * Longest a job's write waits to go together with other jobs' writes (default 20 ms; job-writes.ts).
   * Writes go at once when every running job is waiting on one.
   */
  writeWindowMs?: number;
  /** Job-write batches written at the same time (default writeBatchesFor(concurrency), jobs.ts). */
  writeBatchesInFlight?: number;
  /** Only these wallets (instead of every ACTIVE wallet of the chain). */
  walletIds?: readonly string[];
  /**
   * How long the lists of ACTIVE wallets are reused after a listing (default 60 s; 0 = list every pass).
   * New wallets are fetched within this time, or at the next pass when counting is cheap and the chain's
   * count changed (active-wallet-ids.ts).
   */
  walletRefreshMs?: number;
  /** Only these pending transaction ids. */
  transactionIds?: readonly string[];
  /** Lease on a job (default 120 s); must exceed the longest sign + broadcast. */
  leaseMs?: number;
  /**
   * How often a pass also reconciles what Tatum no longer lists (reconcile.ts): stale SIGNED jobs and
   * BROADCAST jobs awaiting confirmation (default 30 s; 0 = every pass).
   */
  reconcileEveryMs?: number;
  /** Blocks a broadcast needs to be CONFIRMED, per chain (default: KMS_SIGNER_CONFIRMATIONS_<CHAIN>). */
  confirmations?: Partial<Record<ChainId, number>>;
  /** A BROADCAST transaction its node no longer knows after this long is handed to it again (default 10 min). */
  vanishedAfterMs?: number;
  /**
   * A job never signed and retried for a temporary cause for longer than this is FAILED and reported once
   * (give-up.ts; default 1 h; Infinity = never).
   */
  reportRetriesAfterMs?: number;
  runnerId?: string;
  clock?: () => Date;
  hooks?: JobHooks;
  log?: (entry: Record<string, unknown>) => void;
}

/**
 * Final records copied into the audit per reconciliation, at most: pages of 2,000 (audit-repair.ts). On
 * FerretDB each page's look-up reads every job still carrying a record, so fewer, larger pages (≈ 2.4 MB of
 * records each).
 */
const AUDIT_REPAIR_PAGE = 2_000;
const AUDIT_REPAIR_PAGES = 5;

/**
 * How often the repair also looks for records carried without the `carriesAudit` flag (jobs finished by
 * versions before it, including ones still running during an upgrade): at a runner's first reconciliation,
 * then hourly — on FerretDB that look-up reads every job of the collection.
 */
const UNFLAGGED_REPAIR_EVERY_MS = 60 * 60 * 1000;

export interface PassResult {
  results: JobResult[];
  /** What the pass sent to reportErrors, accepted or not: FAILED jobs and invalid entries. */
  reported: { signatureId: string; error: string }[];
  /** Chains whose pending list could not be fetched. */
  chainErrors: { chain: ChainId; error: string }[];
}

export class SigningLoop {
  private readonly runnerId: string;
  private readonly clock: () => Date;
  private readonly activeWallets: ActiveWalletIds;
  private readonly job: JobContext;
  private readonly leaseMs: number;
  private readonly invalidEntries: InvalidEntries;
  private readonly failureReports: FailureReports;
  private lastReconcile = Number.NEGATIVE_INFINITY;
  private lastUnflaggedRepair = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: SigningLoopOptions) {
    if (options.network === 'mainnet' && !options.externalUrl) {
      throw new Error(
        'externalUrl (four-eyes check) is mandatory on mainnet; use --testnet to run without it',
      );
    }
    if (options.fourEyeSecret !== undefined && options.externalUrlMethod !== 'POST') {
      // The secret means kms-signer's approvals service, which learns a transaction only from the POST
      // body: with GET every unknown id would answer 404, and each job would fail.
      throw new Error('fourEyeSecret (kms-signer approvals) needs externalUrlMethod POST');
    }
    this.clock = options.clock ?? (() => new Date());
    this.runnerId = options.runnerId ?? `runner-${randomUUID()}`;
    const leaseMs = options.leaseMs ?? 120_000;
    this.leaseMs = leaseMs;
    this.invalidEntries = new InvalidEntries(options.db, this.clock);
    this.failureReports = new FailureReports(options.db, options.network);
    this.job = {
      ...options,
      jobs: new JobStore(options.db, leaseMs, this.clock, {
        ...(options.writeWindowMs === undefined ? {} : { windowMs: options.writeWindowMs }),
        inFlight: options.writeBatchesInFlight ?? writeBatchesFor(options.concurrency ?? DEFAULT_CONCURRENCY),
      }),
      spendLocks: new SpendLocks(options.db, this.runnerId, { leaseMs, clock: this.clock }),
      nonces: new NonceLedger(options.db, leaseMs, this.clock),
      runnerId: this.runnerId,
      clock: this.clock,
      log: (entry) => {
        this.log(entry);
      },
    };
    this.activeWallets = new ActiveWalletIds(
      options.wallets,
      options.chains,
      options.network,
      options.walletRefreshMs ?? DEFAULT_WALLET_REFRESH_MS,
      () => this.clock().getTime(),
    );
  }

  /**
   * One pass over every chain. `canStart` is asked before each job starts (Lambda: enough time left?);
   * a job that is not started stays pending for the next pass.
   */
  async runPass(canStart: () => boolean = () => true): Promise<PassResult> {
    const results: JobResult[] = [];
    const chainErrors: PassResult['chainErrors'] = [];
    const errors: PassResult['reported'] = [];
    const invalidReports: InvalidReport[] = [];
    // A run limited to some wallets or transactions touches nothing else.
    const reconciling =
      canStart() && !this.options.walletIds && !this.options.transactionIds && this.reconcileDue();
    // The reconciliation's housekeeping runs beside the pass's jobs rather than after them: it touches only
    // jobs finished a lease ago, and on FerretDB its look-up reads every job carrying a record (housekeeping()).
    const housekeeping = reconciling ? this.housekeeping() : Promise.resolve([]);
    const listing = canStart() ? await this.updateWalletList() : null;
    for (const chain of this.options.chains) {
      if (!canStart()) break;
      let pending: PendingTransaction[];
      try {
        if (listing) throw listing;
        const ids = this.signatureIds(chain);
        if (ids.length === 0) continue;
        const fetched = await this.options.api.fetchPending(chain, ids);
        pending = fetched.pending;
        // Entries Tatum sent that we cannot even parse: never signed, reported once (invalid-entries.ts).
        const fresh = await this.firstSightings(chain, fetched.invalid);
        for (const r of fresh) results.push({ id: r.signatureId, chain, outcome: 'FAILED', error: r.error });
        invalidReports.push(...fresh);
      } catch (error) {
        chainErrors.push({ chain, error: errorMessage(error) });
        this.log({ event: 'chain-error', chain, error: errorMessage(error) });
        continue;
      }
      const filter = this.options.transactionIds;
      const todo = pending.filter((p) => !filter || filter.includes(p.id));
      const chainResults = await giveUpOnOldRetries(
        this.job,
        this.options.db,
        await runPending(this.job, chain, todo, {
          concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
          canStart,
        }),
        this.options.reportRetriesAfterMs ?? DEFAULT_REPORT_RETRIES_AFTER_MS,
      );
      for (const r of chainResults) {
        results.push(r);
        // Only what is final: a retried job (KMS throttled, MongoDB or a node down, Tatum 5xx, four-eyes
        // unavailable) is logged, not reported — Tatum turns reports into KMS_FAILED_TX webhooks.
        if (r.outcome === 'FAILED' && r.error !== undefined)
          errors.push({ signatureId: r.id, error: r.error });
      }
    }
    // Stale SIGNED jobs are settled after the pass's own jobs (a job Tatum still lists is run once, above).
    const settled = reconciling && canStart() ? await this.settle() : [];
    for (const r of settled) {
      results.push(r);
      if (r.outcome === 'FAILED' && r.error !== undefined) errors.push({ signatureId: r.id, error: r.error });
    }
    // FAILED jobs whose report Tatum never accepted (a failed report, a runner that died first).
    const overdue = await housekeeping;
    errors.push(...overdue.filter((late) => !errors.some((e) => e.signatureId === late.signatureId)));
    errors.push(...invalidReports.map(({ signatureId, error }) => ({ signatureId, error })));
    await this.report(errors, invalidReports);
    return { results, reported: errors, chainErrors };
  }

  /**
   * The pass's reports (report-sender.ts): what Tatum accepted is marked reported, what it refused alone is
   * dropped with its answer, the rest stays due (invalid entries forgotten, so the next pass sends them).
   */
  private async report(errors: FailureReport[], invalidReports: InvalidReport[]): Promise<void> {
    if (errors.length === 0) return;
    const sent = await sendFailureReports((batch) => this.options.api.reportErrors(batch), errors);
    if (sent.kept.length > 0) {
      const why = sent.temporary === undefined ? {} : { error: errorMessage(sent.temporary) };
      this.log({ event: 'report-errors-failed', count: sent.kept.length, ...why });
      // Not reported after all: the next pass reports these invalid entries again, the reconciler the jobs.
      const kept = new Set(sent.kept.map((r) => r.signatureId));
      const again = invalidReports.filter((r) => kept.has(r.signatureId));
      await this.invalidEntries.forget(again).catch(() => undefined);
    }
    for (const { report, refusal } of sent.refused) {
      const { signatureId } = report;
      this.log({ event: 'report-refused', signatureId, status: refusal.status, ...refusal.answer });
    }
    try {
      await this.failureReports.accepted(sent.accepted.map((e) => e.signatureId));
      const at = this.clock();
      for (const { report, refusal } of sent.refused) {
        await this.failureReports.refused(report.signatureId, refusal, at);
      }
    } catch (error) {
      // The jobs stay marked: the reconciler reports them once more (Tatum hears them twice).
      this.log({ event: 'report-mark-failed', count: errors.length, error: errorMessage(error) });
    }
  }

  /** Invalid entries (of the --transactionIds filter, when given) not reported before; [] if unknown now. */
  private async firstSightings(chain: ChainId, invalid: PendingFetch['invalid']): Promise<InvalidReport[]> {
    const filter = this.options.transactionIds;
    const wanted = invalid.filter((bad) => bad.id !== undefined && (!filter || filter.includes(bad.id)));
    try {
      return await this.invalidEntries.firstSightings(chain, wanted);
    } catch (error) {
      this.log({ event: 'invalid-entries-failed', chain, error: errorMessage(error) });
      return [];
    }
  }

  /** True (and the clock restarted) when the reconciliation is due: at most every reconcileEveryMs. */
  private reconcileDue(): boolean {
    const now = this.clock().getTime();
    if (now - this.lastReconcile < (this.options.reconcileEveryMs ?? 30_000)) return false;
    this.lastReconcile = now;
    return true;
  }

  /**
   * Final audit records jobs still carry (audit-repair.ts), then FAILED jobs never reported
   * (failure-reports.ts); never throws. Both select jobs finished a lease ago, which no job of a pass
   * writes. On FerretDB the repair decodes every job that carries a record, the ones finished within the
   * last lease too (it filters their nested date itself: docs.ferretdb.io/pushdown) — 0.7 s for 3,000 fresh
   * jobs on the benchmark's stand-in, where MongoDB uses the `finalAudit_finishedAt` index.
   */
  private async housekeeping(): Promise<FailureReport[]> {
    const now = this.clock().getTime();
    await this.repairAudits(now);
    return this.failureReports
      .overdue(this.options.chains, new Date(now - this.leaseMs), 500)
      .catch((error: unknown) => {
        this.log({ event: 'unreported-failed', error: errorMessage(error) });
        return [];
      });
  }

  /** Stale SIGNED jobs settled, BROADCAST ones followed to their depth (reconcile.ts); never throws. */
  private async settle(): Promise<JobResult[]> {
    const { confirmations } = this.options;
    try {
      return await reconcile(this.job, {
        chains: this.options.chains,
        leaseMs: this.leaseMs,
        checkEveryMs: this.options.reconcileEveryMs ?? 30_000,
        vanishedAfterMs: this.options.vanishedAfterMs ?? 600_000,
        depth: (chain) => confirmations?.[chain] ?? confirmationDepth(chain),
        limit: 100,
        concurrency: this.options.concurrency ?? DEFAULT_CONCURRENCY,
      });
    } catch (error) {
      this.log({ event: 'reconcile-failed', error: errorMessage(error) });
      return [];
    }
  }

  /** Final records jobs still carry a lease after they were written go into the audit (audit-repair.ts). */
  private async repairAudits(now: number): Promise<void> {
    try {
      const unflaggedDue = now - this.lastUnflaggedRepair >= UNFLAGGED_REPAIR_EVERY_MS;
      for (const unflagged of unflaggedDue ? [false, true] : [false]) {
        const page = {
          chains: this.options.chains,
          writtenBefore: new Date(now - this.leaseMs),
          limit: AUDIT_REPAIR_PAGE,
          unflagged,
        };
        // Page after page while full (a backlog after an outage), bounded per pass.
        for (let n = 0; n < AUDIT_REPAIR_PAGES; n++) {
          if ((await repairFinalAudits(this.job, this.options.db, page)) < page.limit) break;
        }
      }
      if (unflaggedDue) this.lastUnflaggedRepair = now;
    } catch (error) {
      this.log({ event: 'audit-repair-failed', error: errorMessage(error) });
    }
  }

  /** Brings the cached lists of ACTIVE wallets up to date; what went wrong fails every chain's fetch. */
  private async updateWalletList(): Promise<Error | null> {
    if (this.options.walletIds) return null;
    try {
      await this.activeWallets.update();
      return null;
    } catch (error) {
      return error instanceof Error ? error : new Error(String(error));
    }
  }

  /** Signature ids of our ACTIVE wallets on (chain, network) (cached), or the configured list. */
  private signatureIds(chain: ChainId): readonly string[] {
    const configured = this.options.walletIds;
    if (!configured) return this.activeWallets.ids(chain);
    if (configured.length > MAX_SIGNATURE_IDS_PER_CHAIN) {
      throw new Error(tooManySignatureIds(chain, configured.length));
    }
    return configured;
  }

  /** Processes one pending transaction; never throws. */
  processOne(chain: ChainId, pending: PendingTransaction): Promise<JobResult> {
    return processJob(this.job, chain, pending);
  }

  private log(entry: Record<string, unknown>): void {
    this.options.log?.({ runner: this.runnerId, ...entry });
  }
}
