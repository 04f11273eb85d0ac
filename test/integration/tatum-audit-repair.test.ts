// Issue 17: every final job has exactly one final audit record, however its runner died. A job's final
// state and its audit record are two commands (job-writes.ts); here the second is lost — the runner "killed"
// between them (the audit insert fails) — on every path that ends a job: a whole batch of broadcasts and a
// refusal, a give-up, a SIGNED job settled by the look-up at reconciliation, a write that landed after the
// reconciler had looked past its update time, and more jobs with one update time than a page holds (and a
// runner killed between its claim and the job's first insert, which left no job at all). Then a
// healthy runner's reconciliation must leave each job with exactly one final record — the one its runner
// made — and a repair racing the live writer must not make two.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { SIGNING_AUDIT, finalAuditId, type AuditRecord } from '../../src/tatum/audit.js';
import { carryAudit } from '../../src/tatum/carried-audit.js';
import { JobWriter } from '../../src/tatum/job-writes.js';
import {
  JobStore,
  SIGNING_JOBS,
  type SignedTransactionDoc,
  type SigningJobDoc,
} from '../../src/tatum/jobs.js';
import type { SigningLoopOptions } from '../../src/tatum/loop.js';
import { fundedEvmWallet } from '../support/evm-loop.js';
import { EvmRpc } from '../support/evm-rpc.js';
import { reconcilingEvmDevLoop } from '../support/reconciling-loop.js';
import { faultyDb, gate, type Fault, type Faults } from '../support/faulty-db.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const PAYLOAD = JSON.stringify({ to: DEST, value: '1000' });

let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;
let evmRpcUrl: string;

beforeAll(async () => {
  env = await walletTestEnv();
  evmRpcUrl = stackEndpoints().evmRpcUrl;
  rpc = new EvmRpc(evmRpcUrl);
  sandbox = await startTatumSandbox({ evmRpcUrl });
});

afterAll(async () => {
  await sandbox.close();
  await env.close();
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const audit = () => env.db.collection<AuditRecord>(SIGNING_AUDIT);
const jobs = () => env.db.collection<SigningJobDoc>(SIGNING_JOBS);
const isFinal = (record: AuditRecord) => record.outcome === 'BROADCAST' || record.outcome === 'FAILED';
const finalRecords = (id: string) =>
  audit().countDocuments({ pendingId: id, outcome: { $in: ['BROADCAST', 'FAILED'] } });

const loop = (over: Partial<SigningLoopOptions> = {}) => reconcilingEvmDevLoop(env, sandbox, evmRpcUrl, over);

/** The final audit records a "killed" runner never wrote (its insert fails; other records go through). */
function killedBeforeFinalRecords(): { fault: Fault; lost: AuditRecord[] } {
  const lost: AuditRecord[] = [];
  const fault: Fault = async (call, args) => {
    const records = args[0] as AuditRecord[];
    if (!records.some(isFinal)) return call();
    lost.push(...records.filter(isFinal));
    throw new Error('SIGKILL between the job update and its audit records');
  };
  return { fault, lost };
}

/** A healthy runner's pass a lease (100 ms) later: reconciliation copies what the jobs still carry. */
async function reconcileLater(): Promise<void> {
  await pause(150);
  await loop({ leaseMs: 100 }).runPass();
}

function finalEntry(id: string, runner: string, at: Date): Omit<AuditRecord, '_id'> {
  return {
    pendingId: id,
    chain: 'EVM_DEV',
    network: 'testnet',
    runner,
    wallets: ['wallet'],
    kmsKeyIds: [],
    decoded: null,
    digests: [],
    fourEye: null,
    policy: null,
    txId: `0x${id}`,
    rebroadcast: false,
    startedAt: at,
    outcome: 'BROADCAST',
    error: null,
    finishedAt: at,
  };
}

/** A BROADCAST job as a runner killed before its audit insert leaves it (its record still on the job). */
function finalJob(id: string, at: Date): SigningJobDoc {
  const record = { _id: finalAuditId(id), ...finalEntry(id, 'killed-runner', at) };
  return {
    _id: id,
    chain: 'EVM_DEV',
    network: 'testnet',
    state: 'BROADCAST',
    signatureIds: ['wallet'],
    attempts: 1,
    owner: 'killed-runner',
    fence: 1,
    policy: null,
    signed: '0x00',
    txId: record.txId,
    digests: [],
    kmsKeyIds: [],
    spend: [],
    signedAt: at,
    broadcastAt: at,
    broadcastAttempts: 1,
    error: null,
    finalAudit: record,
    createdAt: at,
    updatedAt: at,
  };
}

/** Claims `id` in `store` and starts its BROADCAST write with its final record (the promise of the write). */
async function broadcastWrite(store: JobStore, id: string, runner: string) {
  const claim = await store.claim(id, runner, {
    chain: 'EVM_DEV',
    network: 'testnet',
    signatureIds: ['wallet'],
  });
  if (!claim) throw new Error('not claimed');
  const entry = finalEntry(id, runner, new Date());
  return { done: store.update(claim, id, { state: 'BROADCAST', txId: entry.txId }, entry) };
}

const hexId = (n: number, tag: string) => `${tag}${n.toString(16).padStart(24 - tag.length, '0')}`;

describe('a runner killed between the final job writes and their audit records', () => {
  it('a whole batch (three broadcasts and a refusal): each job gets exactly the record its runner made', async () => {
    const wallets = await Promise.all(
      [0, 1, 2, 3].map((n) => fundedEvmWallet(env.service, rpc, `batch-${n}`)),
    );
    const ids = wallets
      .slice(0, 3)
      .map((w) => sandbox.enqueue(evmPending('EVM_DEV', w.signatureId, PAYLOAD)));
    const refused = sandbox.enqueue(
      evmPending('EVM_DEV', wallets[3]?.signatureId ?? '', '{"to":[1,2],"value":{"$gt":0}}'),
    );
    const { fault, lost } = killedBeforeFinalRecords();
    const killed = loop({
      db: faultyDb(env.db, { [SIGNING_AUDIT]: { insertMany: fault } }),
      transactionIds: [...ids, refused],
      concurrency: 4,
    });
    await killed.runPass();
    const all = [...ids, refused];
    const states = await jobs()
      .find({ _id: { $in: all } })
      .toArray();
    expect(states.map((j) => j.state).sort()).toEqual(['BROADCAST', 'BROADCAST', 'BROADCAST', 'FAILED']);
    expect(lost.map((r) => r.pendingId).sort()).toEqual([...all].sort());
    for (const id of all) expect(await finalRecords(id)).toBe(0);

    await reconcileLater();
    for (const record of lost) {
      expect(await finalRecords(record.pendingId)).toBe(1);
      // The record the runner made (its runner id, the decoded transaction, digests), not a reconstruction.
      expect(await audit().findOne({ _id: record._id })).toEqual(record);
    }
    expect(await jobs().countDocuments({ _id: { $in: all }, finalAudit: { $exists: true } })).toBe(0);
  });

  it('a give-up (retried too long): FAILED with its record', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'give-up');
    const id = sandbox.enqueue(evmPending('EVM_DEV', wallet.signatureId, PAYLOAD));
    const unreachable = { externalUrl: 'http://127.0.0.1:9/approve', transactionIds: [id] };
    await loop(unreachable).runPass();
    await pause(300);
    const { fault, lost } = killedBeforeFinalRecords();
    await loop({
      ...unreachable,
      db: faultyDb(env.db, { [SIGNING_AUDIT]: { insertMany: fault } }),
      reportRetriesAfterMs: 200,
    }).runPass();
    expect((await jobs().findOne({ _id: id }))?.state).toBe('FAILED');
    expect(lost.map((r) => [r.pendingId, r.outcome])).toEqual([[id, 'FAILED']]);
    expect(await finalRecords(id)).toBe(0);
    await reconcileLater();
    expect(await audit().findOne({ _id: finalAuditId(id) })).toEqual(lost[0]);
  });

  it('a SIGNED job settled by the look-up at reconciliation: BROADCAST with its record', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'look-up');
    const id = sandbox.enqueue(evmPending('EVM_DEV', wallet.signatureId, PAYLOAD));
    // Killed after Tatum accepted the broadcast, before BROADCAST was written: the job stays SIGNED.
    const first = await loop({
      transactionIds: [id],
      hooks: {
        afterBroadcast: () => {
          throw new Error('SIGKILL after the broadcast');
        },
      },
    }).runPass();
    expect(first.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await jobs().findOne({ _id: id }))?.state).toBe('SIGNED');
    await pause(150);
    const { fault, lost } = killedBeforeFinalRecords();
    const settled = await loop({
      db: faultyDb(env.db, { [SIGNING_AUDIT]: { insertMany: fault } }),
      leaseMs: 100,
    }).runPass();
    expect(settled.results.find((r) => r.id === id)).toMatchObject({ outcome: 'RETRY' });
    expect((await jobs().findOne({ _id: id }))?.state).toBe('BROADCAST');
    expect(lost.map((r) => [r.pendingId, r.outcome])).toEqual([[id, 'BROADCAST']]);
    await reconcileLater();
    expect(await audit().findOne({ _id: finalAuditId(id) })).toEqual(lost[0]);
  });
});

describe('a runner killed between its claim and the job insert', () => {
  it('leaves a claim without a job: the next runner creates the job and finishes it', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'claimed-only');
    const id = sandbox.enqueue(evmPending('EVM_DEV', wallet.signatureId, PAYLOAD));
    const killed = loop({
      transactionIds: [id],
      leaseMs: 100,
      db: faultyDb(env.db, {
        [SIGNING_JOBS]: { insertMany: () => Promise.reject(new Error('SIGKILL after the claim')) },
      }),
    });
    expect((await killed.runPass()).results).toContainEqual(
      expect.objectContaining({ id, outcome: 'RETRY' }),
    );
    expect(await jobs().findOne({ _id: id })).toBeNull();
    await pause(150); // the dead runner's claim expires
    const next = await loop({ transactionIds: [id], leaseMs: 100 }).runPass();
    expect(next.results).toContainEqual(expect.objectContaining({ id, outcome: 'BROADCAST' }));
    expect(await jobs().findOne({ _id: id })).toMatchObject({ state: 'BROADCAST', attempts: 1 });
    expect(await finalRecords(id)).toBe(1);
  });
});

describe('the reconciler finds every job still without its record', () => {
  it('a final write that landed after the reconciler had looked past its update time', async () => {
    const id = hexId(1, 'a1');
    const held = gate();
    const faults: Faults = {
      [SIGNING_JOBS]: {
        // A stalled connection: the update (its updatedAt taken before) is held on its way.
        bulkWrite: async (call) => {
          await held.wait;
          return call();
        },
      },
      [SIGNING_AUDIT]: { insertMany: killedBeforeFinalRecords().fault },
    };
    const store = new JobStore(faultyDb(env.db, faults), 60_000);
    const write = await broadcastWrite(store, id, 'stalled-runner');
    const repairer = loop({ leaseMs: 100 });
    await pause(150);
    await repairer.runPass(); // looks at everything final up to now - 100 ms: the job is still CLAIMED
    held.open();
    await expect(write.done).rejects.toThrow(/SIGKILL/);
    expect((await jobs().findOne({ _id: id }))?.state).toBe('BROADCAST');
    await pause(150);
    await repairer.runPass();
    expect(await finalRecords(id)).toBe(1);
    expect(await audit().findOne({ _id: finalAuditId(id) })).toMatchObject({ runner: 'stalled-runner' });
  });

  it('more final jobs with one update time than a page holds (501)', async () => {
    // What 501 killed writes of one batch leave behind, written directly (FerretDB takes minutes to update
    // 501 jobs one by one), in a database of their own (nothing else in the reconciler's pages).
    const db = env.mongo.db(`${env.db.databaseName}_page`);
    try {
      const at = new Date(Date.now() - 1000);
      const ids = Array.from({ length: 501 }, (_, n) => hexId(n, 'b2'));
      await db.collection<SigningJobDoc>(SIGNING_JOBS).insertMany(ids.map((id) => finalJob(id, at)));
      const repairer = loop({ db, leaseMs: 100 });
      for (let pass = 0; pass < 3; pass++) await repairer.runPass();
      const records = db.collection<AuditRecord>(SIGNING_AUDIT);
      expect(await records.countDocuments({ pendingId: { $in: ids }, outcome: 'BROADCAST' })).toBe(501);
    } finally {
      await db.dropDatabase();
    }
  });

  it('a repair racing the live writer: one record, the live insert dropped as a duplicate', async () => {
    const id = hexId(3, 'c3');
    const held = gate();
    const store = new JobStore(
      faultyDb(env.db, {
        // The runner's audit insert stalls (not killed): the repair copies the record first.
        [SIGNING_AUDIT]: {
          insertMany: async (call) => {
            await held.wait;
            return call();
          },
        },
      }),
      60_000,
    );
    const write = await broadcastWrite(store, id, 'slow-runner');
    await pause(150);
    await loop({ leaseMs: 100 }).runPass();
    expect(await finalRecords(id)).toBe(1);
    held.open();
    await expect(write.done).resolves.toMatchObject({ state: 'BROADCAST' });
    expect(await finalRecords(id)).toBe(1);
    expect(await audit().findOne({ _id: finalAuditId(id) })).toMatchObject({ runner: 'slow-runner' });
  });
});

describe('a job write batch whose audit insert fails', () => {
  it('fails only the writes that carried a record: a SIGNED write in the same batch stands', async () => {
    const at = new Date();
    const [signedId, failedId] = [0, 1].map(() => randomBytes(12).toString('hex')) as [string, string];
    const claimed = (id: string) =>
      ({ ...finalJob(id, at), state: 'CLAIMED', fence: 1, finalAudit: undefined }) as SigningJobDoc;
    await jobs().insertMany([claimed(signedId), claimed(failedId)]);
    const writer = new JobWriter(
      faultyDb(env.db, {
        [SIGNING_AUDIT]: {
          insertMany: () => Promise.reject(new Error('connection reset during the audit insert')),
        },
      }),
      { windowMs: 5_000, maxBatch: 10, maxInFlight: 1, flushNow: (queued) => queued >= 2 },
    );
    const bytes: SignedTransactionDoc = {
      _id: signedId,
      signed: '0x02f8',
      txId: `0x${signedId}`,
      digests: [],
      kmsKeyIds: [],
      generation: 1,
      owner: 'runner',
      signedAt: at,
    };
    const failedRecord: AuditRecord = {
      _id: finalAuditId(failedId),
      ...finalEntry(failedId, 'runner', at),
      outcome: 'FAILED',
      error: 'refused by policy',
    };
    const [signed, failed] = await Promise.allSettled([
      writer.write({ id: signedId, generation: 1, set: { state: 'SIGNED' }, bytes }),
      writer.write({ id: failedId, generation: 1, set: { state: 'FAILED' }, audit: failedRecord }),
    ]);
    expect(signed.status).toBe('fulfilled');
    expect(failed.status).toBe('rejected');
    expect((await jobs().findOne({ _id: signedId }))?.state).toBe('SIGNED');
    const failedJob = await jobs().findOne({ _id: failedId });
    expect(failedJob?.state).toBe('FAILED');
    expect(failedJob?.finalAudit?._id).toBe(finalAuditId(failedId)); // for the reconciler to copy
  });
});

// The repair selects the jobs still carrying their record by a top-level flag, `carriesAudit` — an equality
// FerretDB 1.24 hands to PostgreSQL, where the record's nested finish time made it read every job of the
// collection — and looks for records carried without it (jobs finished by versions before the flag; finalJob
// above) only at a runner's first reconciliation and hourly after (audit-repair.ts, loop.ts).
describe('the carriesAudit flag', () => {
  it('is written with the carried record by the final write, and removed with it by the repair', async () => {
    const id = hexId(4, 'd4');
    const faults: Faults = {
      [SIGNING_AUDIT]: { insertMany: () => Promise.reject(new Error('SIGKILL before the audit insert')) },
    };
    const write = await broadcastWrite(new JobStore(faultyDb(env.db, faults), 60_000), id, 'killed-runner');
    await expect(write.done).rejects.toThrow(/SIGKILL/);
    expect(await jobs().findOne({ _id: id })).toMatchObject({
      state: 'BROADCAST',
      carriesAudit: true,
      finalAudit: { _id: finalAuditId(id) },
    });
    expect(await finalRecords(id)).toBe(0);
    await reconcileLater();
    expect(await audit().findOne({ _id: finalAuditId(id) })).toMatchObject({ runner: 'killed-runner' });
    const repaired = await jobs().findOne({ _id: id });
    expect(repaired?.state).toBe('BROADCAST');
    expect(repaired).not.toHaveProperty('carriesAudit');
    expect(repaired).not.toHaveProperty('finalAudit');
  });

  it('flagged records are repaired at every reconciliation, unflagged ones at a runner’s first', async () => {
    const repairer = loop({ leaseMs: 100 });
    await repairer.runPass(); // its first reconciliation, which also looks for unflagged records
    const at = new Date(Date.now() - 1000);
    const [flaggedId, unflaggedId] = [hexId(5, 'e5'), hexId(6, 'e6')];
    const flagged = finalJob(flaggedId, at);
    const record = flagged.finalAudit as AuditRecord;
    await jobs().insertMany([
      { ...flagged, finalAudit: carryAudit(record), carriesAudit: true },
      finalJob(unflaggedId, at),
    ]);
    await pause(150);
    await repairer.runPass();
    expect(await audit().findOne({ _id: finalAuditId(flaggedId) })).toEqual(record);
    expect(await finalRecords(unflaggedId)).toBe(0);

    await loop({ leaseMs: 100 }).runPass(); // another runner's first reconciliation
    expect(await finalRecords(unflaggedId)).toBe(1);
    const still = await jobs().countDocuments({
      _id: { $in: [flaggedId, unflaggedId] },
      finalAudit: { $exists: true },
    });
    expect(still).toBe(0);
  });
});
