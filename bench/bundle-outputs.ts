// Sizes of a code-split Lambda bundle from esbuild's metafile: the entry file, what Node loads with it
// (the entry and every chunk it imports statically, transitively: the init code) and everything shipped
// (chunks loaded by a dynamic import() only when first used included). Source maps are not counted.
import { readFile } from 'node:fs/promises';
import { gzipSync } from 'node:zlib';
import type { Metafile } from 'esbuild';

export interface Contributor {
  module: string;
  bytes: number;
}

export interface BundleOutputs {
  entryBytes: number;
  /** The entry and its static imports: the code parsed at init. */
  eagerBytes: number;
  /** About what the init code adds to the deployment zip. */
  eagerGzipBytes: number;
  /** Every .mjs file shipped. */
  totalBytes: number;
  largestFileBytes: number;
  files: number;
  sourceMapBytes: number;
  /** Largest npm packages in the init code (a nested one as "parent › child"; our own code as "src/"). */
  topEagerModules: Contributor[];
}

const TOP = 10;

/** The entry's output path and those of every chunk it imports statically, transitively. */
export function eagerOutputs(metafile: Metafile, entry: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string) => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const i of metafile.outputs[path]?.imports ?? []) {
      if (i.kind === 'import-statement' && i.external !== true) visit(i.path);
    }
  };
  visit(entry);
  return [...seen];
}

function topModules(metafile: Metafile, outputs: readonly string[]): Contributor[] {
  const byModule = new Map<string, number>();
  for (const output of outputs) {
    for (const [path, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
      const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]);
      const module = packages.length ? packages.join(' › ') : path.startsWith('src/') ? 'src/' : path;
      byModule.set(module, (byModule.get(module) ?? 0) + bytesInOutput);
    }
  }
  return [...byModule]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}

/** `entry` is the metafile's output path of the entry file (relative to esbuild's working directory). */
export async function bundleOutputs(metafile: Metafile, entry: string, root: string): Promise<BundleOutputs> {
  const all = Object.keys(metafile.outputs);
  const code = all.filter((p) => p.endsWith('.mjs'));
  const eager = eagerOutputs(metafile, entry);
  const bytes = (paths: readonly string[]) =>
    paths.reduce((sum, p) => sum + (metafile.outputs[p]?.bytes ?? 0), 0);
  const eagerText = await Promise.all(eager.map((p) => readFile(`${root}/${p}`)));
  return {
    entryBytes: bytes([entry]),
    eagerBytes: bytes(eager),
    eagerGzipBytes: gzipSync(Buffer.concat(eagerText)).length,
    totalBytes: bytes(code),
    largestFileBytes: Math.max(...code.map((p) => bytes([p]))),
    files: code.length,
    sourceMapBytes: bytes(all.filter((p) => p.endsWith('.map'))),
    topEagerModules: topModules(metafile, eager),
  };
}
