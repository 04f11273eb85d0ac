// The top entries of a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file): self time by function and by
// package (node_modules/<name>, src/…, node: internals), as a markdown table. Used for the README's profile of
// the signing loop's thread (issue 16):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts   (BENCH_ONLY=throughput …)
//   npx tsx bench/cpu-profile-top.ts /tmp/prof/<the main thread's file>.cpuprofile [entries]
// or, from inside the run (the way that works, see cpu-profile.ts): BENCH_CPU_PROFILE=/tmp/prof … npm run bench
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** Where a frame's code lives: an npm package, our source file, or the runtime. */
function owner(url: string): string {
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg?.[1]) return pkg[1];
  const ours = /\/((?:src|bench|scripts)\/.+)$/.exec(url);
  if (ours?.[1]) return ours[1];
  return url === '' ? '(runtime)' : url.startsWith('node:') ? url : '(other)';
}

function top(totals: Map<string, number>, all: number, entries: number): string[] {
  return [...totals]
    .sort(([, a], [, b]) => b - a)
    .slice(0, entries)
    .map(([name, ms]) => `| ${name} | ${ms.toFixed(0)} | ${((ms / all) * 100).toFixed(1)} % |`);
}

const [file, entriesArg] = process.argv.slice(2);
if (file === undefined) throw new Error('usage: cpu-profile-top.ts <file.cpuprofile> [entries]');
const entries = Number(entriesArg ?? 15);
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const selfMs = new Map<number, number>();
profile.samples.forEach((id, n) =>
  selfMs.set(id, (selfMs.get(id) ?? 0) + (profile.timeDeltas[n] ?? 0) / 1000),
);
/** Idle time, and the profiler's own start (bench/cpu-profile.ts: V8 logs every compiled function then). */
const isWork = (frame: ProfileNode['callFrame']): boolean =>
  frame.functionName !== '(idle)' && frame.functionName !== '(program)' && frame.url !== 'node:inspector';
const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
let busy = 0;
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame || !isWork(frame)) continue;
  busy += ms;
  const where = owner(frame.url);
  const name = `${frame.functionName || '(anonymous)'} — ${where}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  byOwner.set(where, (byOwner.get(where) ?? 0) + ms);
}
// Inclusive time of our own functions (src/): each sample counts once for every src/ frame on its stack,
// so a function's figure includes what it called (the SDKs, the runtime).
const parentOf = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parentOf.set(child, node.id);
const inclusive = new Map<string, number>();
for (const [id, ms] of selfMs) {
  const leaf = byId.get(id)?.callFrame;
  if (!leaf || !isWork(leaf)) continue;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parentOf.get(at)) {
    const frame = byId.get(at)?.callFrame;
    if (!frame || !/\/src\//.test(frame.url)) continue;
    const name = `${frame.functionName || '(anonymous)'} — ${owner(frame.url)}:${frame.lineNumber + 1}`;
    if (!seen.has(name)) inclusive.set(name, (inclusive.get(name) ?? 0) + ms);
    seen.add(name);
  }
}
console.log(
  `Busy (not idle) ${busy.toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms.\n`,
);
console.log('| Function (self time) | ms | share of busy |\n| --- | --- | --- |');
console.log(top(byFunction, busy, entries).join('\n'));
console.log('\n| Code owner (self time) | ms | share of busy |\n| --- | --- | --- |');
console.log(top(byOwner, busy, entries).join('\n'));
console.log('\n| Our function (inclusive: with what it calls) | ms | share of busy |\n| --- | --- | --- |');
console.log(top(inclusive, busy, entries).join('\n'));
