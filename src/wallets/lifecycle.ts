// Status transitions of a wallet: what each does to one KMS key, which statuses it starts from, and the
// record update that ends it. They run as resumable jobs (operations.ts): KMS is changed key by key,
// then the record, so a job interrupted anywhere is finished by running it again — every KMS step
// tolerates being repeated (and reconcile reports the mismatch meanwhile).
import { checkSet, walletDocSchema, type WalletDoc, type WalletOperationDoc } from '../db/index.js';
import { KmsKeyUnusableError } from '../kms/index.js';
import { WalletError, type WalletOperationAction, type WalletStatus } from './contract.js';
import { later, type ServiceContext } from './context.js';
import { notFound } from './errors.js';

export interface Transition {
  /** Words for messages: "cannot <name> a wallet in status …". */
  name: string;
  from: readonly WalletStatus[];
  to: WalletStatus;
  /** Applies the KMS side to one key; returns the key's deletion date for a deletion. */
  applyKey(ctx: ServiceContext, keyId: string, days: number | null): Promise<Date | undefined>;
}

export const walletClaim = (signatureId: string): string => `wallet:${signatureId}`;

/** KMS answers KMSInvalidState when the key is already where we want it; check before giving up. */
async function tolerateState(
  ctx: ServiceContext,
  keyId: string,
  step: () => Promise<unknown>,
  acceptable: (state: string) => boolean,
): Promise<void> {
  try {
    await step();
  } catch (error) {
    if (!(error instanceof KmsKeyUnusableError) || error.reason !== 'invalid-state') throw error;
    const { state } = await ctx.vault.describeKey(keyId);
    if (!acceptable(state)) throw error;
  }
}

/** Disable/enable: the same KMS call on every key, then the status. Repeating is allowed (to → to). */
const toggle = (name: string, from: WalletStatus, to: WalletStatus, step: 'disableKey' | 'enableKey') => ({
  name,
  from: [from, to],
  to,
  async applyKey(ctx: ServiceContext, keyId: string) {
    await ctx.vault[step](keyId);
    return undefined;
  },
});

const DELETE: Transition = {
  name: 'delete',
  from: ['ACTIVE', 'DISABLED', 'PENDING_DELETION'],
  to: 'PENDING_DELETION',
  async applyKey(ctx, keyId, days) {
    let date: Date | undefined;
    await tolerateState(
      ctx,
      keyId,
      async () => (date = await ctx.vault.scheduleKeyDeletion(keyId, days ?? 30)),
      (state) => state === 'PendingDeletion',
    );
    return date ?? (await ctx.vault.describeKey(keyId)).deletionDate;
  },
};

// Cancelling is not idempotent on ACTIVE: an ACTIVE wallet has nothing to cancel.
const CANCEL_DELETION: Transition = {
  name: 'cancel the deletion of',
  from: ['PENDING_DELETION'],
  to: 'ACTIVE',
  async applyKey(ctx, keyId) {
    await tolerateState(
      ctx,
      keyId,
      () => ctx.vault.cancelKeyDeletion(keyId),
      (state) => state !== 'PendingDeletion',
    );
    // KMS leaves a cancelled key disabled.
    await ctx.vault.enableKey(keyId);
    return undefined;
  },
};

export const TRANSITIONS: Readonly<Record<WalletOperationAction, Transition>> = {
  disable: toggle('disable', 'ACTIVE', 'DISABLED', 'disableKey'),
  enable: toggle('enable', 'DISABLED', 'ACTIVE', 'enableKey'),
  delete: DELETE,
  'cancel-deletion': CANCEL_DELETION,
};

/** The wallet, if `transition` may start from its status. */
export function checkTransition(transition: Transition, wallet: WalletDoc | null): WalletDoc {
  if (!wallet) throw notFound();
  if (!transition.from.includes(wallet.status)) {
    throw new WalletError('INVALID_STATE', `cannot ${transition.name} a wallet in status ${wallet.status}`);
  }
  return wallet;
}

/** The record update that ends a job whose KMS side is done. */
export async function finishTransition(
  ctx: ServiceContext,
  transition: Transition,
  job: WalletOperationDoc,
): Promise<void> {
  const fields: Partial<WalletDoc> = { status: transition.to, updatedAt: ctx.clock() };
  if (transition.to === 'PENDING_DELETION') {
    // The wallet is gone when its first key is: report the earliest date.
    const current = await ctx.wallets.findOne({ _id: job.signatureId }, { projection: { deletionDate: 1 } });
    fields.deletionDate =
      current?.deletionDate ??
      job.deletionDate ??
      later(ctx.clock(), (job.pendingWindowDays ?? 30) * 86_400_000);
  } else {
    fields.deletionDate = null;
  }
  await ctx.wallets.updateOne(
    { _id: job.signatureId },
    { $set: checkSet(walletDocSchema, 'wallets', fields) },
  );
}
