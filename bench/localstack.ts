// Issue #7 item 4, reference figures against LocalStack: wallets created per second through the real
// wallet service (createAppContext), one at a time and as a batch, both paced at the CreateKey quota;
// signatures per second end to end through KmsVault.signDigest at a few concurrencies; and whole EVM
// transactions through signTransaction. LocalStack emulates KMS in Python on the same cores as this
// process: the figures describe the local stack, not AWS.
import { cpus, loadavg } from 'node:os';
import { sha256 } from '@noble/hashes/sha2.js';
import { evmPayload } from '../scripts/sandbox/pending-payloads.js';
import { formatStartupTimes } from '../scripts/stack/index.js';
import type { KmsVault } from '../src/kms/index.js';
import { signTransaction, type WalletKey } from '../src/signer/index.js';
import type { CreateWalletInput, WalletView } from '../src/wallets/contract.js';
import type { KmsWalletService } from '../src/wallets/index.js';
import { mapLimit } from '../src/util/map-limit.js';
import { withBenchStack } from './bench-stack.js';
import { envInt, envIntList } from './env.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { summarize } from './stats.js';

const WALLET_INPUT: CreateWalletInput = { userId: 'bench', chain: 'ETH', asset: 'ETH', network: 'testnet' };
const DESTINATION = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
const WARMUP_SIGNATURES = 20;
const EVM_CONCURRENCY = 8;

export interface RateRow {
  label: string;
  count: number;
  concurrency: number;
  seconds: number;
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** CPU time of this process (client side: SDK, vault, signer) per operation. */
  clientCpuMsPerOp: number;
  kmsRetries: number;
}

const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Wall time, this process's CPU time and KMS retries since it was started. */
function stopwatch(retries: { count: number }) {
  const retriesBefore = retries.count;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  return () => {
    const cpu = process.cpuUsage(cpuBefore);
    return {
      seconds: (performance.now() - started) / 1000,
      cpuMs: (cpu.user + cpu.system) / 1000,
      retries: retries.count - retriesBefore,
    };
  };
}

/** Runs `op(i)` for i < count, `concurrency` at a time: throughput, latency and client CPU. */
async function measureRate(
  label: string,
  count: number,
  concurrency: number,
  retries: { count: number },
  op: (i: number) => Promise<unknown>,
): Promise<RateRow> {
  const latenciesUs: number[] = [];
  const stop = stopwatch(retries);
  await mapLimit(
    Array.from({ length: count }, (_, i) => i),
    concurrency,
    async (i) => {
      const started = performance.now();
      await op(i);
      latenciesUs.push((performance.now() - started) * 1000);
    },
  );
  const { seconds, cpuMs, retries: kmsRetries } = stop();
  const latency = summarize(latenciesUs);
  return {
    label,
    count,
    concurrency,
    seconds: round(seconds, 2),
    perSecond: round(count / seconds),
    p50Ms: round(latency.medianUs / 1000),
    p99Ms: round(latency.p99Us / 1000),
    clientCpuMsPerOp: round(cpuMs / count, 2),
    kmsRetries,
  };
}

async function walletRates(service: KmsWalletService, count: number, retries: { count: number }) {
  const created: WalletView[] = [];
  const sequential = await measureRate('`createWallet`, one after another', count, 1, retries, async () => {
    created.push((await service.createWallet(WALLET_INPUT)).wallet);
  });
  // A batch creates its wallets one after another by itself: timed as a whole, no per-wallet latency.
  const stop = stopwatch(retries);
  const batch = await service.runBatch((await service.startBatch({ ...WALLET_INPUT, count })).batchId);
  const { seconds, cpuMs, retries: kmsRetries } = stop();
  if (batch.status !== 'COMPLETED' || batch.created !== count) {
    throw new Error(
      `batch ended ${batch.status} with ${batch.created}/${count} wallets: ${batch.error ?? ''}`,
    );
  }
  const batchRow: RateRow = {
    label: 'batch (`startBatch` + `runBatch`)',
    count,
    concurrency: 1,
    seconds: round(seconds, 2),
    perSecond: round(count / seconds),
    p50Ms: round((seconds * 1000) / count),
    p99Ms: Number.NaN,
    clientCpuMsPerOp: round(cpuMs / count, 2),
    kmsRetries,
  };
  return { created, rows: [sequential, batchRow] };
}

function walletKey(wallet: WalletView): WalletKey {
  return {
    keyId: wallet.kmsKeyId,
    publicKey: Uint8Array.from(Buffer.from(wallet.publicKey, 'hex')),
    walletId: wallet.signatureId,
  };
}

async function signatureRates(
  vault: KmsVault,
  keys: readonly WalletKey[],
  signatures: number,
  concurrencies: readonly number[],
  retries: { count: number },
) {
  const keyFor = (i: number) => keys[i % keys.length] as WalletKey;
  const sign = (tag: string) => (i: number) => {
    const key = keyFor(i);
    return vault.signDigest(key.keyId, sha256(new TextEncoder().encode(`${tag} ${i}`)), key.publicKey);
  };
  await measureRate('warm-up', WARMUP_SIGNATURES, 4, retries, sign('warm-up'));
  const rows: RateRow[] = [];
  for (const concurrency of concurrencies) {
    rows.push(
      await measureRate('`KmsVault.signDigest`', signatures, concurrency, retries, sign(`c${concurrency}`)),
    );
  }
  return rows;
}

async function evmRate(
  vault: KmsVault,
  keys: readonly WalletKey[],
  count: number,
  retries: { count: number },
) {
  return measureRate('`signTransaction` EVM (ETH web3 JSON)', count, EVM_CONCURRENCY, retries, async (i) => {
    const unsigned = evmPayload({ to: DESTINATION, value: 10n ** 15n, gasPrice: 10n ** 9n, nonce: i });
    const wallet = keys[i % keys.length] as WalletKey;
    return signTransaction({ chain: 'ETH', network: 'testnet', signer: vault, wallets: [wallet], unsigned });
  });
}

export async function measureLocalStack() {
  const wallets = Math.max(1, envInt('BENCH_LOCALSTACK_WALLETS', 30));
  const signatures = Math.max(1, envInt('BENCH_LOCALSTACK_SIGNATURES', 500));
  const concurrencies = envIntList('BENCH_LOCALSTACK_CONCURRENCY', [1, 8, 32]);
  const evmTransactions = envInt('BENCH_LOCALSTACK_EVM_TX', 200);
  const loadAverage = round(loadavg()[0] ?? 0);
  const retries = { count: 0 };
  return withBenchStack(
    ['aws', 'mongo'],
    async ({ stack, context }) => {
      const creation = await walletRates(context.walletService, wallets, retries);
      const keys = creation.created.map(walletKey);
      const signing = await signatureRates(context.vault, keys, signatures, concurrencies, retries);
      const evm = evmTransactions > 0 ? await evmRate(context.vault, keys, evmTransactions, retries) : null;
      return {
        loadAverage,
        cores: cpus().length,
        startupMs: stack.startupMs,
        createKeyRate: context.config.kms.createKeyRate,
        signRate: context.config.kms.signRate,
        walletCreation: creation.rows,
        signing,
        evm,
      };
    },
    {
      onKmsRetry: () => {
        retries.count += 1;
      },
    },
  );
}

export type LocalStackResult = Awaited<ReturnType<typeof measureLocalStack>>;

export function localStackMarkdown(r: LocalStackResult): string {
  const ms = (value: number) => (Number.isNaN(value) ? '–' : value);
  const signRows = [...r.signing, ...(r.evm ? [r.evm] : [])];
  return [
    '## LocalStack reference figures (not AWS)',
    '',
    'LocalStack 4.13 (KMS emulated in Python) and FerretDB started by `scripts/stack`, used through the ' +
      'production wiring (`createAppContext`: wallet service, vault with its rate limiter). **Reference figures ' +
      `for the local stack only**: LocalStack signs in Python on the same ${r.cores} cores as this client ` +
      `(load average ${r.loadAverage} at the start), so they say nothing about AWS KMS latency or quotas. ` +
      `Stack start: ${formatStartupTimes(r.startupMs)}.`,
    '',
    table(
      [
        'Wallets created',
        'Wallets',
        'Seconds',
        'Wallets/s',
        'ms per wallet (p50; batch: mean)',
        'p99',
        'KMS retries',
        `≤ ${r.createKeyRate}/s (CreateKey quota pace)`,
      ],
      r.walletCreation.map((row) => [
        row.label,
        row.count,
        row.seconds,
        row.perSecond,
        row.p50Ms,
        ms(row.p99Ms),
        row.kmsRetries,
        ok(row.perSecond <= r.createKeyRate),
      ]),
    ),
    '',
    table(
      [
        'Signed end to end',
        'Concurrency',
        'Count',
        'Seconds',
        'Per second',
        'p50 ms',
        'p99 ms',
        'Client CPU ms/op',
        'KMS retries',
      ],
      signRows.map((row) => [
        row.label,
        row.concurrency,
        row.count,
        row.seconds,
        row.perSecond,
        row.p50Ms,
        row.p99Ms,
        row.clientCpuMsPerOp,
        row.kmsRetries,
      ]),
    ),
    '',
    `The vault's client-side limiter allows ${r.signRate} Sign/s (\`KMS_SIGN_RATE\`), so any rate below it is ` +
      "LocalStack's (and this machine's) limit, not the limiter's.",
    '',
  ].join('\n');
}

export const localstackSection: BenchSection = {
  name: 'localstack',
  description: 'LocalStack reference: wallets created per second, signatures per second end to end',
  async run() {
    const json = await measureLocalStack();
    return { json, markdown: localStackMarkdown(json) };
  },
};
