// One pending transaction through the exactly-once state machine of jobs.ts: claim → wallets → the one
// decode (prepareTransaction) → four-eyes → policy → sign that decoded transaction → store bytes →
// broadcast. Every failure is recorded on the job and in the audit; a SIGNED job is only re-broadcast.
import { getChain, loadAddressCode, type ChainId, type NetworkName } from '../chains/index.js';
import { ChainUnavailableError, JsonRpcError, type ChainViews } from '../chain-view/index.js';
import { KmsUnavailableError, RetryExhaustedError } from '../kms/index.js';
import {
  prepareTransaction,
  SigningRefusedError,
  summarize,
  type DigestSigner,
  type PreparedTransaction,
} from '../signer/index.js';
import type { WalletService } from '../wallets/contract.js';
import type { AuditOutcome, AuditRecord, JobAudit } from './audit.js';
import type { ChainPolicy, SigningPolicy } from './config.js';
import {
  JobFailure,
  LeaseLostError,
  TatumApiError,
  TatumLoopError,
  WalletBusyError,
  WalletResolutionError,
} from './errors.js';
import { errorMessage } from '../util/error-message.js';
import { fourEyeCheck, type FourEyeMethod } from './four-eye.js';
import { classifyJobError } from './job-errors.js';
import { findBroadcast, type BroadcastEvidence } from './find-broadcast.js';
import { jobModules } from './job-modules.js';
import { isFinal, type JobClaim, type JobStore, type SigningJobDoc } from './jobs.js';
import type { CompletedPayload } from './complete-evm.js';
import type { NonceLedger } from './nonce-ledger.js';
import { NonceTakenError } from './nonce-ledger.js';
import { evaluatePolicy } from './policy.js';
import { pendingHash, reopens } from './refused-payloads.js';
import { resolveWallets, type ResolvedWallets } from './resolve-wallets.js';
import type { SolExpiry } from './sol-expiry.js';
import type { SpendLocks } from './spend-locks.js';
import type { BroadcastResult, PendingTransaction, TatumKmsApi } from './types.js';

export type JobOutcome =
  | 'BROADCAST'
  | 'FAILED'
  /** Signed and stored but the broadcast failed in a retryable way: the next pass re-broadcasts. */
  | 'RETRY'
  /** Already final (BROADCAST, CONFIRMED or FAILED), or filtered out. */
  | 'SKIPPED'
  /** The four-eyes service has not decided yet (HTTP 423): nothing recorded or reported, asked again next pass. */
  | 'WAITING'
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

export interface JobHooks {
  /** Called after the signed bytes are stored and before the broadcast (tests: simulate a crash). */
  afterStore?: (pending: PendingTransaction, job: SigningJobDoc) => Promise<void> | void;
  /** Called after Tatum accepted the broadcast and before BROADCAST is written (tests: a crash there). */
  afterBroadcast?: (pending: PendingTransaction) => Promise<void> | void;
  /** Called with each claimed job's result and its time from start to release (benchmarks). */
  jobDone?: (result: JobResult, ms: number) => void;
}

/** What a job needs from the loop that runs it. */
export interface JobContext {
  api: TatumKmsApi;
  /** getWallets, when there, reads a page's wallets at once (page.ts). */
  wallets: Pick<WalletService, 'getWallet' | 'existingAddress'> & Partial<Pick<WalletService, 'getWallets'>>;
  signer: DigestSigner;
  network: NetworkName;
  jobs: JobStore;
  spendLocks: SpendLocks;
  nonces: NonceLedger;
  /** The trusted view of each chain: completes EVM payloads, proves P2PKH input amounts. */
  chainViews?: ChainViews;
  runnerId: string;
  clock: () => Date;
  externalUrl?: string;
  externalUrlMethod?: FourEyeMethod;
  fourEyeTimeoutMs?: number;
  fourEyeSecret?: string;
  policy?: SigningPolicy;
  hooks?: JobHooks;
  log: (entry: Record<string, unknown>) => void;
}

/** The four-eyes service has not decided yet: the job stays as it is until a later pass. */
class AwaitingApproval extends TatumLoopError {
  constructor(detail: string) {
    super(`four-eyes approval pending: ${detail}`);
  }
}

/**
 * A refusal is permanent; a chain view that cannot answer (down, another chain id, a node error) makes the
 * job wait for the next pass — never FAILED, never signed with guessed values.
 */
function asJobFailure(error: unknown): unknown {
  if (error instanceof SigningRefusedError) {
    return new JobFailure(`signing refused (${error.code}): ${error.message}`, false, { cause: error });
  }
  if (error instanceof ChainUnavailableError || error instanceof JsonRpcError) {
    return new JobFailure(`chain view: ${error.message}`, true, { cause: error });
  }
  return error;
}

function hasDailyLimit(policy: ChainPolicy | undefined): boolean {
  return Object.values(policy?.limits ?? {}).some((limit) => limit.daily !== undefined);
}

/** Processes one pending transaction; never throws. */
export async function processJob(
  ctx: JobContext,
  chain: ChainId,
  pending: PendingTransaction,
): Promise<JobResult> {
  const base = { id: pending.id, chain };
  try {
    const existing = await ctx.jobs.get(pending.id);
    if (isFinal(existing?.state) && !reopens(existing, pending)) return { ...base, outcome: 'SKIPPED' };
    const held = await ctx.jobs.claim(pending.id, ctx.runnerId, {
      chain,
      network: ctx.network,
      signatureIds: [...new Set([...pending.hashes, ...(pending.signatures ?? []).map((s) => s.id)])],
      ...(pending.withdrawalId === undefined ? {} : { withdrawalId: pending.withdrawalId }),
    });
    if (!held) return { ...base, outcome: 'BUSY' };
    return await runClaimed(ctx, chain, pending, held);
  } catch (error) {
    return jobError(ctx, chain, pending, error);
  }
}

/** Runs a job this runner has claimed (loop passes claim a page at once: page.ts), then lets it go; never throws. */
export async function runClaimed(
  ctx: JobContext,
  chain: ChainId,
  pending: PendingTransaction,
  held: JobClaim,
): Promise<JobResult> {
  const started = performance.now();
  let result: JobResult;
  try {
    result = await ctx.jobs.working(() => new Job(ctx, chain, pending, held).run());
  } catch (error) {
    result = jobError(ctx, chain, pending, error);
  }
  await ctx.jobs.release(held).catch(() => undefined);
  ctx.hooks?.jobDone?.(result, performance.now() - started);
  return result;
}

/** MongoDB down, lease lost…: nothing recorded on the job; the next pass tries again. */
export function jobError(
  ctx: JobContext,
  chain: ChainId,
  pending: PendingTransaction,
  error: unknown,
): JobResult {
  ctx.log({ event: 'job-error', id: pending.id, chain, error: errorMessage(error) });
  return { id: pending.id, chain, outcome: 'RETRY', error: errorMessage(error) };
}

class Job {
  private readonly audit: JobAudit;
  private completed: CompletedPayload | undefined;
  /** KMS produced the signature: from here on an error is not an error "before signing". */
  private signatureMade = false;
  private readonly base: { id: string; chain: ChainId };

  constructor(
    private readonly ctx: JobContext,
    private readonly chain: ChainId,
    private readonly pending: PendingTransaction,
    private readonly held: JobClaim,
  ) {
    this.base = { id: pending.id, chain };
    this.audit = {
      pendingId: pending.id,
      chain,
      network: ctx.network,
      runner: ctx.runnerId,
      wallets: held.job.signatureIds,
      kmsKeyIds: [],
      decoded: null,
      digests: [],
      fourEye: null,
      policy: null,
      txId: null,
      rebroadcast: held.job.state === 'SIGNED',
      startedAt: ctx.clock(),
      ...(held.job.round === undefined ? {} : { round: held.job.round }),
    };
  }

  async run(): Promise<JobResult> {
    // The one load point of a job: completion, the decode, policy and the broadcast look-ups derive or
    // compare addresses of the job's chain synchronously (src/chains/addresses/codecs.ts). Only the
    // families of jobs that run are loaded, never all at init (the Lambda bundles' init size, issue 16).
    await loadAddressCode([this.chain]);
    if (isFinal(this.held.job.state)) {
      if (!reopens(this.held.job, this.pending)) return { ...this.base, outcome: 'SKIPPED' };
      await this.reopen();
    }
    const job = this.held.job;
    if (job.state === 'SIGNED') {
      // After a crash or a failed broadcast: the SAME bytes, never signed again — and first the question
      // whether they already went out (a lost answer), so they are not sent twice either.
      this.audit.kmsKeyIds = job.kmsKeyIds ?? [];
      this.audit.digests = job.digests ?? [];
      this.audit.policy = job.policy;
      const evidence = await this.lookUp(job);
      if (evidence === undefined)
        return { ...this.base, outcome: 'RETRY', error: 'broadcast look-up failed' };
      if (evidence.seen) return this.markBroadcast(job, evidence);
      const expiry = await this.solExpiry(job);
      if (expiry === 'unknown')
        return { ...this.base, outcome: 'RETRY', error: 'blockhash expiry check failed' };
      if (expiry !== undefined) return this.failExpired(job, expiry, job.broadcastAttempts);
      return this.broadcast(job);
    }
    let signedJob: SigningJobDoc;
    try {
      signedJob = await this.sign();
    } catch (error) {
      if (error instanceof LeaseLostError) throw error;
      if (error instanceof AwaitingApproval) return { ...this.base, outcome: 'WAITING' };
      return this.fail(error);
    }
    await this.ctx.hooks?.afterStore?.(this.pending, signedJob);
    return this.broadcast(signedJob);
  }

  /** Was the job's transaction broadcast already? undefined when neither the chain nor Tatum could say. */
  private async lookUp(job: SigningJobDoc): Promise<BroadcastEvidence | undefined> {
    try {
      const evidence = await findBroadcast(this.ctx.api, this.ctx.chainViews?.transactions(this.chain), job);
      if (evidence.seen || !this.isFlow()) return evidence;
      // FLOW: Tatum did not complete it; did the node execute one of the transactions we sent?
      const { findFlowExecuted } = await jobModules.flowBroadcast();
      const txId = await findFlowExecuted(this.ctx.chainViews?.flow(), job.flowSentIds ?? []);
      return txId === undefined ? evidence : { seen: true, txId, from: 'chain', confirmations: 0 };
    } catch (error) {
      this.ctx.log({
        event: 'broadcast-lookup-failed',
        id: job._id,
        chain: this.chain,
        error: errorMessage(error),
      });
      return undefined;
    }
  }

  /** The stored bytes are on the chain (or Tatum completed them): BROADCAST without sending them again. */
  private async markBroadcast(job: SigningJobDoc, evidence: BroadcastEvidence & { seen: true }) {
    if (this.isFlow() && evidence.from === 'chain') {
      // Executed but not completed at Tatum (the run ended between the two): complete it now, or wait.
      try {
        const { completeFoundFlow } = await jobModules.flowBroadcast();
        const { parseFlowVoucher } = await jobModules.flowSigner();
        const proposalKey = parseFlowVoucher(job.signed ?? '').proposalKey.keyId;
        await completeFoundFlow(this.ctx.api, this.pending, proposalKey, evidence.txId);
      } catch (error) {
        return this.broadcastRetry(job, `completing the executed FLOW transaction: ${errorMessage(error)}`);
      }
    }
    return this.recordBroadcast(
      evidence.txId,
      { broadcastAt: job.broadcastAt ?? this.ctx.clock(), confirmations: evidence.confirmations },
      { event: 'broadcast-found', from: evidence.from, rebroadcast: false },
    );
  }

  /**
   * The one way a job becomes BROADCAST — sent now, or found sent — with its final audit record in the
   * same write and one log line (`event`); `set` adds what the caller knows (broadcastAt, counts).
   */
  private async recordBroadcast(
    txId: string | null,
    set: Partial<SigningJobDoc>,
    log: { event: string; rebroadcast: boolean; from?: string },
  ): Promise<JobResult> {
    const { ctx, pending, held } = this;
    this.audit.txId = txId;
    await ctx.jobs.update(
      held,
      pending.id,
      { ...set, state: 'BROADCAST', error: null, ...(txId ? { txId } : {}) },
      this.auditEntry('BROADCAST', null),
    );
    const { event, rebroadcast, from } = log;
    ctx.log({ event, id: pending.id, chain: this.chain, txId, ...(from ? { from } : { rebroadcast }) });
    return { ...this.base, outcome: 'BROADCAST', txId: txId ?? '', rebroadcast };
  }

  /** A refused entry Tatum corrected under the same id: the job starts over as a new round. */
  private async reopen(): Promise<void> {
    const { ctx, held, pending } = this;
    const round = (held.job.round ?? 0) + 1;
    // createdAt starts the round: a give-up (give-up.ts) counts the round's retries, not the first entry's age.
    await ctx.jobs.update(held, pending.id, {
      state: 'CLAIMED',
      error: null,
      refusedPayload: null,
      round,
      createdAt: ctx.clock(),
    });
    this.audit.round = round;
    ctx.log({ event: 'job-reopened', id: pending.id, chain: this.chain, round });
  }

  /** The job's audit record, ended with `outcome` now: written together with the job's last update. */
  private auditEntry(outcome: AuditOutcome, error: string | null): Omit<AuditRecord, '_id'> {
    return { ...this.audit, outcome, error, finishedAt: this.ctx.clock() };
  }

  /**
   * Records a failure of sign(): FAILED, or retried next pass — a known temporary cause or an internal
   * error before signing (job-errors.ts).
   */
  private async fail(error: unknown): Promise<JobResult> {
    const verdict = classifyJobError(error, this.signatureMade);
    const { reason } = verdict;
    if (verdict.kind !== 'failed') {
      await this.ctx.jobs.update(
        this.held,
        this.pending.id,
        { error: reason },
        this.auditEntry('RETRY', reason),
      );
      const line = { id: this.pending.id, chain: this.chain, error: reason };
      // The InternalErrors metric and its alarm count these lines (infra/log-metrics.ts).
      if (verdict.kind === 'internal')
        this.ctx.log({ event: 'job-internal-error', ...line, stack: verdict.stack });
      else this.ctx.log({ event: 'job-retry', ...line });
      return { ...this.base, outcome: 'RETRY', error: reason };
    }
    // A refusal of the entry itself is remembered with the entry's hash: a corrected one is looked at again.
    const refused = error instanceof JobFailure && error.cause instanceof SigningRefusedError;
    await this.ctx.jobs.update(
      this.held,
      this.pending.id,
      {
        state: 'FAILED',
        error: reason,
        policy: this.audit.policy,
        ...(refused ? { refusedPayload: pendingHash(this.pending) } : {}),
      },
      this.auditEntry('FAILED', reason),
    );
    this.ctx.log({ event: 'job-failed', id: this.pending.id, chain: this.chain, error: reason });
    return { ...this.base, outcome: 'FAILED', error: reason };
  }

  /** Wallets, the one decode, four-eyes, policy, KMS: returns the job as stored in state SIGNED. */
  private async sign(): Promise<SigningJobDoc> {
    const { ctx, chain, pending } = this;
    if (pending.chain !== chain) {
      throw new JobFailure(`pending transaction is for chain ${pending.chain}, fetched for ${chain}`);
    }
    const resolved = await this.resolveWallets();
    this.audit.kmsKeyIds = resolved.kmsKeyIds;
    this.completed = await this.complete(resolved);
    try {
      const prepared = await this.prepare(resolved, this.completed.unsigned);
      this.audit.decoded = summarize(prepared);
      await this.fourEyes();
      const signAndStore = () => this.checkPolicySignAndStore(prepared, resolved);
      // Daily totals are only right if no other job of the same wallet sits between check and store.
      if (!hasDailyLimit(ctx.policy?.[chain])) return await signAndStore();
      return await ctx.spendLocks.hold(resolved.signatureIds, signAndStore);
    } catch (error) {
      // Nothing was signed with a reserved nonce: the next job of the wallet takes it.
      const reservation = this.completed.nonce?.reservation;
      if (reservation) await ctx.nonces.release(reservation).catch(() => undefined);
      await this.completed.release?.();
      if (error instanceof WalletBusyError) throw new JobFailure(error.message, true, { cause: error });
      throw error;
    }
  }

  /**
   * Payloads as Tatum sends them, completed from the chain view: EVM (no gas, nonce or gas price), VET
   * (blockRef, gas), SOL (a placeholder blockhash), EGLD (no nonce).
   */
  private async complete(resolved: ResolvedWallets): Promise<CompletedPayload> {
    const { ctx, chain, pending } = this;
    const unsigned = pending.serializedTransaction;
    const family = getChain(chain).family;
    if (family === 'vet') {
      try {
        const { completeVetPayload } = await jobModules.vetCompletion();
        return await completeVetPayload({
          network: ctx.network,
          wallets: resolved.keys,
          unsigned,
          views: ctx.chainViews,
        });
      } catch (error) {
        throw asJobFailure(error);
      }
    }
    if (family === 'flow') {
      try {
        const { completeFlowPayload } = await jobModules.flowCompletion();
        return await completeFlowPayload({
          network: ctx.network,
          unsigned,
          views: ctx.chainViews,
          api: ctx.api,
          account: resolved.flowAccount,
          walletId: resolved.signatureIds[0] ?? '',
        });
      } catch (error) {
        throw asJobFailure(error);
      }
    }
    if (family !== 'evm' && family !== 'solana' && family !== 'multiversx') {
      return { unsigned, completion: {}, nonce: undefined };
    }
    const earlier = this.held.job.nonce;
    const completion = {
      chain,
      network: ctx.network,
      jobId: pending.id,
      wallets: resolved.keys,
      unsigned,
      views: ctx.chainViews,
      ledger: ctx.nonces,
      earlierNonce: earlier === undefined ? undefined : BigInt(earlier),
      retry: this.held.job.attempts > 1,
    };
    try {
      if (family === 'solana')
        return await (await jobModules.solCompletion()).completeSolPayload(unsigned, ctx.chainViews);
      if (family === 'multiversx')
        return await (await jobModules.egldCompletion()).completeEgldPayload(completion);
      return await (await jobModules.evmCompletion()).completeEvmPayload(completion);
    } catch (error) {
      throw asJobFailure(error);
    }
  }

  private async resolveWallets(): Promise<ResolvedWallets> {
    try {
      return await resolveWallets(this.ctx.wallets, this.pending, this.chain, this.ctx.network);
    } catch (error) {
      if (error instanceof WalletResolutionError)
        throw new JobFailure(error.message, false, { cause: error });
      throw new JobFailure(`wallet lookup failed: ${errorMessage(error)}`, true, { cause: error });
    }
  }

  /**
   * The one decode: every check the signer makes, before four-eyes and policy see the transaction. P2PKH
   * inputs, whose signatures do not commit to amounts, are proven against previous transactions from the
   * chain view (prepared again with them).
   */
  private async prepare(resolved: ResolvedWallets, unsigned: string): Promise<PreparedTransaction> {
    const { chain, ctx } = this;
    const request = {
      ...this.completed?.request,
      chain,
      network: ctx.network,
      wallets: resolved.keys,
      unsigned,
    };
    try {
      try {
        return await prepareTransaction(request);
      } catch (error) {
        const view = this.ctx.chainViews?.bitcoin(this.chain);
        if (view === undefined) throw error;
        const { PreviousTransactionsNeededError } = await jobModules.bitcoinSigner();
        if (!(error instanceof PreviousTransactionsNeededError)) throw error;
        const previousTransactions = await view.previousTransactions(error.txids);
        return await prepareTransaction({ ...request, options: { previousTransactions } });
      }
    } catch (error) {
      throw asJobFailure(error);
    }
  }

  private async fourEyes(): Promise<void> {
    const { ctx } = this;
    if (!ctx.externalUrl) {
      this.audit.fourEye = { checked: false, ok: true, detail: `not configured (${ctx.network})` };
      return;
    }
    const decoded = this.audit.decoded;
    if (decoded === null) throw new Error('four-eyes before the transaction was decoded');
    const asked = performance.now();
    const check = await fourEyeCheck(
      ctx.externalUrl,
      ctx.externalUrlMethod ?? 'GET',
      this.pending,
      decoded,
      ctx.fourEyeTimeoutMs,
      ctx.fourEyeSecret,
    );
    // The dashboard's four-eyes latency (infra/log-metrics.ts) reads `ms` from this line.
    const ms = Math.round(performance.now() - asked);
    ctx.log({ event: 'four-eye', id: this.pending.id, chain: this.chain, ok: check.ok, ms });
    if (check.awaiting === true) throw new AwaitingApproval(check.detail);
    if (check.unavailable === true) {
      throw new JobFailure(`four-eyes service unavailable: ${check.detail}`, true);
    }
    this.audit.fourEye = { checked: true, ok: check.ok, detail: check.detail };
    if (!check.ok) throw new JobFailure(`four-eyes check refused: ${check.detail}`);
  }

  /** Policy (with daily totals), KMS, and the SIGNED write. */
  private async checkPolicySignAndStore(
    prepared: PreparedTransaction,
    resolved: ResolvedWallets,
  ): Promise<SigningJobDoc> {
    const { ctx, chain, pending, held } = this;
    const decision = await evaluatePolicy({
      chain,
      network: ctx.network,
      transaction: prepared,
      policy: ctx.policy?.[chain],
      spentToday: (asset) => ctx.jobs.spentToday(resolved.signatureIds, asset, ctx.clock(), pending.id),
    });
    this.audit.policy = decision;
    const nonce = this.completed?.nonce;
    const completion = this.completed?.completion ?? {};
    if (nonce || Object.keys(completion).length > 0) {
      // What was completed (the nonce above all) is settled before the KMS call: a retry reuses it.
      await ctx.jobs.update(held, pending.id, {
        policy: decision,
        ...(Object.keys(completion).length > 0 ? { completion } : {}),
        ...(nonce ? { nonce: nonce.value.toString() } : {}),
      });
    } else {
      // Nothing to settle first: the decision is stored with the SIGNED write (or the FAILED one).
      await ctx.jobs.checkLease(held, pending.id);
    }
    if (!decision.allowed) throw new JobFailure(`policy denied: ${decision.reasons.join('; ')}`);

    if (nonce) {
      try {
        await ctx.nonces.markUsed(nonce.scope, nonce.value, pending.id);
      } catch (error) {
        if (error instanceof NonceTakenError) throw new JobFailure(error.message, true, { cause: error });
        throw error;
      }
    }
    let result;
    try {
      result = await prepared.sign(ctx.signer);
      this.signatureMade = true;
    } catch (error) {
      if (nonce) await ctx.nonces.unmarkUsed(nonce.scope, nonce.value, pending.id).catch(() => undefined);
      const retryable = error instanceof KmsUnavailableError || error instanceof RetryExhaustedError;
      throw new JobFailure(`signing failed: ${errorMessage(error)}`, retryable, { cause: error });
    }
    this.audit.digests = result.digests;
    this.audit.txId = result.txId;
    const spend = resolved.signatureIds.flatMap((wallet) =>
      decision.transfers.map((t) => ({ wallet, asset: t.asset, amount: t.amount })),
    );
    // Stored BEFORE the broadcast: from here on this job only ever re-broadcasts these bytes.
    const stored = await ctx.jobs.storeSigned(
      held,
      pending.id,
      {
        signed: result.signed,
        txId: result.txId,
        digests: result.digests,
        kmsKeyIds: resolved.kmsKeyIds,
        spend,
        signedAt: ctx.clock(),
      },
      { policy: decision },
    );
    if (stored.signed !== result.signed) {
      // A runner whose lease ran out stored its bytes first: those are the transaction; ours go nowhere.
      this.audit.digests = stored.digests ?? [];
      this.audit.txId = stored.txId;
      ctx.log({ event: 'signed-elsewhere', id: pending.id, chain, txId: stored.txId });
    }
    return stored;
  }

  private async broadcast(signedJob: SigningJobDoc): Promise<JobResult> {
    const { ctx, pending } = this;
    const signed = signedJob.signed;
    if (signed === null) throw new Error(`signing job ${pending.id} is SIGNED without bytes`);
    this.audit.txId = signedJob.txId;
    let result;
    try {
      result = await this.send(signed);
    } catch (error) {
      return this.broadcastFailed(signedJob, error);
    }
    await ctx.hooks?.afterBroadcast?.(pending);
    // If this write fails the job stays SIGNED: the next look-up finds the transaction and settles it.
    return this.recordBroadcast(
      result.txId || signedJob.txId,
      { broadcastAt: ctx.clock(), broadcastAttempts: signedJob.broadcastAttempts + 1 },
      { event: 'broadcast', rebroadcast: this.audit.rebroadcast },
    );
  }

  /** Tatum's broadcast endpoint; FLOW: Tatum's signatures, the access node, then Tatum (broadcast-flow.ts). */
  private async send(signed: string): Promise<BroadcastResult> {
    const { ctx, pending, held } = this;
    if (!this.isFlow()) return ctx.api.broadcast(pending, signed);
    const { broadcastFlow } = await jobModules.flowBroadcast();
    return broadcastFlow(ctx.api, ctx.chainViews?.flow(), pending, signed, async (txId) => {
      await ctx.jobs.update(held, pending.id, { flowSentIds: [...(held.job.flowSentIds ?? []), txId] });
    });
  }

  private isFlow(): boolean {
    return getChain(this.chain).family === 'flow';
  }

  private async broadcastFailed(signedJob: SigningJobDoc, error: unknown): Promise<JobResult> {
    const reason = `broadcast failed: ${errorMessage(error)}`;
    const retryable = !(error instanceof TatumApiError) || error.retryable;
    if (retryable) return this.broadcastRetry(signedJob, reason);
    // "Already known", "nonce too low", a completed id…: the bytes may be out already.
    const evidence = await this.lookUp(signedJob);
    if (evidence?.seen === true) return this.markBroadcast(signedJob, evidence);
    if (evidence === undefined) return this.broadcastRetry(signedJob, reason);
    // SOL: refused because the blockhash expired says more than the node's words (sol-expiry.ts).
    const expiry = await this.solExpiry(signedJob);
    const attempts = signedJob.broadcastAttempts + 1;
    if (expiry !== undefined && expiry !== 'unknown') return this.failExpired(signedJob, expiry, attempts);
    return this.failUnsent(signedJob, reason, attempts);
  }

  /** SOL bytes proven never to land: FAILED and reported, and marked so daily limits do not count them. */
  private async failExpired(
    signedJob: SigningJobDoc,
    expiry: SolExpiry,
    attempts: number,
  ): Promise<JobResult> {
    const { expiryReason } = await jobModules.solExpiryProof();
    return this.failUnsent(signedJob, expiryReason(expiry), attempts, { expiredUnlanded: true });
  }

  /** Signed bytes that are nowhere and will not be sent (again): FAILED, reported to Tatum by the pass. */
  private async failUnsent(
    signedJob: SigningJobDoc,
    reason: string,
    attempts: number,
    proof: { expiredUnlanded?: true } = {},
  ): Promise<JobResult> {
    const { ctx, chain, pending, held } = this;
    await ctx.jobs.update(
      held,
      pending.id,
      { broadcastAttempts: attempts, error: reason, state: 'FAILED', ...proof },
      this.auditEntry('FAILED', reason),
    );
    ctx.log({ event: 'broadcast-failed', id: pending.id, chain, retryable: false, error: reason });
    return { ...this.base, outcome: 'FAILED', error: reason };
  }

  /**
   * SOL bytes nowhere on the cluster: their expiry when proven (they can never land), undefined when they
   * may still land or the chain is not SOL, 'unknown' when the node could not say.
   */
  private async solExpiry(job: SigningJobDoc): Promise<SolExpiry | 'unknown' | undefined> {
    if (getChain(this.chain).family !== 'solana') return undefined;
    const view = this.ctx.chainViews?.solana();
    if (view === undefined) return undefined;
    try {
      const { provenSolExpiry } = await jobModules.solExpiryProof(); // SOL only
      return await provenSolExpiry(view, job);
    } catch (error) {
      this.ctx.log({
        event: 'expiry-check-failed',
        id: job._id,
        chain: this.chain,
        error: errorMessage(error),
      });
      return 'unknown';
    }
  }

  /** The stored bytes stay SIGNED; the next pass (or the reconciler) looks them up, then re-broadcasts. */
  private async broadcastRetry(signedJob: SigningJobDoc, reason: string): Promise<JobResult> {
    const { ctx, chain, pending, held } = this;
    await ctx.jobs.update(
      held,
      pending.id,
      { broadcastAttempts: signedJob.broadcastAttempts + 1, error: reason },
      this.auditEntry('RETRY', reason),
    );
    ctx.log({ event: 'broadcast-failed', id: pending.id, chain, retryable: true, error: reason });
    return { ...this.base, outcome: 'RETRY', error: reason };
  }
}
