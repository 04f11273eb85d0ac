// An approvals service on the test stack (its own database via walletTestEnv) and a minimal HTTP client
// for its console (cookie jar of one session, CSRF tokens scraped from the forms) and its loop endpoint.
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

export const OPERATOR_PASSWORD = 'correct horse battery staple';

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

/** Value of the hidden input `name` in a page (the first one). */
export function hiddenValue(page: string, name: string): string {
  const match = new RegExp(`name="${name}" value="([^"]*)"`).exec(page);
  if (!match?.[1]) throw new Error(`no ${name} field on the page`);
  return match[1];
}

export class ConsoleClient {
  private cookies = new Map<string, string>();

  constructor(private readonly base: string) {}

  async request(
    path: string,
    init: { method?: string; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const response = await fetch(`${this.base}${path}`, {
      method: init.method ?? (init.form ? 'POST' : 'GET'),
      redirect: 'manual',
      headers: {
        cookie: [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '),
        ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      },
      ...(init.form ? { body: new URLSearchParams(init.form).toString() } : {}),
    });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const [name, value] = (pair ?? '').split('=');
      if (name && value !== undefined) this.cookies.set(name, value);
    }
    return response;
  }

  async signIn(username: string, password = OPERATOR_PASSWORD): Promise<Response> {
    const page = await (await this.request('/login')).text();
    return this.request('/login', { form: { _csrf: hiddenValue(page, '_csrf'), username, password } });
  }

  /** The detail page's CSRF token and content hash. */
  async voteForm(id: string): Promise<{ csrf: string; contentHash: string }> {
    const page = await (await this.request(`/tx/${id}`)).text();
    return { csrf: hiddenValue(page, '_csrf'), contentHash: hiddenValue(page, 'contentHash') };
  }

  async vote(id: string, decision: 'approve' | 'reject', reason = ''): Promise<Response> {
    const { csrf, contentHash } = await this.voteForm(id);
    return this.request(`/tx/${id}/vote`, { form: { _csrf: csrf, contentHash, decision, reason } });
  }
}
