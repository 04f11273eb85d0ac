// Request and response schemas. The same zod objects validate requests at run time and generate the
// OpenAPI document, so the two cannot disagree. Request objects are strict: an unknown field is a 400
// naming it. OpenAPI details are zod's own metadata (`.meta()`, `id` names a component), which
// zod-to-openapi reads as it reads its `.openapi()` (its README, "Using zod's .meta"), so validating a
// request needs neither zod-to-openapi nor its extension of zod (issue 16: not in the Lambda's init code).
import * as z from 'zod';
import { ADDRESS_FORMATS, CHAIN_IDS, NETWORK_NAMES, listNetworks } from '../chains/index.js';
import { WALLET_OPERATION_ACTIONS } from '../db/index.js';
import { MAX_BATCH, MAX_INDEX } from '../wallets/index.js';

const WALLET_STATUSES = ['CREATING', 'ACTIVE', 'DISABLED', 'PENDING_DELETION'] as const;
const BATCH_STATUSES = ['RUNNING', 'PAUSED', 'COMPLETED', 'FAILED'] as const;

/** The service's limits, checked here too so bad input never reaches it. */
const MAX_ADDRESS_INDEX = MAX_INDEX;
const MAX_BATCH_COUNT = MAX_BATCH;
const DELETION_WINDOW_DAYS = { min: 7, max: 30, default: 30 } as const;

/**
 * No control characters (Unicode category Cc = U+0000-U+001F and U+007F-U+009F), as a pattern rather
 * than a refinement so the OpenAPI document carries the rule (a refine is invisible to clients and
 * fuzzers). Written as ranges, not \p{Cc}: other regex dialects reading the document lack \p.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const NO_CONTROL_CHARS = /^[^\u0000-\u001F\u007F-\u009F]*$/;

const text = (max: number) =>
  z
    .string()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .regex(NO_CONTROL_CHARS, 'must not contain control characters');

const UserId = text(128).meta({ description: "The owner's id in the calling system", example: 'user-42' });
const Chain = z.enum(CHAIN_IDS).meta({ description: 'Chain id (Tatum currency string)', example: 'BTC' });
const Network = z.enum(NETWORK_NAMES).meta({ example: 'mainnet' });
const Asset = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,32}$/, 'must be 1 to 32 letters, digits, "_", "." or "-"')
  .meta({ description: "The chain's native asset or a token it carries", example: 'BTC' });
const WalletStatus = z.enum(WALLET_STATUSES);

/** A non-negative decimal integer in a path or query string, within [min, max]. */
const integerString = (min: number, max: number) =>
  z
    .string()
    .regex(/^(0|[1-9][0-9]{0,15})$/, 'must be a non-negative decimal integer')
    .transform(Number)
    .pipe(z.number().min(min, `must be at least ${min}`).max(max, `must be at most ${max}`))
    .meta({ type: 'integer', minimum: min, maximum: max });

/** chain and network must be a pair the chain registry knows (DOGE has no regtest, …). */
function networkOfChain(value: { chain: string; network: string }, ctx: z.RefinementCtx): void {
  const networks = listNetworks(value.chain);
  if (!(networks as string[]).includes(value.network)) {
    ctx.addIssue({
      code: 'custom',
      path: ['network'],
      message: `${value.chain} has no network ${value.network}; use one of ${networks.join(', ')}`,
    });
  }
}

// ---- requests ---------------------------------------------------------------------------------

export const CreateWalletBody = z
  .strictObject({
    userId: UserId,
    chain: Chain,
    asset: Asset,
    network: Network,
    label: text(128).optional(),
    index: z
      .int('must be an integer')
      .min(0, 'must be at least 0')
      .max(MAX_ADDRESS_INDEX, `must be at most ${MAX_ADDRESS_INDEX}`)
      .optional()
      .meta({ description: 'An extra key index to create right away besides index 0' }),
  })
  .superRefine(networkOfChain)
  .meta({ id: 'CreateWalletRequest' });

export const IdempotencyHeaders = z.object({
  'Idempotency-Key': z
    .string()
    .regex(/^[\x20-\x7E]{1,255}$/, 'must be 1 to 255 printable ASCII characters')
    .optional()
    .meta({
      description:
        'Makes the create retry-safe: a retry with the same key and body returns the same wallet (201, ' +
        'Idempotent-Replayed: true) and creates no second KMS key; the same key with another body is a 422.',
      example: '9b2c1a8e-create-user-42-btc',
    }),
});

export const BatchBody = z
  .strictObject({
    userId: UserId,
    chain: Chain,
    asset: Asset,
    network: Network,
    count: z
      .int('must be an integer')
      .min(1, 'must be at least 1')
      .max(MAX_BATCH_COUNT, `must be at most ${MAX_BATCH_COUNT}`),
  })
  .superRefine(networkOfChain)
  .meta({ id: 'StartBatchRequest' });

export const DeleteWalletBody = z
  .strictObject({
    confirm: z
      .string()
      .max(36, 'must be at most 36 characters')
      .meta({ description: 'Must repeat the signatureId of the path (a UUID)' }),
    pendingWindowDays: z
      .int('must be an integer')
      .min(DELETION_WINDOW_DAYS.min, `must be at least ${DELETION_WINDOW_DAYS.min}`)
      .max(DELETION_WINDOW_DAYS.max, `must be at most ${DELETION_WINDOW_DAYS.max}`)
      .optional()
      .meta({ description: 'KMS waiting period before the keys are destroyed; default 30' }),
  })
  .meta({ id: 'DeleteWalletRequest' });

export const ListWalletsQuery = z.strictObject({
  userId: UserId.optional(),
  chain: Chain.optional(),
  network: Network.optional(),
  status: WalletStatus.optional(),
  cursor: z.string().min(1).max(1024).optional().meta({ description: 'nextCursor of the previous page' }),
  limit: integerString(1, 100).optional().meta({ description: 'Page size, default 50' }),
});

const SignatureId = z
  .uuid('must be a UUID')
  .meta({ param: { name: 'signatureId', in: 'path' }, example: '3fa85f64-5717-4562-b3fc-2c963f66afa6' });

export const SignatureIdParams = z.object({ signatureId: SignatureId });

export const AddressParams = z.object({
  signatureId: SignatureId,
  index: integerString(0, MAX_ADDRESS_INDEX).meta({ param: { name: 'index', in: 'path' } }),
});

export const OperationParams = z.object({
  signatureId: SignatureId,
  operationId: z
    .uuid('must be a UUID')
    .meta({ param: { name: 'operationId', in: 'path' }, example: '0b8f5e8e-3c1e-4a57-9f4e-6f1f0d4c2a11' }),
});

export const BatchParams = z.object({
  batchId: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,128}$/, 'must be 1 to 128 letters, digits, "_" or "-"')
    .meta({ param: { name: 'batchId', in: 'path' } }),
});

// ---- responses --------------------------------------------------------------------------------

const Timestamp = z.iso.datetime();
const Addresses = z.array(z.object({ format: z.enum(ADDRESS_FORMATS), address: z.string() }));

export const WalletSchema = z
  .object({
    signatureId: z.uuid(),
    userId: z.string(),
    chain: Chain,
    asset: z.string(),
    network: Network,
    label: z.string().nullable(),
    status: WalletStatus,
    address: z.string().meta({ description: 'Index-0 address in the default format' }),
    addresses: Addresses,
    publicKey: z.string().meta({
      description: 'Public key, hex: compressed secp256k1 (33 bytes) or Ed25519 (32 bytes, SOL / XLM / ALGO)',
    }),
    kmsKeyId: z.string(),
    kmsKeyArn: z.string(),
    keyOrigin: z.enum(['AWS_KMS', 'EXTERNAL']),
    deletionDate: Timestamp.nullable().meta({ description: 'Set while PENDING_DELETION' }),
    flowAccount: z
      .object({
        address: z.string(),
        keyIndex: z.int(),
        hashAlgorithm: z.enum(['SHA2_256', 'SHA3_256']),
      })
      .nullable()
      .meta({ description: 'FLOW: the registered chain account holding the wallet key; null otherwise' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Wallet' });

export const FlowAccountBody = z
  .strictObject({
    address: z.string().meta({ description: 'Flow account address (16 hex digits, optionally 0x)' }),
    keyIndex: z.int('must be an integer').min(0, 'must be at least 0').meta({
      description: "Index of the wallet's key on that account",
    }),
  })
  .meta({ id: 'FlowAccountRequest' });

export const WalletKeySchema = z
  .object({
    signatureId: z.uuid(),
    index: z.int(),
    address: z.string(),
    addresses: Addresses,
    publicKey: z.string(),
    kmsKeyId: z.string(),
    kmsKeyArn: z.string(),
    createdAt: Timestamp,
  })
  .meta({ id: 'WalletKey' });

export const WalletPageSchema = z
  .object({ items: z.array(WalletSchema), nextCursor: z.string().nullable() })
  .meta({ id: 'WalletPage' });

export const BatchSchema = z
  .object({
    batchId: z.string(),
    chain: Chain,
    network: Network,
    userId: z.string(),
    asset: z.string(),
    count: z.int(),
    created: z.int().meta({ description: 'Wallets created so far' }),
    status: z.enum(BATCH_STATUSES),
    error: z.string().nullable(),
    signatureIds: z.array(z.string()),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: z.object({ self: z.string().meta({ description: 'Poll this for progress' }) }),
  })
  .meta({ id: 'Batch' });

export const WalletOperationSchema = z
  .object({
    operationId: z.uuid(),
    signatureId: z.uuid(),
    action: z.enum(WALLET_OPERATION_ACTIONS),
    status: z.enum(BATCH_STATUSES).meta({
      description: 'PAUSED: its runner stopped; another instance (or this one after a restart) resumes it',
    }),
    keys: z.int().min(0).meta({ description: 'KMS keys of the wallet when the operation started' }),
    done: z.int().min(0).meta({ description: 'Keys done so far' }),
    targetStatus: WalletStatus.meta({ description: 'The wallet status once COMPLETED' }),
    pendingWindowDays: z.int().nullable(),
    error: z.string().nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
    links: z.object({
      self: z.string().meta({ description: 'Poll this for progress' }),
      wallet: z.string(),
    }),
  })
  .meta({ id: 'WalletOperation' });

export const HealthSchema = z
  .object({
    status: z.enum(['ok', 'unavailable']),
    mongo: z.enum(['ok', 'down']),
    kms: z.enum(['ok', 'down']),
  })
  .meta({ id: 'Health' });

export const ProblemSchema = z
  .object({
    type: z.string().meta({ example: 'urn:kms-signer:problem:validation' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    instance: z.string(),
    requestId: z.string(),
    errors: z
      .array(
        z.object({
          field: z.string(),
          in: z.enum(['body', 'query', 'path', 'header']).optional(),
          reason: z.string(),
        }),
      )
      .optional(),
  })
  .meta({ id: 'Problem' });
