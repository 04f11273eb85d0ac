// createWallet: validate, claim the idempotency key, write the record in CREATING, then create the key
// (key-slot.ts). A retry with the same Idempotency-Key finds the same signatureId and resumes wherever
// the first attempt stopped, so one request never yields two wallets or two keys.
import { createHash, randomUUID } from 'node:crypto';
import {
  checkDoc,
  idempotencyDocSchema,
  pendingValue,
  walletDocSchema,
  type WalletDoc,
} from '../db/index.js';
import { WalletError, type CreateWalletInput, type WalletView } from './contract.js';
import type { ServiceContext } from './context.js';
import { insertIfAbsent, isDuplicateKey } from './errors.js';
import { ensureIndexKey } from './keys.js';
import { provisionKey, walletSlot } from './key-slot.js';
import { checkCreateInput, invalid, type NormalizedWalletInput } from './validation.js';
import { walletView } from './views.js';

export interface CreateOptions {
  idempotencyKey?: string;
  batch?: { batchId: string; batchSeq: number };
  keyOrigin?: WalletDoc['keyOrigin'];
}

export function checkIdempotencyKey(key: unknown): string {
  if (typeof key !== 'string' || !/^[\x21-\x7e]{1,255}$/.test(key)) {
    throw invalid('idempotencyKey', 'must be 1-255 printable ASCII characters without spaces');
  }
  return key;
}

function requestHash(input: NormalizedWalletInput): string {
  const canonical = JSON.stringify([
    input.userId,
    input.chain,
    input.network,
    input.asset,
    input.label,
    input.index,
  ]);
  return createHash('sha256').update(canonical).digest('hex');
}

export function newWalletDoc(
  signatureId: string,
  input: NormalizedWalletInput,
  now: Date,
  options: CreateOptions,
): WalletDoc {
  return checkDoc(walletDocSchema, 'wallets', {
    _id: signatureId,
    signatureId,
    userId: input.userId,
    chain: input.chain,
    asset: input.asset,
    network: input.network,
    label: input.label,
    status: 'CREATING',
    kmsKeyId: pendingValue(signatureId),
    kmsKeyArn: null,
    publicKey: null,
    address: pendingValue(signatureId),
    addresses: [],
    keyOrigin: options.keyOrigin ?? 'AWS_KMS',
    deletionDate: null,
    idempotencyKey: options.idempotencyKey ?? null,
    initialIndex: input.index,
    batchId: options.batch?.batchId ?? null,
    batchSeq: options.batch?.batchSeq ?? null,
    keyAttemptAt: null,
    keyIssue: null,
    createdAt: now,
    updatedAt: now,
  });
}

/** Claims `key` for this request; returns the signatureId to use and whether it is a replay. */
async function claimIdempotencyKey(
  ctx: ServiceContext,
  key: string,
  hash: string,
): Promise<{ signatureId: string; replay: boolean }> {
  const signatureId = randomUUID();
  try {
    await ctx.idempotency.insertOne(
      checkDoc(idempotencyDocSchema, 'idempotency_keys', {
        _id: key,
        scope: 'createWallet',
        requestHash: hash,
        signatureId,
        createdAt: ctx.clock(),
      }),
    );
    return { signatureId, replay: false };
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
  const existing = await ctx.idempotency.findOne({ _id: key });
  if (!existing) throw new WalletError('CONFLICT', 'idempotency key is being recorded concurrently; retry');
  if (existing.requestHash !== hash) {
    throw new WalletError(
      'IDEMPOTENCY_MISMATCH',
      'this Idempotency-Key was used with a different request body',
      'idempotencyKey',
    );
  }
  return { signatureId: existing.signatureId, replay: true };
}

export async function createWallet(
  ctx: ServiceContext,
  rawInput: CreateWalletInput,
  options: CreateOptions = {},
): Promise<{ wallet: WalletView; created: boolean }> {
  const input = checkCreateInput(rawInput);
  if (options.idempotencyKey !== undefined) checkIdempotencyKey(options.idempotencyKey);

  let signatureId: string = randomUUID();
  let replay = false;
  if (options.idempotencyKey !== undefined) {
    ({ signatureId, replay } = await claimIdempotencyKey(ctx, options.idempotencyKey, requestHash(input)));
  }
  const doc = newWalletDoc(signatureId, input, ctx.clock(), options);
  if (options.idempotencyKey !== undefined) {
    // A replay may find the first attempt died before its wallet record, and the first attempt may find a
    // concurrent replay wrote that record first: both write the same document, whichever lands first wins.
    await insertIfAbsent(ctx.wallets, doc);
  } else {
    await ctx.wallets.insertOne(doc);
  }
  return { wallet: await finishWallet(ctx, signatureId), created: !replay };
}

/** Provisions the wallet's key (and its initial extra index) and returns the current view. */
export async function finishWallet(ctx: ServiceContext, signatureId: string): Promise<WalletView> {
  const wallet = await ctx.wallets.findOne({ _id: signatureId });
  if (!wallet) throw new WalletError('NOT_FOUND', 'no such wallet');
  const done = (await provisionKey(ctx, walletSlot(ctx, wallet))) as WalletDoc;
  if (done.status === 'ACTIVE' && done.initialIndex !== null)
    await ensureIndexKey(ctx, done, done.initialIndex);
  return walletView(done);
}
