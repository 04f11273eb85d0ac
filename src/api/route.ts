// A route is one definition (method, path, request and response schemas, summary) that both serves
// requests and describes them in the OpenAPI document. `addRoute` puts it on the app: the validators of
// its request parts (each a 400 through rejectInvalid), then the handler — what @hono/zod-openapi's
// `OpenAPIHono.openapi()` does at run time (1.6.3: zValidator per part, a 415 gate before a JSON body),
// without the registry and zod-to-openapi it also loads, which only the document needs (src/api/openapi.ts,
// generated for GET /openapi.json on first use: issue 16, the Lambda's init code). The app remembers its
// routes in order, so the document lists exactly what it serves.
import type { RouteConfig, RouteHandler } from '@hono/zod-openapi';
import { zValidator } from '@hono/zod-validator';
import type { Hono, HonoRequest, MiddlewareHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import * as z from 'zod';
import type { ApiEnv } from './types.js';
import { rejectInvalid } from './validation.js';

/** The route's definition as written, with its literal types (what `createRoute` returned). */
export function defineRoute<R extends RouteConfig>(route: R): R {
  return route;
}

const ROUTES = new WeakMap<Hono<ApiEnv>, RouteConfig[]>();

/** The routes added to `app` with addRoute, in the order they were added. */
export function routesOf(app: Hono<ApiEnv>): readonly RouteConfig[] {
  return ROUTES.get(app) ?? [];
}

// @hono/zod-openapi's test for a JSON Content-Type (with parameters) and for "a body was sent".
const JSON_REQUEST = /^application\/([a-z-.]+\+)?json(;\s*[a-zA-Z0-9-]+=([^;]+))*$/i;

async function hasRequestBody(req: HonoRequest): Promise<boolean> {
  const request = req.raw;
  if (request.body === null) return false;
  if (request.bodyUsed) return (await req.arrayBuffer()).byteLength > 0;
  const body = request.clone().body;
  if (body === null) return false;
  const reader = (body as ReadableStream<Uint8Array>).getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return false;
      if (value.byteLength > 0) return true;
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

/** 415 unless the body, if any, is declared JSON (the error handler words the problem). */
const jsonMediaTypeGate: MiddlewareHandler<ApiEnv> = async (c, next) => {
  const contentType = c.req.header('content-type');
  const refused = contentType === undefined ? await hasRequestBody(c.req) : !JSON_REQUEST.test(contentType);
  if (refused) throw new HTTPException(415, { message: 'Unsupported Media Type' });
  await next();
};

/** zValidator with rejectInvalid as its hook (which throws the 400 problem). */
function validate(
  target: 'query' | 'param' | 'header' | 'json',
  schema: z.ZodType,
): MiddlewareHandler<ApiEnv> {
  return zValidator(target, schema, (result) => {
    rejectInvalid(result);
  });
}

function validators(route: RouteConfig): MiddlewareHandler<ApiEnv>[] {
  const { query, params, headers, cookies, body } = route.request ?? {};
  if (cookies) throw new Error(`${route.path}: cookies are not validated here`);
  const list: MiddlewareHandler<ApiEnv>[] = [];
  if (query) list.push(validate('query', query));
  if (params) list.push(validate('param', params));
  if (headers) {
    if (Array.isArray(headers)) throw new Error(`${route.path}: headers must be one zod object`);
    list.push(validate('header', headers));
  }
  if (body) {
    const media = body.content['application/json'];
    const json = media !== undefined && 'schema' in media ? media.schema : undefined;
    if (!(json instanceof z.ZodType) || Object.keys(body.content).length !== 1 || body.required !== true) {
      throw new Error(`${route.path}: a request body must be required application/json only`);
    }
    list.push(jsonMediaTypeGate, validate('json', json));
  }
  return list;
}

export function addRoute<R extends RouteConfig>(
  app: Hono<ApiEnv>,
  route: R,
  handler: RouteHandler<R, ApiEnv>,
): void {
  const routes = ROUTES.get(app) ?? [];
  ROUTES.set(app, [...routes, route]);
  const path = route.path.replaceAll(/\/{(.+?)}/g, '/:$1');
  app.on([route.method], [path], ...validators(route), handler as unknown as MiddlewareHandler<ApiEnv>);
}
