// What every part of the wallet service shares: collections, the KMS vault and client, the clock, and
// this process's identity (owner of leases and locks).
import type { KMSClient } from '@aws-sdk/client-kms';
import type { Collection, Db } from 'mongodb';
import {
  COLLECTIONS,
  type ClaimStore,
  type BatchDoc,
  type IdempotencyDoc,
  type WalletOperationDoc,
  type WalletOperationLockDoc,
  type WalletDoc,
  type WalletKeyDoc,
} from '../db/index.js';
import type { KmsVault } from '../kms/index.js';
import type { KmsKeyScanner } from './kms-scan.js';

/**
 * Fault injection for tests (and observability hooks in general): called around KMS CreateKey for every
 * key the service creates. Throwing from a hook aborts the operation exactly there, like a crash.
 */
export interface WalletHooks {
  beforeCreateKey?: (event: { signatureId: string; index: number }) => void | Promise<void>;
  afterCreateKey?: (event: { signatureId: string; index: number; kmsKeyId: string }) => void | Promise<void>;
}

export interface ServiceContext {
  db: Db;
  wallets: Collection<WalletDoc>;
  walletKeys: Collection<WalletKeyDoc>;
  idempotency: Collection<IdempotencyDoc>;
  batches: Collection<BatchDoc>;
  walletOperations: Collection<WalletOperationDoc>;
  walletOperationLocks: Collection<WalletOperationLockDoc>;
  vault: KmsVault;
  kms: KMSClient;
  application: string;
  clock: () => Date;
  /** Identifies this service instance in leases and locks. */
  owner: string;
  hooks: WalletHooks;
  scanner: KmsKeyScanner;
  /** Insert-based claims: the only mutual exclusion FerretDB 1.24 gets right (db/claims.ts). */
  claims: ClaimStore;
  /** How long a CreateKey claim, a status-transition claim or a batch runner claim lasts unrenewed. */
  leaseMs: number;
  /** How long a caller waits for another caller's key creation before giving up. */
  waitMs: number;
  /** Keys one caller may have queued in RUNNING/PAUSED batches (batch.ts). */
  maxQueuedBatchKeys: number;
}

/** The collections the wallet reads need (loop-reads.ts): no vault, no KMS client, no claims. */
export type WalletCollections = Pick<ServiceContext, 'wallets' | 'walletKeys'>;

export function collectionsOf(db: Db) {
  return {
    wallets: db.collection<WalletDoc>(COLLECTIONS.wallets),
    walletKeys: db.collection<WalletKeyDoc>(COLLECTIONS.walletKeys),
    idempotency: db.collection<IdempotencyDoc>(COLLECTIONS.idempotencyKeys),
    batches: db.collection<BatchDoc>(COLLECTIONS.batches),
    walletOperations: db.collection<WalletOperationDoc>(COLLECTIONS.walletOperations),
    walletOperationLocks: db.collection<WalletOperationLockDoc>(COLLECTIONS.walletOperationLocks),
  };
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const later = (now: Date, ms: number): Date => new Date(now.getTime() + ms);

/** Id of the wallet_keys document of (signatureId, index). */
export const walletKeyId = (signatureId: string, index: number): string => `${signatureId}:${index}`;
