// VET end to end on LocalStack KMS and a real VeChainThor node: `thor solo` (vechain/thor v2.4.0, built
// from its Go module by the installer) accepts and packs every transaction the signer produces — the
// node recomputes the blake2b signing hash, recovers the origin from the 65-byte signature and charges it
// the gas — and @vechain/sdk-core decodes each signed transaction back to the wallet's origin. A published
// vector key imported into KMS has its published address; fresh KMS keys sign many transfers, so KMS's
// high-S results are seen, folded and still accepted; a VIP-180 VTHO transfer moves the token.
import { randomBytes, randomUUID } from 'node:crypto';
import { Hex, Transaction } from '@vechain/sdk-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startThorSoloNode } from '../../scripts/stack/index.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { completeVetPayload } from '../../src/tatum/complete-vet.js';
import { deriveAddress, getFamilyChain } from '../../src/chains/index.js';
import type { KmsSignature, KmsVault } from '../../src/kms/vault.js';
import { signVetTransaction } from '../../src/signer/vet/index.js';
import type { DigestSigner, WalletKey } from '../../src/signer/types.js';
import { createKeyWithPrivateKey } from '../support/kms-fixtures.js';
import { kmsClientFor, stackEndpoints } from '../support/stack.js';
import { ThorRest } from '../support/thor-rest.js';
import { testVault } from '../../scripts/fixtures/vault.js';
import { startTatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import { sandboxApi } from '../support/sandbox-api.js';
import { walletTestEnv } from '../support/wallets.js';

const { chainTag, genesisId } = getFamilyChain('vet', 'VET', 'regtest').params;
// vechain-sdk-js packages/core/tests/address/fixture.ts (also vechain/thor tx/transaction_test.go).
const KEY_7582 = '7582be841ca040aa940fff6c05773129e135623e41acce3e0b8ba520dc1ae26a';
const VECTOR_ADDRESS = '0xd989829d88B0eD1B06eDF5C50174eCfA64F14A64';
const VTHO = '0x0000000000000000000000000000456e65726779';
const WEI = 10n ** 18n;

let vault: KmsVault;
let node: { url: string; stop(): Promise<void> };
let thor: ThorRest;

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  node = await startThorSoloNode(genesisId);
  thor = new ThorRest(node.url);
}, 90_000);

afterAll(async () => {
  await node.stop();
});

async function wallet(keyId: string): Promise<{ key: WalletKey; address: string }> {
  const publicKey = (await vault.getPublicKey(keyId)).compressed;
  return { key: { keyId, publicKey }, address: deriveAddress('VET', 'regtest', publicKey) };
}

const randomAddress = (): string => `0x${randomBytes(20).toString('hex')}`;

/** Signs Tatum's payload (completed with blockRef and gas), checks it with the SDK, sends it, waits. */
async function signSendAndWait(
  key: WalletKey,
  address: string,
  payload: object,
  signer: DigestSigner = vault,
) {
  const signed = await signVetTransaction({
    chain: 'VET',
    network: 'regtest',
    wallets: [key],
    signer,
    unsigned: JSON.stringify({ ...payload, blockRef: await thor.blockRef() }),
  });
  const decoded = Transaction.decode(Hex.of(signed.signed).bytes, true);
  expect(decoded.origin.toString()).toBe(address);
  expect(decoded.body.chainTag).toBe(chainTag);
  const id = await thor.send(signed.signed);
  expect(id).toBe(signed.txId);
  const receipt = await thor.receipt(id);
  expect(receipt.reverted).toBe(false);
  return { signed, receipt };
}

describe('VET signer on LocalStack KMS, accepted by thor solo and verified by @vechain/sdk-core', () => {
  it('a published vector key imported into KMS has the published address and sends VET', async () => {
    const keyId = await createKeyWithPrivateKey(kmsClientFor(stackEndpoints()), Buffer.from(KEY_7582, 'hex'));
    const { key, address } = await wallet(keyId);
    expect(address).toBe(VECTOR_ADDRESS);
    await thor.fund(address, 100, 100, chainTag);
    const to = randomAddress();
    const before = await thor.balances(address);
    const value = 12_345_678_900_000_000_000n;
    const { receipt } = await signSendAndWait(key, address, {
      from: 0,
      to,
      value: value.toString(),
      gas: 21000,
    });
    expect(receipt.gasUsed).toBe(21000);
    expect((await thor.balances(to)).vet).toBe(value);
    const after = await thor.balances(address);
    expect(after.vet).toBe(before.vet - value);
    // The origin paid the gas in VTHO (plus what its VET generated meanwhile, hence "at least").
    expect(before.vtho - after.vtho).toBeLessThanOrEqual(BigInt(receipt.paid));
  });

  it('a VIP-180 transfer of VTHO moves the token to its recipient', async () => {
    const { key, address } = await wallet(
      (await vault.createKey({ walletId: randomUUID(), chain: 'VET' })).keyId,
    );
    await thor.fund(address, 10, 50, chainTag);
    const to = randomAddress();
    const amount = 7n * WEI;
    const data = `0xa9059cbb${'0'.repeat(24)}${to.slice(2)}${amount.toString(16).padStart(64, '0')}`;
    const { receipt } = await signSendAndWait(key, address, { to: VTHO, value: '0', data, gas: 80000 });
    expect(receipt.gasUsed).toBeGreaterThan(21000);
    expect((await thor.balances(to)).vtho).toBe(amount);
  });

  it('30 transfers from fresh KMS keys are all accepted; KMS high-S signatures are folded to low S', async () => {
    const wallets = await Promise.all(
      Array.from({ length: 3 }, async () =>
        wallet((await vault.createKey({ walletId: randomUUID(), chain: 'VET' })).keyId),
      ),
    );
    for (const w of wallets) await thor.fund(w.address, 20, 50, chainTag);
    let folded = 0;
    const counting: DigestSigner = {
      async signDigest(keyId, digest, publicKey): Promise<KmsSignature> {
        const signature = await vault.signDigest(keyId, digest, publicKey);
        if (signature.normalized) folded += 1;
        return signature;
      },
    };
    const to = randomAddress();
    let total = 0n;
    for (let i = 0; i < 30; i++) {
      const from = wallets[i % wallets.length]!;
      const value = WEI + BigInt(i);
      await signSendAndWait(
        from.key,
        from.address,
        { to, value: value.toString(), gas: 21000, nonce: i },
        counting,
      );
      total += value;
    }
    expect((await thor.balances(to)).vet).toBe(total);
    // KMS returns high S about half the time; P(none in 30) ≈ 2⁻³⁰.
    expect(folded).toBeGreaterThan(0);
  }, 120_000);

  it("the loop's completion fills blockRef and gas of Tatum's exact payload from thor solo; the node accepts it", async () => {
    const { key, address } = await wallet(
      (await vault.createKey({ walletId: randomUUID(), chain: 'VET' })).keyId,
    );
    await thor.fund(address, 10, 50, chainTag);
    const views = new ChainViews({ network: 'regtest', env: { KMS_SIGNER_RPC_VET: node.url } });
    const to = randomAddress();
    const amount = 3n * WEI;
    const data = `0xa9059cbb${'0'.repeat(24)}${to.slice(2)}${amount.toString(16).padStart(64, '0')}`;
    for (const tatum of [
      { from: 0, to, value: '1000000000000000000' },
      { from: 0, to: VTHO, value: '0', data },
    ]) {
      const completed = await completeVetPayload({
        network: 'regtest',
        wallets: [key],
        unsigned: JSON.stringify(tatum),
        views,
      });
      expect(Object.keys(completed.completion).sort()).toEqual(['blockRef', 'gas']);
      const signed = await signVetTransaction({
        chain: 'VET',
        network: 'regtest',
        wallets: [key],
        signer: vault,
        unsigned: completed.unsigned,
      });
      const receipt = await thor.receipt(await thor.send(signed.signed));
      expect(receipt.reverted).toBe(false);
      expect(receipt.gasUsed).toBeLessThanOrEqual((JSON.parse(completed.unsigned) as { gas: number }).gas);
    }
    expect(await thor.balances(to)).toEqual({ vet: WEI, vtho: amount });
  });

  it('the reconciler follows VET broadcasts on thor: CONFIRMED at the configured depth; bytes the node never got are sent again', async () => {
    const { key, address } = await wallet(
      (await vault.createKey({ walletId: randomUUID(), chain: 'VET' })).keyId,
    );
    await thor.fund(address, 10, 50, chainTag);
    const sign = async (value: string) =>
      signVetTransaction({
        chain: 'VET',
        network: 'regtest',
        wallets: [key],
        signer: vault,
        unsigned: JSON.stringify({ to: randomAddress(), value, gas: 21000, blockRef: await thor.blockRef() }),
      });
    const sent = await sign('1000');
    const lost = await sign('2000'); // signed and stored, but its broadcast never reached the node
    const views = new ChainViews({ network: 'regtest', env: { KMS_SIGNER_RPC_VET: node.url } });
    const view = views.transactions('VET');
    expect(await view?.transactionStatus(sent.txId)).toEqual({ state: 'unknown' });
    await thor.receipt(await thor.send(sent.signed));
    expect(await view?.transactionStatus(sent.txId)).toEqual({ state: 'mined', confirmations: 1 });

    const env = await walletTestEnv();
    const sandbox = await startTatumSandbox();
    try {
      const longAgo = new Date(Date.now() - 3_600_000);
      const broadcastJob = (id: string, signed: { signed: string; txId: string }): SigningJobDoc => ({
        _id: id,
        chain: 'VET',
        network: 'regtest',
        state: 'BROADCAST',
        signatureIds: [],
        attempts: 1,
        owner: 'earlier-runner',
        policy: null,
        signed: signed.signed,
        txId: signed.txId,
        digests: null,
        kmsKeyIds: null,
        spend: [],
        signedAt: longAgo,
        broadcastAt: longAgo,
        broadcastAttempts: 1,
        error: null,
        createdAt: longAgo,
        updatedAt: longAgo,
      });
      const jobs = env.db.collection<SigningJobDoc>(SIGNING_JOBS);
      await jobs.insertMany([broadcastJob('a'.repeat(24), sent), broadcastJob('b'.repeat(24), lost)]);
      const loop = new SigningLoop({
        db: env.db,
        api: sandboxApi(sandbox),
        wallets: env.service,
        signer: vault,
        chains: ['VET'],
        network: 'regtest',
        chainViews: views,
        reconcileEveryMs: 0,
        confirmations: { VET: 2 },
      });
      const states = async () => (await jobs.find().sort({ _id: 1 }).toArray()).map((j) => j.state);
      await loop.runPass(); // sent: 1 confirmation of 2; lost: unknown for an hour → handed to thor again
      expect(await states()).toEqual(['BROADCAST', 'BROADCAST']);
      await thor.receipt(lost.txId); // thor packs the re-sent bytes: one block more for the first
      await new Promise((resolve) => setTimeout(resolve, 5));
      await loop.runPass();
      expect(await states()).toEqual(['CONFIRMED', 'BROADCAST']);
      await thor.fund(randomAddress(), 1, 1, chainTag); // one more block
      await new Promise((resolve) => setTimeout(resolve, 5));
      await loop.runPass();
      expect(await states()).toEqual(['CONFIRMED', 'CONFIRMED']);
    } finally {
      await sandbox.close();
      await env.close();
    }
  });
});
