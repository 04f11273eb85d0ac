// The signing loop end to end for ADA and EGLD: wallets created through the real WalletService (LocalStack
// KMS Ed25519 keys + FerretDB), pending transactions queued in the Tatum sandbox (ADA also as Tatum sends
// it: Rosetta operations), signed and broadcast through /v3/ada/broadcast and /v3/egld/broadcast; the
// sandbox accepts them only if cardano-serialization-lib / @multiversx/sdk-core verify the signatures
// (scripts/sandbox/ed25519-ledgers.ts).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { deriveAddress } from '../../src/chains/index.js';
import { adaBodyHex, tatumAdaOperations } from '../support/cardano.js';
import {
  startEd25519LoopHarness,
  type Ed25519LoopHarness,
  type ExpectedBroadcast,
} from '../support/ed25519-loop.js';
import { gatewayEgldPayload } from '../support/multiversx.js';
import { ed25519TestKey } from '../support/solana.js';

let h: Ed25519LoopHarness;

beforeAll(async () => {
  h = await startEd25519LoopHarness({ verifyEd25519Chains: true });
}, 60_000);

afterAll(async () => {
  await h.close();
});

describe('Tatum signing loop: ADA and EGLD against the sandbox', () => {
  it('signs and broadcasts one pending transfer per chain, verified by the chain SDKs', async () => {
    const destination = ed25519TestKey(`loop-${randomUUID()}`).publicKey;
    const ada = await h.createWallet('ADA');
    const adaTo = deriveAddress('ADA', 'testnet', destination);
    const adaId = h.sandbox.enqueue({
      chain: 'ADA',
      hashes: [ada.signatureId],
      serializedTransaction: adaBodyHex({
        outputs: [
          { address: adaTo, lovelace: 3_000_000n },
          { address: ada.address, lovelace: 6_800_000n },
        ],
        fee: 200_000n,
      }),
    });
    // Tatum's own ADA payload: Rosetta operations (the body is built by the signer).
    const adaRosettaId = h.sandbox.enqueue({
      chain: 'ADA',
      hashes: [ada.signatureId],
      serializedTransaction: tatumAdaOperations({
        inputs: [{ coin: `${'c3'.repeat(32)}:1`, address: ada.address, lovelace: 8_000_000n }],
        outputs: [
          { address: adaTo, lovelace: 1_500_000n },
          { address: ada.address, lovelace: 6_320_000n },
        ],
      }),
    });
    const egld = await h.createWallet('EGLD');
    const egldTo = deriveAddress('EGLD', 'testnet', destination);
    const egldId = h.sandbox.enqueue({
      chain: 'EGLD',
      hashes: [egld.signatureId],
      serializedTransaction: gatewayEgldPayload({
        nonce: 0,
        value: '1000000000000000000',
        sender: egld.address,
        receiver: egldTo,
        chainID: 'D',
      }),
    });

    const expected = new Map<string, ExpectedBroadcast>([
      [adaId, { chain: 'ADA', transfers: [{ asset: 'native', to: adaTo, amount: '3000000' }] }],
      [adaRosettaId, { chain: 'ADA', transfers: [{ asset: 'native', to: adaTo, amount: '1500000' }] }],
      [
        egldId,
        { chain: 'EGLD', transfers: [{ asset: 'native', to: egldTo, amount: '1000000000000000000' }] },
      ],
    ]);
    await h.expectBroadcasts(await h.loop(['ADA', 'EGLD']).runPass(), expected);
  });
});
