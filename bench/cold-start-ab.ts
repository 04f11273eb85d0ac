// Interleaved before/after cold start (issue 16): bundles the api and signer handlers of each source tree
// given, each tree with its OWN infra/bundling.ts, then probes the bundles in turn in fresh processes with
// bench/cold-start.ts's probe (import + first invocation up to its first network use), so a change in the
// machine's load affects every tree alike. Sizes come from each build's esbuild metafile.
//
//   mkdir -p .tmp/base && git archive <commit> | tar -x -C .tmp/base && ln -s "$PWD/node_modules" .tmp/base/
//   flock /work/coord/bench.lock npx tsx bench/cold-start-ab.ts 9 .tmp/base .
import { mkdir, rm } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import type * as Bundling from '../infra/bundling.js';
import { bundleOutputs, type BundleOutputs } from './bundle-outputs.js';
import { probe } from './cold-start.js';
import { median } from './stats.js';

const HANDLERS = ['api', 'signer'] as const;

interface Built {
  tree: string;
  handler: (typeof HANDLERS)[number];
  entry: string;
  outputs: BundleOutputs;
  cpuMs: number[];
  wallMs: number[];
}

async function buildTree(tree: string, outRoot: string): Promise<Built[]> {
  const root = resolve(tree);
  const bundling = (await import(pathToFileURL(join(root, 'infra/bundling.ts')).href)) as typeof Bundling;
  const built: Built[] = [];
  for (const handler of HANDLERS) {
    const outdir = join(outRoot, `${String(built.length)}-${handler}`);
    const { metafile } = await build(bundling.lambdaBuildOptions(handler, outdir));
    if (!metafile) throw new Error('no metafile');
    bundling.shipPackages(outdir);
    const entry = join(outdir, bundling.LAMBDA_ENTRY_FILE);
    const outputs = await bundleOutputs(metafile, relative(root, entry), root);
    built.push({ tree, handler, entry, outputs, cpuMs: [], wallMs: [] });
  }
  return built;
}

const summary = (ms: number[]) =>
  `${String(Math.round(median(ms)))} (${String(Math.round(Math.min(...ms)))})`;

async function main(): Promise<void> {
  const [runsArg, ...trees] = process.argv.slice(2);
  const runs = Number(runsArg);
  if (!Number.isInteger(runs) || runs < 1 || trees.length === 0) {
    throw new Error('usage: cold-start-ab.ts <runs> <tree> [tree …]');
  }
  const outRoot = resolve('.tmp/cold-start-ab');
  await rm(outRoot, { recursive: true, force: true });
  const bundles: Built[] = [];
  for (const [i, tree] of trees.entries()) {
    await mkdir(join(outRoot, String(i)), { recursive: true });
    bundles.push(...(await buildTree(tree, join(outRoot, String(i)))));
  }
  for (let run = 0; run < runs; run += 1) {
    for (const b of bundles) {
      const result = await probe(b.entry, b.handler);
      b.cpuMs.push(result.initCpuMs);
      b.wallMs.push(result.initMs);
    }
  }
  console.log('| Tree | Handler | Init code (gzip) | Init CPU ms median (min) | Init wall ms median (min) |');
  console.log('| ---- | ------- | ---------------- | ------------------------ | ------------------------- |');
  for (const b of bundles) {
    const size = `${String(b.outputs.eagerBytes)} B (${String(b.outputs.eagerGzipBytes)} B)`;
    console.log(`| ${b.tree} | ${b.handler} | ${size} | ${summary(b.cpuMs)} | ${summary(b.wallMs)} |`);
  }
  for (const b of bundles) {
    const top = b.outputs.topEagerModules.map((m) => `${m.module} ${String(Math.round(m.bytes / 1e3))}`);
    console.log(`${b.tree} ${b.handler}: ${top.join(', ')}`);
  }
}

await main();
