// `npm run bench`: local overhead per signature, KMS calls per signature and cold start (issue #7).
// Results go to bench/results/ (git-ignored). BENCH_ITERATIONS overrides the 2,000 timed iterations.
import { cpus } from 'node:os';
import { measureColdStart } from './cold-start.js';
import { countKmsCalls, measureOverhead } from './overhead.js';
import { writeJson, writeSummary, type BenchResults } from './report.js';

const iterations = Number.parseInt(process.env.BENCH_ITERATIONS ?? '2000', 10);

const environment = {
  node: process.version,
  platform: `${process.platform}-${process.arch}`,
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  date: new Date().toISOString(),
};

console.error(`overhead: ${iterations} iterations per case…`);
const overhead = await measureOverhead(iterations);
await writeJson('overhead', { environment, iterations, rows: overhead });

const kmsCalls = await countKmsCalls();
await writeJson('kms-calls', { environment, rows: kmsCalls });

console.error('cold start: bundling and importing each handler…');
const coldStart = await measureColdStart();
await writeJson('cold-start', { environment, rows: coldStart });

const results: BenchResults = { environment, overhead, kmsCalls, coldStart };
console.log(await writeSummary(results));
