// Status transitions. KMS is changed first, then the record, under the per-wallet claim "wallet:<id>"
// (db/claims.ts — an insert, because FerretDB's conditional updates are not atomic) so two transitions
// never interleave. If the process dies between
// the KMS calls and the record update, repeating the same call finishes it: every KMS step tolerates
// being repeated (and reconcile reports the mismatch meanwhile).
import { checkSet, isPending, walletDocSchema, type WalletDoc } from '../db/index.js';
import { KmsKeyUnusableError, MAX_PENDING_WINDOW_DAYS } from '../kms/index.js';
import { WalletError, type WalletStatus, type WalletView } from './contract.js';
import { later, type ServiceContext } from './context.js';
import { notFound } from './errors.js';
import { checkPendingWindow, checkSignatureId } from './validation.js';
import { walletView } from './views.js';

interface Transition {
  name: string;
  from: readonly WalletStatus[];
  to: WalletStatus;
  /** Applies the KMS side to every key; returns the extra fields to set. */
  apply(ctx: ServiceContext, keyIds: string[]): Promise<Partial<WalletDoc>>;
}

/** Every real KMS key of the wallet: index 0 first, then the index keys. */
async function walletKeyIds(ctx: ServiceContext, wallet: WalletDoc): Promise<string[]> {
  const keys = await ctx.walletKeys
    .find({ signatureId: wallet.signatureId }, { projection: { kmsKeyId: 1 } })
    .toArray();
  return [wallet.kmsKeyId, ...keys.map((k) => k.kmsKeyId)].filter((id) => !isPending(id));
}

export const walletClaim = (signatureId: string): string => `wallet:${signatureId}`;

async function run(ctx: ServiceContext, rawSignatureId: string, transition: Transition): Promise<WalletView> {
  const signatureId = checkSignatureId(rawSignatureId);
  const allowed = [...transition.from, transition.to];
  const checkStatus = (wallet: WalletDoc | null): WalletDoc => {
    if (!wallet) throw notFound();
    if (!allowed.includes(wallet.status)) {
      throw new WalletError('INVALID_STATE', `cannot ${transition.name} a wallet in status ${wallet.status}`);
    }
    return wallet;
  };
  checkStatus(await ctx.wallets.findOne({ _id: signatureId }));
  const done = await ctx.claims.with(walletClaim(signatureId), ctx.owner, ctx.leaseMs, async () => {
    const wallet = checkStatus(await ctx.wallets.findOne({ _id: signatureId }));
    const fields = await transition.apply(ctx, await walletKeyIds(ctx, wallet));
    const updated = { ...wallet, ...fields, status: transition.to, updatedAt: ctx.clock() };
    await ctx.wallets.updateOne(
      { _id: signatureId },
      {
        $set: checkSet(walletDocSchema, 'wallets', {
          ...fields,
          status: updated.status,
          updatedAt: updated.updatedAt,
        }),
      },
    );
    return walletView(updated);
  });
  if (!done) throw new WalletError('CONFLICT', 'another operation on this wallet is in progress; retry');
  return done.value;
}

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

/** Disable/enable: the same KMS call on every key, then the status. */
const toggle = (
  name: string,
  from: WalletStatus,
  to: WalletStatus,
  step: 'disableKey' | 'enableKey',
): Transition => ({
  name,
  from: [from],
  to,
  async apply(ctx, keyIds) {
    for (const keyId of keyIds) await ctx.vault[step](keyId);
    return {};
  },
});

const DISABLE = toggle('disable', 'ACTIVE', 'DISABLED', 'disableKey');
const ENABLE = toggle('enable', 'DISABLED', 'ACTIVE', 'enableKey');

function scheduleDeletion(days: number): Transition {
  return {
    name: 'delete',
    from: ['ACTIVE', 'DISABLED'],
    to: 'PENDING_DELETION',
    async apply(ctx, keyIds) {
      let deletionDate: Date | null = null;
      for (const keyId of keyIds) {
        let date: Date | undefined;
        await tolerateState(
          ctx,
          keyId,
          async () => (date = await ctx.vault.scheduleKeyDeletion(keyId, days)),
          (state) => state === 'PendingDeletion',
        );
        date ??= (await ctx.vault.describeKey(keyId)).deletionDate;
        // The wallet is gone when its first key is: report the earliest date.
        if (date && (deletionDate === null || date < deletionDate)) deletionDate = date;
      }
      return { deletionDate: deletionDate ?? later(ctx.clock(), days * 86_400_000) };
    },
  };
}

const CANCEL_DELETION: Transition = {
  name: 'cancel the deletion of',
  from: ['PENDING_DELETION'],
  to: 'ACTIVE',
  async apply(ctx, keyIds) {
    for (const keyId of keyIds) {
      await tolerateState(
        ctx,
        keyId,
        () => ctx.vault.cancelKeyDeletion(keyId),
        (state) => state !== 'PendingDeletion',
      );
      // KMS leaves a cancelled key disabled.
      await ctx.vault.enableKey(keyId);
    }
    return { deletionDate: null };
  },
};

export const disableWallet = (ctx: ServiceContext, id: string) => run(ctx, id, DISABLE);
export const enableWallet = (ctx: ServiceContext, id: string) => run(ctx, id, ENABLE);
export const cancelWalletDeletion = async (ctx: ServiceContext, id: string): Promise<WalletView> => {
  const signatureId = checkSignatureId(id);
  // Cancelling is not idempotent on ACTIVE (the generic `to` allowance): an ACTIVE wallet has nothing to cancel.
  const current = await ctx.wallets.findOne({ _id: signatureId }, { projection: { status: 1 } });
  if (!current) throw notFound();
  if (current.status !== 'PENDING_DELETION') {
    throw new WalletError(
      'INVALID_STATE',
      `cannot cancel the deletion of a wallet in status ${current.status}`,
    );
  }
  return run(ctx, signatureId, CANCEL_DELETION);
};
export const scheduleWalletDeletion = (ctx: ServiceContext, id: string, days?: number) =>
  run(ctx, id, scheduleDeletion(checkPendingWindow(days ?? MAX_PENDING_WINDOW_DAYS)));
