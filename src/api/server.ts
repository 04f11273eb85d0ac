// The API on a plain Node HTTP server (local use, tests, self-hosting). Listens on 127.0.0.1 unless told
// otherwise; authentication is always the bearer API key here: `iam` mode relies on API Gateway and
// would refuse every request, so it is refused up front.
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApiApp } from './app.js';
import { type ApiAuth, ApiAuthConfigError } from './auth.js';
import { type ApiContext, apiAuthFor } from './context.js';
import type { ApiLogger } from './types.js';

export interface StartApiServerOptions {
  /** 0 picks a free port (see ApiServer.port). */
  port: number;
  /** Default 127.0.0.1. Bind another address only behind TLS termination. */
  host?: string;
  context: ApiContext;
  /** Default: API_AUTH (must be api-key) and context.config.apiKeyHashes. */
  auth?: ApiAuth;
  log?: ApiLogger;
  /** Where API_AUTH is read from (default process.env). */
  env?: Record<string, string | undefined>;
}

export interface ApiServer {
  /** e.g. http://127.0.0.1:8080 */
  url: string;
  host: string;
  port: number;
  /** Stops accepting connections and ends open ones; does not close the context. */
  close(): Promise<void>;
}

export async function startApiServer(options: StartApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const auth = options.auth ?? apiAuthFor(options.context, options.env ?? process.env, 'api-key');
  if (auth.mode !== 'api-key') {
    throw new ApiAuthConfigError(
      'API_AUTH=iam is only for the Lambda handler behind API Gateway IAM authorization; the Node server uses api-key',
    );
  }
  const app = createApiApp({
    walletService: options.context.walletService,
    auth,
    ...(options.log ? { log: options.log } : {}),
  });
  const server = serve({ fetch: app.fetch, port: options.port, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${urlHost}:${port}`,
    host,
    port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => {
          if (error) reject(error);
          else resolve();
        });
        if ('closeAllConnections' in server) server.closeAllConnections();
      }),
  };
}
