// signTronTransaction on offline-built tronweb transactions of every supported contract type, with an
// in-process key; each result is checked by tiny-secp256k1 and tronweb's own offline recovery.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { SignatureVerificationError } from '../../../../src/kms/errors.js';
import type { KmsSignature } from '../../../../src/kms/vault.js';
import { SUPPORTED_CONTRACTS, signTronTransaction } from '../../../../src/signer/tron/index.js';
import {
  RECIPIENT,
  blockHeader,
  checkIndependently,
  freezeV2,
  trc10Transfer,
  trc20Transfer,
  trxTransfer,
  unfreezeV2,
  type TronTxJson,
} from '../../../../scripts/fixtures/tron.js';
import { FakeDigestSigner, SECRET, WALLET, expectRefused, secretKey, tronRequest } from './fixtures.js';

const BUILDERS: Record<string, () => Promise<TronTxJson>> = {
  'TRX transfer (TransferContract)': () => trxTransfer(WALLET, RECIPIENT, 1_500_000),
  'TRC-20 transfer (TriggerSmartContract)': () => trc20Transfer(WALLET, RECIPIENT, 123_450_000n),
  'TRC-10 transfer (TransferAssetContract)': () => trc10Transfer(WALLET, RECIPIENT, 42),
  'freeze for BANDWIDTH (FreezeBalanceV2Contract, default resource)': () =>
    freezeV2(WALLET, 10_000_000, 'BANDWIDTH'),
  'freeze for ENERGY (FreezeBalanceV2Contract)': () => freezeV2(WALLET, 10_000_000, 'ENERGY'),
  'unfreeze ENERGY (UnfreezeBalanceV2Contract)': () => unfreezeV2(WALLET, 5_000_000, 'ENERGY'),
};

/** No socket and no fetch while building and signing: tronweb never reaches for a node. */
const connects = vi.spyOn(net.Socket.prototype, 'connect');
const fetches = vi.spyOn(globalThis, 'fetch');
beforeAll(() => {
  connects.mockClear();
  fetches.mockClear();
});
afterAll(() => {
  connects.mockRestore();
  fetches.mockRestore();
});

const publicKey = new FakeDigestSigner(SECRET).publicKey;

describe('signTronTransaction', () => {
  it.each(Object.entries(BUILDERS))(
    'signs a %s that tronweb and tiny-secp256k1 verify',
    async (_name, build) => {
      const unsigned = await build();
      const request = tronRequest(unsigned);
      const result = await signTronTransaction(request);

      expect(request.signer.calls).toBe(1);
      expect(result).toMatchObject({ chain: 'TRON', network: 'mainnet', txId: unsigned.txID });
      expect(result.digests).toEqual([{ keyId: 'fake-key', digest: unsigned.txID, inputIndex: 0 }]);
      const signed = JSON.parse(result.signed) as TronTxJson;
      expect(signed).toEqual({ ...unsigned, signature: [expect.stringMatching(/^[0-9a-f]{128}1[bc]$/)] });

      const check = checkIndependently(result.signed, publicKey);
      expect(check).toMatchObject({
        digest: unsigned.txID,
        signatures: 1,
        verifies: true,
        recoversWalletKey: true,
        tronwebSigner: WALLET,
        tronwebTxCheck: true,
      });
    },
  );

  it('covers every supported contract type', async () => {
    const types = await Promise.all(
      Object.values(BUILDERS).map(async (build) => (await build()).raw_data.contract[0]!.type),
    );
    expect(new Set(types)).toEqual(new Set(Object.keys(SUPPORTED_CONTRACTS)));
  });

  it('gives the same result for the object and its JSON string', async () => {
    const unsigned = await trxTransfer(WALLET, RECIPIENT, 7);
    const fromObject = await signTronTransaction(tronRequest(unsigned));
    const fromString = await signTronTransaction(tronRequest(JSON.stringify(unsigned)));
    expect(fromString).toEqual(fromObject);
  });

  it('signs the visible: true form (T… addresses), which encodes to the same bytes', async () => {
    const hexForm = await trxTransfer(WALLET, RECIPIENT, 2_000_000);
    const visible = structuredClone(hexForm);
    visible.visible = true;
    Object.assign(visible.raw_data.contract[0]!.parameter.value, {
      owner_address: WALLET,
      to_address: RECIPIENT,
    });
    const result = await signTronTransaction(tronRequest(visible));
    expect(result.txId).toBe(hexForm.txID);
    expect(checkIndependently(result.signed, publicKey)).toMatchObject({
      verifies: true,
      tronwebSigner: WALLET,
    });
  });

  it('accepts an empty signature list and upper-case hex', async () => {
    const unsigned = await trxTransfer(WALLET, RECIPIENT, 3);
    const shouted = {
      ...unsigned,
      txID: unsigned.txID.toUpperCase(),
      raw_data_hex: unsigned.raw_data_hex.toUpperCase(),
      signature: [],
    };
    const result = await signTronTransaction(tronRequest(shouted));
    expect(result.txId).toBe(unsigned.txID);
    expect((JSON.parse(result.signed) as TronTxJson).signature).toHaveLength(1);
  });

  it('signs an expired transaction only when allowed, judged by the injected clock', async () => {
    const header = blockHeader(Date.now() - 600_000);
    const unsigned = await trxTransfer(WALLET, RECIPIENT, 4, header);
    await expectRefused(tronRequest(unsigned), 'EXPIRED', 'raw_data.expiration');
    await expect(
      signTronTransaction(tronRequest(unsigned, { options: { allowExpired: true } })),
    ).resolves.toMatchObject({
      txId: unsigned.txID,
    });
    const justInTime = { now: () => header.expiration - 1 };
    await expect(signTronTransaction(tronRequest(unsigned, { options: justInTime }))).resolves.toMatchObject({
      txId: unsigned.txID,
    });
  });

  it('signs when fee_limit is at the cap', async () => {
    const unsigned = await trc20Transfer(WALLET, RECIPIENT, 1n, { feeLimit: 30_000_000 });
    const request = tronRequest(unsigned, { options: { maxFeeLimitSun: 30_000_000 } });
    await expect(signTronTransaction(request)).resolves.toMatchObject({ txId: unsigned.txID });
  });

  it('returns what it checked even if the caller changes its object while KMS signs', async () => {
    const unsigned = await trxTransfer(WALLET, RECIPIENT, 10);
    const original = structuredClone(unsigned);
    const meddler = new FakeDigestSigner(SECRET, (signature) => {
      unsigned.raw_data.contract[0]!.parameter.value.amount = 10_000_000;
      return signature;
    });
    const result = await signTronTransaction(tronRequest(unsigned, { signer: meddler }));
    expect(JSON.parse(result.signed)).toEqual({ ...original, signature: [expect.any(String)] });
    expect(checkIndependently(result.signed, publicKey)).toMatchObject({
      tronwebTxCheck: true,
      tronwebSigner: WALLET,
    });
  });

  it('the independent check is not vacuous: it flags a corrupted signature', async () => {
    const signed = JSON.parse(
      (await signTronTransaction(tronRequest(await trxTransfer(WALLET, RECIPIENT, 8)))).signed,
    ) as TronTxJson & {
      signature: string[];
    };
    const sig = signed.signature[0]!;
    const corrupted = {
      ...signed,
      signature: [`${sig.slice(0, 60)}${sig[60] === '0' ? '1' : '0'}${sig.slice(61)}`],
    };
    expect(checkIndependently(JSON.stringify(corrupted), publicKey)).toMatchObject({
      verifies: false,
      recoversWalletKey: false,
    });
    expect(checkIndependently(JSON.stringify(corrupted), publicKey).tronwebSigner).not.toBe(WALLET);
  });

  it('opened no network connection', () => {
    expect(connects).not.toHaveBeenCalled();
    expect(fetches).not.toHaveBeenCalled();
  });
});

describe('signTronTransaction checks what the DigestSigner returns before releasing it', () => {
  const N = secp256k1.Point.CURVE().n;
  const TAMPERS: Record<string, (signature: KmsSignature) => KmsSignature> = {
    'the wrong recovery id': (sig) => ({ ...sig, recoveryId: sig.recoveryId === 0 ? 1 : 0 }),
    'a high S': (sig) => ({ ...sig, compact: new secp256k1.Signature(sig.r, N - sig.s).toBytes('compact') }),
    'an unpadded r ‖ s': (sig) => ({ ...sig, compact: sig.compact.slice(1) }),
  };

  it.each(Object.entries(TAMPERS))('refuses %s', async (_name, tamper) => {
    const request = tronRequest(await trxTransfer(WALLET, RECIPIENT, 5), {
      signer: new FakeDigestSigner(SECRET, tamper),
    });
    await expect(signTronTransaction(request)).rejects.toBeInstanceOf(SignatureVerificationError);
    expect(request.signer.calls).toBe(1);
  });

  it('refuses a signature by another key than the wallet', async () => {
    const request = tronRequest(await trxTransfer(WALLET, RECIPIENT, 6), {
      signer: new FakeDigestSigner(secretKey('not the wallet')),
      wallets: [new FakeDigestSigner(SECRET).wallet()],
    });
    await expect(signTronTransaction(request)).rejects.toThrow(/recovers to T\w+, not the wallet's/);
    expect(request.signer.calls).toBe(1);
  });
});
