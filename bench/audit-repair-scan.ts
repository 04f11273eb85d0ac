// What the reconciler's audit-repair look-up costs FerretDB as the job history grows (issue 16): the CPU time
// of the FerretDB process and its PostgreSQL (from /proc) for the look-up by the `carriesAudit` flag and for
// the look-up of records carried without it (jobs finished by earlier versions: a nested date, which
// FerretDB 1.24 filters itself after reading every job — docs.ferretdb.io/pushdown), over `history` finished
// jobs that no longer carry a record plus `carrying` that do.
//
//   scripts/ferretdb-postgres.sh start /tmp/fdb   # prints MONGODB_URI=…
//   MONGODB_URI=… npx tsx bench/audit-repair-scan.ts [history (30000)] [carrying (100)]
import { MongoClient } from 'mongodb';
import { localFerretDbFromEnv } from './process-cpu.js';

const history = Number(process.argv[2] ?? 30_000);
const carrying = Number(process.argv[3] ?? 100);
const { uri, cpu } = localFerretDbFromEnv();

const finishedAt = new Date(Date.now() - 3_600_000);

/** About the shape and size of a finished job of the throughput bench, with its record carried or not. */
function job(i: number, carried: 'flagged' | 'unflagged' | 'none') {
  return {
    _id: `job-${String(i)}`,
    chain: 'ETH',
    network: 'testnet',
    state: 'BROADCAST',
    owner: 'runner-bench',
    fence: 1,
    signed: 'ab'.repeat(110),
    txId: 'cd'.repeat(32),
    digests: [{ keyId: 'k'.repeat(36), digest: 'ef'.repeat(32), inputIndex: 0 }],
    spend: [{ wallet: 'w'.repeat(36), asset: 'native', amount: '1000000000000000' }],
    policy: {
      allowed: true,
      reasons: [],
      transfers: [{ to: `0x${'1'.repeat(40)}`, asset: 'native', amount: '1' }],
    },
    updatedAt: finishedAt,
    ...(carried === 'none'
      ? {}
      : {
          finalAudit: { _id: `job-${String(i)}:final`, finishedAt, record: Buffer.alloc(1200, 7) },
          ...(carried === 'flagged' ? { carriesAudit: true } : {}),
        }),
  };
}

const client = await MongoClient.connect(uri);
const db = client.db(`audit_repair_scan_${String(Date.now())}`);
const jobs = db.collection<{ _id: string }>('signing_jobs');
try {
  const kinds = [
    ...Array.from({ length: history }, () => 'none' as const),
    ...Array.from({ length: carrying }, () => 'flagged' as const),
    ...Array.from({ length: carrying }, () => 'unflagged' as const),
  ];
  for (let from = 0; from < kinds.length; from += 1000) {
    await jobs.insertMany(kinds.slice(from, from + 1000).map((kind, k) => job(from + k, kind)));
  }
  const lookUp = (carriesAudit: unknown) =>
    jobs
      .find({
        carriesAudit,
        network: 'testnet',
        'finalAudit.finishedAt': { $lt: new Date() },
        chain: { $in: ['ETH'] },
      })
      .sort({ 'finalAudit.finishedAt': 1 })
      .limit(2000)
      .toArray();
  for (const [label, flag] of [
    ['flagged (carriesAudit: true)', true],
    ['unflagged (carriesAudit absent)', { $exists: false }],
  ] as const) {
    const before = cpu();
    const started = performance.now();
    const found = await lookUp(flag);
    const ms = performance.now() - started;
    console.log(
      `${label}: ${String(found.length)} of ${String(kinds.length)} jobs, ${ms.toFixed(0)} ms, FerretDB + PostgreSQL CPU ${(cpu() - before).toFixed(0)} ms`,
    );
  }
} finally {
  await db.dropDatabase();
  await client.close();
}
