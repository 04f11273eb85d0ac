// reconcile: makes MongoDB and KMS agree again after crashes or changes made outside the service.
//
//  1. KMS → records. Keys tagged Application=<ours> that no record references:
//     - the WalletId's record is CREATING without a key (crash between CreateKey and storing it)
//       → adopt the key and complete the wallet/index key;
//     - the record already has another key (two creators raced) → the extra key was never published:
//       schedule its deletion (7 days, cancellable);
//     - no record at all (lost database record) → rebuild it from the key's tags (Chain, Network, Asset,
//       UserId, KeyIndex); keys pending deletion are left alone.
//  2. Records → KMS. DescribeKey for every key a record references; KMS is the truth for what happened
//     outside the service, the record for what we intend:
//     - key disabled behind our back → wallet marked DISABLED (enableWallet turns it back on);
//     - key scheduled for deletion behind our back → wallet marked PENDING_DELETION with KMS's date
//       (cancelWalletDeletion still works);
//     - deletion cancelled behind our back → wallet marked DISABLED/ACTIVE as KMS shows;
//     - key enabled while the wallet is DISABLED → the key is disabled again (intent wins: a disabled
//       wallet must not sign);
//     - key gone (deleted) or unusable → keyIssue recorded and an ACTIVE wallet marked DISABLED.
//  3. Unfinished. CREATING records older than the grace period are FINISHED (their key created and
//     the wallet completed) — the record exists only because a create request was accepted, and a retry
//     with its Idempotency-Key would do exactly that. An EXTERNAL (import) record cannot be finished
//     without the private key: its half-made key is scheduled for deletion and the record removed.
import { DescribeKeyCommand } from '@aws-sdk/client-kms';

import { isChainId, isNetworkName, listNetworks } from '../chains/index.js';
import { redactError } from '../config/redact.js';
import {
  checkDoc,
  checkSet,
  isPending,
  walletDocSchema,
  walletKeyDocSchema,
  type WalletDoc,
} from '../db/index.js';
import { DEFAULT_RETRY_POLICY, KmsKeyUnusableError, withRetry } from '../kms/index.js';
import { canonicalAsset } from './assets.js';
import type { ReconcileReport, WalletStatus } from './contract.js';
import { walletKeyId, type ServiceContext } from './context.js';
import { finishWallet, newWalletDoc } from './create.js';
import { ensureIndexKey } from './keys.js';
import { walletClaim } from './lifecycle.js';
import { TAG_ASSET, TAG_NETWORK, TAG_USER_ID, type TaggedKey } from './kms-scan.js';
import { adoptKey, indexSlot, provisionKey, slotClaim, walletSlot, type SlotTarget } from './key-slot.js';
import { insertIfAbsent } from './errors.js';

export interface ReconcileOptions {
  dryRun?: boolean;
  /** CREATING records younger than this are left to their creator (default 300 s). */
  graceSeconds?: number;
}

type Report = ReconcileReport;

interface KeyState {
  state: string;
  deletionDate: Date | undefined;
  origin: string | undefined;
}

async function keyState(ctx: ServiceContext, keyId: string): Promise<KeyState> {
  try {
    const { KeyMetadata: meta } = await withRetry(
      (abortSignal) => ctx.kms.send(new DescribeKeyCommand({ KeyId: keyId }), { abortSignal }),
      DEFAULT_RETRY_POLICY,
    );
    return { state: meta?.KeyState ?? 'Unknown', deletionDate: meta?.DeletionDate, origin: meta?.Origin };
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NotFoundException') {
      return { state: 'NotFound', deletionDate: undefined, origin: undefined };
    }
    throw error;
  }
}

export async function reconcile(ctx: ServiceContext, options: ReconcileOptions = {}): Promise<Report> {
  const dryRun = options.dryRun ?? false;
  const graceMs = (options.graceSeconds ?? 300) * 1000;
  const report: Report = { keysWithoutRecord: [], recordsWithoutKey: [], unfinished: [], dryRun };
  await keysToRecords(ctx, report, dryRun);
  await recordsToKeys(ctx, report, dryRun);
  await finishUnfinished(ctx, report, dryRun, new Date(ctx.clock().getTime() - graceMs));
  return report;
}

// ── 1. KMS → records ────────────────────────────────────────────────────────────────────────────

async function keysToRecords(ctx: ServiceContext, report: Report, dryRun: boolean): Promise<void> {
  for await (const key of ctx.scanner.unknownKeys()) {
    const note = (action: string) =>
      report.keysWithoutRecord.push({ kmsKeyId: key.keyId, signatureId: key.walletId, action });
    if (key.walletId === null) {
      note('no WalletId tag: left alone');
      continue;
    }
    try {
      const state = await keyState(ctx, key.keyId);
      const wallet = await ctx.wallets.findOne({ _id: key.walletId });
      const handle = key.index === 0 ? walletKey : indexKey;
      note(await handle(ctx, { key, walletId: key.walletId, state, wallet }, dryRun));
    } catch (error) {
      note(`failed: ${redactError(error)}`);
    }
  }
}

const would = (dryRun: boolean, action: string) => (dryRun ? `would: ${action}` : action);

/** A key whose slot already has another key: never published, so it can go. */
async function duplicate(
  ctx: ServiceContext,
  key: TaggedKey,
  state: KeyState,
  dryRun: boolean,
): Promise<string> {
  if (state.state === 'PendingDeletion')
    return 'duplicate key (the record has another key), already pending deletion';
  if (!dryRun) await ctx.vault.scheduleKeyDeletion(key.keyId, 7);
  return would(dryRun, 'duplicate key (the record has another key): deletion scheduled in 7 days');
}

/** Adopts `key` into the slot under the slot's claim, then completes the record. */
async function adoptInto(
  ctx: ServiceContext,
  target: SlotTarget,
  key: TaggedKey,
  dryRun: boolean,
  what: string,
) {
  if (dryRun) return `would: adopt the key and complete the ${what}`;
  const adopted = await ctx.claims.with(slotClaim(target), ctx.owner, ctx.leaseMs, () =>
    adoptKey(ctx, target, key),
  );
  if (!adopted) return `the ${what} is being created by another caller: left to it`;
  if (!adopted.value) return 'the record already has another key: this one scheduled for deletion';
  await provisionKey(ctx, target);
  return `key adopted, ${what} completed`;
}

/** A key no record references, with what is known about it. */
interface UnknownKey {
  key: TaggedKey;
  walletId: string;
  state: KeyState;
  /** The record of the key's WalletId, if any. */
  wallet: WalletDoc | null;
}

async function walletKey(
  ctx: ServiceContext,
  { key, walletId, state, wallet }: UnknownKey,
  dryRun: boolean,
): Promise<string> {
  if (wallet && !isPending(wallet.kmsKeyId)) return duplicate(ctx, key, state, dryRun);
  if (state.state === 'PendingDeletion') return 'key pending deletion: left alone';
  if (wallet) {
    if (state.state === 'PendingImport') return 'import never finished: handled with the unfinished records';
    return adoptInto(ctx, walletSlot(ctx, wallet), key, dryRun, 'wallet');
  }
  // No record: rebuild it from the tags.
  const chain = key.tags.Chain ?? '';
  const network = key.tags[TAG_NETWORK] ?? '';
  if (!isChainId(chain) || !isNetworkName(network) || !listNetworks(chain).includes(network)) {
    return 'no record, and the tags do not name a chain and network: left for manual review';
  }
  if (!['Enabled', 'Disabled'].includes(state.state)) return `no record, key is ${state.state}: left alone`;
  if (dryRun) return 'would: rebuild the record from the key tags';
  const asset = canonicalAsset(chain, key.tags[TAG_ASSET] ?? '') ?? canonicalAsset(chain, chain) ?? chain;
  const input = {
    userId: key.tags[TAG_USER_ID] ?? 'unknown',
    chain,
    network,
    asset,
    label: null,
    index: null,
  };
  const doc = newWalletDoc(walletId, input, ctx.clock(), {
    keyOrigin: state.origin === 'EXTERNAL' ? 'EXTERNAL' : 'AWS_KMS',
  });
  await insertIfAbsent(ctx.wallets, doc);
  await adoptInto(ctx, walletSlot(ctx, doc), key, false, 'wallet');
  if (state.state === 'Disabled') {
    await ctx.wallets.updateOne(
      { _id: walletId, status: 'ACTIVE' },
      { $set: { status: 'DISABLED', updatedAt: ctx.clock() } },
    );
  }
  return `record rebuilt from the key tags (${state.state === 'Disabled' ? 'DISABLED' : 'ACTIVE'})`;
}

async function indexKey(
  ctx: ServiceContext,
  { key, walletId, state, wallet }: UnknownKey,
  dryRun: boolean,
): Promise<string> {
  if (!wallet) return `index ${key.index} key of an unknown wallet: left for manual review`;
  const id = walletKeyId(walletId, key.index);
  const existing = await ctx.walletKeys.findOne({ _id: id });
  if (existing && !isPending(existing.kmsKeyId)) return duplicate(ctx, key, state, dryRun);
  if (state.state === 'PendingDeletion') return 'key pending deletion: left alone';
  if (existing)
    return adoptInto(ctx, indexSlot(ctx, wallet, id, key.index), key, dryRun, `index ${key.index} key`);
  if (dryRun) return `would: rebuild the index ${key.index} record`;
  const now = ctx.clock();
  await insertIfAbsent(
    ctx.walletKeys,
    checkDoc(walletKeyDocSchema, 'wallet_keys', {
      _id: id,
      signatureId: walletId,
      index: key.index,
      chain: wallet.chain,
      network: wallet.network,
      status: 'CREATING',
      kmsKeyId: key.keyId,
      kmsKeyArn: key.arn,
      publicKey: null,
      address: `pending:${id}`,
      addresses: [],
      keyAttemptAt: now,
      keyIssue: null,
      createdAt: now,
      updatedAt: now,
    }),
  );
  await provisionKey(ctx, indexSlot(ctx, wallet, id, key.index));
  return `index ${key.index} record rebuilt from the key tags`;
}

// ── 2. Records → KMS ────────────────────────────────────────────────────────────────────────────

const EXPECTED: Record<Exclude<WalletStatus, 'CREATING'>, string> = {
  ACTIVE: 'Enabled',
  DISABLED: 'Disabled',
  PENDING_DELETION: 'PendingDeletion',
};

type SettledStatus = Exclude<WalletStatus, 'CREATING'>;

interface RecordUnderCheck {
  signatureId: string;
  kmsKeyId: string;
  /** The wallet's status (for an index key: its wallet's). */
  status: SettledStatus;
  /** The wallet record when the key is its index-0 key. */
  walletDoc: WalletDoc | null;
  /** The wallet_keys record when the key is an index key. */
  walletKeyDocId: string | null;
}

async function recordsToKeys(ctx: ServiceContext, report: Report, dryRun: boolean): Promise<void> {
  const statuses = new Map<string, SettledStatus>();
  for await (const wallet of ctx.wallets.find({ status: { $ne: 'CREATING' } })) {
    if (wallet.status === 'CREATING') continue;
    statuses.set(wallet._id, wallet.status);
    const { signatureId, kmsKeyId, status } = wallet;
    // Under the wallet's claim, so no transition runs meanwhile; a wallet mid-transition is skipped.
    await ctx.claims.with(walletClaim(signatureId), ctx.owner, ctx.leaseMs, () =>
      checkRecord(ctx, report, dryRun, {
        signatureId,
        kmsKeyId,
        status,
        walletDoc: wallet,
        walletKeyDocId: null,
      }),
    );
  }
  for await (const key of ctx.walletKeys.find({ status: 'ACTIVE' })) {
    const status = statuses.get(key.signatureId);
    if (status === undefined) continue;
    const { signatureId, kmsKeyId } = key;
    await checkRecord(ctx, report, dryRun, {
      signatureId,
      kmsKeyId,
      status,
      walletDoc: null,
      walletKeyDocId: key._id,
    });
  }
}

async function checkRecord(
  ctx: ServiceContext,
  report: Report,
  dryRun: boolean,
  record: RecordUnderCheck,
): Promise<void> {
  const { signatureId, kmsKeyId, status, walletDoc, walletKeyDocId } = record;
  const note = (action: string) => report.recordsWithoutKey.push({ signatureId, kmsKeyId, action });
  let state: KeyState;
  try {
    state = await keyState(ctx, kmsKeyId);
  } catch (error) {
    note(`DescribeKey failed: ${redactError(error)}`);
    return;
  }
  if (state.state === EXPECTED[status]) return;

  const markWallet = async (fields: Partial<WalletDoc>, action: string) => {
    if (!dryRun && walletDoc) {
      await ctx.wallets.updateOne(
        { _id: walletDoc._id, status: walletDoc.status },
        { $set: checkSet(walletDocSchema, 'wallets', { ...fields, updatedAt: ctx.clock() }) },
      );
    }
    note(would(dryRun, action));
  };
  const markKeyIssue = async (issue: string, action: string) => {
    if (!dryRun) {
      if (walletDoc) await ctx.wallets.updateOne({ _id: walletDoc._id }, { $set: { keyIssue: issue } });
      else if (walletKeyDocId)
        await ctx.walletKeys.updateOne({ _id: walletKeyDocId }, { $set: { keyIssue: issue } });
    }
    note(would(dryRun, action));
  };

  if (state.state === 'Enabled' && status === 'DISABLED') {
    if (!dryRun) await ctx.vault.disableKey(kmsKeyId);
    note(
      would(dryRun, 'key was enabled outside the service while the wallet is DISABLED: key disabled again'),
    );
  } else if (!walletDoc) {
    // An index key out of line with its wallet: report it; the wallet's own key decides the status.
    await markKeyIssue(
      `KMS key is ${state.state}`,
      `index key is ${state.state} while the wallet is ${status}: reported`,
    );
  } else if (state.state === 'Disabled' && status === 'ACTIVE') {
    await markWallet({ status: 'DISABLED' }, 'key was disabled outside the service: wallet marked DISABLED');
  } else if (state.state === 'PendingDeletion') {
    await markWallet(
      { status: 'PENDING_DELETION', deletionDate: state.deletionDate ?? null },
      'key was scheduled for deletion outside the service: wallet marked PENDING_DELETION',
    );
  } else if ((state.state === 'Enabled' || state.state === 'Disabled') && status === 'PENDING_DELETION') {
    const next = state.state === 'Enabled' ? 'ACTIVE' : 'DISABLED';
    await markWallet(
      { status: next, deletionDate: null },
      `deletion was cancelled outside the service: wallet marked ${next}`,
    );
  } else {
    const issue = state.state === 'NotFound' ? 'KMS key not found' : `KMS key is ${state.state}`;
    if (!dryRun && status === 'ACTIVE') {
      await ctx.wallets.updateOne(
        { _id: walletDoc._id, status: 'ACTIVE' },
        { $set: { status: 'DISABLED', updatedAt: ctx.clock() } },
      );
    }
    await markKeyIssue(
      issue,
      `${issue}: keyIssue recorded${status === 'ACTIVE' ? ', wallet marked DISABLED' : ''}`,
    );
  }
}

// ── 3. Unfinished records ───────────────────────────────────────────────────────────────────────

async function finishUnfinished(
  ctx: ServiceContext,
  report: Report,
  dryRun: boolean,
  cutoff: Date,
): Promise<void> {
  const wallets = await ctx.wallets.find({ status: 'CREATING', createdAt: { $lt: cutoff } }).toArray();
  for (const wallet of wallets) {
    const note = (action: string) => report.unfinished.push({ signatureId: wallet.signatureId, action });
    try {
      if (wallet.keyOrigin === 'EXTERNAL') {
        note(await abandonImport(ctx, wallet, dryRun));
      } else if (dryRun) {
        note(
          isPending(wallet.kmsKeyId)
            ? 'would: create the key and finish the wallet'
            : 'would: finish the wallet',
        );
      } else {
        const view = await finishWallet(ctx, wallet.signatureId);
        note(view.status === 'CREATING' ? 'still being created by another caller' : 'finished');
      }
    } catch (error) {
      note(`failed: ${redactError(error)}`);
    }
  }
  const keys = await ctx.walletKeys.find({ status: 'CREATING', createdAt: { $lt: cutoff } }).toArray();
  for (const key of keys) {
    const note = (action: string) =>
      report.unfinished.push({ signatureId: key.signatureId, action: `index ${key.index}: ${action}` });
    const wallet = await ctx.wallets.findOne({ _id: key.signatureId });
    if (!wallet) {
      note('wallet record missing: left for manual review');
      continue;
    }
    if (dryRun) {
      note('would: finish the key');
      continue;
    }
    try {
      await ensureIndexKey(ctx, wallet, key.index);
      note('finished');
    } catch (error) {
      note(`failed: ${redactError(error)}`);
    }
  }
}

async function abandonImport(ctx: ServiceContext, wallet: WalletDoc, dryRun: boolean): Promise<string> {
  const tagged = isPending(wallet.kmsKeyId)
    ? (await ctx.scanner.findSlotKeys(wallet.signatureId, 0)).map((k) => k.keyId)
    : [wallet.kmsKeyId];
  if (dryRun) return 'would: remove the unfinished import (the private key is gone) and delete its key';
  for (const keyId of tagged) {
    const { state } = await keyState(ctx, keyId);
    if (state !== 'PendingDeletion' && state !== 'NotFound') {
      await ctx.vault.scheduleKeyDeletion(keyId, 7).catch((error: unknown) => {
        if (!(error instanceof KmsKeyUnusableError)) throw error;
      });
    }
  }
  await ctx.wallets.deleteOne({ _id: wallet._id, status: 'CREATING' });
  return `unfinished import removed${tagged.length > 0 ? `; ${tagged.length} key(s) scheduled for deletion` : ''}`;
}
