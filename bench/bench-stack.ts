// The local stand-ins for the benchmark sections that need them: starts only the services asked for
// (scripts/stack), wires the production app context (createAppContext) to a fresh database, and stops
// everything — the context, the services and their run directory — even when the section fails.
import { randomBytes } from 'node:crypto';
import { createAppContext, type AppContext, type AppContextOptions } from '../src/app-context.js';
import { loadConfig } from '../src/config/index.js';
import { startStack, type RunningStack, type ServiceName } from '../scripts/stack/index.js';

/** The SDK reads credentials from the environment; explicit test ones, and never the IMDS (not loopback). */
const LOCAL_AWS_ENV: Readonly<Record<string, string>> = {
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_ACCESS_KEY_ID: 'test',
  AWS_SECRET_ACCESS_KEY: 'test',
};

/** Sections without LocalStack still need a KMS endpoint in the config: a loopback port nothing serves. */
const NO_KMS_ENDPOINT = 'http://127.0.0.1:9';

export interface BenchStack {
  stack: RunningStack;
  context: AppContext;
}

/** Sets `values` in process.env and returns a function that puts the previous values back. */
function setEnv(values: Readonly<Record<string, string>>): () => void {
  const previous = Object.keys(values).map((key) => [key, process.env[key]] as const);
  Object.assign(process.env, values);
  return () => {
    for (const [key, value] of previous) {
      if (value === undefined) Reflect.deleteProperty(process.env, key);
      else process.env[key] = value;
    }
  };
}

export async function withBenchStack<T>(
  services: ServiceName[],
  run: (bench: BenchStack) => Promise<T>,
  options: AppContextOptions = {},
): Promise<T> {
  const restoreEnv = setEnv(LOCAL_AWS_ENV);
  let stack: RunningStack | undefined;
  let context: AppContext | undefined;
  try {
    stack = await startStack({ services });
    const config = loadConfig({
      MONGODB_URI: stack.endpoints.mongoUri,
      MONGODB_DB: `bench_${randomBytes(4).toString('hex')}`,
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: stack.endpoints.awsEndpoint || NO_KMS_ENDPOINT,
      APP_TAG: 'kms-signer-bench',
    });
    context = await createAppContext(config, options);
    return await run({ stack, context });
  } finally {
    try {
      // A reused server (MONGODB_URI set) would keep the data otherwise.
      await context?.db.dropDatabase().catch(() => undefined);
      await context?.close();
    } finally {
      restoreEnv();
      await stack?.stop();
    }
  }
}
