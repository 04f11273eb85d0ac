// FLOW end to end on LocalStack KMS. The Flow emulator does not build with our Go 1.26 (see the FLOW
// section of the README), so every signature is checked by parts we did not write: Flow's JavaScript SDK
// (@onflow/sdk) encodes the released voucher into the domain-tagged message, Flow's RLP library
// (@onflow/rlp) decodes it back to the transaction's fields, and @noble/curves verifies the r‖s over that
// message hashed with the account key's algorithm, against the KMS key's public key.
import { randomUUID } from 'node:crypto';
import { secp256k1 } from '@noble/curves/secp256k1.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { sha3_256 } from '@noble/hashes/sha3.js';
import { decode } from '@onflow/rlp';
import { encodeTransactionEnvelope, encodeTransactionPayload, encodeTxIdFromVoucher } from '@onflow/sdk';
import { beforeAll, describe, expect, it } from 'vitest';

import type { KmsVault } from '../../src/kms/vault.js';
import { flowTransferCadence, signFlowTransaction, type FlowVoucher } from '../../src/signer/flow/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { foldCountingSigner } from '../support/folding-signer.js';
import { stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

type SdkTx = Parameters<typeof encodeTransactionPayload>[0];
type SdkVoucher = Parameters<typeof encodeTxIdFromVoucher>[0];
const DOMAIN_TAG = Buffer.from('FLOW-V0.0-transaction').toString('hex').padEnd(64, '0');
const TATUM = '0x179b6b1cb6755e31';
const RECIPIENT = '0xf3fcd2c1a78f5eee';
const CADENCE = flowTransferCadence({ fungibleToken: '0x9a0766d93b6608b7', flowToken: '0x7e60df042a9c0868' });

let vault: KmsVault;
beforeAll(() => {
  vault = testVault(stackEndpoints().awsEndpoint);
});

function voucher(account: string, i: number, selfFunded: boolean): Record<string, unknown> {
  return {
    cadence: CADENCE,
    arguments: [
      { type: 'UFix64', value: `${i + 1}.00000001` },
      { type: 'Address', value: RECIPIENT },
    ],
    refBlock: Buffer.alloc(32, i + 1).toString('hex'),
    computeLimit: 9999,
    proposalKey: selfFunded
      ? { address: account, keyId: 0, sequenceNum: i }
      : { address: TATUM, keyId: 1 + i, sequenceNum: 100 + i },
    payer: selfFunded ? account : TATUM,
    authorizers: [account],
    payloadSigs: [],
    envelopeSigs: [],
  };
}

/** The message Flow's SDK encodes, decoded back by Flow's RLP: [script, args, refBlock, limit, …, authorizers]. */
function payloadFields(message: string): Buffer[] {
  expect(message.startsWith(DOMAIN_TAG)).toBe(true);
  const decoded = decode(Buffer.from(message.slice(64), 'hex')) as unknown as Buffer[] | Buffer[][];
  const payload = (Array.isArray(decoded[0]) ? decoded[0] : decoded) as Buffer[];
  return payload;
}

function verify(
  sig: string,
  message: string,
  hashAlgorithm: 'SHA2_256' | 'SHA3_256',
  publicKey: Uint8Array,
): boolean {
  const bytes = Buffer.from(message, 'hex');
  const digest = hashAlgorithm === 'SHA2_256' ? sha256(bytes) : sha3_256(bytes);
  return secp256k1.verify(Buffer.from(sig, 'hex'), digest, publicKey, { prehash: false });
}

describe('FLOW signer on LocalStack KMS, verified by @onflow/sdk + @onflow/rlp + @noble/curves', () => {
  it('40 transfers from fresh KMS keys: payload (Tatum pays) and envelope (self-funded) signatures verify', async () => {
    const keys: WalletKey[] = await Promise.all(
      [0, 1].map(async () => {
        const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: 'FLOW' });
        return { keyId, publicKey: (await vault.getPublicKey(keyId)).compressed };
      }),
    );
    const counting = foldCountingSigner(vault);
    for (let i = 0; i < 40; i++) {
      const key = keys[i % 2]!;
      const account = `0x${(0x0100000000000001n + BigInt(i % 2)).toString(16).padStart(16, '0')}`;
      const selfFunded = i % 4 < 2;
      const hashAlgorithm = i % 3 === 0 ? 'SHA2_256' : 'SHA3_256';
      const signed = await signFlowTransaction({
        chain: 'FLOW',
        network: 'testnet',
        wallets: [key],
        signer: counting,
        unsigned: voucher(account, i, selfFunded),
        flowAccount: { address: account, keyIndex: 0, hashAlgorithm },
      });
      const released = JSON.parse(signed.signed) as FlowVoucher;
      const ours = selfFunded ? released.envelopeSigs : released.payloadSigs;
      expect(ours).toHaveLength(1);
      expect(ours[0]).toMatchObject({ address: account, keyId: 0 });
      const message = selfFunded
        ? encodeTransactionEnvelope({ ...released, envelopeSigs: [] } as unknown as SdkTx)
        : encodeTransactionPayload(released as unknown as SdkTx);
      const fields = payloadFields(message);
      expect(fields[0]?.toString('utf8')).toBe(CADENCE);
      expect((fields[1] as unknown as Buffer[]).map((a) => a.toString('utf8'))).toEqual([
        JSON.stringify({ type: 'UFix64', value: `${i + 1}.00000001` }),
        JSON.stringify({ type: 'Address', value: RECIPIENT }),
      ]);
      expect((fields[8] as unknown as Buffer[]).map((a) => `0x${a.toString('hex')}`)).toEqual([account]);
      expect(verify(ours[0]!.sig, message, hashAlgorithm, key.publicKey)).toBe(true);
      expect(signed.txId).toBe(selfFunded ? encodeTxIdFromVoucher(released as unknown as SdkVoucher) : '');
    }
    // KMS returns high S about half the time; P(none in 40) ≈ 2⁻⁴⁰.
    expect(counting.folded).toBeGreaterThan(0);
  });
});
