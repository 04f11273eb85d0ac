// A minimal client of a Thor node's REST API (thor solo in tests): best block, account balances, sending a
// raw transaction, waiting for its receipt, and funding a wallet from thor solo's first dev account (that
// transaction is signed by @vechain/sdk-core with the dev key, which only a test may hold).
import { Address, Clause, HDKey, Hex, Transaction, VET, VTHO } from '@vechain/sdk-core';
import { THOR_SOLO_MNEMONIC } from '../../scripts/stack/index.js';

export interface ThorReceipt {
  gasUsed: number;
  reverted: boolean;
  paid: string;
  meta: { blockNumber: number; txID: string };
  outputs: { transfers: { sender: string; recipient: string; amount: string }[] }[];
}

export class ThorRest {
  constructor(readonly url: string) {}

  private async get<T>(path: string): Promise<T> {
    const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(10_000) });
    if (!response.ok) throw new Error(`GET ${path}: HTTP ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** The first 8 bytes of the best block id, as a Thor body's blockRef. */
  async blockRef(): Promise<string> {
    return (await this.get<{ id: string }>('/blocks/best')).id.slice(0, 18);
  }

  /** VET and VTHO (energy) balances in wei. */
  async balances(address: string): Promise<{ vet: bigint; vtho: bigint }> {
    const account = await this.get<{ balance: string; energy: string }>(`/accounts/${address}`);
    return { vet: BigInt(account.balance), vtho: BigInt(account.energy) };
  }

  /** POST /transactions; resolves with the id the node answers, rejects with the node's reason. */
  async send(raw: string): Promise<string> {
    const response = await fetch(`${this.url}/transactions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ raw }),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`thor refused the transaction: HTTP ${response.status} ${text.trim()}`);
    return (JSON.parse(text) as { id: string }).id;
  }

  /** Polls until the transaction is in a block (thor solo --on-demand packs it within a second). */
  async receipt(id: string, timeoutMs = 30_000): Promise<ThorReceipt> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const receipt = await this.get<ThorReceipt | null>(`/transactions/${id}/receipt`);
      if (receipt !== null) return receipt;
      if (Date.now() > deadline) throw new Error(`no receipt for ${id} after ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  /** Sends `vet` VET and `vtho` VTHO (whole units) from thor solo's dev account 0 to `to`; waits for it. */
  async fund(to: string, vet: number, vtho: number, chainTag: number): Promise<void> {
    const devKey = HDKey.fromMnemonic(THOR_SOLO_MNEMONIC).deriveChild(0).privateKey;
    if (devKey === null) throw new Error('no dev key');
    const clauses = [
      Clause.transferVET(Address.of(to), VET.of(vet)),
      Clause.transferVTHOToken(Address.of(to), VTHO.of(vtho)).clause,
    ];
    const body = {
      chainTag,
      blockRef: await this.blockRef(),
      expiration: 720,
      clauses,
      gasPriceCoef: 0,
      gas: 200_000,
      dependsOn: null,
      nonce: Date.now(),
    };
    const tx = Transaction.of(body).sign(devKey);
    const receipt = await this.receipt(await this.send(Hex.of(tx.encoded).toString()));
    if (receipt.reverted) throw new Error('funding transaction reverted');
  }
}
