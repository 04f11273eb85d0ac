// Retries transient KMS failures with jittered exponential backoff under an overall deadline.
// The SDK's own retries are switched off (client.ts) so that this is the only retry layer and the
// deadline really bounds the call.
import pRetry, { AbortError } from 'p-retry';

export interface RetryPolicy {
  /** Overall time budget for one vault operation, including waits and every attempt. */
  readonly deadlineMs: number;
  readonly maxAttempts: number;
  /** First backoff; doubles per retry, multiplied by a random factor in [1, 2). */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Upper bound for a single HTTP attempt (cut shorter when the deadline is closer). */
  readonly attemptTimeoutMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  deadlineMs: 15_000,
  maxAttempts: 8,
  baseDelayMs: 50,
  maxDelayMs: 2_000,
  attemptTimeoutMs: 5_000,
};

const RETRYABLE_NAMES = new Set([
  'ThrottlingException',
  'KMSInternalException',
  'DependencyTimeoutException',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  'InternalFailure',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AttemptTimeoutError',
]);

const RETRYABLE_NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

interface ErrorShape {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  $metadata?: { httpStatusCode?: number };
  cause?: unknown;
}

/** True for failures that may heal by themselves: throttling, KMS-side faults, 5xx, timeouts, resets. */
export function isRetryableKmsError(error: unknown): boolean {
  if (typeof error !== 'object' || error === null) return false;
  const e = error as ErrorShape;
  if (typeof e.name === 'string' && RETRYABLE_NAMES.has(e.name)) return true;
  if (typeof e.code === 'string' && RETRYABLE_NETWORK_CODES.has(e.code)) return true;
  const status = e.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429)) return true;
  if (typeof e.message === 'string' && /socket hang up|ECONNRESET|other side closed/i.test(e.message))
    return true;
  return e.cause !== undefined && e.cause !== error && isRetryableKmsError(e.cause);
}

/** Thrown when an attempt is cut off by its own timeout (distinct from a caller's abort). */
export class AttemptTimeoutError extends Error {
  override readonly name = 'AttemptTimeoutError';
}

/**
 * True for an attempt that ran out of time: our own attempt timer, or the HTTP handler's request,
 * connection or socket timeout (@smithy/node-http-handler names all of these TimeoutError).
 */
export function isTimeoutError(error: unknown): boolean {
  if (error instanceof AttemptTimeoutError) return true;
  return typeof error === 'object' && error !== null && (error as ErrorShape).name === 'TimeoutError';
}

export interface RetryOutcome {
  attempts: number;
  elapsedMs: number;
}

export class RetryExhaustedError extends Error {
  constructor(
    readonly lastError: unknown,
    readonly outcome: RetryOutcome,
  ) {
    super('retries exhausted', { cause: lastError });
  }
}

/** Retries exhausted because the attempts kept timing out (the last one did): KMS or the path to it hangs. */
export class RetryTimedOutError extends RetryExhaustedError {}

function exhausted(lastError: unknown, outcome: RetryOutcome): RetryExhaustedError {
  return isTimeoutError(lastError)
    ? new RetryTimedOutError(lastError, outcome)
    : new RetryExhaustedError(lastError, outcome);
}

/**
 * Runs `operation` until it succeeds, fails with a non-retryable error (rethrown as is), or the
 * attempts/deadline run out (RetryExhaustedError carrying the last error).
 */
export interface RetryOptions {
  /**
   * Admission control for each attempt (the rate limiter). The attempt's timeout starts only once the
   * gate lets it through, so time spent queueing under the quota never aborts a request that has not
   * even been sent.
   */
  gate?: <R>(attempt: () => Promise<R>) => Promise<R>;
  isRetryable?: (error: unknown) => boolean;
  /** Called for every failed attempt that will be retried (throttling, 5xx, timeouts): for logs and alarms. */
  onRetry?: (error: unknown, attempt: number) => void;
}

export async function withRetry<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  policy: RetryPolicy,
  options: RetryOptions = {},
): Promise<T> {
  const retryable = options.isRetryable ?? isRetryableKmsError;
  const isRetryable = (error: unknown) => isTimeoutError(error) || retryable(error);
  const gate = options.gate ?? (<R>(attempt: () => Promise<R>) => attempt());
  const start = performance.now();
  let attempts = 0;
  let lastError: unknown;
  const elapsed = () => Math.round(performance.now() - start);
  try {
    return await pRetry(
      async () => {
        attempts += 1;
        try {
          return await gate(() => {
            const remaining = policy.deadlineMs - elapsed();
            if (remaining <= 0) {
              // Report what used the time up: the last failed attempt, if there was one.
              const reason = lastError ?? new Error('deadline reached while waiting for the rate limiter');
              throw exhausted(reason, { attempts, elapsedMs: elapsed() });
            }
            return runWithTimeout(operation, Math.min(policy.attemptTimeoutMs, remaining));
          });
        } catch (error) {
          if (error instanceof RetryExhaustedError) throw new AbortError(error);
          lastError = error;
          // Non-retryable errors stop the loop at once and keep their identity. A timed-out attempt is
          // always retried: it was abandoned, its late answer is never used.
          if (!isRetryable(error))
            throw new AbortError(error instanceof Error ? error : new Error(String(error)));
          throw error;
        }
      },
      {
        retries: Math.max(0, policy.maxAttempts - 1),
        minTimeout: policy.baseDelayMs,
        maxTimeout: policy.maxDelayMs,
        factor: 2,
        randomize: true,
        maxRetryTime: policy.deadlineMs,
        onFailedAttempt: ({ error, attemptNumber }) => {
          if (isRetryable(error)) options.onRetry?.(error, attemptNumber);
        },
      },
    );
  } catch (error) {
    if (error instanceof RetryExhaustedError) throw error;
    if (isRetryable(error)) throw exhausted(error, { attempts, elapsedMs: elapsed() });
    throw error;
  }
}

/**
 * Runs one attempt for at most `timeoutMs`. On timeout the attempt's signal is aborted (for operations
 * that pass it on) and the attempt is abandoned: its promise may still settle later — the HTTP handler's
 * own requestTimeout destroys the request — but that late result or error is dropped, never returned.
 */
async function runWithTimeout<T>(
  operation: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
): Promise<T> {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new AttemptTimeoutError(`attempt timed out after ${timeoutMs} ms`);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  const attempt = (async () => operation(controller.signal))();
  attempt.catch(() => undefined); // an abandoned attempt's late failure is nobody's error
  try {
    return await Promise.race([attempt, timedOut]);
  } catch (error) {
    // The SDK reports an aborted request as its own AbortError; surface it as our timeout.
    if (controller.signal.aborted) throw controller.signal.reason as Error;
    throw error;
  } finally {
    clearTimeout(timer);
  }
}
