// Issue 17: a FAILED job is reported to Tatum until Tatum accepts the report, and then never again — also
// when the report endpoint fails for a while, or the runner dies between the FAILED write and the report.
// Against the Tatum sandbox's error-batch endpoint (POST /v3/tatum/kms/batch), failing then recovering.
// And a refused entry is remembered with its hash: corrected under the same id, it is looked at again.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { ERROR_BATCH_PATH } from '../../src/tatum/client.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { SigningLoopOptions } from '../../src/tatum/loop.js';
import { fundedEvmWallet } from '../support/evm-loop.js';
import { EvmRpc } from '../support/evm-rpc.js';
import { faultyDb } from '../support/faulty-db.js';
import { reconcilingEvmDevLoop } from '../support/reconciling-loop.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

/** Refused by the EVM decoder (wrong types): FAILED before any KMS call. */
const REFUSED = '{"to":[1,2],"value":{"$gt":0}}';

let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;

beforeAll(async () => {
  env = await walletTestEnv();
  rpc = new EvmRpc(stackEndpoints().evmRpcUrl);
  sandbox = await startTatumSandbox({ evmRpcUrl: stackEndpoints().evmRpcUrl });
});

afterAll(async () => {
  await sandbox.close();
  await env.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const reportsOf = (id: string) => sandbox.reportedErrors.filter((e) => e.signatureId === id);
const reportCalls = () => sandbox.calls.filter((c) => c.path === ERROR_BATCH_PATH);
const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });

/** Reconciles every pass; a FAILED job is re-reported a lease (100 ms) after its write. */
const loop = (over: Partial<SigningLoopOptions> = {}) =>
  reconcilingEvmDevLoop(env, sandbox, stackEndpoints().evmRpcUrl, { leaseMs: 100, ...over });

async function refusedEntry(user: string): Promise<string> {
  const wallet = await fundedEvmWallet(env.service, rpc, user);
  return sandbox.enqueue(evmPending('EVM_DEV', wallet.signatureId, REFUSED));
}

it('a report Tatum answered 500 twice is sent again until accepted, then never again', async () => {
  const id = await refusedEntry('report-outage');
  const calls = reportCalls().length;
  sandbox.failNext(ERROR_BATCH_PATH, 500, 2);
  const runner = loop();
  const first = await runner.runPass();
  expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'FAILED' });
  expect(reportsOf(id)).toEqual([]);
  expect(await job(id)).toMatchObject({ state: 'FAILED', unreported: true });
  await pause(150);
  await runner.runPass(); // the reconciler reports it again: 500 again
  expect(reportsOf(id)).toEqual([]);
  await runner.runPass(); // accepted
  expect(reportsOf(id)).toEqual([
    { signatureId: id, error: expect.stringMatching(/^signing refused \(/) as string },
  ]);
  expect((await job(id))?.unreported).toBeUndefined();
  for (let pass = 0; pass < 2; pass++) {
    await pause(150);
    await loop().runPass(); // another runner, too
  }
  expect(reportsOf(id)).toHaveLength(1);
  expect(reportCalls().length - calls).toBe(3);
});

it('a runner killed after the FAILED write, before its report: reported once by the reconciler', async () => {
  const id = await refusedEntry('report-killed');
  // The runner dies right after the job's FAILED update (its audit insert is never made, nor the report).
  const killed = loop({
    transactionIds: [id],
    db: faultyDb(env.db, {
      [SIGNING_AUDIT]: {
        insertMany: (call, args) =>
          (args[0] as AuditRecord[]).some((r) => r.outcome === 'FAILED')
            ? Promise.reject(new Error('SIGKILL after the FAILED write'))
            : call(),
      },
    }),
  });
  const pass = await killed.runPass();
  expect(pass.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
  expect((await job(id))?.state).toBe('FAILED');
  expect(reportsOf(id)).toEqual([]);
  await pause(150);
  await loop().runPass();
  await loop().runPass();
  expect(reportsOf(id)).toHaveLength(1);
});

it('a refused entry Tatum corrects under the same id is looked at again; unchanged it is not', async () => {
  const id = await refusedEntry('corrected');
  const only = { transactionIds: [id] };
  await loop(only).runPass();
  await loop(only).runPass();
  expect(reportsOf(id)).toHaveLength(1);
  // Changed, still refused: looked at and reported again (once).
  sandbox.replace(id, { serializedTransaction: '{"to":[3],"value":"1"}' });
  // A final job's claim is left to lapse (jobs.ts release): the entry is looked at again after a lease.
  await pause(150);
  await loop(only).runPass();
  await loop(only).runPass();
  expect(reportsOf(id)).toHaveLength(2);
  // Corrected: signed and broadcast, nothing more reported.
  sandbox.replace(id, {
    serializedTransaction: JSON.stringify({ to: '0x8ba1f109551bd432803012645ac136ddd64dba72', value: '1' }),
  });
  await pause(150);
  const fixed = await loop(only).runPass();
  expect(fixed.results).toContainEqual(expect.objectContaining({ id, outcome: 'BROADCAST' }));
  expect(reportsOf(id)).toHaveLength(2);
  expect(await job(id)).toMatchObject({ state: 'BROADCAST', round: 2, refusedPayload: null });
  // One final record per round: the two refusals and the broadcast.
  const finals = await env.db
    .collection<AuditRecord>(SIGNING_AUDIT)
    .find({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } })
    .toArray();
  expect(finals.map((r) => [r._id, r.outcome]).sort()).toEqual([
    [`${id}:final`, 'FAILED'],
    [`${id}:final:1`, 'FAILED'],
    [`${id}:final:2`, 'BROADCAST'],
  ]);
  await loop(only).runPass();
  expect(reportsOf(id)).toHaveLength(2);
});
