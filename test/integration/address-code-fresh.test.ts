// Each chain family's address code loads on first use (src/chains/addresses/codecs.ts), and the vitest
// set-up (test/setup/address-code.ts) preloads every family for the tests — which hid a missing load point
// in the EVM completion that failed every ETH job of the bundled daemon. Here nothing is preloaded:
// - the API Lambda's real handler (src/handlers/api.ts) runs in a fresh module graph (vi.resetModules):
//   wallet creation and a further address key derive addresses of five families;
// - the bundled CLI imports an XRP private key (`storemanagedprivatekey`, src/wallets/import.ts);
// - the bundled `kms-signer daemon --runOnce` (test/support/daemon-process.ts), a process of its own, signs
//   one pending transaction each of BTC (regtest), ETH, TRON, XRP and EGLD (testnet) through completion,
//   four-eyes, an allow-list policy per chain (which normalises addresses), KMS, and broadcast.
// Every job must reach BROADCAST and no log line may say the address code was not loaded. Every signed
// transaction is checked by something we did not write: btcd and anvil mine them; ripple-keypairs (XRP)
// and @multiversx/sdk-core (EGLD) verify them in the sandbox; tronweb and tiny-secp256k1 verify TRON's.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { rm } from 'node:fs/promises';
import { payments, networks } from 'bitcoinjs-lib';
import * as keypairs from 'ripple-keypairs';
import * as tiny from 'tiny-secp256k1';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { keyScripts } from '../../scripts/sandbox/bitcoin-payloads.js';
import { fundScripts } from '../../scripts/sandbox/btc-funding.js';
import { bitcorePending, evmPending } from '../../scripts/sandbox/pending-payloads.js';
import { startTatumSandbox, type TatumSandbox } from '../../scripts/sandbox/tatum-sandbox.js';
import { btcRpc } from '../../scripts/stack/btc-rpc.js';
import { btcTestKey, decodeRegtestWif } from '../../scripts/stack/btc-mining-key.js';
import { startChainAnvil } from '../../scripts/stack/index.js';
import { checkIndependently, RECIPIENT, trxTransfer } from '../../scripts/fixtures/tron.js';
import { deriveAddress } from '../../src/chains/index.js';
import { SIGNING_JOBS, type SigningJobDoc } from '../../src/tatum/jobs.js';
import { buildCli, daemonEnv, spawnDaemon, type DaemonProcess } from '../support/daemon-process.js';
import { EvmRpc, receiptSchema } from '../support/evm-rpc.js';
import { httpApiEvent } from '../support/lambda-http.js';
import { startMultiversXGateway, type FakeMultiversXGateway } from '../support/multiversx-gateway.js';
import { tatumEgldPayload } from '../support/multiversx.js';
import { ed25519TestKey } from '../support/solana.js';
import { stackEndpoints, stackProcessEnv } from '../support/stack.js';
import { walletTestEnv, type WalletTestEnv } from '../support/wallets.js';

const SEPOLIA = 11155111;
const ETH_DEST = '0x8ba1f109551bd432803012645ac136ddd64dba72';
const XRP_DEST = 'rJHMeqKu8Ep7Fazx8MQG6JunaafBXz93YQ';
const NOT_LOADED = /not loaded/;

let env: WalletTestEnv;
let sandbox: TatumSandbox;
let anvil: { url: string; stop(): Promise<void> };
let gateway: FakeMultiversXGateway;
let fourEye: Server;
let cli: string;
const daemons: DaemonProcess[] = [];

const walletSchema = z.object({
  signatureId: z.string(),
  chain: z.string(),
  address: z.string(),
  publicKey: z.string(),
});
type CreatedWallet = z.infer<typeof walletSchema>;

beforeAll(async () => {
  [cli, env, anvil, gateway] = await Promise.all([
    buildCli(),
    walletTestEnv(),
    startChainAnvil(SEPOLIA),
    startMultiversXGateway('D'),
  ]);
  sandbox = await startTatumSandbox({
    evmNodes: { '/v3/ethereum/broadcast': anvil.url },
    btcRpc: stackEndpoints().btcRpc,
    verifyXrp: true,
    verifyEd25519Chains: true,
    offlineBroadcast: true, // TRON: no node installs here; its signature is verified below instead
  });
  fourEye = createServer((_req, res) => {
    res.statusCode = 200;
    res.end();
  });
  await new Promise<void>((resolve) => fourEye.listen(0, '127.0.0.1', resolve));
}, 120_000);

afterAll(async () => {
  await Promise.all(daemons.map((d) => d.kill()));
  fourEye.closeAllConnections();
  await new Promise((resolve) => fourEye.close(resolve));
  await rm(cli, { force: true });
  await sandbox.close();
  await gateway.close();
  await anvil.stop();
  await env.close();
});

/** The API Lambda's handler in a module graph of its own, as a cold Lambda starts it. */
async function freshApiLambda() {
  Object.assign(process.env, stackProcessEnv({ database: env.db.databaseName, appTag: env.application }));
  vi.resetModules();
  const chains = await import('../../src/chains/index.js');
  const { handler } = await import('../../src/handlers/api.js');
  const call = async (method: string, path: string, body?: unknown) => {
    const request = new Request(`https://api.example${path}`, {
      method,
      headers: { 'content-type': 'application/json', 'idempotency-key': crypto.randomUUID() },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const event = await httpApiEvent(request, '203.0.113.7');
    // What API Gateway's AWS_IAM authorization adds (src/api/auth.ts).
    const context = (event as unknown as { requestContext: Record<string, unknown> }).requestContext;
    context.authorizer = { iam: { userArn: 'arn:aws:iam::123456789012:user/address-code' } };
    const result = (await handler(event)) as { statusCode: number; body: string };
    return { status: result.statusCode, json: JSON.parse(result.body) as unknown };
  };
  return { chains, call };
}

function startDaemon(name: string, args: string[], policy: object): DaemonProcess {
  const port = (fourEye.address() as AddressInfo).port;
  const daemon = spawnDaemon(
    cli,
    name,
    daemonEnv(env.db.databaseName, env.application, {
      TATUM_API_URL: sandbox.url,
      TATUM_API_KEY: sandbox.apiKey,
      KMS_SIGNER_RPC_ETH: anvil.url,
      KMS_SIGNER_RPC_EGLD: gateway.url,
      SIGNING_POLICY: JSON.stringify(policy),
    }),
    [...args, '--runOnce', '--externalUrl', `http://127.0.0.1:${port}/approve`, '--walletRefresh', '0'],
  );
  daemons.push(daemon);
  return daemon;
}

/** One run of the bundled CLI (a process of its own), `stdin` piped in; its JSON output. */
async function runCli(args: string[], stdin: string): Promise<unknown> {
  const child = spawn(process.execPath, [cli, ...args], {
    env: daemonEnv(env.db.databaseName, env.application),
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
  child.stdin.end(stdin);
  const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
  const stderr = Buffer.concat(err).toString();
  expect(code, stderr).toBe(0);
  expect(stderr).not.toMatch(NOT_LOADED);
  return JSON.parse(Buffer.concat(out).toString()) as unknown;
}

/** An XRP wallet imported from a private key by `kms-signer storemanagedprivatekey` (src/wallets/import.ts). */
async function importedXrpWallet(): Promise<CreatedWallet> {
  const privateKey = randomBytes(32);
  const imported = walletSchema.parse(
    await runCli(['storemanagedprivatekey', 'XRP', '--testnet', '--json'], `${privateKey.toString('hex')}\n`),
  );
  // ripple-keypairs' address of the key's public key, not our derivation, is the expected address.
  const publicKey = tiny.pointFromScalar(privateKey, true) ?? expect.unreachable('invalid key');
  expect(imported.address).toBe(keypairs.deriveAddress(Buffer.from(publicKey).toString('hex').toUpperCase()));
  return imported;
}

it('API and bundled daemon load each family themselves: wallets of five families created, their pending transactions signed and broadcast', async () => {
  const { chains, call } = await freshApiLambda();
  // Nothing is loaded in this graph (the set-up's preload went to the graph the test file imported).
  expect(() => chains.validateAddress('XRP', 'testnet', XRP_DEST)).toThrow(NOT_LOADED);

  const created = new Map<string, CreatedWallet>();
  for (const [chain, asset, network] of [
    ['BTC', 'BTC', 'regtest'],
    ['ETH', 'ETH', 'testnet'],
    ['TRON', 'TRX', 'testnet'],
    ['XRP', 'XRP', 'testnet'],
    ['EGLD', 'EGLD', 'testnet'],
  ] as const) {
    const reply = await call('POST', '/v1/wallets', { userId: 'address-code', chain, asset, network });
    expect(reply.status, JSON.stringify(reply.json)).toBe(201);
    created.set(chain, walletSchema.parse(reply.json));
  }
  const wallet = (chain: string) => created.get(chain) ?? expect.unreachable(chain);
  // A further key of a wallet (its own KMS key and addresses: key-slot.ts).
  const second = await call('GET', `/v1/wallets/${wallet('BTC').signatureId}/addresses/1`);
  expect(second.status, JSON.stringify(second.json)).toBe(200);
  const key = z.object({ index: z.number(), address: z.string(), publicKey: z.string() }).parse(second.json);
  // bitcoinjs-lib's P2WPKH of the key's public key, not our derivation, is the expected address.
  const pubkey = Buffer.from(key.publicKey, 'hex');
  expect(key).toMatchObject({
    index: 1,
    address: payments.p2wpkh({ pubkey, network: networks.regtest }).address,
  });

  // XRP is signed with an imported key: the import path derives the address too.
  created.set('XRP', await importedXrpWallet());

  const ids = new Map<string, string>();
  // BTC: a bitcore-JSON spend of a btcd regtest output the wallet's P2WPKH holds.
  const endpoints = stackEndpoints();
  const btcScript = keyScripts(Buffer.from(wallet('BTC').publicKey, 'hex')).p2wpkh;
  const funding = await fundScripts(endpoints.btcRpc, endpoints.btcMiningWif, [
    { script: btcScript, amount: 1_000_000n },
  ]);
  const minerScript = keyScripts(btcTestKey(decodeRegtestWif(endpoints.btcMiningWif)).publicKey).p2wpkh;
  const minerAddress = payments.p2wpkh({
    output: Buffer.from(minerScript),
    network: networks.regtest,
  }).address;
  ids.set(
    'BTC',
    sandbox.enqueue(
      bitcorePending(
        'BTC',
        funding.utxos,
        [
          { script: minerScript, amount: 600_000n },
          { script: btcScript, amount: 395_000n },
        ],
        [wallet('BTC').signatureId],
      ),
    ),
  );
  // ETH as Tatum sends it: no nonce, gas or gas price (completed from anvil).
  await new EvmRpc(anvil.url).setBalance(wallet('ETH').address, 10n ** 18n);
  ids.set(
    'ETH',
    sandbox.enqueue(
      evmPending('ETH', wallet('ETH').signatureId, JSON.stringify({ to: ETH_DEST, value: '1000' })),
    ),
  );
  ids.set(
    'TRON',
    sandbox.enqueue({
      chain: 'TRON',
      hashes: [wallet('TRON').signatureId],
      serializedTransaction: JSON.stringify(await trxTransfer(wallet('TRON').address, RECIPIENT, 1_000_000)),
    }),
  );
  ids.set(
    'XRP',
    sandbox.enqueue({
      chain: 'XRP',
      hashes: [wallet('XRP').signatureId],
      serializedTransaction: JSON.stringify({
        TransactionType: 'Payment',
        Account: wallet('XRP').address,
        Destination: XRP_DEST,
        Amount: '5000000',
        Fee: '12',
        Sequence: 1,
        LastLedgerSequence: 90_000_000,
      }),
    }),
  );
  // EGLD as Tatum sends it: no nonce (completed from the gateway; the completion derives the sender).
  const egldDest = deriveAddress('EGLD', 'testnet', ed25519TestKey('address-code egld').publicKey);
  gateway.nonces.set(wallet('EGLD').address, 3);
  ids.set(
    'EGLD',
    sandbox.enqueue({
      chain: 'EGLD',
      hashes: [wallet('EGLD').signatureId],
      serializedTransaction: tatumEgldPayload({ from: wallet('EGLD').address, to: egldDest, value: '0.5' }),
    }),
  );

  // The allow-lists make the policy normalise every destination in the daemon (policy.ts).
  const policy = {
    BTC: { allowedDestinations: [minerAddress] },
    ETH: { allowedDestinations: [ETH_DEST] },
    TRON: { allowedDestinations: [RECIPIENT] },
    XRP: { allowedDestinations: [XRP_DEST] },
    EGLD: { allowedDestinations: [egldDest] },
  };
  const runs = [
    startDaemon('regtest', ['--network', 'regtest', '--chain', 'BTC'], policy),
    startDaemon('testnet', ['--testnet', '--chain', 'ETH,TRON,XRP,EGLD'], policy),
  ];
  const ended = await Promise.all(runs.map((d) => d.exited));
  const log = runs.map((d) => `--- ${d.name}\n${d.tail(30)}`).join('\n');
  expect(ended, log).toEqual(['0', '0']);
  expect(runs.map((d) => d.tail(Infinity)).join('\n')).not.toMatch(NOT_LOADED);
  const jobs = await env.db
    .collection<SigningJobDoc>(SIGNING_JOBS)
    .find({ _id: { $in: [...ids.values()] } })
    .toArray();
  const stateOf = (chain: string) => jobs.find((j) => j._id === ids.get(chain));
  for (const chain of ids.keys()) {
    expect(stateOf(chain), `${chain}\n${log}`).toMatchObject({
      state: 'BROADCAST',
      policy: { allowed: true },
    });
    expect(sandbox.completed.get(ids.get(chain) ?? '')?.txId, chain).toBe(stateOf(chain)?.txId);
  }

  // Accepted by the nodes: btcd and anvil mined them.
  await btcRpc(endpoints.btcRpc, 'generate', [1]);
  const btcTx = await btcRpc(
    endpoints.btcRpc,
    'getrawtransaction',
    [stateOf('BTC')?.txId, 1],
    z.object({ confirmations: z.number().default(0) }),
  );
  expect(btcTx.confirmations).toBeGreaterThanOrEqual(1);
  const receipt = await new EvmRpc(anvil.url).call(
    'eth_getTransactionReceipt',
    [stateOf('ETH')?.txId],
    receiptSchema,
  );
  expect(receipt).toMatchObject({ status: '0x1', from: wallet('ETH').address.toLowerCase() });
  // TRON: tronweb recovers the wallet's address; tiny-secp256k1 verifies against the wallet's key.
  const tron = checkIndependently(
    stateOf('TRON')?.signed ?? '',
    Buffer.from(wallet('TRON').publicKey, 'hex'),
  );
  expect(tron).toMatchObject({
    verifies: true,
    recoversWalletKey: true,
    tronwebTxCheck: true,
    tronwebSigner: wallet('TRON').address,
  });
}, 120_000);
