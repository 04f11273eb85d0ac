// Request ids and access logs. The id is the caller's `x-request-id` when it is a sane token, else API
// Gateway's request id (on Lambda), else a new UUID; it is echoed in the `x-request-id` response
// header and in every problem body. One JSON access-log line per request: method, path (no query
// string), route pattern, status, duration, caller — never bodies, headers or API keys.
import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import { routePath } from 'hono/route';
import type { ApiEnv, ApiLogger } from './types.js';

const REQUEST_ID = /^[A-Za-z0-9._:=+/-]{1,128}$/;

function gatewayRequestId(env: unknown): string | undefined {
  if (env === null || typeof env !== 'object') return undefined;
  const id = (env as { requestContext?: { requestId?: unknown } }).requestContext?.requestId;
  return typeof id === 'string' && REQUEST_ID.test(id) ? id : undefined;
}

export function requestLog(log: ApiLogger): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const started = performance.now();
    const incoming = c.req.header('x-request-id');
    const requestId =
      incoming !== undefined && REQUEST_ID.test(incoming)
        ? incoming
        : (gatewayRequestId(c.env) ?? randomUUID());
    c.set('requestId', requestId);
    await next();
    c.header('x-request-id', requestId);
    const status = c.res.status;
    log({
      level: status >= 500 ? 'error' : 'info',
      msg: 'request',
      requestId,
      method: c.req.method,
      path: c.req.path,
      route: routePath(c, -1),
      status,
      durationMs: Math.round((performance.now() - started) * 10) / 10,
      principal: c.get('principal'),
    });
  };
}
