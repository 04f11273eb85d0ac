// FLOW signing: what KMS is asked to sign is the hash (account key's algorithm) of the message Flow's SDK
// encodes, and the released signature verifies under @noble/curves against the wallet key.
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { encodeTransactionEnvelope, encodeTransactionPayload } from '@onflow/sdk';
import { describe, expect, it } from 'vitest';

import { fakeDigestSigner } from '../../../../scripts/fixtures/fake-digest-signer.js';
import { signTransaction } from '../../../../src/signer/index.js';
import {
  ACCOUNT,
  KEY,
  OTHER,
  RECIPIENT,
  selfVoucher,
  TATUM_ACCOUNT,
  tatumVoucher,
  WALLET_ACCOUNT,
  prepareFlow,
} from './fixtures.js';

type SdkTx = Parameters<typeof encodeTransactionPayload>[0];
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
const DOMAIN_TAG = Buffer.from('FLOW-V0.0-transaction').toString('hex').padEnd(64, '0');

function verifies(sig: string, message: string, hash: (m: Uint8Array) => Uint8Array): boolean {
  const digest = hash(Buffer.from(message, 'hex'));
  return secp256k1.verify(Buffer.from(sig, 'hex'), digest, KEY.publicKey, { prehash: false });
}

describe('FLOW signing', () => {
  it('Tatum shape (wallet authorizes only): one payload signature, SHA3-256 over the SDK payload message', async () => {
    const signer = fakeDigestSigner([KEY]);
    const unsigned = tatumVoucher();
    const prepared = await prepareFlow(unsigned);
    expect(prepared.transfers).toEqual([{ asset: 'native', to: RECIPIENT, amount: 1_250_000_000n }]);
    expect(prepared.unrecognized).toBeNull();
    expect(prepared.nonce).toBeNull();
    const message = encodeTransactionPayload(unsigned as unknown as SdkTx);
    expect(message.startsWith(DOMAIN_TAG)).toBe(true);
    expect(prepared.digests[0]?.digest).toBe(hex(sha3_256(Buffer.from(message, 'hex'))));

    const signed = await prepared.sign(signer);
    expect(signer.calls).toHaveLength(1);
    const voucher = JSON.parse(signed.signed) as {
      payloadSigs: { address: string; keyId: number; sig: string }[];
      envelopeSigs: unknown[];
    };
    expect(voucher.envelopeSigs).toEqual([]);
    expect(voucher.payloadSigs).toHaveLength(1);
    const [sig] = voucher.payloadSigs;
    expect(sig).toMatchObject({ address: WALLET_ACCOUNT, keyId: 2 });
    expect(verifies(sig?.sig ?? '', message, sha3_256)).toBe(true);
    expect(verifies(sig?.sig ?? '', message, sha256)).toBe(false);
    expect(signed.txId).toBe('');
  });

  it('self-funded (wallet proposes, pays, authorizes): one envelope signature, SHA2-256 when registered so', async () => {
    const signer = fakeDigestSigner([KEY]);
    const unsigned = selfVoucher();
    const flowAccount = { ...ACCOUNT, hashAlgorithm: 'SHA2_256' as const };
    const signed = await signTransaction({
      chain: 'FLOW',
      network: 'mainnet',
      wallets: [KEY.wallet],
      signer,
      unsigned,
      flowAccount,
    });
    const voucher = JSON.parse(signed.signed) as {
      payloadSigs: unknown[];
      envelopeSigs: { address: string; keyId: number; sig: string }[];
    };
    expect(voucher.payloadSigs).toEqual([]);
    const [sig] = voucher.envelopeSigs;
    expect(sig).toMatchObject({ address: WALLET_ACCOUNT, keyId: 2 });
    const message = encodeTransactionEnvelope({ ...unsigned, payloadSigs: [] } as unknown as SdkTx);
    expect(verifies(sig?.sig ?? '', message, sha256)).toBe(true);
    expect(signed.txId).toMatch(/^[0-9a-f]{64}$/);
  });

  it('the wallet pays after the proposer signed: the envelope covers that payload signature', async () => {
    const signer = fakeDigestSigner([KEY]);
    const proposerSig = { address: TATUM_ACCOUNT, keyId: 5, sig: 'ab'.repeat(64) };
    const unsigned = tatumVoucher({ payer: WALLET_ACCOUNT, payloadSigs: [proposerSig] });
    const prepared = await prepareFlow(unsigned);
    const message = encodeTransactionEnvelope(unsigned as unknown as SdkTx);
    expect(prepared.digests[0]?.digest).toBe(hex(sha3_256(Buffer.from(message, 'hex'))));
    const withoutProposer = encodeTransactionEnvelope({ ...unsigned, payloadSigs: [] } as unknown as SdkTx);
    expect(message).not.toBe(withoutProposer);
    const released = JSON.parse((await prepared.sign(signer)).signed) as {
      payloadSigs: unknown[];
      envelopeSigs: { sig: string }[];
    };
    expect(released.payloadSigs).toEqual([proposerSig]);
    expect(verifies(released.envelopeSigs[0]?.sig ?? '', message, sha3_256)).toBe(true);
    expect(verifies(released.envelopeSigs[0]?.sig ?? '', withoutProposer, sha3_256)).toBe(false);
  });

  it('any other Cadence is signed only as unrecognized (policy denies it)', async () => {
    const custom = tatumVoucher({ cadence: 'transaction { prepare(a: &Account) {} }', arguments: [] });
    const legacy = tatumVoucher({
      cadence: 'transaction { prepare(signer: AuthAccount) {} }',
      arguments: [],
    });
    expect((await prepareFlow(custom)).unrecognized).toMatch(/not kms-signer's FLOW transfer template/);
    expect((await prepareFlow(legacy)).unrecognized).toMatch(/pre-Cadence-1.0 AuthAccount/);
    const mainnetTemplateOnTestnet = await prepareFlow(tatumVoucher(), ACCOUNT, 'testnet');
    expect(mainnetTemplateOnTestnet.transfers).toEqual([]);
    expect(mainnetTemplateOnTestnet.unrecognized).not.toBeNull();
  });

  it('a KMS answer from another key is never released', async () => {
    const other = fakeDigestSigner([OTHER]);
    const prepared = await prepareFlow(tatumVoucher());
    await expect(
      prepared.sign({ signDigest: (_id, digest) => other.signDigest(OTHER.keyId, digest, OTHER.publicKey) }),
    ).rejects.toThrow(/does not verify against the wallet's stored public key/);
  });
});
