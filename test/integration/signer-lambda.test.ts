// The scheduled Lambda handler (src/handlers/signer.ts) end to end, configured only through process.env as
// on AWS: real app context (LocalStack KMS + FerretDB), the Tatum sandbox and btcd regtest. A BTC spend is
// signed once, broadcast and mined; a later invocation signs nothing new; an invocation with less time
// left than one job budget starts no job. The invocation clock is real time counting down.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FundedUtxo } from '../../scripts/sandbox/btc-funding.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/index.js';
import type { handler as SignerHandler } from '../../src/handlers/signer.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { WalletView } from '../../src/wallets/contract.js';
import {
  btcSignerEnv,
  clockOf,
  fundedBtcWallet,
  mineAndConfirmations,
  processEnv,
  spendToMiner,
  type FundedBtcWallet,
} from '../support/signer-lambda.js';
import { stackEndpoints, type StackEndpoints } from '../support/stack.js';

const JOB_BUDGET_MS = 1_500;
const BROADCAST_PATH = '/v3/bitcoin/broadcast';

let endpoints: StackEndpoints;
let sandbox: TatumSandbox;
let ctx: AppContext;
let wallet: WalletView;
let scripts: FundedBtcWallet['scripts'];
let utxos: FundedUtxo[];
let handler: typeof SignerHandler;
const env = processEnv();

const spend = (utxo: FundedUtxo) => spendToMiner(sandbox, utxo, scripts, wallet.signatureId);

const job = (id: string) => ctx.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const audits = (id: string) =>
  ctx.db.collection<AuditRecord>(SIGNING_AUDIT).find({ pendingId: id }).toArray();
const broadcasts = () => sandbox.calls.filter((c) => c.path === BROADCAST_PATH && c.status === 200).length;

beforeAll(async () => {
  endpoints = stackEndpoints();
  sandbox = await startTatumSandbox({ btcRpc: endpoints.btcRpc });
  const vars = { ...btcSignerEnv(endpoints, sandbox, JOB_BUDGET_MS), AWS_REGION: 'us-east-1' };
  env.set(vars);

  // The wallet is created by the real wallet service on the database and tag the handler will use.
  ctx = await createAppContext(loadConfig(vars));
  ({ wallet, scripts, utxos } = await fundedBtcWallet(ctx.walletService, endpoints, 'lambda', 2));

  vi.resetModules();
  ({ handler } = await import('../../src/handlers/signer.js'));
});

afterAll(async () => {
  env.restore();
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

    expect(await mineAndConfirmations(endpoints, done?.txId)).toBeGreaterThanOrEqual(1);

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
