// One pass of the Tatum signing loop: for each chain, fetch what Tatum queued for our ACTIVE wallets
// and process every pending transaction concurrently (bounded), each through the job state machine of
// jobs.ts: claim → four-eyes → wallets → policy → sign → store bytes → broadcast. Every failure is
// recorded on the job and in the audit, and all of a pass's failures go to Tatum in one reportErrors.
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { isChainId, type ChainId, type NetworkName } from '../chains/index.js';
import { KmsUnavailableError, RetryExhaustedError } from '../kms/index.js';
import {
  signTransaction,
  SigningRefusedError,
  type DigestSigner,
  type SignedDigest,
} from '../signer/index.js';
import type { WalletService } from '../wallets/contract.js';
import { ActiveWalletIds, DEFAULT_WALLET_REFRESH_MS } from './active-wallet-ids.js';
import { AuditLog, type AuditOutcome } from './audit.js';
import { DEFAULT_CONCURRENCY, type ChainPolicy, type SigningPolicy } from './config.js';
import { fourEyeCheck, type FourEyeMethod, type FourEyeResult } from './four-eye.js';
import { JobStore, LeaseLostError, type JobClaim, type SigningJobDoc } from './jobs.js';
import { MAX_SIGNATURE_IDS_PER_CHAIN, tooManySignatureIds } from './limits.js';
import { evaluatePolicy, type PolicyDecision } from './policy.js';
import { resolveWallets, WalletResolutionError, type ResolvedWallets } from './resolve-wallets.js';
import { SpendLocks, WalletBusyError } from './spend-locks.js';
import { TatumApiError, type PendingTransaction, type TatumKmsApi } from './types.js';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface LoopHooks {
  /** Called after the signed bytes are stored and before the broadcast (tests: simulate a crash). */
  afterStore?: (pending: PendingTransaction, job: SigningJobDoc) => Promise<void> | void;
}

export interface SigningLoopOptions {
  db: Db;
  api: TatumKmsApi;
  /** What the loop reads of the wallet service. */
  wallets: Pick<WalletService, 'getWallet' | 'getAddress' | 'countActiveWallets' | 'activeSignatureIds'>;
  signer: DigestSigner;
  chains: readonly ChainId[];
  network: NetworkName;
  /** Four-eyes service; required unless `network` is testnet/regtest. */
  externalUrl?: string;
  externalUrlMethod?: FourEyeMethod;
  fourEyeTimeoutMs?: number;
  policy?: SigningPolicy;
  /** Parallel jobs per pass (default 8). */
  concurrency?: number;
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
  runnerId?: string;
  clock?: () => Date;
  hooks?: LoopHooks;
  log?: (entry: Record<string, unknown>) => void;
}

export type JobOutcome =
  | 'BROADCAST'
  | 'FAILED'
  /** Signed and stored but the broadcast failed in a retryable way: the next pass re-broadcasts. */
  | 'RETRY'
  /** Already BROADCAST or FAILED, or filtered out. */
  | 'SKIPPED'
  /** Another runner holds it. */
  | 'BUSY';

export interface JobResult {
  id: string;
  chain: ChainId;
  outcome: JobOutcome;
  txId?: string;
  error?: string;
  rebroadcast?: boolean;
}

export interface PassResult {
  results: JobResult[];
  /** What was sent to reportErrors (one call, only when non-empty). */
  reported: { signatureId: string; error: string }[];
  /** Chains whose pending list could not be fetched. */
  chainErrors: { chain: ChainId; error: string }[];
}

/** What a job records for the audit trail while it signs. */
interface SignAudit {
  kmsKeyIds: string[];
  digests: SignedDigest[];
  fourEye: { checked: boolean; ok: boolean; detail: string } | null;
  policy: PolicyDecision | null;
  txId: string | null;
}

function hasDailyLimit(policy: ChainPolicy | undefined): boolean {
  return Object.values(policy?.limits ?? {}).some((limit) => limit.daily !== undefined);
}

/** Thrown by processing steps: recorded as the job's failure (permanent) or retried next pass. */
class JobFailure extends Error {
  constructor(
    message: string,
    readonly retryable = false,
  ) {
    super(message);
    this.name = 'JobFailure';
  }
}

export class SigningLoop {
  private readonly jobs: JobStore;
  private readonly audit: AuditLog;
  private readonly runnerId: string;
  private readonly spendLocks: SpendLocks;
  private readonly clock: () => Date;
  private readonly activeWallets: ActiveWalletIds;

  constructor(private readonly options: SigningLoopOptions) {
    if (options.network === 'mainnet' && !options.externalUrl) {
      throw new Error(
        'externalUrl (four-eyes check) is mandatory on mainnet; use --testnet to run without it',
      );
    }
    this.clock = options.clock ?? (() => new Date());
    this.jobs = new JobStore(options.db, options.leaseMs ?? 120_000, this.clock);
    this.audit = new AuditLog(options.db);
    this.runnerId = options.runnerId ?? `runner-${randomUUID()}`;
    this.spendLocks = new SpendLocks(options.db, this.runnerId, {
      leaseMs: options.leaseMs ?? 120_000,
      clock: this.clock,
    });
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
    const listing = canStart() ? await this.updateWalletList() : null;
    for (const chain of this.options.chains) {
      if (!canStart()) break;
      let pending: PendingTransaction[];
      try {
        if (listing) throw listing;
        const ids = this.signatureIds(chain);
        if (ids.length === 0) continue;
        if (this.options.api.fetchPending) {
          const fetched = await this.options.api.fetchPending(chain, ids);
          pending = fetched.pending;
          // Entries Tatum sent that we cannot even parse: reported, never signed.
          for (const bad of fetched.invalid) {
            if (bad.id === undefined) continue;
            const error = `malformed pending transaction: ${bad.issues.join('; ')}`;
            results.push({ id: bad.id, chain, outcome: 'FAILED', error });
            errors.push({ signatureId: bad.id, error });
          }
        } else {
          pending = await this.options.api.getPendingTransactions(chain, ids);
        }
      } catch (error) {
        chainErrors.push({ chain, error: message(error) });
        this.log({ event: 'chain-error', chain, error: message(error) });
        continue;
      }
      const filter = this.options.transactionIds;
      const todo = pending.filter((p) => !filter || filter.includes(p.id));
      const chainResults = await mapLimit(
        todo,
        this.options.concurrency ?? DEFAULT_CONCURRENCY,
        canStart,
        (p) => this.processOne(chain, p),
      );
      for (const r of chainResults) {
        results.push(r);
        if ((r.outcome === 'FAILED' || r.outcome === 'RETRY') && r.error !== undefined) {
          errors.push({ signatureId: r.id, error: r.error });
        }
      }
    }
    if (errors.length > 0) {
      try {
        await this.options.api.reportErrors(errors);
      } catch (error) {
        this.log({ event: 'report-errors-failed', count: errors.length, error: message(error) });
      }
    }
    return { results, reported: errors, chainErrors };
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
  async processOne(chain: ChainId, pending: PendingTransaction): Promise<JobResult> {
    const base = { id: pending.id, chain };
    try {
      const existing = await this.jobs.get(pending.id);
      if (existing?.state === 'BROADCAST' || existing?.state === 'FAILED')
        return { ...base, outcome: 'SKIPPED' };
      const held = await this.jobs.claim(pending.id, this.runnerId, {
        chain,
        network: this.options.network,
        signatureIds: [...new Set([...pending.hashes, ...(pending.signatures ?? []).map((s) => s.id)])],
      });
      if (!held) return { ...base, outcome: 'BUSY' };
      try {
        return await this.runJob(chain, pending, held);
      } finally {
        await this.jobs.release(held).catch(() => undefined);
      }
    } catch (error) {
      // MongoDB down, lease lost…: nothing recorded on the job; the next pass tries again.
      this.log({ event: 'job-error', id: pending.id, chain, error: message(error) });
      return { ...base, outcome: 'RETRY', error: message(error) };
    }
  }

  private async runJob(chain: ChainId, pending: PendingTransaction, held: JobClaim): Promise<JobResult> {
    const startedAt = this.clock();
    const base = { id: pending.id, chain };
    const job = held.job;
    if (job.state === 'BROADCAST' || job.state === 'FAILED') return { ...base, outcome: 'SKIPPED' };
    const network = this.options.network;
    const audit = {
      pendingId: pending.id,
      chain,
      network,
      runner: this.runnerId,
      wallets: job.signatureIds,
      kmsKeyIds: [] as string[],
      digests: [] as SignedDigest[],
      fourEye: null as { checked: boolean; ok: boolean; detail: string } | null,
      policy: null as PolicyDecision | null,
      txId: null as string | null,
      rebroadcast: job.state === 'SIGNED',
      startedAt,
    };
    const finish = async (outcome: AuditOutcome, error: string | null): Promise<void> => {
      await this.audit.record({ ...audit, outcome, error, finishedAt: this.clock() });
    };

    let signedJob: SigningJobDoc;
    if (job.state === 'SIGNED') {
      signedJob = job; // after a crash or a failed broadcast: the SAME bytes, never signed again
      audit.kmsKeyIds = job.kmsKeyIds ?? [];
      audit.digests = job.digests ?? [];
      audit.policy = job.policy;
    } else {
      try {
        signedJob = await this.sign(chain, pending, held, audit);
      } catch (error) {
        if (error instanceof LeaseLostError) throw error;
        const retryable = error instanceof JobFailure && error.retryable;
        const reason = message(error);
        if (retryable) {
          await this.jobs.update(held, pending.id, { error: reason });
          await finish('RETRY', reason);
          return { ...base, outcome: 'RETRY', error: reason };
        }
        await this.jobs.update(held, pending.id, { state: 'FAILED', error: reason, policy: audit.policy });
        await finish('FAILED', reason);
        this.log({ event: 'job-failed', id: pending.id, chain, error: reason });
        return { ...base, outcome: 'FAILED', error: reason };
      }
      await this.options.hooks?.afterStore?.(pending, signedJob);
    }

    const signed = signedJob.signed;
    if (signed === null) throw new Error(`signing job ${pending.id} is SIGNED without bytes`);
    audit.txId = signedJob.txId;
    try {
      const result = await this.options.api.broadcast(pending, signed);
      await this.jobs.update(held, pending.id, {
        state: 'BROADCAST',
        broadcastAt: this.clock(),
        broadcastAttempts: signedJob.broadcastAttempts + 1,
        error: null,
        ...(result.txId ? { txId: result.txId } : {}),
      });
      audit.txId = result.txId || signedJob.txId;
      await finish('BROADCAST', null);
      this.log({
        event: 'broadcast',
        id: pending.id,
        chain,
        txId: audit.txId,
        rebroadcast: audit.rebroadcast,
      });
      return { ...base, outcome: 'BROADCAST', txId: audit.txId ?? '', rebroadcast: audit.rebroadcast };
    } catch (error) {
      const reason = `broadcast failed: ${message(error)}`;
      const retryable = !(error instanceof TatumApiError) || error.retryable;
      await this.jobs.update(held, pending.id, {
        broadcastAttempts: signedJob.broadcastAttempts + 1,
        error: reason,
        ...(retryable ? {} : { state: 'FAILED' as const }),
      });
      await finish(retryable ? 'RETRY' : 'FAILED', reason);
      this.log({ event: 'broadcast-failed', id: pending.id, chain, retryable, error: reason });
      return { ...base, outcome: retryable ? 'RETRY' : 'FAILED', error: reason };
    }
  }

  /** Four-eyes, wallets, policy, KMS: returns the job as stored in state SIGNED. */
  private async sign(
    chain: ChainId,
    pending: PendingTransaction,
    held: JobClaim,
    audit: SignAudit,
  ): Promise<SigningJobDoc> {
    const network = this.options.network;
    if (pending.chain !== chain || !isChainId(chain)) {
      throw new JobFailure(`pending transaction is for chain ${pending.chain}, fetched for ${chain}`);
    }
    if (this.options.externalUrl) {
      const asked = performance.now();
      const check: FourEyeResult = await fourEyeCheck(
        this.options.externalUrl,
        this.options.externalUrlMethod ?? 'GET',
        pending,
        this.options.fourEyeTimeoutMs,
      );
      // The dashboard's four-eyes latency (infra/log-metrics.ts) reads `ms` from this line.
      const ms = Math.round(performance.now() - asked);
      this.log({ event: 'four-eye', id: pending.id, chain, ok: check.ok, ms });
      audit.fourEye = { checked: true, ...check };
      if (!check.ok) throw new JobFailure(`four-eyes check refused: ${check.detail}`);
    } else {
      audit.fourEye = { checked: false, ok: true, detail: `not configured (${network})` };
    }

    let resolved;
    try {
      resolved = await resolveWallets(this.options.wallets, pending, chain, network);
    } catch (error) {
      if (error instanceof WalletResolutionError) throw new JobFailure(error.message);
      throw new JobFailure(`wallet lookup failed: ${message(error)}`, true);
    }
    audit.kmsKeyIds = resolved.kmsKeyIds;

    const chainPolicy = this.options.policy?.[chain];
    const signAndStore = () => this.checkPolicySignAndStore(chain, pending, held, audit, resolved);
    // Daily totals are only right if no other job of the same wallet sits between check and store.
    if (!hasDailyLimit(chainPolicy)) return signAndStore();
    try {
      return await this.spendLocks.hold(resolved.signatureIds, signAndStore);
    } catch (error) {
      if (error instanceof WalletBusyError) throw new JobFailure(error.message, true);
      throw error;
    }
  }

  /** Policy (with daily totals), KMS, and the SIGNED write. */
  private async checkPolicySignAndStore(
    chain: ChainId,
    pending: PendingTransaction,
    held: JobClaim,
    audit: SignAudit,
    resolved: ResolvedWallets,
  ): Promise<SigningJobDoc> {
    const network = this.options.network;
    const since = new Date(this.clock().getTime() - DAY_MS);
    const decision = await evaluatePolicy({
      chain,
      network,
      serializedTransaction: pending.serializedTransaction,
      ownAddresses: resolved.ownAddresses,
      policy: this.options.policy?.[chain],
      spentToday: async (asset) => {
        let max = 0n;
        for (const wallet of resolved.signatureIds) {
          const spent = await this.jobs.spentSince(wallet, asset, since, pending.id);
          if (spent > max) max = spent;
        }
        return max;
      },
    });
    audit.policy = decision;
    await this.jobs.update(held, pending.id, { policy: decision });
    if (!decision.allowed) throw new JobFailure(`policy denied: ${decision.reasons.join('; ')}`);

    let result;
    try {
      result = await signTransaction({
        chain,
        network,
        wallets: resolved.keys,
        signer: this.options.signer,
        unsigned: pending.serializedTransaction,
      });
    } catch (error) {
      if (error instanceof SigningRefusedError)
        throw new JobFailure(`signing refused (${error.code}): ${error.message}`);
      const retryable = error instanceof KmsUnavailableError || error instanceof RetryExhaustedError;
      throw new JobFailure(`signing failed: ${message(error)}`, retryable);
    }
    audit.digests = result.digests;
    audit.txId = result.txId;
    const spend = resolved.signatureIds.flatMap((wallet) =>
      decision.transfers.map((t) => ({ wallet, asset: t.asset, amount: t.amount })),
    );
    // Stored BEFORE the broadcast: from here on this job only ever re-broadcasts these bytes.
    return this.jobs.update(held, pending.id, {
      state: 'SIGNED',
      signed: result.signed,
      txId: result.txId,
      digests: result.digests,
      kmsKeyIds: resolved.kmsKeyIds,
      spend,
      signedAt: this.clock(),
      error: null,
    });
  }

  private log(entry: Record<string, unknown>): void {
    this.options.log?.({ runner: this.runnerId, ...entry });
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Runs `fn` over `items`, at most `limit` at a time; items not started once `canStart` is false are dropped. */
async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  canStart: () => boolean,
  fn: (item: T) => Promise<R>,
): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && canStart()) {
      const item = items[next++] as T;
      results.push(await fn(item));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
