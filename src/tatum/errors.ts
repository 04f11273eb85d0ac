// The errors of the Tatum loop, under one base so callers can tell "the loop's own reasons" from anything
// else, each keeping the underlying error as `cause`; and the one helper that turns an unknown error
// into a message (src/util/error-message.ts).

/** Base of every error raised by src/tatum. */
export class TatumLoopError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** What Tatum said in an error answer's JSON body (`{statusCode, errorCode?, message}`), API key scrubbed. */
export interface TatumAnswer {
  errorCode?: string;
  message?: string;
}

/** An HTTP failure talking to Tatum; `retryable` for 5xx, 429, timeouts and network errors. */
export class TatumApiError extends TatumLoopError {
  /** Retry-After hint of a 429/503 answer, in milliseconds. */
  retryAfterMs?: number;
  /** Tatum's error body, when the answer had one. */
  answer?: TatumAnswer;

  constructor(
    message: string,
    readonly status: number | undefined,
    readonly retryable: boolean,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * 4xx answers that say nothing about what was sent: credentials (401), billing (402), a proxy (407), a
 * timeout (408), the rate (429). The same request can succeed later.
 */
const NOT_ABOUT_THE_REQUEST: ReadonlySet<number> = new Set([401, 402, 407, 408, 429]);

/** Tatum refused the request itself (any other 4xx, e.g. 403 kms.missing): sent again, it is refused again. */
export function isTatumRefusal(error: unknown): error is TatumApiError {
  const status = error instanceof TatumApiError ? error.status : undefined;
  return status !== undefined && status >= 400 && status < 500 && !NOT_ABOUT_THE_REQUEST.has(status);
}

/**
 * The lease on a signing job was lost — it expired, or a later claim fenced this runner's write out — so
 * another runner may hold it and this one stops writing (and never broadcasts).
 */
export class LeaseLostError extends TatumLoopError {
  constructor(id: string, how = 'was lost') {
    super(`the lease on signing job ${id} ${how}; another runner may hold it`);
  }
}

/** A wallet under a daily limit is busy with another runner's job: retried next pass. */
export class WalletBusyError extends TatumLoopError {
  constructor(readonly wallet: string) {
    super(`wallet ${wallet} is signing another transaction under a daily limit; retried next pass`);
  }
}

/** The pending transaction names a wallet we must not sign with (unknown, not ACTIVE, other chain). */
export class WalletResolutionError extends TatumLoopError {}

/** A job step failed: recorded as the job's failure (permanent) or retried next pass (`retryable`). */
export class JobFailure extends TatumLoopError {
  constructor(
    message: string,
    readonly retryable = false,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
