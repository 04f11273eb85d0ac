// The TRON signer with real LocalStack KMS keys: offline-built tronweb transactions (TRX and TRC-20
// transfers) signed through KmsVault, each signature checked by code that shares nothing with src/:
// sha256(raw_data_hex) recomputed with node:crypto, tiny-secp256k1 verify + recover, and tronweb's offline
// Trx.ecRecover (which re-runs its own txCheck) naming the wallet's T… address.
import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { deriveAddress } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { signTronTransaction, type TronSignRequest } from '../../src/signer/tron/index.js';
import { SigningRefusedError, type DigestSigner, type WalletKey } from '../../src/signer/types.js';
import { stackEndpoints } from '../support/stack.js';
import {
  RECIPIENT,
  checkIndependently,
  trc20Transfer,
  trxTransfer,
  type TronTxJson,
} from '../../scripts/fixtures/tron.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const SIGNATURES = 24;

interface TronWallet {
  key: WalletKey;
  address: string;
}

let vault: KmsVault;
let wallets: TronWallet[];
/** KmsVault behind a counter of KMS Sign calls. */
let kmsSigns = 0;
const signer: DigestSigner = {
  signDigest: (keyId, digest, publicKey) => {
    kmsSigns += 1;
    return vault.signDigest(keyId, digest, publicKey);
  },
};

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  wallets = [];
  for (let i = 0; i < 2; i++) {
    const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: 'TRON' });
    const { compressed } = await vault.getPublicKey(keyId);
    wallets.push({
      key: { keyId, publicKey: compressed },
      address: deriveAddress('TRON', 'mainnet', compressed),
    });
  }
});

const request = (wallet: TronWallet, unsigned: string | object): TronSignRequest => ({
  chain: 'TRON',
  network: 'mainnet',
  wallets: [wallet.key],
  signer,
  unsigned,
});

describe('signTronTransaction with LocalStack KMS', () => {
  it(`${SIGNATURES} TRX and TRC-20 transfers verify independently, with both recovery ids`, async () => {
    kmsSigns = 0;
    const recoveryIds: number[] = [];
    const types = new Set<string>();
    for (let i = 0; i < SIGNATURES; i++) {
      const wallet = wallets[i % 2]!;
      const unsigned: TronTxJson =
        i % 4 < 2
          ? await trxTransfer(wallet.address, RECIPIENT, 1_000_000 + i)
          : await trc20Transfer(wallet.address, RECIPIENT, BigInt(i + 1) * 1_000_000n);
      types.add(unsigned.raw_data.contract[0]!.type);

      const result = await signTronTransaction(
        request(wallet, i % 3 === 0 ? JSON.stringify(unsigned) : unsigned),
      );

      const check = checkIndependently(result.signed, wallet.key.publicKey);
      expect(check).toMatchObject({
        digest: unsigned.txID,
        txID: unsigned.txID,
        signatures: 1,
        verifies: true,
        recoversWalletKey: true,
        tronwebSigner: wallet.address,
        tronwebTxCheck: true,
      });
      expect(result.txId).toBe(check.digest);
      const { signature, ...rest } = JSON.parse(result.signed) as TronTxJson;
      expect(rest).toEqual(unsigned);
      expect(signature).toEqual([expect.stringMatching(/^[0-9a-f]{128}1[bc]$/)]);
      recoveryIds.push(check.recoveryId);
    }
    expect(kmsSigns).toBe(SIGNATURES);
    expect(types).toEqual(new Set(['TransferContract', 'TriggerSmartContract']));
    expect(new Set(recoveryIds)).toEqual(new Set([0, 1]));
  });

  it('refuses, without a KMS Sign call, a transaction owned by the other KMS wallet or with a stale txID', async () => {
    kmsSigns = 0;
    const [mine, theirs] = [wallets[0]!, wallets[1]!];
    const foreign = await trxTransfer(theirs.address, RECIPIENT, 1_000_000);
    await expect(signTronTransaction(request(mine, foreign))).rejects.toMatchObject({
      code: 'SENDER_NOT_OURS',
      field: 'raw_data.contract[0].parameter.value.owner_address',
    });

    const stale = { ...(await trxTransfer(mine.address, RECIPIENT, 5)), txID: foreign.txID };
    const refusal = await signTronTransaction(request(mine, stale)).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(SigningRefusedError);
    expect(refusal).toMatchObject({ code: 'DIGEST_MISMATCH', field: 'txID' });
    expect(kmsSigns).toBe(0);
  });
});
