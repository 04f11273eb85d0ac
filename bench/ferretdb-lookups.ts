// What one look-up costs FerretDB itself (issue 16): the CPU time of the FerretDB process (from /proc) for a
// page's `{_id: {$in: ids}}` find, for the same ids as single `{_id}` finds, and for a fenced updateOne, over
// a collection of job-sized documents. FerretDB 1.24 pushes only `{_id: <scalar>}` equality down to
// PostgreSQL (docs.ferretdb.io/pushdown: `$in` is not in the table), so an `$in` reads and decodes every
// document of the collection in Go.
//
//   scripts/ferretdb-postgres.sh start /tmp/fdb   # prints MONGODB_URI=…
//   MONGODB_URI=… npx tsx bench/ferretdb-lookups.ts [documents (3000)] [ids per page (128)]
import { MongoClient } from 'mongodb';
import { localFerretDbFromEnv } from './process-cpu.js';

const documents = Number(process.argv[2] ?? 3000);
const pageIds = Number(process.argv[3] ?? 128);
const { uri, cpu } = localFerretDbFromEnv();

/** About the shape and size of a BROADCAST job of the throughput bench (≈ 2.5 kB of BSON). */
function jobLike(i: number) {
  return {
    _id: `tx-${String(i)}`,
    state: 'BROADCAST',
    chain: 'ETH',
    owner: 'runner-bench',
    fence: 1,
    signed: 'ab'.repeat(300),
    txId: 'cd'.repeat(32),
    digests: [{ keyId: 'k'.repeat(36), digest: 'ef'.repeat(32), signature: '01'.repeat(65) }],
    spend: [{ wallet: 'w', asset: 'ETH', amount: '1.5' }],
    policy: {
      allowed: true,
      reasons: [],
      transfers: [{ to: `0x${'1'.repeat(40)}`, asset: 'ETH', amount: '1.5' }],
    },
    payload: 'x'.repeat(400),
  };
}

async function measure(
  label: string,
  times: number,
  work: (round: number) => Promise<unknown>,
): Promise<void> {
  const cpuBefore = cpu();
  const started = performance.now();
  for (let round = 0; round < times; round++) await work(round);
  const cpuMs = (cpu() - cpuBefore) / times;
  const wallMs = (performance.now() - started) / times;
  console.log(`${label}: FerretDB CPU ${cpuMs.toFixed(1)} ms, wall ${wallMs.toFixed(1)} ms`);
}

const client = await MongoClient.connect(uri);
try {
  const jobs = client.db('bench_ferretdb_lookups').collection<ReturnType<typeof jobLike>>('jobs');
  await jobs.drop().catch(() => undefined);
  for (let i = 0; i < documents; i += 500) {
    await jobs.insertMany(Array.from({ length: Math.min(500, documents - i) }, (_, k) => jobLike(i + k)));
  }
  const page = (round: number) =>
    Array.from({ length: pageIds }, (_, k) => `tx-${String((round * pageIds + k) % documents)}`);
  console.log(`${String(documents)} documents, ${String(pageIds)} ids per page`);
  await measure(`one find {_id: {$in: ${String(pageIds)} ids}}`, 10, (round) =>
    jobs.find({ _id: { $in: page(round) } }).toArray(),
  );
  await measure(`${String(pageIds)} finds {_id}`, 10, (round) =>
    Promise.all(page(round).map((id) => jobs.findOne({ _id: id }))),
  );
  await measure('one fenced updateOne', 50, (round) =>
    jobs.updateOne(
      { _id: `tx-${String(round)}`, fence: { $not: { $gt: 1 } } },
      { $set: { state: 'CONFIRMED' } },
    ),
  );
  await jobs.drop();
} finally {
  await client.close();
}
