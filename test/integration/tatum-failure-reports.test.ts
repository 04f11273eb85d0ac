// Issue 17: a FAILED job is reported to Tatum until Tatum accepts the report, and then never again — also
// when the report endpoint fails for a while, or the runner dies between the FAILED write and the report.
// Against the Tatum sandbox's error-batch endpoint (POST /v3/tatum/kms/batch), failing then recovering.
// And a refused entry is remembered with its hash: corrected under the same id, it is looked at again.
// A batch Tatum refuses because of one id (403 kms.missing, the sandbox's refuseReports) is re-sent entry
// by entry: the others are reported, the refused one is dropped with `reportRefused` (report-sender.ts).
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

/** `n` FAILED-to-be entries (refused by the decoder) of one wallet. */
async function refusedEntries(user: string, n: number): Promise<string[]> {
  const wallet = await fundedEvmWallet(env.service, rpc, user);
  return Array.from({ length: n }, () => sandbox.enqueue(evmPending('EVM_DEV', wallet.signatureId, REFUSED)));
}

const refusedCalls = () => reportCalls().filter((c) => c.status === 403).length;

it('one id Tatum refuses: the others are reported the same pass, it is dropped with reportRefused', async () => {
  const [first, unknown, last] = await refusedEntries('report-refused', 3);
  if (first === undefined || unknown === undefined || last === undefined) throw new Error('three entries');
  sandbox.refuseReports([unknown]);
  const logs: Record<string, unknown>[] = [];
  const calls = reportCalls().length;
  const pass = await loop({ transactionIds: [first, unknown, last], log: (e) => logs.push(e) }).runPass();
  expect(pass.results.filter((r) => r.outcome === 'FAILED').map((r) => r.id)).toHaveLength(3);
  // The batch (403), then each entry alone: two accepted, one refused again.
  const statuses = reportCalls()
    .slice(calls)
    .map((c) => c.status);
  expect(statuses[0]).toBe(403);
  expect(statuses.slice(1).sort()).toEqual([200, 200, 403]);
  expect(reportsOf(first)).toHaveLength(1);
  expect(reportsOf(last)).toHaveLength(1);
  expect(reportsOf(unknown)).toEqual([]);
  expect((await job(first))?.unreported).toBeUndefined();
  const refused = await job(unknown);
  expect(refused).toMatchObject({
    state: 'FAILED',
    error: expect.stringMatching(/^signing refused \(/) as string,
    reportRefused: {
      status: 403,
      errorCode: 'kms.missing',
      message: `No such KMS signature with id '${unknown}'.`,
      at: expect.any(Date) as Date,
    },
  });
  expect(refused?.unreported).toBeUndefined();
  const line = logs.filter((l) => l.event === 'report-refused');
  expect(line).toEqual([
    expect.objectContaining({
      signatureId: unknown,
      status: 403,
      errorCode: 'kms.missing',
      message: `No such KMS signature with id '${unknown}'.`,
    }),
  ]);
  // Tatum's answer only, not the report's text.
  expect(JSON.stringify(line)).not.toContain('signing refused');
  // Later passes (reconciling every pass, another runner too) never send it again.
  const refusals = refusedCalls();
  for (let n = 0; n < 3; n++) {
    await pause(150);
    await loop().runPass();
  }
  expect(refusedCalls()).toBe(refusals);
  expect(reportsOf(unknown)).toEqual([]);
  expect(reportsOf(first)).toHaveLength(1);
  expect(await job(unknown)).toMatchObject({ state: 'FAILED', reportRefused: { status: 403 } });
});

it('a 500 on a batch keeps every entry (no single calls); the next pass reports them in one call', async () => {
  const ids = await refusedEntries('report-500', 3);
  sandbox.failNext(ERROR_BATCH_PATH, 500);
  const calls = reportCalls().length;
  await loop({ transactionIds: ids }).runPass();
  expect(
    reportCalls()
      .slice(calls)
      .map((c) => c.status),
  ).toEqual([500]);
  for (const id of ids) {
    expect(reportsOf(id)).toEqual([]);
    expect(await job(id)).toMatchObject({ state: 'FAILED', unreported: true });
  }
  await pause(150);
  await loop().runPass();
  expect(
    reportCalls()
      .slice(calls)
      .map((c) => c.status),
  ).toEqual([500, 200]);
  for (const id of ids) {
    expect(reportsOf(id)).toHaveLength(1);
    const reported = await job(id);
    expect(reported?.unreported).toBeUndefined();
    expect(reported?.reportRefused).toBeUndefined();
  }
});
