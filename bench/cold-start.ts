// Cold start (issue #7 item 5): bundles each Lambda handler the way infra's NodejsFunction does, then
// times `import()` of the bundle in fresh Node processes. Handlers are imported, never invoked.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { build, type BuildOptions } from 'esbuild';
import { OPTIONAL_EXTERNAL_MODULES, REQUIRE_SHIM_BANNER } from '../infra/bundling.js';
import { median } from './stats.js';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const HANDLERS = ['api', 'signer'] as const;
const RUNS = 5;

/** infra/kms-signer-stack.ts BUNDLING, minus the source map (not loaded unless an error is printed). */
const INFRA_OPTIONS: BuildOptions = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  mainFields: ['module', 'main'],
  banner: { js: REQUIRE_SHIM_BANNER },
  external: OPTIONAL_EXTERNAL_MODULES,
  logLevel: 'error',
};

const VARIANTS = [
  { variant: 'infra (target node24, not minified)', target: 'node24', minify: false },
  { variant: 'minified (target node20)', target: 'node20', minify: true },
] as const;

/** Placeholder configuration: enough for module initialisation, nothing is ever contacted. */
const DUMMY_ENV = {
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

const IMPORT_SCRIPT = `const t = performance.now(); await import(process.argv[1]); console.log(performance.now() - t);`;

export interface ColdStartRow {
  handler: string;
  variant: string;
  bundleBytes: number;
  importMedianMs: number;
  importRunsMs: number[];
}

async function timeImport(bundle: string): Promise<number> {
  const { stdout } = await run(
    process.execPath,
    ['--input-type=module', '-e', IMPORT_SCRIPT, pathToFileURL(bundle).href],
    { env: { PATH: process.env.PATH ?? '', ...DUMMY_ENV }, timeout: 30_000 },
  );
  return Number.parseFloat(stdout.trim().split('\n').pop() ?? '');
}

export async function measureColdStart(): Promise<ColdStartRow[]> {
  const dir = await mkdtemp(join(tmpdir(), 'kms-signer-bench-'));
  try {
    const rows: ColdStartRow[] = [];
    for (const { variant, target, minify } of VARIANTS) {
      for (const handler of HANDLERS) {
        const outfile = join(dir, `${handler}-${target}-${minify ? 'min' : 'plain'}.mjs`);
        await build({
          ...INFRA_OPTIONS,
          entryPoints: [join(ROOT, 'src/handlers', `${handler}.ts`)],
          outfile,
          target,
          minify,
        });
        const importRunsMs: number[] = [];
        for (let i = 0; i < RUNS; i += 1)
          importRunsMs.push(Math.round((await timeImport(outfile)) * 10) / 10);
        rows.push({
          handler,
          variant,
          bundleBytes: (await stat(outfile)).size,
          importMedianMs: median(importRunsMs),
          importRunsMs,
        });
      }
    }
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
