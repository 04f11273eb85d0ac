// The four-eyes check: before signing, an external service must approve the pending transaction
// (GET or POST {externalUrl}/{id}; POST sends the pending JSON plus `decoded`, the transaction as the
// signer decoded it — what will be signed, not Tatum's description of it). Only a 2xx answer approves; anything
// else — another status, a network error, a timeout — is a refusal that the loop records and reports.
import type { TransactionSummary } from '../signer/index.js';
import type { PendingTransaction } from './types.js';

export type FourEyeMethod = 'GET' | 'POST';

export interface FourEyeResult {
  ok: boolean;
  /** "HTTP 200", "HTTP 403", "timeout after 5000 ms", "network error: …". */
  detail: string;
}

export async function fourEyeCheck(
  externalUrl: string,
  method: FourEyeMethod,
  pending: PendingTransaction,
  decoded: TransactionSummary,
  timeoutMs = 10_000,
): Promise<FourEyeResult> {
  const url = `${externalUrl.replace(/\/+$/, '')}/${encodeURIComponent(pending.id)}`;
  try {
    const response = await fetch(url, {
      method,
      signal: AbortSignal.timeout(timeoutMs),
      ...(method === 'POST'
        ? { headers: { 'content-type': 'application/json' }, body: JSON.stringify({ ...pending, decoded }) }
        : {}),
    });
    await response.body?.cancel().catch(() => undefined);
    return { ok: response.status >= 200 && response.status < 300, detail: `HTTP ${response.status}` };
  } catch (error) {
    if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
      return { ok: false, detail: `timeout after ${timeoutMs} ms` };
    }
    const cause = error instanceof Error && error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return { ok: false, detail: `network error${cause}` };
  }
}
