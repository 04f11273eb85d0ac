// Job writes and claim releases stay small per command (issue 16): FerretDB 1.24 over PostgreSQL holds one
// pooled connection per update statement until the command ends, so one command of more statements than
// its pool (50 by default) hangs it for good. On the test stack's FerretDB, with the commands watched on
// the wire: 100 jobs writing at once go out as update commands of at most MAX_WRITES_PER_BATCH statements,
// every write lands; releasing 100 claims is one update command with one statement. Before the fix (a batch of
// up to 256, a release as one updateOne per claim) both tests hung on this FerretDB until their timeout.
import { randomBytes } from 'node:crypto';
import type { CommandStartedEvent, Db, MongoClient } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectMongo, runMigrations } from '../../src/db/index.js';
import { JobStore, MAX_WRITES_PER_BATCH, type JobClaim } from '../../src/tatum/jobs.js';
import { stackEndpoints } from '../support/stack.js';

const JOBS = 100;
let mongo: MongoClient;
let db: Db;
const updates: { collection: string; statements: number }[] = [];

beforeAll(async () => {
  mongo = await connectMongo(stackEndpoints().mongoUri, { monitorCommands: true });
  db = mongo.db(`job_write_batches_${randomBytes(6).toString('hex')}`);
  await runMigrations(db);
  mongo.on('commandStarted', (event: CommandStartedEvent) => {
    if (event.commandName !== 'update' || event.databaseName !== db.databaseName) return;
    const command = event.command as { update: string; updates: unknown[] };
    updates.push({ collection: command.update, statements: command.updates.length });
  });
});

afterAll(async () => {
  await db.dropDatabase().catch(() => undefined);
  await mongo.close();
});

async function claimJobs(store: JobStore, prefix: string): Promise<{ id: string; held: JobClaim }[]> {
  const ids = Array.from({ length: JOBS }, (_, n) => `${prefix}-${String(n)}`);
  const claimed = await store.claimMany(
    ids.map((id) => ({
      id,
      init: { chain: 'ETH', network: 'testnet', signatureIds: [`sig-${id}`] },
    })),
    'runner-a',
  );
  return ids.map((id, n) => {
    const held = claimed[n];
    if (!held || held === 'skipped' || held instanceof Error) {
      throw new Error(`claim of ${id} failed: ${String(held)}`);
    }
    return { id, held };
  });
}

describe('job write batches', () => {
  it(`${String(JOBS)} concurrent job writes go out ${String(MAX_WRITES_PER_BATCH)} statements per command at most`, async () => {
    const store = new JobStore(db, 60_000);
    const jobs = await claimJobs(store, 'written');
    updates.length = 0;
    // All running at once, so the writer's batches fill up (it sends when every running job waits).
    await Promise.all(
      jobs.map(({ id, held }) =>
        store.working(() => store.update(held, id, { state: 'FAILED', error: 'test' })),
      ),
    );
    const jobUpdates = updates.filter((u) => u.collection === 'signing_jobs');
    expect(jobUpdates.reduce((sum, u) => sum + u.statements, 0)).toBe(JOBS);
    expect(Math.max(...jobUpdates.map((u) => u.statements))).toBe(MAX_WRITES_PER_BATCH);
    const stored = await db
      .collection('signing_jobs')
      .countDocuments({ _id: { $in: jobs.map((j) => j.id) } as never, state: 'FAILED' });
    expect(stored).toBe(JOBS);
  });

  it(`releasing ${String(JOBS)} claims is one update command with one statement`, async () => {
    const store = new JobStore(db, 60_000);
    const jobs = await claimJobs(store, 'released');
    updates.length = 0;
    await store.releaseMany(jobs.map((j) => j.held));
    expect(updates.filter((u) => u.collection === 'claims')).toEqual([
      { collection: 'claims', statements: 1 },
    ]);
    // Released: another runner takes every one of them at once.
    const other = await new JobStore(db, 60_000).claimMany(
      jobs.map(({ id }) => ({
        id,
        init: { chain: 'ETH', network: 'testnet', signatureIds: [`sig-${id}`] },
      })),
      'runner-b',
    );
    expect(other.filter((c) => c !== null && !(c instanceof Error))).toHaveLength(JOBS);
  });
});
