// Versioned schema migrations, run at every start-up. A version is done when `migrations` holds
// {_id: version} (inserted once it finished). To run one, a process takes the claim "migration:<v>"
// (claims.ts: an insert against a unique _id, the only atomic primitive FerretDB 1.24 has); others wait
// for it, and take the claim over when its lease expires (the runner crashed). Every step is idempotent,
// so re-running a half-finished version is harmless. No transactions: FerretDB 1.x has none.
import { randomUUID } from 'node:crypto';
import { MongoServerError, type Db, type IndexDescription } from 'mongodb';
import { ClaimStore } from './claims.js';
import {
  batchDocSchema,
  COLLECTIONS,
  idempotencyDocSchema,
  walletDocSchema,
  walletKeyDocSchema,
  type MigrationDoc,
} from './documents.js';
import type { z } from 'zod';

export interface Migration {
  version: number;
  name: string;
  /** Must be idempotent. What it returns is stored in the migration's `result`. */
  up(db: Db): Promise<Record<string, unknown>>;
}

const NAMESPACE_EXISTS = 48;
const NOT_IMPLEMENTED = 238;

/** A minimal `$jsonSchema` from a zod object: every field required, status values enumerated. */
function jsonSchemaOf(schema: z.ZodObject): Record<string, unknown> {
  const shape = schema.shape as Record<string, unknown>;
  const properties: Record<string, unknown> = {};
  const status = shape.status as { options?: unknown } | undefined;
  if (status?.options) properties.status = { enum: status.options };
  return { bsonType: 'object', required: Object.keys(shape), properties };
}

const VALIDATED: { name: string; schema: z.ZodObject }[] = [
  { name: COLLECTIONS.wallets, schema: walletDocSchema },
  { name: COLLECTIONS.walletKeys, schema: walletKeyDocSchema },
  { name: COLLECTIONS.idempotencyKeys, schema: idempotencyDocSchema },
  { name: COLLECTIONS.batches, schema: batchDocSchema },
];

async function createCollection(db: Db, name: string, validator?: Record<string, unknown>): Promise<void> {
  try {
    await db.createCollection(name, validator ? { validator: { $jsonSchema: validator } } : {});
  } catch (error) {
    if (error instanceof MongoServerError && error.code === NAMESPACE_EXISTS) return;
    throw error;
  }
}

/**
 * Collections with a `$jsonSchema` validator where the server has one. FerretDB 1.24 answers
 * NotImplemented ("support for field "validator" … is not implemented yet") and has no collMod, so the
 * collections are created plain and the result records `serverValidator: 'unsupported'`; the zod
 * schemas in documents.ts are checked before every write either way.
 */
const createCollections: Migration = {
  version: 1,
  name: 'collections',
  async up(db) {
    let serverValidator: 'enforced' | 'unsupported' = 'enforced';
    let detail: string | null = null;
    for (const { name, schema } of VALIDATED) {
      if (serverValidator === 'enforced') {
        try {
          await createCollection(db, name, jsonSchemaOf(schema));
          continue;
        } catch (error) {
          if (!(error instanceof MongoServerError) || error.code !== NOT_IMPLEMENTED) throw error;
          serverValidator = 'unsupported';
          detail = `${error.codeName ?? 'NotImplemented'}: ${error.message.slice(0, 120)}`;
        }
      }
      await createCollection(db, name);
    }
    return { serverValidator, serverValidatorError: detail, applicationValidation: 'zod' };
  },
};

const index = (key: IndexDescription['key'], name: string, unique = false): IndexDescription => ({
  key,
  name,
  ...(unique ? { unique: true } : {}),
});

/**
 * Unique indexes, no partial/sparse ones (FerretDB: partialFilterExpression → NotImplemented, sparse is
 * silently ignored). Records without a key carry `pending:<id>` placeholders instead (documents.ts).
 */
const createIndexes: Migration = {
  version: 2,
  name: 'indexes',
  async up(db) {
    const plan: Record<string, IndexDescription[]> = {
      [COLLECTIONS.wallets]: [
        index({ signatureId: 1 }, 'signatureId_unique', true),
        index({ kmsKeyId: 1 }, 'kmsKeyId_unique', true),
        index({ chain: 1, network: 1, address: 1 }, 'chain_network_address_unique', true),
        index({ createdAt: 1, signatureId: 1 }, 'createdAt_signatureId'),
        index({ userId: 1, createdAt: 1, signatureId: 1 }, 'userId_createdAt_signatureId'),
        index({ status: 1 }, 'status'),
        index({ batchId: 1, batchSeq: 1 }, 'batchId_batchSeq'),
      ],
      [COLLECTIONS.walletKeys]: [
        index({ signatureId: 1, index: 1 }, 'signatureId_index_unique', true),
        index({ kmsKeyId: 1 }, 'kmsKeyId_unique', true),
        index({ chain: 1, network: 1, address: 1 }, 'chain_network_address_unique', true),
      ],
      [COLLECTIONS.batches]: [index({ status: 1 }, 'status')],
      [COLLECTIONS.claims]: [index({ name: 1, generation: -1 }, 'name_generation')],
    };
    const created: string[] = [];
    for (const [collection, indexes] of Object.entries(plan)) {
      created.push(
        ...(await db.collection(collection).createIndexes(indexes)).map((n) => `${collection}.${n}`),
      );
    }
    return { indexes: created };
  },
};

/**
 * The signing loop's queries (wallets/queries.ts): chain (one, or $in for the count), network and status,
 * ids only. With signatureId as the last key MongoDB answers the counts and the sorted id lists from the
 * index alone. FerretDB 1.24 (SQLite) creates it but still scans: it pushes no filter down.
 */
const createLoopIndex: Migration = {
  version: 3,
  name: 'signing loop wallet index',
  async up(db) {
    const loopIndex = index(
      { chain: 1, network: 1, status: 1, signatureId: 1 },
      'chain_network_status_signatureId',
    );
    const created = await db.collection(COLLECTIONS.wallets).createIndexes([loopIndex]);
    return { indexes: created.map((n) => `${COLLECTIONS.wallets}.${n}`) };
  },
};

/**
 * Daily limits (JobStore.spentSince) sum what each wallet signed since a time: without this index every
 * job of a wallet with a limit scans the whole, ever-growing job history. signatureIds is an array, so the
 * index is multikey.
 */
const createSpendIndex: Migration = {
  version: 4,
  name: 'signing jobs spend index',
  async up(db) {
    const spendIndex = index({ signatureIds: 1, signedAt: 1 }, 'signatureIds_signedAt');
    const created = await db.collection(COLLECTIONS.signingJobs).createIndexes([spendIndex]);
    return { indexes: created.map((n) => `${COLLECTIONS.signingJobs}.${n}`) };
  },
};

/**
 * Each reconciliation looks for jobs still carrying their final audit record (src/tatum/audit-repair.ts)
 * and for FAILED jobs whose report Tatum has not accepted (src/tatum/failure-reports.ts): without indexes
 * each is a scan of the whole job history. Jobs without the field sit under null.
 */
const createRepairIndexes: Migration = {
  version: 5,
  name: 'signing jobs repair indexes',
  async up(db) {
    const carrying = index({ 'finalAudit.finishedAt': 1 }, 'finalAudit_finishedAt');
    const unreported = index({ unreported: 1, updatedAt: 1 }, 'unreported_updatedAt');
    const created = await db.collection(COLLECTIONS.signingJobs).createIndexes([carrying, unreported]);
    return { indexes: created.map((n) => `${COLLECTIONS.signingJobs}.${n}`) };
  },
};

export const MIGRATIONS: readonly Migration[] = [
  createCollections,
  createIndexes,
  createLoopIndex,
  createSpendIndex,
  createRepairIndexes,
];

export interface MigrationRunOptions {
  migrations?: readonly Migration[];
  /** How long a claim stays valid without finishing (default 60 s). */
  leaseMs?: number;
  /** Give up waiting for another process's migration after this long (default 2 × lease). */
  waitMs?: number;
  clock?: () => Date;
}

export interface MigrationRunResult {
  /** Versions this call ran. */
  applied: number[];
  /** Versions already done (by an earlier start or another process). */
  alreadyDone: number[];
  /** `result` of every done migration, by version (results[1].serverValidator: what the server supports). */
  results: Record<number, Record<string, unknown>>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function runMigrations(db: Db, options: MigrationRunOptions = {}): Promise<MigrationRunResult> {
  const migrations = [...(options.migrations ?? MIGRATIONS)].sort((a, b) => a.version - b.version);
  const leaseMs = options.leaseMs ?? 60_000;
  const waitMs = options.waitMs ?? 2 * leaseMs;
  const clock = options.clock ?? (() => new Date());
  const done = db.collection<MigrationDoc>(COLLECTIONS.migrations);
  const claims = new ClaimStore(db, clock);
  const owner = randomUUID();
  const outcome: MigrationRunResult = { applied: [], alreadyDone: [], results: {} };

  for (const migration of migrations) {
    const deadline = Date.now() + waitMs;
    for (;;) {
      if (await done.findOne({ _id: migration.version })) {
        outcome.alreadyDone.push(migration.version);
        break;
      }
      const ran = await claims.with(`migration:${migration.version}`, owner, leaseMs, async () => {
        // Finished by another process between the check and the claim?
        if (await done.findOne({ _id: migration.version })) return false;
        const startedAt = clock();
        const result = await migration.up(db);
        await done.insertOne({
          _id: migration.version,
          name: migration.name,
          startedAt,
          finishedAt: clock(),
          result,
        });
        return true;
      });
      if (ran) {
        (ran.value ? outcome.applied : outcome.alreadyDone).push(migration.version);
        break;
      }
      if (Date.now() > deadline) {
        throw new Error(
          `migration ${migration.version} (${migration.name}) is still running in another process`,
        );
      }
      await sleep(200);
    }
  }
  for (const doc of await done.find({}).toArray()) outcome.results[doc._id] = doc.result;
  return outcome;
}
