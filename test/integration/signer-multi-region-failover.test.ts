// Multi-Region fail-over of the signer (issue 13, README "Multi-Region recovery"): a BTC wallet created
// as a multi-Region primary in us-east-1, replicated by `replicatekeys` into us-west-2, the primary key
// then disabled (a stand-in for a Region outage), and the scheduled signer Lambda handler — configured
// only through process.env, as the recovery stack deploys it, with AWS_REGION=us-west-2 — signs a pending
// spend with the replica key. btcd accepts and mines it; bitcoinjs-lib re-derives the wallet's address
// from the witness and tiny-secp256k1 verifies the signature over the BIP143 sighash bitcoinjs computes.
import { DisableKeyCommand, SignCommand } from '@aws-sdk/client-kms';
import * as bitcoin from 'bitcoinjs-lib';
import * as tiny from 'tiny-secp256k1';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { TEST_CREDENTIALS } from '../../scripts/fixtures/vault.js';
import { createAppContext, type AppContext } from '../../src/app-context.js';
import { loadConfig } from '../../src/config/index.js';
import { createKmsClient } from '../../src/kms/client.js';
import { replicateKeys } from '../../src/kms/replicate.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import type { WalletView } from '../../src/wallets/contract.js';
import {
  btcSignerEnv,
  clockOf,
  fundedBtcWallet,
  mineAndConfirmations,
  processEnv,
  spendToMiner,
  type FundedBtcWallet,
} from '../support/signer-lambda.js';
import { stackEndpoints, type StackEndpoints } from '../support/stack.js';

const PRIMARY = 'us-east-1';
const RECOVERY = 'us-west-2';
const BROADCAST_PATH = '/v3/bitcoin/broadcast';

let endpoints: StackEndpoints;
let sandbox: TatumSandbox;
let primaryCtx: AppContext;
let wallet: WalletView;
let scripts: FundedBtcWallet['scripts'];
let utxo: FundedBtcWallet['utxos'][number];
let baseEnv: Record<string, string>;
const env = processEnv();

const kmsIn = (region: string) =>
  createKmsClient({ region, endpoint: endpoints.awsEndpoint, credentials: TEST_CREDENTIALS });

beforeAll(async () => {
  endpoints = stackEndpoints();
  sandbox = await startTatumSandbox({ btcRpc: endpoints.btcRpc });
  baseEnv = btcSignerEnv(endpoints, sandbox, 1_500);
  // The primary stack: multi-Region wallet keys (deploy option kms-signer:multiRegionKeys).
  primaryCtx = await createAppContext(
    loadConfig({ ...baseEnv, AWS_REGION: PRIMARY, KMS_MULTI_REGION_KEYS: 'true' }),
  );
  const funded = await fundedBtcWallet(primaryCtx.walletService, endpoints, 'failover', 1);
  ({ wallet, scripts } = funded);
  utxo = funded.utxos[0]!;
});

afterAll(async () => {
  env.restore();
  await sandbox.close();
  await primaryCtx.db.dropDatabase().catch(() => undefined);
  await primaryCtx.close();
});

describe('signer fail-over to the replica Region', () => {
  it('replicates the wallet key, then the recovery signer signs with the replica: same key id, same address', async () => {
    expect(wallet.kmsKeyId).toMatch(/^mrk-/);
    const replicated = [];
    for await (const r of replicateKeys({
      kms: kmsIn(PRIMARY),
      application: baseEnv.APP_TAG!,
      replicaRegion: RECOVERY,
    })) {
      replicated.push(r);
    }
    expect(replicated).toEqual([expect.objectContaining({ keyId: wallet.kmsKeyId, outcome: 'replicated' })]);

    // The primary Region is "down": its key can no longer sign.
    await kmsIn(PRIMARY).send(new DisableKeyCommand({ KeyId: wallet.kmsKeyId }));
    await expect(
      kmsIn(PRIMARY).send(
        new SignCommand({
          KeyId: wallet.kmsKeyId,
          Message: new Uint8Array(32),
          MessageType: 'DIGEST',
          SigningAlgorithm: 'ECDSA_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'DisabledException' });

    const id = spendToMiner(sandbox, utxo, scripts, wallet.signatureId);
    // The recovery stack's signer: the same stage settings, its own Region.
    env.set({ ...baseEnv, AWS_REGION: RECOVERY });
    vi.resetModules();
    const { handler } = await import('../../src/handlers/signer.js');
    const result = await handler({}, clockOf(5_000));
    expect(result).toMatchObject({ broadcast: 1, failed: 0, retry: 0 });
    expect(sandbox.violations).toEqual([]);

    const done = sandbox.completed.get(id);
    expect(done?.path).toBe(BROADCAST_PATH);
    const stored = await primaryCtx.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
    expect(stored).toMatchObject({ state: 'BROADCAST', kmsKeyIds: [wallet.kmsKeyId] });

    // btcd accepted it and mines it.
    expect(await mineAndConfirmations(endpoints, done?.txId)).toBeGreaterThanOrEqual(1);

    // bitcoinjs-lib: the witness carries the wallet's public key (so the same address), and the
    // signature verifies over the BIP143 sighash bitcoinjs computes for the spent output.
    const tx = bitcoin.Transaction.fromHex(done!.txData);
    const [derSig, pubkey] = tx.ins[0]!.witness;
    expect(Buffer.from(pubkey!).toString('hex')).toBe(wallet.publicKey);
    const regtest = bitcoin.networks.regtest;
    expect(bitcoin.payments.p2wpkh({ pubkey: pubkey!, network: regtest }).address).toBe(wallet.address);
    const { signature, hashType } = bitcoin.script.signature.decode(derSig!);
    const p2pkh = bitcoin.payments.p2pkh({ pubkey: pubkey!, network: regtest }).output!;
    const sighash = tx.hashForWitnessV0(0, p2pkh, utxo.amount, hashType);
    expect(tiny.verify(sighash, pubkey!, signature, true)).toBe(true);
  });
});
