// Issue #7 item 1, throughput against the KMS quota: pending ETH transfers through the whole signing
// loop (throughput-run.ts) against a KMS emulator with latency and a Sign quota, in a worker thread
// together with the Tatum sandbox, and FerretDB from the test stack (or MONGODB_URI). Runs: concurrency
// 1 (one transaction at a time, as tatum-kms) as the baseline, then each size × concurrency; and, when
// the database cannot feed the real quota, a scaled-down quota it can feed, with the vault's limiter at
// the quota and above it (throttling and retries). Every run has a time budget: after it no new job
// starts, so a run that the database holds back stays bounded and reports how far it got. Last, the
// KMS side alone (vault-rate.ts): what the vault reaches at the full quota without any database work.
//
// Environment (defaults): BENCH_THROUGHPUT_SIZES (1000,10000), BENCH_THROUGHPUT_CONCURRENCY (8,32),
// BENCH_THROUGHPUT_BASELINE_SIZE (1000), BENCH_THROUGHPUT_WALLETS (50), BENCH_KMS_LATENCY_MS (20),
// BENCH_KMS_QUOTA (300), BENCH_THROUGHPUT_RUN_SECONDS (15; 0 = no budget), BENCH_THROUGHPUT_SCALED_QUOTA
// (10; 0 = skip the scaled runs), BENCH_THROUGHPUT_VAULT (1; 0 = skip the vault-alone runs),
// BENCH_THROUGHPUT_WRITE_BATCHES (0 = the loop's default job-write batches in flight), BENCH_THROUGHPUT_CLEANUP
// (0; 1 = after each full-quota run, also measure the reconciliation that removes its jobs' carried records).
import { availableParallelism, loadavg } from 'node:os';
import { withBenchStack } from './bench-stack.js';
import { envInt, envIntList } from './env.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { startWorkerStandIns } from './stand-ins.js';
import { runThroughput, type ThroughputRun } from './throughput-run.js';
import { runVaultRate, type VaultRate } from './vault-rate.js';

/** The targets: ≥ 90 % of the quota sustained, zero failed transactions. */
const TARGET_QUOTA_SHARE = 0.9;

export interface ThroughputConfig {
  sizes: number[];
  concurrency: number[];
  baselineSize: number;
  wallets: number;
  latencyMs: number;
  quotaRps: number;
  runSeconds: number;
  scaledQuotaRps: number;
  /** The loop's job-write batches in flight (0 = the loop's default). */
  writeBatches: number;
  /** Whether the vault-alone runs follow the loop runs. */
  vaultRuns: boolean;
  /** Whether each full-quota run also measures the later removal of its jobs' carried audit records. */
  cleanup: boolean;
}

export function throughputConfig(): ThroughputConfig {
  return {
    sizes: envIntList('BENCH_THROUGHPUT_SIZES', [1000, 10_000]),
    concurrency: envIntList('BENCH_THROUGHPUT_CONCURRENCY', [8, 32]),
    baselineSize: envInt('BENCH_THROUGHPUT_BASELINE_SIZE', 1000),
    wallets: envInt('BENCH_THROUGHPUT_WALLETS', 50),
    latencyMs: envInt('BENCH_KMS_LATENCY_MS', 20),
    quotaRps: envInt('BENCH_KMS_QUOTA', 300),
    runSeconds: envInt('BENCH_THROUGHPUT_RUN_SECONDS', 15),
    scaledQuotaRps: envInt('BENCH_THROUGHPUT_SCALED_QUOTA', 10),
    writeBatches: envInt('BENCH_THROUGHPUT_WRITE_BATCHES', 0),
    vaultRuns: envInt('BENCH_THROUGHPUT_VAULT', 1) !== 0,
    cleanup: envInt('BENCH_THROUGHPUT_CLEANUP', 0) !== 0,
  };
}

export interface LabelledRun extends ThroughputRun {
  label: string;
  quotaRps: number;
}

export interface ThroughputResult {
  config: ThroughputConfig;
  loadAverage: number;
  database: string;
  runs: LabelledRun[];
  /** The vault alone against the emulator at the full quota (no loop, no database). */
  vault: VaultRate[];
}

/** Signatures per KMS-side run: about six seconds at the quota. */
const VAULT_RUN_SECONDS = 6;

/** The loop runs: the concurrency-1 baseline, each size × concurrency, then the scaled quota. */
async function loopRuns(config: ThroughputConfig, mongoUri: string): Promise<LabelledRun[]> {
  const runs: LabelledRun[] = [];
  const run = async (
    label: string,
    quotaRps: number,
    transactions: number,
    concurrency: number,
    limiterRps = quotaRps,
  ) => {
    console.error(
      `throughput: ${label}: ${transactions} tx, concurrency ${concurrency}, limiter ${limiterRps}/s…`,
    );
    const result = await runThroughput({
      mongoUri,
      startStandIns: startWorkerStandIns,
      kmsLatencyMs: config.latencyMs,
      quotaRps,
      limiterRps,
      transactions,
      concurrency,
      wallets: config.wallets,
      ...(config.runSeconds > 0 ? { budgetMs: config.runSeconds * 1000 } : {}),
      ...(config.writeBatches > 0 ? { writeBatchesInFlight: config.writeBatches } : {}),
      ...(config.cleanup && label === 'full quota' ? { cleanup: true } : {}),
      verify: 200,
    });
    runs.push({ label, quotaRps, ...result });
    // Each run's figures as soon as they exist: a crash later in the section keeps them in the log.
    console.error(`throughput: ${label}: ${JSON.stringify({ ...result, perSecond: undefined })}`);
  };
  await run('baseline (one at a time)', config.quotaRps, config.baselineSize, 1);
  for (const size of config.sizes) {
    for (const concurrency of config.concurrency) await run('full quota', config.quotaRps, size, concurrency);
  }
  if (config.scaledQuotaRps > 0) {
    const [size, quota, concurrency] = [
      config.baselineSize,
      config.scaledQuotaRps,
      config.concurrency[0] ?? 8,
    ];
    await run('scaled quota, limiter = quota', quota, size, concurrency);
    await run('scaled quota, limiter = 2 × quota', quota, size, concurrency, 2 * quota);
  }
  return runs;
}

/** The vault alone at the full quota: the lowest and highest concurrency, then the limiter above it. */
async function vaultRuns(config: ThroughputConfig): Promise<VaultRate[]> {
  const runs: VaultRate[] = [];
  const most = Math.max(...config.concurrency);
  const least = Math.min(...config.concurrency);
  const plan = [
    ...(least < most ? [[config.quotaRps, least] as const] : []),
    [config.quotaRps, most] as const,
    [2 * config.quotaRps, most] as const,
  ];
  for (const [limiterRps, concurrency] of plan) {
    console.error(`throughput: vault alone, concurrency ${concurrency}, limiter ${limiterRps}/s…`);
    runs.push(
      await runVaultRate({
        startStandIns: startWorkerStandIns,
        kmsLatencyMs: config.latencyMs,
        quotaRps: config.quotaRps,
        limiterRps,
        concurrency,
        signatures: config.quotaRps * VAULT_RUN_SECONDS,
      }),
    );
  }
  return runs;
}

async function measureThroughput(config: ThroughputConfig): Promise<ThroughputResult> {
  const loadAverage = Math.round((loadavg()[0] ?? 0) * 100) / 100;
  const runs = await withBenchStack(['mongo'], ({ stack }) => loopRuns(config, stack.endpoints.mongoUri));
  const vault = config.vaultRuns ? await vaultRuns(config) : [];
  const database = process.env.MONGODB_URI?.trim()
    ? 'MONGODB_URI'
    : 'FerretDB 1.24 (SQLite) from the test stack';
  return { config, loadAverage, database, runs, vault };
}

const seconds = (ms: number) => (ms / 1000).toFixed(1);
const percent = (share: number) => `${(share * 100).toFixed(1)} %`;
const cores = (value: number | null) => (value === null ? '–' : value.toFixed(2));

function runsTable(runs: readonly LabelledRun[]): string {
  return table(
    [
      'Run',
      'Done / queued',
      'Conc.',
      'Wall s',
      'Sig/s',
      'Quota',
      '% of quota',
      '≥ 90 %',
      'p50 ms',
      'p99 ms',
      'Throttled',
      'Vault retries',
      'Failed',
      'Zero failed',
      'Exactly once',
      'Sigs verified',
    ],
    runs.map((r) => [
      r.label,
      `${r.done} / ${r.transactions}${r.budgetHit ? ' (budget)' : ''}`,
      r.concurrency,
      seconds(r.wallMs),
      r.signaturesPerSecond,
      r.limiterRps === r.quotaRps ? r.quotaRps : `${r.quotaRps} (limiter ${r.limiterRps})`,
      percent(r.quotaShare),
      ok(r.quotaShare >= TARGET_QUOTA_SHARE),
      r.perTransactionMs.p50,
      r.perTransactionMs.p99,
      r.kms.throttled,
      r.vaultRetries.all,
      r.failed,
      ok(r.failed === 0 && r.chainErrors === 0),
      ok(r.exactlyOnce && r.doubleSigns === 0),
      `${r.verified.ok} / ${r.verified.checked}`,
    ]),
  );
}

function timeTable(runs: readonly LabelledRun[]): string {
  return table(
    [
      'Run',
      'Conc.',
      'Job ms',
      'Sign ms (vault)',
      'KMS round trip ms',
      'Broadcast ms',
      'MongoDB ms',
      'MongoDB cmds',
      'Rest ms',
      'Loop thread busy',
      'Loop CPU ms/job',
      'Stand-ins CPU ms/job',
      'DB CPU ms/job',
      'Machine CPU ms/job',
      'DB cores',
      'Machine cores',
    ],
    runs.map((r) => [
      r.label,
      r.concurrency,
      r.perTransactionMs.mean,
      r.breakdown.sign,
      r.breakdown.kmsRoundTrip,
      r.breakdown.broadcast,
      r.breakdown.mongo,
      r.breakdown.mongoCommands,
      r.breakdown.rest,
      percent(r.loopThreadBusy),
      r.loopThreadCpuMsPerJob,
      r.standInsCpuMsPerJob,
      r.databaseCpuMsPerJob ?? '—',
      r.machineCpuMsPerJob,
      cores(r.databaseCoresBusy),
      cores(r.machineCoresBusy),
    ]),
  );
}

function vaultTable(runs: readonly VaultRate[], quotaRps: number): string {
  return table(
    [
      'Concurrency',
      'Limiter /s',
      'Signatures',
      'Sig/s',
      '% of quota',
      '≥ 90 %',
      'Sign p50 ms',
      'Sign p99 ms',
      'Throttled',
      'Retries',
      'Loop thread busy',
    ],
    runs.map((r) => [
      r.concurrency,
      r.limiterRps === quotaRps ? `${r.limiterRps} (= quota)` : r.limiterRps,
      r.signatures,
      r.signaturesPerSecond,
      percent(r.quotaShare),
      ok(r.quotaShare >= TARGET_QUOTA_SHARE),
      r.signMs.p50,
      r.signMs.p99,
      r.throttled,
      r.retries,
      percent(r.loopThreadBusy),
    ]),
  );
}

function commandsTable(run: LabelledRun): string {
  return table(
    ['MongoDB command', 'Per job', 'Mean ms'],
    Object.entries(run.mongoByCommand).map(([name, c]) => [`\`${name}\``, c.perJob, c.meanMs]),
  );
}

/**
 * The rate this machine's cores allow at the CPU per job one run measured (loop thread + stand-ins +
 * database), even if nothing else ran: a rate above it cannot be shown here, whatever the loop does.
 */
function cpuCeiling(run: LabelledRun, quotaRps: number): string[] {
  if (run.databaseCpuMsPerJob === null) return [];
  const perJob = run.loopThreadCpuMsPerJob + run.standInsCpuMsPerJob + run.databaseCpuMsPerJob;
  const ceiling = (availableParallelism() * 1000) / perJob;
  return [
    `CPU per job in that run: loop thread ${run.loopThreadCpuMsPerJob} ms, stand-ins ${run.standInsCpuMsPerJob} ms, ` +
      `database ${run.databaseCpuMsPerJob} ms — ${perJob.toFixed(1)} ms, so this machine's ` +
      `${availableParallelism()} cores allow at most ${Math.round(ceiling)} tx/s ` +
      `(${percent(ceiling / quotaRps)} of the quota) with nothing else running.`,
    '',
  ];
}

export function throughputMarkdown(result: ThroughputResult): string {
  const { config, runs } = result;
  const baseline = runs[0];
  const busiest = runs
    .slice(1)
    .reduce<LabelledRun | undefined>(
      (best, r) => (best === undefined || r.signaturesPerSecond > best.signaturesPerSecond ? r : best),
      undefined,
    );
  const otherKms = [...new Set(runs.flatMap((r) => Object.keys(r.kms.otherRequests)))];
  const signatures = runs.reduce((n, r) => n + r.signatures, 0);
  const highS = runs.reduce((n, r) => n + r.kms.highS, 0);
  // Little's law: jobs in flight = rate × time per job; the baseline's job time is the uncontended one.
  const needed = baseline ? Math.ceil((config.quotaRps * baseline.perTransactionMs.mean) / 1000) : undefined;
  return [
    '## Throughput against the KMS quota',
    '',
    `Pending ETH transfers (${config.wallets} wallets, distinct nonces) through the real \`SigningLoop\` — Tatum ` +
      `HTTP client, \`KmsVault\` (Sign limiter at the quota, retries), wallet service and job store on ` +
      `${result.database} — against a KMS emulator that really signs (high S about half the time), answers ` +
      `${config.latencyMs} ms after each request and throttles Sign above ${config.quotaRps} requests in any ` +
      `sliding second (HTTP 400 ThrottlingException), next to the Tatum sandbox (offline broadcasts) in a worker ` +
      `thread. Each run starts on a fresh database and stops starting jobs after ${config.runSeconds || '∞'} s ` +
      `(“budget”); rates are signatures accepted by the emulator per second of the run. Per-transaction time: ` +
      `\`processOne\`, from the job lookup and claim to the stored broadcast and the release. Load average at ` +
      `the start: ${result.loadAverage} (the machine is shared).`,
    '',
    runsTable(runs),
    '',
    'Where a transaction’s time goes (means per job; MongoDB = the sum of its commands’ durations):',
    '',
    timeTable(runs),
    '',
    `The KMS side alone — \`KmsVault.signDigest\` from N concurrent callers against the same emulator ` +
      `(${config.quotaRps}/s, ${config.latencyMs} ms), no loop and no database — shows what the quota, the ` +
      `latency, the limiter and this process's CPU allow:`,
    '',
    vaultTable(result.vault, config.quotaRps),
    '',
    ...(busiest
      ? [
          `MongoDB commands per job in the fastest run (${busiest.label}, concurrency ${busiest.concurrency}):`,
          '',
          commandsTable(busiest),
          '',
          ...cpuCeiling(busiest, config.quotaRps),
        ]
      : []),
    `KMS operations other than Sign on the hot path: ${otherKms.length ? otherKms.join(', ') : 'none'}. ` +
      `High-S signatures the vault folded: ${highS} of ${signatures}.` +
      (needed !== undefined
        ? ` At the baseline's ${baseline?.perTransactionMs.mean} ms per job, ${config.quotaRps} signatures/s ` +
          `need at least ${needed} jobs in flight (rate × time per job), and a database that serves ` +
          `${Math.round((config.quotaRps * (baseline?.breakdown.mongoCommands ?? 0)) / 100) * 100} commands/s.`
        : '') +
      ` The vault's limiter paces Sign at exactly the configured rate (one start every ` +
      `${(1000 / config.quotaRps).toFixed(2)} ms); the few throttles at limiter = quota come from requests ` +
      'bunching on the way to the emulator and are absorbed by retries. A limiter above the quota loses ' +
      'throughput to backoff: keep it at (or slightly under) your share of the account quota.',
  ].join('\n');
}

export const throughputSection: BenchSection = {
  name: 'throughput',
  description:
    'pending transactions through the signing loop against a KMS emulator with latency and a Sign quota',
  async run() {
    const result = await measureThroughput(throughputConfig());
    return { json: result, markdown: throughputMarkdown(result) };
  },
};
