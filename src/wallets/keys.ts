// getAddress: index 0 is the wallet's own key; every other index has its own KMS key, created on first
// use. Concurrent first requests for one index meet on the unique (signatureId, index) record: the
// placeholder is upserted once, one caller claims it and creates the key, the others wait for it.
import {
  checkDoc,
  isPending,
  pendingValue,
  walletKeyDocSchema,
  type WalletDoc,
  type WalletKeyDoc,
} from '../db/index.js';
import { WalletError, type WalletKeyView } from './contract.js';
import { walletKeyId, type ServiceContext, type WalletCollections } from './context.js';
import { insertIfAbsent, notFound } from './errors.js';
import { indexSlot, provisionKey } from './key-slot.js';
import { checkIndex, checkSignatureId, invalid } from './validation.js';
import { getChain } from '../chains/index.js';
import { keyView } from './views.js';

export async function getAddress(
  ctx: ServiceContext,
  rawSignatureId: string,
  rawIndex: number,
): Promise<WalletKeyView> {
  const index = checkIndex(rawIndex);
  const signatureId = checkSignatureId(rawSignatureId);
  const wallet = await ctx.wallets.findOne({ _id: signatureId });
  if (!wallet) throw notFound();
  if (wallet.status === 'CREATING')
    throw new WalletError('INVALID_STATE', 'the wallet is still being created');
  if (index === 0) return keyView(wallet, 0);
  if (getChain(wallet.chain).addressFormats.length === 0) {
    // FLOW: one key per wallet, mapped to its chain account by registration (flow-registration.ts).
    throw invalid(
      'index',
      `${wallet.chain} wallets have one key (index 0); register it with its chain account`,
    );
  }
  return keyView(await ensureIndexKey(ctx, wallet, index), index);
}

export async function existingAddress(
  ctx: WalletCollections,
  rawSignatureId: string,
  rawIndex: number,
): Promise<WalletKeyView | null> {
  const index = checkIndex(rawIndex);
  const signatureId = checkSignatureId(rawSignatureId);
  if (index === 0) {
    const wallet = await ctx.wallets.findOne({ _id: signatureId });
    return wallet && !isPending(wallet.kmsKeyId) ? keyView(wallet, 0) : null;
  }
  const key = await ctx.walletKeys.findOne({ _id: walletKeyId(signatureId, index) });
  return key?.status === 'ACTIVE' ? keyView(key, index) : null;
}

export async function ensureIndexKey(
  ctx: ServiceContext,
  wallet: WalletDoc,
  index: number,
): Promise<WalletKeyDoc> {
  const id = walletKeyId(wallet.signatureId, index);
  const existing = await ctx.walletKeys.findOne({ _id: id });
  if (existing?.status === 'ACTIVE') return existing;
  if (!existing) {
    if (wallet.status !== 'ACTIVE') {
      throw new WalletError(
        'INVALID_STATE',
        `cannot create a key for index ${index} of a ${wallet.status} wallet`,
      );
    }
    // A status change walks the keys in index order; a key it has already passed would miss it.
    if (await ctx.walletOperationLocks.findOne({ _id: wallet.signatureId }, { projection: { _id: 1 } })) {
      throw new WalletError('CONFLICT', 'a status change of this wallet is running; retry when it ends');
    }
    const now = ctx.clock();
    const placeholder = checkDoc(walletKeyDocSchema, 'wallet_keys', {
      _id: id,
      signatureId: wallet.signatureId,
      index,
      chain: wallet.chain,
      network: wallet.network,
      status: 'CREATING',
      kmsKeyId: pendingValue(id),
      kmsKeyArn: null,
      publicKey: null,
      address: pendingValue(id),
      addresses: [],
      keyAttemptAt: null,
      keyIssue: null,
      createdAt: now,
      updatedAt: now,
    });
    await insertIfAbsent(ctx.walletKeys, placeholder); // concurrent first callers: one insert wins
  }
  const doc = (await provisionKey(ctx, indexSlot(ctx, wallet, id, index))) as WalletKeyDoc;
  if (doc.status !== 'ACTIVE') {
    throw new WalletError('UNAVAILABLE', `the key for index ${index} is still being created; retry shortly`);
  }
  await alignWithWallet(ctx, wallet.signatureId, doc);
  return doc;
}

/** A key created while the wallet was being disabled or deleted must not stay usable. */
async function alignWithWallet(ctx: ServiceContext, signatureId: string, key: WalletKeyDoc): Promise<void> {
  const wallet = await ctx.wallets.findOne({ _id: signatureId }, { projection: { status: 1 } });
  if (wallet && wallet.status !== 'ACTIVE' && !isPending(key.kmsKeyId))
    await ctx.vault.disableKey(key.kmsKeyId);
}
