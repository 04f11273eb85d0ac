// The Tatum client checks pending payloads with parseStrictJsonOnDemand (src/util/strict-json-on-demand.ts),
// which imports strict-json.ts and its momoa parser only for a text the one-pass scan cannot settle. Each
// test imports a fresh module graph (vi.resetModules) with a pass-through mock that records whether
// strict-json.ts got evaluated.
import { beforeEach, describe, expect, it, vi } from 'vitest';

let loaded = false;

describe('momoa on first need', () => {
  beforeEach(() => {
    vi.resetModules();
    loaded = false;
    vi.doMock('../../../src/util/strict-json.js', async (importOriginal) => {
      loaded = true;
      return importOriginal();
    });
  });

  it('is not loaded by the Tatum client nor by the check of a plain payload', async () => {
    const parsed = await parsePending('{"to":"0xab","value":"1","nonce":3}');
    expect(parsed.success).toBe(true);
    expect(loaded).toBe(false);
  });

  it('is loaded to word the refusal of an ambiguous payload', async () => {
    const parsed = await parsePending('{"to":"0xab","to":"0xcd"}');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe('to: duplicate key');
    expect(loaded).toBe(true);
  });
});

/** A pending transaction with this payload, through the client's schema (imported in the fresh graph). */
async function parsePending(serializedTransaction: string) {
  const { pendingTransactionSchema } = await import('../../../src/tatum/client.js');
  const entry = { id: '0123456789abcdef01234567', chain: 'ETH', serializedTransaction, hashes: ['h'] };
  return pendingTransactionSchema.safeParseAsync(entry);
}
