// The shape every "refusals" table of a signer family shares: a payload that must be refused with a code
// and a field, and the check that the signer was never called (nothing reached KMS).
import { expect, it } from 'vitest';

import type { ChainId } from '../../src/chains/index.js';
import {
  signTransaction,
  SigningRefusedError,
  type RefusalCode,
  type WalletKey,
} from '../../src/signer/index.js';
import { fakeDigestSigner, type TestKey } from '../../scripts/fixtures/fake-digest-signer.js';

export interface RefusalCase {
  unsigned: unknown;
  code: RefusalCode;
  field: string;
  wallets?: WalletKey[];
  network?: string;
  options?: Record<string, unknown>;
  /** Further request fields of this case (e.g. FLOW's `flowAccount`), over the table's `requestDefaults`. */
  request?: Record<string, unknown>;
}

/** One `it` per case: SigningRefusedError with the case's code and field, and zero signer calls. */
export function itRefusesEach(
  chain: ChainId,
  keys: readonly TestKey[],
  cases: Record<string, RefusalCase>,
  requestDefaults: Record<string, unknown> = {},
): void {
  for (const [name, c] of Object.entries(cases)) {
    it(name, async () => {
      const signer = fakeDigestSigner(keys);
      const attempt = signTransaction({
        chain,
        network: (c.network ?? 'mainnet') as 'mainnet',
        wallets: c.wallets ?? [keys[0]?.wallet ?? { keyId: 'none', publicKey: new Uint8Array() }],
        signer,
        unsigned: c.unsigned as object,
        options: c.options,
        ...requestDefaults,
        ...c.request,
      });
      await expect(attempt).rejects.toBeInstanceOf(SigningRefusedError);
      await expect(attempt).rejects.toMatchObject({ code: c.code, field: c.field });
      expect(signer.calls).toHaveLength(0);
    });
  }
}
