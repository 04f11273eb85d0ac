// Migrations on FerretDB: idempotent, safe when processes start at once, a crashed runner's claim is
// taken over; what the server supports is recorded; CREATING placeholders never collide.
import { MongoClient, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClaimStore, MIGRATIONS, runMigrations, type WalletDoc } from '../../src/db/index.js';
import { newWalletDoc } from '../../src/wallets/create.js';
import { stackEndpoints } from '../support/stack.js';
import { randomSuffix } from '../support/wallets.js';

let mongo: MongoClient;
const dbs: Db[] = [];
const VERSIONS = MIGRATIONS.map((m) => m.version);
const freshDb = () => {
  const db = mongo.db(`wallets_${randomSuffix()}`);
  dbs.push(db);
  return db;
};

beforeAll(async () => {
  mongo = await MongoClient.connect(stackEndpoints().mongoUri);
});
afterAll(async () => {
  for (const db of dbs) await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

describe('runMigrations', () => {
  it('applies every version once, records what the server supports, and is a no-op the second time', async () => {
    const db = freshDb();
    const first = await runMigrations(db);
    expect(first.applied).toEqual([1, 2, 3, 4, 5]);
    // FerretDB 1.24 refuses $jsonSchema validators (NotImplemented); validation is done by the app.
    expect(first.results[1]).toMatchObject({ serverValidator: 'unsupported', applicationValidation: 'zod' });
    const second = await runMigrations(db);
    expect(second).toMatchObject({ applied: [], alreadyDone: VERSIONS });

    const names = (await db.collection('wallets').listIndexes().toArray()).map(
      (i: { name?: unknown }) => i.name,
    );
    expect(names).toEqual(
      expect.arrayContaining([
        'signatureId_unique',
        'kmsKeyId_unique',
        'chain_network_address_unique',
        'chain_network_status_signatureId', // the signing loop's listing (version 3)
      ]),
    );
    const keyIndexes = await db.collection('wallet_keys').listIndexes().toArray();
    expect(keyIndexes.find((i: { name?: unknown }) => i.name === 'signatureId_index_unique')).toMatchObject({
      unique: true,
    });
    const jobIndexes = await db.collection('signing_jobs').listIndexes().toArray();
    expect(jobIndexes.find((i: { name?: unknown }) => i.name === 'signatureIds_signedAt')).toMatchObject({
      key: { signatureIds: 1, signedAt: 1 },
    });
    // The reconciler's look-ups of jobs still carrying their final audit record or unreported (version 5).
    expect(jobIndexes.map((i: { name?: unknown }) => i.name)).toEqual(
      expect.arrayContaining(['finalAudit_finishedAt', 'unreported_updatedAt']),
    );
  });

  it('upgrades a database migrated before version 3: only the signing loop, spend and repair indexes are added', async () => {
    const db = freshDb();
    expect((await runMigrations(db, { migrations: MIGRATIONS.slice(0, 2) })).applied).toEqual([1, 2]);
    const upgrade = await runMigrations(db);
    expect(upgrade).toMatchObject({ applied: [3, 4, 5], alreadyDone: [1, 2] });
    expect(upgrade.results[3]).toEqual({ indexes: ['wallets.chain_network_status_signatureId'] });
    expect(upgrade.results[4]).toEqual({ indexes: ['signing_jobs.signatureIds_signedAt'] });
    expect(upgrade.results[5]).toEqual({
      indexes: ['signing_jobs.finalAudit_finishedAt', 'signing_jobs.unreported_updatedAt'],
    });
  });

  it('runs each version exactly once when four processes start together', async () => {
    const db = freshDb();
    const runs = await Promise.all([0, 1, 2, 3].map(() => runMigrations(db)));
    for (const version of MIGRATIONS.map((m) => m.version)) {
      expect(runs.filter((r) => r.applied.includes(version))).toHaveLength(1);
    }
    expect(await db.collection('migrations').countDocuments()).toBe(MIGRATIONS.length);
  });

  it('takes over a version whose runner died (its claim expired)', async () => {
    const db = freshDb();
    const dead = await new ClaimStore(db).acquire('migration:1', 'crashed-process', 300);
    expect(dead).not.toBeNull();
    const started = Date.now();
    const result = await runMigrations(db, { leaseMs: 5_000 });
    expect(result.applied).toEqual(VERSIONS);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });
});

describe('unique indexes with CREATING placeholders', () => {
  it('lets many keyless records coexist and still refuses real duplicates', async () => {
    const db = freshDb();
    await runMigrations(db);
    const wallets = db.collection<WalletDoc>('wallets');
    const input = {
      userId: 'u',
      chain: 'ETH' as const,
      asset: 'ETH',
      network: 'mainnet' as const,
      label: null,
      index: null,
    };
    const ids = ['11111111-1111-4111-8111-111111111111', '22222222-2222-4222-8222-222222222222'];
    for (const id of ids) await wallets.insertOne(newWalletDoc(id, input, new Date(), {}));
    expect(await wallets.countDocuments({ status: 'CREATING' })).toBe(2);

    const third = newWalletDoc('33333333-3333-4333-8333-333333333333', input, new Date(), {});
    await expect(wallets.insertOne({ ...third, kmsKeyId: `pending:${ids[0]!}` })).rejects.toMatchObject({
      code: 11000,
    });
    await expect(wallets.insertOne({ ...third, address: `pending:${ids[1]!}` })).rejects.toMatchObject({
      code: 11000,
    });
  });
});

describe('claims (the mutual exclusion FerretDB gets right)', () => {
  it('gives a name to exactly one of many concurrent contenders, and again after release or expiry', async () => {
    const db = freshDb();
    const clients = await Promise.all([0, 1, 2, 3].map(() => MongoClient.connect(stackEndpoints().mongoUri)));
    try {
      const stores = clients.map((c) => new ClaimStore(c.db(db.databaseName)));
      for (let round = 0; round < 10; round++) {
        const name = `round-${round}`;
        const first = await Promise.all(
          stores.flatMap((s, i) => [0, 1].map((j) => s.acquire(name, `${i}-${j}`, 60_000))),
        );
        const winners = first.filter((c) => c !== null);
        expect(winners).toHaveLength(1);
        await stores[0]!.release(winners[0]!);
        const second = await Promise.all(stores.map((s, i) => s.acquire(name, `again-${i}`, 60_000)));
        const holder = second.filter((c) => c !== null);
        expect(holder).toHaveLength(1);
        expect(await stores[1]!.acquire(name, 'while-held', 60_000)).toBeNull();
        expect(await stores[2]!.renew(holder[0]!, 1)).toBe(true); // shorten it to 1 ms: it lapses
        await new Promise((r) => setTimeout(r, 5));
        expect(await stores[1]!.acquire(name, 'after-expiry', 60_000)).not.toBeNull();
        expect(await stores[2]!.renew(holder[0]!, 60_000)).toBe(false); // the lapsed holder lost it
      }
    } finally {
      await Promise.all(clients.map((c) => c.close()));
    }
  });
});
