// FLOW on a real Flow node: the Flow emulator (onflow/flow-emulator v1.22.0, built from its Go module by
// the installer). A fresh LocalStack KMS key becomes a Flow account — the emulator's service account
// creates it with the KMS public key as an ECDSA_secp256k1 key (SHA3-256 as Tatum registers keys, or
// SHA2-256), weight 1000 — and the node accepts what the signer releases: the wallet's payload signature
// with another account proposing and paying (Tatum's roles, played by the service account), and the
// wallet's envelope signature when it pays itself. Balances move by the exact amounts (fees are off on the
// emulator). A signature under the wrong hash algorithm is refused by the node.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { FLOW_EMULATOR_SERVICE_ADDRESS, startFlowEmulatorNode } from '../../scripts/stack/index.js';
import { testVault } from '../../scripts/fixtures/vault.js';
import { getFamilyChain } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import {
  flowTransferCadence,
  parseFlowVoucher,
  parseUFix64,
  signFlowTransaction,
  type FlowAccountKey,
  type FlowHashAlgorithm,
  type FlowVoucher,
} from '../../src/signer/flow/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { FlowRest } from '../support/flow-rest.js';
import { stackEndpoints } from '../support/stack.js';

const CADENCE = flowTransferCadence(getFamilyChain('flow', 'FLOW', 'regtest').params);
const UNITS = 100_000_000n; // 1 FLOW in UFix64 units

let vault: KmsVault;
let node: { url: string; stop(): Promise<void> };
let flow: FlowRest;

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  node = await startFlowEmulatorNode();
  flow = new FlowRest(node.url);
}, 120_000);

afterAll(async () => {
  await node.stop();
});

interface FlowWallet {
  key: WalletKey;
  account: FlowAccountKey;
}

/** A fresh KMS key, registered on the emulator as key 0 of a new account, funded with `flow` FLOW. */
async function flowWallet(hashAlgorithm: FlowHashAlgorithm, flowAmount: string): Promise<FlowWallet> {
  const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: 'FLOW' });
  const publicKey = await vault.getPublicKey(keyId);
  const xy = Buffer.from(publicKey.uncompressed.subarray(1)).toString('hex');
  const address = await flow.createAccount(xy, hashAlgorithm);
  const [registered] = (await flow.account(address)).keys;
  expect(registered).toMatchObject({
    index: 0,
    publicKey: `0x${xy}`,
    signingAlgorithm: 'ECDSA_secp256k1',
    hashingAlgorithm: hashAlgorithm,
    weight: 1000,
    revoked: false,
  });
  await flow.serviceTransaction(CADENCE, [
    { type: 'UFix64', value: flowAmount },
    { type: 'Address', value: address },
  ]);
  return {
    key: { keyId, publicKey: publicKey.compressed },
    account: { address, keyIndex: 0, hashAlgorithm },
  };
}

function transfer(amount: string, to: string, roles: Pick<FlowVoucher, 'proposalKey' | 'payer'>) {
  return async (authorizer: string): Promise<FlowVoucher> => ({
    cadence: CADENCE,
    arguments: [
      { type: 'UFix64', value: amount },
      { type: 'Address', value: to },
    ],
    refBlock: await flow.sealedBlockId(),
    computeLimit: 999,
    ...roles,
    authorizers: [authorizer],
    payloadSigs: [],
    envelopeSigs: [],
  });
}

async function sign(wallet: FlowWallet, unsigned: FlowVoucher, account = wallet.account) {
  return signFlowTransaction({
    chain: 'FLOW',
    network: 'regtest',
    wallets: [wallet.key],
    signer: vault,
    unsigned,
    flowAccount: account,
  });
}

describe('FLOW signer on LocalStack KMS, accepted by the Flow emulator', () => {
  it('Tatum roles: another account proposes and pays, the KMS wallet authorizes with a payload signature (SHA3-256 and SHA2-256 keys)', async () => {
    const recipient = await flowWallet('SHA3_256', '0.001');
    for (const hashAlgorithm of ['SHA3_256', 'SHA2_256'] as const) {
      const wallet = await flowWallet(hashAlgorithm, '100.0');
      for (const amount of ['12.50000000', '0.00000001', '3.14159265']) {
        const before = [
          await flow.account(wallet.account.address),
          await flow.account(recipient.account.address),
        ];
        const unsigned = await transfer(amount, recipient.account.address, {
          proposalKey: await flow.serviceProposalKey(),
          payer: FLOW_EMULATOR_SERVICE_ADDRESS,
        })(wallet.account.address);
        const signed = await sign(wallet, unsigned);
        const released = parseFlowVoucher(signed.signed);
        expect(released.payloadSigs).toHaveLength(1);
        expect(released.envelopeSigs).toEqual([]);
        await flow.payAndSend(released);
        const moved = parseUFix64(amount) ?? -1n;
        expect((await flow.account(recipient.account.address)).balance).toBe(before[1]!.balance + moved);
        expect((await flow.account(wallet.account.address)).balance).toBe(before[0]!.balance - moved);
      }
    }
  }, 120_000);

  it('self-funded: the wallet proposes, pays and authorizes with one envelope signature; its sequence number advances', async () => {
    const wallet = await flowWallet('SHA3_256', '10.0');
    const to = FLOW_EMULATOR_SERVICE_ADDRESS;
    const before = await flow.account(wallet.account.address);
    const sequenceNum = before.keys[0]?.sequenceNumber ?? -1;
    const unsigned = await transfer('2.00000000', to, {
      proposalKey: { address: wallet.account.address, keyId: 0, sequenceNum },
      payer: wallet.account.address,
    })(wallet.account.address);
    const signed = await sign(wallet, unsigned);
    const released = parseFlowVoucher(signed.signed);
    expect(released.envelopeSigs).toHaveLength(1);
    const id = await flow.send(released);
    expect(id).toBe(signed.txId);
    expect((await flow.sealed(id)).statusCode).toBe(0);
    const after = await flow.account(wallet.account.address);
    expect(after.balance).toBe(before.balance - 2n * UNITS);
    expect(after.keys[0]?.sequenceNumber).toBe(sequenceNum + 1);
  }, 60_000);

  it('the node refuses a signature hashed with the wrong algorithm for the registered key', async () => {
    const wallet = await flowWallet('SHA3_256', '1.0');
    const unsigned = await transfer('0.50000000', FLOW_EMULATOR_SERVICE_ADDRESS, {
      proposalKey: await flow.serviceProposalKey(),
      payer: FLOW_EMULATOR_SERVICE_ADDRESS,
    })(wallet.account.address);
    const before = await flow.account(wallet.account.address);
    const signed = await sign(wallet, unsigned, { ...wallet.account, hashAlgorithm: 'SHA2_256' });
    const refused = flow.payAndSend(parseFlowVoucher(signed.signed));
    await expect(refused).rejects.toThrow(/signature|invalid/i);
    expect((await flow.account(wallet.account.address)).balance).toBe(before.balance);
  }, 60_000);
});
