// Authentication of /v1 requests, in one of two modes:
//
// - `api-key` (local / self-hosted): `Authorization: Bearer <key>`. The server holds only sha256 hex
//   digests of the accepted keys (API_KEY_HASHES); the presented key is hashed and compared with
//   crypto.timingSafeEqual against EVERY configured digest (src/config/api-keys.ts), so the time
//   taken does not depend on which digest (if any) matched or where the bytes differ. Keys are never
//   logged; the access log names the caller by the first 8 hex digits of the key's digest.
// - `iam` (AWS): API Gateway (HTTP API, AWS_IAM authorization) has already authenticated the SigV4
//   signature. The app skips the bearer check, but still refuses any request whose Lambda event does
//   not carry the gateway's IAM identity (`requestContext.authorizer.iam`), so a route deployed
//   without IAM authorization — or this mode on a plain Node server — fails closed with 401.
import type { MiddlewareHandler } from 'hono';
import { hashApiKey, isAcceptedApiKey } from '../config/index.js';
import { ApiProblem } from './problem.js';
import type { ApiEnv } from './types.js';

export type ApiAuthMode = 'api-key' | 'iam';

export type ApiAuth = { mode: 'api-key'; keyHashes: readonly string[] } | { mode: 'iam' };

const SHA256_HEX = /^[0-9a-f]{64}$/;
/** RFC 6750 b64token. */
const BEARER = /^Bearer +([A-Za-z0-9\-._~+/]+=*) *$/i;
const REALM = 'kms-signer';

export class ApiAuthConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiAuthConfigError';
  }
}

/** Refuses, at startup, an api-key mode that could never accept a request or holds a malformed digest. */
function checkKeyHashes(hashes: readonly string[]): string[] {
  if (hashes.length === 0) {
    throw new ApiAuthConfigError('API_AUTH=api-key needs at least one digest in API_KEY_HASHES');
  }
  return hashes.map((hash, i) => {
    const hex = hash.trim().toLowerCase();
    if (!SHA256_HEX.test(hex)) {
      throw new ApiAuthConfigError(`API_KEY_HASHES entry ${i + 1} is not a sha256 hex digest`);
    }
    return hex;
  });
}

function unauthorized(detail: string, challenge: string): ApiProblem {
  return new ApiProblem(401, 'unauthorized', detail, [], { 'WWW-Authenticate': challenge });
}

function apiKeyAuth(keyHashes: readonly string[]): MiddlewareHandler<ApiEnv> {
  const accepted = checkKeyHashes(keyHashes);
  return async (c, next) => {
    const header = c.req.header('authorization');
    if (header === undefined || header.trim() === '') {
      throw unauthorized('Missing bearer token', `Bearer realm="${REALM}"`);
    }
    const token = BEARER.exec(header)?.[1];
    if (token === undefined || !isAcceptedApiKey(token, accepted)) {
      throw unauthorized(
        'Invalid bearer token',
        `Bearer realm="${REALM}", error="invalid_token", error_description="The API key is not accepted"`,
      );
    }
    // The digest's first 8 hex digits name the key in logs; the key itself is never kept.
    c.set('principal', `api-key:${hashApiKey(token).slice(0, 8)}`);
    await next();
  };
}

interface IamIdentity {
  userArn?: unknown;
  accountId?: unknown;
}

function gatewayIamIdentity(env: unknown): IamIdentity | undefined {
  if (env === null || typeof env !== 'object') return undefined;
  const ctx = (env as { requestContext?: { authorizer?: { iam?: unknown } | null } }).requestContext;
  const iam = ctx?.authorizer?.iam;
  return iam !== null && typeof iam === 'object' ? iam : undefined;
}

function iamAuth(): MiddlewareHandler<ApiEnv> {
  return async (c, next) => {
    const iam = gatewayIamIdentity(c.env);
    if (typeof iam?.userArn !== 'string' || iam.userArn === '') {
      throw unauthorized(
        'Request did not pass API Gateway IAM authorization',
        `AWS4-HMAC-SHA256 realm="${REALM}"`,
      );
    }
    c.set('principal', `iam:${iam.userArn}`);
    await next();
  };
}

export function authMiddleware(auth: ApiAuth): MiddlewareHandler<ApiEnv> {
  return auth.mode === 'iam' ? iamAuth() : apiKeyAuth(auth.keyHashes);
}

/** The auth mode from API_AUTH (`fallback` when unset) and the configured digests (AppConfig.apiKeyHashes). */
export function resolveApiAuth(
  mode: string | undefined,
  keyHashes: readonly string[],
  fallback: ApiAuthMode = 'api-key',
): ApiAuth {
  const m = mode === undefined || mode.trim() === '' ? fallback : mode.trim();
  if (m === 'iam') return { mode: 'iam' };
  if (m === 'api-key') return { mode: 'api-key', keyHashes: checkKeyHashes(keyHashes) };
  throw new ApiAuthConfigError(`API_AUTH must be "api-key" or "iam", got ${JSON.stringify(m)}`);
}
