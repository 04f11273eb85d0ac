// The scheduled Lambda handler (src/handlers/signer.ts) end to end, configured only through process.env as
// on AWS: real app context (LocalStack KMS + FerretDB), the Tatum sandbox and btcd regtest. A BTC spend is
// signed once, broadcast and mined; a later invocation signs nothing new; an invocation with less time
// left than one job budget starts no job. The invocation clock is real time counting down.
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { keyScripts } from '../../scripts/sandbox/bitcoin-payloads.js';
import { fundScripts, type FundedUtxo } from '../../scripts/sandbox/btc-funding.js';
import { bitcorePending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/index.js';
import type { handler as SignerHandler } from '../../src/handlers/signer.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { WalletView } from '../../src/wallets/contract.js';
import { stackEndpoints, type StackEndpoints } from '../support/stack.js';
import { randomSuffix } from '../support/wallets.js';

const JOB_BUDGET_MS = 1_500;
const BROADCAST_PATH = '/v3/bitcoin/broadcast';

let endpoints: StackEndpoints;
let sandbox: TatumSandbox;
let ctx: AppContext;
let wallet: WalletView;
let walletScript: Uint8Array;
let minerScript: Uint8Array;
let utxos: FundedUtxo[];
let handler: typeof SignerHandler;
const savedEnv = new Map<string, string | undefined>();

/** A Lambda context whose remaining time counts down in real time from `ms`. */
const clockOf = (ms: number) => {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => deadline - Date.now() };
};

const spend = (utxo: FundedUtxo) =>
  sandbox.enqueue(
    bitcorePending(
      'BTC',
      [utxo],
      [
        { script: minerScript, amount: 300_000n },
        { script: walletScript, amount: utxo.amount - 310_000n },
      ],
      [wallet.signatureId],
    ),
  );

const job = (id: string) => ctx.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const audits = (id: string) =>
  ctx.db.collection<AuditRecord>(SIGNING_AUDIT).find({ pendingId: id }).toArray();
const broadcasts = () => sandbox.calls.filter((c) => c.path === BROADCAST_PATH && c.status === 200).length;

beforeAll(async () => {
  endpoints = stackEndpoints();
  sandbox = await startTatumSandbox({ btcRpc: endpoints.btcRpc });
  const env: Record<string, string> = {
    MONGODB_URI: endpoints.mongoUri,
    MONGODB_DB: `wallets_${randomSuffix()}`,
    APP_TAG: `kms-signer-test-${randomSuffix()}`,
    AWS_ENDPOINT_URL: endpoints.awsEndpoint,
    AWS_REGION: 'us-east-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TATUM_API_URL: sandbox.url,
    TATUM_API_KEY: sandbox.apiKey,
    SIGNER_CHAINS: 'BTC',
    SIGNER_NETWORK: 'regtest',
    SIGNER_PERIOD_SECONDS: '1',
    SIGNER_JOB_BUDGET_MS: String(JOB_BUDGET_MS),
  };
  for (const [name, value] of Object.entries(env)) {
    savedEnv.set(name, process.env[name]);
    process.env[name] = value;
  }

  // The wallet is created by the real wallet service on the database and tag the handler will use.
  ctx = await createAppContext(loadConfig(env));
  ({ wallet } = await ctx.walletService.createWallet({
    userId: 'lambda',
    chain: 'BTC',
    asset: 'BTC',
    network: 'regtest',
  }));
  walletScript = keyScripts(Buffer.from(wallet.publicKey, 'hex')).p2wpkh;
  minerScript = keyScripts(btcTestKey(decodeRegtestWif(endpoints.btcMiningWif)).publicKey).p2wpkh;
  ({ utxos } = await fundScripts(endpoints.btcRpc, endpoints.btcMiningWif, [
    { script: walletScript, amount: 1_000_000n },
    { script: walletScript, amount: 1_000_000n },
  ]));

  vi.resetModules();
  ({ handler } = await import('../../src/handlers/signer.js'));
});

afterAll(async () => {
  for (const [name, value] of savedEnv) {
    if (value === undefined) Reflect.deleteProperty(process.env, name);
    else process.env[name] = value;
  }
  await sandbox.close();
  await ctx.db.dropDatabase().catch(() => undefined);
  await ctx.close();
});

describe('scheduled signer Lambda handler', () => {
  it('signs a pending BTC spend once, broadcasts it (mined), and a later invocation signs nothing new', async () => {
    const [utxo] = utxos;
    if (!utxo) throw new Error('no funding output');
    const id = spend(utxo);

    const first = await handler({}, clockOf(4_000));
    expect(first.passes).toBeGreaterThanOrEqual(1);
    expect(first).toMatchObject({ broadcast: 1, failed: 0, retry: 0 });

    const done = sandbox.completed.get(id);
    expect(done?.path).toBe(BROADCAST_PATH);
    expect(broadcasts()).toBe(1);
    expect(sandbox.violations).toEqual([]);
    const stored = await job(id);
    expect(stored).toMatchObject({ state: 'BROADCAST', txId: done?.txId, kmsKeyIds: [wallet.kmsKeyId] });
    expect(stored?.signed).toBe(done?.txData);

    await btcRpc(endpoints.btcRpc, 'generate', [1]);
    const { confirmations } = await btcRpc(
      endpoints.btcRpc,
      'getrawtransaction',
      [done?.txId, 1],
      z.object({ confirmations: z.number().default(0) }),
    );
    expect(confirmations).toBeGreaterThanOrEqual(1);

    // The same execution environment is invoked again: nothing pending, nothing signed or broadcast.
    const second = await handler({}, clockOf(3_000));
    expect(second.passes).toBeGreaterThanOrEqual(1);
    expect(second).toMatchObject({ broadcast: 0, failed: 0, retry: 0 });
    expect(broadcasts()).toBe(1);
    // One job and one audit record with one digest: exactly one KMS signature.
    expect(await ctx.db.collection(SIGNING_JOBS).countDocuments()).toBe(1);
    const records = await audits(id);
    expect(records).toMatchObject([{ outcome: 'BROADCAST', kmsKeyIds: [wallet.kmsKeyId] }]);
    expect(records[0]?.digests).toHaveLength(1);
  });

  it('starts no job when less than one job budget of time remains', async () => {
    const [, utxo] = utxos;
    if (!utxo) throw new Error('no funding output');
    const id = spend(utxo);
    const callsBefore = sandbox.calls.length;

    const result = await handler({}, clockOf(JOB_BUDGET_MS - 500));
    expect(result).toEqual({ passes: 0, broadcast: 0, failed: 0, retry: 0 });
    expect(sandbox.calls.length).toBe(callsBefore); // not even a pending fetch
    expect(await job(id)).toBeNull();
    expect(sandbox.completed.has(id)).toBe(false);
    expect(sandbox.pending().find((p) => p.id === id)?.txId).toBeUndefined();
  });
});
