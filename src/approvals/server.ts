// `kms-signer approvals serve`: the approvals app on a Node HTTP server. Binds 127.0.0.1 unless told
// otherwise; anything else belongs behind TLS termination (cookies are Secure by default).
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApprovalsApp } from './app.js';
import type { ApprovalsService } from './service.js';

export interface ApprovalsServer {
  url: string;
  /** The loop's externalUrl: `${url}/four-eye`. */
  fourEyeUrl: string;
  close(): Promise<void>;
}

export async function startApprovalsServer(options: {
  service: ApprovalsService;
  port: number;
  host?: string;
  log?: (entry: Record<string, unknown>) => void;
}): Promise<ApprovalsServer> {
  const host = options.host ?? '127.0.0.1';
  const app = createApprovalsApp(options.service, options.log ?? (() => undefined));
  const server = serve({ fetch: app.fetch, port: options.port, hostname: host });
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    fourEyeUrl: `${url}/four-eye`,
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
