// withRetry and attempts that run out of time: a timed-out attempt is abandoned and retried, its late
// answer is never returned, and running out of attempts that way ends in RetryTimedOutError.
import { describe, expect, it } from 'vitest';
import {
  AttemptTimeoutError,
  RetryExhaustedError,
  RetryTimedOutError,
  isTimeoutError,
  withRetry,
  type RetryPolicy,
} from '../../../src/kms/retry.js';

const policy: RetryPolicy = {
  deadlineMs: 5_000,
  maxAttempts: 3,
  baseDelayMs: 1,
  maxDelayMs: 5,
  attemptTimeoutMs: 50,
};

const never = () => new Promise<never>(() => undefined);
const after = <T>(ms: number, value: T) =>
  new Promise<T>((resolve) => {
    setTimeout(() => {
      resolve(value);
    }, ms);
  });
/** What @smithy/node-http-handler rejects with when its requestTimeout elapses (throwOnRequestTimeout). */
const handlerTimeout = () =>
  Object.assign(new Error('a request has exceeded the configured 50 ms requestTimeout'), {
    name: 'TimeoutError',
    code: 'ETIMEDOUT',
  });

describe('withRetry and timed-out attempts', () => {
  it('abandons an attempt that does not answer in time and succeeds on the retry', async () => {
    let calls = 0;
    const retried: unknown[] = [];
    const result = await withRetry(() => (++calls === 1 ? never() : Promise.resolve('second')), policy, {
      onRetry: (error) => retried.push(error),
    });
    expect(result).toBe('second');
    expect(calls).toBe(2);
    expect(retried).toHaveLength(1);
    expect(retried[0]).toBeInstanceOf(AttemptTimeoutError);
  });

  it('never returns the late answer of an abandoned attempt', async () => {
    let calls = 0;
    // The first attempt answers 30 ms after its 100 ms timeout, while the retry (60 ms) is in flight.
    const result = await withRetry(() => (++calls === 1 ? after(130, 'stale') : after(60, 'fresh')), {
      ...policy,
      attemptTimeoutMs: 100,
    });
    expect(result).toBe('fresh');
    expect(calls).toBe(2);
  });

  it('aborts the signal of an operation that passes it on', async () => {
    const signals: AbortSignal[] = [];
    await withRetry((signal) => {
      signals.push(signal);
      return signals.length === 1 ? never() : Promise.resolve(1);
    }, policy);
    expect(signals[0]!.aborted).toBe(true);
    expect(signals[0]!.reason).toBeInstanceOf(AttemptTimeoutError);
    expect(signals[1]!.aborted).toBe(false);
  });

  it('retries the HTTP handler’s TimeoutError even when the caller’s predicate would not', async () => {
    let calls = 0;
    const result = await withRetry(
      () => (++calls === 1 ? Promise.reject(handlerTimeout()) : Promise.resolve('ok')),
      policy,
      { isRetryable: () => false },
    );
    expect(result).toBe('ok');
    expect(calls).toBe(2);
  });

  it('ends in RetryTimedOutError, carrying the last timeout, when every attempt times out', async () => {
    let calls = 0;
    const started = performance.now();
    const error = await withRetry(() => (++calls, never()), policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryTimedOutError);
    expect(error).toBeInstanceOf(RetryExhaustedError); // callers that only know the parent still match
    expect((error as RetryTimedOutError).lastError).toBeInstanceOf(AttemptTimeoutError);
    expect((error as RetryTimedOutError).outcome.attempts).toBe(3);
    expect(calls).toBe(3);
    // 3 × 50 ms plus backoff of at most 2 × 5 ms, with room for a loaded machine.
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('ends in RetryTimedOutError when the handler’s own timeout ends the last attempt', async () => {
    const error = await withRetry(() => Promise.reject(handlerTimeout()), policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryTimedOutError);
    expect((error as RetryTimedOutError).lastError).toMatchObject({ name: 'TimeoutError' });
  });

  it('keeps plain RetryExhaustedError for other transient failures', async () => {
    const throttled = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const error = await withRetry(() => Promise.reject(throttled), policy).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RetryExhaustedError);
    expect(error).not.toBeInstanceOf(RetryTimedOutError);
  });

  it('cuts the attempt at the deadline when it comes before the attempt timeout', async () => {
    const started = performance.now();
    const error = await withRetry(never, { ...policy, deadlineMs: 120, attemptTimeoutMs: 10_000 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(RetryTimedOutError);
    expect(performance.now() - started).toBeLessThan(1_000);
  });
});

describe('isTimeoutError', () => {
  it('knows our attempt timeout and the handler’s TimeoutError, nothing else', () => {
    expect(isTimeoutError(new AttemptTimeoutError('x'))).toBe(true);
    expect(isTimeoutError(handlerTimeout())).toBe(true);
    expect(isTimeoutError(Object.assign(new Error('x'), { name: 'ThrottlingException' }))).toBe(false);
    expect(isTimeoutError(Object.assign(new Error('x'), { name: 'AbortError' }))).toBe(false);
    expect(isTimeoutError('TimeoutError')).toBe(false);
    expect(isTimeoutError(null)).toBe(false);
  });
});
