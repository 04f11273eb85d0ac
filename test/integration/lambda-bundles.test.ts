// The signer and API Lambdas as deployed: infra/bundling.ts's bundles (esbuild, code splitting, the Lambda
// credential chain of infra/shims/lambda-credentials.ts in place of the SDK's default one, package.json
// files cut to their version), each run in a plain Node child process whose environment is only what the
// stack and Lambda give the function. Against the test stack (LocalStack KMS, FerretDB, btcd regtest) and
// the Tatum sandbox the signer signs and broadcasts a pending BTC spend with the credentials in the
// environment, as Lambda provides the execution role's, and again with them from a container credentials
// endpoint; without either it signs nothing and says what the bundle reads. The API creates a wallet
// (a KMS key) with the environment's credentials.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FundedUtxo } from '../../scripts/sandbox/btc-funding.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { LAMBDA_ENTRY_FILE, lambdaBuildOptions, shipPackages } from '../../infra/bundling.js';
import { NO_LAMBDA_CREDENTIALS } from '../../infra/shims/lambda-credentials.js';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/index.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { WalletView } from '../../src/wallets/contract.js';
import {
  btcSignerEnv,
  fundedBtcWallet,
  spendToMiner,
  type FundedBtcWallet,
} from '../support/signer-lambda.js';
import { httpApiEvent } from '../support/lambda-http.js';
import { stackEndpoints } from '../support/stack.js';

const JOB_BUDGET_MS = 1_500;

let dir: string;
let entry: string;
let apiEntry: string;
let sandbox: TatumSandbox;
let ctx: AppContext;
let wallet: WalletView;
let scripts: FundedBtcWallet['scripts'];
let utxos: FundedUtxo[];
let vars: Record<string, string>;
let credentialsServer: Server;
let credentialsUrl: string;
let credentialRequests = 0;

beforeAll(async () => {
  const endpoints = stackEndpoints();
  sandbox = await startTatumSandbox({ btcRpc: endpoints.btcRpc });
  vars = { ...btcSignerEnv(endpoints, sandbox, JOB_BUDGET_MS), AWS_REGION: 'us-east-1' };
  ctx = await createAppContext(loadConfig(vars));
  ({ wallet, scripts, utxos } = await fundedBtcWallet(ctx.walletService, endpoints, 'bundle', 3));

  dir = mkdtempSync(join(tmpdir(), 'kms-signer-signer-bundle-'));
  await build(lambdaBuildOptions('signer', dir));
  shipPackages(dir);
  entry = join(dir, LAMBDA_ENTRY_FILE);
  const apiDir = join(dir, 'api');
  await build(lambdaBuildOptions('api', apiDir));
  shipPackages(apiDir);
  apiEntry = join(apiDir, LAMBDA_ENTRY_FILE);

  // A container credentials endpoint (ECS task role format) serving LocalStack's test credentials.
  credentialsServer = createServer((_req, res) => {
    credentialRequests += 1;
    res.setHeader('content-type', 'application/json');
    res.end(
      JSON.stringify({
        AccessKeyId: 'test',
        SecretAccessKey: 'test',
        Token: 'container-token',
        Expiration: new Date(Date.now() + 3_600_000).toISOString(),
      }),
    );
  });
  await new Promise<void>((resolve) => credentialsServer.listen(0, '127.0.0.1', resolve));
  credentialsUrl = `http://127.0.0.1:${String((credentialsServer.address() as AddressInfo).port)}/creds`;
}, 120_000);

afterAll(async () => {
  await new Promise<void>((resolve) => {
    credentialsServer.close(() => {
      resolve();
    });
  });
  await sandbox.close();
  await ctx.db.dropDatabase().catch(() => undefined);
  await ctx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** One invocation of the bundled signer handler in a fresh Node process; its result or error, and output. */
function invokeBundle(env: Record<string, string>): Promise<{ result: unknown; output: string }> {
  return invokeIn(
    entry,
    env,
    `const deadline = Date.now() + 4000;
    const clock = { getRemainingTimeInMillis: () => deadline - Date.now() };
    const result = await handler({}, clock).catch((e) => ({ error: String(e?.message ?? e) }));`,
  );
}

/** Imports `bundle` in a fresh Node process with only `env`, runs `invocation` (which sets `result`). */
async function invokeIn(
  bundle: string,
  env: Record<string, string>,
  invocation: string,
): Promise<{ result: unknown; output: string }> {
  const script = `
    const { handler } = await import(${JSON.stringify(bundle)});
    ${invocation}
    console.log('RESULT ' + JSON.stringify(result));
    process.exit(0); // the execution environment keeps its MongoDB pool open for the next invocation`;
  const output = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', script],
      { env: { PATH: process.env.PATH ?? '', AWS_EC2_METADATA_DISABLED: 'true', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${error.message}\n${stderr}`));
        else resolve(`${stdout}${stderr}`);
      },
    );
  });
  const line = output.split('\n').find((l) => l.startsWith('RESULT '));
  return { result: JSON.parse(line?.slice('RESULT '.length) ?? 'null') as unknown, output };
}

const withoutCredentials = () =>
  Object.fromEntries(
    Object.entries(vars).filter(([name]) => !['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'].includes(name)),
  );

const spend = (utxo: FundedUtxo | undefined) => {
  if (!utxo) throw new Error('no funding output');
  return spendToMiner(sandbox, utxo, scripts, wallet.signatureId);
};
const job = (id: string) => ctx.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });

describe('bundled signer Lambda (infra/bundling.ts) against the test stack', () => {
  it("signs and broadcasts with the execution role's credentials from the environment", async () => {
    const id = spend(utxos[0]);
    const { result, output } = await invokeBundle(vars);
    expect(result, output).toMatchObject({ broadcast: 1, failed: 0, retry: 0 });
    expect(await job(id)).toMatchObject({ state: 'BROADCAST', kmsKeyIds: [wallet.kmsKeyId] });
    expect(sandbox.completed.get(id)?.txId).toBeDefined();
    expect(credentialRequests).toBe(0);
  });

  it('signs and broadcasts with credentials from a container credentials endpoint', async () => {
    const id = spend(utxos[1]);
    const env = { ...withoutCredentials(), AWS_CONTAINER_CREDENTIALS_FULL_URI: credentialsUrl };
    const { result, output } = await invokeBundle(env);
    expect(result, output).toMatchObject({ broadcast: 1, failed: 0, retry: 0 });
    expect(await job(id)).toMatchObject({ state: 'BROADCAST' });
    expect(credentialRequests).toBeGreaterThanOrEqual(1);
  });

  it('signs nothing without credentials and says where the bundle looks for them', async () => {
    const id = spend(utxos[2]);
    const { result, output } = await invokeBundle(withoutCredentials());
    expect(result, output).toMatchObject({ broadcast: 0 });
    expect(output).toContain(NO_LAMBDA_CREDENTIALS);
    expect(sandbox.completed.has(id)).toBe(false);
  });
});

describe('bundled API Lambda (infra/bundling.ts) against the test stack', () => {
  it("creates a wallet (a KMS key) with the execution role's credentials from the environment", async () => {
    const request = new Request('https://api.example/v1/wallets', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      body: JSON.stringify({ userId: 'bundle', chain: 'BTC', asset: 'BTC', network: 'regtest' }),
    });
    const event = await httpApiEvent(request, '203.0.113.7');
    // What API Gateway's AWS_IAM authorization adds (src/api/auth.ts).
    const context = (event as unknown as { requestContext: Record<string, unknown> }).requestContext;
    context.authorizer = { iam: { userArn: 'arn:aws:iam::123456789012:user/bundle' } };
    const env = {
      AWS_REGION: 'us-east-1',
      AWS_ENDPOINT_URL: vars.AWS_ENDPOINT_URL!,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      MONGODB_URI: vars.MONGODB_URI!,
      MONGODB_DB: vars.MONGODB_DB!,
      APP_TAG: vars.APP_TAG!,
    };
    const { result, output } = await invokeIn(
      apiEntry,
      env,
      `const result = await handler(${JSON.stringify(event)});`,
    );
    expect(result, output).toMatchObject({ statusCode: 201 });
    // The public key read from the new KMS key (LocalStack) and the address derived from it.
    const wallet = JSON.parse((result as { body: string }).body) as Record<string, unknown>;
    expect(wallet, output).toMatchObject({ chain: 'BTC', status: 'ACTIVE' });
    expect(wallet.publicKey).toMatch(/^0[23][0-9a-f]{64}$/);
    expect(wallet.address).toMatch(/^bcrt1q/);
  });
});
