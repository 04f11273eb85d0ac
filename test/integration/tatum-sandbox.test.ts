// The Tatum client against the sandbox wired to the real nodes: pending transactions in Tatum's formats
// (web3 JSON transfer and ERC-20 transfer on anvil, bitcore JSON on btcd regtest) are fetched, signed
// by KMS wallets on LocalStack with our signer, broadcast through the client (first attempt answered
// 503) and mined; a repeated broadcast is idempotent and nothing is reported as a double sign.
import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { AbiCoder, concat, getAddress, hexlify, Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { keyScripts } from '../../scripts/sandbox/bitcoin-payloads.js';
import { fundScripts } from '../../scripts/sandbox/btc-funding.js';
import {
  bitcorePending,
  erc20TransferPayload,
  evmPayload,
  evmPending,
} from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { deriveAddress, type ChainId, type NetworkName } from '../../src/chains/index.js';
import { signTransaction, type WalletKey } from '../../src/signer/index.js';
import { createTatumClient } from '../../src/tatum/client.js';
import type { PendingTransaction, TatumKmsApi } from '../../src/tatum/types.js';
import { EvmRpc, hexQuantity, receiptSchema } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';
import { testVault } from '../../scripts/fixtures/vault.js';

const endpoints = stackEndpoints();
const vault = testVault(endpoints.awsEndpoint);
const ETHER = 10n ** 18n;

let sandbox: TatumSandbox;
let client: TatumKmsApi;

beforeAll(async () => {
  sandbox = await startTatumSandbox({ evmRpcUrl: endpoints.evmRpcUrl, btcRpc: endpoints.btcRpc });
  client = createTatumClient({
    baseUrl: sandbox.url,
    apiKey: sandbox.apiKey,
    clientVersion: '0.1.0-test',
    broadcastPaths: sandbox.broadcastPaths,
    retryDelayMs: 10,
  });
});
afterAll(() => sandbox.close());

async function kmsWallet(chain: ChainId): Promise<{ signatureId: string; key: WalletKey }> {
  const signatureId = randomUUID();
  const { keyId } = await vault.createKey({ walletId: signatureId, chain });
  const publicKey = (await vault.getPublicKey(keyId)).compressed;
  return { signatureId, key: { keyId, publicKey, walletId: signatureId } };
}

/** What the signing loop does for one transaction: fetch → sign → broadcast. */
async function fetchSignBroadcast(chain: ChainId, network: NetworkName, signatureId: string, key: WalletKey) {
  const [pending, ...rest] = (await client.fetchPending(chain, [signatureId])).pending;
  expect(rest).toEqual([]);
  if (!pending) throw new Error('no pending transaction');
  const signed = await signTransaction({
    chain,
    network,
    wallets: [key],
    signer: vault,
    unsigned: pending.serializedTransaction,
  });
  return { pending, signed, result: await client.broadcast(pending, signed.signed) };
}

async function expectIdempotent(pending: PendingTransaction, signed: string, txId: string) {
  expect((await client.broadcast(pending, signed)).txId).toBe(txId);
  expect(sandbox.completed.get(pending.id)?.txId).toBe(txId);
  expect((await client.fetchPending(pending.chain as ChainId, pending.hashes)).pending).toEqual([]);
  expect(sandbox.violations).toEqual([]);
}

describe('EVM (EVM_DEV on anvil)', () => {
  const rpc = new EvmRpc(endpoints.evmRpcUrl);

  async function receipt(txId: string) {
    for (let attempt = 0; attempt < 50; attempt++) {
      const r = await rpc.call('eth_getTransactionReceipt', [txId], receiptSchema.nullable());
      if (r) return r;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no receipt for ${txId}`);
  }

  it('a web3-JSON transfer and an ERC-20 transfer are signed by a KMS wallet, broadcast and mined', async () => {
    const wallet = await kmsWallet('EVM_DEV');
    const address = deriveAddress('EVM_DEV', 'mainnet', wallet.key.publicKey);
    await rpc.setBalance(address, 10n * ETHER);
    const gasPrice = (await rpc.gasPrice()) * 2n;
    const recipient = getAddress(hexlify(randomBytes(20)));

    // 1. Native transfer; the first broadcast attempt gets a 503 and is retried.
    sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        evmPayload({ to: recipient, value: ETHER / 10n, gasPrice, nonce: 0 }),
      ),
    );
    sandbox.failNext('/v3/evm-dev/broadcast', 503);
    const transfer = await fetchSignBroadcast('EVM_DEV', 'mainnet', wallet.signatureId, wallet.key);
    expect(transfer.result.txId).toBe(transfer.signed.txId);
    expect((await receipt(transfer.result.txId)).status).toBe('0x1');
    expect(await rpc.balance(recipient)).toBe(ETHER / 10n);
    expect(sandbox.calls.filter((c) => c.path === '/v3/evm-dev/broadcast').map((c) => c.status)).toEqual([
      503, 200,
    ]);
    await expectIdempotent(transfer.pending, transfer.signed.signed, transfer.result.txId);

    // 2. ERC-20: anvil's unlocked dev account deploys a fixed-supply token owned by the KMS wallet.
    const artifact = z
      .object({ bytecode: z.string() })
      .parse(
        createRequire(import.meta.url)('@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json'),
      );
    const [deployer] = await rpc.call('eth_accounts', [], z.array(z.string()).min(1));
    const args = AbiCoder.defaultAbiCoder().encode(
      ['string', 'string', 'uint256', 'address'],
      ['T', 'T', 1000n, address],
    );
    const deployHash = await rpc.call(
      'eth_sendTransaction',
      [{ from: deployer, data: concat([artifact.bytecode, args]), gas: '0x300000' }],
      z.string(),
    );
    const token = (await receipt(deployHash)).contractAddress;
    if (!token) throw new Error('token not deployed');

    sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        erc20TransferPayload({ token, to: recipient, amount: 250n, gasPrice, nonce: 1 }),
      ),
    );
    const erc20 = await fetchSignBroadcast('EVM_DEV', 'mainnet', wallet.signatureId, wallet.key);
    expect((await receipt(erc20.result.txId)).status).toBe('0x1');
    const balanceOf = new Interface(['function balanceOf(address) view returns (uint256)']);
    const data = balanceOf.encodeFunctionData('balanceOf', [recipient]);
    expect(await rpc.call('eth_call', [{ to: token, data }, 'latest'], hexQuantity)).toBe(250n);
    await expectIdempotent(erc20.pending, erc20.signed.signed, erc20.result.txId);
  });

  it('a transaction the node refuses comes back as a non-retryable 400 and stays pending', async () => {
    const wallet = await kmsWallet('EVM_DEV'); // unfunded: anvil refuses for lack of funds
    const id = sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        evmPayload({
          to: getAddress(hexlify(randomBytes(20))),
          value: ETHER,
          gasPrice: await rpc.gasPrice(),
          nonce: 0,
        }),
      ),
    );
    const error = await fetchSignBroadcast('EVM_DEV', 'mainnet', wallet.signatureId, wallet.key).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ name: 'TatumApiError', status: 400, retryable: false });
    expect(sandbox.completed.has(id)).toBe(false);
    await client.reportErrors([{ signatureId: id, error: (error as Error).message }]);
    expect(sandbox.reportedErrors).toContainEqual({ signatureId: id, error: (error as Error).message });
  });
});

describe('BTC on btcd regtest', () => {
  it('a bitcore-JSON spend of a KMS wallet UTXO is signed, broadcast and mined', async () => {
    const rpc = endpoints.btcRpc;
    const wallet = await kmsWallet('BTC');
    const walletScript = keyScripts(wallet.key.publicKey).p2wpkh;
    const funding = await fundScripts(rpc, endpoints.btcMiningWif, [
      { script: walletScript, amount: 1_000_000n },
    ]);
    const miner = btcTestKey(decodeRegtestWif(endpoints.btcMiningWif));
    const minerScript = keyScripts(miner.publicKey).p2wpkh;

    sandbox.enqueue(
      bitcorePending(
        'BTC',
        funding.utxos,
        [{ script: minerScript, amount: 1_000_000n - 5_000n }],
        [wallet.signatureId],
      ),
    );
    sandbox.failNext('/v3/bitcoin/broadcast', 500);
    const { pending, signed, result } = await fetchSignBroadcast(
      'BTC',
      'regtest',
      wallet.signatureId,
      wallet.key,
    );
    expect(result.txId).toBe(signed.txId);
    await btcRpc(rpc, 'generate', [1]);
    const { confirmations } = await btcRpc(
      rpc,
      'getrawtransaction',
      [result.txId, 1],
      z.object({ confirmations: z.number().default(0) }),
    );
    expect(confirmations).toBeGreaterThanOrEqual(1);
    await expectIdempotent(pending, signed.signed, result.txId);
  });
});
