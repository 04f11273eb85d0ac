// Drives the API app in-process (app.request) with a FakeWalletService, a known API key and a captured
// log, for the unit tests in test/unit/api.
import { createApiApp, type ApiApp } from '../../src/api/app.js';
import type { ApiAuth } from '../../src/api/auth.js';
import type { ProblemBody } from '../../src/api/problem.js';
import type { ApiLogEntry, ApiOptions } from '../../src/api/types.js';
import { hashApiKey } from '../../src/config/index.js';
import { FakeWalletService } from './fake-wallet-service.js';

export const API_KEY = 'test-key-0123456789abcdefghijklmnopqrstuvwxyz';
export const OTHER_API_KEY = 'second-key-ZYXWVUTSRQPONMLKJIHGFEDCBA9876543210';

export interface ApiReply {
  status: number;
  headers: Headers;
  text: string;
  /** Parsed body (undefined when empty). */
  body: unknown;
}

export interface CallOptions {
  /** JSON-encoded unless a string. */
  body?: unknown;
  headers?: Record<string, string>;
  /** false: send no Authorization header; a string: send it as the bearer token. */
  auth?: boolean | string;
  /** Default application/json when there is a body. */
  contentType?: string | null;
}

export interface ApiHarness {
  app: ApiApp;
  service: FakeWalletService;
  logs: ApiLogEntry[];
  call(method: string, path: string, options?: CallOptions): Promise<ApiReply>;
}

export function apiHarness(
  overrides: Partial<Omit<ApiOptions, 'walletService' | 'log'>> & { auth?: ApiAuth } = {},
): ApiHarness {
  // 'held': a started batch stays as startBatch returned it, so a test can read it in flight.
  const service = new FakeWalletService({ batchMode: 'held' });
  const logs: ApiLogEntry[] = [];
  const app = createApiApp({
    walletService: service,
    auth: { mode: 'api-key', keyHashes: [hashApiKey(OTHER_API_KEY), hashApiKey(API_KEY)] },
    log: (entry) => logs.push(entry),
    ...overrides,
  });
  const call = async (method: string, path: string, options: CallOptions = {}): Promise<ApiReply> => {
    const headers: Record<string, string> = { ...options.headers };
    const auth = options.auth ?? true;
    if (auth !== false) headers.authorization = `Bearer ${auth === true ? API_KEY : auth}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
      if (options.contentType !== null) headers['content-type'] = options.contentType ?? 'application/json';
    }
    const res = await app.request(path, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      body: text === '' ? undefined : JSON.parse(text),
    };
  };
  return { app, service, logs, call };
}

export type ProblemJson = ProblemBody;

/** The reply's problem body, after checking it is application/problem+json with the given status. */
export function problemOf(reply: ApiReply, status: number): ProblemJson {
  if (reply.status !== status) {
    throw new Error(`expected status ${status}, got ${reply.status}: ${reply.text}`);
  }
  const contentType = reply.headers.get('content-type') ?? '';
  if (!contentType.startsWith('application/problem+json')) {
    throw new Error(`expected application/problem+json, got ${contentType}`);
  }
  return reply.body as ProblemJson;
}

export const VALID_CREATE = { userId: 'user-1', chain: 'BTC', asset: 'BTC', network: 'mainnet' } as const;
