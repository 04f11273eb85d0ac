// What the API needs from the application context (createAppContext in src/app-context.ts): the wallet
// service and the accepted API key digests. Kept structural so the API does not depend on how the
// context is built.
import type { WalletService } from '../wallets/contract.js';
import { type ApiAuth, type ApiAuthMode, resolveApiAuth } from './auth.js';

export interface ApiContext {
  config: { apiKeyHashes: readonly string[] };
  walletService: WalletService;
}

/**
 * API_AUTH from the environment (AppConfig has no field for it yet); `fallback` applies when it is
 * unset: `api-key` for the Node server, `iam` on Lambda.
 */
export function apiAuthFor(
  context: ApiContext,
  env: Record<string, string | undefined>,
  fallback: ApiAuthMode,
): ApiAuth {
  return resolveApiAuth(env.API_AUTH, context.config.apiKeyHashes, fallback);
}
