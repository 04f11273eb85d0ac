// Cold start (issue #7 item 5): bundles each Lambda handler with infra's bundling options (and variants of
// them), then, in fresh Node processes, times the import of the bundle and the handler's first invocation
// up to its first network use. Nothing is contacted: the child stops at the first DNS lookup or socket.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { OutputFormat, type BundlingOptions } from 'aws-cdk-lib/aws-lambda-nodejs';
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { LAMBDA_BUNDLING, LAMBDA_NODE_OPTIONS } from '../infra/bundling.js';
import { gatewayEvent } from '../scripts/fixtures/api-gateway-event.js';
import { envInt } from './env.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { median } from './stats.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Fresh processes per handler and variant (COLD_START_RUNS, default 7). */
const RUNS = Math.max(1, envInt('COLD_START_RUNS', 7));
const MAX_BYTES = 1_000_000;
const MAX_INIT_MS = 300;
const TOP = 10;

/** Each handler with the event of its first invocation. */
const HANDLERS = {
  api: gatewayEvent({ method: 'GET', path: '/v1/wallets' }),
  signer: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
} as const;
type Handler = keyof typeof HANDLERS;

const INFRA = 'infra';
const VARIANTS: readonly { variant: string; bundling: BundlingOptions }[] = [
  {
    variant: 'before: not minified, map with sources',
    bundling: { ...LAMBDA_BUNDLING, minify: false, sourcesContent: true },
  },
  { variant: INFRA, bundling: LAMBDA_BUNDLING },
  {
    variant: 'infra + AWS SDK external',
    bundling: {
      ...LAMBDA_BUNDLING,
      externalModules: [...(LAMBDA_BUNDLING.externalModules ?? []), '@aws-sdk/*', '@smithy/*'],
    },
  },
];

/** The environment the stack gives the functions, with placeholders; nothing is ever contacted. */
const CHILD_ENV = {
  PATH: process.env.PATH ?? '',
  NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'bench',
  AWS_SECRET_ACCESS_KEY: 'bench',
  APP_TAG: 'kms-signer',
  MONGODB_URI_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench',
  MONGODB_DB: 'bench',
  KMS_SIGN_RATE: '300',
  KMS_CREATE_KEY_RATE: '5',
  TATUM_API_KEY_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:bench-tatum',
  API_AUTH: 'iam',
  SIGNER_NETWORK: 'testnet',
};

// Runs in the child. DNS and sockets are stubbed BEFORE the import: the first lookup or connect ends the
// process and reports how far the handler got. CPU time counts every thread (wasm compilation included).
const PROBE = `
import dns from 'node:dns';
import net from 'node:net';
import { syncBuiltinESMExports } from 'node:module';
const [url, eventJson] = process.argv.slice(1);
let importMs;
const stop = (at) => {
  const cpu = process.cpuUsage(cpu0);
  const initCpuMs = (cpu.user + cpu.system) / 1000;
  process.stdout.write(JSON.stringify({ importMs, initMs: performance.now() - t0, initCpuMs, at }) + '\\n');
  process.exit(0);
};
net.Socket.prototype.connect = function (...args) {
  const o = typeof args[0] === 'object' ? args[0] : { port: args[0], host: args[1] };
  stop('connect ' + (o.path ?? o.host + ':' + o.port));
};
for (const fn of ['lookup', 'resolve', 'resolveSrv', 'resolveTxt', 'resolve4', 'resolve6']) {
  dns[fn] = dns.promises[fn] = (host) => stop('dns ' + fn + ' ' + host);
}
syncBuiltinESMExports();
const context = { awsRequestId: 'bench', getRemainingTimeInMillis: () => 60000 };
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { handler } = await import(url);
importMs = performance.now() - t0;
await handler(JSON.parse(eventJson), context).then(
  () => stop('returned without network'),
  (error) => stop('threw ' + String(error)),
);`;

interface ProbeResult {
  importMs: number;
  initMs: number;
  /** From the import to the stop: less sensitive to a busy machine than the wall-clock initMs. */
  initCpuMs: number;
  at: string;
}

export interface Contributor {
  module: string;
  bytes: number;
}

export interface ColdStartRow {
  handler: Handler;
  variant: string;
  bundleBytes: number;
  /** About what the bundle adds to the deployment zip. */
  bundleGzipBytes: number;
  sourceMapBytes: number;
  importMedianMs: number;
  initMedianMs: number;
  initCpuMedianMs: number;
  importRunsMs: number[];
  initRunsMs: number[];
  initCpuRunsMs: number[];
  /** Where the first invocation first touched the network, i.e. where "init" stops. */
  firstNetworkUse: string;
  topModules: Contributor[];
}

const MODELLED_OPTIONS = new Set([
  'format',
  'target',
  'mainFields',
  'minify',
  'sourceMap',
  'sourcesContent',
  'banner',
  'externalModules',
]);

/** What NodejsFunction passes to esbuild for these options (index.mjs + a linked index.mjs.map). */
function esbuildOptions(bundling: BundlingOptions): BuildOptions {
  // An option added to infra but not modelled here would make this benchmark measure something else.
  const unmodelled = Object.keys(bundling).filter((key) => !MODELLED_OPTIONS.has(key));
  if (unmodelled.length)
    throw new Error(`cold-start: bundling option(s) not modelled: ${unmodelled.join(', ')}`);
  return {
    bundle: true,
    platform: 'node',
    format: bundling.format === OutputFormat.ESM ? 'esm' : 'cjs',
    ...(bundling.target ? { target: bundling.target } : {}),
    ...(bundling.mainFields ? { mainFields: bundling.mainFields } : {}),
    minify: bundling.minify ?? false,
    sourcemap: bundling.sourceMap ?? false,
    sourcesContent: bundling.sourcesContent ?? true,
    ...(bundling.banner ? { banner: { js: bundling.banner } } : {}),
    external: bundling.externalModules ?? ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'error',
  };
}

/** Output bytes per npm package (a nested one as "parent › child"); our own code as "src/". */
function topModules(metafile: Metafile): Contributor[] {
  const output = Object.values(metafile.outputs).find((o) => o.entryPoint !== undefined);
  const byModule = new Map<string, number>();
  for (const [path, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const packages = [...path.matchAll(/node_modules\/((?:@[^/]+\/)?[^/]+)/g)].map((m) => m[1]);
    const module = packages.length ? packages.join(' › ') : path.startsWith('src/') ? 'src/' : path;
    byModule.set(module, (byModule.get(module) ?? 0) + bytesInOutput);
  }
  return [...byModule]
    .map(([module, bytes]) => ({ module, bytes }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, TOP);
}

async function probe(bundle: string, handler: Handler): Promise<ProbeResult> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', PROBE, pathToFileURL(bundle).href, JSON.stringify(HANDLERS[handler])],
    { env: CHILD_ENV, timeout: 30_000 },
  );
  const result = JSON.parse(stdout.trim().split('\n').pop() ?? '') as ProbeResult;
  // Anything but a network stop means the handler failed before its first request: not a cold start.
  if (!/^(connect|dns) /.test(result.at)) throw new Error(`cold-start ${handler}: ${result.at}`);
  return result;
}

const round = (ms: number) => Math.round(ms * 10) / 10;
const sizeOf = (file: string) =>
  stat(file).then(
    (s) => s.size,
    () => 0,
  );

interface Bundle {
  handler: Handler;
  variant: string;
  outfile: string;
  metafile: Metafile | undefined;
  runs: ProbeResult[];
}

async function bundle(
  outfile: string,
  handler: Handler,
  { variant, bundling }: (typeof VARIANTS)[number],
): Promise<Bundle> {
  const { metafile } = await build({
    ...esbuildOptions(bundling),
    entryPoints: [join(ROOT, 'src/handlers', `${handler}.ts`)],
    outfile,
    absWorkingDir: ROOT,
  });
  return { handler, variant, outfile, metafile, runs: [] };
}

async function row({ handler, variant, outfile, metafile, runs }: Bundle): Promise<ColdStartRow> {
  const importRunsMs = runs.map((r) => round(r.importMs));
  const initRunsMs = runs.map((r) => round(r.initMs));
  const initCpuRunsMs = runs.map((r) => round(r.initCpuMs));
  return {
    handler,
    variant,
    bundleBytes: await sizeOf(outfile),
    bundleGzipBytes: gzipSync(await readFile(outfile)).length,
    sourceMapBytes: await sizeOf(`${outfile}.map`),
    importMedianMs: median(importRunsMs),
    initMedianMs: median(initRunsMs),
    initCpuMedianMs: median(initCpuRunsMs),
    importRunsMs,
    initRunsMs,
    initCpuRunsMs,
    firstNetworkUse: runs[0]?.at ?? '',
    topModules: metafile ? topModules(metafile) : [],
  };
}

export async function measureColdStart(): Promise<ColdStartRow[]> {
  // Inside the repository so that external modules resolve from its node_modules, as from the runtime's.
  await mkdir(join(ROOT, 'node_modules/.cache'), { recursive: true });
  const dir = await mkdtemp(join(ROOT, 'node_modules/.cache/cold-start-'));
  try {
    const bundles: Bundle[] = [];
    for (const [index, variant] of VARIANTS.entries()) {
      for (const handler of Object.keys(HANDLERS) as Handler[]) {
        bundles.push(await bundle(join(dir, `${handler}-${String(index)}.mjs`), handler, variant));
      }
    }
    // Round-robin, so that a change in the machine's load affects every bundle alike.
    for (let i = 0; i < RUNS; i += 1) {
      for (const b of bundles) b.runs.push(await probe(b.outfile, b.handler));
    }
    return await Promise.all(bundles.map(row));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const mb = (bytes: number) => `${(bytes / 1e6).toFixed(2)} MB`;
const kb = (bytes: number) => `${String(Math.round(bytes / 1e3))} kB`;

function markdown(rows: readonly ColdStartRow[]): string {
  const infra = rows.filter((r) => r.variant === INFRA);
  const stopsAt = [...new Set(rows.map((r) => r.firstNetworkUse))].join(', ');
  return [
    '## Cold start (bundle size, import and init of each Lambda handler in a fresh `node`)',
    '',
    `Each handler is bundled with esbuild with infra/bundling.ts's options (\`${INFRA}\`) and variants, then ` +
      `started ${String(RUNS)} times (bundles in turn) in a fresh \`node\` with the functions' NODE_OPTIONS ` +
      `(\`${LAMBDA_NODE_OPTIONS}\`). Import = \`import()\` of the bundle; init = import + the first invocation ` +
      `up to its first network use (${stopsAt}), where the child stops, so nothing is contacted. Medians; ` +
      `CPU ms counts every thread and varies less than wall-clock ms on a busy machine. 1 MB = 10⁶ bytes; ` +
      `the target applies to the bundle as built (gzip: about what it adds to the deployment zip); the ` +
      `source map ships next to it and is not counted.`,
    '',
    table(
      [
        'Handler',
        'Bundling',
        'Bundle',
        '< 1 MB',
        'gzip',
        'Source map',
        'Import ms',
        'Init ms',
        '< 300 ms',
        'Init CPU ms',
      ],
      rows.map((r) => [
        r.handler,
        r.variant,
        mb(r.bundleBytes),
        ok(r.bundleBytes < MAX_BYTES),
        mb(r.bundleGzipBytes),
        mb(r.sourceMapBytes),
        r.importMedianMs,
        r.initMedianMs,
        ok(r.initMedianMs < MAX_INIT_MS),
        r.initCpuMedianMs,
      ]),
    ),
    '',
    `Largest contributors to the \`${INFRA}\` bundles (minified bytes; all ${String(TOP)} in cold-start.json):`,
    '',
    ...infra.map(
      (r) =>
        `- ${r.handler}: ${r.topModules
          .slice(0, 6)
          .map((m) => `${m.module} ${kb(m.bytes)}`)
          .join(', ')}`,
    ),
  ].join('\n');
}

export const coldStartSection: BenchSection = {
  name: 'cold-start',
  description: `bundle size, import and init time of each Lambda handler (${String(RUNS)} fresh processes each)`,
  async run() {
    const rows = await measureColdStart();
    return {
      json: { runs: RUNS, maxBytes: MAX_BYTES, maxInitMs: MAX_INIT_MS, rows },
      markdown: markdown(rows),
    };
  },
};
