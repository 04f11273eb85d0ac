// The pending-count wrapper logs what Tatum listed per fetch and changes nothing the loop sees.
import { describe, expect, it } from 'vitest';
import { reportPendingCounts } from '../../../src/tatum/pending-count.js';
import type { PendingFetch, PendingTransaction, TatumKmsApi } from '../../../src/tatum/types.js';

const pendingTx = (id: string) => ({ id, chain: 'ETH' }) as unknown as PendingTransaction;

describe('reportPendingCounts', () => {
  it('logs one pending line per fetch and returns the fetch unchanged', async () => {
    const fetched: PendingFetch = {
      pending: [pendingTx('a'.repeat(24)), pendingTx('b'.repeat(24))],
      invalid: [{ issues: ['hashes: expected array'], raw: {} }],
    };
    const calls: string[] = [];
    const api: TatumKmsApi = {
      fetchPending: (chain, ids) => {
        calls.push(`fetch ${chain} ${String(ids.length)}`);
        return Promise.resolve(fetched);
      },
      broadcast: (pending, signed) => {
        calls.push(`broadcast ${pending.id} ${signed}`);
        return Promise.resolve({ txId: '0xabc' });
      },
      getTransaction: () => Promise.resolve(null),
      reportErrors: (errors) => {
        calls.push(`report ${String(errors.length)}`);
        return Promise.resolve();
      },
    };
    const lines: unknown[] = [];
    const wrapped = reportPendingCounts(api, (entry) => lines.push(entry));

    expect(await wrapped.fetchPending('ETH', ['x', 'y', 'z'])).toBe(fetched);
    expect(lines).toEqual([{ event: 'pending', chain: 'ETH', count: 2, invalid: 1 }]);
    expect(await wrapped.broadcast(pendingTx('c'.repeat(24)), '0x01')).toEqual({ txId: '0xabc' });
    await wrapped.reportErrors([{ signatureId: 'd'.repeat(24), error: 'x' }]);
    expect(calls).toEqual(['fetch ETH 3', `broadcast ${'c'.repeat(24)} 0x01`, 'report 1']);
    expect(lines).toHaveLength(1); // only fetches are counted
  });

  it('logs nothing when the fetch fails, and passes the error on', async () => {
    const failing: TatumKmsApi = {
      fetchPending: () => Promise.reject(new Error('Tatum 503')),
      broadcast: () => Promise.reject(new Error('unused')),
      getTransaction: () => Promise.resolve(null),
      reportErrors: () => Promise.resolve(),
    };
    const lines: unknown[] = [];
    const wrapped = reportPendingCounts(failing, (entry) => lines.push(entry));
    await expect(wrapped.fetchPending('BTC', [])).rejects.toThrow('Tatum 503');
    expect(lines).toEqual([]);
  });
});
