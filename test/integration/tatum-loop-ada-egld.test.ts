// The signing loop end to end for ADA and EGLD: wallets created through the real WalletService (LocalStack
// KMS Ed25519 keys + FerretDB), one pending transaction per chain queued in the Tatum sandbox, signed and
// broadcast through /v3/ada/broadcast and /v3/egld/broadcast; the sandbox accepts them only if
// cardano-serialization-lib / @multiversx/sdk-core verify the signatures (scripts/sandbox/ed25519-ledgers.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { deriveAddress, type ChainId } from '../../src/chains/index.js';
import { SIGNING_AUDIT, type AuditRecord } from '../../src/tatum/audit.js';
import { createTatumClient, TATUM_BROADCAST_PATHS } from '../../src/tatum/client.js';
import { SigningLoop } from '../../src/tatum/loop.js';
import { adaBodyHex } from '../support/cardano.js';
import { gatewayEgldPayload } from '../support/multiversx.js';
import { ed25519TestKey } from '../support/solana.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

let env: WalletTestEnv;
let sandbox: TatumSandbox;

beforeAll(async () => {
  env = await walletTestEnv();
  sandbox = await startTatumSandbox({ verifyEd25519Chains: true });
}, 60_000);

afterAll(async () => {
  await sandbox.close();
  await env.close();
});

const audit = (id: string) => env.db.collection<AuditRecord>(SIGNING_AUDIT).findOne({ pendingId: id });

describe('Tatum signing loop: ADA and EGLD against the sandbox', () => {
  it('signs and broadcasts one pending transfer per chain, verified by the chain SDKs', async () => {
    const destination = ed25519TestKey(`loop-${randomUUID()}`).publicKey;
    const ada = await env.service.createWallet({
      userId: 'loop',
      chain: 'ADA',
      asset: 'ADA',
      network: 'testnet',
    });
    const adaTo = deriveAddress('ADA', 'testnet', destination);
    const adaId = sandbox.enqueue({
      chain: 'ADA',
      hashes: [ada.wallet.signatureId],
      serializedTransaction: adaBodyHex({
        outputs: [
          { address: adaTo, lovelace: 3_000_000n },
          { address: ada.wallet.address, lovelace: 6_800_000n },
        ],
        fee: 200_000n,
      }),
    });
    const egld = await env.service.createWallet({
      userId: 'loop',
      chain: 'EGLD',
      asset: 'EGLD',
      network: 'testnet',
    });
    const egldTo = deriveAddress('EGLD', 'testnet', destination);
    const egldId = sandbox.enqueue({
      chain: 'EGLD',
      hashes: [egld.wallet.signatureId],
      serializedTransaction: gatewayEgldPayload({
        nonce: 0,
        value: '1000000000000000000',
        sender: egld.wallet.address,
        receiver: egldTo,
        chainID: 'D',
      }),
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
      chains: ['ADA', 'EGLD'],
      network: 'testnet',
      concurrency: 2,
    });
    const pass = await loop.runPass();
    const expected: [string, ChainId, { asset: string; to: string; amount: string }][] = [
      [adaId, 'ADA', { asset: 'native', to: adaTo, amount: '3000000' }],
      [egldId, 'EGLD', { asset: 'native', to: egldTo, amount: '1000000000000000000' }],
    ];
    for (const [id, chain, transfer] of expected) {
      const result = pass.results.find((r) => r.id === id);
      expect(result, `${chain} ${id}`).toMatchObject({ outcome: 'BROADCAST' });
      expect(sandbox.completed.get(id)?.path).toBe(TATUM_BROADCAST_PATHS[chain]);
      expect(sandbox.completed.get(id)?.txId).toBe(result?.txId);
      expect((await audit(id))?.policy?.transfers).toEqual([transfer]);
    }
    expect(sandbox.reportedErrors).toEqual([]);
  });
});
