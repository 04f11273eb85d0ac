// When SOL bytes are proven never to land: the finalized height past the stored lastValidBlockHeight, asked
// before the signature is looked up (with history), and the signature unknown.
import { describe, expect, it } from 'vitest';
import type { SolanaChainView, SolanaSignatureStatus } from '../../../src/chain-view/index.js';
import { expiryReason, provenSolExpiry, storedLastValidBlockHeight } from '../../../src/tatum/sol-expiry.js';

const completion = (lastValidBlockHeight: number) => ({
  recentBlockhash: {
    value: 'B',
    from: `getLatestBlockhash finalized (slot 1, valid to height ${lastValidBlockHeight})`,
  },
  lastValidBlockHeight: { value: String(lastValidBlockHeight), from: 'getLatestBlockhash finalized' },
});

/** A view answering `height` and `status`, recording the order of the questions. */
function view(height: number, status: SolanaSignatureStatus | null, asked: string[] = []) {
  return {
    blockHeight: () => {
      asked.push('height');
      return Promise.resolve(height);
    },
    signatureStatus: () => {
      asked.push('status');
      return Promise.resolve(status);
    },
  } as unknown as SolanaChainView;
}

describe('provenSolExpiry', () => {
  const job = { txId: 'sig', completion: completion(1_000) };

  it('proves expiry only past lastValidBlockHeight with the signature unknown, height asked first', async () => {
    const asked: string[] = [];
    await expect(provenSolExpiry(view(1_001, null, asked), job)).resolves.toEqual({
      blockHeight: 1_001,
      lastValidBlockHeight: 1_000,
    });
    expect(asked).toEqual(['height', 'status']);
    expect(expiryReason({ blockHeight: 1_001, lastValidBlockHeight: 1_000 })).toBe(
      'blockhash expired at block height 1001 (valid to 1000) before the transaction landed; nothing was spent',
    );
  });

  it('while the blockhash is valid (height = lastValidBlockHeight) nothing is proven, no status asked', async () => {
    const asked: string[] = [];
    await expect(provenSolExpiry(view(1_000, null, asked), job)).resolves.toBeUndefined();
    expect(asked).toEqual(['height']);
  });

  it('a signature the cluster knows (landed, even failed) is not expired', async () => {
    const landed = { slot: 5, confirmationStatus: 'finalized' as const, err: '{"InstructionError":[0,"x"]}' };
    await expect(provenSolExpiry(view(5_000, landed), job)).resolves.toBeUndefined();
  });

  it('a job without a stored height or txid proves nothing', async () => {
    await expect(provenSolExpiry(view(5_000, null), { txId: 'sig' })).resolves.toBeUndefined();
    await expect(provenSolExpiry(view(5_000, null), { ...job, txId: null })).resolves.toBeUndefined();
  });
});

describe('storedLastValidBlockHeight', () => {
  it('reads the structured field, else the text of jobs completed before it existed', () => {
    expect(storedLastValidBlockHeight({ completion: completion(77) })).toBe(77);
    const older = {
      recentBlockhash: { value: 'B', from: 'getLatestBlockhash finalized (slot 9, valid to height 159)' },
    };
    expect(storedLastValidBlockHeight({ completion: older })).toBe(159);
    expect(storedLastValidBlockHeight({})).toBeUndefined();
  });
});
