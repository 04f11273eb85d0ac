// The signing loop's cached lists of ACTIVE wallets: one count for all chains per update, lists reused
// within the refresh interval, a chain re-listed at once when a cheap count changes, nothing read between
// refreshes when counting is slow, and nothing listed above Tatum's 25,000 per chain — which the loop
// then reports as a chain error without calling Tatum.
import type { Db } from 'mongodb';
import { describe, expect, it, vi } from 'vitest';
import type { ChainId } from '../../../src/chains/index.js';
import { ActiveWalletIds, CHEAP_COUNT_MS } from '../../../src/tatum/active-wallet-ids.js';
import { MAX_SIGNATURE_IDS_PER_CHAIN } from '../../../src/tatum/limits.js';
import { SigningLoop } from '../../../src/tatum/loop.js';
import type { PendingFetch, TatumKmsApi } from '../../../src/tatum/types.js';
import { fakeDigestSigner } from '../../../scripts/fixtures/fake-digest-signer.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

const REFRESH_MS = 60_000;
const CHAINS: readonly ChainId[] = ['ETH', 'BSC', 'BTC'];
const eth = { userId: 'u', chain: 'ETH', asset: 'ETH', network: 'testnet' } as const;
const bsc = { ...eth, chain: 'BSC', asset: 'BNB' } as const;
const OVER = MAX_SIGNATURE_IDS_PER_CHAIN + 1;

function setup() {
  const service = new FakeWalletService();
  let now = 0;
  const clock = { now: () => now, advance: (ms: number) => (now += ms) };
  const cache = new ActiveWalletIds(service, CHAINS, 'testnet', REFRESH_MS, clock.now);
  /** One pass: update, then the chain's ids. */
  const pass = async (chain: ChainId = 'ETH') => {
    await cache.update();
    return cache.ids(chain);
  };
  const calls = (method: 'countActiveWallets' | 'activeSignatureIds') =>
    service.calls.filter((c) => c.method === method);
  return { service, clock, cache, pass, calls };
}

/** Every count takes `ms` of the injected clock (a server that scans the collection). */
function slowCounts(service: FakeWalletService, advance: (ms: number) => number, ms: number): void {
  const count = service.countActiveWallets.bind(service);
  vi.spyOn(service, 'countActiveWallets').mockImplementation((chains, network) => {
    advance(ms);
    return count(chains, network);
  });
}

/** `chain` reports `n` ACTIVE wallets; the others are counted for real. */
function countsAs(service: FakeWalletService, chain: ChainId, n: () => number) {
  const count = service.countActiveWallets.bind(service);
  return vi.spyOn(service, 'countActiveWallets').mockImplementation(async (chains, network) => {
    const counts = await count(chains, network);
    counts.set(chain, n());
    return counts;
  });
}

describe('ActiveWalletIds', () => {
  it('counts every chain in one query, lists only chains with wallets, and reuses the lists while the cheap count is unchanged', async () => {
    const { service, cache, pass, calls } = setup();
    const a = service.seed(eth);
    const b = service.seed(eth);
    const c = service.seed(bsc);
    service.seed(eth, 'DISABLED');
    service.seed({ ...eth, network: 'mainnet' });

    const expected = [a.signatureId, b.signatureId].sort();
    expect(await pass()).toEqual(expected);
    expect(cache.ids('BSC')).toEqual([c.signatureId]);
    expect(cache.ids('BTC')).toEqual([]);
    expect(await pass()).toEqual(expected);
    expect(calls('countActiveWallets').map((call) => call.args)).toEqual([
      [CHAINS, 'testnet'],
      [CHAINS, 'testnet'],
    ]);
    // BTC has none: not listed. Each list is bounded one above Tatum's limit.
    expect(calls('activeSignatureIds').map((call) => call.args)).toEqual([
      ['ETH', 'testnet', OVER],
      ['BSC', 'testnet', OVER],
    ]);
  });

  it('re-lists only the chain whose cheap count changed, at the next pass (wallet created or disabled)', async () => {
    const { service, pass, calls } = setup();
    const a = service.seed(eth);
    service.seed(bsc);
    expect(await pass()).toEqual([a.signatureId]);

    const b = service.seed(eth);
    expect(await pass()).toEqual([a.signatureId, b.signatureId].sort());
    await service.disableWallet(a.signatureId);
    expect(await pass()).toEqual([b.signatureId]);
    expect(calls('activeSignatureIds').map((call) => call.args[0])).toEqual(['ETH', 'BSC', 'ETH', 'ETH']);
  });

  it('with slow counts, reads nothing between refreshes; the interval runs from the end of the listing', async () => {
    const { service, clock, pass, calls } = setup();
    slowCounts(service, clock.advance, CHEAP_COUNT_MS + 1);
    const a = service.seed(eth);
    expect(await pass()).toEqual([a.signatureId]);

    const b = service.seed(eth);
    clock.advance(REFRESH_MS - 1);
    expect(await pass()).toEqual([a.signatureId]);
    expect(calls('countActiveWallets')).toHaveLength(1);
    expect(calls('activeSignatureIds')).toHaveLength(1);

    clock.advance(1);
    expect(await pass()).toEqual([a.signatureId, b.signatureId].sort());
    expect(calls('countActiveWallets')).toHaveLength(2);
    expect(calls('activeSignatureIds')).toHaveLength(2);
  });

  it('a listing slower than the interval still leaves passes that use the lists', async () => {
    const { service, clock, pass, calls } = setup();
    slowCounts(service, clock.advance, REFRESH_MS + 10_000);
    service.seed(eth);
    await pass();
    await pass();
    expect(calls('countActiveWallets')).toHaveLength(1);
  });

  it('re-lists after the interval even when the count is unchanged (one wallet swapped for another)', async () => {
    const { service, clock, pass } = setup();
    const a = service.seed(eth);
    expect(await pass()).toEqual([a.signatureId]);
    await service.disableWallet(a.signatureId);
    const b = service.seed(eth);
    expect(await pass()).toEqual([a.signatureId]); // stale: resolve-wallets refuses a's transactions
    clock.advance(REFRESH_MS);
    expect(await pass()).toEqual([b.signatureId]);
  });

  it('refuses a chain above 25,000 ACTIVE wallets without listing it, until its count drops', async () => {
    const { service, pass, calls } = setup();
    const a = service.seed(eth);
    const b = service.seed(bsc);
    let ethCount = OVER;
    countsAs(service, 'ETH', () => ethCount);
    const refusal =
      /^refusing to fetch pending ETH transactions for 25001 signature ids: Tatum allows at most 25000 per chain and API key; remove wallets of this chain/;
    await expect(pass()).rejects.toThrow(refusal);
    await expect(pass()).rejects.toThrow(refusal);
    expect(await pass('BSC')).toEqual([b.signatureId]);
    expect(calls('activeSignatureIds').map((call) => call.args[0])).toEqual(['BSC']);

    ethCount = 1;
    expect(await pass()).toEqual([a.signatureId]);
  });

  it('refuses when wallets created between the count and the listing push it over the limit', async () => {
    const { service, pass } = setup();
    countsAs(service, 'ETH', () => MAX_SIGNATURE_IDS_PER_CHAIN);
    const ids = Array.from({ length: OVER }, (_, i) => `id-${i}`);
    vi.spyOn(service, 'activeSignatureIds').mockResolvedValue(ids);
    await expect(pass()).rejects.toThrow(/for 25001 signature ids/);
  });

  it('has no list before the first update, and retries a failed count or listing at the next one', async () => {
    const { service, cache, pass } = setup();
    const a = service.seed(eth);
    expect(() => cache.ids('ETH')).toThrow(/not been listed/);
    service.failNext('countActiveWallets', new Error('MongoDB unavailable'));
    await expect(pass()).rejects.toThrow(/MongoDB unavailable/);
    service.failNext('activeSignatureIds', new Error('MongoDB unavailable'));
    await expect(pass()).rejects.toThrow(/MongoDB unavailable/);
    expect(await pass()).toEqual([a.signatureId]);
  });

  it('refuses a refresh interval that would never expire', () => {
    expect(
      () => new ActiveWalletIds(new FakeWalletService(), CHAINS, 'testnet', Number.NaN, () => 0),
    ).toThrow(/walletRefreshMs/);
  });
});

describe('SigningLoop and the wallet lists', () => {
  function loopWith(service: FakeWalletService) {
    const fetched: string[] = [];
    const api: TatumKmsApi = {
      fetchPending: (chain, ids): Promise<PendingFetch> => {
        fetched.push(`${chain}:${ids.length}`);
        return Promise.resolve({ pending: [], invalid: [] });
      },
      broadcast: () => Promise.reject(new Error('unexpected')),
      getTransaction: () => Promise.reject(new Error('unexpected')),
      reportErrors: () => Promise.resolve(),
    };
    const loop = new SigningLoop({
      // Nothing is pending, so no job runs and the job store never reaches the database.
      db: { collection: () => ({}) } as unknown as Db,
      api,
      wallets: service,
      signer: fakeDigestSigner([]),
      chains: ['ETH', 'BSC'],
      network: 'testnet',
    });
    return { loop, fetched };
  }

  it('above 25,000 on a chain: a chain error, nothing listed, no Tatum call for it; other chains go on', async () => {
    const service = new FakeWalletService();
    service.seed(bsc);
    countsAs(service, 'ETH', () => OVER);
    const { loop, fetched } = loopWith(service);
    const pass = await loop.runPass();
    expect(pass.chainErrors).toEqual([
      {
        chain: 'ETH',
        error: expect.stringMatching(/25001 signature ids.*remove wallets of this chain/) as string,
      },
    ]);
    expect(service.calls.filter((c) => c.method === 'activeSignatureIds').map((c) => c.args[0])).toEqual([
      'BSC',
    ]);
    expect(fetched).toEqual(['BSC:1']);
  });

  it('a failed listing fails every chain of the pass; the next pass lists again', async () => {
    const service = new FakeWalletService();
    service.seed(eth);
    service.seed(bsc);
    const { loop, fetched } = loopWith(service);
    service.failNext('countActiveWallets', new Error('MongoDB unavailable'));
    expect((await loop.runPass()).chainErrors).toEqual([
      { chain: 'ETH', error: 'MongoDB unavailable' },
      { chain: 'BSC', error: 'MongoDB unavailable' },
    ]);
    expect((await loop.runPass()).chainErrors).toEqual([]);
    expect(fetched).toEqual(['ETH:1', 'BSC:1']);
  });
});

describe('ActiveWalletIds: chains without the network', () => {
  it('refuses each such chain with its own name and counts only the chains that have the network', async () => {
    const service = new FakeWalletService();
    const btc = service.seed({ userId: 'u', chain: 'BTC', asset: 'BTC', network: 'regtest' });
    const count = vi.spyOn(service, 'countActiveWallets');
    const cache = new ActiveWalletIds(service, ['ETH', 'BTC', 'TRON'], 'regtest', REFRESH_MS, () => 0);
    await cache.update();
    expect(count.mock.calls.map(([chains]) => chains)).toEqual([['BTC']]);
    expect(cache.ids('BTC')).toEqual([btc.signatureId]);
    expect(() => cache.ids('ETH')).toThrow('network: must be one of mainnet, testnet for ETH');
    expect(() => cache.ids('TRON')).toThrow(/^network: must be one of .* for TRON$/);
  });
});
