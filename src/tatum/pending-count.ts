// How many transactions Tatum listed as pending for a chain at each fetch, logged as one `pending` line
// ({event, chain, count}) that the stack turns into the PendingAtTatum metric and the dashboard's pending
// widget (infra/log-metrics.ts). A wrapper around the Tatum client, so that the loop itself is unchanged.
import type { ChainId } from '../chains/index.js';
import type { TatumKmsApi } from './types.js';

export function reportPendingCounts(
  api: TatumKmsApi,
  log: (entry: { event: 'pending'; chain: ChainId; count: number; invalid: number }) => void,
): TatumKmsApi {
  return {
    ...api,
    async fetchPending(chain, signatureIds) {
      const fetched = await api.fetchPending(chain, signatureIds);
      log({ event: 'pending', chain, count: fetched.pending.length, invalid: fetched.invalid.length });
      return fetched;
    },
  };
}
