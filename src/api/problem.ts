// RFC 9457 problem details: every error the API returns is `application/problem+json` with type,
// title, status, detail, the request id, and — for input errors — `errors: [{ field, in, reason }]`.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

/** Where a rejected field came from. */
export type FieldLocation = 'body' | 'query' | 'path' | 'header';

export interface FieldError {
  /** The field's name (dotted path inside the body), or the header's name. */
  field: string;
  /** Omitted when the wallet service reported the field (it does not know the transport). */
  in?: FieldLocation;
  reason: string;
}

/** Stable problem kinds; `type` is `urn:kms-signer:problem:<kind>`. */
export type ProblemKind =
  | 'validation'
  | 'malformed-json'
  | 'unsupported-media-type'
  | 'payload-too-large'
  | 'unauthorized'
  | 'not-found'
  | 'method-not-allowed'
  | 'conflict'
  | 'idempotency-mismatch'
  | 'invalid-state'
  | 'unavailable'
  | 'quota-exceeded'
  | 'internal';

export const PROBLEM_TITLES: Readonly<Record<ProblemKind, string>> = {
  validation: 'Invalid request',
  'malformed-json': 'Malformed JSON',
  'unsupported-media-type': 'Unsupported media type',
  'payload-too-large': 'Request body too large',
  unauthorized: 'Unauthorized',
  'not-found': 'Not found',
  'method-not-allowed': 'Method not allowed',
  conflict: 'Conflict',
  'idempotency-mismatch': 'Idempotency key reused with a different request',
  'invalid-state': 'Wallet is in the wrong state',
  unavailable: 'Service unavailable',
  'quota-exceeded': 'Quota exceeded',
  internal: 'Internal server error',
};

export function problemType(kind: ProblemKind): string {
  return `urn:kms-signer:problem:${kind}`;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  requestId: string;
  errors?: FieldError[];
}

/** Thrown anywhere in a request; the app's error handler turns it into the response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly kind: ProblemKind,
    readonly detail: string,
    readonly errors: readonly FieldError[] = [],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(detail);
    this.name = 'ApiProblem';
  }
}

export function problemResponse(c: Context, problem: ApiProblem, requestId: string): Response {
  const body: ProblemBody = {
    type: problemType(problem.kind),
    title: PROBLEM_TITLES[problem.kind],
    status: problem.status,
    detail: problem.detail,
    instance: c.req.path,
    requestId,
  };
  if (problem.errors.length > 0) body.errors = [...problem.errors];
  return c.body(JSON.stringify(body), problem.status, {
    ...problem.headers,
    'Content-Type': PROBLEM_CONTENT_TYPE,
  });
}
