// The Solana and MultiversX chain views against loopback servers answering like the real APIs: what they
// accept, and that every bad answer is a ChainUnavailableError (the job waits) rather than a guess.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { ChainUnavailableError, ChainViews } from '../../../src/chain-view/index.js';
import { CHAINS } from '../../../src/chains/index.js';

const DEVNET = CHAINS.SOL.networks.testnet.genesisHash;
const BLOCKHASH = 'EkSnNWid2cvwEVnVx9aBqawnmiCNiDgp3gUdkDPTKN1N';
const EGLD_ADDRESS = 'erd1qyu5wthldzr8wx5c9ucg8kjagg0jfs53s8nr3zpz3hypefsdd8ssycr6th';

let servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
  servers = [];
});

/** A loopback server answering each request with `reply(method or path)`: [status, JSON body]. */
async function serve(reply: (what: string) => [number, unknown]): Promise<string> {
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const rpc = body === '' ? undefined : (JSON.parse(body) as { id: number; method: string });
      const [status, answer] = reply(rpc?.method ?? req.url ?? '');
      const json = rpc ? { jsonrpc: '2.0', id: rpc.id, result: answer } : answer;
      res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const views = (env: Record<string, string>) => new ChainViews({ network: 'testnet', env, retries: 0 });
const latest = (blockhash: string) => ({
  context: { slot: 9 },
  value: { blockhash, lastValidBlockHeight: 159 },
});

describe('SolanaChainView', () => {
  it('returns the finalized blockhash with the genesis hash it checked', async () => {
    const url = await serve((m) => [200, m === 'getGenesisHash' ? DEVNET : latest(BLOCKHASH)]);
    await expect(views({ KMS_SIGNER_RPC_SOL: url }).solana()?.recentBlockhash()).resolves.toEqual({
      blockhash: BLOCKHASH,
      genesisHash: DEVNET,
      slot: 9,
      lastValidBlockHeight: 159,
    });
  });

  it.each([
    ['another cluster', CHAINS.SOL.networks.mainnet.genesisHash, BLOCKHASH, /genesis 5eykt4/],
    ['a malformed blockhash', DEVNET, '0OIl'.repeat(11), /unexpected answer/],
    ['a blockhash that is not 32 bytes', DEVNET, '1'.repeat(40), /malformed blockhash/],
  ])('refuses %s as ChainUnavailableError', async (_, genesis, blockhash, message) => {
    const url = await serve((m) => [200, m === 'getGenesisHash' ? genesis : latest(blockhash)]);
    const answer = views({ KMS_SIGNER_RPC_SOL: url }).solana()?.recentBlockhash();
    await expect(answer).rejects.toBeInstanceOf(ChainUnavailableError);
    await expect(answer).rejects.toThrow(message);
  });

  it('is not there without KMS_SIGNER_RPC_SOL (no default gateway is assumed)', () => {
    expect(views({}).solana()).toBeUndefined();
  });
});

describe('SolanaChainView: settling (getSignatureStatuses, getBlockHeight)', () => {
  const SIGNATURE = '5'.repeat(87);
  const status = (fields: Record<string, unknown> | null) => ({ context: { slot: 90 }, value: [fields] });
  /** A node answering the genesis check, `statuses` for getSignatureStatuses and `height` for getBlockHeight. */
  async function node(statuses: unknown, height: unknown = 500, asked: unknown[][] = []) {
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        const rpc = JSON.parse(body) as { id: number; method: string; params: unknown[] };
        asked.push([rpc.method, ...rpc.params]);
        const result =
          rpc.method === 'getGenesisHash' ? DEVNET : rpc.method === 'getBlockHeight' ? height : statuses;
        const reply =
          result === 'node error' ? { error: { code: -32005, message: 'Node is behind' } } : { result };
        res.writeHead(200).end(JSON.stringify({ jsonrpc: '2.0', id: rpc.id, ...reply }));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const view = views({ KMS_SIGNER_RPC_SOL: url }).solana();
    if (view === undefined) throw new Error('no view');
    return view;
  }

  it('asks with the whole history searched and the finalized commitment', async () => {
    const asked: unknown[][] = [];
    const view = await node(status(null), 500, asked);
    await expect(view.signatureStatus(SIGNATURE)).resolves.toBeNull();
    await expect(view.blockHeight()).resolves.toBe(500);
    expect(asked).toContainEqual(['getSignatureStatuses', [SIGNATURE], { searchTransactionHistory: true }]);
    expect(asked).toContainEqual(['getBlockHeight', { commitment: 'finalized' }]);
  });

  it.each([
    ['finalized', null, { state: 'mined', confirmations: 1 }],
    [
      'finalized',
      { InstructionError: [0, { Custom: 1 }] },
      { state: 'mined', confirmations: 1, failed: '{"InstructionError":[0,{"Custom":1}]}' },
    ],
    ['confirmed', null, { state: 'pending' }],
    ['processed', null, { state: 'pending' }],
  ])('maps %s (err %j) for the settling code', async (confirmationStatus, err, expected) => {
    const view = await node(
      status({ slot: 80, confirmations: null, err, status: { Ok: null }, confirmationStatus }),
    );
    await expect(view.transactionStatus(SIGNATURE)).resolves.toEqual(expected);
  });

  it('a signature the node does not know is unknown', async () => {
    await expect((await node(status(null))).transactionStatus(SIGNATURE)).resolves.toEqual({
      state: 'unknown',
    });
  });

  it.each([
    ['no value array', { context: { slot: 1 } }, 500],
    ['two statuses for one signature', { context: { slot: 1 }, value: [null, null] }, 500],
    ['an unknown confirmationStatus', status({ slot: 1, err: null, confirmationStatus: 'rooted' }), 500],
    ['a negative slot', status({ slot: -1, err: null, confirmationStatus: 'finalized' }), 500],
    ['a node error object', 'node error', 500],
  ])('refuses %s as ChainUnavailableError (the job waits)', async (_, statuses, height) => {
    const answer = (await node(statuses, height)).signatureStatus(SIGNATURE);
    await expect(answer).rejects.toBeInstanceOf(ChainUnavailableError);
  });

  it.each([
    ['a fractional height', 1.5],
    ['a height as text', '500'],
    ['a node error object', 'node error'],
  ])('refuses %s from getBlockHeight as ChainUnavailableError', async (_, height) => {
    await expect((await node(status(null), height)).blockHeight()).rejects.toBeInstanceOf(
      ChainUnavailableError,
    );
  });

  it('asks nothing about a malformed signature', async () => {
    const asked: unknown[][] = [];
    const view = await node(status(null), 500, asked);
    await expect(view.signatureStatus('0xdeadbeef')).rejects.toThrow(/base58 signature/);
    expect(asked).toEqual([]);
  });

  it('takes no height or status from another cluster (its heights would "expire" our blockhashes)', async () => {
    const mainnet = CHAINS.SOL.networks.mainnet.genesisHash;
    const url = await serve((m) => [
      200,
      m === 'getGenesisHash' ? mainnet : m === 'getBlockHeight' ? 10 ** 9 : null,
    ]);
    const view = views({ KMS_SIGNER_RPC_SOL: url }).solana();
    await expect(view?.blockHeight()).rejects.toThrow(/genesis 5eykt4/);
    await expect(view?.signatureStatus(SIGNATURE)).rejects.toThrow(/genesis 5eykt4/);
  });
});

describe('MultiversXChainView', () => {
  const gateway =
    (chainId: string, nonce: unknown) =>
    (path: string): [number, unknown] =>
      path === '/network/config'
        ? [200, { data: { config: { erd_chain_id: chainId } }, error: '', code: 'successful' }]
        : path === `/address/${EGLD_ADDRESS}/nonce`
          ? [200, { data: { nonce }, error: '', code: 'successful' }]
          : [404, {}];

  it('reads the account nonce after checking the chain id', async () => {
    const url = await serve(gateway('D', 42));
    await expect(views({ KMS_SIGNER_RPC_EGLD: url }).multiversx()?.accountNonce(EGLD_ADDRESS)).resolves.toBe(
      42n,
    );
  });

  it.each([
    ['another chain', gateway('1', 42), /chain id "1", expected "D"/],
    ['a negative nonce', gateway('D', -1), /unexpected answer/],
    ['a nonce that is not a number', gateway('D', '42'), /unexpected answer/],
    ['a gateway that is down', (): [number, unknown] => [503, {}], /HTTP 503/],
  ])('refuses %s as ChainUnavailableError', async (_, reply, message) => {
    const url = await serve(reply);
    const answer = views({ KMS_SIGNER_RPC_EGLD: url }).multiversx()?.accountNonce(EGLD_ADDRESS);
    await expect(answer).rejects.toBeInstanceOf(ChainUnavailableError);
    await expect(answer).rejects.toThrow(message);
  });

  it("defaults to Tatum's /v3/egld/node/{apiKey} gateway, and keeps the key out of errors", async () => {
    const seen: string[] = [];
    const url = await serve((path) => {
      seen.push(path);
      return [503, {}];
    });
    const view = new ChainViews({
      network: 'testnet',
      tatum: { baseUrl: url, apiKey: 'secret-api-key-123' },
    });
    const answer = view.multiversx()?.accountNonce(EGLD_ADDRESS);
    await expect(answer).rejects.toThrow(/HTTP 503/);
    await expect(answer).rejects.not.toThrow(/secret-api-key-123/);
    expect(seen).toEqual(['/v3/egld/node/secret-api-key-123/network/config']);
  });
});
