// Maps failures of the layers below (KMS vault, MongoDB) to WalletError codes the API and CLI
// understand. Messages are redacted: no connection string or secret ever reaches a caller or a log.
import {
  MongoError,
  MongoNetworkError,
  MongoServerSelectionError,
  type Collection,
  type Document,
  type OptionalUnlessRequiredId,
} from 'mongodb';
import { redact } from '../config/redact.js';
import { InvalidInputError, KmsKeyUnusableError, KmsUnavailableError } from '../kms/index.js';
import { WalletError } from './contract.js';

/**
 * An outage names the dependency, never where it runs (host, port, endpoint, key): callers see this
 * message in 503 problems and CLI errors; the full, redacted reason is its `cause`, for the logs.
 */
function unavailable(message: string, error: Error): WalletError {
  const wrapped = new WalletError('UNAVAILABLE', message);
  wrapped.cause = redact(error.message);
  return wrapped;
}

export function toWalletError(error: unknown): unknown {
  if (error instanceof WalletError) return error;
  if (error instanceof KmsUnavailableError) {
    return unavailable(`KMS unavailable (${error.operation} failed after ${error.attempts} attempts)`, error);
  }
  if (error instanceof KmsKeyUnusableError) return new WalletError('INVALID_STATE', redact(error.message));
  if (error instanceof InvalidInputError)
    return new WalletError('VALIDATION', redact(error.message), error.field);
  if (error instanceof MongoNetworkError || error instanceof MongoServerSelectionError) {
    return unavailable('MongoDB unavailable', error);
  }
  if (error instanceof MongoError) {
    const wrapped = new Error(`MongoDB: ${redact(error.message)}`, { cause: error });
    wrapped.name = 'MongoError';
    return wrapped;
  }
  return error;
}

/** Runs `operation`, translating whatever it throws. */
export async function translated<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toWalletError(error);
  }
}

export function isDuplicateKey(error: unknown): boolean {
  return error instanceof MongoError && error.code === 11000;
}

export const notFound = (): WalletError => new WalletError('NOT_FOUND', 'no such wallet');

/**
 * Inserts unless a document with the same _id exists. A plain insert, not an upsert: on FerretDB 1.24 an
 * update (even an upsert that only has $setOnInsert) rewrites the whole document it read, which could
 * undo a concurrent write.
 */
export async function insertIfAbsent<T extends Document>(
  collection: Collection<T>,
  doc: OptionalUnlessRequiredId<T>,
): Promise<void> {
  try {
    await collection.insertOne(doc);
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
  }
}
