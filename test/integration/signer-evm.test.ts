// EVM signing end to end on LocalStack KMS + anvil (chainId 31337, EVM_DEV): KMS wallet keys sign
// type 0, 1 and 2 transactions that anvil mines with status 1; an ERC-20 (OpenZeppelin 4.9.6's compiled
// ERC20PresetFixedSupply, from the npm package) is deployed and transferred from a KMS wallet; and a
// property check over 240 KMS signatures recovers every sender with ethers' own decoder.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { concat, getAddress, hexlify, id, Interface, Transaction } from 'ethers';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { deriveAddress } from '../../src/chains/index.js';
import type { KmsSignature, KmsVault } from '../../src/kms/vault.js';
import { signEvmTransaction } from '../../src/signer/evm/index.js';
import type { DigestSigner, WalletKey } from '../../src/signer/types.js';
import { assertLoopback, EvmRpc, hexQuantity } from '../support/evm-rpc.js';
import { mapLimit } from '../../src/util/map-limit.js';
import { stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const CHAIN = 'EVM_DEV';
const NETWORK = 'mainnet';
const CHAIN_ID = 31337n;
const ETHER = 10n ** 18n;

const ERC20 = new Interface([
  'constructor(string name, string symbol, uint256 initialSupply, address owner)',
  'function balanceOf(address owner) view returns (uint256)',
  'function transfer(address to, uint256 amount) returns (bool)',
]);
const TRANSFER_TOPIC = id('Transfer(address,address,uint256)');
const ERC20_BYTECODE = z
  .object({ bytecode: z.string().regex(/^0x[0-9a-f]+$/) })
  .parse(
    createRequire(import.meta.url)('@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json'),
  ).bytecode;

interface KmsWallet {
  key: WalletKey;
  address: string;
}

let vault: KmsVault;
let rpc: EvmRpc;

beforeAll(() => {
  const { awsEndpoint, evmRpcUrl } = stackEndpoints();
  assertLoopback(awsEndpoint);
  vault = testVault(awsEndpoint);
  rpc = new EvmRpc(evmRpcUrl);
});

async function kmsWallet(): Promise<KmsWallet> {
  const { keyId } = await vault.createKey({ walletId: randomUUID(), chain: CHAIN });
  const publicKey = (await vault.getPublicKey(keyId)).compressed;
  return { key: { keyId, publicKey }, address: deriveAddress(CHAIN, NETWORK, publicKey) };
}

function sign(wallet: KmsWallet, unsigned: string | object, signer: DigestSigner = vault) {
  return signEvmTransaction({ chain: CHAIN, network: NETWORK, wallets: [wallet.key], signer, unsigned });
}

const randomAddress = (): string => getAddress(hexlify(randomBytes(20)));
const dec = (n: bigint): string => n.toString();

/** Twice the node's price, so the transactions are mined even if the base fee moves. */
async function fees(): Promise<{ gasPrice: bigint; maxFeePerGas: bigint; maxPriorityFeePerGas: bigint }> {
  const gasPrice = (await rpc.gasPrice()) * 2n;
  return { gasPrice, maxFeePerGas: gasPrice, maxPriorityFeePerGas: gasPrice / 4n };
}

async function tokenBalance(token: string, owner: string): Promise<bigint> {
  const data = ERC20.encodeFunctionData('balanceOf', [owner]);
  return rpc.call('eth_call', [{ to: token, data }, 'latest'], hexQuantity);
}

async function estimateGas(from: string, tx: { to?: string; data: string }): Promise<bigint> {
  return rpc.call('eth_estimateGas', [{ from, ...tx }], hexQuantity);
}

describe('EVM signer on KMS + anvil', () => {
  it('type 0, 1 and 2 transfers are mined with status 1 and move exactly the expected amounts', async () => {
    const wallet = await kmsWallet();
    const recipient = randomAddress();
    const initial = 10n * ETHER;
    const value = ETHER / 10n;
    await rpc.setBalance(wallet.address, initial);
    const { gasPrice, maxFeePerGas, maxPriorityFeePerGas } = await fees();
    const eip1559 = { maxFeePerGas: dec(maxFeePerGas), maxPriorityFeePerGas: dec(maxPriorityFeePerGas) };

    const unsigned: [number, string | object][] = [
      // Tatum's legacy payload as a JSON string, with the real nonce 0.
      [
        0,
        JSON.stringify({
          from: 0,
          to: recipient,
          value: dec(value),
          data: '0x',
          gas: '21000',
          gasPrice: dec(gasPrice),
          nonce: 0,
        }),
      ],
      [
        1,
        {
          to: recipient,
          value: `0x${value.toString(16)}`,
          gas: 30_000,
          gasPrice: dec(gasPrice),
          nonce: 1,
          type: 1,
          accessList: [],
        },
      ],
      [
        2,
        {
          from: wallet.address.toLowerCase(),
          to: recipient,
          value: dec(value),
          gasLimit: '21000',
          ...eip1559,
          nonce: 2,
          chainId: 31337,
        },
      ],
      [
        2,
        Transaction.from({
          type: 2,
          chainId: CHAIN_ID,
          nonce: 3,
          to: recipient,
          value,
          gasLimit: 21_000n,
          maxFeePerGas,
          maxPriorityFeePerGas,
        }).unsignedSerialized,
      ],
    ];
    let spent = 0n;
    for (const [type, tx] of unsigned) {
      const signed = await sign(wallet, tx);
      expect(Transaction.from(signed.signed).type).toBe(type);
      const receipt = await rpc.send(signed.signed);
      expect(receipt).toMatchObject({
        status: '0x1',
        transactionHash: signed.txId,
        from: wallet.address.toLowerCase(),
        to: recipient.toLowerCase(),
      });
      spent += value + receipt.gasUsed * receipt.effectiveGasPrice;
    }
    expect(await rpc.balance(recipient)).toBe(value * BigInt(unsigned.length));
    expect(await rpc.balance(wallet.address)).toBe(initial - spent);
  });

  it('a fee above the default cap is refused before KMS is called; options.maxFeeWei lets it through to anvil', async () => {
    const wallet = await kmsWallet();
    await rpc.setBalance(wallet.address, 3n * ETHER);
    // 21,000 gas × 50,000 gwei = 1.05 ETH worst case, above EVM_DEV's 1 ETH. A small tip keeps anvil's
    // gas price oracle (which follows recent tips) unchanged for the other tests.
    const maxFeePerGas = 50_000n * 10n ** 9n;
    const unsigned = {
      to: randomAddress(),
      value: '1',
      gas: '21000',
      maxFeePerGas: dec(maxFeePerGas),
      maxPriorityFeePerGas: '1000000000',
      nonce: 0,
    };
    let signCalls = 0;
    const counting: DigestSigner = {
      signDigest: (...args) => ((signCalls += 1), vault.signDigest(...args)),
    };

    await expect(sign(wallet, unsigned, counting)).rejects.toMatchObject({
      code: 'FEE_TOO_HIGH',
      field: 'maxFeePerGas',
    });
    expect(signCalls).toBe(0);

    const signed = await signEvmTransaction({
      chain: CHAIN,
      network: NETWORK,
      wallets: [wallet.key],
      signer: counting,
      unsigned,
      options: { maxFeeWei: 2n * ETHER },
    });
    expect(signCalls).toBe(1);
    const receipt = await rpc.send(signed.signed);
    expect(receipt.status).toBe('0x1');
    expect(await rpc.balance(wallet.address)).toBe(
      3n * ETHER - 1n - receipt.gasUsed * receipt.effectiveGasPrice,
    );
  });

  it('deploys an ERC-20 from a KMS wallet and signs a Tatum-style token transfer (to = token, value 0)', async () => {
    const wallet = await kmsWallet();
    const recipient = randomAddress();
    const supply = 1_000_000n * 10n ** 18n;
    const amount = 1234n * 10n ** 18n;
    await rpc.setBalance(wallet.address, 10n * ETHER);
    const { gasPrice } = await fees();

    // Contract creation: no `to`, init code + constructor arguments as data.
    const deployData = concat([
      ERC20_BYTECODE,
      ERC20.encodeDeploy(['Test USD', 'TUSD', supply, wallet.address]),
    ]);
    const deployGas = await estimateGas(wallet.address, { data: deployData });
    const deployed = await rpc.send(
      (
        await sign(wallet, {
          from: 0,
          value: '0',
          data: deployData,
          gas: dec((deployGas * 12n) / 10n),
          gasPrice: dec(gasPrice),
          nonce: 0,
        })
      ).signed,
    );
    expect(deployed.status).toBe('0x1');
    const token = getAddress(deployed.contractAddress ?? '');
    expect(await tokenBalance(token, wallet.address)).toBe(supply);

    const data = ERC20.encodeFunctionData('transfer', [recipient, amount]);
    const gas = await estimateGas(wallet.address, { to: token, data });
    const payload = {
      from: 0,
      to: token,
      value: '0',
      data,
      gas: dec(gas),
      gasPrice: dec(gasPrice),
      nonce: 1,
    };
    const signed = await sign(wallet, JSON.stringify(payload));
    const receipt = await rpc.send(signed.signed);

    expect(receipt).toMatchObject({ status: '0x1', transactionHash: signed.txId, to: token.toLowerCase() });
    expect(receipt.logs).toHaveLength(1);
    expect(receipt.logs[0]?.topics[0]).toBe(TRANSFER_TOPIC);
    expect(await tokenBalance(token, recipient)).toBe(amount);
    expect(await tokenBalance(token, wallet.address)).toBe(supply - amount);
  });

  it('240 KMS signatures over varied transactions all recover (ethers) to the wallet; both yParity values and high-S normalisation occur', async () => {
    const WALLETS = 4;
    const PER_WALLET = 60;
    const BROADCAST_PER_WALLET = 8; // nonces 0..7 are sequential and get mined; the rest have random nonces
    const CONCURRENCY = 8;
    const kmsResults: KmsSignature[] = [];
    const recording: DigestSigner = {
      async signDigest(keyId, digest, publicKey) {
        const signature = await vault.signDigest(keyId, digest, publicKey);
        kmsResults.push(signature);
        return signature;
      },
    };
    const wallets = await Promise.all(Array.from({ length: WALLETS }, () => kmsWallet()));
    await Promise.all(wallets.map((w) => rpc.setBalance(w.address, 10n * ETHER)));
    const { gasPrice, maxFeePerGas, maxPriorityFeePerGas } = await fees();

    const jobs = wallets.flatMap((wallet) =>
      Array.from({ length: PER_WALLET }, (_, i) => {
        const type = i % 3;
        const nonce = i < BROADCAST_PER_WALLET ? i : randomBytes(4).readUInt32BE() + i;
        const value = BigInt(hexlify(randomBytes(i < BROADCAST_PER_WALLET ? 6 : 16)));
        const feeFields =
          type === 2
            ? { maxFeePerGas: dec(maxFeePerGas), maxPriorityFeePerGas: dec(maxPriorityFeePerGas) }
            : { gasPrice: dec(gasPrice) };
        const payload = {
          type,
          to: randomAddress(),
          value: dec(value),
          gas: 30_000,
          nonce,
          ...feeFields,
          ...(type === 1 ? { accessList: [] } : {}),
        };
        return { wallet, index: i, type, payload };
      }),
    );

    const started = performance.now();
    const signed = await mapLimit(jobs, CONCURRENCY, async (job) => ({
      job,
      result: await sign(job.wallet, job.payload, recording),
    }));
    const signingMs = performance.now() - started;

    const yParity = { 0: 0, 1: 0 };
    for (const { job, result } of signed) {
      const decoded = Transaction.from(result.signed);
      expect(decoded.from).toBe(job.wallet.address);
      expect(decoded.type).toBe(job.type);
      expect(decoded.chainId).toBe(CHAIN_ID);
      const parity = decoded.signature!.yParity;
      if (job.type === 0) expect(decoded.signature!.networkV).toBe(CHAIN_ID * 2n + 35n + BigInt(parity));
      yParity[parity] += 1;
    }
    const toBroadcast = signed.filter(({ job }) => job.index < BROADCAST_PER_WALLET);
    for (const { result } of toBroadcast) expect((await rpc.send(result.signed)).status).toBe('0x1');

    const normalized = kmsResults.filter((s) => s.normalized).length;
    process.stderr.write(
      `[signer-evm] ${signed.length} KMS signatures in ${Math.round(signingMs)} ms; yParity 0/1 = ${yParity[0]}/${yParity[1]}; ` +
        `high-S normalised ${normalized}; broadcast and mined ${toBroadcast.length}\n`,
    );
    expect(signed).toHaveLength(WALLETS * PER_WALLET);
    expect(kmsResults).toHaveLength(WALLETS * PER_WALLET);
    expect(yParity[0]).toBeGreaterThan(0);
    expect(yParity[1]).toBeGreaterThan(0);
    expect(normalized).toBeGreaterThan(0);
  });
});
