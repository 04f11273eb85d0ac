// The HTTP API as one Hono app, served by @hono/node-server locally (server.ts) and by the Lambda
// adapter behind API Gateway (src/handlers/api.ts). Order of the layers, outermost first:
//   request id + access log → 405 detection → (on /v1) authentication → body limit → strict JSON
//   (UTF-8, no duplicate keys) → route schema validation → handler → WalletService.
// So an unauthenticated caller learns nothing about routes or input, and nothing reaches the service
// before the input has been validated.
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { methodNotAllowed } from 'hono/method-not-allowed';
import { authMiddleware } from './auth.js';
import { errorHandler, methodNotAllowedResponse, notFoundHandler } from './errors.js';
import type { OpenApiDocument } from './openapi.js';
import { ApiProblem } from './problem.js';
import { requestLog } from './request-log.js';
import { routesOf } from './route.js';
import { registerBatchRoutes } from './routes/batches.js';
import { registerOperationRoutes } from './routes/operations.js';
import { registerSystemRoutes } from './routes/system.js';
import { registerWalletRoutes } from './routes/wallets.js';
import { type ApiEnv, type ApiOptions, jsonLogger } from './types.js';
import { strictJsonBody } from './strict-body.js';
import { onceUnlessFailed } from '../util/memo-retry.js';

export const DEFAULT_BODY_LIMIT_BYTES = 16 * 1024;
const DEFAULT_HEALTH_TIMEOUT_MS = 5_000;

export type ApiApp = Hono<ApiEnv>;

export function createApiApp(options: ApiOptions): ApiApp {
  const log = options.log ?? jsonLogger;
  const maxSize = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const app = new Hono<ApiEnv>();

  app.use('*', requestLog(log));
  app.use('*', methodNotAllowed({ app, onMethodNotAllowed: methodNotAllowedResponse }));
  app.use('/v1/*', authMiddleware(options.auth));
  app.use(
    '/v1/*',
    bodyLimit({
      maxSize,
      onError: () => {
        throw new ApiProblem(413, 'payload-too-large', `The request body exceeds ${maxSize} bytes`);
      },
    }),
  );

  app.use('/v1/*', strictJsonBody());

  registerWalletRoutes(app, options.walletService);
  registerOperationRoutes(app, options.walletService);
  registerBatchRoutes(app, options.walletService);

  registerSystemRoutes(app, {
    service: options.walletService,
    healthTimeoutMs: options.healthTimeoutMs ?? DEFAULT_HEALTH_TIMEOUT_MS,
    log,
    // The generator (zod-to-openapi) loads on the first GET /openapi.json, once every route is added.
    document: onceUnlessFailed(async (): Promise<OpenApiDocument> =>
      (await import('./openapi.js')).buildOpenApiDocument(routesOf(app), options.auth),
    ),
  });

  app.notFound(notFoundHandler);
  app.onError(errorHandler(log));
  return app;
}

/** The OpenAPI document of an app built by createApiApp (for tests and tooling). */
export async function fetchOpenApiDocument(app: ApiApp): Promise<OpenApiDocument> {
  const res = await app.request('/openapi.json');
  return (await res.json()) as OpenApiDocument;
}
