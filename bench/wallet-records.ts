// Many ACTIVE ETH testnet wallet records at once, as the wallet service writes them (each checked with
// the same zod schema), inserted in bulk: creating 25,000 through KMS would take over an hour at the
// CreateKey quota. Filler wallets get well-formed made-up keys and addresses, since the signing loop
// reads only their signatureId; wallets that will have pending transactions get real keys
// (scripts/fixtures/fake-digest-signer.ts) so that their transactions can be signed and checked.
import { createHash, randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { deriveAddresses, loadAllAddressCode } from '../src/chains/index.js';
import { checkDoc, COLLECTIONS, walletDocSchema, type WalletDoc } from '../src/db/index.js';
import type { TestKey } from '../scripts/fixtures/fake-digest-signer.js';

// Every chain family's address code (src/chains/addresses/codecs.ts loads them on first use).
await loadAllAddressCode();

export const RECORD_CHAIN = 'ETH';
export const RECORD_NETWORK = 'testnet';
const INSERT_CHUNK = 1_000;

/** Record `index` (createdAt one millisecond apart, as a steady stream of creations would be). */
export function walletRecord(index: number, key?: TestKey): WalletDoc {
  const signatureId = randomUUID();
  const filler = createHash('sha256').update(`bench wallet ${index}`).digest('hex');
  const kmsKeyId = key?.keyId ?? randomUUID();
  const addresses = key
    ? deriveAddresses(RECORD_CHAIN, RECORD_NETWORK, key.publicKey)
    : [{ format: 'evm' as const, address: `0x${filler.slice(0, 40)}` }];
  const createdAt = new Date(Date.UTC(2026, 0, 1) + index);
  return checkDoc(walletDocSchema, 'wallets', {
    _id: signatureId,
    signatureId,
    userId: `bench-user-${index % 100}`,
    chain: RECORD_CHAIN,
    asset: 'ETH',
    network: RECORD_NETWORK,
    label: null,
    status: 'ACTIVE',
    kmsKeyId,
    kmsKeyArn: `arn:aws:kms:us-east-1:000000000000:key/${kmsKeyId}`,
    publicKey: key ? Buffer.from(key.publicKey).toString('hex') : `02${filler}`,
    address: addresses[0]?.address ?? '',
    addresses,
    keyOrigin: 'AWS_KMS',
    keyAttemptAt: createdAt,
    keyIssue: null,
    deletionDate: null,
    idempotencyKey: null,
    initialIndex: null,
    batchId: null,
    batchSeq: null,
    createdAt,
    updatedAt: createdAt,
  });
}

/** Inserts `docs` in chunks of 1,000 (one insertMany each); returns the elapsed milliseconds. */
export async function insertWalletRecords(db: Db, docs: readonly WalletDoc[]): Promise<number> {
  const wallets = db.collection<WalletDoc>(COLLECTIONS.wallets);
  const started = performance.now();
  for (let start = 0; start < docs.length; start += INSERT_CHUNK) {
    await wallets.insertMany(docs.slice(start, start + INSERT_CHUNK));
  }
  return performance.now() - started;
}
