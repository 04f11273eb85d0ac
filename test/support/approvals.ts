// An approvals service on the test stack (its own database via walletTestEnv), a call to its loop
// endpoint as the loop makes it, and (re-exported) the console client the demo uses too.
import { randomBytes } from 'node:crypto';
import {
  ApprovalsService,
  startApprovalsServer,
  type ApprovalsConfig,
  type ApprovalsServer,
} from '../../src/approvals/index.js';
import { signFourEyeRequest } from '../../src/tatum/four-eye-signature.js';
import type { PendingTransaction } from '../../src/tatum/types.js';
import type { WalletTestEnv } from './wallets.js';

export { ConsoleClient, hiddenValue, OPERATOR_PASSWORD } from '../../scripts/sandbox/approvals-console.js';

export interface ApprovalsHarness {
  service: ApprovalsService;
  server: ApprovalsServer;
  secret: string;
  /** Moves the service's clock forward (approval expiry without waiting). */
  advance(ms: number): void;
  close(): Promise<void>;
}

export async function startApprovals(
  env: WalletTestEnv,
  overrides: Partial<ApprovalsConfig> = {},
): Promise<ApprovalsHarness> {
  const secret = randomBytes(32).toString('hex');
  let offsetMs = 0;
  const service = new ApprovalsService({
    db: env.db,
    wallets: env.service,
    clock: () => new Date(Date.now() + offsetMs),
    config: {
      quorum: { default: 2 },
      approvalTtlMs: 60 * 60_000,
      loopSecret: secret,
      secureCookies: true,
      sessionTtlMs: 60 * 60_000,
      maxFailedLogins: 5,
      lockoutWindowMs: 15 * 60_000,
      requireTwoStep: false,
      ...overrides,
    },
  });
  const server = await startApprovalsServer({ service, port: 0 });
  return {
    service,
    server,
    secret,
    advance: (ms) => {
      offsetMs += ms;
    },
    close: () => server.close(),
  };
}

/** A four-eyes call as the loop makes it (secret null: unsigned). */
export async function loopCall(
  harness: ApprovalsHarness,
  method: 'GET' | 'POST',
  id: string,
  pending?: PendingTransaction,
  secret: string | null = harness.secret,
): Promise<Response> {
  const url = `${harness.server.fourEyeUrl}/${id}`;
  const body = method === 'POST' ? JSON.stringify(pending) : '';
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (secret !== null)
    Object.assign(headers, signFourEyeRequest(secret, { method, path: new URL(url).pathname, body }));
  return fetch(url, { method, headers, ...(method === 'POST' ? { body } : {}) });
}
