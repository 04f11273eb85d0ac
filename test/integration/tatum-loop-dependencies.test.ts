// What the loop does when a pending transaction names a key we do not have, and when the four-eyes
// service is down: a pending transaction never makes us create a KMS key (the job FAILS with the reason,
// reported once, nothing created or signed), and a four-eyes outage is retried silently — not reported to
// Tatum, which would turn it into a KMS_FAILED_TX webhook — until the service answers.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { SigningLoop, type SigningLoopOptions } from '../../src/tatum/loop.js';
import { EvmRpc } from '../support/evm-rpc.js';
import {
  countingSigner as recordingSigner,
  evmDevLoopOptions,
  fundedEvmWallet,
} from '../support/evm-loop.js';
import { stackEndpoints } from '../support/stack.js';
import { keysTaggedWith, walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
let env: WalletTestEnv;
let sandbox: TatumSandbox;
let rpc: EvmRpc;
let fourEyes: Server;
let fourEyesUrl: string;
/** What the four-eyes stand-in answers next. */
let fourEyesStatus = 503;
const signCalls: string[] = [];

const loop = (over: Partial<SigningLoopOptions> = {}) =>
  new SigningLoop({
    ...evmDevLoopOptions(
      env,
      sandbox,
      recordingSigner(
        () => env.vault,
        (keyId) => signCalls.push(keyId),
      ),
    ),
    ...over,
  });

const transfer = (signatureId: string, fields: Record<string, unknown>) =>
  JSON.stringify({ from: 0, to: DEST, value: '1000', gas: '21000', gasPrice: '2000000000', ...fields });

beforeAll(async () => {
  env = await walletTestEnv();
  rpc = new EvmRpc(stackEndpoints().evmRpcUrl);
  sandbox = await startTatumSandbox({ evmRpcUrl: stackEndpoints().evmRpcUrl });
  fourEyes = createServer((_request, response) => {
    response.statusCode = fourEyesStatus;
    response.end();
  });
  await new Promise<void>((resolve) => fourEyes.listen(0, '127.0.0.1', resolve));
  fourEyesUrl = `http://127.0.0.1:${(fourEyes.address() as AddressInfo).port}/four-eye`;
});

afterAll(async () => {
  await new Promise((resolve) => fourEyes.close(resolve));
  await sandbox.close();
  await env.close();
});

describe('the loop and its dependencies', () => {
  it('a pending transaction naming an index without a key FAILS once, creates no KMS key, signs nothing', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'keys');
    const keysBefore = await keysTaggedWith(env.kms, env.application, wallet.signatureId);
    const id = sandbox.enqueue({
      ...evmPending('EVM_DEV', wallet.signatureId, transfer(wallet.signatureId, { nonce: 0 })),
      index: 7,
    });
    const first = await loop({ transactionIds: [id] }).runPass();
    expect(first.results).toMatchObject([{ id, outcome: 'FAILED' }]);
    expect(first.results[0]?.error).toMatch(/no key for index 7; index keys are created only through/);
    const second = await loop({ transactionIds: [id] }).runPass();
    expect(second.results).toMatchObject([{ id, outcome: 'SKIPPED' }]);
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toHaveLength(1);
    expect(await keysTaggedWith(env.kms, env.application, wallet.signatureId)).toHaveLength(
      keysBefore.length,
    );
    await expect(env.service.existingAddress(wallet.signatureId, 7)).resolves.toBeNull();
    expect(signCalls).toEqual([]);
  });

  it('a four-eyes outage (5xx, then a closed port) is retried silently; the approval later signs once', async () => {
    const wallet = await fundedEvmWallet(env.service, rpc, 'four-eyes');
    const id = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, transfer(wallet.signatureId, { nonce: 0 })),
    );
    const options = { transactionIds: [id], externalUrl: fourEyesUrl };
    fourEyesStatus = 503;
    const down = await loop(options).runPass();
    expect(down.results).toMatchObject([{ id, outcome: 'RETRY' }]);
    expect(down.results[0]?.error).toMatch(/four-eyes service unavailable: HTTP 503/);
    const closed = await loop({ ...options, externalUrl: 'http://127.0.0.1:9/four-eye' }).runPass();
    expect(closed.results).toMatchObject([{ id, outcome: 'RETRY' }]);
    expect([...down.reported, ...closed.reported]).toEqual([]);
    expect(signCalls).toEqual([]);

    fourEyesStatus = 200;
    const approved = await loop(options).runPass();
    expect(approved.results).toMatchObject([{ id, outcome: 'BROADCAST' }]);
    expect(signCalls).toHaveLength(1);
    expect(sandbox.reportedErrors.filter((e) => e.signatureId === id)).toEqual([]);

    fourEyesStatus = 403; // an explicit refusal still FAILS (another transaction)
    const refusedId = sandbox.enqueue(
      evmPending('EVM_DEV', wallet.signatureId, transfer(wallet.signatureId, { nonce: 1 })),
    );
    const refused = await loop({ ...options, transactionIds: [refusedId] }).runPass();
    expect(refused.results).toMatchObject([
      { id: refusedId, outcome: 'FAILED', error: 'four-eyes check refused: HTTP 403' },
    ]);
    expect(refused.reported).toHaveLength(1);
  });
});
