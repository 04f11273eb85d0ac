// Documents → public views. Placeholders (`pending:…`) never leave the service: a wallet still being
// created shows empty strings where its key data will be.
import { chainKeySpec } from '../chains/index.js';
import { isPending, type WalletDoc, type WalletKeyDoc } from '../db/index.js';
import { invalid } from './validation.js';
import type { WalletKeyView, WalletView } from './contract.js';

const real = (value: string | null): string => (value === null || isPending(value) ? '' : value);

export function walletView(doc: WalletDoc): WalletView {
  return {
    signatureId: doc.signatureId,
    userId: doc.userId,
    chain: doc.chain,
    asset: doc.asset,
    network: doc.network,
    label: doc.label,
    status: doc.status,
    address: real(doc.address),
    addresses: doc.addresses.map(({ format, address }) => ({ format, address })),
    publicKey: real(doc.publicKey),
    kmsKeyId: real(doc.kmsKeyId),
    kmsKeyArn: real(doc.kmsKeyArn),
    keyOrigin: doc.keyOrigin,
    keySpec: chainKeySpec(doc.chain),
    deletionDate: doc.deletionDate,
    ...(doc.flowAccount && !isPending(doc.address)
      ? { flowAccount: { address: doc.address, ...doc.flowAccount } }
      : {}),
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
  };
}

export function keyView(doc: WalletDoc | WalletKeyDoc, index: number): WalletKeyView {
  return {
    index,
    address: real(doc.address),
    addresses: doc.addresses.map(({ format, address }) => ({ format, address })),
    publicKey: real(doc.publicKey),
    kmsKeyId: real(doc.kmsKeyId),
    kmsKeyArn: real(doc.kmsKeyArn),
    createdAt: doc.createdAt,
  };
}

/** Pages are ordered by (createdAt, signatureId); the cursor is the last item's pair. */
export function encodeCursor(doc: Pick<WalletDoc, 'createdAt' | 'signatureId'>): string {
  return Buffer.from(JSON.stringify([doc.createdAt.getTime(), doc.signatureId])).toString('base64url');
}

export function decodeCursor(cursor: string): { createdAt: Date; signatureId: string } {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(parsed) &&
      parsed.length === 2 &&
      Number.isSafeInteger(parsed[0]) &&
      typeof parsed[1] === 'string'
    ) {
      return { createdAt: new Date(parsed[0] as number), signatureId: parsed[1] };
    }
  } catch {
    // fall through
  }
  throw invalid('cursor', 'is not a cursor returned by a previous page');
}
