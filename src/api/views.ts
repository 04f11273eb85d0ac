// Service views → JSON bodies. Every field is copied by name (nothing unexpected can leak through a
// spread) and dates become ISO-8601 strings.
import type * as z from 'zod';
import type {
  BatchView,
  WalletKeyView,
  WalletOperationView,
  WalletPage,
  WalletView,
} from '../wallets/contract.js';
import type {
  BatchSchema,
  WalletKeySchema,
  WalletOperationSchema,
  WalletPageSchema,
  WalletSchema,
} from './schemas.js';

function iso(date: Date | string): string {
  return new Date(date).toISOString();
}

export function walletPath(signatureId: string): string {
  return `/v1/wallets/${encodeURIComponent(signatureId)}`;
}

export function operationPath(signatureId: string, operationId: string): string {
  return `${walletPath(signatureId)}/operations/${encodeURIComponent(operationId)}`;
}

export function batchPath(batchId: string): string {
  return `/v1/wallets/batch/${encodeURIComponent(batchId)}`;
}

export function walletJson(w: WalletView): z.infer<typeof WalletSchema> {
  return {
    signatureId: w.signatureId,
    userId: w.userId,
    chain: w.chain,
    asset: w.asset,
    network: w.network,
    label: w.label,
    status: w.status,
    address: w.address,
    addresses: w.addresses.map(({ format, address }) => ({ format, address })),
    publicKey: w.publicKey,
    kmsKeyId: w.kmsKeyId,
    kmsKeyArn: w.kmsKeyArn,
    keyOrigin: w.keyOrigin,
    deletionDate: w.deletionDate === null ? null : iso(w.deletionDate),
    flowAccount: w.flowAccount ? { ...w.flowAccount } : null,
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
  };
}

export function walletKeyJson(signatureId: string, k: WalletKeyView): z.infer<typeof WalletKeySchema> {
  return {
    signatureId,
    index: k.index,
    address: k.address,
    addresses: k.addresses.map(({ format, address }) => ({ format, address })),
    publicKey: k.publicKey,
    kmsKeyId: k.kmsKeyId,
    kmsKeyArn: k.kmsKeyArn,
    createdAt: iso(k.createdAt),
  };
}

export function walletPageJson(page: WalletPage): z.infer<typeof WalletPageSchema> {
  return { items: page.items.map(walletJson), nextCursor: page.nextCursor };
}

export function batchJson(b: BatchView): z.infer<typeof BatchSchema> {
  return {
    batchId: b.batchId,
    chain: b.chain,
    network: b.network,
    userId: b.userId,
    asset: b.asset,
    count: b.count,
    created: b.created,
    status: b.status,
    error: b.error,
    signatureIds: [...b.signatureIds],
    createdAt: iso(b.createdAt),
    updatedAt: iso(b.updatedAt),
    links: { self: batchPath(b.batchId) },
  };
}

export function operationJson(o: WalletOperationView): z.infer<typeof WalletOperationSchema> {
  return {
    operationId: o.operationId,
    signatureId: o.signatureId,
    action: o.action,
    status: o.status,
    keys: o.keys,
    done: o.done,
    targetStatus: o.targetStatus,
    pendingWindowDays: o.pendingWindowDays,
    error: o.error,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    links: { self: operationPath(o.signatureId, o.operationId), wallet: walletPath(o.signatureId) },
  };
}
