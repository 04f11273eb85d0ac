// How a job treats an error of its signing step (job-errors.ts): only known permanent causes fail it;
// known temporary ones and unexpected ones (bugs, library errors) before signing are retried.
import { MongoNetworkError, MongoServerError, MongoServerSelectionError } from 'mongodb';
import { describe, expect, it } from 'vitest';
import { JobFailure, TatumApiError } from '../../../src/tatum/errors.js';
import { classifyJobError } from '../../../src/tatum/job-errors.js';

const before = (error: unknown) => classifyJobError(error, false);

describe('classifyJobError before the KMS Sign call', () => {
  it('a JobFailure keeps its own verdict', () => {
    expect(before(new JobFailure('policy denied: cap'))).toEqual({
      kind: 'failed',
      reason: 'policy denied: cap',
    });
    expect(before(new JobFailure('four-eyes service unavailable: 503', true))).toEqual({
      kind: 'retry',
      reason: 'four-eyes service unavailable: 503',
    });
  });

  it('an unexpected error is an internal error: retried, named, redacted, with its stack', () => {
    const bug = new TypeError(
      "Cannot read properties of undefined (reading 'gasPrice') at mongodb://signer:hunter22@db.internal:27017",
    );
    const verdict = before(bug);
    expect(verdict).toMatchObject({
      kind: 'internal',
      reason: expect.stringMatching(
        /^internal error \(TypeError\): Cannot read properties of undefined/,
      ) as string,
    });
    expect(verdict.reason).not.toContain('hunter22');
    expect(verdict.kind === 'internal' && verdict.stack).toMatch(/TypeError: Cannot read/);
    expect(verdict.kind === 'internal' && verdict.stack).not.toContain('hunter22');
    expect(before('a thrown string')).toMatchObject({
      kind: 'internal',
      reason: 'internal error (string): a thrown string',
    });
  });

  it('MongoDB unreachable is temporary; another MongoDB error is internal', () => {
    expect(before(new MongoNetworkError('connection 4 to 127.0.0.1:27017 closed'))).toEqual({
      kind: 'retry',
      reason: 'MongoDB unavailable: connection 4 to 127.0.0.1:27017 closed',
    });
    const selection = new MongoServerSelectionError('Server selection timed out after 30000 ms', {} as never);
    expect(before(selection)).toMatchObject({
      kind: 'retry',
      reason: expect.stringMatching(/^MongoDB unavailable/) as string,
    });
    const stepDown = new MongoServerError({
      message: 'not primary',
      code: 10107,
      errorLabels: ['RetryableWriteError'],
    });
    expect(before(stepDown)).toMatchObject({ kind: 'retry' });
    const duplicate = new MongoServerError({ message: 'E11000 duplicate key', code: 11000 });
    expect(before(duplicate)).toMatchObject({
      kind: 'internal',
      reason: expect.stringMatching(/^internal error \(MongoServerError\)/) as string,
    });
  });

  it('Tatum: 5xx, 429, network errors and 401/402/407/408 are temporary; another 4xx is a refusal', () => {
    for (const [status, retryable] of [
      [500, true],
      [503, true],
      [429, true],
      [undefined, true],
      [401, false],
      [402, false],
      [407, false],
      [408, false],
    ] as const) {
      const error = new TatumApiError(`Tatum GET /v3/flow/proposal/true: HTTP ${status}`, status, retryable);
      expect(before(error), `HTTP ${status}`).toMatchObject({ kind: 'retry', reason: error.message });
    }
    expect(before(new TatumApiError('Tatum POST /v3/flow/sign: HTTP 400', 400, false))).toMatchObject({
      kind: 'failed',
    });
    expect(before(new TatumApiError('HTTP 403', 403, false))).toMatchObject({ kind: 'failed' });
  });
});

describe('classifyJobError after KMS produced a signature', () => {
  it('keeps what the job always did: only a retryable JobFailure is retried', () => {
    expect(classifyJobError(new TypeError('x is undefined'), true)).toEqual({
      kind: 'failed',
      reason: 'x is undefined',
    });
    expect(classifyJobError(new MongoNetworkError('closed'), true)).toEqual({
      kind: 'failed',
      reason: 'closed',
    });
    expect(classifyJobError(new JobFailure('busy', true), true)).toEqual({ kind: 'retry', reason: 'busy' });
  });
});
