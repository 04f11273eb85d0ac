// Tatum's KMS protocol (../shared/reference/tatum-protocol.md §2) over http.ts: pending fetch in pages of
// 500 signature ids (at most 25,000 per chain), entries validated one by one, chain / off-chain broadcast,
// and the batch error report. http.ts retries retryable failures, broadcasts included: re-sending the same
// signed bytes is safe because the transaction id is a hash of those bytes, so a duplicate can only be
// refused, never double-spend.
import type { SecretCache } from '../config/index.js';
import type { ChainId } from '../chains/index.js';
import * as z from 'zod';
import { MAX_PENDING_PAYLOAD_CHARS, MAX_SIGNATURE_IDS_PER_CHAIN, tooManySignatureIds } from './limits.js';
import { parseStrictJsonOnDemand, StrictJsonError } from '../util/strict-json-on-demand.js';
import { TatumApiError } from './errors.js';
import { TatumHttp, type TatumHttpOptions } from './http.js';
import {
  type BroadcastResult,
  type InvalidPendingTransaction,
  type PendingFetch,
  type PendingTransaction,
  type TatumFlowApi,
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
  CELO: '/v3/celo/broadcast',
  KLAY: '/v3/klaytn/broadcast',
  XDC: '/v3/xdc/broadcast',
  ONE: '/v3/one/broadcast',
  KCS: '/v3/kcs/broadcast',
  XRP: '/v3/xrp/broadcast',
  // v1 vetBroadcast (tatum-protocol.md §2.7): txData is the 0x hex of the signed Thor RLP.
  VET: '/v3/vet/broadcast',
  // tatum-kms src/signatures.ts posts {txData, signatureId} here after signing SOL.
  SOL: '/v3/solana/broadcast',
  // tatum-js v1 src/blockchain/ada.ts adaBroadcast and v2 cardano.sdk.tx.ts (tatum-kms signatures.ts,
  // Currency.ADA): {txData: <signed transaction CBOR hex>, signatureId}.
  ADA: '/v3/ada/broadcast',
  // tatum-js v1 src/blockchain/egld.ts egldBroadcast (tatum-kms signatures.ts, Currency.EGLD):
  // {txData: JSON.stringify(signedTransaction.toSendable()), signatureId}.
  EGLD: '/v3/egld/broadcast',
  // tatum-kms src/signatures.ts: XLM through the v2 SDK's xlmSdk.blockchain.broadcast (base64 envelope
  // XDR), ALGO through v1 algorandBroadcast (hex of the signed msgpack transaction).
  XLM: '/v3/xlm/broadcast',
  ALGO: '/v3/algorand/broadcast',
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

export interface TatumClientOptions extends TatumHttpOptions {
  /** Extra or replacement chain → path entries, e.g. SANDBOX_BROADCAST_PATHS. */
  broadcastPaths?: Readonly<Record<string, string>>;
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

/**
 * A JSON payload with a duplicate member name (JSON.parse keeps the last; the four-eyes service or a
 * person reading it may see the first) or a lone surrogate is refused, never signed. Asynchronous (momoa
 * loads on first need, src/util/strict-json-on-demand.ts), so the schema parses with safeParseAsync.
 */
async function refuseAmbiguousJson(text: string, ctx: z.RefinementCtx): Promise<void> {
  const start = text.trimStart()[0];
  if (start !== '{' && start !== '[') return;
  try {
    await parseStrictJsonOnDemand(text);
  } catch (error) {
    // Not JSON at all is left to the chain's own parser, which refuses it with its reason (FAILED once).
    if (error instanceof StrictJsonError && !error.reason.startsWith('not valid JSON')) {
      ctx.addIssue({ code: 'custom', message: `${error.path}: ${error.reason}` });
    }
  }
}

/** PendingTransaction (§3); unknown fields (e.g. withdrawalResponses) are kept. Parse with safeParseAsync. */
export const pendingTransactionSchema = z.looseObject({
  id: z.string().regex(HEX24, 'must be a 24-hex id'),
  chain: z.string().min(1),
  serializedTransaction: z
    .string()
    .min(1)
    .max(MAX_PENDING_PAYLOAD_CHARS, `longer than ${MAX_PENDING_PAYLOAD_CHARS} characters`)
    .superRefine(refuseAmbiguousJson),
  hashes: z.array(z.string().min(1)).min(1),
  index: optionalInt,
  signatures: z
    .array(z.object({ id: z.string().min(1), index: z.number().int().nonnegative() }))
    .nullish()
    .transform((v) => v ?? undefined),
  withdrawalId: optionalString,
  txId: optionalString,
});

const flowSignKeySchema = z.object({
  address: z.string().regex(/^(0x)?[0-9a-fA-F]{16}$/),
  keyId: z.number().int().nonnegative(),
});
const flowSignatureSchema = z.object({ signature: z.string().regex(/^(0x)?[0-9a-fA-F]{128}$/) });

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

function formatIssues(error: z.ZodError): string[] {
  return error.issues.map((issue) => `${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`);
}

export function createTatumClient(options: TatumClientOptions): TatumKmsApi {
  return new TatumClient(options);
}

/** Methods are own arrow properties, so the client can be spread or passed around unbound. */
class TatumClient implements TatumKmsApi {
  private readonly http: TatumHttp;
  private readonly paths: Readonly<Record<string, string>>;

  constructor(options: TatumClientOptions) {
    this.http = new TatumHttp(options);
    this.paths = { ...TATUM_BROADCAST_PATHS, ...options.broadcastPaths };
  }

  readonly fetchPending = async (chain: ChainId, signatureIds: readonly string[]): Promise<PendingFetch> => {
    const ids = [...new Set(signatureIds)];
    if (ids.length > MAX_SIGNATURE_IDS_PER_CHAIN) {
      throw new TatumApiError(tooManySignatureIds(chain, ids.length), undefined, false);
    }
    const pending = new Map<string, PendingTransaction>();
    const invalid: InvalidPendingTransaction[] = [];
    for (let start = 0; start < ids.length; start += PENDING_BATCH_SIZE) {
      const page = await this.fetchPage(chain, ids.slice(start, start + PENDING_BATCH_SIZE));
      // A transaction whose hashes span two pages comes back twice; keep one.
      for (const entry of page.pending) pending.set(entry.id, entry);
      invalid.push(...page.invalid);
    }
    for (const entry of invalid) {
      this.http.log({
        level: 'warn',
        msg: 'invalid pending transaction from Tatum',
        chain,
        id: entry.id,
        issues: entry.issues,
      });
    }
    return { pending: [...pending.values()], invalid };
  };

  readonly broadcast = async (pending: PendingTransaction, signed: string): Promise<BroadcastResult> => {
    const { path, body } = this.broadcastRequest(pending, signed);
    const response = broadcastResponseSchema.safeParse(await this.http.post(path, body));
    if (!response.success) {
      throw new TatumApiError(
        `Tatum POST ${path}: the broadcast of ${pending.id} succeeded but the response has no txId`,
        200,
        false,
      );
    }
    const { txId, completed } = response.data;
    this.http.log({ level: 'debug', msg: 'broadcast', chain: pending.chain, id: pending.id, txId });
    return completed === undefined ? { txId } : { txId, completed };
  };

  readonly getTransaction = async (id: string): Promise<PendingTransaction | null> => {
    if (!HEX24.test(id))
      throw new TatumApiError(`pending id ${id} is not 24 hex characters`, undefined, false);
    const path = `/v3/kms/${id}`;
    let body: unknown;
    try {
      body = await this.http.get(path);
    } catch (error) {
      if (error instanceof TatumApiError && error.status === 403 && /kms\.missing/.test(error.message))
        return null;
      throw error;
    }
    const parsed = await pendingTransactionSchema.safeParseAsync(body);
    if (!parsed.success || parsed.data.id !== id) {
      throw new TatumApiError(`Tatum GET ${path}: not the pending transaction ${id}`, 200, false);
    }
    return parsed.data;
  };

  readonly reportErrors = async (
    errors: readonly { signatureId: string; error: string }[],
  ): Promise<void> => {
    if (errors.length === 0) return;
    await this.http.post(ERROR_BATCH_PATH, {
      errors: errors.map(({ signatureId, error }) => ({ signatureId, error: this.http.scrub(error) })),
    });
  };

  /** tatum-js packages/tatum-flow src/blockchain/flow.ts: flowGetSignKey, flowSignWithKey, flowBroadcastTx. */
  readonly flow: TatumFlowApi = {
    signKey: async (isPayer) => {
      const path = `/v3/flow/proposal/${isPayer}`;
      const parsed = flowSignKeySchema.safeParse(await this.http.get(path));
      if (!parsed.success) throw new TatumApiError(`Tatum GET ${path}: not {address, keyId}`, 200, false);
      return parsed.data;
    },
    sign: async (data, isPayer) => {
      const parsed = flowSignatureSchema.safeParse(await this.http.post('/v3/flow/sign', { data, isPayer }));
      if (!parsed.success)
        throw new TatumApiError('Tatum POST /v3/flow/sign: not {signature: r‖s hex}', 200, false);
      return parsed.data.signature.replace(/^0x/, '').toLowerCase();
    },
    broadcast: async (body) => {
      const answer = (await this.http.post('/v3/flow/broadcast', body)) as { txId?: unknown } | null;
      return typeof answer?.txId === 'string' ? { txId: answer.txId } : {};
    },
  };

  /** One page of at most 500 ids; every entry validated on its own (a bad one never hides the others). */
  private async fetchPage(chain: ChainId, ids: readonly string[]): Promise<PendingFetch> {
    const path = `/v3/kms/pending/${encodeURIComponent(chain)}`;
    const body = await this.http.post(path, { signatureIds: ids });
    if (!Array.isArray(body)) {
      throw new TatumApiError(
        `Tatum POST ${path}: expected a JSON array of pending transactions`,
        200,
        false,
      );
    }
    const page: PendingFetch = { pending: [], invalid: [] };
    for (const raw of body as unknown[]) {
      const parsed = await pendingTransactionSchema.safeParseAsync(raw);
      const rawId = (raw as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' && HEX24.test(rawId) ? rawId : undefined;
      if (!parsed.success) {
        page.invalid.push({ ...(id ? { id } : {}), issues: formatIssues(parsed.error), raw });
      } else if (parsed.data.chain !== chain) {
        page.invalid.push({
          id: parsed.data.id,
          issues: [`chain: is ${parsed.data.chain}, asked for ${chain}`],
          raw,
        });
      } else {
        page.pending.push(parsed.data);
      }
    }
    return page;
  }

  /** The chain's broadcast path, or the off-chain withdrawal path when the pending transaction has one. */
  private broadcastRequest(
    pending: PendingTransaction,
    signed: string,
  ): { path: string; body: Record<string, string> } {
    if (pending.withdrawalId !== undefined) {
      const body = {
        currency: pending.chain,
        signatureId: pending.id,
        withdrawalId: pending.withdrawalId,
        txData: signed,
      };
      return { path: OFFCHAIN_BROADCAST_PATH, body };
    }
    const path = this.paths[pending.chain];
    if (path === undefined) {
      throw new TatumApiError(`no Tatum broadcast endpoint for chain ${pending.chain}`, undefined, false);
    }
    return { path, body: { txData: signed, signatureId: pending.id } };
  }
}
