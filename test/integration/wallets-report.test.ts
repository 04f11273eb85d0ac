// report(), exportWallets() and the signing loop's listing over a small known population.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WalletView } from '../../src/wallets/index.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;

beforeAll(async () => {
  env = await walletTestEnv();
});
afterAll(async () => {
  await env.close();
});

describe('report and export', () => {
  it('counts wallets by status, chain and network, keys, and the monthly key cost', async () => {
    const userId = `reporter-${randomUUID()}`;
    const eth = { userId, chain: 'ETH' as const, asset: 'ETH', network: 'mainnet' as const };
    const a = (await env.service.createWallet(eth)).wallet;
    const b = (await env.service.createWallet(eth)).wallet;
    const c = (await env.service.createWallet(eth)).wallet;
    const d = (await env.service.createWallet({ userId, chain: 'BTC', asset: 'BTC', network: 'testnet' }))
      .wallet;
    await env.service.getAddress(a.signatureId, 1);
    await env.service.getAddress(c.signatureId, 1);
    await env.service.disableWallet(b.signatureId);
    await env.service.scheduleWalletDeletion(c.signatureId, 7);

    expect(await env.service.report()).toEqual({
      totals: { wallets: 4, byStatus: { CREATING: 0, ACTIVE: 2, DISABLED: 1, PENDING_DELETION: 1 }, keys: 6 },
      byChain: [
        { chain: 'BTC', network: 'testnet', wallets: 1 },
        { chain: 'ETH', network: 'mainnet', wallets: 3 },
      ],
      // 6 keys, of which c's two are pending deletion (free).
      estimatedMonthlyKeyCostUsd: 4,
    });

    const all: WalletView[] = [];
    for await (const wallet of env.service.exportWallets()) all.push(wallet);
    expect(all.map((w) => w.signatureId)).toEqual([a, b, c, d].map((w) => w.signatureId));
    expect(all[0]).toEqual(await env.service.getWallet(a.signatureId));

    const btc: WalletView[] = [];
    for await (const wallet of env.service.exportWallets({ chain: 'BTC' })) btc.push(wallet);
    expect(btc.map((w) => w.signatureId)).toEqual([d.signatureId]);
    const disabled: string[] = [];
    for await (const wallet of env.service.exportWallets({ status: 'DISABLED', userId }))
      disabled.push(wallet.signatureId);
    expect(disabled).toEqual([b.signatureId]);

    // The signing loop's view: ACTIVE wallets of (chain, network) only — not disabled or pending
    // deletion, not their index ≥ 1 keys — ids ascending, bounded by the limit.
    expect(await env.service.countActiveWallets(['ETH', 'BTC'], 'mainnet')).toEqual(
      new Map([
        ['ETH', 1],
        ['BTC', 0],
      ]),
    );
    expect(await env.service.countActiveWallets(['BTC'], 'testnet')).toEqual(new Map([['BTC', 1]]));
    expect(await env.service.activeSignatureIds('ETH', 'mainnet')).toEqual([a.signatureId]);
    expect(await env.service.activeSignatureIds('ETH', 'testnet')).toEqual([]);
    await env.service.enableWallet(b.signatureId);
    const active = [a.signatureId, b.signatureId].sort();
    expect(await env.service.countActiveWallets(['ETH'], 'mainnet')).toEqual(new Map([['ETH', 2]]));
    expect(await env.service.activeSignatureIds('ETH', 'mainnet')).toEqual(active);
    expect(await env.service.activeSignatureIds('ETH', 'mainnet', 1)).toEqual(active.slice(0, 1));
    await expect(env.service.activeSignatureIds('ETH', 'mainnet', 0)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
    await expect(env.service.countActiveWallets(['BTC'], 'sepolia' as never)).rejects.toMatchObject({
      code: 'VALIDATION',
    });
  });
});
