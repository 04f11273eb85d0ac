// Issue 17: an unexpected error before the KMS Sign call (a TypeError, a bug, an unexpected library error)
// says nothing about the transaction, so it no longer fails the job — Tatum would turn that report into a
// KMS_FAILED_TX webhook. The job is retried (`job-internal-error` line with the stack, counted by the
// InternalErrors metric), and only after the give-up age FAILED and reported once. A one-off MongoDB
// network error before signing is retried as a temporary cause. Against FerretDB, anvil and the sandbox.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MongoNetworkError } from 'mongodb';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import type { ChainId } from '../../src/chains/index.js';
import { ChainViews, type EvmChainView } from '../../src/chain-view/index.js';
import { COLLECTIONS } from '../../src/db/documents.js';
import { SIGNING_AUDIT } from '../../src/tatum/audit.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { SigningLoopOptions } from '../../src/tatum/loop.js';
import { fundedEvmWallet } from '../support/evm-loop.js';
import { startEvmSandboxStack, type EvmSandboxStack } from '../support/evm-sandbox.js';
import { faultyDb } from '../support/faulty-db.js';
import { reconcilingEvmDevLoop } from '../support/reconciling-loop.js';
import { stackEndpoints } from '../support/stack.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const BUG = "Cannot read properties of undefined (reading 'gasPrice')";

let stack: EvmSandboxStack;

beforeAll(async () => {
  stack = await startEvmSandboxStack();
});

afterAll(() => stack.close());

/** The node's view, whose first `faults` look-ups by the EVM completion throw a TypeError (a bug in it). */
class BuggyViews extends ChainViews {
  constructor(private faults: number) {
    super({ network: 'testnet', env: { KMS_SIGNER_RPC_EVM_DEV: stackEndpoints().evmRpcUrl }, retries: 0 });
  }

  override evm(chain: ChainId): EvmChainView | undefined {
    if (this.faults-- > 0) throw new TypeError(BUG);
    return super.evm(chain);
  }
}

const reportsOf = (id: string) => stack.sandbox.reportedErrors.filter((e) => e.signatureId === id);
const job = (id: string) => stack.env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const finalRecords = (id: string) =>
  stack.env.db
    .collection(SIGNING_AUDIT)
    .countDocuments({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } });

async function transfer(user: string): Promise<string> {
  const wallet = await fundedEvmWallet(stack.env.service, stack.rpc, user);
  return stack.sandbox.enqueue(
    evmPending('EVM_DEV', wallet.signatureId, JSON.stringify({ to: DEST, value: '1' })),
  );
}

function loop(id: string, logs: Record<string, unknown>[], over: Partial<SigningLoopOptions> = {}) {
  return reconcilingEvmDevLoop(stack.env, stack.sandbox, stackEndpoints().evmRpcUrl, {
    transactionIds: [id],
    log: (entry) => logs.push(entry),
    ...over,
  });
}

it('a TypeError in the first pass is retried, not reported; the next pass broadcasts it', async () => {
  const id = await transfer('internal-once');
  const logs: Record<string, unknown>[] = [];
  const first = await loop(id, logs, { chainViews: new BuggyViews(1) }).runPass();
  const reason = `internal error (TypeError): ${BUG}`;
  expect(first.results).toEqual([expect.objectContaining({ id, outcome: 'RETRY', error: reason })]);
  expect(first.reported).toEqual([]);
  expect(await job(id)).toMatchObject({ state: 'CLAIMED', signed: null, error: reason });
  expect(logs.filter((l) => l.event === 'job-internal-error')).toEqual([
    expect.objectContaining({
      id,
      error: reason,
      stack: expect.stringMatching(/^TypeError: Cannot read properties[\s\S]*\n\s+at /) as string,
    }),
  ]);
  expect(logs.filter((l) => l.event === 'job-failed')).toEqual([]);

  const second = await loop(id, logs, { chainViews: new BuggyViews(0) }).runPass();
  expect(second.results).toEqual([expect.objectContaining({ id, outcome: 'BROADCAST' })]);
  expect(stack.sandbox.completed.get(id)).toBeDefined();
  expect(await job(id)).toMatchObject({ state: 'BROADCAST', error: null });
  expect(reportsOf(id)).toEqual([]);
  expect(await finalRecords(id)).toBe(1);
});

it('a TypeError on every pass: FAILED and reported once after the give-up age, with that reason', async () => {
  const id = await transfer('internal-always');
  const logs: Record<string, unknown>[] = [];
  const buggy = { chainViews: new BuggyViews(Infinity), reportRetriesAfterMs: 300 };
  const first = await loop(id, logs, buggy).runPass();
  expect(first.results).toEqual([expect.objectContaining({ id, outcome: 'RETRY' })]);
  expect(reportsOf(id)).toEqual([]);
  await new Promise((resolve) => setTimeout(resolve, 400));
  const late = await loop(id, logs, buggy).runPass();
  expect(late.results).toEqual([expect.objectContaining({ id, outcome: 'FAILED' })]);
  expect(reportsOf(id)).toEqual([
    {
      signatureId: id,
      error: `not signed after retrying for 0 min; last temporary error: internal error (TypeError): ${BUG}`,
    },
  ]);
  expect(await job(id)).toMatchObject({ state: 'FAILED', signed: null });
  await loop(id, logs, buggy).runPass();
  expect(reportsOf(id)).toHaveLength(1);
  expect(logs.filter((l) => l.event === 'job-internal-error')).toHaveLength(2);
  expect(stack.sandbox.completed.get(id)).toBeUndefined();
});

it('a MongoDB network error before signing is a temporary cause: retried, then broadcast', async () => {
  const id = await transfer('mongo-blip');
  const logs: Record<string, unknown>[] = [];
  let blips = 1;
  // The nonce ledger's insert (markUsed, right before the KMS call) loses its connection once.
  const db = faultyDb(stack.env.db, {
    [COLLECTIONS.evmNonces]: {
      insertOne: (call) =>
        blips-- > 0
          ? Promise.reject(new MongoNetworkError('connection 7 to 127.0.0.1:27017 closed'))
          : call(),
    },
  });
  const first = await loop(id, logs, { db }).runPass();
  const reason = 'MongoDB unavailable: connection 7 to 127.0.0.1:27017 closed';
  expect(first.results).toEqual([expect.objectContaining({ id, outcome: 'RETRY', error: reason })]);
  expect(logs.filter((l) => l.event === 'job-retry')).toEqual([
    expect.objectContaining({ id, error: reason }),
  ]);
  expect(logs.filter((l) => l.event === 'job-internal-error')).toEqual([]);
  const second = await loop(id, logs, { db }).runPass();
  expect(second.results).toEqual([expect.objectContaining({ id, outcome: 'BROADCAST' })]);
  expect(reportsOf(id)).toEqual([]);
  expect(await finalRecords(id)).toBe(1);
});
