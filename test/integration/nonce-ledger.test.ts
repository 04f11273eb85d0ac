// The nonce ledger on FerretDB: the node's pending count is read once per wallet per floor TTL, not per
// reservation; consecutive reservations walk on from a cursor (no walk over every nonce in flight);
// nonces given back are handed out first; a gap another runner left is found when the floor is read
// again; an exhausted look-ahead reads the floor again before giving up.
import { randomBytes } from 'node:crypto';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runMigrations } from '../../src/db/index.js';
import { NonceLedger, type NonceScope } from '../../src/tatum/nonce-ledger.js';
import { stackEndpoints } from '../support/stack.js';

let mongo: MongoClient;
let db: Db;
const LEASE_MS = 60_000;

beforeAll(async () => {
  mongo = await MongoClient.connect(stackEndpoints().mongoUri, {
    serverSelectionTimeoutMS: 5_000,
    monitorCommands: true,
  });
  db = mongo.db(`nonces_${randomBytes(6).toString('hex')}`);
  await runMigrations(db);
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

const scope = (): NonceScope => ({
  chain: 'EVM_DEV',
  network: 'testnet',
  address: `0x${randomBytes(20).toString('hex')}`,
});

/** A node whose pending count the test sets; counts how often it is asked. */
function node(initial: bigint) {
  const state = { pending: initial, reads: 0 };
  return {
    state,
    readFloor: () => {
      state.reads++;
      return Promise.resolve(state.pending);
    },
  };
}

/** A ledger whose floor TTL runs on a clock the test moves. */
function ledger(floorTtlMs = 3_000) {
  const time = { now: 0 };
  const instance = new NonceLedger(db, LEASE_MS, undefined, { floorTtlMs, now: () => time.now });
  return { ledger: instance, time };
}

describe('nonce ledger', () => {
  it('20 concurrent reservations of one wallet: 0…19 once each, one pending-count read, 2 commands each', async () => {
    const wallet = scope();
    const chain = node(0n);
    const { ledger: nonces } = ledger();
    let commands = 0;
    const count = () => commands++;
    mongo.on('commandStarted', count);
    const reserved = await Promise.all(
      Array.from({ length: 20 }, (_, i) => nonces.reserve(wallet, `job-${i}`, chain.readFloor)),
    ).finally(() => mongo.off('commandStarted', count));
    // One used-nonce lookup and one claim insert per reservation: no walk over the nonces in flight.
    expect(commands).toBe(40);
    expect(reserved.map((r) => r.nonce).sort((a, b) => Number(a - b))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    );
    expect(chain.state.reads).toBe(1);
    expect(reserved.every((r) => r.floor === 0n)).toBe(true);
  });

  it('a nonce given back goes to the next reservation; a used one never comes back', async () => {
    const wallet = scope();
    const chain = node(5n);
    const { ledger: nonces } = ledger();
    const first = await nonces.reserve(wallet, 'a', chain.readFloor);
    const second = await nonces.reserve(wallet, 'b', chain.readFloor);
    await nonces.markUsed(wallet, first.nonce, 'a');
    expect([first.nonce, second.nonce]).toEqual([5n, 6n]);
    await nonces.release(second);
    expect((await nonces.reserve(wallet, 'c', chain.readFloor)).nonce).toBe(6n);
    expect((await nonces.reserve(wallet, 'd', chain.readFloor)).nonce).toBe(7n);
    expect(chain.state.reads).toBe(1);
  });

  it("another runner's given-back nonce is found once the pending count is read again", async () => {
    const wallet = scope();
    const chain = node(0n);
    const a = ledger(3_000);
    const b = ledger(3_000);
    const ofA = await a.ledger.reserve(wallet, 'a0', chain.readFloor);
    const ofB = await b.ledger.reserve(wallet, 'b0', chain.readFloor);
    const nextOfA = await a.ledger.reserve(wallet, 'a1', chain.readFloor);
    expect([ofA.nonce, ofB.nonce, nextOfA.nonce]).toEqual([0n, 1n, 2n]);
    await b.ledger.release(ofB); // runner b's job failed before signing
    // Runner a's cursor is past 1 and its floor is fresh: it walks on (the gap waits a moment)...
    expect((await a.ledger.reserve(wallet, 'a2', chain.readFloor)).nonce).toBe(3n);
    // ...until its floor is due: the node stops at the gap (pending count 1), and the walk starts there.
    chain.state.pending = 1n;
    a.time.now += 3_000;
    const refilled = await a.ledger.reserve(wallet, 'a3', chain.readFloor);
    expect(refilled.nonce).toBe(1n);
    expect(refilled.floor).toBe(1n);
  });

  it("a retry may reuse its nonce unless another job signed with it after this job's reservation lapsed", async () => {
    const wallet = scope();
    const chain = node(0n);
    const { ledger: nonces } = ledger();
    const mine = await nonces.reserve(wallet, 'mine', chain.readFloor);
    await nonces.markUsed(wallet, mine.nonce, 'mine');
    expect(await nonces.usableBy(wallet, mine.nonce, 'mine')).toBe(true);
    expect(await nonces.usableBy(wallet, 1n, 'mine')).toBe(true); // nobody signed with 1
    await nonces.markUsed(wallet, 1n, 'other');
    expect(await nonces.usableBy(wallet, 1n, 'mine')).toBe(false);
  });

  it('an exhausted look-ahead reads the pending count again before giving up', async () => {
    const wallet = scope();
    const chain = node(0n);
    const { ledger: nonces } = ledger(60_000);
    const first = await nonces.reserve(wallet, 'first', chain.readFloor);
    await nonces.markUsed(wallet, first.nonce, 'first');
    // Other runners signed 1…255 meanwhile (the ledger looks 256 nonces above the floor).
    for (let n = 1n; n < 256n; n++) await nonces.markUsed(wallet, n, `other-${n}`);
    chain.state.pending = 256n;
    const next = await nonces.reserve(wallet, 'next', chain.readFloor);
    expect(next.nonce).toBe(256n);
    expect(next.floor).toBe(256n);
    expect(chain.state.reads).toBe(2);
  });
});
