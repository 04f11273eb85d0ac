// Pieces every route definition shares: problem responses and JSON bodies.
import type * as z from 'zod';
import { PROBLEM_CONTENT_TYPE } from '../problem.js';
import { ProblemSchema } from '../schemas.js';

const PROBLEM_DESCRIPTIONS = {
  400: 'Invalid input: malformed JSON, a missing, unknown or wrongly typed field (named in `errors`)',
  401: 'Missing or invalid credentials',
  404: 'No such wallet, operation or batch',
  409: 'The wallet is in the wrong state, or another operation on it is unfinished (retry when it ends)',
  413: 'Request body larger than 16 KiB',
  415: 'Request body is not application/json',
  422: 'Idempotency-Key reused with a different request body',
  429: "The caller's cap on keys queued in unfinished batches (BATCH_MAX_QUEUED_KEYS) would be exceeded",
  500: 'Internal error (the body carries only the request id)',
  503: 'MongoDB or KMS unavailable; retry later',
} as const;

type ProblemStatus = keyof typeof PROBLEM_DESCRIPTIONS;
interface ProblemResponse {
  description: string;
  content: { [PROBLEM_CONTENT_TYPE]: { schema: typeof ProblemSchema } };
}

/** Problem responses for the given statuses, plus 500. */
export function problems<S extends ProblemStatus>(...statuses: S[]): Record<S | 500, ProblemResponse> {
  const responses = {} as Record<S | 500, ProblemResponse>;
  for (const status of [...statuses, 500 as const]) {
    responses[status] = {
      description: PROBLEM_DESCRIPTIONS[status],
      content: { [PROBLEM_CONTENT_TYPE]: { schema: ProblemSchema } },
    };
  }
  return responses;
}

/** Problem responses of an authenticated /v1 route: the given statuses plus 401, 500 and 503. */
export function v1Problems<S extends ProblemStatus>(
  ...statuses: S[]
): Record<S | 401 | 500 | 503, ProblemResponse> {
  return problems<S | 401 | 503>(...statuses, 401, 503);
}

export function jsonBody<T extends z.ZodType>(schema: T, description: string) {
  return { required: true, description, content: { 'application/json': { schema } } } as const;
}

export function jsonResponse<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}
