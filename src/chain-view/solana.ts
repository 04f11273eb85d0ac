// The trusted read-only view of a Solana cluster through its JSON-RPC API: the genesis hash (checked
// once against the registry's, so a devnet node can never feed a mainnet wallet) and a recent
// blockhash. Tatum's SOL payload carries a placeholder blockhash that the signer must replace: tatum-js
// v2 solana.kms.ts sets `transaction.recentBlockhash = undefined` and lets web3.js `sendTransaction`
// fetch the latest one from the node; its external-fee-payer path asks `getLatestBlockhash('finalized')`
// (solana.utils.ts). We ask for the finalized one too: a blockhash of a block that a fork drops makes
// the transaction invalid. Solana RPC docs: getLatestBlockhash → {context, value: {blockhash,
// lastValidBlockHeight}}; getGenesisHash → base58 string.
import * as z from 'zod';
import { ChainUnavailableError } from './errors.js';
import type { JsonRpcClient } from './json-rpc.js';

/** base58 of 32 bytes: 32–44 characters of the Bitcoin alphabet (the signer decodes it exactly). */
const BASE58_HASH = z.string().regex(/^[1-9A-HJ-NP-Za-km-z]{32,44}$/, 'expected a base58 32-byte hash');
const latestBlockhash = z.object({
  context: z.object({ slot: z.number().int().nonnegative() }),
  value: z.object({
    blockhash: BASE58_HASH,
    lastValidBlockHeight: z.number().int().nonnegative(),
  }),
});

export interface SolanaBlockhash {
  blockhash: string;
  /** The genesis hash of the node the blockhash came from (the signer checks it against the wallet's). */
  genesisHash: string;
  slot: number;
  lastValidBlockHeight: number;
}

export class SolanaChainView {
  private genesisChecked: Promise<void> | undefined;

  constructor(
    private readonly rpc: JsonRpcClient,
    private readonly genesisHash: string,
    private readonly label: string,
  ) {}

  /** getGenesisHash must be the registry's; asked once per process (again after a failure). */
  checkGenesis(): Promise<void> {
    this.genesisChecked ??= this.rpc.call('getGenesisHash', [], BASE58_HASH).then((genesis) => {
      if (genesis !== this.genesisHash) {
        throw new ChainUnavailableError(`${this.label}: genesis ${genesis}, expected ${this.genesisHash}`);
      }
    });
    this.genesisChecked.catch(() => {
      this.genesisChecked = undefined;
    });
    return this.genesisChecked;
  }

  /** A finalized recent blockhash of this cluster. */
  async recentBlockhash(): Promise<SolanaBlockhash> {
    await this.checkGenesis();
    const answer = await this.rpc.call('getLatestBlockhash', [{ commitment: 'finalized' }], latestBlockhash);
    const { isBlockhash } = await import('@solana/kit'); // loaded only where SOL is signed
    if (!isBlockhash(answer.value.blockhash)) {
      throw new ChainUnavailableError(`${this.label}: getLatestBlockhash answered a malformed blockhash`);
    }
    return {
      blockhash: answer.value.blockhash,
      genesisHash: this.genesisHash,
      slot: answer.context.slot,
      lastValidBlockHeight: answer.value.lastValidBlockHeight,
    };
  }
}
