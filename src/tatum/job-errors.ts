// What an error thrown before the KMS Sign call means for the job. Only a known permanent cause — the
// loop's own refusals (JobFailure: the decoder, policy, four-eyes, a wallet we must not use) or Tatum
// refusing a request (a 4xx about it) — fails the job, and a FAILED job is reported: Tatum turns the
// report into a KMS_FAILED_TX webhook, and the exchange may give the withdrawal up. Known temporary causes
// (a retryable JobFailure, MongoDB unreachable, Tatum 5xx/429/network) are retried. Anything else (a
// TypeError, a bug, an unexpected library error) says nothing about the transaction: it is retried too —
// give-up.ts reports it only after the give-up age — and logged with its stack as an internal error.
import {
  MongoError,
  MongoNetworkError,
  MongoNotConnectedError,
  MongoServerSelectionError,
  MongoTopologyClosedError,
} from 'mongodb';
import { redact } from '../config/index.js';
import { errorMessage } from '../util/error-message.js';
import { isTatumRefusal, JobFailure, TatumApiError } from './errors.js';

export type JobErrorVerdict =
  | { kind: 'failed'; reason: string }
  | { kind: 'retry'; reason: string }
  | { kind: 'internal'; reason: string; stack: string | undefined };

/** MongoDB cannot be reached right now (no server, a dropped connection, a fail-over). */
export function isMongoUnavailable(error: unknown): boolean {
  return (
    error instanceof MongoNetworkError ||
    error instanceof MongoServerSelectionError ||
    error instanceof MongoNotConnectedError ||
    error instanceof MongoTopologyClosedError ||
    (error instanceof MongoError &&
      (error.hasErrorLabel('RetryableWriteError') || error.hasErrorLabel('TransientTransactionError')))
  );
}

/**
 * How a job treats an error of its signing step. Once KMS produced a signature only a retryable JobFailure
 * is retried, as always: from there the exactly-once steps (bytes stored before the broadcast) decide.
 */
export function classifyJobError(error: unknown, signatureMade: boolean): JobErrorVerdict {
  if (signatureMade) {
    const retry = error instanceof JobFailure && error.retryable;
    return { kind: retry ? 'retry' : 'failed', reason: errorMessage(error) };
  }
  return classifyBeforeSigning(error);
}

/** How a job treats an error thrown before anything was signed. */
export function classifyBeforeSigning(error: unknown): JobErrorVerdict {
  if (error instanceof JobFailure) {
    return { kind: error.retryable ? 'retry' : 'failed', reason: error.message };
  }
  if (isMongoUnavailable(error))
    return { kind: 'retry', reason: `MongoDB unavailable: ${errorMessage(error)}` };
  if (error instanceof TatumApiError) {
    return { kind: isTatumRefusal(error) ? 'failed' : 'retry', reason: error.message };
  }
  const name = error instanceof Error ? error.name : typeof error;
  const stack = error instanceof Error && error.stack !== undefined ? redact(error.stack) : undefined;
  return { kind: 'internal', reason: `internal error (${name}): ${redact(errorMessage(error))}`, stack };
}
