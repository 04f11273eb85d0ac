// Refuses, before any route sees it, a JSON request body that readers could disagree on: invalid UTF-8
// (would be stored as U+FFFD), duplicate member names (JSON.parse keeps the last; another parser the
// first), lone surrogate escapes. Runs after the body limit. Only JSON bodies are checked; a missing or
// non-JSON body is left to the route's validator (which answers 400 or 415). momoa (the full check) loads
// on the first body the one-pass scan cannot settle (strict-json-on-demand.ts).
import type { MiddlewareHandler } from 'hono';
import { parseStrictJsonBytesOnDemand, StrictJsonError } from '../util/strict-json-on-demand.js';
import { ApiProblem } from './problem.js';
import type { ApiEnv } from './types.js';

const JSON_MEDIA_TYPE = /^application\/([\w.+-]+\+)?json\s*(;|$)/i;

export function strictJsonBody(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const contentType = c.req.header('content-type') ?? '';
    if (c.req.raw.body !== null && JSON_MEDIA_TYPE.test(contentType)) {
      // Cached by Hono: the validator's c.req.json() reads the same bytes again.
      const bytes = new Uint8Array(await c.req.arrayBuffer());
      if (bytes.length > 0) {
        try {
          await parseStrictJsonBytesOnDemand(bytes);
        } catch (error) {
          if (!(error instanceof StrictJsonError)) throw error;
          throw bodyProblem(error);
        }
      }
    }
    await next();
  };
}

function bodyProblem(error: StrictJsonError): ApiProblem {
  if (error.reason.startsWith('not valid JSON')) {
    return new ApiProblem(400, 'malformed-json', 'The request body is not valid JSON', [
      { field: '(body)', in: 'body', reason: 'not valid JSON' },
    ]);
  }
  return new ApiProblem(400, 'validation', `Invalid request: ${error.path} ${error.reason}`, [
    { field: error.path, in: 'body', reason: error.reason },
  ]);
}
