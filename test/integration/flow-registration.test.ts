// FLOW wallet → Flow account registration, on LocalStack KMS + FerretDB and the Flow emulator: a FLOW
// wallet is created (a KMS key, no address yet), the emulator's service account creates an account with
// that key, and the wallet is registered with it through the HTTP API (PUT /v1/wallets/{id}/flow-account)
// and the CLI (registerflowaccount). The node is asked first: a key index that holds another key, a P-256
// key, a key of weight below 1000 or an account that does not exist is refused (and nothing changes); a
// second wallet cannot take an account already registered; no node configured → 503 / refusal.
import { randomBytes, randomUUID } from 'node:crypto';
import { p256 } from '@noble/curves/nist.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startFlowEmulatorNode } from '../../scripts/stack/index.js';
import { createApiApp, type ApiApp } from '../../src/api/app.js';
import { ChainViews } from '../../src/chain-view/index.js';
import { hashApiKey } from '../../src/config/index.js';
import { parsePublicKey } from '../../src/crypto/public-key.js';
import type { WalletView } from '../../src/wallets/index.js';
import { cli } from '../support/cli-harness.js';
import { FlowRest } from '../support/flow-rest.js';
import { stackProcessEnv } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const API_KEY = `flow-reg-${randomBytes(12).toString('hex')}`;

let env: WalletTestEnv;
let node: { url: string; stop(): Promise<void> };
let flow: FlowRest;
let app: ApiApp;

beforeAll(async () => {
  [env, node] = await Promise.all([
    walletTestEnv({
      flowNode: (network) => new ChainViews({ network, env: { KMS_SIGNER_RPC_FLOW: node.url } }).flow(),
    }),
    startFlowEmulatorNode(),
  ]);
  flow = new FlowRest(node.url);
  app = createApiApp({
    walletService: env.service,
    auth: { mode: 'api-key', keyHashes: [hashApiKey(API_KEY)] },
    log: () => undefined,
  });
}, 180_000);

afterAll(async () => {
  await node.stop();
  await env.close();
});

async function register(
  signatureId: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await app.request(`/v1/wallets/${signatureId}/flow-account`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function flowWallet(): Promise<{ wallet: WalletView; xy: string }> {
  const { wallet } = await env.service.createWallet({
    userId: 'reg',
    chain: 'FLOW',
    asset: 'FLOW',
    network: 'regtest',
  });
  const xy = Buffer.from(
    parsePublicKey(Buffer.from(wallet.publicKey, 'hex')).uncompressed.subarray(1),
  ).toString('hex');
  return { wallet, xy };
}

/** An account holding `keys` (Cadence 1.0 keys.add), created by the service account. */
async function accountWith(
  keys: { xy: string; algorithm: string; hash: string; weight: string }[],
): Promise<string> {
  const adds = keys
    .map(
      (k, i) =>
        `        account.keys.add(publicKey: PublicKey(publicKey: keys[${i}].decodeHex(), signatureAlgorithm: SignatureAlgorithm.${k.algorithm}), hashAlgorithm: HashAlgorithm.${k.hash}, weight: ${k.weight})`,
    )
    .join('\n');
  const cadence = `transaction(keys: [String]) {
    prepare(signer: auth(BorrowValue) &Account) {
        let account = Account(payer: signer)
${adds}
    }
}
`;
  const result = await flow.serviceTransaction(cadence, [
    { type: 'Array', value: keys.map((k) => ({ type: 'String', value: k.xy })) },
  ]);
  const created = result.events.find((e) => e.type === 'flow.AccountCreated')?.payload as
    { value: { fields: { name: string; value: { value: string } }[] } } | undefined;
  const address = created?.value.fields.find((f) => f.name === 'address')?.value.value;
  if (address === undefined) throw new Error('no account created');
  return address;
}

describe('FLOW wallet registration with a chain account, checked on the Flow emulator', () => {
  it('API: a created FLOW wallet has no address; the node must show its key before the mapping is stored', async () => {
    const { wallet, xy } = await flowWallet();
    expect(wallet).toMatchObject({ chain: 'FLOW', status: 'ACTIVE', address: '', addresses: [] });
    // One key per FLOW wallet: no index keys (they would be KMS keys no account holds).
    await expect(env.service.getAddress(wallet.signatureId, 1)).rejects.toThrow(/index: .*one key/);
    const p256Key = Buffer.from(p256.getPublicKey(p256.utils.randomSecretKey(), false).subarray(1)).toString(
      'hex',
    );
    const other = (await flowWallet()).xy;
    const account = await accountWith([
      { xy: other, algorithm: 'ECDSA_secp256k1', hash: 'SHA3_256', weight: '1000.0' }, // 0: another wallet's key
      { xy: p256Key, algorithm: 'ECDSA_P256', hash: 'SHA3_256', weight: '1000.0' }, // 1: P-256
      { xy, algorithm: 'ECDSA_secp256k1', hash: 'SHA2_256', weight: '500.0' }, // 2: ours, too light
      { xy, algorithm: 'ECDSA_secp256k1', hash: 'SHA2_256', weight: '1000.0' }, // 3: ours
    ]);
    const refusals: [unknown, RegExp][] = [
      [{ address: account, keyIndex: 0 }, /not the wallet's public key/],
      [{ address: account, keyIndex: 1 }, /not the wallet's public key/],
      [{ address: account, keyIndex: 2 }, /weight 500/],
      [{ address: account, keyIndex: 9 }, /shows no .* key 9/],
      [{ address: 'not-an-address', keyIndex: 3 }, /Flow address/],
      [{ address: account, keyIndex: -1 }, /keyIndex/],
      [{ address: account, keyIndex: 3, extra: 1 }, /extra/],
    ];
    for (const [body, reason] of refusals) {
      const reply = await register(wallet.signatureId, body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect(JSON.stringify(reply.body), JSON.stringify(body)).toMatch(reason);
    }
    expect((await env.service.getWallet(wallet.signatureId)).address).toBe('');

    const ok = await register(wallet.signatureId, { address: account.slice(2).toUpperCase(), keyIndex: 3 });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      address: account,
      flowAccount: { address: account, keyIndex: 3, hashAlgorithm: 'SHA2_256' },
    });
    // The same registration again is answered the same; another account is a conflict.
    expect((await register(wallet.signatureId, { address: account, keyIndex: 3 })).status).toBe(200);
    expect((await register(wallet.signatureId, { address: account, keyIndex: 2 })).status).toBe(409);
    // A second wallet cannot take an account registered already.
    const second = await flowWallet();
    const again = await accountWith([
      { xy: second.xy, algorithm: 'ECDSA_secp256k1', hash: 'SHA3_256', weight: '1000.0' },
    ]);
    expect((await register(second.wallet.signatureId, { address: again, keyIndex: 0 })).status).toBe(200);
    const taken = await register(second.wallet.signatureId, { address: account, keyIndex: 3 });
    expect(taken.status).toBe(409);
  }, 120_000);

  it('API: a wallet of another chain is refused', async () => {
    const { wallet } = await env.service.createWallet({
      userId: 'reg',
      chain: 'ETH',
      asset: 'ETH',
      network: 'testnet',
    });
    const reply = await register(wallet.signatureId, { address: '0x01cf0e2f2f715450', keyIndex: 0 });
    expect(reply.status).toBe(400);
    expect(JSON.stringify(reply.body)).toMatch(/derived, not registered/);
  });

  it('without a Flow node, bad input and unknown wallets still get their own errors; only a valid request waits for the node', async () => {
    const { wallet } = await flowWallet();
    const noNode = env.newService({ flowNode: () => undefined });
    const refusal = (signatureId: string, body: { address: string; keyIndex: number }) =>
      noNode.registerFlowAccount(signatureId, body).then(
        () => ({ code: 'accepted' }),
        (e: unknown) => e as { code: string; field?: string; message: string },
      );
    // The request schemathesis sent in CI (an empty address) is a 400, not a 503.
    expect(await refusal(wallet.signatureId, { address: '', keyIndex: 0 })).toMatchObject({
      code: 'VALIDATION',
      field: 'address',
      message: expect.stringMatching(/address: must be a Flow address/) as string,
    });
    expect(await refusal(randomUUID(), { address: '0x01cf0e2f2f715450', keyIndex: 0 })).toMatchObject({
      code: 'NOT_FOUND',
    });
    expect(await refusal(wallet.signatureId, { address: '0x01cf0e2f2f715450', keyIndex: 0 })).toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringMatching(/KMS_SIGNER_RPC_FLOW/) as string,
    });
    expect((await env.service.getWallet(wallet.signatureId)).address).toBe('');
  });

  it('CLI: registerflowaccount checks the node of KMS_SIGNER_RPC_FLOW; without one it is refused', async () => {
    const cliEnv = stackProcessEnv(
      { database: env.db.databaseName, appTag: env.application },
      { KMS_SIGNER_RPC_FLOW: node.url },
    );
    const created = await cli(['generatemanagedwallet', 'FLOW', '--network', 'regtest', '--json'], {
      env: cliEnv,
    });
    expect(created.code).toBe(0);
    const wallet = JSON.parse(created.stdout) as WalletView;
    const xy = Buffer.from(
      parsePublicKey(Buffer.from(wallet.publicKey, 'hex')).uncompressed.subarray(1),
    ).toString('hex');
    const account = await flow.createAccount(xy, 'SHA3_256');

    const withoutNode = { ...cliEnv };
    delete withoutNode.KMS_SIGNER_RPC_FLOW;
    const refused = await cli(['registerflowaccount', wallet.signatureId, account], { env: withoutNode });
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('KMS_SIGNER_RPC_FLOW');

    const out = await cli(['registerflowaccount', wallet.signatureId, account, '0', '--json'], {
      env: cliEnv,
    });
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    expect(JSON.parse(out.stdout)).toMatchObject({
      address: account,
      flowAccount: { address: account, keyIndex: 0, hashAlgorithm: 'SHA3_256' },
    });
  }, 120_000);
});
