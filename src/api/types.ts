// Shared types of the HTTP API.
import type { WalletService } from '../wallets/contract.js';
import type { ApiAuth } from './auth.js';

/** One structured log line; never carries request bodies, Authorization headers or API keys. */
export type ApiLogEntry = Record<string, unknown> & { level: 'info' | 'warn' | 'error'; msg: string };
export type ApiLogger = (entry: ApiLogEntry) => void;

/** Hono environment: per-request variables; bindings are the adapter's (Node or Lambda). */
export interface ApiEnv {
  Variables: {
    requestId: string;
    /** Who called: `api-key:<8 hex of the key's digest>` or `iam:<caller ARN>`; unset before auth. */
    principal: string;
  };
}

export interface ApiOptions {
  walletService: WalletService;
  auth: ApiAuth;
  /** Default: one JSON line per entry on stdout. */
  log?: ApiLogger;
  /** Largest accepted request body, bytes (default 16 KiB). */
  bodyLimitBytes?: number;
  /** How long /health waits for MongoDB and KMS before answering 503 (default 5 s). */
  healthTimeoutMs?: number;
}

export const jsonLogger: ApiLogger = (entry) => {
  process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), ...entry })}\n`);
};
