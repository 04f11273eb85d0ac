// CELO, KLAY, XDC, ONE and KCS end to end: LocalStack KMS keys (fresh ones, and the published XDC/Harmony
// vector keys imported) sign Tatum-style payloads that an anvil started with each chain's own mainnet
// chain id mines with status 1 and the expected balance changes; an ERC-20 is deployed on XDC and moved
// with a payload whose `to` is in the xdc… spelling. anvil checks the EIP-155 chain id in every signature.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { concat, getAddress, hexlify, Interface, Transaction } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';

import { startChainAnvil } from '../../scripts/stack/index.js';
import { deriveAddress, getFamilyChain, toEvmAddress, type ChainId } from '../../src/chains/index.js';
import type { KmsVault } from '../../src/kms/vault.js';
import { signEvmTransaction } from '../../src/signer/evm/index.js';
import type { WalletKey } from '../../src/signer/types.js';
import { EvmRpc, hexQuantity } from '../support/evm-rpc.js';
import { createKeyWithPrivateKey } from '../support/kms-fixtures.js';
import { kmsClientFor, stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const CHAINS = ['CELO', 'KLAY', 'XDC', 'ONE', 'KCS'] as const;
const ETHER = 10n ** 18n;
const dec = (n: bigint): string => n.toString();
const randomAddress = (): string => getAddress(hexlify(randomBytes(20)));

const ERC20 = new Interface([
  'constructor(string name, string symbol, uint256 initialSupply, address owner)',
  'function balanceOf(address owner) view returns (uint256)',
  'function transfer(address to, uint256 amount) returns (bool)',
]);
const ERC20_BYTECODE = z
  .object({ bytecode: z.string().regex(/^0x[0-9a-f]+$/) })
  .parse(
    createRequire(import.meta.url)('@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json'),
  ).bytecode;

interface Node {
  rpc: EvmRpc;
  stop(): Promise<void>;
}

const nodes = new Map<ChainId, Node>();
let vault: KmsVault;

beforeAll(async () => {
  vault = testVault(stackEndpoints().awsEndpoint);
  await Promise.all(
    CHAINS.map(async (chain) => {
      const anvil = await startChainAnvil(getFamilyChain('evm', chain, 'mainnet').params.chainId);
      nodes.set(chain, { rpc: new EvmRpc(anvil.url), stop: () => anvil.stop() });
    }),
  );
}, 60_000);

afterAll(async () => {
  await Promise.all([...nodes.values()].map((node) => node.stop()));
});

function node(chain: ChainId): EvmRpc {
  const found = nodes.get(chain);
  if (!found) throw new Error(`no anvil for ${chain}`);
  return found.rpc;
}

async function kmsWallet(
  chain: ChainId,
  privateKeyHex?: string,
): Promise<{ key: WalletKey; address: string }> {
  const keyId =
    privateKeyHex === undefined
      ? (await vault.createKey({ walletId: randomUUID(), chain })).keyId
      : await createKeyWithPrivateKey(kmsClientFor(stackEndpoints()), Buffer.from(privateKeyHex, 'hex'));
  const publicKey = (await vault.getPublicKey(keyId)).compressed;
  return { key: { keyId, publicKey }, address: deriveAddress(chain, 'mainnet', publicKey, 'evm') };
}

describe('issue-14 EVM chains on KMS + anvil with their own chain ids', () => {
  for (const chain of CHAINS) {
    it(`${chain}: a Tatum legacy payload is mined with status 1 and moves exactly the value`, async () => {
      const rpc = node(chain);
      const wallet = await kmsWallet(chain);
      const recipient = randomAddress();
      const initial = 10n * ETHER;
      const value = ETHER / 10n;
      await rpc.setBalance(wallet.address, initial);
      const gasPrice = (await rpc.gasPrice()) * 2n;
      const payload = {
        from: 0,
        to: recipient,
        value: dec(value),
        data: '0x',
        gas: '21000',
        gasPrice: dec(gasPrice),
        nonce: 0,
        chainId: getFamilyChain('evm', chain, 'mainnet').params.chainId,
      };
      const signed = await signEvmTransaction({
        chain,
        network: 'mainnet',
        wallets: [wallet.key],
        signer: vault,
        unsigned: JSON.stringify(payload),
      });
      expect(Transaction.from(signed.signed)).toMatchObject({
        type: 0,
        chainId: BigInt(getFamilyChain('evm', chain, 'mainnet').params.chainId),
      });
      const receipt = await rpc.send(signed.signed);
      expect(receipt).toMatchObject({ status: '0x1', transactionHash: signed.txId });
      expect(await rpc.balance(recipient)).toBe(value);
      expect(await rpc.balance(wallet.address)).toBe(
        initial - value - receipt.gasUsed * receipt.effectiveGasPrice,
      );
    });
  }

  it('CELO: an EIP-1559 (type 2) payload is mined on the Celo chain id', async () => {
    const rpc = node('CELO');
    const wallet = await kmsWallet('CELO');
    const recipient = randomAddress();
    await rpc.setBalance(wallet.address, ETHER);
    const maxFeePerGas = (await rpc.gasPrice()) * 2n;
    const signed = await signEvmTransaction({
      chain: 'CELO',
      network: 'mainnet',
      wallets: [wallet.key],
      signer: vault,
      unsigned: {
        to: recipient,
        value: '12345',
        gasLimit: '21000',
        maxFeePerGas: dec(maxFeePerGas),
        maxPriorityFeePerGas: '1',
        nonce: 0,
        feeCurrency: null,
      },
    });
    const receipt = await rpc.send(signed.signed);
    expect(receipt.status).toBe('0x1');
    expect(await rpc.balance(recipient)).toBe(12345n);
  });

  it('XDC: the published vector key (imported into KMS) pays an xdc… recipient', async () => {
    // python-hdwallet docs: private key b66022ff…d3b6 → xdce349A2f7dF70161e529E4C2982828A50c20FfDaB.
    const rpc = node('XDC');
    const wallet = await kmsWallet('XDC', 'b66022fff8b6322f8b8fa444d6d097457b6b9e7bb05add5b75f9c827df7bd3b6');
    expect(deriveAddress('XDC', 'mainnet', wallet.key.publicKey)).toBe(
      'xdce349A2f7dF70161e529E4C2982828A50c20FfDaB',
    );
    const recipient = randomAddress();
    await rpc.setBalance(wallet.address, ETHER);
    const signed = await signEvmTransaction({
      chain: 'XDC',
      network: 'mainnet',
      wallets: [wallet.key],
      signer: vault,
      unsigned: {
        from: 'xdce349A2f7dF70161e529E4C2982828A50c20FfDaB',
        to: `xdc${recipient.slice(2).toLowerCase()}`,
        value: '777',
        gas: '21000',
        gasPrice: dec((await rpc.gasPrice()) * 2n),
        nonce: 0,
      },
    });
    expect((await rpc.send(signed.signed)).status).toBe('0x1');
    expect(await rpc.balance(recipient)).toBe(777n);
  });

  it('ONE: the published Harmony vector key pays a one1… recipient', async () => {
    // Trust Wallet Core Harmony AddressTests: e2f88b49…7b94 → one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe.
    const rpc = node('ONE');
    const wallet = await kmsWallet('ONE', 'e2f88b4974ae763ca1c2db49218802c2e441293a09eaa9ab681779e05d1b7b94');
    expect(deriveAddress('ONE', 'mainnet', wallet.key.publicKey, 'one-bech32')).toBe(
      'one1a50tun737ulcvwy0yvve0pvu5skq0kjargvhwe',
    );
    const recipientOne = 'one1tp7xdd9ewwnmyvws96au0e7e7mz6f8hjqr3g3p';
    const recipient = toEvmAddress('ONE', 'mainnet', recipientOne);
    await rpc.setBalance(wallet.address, ETHER);
    const before = await rpc.balance(recipient);
    const signed = await signEvmTransaction({
      chain: 'ONE',
      network: 'mainnet',
      wallets: [wallet.key],
      signer: vault,
      unsigned: {
        to: recipientOne,
        value: '999',
        gas: '21000',
        gasPrice: dec((await rpc.gasPrice()) * 2n),
        nonce: 0,
      },
    });
    expect((await rpc.send(signed.signed)).status).toBe('0x1');
    expect(await rpc.balance(recipient)).toBe(before + 999n);
  });

  it('XDC: an ERC-20 deployed from a KMS wallet moves with a Tatum token payload addressed xdc…', async () => {
    const rpc = node('XDC');
    const wallet = await kmsWallet('XDC');
    const recipient = randomAddress();
    const supply = 1_000_000n * ETHER;
    const amount = 4321n * ETHER;
    await rpc.setBalance(wallet.address, 10n * ETHER);
    const gasPrice = dec((await rpc.gasPrice()) * 2n);
    const sign = (unsigned: object) =>
      signEvmTransaction({
        chain: 'XDC',
        network: 'mainnet',
        wallets: [wallet.key],
        signer: vault,
        unsigned,
      });

    const deployData = concat([
      ERC20_BYTECODE,
      ERC20.encodeDeploy(['XDC USD', 'XUSD', supply, wallet.address]),
    ]);
    const deployed = await rpc.send(
      (await sign({ value: '0', data: deployData, gas: '3000000', gasPrice, nonce: 0 })).signed,
    );
    expect(deployed.status).toBe('0x1');
    const token = getAddress(deployed.contractAddress ?? '');

    const data = ERC20.encodeFunctionData('transfer', [recipient, amount]);
    const signed = await sign({
      to: `xdc${token.slice(2)}`,
      value: '0',
      data,
      gas: '100000',
      gasPrice,
      nonce: 1,
    });
    const receipt = await rpc.send(signed.signed);
    expect(receipt).toMatchObject({ status: '0x1', to: token.toLowerCase() });
    const balanceOf = (owner: string) =>
      rpc.call(
        'eth_call',
        [{ to: token, data: ERC20.encodeFunctionData('balanceOf', [owner]) }, 'latest'],
        hexQuantity,
      );
    expect(await balanceOf(recipient)).toBe(amount);
    expect(await balanceOf(wallet.address)).toBe(supply - amount);
  });
});
