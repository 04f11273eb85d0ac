// Tatum's SOL payload carries a placeholder blockhash (tatum-js v2 solana.tx.ts: "ANY RANDOM HASH SHOULD
// BE HERE - IT WILL BE REPLACED WITH CORRECT ONE"); the reference daemon replaces it at signing time
// (solana.kms.ts: recentBlockhash = undefined → web3.js sendTransaction fetches the latest one). Here the
// fresh blockhash comes from the configured Solana node (KMS_SIGNER_RPC_SOL), whose genesis hash must be
// the wallet network's. No node, or a node that is down or answers nonsense: the job waits (RETRY).
import type { ChainViews } from '../chain-view/index.js';
import type { CompletedPayload } from './complete-evm.js';
import { JobFailure } from './errors.js';

export async function completeSolPayload(
  unsigned: string,
  views: ChainViews | undefined,
): Promise<CompletedPayload> {
  const view = views?.solana();
  if (view === undefined) {
    throw new JobFailure(
      'the SOL payload needs a fresh blockhash and no Solana node is configured (KMS_SIGNER_RPC_SOL)',
      true,
    );
  }
  const fresh = await view.recentBlockhash();
  const { blockhash, genesisHash } = fresh;
  return {
    unsigned,
    completion: {
      recentBlockhash: {
        value: blockhash,
        from: `getLatestBlockhash finalized (slot ${fresh.slot}, valid to height ${fresh.lastValidBlockHeight})`,
      },
      // What proves, later, that these bytes can never land (sol-expiry.ts).
      lastValidBlockHeight: {
        value: String(fresh.lastValidBlockHeight),
        from: `getLatestBlockhash finalized (blockhash ${blockhash})`,
      },
    },
    nonce: undefined,
    request: { recentBlockhash: { blockhash, genesisHash } },
  };
}
