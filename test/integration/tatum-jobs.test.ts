// The job store and its claims on FerretDB, command by command: claims are looked up and written by
// _id alone (the only filter FerretDB 1.24 pushes down), a new job costs one insert per collection, the
// lease is renewed only once half of it has gone, and the job document the holder keeps is the stored one.
import { MongoClient, type CommandStartedEvent, type Db, type Document } from 'mongodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ClaimStore } from '../../src/db/index.js';
import { LeaseLostError } from '../../src/tatum/errors.js';
import { JobStore, SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { stackEndpoints } from '../support/stack.js';
import { randomSuffix } from '../support/wallets.js';

const LEASE_MS = 60_000;
const INIT = { chain: 'ETH', network: 'testnet', signatureIds: ['wallet-a'] };

let mongo: MongoClient;
let db: Db;
/** Commands this file's client sent, as "<command> <collection>" with the filter of a find or update. */
let commands: { name: string; filter: Document | undefined }[] = [];
let now = Date.parse('2026-01-01T00:00:00Z');
const clock = () => new Date(now);

function record(event: CommandStartedEvent): void {
  const collection: unknown = event.command[event.commandName];
  if (typeof collection !== 'string') return;
  const updates = event.command.updates as { q: Document }[] | undefined;
  const filter = (event.command.filter as Document | undefined) ?? updates?.[0]?.q;
  commands.push({ name: `${event.commandName} ${collection}`, filter });
}

/** Runs `work` and returns what it returned with the commands it sent. */
async function counted<T>(work: () => Promise<T>): Promise<{ value: T; sent: typeof commands }> {
  const sent: typeof commands = [];
  commands = sent;
  try {
    return { value: await work(), sent };
  } finally {
    commands = [];
  }
}

const stored = (id: string) => db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });

beforeAll(async () => {
  mongo = await MongoClient.connect(stackEndpoints().mongoUri, { monitorCommands: true });
  mongo.on('commandStarted', record);
  db = mongo.db(`jobs_${randomSuffix()}`);
});
afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});
beforeEach(() => {
  now += 3_600_000; // every test starts with all earlier leases long expired
});

describe('ClaimStore by _id', () => {
  it('claims a new name with one insert, and finds the latest of many generations by _id lookups only', async () => {
    const claims = new ClaimStore(db, clock);
    const name = `name-${randomSuffix()}`;
    const first = await counted(() => claims.acquire(name, 'a', LEASE_MS));
    expect(first.value).toMatchObject({ generation: 1, owner: 'a' });
    expect(first.sent.map((c) => c.name)).toEqual(['insert claims']);
    expect(await claims.acquire(name, 'b', LEASE_MS)).toBeNull();
    if (first.value) await claims.release(first.value);

    for (let generation = 2; generation <= 20; generation++) {
      const { value, sent } = await counted(() => claims.acquire(name, `owner-${generation}`, LEASE_MS));
      expect(value).toMatchObject({ generation, owner: `owner-${generation}` });
      expect((await claims.holder(name))?.generation).toBe(generation);
      // A failed insert of generation 1, a doubling-then-bisecting search, the insert.
      expect(sent.length).toBeLessThanOrEqual(2 * Math.ceil(Math.log2(generation)) + 3);
      const release = await counted(() => (value ? claims.release(value) : Promise.resolve()));
      for (const command of [...sent, ...release.sent].filter((c) => c.filter)) {
        expect(Object.keys(command.filter ?? {})).toEqual(['_id']);
        expect(typeof command.filter?._id).toBe('string');
      }
    }
    expect(await claims.holder(name)).toBeNull();
  });

  it('renewIfDue: nothing sent while more than half the lease remains; renews past half; false once taken over', async () => {
    const claims = new ClaimStore(db, clock);
    const name = `lease-${randomSuffix()}`;
    const claim = await claims.acquire(name, 'holder', LEASE_MS);
    if (!claim) throw new Error('not acquired');
    const acquiredUntil = claim.until.getTime();

    now += LEASE_MS / 2 - 1_000;
    const fresh = await counted(() => claims.renewIfDue(claim, LEASE_MS));
    expect(fresh).toEqual({ value: true, sent: [] });
    expect(claim.until.getTime()).toBe(acquiredUntil);

    now += 2_000; // less than half left
    const due = await counted(() => claims.renewIfDue(claim, LEASE_MS));
    expect(due.value).toBe(true);
    expect(due.sent.map((c) => c.name)).toEqual(['find claims', 'update claims']);
    expect(claim.until.getTime()).toBe(now + LEASE_MS);
    expect((await claims.holder(name))?.until.getTime()).toBe(now + LEASE_MS);

    now += LEASE_MS + 1; // the holder stalls past its lease and another runner takes the name
    expect(await claims.acquire(name, 'successor', LEASE_MS)).toMatchObject({ generation: 2 });
    expect(await claims.renewIfDue(claim, LEASE_MS)).toBe(false);
    expect((await claims.holder(name))?.owner).toBe('successor');
  });
});

describe('JobStore', () => {
  it('a new job: one insert per collection, the held document is the stored one after every write', async () => {
    const jobs = new JobStore(db, LEASE_MS, clock);
    const id = `job-${randomSuffix()}`;
    const claimed = await counted(() => jobs.claim(id, 'runner-a', INIT));
    const held = claimed.value;
    if (!held) throw new Error('not claimed');
    expect(claimed.sent.map((c) => c.name)).toEqual(['insert claims', `insert ${SIGNING_JOBS}`]);
    expect(held.job).toMatchObject({ state: 'CLAIMED', attempts: 1, owner: 'runner-a' });
    expect(held.job).toEqual(await stored(id));

    now += 1_000;
    const policy = { allowed: true, reasons: [], transfers: [], policy: false };
    const first = await counted(() => jobs.update(held, id, { policy }));
    expect(first.sent.map((c) => c.name)).toEqual([`update ${SIGNING_JOBS}`]);
    expect(first.value).toBe(held.job);
    expect(held.job).toEqual(await stored(id));

    now += 1_000;
    await jobs.update(held, id, { state: 'SIGNED', signed: '0xbytes', txId: '0xtx', signedAt: clock() });
    expect(held.job).toEqual(await stored(id));
    expect(held.job).toMatchObject({ state: 'SIGNED', signed: '0xbytes', policy });
  });

  it('a runner killed between the claim insert and the job insert: the next runner creates the job', async () => {
    const jobs = new JobStore(db, LEASE_MS, clock);
    const id = `job-${randomSuffix()}`;
    // The dead runner's claim (generation 1) is all it wrote; its job document never was.
    await new ClaimStore(db, clock).acquire(`signing-job:${id}`, 'runner-dead', LEASE_MS);
    now += LEASE_MS + 1;
    const held = await jobs.claim(id, 'runner-b', INIT);
    expect(held?.claim.generation).toBe(2);
    expect(held?.job).toMatchObject({ state: 'CLAIMED', owner: 'runner-b', fence: 2, ...INIT });
    expect(held?.job).toEqual(await stored(id));
    // Held like any job: its writes go through under the new claim.
    now += 1_000;
    if (held) await jobs.update(held, id, { error: 'still ours' });
    expect(await stored(id)).toMatchObject({ owner: 'runner-b', error: 'still ours' });
  });

  it('renews the lease before a write once half of it has gone, and refuses to write once it was lost', async () => {
    const jobs = new JobStore(db, LEASE_MS, clock);
    const id = `job-${randomSuffix()}`;
    const held = await jobs.claim(id, 'runner-a', INIT);
    if (!held) throw new Error('not claimed');

    now += LEASE_MS / 2 + 1_000;
    const renewing = await counted(() => jobs.update(held, id, { error: 'kms busy' }));
    expect(renewing.sent.map((c) => c.name)).toEqual([
      'find claims',
      'update claims',
      `update ${SIGNING_JOBS}`,
    ]);
    expect(held.claim.until.getTime()).toBe(now + LEASE_MS);

    // Stalled past the lease; another runner takes the job over and signs it.
    now += LEASE_MS + 1;
    const other = new JobStore(db, LEASE_MS, clock);
    const successor = await other.claim(id, 'runner-b', INIT);
    expect(successor?.job).toMatchObject({ attempts: 2, owner: 'runner-b', error: 'kms busy' });
    if (!successor) throw new Error('not taken over');
    await other.update(successor, id, { state: 'SIGNED', signed: '0xsuccessor' });

    await expect(jobs.update(held, id, { state: 'SIGNED', signed: '0xstale' })).rejects.toBeInstanceOf(
      LeaseLostError,
    );
    expect(await stored(id)).toMatchObject({ state: 'SIGNED', signed: '0xsuccessor', owner: 'runner-b' });
  });

  it('one of many racing runners claims a new job; a retried job is released, a finished one left to lapse', async () => {
    const stores = Array.from({ length: 6 }, () => new JobStore(db, LEASE_MS, clock));
    const id = `job-${randomSuffix()}`;
    const raced = await Promise.all(stores.map((s, n) => s.claim(id, `runner-${n}`, INIT)));
    const winners = raced.filter((held) => held !== null);
    expect(winners).toHaveLength(1);
    const [held] = winners;
    if (!held) throw new Error('no winner');

    await stores[0]?.update(held, id, { error: 'broadcast failed: 503' });
    const released = await counted(() => stores[0]?.release(held) ?? Promise.resolve());
    expect(released.sent.map((c) => c.name)).toEqual(['update claims']);

    const retry = await stores[1]?.claim(id, 'runner-retry', INIT);
    if (!retry) throw new Error('not re-claimed');
    expect(retry.job).toMatchObject({ attempts: 2, owner: 'runner-retry', error: 'broadcast failed: 503' });
    await stores[1]?.update(retry, id, { state: 'BROADCAST', broadcastAt: clock(), error: null });
    const finished = await counted(() => stores[1]?.release(retry) ?? Promise.resolve());
    expect(finished.sent).toEqual([]);
    expect(await stores[2]?.claim(id, 'late-runner', INIT)).toBeNull(); // BUSY until the lease lapses
    now += LEASE_MS + 1;
    expect((await stores[2]?.claim(id, 'late-runner', INIT))?.job.state).toBe('BROADCAST');
  });
});
