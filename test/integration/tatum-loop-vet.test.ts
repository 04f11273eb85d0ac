// The signing loop end to end for VET, as Tatum does it: a wallet created through the real WalletService
// (LocalStack KMS + FerretDB), pending transactions queued in the Tatum sandbox in Tatum's VET payload shape
// (`{from: 0, to, value, data?}` — no blockRef, no gas: tatum-protocol.md §4.14), completed by the loop from
// the configured VeChainThor node (KMS_SIGNER_RPC_VET), signed with the wallet's KMS key, broadcast through
// Tatum's path /v3/vet/broadcast, which the sandbox forwards to `thor solo`: the node accepts and packs
// them and the balances move. Without KMS_SIGNER_RPC_VET such a job waits (RETRY, nothing signed, nothing
// reported to Tatum) and completes on a later pass once a node is configured.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { startThorSoloNode } from '../../scripts/stack/index.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { getFamilyChain } from '../../src/chains/index.js';
import type { DigestSigner } from '../../src/signer/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import { DEFAULT_CHAINS } from '../../src/tatum/config.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import { countedSigner } from '../support/evm-loop.js';
import { sandboxApi } from '../support/sandbox-api.js';
import { ThorRest } from '../support/thor-rest.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const { chainTag, genesisId } = getFamilyChain('vet', 'VET', 'regtest').params;
const VTHO = '0x0000000000000000000000000000456e65726779';
const WEI = 10n ** 18n;

let env: WalletTestEnv;
let node: { url: string; stop(): Promise<void> };
let thor: ThorRest;
let sandbox: TatumSandbox;

beforeAll(async () => {
  [env, node] = await Promise.all([walletTestEnv(), startThorSoloNode(genesisId)]);
  thor = new ThorRest(node.url);
  sandbox = await startTatumSandbox({ thorUrl: node.url });
}, 90_000);

afterAll(async () => {
  await sandbox.close();
  await node.stop();
  await env.close();
});

const audit = (id: string) => env.db.collection<AuditRecord>(SIGNING_AUDIT).findOne({ pendingId: id });
const randomAddress = (): string => `0x${randomBytes(20).toString('hex')}`;

const counted = () => countedSigner(() => env.vault);

function loop(signer: DigestSigner, vetNode: string | undefined): SigningLoop {
  return new SigningLoop({
    db: env.db,
    api: sandboxApi(sandbox),
    wallets: env.service,
    signer,
    // Only VET: thor solo is "regtest", a network the other default chains do not have.
    chains: ['VET'],
    network: 'regtest',
    chainViews: new ChainViews({
      network: 'regtest',
      env: vetNode === undefined ? {} : { KMS_SIGNER_RPC_VET: vetNode },
    }),
    walletRefreshMs: 0,
  });
}

async function fundedWallet() {
  const { wallet } = await env.service.createWallet({
    userId: 'loop',
    chain: 'VET',
    asset: 'VET',
    network: 'regtest',
  });
  await thor.fund(wallet.address, 10, 50, chainTag);
  return wallet;
}

describe("Tatum signing loop: VET in Tatum's payload shape, broadcast through the sandbox to thor solo", () => {
  it('completes, signs and broadcasts a VET and a VTHO transfer; thor solo packs both and balances move', async () => {
    expect(DEFAULT_CHAINS).toContain('VET');
    const wallet = await fundedWallet();
    const before = await thor.balances(wallet.address);
    const to = randomAddress();
    const value = 1_500_000_000_000_000_000n;
    const tokens = 4n * WEI;
    const transferData = `0xa9059cbb${'0'.repeat(24)}${to.slice(2)}${tokens.toString(16).padStart(64, '0')}`;
    const vetId = sandbox.enqueue({
      chain: 'VET',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({ from: 0, to, value: value.toString() }),
    });
    const vthoId = sandbox.enqueue({
      chain: 'VET',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({ from: 0, to: VTHO, value: '0', data: transferData }),
    });

    const { signer, calls } = counted();
    const pass = await loop(signer, node.url).runPass();

    expect(pass.chainErrors).toEqual([]);
    expect(calls()).toBe(2);
    for (const id of [vetId, vthoId]) {
      const result = pass.results.find((r) => r.id === id);
      expect(result, id).toMatchObject({ outcome: 'BROADCAST', chain: 'VET' });
      const completed = sandbox.completed.get(id);
      expect(completed?.path).toBe(TATUM_BROADCAST_PATHS.VET);
      expect(completed?.txId).toBe(result?.txId);
      const receipt = await thor.receipt(completed?.txId ?? '');
      expect(receipt.reverted).toBe(false);
      // What the loop filled in, from the node, is on record.
      const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
      expect(Object.keys(job?.completion ?? {}).sort()).toEqual(['blockRef', 'gas']);
    }
    expect(await thor.balances(to)).toEqual({ vet: value, vtho: tokens });
    expect((await thor.balances(wallet.address)).vet).toBe(before.vet - value);
    expect((await audit(vetId))?.policy?.transfers).toEqual([
      { asset: 'native', to, amount: value.toString() },
    ]);
    expect((await audit(vthoId))?.policy?.transfers).toEqual([
      { asset: VTHO, to, amount: tokens.toString() },
    ]);
    expect(sandbox.reportedErrors).toEqual([]);
  }, 60_000);

  it('without KMS_SIGNER_RPC_VET the job waits — nothing signed, guessed or reported — and completes once a node is set', async () => {
    const wallet = await fundedWallet();
    const to = randomAddress();
    const id = sandbox.enqueue({
      chain: 'VET',
      hashes: [wallet.signatureId],
      serializedTransaction: JSON.stringify({ from: 0, to, value: WEI.toString() }),
    });
    const { signer, calls } = counted();

    for (let pass = 0; pass < 2; pass++) {
      const waiting = await loop(signer, undefined).runPass();
      const result = waiting.results.find((r) => r.id === id);
      expect(result?.outcome).toBe('RETRY');
      expect(result?.error).toContain('KMS_SIGNER_RPC_VET');
    }
    expect(calls()).toBe(0);
    expect(sandbox.completed.has(id)).toBe(false);
    expect(sandbox.reportedErrors).toEqual([]);
    const job = await env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(job?.state).not.toBe('FAILED');

    const done = await loop(signer, node.url).runPass();
    expect(done.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(calls()).toBe(1);
    await thor.receipt(sandbox.completed.get(id)?.txId ?? '');
    expect((await thor.balances(to)).vet).toBe(WEI);
  }, 60_000);
});
