// HTTP client for Tatum's KMS protocol (../shared/reference/tatum-protocol.md §2): pending fetch in
// batches of 500 signature ids (at most 25,000 per chain), chain / off-chain broadcast, and the batch
// error report. Every call has a timeout; retryable failures (network, timeout, 5xx, 429) are retried
// with exponential backoff. That includes broadcasts: re-sending the same signed bytes is safe because
// the transaction id is a hash of those bytes, so a duplicate can only be refused, never double-spend.
// The API key is never logged and never appears in an error message.
import type { SecretCache } from '../config/index.js';
import { redact } from '../config/index.js';
import type { ChainId } from '../chains/index.js';
import { z } from 'zod';
import { MAX_SIGNATURE_IDS_PER_CHAIN, tooManySignatureIds } from './limits.js';
import {
  TatumApiError,
  type BroadcastResult,
  type InvalidPendingTransaction,
  type PendingFetch,
  type PendingTransaction,
  type TatumKmsApi,
} from './types.js';

/** Tatum allows at most 500 signature ids per pending call (1 credit per call). */
export const PENDING_BATCH_SIZE = 500;

/** Chain → broadcast path of Tatum's production API (§2.7). */
export const TATUM_BROADCAST_PATHS: Readonly<Record<string, string>> = {
  BTC: '/v3/bitcoin/broadcast',
  LTC: '/v3/litecoin/broadcast',
  DOGE: '/v3/dogecoin/broadcast',
  BCH: '/v3/bcash/broadcast',
  ETH: '/v3/ethereum/broadcast',
  BSC: '/v3/bsc/broadcast',
  MATIC: '/v3/polygon/broadcast',
  TRON: '/v3/tron/broadcast',
  // tatum-kms src/signatures.ts posts {txData, signatureId} here after signing SOL.
  SOL: '/v3/solana/broadcast',
};

/**
 * EVM_DEV (anvil, chain id 31337) does not exist on Tatum. It gets no default path, so a misconfigured
 * production client can never send dev transactions to /v3/ethereum/broadcast; the sandbox serves this
 * path and hands it out through `broadcastPaths` (see scripts/sandbox/tatum-sandbox.ts).
 */
export const SANDBOX_BROADCAST_PATHS: Readonly<Record<string, string>> = {
  EVM_DEV: '/v3/evm-dev/broadcast',
};

export const OFFCHAIN_BROADCAST_PATH = '/v3/offchain/withdrawal/broadcast';
export const ERROR_BATCH_PATH = '/v3/tatum/kms/batch';

export interface TatumClientLogEntry {
  level: 'debug' | 'warn';
  msg: string;
  [field: string]: unknown;
}

export interface TatumClientOptions {
  /** e.g. https://api.tatum.io (no trailing path). */
  baseUrl: string;
  /** The key, or a provider called before each request (e.g. apiKeyFromSecret). */
  apiKey: string | (() => Promise<string>);
  /** Sent as x-ttm-kms-client-version. */
  clientVersion: string;
  /** Per attempt; default 30,000 ms. */
  timeoutMs?: number;
  /** Retries after the first attempt for retryable failures; default 3. */
  retries?: number;
  /** First backoff delay; doubles per retry (with jitter), capped at 10 s. Default 500 ms. */
  retryDelayMs?: number;
  /** Extra or replacement chain → path entries, e.g. SANDBOX_BROADCAST_PATHS. */
  broadcastPaths?: Readonly<Record<string, string>>;
  fetch?: typeof fetch;
  log?: (entry: TatumClientLogEntry) => void;
}

export interface TatumClient extends TatumKmsApi {
  fetchPending(chain: ChainId, signatureIds: readonly string[]): Promise<PendingFetch>;
}

const HEX24 = /^[0-9a-f]{24}$/i;
const optionalInt = z
  .number()
  .int()
  .nonnegative()
  .nullish()
  .transform((v) => v ?? undefined);
const optionalString = z
  .string()
  .min(1)
  .nullish()
  .transform((v) => v ?? undefined);

/** PendingTransaction (§3); unknown fields (e.g. withdrawalResponses) are kept. */
export const pendingTransactionSchema = z.looseObject({
  id: z.string().regex(HEX24, 'must be a 24-hex id'),
  chain: z.string().min(1),
  serializedTransaction: z.string().min(1),
  hashes: z.array(z.string().min(1)).min(1),
  index: optionalInt,
  signatures: z
    .array(z.object({ id: z.string().min(1), index: z.number().int().nonnegative() }))
    .nullish()
    .transform((v) => v ?? undefined),
  withdrawalId: optionalString,
  txId: optionalString,
});

const broadcastResponseSchema = z.object({
  txId: z.string().min(1),
  completed: z.boolean().optional(),
});

/** A provider for `apiKey` that reads a Secrets Manager secret through the config's SecretCache. The
 *  secret is the key itself or JSON with `apiKey` / `TATUM_API_KEY`. */
export function apiKeyFromSecret(cache: SecretCache, secretId: string): () => Promise<string> {
  return async () => {
    const secret = (await cache.get(secretId)).trim();
    if (secret.startsWith('{')) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(secret);
      } catch {
        throw new Error(`secret ${secretId} starts with "{" but is not JSON`);
      }
      const record = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
      const key = record.apiKey ?? record.TATUM_API_KEY;
      if (typeof key !== 'string' || key === '') {
        throw new Error(`secret ${secretId} has neither "apiKey" nor "TATUM_API_KEY"`);
      }
      return key;
    }
    if (secret === '') throw new Error(`secret ${secretId} is empty`);
    return secret;
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`);
}

export function createTatumClient(options: TatumClientOptions): TatumClient {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retries = options.retries ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 500;
  const doFetch = options.fetch ?? fetch;
  const log = options.log ?? (() => undefined);
  const paths = { ...TATUM_BROADCAST_PATHS, ...options.broadcastPaths };
  /** Last key seen, so that errors can be scrubbed even if a server echoes it back. */
  let knownKey: string | undefined = typeof options.apiKey === 'string' ? options.apiKey : undefined;

  async function apiKey(): Promise<string> {
    if (typeof options.apiKey === 'string') return options.apiKey;
    let key: string;
    try {
      key = await options.apiKey();
    } catch (error) {
      throw new TatumApiError(
        `cannot obtain the Tatum API key: ${redact(error instanceof Error ? error.message : String(error), [knownKey])}`,
        undefined,
        false,
      );
    }
    knownKey = key;
    return key;
  }

  const scrub = (text: string) => redact(text, [knownKey]);

  /** One attempt. Throws TatumApiError; returns the parsed JSON body (undefined when empty). */
  async function attempt(path: string, body: unknown): Promise<unknown> {
    const key = await apiKey();
    const what = `Tatum POST ${path}`;
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/json',
          'x-api-key': key,
          'x-ttm-kms-client-version': options.clientVersion,
        },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      const timedOut =
        error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError');
      const reason = timedOut
        ? `timed out after ${timeoutMs} ms`
        : `network error: ${error instanceof Error ? `${error.message}${causeOf(error)}` : String(error)}`;
      throw new TatumApiError(scrub(`${what}: ${reason}`), undefined, true);
    }
    let text: string;
    try {
      text = await response.text();
    } catch (error) {
      throw new TatumApiError(
        scrub(
          `${what}: reading the response failed: ${error instanceof Error ? error.message : String(error)}`,
        ),
        response.status,
        true,
      );
    }
    if (!response.ok) {
      const retryable = response.status >= 500 || response.status === 429;
      const detail = text.trim() === '' ? '' : `: ${text.trim().slice(0, 500)}`;
      const error = new TatumApiError(
        scrub(`${what}: HTTP ${response.status}${detail}`),
        response.status,
        retryable,
      );
      throw Object.assign(error, { retryAfterMs: retryAfterMs(response.headers.get('retry-after')) });
    }
    if (text.trim() === '') return undefined;
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new TatumApiError(
        scrub(`${what}: HTTP ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`),
        response.status,
        false,
      );
    }
  }

  async function post(path: string, body: unknown): Promise<unknown> {
    for (let retry = 0; ; retry++) {
      try {
        return await attempt(path, body);
      } catch (error) {
        if (!(error instanceof TatumApiError) || !error.retryable || retry >= retries) throw error;
        const backoff = Math.min(10_000, retryDelayMs * 2 ** retry) * (0.75 + Math.random() * 0.5);
        const hinted = (error as TatumApiError & { retryAfterMs?: number }).retryAfterMs;
        const delay = Math.round(Math.max(backoff, Math.min(hinted ?? 0, 10_000)));
        log({
          level: 'warn',
          msg: 'tatum call failed, retrying',
          path,
          error: error.message,
          retry: retry + 1,
          delayMs: delay,
        });
        await sleep(delay);
      }
    }
  }

  async function fetchPending(chain: ChainId, signatureIds: readonly string[]): Promise<PendingFetch> {
    const ids = [...new Set(signatureIds)];
    if (ids.length > MAX_SIGNATURE_IDS_PER_CHAIN) {
      throw new TatumApiError(tooManySignatureIds(chain, ids.length), undefined, false);
    }
    const pending = new Map<string, PendingTransaction>();
    const invalid: InvalidPendingTransaction[] = [];
    const path = `/v3/kms/pending/${encodeURIComponent(chain)}`;
    for (let start = 0; start < ids.length; start += PENDING_BATCH_SIZE) {
      const body = await post(path, { signatureIds: ids.slice(start, start + PENDING_BATCH_SIZE) });
      if (!Array.isArray(body)) {
        throw new TatumApiError(
          `Tatum POST ${path}: expected a JSON array of pending transactions`,
          200,
          false,
        );
      }
      for (const raw of body as unknown[]) {
        const parsed = pendingTransactionSchema.safeParse(raw);
        const rawId = (raw as { id?: unknown } | null)?.id;
        const id = typeof rawId === 'string' && HEX24.test(rawId) ? rawId : undefined;
        if (!parsed.success) {
          invalid.push({ ...(id ? { id } : {}), issues: formatIssues(parsed.error), raw });
        } else if (parsed.data.chain !== chain) {
          invalid.push({
            id: parsed.data.id,
            issues: [`chain: is ${parsed.data.chain}, asked for ${chain}`],
            raw,
          });
        } else {
          // A transaction whose hashes span two batches comes back twice; keep one.
          pending.set(parsed.data.id, parsed.data);
        }
      }
    }
    for (const entry of invalid) {
      log({
        level: 'warn',
        msg: 'invalid pending transaction from Tatum',
        chain,
        id: entry.id,
        issues: entry.issues,
      });
    }
    return { pending: [...pending.values()], invalid };
  }

  return {
    fetchPending,

    async getPendingTransactions(chain, signatureIds) {
      return (await fetchPending(chain, signatureIds)).pending;
    },

    async broadcast(pending: PendingTransaction, signed: string): Promise<BroadcastResult> {
      let path: string;
      let body: Record<string, string>;
      if (pending.withdrawalId !== undefined) {
        path = OFFCHAIN_BROADCAST_PATH;
        body = {
          currency: pending.chain,
          signatureId: pending.id,
          withdrawalId: pending.withdrawalId,
          txData: signed,
        };
      } else {
        const chainPath = paths[pending.chain];
        if (chainPath === undefined) {
          throw new TatumApiError(`no Tatum broadcast endpoint for chain ${pending.chain}`, undefined, false);
        }
        path = chainPath;
        body = { txData: signed, signatureId: pending.id };
      }
      const response = broadcastResponseSchema.safeParse(await post(path, body));
      if (!response.success) {
        throw new TatumApiError(
          `Tatum POST ${path}: the broadcast of ${pending.id} succeeded but the response has no txId`,
          200,
          false,
        );
      }
      const { txId, completed } = response.data;
      log({ level: 'debug', msg: 'broadcast', chain: pending.chain, id: pending.id, txId });
      return completed === undefined ? { txId } : { txId, completed };
    },

    async reportErrors(errors) {
      if (errors.length === 0) return;
      await post(ERROR_BATCH_PATH, {
        errors: errors.map(({ signatureId, error }) => ({ signatureId, error: scrub(error) })),
      });
    },
  };
}

function causeOf(error: Error): string {
  const cause: unknown = error.cause;
  return cause instanceof Error ? ` (${cause.message})` : '';
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : undefined;
}
