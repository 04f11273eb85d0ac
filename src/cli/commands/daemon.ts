// daemon: the Tatum signing loop (tatum-kms `daemon`), with tatum-kms's options. Runs until SIGINT or
// SIGTERM (io.signal), then lets the jobs in flight finish. Global --chain takes a comma-separated
// list here; --testnet (or --network) picks the wallets' network.
import type { Command } from 'commander';
import { isNetworkName } from '../../chains/index.js';
import { fourEyeSecretProblem } from '../../tatum/four-eye-signature.js';
import { DEFAULT_CONCURRENCY, loadTatumConfig, parseChains, parseSigningPolicy } from '../../tatum/config.js';
import { createDaemonDeps, runDaemon, type DaemonDeps } from '../../tatum/daemon.js';
import { DEFAULT_REPORT_RETRIES_AFTER_MS } from '../../tatum/give-up.js';
import {
  DEFAULT_WRITE_BATCHES_IN_FLIGHT,
  MAX_WRITES_PER_BATCH,
  WRITE_BATCHES_IN_FLIGHT,
  writeBatchesFor,
} from '../../tatum/jobs.js';
import { reportPendingCounts } from '../../tatum/pending-count.js';
import { checkAllowedDestinations } from '../../tatum/policy.js';
import { loadCliConfig } from '../config-summary.js';
import { usageError } from '../errors.js';
import type { CliEnv, ConfigSource } from '../io.js';
import type { GlobalOptions } from '../options.js';
import type { Runtime } from '../runtime.js';

interface DaemonCliOptions {
  period?: string;
  externalUrl?: string;
  externalUrlMethod?: string;
  runOnce?: boolean;
  wallets?: string;
  transactionIds?: string;
  concurrency?: string;
  writeBatches?: string;
  walletRefresh?: string;
  lease?: string;
  reportRetriesAfter?: string;
}

/** Builds what the daemon needs; tests replace it. */
export type DaemonDepsFactory = (
  env: CliEnv,
  source: ConfigSource,
) => Promise<{
  deps: DaemonDeps;
  policy: ReturnType<typeof loadTatumConfig>['policy'];
  close(): Promise<void>;
}>;

const defaultFactory: DaemonDepsFactory = async (env, source) => {
  const tatum = loadTatumConfig(env);
  const { deps, context } = await createDaemonDeps(loadCliConfig(env, source), tatum);
  return { deps, policy: tatum.policy, close: () => context.close() };
};

/**
 * The signing loop's job lease (src/tatum/loop.ts defaults to 120 s). Shorter lets another runner take
 * over a dead runner's jobs sooner, but must outlast one job's KMS calls and broadcast.
 */
const LEASE_SECONDS = { min: 10, max: 3600, default: 120 } as const;

const list = (value: string | undefined) =>
  value === undefined
    ? undefined
    : value
        .split(',')
        .map((v) => v.trim())
        .filter((v) => v !== '');

export function registerDaemonCommand(program: Command, rt: Runtime, factory = defaultFactory): void {
  program
    .command('daemon')
    .description('sign and broadcast the transactions Tatum queued for our wallets (the Tatum signing loop)')
    .option('--period <seconds>', 'seconds between passes', '5')
    .option('--externalUrl <url>', 'four-eyes service: {url}/{id} must answer 2xx (mandatory on mainnet)')
    .option('--externalUrlMethod <method>', 'GET or POST (POST sends the pending transaction)', 'GET')
    .option('--runOnce', 'one pass, then exit')
    .option('--wallets <ids>', 'with --runOnce: only these wallet signature ids (comma-separated)')
    .option('--transactionIds <ids>', 'with --runOnce: only these pending transaction ids (comma-separated)')
    .option('--concurrency <n>', 'transactions processed in parallel', String(DEFAULT_CONCURRENCY))
    .option(
      '--writeBatches <n>',
      `job-write batches written to MongoDB at the same time (${WRITE_BATCHES_IN_FLIGHT.min}-${WRITE_BATCHES_IN_FLIGHT.max}; default concurrency ÷ ${MAX_WRITES_PER_BATCH}, at least ${DEFAULT_WRITE_BATCHES_IN_FLIGHT})`,
    )
    .option('--walletRefresh <seconds>', "reuse each chain's wallet id list this long (0 = every pass)", '60')
    .option(
      '--lease <seconds>',
      `how long a runner's claim on a job lasts unrenewed (${LEASE_SECONDS.min}-${LEASE_SECONDS.max})`,
      String(LEASE_SECONDS.default),
    )
    .option(
      '--reportRetriesAfter <seconds>',
      'report a transaction to Tatum as failed once it was retried (never signed) this long (0 = never)',
      String(DEFAULT_REPORT_RETRIES_AFTER_MS / 1000),
    )
    .addHelpText(
      'after',
      '\n--chain takes a comma-separated list (default: every supported chain). TATUM_API_URL and\n' +
        'TATUM_API_KEY or TATUM_API_KEY_SECRET_ARN configure Tatum; SIGNING_POLICY the policy;\n' +
        'FOUR_EYE_SECRET signs the four-eyes requests (required by `kms-signer approvals`).',
    )
    .action(async (_opts: unknown, command: Command) => {
      const opts = rt.options<DaemonCliOptions>(command);
      const checked = checkedOptions(opts, rt.io.env.FOUR_EYE_SECRET);
      const { period, concurrency, walletRefresh, lease, method, network, fourEyeSecret, chains } = checked;
      const { reportRetriesAfter, writeBatches } = checked;
      // A bad allow-list entry is refused before anything connects, naming the entry.
      await checkAllowedDestinations(parseSigningPolicy(rt.io.env.SIGNING_POLICY), network, chains);
      const built = await factory(rt.io.env, opts.envFile === undefined ? {} : { envFile: opts.envFile });
      try {
        const wallets = list(opts.wallets);
        const transactionIds = list(opts.transactionIds);
        let passes = 0;
        rt.note(`kms-signer daemon: ${chains.join(',')} on ${network}, every ${period}s`);
        const log = (entry: Record<string, unknown>) => {
          rt.note(JSON.stringify(entry));
        };
        await runDaemon({
          deps: { ...built.deps, api: reportPendingCounts(built.deps.api, log) },
          period,
          chains,
          network,
          concurrency,
          writeBatchesInFlight: writeBatches,
          walletRefreshMs: walletRefresh * 1000,
          leaseMs: lease * 1000,
          reportRetriesAfterMs: reportRetriesAfter === 0 ? Infinity : reportRetriesAfter * 1000,
          policy: built.policy,
          externalUrlMethod: method,
          ...(fourEyeSecret ? { fourEyeSecret } : {}),
          ...(opts.externalUrl ? { externalUrl: opts.externalUrl } : {}),
          ...(opts.runOnce ? { runOnce: true } : {}),
          ...(wallets ? { wallets } : {}),
          ...(transactionIds ? { transactionIds } : {}),
          ...(rt.io.signal ? { signal: rt.io.signal } : {}),
          log,
          onPass: (result) => {
            passes++;
            if (opts.runOnce || opts.json) rt.printJson({ pass: passes, ...result });
          },
        });
      } finally {
        await built.close();
      }
    });
}

/** The daemon's options, each checked (usage errors name the option); nothing is started here. */
function checkedOptions(opts: GlobalOptions & DaemonCliOptions, fourEyeSecret: string | undefined) {
  const period = Number(opts.period);
  if (!Number.isFinite(period) || period <= 0) throw usageError('--period', 'must be a positive number');
  const concurrency = Number(opts.concurrency);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw usageError('--concurrency', 'must be ≥ 1');
  const writeBatches = Number(opts.writeBatches ?? writeBatchesFor(concurrency));
  const { min, max } = WRITE_BATCHES_IN_FLIGHT;
  if (!Number.isInteger(writeBatches) || writeBatches < min || writeBatches > max)
    throw usageError('--writeBatches', `must be a whole number from ${String(min)} to ${String(max)}`);
  const walletRefresh = Number(opts.walletRefresh);
  if (!Number.isInteger(walletRefresh) || walletRefresh < 0 || walletRefresh > 3600)
    throw usageError('--walletRefresh', 'must be a whole number of seconds from 0 to 3600');
  const lease = Number(opts.lease ?? LEASE_SECONDS.default);
  if (!Number.isInteger(lease) || lease < LEASE_SECONDS.min || lease > LEASE_SECONDS.max) {
    throw usageError(
      '--lease',
      `must be a whole number of seconds from ${LEASE_SECONDS.min} to ${LEASE_SECONDS.max}`,
    );
  }
  const reportRetriesAfter = Number(opts.reportRetriesAfter ?? DEFAULT_REPORT_RETRIES_AFTER_MS / 1000);
  if (!Number.isInteger(reportRetriesAfter) || reportRetriesAfter < 0)
    throw usageError('--reportRetriesAfter', 'must be a whole number of seconds (0 = never)');
  const requested = (opts.externalUrlMethod ?? 'GET').toUpperCase();
  if (requested !== 'GET' && requested !== 'POST') {
    throw usageError('--externalUrlMethod', 'must be GET or POST');
  }
  const method: 'GET' | 'POST' = requested === 'POST' ? 'POST' : 'GET';
  if (opts.network !== undefined && !isNetworkName(opts.network)) {
    throw usageError('--network', 'must be mainnet, testnet or regtest');
  }
  const network = opts.network ?? (opts.testnet ? 'testnet' : 'mainnet');
  const secretProblem = fourEyeSecret === undefined ? null : fourEyeSecretProblem(fourEyeSecret);
  if (secretProblem !== null) throw usageError('FOUR_EYE_SECRET', secretProblem);
  if (fourEyeSecret !== undefined && method !== 'POST') {
    throw usageError('--externalUrlMethod', 'must be POST with FOUR_EYE_SECRET (kms-signer approvals)');
  }
  if (network === 'mainnet' && !opts.externalUrl) {
    throw usageError('--externalUrl', 'is mandatory on mainnet (use --testnet to run without it)');
  }
  if ((opts.wallets ?? opts.transactionIds) !== undefined && !opts.runOnce) {
    throw usageError('--runOnce', '--wallets and --transactionIds need --runOnce');
  }
  let chains;
  try {
    chains = parseChains(opts.chain);
  } catch (error) {
    throw usageError('--chain', error instanceof Error ? error.message.replace(/^--chain: /, '') : '');
  }
  return {
    period,
    concurrency,
    writeBatches,
    walletRefresh,
    lease,
    reportRetriesAfter,
    method: method,
    network,
    fourEyeSecret,
    chains,
  };
}
