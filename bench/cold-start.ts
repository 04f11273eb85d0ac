// Cold start (issue #7 item 5): bundles each Lambda handler with infra's bundling options (and variants of
// them), then, in fresh Node processes, times the import of the bundle and the handler's first invocation
// up to its first network use. Nothing is contacted: the child stops at the first DNS lookup or socket.
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import {
  LAMBDA_ENTRY_FILE,
  LAMBDA_NODE_OPTIONS,
  lambdaBuildOptions,
  shipPackages,
  type LambdaHandler,
} from '../infra/bundling.js';
import { gatewayEvent } from '../scripts/fixtures/api-gateway-event.js';
import { bundleOutputs, type BundleOutputs } from './bundle-outputs.js';
import { envInt } from './env.js';
import { ok, table } from './report.js';
import type { BenchSection } from './section.js';
import { median } from './stats.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** Fresh processes per handler and variant (COLD_START_RUNS, default 7). */
const RUNS = Math.max(1, envInt('COLD_START_RUNS', 7));
const MAX_BYTES = 1_000_000;
const MAX_INIT_MS = 200;

/** Each handler with the event of its first invocation. */
const HANDLERS = {
  api: gatewayEvent({ method: 'GET', path: '/v1/wallets' }),
  signer: { source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} },
} as const;
type Handler = keyof typeof HANDLERS & LambdaHandler;

// No one-file variant: with splitting off, esbuild turns the dynamic imports of the chain families into
// lazily initialised modules in the same file, which reorders @bitauth/libauth's circular imports and
// fails at import ("… is not iterable"). The one-file figures from before issue 16 are in the README.
const INFRA = 'infra';
type BuildVariant = (handler: LambdaHandler, outdir: string) => BuildOptions;
const VARIANTS: readonly { variant: string; options: BuildVariant }[] = [
  { variant: INFRA, options: lambdaBuildOptions },
  {
    variant: 'infra + AWS SDK external',
    options: (handler, outdir) => {
      const options = lambdaBuildOptions(handler, outdir);
      return { ...options, external: [...(options.external ?? []), '@aws-sdk/*', '@smithy/*'] };
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
  KMS_SIGN_QUOTA: '1000',
  KMS_SIGN_RUNNERS: '2',
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

export interface ColdStartRow extends BundleOutputs {
  handler: Handler;
  variant: string;
  importMedianMs: number;
  initMedianMs: number;
  initCpuMedianMs: number;
  importRunsMs: number[];
  initRunsMs: number[];
  initCpuRunsMs: number[];
  /** Where the first invocation first touched the network, i.e. where "init" stops. */
  firstNetworkUse: string;
}

export async function probe(bundle: string, handler: Handler): Promise<ProbeResult> {
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

interface Bundle {
  handler: Handler;
  variant: string;
  entry: string;
  outputs: BundleOutputs;
  runs: ProbeResult[];
}

async function bundle(
  outdir: string,
  handler: Handler,
  { variant, options }: (typeof VARIANTS)[number],
): Promise<Bundle> {
  const { metafile } = await build(options(handler, outdir));
  if (!metafile) throw new Error('cold-start: esbuild returned no metafile');
  shipPackages(outdir);
  const entry = join(outdir, LAMBDA_ENTRY_FILE);
  const outputs = await bundleOutputs(metafile, relative(ROOT, entry), ROOT);
  return { handler, variant, entry, outputs, runs: [] };
}

function row({ handler, variant, outputs, runs }: Bundle): ColdStartRow {
  const importRunsMs = runs.map((r) => round(r.importMs));
  const initRunsMs = runs.map((r) => round(r.initMs));
  const initCpuRunsMs = runs.map((r) => round(r.initCpuMs));
  return {
    handler,
    variant,
    ...outputs,
    importMedianMs: median(importRunsMs),
    initMedianMs: median(initRunsMs),
    initCpuMedianMs: median(initCpuRunsMs),
    importRunsMs,
    initRunsMs,
    initCpuRunsMs,
    firstNetworkUse: runs[0]?.at ?? '',
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
        bundles.push(await bundle(join(dir, `${handler}-${String(index)}`), handler, variant));
      }
    }
    // Round-robin, so that a change in the machine's load affects every bundle alike.
    for (let i = 0; i < RUNS; i += 1) {
      for (const b of bundles) b.runs.push(await probe(b.entry, b.handler));
    }
    return bundles.map(row);
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
    `Each handler is bundled with esbuild with infra/bundling.ts's options (\`${INFRA}\`: ESM, code splitting, ` +
      `chain families loaded on first use) and variants, then started ${String(RUNS)} times (bundles in turn) ` +
      `in a fresh \`node\` with the functions' NODE_OPTIONS (\`${LAMBDA_NODE_OPTIONS}\`). Import = \`import()\` ` +
      `of the entry file; init = import + the first invocation up to its first network use (${stopsAt}), where ` +
      `the child stops, so nothing is contacted. Medians; CPU ms counts every thread and varies less than ` +
      `wall-clock ms on a busy machine. 1 MB = 10⁶ bytes. Init code = the entry file and every chunk it imports ` +
      `statically (what Node parses at init; gzip: about what it adds to the zip); shipped = every file, ` +
      `chunks loaded on first use included; source maps ship too and are not counted.`,
    '',
    table(
      [
        'Handler',
        'Bundling',
        'Init code',
        '< 1 MB',
        'gzip',
        'Shipped (files)',
        'Largest file',
        'Source maps',
        'Import ms',
        'Init ms',
        `< ${String(MAX_INIT_MS)} ms`,
        'Init CPU ms',
      ],
      rows.map((r) => [
        r.handler,
        r.variant,
        mb(r.eagerBytes),
        ok(r.eagerBytes < MAX_BYTES),
        mb(r.eagerGzipBytes),
        `${mb(r.totalBytes)} (${String(r.files)})`,
        mb(r.largestFileBytes),
        mb(r.sourceMapBytes),
        r.importMedianMs,
        r.initMedianMs,
        ok(r.initMedianMs < MAX_INIT_MS),
        r.initCpuMedianMs,
      ]),
    ),
    '',
    `Largest contributors to the \`${INFRA}\` init code (minified bytes; the top ten in cold-start.json):`,
    '',
    ...infra.map(
      (r) =>
        `- ${r.handler}: ${r.topEagerModules
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
