// The top entries of a V8 CPU profile (`node --cpu-prof`, a .cpuprofile file): self time by function and by
// package (node_modules/<name>, src/…, node: internals), as a markdown table. Used for the README's profile of
// the signing loop's thread (issue 16):
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/run.ts   (BENCH_ONLY=throughput …)
//   npx tsx bench/cpu-profile-top.ts /tmp/prof/<the main thread's file>.cpuprofile [entries]
import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
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
const byFunction = new Map<string, number>();
const byOwner = new Map<string, number>();
let busy = 0;
for (const [id, ms] of selfMs) {
  const frame = byId.get(id)?.callFrame;
  if (!frame || frame.functionName === '(idle)' || frame.functionName === '(program)') continue;
  busy += ms;
  const where = owner(frame.url);
  const name = `${frame.functionName || '(anonymous)'} — ${where}:${frame.lineNumber + 1}`;
  byFunction.set(name, (byFunction.get(name) ?? 0) + ms);
  byOwner.set(where, (byOwner.get(where) ?? 0) + ms);
}
console.log(
  `Busy (not idle) ${busy.toFixed(0)} ms of ${((profile.endTime - profile.startTime) / 1000).toFixed(0)} ms.\n`,
);
console.log('| Function (self time) | ms | share of busy |\n| --- | --- | --- |');
console.log(top(byFunction, busy, entries).join('\n'));
console.log('\n| Code owner (self time) | ms | share of busy |\n| --- | --- | --- |');
console.log(top(byOwner, busy, entries).join('\n'));
