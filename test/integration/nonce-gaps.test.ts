// Nonce gaps under crashes (issue 12), on FerretDB and anvil: two runners' nonce ledgers share one
// database and read the wallet's pending count from the node; transactions are signed by a test key and
// handed to anvil, which mines a nonce only once every lower one is there. A runner that dies after
// reserving a nonce must not leave a gap the wallet's later transactions wait behind forever:
// - its job's retry, on a runner whose cursor is fresh and already past the lapsed nonce, takes it;
// - a retry that comes while its own earlier claim is still live takes that nonce back;
// - a nonce given back by give-up goes to the next reservation in the same process at once;
// - a nonce no job holds any more is reported by the reconciler's gap check (nonce-gap log line).
// Each case fails on the ledger before the fix (a cursor walked on past the gap).
import { randomBytes } from 'node:crypto';
import { Wallet } from 'ethers';
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ChainViews } from '../../src/chain-view/index.js';
import { runMigrations } from '../../src/db/index.js';
import type { JobContext } from '../../src/tatum/job.js';
import type { SigningJobDoc } from '../../src/tatum/jobs.js';
import { reportNonceGap } from '../../src/tatum/nonce-gaps.js';
import { NonceLedger, type NonceScope } from '../../src/tatum/nonce-ledger.js';
import { EvmRpc, hexQuantity } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';

const LEASE_MS = 10_000; // the daemon's minimum lease (the chaos test's)
const START = Date.parse('2026-01-01T00:00:00Z');

let mongo: MongoClient;
let db: Db;
let rpc: EvmRpc;
let anvilUrl: string;
let chainId: bigint;

beforeAll(async () => {
  mongo = await MongoClient.connect(stackEndpoints().mongoUri, { serverSelectionTimeoutMS: 5_000 });
  db = mongo.db(`nonce_gaps_${randomBytes(6).toString('hex')}`);
  await runMigrations(db);
  anvilUrl = stackEndpoints().evmRpcUrl;
  rpc = new EvmRpc(anvilUrl);
  chainId = await rpc.call('eth_chainId', [], hexQuantity);
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

/** A funded wallet of its own on the shared anvil, two runners' ledgers on one clock the test moves. */
async function setup() {
  const key = Wallet.createRandom();
  await rpc.setBalance(key.address, 10n ** 20n);
  const scope: NonceScope = { chain: 'EVM_DEV', network: 'testnet', address: key.address.toLowerCase() };
  const time = { ms: 0 };
  const runner = () => new NonceLedger(db, LEASE_MS, () => new Date(START + time.ms), { now: () => time.ms });
  const count = (block: 'latest' | 'pending') =>
    rpc.call('eth_getTransactionCount', [key.address, block], hexQuantity);
  const floorReads = { count: 0 };
  const readFloor = () => {
    floorReads.count++;
    return count('pending');
  };
  const gasPrice = await rpc.gasPrice();
  /** What a job does after reserving: mark the nonce used, sign, hand the bytes to the node. */
  const signAndSend = async (ledger: NonceLedger, jobId: string, nonce: bigint) => {
    await ledger.markUsed(scope, nonce, jobId);
    const signed = await key.signTransaction({
      type: 0,
      chainId,
      nonce: Number(nonce),
      to: '0x8ba1f109551bd432803012645ac136ddd64dba72',
      value: 1n,
      gasLimit: 21_000n,
      gasPrice: gasPrice * 2n,
    });
    await rpc.call('eth_sendRawTransaction', [signed], z.string());
    return signed;
  };
  /** A job's whole way: reserve, sign, send; the nonce it got. */
  const reserveAndSend = async (ledger: NonceLedger, jobId: string): Promise<bigint> => {
    const { nonce } = await ledger.reserve(scope, jobId, readFloor);
    await signAndSend(ledger, jobId, nonce);
    return nonce;
  };
  /** Jobs 0…2 signed and mined by runner `a`. */
  const firstThree = async (a: NonceLedger) => {
    for (const job of ['j0', 'j1', 'j2']) await reserveAndSend(a, job);
    // anvil may mine a moment after accepting the third (it did in CI): poll rather than read once
    expect(await minedCount(count, 3n)).toBe(3n);
  };
  return { key, scope, time, runner, count, readFloor, floorReads, signAndSend, reserveAndSend, firstThree };
}

/** Polls until anvil has mined `expected` transactions of the wallet (or gives its count after 5 s). */
async function minedCount(count: (block: 'latest') => Promise<bigint>, expected: bigint): Promise<bigint> {
  let mined = await count('latest');
  for (let i = 0; i < 50 && mined < expected; i++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    mined = await count('latest');
  }
  return mined;
}

describe('nonce gaps under crashes', () => {
  it("a crashed job's lapsed nonce, below another runner's fresh cursor, goes to its retry", async () => {
    const t = await setup();
    const a = t.runner();
    const b = t.runner();
    await t.firstThree(a);
    // Runner a reserves 3 for j3 and is SIGKILLed: its claim lapses with the lease (10 s).
    expect((await a.reserve(t.scope, 'j3', t.readFloor)).nonce).toBe(3n);
    // 9 s later runner b reads the floor (3: the node has 0…2) and walks past the still-live claim.
    t.time.ms = 9_000;
    expect([await t.reserveAndSend(b, 'j4'), await t.reserveAndSend(b, 'j5')]).toEqual([4n, 5n]);
    expect(await t.count('latest')).toBe(3n); // 4 and 5 wait for 3
    // 11 s: j3's claim has lapsed, b's floor is 2 s old. j3 comes back as a retry on runner b.
    t.time.ms = 11_000;
    const reads = t.floorReads.count;
    const retried = await b.reserve(t.scope, 'j3', t.readFloor, { retry: true });
    expect(retried.nonce).toBe(3n);
    expect(t.floorReads.count).toBe(reads); // walked from b's recent floor: no extra RPC call
    await t.signAndSend(b, 'j3', retried.nonce);
    expect(await minedCount(t.count, 6n)).toBe(6n);
  });

  it('a retry that comes while its own earlier claim is still live takes that nonce back', async () => {
    const t = await setup();
    const a = t.runner();
    const b = t.runner();
    await t.firstThree(a);
    expect((await a.reserve(t.scope, 'j3', t.readFloor)).nonce).toBe(3n);
    // Runner b took the job over (job lease over) a moment before the nonce's claim ran out.
    t.time.ms = LEASE_MS - 50;
    const retried = await b.reserve(t.scope, 'j3', t.readFloor, { retry: true });
    expect(retried.nonce).toBe(3n);
    await t.signAndSend(b, 'j3', 3n);
    expect([await t.reserveAndSend(b, 'j4'), await t.reserveAndSend(b, 'j5')]).toEqual([4n, 5n]);
    expect(await minedCount(t.count, 6n)).toBe(6n);
  });

  it('a nonce given back by give-up goes to the next reservation of that process at once', async () => {
    const t = await setup();
    const b = t.runner();
    await t.firstThree(b);
    // j3 marked 3 used, then its runner died mid-KMS; j4 and j5 were signed and sent meanwhile.
    const j3 = await b.reserve(t.scope, 'j3', t.readFloor);
    await b.markUsed(t.scope, j3.nonce, 'j3');
    expect(await t.reserveAndSend(b, 'j4')).toBe(4n);
    // An hour on (j3's claim long lapsed; its used record holds 3), j5 reads a fresh floor and is sent...
    t.time.ms = 3_600_000;
    expect(await t.reserveAndSend(b, 'j5')).toBe(5n);
    // ...then j3 (never signed) is given up: nothing with nonce 3 can be broadcast any more.
    await b.releaseJob('j3');
    expect(await b.unheld(t.scope, 3n, 6n)).toEqual([3n]);
    const next = await b.reserve(t.scope, 'j6', t.readFloor);
    expect(next.nonce).toBe(3n);
    await t.signAndSend(b, 'j6', next.nonce);
    expect(await minedCount(t.count, 6n)).toBe(6n);
  });

  it('the reconciler reports a gap no job holds (nonce-gap), and stays quiet while a job holds it', async () => {
    const t = await setup();
    const a = t.runner();
    await t.firstThree(a);
    const j3 = await a.reserve(t.scope, 'j3', t.readFloor);
    const { nonce } = await a.reserve(t.scope, 'j4', t.readFloor);
    const signed = await t.signAndSend(a, 'j4', nonce);
    const lines: Record<string, unknown>[] = [];
    const ctx = {
      network: 'testnet',
      nonces: a,
      chainViews: new ChainViews({
        network: 'testnet',
        env: { KMS_SIGNER_RPC_EVM_DEV: anvilUrl },
        retries: 0,
      }),
      log: (entry: Record<string, unknown>) => lines.push(entry),
    } as unknown as JobContext;
    const job = { _id: 'j4', chain: 'EVM_DEV', signed } as SigningJobDoc;
    // j3 still holds 3 (its job is in flight): no gap.
    expect(await reportNonceGap(ctx, job)).toEqual([]);
    // j3 fails before signing (policy denied): 3 is free, and no job is left to take it.
    await a.release(j3);
    expect(await reportNonceGap(ctx, job)).toEqual([3n]);
    expect(lines).toEqual([
      {
        event: 'nonce-gap',
        id: 'j4',
        chain: 'EVM_DEV',
        address: t.scope.address,
        nonce: '4',
        confirmed: '3',
        missing: ['3'],
      },
    ]);
  });
});
