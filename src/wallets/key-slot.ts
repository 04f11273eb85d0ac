// Crash-safe creation of one KMS key for a record that already exists in CREATING (a wallet = its
// index-0 key, or a wallet_keys entry). The record is written before KMS is called, so a crash at any
// point leaves a trace that a retry or reconcile can finish:
//
//   1. claim the slot ("slot:<id>", an insert-based claim — FerretDB's conditional updates are not
//      atomic, see db/claims.ts), so only one caller at a time may call CreateKey or adopt a key for it;
//   2. if an earlier attempt got as far as CreateKey (keyAttemptAt set), look for a key tagged with this
//      slot first and adopt it instead of creating another; otherwise mark keyAttemptAt, then CreateKey;
//   3. store kmsKeyId at once, still under the claim (if the slot somehow has another key by then, ours
//      was never published and is scheduled for deletion);
//   4. GetPublicKey, derive addresses (default format first), set ACTIVE — idempotent, anyone may do it.
import type { Collection } from 'mongodb';
import type { z } from 'zod';
import {
  chainKeySpec,
  deriveAddresses,
  getChain,
  loadAddressCode,
  type ChainId,
  type NetworkName,
} from '../chains/index.js';
import {
  checkSet,
  isPending,
  pendingValue,
  walletDocSchema,
  walletKeyDocSchema,
  type KeySlotDoc,
  type WalletDoc,
} from '../db/index.js';
import type { KeyReference } from '../kms/index.js';
import { sleep, type ServiceContext } from './context.js';
import { TAG_ASSET, TAG_KEY_INDEX, TAG_NETWORK, TAG_USER_ID } from './kms-scan.js';

export interface SlotTarget {
  collection: Collection<KeySlotDoc>;
  collectionName: string;
  schema: z.ZodObject;
  /** _id of the record. */
  id: string;
  signatureId: string;
  index: number;
  chain: ChainId;
  network: NetworkName;
  /** Tags besides Application/WalletId/Chain. */
  tags: Record<string, string>;
  /** Replaces vault.createKey (importWallet creates an EXTERNAL key and imports material). */
  createKey?: () => Promise<KeyReference>;
  /** The public key (hex, in the stored form) the KMS key must have; a mismatch throws KeyMismatchError. */
  expectedPublicKey?: string;
}

export class KeyMismatchError extends Error {
  constructor(readonly kmsKeyId: string) {
    super(`KMS key ${kmsKeyId} does not hold the expected key material`);
    this.name = 'KeyMismatchError';
  }
}

const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u;

/** Tags that let reconcile rebuild a lost record from the key alone. */
export function slotTags(
  wallet: Pick<WalletDoc, 'network' | 'asset' | 'userId'>,
  index: number,
): Record<string, string> {
  const tags: Record<string, string> = { [TAG_NETWORK]: wallet.network, [TAG_ASSET]: wallet.asset };
  // Only when the id is a valid tag value; a user id is an internal identifier, not personal data.
  if (TAG_VALUE.test(wallet.userId)) tags[TAG_USER_ID] = wallet.userId;
  if (index > 0) tags[TAG_KEY_INDEX] = String(index);
  return tags;
}

export function walletSlot(ctx: ServiceContext, wallet: WalletDoc): SlotTarget {
  return {
    collection: ctx.wallets as unknown as Collection<KeySlotDoc>,
    collectionName: ctx.wallets.collectionName,
    schema: walletDocSchema,
    id: wallet._id,
    signatureId: wallet.signatureId,
    index: 0,
    chain: wallet.chain,
    network: wallet.network,
    tags: slotTags(wallet, 0),
  };
}

export function indexSlot(ctx: ServiceContext, wallet: WalletDoc, id: string, index: number): SlotTarget {
  return {
    collection: ctx.walletKeys as unknown as Collection<KeySlotDoc>,
    collectionName: ctx.walletKeys.collectionName,
    schema: walletKeyDocSchema,
    id,
    signatureId: wallet.signatureId,
    index,
    chain: wallet.chain,
    network: wallet.network,
    tags: slotTags(wallet, index),
  };
}

/**
 * Drives the slot to ACTIVE and returns the record. If another caller holds the claim and does not
 * finish within `waitMs`, returns the record as it is (still CREATING).
 */
export async function provisionKey(
  ctx: ServiceContext,
  target: SlotTarget,
  waitMs = ctx.waitMs,
): Promise<KeySlotDoc> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const doc = await target.collection.findOne({ _id: target.id });
    if (!doc) throw new Error(`${target.collectionName} record ${target.id} does not exist`);
    if (doc.status !== 'CREATING') return doc;
    if (!isPending(doc.kmsKeyId)) {
      await completeSlot(ctx, target, doc);
      continue;
    }
    const claimed = await ctx.claims.with(slotClaim(target), ctx.owner, ctx.leaseMs, async () => {
      // Re-read under the claim: the previous holder may have finished meanwhile.
      const fresh = await target.collection.findOne({ _id: target.id });
      if (fresh?.status === 'CREATING' && isPending(fresh.kmsKeyId)) await createSlotKey(ctx, target, fresh);
    });
    if (claimed) continue;
    if (Date.now() > deadline) return doc;
    await sleep(150);
  }
}

export const slotClaim = (target: Pick<SlotTarget, 'collectionName' | 'id'>): string =>
  `slot:${target.collectionName}:${target.id}`;

async function createSlotKey(ctx: ServiceContext, target: SlotTarget, claimed: KeySlotDoc): Promise<void> {
  const event = { signatureId: target.signatureId, index: target.index };
  let key: KeyReference | undefined;
  if (claimed.keyAttemptAt !== null) {
    // An earlier attempt may have created the key and crashed before storing it. Only a usable key is
    // adopted: one pending deletion (reconcile's verdict on a duplicate) or import is not.
    for (const orphan of await ctx.scanner.findSlotKeys(target.signatureId, target.index)) {
      if ((await ctx.vault.describeKey(orphan.keyId)).state === 'Enabled') {
        key = { keyId: orphan.keyId, arn: orphan.arn };
        break;
      }
    }
  }
  if (!key) {
    const now = ctx.clock();
    await target.collection.updateOne(
      { _id: target.id },
      { $set: checkSet(target.schema, target.collectionName, { keyAttemptAt: now, updatedAt: now }) },
    );
    await ctx.hooks.beforeCreateKey?.(event);
    key = target.createKey
      ? await target.createKey()
      : await ctx.vault.createKey({
          walletId: target.signatureId,
          chain: target.chain,
          tags: target.tags,
          keySpec: chainKeySpec(target.chain),
        });
    await ctx.hooks.afterCreateKey?.({ ...event, kmsKeyId: key.keyId });
  }
  await adoptKey(ctx, target, key);
}

/**
 * Stores `key` as the slot's key unless the slot already has one; call it holding the slot claim.
 * Returns false when the slot has another key: then `key` was never published and is scheduled for
 * deletion (7 days, cancellable).
 */
export async function adoptKey(ctx: ServiceContext, target: SlotTarget, key: KeyReference): Promise<boolean> {
  const now = ctx.clock();
  const current = await target.collection.findOne({ _id: target.id });
  if (current?.kmsKeyId === key.keyId) return true;
  if (current && !isPending(current.kmsKeyId)) {
    await ctx.vault.scheduleKeyDeletion(key.keyId, 7);
    return false;
  }
  await target.collection.updateOne(
    { _id: target.id, kmsKeyId: pendingValue(target.id) },
    {
      $set: checkSet(target.schema, target.collectionName, {
        kmsKeyId: key.keyId,
        kmsKeyArn: key.arn,
        updatedAt: now,
      }),
    },
  );
  return true;
}

/** GetPublicKey → addresses → ACTIVE, for a CREATING record that already has its kmsKeyId. */
export async function completeSlot(ctx: ServiceContext, target: SlotTarget, doc: KeySlotDoc): Promise<void> {
  // Checks the key's spec too: a key of the wrong spec for the chain never becomes ACTIVE.
  const publicKey = await ctx.vault.getWalletPublicKey(doc.kmsKeyId, chainKeySpec(target.chain));
  const publicKeyHex = Buffer.from(publicKey).toString('hex');
  if (target.expectedPublicKey !== undefined && publicKeyHex !== target.expectedPublicKey) {
    throw new KeyMismatchError(doc.kmsKeyId);
  }
  // FLOW: no address until an account holding the key is registered (flow-registration.ts); the
  // placeholder stays meanwhile.
  const derivable = getChain(target.chain).addressFormats.length > 0;
  if (derivable) await loadAddressCode([target.chain]);
  const addresses = derivable ? deriveAddresses(target.chain, target.network, publicKey) : [];
  const primary = addresses[0];
  if (derivable && !primary) throw new Error(`no address format for ${target.chain}`);
  const now = ctx.clock();
  await target.collection.updateOne(
    { _id: target.id, status: 'CREATING', kmsKeyId: doc.kmsKeyId },
    {
      $set: checkSet(target.schema, target.collectionName, {
        publicKey: publicKeyHex,
        address: primary?.address ?? doc.address,
        addresses,
        status: 'ACTIVE',
        keyIssue: null,
        updatedAt: now,
      }),
    },
  );
}
