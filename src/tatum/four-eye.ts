// The four-eyes check: before signing, an external service must approve the pending transaction
// (GET or POST {externalUrl}/{id}; POST sends the pending JSON plus `decoded`, the transaction as the
// signer decoded it — what will be signed, not Tatum's description of it). Only a 2xx answer approves.
// 423 Locked means "not decided yet" (kms-signer's approvals service: quorum not reached): the transaction
// waits for a later pass, as tatum-kms skips it. An outage — a network error, a timeout, 5xx or 429 — is
// not a decision either: the job is retried next pass like after any other dependency's outage. Only an
// explicit answer (another 4xx, or an unexpected status) is a refusal that the loop records and reports.
import type { TransactionSummary } from '../signer/index.js';
import { httpRequest, HttpRequestError } from '../util/http-request.js';
import { signFourEyeRequest } from './four-eye-signature.js';
import type { PendingTransaction } from './types.js';

export type FourEyeMethod = 'GET' | 'POST';

/** The answer of a four-eyes service that has not decided yet. */
export const FOUR_EYE_AWAITING_STATUS = 423;

export interface FourEyeResult {
  ok: boolean;
  /** Not approved yet, but not refused either (HTTP 423): ask again next pass. */
  awaiting?: boolean;
  /** The service could not answer (timeout, network error, 5xx, 429): retried next pass, not a refusal. */
  unavailable?: boolean;
  /** "HTTP 200", "HTTP 403", "timeout after 5000 ms", "network error: …". */
  detail: string;
}

export async function fourEyeCheck(
  externalUrl: string,
  method: FourEyeMethod,
  pending: PendingTransaction,
  decoded: TransactionSummary,
  timeoutMs = 10_000,
  /** Shared with the four-eyes service: the request is HMAC-signed (four-eye-signature.ts). */
  secret?: string,
): Promise<FourEyeResult> {
  const url = `${externalUrl.replace(/\/+$/, '')}/${encodeURIComponent(pending.id)}`;
  const body = method === 'POST' ? JSON.stringify({ ...pending, decoded }) : '';
  const headers: Record<string, string> = method === 'POST' ? { 'content-type': 'application/json' } : {};
  if (secret !== undefined) {
    Object.assign(headers, signFourEyeRequest(secret, { method, path: new URL(url).pathname, body }));
  }
  try {
    // node:http keep-alive (src/util/http-request.ts): one request per transaction on mainnet, so the
    // loop's CPU per transaction counts it. The answer is read whole: an approval cut off is no approval.
    const response = await httpRequest({
      method,
      url,
      headers,
      ...(method === 'POST' ? { body } : {}),
      timeoutMs,
    });
    const detail = `HTTP ${response.status}`;
    if (response.status === FOUR_EYE_AWAITING_STATUS) return { ok: false, awaiting: true, detail };
    if (response.status >= 500 || response.status === 429) return { ok: false, unavailable: true, detail };
    return { ok: response.status >= 200 && response.status < 300, detail };
  } catch (error) {
    if (error instanceof HttpRequestError && error.timedOut) {
      return { ok: false, unavailable: true, detail: `timeout after ${timeoutMs} ms` };
    }
    const cause = error instanceof Error ? `: ${error.message}` : '';
    return { ok: false, unavailable: true, detail: `network error${cause}` };
  }
}
