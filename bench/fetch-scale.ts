// Issue #7 item 3, fetch at scale: 25,000 ACTIVE wallets of one chain in FerretDB and one real pass of
// the SigningLoop (wallet service, Tatum HTTP client) against the Tatum sandbox at a time. Measured:
// Tatum calls and request bytes per pass, time per pass with nothing and with a few transactions
// pending, split into wallet listing (MongoDB) and pending fetches, and the refusal above 25,000.
// Pending transactions are signed in-process (scripts/fixtures/fake-digest-signer.ts): KMS is measured by
// the localstack section, and this one is about fetching.
import { cpus, loadavg } from 'node:os';
import { BSON, type Db } from 'mongodb';
import { evmPayload, evmPending } from '../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../scripts/sandbox/tatum-sandbox.js';
import { COLLECTIONS, type WalletDoc } from '../src/db/index.js';
import { createTatumClient, PENDING_BATCH_SIZE } from '../src/tatum/client.js';
import type { TatumKmsApi } from '../src/tatum/types.js';
import { MAX_SIGNATURE_IDS_PER_CHAIN } from '../src/tatum/limits.js';
import { SigningLoop, type SigningLoopOptions } from '../src/tatum/loop.js';
import type { WalletService } from '../src/wallets/contract.js';
import { fakeDigestSigner, testKey } from '../scripts/fixtures/fake-digest-signer.js';
import { withBenchStack } from './bench-stack.js';
import { envInt } from './env.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { median } from './stats.js';
import { insertWalletRecords, RECORD_CHAIN, RECORD_NETWORK, walletRecord } from './wallet-records.js';

const PENDING_PATH = `/v3/kms/pending/${RECORD_CHAIN}`;
const DESTINATION = '0x8ba1f109551bD432803012645Ac136ddd64DBA72';
/** A chain with no wallets: what its listing costs is the price of scanning the others. */
const OTHER_CHAIN = 'BTC';
/** Runs of each listing variant (each reads the whole collection, seconds on FerretDB). */
const VARIANT_RUNS = 3;

/** Time spent inside the loop's two fetch steps during one pass. */
interface StepTimes {
  listingMs: number;
  fetchMs: number;
}

export interface PassSample {
  totalMs: number;
  listingMs: number;
  fetchMs: number;
  /** Claims, signing, storing, broadcasting: the pass minus listing and fetching. */
  restMs: number;
  pendingCalls: number;
  maxIdsPerCall: number;
  fetchRequestBytes: number;
  /** Every request of the pass (fetches, broadcasts, error report). */
  requestBytes: number;
  broadcastCalls: number;
  outcomes: Record<string, number>;
}

const round = (ms: number): number => Math.round(ms * 10) / 10;
const grouped = (n: number): string => n.toLocaleString('en-US');

async function timedCall<T>(call: () => Promise<T>, add: (ms: number) => void): Promise<T> {
  const started = performance.now();
  try {
    return await call();
  } finally {
    add(performance.now() - started);
  }
}

/** The wallet service and the Tatum client as the loop sees them, timing the wallet listing and fetchPending. */
function timedDeps(service: WalletService, client: TatumKmsApi, times: StepTimes) {
  const addListing = (ms: number) => {
    times.listingMs += ms;
  };
  const wallets: SigningLoopOptions['wallets'] = {
    ...service,
    countActiveWallets: (chains, network) =>
      timedCall(() => service.countActiveWallets(chains, network), addListing),
    activeSignatureIds: (chain, network, limit) =>
      timedCall(() => service.activeSignatureIds(chain, network, limit), addListing),
  };
  const api: TatumKmsApi = {
    ...client,
    fetchPending: async (chain, ids) => {
      const started = performance.now();
      try {
        return await client.fetchPending(chain, ids);
      } finally {
        times.fetchMs += performance.now() - started;
      }
    },
  };
  return { wallets, api };
}

async function measuredPass(loop: SigningLoop, times: StepTimes, sandbox: TatumSandbox) {
  times.listingMs = 0;
  times.fetchMs = 0;
  const firstCall = sandbox.calls.length;
  const started = performance.now();
  const result = await loop.runPass();
  const totalMs = performance.now() - started;
  const calls = sandbox.calls.slice(firstCall);
  const fetches = calls.filter((c) => c.path === PENDING_PATH);
  const outcomes: Record<string, number> = {};
  for (const r of result.results) outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
  const sample: PassSample = {
    totalMs: round(totalMs),
    listingMs: round(times.listingMs),
    fetchMs: round(times.fetchMs),
    restMs: round(totalMs - times.listingMs - times.fetchMs),
    pendingCalls: fetches.length,
    maxIdsPerCall: Math.max(0, ...fetches.map((c) => c.signatureIds ?? 0)),
    fetchRequestBytes: fetches.reduce((sum, c) => sum + c.bodySize, 0),
    requestBytes: calls.reduce((sum, c) => sum + c.bodySize, 0),
    broadcastCalls: calls.filter((c) => c.path.endsWith('/broadcast')).length,
    outcomes,
  };
  return { sample, result };
}

/** Medians of each timing over the passes; counts from the last pass (they do not vary). */
function summarizePasses(samples: readonly PassSample[]) {
  const last = samples.at(-1);
  if (!last) throw new Error('no passes measured');
  const med = (pick: (s: PassSample) => number) => round(median(samples.map(pick)));
  return {
    ...last,
    totalMs: med((s) => s.totalMs),
    listingMs: med((s) => s.listingMs),
    fetchMs: med((s) => s.fetchMs),
    restMs: med((s) => s.restMs),
    passesMs: samples.map((s) => s.totalMs),
  };
}

/** Listing variants beside what the loop does: signatureId only, and a chain without wallets. */
async function listingVariants(db: Db, service: WalletService, runs: number) {
  const filter = { chain: RECORD_CHAIN, network: RECORD_NETWORK, status: 'ACTIVE' } as const;
  const time = async (read: () => Promise<number>) => {
    const samples: number[] = [];
    let records = 0;
    for (let i = 0; i < runs; i++) {
      const started = performance.now();
      records = await read();
      samples.push(performance.now() - started);
    }
    return { medianMs: round(median(samples)), records };
  };
  const idsOnly = await time(
    async () =>
      (
        await db
          .collection<WalletDoc>(COLLECTIONS.wallets)
          .find(filter, { projection: { _id: 0, signatureId: 1 } })
          .sort({ createdAt: 1, signatureId: 1 })
          .toArray()
      ).length,
  );
  const count = await time(
    async () => (await service.countActiveWallets([RECORD_CHAIN], RECORD_NETWORK)).get(RECORD_CHAIN) ?? 0,
  );
  const ids = await time(async () => (await service.activeSignatureIds(RECORD_CHAIN, RECORD_NETWORK)).length);
  const otherCount = await time(
    async () => (await service.countActiveWallets([OTHER_CHAIN], RECORD_NETWORK)).get(OTHER_CHAIN) ?? 0,
  );
  const otherChain = await time(async () => {
    const ids: string[] = [];
    for await (const wallet of service.exportWallets({ ...filter, chain: OTHER_CHAIN }))
      ids.push(wallet.signatureId);
    return ids.length;
  });
  return { idsOnly, otherChain, count, ids, otherCount };
}

export async function measureFetchScale() {
  const walletCount = envInt('BENCH_FETCH_WALLETS', MAX_SIGNATURE_IDS_PER_CHAIN);
  const pendingCount = envInt('BENCH_FETCH_PENDING', 10);
  const passes = Math.max(1, envInt('BENCH_FETCH_PASSES', 5));
  if (walletCount > MAX_SIGNATURE_IDS_PER_CHAIN || pendingCount > walletCount) {
    throw new Error(
      `BENCH_FETCH_WALLETS must be ≤ ${MAX_SIGNATURE_IDS_PER_CHAIN} and ≥ BENCH_FETCH_PENDING (${pendingCount})`,
    );
  }

  const loadAtStart = Math.round((loadavg()[0] ?? 0) * 10) / 10;
  return withBenchStack(['mongo'], async ({ context }) => {
    const keys = Array.from({ length: pendingCount }, (_, i) => testKey(`fetch-scale-${i}`));
    const docs = Array.from({ length: walletCount }, (_, i) => walletRecord(i, keys[i]));
    const insertMs = await insertWalletRecords(context.db, docs);
    const bytesPerPass = docs.reduce((sum, doc) => sum + BSON.calculateObjectSize(doc), 0);

    const sandbox = await startTatumSandbox({ offlineBroadcast: true });
    try {
      const client = createTatumClient({
        baseUrl: sandbox.url,
        apiKey: sandbox.apiKey,
        clientVersion: 'kms-signer-bench',
        retries: 0,
      });
      const times: StepTimes = { listingMs: 0, fetchMs: 0 };
      const { wallets, api } = timedDeps(context.walletService, client, times);
      const loopOptions: SigningLoopOptions = {
        db: context.db,
        api,
        wallets,
        signer: fakeDigestSigner(keys),
        chains: [RECORD_CHAIN],
        network: RECORD_NETWORK,
      };
      const loop = new SigningLoop(loopOptions);
      const pass = () => measuredPass(loop, times, sandbox);

      // No warm-up pass: a pass takes seconds, the median absorbs the first one's connection set-up.
      const idle: PassSample[] = [];
      for (let i = 0; i < passes; i++) idle.push((await pass()).sample);

      const busy: PassSample[] = [];
      for (let i = 0; i < passes; i++) {
        for (const doc of docs.slice(0, pendingCount)) {
          const payload = evmPayload({ to: DESTINATION, value: 10n ** 15n, gasPrice: 10n ** 9n, nonce: i });
          sandbox.enqueue(evmPending(RECORD_CHAIN, doc.signatureId, payload));
        }
        const { sample } = await pass();
        if ((sample.outcomes.BROADCAST ?? 0) !== pendingCount) {
          throw new Error(`expected ${pendingCount} broadcasts, got ${JSON.stringify(sample.outcomes)}`);
        }
        busy.push(sample);
      }

      const listing = await listingVariants(
        context.db,
        context.walletService,
        Math.min(passes, VARIANT_RUNS),
      );

      // Above the limit: enough extra records for one more than Tatum allows.
      const extra = Array.from({ length: MAX_SIGNATURE_IDS_PER_CHAIN + 1 - walletCount }, (_, i) =>
        walletRecord(walletCount + i),
      );
      await insertWalletRecords(context.db, extra);
      // A loop that starts now: the running one notices within its wallet refresh interval.
      const { sample: over, result: overResult } = await measuredPass(
        new SigningLoop(loopOptions),
        times,
        sandbox,
      );
      const allIds = [...docs, ...extra].map((d) => d.signatureId);
      const callsBefore = sandbox.calls.length;
      const clientRefusal = await client.fetchPending(RECORD_CHAIN, allIds).then(
        () => 'accepted',
        (error: unknown) => (error instanceof Error ? error.message : String(error)),
      );

      return {
        loadAverage: loadAtStart,
        cores: cpus().length,
        wallets: walletCount,
        pendingPerPass: pendingCount,
        passes,
        batchSize: PENDING_BATCH_SIZE,
        expectedCalls: Math.ceil(walletCount / PENDING_BATCH_SIZE),
        insertMs: round(insertMs),
        walletBytesPerPass: bytesPerPass,
        idle: summarizePasses(idle),
        busy: summarizePasses(busy),
        listing,
        overLimit: {
          wallets: allIds.length,
          loopChainErrors: overResult.chainErrors,
          loopPendingCalls: over.pendingCalls,
          loopPassMs: over.totalMs,
          loopListingMs: over.listingMs,
          clientRefusal,
          clientCalls: sandbox.calls.length - callsBefore,
        },
      };
    } finally {
      await sandbox.close();
    }
  });
}

export type FetchScaleResult = Awaited<ReturnType<typeof measureFetchScale>>;

export function fetchScaleMarkdown(r: FetchScaleResult): string {
  const passRow = (label: string, s: FetchScaleResult['idle']) => [
    label,
    s.pendingCalls,
    s.maxIdsPerCall,
    ok(s.pendingCalls === r.expectedCalls && s.maxIdsPerCall <= PENDING_BATCH_SIZE),
    grouped(s.fetchRequestBytes),
    grouped(s.requestBytes),
    s.totalMs,
    s.listingMs,
    s.fetchMs,
    s.restMs,
    s.passesMs.join(', '),
  ];
  const mib = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MiB`;
  const { idsOnly, otherChain, count, ids, otherCount } = r.listing;
  const firstPassMs = r.idle.passesMs[0] ?? Number.NaN;
  const refusal = r.overLimit.loopChainErrors.map((e) => `${e.chain}: “${e.error}”`).join('; ') || 'none';
  return [
    `## Fetch at scale: ${grouped(r.wallets)} signature ids on one chain`,
    '',
    `${grouped(r.wallets)} ACTIVE ${RECORD_CHAIN} ${RECORD_NETWORK} wallet records bulk-inserted into FerretDB ` +
      `(${grouped(Math.round(r.insertMs))} ms), then passes of the real \`SigningLoop\` (wallet service, Tatum ` +
      `HTTP client) against the in-process Tatum sandbox, median of ${r.passes}; with transactions pending, ` +
      `${r.pendingPerPass} ETH transfers are queued before each pass, signed in-process (no KMS: see the ` +
      `LocalStack section), stored and broadcast. Load average at the start: ${r.loadAverage} on ${r.cores} cores.`,
    '',
    table(
      [
        'Pass',
        'Tatum pending calls',
        'Max ids per call',
        `${r.expectedCalls} calls of ≤ ${PENDING_BATCH_SIZE} ids`,
        'Fetch request bytes',
        'All request bytes',
        'Pass ms (median)',
        'Wallet listing ms',
        'Pending fetch ms',
        'Rest ms (jobs, sign, broadcast)',
        'Passes ms',
      ],
      [
        passRow('nothing pending', r.idle),
        passRow(`${r.pendingPerPass} pending (${r.busy.broadcastCalls} broadcasts)`, r.busy),
      ],
    ),
    '',
    `The first pass counts the chain's wallets and lists their ids (${firstPassMs} ms here); later passes ` +
      'reuse the cached list (`walletRefreshMs`, 60 s), so an idle pass is the 50 pending fetches. Before the ' +
      `cache, every pass read every wallet document (${mib(r.walletBytesPerPass)} of BSON). FerretDB 1.24 ` +
      'pushes no filter down to SQLite, so each wallet query below scans the collection, even for a chain ' +
      'without wallets; on MongoDB the `{chain, network, status, signatureId}` index answers the count and ' +
      'the ids-only listing from index keys.',
    '',
    table(
      ['Wallet query', 'Records returned', 'ms (median)'],
      [
        [
          '`countActiveWallets` (the loop, once per refresh, all chains at once)',
          grouped(count.records),
          count.medianMs,
        ],
        [
          '`activeSignatureIds` (the loop, once per refresh per chain with wallets)',
          grouped(ids.records),
          ids.medianMs,
        ],
        ['raw `find`, projection `{signatureId: 1}`', grouped(idsOnly.records), idsOnly.medianMs],
        [
          `\`countActiveWallets\` for ${OTHER_CHAIN} (no wallets)`,
          grouped(otherCount.records),
          otherCount.medianMs,
        ],
        [
          `\`exportWallets\`, full records, for ${OTHER_CHAIN} (what every pass did before)`,
          grouped(otherChain.records),
          otherChain.medianMs,
        ],
      ],
    ),
    '',
    `**Above the limit** (${grouped(r.overLimit.wallets)} ACTIVE wallets): the loop refuses the chain with ` +
      `chain error ${refusal} and makes ${r.overLimit.loopPendingCalls} Tatum calls, after one count and no ` +
      `listing (${r.overLimit.loopListingMs} ms). The client, given the same ids, refuses on its own with ` +
      `${r.overLimit.clientCalls} calls: “${r.overLimit.clientRefusal}”.`,
    '',
  ].join('\n');
}

export const fetchScaleSection: BenchSection = {
  name: 'fetch-scale',
  description: `${MAX_SIGNATURE_IDS_PER_CHAIN.toLocaleString('en-US')} wallets on one chain: Tatum calls and time per signing-loop pass (FerretDB + Tatum sandbox)`,
  async run() {
    const json = await measureFetchScale();
    return { json, markdown: fetchScaleMarkdown(json) };
  },
};
