// Document shapes of every collection, with zod schemas the application checks before each write:
// FerretDB 1.24 refuses `$jsonSchema` validators (create → NotImplemented), so the schema lives here and
// is enforced on the client side whatever the server supports (see migrations.ts).
import * as z from 'zod';
import { ADDRESS_FORMATS, CHAIN_IDS, NETWORK_NAMES } from '../chains/index.js';

export const COLLECTIONS = {
  wallets: 'wallets',
  walletKeys: 'wallet_keys',
  idempotencyKeys: 'idempotency_keys',
  batches: 'batches',
  /** Key administration jobs (disable/enable/delete/cancel-deletion of every key of a wallet). */
  walletOperations: 'wallet_operations',
  /** One document per wallet with an unfinished operation: _id = signatureId (an insert is the lock). */
  walletOperationLocks: 'wallet_operation_locks',
  migrations: 'migrations',
  claims: 'claims',
  /** Written by the Tatum signing loop (src/tatum/jobs.ts); indexed here with everything else. */
  signingJobs: 'signing_jobs',
  /** The signed bytes of a job, inserted once (src/tatum/jobs.ts): the first runner's bytes win for good. */
  signedTransactions: 'signed_transactions',
  /** EVM nonces that were signed with (src/tatum/nonce-ledger.ts), one document per nonce. */
  evmNonces: 'evm_nonces',
  /** Pending entries Tatum sent that can never be decoded, reported once (src/tatum/invalid-entries.ts). */
  invalidPending: 'invalid_pending',
} as const;

/** Prefix of the stand-in kmsKeyId/address of a key that does not exist yet (see pendingValue). */
export const PENDING_PREFIX = 'pending:';

/**
 * Unique indexes cover kmsKeyId and (chain, network, address), but a record in CREATING has neither.
 * FerretDB 1.24 has no partial indexes and ignores `sparse`, so missing/null values would collide; the
 * record carries `pending:<its own id>` instead, unique by construction and never a real key id (KMS key
 * ids are UUIDs or mrk-…) or address.
 */
export function pendingValue(slotId: string): string {
  return `${PENDING_PREFIX}${slotId}`;
}

export function isPending(value: string): boolean {
  return value.startsWith(PENDING_PREFIX);
}

const date = z.date();
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
const addressEntry = z.object({ format: z.enum(ADDRESS_FORMATS), address: z.string().min(1) });

/** Fields of any document that owns one KMS key (a wallet = its index-0 key, or a wallet_keys entry). */
const keySlotShape = {
  _id: z.string().min(1),
  signatureId: uuid,
  chain: z.enum(CHAIN_IDS),
  network: z.enum(NETWORK_NAMES),
  kmsKeyId: z.string().min(1),
  kmsKeyArn: z.string().nullable(),
  /** Hex: a compressed secp256k1 point (33 bytes) or an Ed25519 key (32 bytes), per the chain's key spec. */
  publicKey: z
    .string()
    .regex(/^(0[23])?[0-9a-f]{64}$/)
    .nullable(),
  address: z.string().min(1),
  addresses: z.array(addressEntry),
  /** Set just before CreateKey: a key tagged with this slot may exist even though kmsKeyId is pending. */
  keyAttemptAt: date.nullable(),
  /** Set by reconcile when the KMS key is missing or changed behind our back. */
  keyIssue: z.string().nullable(),
  createdAt: date,
  updatedAt: date,
};

export const walletDocSchema = z.object({
  ...keySlotShape,
  userId: z.string().min(1).max(128),
  asset: z.string().min(1).max(32),
  label: z.string().max(128).nullable(),
  status: z.enum(['CREATING', 'ACTIVE', 'DISABLED', 'PENDING_DELETION']),
  keyOrigin: z.enum(['AWS_KMS', 'EXTERNAL']),
  deletionDate: date.nullable(),
  idempotencyKey: z.string().nullable(),
  /** The extra index requested at creation (created right after index 0). */
  initialIndex: z.number().int().min(1).nullable(),
  batchId: z.string().nullable(),
  batchSeq: z.number().int().min(0).nullable(),
  /** FLOW: the account (= `address`) key index and hash algorithm the wallet's key is registered with. */
  flowAccount: z
    .object({
      keyIndex: z.number().int().min(0).max(0xffff_ffff),
      hashAlgorithm: z.enum(['SHA2_256', 'SHA3_256']),
    })
    .nullable()
    .optional(),
});
export type WalletDoc = z.infer<typeof walletDocSchema>;

export const walletKeyDocSchema = z.object({
  ...keySlotShape,
  index: z
    .number()
    .int()
    .min(1)
    .max(2 ** 31 - 1),
  status: z.enum(['CREATING', 'ACTIVE']),
});
export type WalletKeyDoc = z.infer<typeof walletKeyDocSchema>;

/** The fields every key-owning document shares (what key-slot.ts works on). */
export type KeySlotDoc = WalletDoc | WalletKeyDoc;

export const idempotencyDocSchema = z.object({
  _id: z.string().min(1).max(255),
  scope: z.literal('createWallet'),
  requestHash: z.string().regex(/^[0-9a-f]{64}$/),
  signatureId: uuid,
  createdAt: date,
});
export type IdempotencyDoc = z.infer<typeof idempotencyDocSchema>;

export const batchDocSchema = z.object({
  _id: uuid,
  userId: z.string().min(1).max(128),
  chain: z.enum(CHAIN_IDS),
  network: z.enum(NETWORK_NAMES),
  asset: z.string().min(1).max(32),
  count: z.number().int().min(1).max(10_000),
  created: z.number().int().min(0),
  status: z.enum(['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED']),
  error: z.string().nullable(),
  /** Who asked (API principal, or "cli"); the per-caller cap on queued keys counts by it. */
  requestedBy: z.string().min(1).max(2048).optional(),
  createdAt: date,
  updatedAt: date,
});
export type BatchDoc = z.infer<typeof batchDocSchema>;

export const WALLET_OPERATION_ACTIONS = ['disable', 'enable', 'delete', 'cancel-deletion'] as const;

/**
 * A key administration job (wallets/operations.ts). Keys are handled in index order: `lastIndex` is the
 * last index done (null before index 0), so a resumed job carries on after it and also covers keys
 * created meanwhile.
 */
export const walletOperationDocSchema = z.object({
  _id: uuid,
  signatureId: uuid,
  action: z.enum(WALLET_OPERATION_ACTIONS),
  /** ScheduleKeyDeletion waiting period (delete only). */
  pendingWindowDays: z.number().int().min(7).max(30).nullable(),
  status: z.enum(['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED']),
  /** Keys of the wallet when the job started (more may be created while it runs). */
  keys: z.number().int().min(0),
  done: z.number().int().min(0),
  lastIndex: z.number().int().min(0).nullable(),
  /** Earliest deletion date KMS reported so far (delete only). */
  deletionDate: date.nullable(),
  error: z.string().nullable(),
  createdAt: date,
  updatedAt: date,
});
export type WalletOperationDoc = z.infer<typeof walletOperationDocSchema>;

export const walletOperationLockDocSchema = z.object({
  _id: uuid,
  operationId: uuid,
  createdAt: date,
});
export type WalletOperationLockDoc = z.infer<typeof walletOperationLockDocSchema>;

/** Written once a migration has finished (its claim is in `claims`, see claims.ts). */
export const migrationDocSchema = z.object({
  _id: z.number().int().min(1),
  name: z.string(),
  startedAt: date,
  finishedAt: date,
  result: z.record(z.string(), z.unknown()),
});
export type MigrationDoc = z.infer<typeof migrationDocSchema>;

/** Thrown when a document about to be written does not match its schema (a bug, not user input). */
export class DocumentSchemaError extends Error {
  constructor(collection: string, issues: string) {
    super(`refusing to write an invalid ${collection} document: ${issues}`);
    this.name = 'DocumentSchemaError';
  }
}

function check<T>(schema: z.ZodType<T>, collection: string, value: unknown): T {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || '(root)'} ${i.message}`);
    throw new DocumentSchemaError(collection, issues.join('; '));
  }
  return result.data;
}

/** Validates a whole document before insertOne / upsert. */
export function checkDoc<S extends z.ZodObject>(schema: S, collection: string, doc: z.infer<S>): z.infer<S> {
  return check(schema, collection, doc) as z.infer<S>;
}

/** Validates the fields of a `$set` before an update. */
export function checkSet<S extends z.ZodObject>(
  schema: S,
  collection: string,
  fields: Partial<z.infer<S>>,
): Partial<z.infer<S>> {
  return check(schema.partial().strict(), collection, fields) as Partial<z.infer<S>>;
}
