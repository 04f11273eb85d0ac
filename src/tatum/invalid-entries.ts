// Pending entries Tatum sent that can never be decoded (schema-invalid, oversized, duplicate JSON keys…)
// are reported to Tatum once and remembered, instead of once per pass: Tatum turns each report into a
// KMS_FAILED_TX webhook to the exchange (tatum-protocol.md §2.6), and it keeps listing the entry.
//
// Remembered by Tatum's id AND a hash of the entry as sent: if Tatum changes the payload under the same id,
// the new entry is looked at (and, if still invalid, reported) again. One document per (id, hash) in
// `invalid_pending`, taken by an insert against its unique _id — the one atomic operation on FerretDB —
// so of two runners exactly one reports it. When the report itself fails, the documents of that report are
// removed again and the next pass reports them.
import { createHash } from 'node:crypto';
import type { Collection, Db } from 'mongodb';
import { MongoServerError } from 'mongodb';
import { COLLECTIONS } from '../db/documents.js';
import type { InvalidPendingTransaction } from './types.js';

export const INVALID_PENDING = COLLECTIONS.invalidPending;

const DUPLICATE_KEY = 11000;

export interface InvalidPendingDoc {
  /** `<pending id>:<payloadHash>`. */
  _id: string;
  pendingId: string;
  chain: string;
  /** sha256 (hex) of the entry's JSON as Tatum sent it. */
  payloadHash: string;
  /** What was reported (issues joined). */
  error: string;
  reportedAt: Date;
}

/** sha256 of the entry's JSON text; the same entry sent again hashes the same (member order as sent). */
export function payloadHash(raw: unknown): string {
  // Wrapped in an array: JSON.stringify of a bare undefined is undefined, of [undefined] "[null]".
  return createHash('sha256')
    .update(JSON.stringify([raw]))
    .digest('hex');
}

export interface InvalidReport {
  signatureId: string;
  error: string;
  /** The remembered document's _id (what `forget` removes). */
  key: string;
}

export class InvalidEntries {
  private readonly docs: Collection<InvalidPendingDoc>;

  constructor(
    db: Db,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.docs = db.collection<InvalidPendingDoc>(INVALID_PENDING);
  }

  /**
   * The entries of `invalid` not reported before (by id and payload hash), each now remembered as reported;
   * entries without a usable id cannot be reported and are left to the client's warning log line.
   */
  async firstSightings(
    chain: string,
    invalid: readonly InvalidPendingTransaction[],
  ): Promise<InvalidReport[]> {
    const fresh: InvalidReport[] = [];
    for (const entry of invalid) {
      if (entry.id === undefined) continue;
      const error = `malformed pending transaction: ${entry.issues.join('; ')}`;
      const hash = payloadHash(entry.raw);
      const key = `${entry.id}:${hash}`;
      try {
        await this.docs.insertOne({
          _id: key,
          pendingId: entry.id,
          chain,
          payloadHash: hash,
          error,
          reportedAt: this.clock(),
        });
        fresh.push({ signatureId: entry.id, error, key });
      } catch (e) {
        if (!(e instanceof MongoServerError && e.code === DUPLICATE_KEY)) throw e;
      }
    }
    return fresh;
  }

  /** The report of these entries failed: forget them, so the next pass reports them again. */
  async forget(reports: readonly InvalidReport[]): Promise<void> {
    if (reports.length === 0) return;
    await this.docs.deleteMany({ _id: { $in: reports.map((r) => r.key) } });
  }
}
