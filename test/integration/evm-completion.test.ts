// EVM payloads as Tatum sends them — no gas, no nonce, gasPrice "0", never a chainId — completed from a
// trusted node (anvil) through the loop: signed by LocalStack KMS, broadcast through the Tatum sandbox and
// mined. Nonces come from the nonce ledger (FerretDB): two loops racing at concurrency 32 over 20
// nonce-less transactions of one wallet use 0…19 exactly once. A revert fails the job with its reason and
// no KMS call; an unreachable node or one of another chain signs nothing and fails nothing.
import {
  countingSigner as recordingSigner,
  evmDevLoopOptions,
  fundedEvmWallet,
} from '../support/evm-loop.js';
import { createRequire } from 'node:module';
import { AbiCoder, concat, Interface } from 'ethers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { ChainUnavailableError, ChainViews } from '../../src/chain-view/index.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { parseSigningPolicy } from '../../src/tatum/config.js';
import { EvmRpc, hexQuantity, receiptSchema } from '../support/evm-rpc.js';
import { stackEndpoints } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const OTHER = '0x00000000000000000000000000000000000000aa';
const ERC20 = new Interface(['function transfer(address to, uint256 amount) returns (bool)']);
let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;
let anvilUrl: string;
const signCalls: string[] = [];

/** Every KMS Sign call goes through here. */
const countingSigner = () =>
  recordingSigner(
    () => env.vault,
    (keyId) => signCalls.push(keyId),
  );

const views = (url: string) =>
  new ChainViews({ network: 'testnet', env: { KMS_SIGNER_RPC_EVM_DEV: url }, retries: 0 });

const loop = (over: Partial<SigningLoopOptions> = {}) =>
  new SigningLoop({
    ...evmDevLoopOptions(env, sandbox, countingSigner()),
    chainViews: views(anvilUrl),
    ...over,
  });

const fundedWallet = () => fundedEvmWallet(env.service, rpc, 'completion');

/** Tatum's web3 payload shape (§2.8): from 0, no gas, no nonce, no chainId. */
const tatumShaped = (fields: Record<string, unknown>) => JSON.stringify({ from: 0, ...fields });
const job = (id: string) => env.db.collection<SigningJobDoc>(SIGNING_JOBS).findOne({ _id: id });
const balance = (address: string) => rpc.call('eth_getBalance', [address, 'latest'], hexQuantity);
const nonceOf = (address: string) => rpc.call('eth_getTransactionCount', [address, 'latest'], hexQuantity);
const txNonce = async (hash: string) =>
  rpc.call('eth_getTransactionByHash', [hash], z.object({ nonce: hexQuantity })).then((t) => t.nonce);

async function deployToken(owner: string, supply: bigint): Promise<string> {
  const artifact = z
    .object({ bytecode: z.string() })
    .parse(
      createRequire(import.meta.url)('@openzeppelin/contracts/build/contracts/ERC20PresetFixedSupply.json'),
    );
  const [deployer] = await rpc.call('eth_accounts', [], z.array(z.string()).min(1));
  const args = AbiCoder.defaultAbiCoder().encode(
    ['string', 'string', 'uint256', 'address'],
    ['T', 'T', supply, owner],
  );
  const hash = await rpc.call(
    'eth_sendTransaction',
    [{ from: deployer, data: concat([artifact.bytecode, args]), gas: '0x300000' }],
    z.string(),
  );
  // anvil is shared by parallel test files: mine until the deployment is in a block.
  for (let attempt = 0; attempt < 50; attempt++) {
    const receipt = await rpc.call('eth_getTransactionReceipt', [hash], receiptSchema.nullable());
    if (receipt?.contractAddress) return receipt.contractAddress;
    await rpc.call('evm_mine', [], z.unknown());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('token not deployed');
}

const tokenBalance = async (token: string, holder: string) =>
  BigInt(
    await rpc.call(
      'eth_call',
      [
        {
          to: token,
          data: new Interface(['function balanceOf(address) view returns (uint256)']).encodeFunctionData(
            'balanceOf',
            [holder],
          ),
        },
        'latest',
      ],
      z.string(),
    ),
  );

beforeAll(async () => {
  env = await walletTestEnv();
  anvilUrl = stackEndpoints().evmRpcUrl;
  rpc = new EvmRpc(anvilUrl);
  sandbox = await startTatumSandbox({ evmRpcUrl: anvilUrl, btcRpc: stackEndpoints().btcRpc });
});

afterAll(async () => {
  await sandbox.close();
  await env.close();
});

describe('EVM payloads completed from the chain view', () => {
  it('an ETH transfer and an ERC-20 transfer without gas, nonce or gas price are completed, signed and mined', async () => {
    const wallet = await fundedWallet();
    const token = await deployToken(wallet.address, 1_000n);
    const before = await balance(DEST);
    const eth = sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        tatumShaped({ to: DEST, value: '1000000000000000', gasPrice: '0' }),
      ),
    );
    const erc20 = sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        tatumShaped({ to: token, data: ERC20.encodeFunctionData('transfer', [DEST, 250n]) }),
      ),
    );
    const pass = await loop({ concurrency: 1 }).runPass();
    for (const id of [eth, erc20])
      expect(pass.results.find((r) => r.id === id)).toMatchObject({ outcome: 'BROADCAST' });
    expect(await balance(DEST)).toBe(before + 10n ** 15n);
    expect(await tokenBalance(token, DEST)).toBe(250n);
    expect(await nonceOf(wallet.address)).toBe(2n);
    const stored = await job(eth);
    expect(stored?.completion).toMatchObject({
      gas: { value: '25200', from: expect.stringMatching(/^eth_estimateGas 21000/) as unknown },
      gasPrice: { from: 'eth_gasPrice' },
      nonce: { value: '0' },
    });
    expect((await job(erc20))?.nonce).toBe('1');
  });

  it('20 nonce-less transactions of one wallet, two loops racing at concurrency 32: nonces 0…19 once each, all mined', async () => {
    const wallet = await fundedWallet();
    const ids = Array.from({ length: 20 }, () =>
      sandbox.enqueue(
        evmPending('EVM_DEV', wallet.signatureId, tatumShaped({ to: DEST, value: '1000', gasPrice: '0' })),
      ),
    );
    const [a, b] = ['a', 'b'].map((name) =>
      loop({ runnerId: `nonce-${name}`, concurrency: 32, transactionIds: ids }),
    );
    for (let round = 0; round < 4; round++) await Promise.all([a!.runPass(), b!.runPass()]);
    const jobs = await Promise.all(ids.map(job));
    expect(jobs.map((j) => j?.state)).toEqual(ids.map(() => 'BROADCAST'));
    const nonces = await Promise.all(jobs.map((j) => txNonce(j?.txId ?? '')));
    expect([...nonces].sort((x, y) => Number(x - y))).toEqual(
      Array.from({ length: 20 }, (_, i) => BigInt(i)),
    );
    expect(await nonceOf(wallet.address)).toBe(20n);
  });

  it('a job that fails before signing gives its reserved nonce to the next job', async () => {
    const wallet = await fundedWallet();
    const policy = parseSigningPolicy(JSON.stringify({ EVM_DEV: { allowedDestinations: [DEST] } }));
    const denied = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, tatumShaped({ to: OTHER, value: '5', gasPrice: '0' })),
    );
    const allowed = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, tatumShaped({ to: DEST, value: '5', gasPrice: '0' })),
    );
    const pass = await loop({ concurrency: 1, policy, transactionIds: [denied, allowed] }).runPass();
    expect(pass.results.map((r) => r.outcome)).toEqual(['FAILED', 'BROADCAST']);
    expect((await job(denied))?.nonce).toBe('0');
    expect((await job(allowed))?.nonce).toBe('0');
    expect(await nonceOf(wallet.address)).toBe(1n);
  });

  it('an ERC-20 transfer above the balance fails with the revert reason, no KMS call, reported once', async () => {
    const wallet = await fundedWallet();
    const token = await deployToken(wallet.address, 10n);
    const id = sandbox.enqueue(
      evmPending(
        'EVM_DEV',
        wallet.signatureId,
        tatumShaped({ to: token, data: ERC20.encodeFunctionData('transfer', [DEST, 11n]), gasPrice: '0' }),
      ),
    );
    const before = signCalls.length;
    const pass = await loop({ transactionIds: [id] }).runPass();
    expect(pass.results).toEqual([expect.objectContaining({ id, outcome: 'FAILED' })]);
    expect(pass.results[0]?.error).toMatch(/revert.*transfer amount exceeds balance/);
    expect(signCalls.length).toBe(before);
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toHaveLength(1);
    await loop({ transactionIds: [id] }).runPass();
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toHaveLength(1);
  });

  it('an unreachable node: the job waits for the next pass, nothing signed, nothing FAILED', async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, tatumShaped({ to: DEST, value: '7', gasPrice: '0' })),
    );
    const before = signCalls.length;
    const pass = await loop({ transactionIds: [id], chainViews: views('http://127.0.0.1:9') }).runPass();
    expect(pass.results).toEqual([expect.objectContaining({ id, outcome: 'RETRY' })]);
    expect(pass.results[0]?.error).toMatch(/chain view: .*unreachable/);
    expect((await job(id))?.state).toBe('CLAIMED');
    expect(signCalls.length).toBe(before);
    const next = await loop({ transactionIds: [id] }).runPass();
    expect(next.results).toEqual([expect.objectContaining({ id, outcome: 'BROADCAST' })]);
  });

  it("no KMS_SIGNER_RPC_<CHAIN>: Tatum's node gateway (the sandbox's) completes the payload, the key goes in x-api-key and never into a log", async () => {
    const wallet = await fundedWallet();
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, tatumShaped({ to: DEST, value: '9', gasPrice: '0' })),
    );
    const gatewayPath = `/v3/blockchain/node/EVM_DEV/${sandbox.apiKey}`;
    const lines: string[] = [];
    const through = (gateway: TatumSandbox) =>
      loop({
        transactionIds: [id],
        // What the daemon builds: no per-chain RPC in the environment, Tatum's base URL and key.
        chainViews: new ChainViews({
          network: 'testnet',
          env: {},
          retries: 0,
          tatum: { baseUrl: gateway.url, apiKey: gateway.apiKey },
        }),
        log: (entry) => lines.push(JSON.stringify(entry)),
      }).runPass();
    // A gateway whose node is down answers with an error that echoes the path, key included.
    const broken = await startTatumSandbox({ evmRpcUrl: 'http://127.0.0.1:9' });
    try {
      const outage = await through(broken);
      expect(outage.results).toEqual([expect.objectContaining({ id, outcome: 'RETRY' })]);
      expect(outage.results[0]?.error).toMatch(/upstream node unreachable .*<redacted>/);
      expect(broken.calls.some((c) => c.path === gatewayPath && c.status === 502)).toBe(true);
    } finally {
      await broken.close();
    }
    const before = sandbox.calls.length;
    const pass = await through(sandbox);
    expect(pass.results).toEqual([expect.objectContaining({ id, outcome: 'BROADCAST' })]);
    expect(await nonceOf(wallet.address)).toBe(1n);
    // The sandbox answers 401 to any request without the right x-api-key: every gateway call carried it.
    const gatewayCalls = sandbox.calls.slice(before).filter((c) => c.path === gatewayPath);
    expect(gatewayCalls.length).toBeGreaterThanOrEqual(3);
    expect(gatewayCalls.map((c) => c.status)).toEqual(gatewayCalls.map(() => 200));
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).not.toContain(sandbox.apiKey);
    expect(JSON.stringify(await job(id))).not.toContain(sandbox.apiKey);
  });

  it('a node of another chain is refused: its chain id never matches the registry', async () => {
    const view = new ChainViews({
      network: 'testnet',
      env: { KMS_SIGNER_RPC_ETH: anvilUrl },
      retries: 0,
    }).evm('ETH');
    await expect(view?.checkChainId()).rejects.toThrow(ChainUnavailableError);
    await expect(view?.checkChainId()).rejects.toThrow(/the node is chain 31337, expected 11155111/);
  });
});
