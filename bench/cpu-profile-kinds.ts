// The busy samples of a loop-thread .cpuprofile (BENCH_CPU_PROFILE, bench/cpu-profile.ts) by kind of work,
// for issue 16's "loop-thread CPU excluding the signature maths": each sample goes to the first kind whose
// rule matches a frame of its synchronous stack (signature maths first, so the AWS SDK's or ethers' frames
// under kmsSignature/finish count as maths). Work resumed after an `await` has no caller frames, so socket
// writes and parsing are placed by the library that runs them. Given the run's measured CPU ms per job, the
// shares are also shown as ms per job.
//   npx tsx bench/cpu-profile-kinds.ts <file>.cpuprofile [loop CPU ms per job]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

const KINDS: readonly (readonly [string, RegExp])[] = [
  [
    'signature maths (kmsSignature: DER, low-S, libsecp256k1 recovery; EVM unsigned hash; finish: serialise, decode, check)',
    /^(kmsSignature|finishEvmTransaction|get unsignedHash|cloneUnsigned)@/,
  ],
  ['AWS SDK around Sign (middleware, SigV4, serde)', /@smithy|@aws-sdk/],
  ['node:http requests (KMS Sign, Tatum)', /^[^@]*@node:_http_/],
  ['Tatum HTTP through fetch (undici, web streams)', /undici|webstreams|node:internal\/webidl/],
  ['MongoDB driver, BSON, their socket writes', /node_modules\/(mongodb|bson)\//],
  ['Sign rate limiter (p-throttle)', /p-throttle/],
  ['signer payload parse and checks', /\/src\/(signer|chains)\//],
  ['loop, jobs, policy, Tatum client', /\/src\//],
  ['benchmark probes and profiler', /\/bench\/|node:inspector/],
];
const IDLE = /^\((idle|program)\)$/;

const [file, perJob] = process.argv.slice(2);
if (!file) throw new Error('usage: cpu-profile-kinds.ts <file.cpuprofile> [loop CPU ms per job]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((node) => [node.id, node]));
const parent = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
const selfUs = new Map<number, number>();
profile.samples.forEach((id, n) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[n] ?? 0)));

const totals = new Map<string, number>();
let busyUs = 0;
for (const [id, us] of selfUs) {
  const frames: string[] = [];
  for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
    const { functionName, url } = (byId.get(at) as ProfileNode).callFrame;
    frames.push(`${functionName}@${url}`);
  }
  const leaf = (frames[0] ?? '').split('@')[0] ?? '';
  if (IDLE.test(leaf)) continue;
  busyUs += us;
  const kind =
    leaf === '(garbage collector)'
      ? 'garbage collector'
      : (KINDS.find(([, rule]) => frames.some((frame) => rule.test(frame)))?.[0] ??
        'other (runtime, streams, timers)');
  totals.set(kind, (totals.get(kind) ?? 0) + us);
}

const msPerJob = Number(perJob);
const rows = [...totals].sort(([, a], [, b]) => b - a);
console.log(`Busy ${(busyUs / 1000).toFixed(0)} ms.\n`);
console.log(`| Kind | share of busy${perJob ? ' | ms per job' : ''} |`);
console.log(`| --- | --- ${perJob ? '| --- ' : ''}|`);
for (const [kind, us] of rows) {
  const share = us / busyUs;
  const ms = perJob ? ` | ${(share * msPerJob).toFixed(2)}` : '';
  console.log(`| ${kind} | ${(share * 100).toFixed(1)} %${ms} |`);
}
