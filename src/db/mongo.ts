// Connecting to MongoDB without leaking the connection string: driver errors (which can quote the URI
// or hosts) are rethrown with a redacted message.
import { MongoClient, type MongoClientOptions } from 'mongodb';
import { redactError } from '../config/redact.js';

export class DatabaseUnavailableError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DatabaseUnavailableError';
  }
}

export async function connectMongo(uri: string, options: MongoClientOptions = {}): Promise<MongoClient> {
  let client: MongoClient;
  try {
    client = new MongoClient(uri, {
      serverSelectionTimeoutMS: 5_000,
      connectTimeoutMS: 5_000,
      appName: 'kms-signer',
      ...options,
    });
  } catch (error) {
    throw new DatabaseUnavailableError(`MongoDB: invalid connection string (${redactError(error, [uri])})`);
  }
  try {
    await client.connect();
  } catch (error) {
    await client.close().catch(() => undefined);
    throw new DatabaseUnavailableError(`MongoDB: cannot connect (${redactError(error, [uri])})`);
  }
  return client;
}
