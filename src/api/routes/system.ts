// GET /health (MongoDB and KMS reachable → 200, else 503) and GET /openapi.json. Neither needs
// authentication; neither reveals more than "ok"/"down" and the public API description.
import type { Hono } from 'hono';
import * as z from 'zod';
import { addRoute, defineRoute } from '../route.js';
import type { WalletService } from '../../wallets/contract.js';
import type { OpenApiDocument } from '../openapi.js';
import { HealthSchema } from '../schemas.js';
import type { ApiEnv, ApiLogger } from '../types.js';
import { jsonResponse, problems } from './common.js';

const tags = ['system'];

const health = defineRoute({
  method: 'get',
  path: '/health',
  operationId: 'health',
  summary: 'MongoDB and KMS reachability',
  tags,
  security: [],
  responses: {
    200: jsonResponse(HealthSchema, 'Both reachable'),
    503: jsonResponse(HealthSchema, 'At least one is down or did not answer in time'),
    ...problems(500),
  },
});

const openApiDocument = defineRoute({
  method: 'get',
  path: '/openapi.json',
  operationId: 'openApiDocument',
  summary: 'This OpenAPI 3.1 document',
  tags,
  security: [],
  responses: {
    200: jsonResponse(
      z.looseObject({ openapi: z.string(), paths: z.record(z.string(), z.unknown()) }),
      'The document',
    ),
    ...problems(500),
  },
});

type HealthResult = Awaited<ReturnType<WalletService['health']>>;

async function checkHealth(service: WalletService, timeoutMs: number, log: ApiLogger): Promise<HealthResult> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthResult>((resolve) => {
    timer = setTimeout(() => {
      resolve({ mongo: 'down', kms: 'down' });
    }, timeoutMs);
  });
  try {
    return await Promise.race([service.health(), timeout]);
  } catch (error) {
    log({
      level: 'warn',
      msg: 'health check failed',
      error: error instanceof Error ? error.message : 'unknown',
    });
    return { mongo: 'down', kms: 'down' };
  } finally {
    clearTimeout(timer);
  }
}

export function registerSystemRoutes(
  app: Hono<ApiEnv>,
  options: {
    service: WalletService;
    healthTimeoutMs: number;
    log: ApiLogger;
    /** The document (generated on first use). */
    document: () => Promise<OpenApiDocument>;
  },
): void {
  addRoute(app, health, async (c) => {
    const { mongo, kms } = await checkHealth(options.service, options.healthTimeoutMs, options.log);
    const ok = mongo === 'ok' && kms === 'ok';
    c.header('Cache-Control', 'no-store');
    return ok
      ? c.json({ status: 'ok' as const, mongo, kms }, 200)
      : c.json({ status: 'unavailable' as const, mongo, kms }, 503);
  });

  addRoute(app, openApiDocument, async (c) => {
    const document = await options.document();
    return c.json({ ...document, openapi: document.openapi, paths: document.paths ?? {} }, 200);
  });
}
