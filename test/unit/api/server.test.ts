// The Node server over real loopback HTTP: binds 127.0.0.1, serves the app, enforces the body limit on
// streamed bodies too, and refuses iam mode.
import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ApiServer, startApiServer } from '../../../src/api/server.js';
import { hashApiKey } from '../../../src/config/index.js';
import { API_KEY, VALID_CREATE } from '../../support/api-harness.js';
import { FakeWalletService } from '../../support/fake-wallet-service.js';

const servers: ApiServer[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function start(service = new FakeWalletService()): Promise<ApiServer> {
  const server = await startApiServer({
    port: 0,
    context: { config: { apiKeyHashes: [hashApiKey(API_KEY)] }, walletService: service },
    env: {},
    log: () => undefined,
  });
  servers.push(server);
  return server;
}

/** POST with a chunked body (no Content-Length), so the limit must be enforced while reading. */
function postChunked(url: string, chunks: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('startApiServer', () => {
  it('listens on 127.0.0.1 by default and serves the API', async () => {
    const server = await start();
    expect(server.host).toBe('127.0.0.1');
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const health = await fetch(`${server.url}/health`);
    expect(health.status).toBe(200);
    const created = await fetch(`${server.url}/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(VALID_CREATE),
    });
    expect(created.status).toBe(201);
  });

  it('refuses bodies over 16 KiB by Content-Length and when streamed without one', async () => {
    const service = new FakeWalletService();
    const server = await start(service);
    const big = await fetch(`${server.url}/v1/wallets`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...VALID_CREATE, label: 'x'.repeat(20_000) }),
    });
    expect(big.status).toBe(413);
    expect(big.headers.get('content-type')).toBe('application/problem+json');
    const streamed = await postChunked(
      `${server.url}/v1/wallets`,
      Array.from({ length: 20 }, () => ' '.repeat(1024)),
    );
    expect(streamed).toBe(413);
    expect(service.calls).toEqual([]);
  });

  it('refuses API_AUTH=iam: only API Gateway can vouch for callers', async () => {
    await expect(
      startApiServer({
        port: 0,
        context: { config: { apiKeyHashes: [] }, walletService: new FakeWalletService() },
        env: { API_AUTH: 'iam' },
      }),
    ).rejects.toThrow(/only for the Lambda handler/);
  });

  it('refuses api-key mode without any configured key', async () => {
    await expect(
      startApiServer({
        port: 0,
        context: { config: { apiKeyHashes: [] }, walletService: new FakeWalletService() },
        env: {},
      }),
    ).rejects.toThrow(/at least one digest/);
  });

  it('close() ends keep-alive connections so it does not hang', async () => {
    const server = await start();
    await fetch(`${server.url}/health`, { headers: { connection: 'keep-alive' } });
    servers.pop();
    await server.close();
    await expect(fetch(`${server.url}/health`)).rejects.toThrow();
  });
});
