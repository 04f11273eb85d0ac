// The signing loop end to end for the chains of issue 14: wallets created through the real WalletService
// (LocalStack KMS + FerretDB), pending transactions queued in the Tatum sandbox in Tatum's formats, the
// loop signs and broadcasts them through Tatum's broadcast paths (/v3/celo, /v3/klaytn, /v3/xdc, /v3/one,
// /v3/kcs, /v3/xrp); the sandbox forwards EVM chains to anvils started with each chain's testnet id (mined, value
// moved) and accepts XRP only if ripple-binary-codec + ripple-keypairs verify the blob.
import { getAddress, hexlify } from 'ethers';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { evmPayload, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { startChainAnvil } from '../../scripts/stack/index.js';
import { getFamilyChain, toEvmAddress, type ChainId } from '../../src/chains/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { createTatumClient, TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import { EvmRpc } from '../support/evm-rpc.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const EVM_CHAINS = ['CELO', 'KLAY', 'XDC', 'ONE', 'KCS'] as const;
const XRP_DESTINATION = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';

let env: WalletTestEnv;
let sandbox: TatumSandbox;
const nodes = new Map<ChainId, { url: string; rpc: EvmRpc; stop(): Promise<void> }>();

beforeAll(async () => {
  env = await walletTestEnv();
  await Promise.all(
    EVM_CHAINS.map(async (chain) => {
      const anvil = await startChainAnvil(getFamilyChain('evm', chain, 'testnet').params.chainId);
      nodes.set(chain, { url: anvil.url, rpc: new EvmRpc(anvil.url), stop: () => anvil.stop() });
    }),
  );
  const evmNodes: Record<string, string> = {};
  for (const [chain, node] of nodes) evmNodes[TATUM_BROADCAST_PATHS[chain] ?? chain] = node.url;
  sandbox = await startTatumSandbox({ evmNodes, verifyXrp: true });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await Promise.all([...nodes.values()].map((node) => node.stop()));
  await env.close();
});

const audit = (id: string) => env.db.collection<AuditRecord>(SIGNING_AUDIT).findOne({ pendingId: id });

describe('Tatum signing loop: CELO, KLAY, XDC, ONE, KCS and XRP against the sandbox', () => {
  it('signs and broadcasts one pending transfer per chain; EVM ones are mined, XRP verified', async () => {
    const queued = new Map<string, { chain: ChainId; check: () => Promise<void> }>();

    for (const chain of EVM_CHAINS) {
      const rpc = nodes.get(chain)!.rpc;
      const { wallet } = await env.service.createWallet({
        userId: 'loop',
        chain,
        asset: chain,
        network: 'testnet',
      });
      await rpc.setBalance(toEvmAddress(chain, 'testnet', wallet.address), 10n ** 18n);
      const to = getAddress(hexlify(randomBytes(20)));
      const value = 10n ** 15n;
      const id = sandbox.enqueue(
        evmPending(
          chain,
          wallet.signatureId,
          evmPayload({ to, value, gasPrice: (await rpc.gasPrice()) * 2n, nonce: 0 }),
        ),
      );
      queued.set(id, {
        chain,
        check: async () => {
          expect(await rpc.balance(to)).toBe(value);
          expect((await audit(id))?.policy?.transfers).toEqual([
            { asset: 'native', to: to.toLowerCase(), amount: value.toString() },
          ]);
        },
      });
    }

    const { wallet: xrpWallet } = await env.service.createWallet({
      userId: 'loop',
      chain: 'XRP',
      asset: 'XRP',
      network: 'testnet',
    });
    const xrpId = sandbox.enqueue({
      chain: 'XRP',
      hashes: [xrpWallet.signatureId],
      serializedTransaction: JSON.stringify({
        TransactionType: 'Payment',
        Account: xrpWallet.address,
        Destination: XRP_DESTINATION,
        Amount: '5000000',
        Fee: '12',
        Sequence: 1,
        LastLedgerSequence: 90_000_000,
        DestinationTag: 424242,
      }),
    });
    queued.set(xrpId, {
      chain: 'XRP',
      check: async () => {
        expect((await audit(xrpId))?.policy?.transfers).toEqual([
          { asset: 'native', to: XRP_DESTINATION, amount: '5000000', memo: '424242' },
        ]);
      },
    });

    const loop = new SigningLoop({
      db: env.db,
      api: createTatumClient({
        baseUrl: sandbox.url,
        apiKey: sandbox.apiKey,
        clientVersion: 'test',
        retries: 0,
      }),
      wallets: env.service,
      signer: env.vault,
      chains: [...EVM_CHAINS, 'XRP'],
      network: 'testnet',
      concurrency: 4,
    });
    const pass = await loop.runPass();
    for (const [id, { chain, check }] of queued) {
      const result = pass.results.find((r) => r.id === id);
      expect(result, `${chain} ${id}`).toMatchObject({ outcome: 'BROADCAST' });
      expect(sandbox.completed.get(id)?.path).toBe(TATUM_BROADCAST_PATHS[chain]);
      expect(sandbox.completed.get(id)?.txId).toBe(result?.txId);
      await check();
    }
    expect(sandbox.reportedErrors).toEqual([]);
  });
});
