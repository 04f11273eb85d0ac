// Maps everything a request can throw to a problem response. WalletError codes map to fixed statuses;
// Hono's own HTTP exceptions (malformed JSON, unsupported media type) keep their status; anything else
// is a generic 500 whose body says nothing but the request id (the error goes to the log).
import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { redactError } from '../config/redact.js';
import { WalletError } from '../wallets/contract.js';
import { ApiProblem, problemResponse, type ProblemKind } from './problem.js';
import type { ApiEnv, ApiLogger } from './types.js';

type WalletErrorCode = WalletError['code'];

export const WALLET_ERROR_STATUS: Readonly<
  Record<WalletErrorCode, { status: ContentfulStatusCode; kind: ProblemKind }>
> = {
  VALIDATION: { status: 400, kind: 'validation' },
  NOT_FOUND: { status: 404, kind: 'not-found' },
  CONFLICT: { status: 409, kind: 'conflict' },
  IDEMPOTENCY_MISMATCH: { status: 422, kind: 'idempotency-mismatch' },
  INVALID_STATE: { status: 409, kind: 'invalid-state' },
  UNAVAILABLE: { status: 503, kind: 'unavailable' },
  QUOTA_EXCEEDED: { status: 429, kind: 'quota-exceeded' },
};

/** Seconds a client should wait before retrying a 503. */
const RETRY_AFTER_SECONDS = '5';

function fromWalletError(error: WalletError): ApiProblem {
  const { status, kind } = WALLET_ERROR_STATUS[error.code];
  // The service words its messages "<field>: <reason>"; the field is already named.
  const reason =
    error.field !== undefined && error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
  const errors = error.field === undefined ? [] : [{ field: error.field, reason }];
  const headers: Record<string, string> = status === 503 ? { 'Retry-After': RETRY_AFTER_SECONDS } : {};
  return new ApiProblem(status, kind, error.message, errors, headers);
}

function fromHttpException(error: HTTPException): ApiProblem {
  switch (error.status) {
    case 400:
      return /json/i.test(error.message)
        ? new ApiProblem(400, 'malformed-json', 'The request body is not valid JSON', [
            { field: '(body)', in: 'body', reason: 'not valid JSON' },
          ])
        : new ApiProblem(400, 'validation', error.message);
    case 413:
      return new ApiProblem(413, 'payload-too-large', 'The request body is too large');
    case 415:
      return new ApiProblem(
        415,
        'unsupported-media-type',
        'Send the request body as application/json',
        [{ field: 'Content-Type', in: 'header', reason: 'must be application/json' }],
        { 'Accept-Post': 'application/json' },
      );
    default:
      return new ApiProblem(error.status, error.status >= 500 ? 'internal' : 'validation', error.message);
  }
}

function toProblem(error: unknown): ApiProblem | undefined {
  if (error instanceof ApiProblem) return error;
  if (error instanceof WalletError) return fromWalletError(error);
  if (error instanceof HTTPException && error.status < 500) return fromHttpException(error);
  return undefined;
}

function requestIdOf(c: Context<ApiEnv>): string {
  return c.get('requestId');
}

export function errorHandler(log: ApiLogger): ErrorHandler<ApiEnv> {
  return (error, c) => {
    const problem = toProblem(error);
    if (problem !== undefined) {
      if (problem.status >= 500) {
        // The body names the dependency only; where it failed (host, endpoint) goes to the log.
        const cause = error.cause === undefined ? undefined : redactError(error.cause);
        log({
          level: 'warn',
          msg: 'service unavailable',
          requestId: requestIdOf(c),
          detail: problem.detail,
          cause,
        });
      }
      return problemResponse(c, problem, requestIdOf(c));
    }
    log({
      level: 'error',
      msg: 'unhandled error',
      requestId: requestIdOf(c),
      error: { name: error.name, message: error.message, stack: error.stack },
    });
    const internal = new ApiProblem(
      500,
      'internal',
      `An internal error occurred; quote request id ${requestIdOf(c)} when reporting it`,
    );
    return problemResponse(c, internal, requestIdOf(c));
  };
}

export const notFoundHandler: NotFoundHandler<ApiEnv> = (c) =>
  problemResponse(
    c,
    new ApiProblem(404, 'not-found', `No route for ${c.req.method} ${c.req.path}`),
    requestIdOf(c),
  );

export function methodNotAllowedResponse(c: Context<ApiEnv>, allowed: readonly string[]): Response {
  const problem = new ApiProblem(
    405,
    'method-not-allowed',
    `${c.req.method} is not allowed on ${c.req.path}; allowed: ${allowed.join(', ')}`,
    [],
    { Allow: allowed.join(', ') },
  );
  return problemResponse(c, problem, requestIdOf(c));
}
