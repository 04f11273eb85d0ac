// One throughput run: `transactions` pending ETH transfers (spread over `wallets` wallets, distinct
// nonces) through the real signing loop — SigningLoop, the Tatum HTTP client, KmsVault with its rate
// limiter and retries, the WalletService and the job store on a MongoDB-wire server — against the KMS
// emulator and the Tatum sandbox, pass after pass until every transaction is broadcast (or the time
// budget is spent: then no new job starts, the ones in flight finish). Wallet records are written in
// bulk as the wallet service writes them (wallet-records.ts), with keys the emulator is given.
// Returns rates, latencies, where the time went, and the exactly-once / zero-failure / signature checks.
import { randomBytes } from 'node:crypto';
import { cpus } from 'node:os';
import { getAddress, Transaction } from 'ethers';
import { evmPayload, evmPending } from '../scripts/sandbox/pending-payloads.js';
import { connectMongo, runMigrations } from '../src/db/index.js';
import { KmsVault } from '../src/kms/index.js';
import { createTatumClient } from '../src/tatum/client.js';
import { SIGNING_JOBS } from '../src/tatum/jobs.js';
import { SigningLoop, type JobOutcome, type SigningLoopOptions } from '../src/tatum/loop.js';
import { createWalletService } from '../src/wallets/index.js';
import type { WalletDoc } from '../src/db/index.js';
import { testKey } from '../scripts/fixtures/fake-digest-signer.js';
import { testKmsClient } from '../scripts/fixtures/vault.js';
import { epochMs } from './kms-emulator.js';
import {
  loopProbes,
  retryCounter,
  TimedSigningLoop,
  timedBroadcasts,
  timedSigner,
  timeMongoCommands,
  timeSignRequests,
  type LoopProbes,
  type Probe,
} from './loop-probes.js';
import type { StandIns, StandInsSnapshot, StartStandIns } from './stand-ins.js';
import { startCpuProfile } from './cpu-profile.js';
import { listenerCpuReader } from './process-cpu.js';
import { summarize } from './stats.js';
import { insertWalletRecords, walletRecord } from './wallet-records.js';

const DESTINATION = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const GAS_PRICE = 20_000_000_000n;
const VALUE = 10n ** 15n;

export interface ThroughputRunOptions {
  mongoUri: string;
  /** Started for this run with the wallets' keys; closed at its end. */
  startStandIns: StartStandIns;
  kmsLatencyMs: number;
  /** The emulator's Sign quota. */
  quotaRps: number;
  transactions: number;
  concurrency: number;
  wallets: number;
  /** The vault's Sign rate limit (default: the quota). */
  limiterRps?: number;
  /** No job starts once this much time has passed (default: no limit). */
  budgetMs?: number;
  /** Passes before giving up on transactions left RETRY (default 5). */
  maxPasses?: number;
  /** Broadcasts whose sender is recovered and compared with the wallet (default: all). */
  verify?: number;
  /** The loop's job-write batches in flight (default: the loop's default). */
  writeBatchesInFlight?: number;
  /** Also measure the reconciliation that later removes the run's carried audit records (see measureCleanup). */
  cleanup?: boolean;
}

/** What the later reconciling pass over the run's finished jobs cost (measureCleanup). */
export interface CleanupCost {
  jobs: number;
  wallMs: number;
  /** Jobs still carrying their final record afterwards (more than the pass's pages hold). */
  stillCarrying: number;
  machineCpuMsPerJob: number;
  databaseCpuMsPerJob: number | null;
}

export interface ThroughputRun {
  transactions: number;
  /** Broadcast (completed in the sandbox). */
  done: number;
  /** Neither done nor failed: not started within the budget, or still RETRY after the last pass. */
  unfinished: number;
  budgetHit: boolean;
  concurrency: number;
  wallets: number;
  limiterRps: number;
  passes: number;
  wallMs: number;
  signatures: number;
  signaturesPerSecond: number;
  /** signaturesPerSecond / quota. */
  quotaShare: number;
  /** Most accepted Sign requests in any 1-second window (never above the quota). */
  peakWindow: number;
  /** Accepted signatures per second of the run. */
  perSecond: number[];
  /** From the start of the run to the first and to the last accepted Sign, ms (the ramp and the tail). */
  firstSignMs: number | null;
  lastSignMs: number | null;
  /** claim → broadcast stored → claim released, per BROADCAST job. */
  perTransactionMs: { p50: number; p99: number; mean: number };
  /** Mean per job, in ms, and MongoDB commands per job. */
  breakdown: {
    sign: number;
    kmsRoundTrip: number;
    broadcast: number;
    mongo: number;
    rest: number;
    mongoCommands: number;
  };
  /** MongoDB commands by "<command> <collection>": per job, and mean ms each. */
  mongoByCommand: Record<string, { perJob: number; meanMs: number }>;
  kms: { throttled: number; highS: number; otherRequests: Record<string, number>; emulatorLateMs: number };
  vaultRetries: { all: number; throttling: number };
  /** Job results by outcome over all passes (a RETRY is redone in the next pass). */
  outcomes: Partial<Record<JobOutcome, number>>;
  /** Pending transactions whose job ended FAILED. */
  failed: number;
  chainErrors: number;
  reportedErrors: number;
  doubleSigns: number;
  /** No double sign, and every completed id was BROADCAST by exactly one job. */
  exactlyOnce: boolean;
  verified: { checked: number; ok: number };
  /** Share of wall time the loop's event loop was busy (1 = CPU-bound on its thread). */
  loopThreadBusy: number;
  /** CPU time (user + system) of the loop's thread per started job, ms — signature maths included. */
  loopThreadCpuMsPerJob: number;
  /** Cores busy on the machine (all processes), averaged over the run. */
  machineCoresBusy: number;
  /** Cores the MongoDB-wire server used, when it is a local process (FerretDB, with its PostgreSQL); else null. */
  databaseCoresBusy: number | null;
  /** CPU time of the bench process's other threads per started job, ms (KMS emulator and Tatum sandbox, GC). */
  standInsCpuMsPerJob: number;
  /** CPU time of the whole machine per started job, ms (loop, stand-ins, database and anything else running). */
  machineCpuMsPerJob: number;
  /** CPU time of the database per started job, ms, when it is read (see databaseCoresBusy). */
  databaseCpuMsPerJob: number | null;
  /** The later removal of the jobs' carried audit records, when measured (ThroughputRunOptions.cleanup). */
  cleanup?: CleanupCost;
}

function busyCpuMs(): number {
  return cpus().reduce(
    (sum, cpu) => sum + cpu.times.user + cpu.times.nice + cpu.times.sys + cpu.times.irq,
    0,
  );
}

const mean = (probe: Probe, per: number) => (per === 0 ? 0 : probe.totalMs / per);
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

/** Largest number of timestamps (ms, sorted) within any window of `windowMs`. */
function peakInWindow(times: readonly number[], windowMs = 1000): number {
  let peak = 0;
  let start = 0;
  for (let end = 0; end < times.length; end++) {
    while ((times[end] ?? 0) - (times[start] ?? 0) >= windowMs) start++;
    peak = Math.max(peak, end - start + 1);
  }
  return peak;
}

function perSecond(times: readonly number[], from: number, wallMs: number): number[] {
  const buckets = new Array<number>(Math.ceil(wallMs / 1000)).fill(0);
  for (const t of times) {
    const second = Math.floor((t - from) / 1000);
    if (second >= 0 && second < buckets.length) buckets[second] = (buckets[second] ?? 0) + 1;
  }
  return buckets;
}

function walletsWithKeys(count: number) {
  return Array.from({ length: count }, (_, n) => {
    const key = testKey(`throughput-${n}`);
    return { key, record: walletRecord(n, key) };
  });
}

/** ETH transfers round-robin over the wallets, nonce = round; returns the wallet of each pending id. */
async function enqueueTransfers(standIns: StandIns, wallets: readonly WalletDoc[], count: number) {
  const walletOf = new Map<string, WalletDoc>();
  for (let first = 0; first < count; first += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - first) }, (_, k) => {
      const n = first + k;
      const wallet = wallets[n % wallets.length] as WalletDoc;
      const nonce = Math.floor(n / wallets.length);
      const payload = evmPayload({ to: DESTINATION, value: VALUE, gasPrice: GAS_PRICE, nonce });
      return { wallet, pending: evmPending('ETH', wallet.signatureId, payload) };
    });
    const ids = await standIns.enqueue(batch.map((b) => b.pending));
    ids.forEach((id, k) => walletOf.set(id, (batch[k] as { wallet: WalletDoc }).wallet));
  }
  return walletOf;
}

/** Runs passes until nothing is left to retry, the passes run out, or the budget is spent. */
async function drive(loop: TimedSigningLoop, options: ThroughputRunOptions, startedAt: number) {
  const outcomes: Partial<Record<JobOutcome, number>> = {};
  const broadcastsById = new Map<string, number>();
  const failedIds = new Set<string>();
  const withinBudget = () => options.budgetMs === undefined || epochMs() - startedAt < options.budgetMs;
  let passes = 0;
  let chainErrors = 0;
  while (passes < (options.maxPasses ?? 5) && withinBudget()) {
    const pass = await loop.runPass(withinBudget);
    passes++;
    chainErrors += pass.chainErrors.length;
    for (const r of pass.results) {
      outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
      if (r.outcome === 'FAILED') failedIds.add(r.id);
      if (r.outcome === 'BROADCAST') broadcastsById.set(r.id, (broadcastsById.get(r.id) ?? 0) + 1);
    }
    if (pass.chainErrors.length === 0 && pass.results.every((r) => r.outcome !== 'RETRY')) break;
  }
  return { outcomes, broadcastsById, failedIds, passes, chainErrors, budgetHit: !withinBudget() };
}

/** What one measured stretch of passes left behind, before it is summarised. */
interface Measured {
  driven: Awaited<ReturnType<typeof drive>>;
  probes: LoopProbes;
  before: StandInsSnapshot;
  after: StandInsSnapshot;
  walletOf: Map<string, WalletDoc>;
  startedAt: number;
  wallMs: number;
  loopThreadBusy: number;
  loopThreadCpuMs: number;
  /** CPU ms of the bench process's other threads: the stand-ins' worker, GC and I/O threads. */
  otherThreadsCpuMs: number;
  machineCoresBusy: number;
  databaseCoresBusy: number | null;
  cleanup?: CleanupCost;
}

/**
 * A measured pass writes each job twice; a lease after the final write the reconciliation copies the job's
 * carried final audit record into `signing_audit` if it is missing and removes it from the job
 * (audit-repair.ts): one more update per job, which a daemon at full rate makes too. Measured here as one
 * reconciling pass with a 1 ms lease over the run's finished jobs (at most 20 pages of 500).
 */
async function measureCleanup(
  options: SigningLoopOptions,
  databaseCpu: (() => number) | undefined,
): Promise<CleanupCost> {
  const jobs = options.db.collection(SIGNING_JOBS);
  const carried = { finalAudit: { $exists: true } };
  const carrying = await jobs.countDocuments(carried);
  const loop = new SigningLoop({ ...options, leaseMs: 1, reconcileEveryMs: 0 });
  await new Promise((resolve) => setTimeout(resolve, 5));
  const cpuBefore = busyCpuMs();
  const databaseBefore = databaseCpu?.() ?? 0;
  const startedAt = epochMs();
  await loop.runPass();
  const wallMs = epochMs() - startedAt;
  const machineCpuMs = busyCpuMs() - cpuBefore;
  const databaseCpuMs = databaseCpu ? databaseCpu() - databaseBefore : null;
  const stillCarrying = await jobs.countDocuments(carried);
  const per = (ms: number) => round(ms / Math.max(1, carrying - stillCarrying), 2);
  return {
    jobs: carrying,
    wallMs: round(wallMs, 0),
    stillCarrying,
    machineCpuMsPerJob: per(machineCpuMs),
    databaseCpuMsPerJob: databaseCpuMs === null ? null : per(databaseCpuMs),
  };
}

/** CPU ms of the whole process (every thread). */
function processCpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

/** CPU ms of this thread (the loop's; the stand-ins run in a worker). */
function threadCpuMs(): number {
  const { user, system } = process.threadCpuUsage();
  return (user + system) / 1000;
}

/** Sets up a fresh database with the wallets and the queue, then drives the loop and measures it. */
async function measureRun(
  options: ThroughputRunOptions,
  standIns: StandIns,
  wallets: readonly WalletDoc[],
): Promise<Measured> {
  const probes = loopProbes();
  const mongo = await connectMongo(options.mongoUri, { monitorCommands: true });
  const db = mongo.db(`bench_throughput_${randomBytes(4).toString('hex')}`);
  // Wired as createAppContext does: one KMS client, the vault with its Sign limiter, the wallet service.
  const kms = testKmsClient(standIns.kmsUrl);
  const vault = new KmsVault({
    client: kms,
    rateLimits: { sign: options.limiterRps ?? options.quotaRps },
    onRetry: retryCounter(probes),
  });
  const service = createWalletService({ db, vault, kms });
  try {
    await runMigrations(db);
    await insertWalletRecords(db, wallets);
    const walletOf = await enqueueTransfers(standIns, wallets, options.transactions);
    timeSignRequests(kms, probes.kmsHttp);
    const stopMongoTiming = timeMongoCommands(mongo, probes);
    const api = createTatumClient({
      baseUrl: standIns.tatum.url,
      apiKey: standIns.tatum.apiKey,
      clientVersion: 'kms-signer-bench',
      broadcastPaths: standIns.tatum.broadcastPaths,
    });
    const loopOptions = {
      db,
      api: timedBroadcasts(api, probes.broadcast),
      wallets: service,
      signer: timedSigner(vault, probes.sign),
      chains: ['ETH'] as const,
      network: 'testnet' as const,
      concurrency: options.concurrency,
      ...(options.writeBatchesInFlight === undefined
        ? {}
        : { writeBatchesInFlight: options.writeBatchesInFlight }),
    };
    const loop = new TimedSigningLoop(loopOptions, probes);

    const before = await standIns.snapshot();
    probes.reset();
    const elu = performance.eventLoopUtilization();
    const threadCpuBefore = threadCpuMs();
    const processCpuBefore = processCpuMs();
    const cpuBefore = busyCpuMs();
    const databaseCpu = listenerCpuReader(new URL(options.mongoUri).port);
    const databaseCpuBefore = databaseCpu?.() ?? 0;
    const stopProfile = await startCpuProfile(
      `loop-${String(options.transactions)}tx-c${String(options.concurrency)}-${String(Date.now())}`,
    );
    const startedAt = epochMs();
    const driven = await drive(loop, options, startedAt);
    const wallMs = epochMs() - startedAt;
    const loopThreadCpuMs = threadCpuMs() - threadCpuBefore; // before the profile is serialised
    const otherThreadsCpuMs = processCpuMs() - processCpuBefore - loopThreadCpuMs;
    await stopProfile();
    stopMongoTiming();
    const measured: Measured = {
      driven,
      probes,
      before,
      after: await standIns.snapshot(),
      walletOf,
      startedAt,
      wallMs,
      loopThreadBusy: performance.eventLoopUtilization(elu).utilization,
      loopThreadCpuMs,
      otherThreadsCpuMs,
      machineCoresBusy: (busyCpuMs() - cpuBefore) / wallMs,
      databaseCoresBusy: databaseCpu ? (databaseCpu() - databaseCpuBefore) / wallMs : null,
    };
    // After the run's figures are taken: the cleanup is not part of the measured pass.
    if (options.cleanup) measured.cleanup = await measureCleanup(loopOptions, databaseCpu);
    return measured;
  } finally {
    await service.close();
    await db.dropDatabase().catch(() => undefined);
    await mongo.close();
    kms.destroy();
  }
}

function summariseRun(options: ThroughputRunOptions, m: Measured): ThroughputRun {
  const { driven, probes, before, after, walletOf, wallMs } = m;
  const accepted = after.kms.acceptedAt.filter((t) => t >= m.startedAt).sort((a, b) => a - b);
  const signatures = after.kms.signAccepted - before.kms.signAccepted;
  const otherRequests = Object.fromEntries(
    Object.entries(after.kms.requests)
      .map(([op, n]) => [op, n - (before.kms.requests[op] ?? 0)] as const)
      .filter(([op, n]) => op !== 'Sign' && n > 0),
  );
  const ids = [...walletOf.keys()];
  const doneIds = ids.filter((id) => after.completed[id] !== undefined);
  const toVerify = doneIds.slice(0, options.verify ?? doneIds.length);
  const verifiedOk = toVerify.filter((id) => {
    const txData = after.completed[id] ?? '';
    return Transaction.from(txData).from === getAddress(walletOf.get(id)?.address ?? '');
  }).length;

  const timing = summarize(probes.jobs.filter((j) => j.outcome === 'BROADCAST').map((j) => j.ms * 1000));
  const jobs = probes.jobs.length;
  const jobMean = jobs === 0 ? 0 : probes.jobs.reduce((sum, j) => sum + j.ms, 0) / jobs;
  const sign = mean(probes.sign, jobs);
  const broadcast = mean(probes.broadcast, jobs);
  const mongo = mean(probes.mongo, jobs);
  const rate = signatures / (wallMs / 1000);
  const limiterRps = options.limiterRps ?? options.quotaRps;
  return {
    transactions: options.transactions,
    done: doneIds.length,
    unfinished: ids.length - doneIds.length - driven.failedIds.size,
    budgetHit: driven.budgetHit,
    concurrency: options.concurrency,
    wallets: options.wallets,
    limiterRps,
    passes: driven.passes,
    wallMs: round(wallMs, 0),
    signatures,
    signaturesPerSecond: round(rate),
    quotaShare: round(rate / options.quotaRps, 3),
    peakWindow: peakInWindow(accepted),
    perSecond: perSecond(accepted, m.startedAt, wallMs),
    firstSignMs: accepted.length === 0 ? null : round((accepted[0] ?? 0) - m.startedAt, 0),
    lastSignMs: accepted.length === 0 ? null : round((accepted[accepted.length - 1] ?? 0) - m.startedAt, 0),
    perTransactionMs: {
      p50: round(timing.medianUs / 1000),
      p99: round(timing.p99Us / 1000),
      mean: round(timing.meanUs / 1000),
    },
    breakdown: {
      sign: round(sign),
      kmsRoundTrip: round(mean(probes.kmsHttp, probes.kmsHttp.count)),
      broadcast: round(broadcast),
      mongo: round(mongo),
      rest: round(jobMean - sign - broadcast - mongo),
      mongoCommands: round(jobs === 0 ? 0 : probes.mongo.count / jobs),
    },
    mongoByCommand: Object.fromEntries(
      [...probes.mongoByCommand]
        .sort(([, a], [, b]) => b.totalMs - a.totalMs)
        .map(([name, p]) => [
          name,
          { perJob: round(p.count / Math.max(1, jobs), 2), meanMs: round(p.totalMs / p.count, 2) },
        ]),
    ),
    kms: {
      throttled: after.kms.throttled - before.kms.throttled,
      highS: after.kms.highS - before.kms.highS,
      otherRequests,
      emulatorLateMs: round(after.kms.meanLateMs, 2),
    },
    vaultRetries: { ...probes.retries },
    outcomes: driven.outcomes,
    failed: driven.failedIds.size,
    chainErrors: driven.chainErrors,
    reportedErrors: after.reportedErrors.length - before.reportedErrors.length,
    doubleSigns: after.violations,
    exactlyOnce: after.violations === 0 && doneIds.every((id) => driven.broadcastsById.get(id) === 1),
    verified: { checked: toVerify.length, ok: verifiedOk },
    loopThreadBusy: round(m.loopThreadBusy, 3),
    loopThreadCpuMsPerJob: round(jobs === 0 ? 0 : m.loopThreadCpuMs / jobs, 2),
    machineCoresBusy: round(m.machineCoresBusy, 2),
    databaseCoresBusy: m.databaseCoresBusy === null ? null : round(m.databaseCoresBusy, 2),
    standInsCpuMsPerJob: round(jobs === 0 ? 0 : m.otherThreadsCpuMs / jobs, 2),
    machineCpuMsPerJob: round(jobs === 0 ? 0 : (m.machineCoresBusy * m.wallMs) / jobs, 2),
    databaseCpuMsPerJob:
      m.databaseCoresBusy === null
        ? null
        : round(jobs === 0 ? 0 : (m.databaseCoresBusy * m.wallMs) / jobs, 2),
    ...(m.cleanup ? { cleanup: m.cleanup } : {}),
  };
}

export async function runThroughput(options: ThroughputRunOptions): Promise<ThroughputRun> {
  const wallets = walletsWithKeys(options.wallets);
  const standIns = await options.startStandIns({
    keys: wallets.map(({ key }) => ({ keyId: key.keyId, privateKey: key.privateKey })),
    latencyMs: options.kmsLatencyMs,
    quotaRps: options.quotaRps,
  });
  try {
    const records = wallets.map(({ record }) => record);
    return summariseRun(options, await measureRun(options, standIns, records));
  } finally {
    await standIns.close();
  }
}
